import { checkPrice, episodePatchSchema } from '@series/core';
import { Hono } from 'hono';
import type { AppEnv } from '../lib/context.js';
import { requireCreator } from '../auth/middleware.js';
import { ApiError, priceProblem } from '../lib/errors.js';
import { episodeIdParam } from '../lib/params.js';
import { catalogPaths, purgeCatalog } from '../lib/public-cache.js';
import { validate } from '../lib/validate.js';
import { findOwnedEpisode, linkingVideo, listEpisodes, numberedForOwner, videoHash } from './queries.js';
import { SOLD } from '../ledger/queries.js';

export const episodeRoutes = new Hono<AppEnv>()
  .patch('/episodes/:id', requireCreator, episodeIdParam, validate('json', episodePatchSchema), async (c) => {
    const db = c.env.DB;
    const episode = await findOwnedEpisode(db, c.var.creator.id, c.req.valid('param').id);
    const patch = c.req.valid('json');
    if (patch.durationSeconds !== undefined && episode.media_key !== null) {
      throw new ApiError(409, 'duration_from_file', 'This episode has a video: its duration is the one read from the file', {
        issues: [{ path: 'durationSeconds', message: 'The duration comes from the uploaded video' }],
      });
    }
    if (patch.price != null) {
      const problem = checkPrice(patch.price, episode.series_currency);
      if (problem) throw priceProblem('price', problem);
    }
    const now = Date.now();
    const statements = [
      db
        .prepare(
          `UPDATE episodes SET
             title = CASE WHEN ?2 THEN ?3 ELSE title END,
             duration_seconds = CASE WHEN ?4 THEN ?5 ELSE duration_seconds END,
             price = CASE WHEN ?6 THEN ?7 ELSE price END,
             video_id = CASE WHEN ?8 THEN ?9 ELSE video_id END,
             video_hash = CASE WHEN ?8 THEN ?13 ELSE video_hash END,
             release_at = CASE WHEN ?10 THEN ?11 ELSE release_at END,
             updated_at = ?12
           WHERE id = ?1`,
        )
        .bind(
          episode.id,
          patch.title !== undefined ? 1 : 0,
          patch.title ?? null,
          patch.durationSeconds !== undefined ? 1 : 0,
          patch.durationSeconds ?? null,
          patch.price !== undefined ? 1 : 0,
          patch.price ?? null,
          patch.videoId !== undefined ? 1 : 0,
          patch.videoId ?? null,
          patch.releaseAt !== undefined ? 1 : 0,
          patch.releaseAt ? Date.parse(patch.releaseAt) : null,
          now,
          await videoHash(patch.videoId),
        ),
    ];
    if (patch.number !== undefined) {
      // Moving one episode renumbers the series densely; positions are written in the same batch.
      const order = (await listEpisodes(db, episode.series_id)).filter((e) => e.id !== episode.id);
      order.splice(Math.min(patch.number, order.length + 1) - 1, 0, episode);
      order.forEach((e, i) =>
        statements.push(
          db.prepare('UPDATE episodes SET position = ? WHERE id = ? AND series_id = ?').bind(i + 1, e.id, e.series_id),
        ),
      );
    }
    const before = await catalogPaths(db, c.var.creator.id);
    await linkingVideo(() => db.batch(statements));
    await purgeCatalog(db, c.var.creator.id, before);
    return c.json({ episode: await numberedForOwner(db, episode.series_id, episode.id) }, 200);
  })
  .delete('/episodes/:id', requireCreator, episodeIdParam, async (c) => {
    const db = c.env.DB;
    const episode = await findOwnedEpisode(db, c.var.creator.id, c.req.valid('param').id);
    // Bought on its own or as part of the whole series: buyers keep it, so it stays.
    const unsold = `NOT EXISTS (SELECT 1 FROM purchases WHERE ${SOLD}
                      AND (episode_id = ?1 OR (episode_id IS NULL AND series_id = ?2)))`;
    const before = await catalogPaths(db, c.var.creator.id);
    const media = await db.prepare('SELECT r2_key FROM media_uploads WHERE episode_id = ?').bind(episode.id).all<{ r2_key: string }>();
    const [, deleted, unpublished] = await db.batch([
      db.prepare(`DELETE FROM purchases WHERE episode_id = ?1 AND ${unsold}`).bind(episode.id, episode.series_id),
      db.prepare(`DELETE FROM episodes WHERE id = ?1 AND ${unsold}`).bind(episode.id, episode.series_id),
      // A published series never stands empty: removing its last episode takes it off sale.
      db
        .prepare(
          `UPDATE series SET status = 'draft', updated_at = ?2 WHERE id = ?1 AND status = 'published'
             AND NOT EXISTS (SELECT 1 FROM episodes WHERE series_id = ?1)`,
        )
        .bind(episode.series_id, Date.now()),
    ]);
    if (!deleted?.meta.changes) {
      throw new ApiError(
        409,
        'episode_has_purchases',
        'This episode has buyers (directly or through the whole series); edit it or unpublish the series instead',
      );
    }
    // Upload rows went with the episode (ON DELETE CASCADE); their objects go now.
    if (media.results.length) await c.env.MEDIA.delete(media.results.map((m) => m.r2_key));
    await purgeCatalog(db, c.var.creator.id, before);
    return c.json({ deleted: true, seriesUnpublished: (unpublished?.meta.changes ?? 0) > 0 }, 200);
  });
