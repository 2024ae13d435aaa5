import type { Locale } from '@series/core';
import { isUniqueViolation } from '../lib/errors.js';
import { coversItemOf, entitlesSql, EPISODE_NUMBER, type PurchaseRow } from './queries.js';

/**
 * Gifts (migration 0034): a sale paid by the giver (`purchases.buyer_id`) whose entitlement belongs to nobody until
 * the recipient claims it (`purchases.owner_id`). The claim link's token is random and only its SHA-256 is stored.
 * Every state change is one conditional statement (or one batch), so a claim, a second claim, a refund and a resend
 * that race each apply from the state they expect, and exactly one claim wins.
 */

export interface GiftRow {
  purchase_id: string;
  recipient_email: string;
  message: string | null;
  token_hash: string | null;
  sent_at: number | null;
  sends: number;
  claimed_at: number | null;
  refused_at: number | null;
  revoked_at: number | null;
  created_at: number;
}

/** A giver re-sends a gift's mail at most this often, and at most this many mails in all. */
export const GIFT_RESEND_INTERVAL_MS = 10 * 60 * 1000;
export const GIFT_MAX_SENDS = 5;

/** The gift row of a checkout, in the batch that records its purchase (only if that purchase was recorded). */
export function insertGiftStatement(
  db: D1Database,
  purchaseId: string,
  gift: { email: string; message: string | null },
  now: number,
) {
  return db
    .prepare(
      `INSERT INTO gifts (purchase_id, recipient_email, message, created_at)
       SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM purchases WHERE id = ?1)
       ON CONFLICT (purchase_id) DO NOTHING`,
    )
    .bind(purchaseId, gift.email, gift.message, now);
}

/**
 * A gift that can still be claimed: paid, giving access (no open dispute), owned by nobody, not claimed nor being
 * refunded, and not refunded in full (a "refund, keep access" gives the giver their money back: nothing is left to
 * give) (`g`, `p`).
 */
const CLAIMABLE = (g: string, p: string) =>
  `${g}.claimed_at IS NULL AND ${g}.revoked_at IS NULL AND ${p}.owner_id IS NULL AND ${entitlesSql(p)}
   AND ${p}.refunded_amount < ${p}.amount`;

/**
 * The first mail of a paid gift: stores the hash of its claim token, once (a redelivered notice finds it sent and
 * mails nothing). True when this call issued it, so the caller mails the link.
 */
export async function issueGiftToken(db: D1Database, purchaseId: string, tokenHash: string, now: number) {
  const res = await db
    .prepare(
      `UPDATE gifts SET token_hash = ?2, sent_at = ?3, sends = sends + 1
       WHERE purchase_id = ?1 AND sent_at IS NULL
         AND EXISTS (SELECT 1 FROM purchases p WHERE p.id = gifts.purchase_id AND ${CLAIMABLE('gifts', 'p')})`,
    )
    .bind(purchaseId, tokenHash, now)
    .run();
  return res.meta.changes > 0;
}

export type ResendOutcome = 'sent' | 'not_found' | 'claimed' | 'closed' | 'too_soon' | 'too_many';

/**
 * The giver sends the gift's mail again, with a new link (the old one stops working): while it can be claimed, at
 * most every GIFT_RESEND_INTERVAL_MS and GIFT_MAX_SENDS times in all (conditions of the UPDATE, so concurrent
 * re-sends cannot pass them together).
 */
export async function resendGiftToken(
  db: D1Database,
  purchaseId: string,
  giverId: string,
  tokenHash: string,
  now: number,
): Promise<ResendOutcome> {
  const [updated, row] = await db.batch<Record<string, unknown>>([
    db
      .prepare(
        `UPDATE gifts SET token_hash = ?3, sent_at = ?4, sends = sends + 1
         WHERE purchase_id = ?1 AND sent_at IS NOT NULL AND sent_at <= ?4 - ?5 AND sends < ?6
           AND EXISTS (SELECT 1 FROM purchases p WHERE p.id = gifts.purchase_id AND p.buyer_id = ?2
                         AND ${CLAIMABLE('gifts', 'p')})`,
      )
      .bind(purchaseId, giverId, tokenHash, now, GIFT_RESEND_INTERVAL_MS, GIFT_MAX_SENDS),
    giftOfGiverStatement(db, purchaseId, giverId),
  ]);
  if (updated?.meta.changes) return 'sent';
  const gift = row?.results[0] as (GiftRow & PurchaseRow) | undefined;
  if (!gift || gift.paid_at === null) return 'not_found';
  if (gift.claimed_at !== null) return 'claimed';
  if (gift.revoked_at !== null || gift.status !== 'paid') return 'closed';
  // The first mail is still on its way (the queue sends it right after the payment): that is "just sent".
  if (gift.sent_at === null) return 'too_soon';
  if (gift.sends >= GIFT_MAX_SENDS) return 'too_many';
  return 'too_soon';
}

const giftOfGiverStatement = (db: D1Database, purchaseId: string, giverId: string) =>
  db
    .prepare(
      `SELECT p.*, g.* FROM gifts g JOIN purchases p ON p.id = g.purchase_id WHERE g.purchase_id = ?1 AND p.buyer_id = ?2`,
    )
    .bind(purchaseId, giverId);

export type ClaimOutcome = 'claimed' | 'already_owned' | 'already_claimed' | 'refunded' | 'not_found';

/**
 * The recipient claims a gift with its link's token: in one batch, the purchase becomes theirs (only while it is
 * claimable and they hold nothing that covers its item: the same rule as a completing checkout, `coversItemOf`, with
 * the one-paid-per-owner index behind it), the gift is marked claimed exactly when that happened, and a claim
 * refused because they own the item already is marked (`firstRefusal` the first time: the giver is told once).
 * Two accounts claiming one link at once: D1 runs one batch after the other, and the second finds it owned.
 */
export async function claimGift(
  db: D1Database,
  tokenHash: string,
  userId: string,
  now: number,
): Promise<{ outcome: ClaimOutcome; purchaseId: string | null; firstRefusal: boolean; purchase?: PurchaseRow }> {
  const gift = `(SELECT purchase_id FROM gifts WHERE token_hash = ?1)`;
  const owns = `EXISTS (SELECT 1 FROM purchases o, purchases p WHERE p.id = ${gift} AND ${coversItemOf('o', 'p', '?2')}
                  AND ${entitlesSql('o')})`;
  let results: D1Result<Record<string, unknown>>[];
  try {
    results = await db.batch<Record<string, unknown>>([
      db
        .prepare(
          `UPDATE purchases SET owner_id = ?2, updated_at = ?3
           WHERE id = ${gift} AND NOT ${owns}
             AND EXISTS (SELECT 1 FROM gifts g WHERE g.purchase_id = purchases.id AND ${CLAIMABLE('g', 'purchases')})`,
        )
        .bind(tokenHash, userId, now),
      db
        .prepare(
          `UPDATE gifts SET claimed_at = ?3 WHERE token_hash = ?1 AND claimed_at IS NULL
             AND EXISTS (SELECT 1 FROM purchases p WHERE p.id = gifts.purchase_id AND p.owner_id = ?2)`,
        )
        .bind(tokenHash, userId, now),
      db
        .prepare(
          `UPDATE gifts SET refused_at = ?3 WHERE token_hash = ?1 AND refused_at IS NULL AND ${owns}
             AND EXISTS (SELECT 1 FROM purchases p WHERE p.id = gifts.purchase_id AND ${CLAIMABLE('gifts', 'p')})`,
        )
        .bind(tokenHash, userId, now),
      db
        .prepare(
          `SELECT g.*, p.status, p.dispute_state, p.owner_id, ${owns} AS owns
           FROM gifts g JOIN purchases p ON p.id = g.purchase_id WHERE g.token_hash = ?1`,
        )
        .bind(tokenHash, userId),
      db.prepare(`SELECT * FROM purchases WHERE id = ${gift}`).bind(tokenHash),
    ]);
  } catch (err) {
    // The one-paid-per-owner index: a purchase of the same item became theirs meanwhile (the batch rolled back).
    if (isUniqueViolation(err, 'purchases.owner_id')) {
      return { outcome: 'already_owned', purchaseId: null, firstRefusal: false };
    }
    throw err;
  }
  const row = results[3]?.results[0] as
    (GiftRow & { status: string; dispute_state: string | null; owner_id: string | null; owns: number }) | undefined;
  if (!row) return { outcome: 'not_found', purchaseId: null, firstRefusal: false };
  const purchaseId = row.purchase_id;
  const purchase = results[4]?.results[0] as PurchaseRow | undefined;
  if (results[0]?.meta.changes) return { outcome: 'claimed', purchaseId, firstRefusal: false, purchase };
  // Claimed before (by this account: the same answer again, so a double tap or a retry is harmless).
  if (row.claimed_at !== null || row.owner_id !== null) {
    const outcome = row.owner_id === userId ? 'claimed' : 'already_claimed';
    return { outcome, purchaseId, firstRefusal: false, purchase };
  }
  if (
    row.revoked_at !== null ||
    row.status !== 'paid' ||
    row.dispute_state === 'open' ||
    row.dispute_state === 'lost'
  ) {
    return { outcome: 'refunded', purchaseId, firstRefusal: false };
  }
  if (row.owns) return { outcome: 'already_owned', purchaseId, firstRefusal: (results[2]?.meta.changes ?? 0) > 0 };
  return { outcome: 'not_found', purchaseId, firstRefusal: false };
}

/**
 * The giver starts refunding a gift nobody claimed: marks it so no claim can win from now on (only while unclaimed:
 * a claim that landed first wins, and the refund is refused). The purchase when this call (or an earlier one) did.
 */
export async function revokeGift(db: D1Database, purchaseId: string, giverId: string, now: number) {
  const [, row] = await db.batch<Record<string, unknown>>([
    db
      .prepare(
        `UPDATE gifts SET revoked_at = COALESCE(revoked_at, ?3)
         WHERE purchase_id = ?1 AND claimed_at IS NULL
           AND EXISTS (SELECT 1 FROM purchases p WHERE p.id = gifts.purchase_id AND p.buyer_id = ?2
                         AND p.owner_id IS NULL AND p.status = 'paid')`,
      )
      .bind(purchaseId, giverId, now),
    giftOfGiverStatement(db, purchaseId, giverId),
  ]);
  return (row?.results[0] as (GiftRow & PurchaseRow) | undefined) ?? null;
}

export interface GiftListRow extends GiftRow {
  amount: number;
  currency: string;
  status: PurchaseRow['status'];
  paid_at: number;
  refunded_amount: number;
  owner_id: string | null;
  series_id: string;
  episode_id: string | null;
  series_title: string;
  series_slug: string;
  handle: string;
  episode_title: string | null;
}

/** The gifts a giver paid for, newest first, at most 200 (`giver`: an SQL value). */
export const giftsSql = (giver: string) =>
  `SELECT g.*, p.amount, p.currency, p.status, p.paid_at, p.refunded_amount, p.owner_id, p.series_id, p.episode_id,
          s.title AS series_title, s.slug AS series_slug, c.handle, e.title AS episode_title
   FROM gifts g JOIN purchases p ON p.id = g.purchase_id JOIN series s ON s.id = p.series_id
   JOIN creators c ON c.id = p.creator_id LEFT JOIN episodes e ON e.id = p.episode_id
   WHERE p.buyer_id = ${giver} AND p.paid_at IS NOT NULL ORDER BY p.paid_at DESC, p.id LIMIT 200`;

/** Whether this ledger holds the gift of a link (`tokenHash`) or of a purchase of this giver's: to find its shard. */
export async function holdsGift(db: D1Database, gift: { tokenHash: string } | { purchaseId: string; giverId: string }) {
  const row =
    'tokenHash' in gift
      ? await db.prepare('SELECT 1 AS held FROM gifts WHERE token_hash = ?').bind(gift.tokenHash).first()
      : await giftOfGiverStatement(db, gift.purchaseId, gift.giverId).first();
  return row !== null;
}

/** Newest paid first, as `giftsSql` orders them: to merge the lists of several ledgers. */
export const giftOrder = (a: GiftListRow, b: GiftListRow) =>
  b.paid_at - a.paid_at || (a.purchase_id < b.purchase_id ? -1 : a.purchase_id > b.purchase_id ? 1 : 0);

/** The gifts a giver paid for (`giftsSql`), in one ledger. */
export async function listGifts(db: D1Database, giverId: string) {
  return (await db.prepare(giftsSql('?1')).bind(giverId).all<GiftListRow>()).results;
}

/** Where a gift stands, as its giver sees it (never what else the recipient owns). */
export function giftState(row: Pick<GiftListRow, 'status' | 'claimed_at' | 'refused_at' | 'revoked_at'>) {
  if (row.status === 'refunded') return 'refunded' as const;
  // The giver started a refund the provider has not made yet (unreachable): no claim can win, the giver retries.
  if (row.revoked_at !== null && row.claimed_at === null) return 'refunding' as const;
  if (row.claimed_at !== null) return 'claimed' as const;
  if (row.refused_at !== null) return 'recipient_owns' as const;
  return 'sent' as const;
}

/** The gift as the API shows its giver. */
export function toGift(row: GiftListRow) {
  return {
    purchaseId: row.purchase_id,
    kind: row.episode_id ? ('episode' as const) : ('series' as const),
    seriesId: row.series_id,
    episodeId: row.episode_id,
    title: row.episode_title ?? row.series_title,
    seriesTitle: row.series_title,
    handle: row.handle,
    recipientEmail: row.recipient_email,
    message: row.message,
    amount: row.amount,
    currency: row.currency,
    paidAt: new Date(row.paid_at).toISOString(),
    state: giftState(row),
    claimed: row.claimed_at !== null,
    claimedAt: row.claimed_at === null ? null : new Date(row.claimed_at).toISOString(),
    /** The recipient already had it: the claim was refused, and the giver may refund it. */
    recipientAlreadyOwned: row.refused_at !== null && row.claimed_at === null,
    sends: row.sends,
    canResend: giftState(row) === 'sent' || giftState(row) === 'recipient_owns',
    canRefund: row.claimed_at === null && row.status === 'paid',
  };
}

/** Everything a gift's mails need (to its recipient, or to its giver), in one read. */
export interface GiftMailRow {
  purchase_id: string;
  recipient_email: string;
  message: string | null;
  amount: number;
  currency: string;
  series_title: string;
  series_slug: string;
  handle: string;
  display_name: string;
  episode_title: string | null;
  episode_number: number | null;
  giver_email: string | null;
  /** The giver's address as the recipient may read it: only once its owner proved it theirs (else "Someone"). */
  giver_shown: string | null;
  giver_locale: Locale;
  /** The recipient's language when they have an account at that address; the giver's otherwise. */
  recipient_locale: Locale;
}

/**
 * The giver's address as a gift's mail and page name it: only a verified one, so nobody can send a gift in the
 * name of an address that is not theirs (`b`: the giver's users row).
 */
const SHOWN_GIVER = `CASE WHEN b.email_verified_at IS NOT NULL THEN b.email END`;

export function findGiftMail(db: D1Database, purchaseId: string) {
  return db
    .prepare(
      `SELECT g.purchase_id, g.recipient_email, g.message, p.amount, p.currency, s.title AS series_title,
              s.slug AS series_slug, c.handle, c.display_name, e.title AS episode_title,
              ${EPISODE_NUMBER} AS episode_number,
              b.email AS giver_email, ${SHOWN_GIVER} AS giver_shown, COALESCE(b.locale, 'en') AS giver_locale,
              COALESCE((SELECT r.locale FROM users r WHERE r.email = g.recipient_email), b.locale, 'en') AS recipient_locale
       FROM gifts g JOIN purchases p ON p.id = g.purchase_id JOIN series s ON s.id = p.series_id
       JOIN creators c ON c.id = p.creator_id LEFT JOIN users b ON b.id = p.buyer_id
       LEFT JOIN episodes e ON e.id = p.episode_id WHERE g.purchase_id = ?`,
    )
    .bind(purchaseId)
    .first<GiftMailRow>();
}

/** A gift by its link's token, for the claim page (what it is and from whom; never whether it can still be claimed). */
export function findGiftByToken(db: D1Database, tokenHash: string) {
  return db
    .prepare(
      `SELECT g.*, p.status, p.owner_id, p.series_id, p.episode_id, s.title AS series_title, s.slug AS series_slug,
              c.handle, c.display_name, e.title AS episode_title, ${SHOWN_GIVER} AS giver_email,
              (${CLAIMABLE('g', 'p')}) AS claimable,
              ${EPISODE_NUMBER} AS episode_number
       FROM gifts g JOIN purchases p ON p.id = g.purchase_id JOIN series s ON s.id = p.series_id
       JOIN creators c ON c.id = p.creator_id LEFT JOIN users b ON b.id = p.buyer_id
       LEFT JOIN episodes e ON e.id = p.episode_id WHERE g.token_hash = ?`,
    )
    .bind(tokenHash)
    .first<
      GiftRow & {
        status: PurchaseRow['status'];
        owner_id: string | null;
        series_id: string;
        episode_id: string | null;
        series_title: string;
        series_slug: string;
        handle: string;
        display_name: string;
        episode_title: string | null;
        giver_email: string | null;
        episode_number: number | null;
        claimable: number;
      }
    >();
}

/**
 * An account's gifts for its data export: those it gave (to whom, the message, claimed or not) and those it claimed
 * (the message; the giver's address is the giver's data).
 */
export const accountGiftsStatement = (db: D1Database, userId: string) =>
  db
    .prepare(
      `SELECT 'given' AS direction, g.purchase_id, g.recipient_email, g.message, g.created_at, g.claimed_at
       FROM gifts g JOIN purchases p ON p.id = g.purchase_id WHERE p.buyer_id = ?1
       UNION ALL
       SELECT 'received', g.purchase_id, NULL, g.message, g.created_at, g.claimed_at
       FROM gifts g JOIN purchases p ON p.id = g.purchase_id WHERE p.owner_id = ?1 AND g.claimed_at IS NOT NULL
       ORDER BY 5`,
    )
    .bind(userId);

/** An account's gifts (`accountGiftsStatement`) in a ledger other than the directory's own database. */
export async function exportGifts(db: D1Database, userId: string) {
  return (await accountGiftsStatement(db, userId).all<Record<string, unknown>>()).results;
}
