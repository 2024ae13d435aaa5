import { MAX_COMMISSION_BPS } from './limits.js';

export interface PayoutSplit {
  commission: number;
  payout: number;
}

/** What a taxed sale splits into: the platform's commission, the creator's payout and the tax it included. */
export interface SaleSplit extends PayoutSplit {
  tax: number;
}

/**
 * Splits a sale between the platform and the creator.
 *
 * Rounding: the commission is rounded **down** to a whole minor unit, so any fraction goes to the
 * creator, and `commission + payout === amount` always. At the default 0 bps the creator receives 100%.
 * @example splitPayout(999, 1000) // { commission: 99, payout: 900 }
 */
export function splitPayout(amount: number, commissionBps: number): PayoutSplit {
  const { commission, payout } = splitSale(amount, commissionBps, 0);
  return { commission, payout };
}

/**
 * Splits a tax-inclusive sale (issue 21): the tax it included is set apart first, and the commission is taken
 * from the amount net of tax, rounded **down** as in {@link splitPayout}, so creators are never paid the tax and
 * `commission + payout + tax === amount` always. {@link splitSaleSql} is the same rule in SQL.
 * @example splitSale(1199, 1000, 200) // { commission: 99, payout: 900, tax: 200 }
 */
export function splitSale(amount: number, commissionBps: number, tax: number): SaleSplit {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError('amount must be a non-negative integer');
  if (!Number.isInteger(commissionBps) || commissionBps < 0 || commissionBps > MAX_COMMISSION_BPS) {
    throw new RangeError(`commissionBps must be an integer in 0..${MAX_COMMISSION_BPS}`);
  }
  if (!Number.isSafeInteger(tax) || tax < 0 || tax > amount)
    throw new RangeError('tax must be an integer in 0..amount');
  // BigInt keeps amount * bps exact even beyond 2^53.
  const commission = Number((BigInt(amount - tax) * BigInt(commissionBps)) / BigInt(MAX_COMMISSION_BPS));
  return { commission, payout: amount - tax - commission, tax };
}

/**
 * {@link splitSale}'s commission as an SQL expression over SQL expressions of the amount, the tax and the rate,
 * for the statement that records the tax when a payment completes (integers: `/` truncates, the floor here).
 */
export const commissionSql = (amount: string, tax: string, bps: string) =>
  `(((${amount}) - (${tax})) * (${bps})) / ${MAX_COMMISSION_BPS}`;

/**
 * The tax included in a tax-inclusive price at a rate in basis points (2000 = 20%), rounded to the nearest minor
 * unit (half up): amount · rate / (1 + rate). What the test provider charges; Stripe Tax computes its own.
 * @example inclusiveTax(1199, 2000) // 200 (999 net + 200 VAT)
 */
export function inclusiveTax(amount: number, rateBps: number): number {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError('amount must be a non-negative integer');
  if (!Number.isInteger(rateBps) || rateBps < 0 || rateBps > MAX_TAX_RATE_BPS) {
    throw new RangeError(`rateBps must be an integer in 0..${MAX_TAX_RATE_BPS}`);
  }
  const whole = BigInt(MAX_COMMISSION_BPS + rateBps);
  return Number((2n * BigInt(amount) * BigInt(rateBps) + whole) / (2n * whole));
}

/** The highest tax rate a deploy may configure: 100% (no VAT or sales tax comes near it). */
export const MAX_TAX_RATE_BPS = 10_000;

/**
 * The tax that refunds in force give back to the buyer: for refunds totalling `refunded` of a sale of `amount`
 * that included `tax`, what is not net of tax in them, refunded − floor(refunded · (amount − tax) / amount), so
 * ceil(refunded · tax / amount). A full refund gives back exactly the tax; like {@link commissionReversed} it
 * depends only on the refunds in force. With the commission reversed rounded down and the tax up, the payout a
 * refund takes back, refunded − commission − tax reversed, never exceeds the payout (nor goes below 0), and
 * `commission + payout + tax = gross − refunded` holds in the rollups.
 * @example taxReversed(600, 1199, 200) // 101
 */
export function taxReversed(refunded: number, amount: number, tax: number): number {
  for (const [name, v] of [
    ['refunded', refunded],
    ['amount', amount],
    ['tax', tax],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer`);
  }
  if (amount === 0) return 0;
  return refunded - Number((BigInt(refunded) * BigInt(amount - tax)) / BigInt(amount));
}

/** {@link taxReversed} as an SQL expression over three SQL expressions, for the ledger's UPDATEs. */
export const taxReversedSql = (refunded: string, amount: string, tax: string) =>
  `((${refunded}) - ((${refunded}) * ((${amount}) - (${tax}))) / (${amount}))`;

/**
 * The commission that refunds in force take back from a sale: for refunds totalling `refunded` of a sale of
 * `amount` that carried `commission`, floor(refunded · commission / amount). A full refund takes back the whole
 * commission, and whatever order refunds arrive and fail in, the commission reversed depends only on the total
 * in force, so `commission + payout = gross − refunded` always holds in the rollups.
 * @example commissionReversed(500, 999, 99) // 49
 */
export function commissionReversed(refunded: number, amount: number, commission: number): number {
  for (const [name, v] of [
    ['refunded', refunded],
    ['amount', amount],
    ['commission', commission],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer`);
  }
  if (amount === 0) return 0;
  return Number((BigInt(refunded) * BigInt(commission)) / BigInt(amount));
}

/**
 * {@link commissionReversed} as an SQL expression over three SQL expressions, for the ledger's UPDATEs (money
 * is computed in the statement that writes it, never read and written back). SQLite's `/` on integers
 * truncates, which is the floor for the non-negative values here.
 */
export const commissionReversedSql = (refunded: string, amount: string, commission: string) =>
  `((${refunded}) * (${commission})) / (${amount})`;

/**
 * The payout that refunds totalling `refunded` take back from a sale of `amount` with `commission` and `tax`:
 * what is left of them once the commission ({@link commissionReversed}) and the tax ({@link taxReversed}) they
 * return are set apart. Between 0 and the sale's payout; the whole payout for a full refund. With Stripe's separate
 * charges this is what the creator's transfer has reversed once the refunds are in force.
 * @example payoutReversed(100, 299, 24, 50) // 75
 */
export function payoutReversed(refunded: number, amount: number, commission: number, tax: number): number {
  return refunded - commissionReversed(refunded, amount, commission) - taxReversed(refunded, amount, tax);
}
