/**
 * Every statement that moves the creator's rollups, for the ledger's batches: the sale, refund and dispute
 * totals per day (sales_daily), the buyers' purchase days (buyer_days), and the funnels' counts of checkouts
 * and purchases (funnel_daily, source_daily). Nothing else writes these tables but the views counters
 * (funnel/queries.ts), which count page and button views, never money, and account deletion
 * (account/queries.ts), which removes the rows of a creator who never sold and anonymises a buyer's days.
 *
 * Two more tables are kept by triggers on these (migration 0011), not by any statement here:
 * - `sales_totals` by `sales_totals_after_insert`, `sales_totals_after_update` and `sales_totals_after_delete`
 *   on sales_daily (all-time totals, so all-time analytics read one row);
 * - `buyer_day_counts` by `buyer_day_counts_after_insert`, `_after_update` and `_after_delete` on buyer_days
 *   (per-day counts behind unique buyers over any range).
 *
 * Each statement selects its purchase by a token the same batch just stamped (a completion id, an applied
 * token), so it applies exactly when the change it counts applied.
 */

/** The UTC day of a millisecond column, in SQL, as the rollups store it (the same day as `utcDay`). */
export const dayOf = (column: string) => `strftime('%Y-%m-%d', ${column} / 1000, 'unixepoch')`;

/** A completed sale: its money on its day, its buyer's purchase day, and the storefront source it came from. */
export function addSale(db: D1Database, purchaseId: string, day: string, completionId: string): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `INSERT INTO sales_daily (creator_id, currency, day, series_id, episode_id, sales, gross, commission, payout,
           discounts, tax)
         SELECT creator_id, currency, ?2, series_id, COALESCE(episode_id, ''), 1, amount, commission_amount, payout_amount,
           COALESCE(discount_amount, 0), tax_amount
         FROM purchases WHERE id = ?1 AND completion_id = ?3
         ON CONFLICT (creator_id, day, currency, series_id, episode_id) DO UPDATE SET
           sales = sales + excluded.sales, gross = gross + excluded.gross,
           commission = commission + excluded.commission, payout = payout + excluded.payout,
           discounts = discounts + excluded.discounts, tax = tax + excluded.tax`,
      )
      .bind(purchaseId, day, completionId),
    // A promo code's paid redemptions (migration 0028): its count, what they charged and what the code took off.
    db
      .prepare(
        `UPDATE promo_codes SET redeemed = redeemed + 1,
           redeemed_gross = redeemed_gross + (SELECT amount FROM purchases WHERE id = ?1),
           redeemed_discount = redeemed_discount + (SELECT discount_amount FROM purchases WHERE id = ?1)
         WHERE id = (SELECT promo_code_id FROM purchases WHERE id = ?1 AND completion_id = ?2)`,
      )
      .bind(purchaseId, completionId),
    ...recordBuyerDay(db, purchaseId, day, completionId),
    // The storefront's per-source funnel (migration 0013): a sale counts for the link the checkout came from.
    db
      .prepare(
        `INSERT INTO source_daily (creator_id, day, series_id, source, purchases)
         SELECT creator_id, ?2, series_id, source, 1 FROM purchases WHERE id = ?1 AND completion_id = ?3 AND source IS NOT NULL
         ON CONFLICT (creator_id, day, series_id, source) DO UPDATE SET purchases = purchases + 1`,
      )
      .bind(purchaseId, day, completionId),
  ];
}

/** Adds a change in refunds (and the commission, payout and tax it moves) to a day's rollup row. */
export const addToDay = (select: string) =>
  `INSERT INTO sales_daily (creator_id, currency, day, series_id, episode_id, refunded, commission, payout, tax)
   ${select.trim()}
   ON CONFLICT (creator_id, day, currency, series_id, episode_id) DO UPDATE SET
     refunded = refunded + excluded.refunded, commission = commission + excluded.commission,
     payout = payout + excluded.payout, tax = tax + excluded.tax`;

/** A checkout started: the funnel's per-episode count and, from the storefront, its link source's count. */
export function addCheckout(db: D1Database, purchaseId: string, day: string): D1PreparedStatement[] {
  return [
    // Counted only if this request created the purchase (not on a same-key race): it selects the row by id.
    db
      .prepare(
        `INSERT INTO funnel_daily (creator_id, day, series_id, episode_id, checkouts)
         SELECT creator_id, ?2, series_id, COALESCE(episode_id, ''), 1 FROM purchases WHERE id = ?1
         ON CONFLICT (creator_id, day, series_id, episode_id) DO UPDATE SET checkouts = checkouts + 1`,
      )
      .bind(purchaseId, day),
    db
      .prepare(
        `INSERT INTO source_daily (creator_id, day, series_id, source, checkouts)
         SELECT creator_id, ?2, series_id, source, 1 FROM purchases WHERE id = ?1 AND source IS NOT NULL
         ON CONFLICT (creator_id, day, series_id, source) DO UPDATE SET checkouts = checkouts + 1`,
      )
      .bind(purchaseId, day),
  ];
}

/**
 * The buyer_days row for a completed purchase, with the buyer's previous purchase days (see migration 0009):
 * unique buyers over a range are then counted as the rows whose previous day lies before it. A purchase
 * completed out of day order (a late confirmation) also re-points the buyer's next day at this one.
 */
function recordBuyerDay(db: D1Database, purchaseId: string, day: string, completionId: string): D1PreparedStatement[] {
  const buyer = `b.creator_id = p.creator_id AND b.currency = p.currency AND b.buyer_id = p.buyer_id`;
  // The buyer's own days, found by buyer: left to itself SQLite answers "the buyer's latest day in any series"
  // from buyer_days_firsts (creator, currency, day), walking back through every buyer's days until it meets
  // this one's, so a first purchase read the creator's whole history in that currency (test/ledger-costs.test.ts).
  const byBuyer = `buyer_days b INDEXED BY buyer_days_by_buyer`;
  const ofPurchase = `FROM purchases p WHERE p.id = ?1 AND p.completion_id = ?3`;
  return [
    db
      .prepare(
        // prev_day looks at days up to and including this one: if the buyer already bought in another series
        // today, this row points at today and so is not counted twice.
        `INSERT OR IGNORE INTO buyer_days (creator_id, currency, day, series_id, buyer_id, prev_day, prev_series_day)
         SELECT p.creator_id, p.currency, ?2, p.series_id, p.buyer_id,
                (SELECT MAX(b.day) FROM ${byBuyer} WHERE ${buyer} AND b.day <= ?2),
                (SELECT MAX(b.day) FROM buyer_days b WHERE ${buyer} AND b.series_id = p.series_id AND b.day < ?2)
         ${ofPurchase}`,
      )
      .bind(purchaseId, day, completionId),
    // The buyer's next day (any series), which pointed before this one: only its first row points back.
    db
      .prepare(
        `UPDATE buyer_days SET prev_day = ?2
         WHERE (creator_id, currency, buyer_id, day) IN (
           SELECT p.creator_id, p.currency, p.buyer_id, (SELECT MIN(b.day) FROM ${byBuyer} WHERE ${buyer} AND b.day > ?2)
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
