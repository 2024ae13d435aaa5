import { videoIdSchema } from '@series/core';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../lib/context.js';
import { PUBLIC_CACHE } from '../lib/cache.js';
import { publicCache } from '../lib/public-cache.js';
import { notFound } from '../lib/errors.js';
import { validate } from '../lib/validate.js';
import { listEpisodes, toPublicEpisode } from '../episodes/queries.js';
import { toPublicSeries } from '../series/queries.js';
import { findLinkedSeries } from './queries.js';

export const videoLinkRoutes = new Hono<AppEnv>()
  /** The episode a public video on the video site is linked to, with its series: what the extension overlays. */
  .get('/videos/:videoId', publicCache, validate('param', z.object({ videoId: videoIdSchema })), async (c) => {
    const row = await findLinkedSeries(c.env.DB, c.req.valid('param').videoId);
    if (!row) throw notFound('Video');
    const episodes = await listEpisodes(c.env.DB, row.id);
    const index = episodes.findIndex((e) => e.id === row.episode_id);
    if (index < 0) throw notFound('Video'); // deleted between the two reads
    c.header('Cache-Control', PUBLIC_CACHE);
    return c.json(
      {
        videoId: c.req.valid('param').videoId,
        episode: toPublicEpisode(episodes[index]!, index + 1),
        series: toPublicSeries(row, episodes, row),
      },
      200,
    );
  });
