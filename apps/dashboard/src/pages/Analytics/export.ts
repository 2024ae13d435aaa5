import type { Currency } from '@series/core';
import { toCsv } from '../../lib/csv.js';
import { minorToDecimal } from '../../lib/money.js';
import type { DailyStats, EpisodeStats, FunnelStats, SourceDayStats, SourceStats } from '../../lib/types.js';

/**
 * Joins the funnel counts onto the per-episode sales rows. Whole-series checkouts that never completed
 * have no sales row, so they get one (with zero sales) to keep the table's totals equal to the funnel's.
 */
export function withFunnel(rows: EpisodeStats[], funnel: FunnelStats[], seriesTitles: Map<string, string>) {
  const key = (seriesId: string, episodeId: string | null) => `${seriesId}/${episodeId ?? ''}`;
  const by = new Map(funnel.map((f) => [key(f.seriesId, f.episodeId), f]));
  const joined = rows.map((r) => {
    const f = by.get(key(r.seriesId, r.episodeId));
    return { ...r, views: f?.views ?? 0, checkouts: f?.checkouts ?? 0 };
  });
  const present = new Set(rows.map((r) => key(r.seriesId, r.episodeId)));
  const currency = rows[0]?.currency;
  for (const f of funnel) {
    if (f.kind !== 'series' || present.has(key(f.seriesId, null)) || !currency) continue;
    joined.push({
      kind: 'series',
      seriesId: f.seriesId,
      seriesTitle: seriesTitles.get(f.seriesId) ?? '',
      episodeId: null,
      number: null,
      title: 'Whole series',
      free: false,
      currency,
      sales: 0,
      gross: 0,
      refunded: 0,
      commission: 0,
      payout: 0,
      tax: 0,
      views: f.views,
      checkouts: f.checkouts,
    });
  }
  return joined;
}

export type EpisodeRow = ReturnType<typeof withFunnel>[number];

/**
 * The per-episode table as CSV; amounts as plain decimals in the currency (machine-readable). Tax sits between
 * the refunds and the split, so each row reads Gross − Refunded = Tax + Commission + Payout.
 */
export function episodesCsv(rows: EpisodeRow[], currency: Currency): string {
  return toCsv(
    [
      'Series',
      'Episode',
      'Title',
      'Currency',
      'Sales',
      'Gross',
      'Refunded',
      'Tax',
      'Commission',
      'Payout',
      'Unlock views',
      'Checkouts',
    ],
    rows.map((r) => [
      r.seriesTitle,
      r.kind === 'series' ? 'whole series' : String(r.number),
      r.title,
      currency,
      r.sales,
      minorToDecimal(r.gross, currency),
      minorToDecimal(r.refunded, currency),
      minorToDecimal(r.tax, currency),
      minorToDecimal(r.commission, currency),
      minorToDecimal(r.payout, currency),
      r.views,
      r.checkouts,
    ]),
  );
}

/** Days with sales, UTC, as CSV. */
export function dailyCsv(rows: DailyStats[], currency: Currency): string {
  return toCsv(
    ['Day (UTC)', 'Currency', 'Sales', 'Gross', 'Refunded', 'Tax', 'Commission', 'Payout'],
    rows
      .filter((r) => r.currency === currency)
      .map((r) => [
        r.day,
        currency,
        r.sales,
        minorToDecimal(r.gross, currency),
        minorToDecimal(r.refunded, currency),
        minorToDecimal(r.tax, currency),
        minorToDecimal(r.commission, currency),
        minorToDecimal(r.payout, currency),
      ]),
  );
}

/** How a link without `?src=` is named (a source word cannot contain parentheses, so it never clashes). */
export const NO_SOURCE = '(no source)';

export type Counts = Pick<SourceStats, 'views' | 'checkouts' | 'purchases'>;

/** Purchases per storefront page view, or null without views (a rate of nothing). */
export const viewToPurchase = (r: Counts): number | null => (r.views > 0 ? r.purchases / r.views : null);

export function sourceTotals(rows: Counts[]): Counts {
  return rows.reduce(
    (t, r) => ({
      views: t.views + r.views,
      checkouts: t.checkouts + r.checkouts,
      purchases: t.purchases + r.purchases,
    }),
    {
      views: 0,
      checkouts: 0,
      purchases: 0,
    },
  );
}

/**
 * The storefront funnel per UTC day and link source, as CSV: the rows add up to the per-source table. The
 * conversion is a plain ratio (0.25), empty for a day without views.
 */
export function sourcesCsv(days: SourceDayStats[]): string {
  return toCsv(
    ['Day (UTC)', 'Source', 'Page views', 'Checkouts', 'Purchases', 'View to purchase'],
    days.map((d) => {
      const ratio = viewToPurchase(d);
      return [
        d.day,
        d.source ?? NO_SOURCE,
        d.views,
        d.checkouts,
        d.purchases,
        ratio === null ? '' : Number(ratio.toFixed(4)),
      ];
    }),
  );
}
