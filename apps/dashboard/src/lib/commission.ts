import { api, request } from './api.js';
import { percentFromBps } from './format.js';
import { useResource } from './use-resource.js';

/**
 * The platform commission in force (`GET /v1/commission`, public: the sign-in page reads it too), or null while it
 * loads or when the API cannot be reached (the page then states no figure rather than a wrong one).
 */
export function useCommission(): number | null {
  const rate = useResource(() => request(() => api.v1.commission.$get()), []);
  return rate.status === 'ready' ? rate.data.bps : null;
}

/** "You keep 87.5% of every sale" figures: the commission and what the creator keeps, as percentages. */
export function commissionShares(bps: number): { commission: string; keep: string } {
  return { commission: percentFromBps(bps), keep: percentFromBps(10_000 - bps) };
}
