import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_COMMISSION_BPS, MAX_COMMISSION_BPS } from './limits.js';
import { commissionReversed, commissionReversedSql, splitPayout } from './payout.js';

/** Integer amounts 0..1e12 (fc.integer is limited to 32 bits, so go through bigint). */
const amountArb = fc.bigInt({ min: 0n, max: 1_000_000_000_000n }).map(Number);
/** Any safe non-negative integer amount, to check exactness where amount * bps exceeds 2^53. */
const safeAmountArb = fc.bigInt({ min: 0n, max: BigInt(Number.MAX_SAFE_INTEGER) }).map(Number);
const bpsArb = fc.integer({ min: 0, max: MAX_COMMISSION_BPS });

describe('splitPayout', () => {
  it('matches the documented example', () => {
    expect(splitPayout(999, 1000)).toEqual({ commission: 99, payout: 900 });
  });

  it.each([
    [0, 0, 0, 0],
    [0, 10_000, 0, 0],
    [1, 1, 0, 1],
    [1, 9_999, 0, 1],
    [1, 10_000, 1, 0],
    [100, 2_500, 25, 75],
    [199, 5_000, 99, 100],
    [1_999, 3_000, 599, 1_400],
    [10_000, 1, 1, 9_999],
    [9_999, 1, 0, 9_999],
  ])('splitPayout(%i, %i) → commission %i, payout %i', (amount, bps, commission, payout) => {
    expect(splitPayout(amount, bps)).toEqual({ commission, payout });
  });

  it('commission + payout === amount, both non-negative integers (property)', () => {
    fc.assert(
      fc.property(amountArb, bpsArb, (amount, bps) => {
        const { commission, payout } = splitPayout(amount, bps);
        expect(Number.isSafeInteger(commission)).toBe(true);
        expect(Number.isSafeInteger(payout)).toBe(true);
        expect(commission).toBeGreaterThanOrEqual(0);
        expect(payout).toBeGreaterThanOrEqual(0);
        expect(commission + payout).toBe(amount);
      }),
      { numRuns: 2000 },
    );
  });

  it('rounds the commission down: commission*10000 <= amount*bps < (commission+1)*10000 (property)', () => {
    fc.assert(
      fc.property(amountArb, bpsArb, (amount, bps) => {
        const { commission } = splitPayout(amount, bps);
        const exact = BigInt(amount) * BigInt(bps);
        const c = BigInt(commission);
        expect(c * 10_000n <= exact).toBe(true);
        expect(exact < (c + 1n) * 10_000n).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('stays exact for amounts up to MAX_SAFE_INTEGER, where amount * bps overflows 2^53 (property)', () => {
    fc.assert(
      fc.property(safeAmountArb, bpsArb, (amount, bps) => {
        const { commission, payout } = splitPayout(amount, bps);
        expect(BigInt(commission)).toBe((BigInt(amount) * BigInt(bps)) / 10_000n);
        expect(BigInt(commission) + BigInt(payout)).toBe(BigInt(amount));
        expect(payout).toBeGreaterThanOrEqual(0);
      }),
    );
    expect(splitPayout(Number.MAX_SAFE_INTEGER, 9_999)).toEqual({
      commission: 9_006_298_534_815_516,
      payout: 900_719_925_475,
    });
    // Math.floor(7752859933112047 * 972 / 10000) is 753577985498491 in floating point: one unit too much.
    expect(splitPayout(7_752_859_933_112_047, 972)).toEqual({
      commission: 753_577_985_498_490,
      payout: 6_999_281_947_613_557,
    });
  });

  it('bps 0 (the default) gives the creator 100% (property)', () => {
    expect(DEFAULT_COMMISSION_BPS).toBe(0);
    fc.assert(
      fc.property(amountArb, (amount) => {
        expect(splitPayout(amount, 0)).toEqual({ commission: 0, payout: amount });
        expect(splitPayout(amount, DEFAULT_COMMISSION_BPS).payout).toBe(amount);
      }),
    );
  });

  it('bps 10000 gives the platform everything, payout 0 (property)', () => {
    fc.assert(
      fc.property(amountArb, (amount) => {
        expect(splitPayout(amount, MAX_COMMISSION_BPS)).toEqual({ commission: amount, payout: 0 });
      }),
    );
  });

  it('commission is monotonic in bps and in amount (property)', () => {
    fc.assert(
      fc.property(amountArb, bpsArb, bpsArb, (amount, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(splitPayout(amount, lo).commission).toBeLessThanOrEqual(splitPayout(amount, hi).commission);
      }),
    );
    fc.assert(
      fc.property(amountArb, amountArb, bpsArb, (x, y, bps) => {
        const [lo, hi] = x <= y ? [x, y] : [y, x];
        expect(splitPayout(lo, bps).commission).toBeLessThanOrEqual(splitPayout(hi, bps).commission);
      }),
    );
  });

  describe('rejects invalid input with RangeError', () => {
    it.each([
      ['negative', -1],
      ['large negative', -1_000_000],
      ['fractional', 1.5],
      ['tiny fraction', 0.1],
      ['NaN', Number.NaN],
      ['Infinity', Number.POSITIVE_INFINITY],
      ['-Infinity', Number.NEGATIVE_INFINITY],
      ['beyond MAX_SAFE_INTEGER', Number.MAX_SAFE_INTEGER + 1],
    ])('amount %s (%s)', (_label, amount) => {
      expect(() => splitPayout(amount, 1000)).toThrow(RangeError);
      expect(() => splitPayout(amount, 1000)).toThrow('amount must be a non-negative integer');
    });

    it.each([
      ['negative', -1],
      ['above 10000', 10_001],
      ['far above 10000', 1_000_000],
      ['fractional', 2.5],
      ['tiny fraction', 0.5],
      ['NaN', Number.NaN],
      ['Infinity', Number.POSITIVE_INFINITY],
    ])('bps %s (%s)', (_label, bps) => {
      expect(() => splitPayout(1000, bps)).toThrow(RangeError);
      expect(() => splitPayout(1000, bps)).toThrow('commissionBps must be an integer in 0..10000');
    });

    it('any negative integer amount throws (property)', () => {
      fc.assert(
        fc.property(fc.bigInt({ min: -(10n ** 12n), max: -1n }).map(Number), bpsArb, (amount, bps) => {
          expect(() => splitPayout(amount, bps)).toThrow(RangeError);
        }),
      );
    });

    it('any non-integer amount throws (property)', () => {
      fc.assert(
        fc.property(fc.double({ noNaN: true }), bpsArb, (amount, bps) => {
          fc.pre(!Number.isInteger(amount));
          expect(() => splitPayout(amount, bps)).toThrow(RangeError);
        }),
      );
    });

    it('any bps outside 0..10000 or non-integer throws (property)', () => {
      fc.assert(
        fc.property(amountArb, fc.oneof(fc.integer(), fc.double()), (amount, bps) => {
          fc.pre(!(Number.isInteger(bps) && bps >= 0 && bps <= MAX_COMMISSION_BPS));
          expect(() => splitPayout(amount, bps)).toThrow(RangeError);
        }),
      );
    });
  });
});

describe('commissionReversed and its SQL form', () => {
  it('is floor(R·C / A): nothing for no refund, the whole commission for a full one', () => {
    expect(commissionReversed(0, 999, 99)).toBe(0);
    expect(commissionReversed(999, 999, 99)).toBe(99);
    expect(commissionReversed(500, 999, 99)).toBe(49);
    expect(commissionReversed(1, 3, 1)).toBe(0);
    expect(() => commissionReversed(-1, 10, 1)).toThrow(RangeError);
  });

  it('never takes back more than the commission, and grows with the refunds (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (amount, bps, f1, f2) => {
          const { commission } = splitPayout(amount, bps);
          const [r1, r2] = [Math.floor(amount * Math.min(f1, f2)), Math.floor(amount * Math.max(f1, f2))];
          expect(commissionReversed(r2, amount, commission)).toBeLessThanOrEqual(commission);
          expect(commissionReversed(r1, amount, commission)).toBeLessThanOrEqual(
            commissionReversed(r2, amount, commission),
          );
        },
      ),
    );
  });

  it('the SQL expression the ledger writes with gives the same figure as the function, on random sales (property)', async () => {
    const { DatabaseSync } = await import('node:sqlite');
    const db = new DatabaseSync(':memory:');
    const query = db.prepare(`SELECT ${commissionReversedSql(':refunded', ':amount', ':commission')} AS reversed`);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (amount, bps, share) => {
          const { commission } = splitPayout(amount, bps);
          const refunded = Math.floor(amount * share);
          // As the ledger's columns are: INTEGER values (a JS number would bind as REAL and divide exactly).
          const row = query.get({
            refunded: BigInt(refunded),
            amount: BigInt(amount),
            commission: BigInt(commission),
          }) as { reversed: number };
          expect(row.reversed).toBe(commissionReversed(refunded, amount, commission));
        },
      ),
      { numRuns: 2000 },
    );
    db.close();
  });
});
