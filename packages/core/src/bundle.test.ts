import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bundlePriceFor } from './bundle.js';
import { CURRENCIES, CURRENCY_CODES, type Currency } from './currency.js';

const currencyArb = fc.constantFrom(...CURRENCY_CODES);
/** A valid whole-series price in its currency, and what a buyer may have paid for episodes (up to far more). */
const caseArb = currencyArb.chain((currency) =>
  fc.record({
    currency: fc.constant(currency as Currency),
    bundle: fc.integer({ min: CURRENCIES[currency].min, max: CURRENCIES[currency].max }),
    paid: fc.integer({ min: 0, max: 80 * CURRENCIES[currency].max }),
  }),
);

describe('bundlePriceFor', () => {
  it('is the bundle price less what was paid, down to the currency minimum', () => {
    expect(bundlePriceFor(499, 0, 'USD')).toBe(499);
    expect(bundlePriceFor(499, 199, 'USD')).toBe(300);
    expect(bundlePriceFor(499, 400, 'USD')).toBe(99);
    expect(bundlePriceFor(499, 498, 'USD')).toBe(99);
    // Five episodes owned, paid more than the bundle: "Complete the series — $0.99".
    expect(bundlePriceFor(499, 995, 'USD')).toBe(99);
    expect(bundlePriceFor(1200, 800, 'JPY')).toBe(400);
    expect(bundlePriceFor(1200, 1100, 'JPY')).toBe(150);
    expect(bundlePriceFor(10_000, 9_999, 'KRW')).toBe(1_300);
  });

  it('never goes below the currency minimum nor above the bundle price, and is a whole number (property)', () => {
    fc.assert(
      fc.property(caseArb, ({ currency, bundle, paid }) => {
        const price = bundlePriceFor(bundle, paid, currency);
        expect(Number.isSafeInteger(price)).toBe(true);
        expect(price).toBeGreaterThanOrEqual(CURRENCIES[currency].min);
        expect(price).toBeLessThanOrEqual(bundle);
      }),
      { numRuns: 2000 },
    );
  });

  it('takes off exactly what was paid while that leaves at least the minimum, else is the minimum (property)', () => {
    fc.assert(
      fc.property(caseArb, ({ currency, bundle, paid }) => {
        const price = bundlePriceFor(bundle, paid, currency);
        const { min } = CURRENCIES[currency];
        expect(price).toBe(bundle - paid >= min ? bundle - paid : min);
      }),
      { numRuns: 2000 },
    );
  });

  it('is the full price for a buyer who owns nothing, and never rises as they pay for more (property)', () => {
    fc.assert(
      fc.property(caseArb, fc.nat(100_000), ({ currency, bundle, paid }, more) => {
        expect(bundlePriceFor(bundle, 0, currency)).toBe(bundle);
        expect(bundlePriceFor(bundle, paid + more, currency)).toBeLessThanOrEqual(
          bundlePriceFor(bundle, paid, currency),
        );
      }),
    );
  });

  it('refuses amounts that are not money', () => {
    for (const [bundle, paid] of [
      [0, 0],
      [-1, 0],
      [1.5, 0],
      [499, -1],
      [499, 0.5],
      [499, Number.NaN],
      [Number.POSITIVE_INFINITY, 0],
    ] as const) {
      expect(() => bundlePriceFor(bundle, paid, 'USD')).toThrow(RangeError);
    }
  });
});
