import { formatMoney, type Currency } from '@series/core';

/** The creator's own locale: dates, numbers and money read the way they expect. */
export const userLocale = (): string => globalThis.navigator?.language || 'en-US';

/** Money in the series' currency, in the creator's locale (zero-decimal currencies stay whole). */
export const money = (amount: number, currency: Currency): string => formatMoney(amount, currency, userLocale());

export const count = (n: number): string => new Intl.NumberFormat(userLocale()).format(n);

/** A rate in basis points as a percentage: 0 → "0%", 1250 → "12.5%". */
export const percentFromBps = (bps: number): string =>
  new Intl.NumberFormat(userLocale(), { style: 'percent', maximumFractionDigits: 2 }).format(bps / 10_000);

export const percent = (ratio: number, locale: string = userLocale()): string =>
  new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(ratio);

/** A UTC calendar day ("2026-03-01", as analytics name days), shown as that same day in the user's locale. */
export const formatDay = (day: string, style: 'medium' | 'short' = 'medium'): string =>
  new Intl.DateTimeFormat(userLocale(), { dateStyle: style, timeZone: 'UTC' }).format(Date.parse(`${day}T00:00:00Z`));

/** A UTC month ("2026-03") as "March 2026" in the user's locale. */
export const formatMonth = (month: string): string =>
  new Intl.DateTimeFormat(userLocale(), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    Date.parse(`${month}-01T00:00:00Z`),
  );

/** An instant in the user's own time zone. */
export const formatDateTime = (iso: string): string =>
  new Intl.DateTimeFormat(userLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(Date.parse(iso));

/** "1:35" or "95" → seconds; anything else → NaN (the duration schema then explains). */
export function parseDuration(text: string): number {
  const t = text.trim();
  const mmss = /^(\d{1,4}):([0-5]\d)$/.exec(t);
  if (mmss) return Number(mmss[1]) * 60 + Number(mmss[2]);
  return /^\d+$/.test(t) ? Number(t) : Number.NaN;
}

/** A size in bytes, e.g. "12.3 MB" ("12,3 Mo" in French). */
export function formatBytes(bytes: number, locale: string = userLocale()): string {
  const units = locale.startsWith('fr') ? ['o', 'Ko', 'Mo', 'Go'] : ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: unit ? 1 : 0 }).format(value)} ${units[unit]}`;
}

/** "1 episode", "3 episodes" (English nouns; numbers in the user's locale). */
export const plural = (n: number, one: string, many = `${one}s`): string => `${count(n)} ${n === 1 ? one : many}`;

/** "US Dollar (USD)" in the user's language. */
export function currencyName(code: string): string {
  try {
    const name = new Intl.DisplayNames([userLocale()], { type: 'currency' }).of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}
