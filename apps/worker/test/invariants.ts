import { env } from 'cloudflare:workers';
import { taxReversedSql } from '@series/core';
import { expect } from 'vitest';

/**
 * The money and access invariants, checked over the whole database:
 * - at most one paid entitlement per owner and item (the owner: the buyer, or a gift's recipient once claimed);
 * - an unclaimed gift owns nothing, and a purchase that is no gift is owned by its buyer (gifts, issue 20);
 * - nobody holds access through a purchase that is not paid (access = paid, no open/lost chargeback);
 * - the rollups equal the ledger (sales, gross, refunded, commission, payout per creator and currency);
 * - commission + payout + tax = amount on every purchase, and = gross − refunded in the rollups;
 * - the rollups' tax equals the ledger's: each sale's tax less what its refunds and chargebacks in force gave back;
 * - no series holds more than 80 episodes;
 * - every buyer_days row points at the buyer's previous purchase day (per currency and per series), with one
 *   row per buyer and day pointing back (the unique-buyer counts rely on it);
 * - the trigger-kept totals and per-day buyer counts equal the rollups they are kept from;
 * - the storefront's per-source purchases equal the paid purchases that came from it;
 * - every series has a storefront address it holds in series_slugs.
 */
export async function expectInvariants(db: D1Database = env.DB) {
  const [dupPaid, ledger, rollup, split, overfull, buyerDays, salesTotals, buyerCounts, sources, slugs, tax] =
    await db.batch<Record<string, unknown>>([
      db.prepare(
        `SELECT owner_id, item_key, COUNT(*) AS n FROM purchases WHERE status = 'paid' AND owner_id IS NOT NULL
       GROUP BY owner_id, item_key HAVING n > 1`,
      ),
      db.prepare(
        `SELECT creator_id, currency, COUNT(*) AS sales, SUM(amount) AS gross,
              SUM(refunded_amount + CASE WHEN dispute_state IN ('open', 'lost') THEN amount - refunded_amount ELSE 0 END) AS refunded
       FROM purchases WHERE paid_at IS NOT NULL GROUP BY creator_id, currency ORDER BY creator_id, currency`,
      ),
      db.prepare(
        `SELECT creator_id, currency, SUM(sales) AS sales, SUM(gross) AS gross, SUM(refunded) AS refunded,
              SUM(commission) + SUM(payout) + SUM(tax) AS net
       FROM sales_daily GROUP BY creator_id, currency ORDER BY creator_id, currency`,
      ),
      db.prepare(`SELECT id FROM purchases WHERE commission_amount + payout_amount + tax_amount != amount`),
      db.prepare(`SELECT series_id, COUNT(*) AS n FROM episodes GROUP BY series_id HAVING n > 80`),
      db.prepare(
        `WITH expected AS (
         SELECT *, (SELECT MAX(o.day) FROM buyer_days o WHERE o.creator_id = b.creator_id AND o.currency = b.currency
                      AND o.buyer_id = b.buyer_id AND o.day < b.day) AS before_day,
                   (SELECT MAX(o.day) FROM buyer_days o WHERE o.creator_id = b.creator_id AND o.currency = b.currency
                      AND o.buyer_id = b.buyer_id AND o.series_id = b.series_id AND o.day < b.day) AS before_series_day,
                   SUM(COALESCE(prev_day, '') < day) OVER (PARTITION BY creator_id, currency, buyer_id, day) AS pointing_back
         FROM buyer_days b)
       SELECT * FROM expected
       WHERE prev_series_day IS NOT before_series_day OR pointing_back != 1
          OR NOT (prev_day IS before_day OR prev_day = day)`,
      ),
      db.prepare(
        `SELECT * FROM (SELECT creator_id, currency, series_id, COUNT(*) AS days, SUM(sales) AS sales, SUM(gross) AS gross,
                             SUM(refunded) AS refunded, SUM(commission) AS commission, SUM(payout) AS payout,
                             SUM(discounts) AS discounts, SUM(tax) AS tax
                      FROM sales_daily GROUP BY creator_id, currency, series_id) s
       FULL JOIN sales_totals t USING (creator_id, currency, series_id)
       WHERE ${['days', 'sales', 'gross', 'refunded', 'commission', 'payout', 'discounts', 'tax'].map((c) => `COALESCE(t.${c}, 0) != COALESCE(s.${c}, 0)`).join(' OR ')}`,
      ),
      db.prepare(
        `WITH counted AS (
         SELECT creator_id, currency, series_id, day, SUM(on_day) AS on_day, SUM(pointing) AS pointing FROM (
           SELECT creator_id, currency, '' AS series_id, day, 1 AS on_day, 0 AS pointing FROM buyer_days
           UNION ALL SELECT creator_id, currency, '', COALESCE(prev_day, ''), 0, 1 FROM buyer_days
           UNION ALL SELECT creator_id, currency, series_id, day, 1, 0 FROM buyer_days
           UNION ALL SELECT creator_id, currency, series_id, COALESCE(prev_series_day, ''), 0, 1 FROM buyer_days)
         GROUP BY creator_id, currency, series_id, day)
       SELECT * FROM counted c FULL JOIN buyer_day_counts k USING (creator_id, currency, series_id, day)
       WHERE COALESCE(c.on_day, 0) != COALESCE(k.rows_on_day, 0) OR COALESCE(c.pointing, 0) != COALESCE(k.rows_pointing, 0)`,
      ),
      db.prepare(
        `SELECT * FROM (SELECT creator_id, COUNT(*) AS sold FROM purchases WHERE paid_at IS NOT NULL AND source IS NOT NULL GROUP BY creator_id) p
       FULL JOIN (SELECT creator_id, SUM(purchases) AS counted FROM source_daily GROUP BY creator_id HAVING counted > 0) f USING (creator_id)
       WHERE COALESCE(p.sold, 0) != COALESCE(f.counted, 0)`,
      ),
      db.prepare(
        `SELECT s.id, s.slug FROM series s
       WHERE s.slug IS NULL OR NOT EXISTS (SELECT 1 FROM series_slugs t WHERE t.creator_id = s.creator_id AND t.slug = s.slug AND t.series_id = s.id)`,
      ),
      db.prepare(
        `SELECT * FROM (
           SELECT creator_id, currency, SUM(tax_amount - ${taxReversedSql('refunded_amount', 'amount', 'tax_amount')}
             - CASE WHEN dispute_state IN ('open', 'lost') THEN COALESCE((SELECT SUM(${taxReversedSql('MIN(d.amount, p.amount)', 'p.amount', 'p.tax_amount')})
                 FROM payment_disputes d WHERE d.payment_ref = p.payment_ref AND d.applied_state IN ('open', 'lost')), 0) ELSE 0 END) AS ledger
           FROM purchases p WHERE paid_at IS NOT NULL GROUP BY creator_id, currency) l
         FULL JOIN (SELECT creator_id, currency, SUM(tax) AS rolled FROM sales_daily GROUP BY creator_id, currency) r
           USING (creator_id, currency)
         WHERE COALESCE(l.ledger, 0) != COALESCE(r.rolled, 0)`,
      ),
    ]);
  expect(sources?.results, 'per-source purchases differ from the ledger').toEqual([]);
  expect(slugs?.results, 'a series without its storefront address').toEqual([]);
  expect(salesTotals?.results, 'sales_totals differ from sales_daily').toEqual([]);
  expect(buyerCounts?.results, 'buyer_day_counts differ from buyer_days').toEqual([]);
  expect(buyerDays?.results, 'buyer_days rows with a wrong previous day').toEqual([]);
  expect(dupPaid?.results, 'two paid entitlements of one item for one owner').toEqual([]);
  expect(split?.results, 'commission + payout + tax != amount').toEqual([]);
  expect(overfull?.results, 'a series over 80 episodes').toEqual([]);
  expect(tax?.results, 'rollup tax differs from the ledger').toEqual([]);
  const rollupRows = (rollup?.results ?? []).map((r) => ({ ...r, net: undefined }));
  expect(
    rollupRows.map(({ net: _, ...r }) => r),
    'rollups differ from the ledger',
  ).toEqual(ledger?.results);
  for (const r of rollup?.results ?? [])
    expect(r.net, 'commission + payout + tax != gross − refunded').toBe((r.gross as number) - (r.refunded as number));
  await expectOfferInvariants();
  await expectGiftInvariants();
}

/** Gifts (issue 20): nobody owns an unclaimed gift; a purchase that is no gift belongs to its buyer (or nobody). */
async function expectGiftInvariants() {
  const db = env.DB;
  const [unclaimedOwned, strayOwner] = await db.batch<Record<string, unknown>>([
    db.prepare(
      `SELECT p.id, p.owner_id FROM gifts g JOIN purchases p ON p.id = g.purchase_id
       WHERE g.claimed_at IS NULL AND p.owner_id IS NOT NULL`,
    ),
    db.prepare(
      `SELECT p.id, p.buyer_id, p.owner_id FROM purchases p
       WHERE NOT EXISTS (SELECT 1 FROM gifts g WHERE g.purchase_id = p.id) AND p.owner_id IS NOT p.buyer_id`,
    ),
  ]);
  expect(unclaimedOwned?.results, 'an unclaimed gift owned by someone').toEqual([]);
  expect(strayOwner?.results, 'a purchase that is no gift owned by someone else than its buyer').toEqual([]);
}

/**
 * Discounts and promo codes (issue 20): no purchase charged more than its list price less its discount; a code's
 * paid and open redemptions within its maximum, one per buyer; its counters equal to its paid purchases; the rollups'
 * discounts equal to the ledger's.
 */
async function expectOfferInvariants() {
  const db = env.DB;
  const now = Date.now();
  const live = `(u.paid_at IS NOT NULL OR (u.status = 'pending' AND u.expires_at > ?1))`;
  const [overcharged, overRedeemed, twice, counters, discounts] = await db.batch<Record<string, unknown>>([
    db.prepare(
      `SELECT id FROM purchases WHERE list_amount IS NOT NULL AND (amount + discount_amount > list_amount OR discount_amount < 0)`,
    ),
    db
      .prepare(
        `SELECT p.id, p.max_redemptions, COUNT(u.id) AS live FROM promo_codes p JOIN purchases u ON u.promo_code_id = p.id
         WHERE p.max_redemptions IS NOT NULL AND ${live} GROUP BY p.id HAVING live > p.max_redemptions`,
      )
      .bind(now),
    db
      .prepare(
        `SELECT u.promo_code_id, u.buyer_id, COUNT(*) AS n FROM purchases u WHERE u.promo_code_id IS NOT NULL AND ${live}
         GROUP BY u.promo_code_id, u.buyer_id HAVING n > 1`,
      )
      .bind(now),
    db.prepare(
      `SELECT p.id FROM promo_codes p WHERE (p.redeemed, p.redeemed_gross, p.redeemed_discount) IS NOT
         (SELECT COUNT(*), COALESCE(SUM(amount), 0), COALESCE(SUM(discount_amount), 0) FROM purchases
          WHERE promo_code_id = p.id AND paid_at IS NOT NULL)`,
    ),
    db.prepare(
      `SELECT * FROM (SELECT creator_id, SUM(discount_amount) AS ledger FROM purchases WHERE paid_at IS NOT NULL GROUP BY creator_id) l
       FULL JOIN (SELECT creator_id, SUM(discounts) AS rolled FROM sales_daily GROUP BY creator_id) r USING (creator_id)
       WHERE COALESCE(l.ledger, 0) != COALESCE(r.rolled, 0)`,
    ),
  ]);
  expect(overcharged?.results, 'a purchase charged more than its list price less its discount').toEqual([]);
  expect(overRedeemed?.results, 'a promo code redeemed past its maximum').toEqual([]);
  expect(twice?.results, 'a buyer holding a promo code twice').toEqual([]);
  expect(counters?.results, 'promo code counters differ from the ledger').toEqual([]);
  expect(discounts?.results, 'rollup discounts differ from the ledger').toEqual([]);
}
