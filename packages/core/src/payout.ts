import { MAX_COMMISSION_BPS } from './limits.js';

export interface PayoutSplit {
  commission: number;
  payout: number;
}

/**
 * Splits a sale between the platform and the creator.
 *
 * Rounding: the commission is rounded **down** to a whole minor unit, so any fraction goes to the
 * creator, and `commission + payout === amount` always. At the default 0 bps the creator receives 100%.
 * @example splitPayout(999, 1000) // { commission: 99, payout: 900 }
 */
export function splitPayout(amount: number, commissionBps: number): PayoutSplit {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError('amount must be a non-negative integer');
  if (!Number.isInteger(commissionBps) || commissionBps < 0 || commissionBps > MAX_COMMISSION_BPS) {
    throw new RangeError(`commissionBps must be an integer in 0..${MAX_COMMISSION_BPS}`);
  }
  // BigInt keeps amount * bps exact even beyond 2^53.
  const commission = Number((BigInt(amount) * BigInt(commissionBps)) / BigInt(MAX_COMMISSION_BPS));
  return { commission, payout: amount - commission };
}

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
