import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Currency } from './currency.js';
import {
  buildStatements,
  monthBounds,
  monthOf,
  monthSchema,
  PAYOUT_THRESHOLDS,
  payoutBalances,
  payoutRecordSchema,
  type MonthEarnings,
  type PayoutRecord,
} from './payouts.js';
import { CURRENCY_CODES } from './currency.js';

const earn = (month: string, payout: number, currency: Currency = 'USD'): MonthEarnings => ({
  month,
  currency,
  sales: payout > 0 ? 1 : 0,
  gross: Math.max(payout, 0),
  refunded: Math.max(-payout, 0),
  commission: 0,
  payout,
  tax: 0,
});

describe('payout thresholds', () => {
  it('has one for every currency, USD 50 like the video site', () => {
    expect(Object.keys(PAYOUT_THRESHOLDS).sort()).toEqual([...CURRENCY_CODES].sort());
    expect(PAYOUT_THRESHOLDS.USD).toBe(5_000);
    for (const t of Object.values(PAYOUT_THRESHOLDS)) expect(Number.isSafeInteger(t) && t > 0).toBe(true);
  });
});

describe('months', () => {
  it('names the UTC month of an instant', () => {
    expect(monthOf(Date.parse('2026-03-31T23:59:59.999Z'))).toBe('2026-03');
    expect(monthOf(Date.parse('2026-04-01T00:00:00Z'))).toBe('2026-04');
  });

  it('bounds a month, across a year end', () => {
    expect(monthBounds('2026-12')).toEqual({
      start: Date.parse('2026-12-01T00:00:00Z'),
      end: Date.parse('2027-01-01T00:00:00Z'),
    });
  });

  it('accepts YYYY-MM only', () => {
    expect(monthSchema.safeParse('2026-01').success).toBe(true);
    for (const bad of ['2026-13', '2026-00', '2026-1', '26-01', '2026-01-01', '']) {
      expect(monthSchema.safeParse(bad).error?.issues[0]?.message).toBe('Month must be YYYY-MM');
    }
    expect(payoutRecordSchema.safeParse({ handle: '@Demo', month: '2026-01', currency: 'USD' }).data?.handle).toBe(
      'demo',
    );
    expect(payoutRecordSchema.safeParse({ handle: 'demo', month: '2026-01', currency: 'XXX' }).success).toBe(false);
  });
});

describe('buildStatements', () => {
  it('carries small months over until the balance reaches the threshold, then it is due', () => {
    const s = buildStatements(
      [earn('2026-01', 2_000), earn('2026-02', 2_500), earn('2026-03', 600), earn('2026-04', 100)],
      [],
      '2026-04',
    );
    expect(s.map((x) => [x.month, x.status, x.carriedIn, x.balance])).toEqual([
      ['2026-01', 'carried_over', 0, 2_000],
      ['2026-02', 'carried_over', 2_000, 4_500],
      ['2026-03', 'due', 4_500, 5_100],
      ['2026-04', 'open', 0, 100],
    ]);
  });

  it('marks a recorded payout paid and starts the next month from zero', () => {
    const s = buildStatements(
      [earn('2026-01', 6_000), earn('2026-02', 7_000), earn('2026-03', 10)],
      [{ month: '2026-01', currency: 'USD', amount: 6_000, paidAt: '2026-02-15T00:00:00.000Z' }],
      '2026-03',
    );
    expect(s.map((x) => [x.status, x.carriedIn, x.paidAmount])).toEqual([
      ['paid', 0, 6_000],
      ['due', 0, null],
      ['open', 0, null],
    ]);
    expect(payoutBalances(s)).toEqual([
      { currency: 'USD', earned: 13_010, paid: 6_000, pending: 7_010, due: 7_000, threshold: 5_000 },
    ]);
  });

  it('keeps currencies apart, each with its own threshold', () => {
    const s = buildStatements([earn('2026-01', 5_000, 'USD'), earn('2026-01', 5_000, 'JPY')], [], '2026-02');
    expect(s.map((x) => [x.currency, x.status])).toEqual([
      ['JPY', 'carried_over'],
      ['USD', 'due'],
    ]);
  });

  it('treats a month after the current one as open, and refunds can make a month negative', () => {
    const s = buildStatements([earn('2026-01', 6_000), earn('2026-02', -1_500)], [], '2026-02');
    expect(s.map((x) => x.status)).toEqual(['due', 'open']);
    const closed = buildStatements([earn('2026-01', 3_000), earn('2026-02', -1_000)], [], '2026-05');
    expect(closed.map((x) => [x.status, x.balance])).toEqual([
      ['carried_over', 3_000],
      ['carried_over', 2_000],
    ]);
  });

  const monthArb = fc
    .integer({ min: 0, max: 35 })
    .map((i) => `${2025 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
  const currencyArb = fc.constantFrom<Currency>('USD', 'JPY', 'EUR');
  const earningsArb = fc
    .uniqueArray(fc.tuple(monthArb, currencyArb), { selector: ([m, c]) => `${c} ${m}`, maxLength: 30 })
    .chain((keys) =>
      fc.tuple(
        fc.constant(keys),
        fc.array(fc.integer({ min: -2_000, max: 12_000 }), { minLength: keys.length, maxLength: keys.length }),
        fc.array(fc.boolean(), { minLength: keys.length, maxLength: keys.length }),
      ),
    );

  it('never loses or invents money, whatever months are paid (property)', () => {
    fc.assert(
      fc.property(earningsArb, monthArb, ([keys, amounts, paidFlags], current) => {
        const earnings = keys.map(([m, c], i) => earn(m, amounts[i]!, c));
        // Pay the balance of every closed month flagged and due, in order, as an admin would.
        let statements = buildStatements(earnings, [], current);
        const payouts: PayoutRecord[] = [];
        for (const [i, s] of statements.entries()) {
          if (s.status === 'due' && paidFlags[i]) {
            payouts.push({
              month: s.month,
              currency: s.currency,
              amount: s.balance,
              paidAt: '2030-01-01T00:00:00.000Z',
            });
            statements = buildStatements(earnings, payouts, current);
          }
        }
        const balances = payoutBalances(statements);
        for (const b of balances) {
          const mine = statements.filter((s) => s.currency === b.currency);
          expect(b.earned).toBe(mine.reduce((n, s) => n + s.payout, 0));
          expect(b.pending).toBe(b.earned - b.paid);
          // Pending money sits in exactly one place: due statements, or the last carried/open balance.
          const last = mine[mine.length - 1]!;
          const tail = last.status === 'carried_over' || last.status === 'open' ? last.balance : 0;
          expect(b.pending).toBe(b.due + tail);
        }
        for (const s of statements) {
          if (s.status === 'open') expect(s.month >= current).toBe(true);
          if (s.status === 'due') expect(s.balance).toBeGreaterThanOrEqual(s.threshold);
          if (s.status === 'carried_over') expect(s.balance).toBeLessThan(s.threshold);
          expect(s.balance).toBe(s.carriedIn + s.payout);
        }
      }),
    );
  });
});
