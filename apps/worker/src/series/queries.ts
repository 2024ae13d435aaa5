import { slugCandidates, type Currency } from '@series/core';
import type { CreatorRow } from '../lib/context.js';
import { notFound } from '../lib/errors.js';
import { isoOrNull } from '../lib/time.js';
import { EPISODE_ORDER, groupBySeries, listEpisodes, toOwnerEpisode, toPublicEpisode, type EpisodeRow } from '../episodes/queries.js';
import { onSale } from '../lib/rules.js';

export interface SeriesRow {
  id: string;
  creator_id: string;
  title: string;
  description: string;
  cover_url: string | null;
  currency: Currency;
  bundle_price: number | null;
  status: 'draft' | 'published';
  /** The address of the series on the storefront, `/@handle/<slug>` (see migration 0013). */
  slug: string;
  created_at: number;
  updated_at: number;
  published_at: number | null;
}

function priceRange(episodes: EpisodeRow[]) {
  const prices = episodes.flatMap((e) => (e.price === null ? [] : [e.price]));
  return prices.length ? { min: Math.min(...prices), max: Math.max(...prices) } : null;
}

export function toPublicSeries(row: SeriesRow, episodes: EpisodeRow[], creator: { handle: string; display_name: string }) {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    description: row.description,
    coverUrl: row.cover_url,
    currency: row.currency,
    bundlePrice: row.bundle_price,
    episodeCount: episodes.length,
    freeEpisodeCount: episodes.filter((e) => e.price === null).length,
    priceRange: priceRange(episodes),
    creator: { handle: creator.handle, displayName: creator.display_name },
    episodes: episodes.map((e, i) => toPublicEpisode(e, i + 1)),
  };
}

export function toOwnerSeries(row: SeriesRow, episodes: EpisodeRow[]) {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    description: row.description,
    coverUrl: row.cover_url,
    currency: row.currency,
    bundlePrice: row.bundle_price,
    status: row.status,
    episodeCount: episodes.length,
    priceRange: priceRange(episodes),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    publishedAt: isoOrNull(row.published_at),
    episodes: episodes.map((e, i) => toOwnerEpisode(e, i + 1)),
  };
}

/** The caller's own series, or 404: someone else's series is indistinguishable from a missing one. */
export async function findOwnedSeries(db: D1Database, creatorId: string, seriesId: string): Promise<SeriesRow> {
  const row = await db
    .prepare('SELECT * FROM series WHERE id = ? AND creator_id = ?')
    .bind(seriesId, creatorId)
    .first<SeriesRow>();
  if (!row) throw notFound('Series');
  return row;
}

/** Published series of an approved creator, with their episodes, as anyone may see them. */
export async function listPublicSeriesOfCreator(db: D1Database, creator: CreatorRow) {
  const [series, episodes] = await db.batch<SeriesRow | EpisodeRow>([
    db
      .prepare(
        `SELECT s.* FROM series s JOIN creators c ON c.id = s.creator_id WHERE s.creator_id = ? AND ${onSale()}
         ORDER BY s.published_at DESC, s.id`,
      )
      .bind(creator.id),
    db
      .prepare(
        `SELECT e.* FROM episodes e JOIN series s ON s.id = e.series_id JOIN creators c ON c.id = s.creator_id
         WHERE s.creator_id = ? AND ${onSale()} ORDER BY e.series_id, ${EPISODE_ORDER}`,
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
       WHERE s.id = ? AND ${onSale()}`,
    )
    .bind(seriesId)
    .first<SeriesRow & { handle: string; display_name: string }>();
  if (!row) throw notFound('Series');
  return toPublicSeries(row, await listEpisodes(db, seriesId), row);
}

/**
 * Statements (for a batch) that give a series the first slug of its title that no other series of the creator
 * holds, or one it held before (renaming back to an old title brings its old address back). Every slug it held
 * stays in series_slugs, so old links keep answering with a redirect.
 */
export function assignSlug(db: D1Database, series: { id: string; creator_id: string }, title: string, now: number) {
  const candidates = JSON.stringify(slugCandidates(title, series.id));
  return [
    db
      .prepare(
        `INSERT INTO series_slugs (creator_id, slug, series_id, created_at)
         SELECT ?1, c.value, ?3, ?4 FROM json_each(?2) c
         WHERE NOT EXISTS (SELECT 1 FROM series_slugs t WHERE t.creator_id = ?1 AND t.slug = c.value AND t.series_id != ?3)
         ORDER BY c.key LIMIT 1
         ON CONFLICT (creator_id, slug) DO NOTHING`,
      )
      .bind(series.creator_id, candidates, series.id, now),
    db
      .prepare(
        `UPDATE series SET slug = (
           SELECT c.value FROM json_each(?2) c JOIN series_slugs t ON t.creator_id = ?1 AND t.slug = c.value AND t.series_id = ?3
           ORDER BY c.key LIMIT 1)
         WHERE id = ?3 RETURNING *`,
      )
      .bind(series.creator_id, candidates, series.id),
  ];
}
