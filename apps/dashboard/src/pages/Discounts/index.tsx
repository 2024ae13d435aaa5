import type { Currency } from '@series/core';
import { useState } from 'preact/hooks';
import { Field, fieldA11y, FormError } from '../../components/Field.js';
import { Async, Empty } from '../../components/states.js';
import { api, ApiFailure, request } from '../../lib/api.js';
import { errorText, useT } from '../../lib/i18n.js';
import { parseMoneyInput } from '../../lib/money.js';
import { ReductionFields, reductionText } from '../../components/ReductionFields.js';
import { useResource } from '../../lib/use-resource.js';

type Episode = { id: string; number: number; title: string; price: number | null };
type SeriesItem = { id: string; title: string; currency: Currency; bundlePrice: number | null; episodes: Episode[] };
type Discount = {
  id: string;
  scope: 'episodes' | 'episode' | 'bundle';
  episodeId: string | null;
  kind: 'percent' | 'fixed';
  value: number;
  startsAt: string;
  endsAt: string;
  status: 'scheduled' | 'live' | 'ended';
};

const DAY_MS = 86_400_000;
/** A datetime-local value (UTC) for an instant. */
const localValue = (ms: number) => new Date(ms).toISOString().slice(0, 16);

/**
 * Temporary discounts: for one series, a percentage or an amount off all its episodes, one episode or the whole
 * series, from a start to an end (UTC). Buyers see "$2.99 → $1.99 until Dec 12" everywhere it is sold; checkout
 * charges it. A discount ends early with End now (one not started is removed).
 */
export default function Discounts() {
  const t = useT();
  const series = useResource(() => request(() => api.v1.me.series.$get()), []);
  const [chosen, setChosen] = useState('');
  return (
    <section>
      <h1>{t.t('dashboard.discounts.title')}</h1>
      <p>{t.t('dashboard.discounts.lead')}</p>
      <Async resource={series}>
        {({ series: list }) => {
          const all = list as unknown as SeriesItem[];
          if (all.length === 0) return <Empty title={t.t('dashboard.discounts.noSeries')} />;
          const current = all.find((s) => s.id === chosen) ?? all[0]!;
          return (
            <>
              <Field id="discount-series" label={t.t('dashboard.discounts.series')}>
                <select
                  {...fieldA11y('discount-series')}
                  value={current.id}
                  onChange={(e) => setChosen((e.target as HTMLSelectElement).value)}
                >
                  {all.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.title}
                    </option>
                  ))}
                </select>
              </Field>
              <SeriesDiscounts key={current.id} series={current} />
            </>
          );
        }}
      </Async>
    </section>
  );
}

function SeriesDiscounts({ series }: { series: SeriesItem }) {
  const t = useT();
  const discounts = useResource(
    () => request(() => api.v1.series[':id'].discounts.$get({ param: { id: series.id } })),
    [series.id],
  );
  const premium = series.episodes.filter((e) => e.price !== null);
  const [scope, setScope] = useState<Discount['scope']>('episodes');
  const [episodeId, setEpisodeId] = useState(premium[0]?.id ?? '');
  const [kind, setKind] = useState<Discount['kind']>('percent');
  const [value, setValue] = useState('');
  const [starts, setStarts] = useState(localValue(Date.now()));
  const [ends, setEnds] = useState(localValue(Date.now() + 7 * DAY_MS));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const reduction = (d: Pick<Discount, 'kind' | 'value'>) => reductionText(t, d, series.currency);
  const what = (d: Pick<Discount, 'scope' | 'episodeId'>) =>
    d.scope === 'bundle'
      ? t.t('dashboard.discounts.scopeBundle')
      : d.scope === 'episodes'
        ? t.t('dashboard.discounts.scopeEpisodes')
        : (series.episodes.find((e) => e.id === d.episodeId)?.title ?? '');

  const submit = async (event: Event) => {
    event.preventDefault();
    setErrors({});
    setFormError(undefined);
    setBusy(true);
    try {
      const json = {
        scope,
        ...(scope === 'episode' ? { episodeId } : {}),
        kind,
        value: kind === 'percent' ? Number(value) : parseMoneyInput(value, series.currency),
        startsAt: new Date(`${starts}:00.000Z`).toISOString(),
        endsAt: new Date(`${ends}:00.000Z`).toISOString(),
      };
      await request(() => api.v1.series[':id'].discounts.$post({ param: { id: series.id }, json }));
      setValue('');
      discounts.reload();
    } catch (err) {
      if (err instanceof ApiFailure && err.issues.length) {
        setErrors(Object.fromEntries(err.issues.map((i) => [i.path, i.message])));
      } else setFormError(err instanceof ApiFailure ? errorText(t, err) : String(err));
    } finally {
      setBusy(false);
    }
  };
  const end = async (id: string) => {
    setFormError(undefined);
    try {
      await request(() => api.v1.discounts[':id'].$delete({ param: { id } }));
      discounts.reload();
    } catch (err) {
      setFormError(err instanceof ApiFailure ? errorText(t, err) : String(err));
    }
  };

  return (
    <>
      <form class="card discount-form" onSubmit={(e) => void submit(e)} noValidate>
        <h2>{t.t('dashboard.discounts.new')}</h2>
        <Field id="discount-scope" label={t.t('dashboard.discounts.on')} error={errors.scope ?? errors.episodeId}>
          <select
            {...fieldA11y('discount-scope', errors.scope ?? errors.episodeId)}
            value={scope === 'episode' ? `episode:${episodeId}` : scope}
            onChange={(e) => {
              const v = (e.target as HTMLSelectElement).value;
              if (v.startsWith('episode:')) {
                setScope('episode');
                setEpisodeId(v.slice('episode:'.length));
              } else setScope(v as Discount['scope']);
            }}
          >
            <option value="episodes">{t.t('dashboard.discounts.scopeEpisodes')}</option>
            {series.bundlePrice !== null && <option value="bundle">{t.t('dashboard.discounts.scopeBundle')}</option>}
            {premium.map((e) => (
              <option key={e.id} value={`episode:${e.id}`}>
                {t.t('dashboard.discounts.scopeEpisode', { number: e.number, title: e.title })}
              </option>
            ))}
          </select>
        </Field>
        <ReductionFields
          idPrefix="discount"
          kind={kind}
          onKind={setKind}
          value={value}
          onValue={setValue}
          currency={series.currency}
          error={errors.value}
        />
        <Field id="discount-starts" label={t.t('dashboard.discounts.starts')} error={errors.startsAt}>
          <input
            {...fieldA11y('discount-starts', errors.startsAt)}
            type="datetime-local"
            value={starts}
            onInput={(e) => setStarts((e.target as HTMLInputElement).value)}
          />
        </Field>
        <Field id="discount-ends" label={t.t('dashboard.discounts.ends')} error={errors.endsAt}>
          <input
            {...fieldA11y('discount-ends', errors.endsAt)}
            type="datetime-local"
            value={ends}
            onInput={(e) => setEnds((e.target as HTMLInputElement).value)}
          />
        </Field>
        <FormError message={formError} />
        <p class="actions">
          <button type="submit" class="button primary" disabled={busy}>
            {t.t('dashboard.discounts.create')}
          </button>
        </p>
      </form>
      <h2>{t.t('dashboard.discounts.list')}</h2>
      <Async resource={discounts}>
        {({ discounts: list }) =>
          list.length === 0 ? (
            <Empty title={t.t('dashboard.discounts.none')} />
          ) : (
            <ul class="discounts">
              {(list as Discount[]).map((d) => (
                <li key={d.id} class="card" data-discount={d.id} data-status={d.status}>
                  <p>
                    <strong>{reduction(d)}</strong> · {what(d)} ·{' '}
                    {t.t('dashboard.discounts.when', { from: t.dateTime(d.startsAt), to: t.dateTime(d.endsAt) })}
                  </p>
                  <p class="status">{t.t(`dashboard.discounts.status.${d.status}`)}</p>
                  {d.status !== 'ended' && (
                    <p class="actions">
                      <button type="button" class="button" onClick={() => void end(d.id)}>
                        {d.status === 'live' ? t.t('dashboard.discounts.endNow') : t.t('dashboard.discounts.cancel')}
                      </button>
                    </p>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </Async>
    </>
  );
}
