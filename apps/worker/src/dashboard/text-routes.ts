import { isLocale, pick } from '@series/core';
import { Hono } from 'hono';
import { z } from 'zod';
import { PUBLIC_CACHE } from '../lib/cache.js';
import type { AppEnv } from '../lib/context.js';
import { validate } from '../lib/validate.js';

/**
 * The dashboard's texts in one language: the `dashboard.*` slice of the shared catalogues, as JSON (a few KB),
 * so the dashboard's bundle carries no catalogue (the approach of the storefront's script and the extension).
 * The same for everyone, cacheable.
 */
export const dashboardTextRoutes = new Hono<AppEnv>().get(
  '/texts/dashboard',
  validate('query', z.strictObject({ lang: z.string().refine(isLocale, 'en or fr') })),
  (c) => {
    const { lang } = c.req.valid('query');
    c.header('Cache-Control', PUBLIC_CACHE);
    return c.json({ locale: lang as 'en' | 'fr', messages: pick(lang as 'en' | 'fr', ['dashboard.']) }, 200);
  },
);
