// Bundled by bench/charts.mjs into a page: times the dashboard's own two charts with 80 episodes and a year of days.
import { dailyChartConfig, episodeChartConfig } from '../apps/dashboard/src/lib/charts/configs';
import { dailyPoints, episodeBars } from '../apps/dashboard/src/lib/charts/data';
import { Chart } from '../apps/dashboard/src/lib/charts/register';

const money = (n: number) => ({ sales: n, gross: n * 199, refunded: 0, commission: 0, payout: n * 199 });
const today = Date.parse(new Date().toISOString().slice(0, 10));
const days = Array.from({ length: 365 }, (_, i) => new Date(today - (364 - i) * 86_400_000).toISOString().slice(0, 10));
const episodes = Array.from({ length: 80 }, (_, i) => ({
  kind: 'episode',
  seriesId: 'ser_bench',
  seriesTitle: 'Bench',
  episodeId: `ep_${i}`,
  number: i + 1,
  title: `Episode ${i + 1}`,
  free: i === 0,
  currency: 'USD',
  ...money((i * 7) % 23),
}));
const daily = days.map((day, i) => ({ day, currency: 'USD', ...money(1 + ((i * 13) % 17)) }));

function box() {
  const div = document.createElement('div');
  div.style.cssText = 'position:relative;width:1000px;height:320px';
  const canvas = document.createElement('canvas');
  div.append(canvas);
  document.body.append(div);
  return { div, canvas };
}

(window as unknown as { renderCharts: () => number }).renderCharts = () => {
  document.body.replaceChildren();
  const a = box();
  const b = box();
  const started = performance.now();
  const bar = new Chart(a.canvas, episodeChartConfig(episodeBars(episodes as never, 'ser_bench'), 'USD') as never);
  const line = new Chart(
    b.canvas,
    dailyChartConfig(dailyPoints(daily as never, 'USD', { from: days[0]!, to: days[364]! }), 'USD') as never,
  );
  const ms = performance.now() - started;
  bar.destroy();
  line.destroy();
  return ms;
};
