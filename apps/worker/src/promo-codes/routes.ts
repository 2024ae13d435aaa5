import { MAX_PROMO_CODES, promoCodeCreateSchema, promoCodePatchSchema } from '@series/core';
import { Hono } from 'hono';
import { validator } from 'hono/validator';
import { requireCreator } from '../auth/middleware.js';
import type { AppEnv } from '../lib/context.js';
import { ApiError, notFound } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { validate } from '../lib/validate.js';
import { findOwnedSeries } from '../series/queries.js';
import {
  findPromoCode,
  insertPromoCode,
  listPromoCodes,
  listRedemptions,
  setPaused,
  toPromoCode,
  type PromoCodeRecord,
} from './queries.js';

const codeIdParam = validator('param', (value: Record<string, string>) => {
  if (!/^pc_[0-9A-Za-z]{16,32}$/.test(value.id ?? '')) throw notFound('Promo code');
  return { id: value.id! };
});

/** A creator's promo codes (docs/api.md "Promo codes"); checkout applies them (purchases/promo-codes.ts). */
export const promoCodeRoutes = new Hono<AppEnv>()
  .get('/me/promo-codes', requireCreator, async (c) => {
    const now = Date.now();
    const rows = await listPromoCodes(c.env.DB, c.var.creator.id, now);
    return c.json({ promoCodes: rows.map((r) => toPromoCode(r, now)) }, 200);
  })
  .post('/me/promo-codes', requireCreator, validate('json', promoCodeCreateSchema), async (c) => {
    const db = c.env.DB;
    const body = c.req.valid('json');
    const now = Date.now();
    if (body.seriesId) await findOwnedSeries(db, c.var.creator.id, body.seriesId);
    if (body.expiresAt != null && body.expiresAt <= now) {
      throw new ApiError(422, 'promo_code_expired', 'expiresAt must be in the future');
    }
    const row: PromoCodeRecord = {
      id: newId('pc'),
      creator_id: c.var.creator.id,
      series_id: body.seriesId ?? null,
      code: body.code,
      kind: body.kind,
      value: body.value,
      expires_at: body.expiresAt ?? null,
      max_redemptions: body.maxRedemptions ?? null,
      paused: 0,
      redeemed: 0,
      redeemed_gross: 0,
      redeemed_discount: 0,
      created_at: now,
    };
    const created = await insertPromoCode(db, row);
    if (created === 'taken') throw new ApiError(409, 'promo_code_taken', 'You already have a code written so');
    if (created === 'full') {
      throw new ApiError(409, 'too_many_promo_codes', `A creator may have at most ${MAX_PROMO_CODES} codes`);
    }
    return c.json({ promoCode: toPromoCode(created, now) }, 201);
  })
  .patch('/me/promo-codes/:id', requireCreator, codeIdParam, validate('json', promoCodePatchSchema), async (c) => {
    const now = Date.now();
    const row = await setPaused(c.env.DB, c.var.creator.id, c.req.valid('param').id, c.req.valid('json').paused, now);
    if (!row) throw notFound('Promo code');
    return c.json({ promoCode: toPromoCode(row, now) }, 200);
  })
  .get('/me/promo-codes/:id/redemptions', requireCreator, codeIdParam, async (c) => {
    const code = await findPromoCode(c.env.DB, c.var.creator.id, c.req.valid('param').id);
    if (!code) throw notFound('Promo code');
    return c.json({ promoCode: toPromoCode(code), redemptions: await listRedemptions(c.env.DB, code.id) }, 200);
  });
