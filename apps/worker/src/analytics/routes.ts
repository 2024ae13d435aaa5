import { analyticsQuerySchema, type AnalyticsQuery } from '@series/core';
import { Hono, type Context } from 'hono';
import { readAsCreator } from '../auth/middleware.js';
import type { SessionBound } from '../auth/queries.js';
import { commissionBpsOf, commissionStatement } from '../ledger/commission-queries.js';
import type { AppEnv } from '../lib/context.js';
import { directory, ledgerFor, ledgerInDirectory } from '../ledger/placement.js';
import { notFound } from '../lib/errors.js';
import { validate } from '../lib/validate.js';
import {
  daily,
  funnel,
  onShard,
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
 * Answers one analytics read: the session, the series filter's owner check and the figures, and the directory's own
 * figures (`fromDirectory`: the commission in force). While every ledger is the directory's own database, in one
 * batch (one round trip); with the creator's ledger in a shard of its own, the session with the directory's figures
 * first, then the shard alone (two). A series filter naming someone else's series is a 404, as a missing one.
 */
async function analytics<T>(
  c: Context<AppEnv>,
  q: AnalyticsQuery,
  figures: (bound: SessionBound, params: unknown[], range: { from: string | null; to: string }) => Read<T>,
  fromDirectory: (db: D1Database) => D1PreparedStatement[] = () => [],
) {
  const one = ledgerInDirectory(c.env);
  if (one) {
    const { range, params } = rangeParams(q);
    let read: Read<T> | undefined;
    let own = 0;
    const { results } = await readAsCreator(c, (bound) => {
      read = figures(bound, params, range);
      const directoryReads = fromDirectory(one);
      own = directoryReads.length;
      return [ownedSeriesStatement(bound, params), ...read.statements, ...directoryReads];
    });
    const directoryResults = results.splice(results.length - own, own);
    const [owned, ...rest] = results;
    if (q.seriesId && !owned?.results.length) throw notFound('Series');
    return { range, figures: read!.read(rest, directoryResults) };
  }
  const session = await readAsCreator(c, () => fromDirectory(directory(c.env)));
  const { range, params } = rangeParams(q, session.creator.id);
  const shard = ledgerFor(c.env, session.creator.id);
  const bound = onShard(shard, Date.now());
  const read = figures(bound, params, range);
  const [owned, ...rest] = await shard.batch<Record<string, unknown>>([
    ownedSeriesStatement(bound, params),
    ...read.statements,
  ]);
  if (q.seriesId && !owned?.results.length) throw notFound('Series');
  return { range, figures: read.read(rest, session.results) };
}

/** The caller's own sales only; every figure is in minor units of its currency, days are UTC. */
export const analyticsRoutes = new Hono<AppEnv>()
  .get('/analytics/summary', query, async (c) => {
    const { range, figures } = await analytics(
      c,
      c.req.valid('query'),
      (bound, params, range) => {
        const totals = summary(bound, params, range);
        const offers = discountTotals(bound, params, range);
        return {
          statements: [...totals.statements, ...offers.statements],
          read: ([rows, discounted], [rate] = []) => ({
            totals: totals.read([rows!]),
            currentCommissionBps: commissionBpsOf(rate?.results[0] as { bps: number } | undefined),
            discounts: offers.read([discounted!]),
          }),
        };
      },
      // The commission in force is the directory's, read with the session.
      (db) => [commissionStatement(db)],
    );
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
