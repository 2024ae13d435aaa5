import { checkPrice, episodeCreateSchema, MAX_EPISODES_PER_SERIES, seriesCreateSchema, seriesPatchSchema } from '@series/core';
import { Hono } from 'hono';
import { requireCreator } from '../auth/middleware.js';
import {
  EPISODE_ORDER,
  groupBySeries,
  linkingVideo,
  listEpisodes,
  numberedForOwner,
  videoHash,
  type EpisodeRow,
} from '../episodes/queries.js';
import { PUBLIC_CACHE } from '../lib/cache.js';
import type { AppEnv } from '../lib/context.js';
import { ApiError, priceProblem } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { seriesIdParam } from '../lib/params.js';
import { catalogPaths, publicCache, purgeCatalog } from '../lib/public-cache.js';
import { validate } from '../lib/validate.js';
import { usesTestPayments } from '../payments/stripe-client.js';
import { assignSlug, findOwnedSeries, findPublicSeries, toOwnerSeries, type SeriesRow } from './queries.js';
import { SOLD } from '../ledger/queries.js';

async function ownerView(db: D1Database, series: SeriesRow) {
  return toOwnerSeries(series, await listEpisodes(db, series.id));
}

export const seriesRoutes = new Hono<AppEnv>()
  .post('/series', requireCreator, validate('json', seriesCreateSchema), async (c) => {
    const body = c.req.valid('json');
    const now = Date.now();
    const row: SeriesRow = {
      id: newId('ser'),
      creator_id: c.var.creator.id,
      title: body.title,
      description: body.description,
      cover_url: body.coverUrl,
      currency: body.currency,
      bundle_price: body.bundlePrice,
      status: 'draft',
      // Set by assignSlug in the same batch.
      slug: '',
      created_at: now,
      updated_at: now,
      published_at: null,
    };
    const db = c.env.DB;
    const results = await db.batch([
      db
        .prepare(
          `INSERT INTO series (id, creator_id, title, description, cover_url, currency, bundle_price, status, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?)`,
        )
        .bind(row.id, row.creator_id, row.title, row.description, row.cover_url, row.currency, row.bundle_price, now, now),
      ...assignSlug(db, row, row.title, now),
    ]);
    const created = (results.at(-1)?.results[0] as SeriesRow | undefined) ?? row;
    return c.json({ series: toOwnerSeries(created, []) }, 201);
  })
  .patch('/series/:id', requireCreator, seriesIdParam, validate('json', seriesPatchSchema), async (c) => {
    const series = await findOwnedSeries(c.env.DB, c.var.creator.id, c.req.valid('param').id);
    const patch = c.req.valid('json');
    if (patch.bundlePrice != null) {
      const problem = checkPrice(patch.bundlePrice, series.currency);
      if (problem) throw priceProblem('bundlePrice', problem);
    }
    const db = c.env.DB;
    // A new title may bring a new address: the old one's cached pages go too.
    const before = patch.title !== undefined ? await catalogPaths(db, series.creator_id) : [];
    const now = Date.now();
    const update = db.prepare(
      `UPDATE series SET
         title = CASE WHEN ?2 THEN ?3 ELSE title END,
         description = CASE WHEN ?4 THEN ?5 ELSE description END,
         cover_url = CASE WHEN ?6 THEN ?7 ELSE cover_url END,
         bundle_price = CASE WHEN ?8 THEN ?9 ELSE bundle_price END,
         updated_at = ?10
       WHERE id = ?1 RETURNING *`,
    )
      .bind(
        series.id,
        patch.title !== undefined ? 1 : 0,
        patch.title ?? null,
        patch.description !== undefined ? 1 : 0,
        patch.description ?? null,
        patch.coverUrl !== undefined ? 1 : 0,
        patch.coverUrl ?? null,
        patch.bundlePrice !== undefined ? 1 : 0,
        patch.bundlePrice ?? null,
        now,
      );
    const results = await db.batch([update, ...(patch.title !== undefined ? assignSlug(db, series, patch.title, now) : [])]);
    const updated = results.at(-1)?.results[0] as SeriesRow | undefined;
    await purgeCatalog(db, series.creator_id, before);
    return c.json({ series: await ownerView(db, updated ?? series) }, 200);
  })
  .post('/series/:id/publish', requireCreator, seriesIdParam, async (c) => {
    const series = await findOwnedSeries(c.env.DB, c.var.creator.id, c.req.valid('param').id);
    if (!usesTestPayments(c.env) && !(c.var.creator as { stripe_charges_enabled?: number }).stripe_charges_enabled) {
      const paid = await c.env.DB.prepare(
        `SELECT 1 FROM series s WHERE s.id = ?1 AND (s.bundle_price IS NOT NULL
           OR EXISTS (SELECT 1 FROM episodes WHERE series_id = ?1 AND price IS NOT NULL))`,
      )
        .bind(series.id)
        .first();
      if (paid) {
        throw new ApiError(409, 'stripe_account_required', 'Connect a Stripe account before publishing paid episodes');
      }
    }
    const now = Date.now();
    // Re-checked inside the UPDATE so a suspension or a last-episode delete racing this cannot slip through.
    const published = await c.env.DB.prepare(
      `UPDATE series SET status = 'published', published_at = COALESCE(published_at, ?2), updated_at = ?2
       WHERE id = ?1
         AND EXISTS (SELECT 1 FROM creators WHERE id = series.creator_id AND status = 'approved')
         AND EXISTS (SELECT 1 FROM episodes WHERE series_id = ?1)
       RETURNING *`,
    )
      .bind(series.id, now)
      .first<SeriesRow>();
    if (!published) {
      const creator = await c.env.DB.prepare('SELECT status FROM creators WHERE id = ?')
        .bind(series.creator_id)
        .first<{ status: string }>();
      if (creator?.status !== 'approved') {
        throw new ApiError(
          403,
          'creator_not_approved',
          creator?.status === 'suspended'
            ? 'Your creator account is suspended; series cannot be published'
            : 'Your creator account is waiting for approval; you can publish once an admin approves it',
        );
      }
      throw new ApiError(409, 'series_empty', 'Add at least one episode before publishing');
    }
    await purgeCatalog(c.env.DB, series.creator_id);
    return c.json({ series: await ownerView(c.env.DB, published) }, 200);
  })
  .post('/series/:id/unpublish', requireCreator, seriesIdParam, async (c) => {
    const series = await findOwnedSeries(c.env.DB, c.var.creator.id, c.req.valid('param').id);
    const row = await c.env.DB.prepare(
      `UPDATE series SET status = 'draft', updated_at = ? WHERE id = ? RETURNING *`,
    )
      .bind(Date.now(), series.id)
      .first<SeriesRow>();
    await purgeCatalog(c.env.DB, series.creator_id);
    return c.json({ series: await ownerView(c.env.DB, row ?? series) }, 200);
  })
  .delete('/series/:id', requireCreator, seriesIdParam, async (c) => {
    const series = await findOwnedSeries(c.env.DB, c.var.creator.id, c.req.valid('param').id);
    const db = c.env.DB;
    const before = await catalogPaths(db, series.creator_id);
    const unsold = `NOT EXISTS (SELECT 1 FROM purchases WHERE series_id = ?1 AND ${SOLD})`;
    // Abandoned checkouts go with the series; sold series stay, since buyers keep access to what they paid for.
    const media = await db
      .prepare('SELECT u.r2_key FROM media_uploads u JOIN episodes e ON e.id = u.episode_id WHERE e.series_id = ?')
      .bind(series.id)
      .all<{ r2_key: string }>();
    const [, , deleted] = await db.batch([
      db.prepare(`DELETE FROM purchases WHERE series_id = ?1 AND ${unsold}`).bind(series.id),
      db.prepare(`DELETE FROM episodes WHERE series_id = ?1 AND ${unsold}`).bind(series.id),
      db.prepare(`DELETE FROM series WHERE id = ?1 AND ${unsold}`).bind(series.id),
    ]);
    if (!deleted?.meta.changes) {
      throw new ApiError(409, 'series_has_purchases', 'This series has buyers; unpublish it instead of deleting it');
    }
    if (media.results.length) await c.env.MEDIA.delete(media.results.map((m) => m.r2_key));
    await purgeCatalog(db, series.creator_id, before);
    return c.json({ deleted: true }, 200);
  })
  .get('/me/series', requireCreator, async (c) => {
    const db = c.env.DB;
    const [series, episodes] = await db.batch<SeriesRow | EpisodeRow>([
      db.prepare('SELECT * FROM series WHERE creator_id = ? ORDER BY created_at DESC, id').bind(c.var.creator.id),
      db
        .prepare(
          `SELECT e.* FROM episodes e JOIN series s ON s.id = e.series_id
           WHERE s.creator_id = ? ORDER BY e.series_id, ${EPISODE_ORDER}`,
        )
        .bind(c.var.creator.id),
    ]);
    const bySeries = groupBySeries((episodes?.results ?? []) as EpisodeRow[]);
    return c.json(
      { series: ((series?.results ?? []) as SeriesRow[]).map((s) => toOwnerSeries(s, bySeries.get(s.id) ?? [])) },
      200,
    );
  })
  .get('/me/series/:id', requireCreator, seriesIdParam, async (c) => {
    const series = await findOwnedSeries(c.env.DB, c.var.creator.id, c.req.valid('param').id);
    return c.json({ series: await ownerView(c.env.DB, series) }, 200);
  })
  .post('/series/:id/episodes', requireCreator, seriesIdParam, validate('json', episodeCreateSchema), async (c) => {
    const series = await findOwnedSeries(c.env.DB, c.var.creator.id, c.req.valid('param').id);
    const body = c.req.valid('json');
    if (body.price !== null) {
      const problem = checkPrice(body.price, series.currency);
      if (problem) throw priceProblem('price', problem);
    }
    const id = newId('ep');
    const now = Date.now();
    const hash = await videoHash(body.videoId);
    // The 80-episode limit is part of the INSERT itself: concurrent requests cannot overshoot it.
    const result = await linkingVideo(() =>
      c.env.DB.prepare(
        `INSERT INTO episodes (id, series_id, position, title, duration_seconds, price, video_id, release_at, created_at, updated_at, video_hash)
         SELECT ?1, ?2, (SELECT COALESCE(MAX(position), 0) + 1 FROM episodes WHERE series_id = ?2),
                ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?10
         WHERE (SELECT COUNT(*) FROM episodes WHERE series_id = ?2) < ?9`,
      )
        .bind(
          id,
          series.id,
          body.title,
          body.durationSeconds,
          body.price,
          body.videoId,
          body.releaseAt ? Date.parse(body.releaseAt) : null,
          now,
          MAX_EPISODES_PER_SERIES,
          hash,
        )
        .run(),
    );
    if (!result.meta.changes) {
      throw new ApiError(409, 'series_full', `A series holds at most ${MAX_EPISODES_PER_SERIES} episodes`);
    }
    await purgeCatalog(c.env.DB, c.var.creator.id);
    return c.json({ episode: await numberedForOwner(c.env.DB, series.id, id) }, 201);
  })
  .get('/series/:id', publicCache, seriesIdParam, async (c) => {
    const series = await findPublicSeries(c.env.DB, c.req.valid('param').id);
    c.header('Cache-Control', PUBLIC_CACHE);
    return c.json({ series }, 200);
  });
