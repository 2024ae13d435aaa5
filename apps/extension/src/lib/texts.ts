// Zod-free and catalogue-free: the content script uses this. The catalogues (packages/core/src/i18n) stay in the
// background, which sends each page only the `extension.*` messages of the language in force.
import type { Locale, MessageKey, MessageVars, PluralKey } from '@series/core';
import { interpolate } from '@series/core/i18n/interpolate';
import type { CheckoutState, ExtensionError } from './protocol';

/** The messages the extension reads: its own, and the promo code texts it shares with the storefront. */
export const TEXT_PREFIXES = ['extension.', 'promo.', 'client.promo.'] as const;
export type TextKey = Extract<MessageKey, `${(typeof TEXT_PREFIXES)[number]}${string}`>;
export type PluralTextKey = Extract<PluralKey, `extension.${string}`>;

let locale: Locale = 'en';
let messages: Partial<Record<string, string>> = {};
let rules = new Intl.PluralRules('en');
let numbers = new Intl.NumberFormat('en');
let dates = new Intl.DateTimeFormat('en', { dateStyle: 'medium' });

/** Puts a language's messages in force (from the background's `ui` answer). */
export function setTexts(next: Locale, catalogue: Partial<Record<string, string>>): void {
  locale = next;
  messages = catalogue;
  rules = new Intl.PluralRules(next);
  numbers = new Intl.NumberFormat(next);
  dates = new Intl.DateTimeFormat(next, { dateStyle: 'medium' });
}

export const textLocale = (): Locale => locale;

/**
 * A message with its placeholders filled; the type system asks for exactly the message's placeholders.
 * @example t('extension.episode.heading', { number: 2, series: 'The Lighthouse Keeper' })
 */
export function t<K extends TextKey>(key: K, ...vars: MessageVars<K>): string {
  return interpolate(messages[key] ?? key, vars[0]);
}

/** The `.one` / `.other` form for `count` in the language in force ("1 épisode", "2 épisodes"); `{count}` formatted. */
export function plural(key: PluralTextKey, count: number, vars: Record<string, string | number> = {}): string {
  const form = rules.select(count) === 'one' ? 'one' : 'other';
  return interpolate(messages[`${key}.${form}`] ?? key, { count: numbers.format(count), ...vars });
}

/** A date in the viewer's time zone and language ("Dec 12, 2026", "12 déc. 2026"). */
export const formatDate = (iso: string): string => dates.format(new Date(iso));

/** Texts for API error codes the viewer may meet; any other code gets the extension's own text for its kind. */
const API_TEXTS: Partial<Record<string, TextKey>> = {
  invalid_credentials: 'extension.error.api.invalid_credentials',
  email_taken: 'extension.error.api.email_taken',
  rate_limited: 'extension.error.api.rate_limited',
  own_content: 'extension.error.api.own_content',
  no_bundle_price: 'extension.error.api.no_bundle_price',
  creator_cannot_sell: 'extension.error.api.creator_cannot_sell',
  payments_not_configured: 'extension.error.api.payments_not_configured',
  payment_provider_unavailable: 'extension.error.api.payment_provider_unavailable',
  media_not_uploaded: 'extension.error.api.media_not_uploaded',
  episode_not_ready: 'extension.error.api.episode_not_ready',
  series_not_ready: 'extension.error.api.series_not_ready',
  invalid_grant: 'extension.error.api.invalid_grant',
  internal: 'extension.error.api.internal',
};
const FIELD_TEXTS: Partial<Record<string, TextKey>> = {
  email: 'extension.error.field.email',
  password: 'extension.error.field.password',
};

/**
 * What the viewer reads for an error: never the API's English message, but the extension's own text for the
 * API's stable `code` (or the field it refused), else for the kind of failure.
 */
export function errorText(error: ExtensionError): string {
  const key =
    (error.apiCode && API_TEXTS[error.apiCode]) ||
    (error.apiCode?.startsWith('promo_code_') && (`client.promo.${error.apiCode}` as TextKey)) ||
    (error.code === 'invalid_request' && error.field && FIELD_TEXTS[error.field]) ||
    (`extension.error.${error.code}` as TextKey);
  return interpolate(messages[key] ?? messages['extension.error.api_error'] ?? key, {
    url: error.url ?? '',
    origin: error.url ?? '',
  });
}

/**
 * The line under an unlock button while a checkout runs (null when there is nothing to say). The overlay and the
 * player differ only in where the open checkout is: the player names its own tab.
 */
export function checkoutStateText(state: CheckoutState | null, where: 'overlay' | 'player'): string | null {
  switch (state?.phase) {
    case 'awaiting_sign_in':
      return t('extension.checkout.awaitingSignIn');
    case 'open':
      return t(where === 'player' ? 'extension.checkout.openPlayer' : 'extension.checkout.open');
    case 'cancelled':
      return t('extension.checkout.cancelled');
    case 'expired':
      return t('extension.checkout.expired');
    case 'failed':
      return errorText(state.error);
    default:
      return null;
  }
}
