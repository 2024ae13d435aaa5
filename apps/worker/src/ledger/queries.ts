import type { Currency } from '@series/core';
import { isoOrNull } from '../lib/time.js';

export type PurchaseStatus = 'pending' | 'paid' | 'cancelled' | 'expired' | 'refunded';

export interface PurchaseRow {
  id: string;
  /** Who paid (a gift's giver): the rollups, receipts and refund requests are theirs. */
  buyer_id: string | null;
  /**
   * Who holds what it entitles (migration 0034): the buyer, or a gift's recipient once claimed (null until then, and
   * once the account is deleted). Every ownership rule reads this (`ownedBy`).
   */
  owner_id?: string | null;
  creator_id: string;
  series_id: string;
  episode_id: string | null;
  item_key: string;
  amount: number;
  currency: Currency;
  commission_bps: number;
  commission_amount: number;
  payout_amount: number;
  status: PurchaseStatus;
  status_reason: string | null;
  provider: string;
  provider_ref: string | null;
  idempotency_key: string;
  completion_id: string | null;
  created_at: number;
  expires_at: number;
  paid_at: number | null;
  updated_at: number;
  checkout_url: string | null;
  payment_ref: string | null;
  refunded_amount: number;
  dispute_state: 'open' | 'won' | 'lost' | null;
  /** The storefront page the checkout started on (a path on our origin), where the buyer comes back. */
  return_to: string | null;
  source: string | null;
  /**
   * What the buyer was offered (migration 0027): the list price (the episode's, or the whole series' before their
   * "complete the series" credit; null on older purchases, whose list price was their amount), what a discount
   * took off it, and which discount.
   */
  list_amount?: number | null;
  discount_amount?: number;
  discount_id?: string | null;
  /** The promo code whose redemption this purchase holds or used (migration 0028). */
  promo_code_id?: string | null;
  /** The tax included in amount, recorded when the payment completes (migration 0033; 0 where none applies). */
  tax_amount?: number;
  /**
   * Migration 0040: a Stripe sale made while the deploy collects tax, charged on the platform (1) rather than as a
   * destination charge; the Transfer that paid its creator their payout after payment, and what refunds took back.
   */
  separate_charge?: number;
  transfer_ref?: string | null;
  transfer_reversed?: number;
}

/** Where the buyer lands after paying or cancelling a storefront checkout: its page, told which purchase. */
export const returnUrl = (row: Pick<PurchaseRow, 'id' | 'return_to'>) =>
  row.return_to ? `${row.return_to}${row.return_to.includes('?') ? '&' : '?'}purchase=${row.id}` : null;

// Shared with the extension, which files its open checkouts under the same keys.
export { itemKey } from '@series/core';

/** The purchase as its buyer sees it (no provider internals). */
export function toPurchase(row: PurchaseRow, now = Date.now()) {
  // A checkout past its window is closed whether or not anyone has tried to pay it since.
  const lapsed = row.status === 'pending' && row.expires_at <= now;
  return {
    id: row.id,
    kind: row.episode_id ? ('episode' as const) : ('series' as const),
    seriesId: row.series_id,
    episodeId: row.episode_id,
    amount: row.amount,
    /** The list price, before any discount (and, for a whole series, before the buyer's credit for episodes owned). */
    listAmount: row.list_amount ?? row.amount,
    /** What a temporary discount took off the list price. */
    discountAmount: row.discount_amount ?? 0,
    /** The tax included in amount (prices are tax-inclusive); 0 where none applies. */
    taxAmount: row.tax_amount ?? 0,
    currency: row.currency,
    status: lapsed ? ('expired' as const) : row.status,
    statusReason: lapsed ? 'expired' : row.status_reason,
    refundedAmount: row.refunded_amount,
    /** Whether this purchase gives access now (a chargeback in progress suspends it). */
    active: row.status === 'paid' && (row.dispute_state === null || row.dispute_state === 'won'),
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
    paidAt: isoOrNull(row.paid_at),
    /** Bought as a gift (for someone else: owned by its recipient once claimed). */
    gift: row.owner_id !== undefined && row.owner_id !== row.buyer_id,
  };
}

/**
 * SQL condition on a purchases row: it was sold (paid at some point, refunded or disputed since or not). A
 * sold item stays: its buyers keep what they paid for, and the ledger keeps the sale.
 */
export const SOLD = `paid_at IS NOT NULL`;

const column = (p: string | undefined, name: string) => (p ? `${p}.${name}` : name);

/** SQL condition on a purchases row (alias `p`, or none): it gives access (paid, and no chargeback open or lost). */
export const entitlesSql = (p?: string) =>
  `${column(p, 'status')} = 'paid' AND (${column(p, 'dispute_state')} IS NULL OR ${column(p, 'dispute_state')} = 'won')`;
export const ENTITLES = entitlesSql();

/**
 * SQL condition on a purchases row (alias `p`, or none): it gives `user` (an SQL value) access now. Its owner is the
 * buyer, or a gift's recipient once claimed (an unclaimed gift owns nothing): the one ownership rule of access, the
 * library, the storefront and reviews.
 */
export const ownedBy = (user: string, p?: string) => `${column(p, 'owner_id')} = ${user} AND ${entitlesSql(p)}`;

/**
 * SQL condition on purchases `o`: it already gives `owner` (an SQL value) the item of purchase `p` (the same item,
 * or the whole series of an episode): a checkout completing or a gift being claimed for them is refused then.
 */
export const coversItemOf = (o: string, p: string, owner: string) =>
  `${column(o, 'owner_id')} = ${owner} AND ${column(o, 'status')} = 'paid'
     AND (${o}.item_key = ${p}.item_key OR (${o}.episode_id IS NULL AND ${o}.series_id = ${p}.series_id))`;

/** A paid purchase gives the owner this episode, bought alone or with its whole series (`series`: an SQL value). */
export const ownsEpisodeSql = (buyer: string, episode: string, series: string) =>
  `SELECT 1 AS owned FROM purchases WHERE ${ownedBy(buyer)}
     AND (episode_id = ${episode} OR (episode_id IS NULL AND series_id = ${series})) LIMIT 1`;

const OWNS_SERIES = `SELECT 1 AS owned FROM purchases WHERE ${ownedBy('?1')} AND episode_id IS NULL AND series_id = ?2 LIMIT 1`;

export async function ownsEpisode(db: D1Database, buyerId: string, episodeId: string, seriesId: string) {
  const row = await db
    .prepare(ownsEpisodeSql('?1', '?2', '?3'))
    .bind(buyerId, episodeId, seriesId)
    .first<{ owned: number }>();
  return row !== null;
}

export async function ownsSeries(db: D1Database, buyerId: string, seriesId: string) {
  return (await ownsStatement(db, buyerId, { seriesId }).first<{ owned: number }>()) !== null;
}

/** Whether the buyer owns an item, as a statement to batch: a row `{ owned: 1 }` when they do, none otherwise. */
export function ownsStatement(db: D1Database, buyerId: string, item: { episodeId: string } | { seriesId: string }) {
  return 'episodeId' in item
    ? db
        .prepare(ownsEpisodeSql('?1', '?2', '(SELECT series_id FROM episodes WHERE id = ?2)'))
        .bind(buyerId, item.episodeId)
    : db.prepare(OWNS_SERIES).bind(buyerId, item.seriesId);
}

/** One purchase of a buyer's, any status (`purchase`, `buyer`: SQL values); someone else's reads as missing. */
export const buyerPurchaseSql = (purchase: string, buyer: string) =>
  `SELECT * FROM purchases WHERE id = ${purchase} AND buyer_id = ${buyer}`;

export interface ReceiptRow extends PurchaseRow {
  series_title: string;
  series_slug: string;
  handle: string;
  display_name: string;
  episode_title: string | null;
  episode_number: number | null;
}

/** 1-based number of a purchase's episode in its series' current order (null for a whole-series purchase). */
export const EPISODE_NUMBER = `CASE WHEN e.id IS NULL THEN NULL ELSE 1 + (SELECT COUNT(*) FROM episodes o WHERE o.series_id = e.series_id
  AND (o.position, o.created_at, o.id) < (e.position, e.created_at, e.id)) END`;

const RECEIPT_SELECT = `SELECT p.*, s.title AS series_title, s.slug AS series_slug, s.cover_url, c.handle, c.display_name,
    e.title AS episode_title, ${EPISODE_NUMBER} AS episode_number
  FROM purchases p JOIN series s ON s.id = p.series_id JOIN creators c ON c.id = p.creator_id
  LEFT JOIN episodes e ON e.id = p.episode_id`;

/**
 * Everything a person owns ("Purchased content"): what they bought and the gifts they claimed, newest first (`buyer`:
 * an SQL value). `gift_received` marks a claimed gift, whose receipt is its giver's.
 */
export const librarySql = (buyer: string) =>
  `${RECEIPT_SELECT.replace('SELECT p.*,', 'SELECT p.*, p.buyer_id IS NOT p.owner_id AS gift_received,')}
   WHERE p.owner_id = ${buyer} AND p.status = 'paid' ORDER BY p.paid_at DESC, p.id`;

export type LibraryRow = ReceiptRow & { cover_url: string | null; gift_received?: number };

/** One of the buyer's purchases, any status (`buyerPurchaseSql`), read alone. */
export function findBuyerPurchase(db: D1Database, purchaseId: string, buyerId: string) {
  return db.prepare(buyerPurchaseSql('?1', '?2')).bind(purchaseId, buyerId).first<PurchaseRow>();
}

/** Newest paid first, as `librarySql` orders one ledger's: the order of a library merged from several. */
export const libraryOrder = (a: LibraryRow, b: LibraryRow) =>
  (b.paid_at ?? 0) - (a.paid_at ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The buyer's library: the API's list and the library page. */
export async function listLibrary(db: D1Database, buyerId: string) {
  const { results } = await db.prepare(librarySql('?')).bind(buyerId).all<LibraryRow>();
  return results;
}

/** One purchase of this buyer's, for its receipt; someone else's is indistinguishable from a missing one. */
export function findReceipt(db: D1Database, purchaseId: string, buyerId: string) {
  return db
    .prepare(`${RECEIPT_SELECT} WHERE p.id = ?1 AND p.buyer_id = ?2`)
    .bind(purchaseId, buyerId)
    .first<ReceiptRow & { cover_url: string | null }>();
}
