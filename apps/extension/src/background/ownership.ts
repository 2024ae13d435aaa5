import type { InferResponseType } from 'hono/client';
import type { ApiClient } from './api';

/** One of the viewer's purchases, as `GET /v1/me/purchases` lists it (paid ones only). */
export type Purchase = InferResponseType<ApiClient['v1']['me']['purchases']['$get'], 200>['purchases'][number];

/** Whether these purchases give access to the whole series ("buy all", which covers episodes added later). */
export const ownsSeries = (purchases: Purchase[], seriesId: string) =>
  purchases.some((p) => p.active && p.kind === 'series' && p.seriesId === seriesId);

/** Whether these purchases give access to an episode, bought alone or with its whole series. */
export const ownsEpisode = (purchases: Purchase[], seriesId: string, episodeId: string) =>
  ownsSeries(purchases, seriesId) || purchases.some((p) => p.active && p.episodeId === episodeId);
