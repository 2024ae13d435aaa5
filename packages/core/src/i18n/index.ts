import { formatMoney, type Currency } from '../currency.js';
import { en } from './en.js';
import { fr } from './fr.js';
import { interpolate } from './interpolate.js';

export { interpolate };

/**
 * Every text a person reads, in English and French, as typed catalogues of plain strings.
 *
 * Why plain strings with `{name}` placeholders rather than functions or an ICU library: a catalogue slice can be
 * sent to a browser as JSON (the storefront's script gets only the keys it needs, in the page's language),
 * placeholders are checked by the type system (`t('x', { price })` fails to compile without `price`), and
 * plurals are sibling keys (`key.one`, `key.other`) picked with `Intl.PluralRules`, which already knows that
 * French says "0 épisode". Numbers, prices and dates always go through `Intl` (the helpers below).
 */
export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;
export const CATALOGUES: Record<Locale, Catalogue> = { en, fr };

/** The `{name}` placeholders of a message, as a union of names. */
type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}`
  ? Name | Placeholders<Rest>
  : never;
type Vars<K extends MessageKey> = [Placeholders<(typeof en)[K]>] extends [never]
  ? []
  : [vars: Record<Placeholders<(typeof en)[K]>, string | number>];

/** The arguments `t(key, …)` takes: the message's placeholders, or nothing. For typed slices elsewhere. */
export type MessageVars<K extends MessageKey> = Vars<K>;

/** Keys that come in `.one` / `.other` pairs. */
type PluralBase<K> = K extends `${infer Base}.other` ? (`${Base}.one` extends MessageKey ? Base : never) : never;
export type PluralKey = PluralBase<MessageKey>;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The best of our locales for an `Accept-Language` header (q-values respected, region ignored).
 * @example negotiateLocale('fr-CH, fr;q=0.9, en;q=0.8') // 'fr'
 */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const ranked = acceptLanguage
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { lang: tag.trim().toLowerCase().split('-')[0], weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((r) => r.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return ranked.map((r) => r.lang).find(isLocale) ?? DEFAULT_LOCALE;
}

export interface Translator {
  readonly locale: Locale;
  t<K extends MessageKey>(key: K, ...vars: Vars<K>): string;
  /** The `.one` / `.other` form for `count` (which is also available to the message as `{count}`, formatted). */
  plural(key: PluralKey, count: number, vars?: Record<string, string | number>): string;
  price(amount: number, currency: Currency): string;
  number(n: number): string;
  /** A calendar date in UTC, e.g. "12 Dec 2026" / "12 déc. 2026". */
  date(value: string | number | Date): string;
  /** A date and time in UTC. */
  dateTime(value: string | number | Date): string;
  /** A running time, e.g. "9 min" or "1 min 35 s" (the second part only under ten minutes). */
  duration(seconds: number): string;
}

export function translator(locale: Locale): Translator {
  const catalogue = CATALOGUES[locale];
  const rules = new Intl.PluralRules(locale);
  const numbers = new Intl.NumberFormat(locale);
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const dateTimes = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  const minutes = new Intl.NumberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'short' });
  const secs = new Intl.NumberFormat(locale, { style: 'unit', unit: 'second', unitDisplay: 'short' });
  return {
    locale,
    t: (key, ...vars) => interpolate(catalogue[key], vars[0]),
    plural(key, count, vars = {}) {
      const form = rules.select(count) === 'one' ? 'one' : 'other';
      return interpolate(catalogue[`${key}.${form}` as MessageKey], { count: numbers.format(count), ...vars });
    },
    price: (amount, currency) => formatMoney(amount, currency, locale),
    number: (n) => numbers.format(n),
    date: (value) => dates.format(new Date(value)),
    dateTime: (value) => `${dateTimes.format(new Date(value))} UTC`,
    duration(seconds) {
      const m = Math.floor(seconds / 60);
      const s = Math.round(seconds % 60);
      if (m === 0) return secs.format(s);
      return m < 10 && s > 0 ? `${minutes.format(m)} ${secs.format(s)}` : minutes.format(Math.round(seconds / 60));
    },
  };
}

/** The messages whose keys start with one of `prefixes`, for shipping a slice of a catalogue to a browser. */
export function pick(locale: Locale, prefixes: readonly string[]): Partial<Catalogue> {
  const catalogue = CATALOGUES[locale];
  return Object.fromEntries(
    Object.entries(catalogue).filter(([key]) => prefixes.some((p) => key.startsWith(p))),
  ) as Partial<Catalogue>;
}
