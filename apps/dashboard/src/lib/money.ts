import { CURRENCIES, type Currency } from '@series/core';

/**
 * What a creator types as a price ("2.99", "2,99", "300") in minor units of the currency. Anything that
 * is not a number gives NaN, and extra decimals give a fractional amount: the core schemas then answer
 * with the API's own messages ("Price must be a whole number of minor units (cents)").
 */
export function parseMoneyInput(text: string, currency: Currency): number {
  const clean = text.trim().replace(/\s/g, '');
  if (!/^-?\d+([.,]\d+)?$/.test(clean)) return Number.NaN;
  const major = Number(clean.replace(',', '.'));
  // Rounds away binary noise (2.99 * 100 = 299.00000000000006) while keeping real extra decimals.
  return Math.round(major * 10 ** CURRENCIES[currency].exponent * 1e6) / 1e6;
}

/** Minor units as the plain decimal a form field or a CSV cell shows: 299 USD → "2.99", 300 JPY → "300". */
export function minorToDecimal(amount: number, currency: Currency): string {
  const { exponent } = CURRENCIES[currency];
  if (exponent === 0) return String(amount);
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.abs(amount)).padStart(exponent + 1, '0');
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}
