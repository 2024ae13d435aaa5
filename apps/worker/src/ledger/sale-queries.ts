import {
  bestPrice,
  bundlePriceFor,
  commissionSql,
  discountCovers,
  parseDiscounts,
  reducedPrice,
  splitPayout,
  type Currency,
} from '@series/core';
import { discountsInForce, episodeReady, onSale, seriesReady } from '../lib/rules.js';
import { utcDay } from '../lib/time.js';
import { isUniqueViolation, notFound } from '../lib/errors.js';
import { applyPending, pendingAdjustments } from './adjustment-queries.js';
import { addCheckout, addSale } from './rollup-queries.js';
import { commissionBpsOf, commissionStatement } from './commission-queries.js';
import { insertGiftStatement } from './gift-queries.js';
import { coversItemOf, ownedBy, ownsStatement, type PurchaseRow } from './queries.js';

export type CompletionOutcome =
  | 'completed'
  | 'already_completed'
  | 'already_owned'
  | 'expired'
  | 'cancelled'
  | 'refunded'
  | 'not_on_sale'
  | 'not_found';

export interface CompleteOptions {
  providerRef?: string | null;
  /** The provider's payment id, which later refunds and disputes name. */
  paymentRef?: string | null;
  now?: number;
  /**
   * Whether the provider has already taken the money (Stripe's webhook) rather than asking before it moves
   * (the test page's Pay). Either way a purchase completes only while its series is on sale (published, its
   * creator approved): the one sale-window rule of every provider. Before money moves, an expired checkout is
   * refused too; once it is captured, the provider's own session deadline was the one that counted. A captured
   * payment that completes nothing is closed here and must be refunded by the caller.
   */
  captured?: boolean;
  /**
   * The tax the payment included (prices are tax-inclusive): Stripe's `total_details.amount_tax`, or the test
   * provider's configured rate. Recorded on the purchase by the completing UPDATE, which takes the commission from
   * the amount net of it (core's `splitSale`, in SQL `commissionSql`), so creators are never paid the tax. 0: none.
   */
  tax?: number;
}

/**
 * Marks a pending purchase paid and adds it to the creator's rollups, exactly once.
 *
 * Every payment provider confirms through this function, any number of times and concurrently.
 * The UPDATE only succeeds from `pending`, and stamps a random completion id; the rollup statements
 * of the same batch select the purchase by that id, so they apply only if this call's UPDATE did.
 */
/** A purchase as its completion read it: with its creator's Stripe account (null without one). */
export type CompletedPurchase = PurchaseRow & { creator_stripe_account?: string | null };

export async function completePurchase(
  db: D1Database,
  purchaseId: string,
  { providerRef = null, paymentRef = null, now = Date.now(), captured = false, tax = 0 }: CompleteOptions = {},
): Promise<{ outcome: CompletionOutcome; purchase: CompletedPurchase | null }> {
  if (!Number.isSafeInteger(tax) || tax < 0) throw new RangeError('tax must be a non-negative integer');
  const completionId = crypto.randomUUID();
  // Never more than the amount paid (a provider reporting more would be an error of theirs, not a negative payout).
  const taxSql = 'MIN(CAST(?8 AS INTEGER), amount)';
  const day = utcDay(now);
  let results: D1Result<Record<string, unknown>>[];
  try {
    results = await db.batch<Record<string, unknown>>([
      db
        .prepare(
          `UPDATE purchases SET status = 'paid', paid_at = ?2, completion_id = ?3,
             provider_ref = COALESCE(?4, provider_ref), payment_ref = COALESCE(?7, payment_ref), updated_at = ?2,
             tax_amount = ${taxSql}, commission_amount = ${commissionSql('amount', taxSql, 'commission_bps')},
             payout_amount = amount - ${taxSql} - ${commissionSql('amount', taxSql, 'commission_bps')}
           WHERE id = ?1 AND status = 'pending' AND (?6 = 1 OR expires_at > ?5)
             AND EXISTS (SELECT 1 FROM series s JOIN creators c ON c.id = s.creator_id
                         WHERE s.id = purchases.series_id AND ${onSale()})
             AND NOT EXISTS (SELECT 1 FROM purchases o WHERE ${coversItemOf('o', 'purchases', 'purchases.owner_id')})`,
        )
        .bind(purchaseId, now, completionId, providerRef, now, captured ? 1 : 0, paymentRef, tax),
      ...addSale(db, purchaseId, day, completionId),
      // With its creator's Stripe account, where a separate charge's transfer goes (payments/transfers.ts).
      db
        .prepare(
          `SELECT p.*, c.stripe_account_id AS creator_stripe_account
           FROM purchases p LEFT JOIN creators c ON c.id = p.creator_id WHERE p.id = ?1`,
        )
        .bind(purchaseId),
      ...pendingAdjustments(db, purchaseId),
    ]);
  } catch (err) {
    // The one-paid-purchase-per-item index is the last line of defence; the batch rolled back whole.
    if (!isUniqueViolation(err, 'purchases.owner_id')) throw err;
    return {
      outcome: await settleUnpayable(db, purchaseId, now, 'already_owned'),
      purchase: await find(db, purchaseId),
    };
  }
  const pending = results.slice(-2);
  const purchase = (results.at(-3)?.results[0] as CompletedPurchase | undefined) ?? null;
  if (!purchase) return { outcome: 'not_found', purchase };
  const withAccount = (row: PurchaseRow | null): CompletedPurchase =>
    row ? { ...row, creator_stripe_account: purchase.creator_stripe_account } : purchase;
  if (results[0]?.meta.changes) {
    // Refunds or disputes that arrived before the sale are applied now, in their turn.
    const applied = await applyPending(db, purchaseId, pending);
    return { outcome: 'completed', purchase: withAccount(applied) };
  }
  if (purchase.status === 'paid' || purchase.status === 'refunded') {
    // A redelivery: finish what an earlier delivery may not have (refunds that arrived before the sale).
    const applied = withAccount(await applyPending(db, purchaseId, pending));
    if (purchase.status === 'refunded') return { outcome: 'refunded', purchase: applied };
    return { outcome: 'already_completed', purchase: applied };
  }
  if (purchase.status !== 'pending') return { outcome: purchase.status, purchase };
  const outcome = await settleUnpayable(db, purchaseId, now, await whyUnpayable(db, purchase, now, captured));
  return { outcome, purchase: await find(db, purchaseId) };
}

type Unpayable = 'expired' | 'already_owned' | 'not_on_sale';

async function whyUnpayable(db: D1Database, purchase: PurchaseRow, now: number, captured: boolean): Promise<Unpayable> {
  if (!captured && purchase.expires_at <= now) return 'expired';
  const stillOnSale = await db
    .prepare(
      `SELECT 1 AS ok FROM series s JOIN creators c ON c.id = s.creator_id
       WHERE s.id = ? AND ${onSale()}`,
    )
    .bind(purchase.series_id)
    .first();
  return stillOnSale ? 'already_owned' : 'not_on_sale';
}

/** Closes a pending purchase that can no longer be paid, and says how it ended. */
async function settleUnpayable(
  db: D1Database,
  purchaseId: string,
  now: number,
  reason: Unpayable,
): Promise<CompletionOutcome> {
  await db
    .prepare(
      `UPDATE purchases SET status = ?2, status_reason = ?3, updated_at = ?4 WHERE id = ?1 AND status = 'pending'`,
    )
    .bind(purchaseId, reason === 'expired' ? 'expired' : 'cancelled', reason, now)
    .run();
  const row = await find(db, purchaseId);
  if (row?.status === 'paid') return 'already_completed';
  return reason;
}

/**
 * Ends a pending purchase unpaid: the buyer cancelled, the provider's session expired or its payment failed, or
 * its series went off sale and its checkout was closed at the provider.
 */
export async function cancelPurchase(
  db: D1Database,
  purchaseId: string,
  now = Date.now(),
  reason: 'cancelled_by_buyer' | 'expired' | 'payment_failed' | 'not_on_sale' = 'cancelled_by_buyer',
): Promise<PurchaseRow | null> {
  await db
    .prepare(
      `UPDATE purchases SET status = ?3, status_reason = ?4, updated_at = ?2 WHERE id = ?1 AND status = 'pending'`,
    )
    .bind(purchaseId, now, reason === 'expired' ? 'expired' : 'cancelled', reason)
    .run();
  return find(db, purchaseId);
}

/** Whose open checkouts a closed sale window concerns: a creator's (suspended), or one series' (off sale). */
export interface SaleScope {
  creatorId: string;
  seriesId: string | null;
}

/**
 * The pending purchases of a creator (or of one of their series) whose series is off sale now, oldest id first
 * after `after`: the checkouts to close at the provider. Re-checked at the time of asking, so a creator approved
 * again (or a series published again) since the window closed keeps its checkouts.
 */
export async function openCheckoutsOffSale(db: D1Database, scope: SaleScope, after: string, limit: number) {
  const { results } = await db
    .prepare(
      `SELECT p.* FROM purchases p JOIN series s ON s.id = p.series_id JOIN creators c ON c.id = s.creator_id
       WHERE s.creator_id = ?1 AND (?2 IS NULL OR s.id = ?2) AND p.status = 'pending' AND p.id > ?3
         AND NOT (${onSale()})
       ORDER BY p.id LIMIT ?4`,
    )
    .bind(scope.creatorId, scope.seriesId, after, limit)
    .all<PurchaseRow>();
  return results;
}

function find(db: D1Database, purchaseId: string) {
  return db.prepare('SELECT * FROM purchases WHERE id = ?').bind(purchaseId).first<PurchaseRow>();
}

export interface SaleItem {
  creatorId: string;
  creatorUserId: string;
  stripeAccountId: string | null;
  stripeChargesEnabled: number;
  seriesId: string;
  episodeId: string | null;
  currency: Currency;
  /** What this buyer is charged: the episode's price, or the whole series' priced for them (`bundlePriceFor`). */
  price: number | null;
  /** The list price: the episode's, or the whole series' before what the buyer already paid for its episodes. */
  fullPrice: number | null;
  /**
   * The temporary discount in force that gives the lowest price (discounts never stack), and what it takes off the
   * list price; for a whole series the buyer's credit for episodes owned applies after it (`bundlePriceFor`).
   */
  discount: { id: string; amount: number; endsAt: number } | null;
  /**
   * The buyer's promo code, when it gives a lower price than every discount (`withPromoCode`): `discount` is then
   * null and this says what the code took off the list price.
   */
  promoCode: { id: string; code: string; amount: number } | null;
  /** What the buyer paid for the series' episodes they own (the "complete the series" credit of a whole series). */
  paidForOwned: number;
  /** Whether it can be sold now: the episode's video is installed, or the series has a premium episode that is. */
  ready: boolean;
  description: string;
}

/**
 * What a buyer paid for the episodes of a series that they own now, net of refunds (a chargeback open or lost
 * gives nothing), as an SQL expression of a buyer and a series: "buy all" costs the whole-series price less this
 * (`bundlePriceFor` in packages/core). Only what they paid themselves: an episode they were given was paid by its
 * giver, whose refund could take it back after the credit was spent. Written here only; every per-buyer bundle
 * price comes through `findSaleItem`.
 */
const paidForOwnedEpisodes = (buyer: string, series: string) =>
  `COALESCE((SELECT SUM(amount - refunded_amount) FROM purchases
     WHERE ${ownedBy(buyer)} AND buyer_id = ${buyer} AND series_id = ${series} AND episode_id IS NOT NULL), 0)`;

function saleItemStatement(
  db: D1Database,
  item: { episodeId: string } | { seriesId: string },
  buyerId: string | null,
  now: number,
): D1PreparedStatement {
  const creator = `c.id AS creator_id, c.user_id AS creator_user_id, c.stripe_account_id, c.stripe_charges_enabled`;
  return 'episodeId' in item
    ? db
        .prepare(
          `SELECT ${creator}, s.id AS series_id, e.id AS episode_id, s.currency, e.price AS full_price,
                  0 AS paid_for_owned, ${episodeReady('e')} AS ready, s.title || ' — ' || e.title AS description,
                  ${discountsInForce('s.id', '?2')} AS discounts
           FROM episodes e JOIN series s ON s.id = e.series_id JOIN creators c ON c.id = s.creator_id
           WHERE e.id = ?1 AND ${onSale()}`,
        )
        .bind(item.episodeId, now)
    : db
        .prepare(
          `SELECT ${creator}, s.id AS series_id, NULL AS episode_id, s.currency, s.bundle_price AS full_price,
                  ${paidForOwnedEpisodes('?2', 's.id')} AS paid_for_owned, ${seriesReady('s')} AS ready,
                  s.title || ' — whole series' AS description, ${discountsInForce('s.id', '?3')} AS discounts
           FROM series s JOIN creators c ON c.id = s.creator_id WHERE s.id = ?1 AND ${onSale()}`,
        )
        .bind(item.seriesId, buyerId, now);
}

const readSaleItem = (
  db: D1Database,
  item: { episodeId: string } | { seriesId: string },
  buyerId: string | null,
  now = Date.now(),
) => saleItemStatement(db, item, buyerId, now).first<Record<string, unknown>>();

function toSaleItem(row: Record<string, unknown>): SaleItem {
  const currency = row.currency as Currency;
  const fullPrice = row.full_price as number | null;
  const episodeId = row.episode_id as string | null;
  const offers = parseDiscounts(row.discounts).filter((d) => discountCovers(d, episodeId));
  const best = fullPrice === null ? null : bestPrice(fullPrice, offers, currency);
  const salePrice = best?.price ?? fullPrice;
  const paidForOwned = (row.paid_for_owned as number) ?? 0;
  return {
    creatorId: row.creator_id as string,
    creatorUserId: row.creator_user_id as string,
    stripeAccountId: row.stripe_account_id as string | null,
    stripeChargesEnabled: row.stripe_charges_enabled as number,
    seriesId: row.series_id as string,
    episodeId,
    currency,
    price: salePrice === null || episodeId ? salePrice : bundlePriceFor(salePrice, paidForOwned, currency),
    fullPrice,
    discount: best ? { id: best.offer.id, amount: fullPrice! - best.price, endsAt: best.offer.endsAt } : null,
    promoCode: null,
    paidForOwned,
    ready: row.ready === 1,
    description: String(row.description).slice(0, 250),
  };
}

/**
 * The item priced with the buyer's promo code too: the code and the discounts in force do not stack, the lower
 * price wins (a code that gives no lower price is not used: the item is returned as it was); "complete the series"
 * applies after it.
 */
export function withPromoCode(item: SaleItem, code: PromoCodeRow): SaleItem {
  if (item.fullPrice === null) return item;
  const salePrice = item.fullPrice - (item.discount?.amount ?? 0);
  const withCode = reducedPrice(item.fullPrice, code, item.currency);
  if (withCode >= salePrice) return item;
  return {
    ...item,
    price: item.episodeId ? withCode : bundlePriceFor(withCode, item.paidForOwned, item.currency),
    discount: null,
    promoCode: { id: code.id, code: code.code, amount: item.fullPrice - withCode },
  };
}

/**
 * What is on sale right now, priced from the database (never from the client): an episode at its price, the
 * whole series at its price for this buyer (less what they paid for its episodes they own), each after the best
 * temporary discount in force.
 */
export async function findSaleItem(
  db: D1Database,
  item: { episodeId: string } | { seriesId: string },
  buyerId: string | null = null,
): Promise<SaleItem> {
  const row = await readSaleItem(db, item, buyerId);
  if (!row) throw notFound('episodeId' in item ? 'Episode' : 'Series');
  return toSaleItem(row);
}

/** "Buy all" as one buyer (or anyone signed out) would be charged for it now, or null when it is not on offer. */
export async function bundleOfferFor(db: D1Database, seriesId: string, buyerId: string | null) {
  const row = await readSaleItem(db, { seriesId }, buyerId);
  return bundleOfferOf(row ? toSaleItem(row) : null);
}

/**
 * What a buyer is offered for a locked episode, in one round trip: the episode at what checkout charges now (after
 * a temporary discount in force; null when it is not on sale) and "buy all" at their price (`bundleOfferFor`).
 */
export async function buyOptionsFor(db: D1Database, episodeId: string, seriesId: string, buyerId: string) {
  const now = Date.now();
  const [episode, series] = await db.batch<Record<string, unknown>>([
    saleItemStatement(db, { episodeId }, buyerId, now),
    saleItemStatement(db, { seriesId }, buyerId, now),
  ]);
  const ep = episode?.results[0] ? toSaleItem(episode.results[0]) : null;
  return {
    episodeAmount: ep?.price ?? null,
    wholeSeries: bundleOfferOf(series?.results[0] ? toSaleItem(series.results[0]) : null),
  };
}

function bundleOfferOf(item: SaleItem | null) {
  if (!item || item.price === null || item.fullPrice === null || !item.ready) return null;
  return {
    amount: item.price,
    /**
     * The whole-series price before this buyer's credit for the episodes they own (after a temporary discount in
     * force, which the public page shows): `amount` below it is "complete the series".
     */
    fullAmount: item.fullPrice - (item.discount?.amount ?? 0),
    currency: item.currency,
  };
}

/**
 * A purchase of a promo code that holds or used one of its redemptions: paid at some point (refunded since or
 * not), or a checkout still open. An expired or cancelled checkout holds nothing: its redemption is released.
 */
const redemptionLive = (p: string, now: string) =>
  `(${p}.paid_at IS NOT NULL OR (${p}.status = 'pending' AND ${p}.expires_at > ${now}))`;

/** A promo code as a checkout reads it, with its live redemptions and whether this buyer holds one. */
export interface PromoCodeRow {
  id: string;
  creator_id: string;
  series_id: string | null;
  code: string;
  kind: 'percent' | 'fixed';
  value: number;
  expires_at: number | null;
  max_redemptions: number | null;
  paused: number;
  held: number;
  used: number;
}

/** Every creator's code written so (codes are unique per creator), for the checkout to tell why one does not apply. */
function promoCodeStatement(db: D1Database, code: string, buyerId: string, now: number) {
  return db
    .prepare(
      `SELECT p.id, p.creator_id, p.series_id, p.code, p.kind, p.value, p.expires_at, p.max_redemptions, p.paused,
         (SELECT COUNT(*) FROM purchases u WHERE u.promo_code_id = p.id AND ${redemptionLive('u', '?3')}) AS held,
         EXISTS (SELECT 1 FROM purchases u WHERE u.promo_code_id = p.id AND u.buyer_id = ?2
                   AND ${redemptionLive('u', '?3')}) AS used
       FROM promo_codes p WHERE p.code = ?1 LIMIT 50`,
    )
    .bind(code, buyerId, now);
}

/** The promo code rows for a code typed at checkout (`promoCodeStatement`), read alone: after a refused INSERT. */
export async function readPromoCode(db: D1Database, code: string, buyerId: string, now = Date.now()) {
  return (await promoCodeStatement(db, code, buyerId, now).all<PromoCodeRow>()).results;
}

/** A purchase read by its buyer's Idempotency-Key, with its gift's recipient (null: not a gift). */
export type KeyedPurchase = PurchaseRow & { gift_recipient: string | null };

/** The buyer's purchase started with this Idempotency-Key, if any, with its gift's recipient (null: not a gift). */
const byKeyStatement = (db: D1Database, buyerId: string, key: string) =>
  db
    .prepare(
      `SELECT p.*, (SELECT g.recipient_email FROM gifts g WHERE g.purchase_id = p.id) AS gift_recipient
       FROM purchases p WHERE p.buyer_id = ? AND p.idempotency_key = ?`,
    )
    .bind(buyerId, key);

export interface CheckoutReads {
  /** The buyer's purchase started with this Idempotency-Key, if any, and to whom it is a gift (null: to nobody). */
  previous: KeyedPurchase | null;
  /** The item on sale now, priced for this buyer; null when there is none (not found, or not on sale). */
  item: SaleItem | null;
  /** Whether the buyer owns the item already (always false for a gift: what the giver owns does not matter). */
  owned: boolean;
  /** The commission in force, which a new purchase copies. */
  commissionBps: number;
  /** Every creator's code written as the buyer typed it (`promoCodeStatement`); null when none was given. */
  promoCodes: PromoCodeRow[] | null;
}

/**
 * Everything a checkout decides on, read in one round trip: the buyer's purchase for this key, the item as the
 * ledger prices it, whether they own it already, and the commission in force. A gift (`forGift`) is priced as for
 * anyone (the giver's "complete the series" credit is theirs, not the recipient's), and the giver may own it.
 */
export async function readCheckout(
  db: D1Database,
  item: { episodeId: string } | { seriesId: string },
  buyerId: string,
  key: string,
  now = Date.now(),
  promoCode: string | null = null,
  forGift = false,
  /**
   * The commission in force, read from the directory with the item's placement (`placedItemStatements`); null when
   * the ledger is the directory's own database, where it is read in this same batch.
   */
  commissionBps: number | null = null,
): Promise<CheckoutReads> {
  // The reads this checkout needs, in one batch: a code only when one was typed, ownership only for oneself.
  const [previous, sale, ...rest] = await db.batch<Record<string, unknown>>([
    byKeyStatement(db, buyerId, key),
    saleItemStatement(db, item, forGift ? null : buyerId, now),
    ...(promoCode === null ? [] : [promoCodeStatement(db, promoCode, buyerId, now)]),
    ...(forGift ? [] : [ownsStatement(db, buyerId, item)]),
    ...(commissionBps === null ? [commissionStatement(db)] : []),
  ]);
  const codes = promoCode === null ? undefined : rest.shift();
  const owned = forGift ? undefined : rest.shift();
  const commission = commissionBps === null ? rest.shift() : undefined;
  const saleRow = sale!.results[0];
  return {
    previous: (previous!.results[0] as KeyedPurchase | undefined) ?? null,
    item: saleRow ? toSaleItem(saleRow) : null,
    owned: (owned?.results.length ?? 0) > 0,
    commissionBps: commissionBps ?? commissionBpsOf(commission!.results[0] as { bps: number } | undefined),
    promoCodes: promoCode === null ? null : (codes!.results as unknown as PromoCodeRow[]),
  };
}

export interface PurchaseStart {
  id: string;
  buyerId: string;
  item: SaleItem & { price: number };
  itemKey: string;
  idempotencyKey: string;
  /** The commission in force (`currentCommissionBps`): copied onto the purchase, so later changes never rewrite it. */
  commissionBps: number;
  provider: string;
  expiresAt: number;
  returnTo: string | null;
  source: string | null;
  /** Stripe with tax on: a separate charge on the platform, its creator paid by a Transfer after payment. */
  separateCharge?: boolean;
  /** Bought for someone else: owned by nobody until its recipient claims it (`gift-queries.ts`). */
  gift?: boolean;
}

/** The pending purchase a checkout starts, at the database's price split between commission and payout. */
export function pendingPurchase(p: PurchaseStart, now = Date.now()): PurchaseRow {
  const { commission, payout } = splitPayout(p.item.price, p.commissionBps);
  return {
    id: p.id,
    buyer_id: p.buyerId,
    owner_id: p.gift ? null : p.buyerId,
    creator_id: p.item.creatorId,
    series_id: p.item.seriesId,
    episode_id: p.item.episodeId,
    item_key: p.itemKey,
    amount: p.item.price,
    currency: p.item.currency,
    commission_bps: p.commissionBps,
    commission_amount: commission,
    payout_amount: payout,
    status: 'pending',
    status_reason: null,
    provider: p.provider,
    provider_ref: null,
    idempotency_key: p.idempotencyKey,
    completion_id: null,
    created_at: now,
    expires_at: p.expiresAt,
    paid_at: null,
    updated_at: now,
    checkout_url: null,
    payment_ref: null,
    refunded_amount: 0,
    dispute_state: null,
    return_to: p.returnTo,
    source: p.source,
    list_amount: p.item.fullPrice ?? p.item.price,
    discount_amount: p.item.discount?.amount ?? p.item.promoCode?.amount ?? 0,
    discount_id: p.item.discount?.id ?? null,
    promo_code_id: p.item.promoCode?.id ?? null,
    // Known when the payment completes (the buyer's address decides it); until then the split is of the amount.
    tax_amount: 0,
    separate_charge: p.separateCharge ? 1 : 0,
    transfer_ref: null,
    transfer_reversed: 0,
  };
}

/**
 * Records a pending purchase (`pendingPurchase`, with the provider's payment page when it has one) and counts its
 * checkout in the funnels, in one round trip; once per buyer and Idempotency-Key: a concurrent request with the
 * same key finds the first one's row, which is what this returns. A purchase with a promo code is recorded only
 * while the code holds: not paused nor expired, under its maximum of live redemptions, none held by this buyer
 * (conditions of the INSERT, so concurrent checkouts cannot pass them); null when it did not.
 */
export async function insertPurchase(
  db: D1Database,
  row: PurchaseRow,
  gift: { email: string; message: string | null } | null = null,
): Promise<KeyedPurchase | null> {
  const results = await db.batch([
    db
      .prepare(
        `INSERT INTO purchases (id, buyer_id, creator_id, series_id, episode_id, item_key, amount, currency,
           commission_bps, commission_amount, payout_amount, status, provider, idempotency_key,
           created_at, expires_at, updated_at, return_to, source, checkout_url, provider_ref,
           list_amount, discount_amount, discount_id, promo_code_id, separate_charge, owner_id)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'pending', ?12, ?13, ?14, ?15, ?14, ?16, ?17, ?18, ?19,
           ?20, ?21, ?22, ?23, ?24, ?25
         WHERE ?23 IS NULL OR EXISTS (
           SELECT 1 FROM promo_codes p WHERE p.id = ?23 AND p.paused = 0 AND (p.expires_at IS NULL OR p.expires_at > ?14)
             AND (p.max_redemptions IS NULL OR p.max_redemptions >
                  (SELECT COUNT(*) FROM purchases u WHERE u.promo_code_id = p.id AND ${redemptionLive('u', '?14')}))
             AND NOT EXISTS (SELECT 1 FROM purchases u WHERE u.promo_code_id = p.id AND u.buyer_id = ?2
                               AND ${redemptionLive('u', '?14')}))
         ON CONFLICT (buyer_id, idempotency_key) DO NOTHING`,
      )
      .bind(
        row.id,
        row.buyer_id,
        row.creator_id,
        row.series_id,
        row.episode_id,
        row.item_key,
        row.amount,
        row.currency,
        row.commission_bps,
        row.commission_amount,
        row.payout_amount,
        row.provider,
        row.idempotency_key,
        row.created_at,
        row.expires_at,
        row.return_to,
        row.source,
        row.checkout_url,
        row.provider_ref,
        row.list_amount ?? row.amount,
        row.discount_amount ?? 0,
        row.discount_id ?? null,
        row.promo_code_id ?? null,
        row.separate_charge ?? 0,
        row.owner_id === undefined ? row.buyer_id : row.owner_id,
      ),
    ...(gift ? [insertGiftStatement(db, row.id, gift, row.created_at)] : []),
    ...addCheckout(db, row.id, utcDay(row.created_at)),
    byKeyStatement(db, row.buyer_id!, row.idempotency_key),
  ]);
  return (results.at(-1)!.results[0] as KeyedPurchase | undefined) ?? null;
}

/** Stores the provider's payment page for a purchase, once: retries get the first page. */
export function attachCheckout(db: D1Database, purchaseId: string, started: { url: string; ref: string | null }) {
  return db
    .prepare(
      `UPDATE purchases SET checkout_url = COALESCE(checkout_url, ?2), provider_ref = COALESCE(provider_ref, ?3)
       WHERE id = ?1 RETURNING *`,
    )
    .bind(purchaseId, started.url, started.ref)
    .first<PurchaseRow>();
}
