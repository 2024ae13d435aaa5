import { discountCreateSchema, MAX_DISCOUNT_DAYS, MAX_LIVE_DISCOUNTS } from '@series/core';
import { Hono } from 'hono';
import { validator } from 'hono/validator';
import { requireCreator } from '../auth/middleware.js';
import { findOwnedEpisode } from '../episodes/queries.js';
import type { AppEnv } from '../lib/context.js';
import { ApiError, notFound } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { seriesIdParam } from '../lib/params.js';
import { purgeCatalog } from '../lib/public-cache.js';
import { validate } from '../lib/validate.js';
import { findOwnedSeries } from '../series/queries.js';
import {
  endDiscount,
  findOwnedDiscount,
  insertDiscount,
  listDiscounts,
  toDiscount,
  type DiscountRow,
} from './queries.js';

const DAY_MS = 86_400_000;

const discountIdParam = validator('param', (value: Record<string, string>) => {
  if (!/^dsc_[0-9A-Za-z]{16,32}$/.test(value.id ?? '')) throw notFound('Discount');
  return { id: value.id! };
});

/** A creator's temporary discounts on their series (docs/api.md "Discounts"); the ledger prices checkouts with them. */
export const discountRoutes = new Hono<AppEnv>()
  .get('/series/:id/discounts', requireCreator, seriesIdParam, async (c) => {
    const series = await findOwnedSeries(c.env.DB, c.var.creator.id, c.req.valid('param').id);
    const now = Date.now();
    return c.json({ discounts: (await listDiscounts(c.env.DB, series.id)).map((d) => toDiscount(d, now)) }, 200);
  })
  .post('/series/:id/discounts', requireCreator, seriesIdParam, validate('json', discountCreateSchema), async (c) => {
    const db = c.env.DB;
    const body = c.req.valid('json');
    const series = await findOwnedSeries(db, c.var.creator.id, c.req.valid('param').id);
    const now = Date.now();
    const startsAt = Math.max(body.startsAt ?? now, now);
    if (body.endsAt <= now) throw new ApiError(422, 'discount_ended', 'endsAt must be in the future');
    if (body.endsAt - startsAt > MAX_DISCOUNT_DAYS * DAY_MS) {
      throw new ApiError(422, 'discount_too_long', `A discount may run at most ${MAX_DISCOUNT_DAYS} days`);
    }
    if (startsAt - now > 365 * DAY_MS) {
      throw new ApiError(422, 'discount_too_far', 'A discount may start at most a year from now');
    }
    if (body.scope === 'episode') {
      const episode = await findOwnedEpisode(db, c.var.creator.id, body.episodeId!);
      if (episode.series_id !== series.id) throw notFound('Episode');
      if (episode.price === null) throw new ApiError(409, 'episode_free', 'This episode is free: nothing to discount');
    }
    if (body.scope === 'bundle' && series.bundle_price === null) {
      throw new ApiError(409, 'no_bundle_price', 'This series has no whole-series price to discount');
    }
    const row: DiscountRow = {
      id: newId('dsc'),
      creator_id: c.var.creator.id,
      series_id: series.id,
      scope: body.scope,
      episode_id: body.episodeId ?? null,
      kind: body.kind,
      value: body.value,
      starts_at: startsAt,
      ends_at: body.endsAt,
      created_at: now,
    };
    const created = await insertDiscount(db, row);
    if (!created) {
      throw new ApiError(
        409,
        'too_many_discounts',
        `A series may have at most ${MAX_LIVE_DISCOUNTS} discounts that have not ended`,
      );
    }
    await purgeCatalog(db, c.var.creator.id);
    return c.json({ discount: toDiscount(created, now) }, 201);
  })
  .delete('/discounts/:id', requireCreator, discountIdParam, async (c) => {
    const db = c.env.DB;
    const found = await findOwnedDiscount(db, c.var.creator.id, c.req.valid('param').id);
    if (!found) throw notFound('Discount');
    const now = Date.now();
    const after = await endDiscount(db, found.id, now);
    await purgeCatalog(db, c.var.creator.id);
    return c.json({ discount: after ? toDiscount(after, now) : null, deleted: after === null }, 200);
  });
