import { checkPrice, episodePatchSchema } from '@series/core';
import { Hono } from 'hono';
import type { AppEnv } from '../lib/context.js';
import { requireCreator } from '../auth/middleware.js';
import { ApiError, priceProblem } from '../lib/errors.js';
import { episodeIdParam } from '../lib/params.js';
import { catalogPaths, purgeCatalog } from '../lib/public-cache.js';
import { validate } from '../lib/validate.js';
import { queueSaleWindowClosing } from '../payments/sale-window.js';
import { verifyVideoLink } from '../tiktok/ownership.js';
import {
  deleteUnsoldEpisode,
  episodeMediaKeys,
  findOwnedEpisode,
  numberedForOwner,
  updateEpisode,
  videoHash,
} from './queries.js';

export const episodeRoutes = new Hono<AppEnv>()
  .patch('/episodes/:id', requireCreator, episodeIdParam, validate('json', episodePatchSchema), async (c) => {
    const db = c.env.DB;
    const episode = await findOwnedEpisode(db, c.var.creator.id, c.req.valid('param').id);
    const patch = c.req.valid('json');
    if (patch.durationSeconds !== undefined && episode.media_key !== null) {
      throw new ApiError(
        409,
        'duration_from_file',
        'This episode has a video: its duration is the one read from the file',
        {
          issues: [{ path: 'durationSeconds', message: 'The duration comes from the uploaded video' }],
        },
      );
    }
    if (patch.price != null) {
      const problem = checkPrice(patch.price, episode.series_currency);
      if (problem) throw priceProblem('price', problem);
    }
    const now = Date.now();
    const hash = await videoHash(patch.videoId);
    // Linking a video: a creator who connected TikTok links only their own (checked with their token), verified;
    // the same verified link again needs no new check.
    const keeps = patch.videoId === episode.video_id && episode.video_verified === 1;
    const verified = patch.videoId ? keeps || (await verifyVideoLink(c.env, c.var.user.id, patch.videoId)) : false;
    const before = await catalogPaths(db, c.var.creator.id);
    await updateEpisode(db, episode.id, patch, hash, now, episode.series_id, verified);
    await purgeCatalog(db, c.var.creator.id, before);
    return c.json({ episode: await numberedForOwner(db, episode.series_id, episode.id) }, 200);
  })
  .delete('/episodes/:id', requireCreator, episodeIdParam, async (c) => {
    const db = c.env.DB;
    const episode = await findOwnedEpisode(db, c.var.creator.id, c.req.valid('param').id);
    const before = await catalogPaths(db, c.var.creator.id);
    const media = await episodeMediaKeys(db, episode.id);
    const { deleted, seriesUnpublished, openSessions } = await deleteUnsoldEpisode(db, episode, Date.now());
    if (!deleted) {
      throw new ApiError(
        409,
        'episode_has_purchases',
        'This episode has buyers (directly or through the whole series); edit it or unpublish the series instead',
      );
    }
    // Upload rows went with the episode (ON DELETE CASCADE); their objects go now.
    if (media.length) await c.env.MEDIA.delete(media);
    await purgeCatalog(db, c.var.creator.id, before);
    // Checkouts of the deleted episode, and of the series it took off sale, are closed in the background.
    await queueSaleWindowClosing(c.env, { kind: 'deleted', sessions: openSessions });
    if (seriesUnpublished) {
      await queueSaleWindowClosing(c.env, {
        kind: 'off_sale',
        creatorId: c.var.creator.id,
        seriesId: episode.series_id,
      });
    }
    return c.json({ deleted: true, seriesUnpublished }, 200);
  });
