import { commissionStatement } from '../ledger/commission-queries.js';

/**
 * What a checkout asks the directory when ledgers live in shards of their own: whose item it is (the creator whose
 * ledger sells it) and the platform commission in force, which the new purchase copies. One round trip.
 */
export function placedItemStatements(directory: D1Database, item: { episodeId: string } | { seriesId: string }) {
  return [
    'episodeId' in item
      ? directory
          .prepare('SELECT s.creator_id FROM episodes e JOIN series s ON s.id = e.series_id WHERE e.id = ?')
          .bind(item.episodeId)
      : directory.prepare('SELECT creator_id FROM series WHERE id = ?').bind(item.seriesId),
    commissionStatement(directory),
  ];
}
