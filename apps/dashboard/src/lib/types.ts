import type { api, Body } from './api.js';

// Response types, inferred from the worker's routes through the typed client (never written by hand).
type Of<F extends (...args: never[]) => Promise<unknown>> = Body<Awaited<ReturnType<F>>>;

export type OwnerSeries = Of<(typeof api.v1.me.series)[':id']['$get']>['series'];
export type OwnerEpisode = OwnerSeries['episodes'][number];
export type Summary = Of<typeof api.v1.analytics.summary.$get>;
export type EpisodeStats = Of<typeof api.v1.analytics.episodes.$get>['rows'][number];
export type DailyStats = Of<typeof api.v1.analytics.daily.$get>['rows'][number];
export type FunnelStats = Of<typeof api.v1.analytics.funnel.$get>['rows'][number];
export type SourceStats = Of<typeof api.v1.analytics.funnel.$get>['sources'][number];
export type SourceDayStats = Of<typeof api.v1.analytics.funnel.$get>['sourceDays'][number];
export type Payouts = Of<typeof api.v1.payouts.$get>;
export type PayoutStatement = Payouts['statements'][number];
export type MonthPurchase = Of<typeof api.v1.payouts.purchases.$get>['purchases'][number];
export type UploadView = Of<(typeof api.v1.uploads)[':id']['$get']>['upload'];
export type AdminStatement = Of<typeof api.v1.admin.payouts.$get>['statements'][number];
