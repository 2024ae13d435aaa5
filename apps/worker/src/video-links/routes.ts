import { videoIdSchema } from '@series/core';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../lib/context.js';
import { PUBLIC_CACHE } from '../lib/cache.js';
import { publicCache } from '../lib/public-cache.js';
import { notFound } from '../lib/errors.js';
import { validate } from '../lib/validate.js';
import { listEpisodes, toPublicEpisode } from '../episodes/queries.js';
import { toPublicSeries, type SeriesRow } from '../series/queries.js';
import { onSale } from '../lib/rules.js';

export const videoLinkRoutes = new Hono<AppEnv>()
  /** The episode a public video on the video site is linked to, with its series: what the extension overlays. */
  .get('/videos/:videoId', publicCache, validate('param', z.object({ videoId: videoIdSchema })), async (c) => {
    const row = await c.env.DB.prepare(
      `SELECT s.*, e.id AS episode_id, c.handle, c.display_name
       FROM episodes e JOIN series s ON s.id = e.series_id JOIN creators c ON c.id = s.creator_id
       WHERE e.video_id = ? AND ${onSale()}`,
    )
      .bind(c.req.valid('param').videoId)
      .first<SeriesRow & { episode_id: string; handle: string; display_name: string }>();
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
