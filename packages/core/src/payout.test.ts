import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_COMMISSION_BPS, MAX_COMMISSION_BPS } from './limits.js';
import {
  commissionReversed,
  commissionReversedSql,
  commissionSql,
  inclusiveTax,
  payoutReversed,
  splitPayout,
  splitSale,
  taxReversed,
  taxReversedSql,
} from './payout.js';

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

describe('tax (issue 21): splitSale, inclusiveTax, taxReversed and their SQL forms', () => {
  /** A tax-inclusive sale at a random rate: its amount, rate, and the tax it included. */
  const saleArb = fc
    .record({ amount: fc.integer({ min: 1, max: 20_000_000 }), rate: fc.integer({ min: 0, max: 10_000 }) })
    .map(({ amount, rate }) => ({ amount, rate, tax: inclusiveTax(amount, rate) }));

  it('sets the tax apart and takes the commission from the rest, rounded down', () => {
    expect(splitSale(1199, 1000, 200)).toEqual({ commission: 99, payout: 900, tax: 200 });
    expect(splitSale(999, 1000, 0)).toEqual({ ...splitPayout(999, 1000), tax: 0 });
    expect(splitSale(299, 0, 50)).toEqual({ commission: 0, payout: 249, tax: 50 });
    expect(splitSale(100, 10_000, 100)).toEqual({ commission: 0, payout: 0, tax: 100 });
    expect(() => splitSale(100, 0, 101)).toThrow('tax must be an integer in 0..amount');
    expect(() => splitSale(100, 0, -1)).toThrow(RangeError);
    expect(() => splitSale(100, 0, 1.5)).toThrow(RangeError);
  });

  it('commission + payout + tax === amount, the creator never paid the tax (property)', () => {
    fc.assert(
      fc.property(saleArb, bpsArb, ({ amount, tax }, bps) => {
        const split = splitSale(amount, bps, tax);
        expect(split.commission + split.payout + split.tax).toBe(amount);
        expect(split.payout).toBeGreaterThanOrEqual(0);
        expect(split.commission).toBe(splitPayout(amount - tax, bps).commission);
        expect(split.payout).toBe(splitPayout(amount - tax, bps).payout);
      }),
      { numRuns: 2000 },
    );
  });

  it('inclusiveTax is the tax in a tax-inclusive price, rounded to the nearest unit', () => {
    expect(inclusiveTax(1199, 2000)).toBe(200);
    expect(inclusiveTax(299, 2000)).toBe(50); // 249.17 net
    expect(inclusiveTax(299, 0)).toBe(0);
    expect(inclusiveTax(100, 10_000)).toBe(50);
    expect(inclusiveTax(3, 2000)).toBe(1); // 0.5 rounds up
    expect(() => inclusiveTax(100, 10_001)).toThrow(RangeError);
    expect(() => inclusiveTax(-1, 2000)).toThrow(RangeError);
    fc.assert(
      fc.property(saleArb, ({ amount, rate, tax }) => {
        const exact = (amount * rate) / (10_000 + rate);
        expect(Math.abs(tax - exact)).toBeLessThanOrEqual(0.5 + 1e-9);
        expect(tax).toBeLessThanOrEqual(amount);
      }),
    );
  });

  it('taxReversed: nothing for no refund, the whole tax for a full one; commission, tax and payout reversed each stay within what the sale gave (property)', () => {
    expect(taxReversed(0, 1199, 200)).toBe(0);
    expect(taxReversed(1199, 1199, 200)).toBe(200);
    expect(taxReversed(600, 1199, 200)).toBe(101);
    expect(taxReversed(2, 3, 1)).toBe(1);
    expect(payoutReversed(100, 299, 24, 50)).toBe(75);
    expect(payoutReversed(299, 299, 24, 50)).toBe(225);
    fc.assert(
      fc.property(saleArb, bpsArb, fc.double({ min: 0, max: 1, noNaN: true }), ({ amount, tax }, bps, share) => {
        const { commission, payout } = splitSale(amount, bps, tax);
        const refunded = Math.floor(amount * share);
        const c = commissionReversed(refunded, amount, commission);
        const t = taxReversed(refunded, amount, tax);
        const p = refunded - c - t;
        expect(payoutReversed(refunded, amount, commission, tax)).toBe(p);
        expect(t).toBeGreaterThanOrEqual(0);
        expect(t).toBeLessThanOrEqual(tax);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(payout);
        expect(taxReversed(amount, amount, tax)).toBe(tax);
      }),
      { numRuns: 2000 },
    );
  });

  it('the SQL forms give the same figures as the functions, on random sales (property)', async () => {
    const { DatabaseSync } = await import('node:sqlite');
    const db = new DatabaseSync(':memory:');
    const query = db.prepare(
      `SELECT ${commissionSql(':amount', ':tax', ':bps')} AS commission,
              ${taxReversedSql(':refunded', ':amount', ':tax')} AS tax_reversed`,
    );
    fc.assert(
      fc.property(saleArb, bpsArb, fc.double({ min: 0, max: 1, noNaN: true }), ({ amount, tax }, bps, share) => {
        const refunded = Math.floor(amount * share);
        const row = query.get({
          amount: BigInt(amount),
          tax: BigInt(tax),
          bps: BigInt(bps),
          refunded: BigInt(refunded),
        }) as { commission: number; tax_reversed: number };
        expect(row.commission).toBe(splitSale(amount, bps, tax).commission);
        expect(row.tax_reversed).toBe(taxReversed(refunded, amount, tax));
      }),
      { numRuns: 2000 },
    );
    db.close();
  });
});
