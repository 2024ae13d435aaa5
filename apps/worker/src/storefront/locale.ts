import { translator, type Locale, type Translator } from '@series/core';
import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { Session } from '../lib/context.js';
import { LANG_COOKIE, pickLocale } from '../lib/locale.js';

export interface StorefrontEnv {
  Bindings: Env;
  Variables: { session: Session | null; locale: Locale; t: Translator };
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
