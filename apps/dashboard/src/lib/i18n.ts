import {
  formatMoney,
  interpolate,
  isLocale,
  negotiateLocale,
  type Currency,
  type Locale,
  type MessageKey,
  type MessageVars,
  type PluralKey,
} from '@series/core';
import { useEffect, useState } from 'preact/hooks';
import { api, request, type ApiFailure } from './api.js';

/**
 * The dashboard's language: the one picked with its switch (kept in this browser), else the browser's own
 * (English unless French comes first). Texts are the `dashboard.*` slice of the shared catalogues
 * (packages/core/src/i18n), fetched once per language from `GET /v1/texts/dashboard` so no catalogue ships in the
 * bundle; plurals through Intl.PluralRules, numbers, prices and dates through Intl.
 */
const KEY = 'series.dashboard.locale';
const EVENT = 'series:locale';

export function dashboardLocale(): Locale {
  const kept = globalThis.localStorage?.getItem(KEY);
  if (isLocale(kept)) return kept;
  return negotiateLocale(globalThis.navigator?.languages?.join(',') || globalThis.navigator?.language);
}

export function setDashboardLocale(locale: Locale) {
  globalThis.localStorage?.setItem(KEY, locale);
  document.documentElement.lang = locale;
  dispatchEvent(new Event(EVENT));
}

type Messages = Partial<Record<MessageKey, string>>;
const loaded = new Map<Locale, Promise<Messages>>();
const ready = new Map<Locale, Messages>();
function load(locale: Locale): Promise<Messages> {
  let p = loaded.get(locale);
  if (!p) {
    p = request(() => api.v1.texts.dashboard.$get({ query: { lang: locale } })).then((body) => {
      ready.set(locale, body.messages as Messages);
      return body.messages as Messages;
    });
    p.catch(() => loaded.delete(locale));
    loaded.set(locale, p);
  }
  return p;
}

export interface DashboardT {
  locale: Locale;
  /** False until the language's texts arrived (texts read empty meanwhile). */
  ready: boolean;
  t<K extends MessageKey>(key: K, ...vars: MessageVars<K>): string;
  plural(key: PluralKey, count: number, vars?: Record<string, string | number>): string;
  has(key: string): boolean;
  price(amount: number, currency: Currency): string;
  number(value: number): string;
  /** A rate in basis points as a percentage: 1250 → "12.5%" ("12,5 %" in French). */
  percentBps(bps: number): string;
  date(value: string | number): string;
  dateTime(value: string | number): string;
  /** A UTC month ("2026-03") as "March 2026" ("mars 2026"). */
  month(value: string): string;
}

function make(locale: Locale, messages: Messages | undefined): DashboardT {
  const rules = new Intl.PluralRules(locale);
  const text = (key: string, vars?: Record<string, string | number>) =>
    messages?.[key as MessageKey] !== undefined ? interpolate(messages[key as MessageKey]!, vars) : '';
  return {
    locale,
    ready: !!messages,
    t: (key, ...vars) => text(key, vars[0] as Record<string, string | number> | undefined),
    plural: (key, count, vars) =>
      text(`${key}.${rules.select(count) === 'one' ? 'one' : 'other'}`, {
        ...vars,
        count: new Intl.NumberFormat(locale).format(count),
      }),
    has: (key) => messages?.[key as MessageKey] !== undefined,
    price: (amount, currency) => formatMoney(amount, currency, locale),
    number: (value) => new Intl.NumberFormat(locale).format(value),
    percentBps: (bps) =>
      new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(bps / 10_000),
    date: (value) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(value)),
    dateTime: (value) =>
      new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value)),
    month: (value) =>
      new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
        Date.parse(`${value}-01T00:00:00Z`),
      ),
  };
}

/** The dashboard's texts in its language, re-rendering when they arrive or the switch changes the language. */
export function useT(): DashboardT {
  const [locale, setLocale] = useState(dashboardLocale);
  const [, setTick] = useState(0);
  useEffect(() => {
    const changed = () => setLocale(dashboardLocale());
    addEventListener(EVENT, changed);
    return () => removeEventListener(EVENT, changed);
  }, []);
  const messages = ready.get(locale);
  const rendered = messages !== undefined;
  useEffect(() => {
    const arrived = () => setTick((n) => n + 1);
    // The texts may have arrived between this render and this effect (another part of the page asked first):
    // then render again with them, or this part (the top bar, say) would keep its empty texts.
    if (ready.has(locale)) {
      if (!rendered) arrived();
      return;
    }
    // A request started earlier (by another part of the page) may fail: ask once more, afresh.
    void load(locale).then(arrived, () => load(locale).then(arrived, () => undefined));
  }, [locale, rendered]);
  return make(locale, messages);
}

/**
 * What a person reads for an API refusal: the message of its stable `code` in their language when the catalogue
 * has one (`dashboard.error.<code>`), else the API's own message (English).
 */
export function errorText(t: DashboardT, err: ApiFailure): string {
  if (err.unreachable) return t.t('dashboard.error.unreachable') || err.message;
  const key = `dashboard.error.${err.code}`;
  return t.has(key) ? (t.t as (k: string) => string)(key) : err.message;
}
