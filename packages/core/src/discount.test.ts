import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CURRENCIES, CURRENCY_CODES, type Currency } from './currency.js';
import { bestPrice, discountCovers, lastSaleDay, parseOffers, reducedPrice, saleOn, saleText } from './discount.js';
import { translator } from './i18n/index.js';

const currencyArb = fc.constantFrom(...CURRENCY_CODES);
const reductionArb = fc.oneof(
  fc.record({ kind: fc.constant('percent' as const), value: fc.integer({ min: 1, max: 99 }) }),
  fc.record({ kind: fc.constant('fixed' as const), value: fc.integer({ min: 1, max: 2_000_000 }) }),
);
const caseArb = currencyArb.chain((currency) =>
  fc.record({
    currency: fc.constant(currency as Currency),
    price: fc.integer({ min: CURRENCIES[currency].min, max: CURRENCIES[currency].max }),
    offers: fc.array(reductionArb, { maxLength: 5 }),
  }),
);

describe('reducedPrice', () => {
  it('takes a rounded percentage or a fixed amount off, down to the currency minimum', () => {
    expect(reducedPrice(299, { kind: 'percent', value: 50 }, 'EUR')).toBe(149);
    expect(reducedPrice(299, { kind: 'percent', value: 10 }, 'EUR')).toBe(269);
    expect(reducedPrice(299, { kind: 'fixed', value: 100 }, 'EUR')).toBe(199);
    expect(reducedPrice(199, { kind: 'fixed', value: 150 }, 'USD')).toBe(99);
    expect(reducedPrice(99, { kind: 'percent', value: 50 }, 'USD')).toBe(99);
    expect(reducedPrice(1200, { kind: 'percent', value: 25 }, 'JPY')).toBe(900);
    expect(reducedPrice(200, { kind: 'percent', value: 90 }, 'JPY')).toBe(150);
  });

  it('never goes above the price nor below the minimum (property)', () => {
    fc.assert(
      fc.property(caseArb, ({ currency, price, offers }) => {
        for (const offer of offers) {
          const p = reducedPrice(price, offer, currency);
          expect(p).toBeLessThanOrEqual(price);
          expect(p).toBeGreaterThanOrEqual(CURRENCIES[currency].min);
          expect(Number.isSafeInteger(p)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('bestPrice', () => {
  it('is the lowest single offer, never offers stacked; null when none lowers the price (property)', () => {
    fc.assert(
      fc.property(caseArb, ({ currency, price, offers }) => {
        const best = bestPrice(price, offers, currency);
        const prices = offers.map((o) => reducedPrice(price, o, currency));
        const lowest = Math.min(price, ...prices);
        if (lowest === price) expect(best).toBeNull();
        else expect(best!.price).toBe(lowest);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('what a discount covers, and how it is shown', () => {
  it('covers every episode, one episode, or the whole series', () => {
    expect(discountCovers({ scope: 'episodes', episodeId: null }, 'ep_a')).toBe(true);
    expect(discountCovers({ scope: 'episodes', episodeId: null }, null)).toBe(false);
    expect(discountCovers({ scope: 'episode', episodeId: 'ep_a' }, 'ep_a')).toBe(true);
    expect(discountCovers({ scope: 'episode', episodeId: 'ep_a' }, 'ep_b')).toBe(false);
    expect(discountCovers({ scope: 'bundle', episodeId: null }, null)).toBe(true);
    expect(discountCovers({ scope: 'bundle', episodeId: null }, 'ep_a')).toBe(false);
  });

  it('reads the offers column and prices the item with them', () => {
    const endsAt = Date.UTC(2026, 11, 13);
    const offers = parseOffers(
      JSON.stringify({
        currency: 'EUR',
        discounts: [
          { id: 'dsc_1', scope: 'episodes', episodeId: null, kind: 'fixed', value: 100, startsAt: 0, endsAt },
        ],
      }),
    );
    expect(saleOn(299, offers, 'ep_a')).toEqual({ price: 199, endsAt: new Date(endsAt).toISOString() });
    expect(saleOn(299, offers, null)).toBeNull();
    expect(saleOn(null, offers, 'ep_a')).toBeNull();
    expect(parseOffers(null)).toBeNull();
    expect(parseOffers(JSON.stringify({ currency: 'XXX', discounts: [] }))).toBeNull();
  });

  it('says "€2.99 → €1.99 until Dec 12" in English and French (the last day in force, UTC)', () => {
    const sale = { price: 199, endsAt: Date.UTC(2026, 11, 13) };
    expect(lastSaleDay(sale.endsAt, 'en')).toBe('Dec 12');
    expect(saleText(translator('en'), 299, sale, 'EUR')).toEqual({
      text: '€2.99 → €1.99 until Dec 12',
      spoken: '€1.99 instead of €2.99, until Dec 12',
    });
    expect(saleText(translator('fr'), 299, sale, 'EUR').text).toBe('2,99\u00a0€ → 1,99\u00a0€ jusqu’au 12 déc.');
  });
});
