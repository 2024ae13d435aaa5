import type { Currency } from '@series/core';
import { useMemo, useState } from 'preact/hooks';
import { ChartCanvas } from '../../components/ChartCanvas.js';
import { Empty } from '../../components/states.js';
import { dailyChartConfig, episodeChartConfig, type EpisodeMeasure } from '../../lib/charts/configs.js';
import { dailyPoints, episodeBars } from '../../lib/charts/data.js';
import { downloadCsv } from '../../lib/csv.js';
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
          <h2 id="per-episode">{t.t('dashboard.figures.perEpisode')}</h2>
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
              {t.t('dashboard.figures.chart')}
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
          <Empty title={t.t('dashboard.figures.noEpisodes')}>{t.t('dashboard.figures.noEpisodesBody')}</Empty>
        ) : !bars.sales.some((n) => n > 0) ? (
          <Empty title={t.t('dashboard.figures.noSales')}>{t.t('dashboard.figures.noSalesBody')}</Empty>
        ) : barConfig ? (
          <ChartCanvas
            config={barConfig}
            tall={bars.labels.length > 30}
            label={t.t(
              measure === 'earnings' ? 'dashboard.figures.barLabelEarnings' : 'dashboard.figures.barLabelSales',
              {
                title: charted?.title ?? '',
                sales: t.number(bars.sales.reduce((n, v) => n + v, 0)),
                earned: t.price(
                  bars.payout.reduce((n, v) => n + v, 0),
                  currency,
                ),
              },
            )}
          />
        ) : null}
      </div>

      <div class="card">
        <h2>{t.t('dashboard.figures.daily')}</h2>
        {earned === 0 ? (
          <Empty title={t.t('dashboard.figures.noEarnings')}>{t.t('dashboard.figures.noEarningsBody')}</Empty>
        ) : (
          <ChartCanvas
            config={lineConfig}
            label={t.t('dashboard.figures.lineLabel', {
              days: t.number(points.length),
              earned: t.price(earned, currency),
            })}
          />
        )}
        <div class="card-foot">
          <button
            type="button"
            class="button small"
            onClick={() => downloadCsv(`series-daily-${currency}-${stamp}.csv`, dailyCsv(daily, currency))}
          >
            {t.t('dashboard.figures.exportDaily')}
          </button>
          <details>
            <summary>{t.t('dashboard.figures.dailyTable')}</summary>
            <DailyTable rows={daily.filter((d) => d.currency === currency)} currency={currency} />
          </details>
        </div>
      </div>

      <div class="card">
        <h2>{t.t('dashboard.figures.funnel')}</h2>
        <FunnelView rows={funnel} />
      </div>

      <div class="card">
        <div class="card-head">
          <h2>{t.t('dashboard.figures.sources')}</h2>
          {sources.length > 0 && (
            <button
              type="button"
              class="button small"
              onClick={() => downloadCsv(`series-sources-${stamp}.csv`, sourcesCsv(sourceDays))}
            >
              {t.t('dashboard.figures.exportSources')}
            </button>
          )}
        </div>
        <p class="hint">
          {t
            .t(everyCurrency ? 'dashboard.figures.sourcesHintEvery' : 'dashboard.figures.sourcesHint')
            .split('?src=')
            .flatMap((part, i) => (i === 0 ? [part] : [<code key={i}>?src=</code>, part]))}
        </p>
        <SourceTable rows={sources} />
      </div>

      <div class="card">
        <div class="card-head">
          <h2>{t.t('dashboard.figures.episodes')}</h2>
          <button
            type="button"
            class="button small"
            onClick={() => downloadCsv(`series-episodes-${currency}-${stamp}.csv`, episodesCsv(rows, currency))}
          >
            {t.t('dashboard.figures.export')}
          </button>
        </div>
        <EpisodeTable
          rows={rows}
          currency={currency}
          caption={t.t('dashboard.figures.episodesCaption', { currency })}
        />
      </div>
    </>
  );
}
