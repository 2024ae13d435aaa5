import { analyticsQuerySchema, type AnalyticsQuery } from '@series/core';
import { Hono, type Context } from 'hono';
import { readAsCreator } from '../auth/middleware.js';
import type { SessionBound } from '../auth/queries.js';
import { commissionBpsOf, commissionStatement } from '../ledger/commission-queries.js';
import type { AppEnv } from '../lib/context.js';
import { notFound } from '../lib/errors.js';
import { validate } from '../lib/validate.js';
import {
  daily,
  funnel,
  ownedSeriesStatement,
  perEpisode,
  rangeParams,
  sourceFunnel,
  discountTotals,
  summary,
  type Read,
} from './queries.js';

const query = validate('query', analyticsQuerySchema);

/**
 * Answers one analytics read in one round trip to the database: the session, the series filter's owner check and
 * the figures in one batch. A series filter naming someone else's series is a 404, as a missing one.
 */
async function analytics<T>(
  c: Context<AppEnv>,
  q: AnalyticsQuery,
  figures: (bound: SessionBound, params: unknown[], range: { from: string | null; to: string }) => Read<T>,
) {
  const { range, params } = rangeParams(q);
  let read: Read<T> | undefined;
  const { results } = await readAsCreator(c, (bound) => {
    read = figures(bound, params, range);
    return [ownedSeriesStatement(bound, params), ...read.statements];
  });
  const [owned, ...rest] = results;
  if (q.seriesId && !owned?.results.length) throw notFound('Series');
  return { range, figures: read!.read(rest) };
}

/** The caller's own sales only; every figure is in minor units of its currency, days are UTC. */
export const analyticsRoutes = new Hono<AppEnv>()
  .get('/analytics/summary', query, async (c) => {
    const { range, figures } = await analytics(c, c.req.valid('query'), (bound, params, range) => {
      const totals = summary(bound, params, range);
      const offers = discountTotals(bound, params, range);
      // The commission in force, read in the same batch (a statement without parameters of its own).
      const bps = commissionStatement(c.env.DB);
      return {
        statements: [...totals.statements, bps, ...offers.statements],
        read: ([rows, rate, discounted]) => ({
          totals: totals.read([rows!]),
          currentCommissionBps: commissionBpsOf(rate?.results[0] as { bps: number } | undefined),
          discounts: offers.read([discounted!]),
        }),
      };
    });
    return c.json(
      {
        range,
        currentCommissionBps: figures.currentCommissionBps,
        totals: figures.totals,
        // Gross before and after discounts: `grossBeforeDiscounts` per currency, `totals[].gross` after them.
        discounts: figures.discounts,
      },
      200,
    );
  })
  .get('/analytics/episodes', query, async (c) => {
    const { range, figures } = await analytics(c, c.req.valid('query'), perEpisode);
    return c.json({ range, rows: figures }, 200);
  })
  .get('/analytics/daily', query, async (c) => {
    const { range, figures } = await analytics(c, c.req.valid('query'), daily);
    return c.json({ range, rows: figures }, 200);
  })
  .get('/analytics/funnel', query, async (c) => {
    const { range, figures } = await analytics(c, c.req.valid('query'), (bound, params) => {
      const items = funnel(bound, params);
      const sources = sourceFunnel(bound, params);
      return {
        statements: [...items.statements, ...sources.statements],
        read: (results) => ({ rows: items.read(results.slice(0, 1)), bySource: sources.read(results.slice(1)) }),
      };
    });
    return c.json({ range, rows: figures.rows, ...figures.bySource }, 200);
  });
