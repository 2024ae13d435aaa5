import type { CreatorRow } from '../creators/queries.js';
import { notFound } from '../lib/errors.js';
import { EPISODE_ORDER, groupBySeries, listEpisodes, toPublicSeries, type EpisodeRow, type SeriesRow } from './rows.js';

/** Published series of an approved creator, with their episodes, as anyone may see them. */
export async function listPublicSeriesOfCreator(db: D1Database, creator: CreatorRow) {
  const [series, episodes] = await db.batch<SeriesRow | EpisodeRow>([
    db
      .prepare(`SELECT * FROM series WHERE creator_id = ? AND status = 'published' ORDER BY published_at DESC, id`)
      .bind(creator.id),
    db
      .prepare(
        `SELECT e.* FROM episodes e JOIN series s ON s.id = e.series_id
         WHERE s.creator_id = ? AND s.status = 'published' ORDER BY e.series_id, ${EPISODE_ORDER}`,
      )
      .bind(creator.id),
  ]);
  const bySeries = groupBySeries((episodes?.results ?? []) as EpisodeRow[]);
  return ((series?.results ?? []) as SeriesRow[]).map((s) => toPublicSeries(s, bySeries.get(s.id) ?? [], creator));
}

/** One series if it is on sale: published, and its creator approved. */
export async function findPublicSeries(db: D1Database, seriesId: string) {
  const row = await db
    .prepare(
      `SELECT s.*, c.handle, c.display_name FROM series s JOIN creators c ON c.id = s.creator_id
       WHERE s.id = ? AND s.status = 'published' AND c.status = 'approved'`,
    )
    .bind(seriesId)
    .first<SeriesRow & { handle: string; display_name: string }>();
  if (!row) throw notFound('Series');
  return toPublicSeries(row, await listEpisodes(db, seriesId), row);
}
