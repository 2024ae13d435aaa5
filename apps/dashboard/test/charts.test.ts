import { describe, expect, it } from 'vitest';
import { dailyChartConfig, episodeChartConfig } from '../src/lib/charts/configs.js';
import { ANIMATION_LIMIT, dailyPoints, episodeBars, funnelTotals, truncate } from '../src/lib/charts/data.js';
import { addDays } from '../src/lib/dates.js';
import type { DailyStats, EpisodeStats, FunnelStats } from '../src/lib/types.js';

const SERIES = 'ser_aaaaaaaaaaaaaaaaaaaa';
const OTHER = 'ser_bbbbbbbbbbbbbbbbbbbb';

type EpisodeOnly = Extract<EpisodeStats, { kind: 'episode' }>;

function episodeRow(n: number, fields: Partial<EpisodeOnly> = {}): EpisodeOnly {
  return {
    kind: 'episode',
    seriesId: SERIES,
    seriesTitle: 'Night Ferry',
    episodeId: `ep_${String(n).padStart(20, '0')}`,
    number: n,
    title: `Episode ${n}`,
    free: false,
    currency: 'USD',
    sales: 0,
    gross: 0,
    refunded: 0,
    commission: 0,
    payout: 0,
    tax: 0,
    ...fields,
  };
}

const day = (d: string, payout: number, currency: 'USD' | 'JPY' = 'USD'): DailyStats => ({
  day: d,
  currency,
  sales: 1,
  gross: payout,
  refunded: 0,
  commission: 0,
  payout,
  tax: 0,
});

/** Runs a chart.js scriptable tick callback the way chart.js would. */
const tick = (callback: unknown, value: number) => (callback as (v: number) => string)(value);

describe('per-episode bars', () => {
  it('maps one series’ episodes in order, then its whole-series sales, ignoring other series', () => {
    const rows: EpisodeStats[] = [
      episodeRow(1, { free: true, title: 'Trailer' }),
      episodeRow(2, { sales: 3, gross: 897, payout: 897 }),
      episodeRow(1, { seriesId: OTHER, sales: 9, payout: 9_999 }),
      {
        ...episodeRow(0),
        kind: 'series' as const,
        episodeId: null,
        number: null,
        title: 'Whole series',
        sales: 1,
        gross: 499,
        payout: 499,
      },
    ];
    expect(episodeBars(rows, SERIES)).toEqual({
      // Titles, not "#1": cut to 16 characters on the axis, whole in the tooltip.
      labels: ['Trailer', 'Episode 2', 'Whole series'],
      titles: ['#1 Trailer', '#2 Episode 2', 'Whole series'],
      sales: [0, 3, 1],
      payout: [0, 897, 499],
      gross: [0, 897, 499],
    });
  });

  it('draws one measure per chart on one axis: earnings in the series currency, or sales as a count', () => {
    const bars = episodeBars([episodeRow(1, { currency: 'JPY', sales: 2, payout: 600 })], SERIES);
    const config = episodeChartConfig(bars, 'JPY');
    expect(config.type).toBe('bar');
    expect(config.data.datasets.map((d) => [d.label, d.yAxisID, d.data])).toEqual([['Earnings', 'y', [600]]]);
    const scales = config.options!.scales as Record<string, { ticks: { callback: unknown } }>;
    expect(Object.keys(scales).sort()).toEqual(['x', 'y']);
    expect(tick(scales['y']!.ticks.callback, 600)).toBe('¥600');
    expect(tick(episodeChartConfig(bars, 'USD').options!.scales!['y']!.ticks!.callback, 299)).toBe('$2.99');
    expect(config.options!.animation).not.toBe(false);
    const sales = episodeChartConfig(bars, 'JPY', 'sales');
    expect(sales.data.datasets.map((d) => [d.label, d.yAxisID, d.data])).toEqual([['Sales', 'y', [2]]]);
    expect(tick((sales.options!.scales!['y'] as { ticks: { callback: unknown } }).ticks.callback, 2)).toBe('2');
  });

  it('cuts long titles on the axis and keeps them whole in the tooltip', () => {
    const bars = episodeBars(
      [episodeRow(1, { title: 'The keeper’s daughter returns at dawn' }), episodeRow(2, { title: '🌊🌊 Open water' })],
      SERIES,
    );
    expect(bars.labels).toEqual(['The keeper’s da…', '🌊🌊 Open water']);
    expect(bars.titles[0]).toBe('#1 The keeper’s daughter returns at dawn');
    expect(truncate('a'.repeat(16))).toBe('a'.repeat(16));
    expect([...truncate('a'.repeat(30))]).toHaveLength(16);
  });

  it('stays responsive with 80 episodes: no animation, every bar present', () => {
    const rows = Array.from({ length: 80 }, (_, i) => episodeRow(i + 1, { sales: i, payout: i * 199 }));
    const config = episodeChartConfig(episodeBars(rows, SERIES), 'USD');
    expect(config.data.labels).toHaveLength(80);
    expect(config.options!.animation).toBe(false);
    expect(config.options!.responsive).toBe(true);
    expect(config.options!.maintainAspectRatio).toBe(false);
  });
});

describe('daily earnings line', () => {
  it('fills the days without sales with zero, for the chosen currency only', () => {
    const points = dailyPoints([day('2026-03-02', 299), day('2026-03-02', 500, 'JPY'), day('2026-03-04', 199)], 'USD', {
      from: '2026-03-01',
      to: '2026-03-05',
    });
    expect(points).toEqual([
      { x: Date.UTC(2026, 2, 1), y: 0 },
      { x: Date.UTC(2026, 2, 2), y: 299 },
      { x: Date.UTC(2026, 2, 3), y: 0 },
      { x: Date.UTC(2026, 2, 4), y: 199 },
      { x: Date.UTC(2026, 2, 5), y: 0 },
    ]);
  });

  it('starts "all time" at the first day with sales', () => {
    const points = dailyPoints([day('2026-03-03', 100)], 'USD', { from: null, to: '2026-03-04' });
    expect(points.map((p) => p.y)).toEqual([100, 0]);
    expect(dailyPoints([], 'USD', { from: null, to: '2026-03-04' })).toHaveLength(1);
  });

  it('handles a year of daily data: decimated, unanimated, unparsed, points hidden', () => {
    const from = '2025-03-01';
    const rows = Array.from({ length: 365 }, (_, i) => day(addDays(from, i), (i % 7) * 100));
    const points = dailyPoints(rows, 'USD', { from, to: addDays(from, 364) });
    expect(points).toHaveLength(365);
    const config = dailyChartConfig(points, 'USD');
    const options = config.options!;
    expect(options.parsing).toBe(false);
    expect(options.animation).toBe(false);
    expect(options.plugins!.decimation).toMatchObject({ enabled: true, algorithm: 'min-max' });
    expect(options.scales!['x']).toMatchObject({ type: 'linear', min: points[0]!.x, max: points[364]!.x });
    expect(config.data.datasets[0]!.pointRadius).toBe(0);
    // Ticks land on whole days and read as dates; money in the currency.
    const x = options.scales!['x'] as { ticks: { stepSize: number; callback: unknown } };
    expect(x.ticks.stepSize % 86_400_000).toBe(0);
    expect(tick(x.ticks.callback, Date.UTC(2025, 2, 1))).toBe('3/1/25');
    expect(tick((options.scales!['y'] as { ticks: { callback: unknown } }).ticks.callback, 1_250)).toBe('$12.50');
  });

  it('shows a single day: the axis spans it and its point is drawn', () => {
    const points = dailyPoints([day('2026-03-03', 299)], 'USD', { from: null, to: '2026-03-03' });
    expect(points).toEqual([{ x: Date.UTC(2026, 2, 3), y: 299 }]);
    const config = dailyChartConfig(points, 'USD');
    const x = config.options!.scales!['x'] as { min: number; max: number };
    expect(x.max - x.min).toBe(86_400_000);
    expect(x.min).toBeLessThan(points[0]!.x);
    expect(x.max).toBeGreaterThan(points[0]!.x);
    expect(config.data.datasets[0]!.pointRadius).toBe(5);
  });

  it('animates a short range and shows its points', () => {
    const points = dailyPoints([day('2026-03-02', 299)], 'USD', { from: '2026-03-01', to: '2026-03-07' });
    const config = dailyChartConfig(points, 'USD');
    expect(points.length).toBeLessThan(ANIMATION_LIMIT);
    expect(config.options!.animation).not.toBe(false);
    expect(config.options!.plugins!.decimation).toMatchObject({ enabled: false });
    expect(config.data.datasets[0]!.pointRadius).toBe(2);
  });
});

describe('funnel', () => {
  it('sums views, checkouts and purchases and the rate of each step', () => {
    const rows: FunnelStats[] = [
      { kind: 'episode', seriesId: SERIES, episodeId: 'ep_1', title: 'A', views: 150, checkouts: 12, purchases: 6 },
      { kind: 'episode', seriesId: SERIES, episodeId: 'ep_2', title: 'B', views: 50, checkouts: 8, purchases: 4 },
      {
        kind: 'series',
        seriesId: SERIES,
        episodeId: null,
        title: 'Whole series',
        views: 0,
        checkouts: 5,
        purchases: 0,
      },
    ];
    expect(funnelTotals(rows)).toEqual({
      views: 200,
      checkouts: 25,
      purchases: 10,
      checkoutRate: 0.125,
      purchaseRate: 0.4,
    });
    expect(funnelTotals([])).toEqual({ views: 0, checkouts: 0, purchases: 0, checkoutRate: null, purchaseRate: null });
  });
});
