import type { Currency } from '@series/core';
import { useMemo, useState } from 'preact/hooks';
import { ChartCanvas } from '../../components/ChartCanvas.js';
import { Empty } from '../../components/states.js';
import { dailyChartConfig, episodeChartConfig, type EpisodeMeasure } from '../../lib/charts/configs.js';
import { dailyPoints, episodeBars } from '../../lib/charts/data.js';
import { downloadCsv } from '../../lib/csv.js';
import { count, money } from '../../lib/format.js';
import type { DailyStats, FunnelStats, SourceDayStats, SourceStats, Summary } from '../../lib/types.js';
import { DailyTable } from './DailyTable.js';
import { EpisodeTable } from './EpisodeTable.js';
import { dailyCsv, episodesCsv, sourcesCsv, type EpisodeRow } from './export.js';
import { FunnelView } from './FunnelView.js';
import type { ListedSeries } from './index.js';
import { KpiCards } from './KpiCards.js';
import { SourceTable } from './SourceTable.js';
import { useT } from '../../lib/i18n.js';

/** Everything measured for one currency (and series, if chosen): cards, charts, funnel and tables. */
export function Figures({
  currency,
  summary,
  rows,
  daily,
  funnel,
  sources,
  sourceDays,
  everyCurrency,
  range,
  chartSeries,
}: {
  currency: Currency;
  summary: Summary;
  rows: EpisodeRow[];
  daily: DailyStats[];
  funnel: FunnelStats[];
  sources: SourceStats[];
  sourceDays: SourceDayStats[];
  /** The creator sells in several currencies: the storefront's counts, which have none, cover them all. */
  everyCurrency: boolean;
  range: { from: string | null; to: string };
  chartSeries: ListedSeries[];
}) {
  const totals = summary.totals.find((t) => t.currency === currency);
  const [picked, setPicked] = useState<string | null>(null);
  const charted = chartSeries.find((s) => s.id === picked) ?? chartSeries[0];
  const bars = useMemo(() => (charted ? episodeBars(rows, charted.id) : null), [rows, charted]);
  const t = useT();
  const [measure, setMeasure] = useState<EpisodeMeasure>('earnings');
  const barConfig = useMemo(
    () => (bars ? episodeChartConfig(bars, currency, measure) : null),
    [bars, currency, measure],
  );
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
          <fieldset class="segmented small">
            <legend>{t.t('dashboard.analytics.show')}</legend>
            {(
              [
                ['earnings', t.t('dashboard.analytics.showEarnings')],
                ['sales', t.t('dashboard.analytics.showSales')],
              ] as const
            ).map(([id, label]) => (
              <label key={id} class={measure === id ? 'active' : ''}>
                <input
                  type="radio"
                  name="per-episode-measure"
                  value={id}
                  checked={measure === id}
                  onChange={() => setMeasure(id)}
                />
                {label}
              </label>
            ))}
          </fieldset>
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
          <Empty title="No sales in this period">
            The table below lists every episode; sales appear here once they come in.
          </Empty>
        ) : barConfig ? (
          <ChartCanvas
            config={barConfig}
            tall={bars.labels.length > 30}
            label={`Bar chart of ${measure === 'earnings' ? 'earnings' : 'sales'} per episode of ${charted?.title ?? ''}: ${count(bars.sales.reduce((n, v) => n + v, 0))} sales, ${money(
              bars.payout.reduce((n, v) => n + v, 0),
              currency,
            )} earned; the table below has the same numbers.`}
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
          <button
            type="button"
            class="button small"
            onClick={() => downloadCsv(`series-daily-${currency}-${stamp}.csv`, dailyCsv(daily, currency))}
          >
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
          <h2>Storefront links by source</h2>
          {sources.length > 0 && (
            <button
              type="button"
              class="button small"
              onClick={() => downloadCsv(`series-sources-${stamp}.csv`, sourcesCsv(sourceDays))}
            >
              Export sources CSV
            </button>
          )}
        </div>
        <p class="hint">
          Page views of your storefront, and the checkouts and purchases started there, by the <code>?src=</code> word
          of the link they came through{everyCurrency ? ' (sales in every currency)' : ''}.
        </p>
        <SourceTable rows={sources} />
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
