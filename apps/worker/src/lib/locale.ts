import { isLocale, negotiateLocale, type Locale } from '@series/core';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';

/** The language the viewer chose with a page's switch; otherwise the browser's (Accept-Language). */
export const LANG_COOKIE = 'series_lang';

/** `?lang=` (the visible switch) wins and is remembered; then the remembered choice; then the browser's. */
export function pickLocale(c: Context): { locale: Locale; chosen: boolean } {
  const asked = c.req.query('lang');
  if (isLocale(asked)) return { locale: asked, chosen: true };
  const kept = getCookie(c, LANG_COOKIE);
  if (isLocale(kept)) return { locale: kept, chosen: false };
  return { locale: negotiateLocale(c.req.header('Accept-Language')), chosen: false };
}
