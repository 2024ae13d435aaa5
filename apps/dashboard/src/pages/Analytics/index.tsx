import { isCurrency, type Currency } from '@series/core';
import { useMemo, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ChartCanvas } from '../../components/ChartCanvas.js';
import { NoCreatorYet } from '../../components/NoCreatorYet.js';
import { Async, Empty } from '../../components/states.js';
import { api, request } from '../../lib/api.js';
import { dailyChartConfig, episodeChartConfig } from '../../lib/charts/configs.js';
import { dailyPoints, episodeBars } from '../../lib/charts/data.js';
import { downloadCsv } from '../../lib/csv.js';
import { presetRange, PRESETS, type Preset } from '../../lib/dates.js';
import { count, currencyName, formatDay, money } from '../../lib/format.js';
import { useMe } from '../../lib/session.js';
import type { DailyStats, FunnelStats, OwnerSeries, Summary } from '../../lib/types.js';
import { useResource } from '../../lib/use-resource.js';
import { EpisodeTable } from './EpisodeTable.js';
import { dailyCsv, episodesCsv, withFunnel, type EpisodeRow } from './export.js';
import { FunnelView } from './FunnelView.js';
import { KpiCards } from './KpiCards.js';

type ListedSeries = Omit<OwnerSeries, 'episodes'>;

export default function Analytics() {
  return useMe().creator ? <AnalyticsForCreator /> : <NoCreatorYet />;
}

function AnalyticsForCreator() {
  const series = useResource(() => request(() => api.v1.me.series.$get()), []);
  return (
    <section>
      <h1>Analytics</h1>
      <Async resource={series} loadingLabel="Loading your series…">
        {({ series: list }) =>
          list.length === 0 ? (
            <Empty title="Nothing to measure yet">
              <a href="/series">Create a series</a> and publish it; sales, earnings and the unlock funnel appear here.
            </Empty>
          ) : (
            <Dashboard series={list} />
          )
        }
      </Async>
    </section>
  );
}

/** Filters live in the address (?range=&currency=&series=), so a reload or a shared link keeps them. */
function useFilters(series: ListedSeries[]) {
  const { query, path, route } = useLocation();
  const currencies = [...new Set(series.map((s) => s.currency))];
  const preset: Preset = PRESETS.some((p) => p.id === query['range']) ? (query['range'] as Preset) : '30d';
  const wanted = query['currency'] ?? '';
  const currency: Currency = isCurrency(wanted) && currencies.includes(wanted) ? wanted : currencies[0]!;
  const inCurrency = series.filter((s) => s.currency === currency);
  const seriesId = inCurrency.some((s) => s.id === query['series']) ? query['series']! : null;
  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams({ range: preset, currency, ...(seriesId ? { series: seriesId } : {}) });
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    route(`${path}?${next}`, true);
  };
  return { preset, currency, currencies, inCurrency, seriesId, set };
}

function Dashboard({ series }: { series: ListedSeries[] }) {
  const { preset, currency, currencies, inCurrency, seriesId, set } = useFilters(series);
  const range = presetRange(preset);
  const query = { ...(range.from ? { from: range.from } : {}), to: range.to, currency, ...(seriesId ? { seriesId } : {}) };
  const data = useResource(
    () =>
      Promise.all([
        request(() => api.v1.analytics.summary.$get({ query })),
        request(() => api.v1.analytics.episodes.$get({ query })),
        request(() => api.v1.analytics.daily.$get({ query })),
        request(() => api.v1.analytics.funnel.$get({ query })),
      ]),
    [range.from, range.to, currency, seriesId],
  );
  const titles = useMemo(() => new Map(series.map((s) => [s.id, s.title])), [series]);

  return (
    <>
      <form class="filters" aria-label="Analytics filters" onSubmit={(e) => e.preventDefault()}>
        <fieldset class="segmented">
          <legend>Period</legend>
          {PRESETS.map((p) => (
            <label key={p.id} class={p.id === preset ? 'active' : ''}>
              <input type="radio" name="range" value={p.id} checked={p.id === preset} onChange={() => set({ range: p.id })} />
              {p.label}
            </label>
          ))}
        </fieldset>
        {currencies.length > 1 && (
          <label class="filter">
            Currency
            <select value={currency} onChange={(e) => set({ currency: e.currentTarget.value, series: null })}>
              {currencies.map((c) => (
                <option key={c} value={c}>
                  {currencyName(c)}
                </option>
              ))}
            </select>
          </label>
        )}
        <label class="filter">
          Series
          <select value={seriesId ?? ''} onChange={(e) => set({ series: e.currentTarget.value || null })}>
            <option value="">All series in {currency}</option>
            {inCurrency.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
        </label>
      </form>
      <p class="hint">
        {range.from ? `${formatDay(range.from)} – ${formatDay(range.to)}` : `All time until ${formatDay(range.to)}`} (days in
        UTC). Amounts in {currencyName(currency)}.
      </p>
      <Async resource={data} loadingLabel="Loading figures…">
        {([summary, episodes, daily, funnel]) => {
          const rows = withFunnel(episodes.rows, funnel.rows, titles);
          return (
            <Figures
              currency={currency}
              summary={summary}
              rows={rows}
              daily={daily.rows}
              funnel={funnel.rows}
              range={daily.range}
              chartSeries={inCurrency.filter((s) => !seriesId || s.id === seriesId)}
            />
          );
        }}
      </Async>
    </>
  );
}

function Figures({
  currency,
  summary,
  rows,
  daily,
  funnel,
  range,
  chartSeries,
}: {
  currency: Currency;
  summary: Summary;
  rows: EpisodeRow[];
  daily: DailyStats[];
  funnel: FunnelStats[];
  range: { from: string | null; to: string };
  chartSeries: ListedSeries[];
}) {
  const totals = summary.totals.find((t) => t.currency === currency);
  const [picked, setPicked] = useState<string | null>(null);
  const charted = chartSeries.find((s) => s.id === picked) ?? chartSeries[0];
  const bars = useMemo(() => (charted ? episodeBars(rows, charted.id) : null), [rows, charted]);
  const barConfig = useMemo(() => (bars ? episodeChartConfig(bars, currency) : null), [bars, currency]);
  const points = useMemo(() => dailyPoints(daily, currency, range), [daily, currency, range]);
  const lineConfig = useMemo(() => dailyChartConfig(points, currency), [points, currency]);
  const earned = points.reduce((n, p) => n + p.y, 0);
  const stamp = `${range.from ?? 'start'}_${range.to}`;

  return (
    <>
      <KpiCards totals={totals} currency={currency} commissionBps={summary.currentCommissionBps} />

      <div class="card">
        <div class="card-head">
          <h2 id="per-episode">Sales and earnings per episode</h2>
          {chartSeries.length > 1 && (
            <label class="filter">
              Chart
              <select value={charted?.id} onChange={(e) => setPicked(e.currentTarget.value)}>
                {chartSeries.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.title}
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>
        {!bars || bars.labels.length === 0 ? (
          <Empty title="No episodes yet">Add episodes to see how each one sells.</Empty>
        ) : !bars.sales.some((n) => n > 0) ? (
          <Empty title="No sales in this period">The table below lists every episode; sales appear here once they come in.</Empty>
        ) : barConfig ? (
          <ChartCanvas
            config={barConfig}
            tall={bars.labels.length > 30}
            label={`Bar chart of sales and earnings per episode of ${charted?.title ?? ''}: ${count(bars.sales.reduce((n, v) => n + v, 0))} sales, ${money(bars.payout.reduce((n, v) => n + v, 0), currency)} earned; the table below has the same numbers.`}
          />
        ) : null}
      </div>

      <div class="card">
        <h2>Daily earnings</h2>
        {earned === 0 ? (
          <Empty title="No earnings in this period">Sales show up here the day they are paid.</Empty>
        ) : (
          <ChartCanvas
            config={lineConfig}
            label={`Line chart of daily earnings over ${count(points.length)} days, ${money(earned, currency)} in all; the daily table has the numbers.`}
          />
        )}
        <div class="card-foot">
          <button type="button" class="button small" onClick={() => downloadCsv(`series-daily-${currency}-${stamp}.csv`, dailyCsv(daily, currency))}>
            Export daily CSV
          </button>
          <details>
            <summary>Daily figures as a table</summary>
            <DailyTable rows={daily.filter((d) => d.currency === currency)} currency={currency} />
          </details>
        </div>
      </div>

      <div class="card">
        <h2>Unlock funnel</h2>
        <FunnelView rows={funnel} />
      </div>

      <div class="card">
        <div class="card-head">
          <h2>Per-episode figures</h2>
          <button
            type="button"
            class="button small"
            onClick={() => downloadCsv(`series-episodes-${currency}-${stamp}.csv`, episodesCsv(rows, currency))}
          >
            Export CSV
          </button>
        </div>
        <EpisodeTable rows={rows} currency={currency} caption={`Per episode, ${currency}`} />
      </div>
    </>
  );
}

function DailyTable({ rows, currency }: { rows: DailyStats[]; currency: Currency }) {
  if (rows.length === 0) return <p class="muted">No sales on any day of this period.</p>;
  return (
    <div class="table-scroll">
      <table class="data-table">
        <caption>Days with sales (UTC)</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col" class="num">Sales</th>
            <th scope="col" class="num">Gross</th>
            <th scope="col" class="num">Commission</th>
            <th scope="col" class="num">Payout</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.day}>
              <th scope="row">{formatDay(r.day)}</th>
              <td class="num">{count(r.sales)}</td>
              <td class="num">{money(r.gross, currency)}</td>
              <td class="num">{money(r.commission, currency)}</td>
              <td class="num">{money(r.payout, currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
