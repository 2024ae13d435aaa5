import type { AnalyticsQuery, Currency } from '@series/core';
import { SESSION_CREATOR, type SessionBound } from '../auth/queries.js';
import { utcDay } from '../lib/time.js';

export interface Money {
  sales: number;
  gross: number;
  refunded: number;
  commission: number;
  payout: number;
  /** The tax the sales included, net of refunds: commission + payout + tax = gross − refunded. */
  tax: number;
}

/**
 * The caller's own figures only. While every ledger is the directory's own database, each query is batched with
 * the caller's session (`readAsCreator`), which binds ?1 and ?2, and names the creator as the session's; with the
 * creator's ledger in a shard of its own, the session is read first and ?7 names the creator to the shard. The
 * parameters they share follow: ?3 from, ?4 to, ?5 currency, ?6 series, ?7 the creator (null: the session's).
 */
const CREATOR = `COALESCE(?7, ${SESSION_CREATOR})`;

export function rangeParams(q: AnalyticsQuery, creatorId: string | null = null) {
  const to = q.to ?? utcDay(Date.now());
  return {
    range: { from: q.from ?? null, to },
    params: [q.from ?? null, to, q.currency ?? null, q.seriesId ?? null, creatorId],
  };
}

/** One analytics answer: its statements, to batch with the session, and how their results read. */
export interface Read<T> {
  statements: D1PreparedStatement[];
  /** `fromDirectory`: the results of what the route read from the directory (analytics/routes.ts). */
  read(results: D1Result<Record<string, unknown>>[], fromDirectory?: D1Result<Record<string, unknown>>[]): T;
}

/**
 * Binds the figures' statements for a creator's shard, the session read already: ?7 names the creator there; ?1 and
 * ?2 (a session's token hash and now) match no session.
 */
export const onShard =
  (shard: D1Database, now: number): SessionBound =>
  (sql, ...values) =>
    shard.prepare(sql).bind('', now, ...values);

/** The series filter's series, if it is the caller's: no row when it is someone else's or missing. */
export const ownedSeriesStatement = (bound: SessionBound, params: unknown[]) =>
  bound(`SELECT id FROM series WHERE id = ?6 AND creator_id = ${CREATOR}`, ...params);

const FILTER = `creator_id = ${CREATOR} AND (?3 IS NULL OR day >= ?3) AND day <= ?4
  AND (?5 IS NULL OR currency = ?5) AND (?6 IS NULL OR series_id = ?6)`;
/** commission, payout and tax are net of refunds and chargebacks: commission + payout + tax = gross - refunded. */
const MONEY = ['sales', 'gross', 'refunded', 'commission', 'payout', 'tax'];
const SUMS = MONEY.map((column) => `SUM(${column}) AS ${column}`).join(', ');

/**
 * Unique buyers of the range for the outer row's currency (or the series), by migration 0011's identity:
 * the per-day counts before `from`, less the buyer-days after `to` that still point before `from` (an index
 * range, empty when `to` is today). All time is the range from before every date.
 */
function buyersSql(bySeries: boolean): string {
  const [scope, prev] = bySeries
    ? ['b.series_id = ?6', 'b.prev_series_day']
    : ['b.currency = d.currency', 'b.prev_day'];
  const from = `COALESCE(?3, '0000-01-01')`;
  return `COALESCE((SELECT SUM(k.rows_pointing - k.rows_on_day) FROM buyer_day_counts k
      WHERE k.creator_id = ${CREATOR} AND k.currency = d.currency AND k.series_id = COALESCE(?6, '') AND k.day < ${from}), 0)
    - (SELECT COUNT(*) FROM buyer_days b WHERE b.creator_id = ${CREATOR} AND ${scope} AND b.day > ?4 AND COALESCE(${prev}, '') < ${from})`;
}

/**
 * Totals per currency: a bounded range sums its days; all time (up to `to`) starts from the trigger-kept
 * totals and takes off the days after `to` (usually none), so it does not grow with the creator's history.
 */
function summarySql(bounded: boolean, bySeries: boolean): string {
  const buyers = buyersSql(bySeries);
  if (bounded) {
    return `SELECT currency, ${SUMS}, ${buyers} AS buyers FROM sales_daily d WHERE ${FILTER}
      GROUP BY currency ORDER BY currency`;
  }
  const later = (column: string) => (column === 'days' ? '-1' : `-${column}`);
  return `SELECT currency, ${SUMS}, ${buyers} AS buyers FROM (
      SELECT currency, days, ${MONEY.join(', ')} FROM sales_totals
      WHERE creator_id = ${CREATOR} AND (?5 IS NULL OR currency = ?5) AND (?6 IS NULL OR series_id = ?6)
      UNION ALL
      SELECT currency, ${['days', ...MONEY].map(later).join(', ')} FROM sales_daily
      WHERE creator_id = ${CREATOR} AND day > ?4 AND (?5 IS NULL OR currency = ?5) AND (?6 IS NULL OR series_id = ?6)
    ) d GROUP BY currency HAVING SUM(days) > 0 ORDER BY currency`;
}

/**
 * Per currency, what temporary discounts and promo codes took off the range's sales (migration 0028), and the gross
 * before them: read like the totals (a bounded range from its days, all time from the trigger-kept totals).
 */
export function discountTotals(bound: SessionBound, params: unknown[], range: { from: string | null; to: string }) {
  const sums = `SUM(gross) + SUM(discounts) AS gross_before, SUM(discounts) AS discounts`;
  const sql =
    range.from !== null
      ? `SELECT currency, ${sums} FROM sales_daily WHERE ${FILTER} GROUP BY currency ORDER BY currency`
      : `SELECT currency, ${sums} FROM (
           SELECT currency, days, gross, discounts FROM sales_totals
           WHERE creator_id = ${CREATOR} AND (?5 IS NULL OR currency = ?5) AND (?6 IS NULL OR series_id = ?6)
           UNION ALL
           SELECT currency, -1, -gross, -discounts FROM sales_daily
           WHERE creator_id = ${CREATOR} AND day > ?4 AND (?5 IS NULL OR currency = ?5) AND (?6 IS NULL OR series_id = ?6)
         ) d GROUP BY currency HAVING SUM(days) > 0 ORDER BY currency`;
  return {
    statements: [bound(sql, ...params)],
    read: ([rows]) =>
      (rows?.results ?? []).map((r) => ({
        currency: r.currency as Currency,
        /** What the sales would have charged at their list prices (before discounts and codes). */
        grossBeforeDiscounts: r.gross_before as number,
        discounts: r.discounts as number,
      })),
  } satisfies Read<unknown>;
}

/** Totals per currency, from the rollups (never a scan of purchases). */
export function summary(bound: SessionBound, params: unknown[], range: { from: string | null; to: string }) {
  return {
    statements: [bound(summarySql(range.from !== null, params[3] !== null), ...params)],
    read: ([totals]) => (totals?.results ?? []) as unknown as (Money & { currency: Currency; buyers: number })[],
  } satisfies Read<unknown>;
}

/** Sales per day and currency; days without sales are omitted. */
export function daily(bound: SessionBound, params: unknown[]) {
  return {
    statements: [
      bound(
        `SELECT day, currency, ${SUMS} FROM sales_daily WHERE ${FILTER} GROUP BY day, currency ORDER BY day, currency`,
        ...params,
      ),
    ],
    read: ([days]) => (days?.results ?? []) as unknown as (Money & { day: string; currency: Currency })[],
  } satisfies Read<unknown>;
}

/**
 * One row per episode of the creator's series (zeros included, so charts show every episode),
 * plus one "whole series" row per series that sold its bundle.
 */
export function perEpisode(bound: SessionBound, params: unknown[]) {
  return {
    statements: [
      bound(
        `SELECT s.id AS series_id, s.title AS series_title, s.currency, e.id AS episode_id, e.title,
                e.price IS NULL AS free,
                COALESCE(d.sales, 0) AS sales, COALESCE(d.gross, 0) AS gross, COALESCE(d.refunded, 0) AS refunded,
                COALESCE(d.commission, 0) AS commission, COALESCE(d.payout, 0) AS payout, COALESCE(d.tax, 0) AS tax
         FROM series s JOIN episodes e ON e.series_id = s.id
         LEFT JOIN (SELECT series_id, episode_id, ${SUMS} FROM sales_daily WHERE ${FILTER} AND episode_id != ''
                    GROUP BY series_id, episode_id) d ON d.series_id = s.id AND d.episode_id = e.id
         WHERE s.creator_id = ${CREATOR} AND (?5 IS NULL OR s.currency = ?5) AND (?6 IS NULL OR s.id = ?6)
         ORDER BY s.created_at, s.id, e.position, e.created_at, e.id`,
        ...params,
      ),
      bound(
        `SELECT d.series_id, s.title AS series_title, d.currency, ${SUMS.replaceAll('SUM(', 'SUM(d.')}
         FROM sales_daily d JOIN series s ON s.id = d.series_id
         WHERE ${FILTER.replaceAll(/\b(creator_id|day|currency|series_id)\b/g, 'd.$1')} AND d.episode_id = ''
         GROUP BY d.series_id ORDER BY s.created_at, d.series_id`,
        ...params,
      ),
    ],
    read: ([episodes, bundles]) => episodeRows(episodes, bundles),
  } satisfies Read<unknown>;
}

function episodeRows(episodes?: D1Result<Record<string, unknown>>, bundles?: D1Result<Record<string, unknown>>) {
  let number = 0;
  let lastSeries = '';
  const rows = (episodes?.results ?? []).map((r) => {
    number = r.series_id === lastSeries ? number + 1 : 1;
    lastSeries = r.series_id as string;
    return {
      kind: 'episode' as const,
      seriesId: r.series_id as string,
      seriesTitle: r.series_title as string,
      episodeId: r.episode_id as string | null,
      number: number as number | null,
      title: r.title as string,
      free: r.free === 1,
      currency: r.currency as Currency,
      sales: r.sales as number,
      gross: r.gross as number,
      refunded: r.refunded as number,
      commission: r.commission as number,
      payout: r.payout as number,
      tax: r.tax as number,
    };
  });
  const bundleRows = (bundles?.results ?? []).map((r) => ({
    kind: 'series' as const,
    seriesId: r.series_id as string,
    seriesTitle: r.series_title as string,
    episodeId: null,
    number: null,
    title: 'Whole series',
    free: false,
    currency: r.currency as Currency,
    sales: r.sales as number,
    gross: r.gross as number,
    refunded: r.refunded as number,
    commission: r.commission as number,
    payout: r.payout as number,
    tax: r.tax as number,
  }));
  return [...rows, ...bundleRows];
}

/**
 * Per episode: unlock-button views, checkouts started and purchases completed in the range, so the
 * dashboard can show where buyers drop off. Whole-series checkouts and sales appear on a `series` row.
 */
export function funnel(bound: SessionBound, params: unknown[]) {
  return {
    statements: [
      bound(
        `WITH f AS (SELECT series_id, episode_id, SUM(views) AS views, SUM(checkouts) AS checkouts FROM funnel_daily
                  WHERE creator_id = ${CREATOR} AND (?3 IS NULL OR day >= ?3) AND day <= ?4 AND (?6 IS NULL OR series_id = ?6)
                  GROUP BY series_id, episode_id),
            p AS (SELECT series_id, episode_id, SUM(sales) AS purchases FROM sales_daily WHERE ${FILTER}
                  GROUP BY series_id, episode_id),
            items AS (SELECT s.id AS series_id, e.id AS episode_id, e.title, s.created_at AS s_created,
                             e.position, e.created_at AS e_created
                      FROM series s JOIN episodes e ON e.series_id = s.id
                      WHERE s.creator_id = ${CREATOR} AND (?5 IS NULL OR s.currency = ?5) AND (?6 IS NULL OR s.id = ?6)
                      UNION ALL
                      SELECT s.id, '', 'Whole series', s.created_at, 1e18, 0 FROM series s
                      WHERE s.creator_id = ${CREATOR} AND (?5 IS NULL OR s.currency = ?5) AND (?6 IS NULL OR s.id = ?6))
       SELECT i.series_id, i.episode_id, i.title, COALESCE(f.views, 0) AS views,
              COALESCE(f.checkouts, 0) AS checkouts, COALESCE(p.purchases, 0) AS purchases
       FROM items i
       LEFT JOIN f ON f.series_id = i.series_id AND f.episode_id = i.episode_id
       LEFT JOIN p ON p.series_id = i.series_id AND p.episode_id = i.episode_id
       WHERE i.episode_id != '' OR COALESCE(f.checkouts, 0) + COALESCE(p.purchases, 0) > 0
       ORDER BY i.s_created, i.series_id, i.position, i.e_created, i.episode_id`,
        ...params,
      ),
    ],
    read: ([rows]) => funnelRows((rows?.results ?? []) as unknown as FunnelRow[]),
  } satisfies Read<unknown>;
}

interface FunnelRow {
  series_id: string;
  episode_id: string;
  title: string;
  views: number;
  checkouts: number;
  purchases: number;
}

function funnelRows(results: FunnelRow[]) {
  return results.map((r) => ({
    kind: r.episode_id ? ('episode' as const) : ('series' as const),
    seriesId: r.series_id,
    episodeId: r.episode_id || null,
    title: r.title,
    views: r.views,
    checkouts: r.checkouts,
    purchases: r.purchases,
  }));
}

/**
 * The storefront's funnel per link source (`?src=`; null when the link had none): page views, checkouts started
 * and purchases, in all and per UTC day. A series filter keeps that series' pages and sales (the creator's own
 * page counts for none); views have no currency, so a currency filter does not apply here.
 */
export function sourceFunnel(bound: SessionBound, params: unknown[]) {
  const where = `creator_id = ${CREATOR} AND (?3 IS NULL OR day >= ?3) AND day <= ?4 AND (?6 IS NULL OR series_id = ?6)`;
  return {
    statements: [
      bound(
        `SELECT source, SUM(views) AS views, SUM(checkouts) AS checkouts, SUM(purchases) AS purchases
         FROM source_daily WHERE ${where} GROUP BY source ORDER BY SUM(views) DESC, SUM(purchases) DESC, source`,
        ...params,
      ),
      bound(
        `SELECT day, source, SUM(views) AS views, SUM(checkouts) AS checkouts, SUM(purchases) AS purchases
         FROM source_daily WHERE ${where} GROUP BY day, source ORDER BY day, source`,
        ...params,
      ),
    ],
    read: ([totals, days]) => {
      type Figures = { day?: string; source: string; views: number; checkouts: number; purchases: number };
      const figures = (r: Figures) => ({
        source: r.source || null,
        views: r.views,
        checkouts: r.checkouts,
        purchases: r.purchases,
      });
      return {
        sources: ((totals?.results ?? []) as unknown as Figures[]).map(figures),
        sourceDays: ((days?.results ?? []) as unknown as Figures[]).map((r) => ({ day: r.day!, ...figures(r) })),
      };
    },
  } satisfies Read<unknown>;
}
