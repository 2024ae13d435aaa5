import { storefrontViewSchema, viewsSchema } from '@series/core';
import { Hono } from 'hono';
import type { AppEnv } from '../lib/context.js';
import { clientIp, limitPerAddress } from '../lib/rate-limit.js';
import { validate } from '../lib/validate.js';
import { utcDay } from '../lib/time.js';
import { episodeItem, pageItem, viewMark } from './marks.js';
import { queueViews } from './view-queue.js';

/** Anonymous reports, limited per client address (both routes together). */
const viewsLimit = limitPerAddress('VIEWS_LIMITER');

export const funnelRoutes = new Hono<AppEnv>()
  /**
   * Counts unlock-button views for the creators' funnel. Anonymous and unlinkable by design: only a
   * per-episode, per-day counter moves, each episode at most once per client address and day, and nothing
   * about the viewer is stored (the mark that remembers "counted" is a keyed hash, kept for the day only).
   * The request touches no database: the report is queued and counted by the VIEWS consumer (view-queue.ts).
   */
  .post('/views', viewsLimit, validate('json', viewsSchema), async (c) => {
    const { episodeIds } = c.req.valid('json');
    const day = utcDay(Date.now());
    const address = clientIp(c);
    const views = await Promise.all(
      episodeIds.map(
        async (id) => [id, await viewMark(c.env.SIGNING_SECRET, address, day, episodeItem(id))] as [string, string],
      ),
    );
    await queueViews(c.env.VIEWS, { kind: 'episodes', day, views });
    return c.json({ accepted: views.length }, 202);
  })
  /**
   * Counts a storefront page load (a creator's, series or episode page) for the per-source funnel: per
   * creator, series, UTC day and the link's source (`?src=`), counts only, each page at most once per client
   * address and day (whatever the source). Unknown or off-sale: nothing moves. Queued like `/views`.
   */
  .post('/views/storefront', viewsLimit, validate('json', storefrontViewSchema), async (c) => {
    const { handle, seriesId, source } = c.req.valid('json');
    const day = utcDay(Date.now());
    const mark = await viewMark(c.env.SIGNING_SECRET, clientIp(c), day, pageItem(handle, seriesId ?? null));
    await queueViews(c.env.VIEWS, {
      kind: 'page',
      day,
      handle,
      seriesId: seriesId ?? null,
      source: source ?? '',
      mark,
    });
    return c.json({ accepted: 1 }, 202);
  });
