import {
  parseOffers,
  saleOn,
  lookupHash,
  MAX_EPISODES_PER_SERIES,
  type Currency,
  type EpisodeCreate,
  type EpisodePatch,
} from '@series/core';
import { SOLD } from '../ledger/queries.js';
import { ApiError, isUniqueViolation, notFound } from '../lib/errors.js';
import { isoOrNull } from '../lib/time.js';
import { episodeOffers } from '../lib/rules.js';

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
  /** 1 when the creator's TikTok token showed the video is theirs (migration 0017); unique among verified links. */
  video_verified: number;
  /** The image name of its thumbnail, a frame of its video (migration 0020). */
  thumb_key?: string | null;
  /** Added to a live series while reviews are required: 'pending' until approved, or 'rejected' (migration 0031). */
  review_state?: 'pending' | 'rejected' | null;
  review_reason?: string | null;
  /** 1 when someone bought it, on its own or with its whole series (set for its owner by `withSold`). */
  sold?: number;
  /** Its series' currency and discounts in force, on public reads (`EPISODE_COLUMNS`). */
  offers?: string | null;
}

/** The columns of a public read of episodes (alias `e`): the row and its series' discounts in force. */
export const EPISODE_COLUMNS = (alias = 'e') => `${alias}.*, ${episodeOffers(alias)} AS offers`;

/** Episodes are numbered 1..n in this order; `position` alone may have gaps after deletes. */
export const EPISODE_ORDER = 'position, created_at, id';

export function toPublicEpisode(row: EpisodeRow, number: number, now = Date.now()) {
  return {
    id: row.id,
    number,
    title: row.title,
    durationSeconds: row.duration_seconds,
    price: row.price,
    /** A temporary discount in force: the price now and when the discount ends ("€2.99 → €1.99 until 12 Dec"). */
    sale: saleOn(row.price, parseOffers(row.offers), row.id),
    free: row.price === null,
    videoId: row.video_id,
    releaseAt: isoOrNull(row.release_at),
    released: row.release_at === null || row.release_at <= now,
    // Waiting for review (added to a live series): shown as coming soon, nothing of it before an admin approves it.
    hasVideo: row.media_key !== null && !row.review_state,
    /** A frame of the video chosen as its thumbnail (a path on this origin), or null. */
    thumbnailUrl: row.thumb_key && !row.review_state ? `/v1/images/${row.thumb_key}` : null,
  };
}

export function toOwnerEpisode(row: EpisodeRow, number: number) {
  // The owner's view carries no `sale`: a creator manages discounts with GET /v1/series/:id/discounts.
  const { sale: _sale, ...shown } = toPublicEpisode(row, number);
  return {
    ...shown,
    hasVideo: row.media_key !== null,
    thumbnailUrl: row.thumb_key ? `/v1/images/${row.thumb_key}` : null,
    /** Review before going live: null (live, or never asked), or pending / rejected with the admin's reason. */
    review: row.review_state ? { state: row.review_state, reason: row.review_reason ?? null } : null,
    seriesId: row.series_id,
    videoVerified: row.video_id !== null && row.video_verified === 1,
    media:
      row.media_key === null
        ? null
        : { contentType: row.media_content_type, size: row.media_size, uploadedAt: isoOrNull(row.media_uploaded_at) },
    /** Someone bought it: it cannot be deleted (its buyers keep it). */
    sold: row.sold === 1,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export async function listEpisodes(db: D1Database, seriesId: string): Promise<EpisodeRow[]> {
  const { results } = await db
    .prepare(`SELECT ${EPISODE_COLUMNS('episodes')} FROM episodes WHERE series_id = ? ORDER BY ${EPISODE_ORDER}`)
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

const videoTaken = () =>
  new ApiError(409, 'video_already_linked', 'This video is already linked, verified, to another episode');

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
  const episodes = await withSold(db, seriesId, await listEpisodes(db, seriesId));
  const index = episodes.findIndex((e) => e.id === episodeId);
  return toOwnerEpisode(episodes[index]!, index + 1);
}

/**
 * Appends an episode to its series (numbered last) unless the series already holds the most it may; whether
 * it was added. A video id another episode links to answers 409.
 */
export async function insertEpisode(
  db: D1Database,
  id: string,
  seriesId: string,
  body: EpisodeCreate,
  hash: string | null,
  now: number,
  verified = false,
) {
  // The 80-episode limit is part of the INSERT itself: concurrent requests cannot overshoot it.
  const result = await linkingVideo(() =>
    db
      .prepare(
        `INSERT INTO episodes (id, series_id, position, title, duration_seconds, price, video_id, release_at, created_at, updated_at, video_hash, video_verified)
         SELECT ?1, ?2, (SELECT COALESCE(MAX(position), 0) + 1 FROM episodes WHERE series_id = ?2),
                ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?10, ?11
         WHERE (SELECT COUNT(*) FROM episodes WHERE series_id = ?2) < ?9`,
      )
      .bind(
        id,
        seriesId,
        body.title,
        body.durationSeconds,
        body.price,
        body.videoId,
        body.releaseAt ? Date.parse(body.releaseAt) : null,
        now,
        MAX_EPISODES_PER_SERIES,
        hash,
        verified && body.videoId ? 1 : 0,
      )
      .run(),
  );
  return result.meta.changes > 0;
}

/**
 * Moves an episode to `number` (1-based; past the end: last) in one statement: the others are ranked in their
 * current order without it and shift by one from that place on, so the series stays numbered 1..n densely. Only
 * rows whose position changes are written, and nothing is read first, so two moves at once both hold.
 */
export const moveEpisodeStatement = (db: D1Database, episodeId: string, seriesId: string, number: number) =>
  db
    .prepare(
      `WITH ranked AS (
         SELECT id, ROW_NUMBER() OVER (ORDER BY ${EPISODE_ORDER}) AS n FROM episodes WHERE series_id = ?2 AND id <> ?1
       ),
       spot AS (SELECT MIN(?3, (SELECT COUNT(*) FROM ranked) + 1) AS t),
       moved AS (
         SELECT id, CASE WHEN n >= (SELECT t FROM spot) THEN n + 1 ELSE n END AS p FROM ranked
         UNION ALL SELECT ?1, (SELECT t FROM spot)
       )
       UPDATE episodes SET position = moved.p FROM moved
       WHERE episodes.id = moved.id AND episodes.series_id = ?2 AND episodes.position IS NOT moved.p`,
    )
    .bind(episodeId, seriesId, number);

/**
 * Applies an owner's edit to an episode in one batch, with its move when `patch.number` is given (see
 * moveEpisodeStatement). A video id another episode links to answers 409.
 */
export async function updateEpisode(
  db: D1Database,
  episodeId: string,
  patch: EpisodePatch,
  hash: string | null,
  now: number,
  seriesId: string,
  verified = false,
) {
  const statements = [
    db
      .prepare(
        `UPDATE episodes SET
           title = CASE WHEN ?2 THEN ?3 ELSE title END,
           duration_seconds = CASE WHEN ?4 THEN ?5 ELSE duration_seconds END,
           price = CASE WHEN ?6 THEN ?7 ELSE price END,
           video_id = CASE WHEN ?8 THEN ?9 ELSE video_id END,
           video_hash = CASE WHEN ?8 THEN ?13 ELSE video_hash END,
           video_verified = CASE WHEN ?8 THEN ?14 ELSE video_verified END,
           release_at = CASE WHEN ?10 THEN ?11 ELSE release_at END,
           updated_at = ?12
         WHERE id = ?1`,
      )
      .bind(
        episodeId,
        patch.title !== undefined ? 1 : 0,
        patch.title ?? null,
        patch.durationSeconds !== undefined ? 1 : 0,
        patch.durationSeconds ?? null,
        patch.price !== undefined ? 1 : 0,
        patch.price ?? null,
        patch.videoId !== undefined ? 1 : 0,
        patch.videoId ?? null,
        patch.releaseAt !== undefined ? 1 : 0,
        patch.releaseAt ? Date.parse(patch.releaseAt) : null,
        now,
        hash,
        verified && patch.videoId ? 1 : 0,
      ),
  ];
  if (patch.number !== undefined) statements.push(moveEpisodeStatement(db, episodeId, seriesId, patch.number));
  await linkingVideo(() => db.batch(statements));
}

/** The stored objects of the episode: its uploads and its thumbnail. */
export async function episodeMediaKeys(db: D1Database, episodeId: string) {
  const { results } = await db
    .prepare(
      `SELECT r2_key FROM media_uploads WHERE episode_id = ?1
       UNION ALL SELECT 'images/' || thumb_key FROM episodes WHERE id = ?1 AND thumb_key IS NOT NULL`,
    )
    .bind(episodeId)
    .all<{ r2_key: string }>();
  return results.map((m) => m.r2_key);
}

/**
 * Deletes an episode nobody bought, with its unpaid checkouts, in one batch; a published series it leaves empty
 * goes back to draft. Whether it was deleted, whether its series was unpublished, and the provider's sessions of
 * the checkouts that were still open (to close there: they can no longer be fulfilled).
 */
export async function deleteUnsoldEpisode(db: D1Database, episode: Pick<EpisodeRow, 'id' | 'series_id'>, now: number) {
  // Bought on its own or as part of the whole series: buyers keep it, so it stays.
  const unsold = `NOT EXISTS (SELECT 1 FROM purchases WHERE ${SOLD}
                    AND (episode_id = ?1 OR (episode_id IS NULL AND series_id = ?2)))`;
  const [checkouts, deleted, unpublished] = await db.batch([
    db
      .prepare(`DELETE FROM purchases WHERE episode_id = ?1 AND ${unsold} RETURNING status, provider_ref`)
      .bind(episode.id, episode.series_id),
    db.prepare(`DELETE FROM episodes WHERE id = ?1 AND ${unsold}`).bind(episode.id, episode.series_id),
    // A published series never stands empty: removing its last episode takes it off sale.
    db
      .prepare(
        `UPDATE series SET status = 'draft', updated_at = ?2 WHERE id = ?1 AND status = 'published'
           AND NOT EXISTS (SELECT 1 FROM episodes WHERE series_id = ?1)`,
      )
      .bind(episode.series_id, now),
  ]);
  return {
    deleted: (deleted?.meta.changes ?? 0) > 0,
    seriesUnpublished: (unpublished?.meta.changes ?? 0) > 0,
    openSessions: openSessionsOf(checkouts?.results),
  };
}

/** The provider's sessions of the deleted purchases that were still waiting for payment. */
export const openSessionsOf = (rows: unknown[] | undefined) =>
  ((rows ?? []) as { status: string; provider_ref: string | null }[]).flatMap((r) =>
    r.status === 'pending' && r.provider_ref ? [r.provider_ref] : [],
  );

/**
 * The series' episodes marked `sold` when someone bought them, on their own or with the whole series: the rule
 * that keeps an episode from being deleted, so its owner is told before trying.
 */
export async function withSold(db: D1Database, seriesId: string, episodes: EpisodeRow[]): Promise<EpisodeRow[]> {
  const { results } = await db
    .prepare(
      `SELECT e.id FROM episodes e WHERE e.series_id = ?1 AND EXISTS (SELECT 1 FROM purchases p WHERE p.${SOLD}
         AND p.series_id = ?1 AND (p.episode_id = e.id OR p.episode_id IS NULL))`,
    )
    .bind(seriesId)
    .all<{ id: string }>();
  const sold = new Set(results.map((r) => r.id));
  return episodes.map((e) => ({ ...e, sold: sold.has(e.id) ? 1 : 0 }));
}
