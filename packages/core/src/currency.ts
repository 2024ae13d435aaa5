/**
 * Currencies a creator may price in, with their ISO 4217 minor-unit exponent and the price bounds
 * (in minor units) a single item may take. USD follows the video site's own range (0.99..189.99);
 * the others are rounded local equivalents.
 */
export const CURRENCIES = {
  USD: { exponent: 2, min: 99, max: 18_999 },
  EUR: { exponent: 2, min: 99, max: 18_999 },
  GBP: { exponent: 2, min: 79, max: 14_999 },
  CAD: { exponent: 2, min: 129, max: 24_999 },
  AUD: { exponent: 2, min: 149, max: 27_999 },
  CHF: { exponent: 2, min: 99, max: 17_999 },
  BRL: { exponent: 2, min: 490, max: 99_990 },
  MXN: { exponent: 2, min: 1_900, max: 349_900 },
  INR: { exponent: 2, min: 8_900, max: 1_599_900 },
  JPY: { exponent: 0, min: 150, max: 28_000 },
  KRW: { exponent: 0, min: 1_300, max: 250_000 },
} as const satisfies Record<string, { exponent: number; min: number; max: number }>;

export type Currency = keyof typeof CURRENCIES;
export const CURRENCY_CODES = Object.keys(CURRENCIES) as [Currency, ...Currency[]];

export function isCurrency(code: string): code is Currency {
  return Object.hasOwn(CURRENCIES, code);
}

/**
 * Formats minor units for people, respecting zero-decimal currencies.
 * @example formatMoney(1999, 'USD', 'en-US') // "$19.99"; formatMoney(500, 'JPY', 'en-US') // "¥500"
 */
export function formatMoney(amount: number, currency: Currency, locale = 'en-US'): string {
  const { exponent } = CURRENCIES[currency];
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  }).format(amount / 10 ** exponent);
}

export function priceBoundsMessage(currency: Currency): string {
  const { min, max } = CURRENCIES[currency];
  return `Price must be between ${formatMoney(min, currency)} and ${formatMoney(max, currency)}`;
}

/** Null when the amount is an acceptable price in that currency, otherwise the message the API and forms show. */
export function checkPrice(amount: number, currency: Currency): string | null {
  const { min, max } = CURRENCIES[currency];
  if (!Number.isSafeInteger(amount)) return 'Price must be a whole number of minor units (cents)';
  if (amount < min || amount > max) return priceBoundsMessage(currency);
  return null;
}
