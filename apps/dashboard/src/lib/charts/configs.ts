import { utcDay, type Currency } from '@series/core';
import type { ChartConfiguration } from 'chart.js';
import { count, formatDay, money } from '../format.js';
import { ANIMATION_LIMIT, DECIMATION_THRESHOLD, type DailyPoint, type EpisodeBars } from './data.js';

const DAY_MS = 86_400_000;
const EARNINGS_COLOR = '#1f5bd6';
const SALES_COLOR = '#f0a23b';

/** What the per-episode chart shows: one measure at a time, on one axis. */
export type EpisodeMeasure = 'earnings' | 'sales';

/** Earnings (money) or sales (a count) per episode of one series: one measure, one y axis. */
export function episodeChartConfig(
  bars: EpisodeBars,
  currency: Currency,
  measure: EpisodeMeasure = 'earnings',
): ChartConfiguration<'bar', number[], string> {
  const large = bars.labels.length > ANIMATION_LIMIT;
  const earnings = measure === 'earnings';
  const show = (v: number) => (earnings ? money(v, currency) : count(v));
  return {
    type: 'bar',
    data: {
      labels: bars.labels,
      datasets: [
        {
          label: earnings ? 'Earnings' : 'Sales',
          data: earnings ? bars.payout : bars.sales,
          yAxisID: 'y',
          backgroundColor: earnings ? EARNINGS_COLOR : SALES_COLOR,
          maxBarThickness: 28,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: large ? false : { duration: 250 },
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { ticks: { autoSkip: true, maxRotation: 45 }, grid: { display: false } },
        y: {
          type: 'linear',
          position: 'left',
          beginAtZero: true,
          ticks: { precision: 0, callback: (v) => show(Number(v)) },
        },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: (items) => bars.titles[items[0]?.dataIndex ?? 0] ?? '',
            label: (item) => `${earnings ? 'Earnings' : 'Sales'}: ${show(Number(item.raw))}`,
          },
        },
      },
    },
  };
}

/**
 * Daily earnings on a linear time axis (epoch ms), so chart.js can decimate a long range. Ticks fall on
 * whole days (multiples of a day from the epoch are UTC midnights).
 */
export function dailyChartConfig(points: DailyPoint[], currency: Currency): ChartConfiguration<'line', DailyPoint[]> {
  const large = points.length > ANIMATION_LIMIT;
  // A single day still shows: the axis spans half a day on each side of it, and its point is drawn larger.
  const single = points.length === 1;
  const first = (points[0]?.x ?? 0) - (single ? DAY_MS / 2 : 0);
  const last = (points[points.length - 1]?.x ?? first) + (single ? DAY_MS / 2 : 0);
  return {
    type: 'line',
    data: {
      datasets: [
        {
          label: 'Earnings',
          data: points,
          borderColor: EARNINGS_COLOR,
          backgroundColor: EARNINGS_COLOR,
          borderWidth: 2,
          pointRadius: large ? 0 : single ? 5 : 2,
          pointHoverRadius: 4,
          tension: 0,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      animation: large ? false : { duration: 250 },
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: {
          type: 'linear',
          min: first,
          max: last,
          ticks: {
            stepSize: DAY_MS * Math.max(1, Math.ceil(points.length / 8)),
            maxRotation: 0,
            callback: (v) => formatDay(utcDay(Number(v)), 'short'),
          },
        },
        y: { beginAtZero: true, ticks: { precision: 0, callback: (v) => money(Number(v), currency) } },
      },
      plugins: {
        legend: { display: false },
        decimation: { enabled: points.length > DECIMATION_THRESHOLD, algorithm: 'min-max' },
        tooltip: {
          callbacks: {
            title: (items) => formatDay(utcDay(items[0]?.parsed.x ?? first)),
            label: (item) => `Earnings: ${money(item.parsed.y ?? 0, currency)}`,
          },
        },
      },
    },
  };
}
