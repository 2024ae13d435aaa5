import { viewsSchema } from '@series/core';
import { Hono } from 'hono';
import type { AppEnv } from '../context.js';
import { validate } from '../lib/validate.js';
import { utcDay } from '../lib/time.js';

export const viewRoutes = new Hono<AppEnv>()
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
       WHERE e.id IN (SELECT value FROM json_each(?1)) AND s.status = 'published' AND c.status = 'approved'
       ON CONFLICT (creator_id, day, series_id, episode_id) DO UPDATE SET views = views + 1`,
    )
      .bind(JSON.stringify(episodeIds), utcDay(Date.now()))
      .run();
    return c.json({ counted: result.meta.changes }, 202);
  });
