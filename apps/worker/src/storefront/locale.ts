import { isLocale, negotiateLocale, translator, type Locale, type Translator } from '@series/core';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { Session } from '../context.js';

/** The language the viewer chose with the switch; otherwise the browser's (Accept-Language). */
export const LANG_COOKIE = 'series_lang';

export interface StorefrontEnv {
  Bindings: Env;
  Variables: { session: Session | null; locale: Locale; t: Translator };
}

/** `?lang=` (the visible switch) wins and is remembered; then the remembered choice; then the browser's. */
export function pickLocale(c: Context): { locale: Locale; chosen: boolean } {
  const asked = c.req.query('lang');
  if (isLocale(asked)) return { locale: asked, chosen: true };
  const kept = getCookie(c, LANG_COOKIE);
  if (isLocale(kept)) return { locale: kept, chosen: false };
  return { locale: negotiateLocale(c.req.header('Accept-Language')), chosen: false };
}

export const withLocale = createMiddleware<StorefrontEnv>(async (c, next) => {
  const { locale, chosen } = pickLocale(c);
  c.set('locale', locale);
  c.set('t', translator(locale));
  await next();
  // Set on the way out, after the page cache: a cached page never carries anyone's cookie.
  if (chosen) setCookie(c, LANG_COOKIE, locale, { path: '/', sameSite: 'Lax', secure: true, maxAge: 365 * 24 * 3600 });
  // The same address answers in another language for another browser or choice.
  c.res.headers.set('Vary', 'Accept-Language, Cookie');
  c.res.headers.set('Content-Language', locale);
});

/** The page cache's variant: the same page in another language is another cached answer. */
export const localeVariant = (c: Context) => pickLocale(c).locale;
