import { isCurrency, type Currency } from '@series/core';
import { useMemo } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { NoCreatorYet } from '../../components/NoCreatorYet.js';
import { Async, Empty } from '../../components/states.js';
import { api, request } from '../../lib/api.js';
import { presetRange, PRESETS, type Preset } from '../../lib/dates.js';
import { currencyName, formatDay } from '../../lib/format.js';
import { appHref } from '../../lib/paths.js';
import { useMe } from '../../lib/session.js';
import type { OwnerSeries } from '../../lib/types.js';
import { useResource } from '../../lib/use-resource.js';
import { withFunnel } from './export.js';
import { Figures } from './Figures.js';

export type ListedSeries = Omit<OwnerSeries, 'episodes'>;

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
              <a href={appHref('/series')}>Create a series</a> and publish it; sales, earnings and the unlock funnel
              appear here.
            </Empty>
          ) : (
            <Dashboard series={list} />
          )
        }
      </Async>
    </section>
  );
}

/**
 * The currency to open on: the one with the most sales in the period (then the most gross), so the page never
 * opens on €0 while the sales are in dollars; with no sales at all, the first series' currency.
 */
export function leadingCurrency(
  totals: readonly { currency: string; sales: number; gross: number }[],
  currencies: readonly Currency[],
): Currency {
  const ranked = totals
    .filter((t): t is typeof t & { currency: Currency } => currencies.includes(t.currency as Currency))
    .filter((t) => t.sales > 0)
    .sort((a, b) => b.sales - a.sales || b.gross - a.gross);
  return ranked[0]?.currency ?? currencies[0]!;
}

/** Filters live in the address (?range=&currency=&series=), so a reload or a shared link keeps them. */
function useFilters(series: ListedSeries[], leading: Currency | null) {
  const { query, path, route } = useLocation();
  const currencies = [...new Set(series.map((s) => s.currency))];
  const preset: Preset = PRESETS.some((p) => p.id === query['range']) ? (query['range'] as Preset) : '30d';
  const wanted = query['currency'] ?? '';
  const currency: Currency = isCurrency(wanted) && currencies.includes(wanted) ? wanted : (leading ?? currencies[0]!);
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
  const { query: address } = useLocation();
  const currencies = [...new Set(series.map((s) => s.currency))];
  // Without a currency in the address (and more than one to choose from), the period's totals say which leads.
  const choose = currencies.length > 1 && !address['currency'];
  const period = presetRange(PRESETS.some((p) => p.id === address['range']) ? (address['range'] as Preset) : '30d');
  const overall = useResource(
    () =>
      choose
        ? request(() =>
            api.v1.analytics.summary.$get({ query: { ...(period.from ? { from: period.from } : {}), to: period.to } }),
          )
        : Promise.resolve(null),
    [choose, period.from, period.to],
  );
  if (choose && overall.data === undefined && overall.status === 'loading') {
    return (
      <Async resource={overall} loadingLabel="Loading figures…">
        {() => null}
      </Async>
    );
  }
  const leading = overall.data ? leadingCurrency(overall.data.totals, currencies) : null;
  return <Figured series={series} leading={leading} />;
}

function Figured({ series, leading }: { series: ListedSeries[]; leading: Currency | null }) {
  const { preset, currency, currencies, inCurrency, seriesId, set } = useFilters(series, leading);
  const range = presetRange(preset);
  const query = {
    ...(range.from ? { from: range.from } : {}),
    to: range.to,
    currency,
    ...(seriesId ? { seriesId } : {}),
  };
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
              <input
                type="radio"
                name="range"
                value={p.id}
                checked={p.id === preset}
                onChange={() => set({ range: p.id })}
              />
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
        {range.from ? `${formatDay(range.from)} – ${formatDay(range.to)}` : `All time until ${formatDay(range.to)}`}{' '}
        (days in UTC). Amounts in {currencyName(currency)}.
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
              sources={funnel.sources}
              sourceDays={funnel.sourceDays}
              everyCurrency={currencies.length > 1}
              range={daily.range}
              chartSeries={inCurrency.filter((s) => !seriesId || s.id === seriesId)}
            />
          );
        }}
      </Async>
    </>
  );
}
