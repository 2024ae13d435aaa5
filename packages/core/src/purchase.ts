/** What a checkout sells: one episode, or a whole series ("buy all"). */
export type PurchaseItem = { episodeId: string } | { seriesId: string };

/**
 * The key of a purchase's item, `episode:<id>` or `series:<id>`. The worker stores it (`purchases.item_key`:
 * one paid purchase per buyer and key) and the extension files its open checkouts under it, so both must
 * spell it the same way.
 */
export const itemKey = (item: PurchaseItem): string =>
  'episodeId' in item ? `episode:${item.episodeId}` : `series:${item.seriesId}`;
