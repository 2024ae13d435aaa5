import type { Currency } from '@series/core';
import { daysBetween } from '../dates.js';
import type { DailyStats, EpisodeStats, FunnelStats } from '../types.js';

/** Above this many points or bars, charts draw without animation (it would only cost frames). */
export const ANIMATION_LIMIT = 60;
/** Above this many daily points, the line is decimated (min-max per pixel keeps every peak visible). */
export const DECIMATION_THRESHOLD = 150;

/** How long an axis label may be; the whole title is in the tooltip and the table. */
export const LABEL_LENGTH = 16;

/** A title cut to `max` characters (whole code points), with an ellipsis when cut. */
export function truncate(text: string, max = LABEL_LENGTH): string {
  const chars = [...text];
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

export interface EpisodeBars {
  /** Axis labels: the episode’s title, truncated (or "Whole series" for "buy all" sales). */
  labels: string[];
  /** Full names for tooltips and the table. */
  titles: string[];
  sales: number[];
  /** Creator earnings per bar, minor units. */
  payout: number[];
  gross: number[];
}

/** Bars for one series' episodes in order, then its whole-series ("buy all") sales if there were any. */
export function episodeBars(rows: EpisodeStats[], seriesId: string): EpisodeBars {
  const mine = rows.filter((r) => r.seriesId === seriesId);
  const ordered = [...mine.filter((r) => r.kind === 'episode'), ...mine.filter((r) => r.kind === 'series')];
  return {
    labels: ordered.map((r) => (r.kind === 'series' ? 'Whole series' : truncate(r.title))),
    titles: ordered.map((r) => (r.kind === 'series' ? 'Whole series' : `#${r.number} ${r.title}`)),
    sales: ordered.map((r) => r.sales),
    payout: ordered.map((r) => r.payout),
    gross: ordered.map((r) => r.gross),
  };
}

export interface DailyPoint {
  /** Midnight UTC of the day, epoch ms (a linear x axis, so decimation applies). */
  x: number;
  /** Minor units. */
  y: number;
}

/**
 * Daily earnings in one currency as a continuous line: days without sales (omitted by the API) are zero.
 * All time starts at the first day with sales.
 */
export function dailyPoints(
  rows: DailyStats[],
  currency: Currency,
  range: { from: string | null; to: string },
): DailyPoint[] {
  const mine = rows.filter((r) => r.currency === currency);
  const from = range.from ?? mine[0]?.day ?? range.to;
  const by = new Map(mine.map((r) => [r.day, r.payout]));
  return daysBetween(from, range.to).map((day) => ({ x: Date.parse(`${day}T00:00:00Z`), y: by.get(day) ?? 0 }));
}

export interface FunnelTotals {
  views: number;
  checkouts: number;
  purchases: number;
  /** Checkouts per view and purchases per checkout; null when there is nothing to divide by. */
  checkoutRate: number | null;
  purchaseRate: number | null;
}

/** Unlock-button views → checkouts started → purchases, summed over the rows shown. */
export function funnelTotals(rows: FunnelStats[]): FunnelTotals {
  const views = rows.reduce((n, r) => n + r.views, 0);
  const checkouts = rows.reduce((n, r) => n + r.checkouts, 0);
  const purchases = rows.reduce((n, r) => n + r.purchases, 0);
  return {
    views,
    checkouts,
    purchases,
    checkoutRate: views ? checkouts / views : null,
    purchaseRate: checkouts ? purchases / checkouts : null,
  };
}
