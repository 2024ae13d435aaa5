import type { Currency } from '@series/core';
import { toCsv } from '../../lib/csv.js';
import { minorToDecimal } from '../../lib/money.js';
import type { DailyStats, EpisodeStats, FunnelStats } from '../../lib/types.js';

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
      views: f.views,
      checkouts: f.checkouts,
    });
  }
  return joined;
}

export type EpisodeRow = ReturnType<typeof withFunnel>[number];

/** The per-episode table as CSV; amounts as plain decimals in the currency (machine-readable). */
export function episodesCsv(rows: EpisodeRow[], currency: Currency): string {
  return toCsv(
    ['Series', 'Episode', 'Title', 'Currency', 'Sales', 'Gross', 'Refunded', 'Commission', 'Payout', 'Unlock views', 'Checkouts'],
    rows.map((r) => [
      r.seriesTitle,
      r.kind === 'series' ? 'whole series' : String(r.number),
      r.title,
      currency,
      r.sales,
      minorToDecimal(r.gross, currency),
      minorToDecimal(r.refunded, currency),
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
    ['Day (UTC)', 'Currency', 'Sales', 'Gross', 'Refunded', 'Commission', 'Payout'],
    rows
      .filter((r) => r.currency === currency)
      .map((r) => [
        r.day,
        currency,
        r.sales,
        minorToDecimal(r.gross, currency),
        minorToDecimal(r.refunded, currency),
        minorToDecimal(r.commission, currency),
        minorToDecimal(r.payout, currency),
      ]),
  );
}
