import { utcDay } from '../lib/time.js';
import { isUniqueViolation } from '../lib/errors.js';
import { applyAdjustments } from '../payments/adjustments.js';
import type { PurchaseRow } from './rows.js';

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
   * Before money moves (the test page's Pay), refuse an expired checkout or one whose series went off sale
   * (unpublished, creator suspended). Providers confirming money already captured pass false.
   */
  enforceSaleWindow?: boolean;
}

/**
 * Marks a pending purchase paid and adds it to the creator's rollups, exactly once.
 *
 * Every payment provider confirms through this function, any number of times and concurrently.
 * The UPDATE only succeeds from `pending`, and stamps a random completion id; the rollup statements
 * of the same batch select the purchase by that id, so they apply only if this call's UPDATE did.
 */
export async function completePurchase(
  db: D1Database,
  purchaseId: string,
  { providerRef = null, paymentRef = null, now = Date.now(), enforceSaleWindow = true }: CompleteOptions = {},
): Promise<{ outcome: CompletionOutcome; purchase: PurchaseRow | null }> {
  const completionId = crypto.randomUUID();
  const day = utcDay(now);
  let results: D1Result[];
  try {
    results = await db.batch([
      db
        .prepare(
          `UPDATE purchases SET status = 'paid', paid_at = ?2, completion_id = ?3,
             provider_ref = COALESCE(?4, provider_ref), payment_ref = COALESCE(?7, payment_ref), updated_at = ?2
           WHERE id = ?1 AND status = 'pending' AND expires_at > ?5
             AND (?6 = 0 OR EXISTS (SELECT 1 FROM series s JOIN creators c ON c.id = s.creator_id
                                    WHERE s.id = purchases.series_id AND s.status = 'published' AND c.status = 'approved'))
             AND NOT EXISTS (SELECT 1 FROM purchases o WHERE o.buyer_id = purchases.buyer_id AND o.status = 'paid'
               AND (o.item_key = purchases.item_key OR (o.episode_id IS NULL AND o.series_id = purchases.series_id)))`,
        )
        .bind(purchaseId, now, completionId, providerRef, enforceSaleWindow ? now : 0, enforceSaleWindow ? 1 : 0, paymentRef),
      db
        .prepare(
          `INSERT INTO sales_daily (creator_id, currency, day, series_id, episode_id, sales, gross, commission, payout)
           SELECT creator_id, currency, ?2, series_id, COALESCE(episode_id, ''), 1, amount, commission_amount, payout_amount
           FROM purchases WHERE id = ?1 AND completion_id = ?3
           ON CONFLICT (creator_id, day, currency, series_id, episode_id) DO UPDATE SET
             sales = sales + excluded.sales, gross = gross + excluded.gross,
             commission = commission + excluded.commission, payout = payout + excluded.payout`,
        )
        .bind(purchaseId, day, completionId),
      ...recordBuyerDay(db, purchaseId, day, completionId),
      // The storefront's per-source funnel (migration 0013): a sale counts for the link the checkout came from.
      db
        .prepare(
          `INSERT INTO source_daily (creator_id, day, series_id, source, purchases)
           SELECT creator_id, ?2, series_id, source, 1 FROM purchases WHERE id = ?1 AND completion_id = ?3 AND source IS NOT NULL
           ON CONFLICT (creator_id, day, series_id, source) DO UPDATE SET purchases = purchases + 1`,
        )
        .bind(purchaseId, day, completionId),
      db.prepare('SELECT * FROM purchases WHERE id = ?1').bind(purchaseId),
    ]);
  } catch (err) {
    // The one-paid-purchase-per-item index is the last line of defence; the batch rolled back whole.
    if (!isUniqueViolation(err, 'purchases.buyer_id')) throw err;
    return { outcome: await settleUnpayable(db, purchaseId, now, 'already_owned'), purchase: await find(db, purchaseId) };
  }
  const purchase = (results.at(-1)?.results[0] as PurchaseRow | undefined) ?? null;
  if (!purchase) return { outcome: 'not_found', purchase };
  if (results[0]?.meta.changes) {
    // Refunds or disputes that arrived before the sale are applied now, in their turn.
    if (purchase.payment_ref) await applyAdjustments(db, purchase.payment_ref);
    return { outcome: 'completed', purchase: (await find(db, purchaseId)) ?? purchase };
  }
  if (purchase.status === 'paid' || purchase.status === 'refunded') {
    // A redelivery: finish what an earlier delivery may not have (refunds that arrived before the sale).
    if (purchase.payment_ref) await applyAdjustments(db, purchase.payment_ref);
    if (purchase.status === 'refunded') return { outcome: 'refunded', purchase };
    return { outcome: 'already_completed', purchase };
  }
  if (purchase.status !== 'pending') return { outcome: purchase.status, purchase };
  const outcome = await settleUnpayable(db, purchaseId, now, await whyUnpayable(db, purchase, now, enforceSaleWindow));
  return { outcome, purchase: await find(db, purchaseId) };
}

type Unpayable = 'expired' | 'already_owned' | 'not_on_sale';

async function whyUnpayable(db: D1Database, purchase: PurchaseRow, now: number, saleWindow: boolean): Promise<Unpayable> {
  if (!saleWindow) return 'already_owned';
  if (purchase.expires_at <= now) return 'expired';
  const onSale = await db
    .prepare(
      `SELECT 1 AS ok FROM series s JOIN creators c ON c.id = s.creator_id
       WHERE s.id = ? AND s.status = 'published' AND c.status = 'approved'`,
    )
    .bind(purchase.series_id)
    .first();
  return onSale ? 'already_owned' : 'not_on_sale';
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

/** Ends a pending purchase unpaid: the buyer cancelled, the provider's session expired or its payment failed. */
export async function cancelPurchase(
  db: D1Database,
  purchaseId: string,
  now = Date.now(),
  reason: 'cancelled_by_buyer' | 'expired' | 'payment_failed' = 'cancelled_by_buyer',
): Promise<PurchaseRow | null> {
  await db
    .prepare(
      `UPDATE purchases SET status = ?3, status_reason = ?4, updated_at = ?2 WHERE id = ?1 AND status = 'pending'`,
    )
    .bind(purchaseId, now, reason === 'expired' ? 'expired' : 'cancelled', reason)
    .run();
  return find(db, purchaseId);
}

function find(db: D1Database, purchaseId: string) {
  return db.prepare('SELECT * FROM purchases WHERE id = ?').bind(purchaseId).first<PurchaseRow>();
}

/**
 * The buyer_days row for a completed purchase, with the buyer's previous purchase days (see migration 0009):
 * unique buyers over a range are then counted as the rows whose previous day lies before it. A purchase
 * completed out of day order (a late confirmation) also re-points the buyer's next day at this one.
 */
function recordBuyerDay(db: D1Database, purchaseId: string, day: string, completionId: string): D1PreparedStatement[] {
  const buyer = `b.creator_id = p.creator_id AND b.currency = p.currency AND b.buyer_id = p.buyer_id`;
  const ofPurchase = `FROM purchases p WHERE p.id = ?1 AND p.completion_id = ?3`;
  return [
    db
      .prepare(
        // prev_day looks at days up to and including this one: if the buyer already bought in another series
        // today, this row points at today and so is not counted twice.
        `INSERT OR IGNORE INTO buyer_days (creator_id, currency, day, series_id, buyer_id, prev_day, prev_series_day)
         SELECT p.creator_id, p.currency, ?2, p.series_id, p.buyer_id,
                (SELECT MAX(b.day) FROM buyer_days b WHERE ${buyer} AND b.day <= ?2),
                (SELECT MAX(b.day) FROM buyer_days b WHERE ${buyer} AND b.series_id = p.series_id AND b.day < ?2)
         ${ofPurchase}`,
      )
      .bind(purchaseId, day, completionId),
    // The buyer's next day (any series), which pointed before this one: only its first row points back.
    db
      .prepare(
        `UPDATE buyer_days SET prev_day = ?2
         WHERE (creator_id, currency, buyer_id, day) IN (
           SELECT p.creator_id, p.currency, p.buyer_id, (SELECT MIN(b.day) FROM buyer_days b WHERE ${buyer} AND b.day > ?2)
           ${ofPurchase})
           AND COALESCE(prev_day, '') < ?2`,
      )
      .bind(purchaseId, day, completionId),
    db
      .prepare(
        `UPDATE buyer_days SET prev_series_day = ?2
         WHERE (creator_id, currency, series_id, buyer_id, day) IN (
           SELECT p.creator_id, p.currency, p.series_id, p.buyer_id,
                  (SELECT MIN(b.day) FROM buyer_days b WHERE ${buyer} AND b.series_id = p.series_id AND b.day > ?2)
           ${ofPurchase})
           AND COALESCE(prev_series_day, '') < ?2`,
      )
      .bind(purchaseId, day, completionId),
  ];
}
