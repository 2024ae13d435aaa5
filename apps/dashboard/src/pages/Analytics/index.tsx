import { isCurrency, type Currency } from '@series/core';
import { useMemo } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { NoCreatorYet } from '../../components/NoCreatorYet.js';
import { Async, Empty } from '../../components/states.js';
import { api, request } from '../../lib/api.js';
import { presetRange, PRESETS, type Preset } from '../../lib/dates.js';
import { useT, type DashboardT } from '../../lib/i18n.js';
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

/** A currency's name in the dashboard's language, with its code: "euro (EUR)". */
function currencyLabel(t: DashboardT, code: Currency): string {
  try {
    const name = new Intl.DisplayNames([t.locale], { type: 'currency' }).of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

/** A UTC calendar day ("2026-03-01") as that same day in the dashboard's language. */
const utcDay = (t: DashboardT, day: string): string =>
  new Intl.DateTimeFormat(t.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.parse(`${day}T00:00:00Z`));

function AnalyticsForCreator() {
  const t = useT();
  const series = useResource(() => request(() => api.v1.me.series.$get()), []);
  return (
    <section>
      <h1>{t.t('dashboard.analyticsPage.title')}</h1>
      <Async resource={series} loadingLabel={t.t('dashboard.analyticsPage.loadingSeries')}>
        {({ series: list }) =>
          list.length === 0 ? (
            <Empty title={t.t('dashboard.analyticsPage.empty')}>
              <a href={appHref('/series')}>{t.t('dashboard.analyticsPage.emptyLink')}</a>{' '}
              {t.t('dashboard.analyticsPage.emptyBody')}
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
  const t = useT();
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
      <Async resource={overall} loadingLabel={t.t('dashboard.analyticsPage.loading')}>
        {() => null}
      </Async>
    );
  }
  const leading = overall.data ? leadingCurrency(overall.data.totals, currencies) : null;
  return <Figured series={series} leading={leading} />;
}

function Figured({ series, leading }: { series: ListedSeries[]; leading: Currency | null }) {
  const t = useT();
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
      <form class="filters" aria-label={t.t('dashboard.analyticsPage.filters')} onSubmit={(e) => e.preventDefault()}>
        <fieldset class="segmented">
          <legend>{t.t('dashboard.analyticsPage.period')}</legend>
          {PRESETS.map((p) => (
            <label key={p.id} class={p.id === preset ? 'active' : ''}>
              <input
                type="radio"
                name="range"
                value={p.id}
                checked={p.id === preset}
                onChange={() => set({ range: p.id })}
              />
              {t.t(`dashboard.analyticsPage.preset.${p.id}`)}
            </label>
          ))}
        </fieldset>
        {currencies.length > 1 && (
          <label class="filter">
            {t.t('dashboard.analyticsPage.currency')}
            <select value={currency} onChange={(e) => set({ currency: e.currentTarget.value, series: null })}>
              {currencies.map((c) => (
                <option key={c} value={c}>
                  {currencyLabel(t, c)}
                </option>
              ))}
            </select>
          </label>
        )}
        <label class="filter">
          {t.t('dashboard.analyticsPage.series')}
          <select value={seriesId ?? ''} onChange={(e) => set({ series: e.currentTarget.value || null })}>
            <option value="">{t.t('dashboard.analyticsPage.allSeries', { currency })}</option>
            {inCurrency.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
        </label>
      </form>
      <p class="hint">
        {range.from
          ? t.t('dashboard.analyticsPage.range', {
              from: utcDay(t, range.from),
              to: utcDay(t, range.to),
              currency: currencyLabel(t, currency),
            })
          : t.t('dashboard.analyticsPage.allTime', { to: utcDay(t, range.to), currency: currencyLabel(t, currency) })}
      </p>
      <Async resource={data} loadingLabel={t.t('dashboard.analyticsPage.loading')}>
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
