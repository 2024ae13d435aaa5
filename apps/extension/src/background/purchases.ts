import { recordStore, TtlCache } from '../lib/cache';
import { purchasesCacheItem, sessionItem } from '../lib/storage';
import { apiClient, failureOf, reach } from './api';
import type { Purchase } from './ownership';

/** Short: purchases made elsewhere (another browser) show up soon; ours invalidate the cache at once. */
const PURCHASES_TTL_MS = 60_000;
const cache = new TtlCache<unknown>({ ttlMs: PURCHASES_TTL_MS, store: recordStore(purchasesCacheItem, 4) });

/**
 * Everything the signed-in viewer bought (`GET /v1/me/purchases`), or [] when signed out. Ownership is worked
 * out here from this list, so looking at a page never tells the server which episode is on screen.
 * A 401 means the session ended on the server: the account is forgotten.
 */
export async function myPurchases(apiUrl: string): Promise<Purchase[]> {
  const account = await sessionItem.getValue();
  if (!account) return [];
  return (await cache.get(`${apiUrl}|${account.email}`, async () => {
    const res = await reach(apiClient(apiUrl, account.token).v1.me.purchases.$get(), apiUrl);
    if ((res.status as number) === 401) {
      await sessionItem.setValue(null);
      return [];
    }
    if (res.status !== 200) throw await failureOf(res);
    return (await res.json()).purchases;
  })) as Purchase[];
}

export const forgetPurchases = () => cache.clear();
