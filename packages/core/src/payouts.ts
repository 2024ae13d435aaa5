import { z } from 'zod';
import type { Currency } from './currency.js';
import { currencySchema, handleSchema } from './schemas.js';

/**
 * Smallest balance paid out, per currency, in minor units. Like the video site's own Series payouts
 * (USD 50), earnings are totalled per calendar month and a smaller balance rolls into the next month,
 * so no bank transfer costs more than it moves. The others are rounded local equivalents of USD 50.
 */
export const PAYOUT_THRESHOLDS = {
  USD: 5_000,
  EUR: 5_000,
  GBP: 4_000,
  CAD: 7_000,
  AUD: 7_500,
  CHF: 4_500,
  BRL: 25_000,
  MXN: 100_000,
  INR: 400_000,
  JPY: 7_500,
  KRW: 70_000,
} as const satisfies Record<Currency, number>;

/**
 * - `open`: the current month, still earning.
 * - `due`: a closed month whose balance reached the threshold; waiting for the payout.
 * - `carried_over`: a closed month below the threshold; its balance joins the next month's.
 * - `paid`: an admin recorded the payout of this month's balance.
 */
export type PayoutStatus = 'open' | 'due' | 'carried_over' | 'paid';

/** A calendar month in UTC, as the statements name them. */
export const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Month must be YYYY-MM');

/** An admin records that a creator's statement of a month and currency was paid out. */
export const payoutRecordSchema = z.strictObject({
  handle: handleSchema,
  month: monthSchema,
  currency: currencySchema,
});
export type PayoutRecordRequest = z.infer<typeof payoutRecordSchema>;

/** The UTC month of an instant. @example monthOf(Date.parse('2026-03-31T23:59:59Z')) // "2026-03" */
export function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/** First instant of the month and first instant of the next one (epoch ms, UTC). */
export function monthBounds(month: string): { start: number; end: number } {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return { start: Date.UTC(year, m - 1, 1), end: Date.UTC(year, m, 1) };
}

/** One month of a creator's sales in one currency, summed from the daily rollups (minor units). */
export interface MonthEarnings {
  month: string;
  currency: Currency;
  sales: number;
  gross: number;
  refunded: number;
  commission: number;
  /** What the creator earned this month: gross − refunded − commission − tax. */
  payout: number;
  /** The tax the month's sales included (net of what refunds gave back), collected by the platform, never paid out. */
  tax: number;
}

export interface PayoutRecord {
  month: string;
  currency: Currency;
  amount: number;
  paidAt: string;
}

export interface Statement extends MonthEarnings {
  /** Unpaid balance brought from earlier months that stayed below the threshold. */
  carriedIn: number;
  /** carriedIn + payout: what this month's payout transfers (or would). */
  balance: number;
  threshold: number;
  status: PayoutStatus;
  paidAmount: number | null;
  paidAt: string | null;
}

/**
 * Monthly statements per currency, oldest first. Months run in order: a closed month whose balance
 * (its earnings plus what earlier months carried over) reaches the threshold is `due`; below it, the
 * balance is `carried_over` into the next month; a recorded payout makes it `paid`. If a paid month's
 * figures ever differ from the amount transferred, the difference carries over, so no money is lost.
 */
export function buildStatements(earnings: MonthEarnings[], payouts: PayoutRecord[], currentMonth: string): Statement[] {
  const paidBy = new Map(payouts.map((p) => [`${p.currency} ${p.month}`, p]));
  const months = new Map(earnings.map((e) => [`${e.currency} ${e.month}`, e]));
  // A recorded payout always has a statement, even if its month's rollups were since rewritten.
  for (const p of payouts) {
    const key = `${p.currency} ${p.month}`;
    if (!months.has(key)) {
      months.set(key, {
        month: p.month,
        currency: p.currency,
        sales: 0,
        gross: 0,
        refunded: 0,
        commission: 0,
        payout: 0,
        tax: 0,
      });
    }
  }
  const ordered = [...months.values()].sort(
    (a, b) => a.currency.localeCompare(b.currency) || a.month.localeCompare(b.month),
  );
  const carry = new Map<Currency, number>();
  return ordered.map((e) => {
    const carriedIn = carry.get(e.currency) ?? 0;
    const balance = carriedIn + e.payout;
    const threshold = PAYOUT_THRESHOLDS[e.currency];
    const paid = paidBy.get(`${e.currency} ${e.month}`);
    let status: PayoutStatus;
    if (paid) {
      status = 'paid';
      carry.set(e.currency, balance - paid.amount);
    } else if (e.month >= currentMonth) {
      status = 'open';
      carry.set(e.currency, balance);
    } else if (balance >= threshold) {
      status = 'due';
      carry.set(e.currency, 0);
    } else {
      status = 'carried_over';
      carry.set(e.currency, balance);
    }
    return {
      ...e,
      carriedIn,
      balance,
      threshold,
      status,
      paidAmount: paid?.amount ?? null,
      paidAt: paid?.paidAt ?? null,
    };
  });
}

export interface PayoutBalance {
  currency: Currency;
  /** Everything earned to date (net of refunds and commission). */
  earned: number;
  paid: number;
  /** Earned but not yet paid: the open month, due months and carried-over balances. */
  pending: number;
  /** The part of `pending` in closed months that reached the threshold. */
  due: number;
  threshold: number;
}

/** Totals per currency over statements from {@link buildStatements}. */
export function payoutBalances(statements: Statement[]): PayoutBalance[] {
  const by = new Map<Currency, PayoutBalance>();
  for (const s of statements) {
    const b = by.get(s.currency) ?? {
      currency: s.currency,
      earned: 0,
      paid: 0,
      pending: 0,
      due: 0,
      threshold: PAYOUT_THRESHOLDS[s.currency],
    };
    b.earned += s.payout;
    b.paid += s.paidAmount ?? 0;
    if (s.status === 'due') b.due += s.balance;
    by.set(s.currency, b);
  }
  for (const b of by.values()) b.pending = b.earned - b.paid;
  return [...by.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}
