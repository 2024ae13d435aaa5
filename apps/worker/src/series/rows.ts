import type { Currency } from '@series/core';
import { isoOrNull } from '../lib/time.js';
import { ApiError, notFound } from '../lib/errors.js';

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

export interface EpisodeRow {
  id: string;
  series_id: string;
  position: number;
  title: string;
  duration_seconds: number;
  price: number | null;
  video_id: string | null;
  release_at: number | null;
  created_at: number;
  updated_at: number;
  media_key: string | null;
  media_content_type: string | null;
  media_size: number | null;
  media_uploaded_at: number | null;
}

/** Episodes are numbered 1..n in this order; `position` alone may have gaps after deletes. */
export const EPISODE_ORDER = 'position, created_at, id';

export function toPublicEpisode(row: EpisodeRow, number: number, now = Date.now()) {
  return {
    id: row.id,
    number,
    title: row.title,
    durationSeconds: row.duration_seconds,
    price: row.price,
    free: row.price === null,
    videoId: row.video_id,
    releaseAt: isoOrNull(row.release_at),
    released: row.release_at === null || row.release_at <= now,
    hasVideo: row.media_key !== null,
  };
}

export function toOwnerEpisode(row: EpisodeRow, number: number) {
  return {
    ...toPublicEpisode(row, number),
    seriesId: row.series_id,
    media:
      row.media_key === null
        ? null
        : { contentType: row.media_content_type, size: row.media_size, uploadedAt: isoOrNull(row.media_uploaded_at) },
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
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

export async function listEpisodes(db: D1Database, seriesId: string): Promise<EpisodeRow[]> {
  const { results } = await db
    .prepare(`SELECT * FROM episodes WHERE series_id = ? ORDER BY ${EPISODE_ORDER}`)
    .bind(seriesId)
    .all<EpisodeRow>();
  return results;
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

/** Groups rows of `episodes` (already in episode order) by series id. */
export function groupBySeries(episodes: EpisodeRow[]): Map<string, EpisodeRow[]> {
  const map = new Map<string, EpisodeRow[]>();
  for (const e of episodes) {
    const list = map.get(e.series_id);
    if (list) list.push(e);
    else map.set(e.series_id, [e]);
  }
  return map;
}

export function priceProblem(field: string, message: string): ApiError {
  return new ApiError(400, 'invalid_price', message, { issues: [{ path: field, message }] });
}

/** The caller's own episode (with its series currency), or 404. */
export async function findOwnedEpisode(db: D1Database, creatorId: string, episodeId: string) {
  const row = await db
    .prepare(
      `SELECT e.*, s.currency AS series_currency FROM episodes e JOIN series s ON s.id = e.series_id
       WHERE e.id = ? AND s.creator_id = ?`,
    )
    .bind(episodeId, creatorId)
    .first<EpisodeRow & { series_currency: SeriesRow['currency'] }>();
  if (!row) throw notFound('Episode');
  return row;
}
