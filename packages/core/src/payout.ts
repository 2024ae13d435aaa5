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
