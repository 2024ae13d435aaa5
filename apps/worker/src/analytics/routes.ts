import { analyticsQuerySchema } from '@series/core';
import { Hono } from 'hono';
import type { AppEnv } from '../lib/context.js';
import { requireCreator } from '../auth/middleware.js';
import { validate } from '../lib/validate.js';
import { findOwnedSeries } from '../series/queries.js';
import { daily, funnel, perEpisode, rangeParams, sourceFunnel, summary } from './queries.js';
import { currentCommissionBps } from '../ledger/commission-queries.js';

const query = validate('query', analyticsQuerySchema);

/** The caller's own sales only; every figure is in minor units of its currency, days are UTC. */
export const analyticsRoutes = new Hono<AppEnv>()
  .get('/analytics/summary', requireCreator, query, async (c) => {
    const q = c.req.valid('query');
    if (q.seriesId) await findOwnedSeries(c.env.DB, c.var.creator.id, q.seriesId);
    const { range, params } = rangeParams(c.var.creator.id, q);
    const [totals, commissionBps] = await Promise.all([
      summary(c.env.DB, params, range),
      currentCommissionBps(c.env.DB),
    ]);
    return c.json({ range, currentCommissionBps: commissionBps, totals }, 200);
  })
  .get('/analytics/episodes', requireCreator, query, async (c) => {
    const q = c.req.valid('query');
    if (q.seriesId) await findOwnedSeries(c.env.DB, c.var.creator.id, q.seriesId);
    const { range, params } = rangeParams(c.var.creator.id, q);
    return c.json({ range, rows: await perEpisode(c.env.DB, params) }, 200);
  })
  .get('/analytics/daily', requireCreator, query, async (c) => {
    const q = c.req.valid('query');
    if (q.seriesId) await findOwnedSeries(c.env.DB, c.var.creator.id, q.seriesId);
    const { range, params } = rangeParams(c.var.creator.id, q);
    return c.json({ range, rows: await daily(c.env.DB, params) }, 200);
  })
  .get('/analytics/funnel', requireCreator, query, async (c) => {
    const q = c.req.valid('query');
    if (q.seriesId) await findOwnedSeries(c.env.DB, c.var.creator.id, q.seriesId);
    const { range, params } = rangeParams(c.var.creator.id, q);
    const [rows, bySource] = await Promise.all([funnel(c.env.DB, params), sourceFunnel(c.env.DB, params)]);
    return c.json({ range, rows, ...bySource }, 200);
  });
