import { MAX_PROMO_CODES, type DiscountKind } from '@series/core';
import { isUniqueViolation } from '../lib/errors.js';
import { isoOrNull } from '../lib/time.js';

/** A creator's promo code (migration 0028). */
export interface PromoCodeRecord {
  id: string;
  creator_id: string;
  series_id: string | null;
  code: string;
  kind: DiscountKind;
  value: number;
  expires_at: number | null;
  max_redemptions: number | null;
  paused: number;
  redeemed: number;
  redeemed_gross: number;
  redeemed_discount: number;
  created_at: number;
  /** Checkouts open with it now (read with the list). */
  open_checkouts?: number;
}

/** A code as its creator sees it, with its paid redemptions and what they brought and took off. */
export function toPromoCode(row: PromoCodeRecord, now = Date.now()) {
  return {
    id: row.id,
    code: row.code,
    seriesId: row.series_id,
    kind: row.kind,
    value: row.value,
    expiresAt: isoOrNull(row.expires_at),
    maxRedemptions: row.max_redemptions,
    paused: row.paused === 1,
    status: row.paused
      ? ('paused' as const)
      : row.expires_at !== null && row.expires_at <= now
        ? ('expired' as const)
        : row.max_redemptions !== null && row.redeemed >= row.max_redemptions
          ? ('used_up' as const)
          : ('active' as const),
    /** Paid purchases with the code; `openCheckouts` more hold a redemption until they are paid or lapse. */
    redemptions: row.redeemed,
    openCheckouts: row.open_checkouts ?? 0,
    /** What the paid redemptions charged, and what the code took off their list prices (minor units). */
    gross: row.redeemed_gross,
    discounted: row.redeemed_discount,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

const OPEN_CHECKOUTS = `(SELECT COUNT(*) FROM purchases u WHERE u.promo_code_id = p.id AND u.status = 'pending'
  AND u.expires_at > ?2) AS open_checkouts`;

/** Records a code unless the creator has MAX_PROMO_CODES already; null when the creator has this code already. */
export async function insertPromoCode(
  db: D1Database,
  row: PromoCodeRecord,
): Promise<PromoCodeRecord | 'taken' | 'full'> {
  try {
    const inserted = await db
      .prepare(
        `INSERT INTO promo_codes (id, creator_id, series_id, code, kind, value, expires_at, max_redemptions, created_at)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9
         WHERE (SELECT COUNT(*) FROM promo_codes WHERE creator_id = ?2) < ?10
         RETURNING *`,
      )
      .bind(
        row.id,
        row.creator_id,
        row.series_id,
        row.code,
        row.kind,
        row.value,
        row.expires_at,
        row.max_redemptions,
        row.created_at,
        MAX_PROMO_CODES,
      )
      .first<PromoCodeRecord>();
    return inserted ?? 'full';
  } catch (err) {
    if (isUniqueViolation(err, 'promo_codes.creator_id')) return 'taken';
    throw err;
  }
}

/** The creator's codes, newest first, with the checkouts open with each. */
export async function listPromoCodes(db: D1Database, creatorId: string, now: number) {
  const { results } = await db
    .prepare(
      `SELECT p.*, ${OPEN_CHECKOUTS} FROM promo_codes p WHERE p.creator_id = ?1 ORDER BY p.created_at DESC, p.id`,
    )
    .bind(creatorId, now)
    .all<PromoCodeRecord>();
  return results;
}

/** Pauses or resumes one of the creator's codes; null when it is not theirs. */
export async function setPaused(db: D1Database, creatorId: string, id: string, paused: boolean, now: number) {
  const [, row] = await db.batch<PromoCodeRecord>([
    db
      .prepare('UPDATE promo_codes SET paused = ?3 WHERE id = ?2 AND creator_id = ?1')
      .bind(creatorId, id, paused ? 1 : 0),
    db
      .prepare(`SELECT p.*, ${OPEN_CHECKOUTS} FROM promo_codes p WHERE p.id = ?3 AND p.creator_id = ?1`)
      .bind(creatorId, now, id),
  ]);
  return row?.results[0] ?? null;
}

export function findPromoCode(db: D1Database, creatorId: string, id: string) {
  return db
    .prepare('SELECT * FROM promo_codes WHERE id = ? AND creator_id = ?')
    .bind(id, creatorId)
    .first<PromoCodeRecord>();
}

/** A code's paid redemptions, newest first: what was bought, its list price, what the code took off, what was paid. */
export async function listRedemptions(db: D1Database, codeId: string, limit = 100) {
  const { results } = await db
    .prepare(
      `SELECT p.id, p.series_id, p.episode_id, p.amount, p.list_amount, p.discount_amount, p.currency, p.status,
              p.paid_at, s.title AS series_title, e.title AS episode_title
       FROM purchases p JOIN series s ON s.id = p.series_id LEFT JOIN episodes e ON e.id = p.episode_id
       WHERE p.promo_code_id = ? AND p.paid_at IS NOT NULL ORDER BY p.paid_at DESC, p.id LIMIT ?`,
    )
    .bind(codeId, limit)
    .all<{
      id: string;
      series_id: string;
      episode_id: string | null;
      amount: number;
      list_amount: number | null;
      discount_amount: number;
      currency: string;
      status: string;
      paid_at: number;
      series_title: string;
      episode_title: string | null;
    }>();
  // Never the buyer: what was sold, when and for how much.
  return results.map((r) => ({
    purchaseId: r.id,
    seriesId: r.series_id,
    episodeId: r.episode_id,
    title: r.episode_title ? `${r.series_title} — ${r.episode_title}` : r.series_title,
    listAmount: r.list_amount ?? r.amount,
    discounted: r.discount_amount,
    amount: r.amount,
    currency: r.currency,
    refunded: r.status === 'refunded',
    paidAt: new Date(r.paid_at).toISOString(),
  }));
}
