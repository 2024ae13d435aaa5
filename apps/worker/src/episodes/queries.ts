import { lookupHash, type Currency } from '@series/core';
import { ApiError, isUniqueViolation, notFound } from '../lib/errors.js';
import { isoOrNull } from '../lib/time.js';

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

export async function listEpisodes(db: D1Database, seriesId: string): Promise<EpisodeRow[]> {
  const { results } = await db
    .prepare(`SELECT * FROM episodes WHERE series_id = ? ORDER BY ${EPISODE_ORDER}`)
    .bind(seriesId)
    .all<EpisodeRow>();
  return results;
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

/** The caller's own episode (with its series currency), or 404. */
export async function findOwnedEpisode(db: D1Database, creatorId: string, episodeId: string) {
  const row = await db
    .prepare(
      `SELECT e.*, s.currency AS series_currency FROM episodes e JOIN series s ON s.id = e.series_id
       WHERE e.id = ? AND s.creator_id = ?`,
    )
    .bind(episodeId, creatorId)
    .first<EpisodeRow & { series_currency: Currency }>();
  if (!row) throw notFound('Episode');
  return row;
}

const videoTaken = () => new ApiError(409, 'video_already_linked', 'This video is already linked to another episode');

/** Runs a write that may hit the unique video_id index, turning that into a clear 409. */
export async function linkingVideo<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err, 'episodes.video_id')) throw videoTaken();
    throw err;
  }
}

/** The public lookup hash stored beside a video id (see migration 0004). */
export const videoHash = (videoId: string | null | undefined) => (videoId ? lookupHash(videoId) : null);

/** An episode with its 1-based number in the series' current order, as its owner sees it. */
export async function numberedForOwner(db: D1Database, seriesId: string, episodeId: string) {
  const episodes = await listEpisodes(db, seriesId);
  const index = episodes.findIndex((e) => e.id === episodeId);
  return toOwnerEpisode(episodes[index]!, index + 1);
}
