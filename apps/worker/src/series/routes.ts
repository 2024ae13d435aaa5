import {
  checkPrice,
  episodeCreateSchema,
  MAX_EPISODES_PER_SERIES,
  seriesCreateSchema,
  seriesPatchSchema,
} from '@series/core';
import { Hono } from 'hono';
import { requireCreator } from '../auth/middleware.js';
import { insertEpisode, numberedForOwner, videoHash } from '../episodes/queries.js';
import { verifyVideoLink } from '../tiktok/ownership.js';
import { PUBLIC_CACHE } from '../lib/cache.js';
import type { AppEnv } from '../lib/context.js';
import { ApiError, priceProblem } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { seriesIdParam } from '../lib/params.js';
import { catalogPaths, publicCache, purgeCatalog } from '../lib/public-cache.js';
import { IMAGE_PREFIX } from '../images/queries.js';
import { validate } from '../lib/validate.js';
import { queueSaleWindowClosing } from '../payments/sale-window.js';
import { usesTestPayments } from '../payments/stripe-client.js';
import {
  creatorStatusOf,
  deleteUnsoldSeries,
  findOwnedSeries,
  findPublicSeries,
  forgetReview,
  holdRevision,
  insertSeries,
  isReviewRequired,
  submitEpisodeIfLive,
  submitSeries,
  listOwnedSeries,
  ownerView,
  publishSeries,
  sellsPaidItems,
  seriesMediaKeys,
  toOwnerSeries,
  unpublishSeries,
  updateSeries,
  type SeriesRow,
} from './queries.js';

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
    const created = await insertSeries(c.env.DB, row, now);
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
    const showsLive = patch.title !== undefined || patch.description !== undefined || patch.coverUrl !== undefined;
    const required = await isReviewRequired(db);
    if (required && series.status === 'published' && showsLive) {
      // A live series' new title, description or cover waits for review; the approved version stays live.
      const held = await holdRevision(db, series, patch, now);
      await purgeCatalog(db, series.creator_id);
      return c.json({ series: await ownerView(db, held ?? series) }, 200);
    }
    const updated = await updateSeries(db, series, patch, now);
    // Edited while not live: reviewed again before it goes live.
    if (required && showsLive) await forgetReview(db, series.id);
    // A cover typed (or cleared) replaces an uploaded one: its image goes.
    if (patch.coverUrl !== undefined && series.cover_key)
      await c.env.MEDIA.delete(`${IMAGE_PREFIX}${series.cover_key}`);
    await purgeCatalog(db, series.creator_id, before);
    return c.json({ series: await ownerView(db, updated ?? series) }, 200);
  })
  .post('/series/:id/publish', requireCreator, seriesIdParam, async (c) => {
    const series = await findOwnedSeries(c.env.DB, c.var.creator.id, c.req.valid('param').id);
    if (!usesTestPayments(c.env) && !(c.var.creator as { stripe_charges_enabled?: number }).stripe_charges_enabled) {
      const paid = await sellsPaidItems(c.env.DB, series.id);
      if (paid) {
        throw new ApiError(409, 'stripe_account_required', 'Connect a Stripe account before publishing paid episodes');
      }
    }
    if (series.taken_down_at) {
      throw new ApiError(409, 'series_taken_down', 'An admin took this series down; it cannot be published again', {
        reason: series.takedown_reason ?? '',
      });
    }
    const now = Date.now();
    // Reviews required: publishing submits the series to an admin, unless it was approved as it stands.
    const review = series.review_state !== 'approved' && (await isReviewRequired(c.env.DB));
    const published = review
      ? await submitSeries(c.env.DB, series.id, now)
      : await publishSeries(c.env.DB, series.id, now);
    if (published && review) {
      const view = await ownerView(c.env.DB, published);
      return c.json({ series: view, warnings: view.warnings }, 202);
    }
    if (!published) {
      const creatorStatus = await creatorStatusOf(c.env.DB, series.creator_id);
      if (creatorStatus !== 'approved') {
        throw new ApiError(
          403,
          'creator_not_approved',
          creatorStatus === 'suspended'
            ? 'Your creator account is suspended; series cannot be published'
            : 'Your creator account is waiting for approval; you can publish once an admin approves it',
        );
      }
      throw new ApiError(409, 'series_empty', 'Add at least one episode before publishing');
    }
    await purgeCatalog(c.env.DB, series.creator_id);
    // Published, with what cannot be sold yet said up front (episodes without their video).
    const view = await ownerView(c.env.DB, published);
    return c.json({ series: view, warnings: view.warnings }, 200);
  })
  .post('/series/:id/unpublish', requireCreator, seriesIdParam, async (c) => {
    const series = await findOwnedSeries(c.env.DB, c.var.creator.id, c.req.valid('param').id);
    const row = await unpublishSeries(c.env.DB, series.id, Date.now());
    await purgeCatalog(c.env.DB, series.creator_id);
    // Its open checkouts are closed in the background: the creator's answer does not wait for the provider.
    await queueSaleWindowClosing(c.env, { kind: 'off_sale', creatorId: series.creator_id, seriesId: series.id });
    return c.json({ series: await ownerView(c.env.DB, row ?? series) }, 200);
  })
  .delete('/series/:id', requireCreator, seriesIdParam, async (c) => {
    const series = await findOwnedSeries(c.env.DB, c.var.creator.id, c.req.valid('param').id);
    const db = c.env.DB;
    const before = await catalogPaths(db, series.creator_id);
    const media = await seriesMediaKeys(db, series.id);
    const { deleted, openSessions } = await deleteUnsoldSeries(db, series.id);
    if (!deleted) {
      throw new ApiError(409, 'series_has_purchases', 'This series has buyers; unpublish it instead of deleting it');
    }
    if (media.length) await c.env.MEDIA.delete(media);
    await purgeCatalog(db, series.creator_id, before);
    await queueSaleWindowClosing(c.env, { kind: 'deleted', sessions: openSessions });
    return c.json({ deleted: true }, 200);
  })
  .get('/me/series', requireCreator, async (c) => {
    return c.json({ series: await listOwnedSeries(c.env.DB, c.var.creator.id) }, 200);
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
    // A creator who connected TikTok links only their own videos, verified; others link unverified.
    const verified = body.videoId ? await verifyVideoLink(c.env, c.var.user.id, body.videoId) : false;
    const added = await insertEpisode(c.env.DB, id, series.id, body, hash, now, verified);
    if (!added) {
      throw new ApiError(409, 'series_full', `A series holds at most ${MAX_EPISODES_PER_SERIES} episodes`);
    }
    // Added to a live series while reviews are required: not sold or played before an admin approves it.
    await submitEpisodeIfLive(c.env.DB, id, now);
    await purgeCatalog(c.env.DB, c.var.creator.id);
    return c.json({ episode: await numberedForOwner(c.env.DB, series.id, id) }, 201);
  })
  .get('/series/:id', publicCache, seriesIdParam, async (c) => {
    const series = await findPublicSeries(c.env.DB, c.req.valid('param').id);
    c.header('Cache-Control', PUBLIC_CACHE);
    return c.json({ series }, 200);
  });
