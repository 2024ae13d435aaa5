import { onSale } from '../lib/rules.js';

/** Adds a view to each on-sale episode's counter for the day; how many counters moved. */
export async function countEpisodeViews(db: D1Database, episodeIds: string[], day: string) {
  const result = await db
    .prepare(
      `INSERT INTO funnel_daily (creator_id, day, series_id, episode_id, views)
       SELECT s.creator_id, ?2, s.id, e.id, 1
       FROM episodes e JOIN series s ON s.id = e.series_id JOIN creators c ON c.id = s.creator_id
       WHERE e.id IN (SELECT value FROM json_each(?1)) AND ${onSale()}
       ON CONFLICT (creator_id, day, series_id, episode_id) DO UPDATE SET views = views + 1`,
    )
    .bind(JSON.stringify(episodeIds), day)
    .run();
  return result.meta.changes;
}

/**
 * Adds a storefront page load to its creator's (and series') counter for the day and link source; how many
 * counters moved (none for an unknown creator or an off-sale series).
 */
export async function countStorefrontView(
  db: D1Database,
  view: { handle: string; seriesId: string | null; source: string },
  day: string,
) {
  const result = await db
    .prepare(
      `INSERT INTO source_daily (creator_id, day, series_id, source, views)
       SELECT c.id, ?3, COALESCE(s.id, ''), ?4, 1 FROM creators c LEFT JOIN series s ON s.id = ?2 AND s.creator_id = c.id
       WHERE c.handle = ?1 AND c.status = 'approved' AND (?2 IS NULL OR (s.id IS NOT NULL AND ${onSale()}))
       ON CONFLICT (creator_id, day, series_id, source) DO UPDATE SET views = views + 1`,
    )
    .bind(view.handle, view.seriesId, day, view.source)
    .run();
  return result.meta.changes;
}
