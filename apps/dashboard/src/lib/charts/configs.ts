import { utcDay, type Currency } from '@series/core';
import type { ChartConfiguration } from 'chart.js';
import { count, formatDay, money } from '../format.js';
import { ANIMATION_LIMIT, DECIMATION_THRESHOLD, type DailyPoint, type EpisodeBars } from './data.js';

const DAY_MS = 86_400_000;
const EARNINGS_COLOR = '#2f6fed';
const SALES_COLOR = '#f0a23b';

/** Earnings (left axis, money) and sales (right axis, count) per episode of one series. */
export function episodeChartConfig(bars: EpisodeBars, currency: Currency): ChartConfiguration<'bar', number[], string> {
  const large = bars.labels.length > ANIMATION_LIMIT;
  return {
    type: 'bar',
    data: {
      labels: bars.labels,
      datasets: [
        {
          label: 'Earnings',
          data: bars.payout,
          yAxisID: 'money',
          backgroundColor: EARNINGS_COLOR,
          maxBarThickness: 28,
        },
        { label: 'Sales', data: bars.sales, yAxisID: 'count', backgroundColor: SALES_COLOR, maxBarThickness: 28 },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: large ? false : { duration: 250 },
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { ticks: { autoSkip: true, maxRotation: 0 }, grid: { display: false } },
        money: {
          type: 'linear',
          position: 'left',
          beginAtZero: true,
          ticks: { precision: 0, callback: (v) => money(Number(v), currency) },
        },
        count: {
          type: 'linear',
          position: 'right',
          beginAtZero: true,
          grid: { drawOnChartArea: false },
          ticks: { precision: 0, callback: (v) => count(Number(v)) },
        },
      },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: {
          callbacks: {
            title: (items) => bars.titles[items[0]?.dataIndex ?? 0] ?? '',
            label: (item) =>
              item.dataset.yAxisID === 'money'
                ? `Earnings: ${money(Number(item.raw), currency)}`
                : `Sales: ${count(Number(item.raw))}`,
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
  const first = points[0]?.x ?? 0;
  const last = points[points.length - 1]?.x ?? first;
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
          pointRadius: large ? 0 : 2,
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
