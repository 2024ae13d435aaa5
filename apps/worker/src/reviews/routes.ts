import { reviewIdSchema, reviewReplySchema, reviewSchema, seriesIdSchema } from '@series/core';
import { Hono } from 'hono';
import { validator } from 'hono/validator';
import { z } from 'zod';
import { requireCreator, requireUser } from '../auth/middleware.js';
import { PUBLIC_CACHE } from '../lib/cache.js';
import type { AppEnv } from '../lib/context.js';
import { ApiError, notFound } from '../lib/errors.js';
import { seriesIdParam } from '../lib/params.js';
import { publicCache, purgeCatalog } from '../lib/public-cache.js';
import { onSale } from '../lib/rules.js';
import { validate } from '../lib/validate.js';
import {
  findMyReview,
  findPublicReviews,
  insertReview,
  listOwnerReviews,
  replyToReview,
  toPublicReview,
  updateReview,
} from './queries.js';

const reviewIdParam = validator('param', (value) => {
  const parsed = z.object({ id: reviewIdSchema }).safeParse(value);
  if (!parsed.success) throw notFound('Review');
  return parsed.data;
});

/** A series and the review its page of older reviews starts after (another series' review gives an empty page). */
const olderParams = validator('param', (value) => {
  const series = z.object({ id: seriesIdSchema }).safeParse(value);
  if (!series.success) throw notFound('Series');
  const before = z.object({ before: reviewIdSchema }).safeParse(value);
  if (!before.success) throw notFound('Review');
  return { id: series.data.id, before: before.data.before };
});

const notABuyer = () =>
  new ApiError(403, 'not_a_buyer', 'Only buyers of this series can rate it (a refunded purchase no longer counts)');

/** Buyers' ratings of a series: the public list, the buyer's own (write once, edit), the creator's one reply. */
export const reviewRoutes = new Hono<AppEnv>()
  .get('/series/:id/reviews', publicCache, seriesIdParam, async (c) => {
    const found = await findPublicReviews(c.env.DB, c.req.valid('param').id, onSale());
    if (!found) throw notFound('Series');
    c.header('Cache-Control', PUBLIC_CACHE);
    return c.json(found, 200);
  })
  // Older pages are not kept in the worker's cache (nothing could purge every page of a series at a rating
  // write): browsers and the edge keep each a minute at most.
  .get('/series/:id/reviews/older/:before', olderParams, async (c) => {
    const found = await findPublicReviews(c.env.DB, c.req.valid('param').id, onSale(), c.req.valid('param').before);
    if (!found) throw notFound('Series');
    c.header('Cache-Control', PUBLIC_CACHE);
    return c.json(found, 200);
  })
  .post('/series/:id/reviews', requireUser, seriesIdParam, validate('json', reviewSchema), async (c) => {
    const seriesId = c.req.valid('param').id;
    const result = await insertReview(c.env.DB, seriesId, c.var.user.id, c.req.valid('json'), Date.now());
    if ('refusal' in result) {
      if (result.refusal === 'no_series') throw notFound('Series');
      if (result.refusal === 'already_reviewed') {
        throw new ApiError(409, 'already_reviewed', 'You already rated this series; edit your review instead');
      }
      throw notABuyer();
    }
    await purgeCatalog(c.env.DB, result.creatorId);
    return c.json({ review: toPublicReview(result.row) }, 201);
  })
  .get('/series/:id/reviews/mine', requireUser, seriesIdParam, async (c) => {
    const { row, isBuyer } = await findMyReview(c.env.DB, c.req.valid('param').id, c.var.user.id);
    return c.json({ review: row && !row.removed_at ? toPublicReview(row) : null, canReview: isBuyer }, 200);
  })
  .put('/reviews/:id', requireUser, reviewIdParam, validate('json', reviewSchema), async (c) => {
    const { row, exists } = await updateReview(
      c.env.DB,
      c.req.valid('param').id,
      c.var.user.id,
      c.req.valid('json'),
      Date.now(),
    );
    if (!row) throw exists ? notABuyer() : notFound('Review');
    await purgeCatalog(c.env.DB, row.creator_id);
    return c.json({ review: toPublicReview(row) }, 200);
  })
  .post('/reviews/:id/reply', requireCreator, reviewIdParam, validate('json', reviewReplySchema), async (c) => {
    const creatorId = c.var.creator.id;
    const result = await replyToReview(
      c.env.DB,
      c.req.valid('param').id,
      creatorId,
      c.req.valid('json').text,
      Date.now(),
    );
    if ('refusal' in result) {
      if (result.refusal === 'replied')
        throw new ApiError(409, 'already_replied', 'You already replied to this review');
      throw notFound('Review');
    }
    await purgeCatalog(c.env.DB, creatorId);
    return c.json({ review: toPublicReview(result.row!) }, 201);
  })
  .get('/me/series/:id/reviews', requireCreator, seriesIdParam, async (c) => {
    const found = await listOwnerReviews(c.env.DB, c.req.valid('param').id, c.var.creator.id);
    if (!found) throw notFound('Series');
    return c.json(found, 200);
  });
