import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CURRENCIES,
  CURRENCY_CODES,
  type Currency,
  checkPrice,
  formatMoney,
  isCurrency,
  priceBoundsMessage,
} from './currency.js';

const currencyArb = fc.constantFrom(...CURRENCY_CODES);
const zeroDecimal = CURRENCY_CODES.filter((c) => CURRENCIES[c].exponent === 0);
const twoDecimal = CURRENCY_CODES.filter((c) => CURRENCIES[c].exponent === 2);

/** A currency together with an integer inside its price bounds. */
const inBoundsArb = currencyArb.chain((currency) =>
  fc.record({
    currency: fc.constant(currency),
    amount: fc.integer({ min: CURRENCIES[currency].min, max: CURRENCIES[currency].max }),
  }),
);

describe('CURRENCIES table', () => {
  it('lists the expected codes, with CURRENCY_CODES matching the table keys', () => {
    expect([...CURRENCY_CODES].sort()).toEqual(
      ['AUD', 'BRL', 'CAD', 'CHF', 'EUR', 'GBP', 'INR', 'JPY', 'KRW', 'MXN', 'USD'].sort(),
    );
    expect(CURRENCY_CODES).toEqual(Object.keys(CURRENCIES));
  });

  it.each(CURRENCY_CODES)('%s has sane bounds (positive integers, min < max, exponent 0 or 2)', (code) => {
    const { exponent, min, max } = CURRENCIES[code];
    expect([0, 2]).toContain(exponent);
    expect(Number.isSafeInteger(min)).toBe(true);
    expect(Number.isSafeInteger(max)).toBe(true);
    expect(min).toBeGreaterThan(0);
    expect(max).toBeGreaterThan(min);
  });

  it('JPY and KRW are zero-decimal; USD follows the video site range 0.99..189.99', () => {
    expect(CURRENCIES.JPY.exponent).toBe(0);
    expect(CURRENCIES.KRW.exponent).toBe(0);
    expect(CURRENCIES.USD).toEqual({ exponent: 2, min: 99, max: 18_999 });
  });
});

describe('isCurrency', () => {
  it.each(CURRENCY_CODES)('accepts %s', (code) => {
    expect(isCurrency(code)).toBe(true);
  });

  it.each(['XYZ', 'usd', 'Usd', ' USD', 'USD ', '', 'US', 'USDD'])('rejects %j', (code) => {
    expect(isCurrency(code)).toBe(false);
  });

  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'])(
    'rejects inherited Object.prototype key %j',
    (code) => {
      expect(isCurrency(code)).toBe(false);
    },
  );

  it('is true exactly for the table keys (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 5 }), (s) => {
        expect(isCurrency(s)).toBe((CURRENCY_CODES as readonly string[]).includes(s));
      }),
    );
  });
});

describe('checkPrice', () => {
  it('accepts every integer in min..max for every currency (property)', () => {
    fc.assert(
      fc.property(inBoundsArb, ({ currency, amount }) => {
        expect(checkPrice(amount, currency)).toBeNull();
      }),
    );
  });

  it.each(CURRENCY_CODES)('%s: accepts min and max exactly, rejects min-1 and max+1', (code) => {
    const { min, max } = CURRENCIES[code];
    expect(checkPrice(min, code)).toBeNull();
    expect(checkPrice(max, code)).toBeNull();
    expect(checkPrice(min - 1, code)).toBe(priceBoundsMessage(code));
    expect(checkPrice(max + 1, code)).toBe(priceBoundsMessage(code));
  });

  it('rejects every integer outside min..max (property)', () => {
    fc.assert(
      fc.property(
        currencyArb,
        fc.oneof(fc.integer({ min: -1_000_000_000, max: 0 }), fc.integer({ min: 1, max: 2_000_000_000 })),
        (currency, amount) => {
          const { min, max } = CURRENCIES[currency];
          fc.pre(amount < min || amount > max);
          expect(checkPrice(amount, currency)).toBe(priceBoundsMessage(currency));
        },
      ),
    );
  });

  it('rejects fractional amounts even inside the bounds (property)', () => {
    fc.assert(
      fc.property(inBoundsArb, fc.double({ min: 0.001, max: 0.999, noNaN: true }), ({ currency, amount }, fraction) => {
        const value = amount + fraction;
        fc.pre(!Number.isInteger(value));
        expect(checkPrice(value, currency)).toBe('Price must be a whole number of minor units (cents)');
      }),
    );
  });

  it.each([
    ['fraction', 19.99],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['beyond MAX_SAFE_INTEGER', Number.MAX_SAFE_INTEGER + 2],
  ])('rejects %s as not a whole number', (_label, value) => {
    expect(checkPrice(value, 'USD')).toBe('Price must be a whole number of minor units (cents)');
  });

  it('rejects 0 (free is expressed as null, never as a 0 price)', () => {
    for (const code of CURRENCY_CODES) expect(checkPrice(0, code)).not.toBeNull();
  });
});

describe('formatMoney', () => {
  it('formats USD minor units as dollars and cents', () => {
    expect(formatMoney(1999, 'USD')).toBe('$19.99');
    expect(formatMoney(1999, 'USD', 'en-US')).toBe('$19.99');
    expect(formatMoney(99, 'USD')).toBe('$0.99');
    expect(formatMoney(5, 'USD')).toBe('$0.05');
    expect(formatMoney(100, 'USD')).toBe('$1.00');
    expect(formatMoney(18_999, 'USD')).toBe('$189.99');
    expect(formatMoney(123_456_789, 'USD')).toBe('$1,234,567.89');
  });

  it('formats zero-decimal currencies without decimals', () => {
    expect(formatMoney(500, 'JPY')).toBe('¥500');
    expect(formatMoney(500, 'JPY')).not.toContain('.');
    expect(formatMoney(28_000, 'JPY')).toBe('¥28,000');
    expect(formatMoney(1_300, 'KRW')).toBe('₩1,300');
    expect(formatMoney(1_300, 'KRW')).not.toContain('.');
  });

  it('never shows a decimal part for zero-decimal currencies and never loses value (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...zeroDecimal), fc.integer({ min: 0, max: 1_000_000_000 }), (currency, amount) => {
        const text = formatMoney(amount, currency);
        expect(text).not.toContain('.');
        expect(Number(text.replace(/\D/g, ''))).toBe(amount);
      }),
    );
  });

  it('always shows exactly two decimals for two-decimal currencies, with all digits of the amount (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...twoDecimal), fc.integer({ min: 0, max: 2_000_000_000 }), (currency, amount) => {
        const text = formatMoney(amount, currency);
        expect(text).toMatch(/\.\d\d$/);
        expect(Number(text.replace(/\D/g, ''))).toBe(amount);
      }),
    );
  });

  it('honours the locale argument', () => {
    // de-DE uses a comma as decimal separator and puts the symbol after the amount.
    const text = formatMoney(1999, 'EUR', 'de-DE');
    expect(text).toContain('19,99');
    expect(text).toContain('€');
  });
});

describe('priceBoundsMessage', () => {
  it('names both bounds in the currency', () => {
    expect(priceBoundsMessage('USD')).toBe('Price must be between $0.99 and $189.99');
    expect(priceBoundsMessage('JPY')).toBe('Price must be between ¥150 and ¥28,000');
  });

  it.each(CURRENCY_CODES)('%s message contains the formatted min and max', (code: Currency) => {
    const { min, max } = CURRENCIES[code];
    const message = priceBoundsMessage(code);
    expect(message).toContain(formatMoney(min, code));
    expect(message).toContain(formatMoney(max, code));
  });
});
