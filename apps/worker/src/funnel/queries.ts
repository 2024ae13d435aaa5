import { onSale } from '../lib/rules.js';

/** A view to count, with its mark: a keyed hash of the client address, the day and what was seen (marks.ts). */
export interface MarkedView<T> {
  item: T;
  mark: string;
}

/**
 * Adds a view to each on-sale episode's counter for the day, once per mark: an episode counts at most once per
 * client address and day. How many counters moved. Marks of unknown or off-sale episodes are not stored.
 */
export async function countEpisodeViews(db: D1Database, views: MarkedView<string>[], day: string) {
  const pairs = JSON.stringify(views.map((v) => [v.item, v.mark]));
  const batch = crypto.randomUUID();
  const seen = `json_each(?1) v
       JOIN episodes e ON e.id = json_extract(v.value, '$[0]') JOIN series s ON s.id = e.series_id
       JOIN creators c ON c.id = s.creator_id`;
  const [, counted] = await db.batch([
    db
      .prepare(
        `INSERT INTO view_marks (mark, day, batch)
         SELECT json_extract(v.value, '$[1]'), ?2, ?3 FROM ${seen}
         WHERE ${onSale()}
         ON CONFLICT (mark) DO NOTHING`,
      )
      .bind(pairs, day, batch),
    // Only the marks this report added, so a replay (or a second report from the address) moves nothing.
    db
      .prepare(
        `INSERT INTO funnel_daily (creator_id, day, series_id, episode_id, views)
         SELECT s.creator_id, ?2, s.id, e.id, 1
         FROM ${seen} JOIN view_marks m ON m.mark = json_extract(v.value, '$[1]') AND m.batch = ?3
         WHERE ${onSale()}
         ON CONFLICT (creator_id, day, series_id, episode_id) DO UPDATE SET views = views + 1`,
      )
      .bind(pairs, day, batch),
  ]);
  return counted?.meta.changes ?? 0;
}

/**
 * Adds a storefront page load to its creator's (and series') counter for the day and link source, once per
 * mark (a page counts at most once per client address and day, whatever the source); how many counters moved
 * (none for an unknown creator or an off-sale series).
 */
export async function countStorefrontView(
  db: D1Database,
  view: MarkedView<{ handle: string; seriesId: string | null; source: string }>,
  day: string,
) {
  const { handle, seriesId, source } = view.item;
  const batch = crypto.randomUUID();
  const page = `creators c LEFT JOIN series s ON s.id = ?2 AND s.creator_id = c.id
       WHERE c.handle = ?1 AND c.status = 'approved' AND (?2 IS NULL OR (s.id IS NOT NULL AND ${onSale()}))`;
  const [, counted] = await db.batch([
    db
      .prepare(`INSERT INTO view_marks (mark, day, batch) SELECT ?5, ?3, ?6 FROM ${page} ON CONFLICT (mark) DO NOTHING`)
      .bind(handle, seriesId, day, source, view.mark, batch),
    db
      .prepare(
        `INSERT INTO source_daily (creator_id, day, series_id, source, views)
         SELECT c.id, ?3, COALESCE(s.id, ''), ?4, 1 FROM ${page}
           AND EXISTS (SELECT 1 FROM view_marks WHERE mark = ?5 AND batch = ?6)
         ON CONFLICT (creator_id, day, series_id, source) DO UPDATE SET views = views + 1`,
      )
      .bind(handle, seriesId, day, source, view.mark, batch),
  ]);
  return counted?.meta.changes ?? 0;
}

/** Forgets the marks of days before `today` (they can no longer match: a mark names its day). How many went. */
export async function pruneViewMarks(db: D1Database, today: string) {
  const result = await db.prepare('DELETE FROM view_marks WHERE day < ?').bind(today).run();
  return result.meta.changes;
}
