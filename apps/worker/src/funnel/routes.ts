import { storefrontViewSchema, viewsSchema } from '@series/core';
import { Hono } from 'hono';
import type { AppEnv } from '../lib/context.js';
import { validate } from '../lib/validate.js';
import { utcDay } from '../lib/time.js';
import { countEpisodeViews, countStorefrontView } from './queries.js';

export const funnelRoutes = new Hono<AppEnv>()
  /**
   * Counts unlock-button views for the creators' funnel. Anonymous and unlinkable by design: only a
   * per-episode, per-day counter moves; nothing about the viewer is read or stored.
   */
  .post('/views', validate('json', viewsSchema), async (c) => {
    const { episodeIds } = c.req.valid('json');
    const counted = await countEpisodeViews(c.env.DB, episodeIds, utcDay(Date.now()));
    return c.json({ counted }, 202);
  })
  /**
   * Counts a storefront page load (a creator's, series or episode page) for the per-source funnel: per
   * creator, series, UTC day and the link's source (`?src=`), counts only. Unknown or off-sale: nothing moves.
   */
  .post('/views/storefront', validate('json', storefrontViewSchema), async (c) => {
    const { handle, seriesId, source } = c.req.valid('json');
    const counted = await countStorefrontView(
      c.env.DB,
      { handle, seriesId: seriesId ?? null, source: source ?? '' },
      utcDay(Date.now()),
    );
    return c.json({ counted }, 202);
  });
