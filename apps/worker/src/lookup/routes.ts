import { lookupPrefixSchema } from '@series/core';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../lib/context.js';
import { PUBLIC_CACHE } from '../lib/cache.js';
import { publicCache } from '../lib/public-cache.js';
import { validate } from '../lib/validate.js';
import { creatorsByHashPrefix, videosByHashPrefix } from './queries.js';

const prefixParam = validate('param', z.object({ prefix: lookupPrefixSchema }));

/**
 * Public lookups by hash prefix for the browser extension. A client sends the first 4-5 hex characters of
 * SHA-256(handle) or SHA-256(video id) and filters the answer itself, so the server never learns which
 * profile or video was viewed. The answer does not depend on who asks, so it is cacheable anywhere.
 */
export const lookupRoutes = new Hono<AppEnv>()
  /** Approved creators in the bucket, with their published series (cover, prices, episodes). */
  .get('/lookup/creators/:prefix', publicCache, prefixParam, async (c) => {
    const { prefix } = c.req.valid('param');
    const creators = await creatorsByHashPrefix(c.env.DB, prefix);
    c.header('Cache-Control', PUBLIC_CACHE);
    return c.json({ prefix, creators }, 200);
  })
  /** Videos in the bucket that are linked to an episode on sale, with that episode and its series. */
  .get('/lookup/videos/:prefix', publicCache, prefixParam, async (c) => {
    const { prefix } = c.req.valid('param');
    const videos = await videosByHashPrefix(c.env.DB, prefix);
    c.header('Cache-Control', PUBLIC_CACHE);
    return c.json({ prefix, videos }, 200);
  });
