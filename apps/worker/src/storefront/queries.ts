import type { CreatorRow } from '../lib/context.js';
import { ownedBy } from '../ledger/queries.js';
import { creatorSells } from '../lib/rules.js';
import { movedToOf, movedToStatement } from '../creators/queries.js';
import { EPISODE_COLUMNS, EPISODE_ORDER, type EpisodeRow } from '../episodes/queries.js';
import { type SeriesRow } from '../series/queries.js';
import { publicReviewsStatement, ratingColumns, reviewPage } from '../reviews/queries.js';

export interface SeriesPageRow extends SeriesRow {
  handle: string;
  display_name: string;
  creator_status: CreatorRow['status'];
  /** `creatorSells` (lib/rules.ts): 1 when the creator may sell now. */
  creator_sells: number;
}

/**
 * A series of a creator by any address it ever had (a current or old slug, or its id), with its episodes in
 * order and a page of its reviews (the newest, or those older than the review `reviewsBefore`): one round trip.
 * The caller redirects when the address is not the current one.
 */
export async function findSeriesByAddress(db: D1Database, handle: string, address: string, reviewsBefore?: string) {
  const series = `SELECT s.id FROM series s JOIN creators c ON c.id = s.creator_id
    WHERE c.handle = ?1 AND (s.id = ?2 OR s.id = (SELECT series_id FROM series_slugs WHERE creator_id = c.id AND slug = ?2))`;
  const [found, episodes, reviews, moved] = await db.batch<Record<string, unknown>>([
    db
      .prepare(
        `SELECT s.*, c.handle, c.display_name, c.verified_by, c.status AS creator_status, ${creatorSells('c')} AS creator_sells, ${ratingColumns('s')}
         FROM series s JOIN creators c ON c.id = s.creator_id WHERE s.id = (${series})`,
      )
      .bind(handle, address),
    db
      .prepare(
        `SELECT ${EPISODE_COLUMNS('episodes')} FROM episodes WHERE series_id = (${series}) ORDER BY ${EPISODE_ORDER}`,
      )
      .bind(handle, address),
    // The newest ratings that count, shown on the series page (the same round trip).
    publicReviewsStatement(db, series, [handle, address], reviewsBefore),
    // A former handle of a renamed verified creator: where its links go now (the same round trip).
    movedToStatement(db, handle),
  ]);
  const row = found?.results[0] as SeriesPageRow | undefined;
  if (!row) {
    const movedTo = movedToOf(moved);
    return movedTo ? { movedTo } : null;
  }
  return {
    series: row,
    episodes: (episodes?.results ?? []) as unknown as EpisodeRow[],
    ...reviewPage(reviews),
  };
}

/** Whether a viewer's purchases give them anything in a series (buyers keep access to what is off sale). */
export async function ownsAnyOf(db: D1Database, buyerId: string, seriesId: string): Promise<boolean> {
  const row = await db
    .prepare(`SELECT 1 AS owned FROM purchases WHERE ${ownedBy('?1')} AND series_id = ?2 LIMIT 1`)
    .bind(buyerId, seriesId)
    .first();
  return row !== null;
}

/** The series of a creator that a viewer owns something of, whatever their sale status now. */
export async function seriesOwnedFrom(db: D1Database, buyerId: string, creatorId: string) {
  const [series, episodes] = await db.batch<SeriesRow | EpisodeRow>([
    db
      .prepare(
        `SELECT s.* FROM series s WHERE s.creator_id = ?2
           AND EXISTS (SELECT 1 FROM purchases WHERE ${ownedBy('?1')} AND series_id = s.id)
         ORDER BY s.published_at DESC, s.id`,
      )
      .bind(buyerId, creatorId),
    db
      .prepare(
        `SELECT e.* FROM episodes e JOIN series s ON s.id = e.series_id WHERE s.creator_id = ?2
           AND EXISTS (SELECT 1 FROM purchases WHERE ${ownedBy('?1')} AND series_id = s.id)
         ORDER BY e.series_id, ${EPISODE_ORDER}`,
      )
      .bind(buyerId, creatorId),
  ]);
  return { series: (series?.results ?? []) as SeriesRow[], episodes: (episodes?.results ?? []) as EpisodeRow[] };
}

/** What a viewer owns of one series: the whole of it, or these episodes. */
export async function ownedInSeries(db: D1Database, buyerId: string, seriesId: string) {
  const { results } = await db
    .prepare(`SELECT episode_id FROM purchases WHERE ${ownedBy('?1')} AND series_id = ?2`)
    .bind(buyerId, seriesId)
    .all<{ episode_id: string | null }>();
  return {
    wholeSeries: results.some((r) => r.episode_id === null),
    episodeIds: results.flatMap((r) => (r.episode_id ? [r.episode_id] : [])),
  };
}

/** Whether the series is this creator's own (the storefront then shows its owner's view). */
export async function isSeriesOf(db: D1Database, seriesId: string, creatorId: string) {
  return (
    (await db
      .prepare('SELECT 1 AS mine FROM series WHERE id = ? AND creator_id = ?')
      .bind(seriesId, creatorId)
      .first()) !== null
  );
}
