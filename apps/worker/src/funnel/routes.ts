import { storefrontViewSchema, viewsSchema } from '@series/core';
import { Hono } from 'hono';
import type { AppEnv } from '../lib/context.js';
import { validate } from '../lib/validate.js';
import { utcDay } from '../lib/time.js';
import { onSale } from '../lib/rules.js';

export const funnelRoutes = new Hono<AppEnv>()
  /**
   * Counts unlock-button views for the creators' funnel. Anonymous and unlinkable by design: only a
   * per-episode, per-day counter moves; nothing about the viewer is read or stored.
   */
  .post('/views', validate('json', viewsSchema), async (c) => {
    const { episodeIds } = c.req.valid('json');
    const result = await c.env.DB.prepare(
      `INSERT INTO funnel_daily (creator_id, day, series_id, episode_id, views)
       SELECT s.creator_id, ?2, s.id, e.id, 1
       FROM episodes e JOIN series s ON s.id = e.series_id JOIN creators c ON c.id = s.creator_id
       WHERE e.id IN (SELECT value FROM json_each(?1)) AND ${onSale()}
       ON CONFLICT (creator_id, day, series_id, episode_id) DO UPDATE SET views = views + 1`,
    )
      .bind(JSON.stringify(episodeIds), utcDay(Date.now()))
      .run();
    return c.json({ counted: result.meta.changes }, 202);
  })
  /**
   * Counts a storefront page load (a creator's, series or episode page) for the per-source funnel: per
   * creator, series, UTC day and the link's source (`?src=`), counts only. Unknown or off-sale: nothing moves.
   */
  .post('/views/storefront', validate('json', storefrontViewSchema), async (c) => {
    const { handle, seriesId, source } = c.req.valid('json');
    const result = await c.env.DB.prepare(
      `INSERT INTO source_daily (creator_id, day, series_id, source, views)
       SELECT c.id, ?3, COALESCE(s.id, ''), ?4, 1 FROM creators c LEFT JOIN series s ON s.id = ?2 AND s.creator_id = c.id
       WHERE c.handle = ?1 AND c.status = 'approved' AND (?2 IS NULL OR (s.id IS NOT NULL AND ${onSale()}))
       ON CONFLICT (creator_id, day, series_id, source) DO UPDATE SET views = views + 1`,
    )
      .bind(handle, seriesId ?? null, utcDay(Date.now()), source ?? '')
      .run();
    return c.json({ counted: result.meta.changes }, 202);
  });
