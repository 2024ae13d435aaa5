import type { ReviewInput } from '@series/core';
import { ownedBy } from '../ledger/queries.js';
import { newId } from '../lib/ids.js';
import { isoOrNull } from '../lib/time.js';

export interface ReviewRow {
  id: string;
  series_id: string;
  user_id: string;
  stars: number;
  body: string;
  created_at: number;
  updated_at: number;
  reply: string | null;
  replied_at: number | null;
  removed_at: number | null;
}

/**
 * SQL condition on a reviews row `r`: it counts (shown, and in the average and count). Its author still holds
 * something of the series (the ledger's ENTITLES: a fully refunded or charged-back purchase no longer does), and no
 * admin took it down. Only buyers rate, and a rating whose purchase was undone stops counting.
 */
export const reviewCounts = (r = 'r') =>
  `${r}.removed_at IS NULL AND EXISTS (SELECT 1 FROM purchases rp WHERE ${ownedBy(`${r}.user_id`, 'rp')}
     AND rp.series_id = ${r}.series_id)`;

/**
 * A column for a `SELECT` of series `s`: `[count, sum of stars]` of its ratings that count (one subquery, so each
 * rating costs its row and its author's purchase row), so every public series answer carries its rating in the
 * statement that reads the series (no extra round trip).
 */
export const ratingColumns = (s = 's') =>
  `(SELECT json_array(COUNT(*), COALESCE(SUM(rr.stars), 0)) FROM reviews rr
     WHERE rr.series_id = ${s}.id AND ${reviewCounts('rr')}) AS rating_stats`;

export interface RatingColumns {
  /** `[count, sum]` from `ratingColumns`, as JSON text. */
  rating_stats?: string | null;
}

/** A series' rating as the public sees it: the average of the ratings that count (2 decimals), and how many. */
export function toRating(row: RatingColumns) {
  const [count = 0, sum = 0] = row.rating_stats ? (JSON.parse(row.rating_stats) as [number, number]) : [];
  return { average: count ? Math.round((sum / count) * 100) / 100 : null, count };
}

export type Rating = ReturnType<typeof toRating>;

/** A review as anyone may read it: never who wrote it. */
export function toPublicReview(row: ReviewRow) {
  return {
    id: row.id,
    seriesId: row.series_id,
    stars: row.stars,
    text: row.body,
    createdAt: new Date(row.created_at).toISOString(),
    /** When the buyer last changed it (null: never edited). */
    editedAt: row.updated_at !== row.created_at ? new Date(row.updated_at).toISOString() : null,
    reply: row.reply === null ? null : { text: row.reply, createdAt: isoOrNull(row.replied_at)! },
  };
}

export type PublicReview = ReturnType<typeof toPublicReview>;

/** How many reviews one public page or answer lists: the newest that count, then older ones page by page. */
export const REVIEWS_SHOWN = 50;

/**
 * One page of the reviews that count of the series `series` selects (an SQL value, with its `binds`), newest first,
 * as a statement to batch with the series' own read: the newest, or with `before` (a further bind) those older than
 * that review of the series (by date, then id: the order of `reviews_by_series`). It reads one review more than a
 * page, which {@link reviewPage} turns into the cursor of the next.
 */
export function publicReviewsStatement(db: D1Database, series: string, binds: unknown[], before?: string | undefined) {
  const older =
    before === undefined
      ? ''
      : `AND (r.created_at, r.id) < (SELECT created_at, id FROM reviews WHERE id = ?${binds.length + 1}
           AND series_id = r.series_id)`;
  return db
    .prepare(
      `SELECT r.* FROM reviews r WHERE r.series_id = (${series}) AND ${reviewCounts('r')} ${older}
       ORDER BY r.created_at DESC, r.id DESC LIMIT ${REVIEWS_SHOWN + 1}`,
    )
    .bind(...binds, ...(before === undefined ? [] : [before]));
}

/** A page of reviews from {@link publicReviewsStatement}, and `older`: the cursor of the next page (null: none). */
export function reviewPage(result: D1Result<Record<string, unknown>> | undefined) {
  const rows = (result?.results ?? []) as unknown as ReviewRow[];
  const shown = rows.slice(0, REVIEWS_SHOWN);
  return {
    reviews: shown.map(toPublicReview),
    older: rows.length > REVIEWS_SHOWN ? shown[shown.length - 1]!.id : null,
  };
}

/**
 * The rating and a page of reviews of a series on sale (one round trip): the newest, or those older than the review
 * `before`; null when the series is not on sale.
 */
export async function findPublicReviews(db: D1Database, seriesId: string, onSaleWhere: string, before?: string) {
  const [series, reviews] = await db.batch<Record<string, unknown>>([
    db
      .prepare(
        `SELECT s.id, s.creator_id, ${ratingColumns('s')} FROM series s JOIN creators c ON c.id = s.creator_id
         WHERE s.id = ?1 AND ${onSaleWhere}`,
      )
      .bind(seriesId),
    publicReviewsStatement(db, '?1', [seriesId], before),
  ]);
  const row = series?.results[0] as RatingColumns | undefined;
  if (!row) return null;
  return { rating: toRating(row), ...reviewPage(reviews) };
}

/** Why a rating could not be written, read after the write found nothing to do. */
export type ReviewRefusal = 'no_series' | 'not_a_buyer' | 'already_reviewed';

/**
 * Rates a series as its buyer, in one statement that re-checks the purchase (so a refund racing this cannot let a
 * non-buyer in) and the one-per-buyer rule (the unique index); the new row, or why nothing was written.
 */
export async function insertReview(db: D1Database, seriesId: string, userId: string, input: ReviewInput, now: number) {
  const [inserted, state] = await db.batch<Record<string, unknown>>([
    db
      .prepare(
        `INSERT INTO reviews (id, series_id, user_id, stars, body, created_at, updated_at)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?6
         WHERE EXISTS (SELECT 1 FROM purchases WHERE ${ownedBy('?3')} AND series_id = ?2)
         ON CONFLICT (series_id, user_id) DO NOTHING
         RETURNING *`,
      )
      .bind(newId('rev'), seriesId, userId, input.stars, input.text, now),
    db
      .prepare(
        `SELECT s.creator_id, EXISTS (SELECT 1 FROM reviews WHERE series_id = ?1 AND user_id = ?2) AS reviewed
         FROM series s WHERE s.id = ?1`,
      )
      .bind(seriesId, userId),
  ]);
  const row = inserted?.results[0] as ReviewRow | undefined;
  const found = state?.results[0] as { creator_id: string; reviewed: number } | undefined;
  if (row) return { row, creatorId: found!.creator_id };
  const refusal: ReviewRefusal = !found ? 'no_series' : found.reviewed ? 'already_reviewed' : 'not_a_buyer';
  return { refusal, creatorId: found?.creator_id ?? null };
}

/**
 * The author's edit of their own review, while they still hold something of the series; the updated row with the
 * series' creator, or null (someone else's review, a missing one, or no longer a buyer: `stillBuyer` tells).
 */
export async function updateReview(db: D1Database, reviewId: string, userId: string, input: ReviewInput, now: number) {
  const [updated, state] = await db.batch<Record<string, unknown>>([
    db
      .prepare(
        `UPDATE reviews SET stars = ?3, body = ?4, updated_at = MAX(?5, created_at + 1)
         WHERE id = ?1 AND user_id = ?2 AND removed_at IS NULL
           AND EXISTS (SELECT 1 FROM purchases WHERE ${ownedBy('?2')} AND series_id = reviews.series_id)
         RETURNING *, (SELECT creator_id FROM series WHERE id = reviews.series_id) AS creator_id`,
      )
      .bind(reviewId, userId, input.stars, input.text, now),
    db.prepare('SELECT removed_at FROM reviews WHERE id = ?1 AND user_id = ?2').bind(reviewId, userId),
  ]);
  const row = updated?.results[0] as (ReviewRow & { creator_id: string }) | undefined;
  const existing = state?.results[0] as { removed_at: number | null } | undefined;
  return { row: row ?? null, exists: !!existing && existing.removed_at === null };
}

/**
 * The creator's one reply to a review of their own series: the updated row, or why not (`missing`: not a review
 * of theirs; `replied`: they already did).
 */
export async function replyToReview(db: D1Database, reviewId: string, creatorId: string, text: string, now: number) {
  const [updated, state] = await db.batch<Record<string, unknown>>([
    db
      .prepare(
        `UPDATE reviews SET reply = ?3, replied_at = ?4
         WHERE id = ?1 AND reply IS NULL AND removed_at IS NULL
           AND series_id IN (SELECT id FROM series WHERE creator_id = ?2)
         RETURNING *`,
      )
      .bind(reviewId, creatorId, text, now),
    db
      .prepare(
        `SELECT r.reply IS NOT NULL AS replied FROM reviews r JOIN series s ON s.id = r.series_id
         WHERE r.id = ?1 AND s.creator_id = ?2 AND r.removed_at IS NULL`,
      )
      .bind(reviewId, creatorId),
  ]);
  const row = updated?.results[0] as ReviewRow | undefined;
  if (row) return { row };
  const found = state?.results[0] as { replied: number } | undefined;
  return { refusal: found ? ('replied' as const) : ('missing' as const) };
}

/** The caller's own review of a series (even one that no longer counts), and whether they may rate it now. */
export async function findMyReview(db: D1Database, seriesId: string, userId: string) {
  const [mine, buyer] = await db.batch<Record<string, unknown>>([
    db.prepare('SELECT * FROM reviews WHERE series_id = ?1 AND user_id = ?2').bind(seriesId, userId),
    db
      .prepare(`SELECT 1 AS buyer FROM purchases WHERE ${ownedBy('?2')} AND series_id = ?1 LIMIT 1`)
      .bind(seriesId, userId),
  ]);
  const row = mine?.results[0] as ReviewRow | undefined;
  return { row: row ?? null, isBuyer: (buyer?.results.length ?? 0) > 0 };
}

/** Every review of the owner's series (not taken down), newest first, each saying whether it counts now. */
export async function listOwnerReviews(db: D1Database, seriesId: string, creatorId: string) {
  const [series, reviews] = await db.batch<Record<string, unknown>>([
    db
      .prepare(`SELECT s.id, ${ratingColumns('s')} FROM series s WHERE s.id = ?1 AND s.creator_id = ?2`)
      .bind(seriesId, creatorId),
    db
      .prepare(
        `SELECT r.*, (${reviewCounts('r')}) AS counts FROM reviews r
         WHERE r.series_id = ?1 AND r.removed_at IS NULL AND r.series_id IN (SELECT id FROM series WHERE creator_id = ?2)
         ORDER BY r.created_at DESC, r.id DESC`,
      )
      .bind(seriesId, creatorId),
  ]);
  const row = series?.results[0] as RatingColumns | undefined;
  if (!row) return null;
  return {
    rating: toRating(row),
    reviews: ((reviews?.results ?? []) as unknown as (ReviewRow & { counts: number })[]).map((r) => ({
      ...toPublicReview(r),
      counts: r.counts === 1,
    })),
  };
}
