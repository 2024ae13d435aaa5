import type { Currency } from '@series/core';
import { useState } from 'preact/hooks';
import { Field, fieldA11y, FormError } from '../../components/Field.js';
import { Async, Empty } from '../../components/states.js';
import { api, ApiFailure, request } from '../../lib/api.js';
import { errorText, useT, type DashboardT } from '../../lib/i18n.js';
import { parseMoneyInput } from '../../lib/money.js';
import { ReductionFields, reductionText } from '../../components/ReductionFields.js';
import { useResource } from '../../lib/use-resource.js';

type SeriesItem = { id: string; title: string; currency: Currency };
type PromoCode = {
  id: string;
  code: string;
  seriesId: string | null;
  kind: 'percent' | 'fixed';
  value: number;
  expiresAt: string | null;
  maxRedemptions: number | null;
  paused: boolean;
  status: 'active' | 'paused' | 'expired' | 'used_up';
  redemptions: number;
  openCheckouts: number;
  gross: number;
  discounted: number;
};
type Redemption = {
  purchaseId: string;
  title: string;
  listAmount: number;
  discounted: number;
  amount: number;
  currency: string;
  refunded: boolean;
  paidAt: string;
};

/**
 * Promo codes: make one (for a series or all of them; a percentage or an amount off; an optional end date and
 * maximum of uses), pause and resume it, and see what each brought: paid uses, checkouts holding one, what they
 * charged and what the code took off, and the sales one by one. Buyers type codes at checkout; the API applies them.
 */
export default function PromoCodes() {
  const t = useT();
  const series = useResource(() => request(() => api.v1.me.series.$get()), []);
  const codes = useResource(() => request(() => api.v1.me['promo-codes'].$get()), []);
  return (
    <section>
      <h1>{t.t('dashboard.promo.title')}</h1>
      <p>{t.t('dashboard.promo.lead')}</p>
      <Async resource={series}>
        {({ series: list }) => (
          <>
            <NewCode series={list as SeriesItem[]} onCreated={codes.reload} />
            <h2>{t.t('dashboard.promo.yours')}</h2>
            <Async resource={codes}>
              {({ promoCodes }) =>
                promoCodes.length === 0 ? (
                  <Empty title={t.t('dashboard.promo.none')} />
                ) : (
                  <ul class="promo-codes">
                    {(promoCodes as PromoCode[]).map((code) => (
                      <CodeItem key={code.id} code={code} series={list as SeriesItem[]} onChanged={codes.reload} />
                    ))}
                  </ul>
                )
              }
            </Async>
          </>
        )}
      </Async>
    </section>
  );
}

/** The one currency a code's amounts are in: its series', or the creator's when all their series share one. */
function currencyOf(seriesId: string | null, series: SeriesItem[]): Currency | null {
  if (seriesId) return series.find((s) => s.id === seriesId)?.currency ?? null;
  const all = new Set(series.map((s) => s.currency));
  return all.size === 1 ? [...all][0]! : null;
}

function NewCode({ series, onCreated }: { series: SeriesItem[]; onCreated: () => void }) {
  const t = useT();
  const [code, setCode] = useState('');
  const [seriesId, setSeriesId] = useState('');
  const [kind, setKind] = useState<'percent' | 'fixed'>('percent');
  const [value, setValue] = useState('');
  const [expires, setExpires] = useState('');
  const [max, setMax] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<string | null>(null);
  const currency = currencyOf(seriesId || null, series);

  const submit = async (event: Event) => {
    event.preventDefault();
    setErrors({});
    setFormError(undefined);
    setMade(null);
    if (kind === 'fixed' && !currency) {
      setErrors({ value: t.t('dashboard.promo.fixedNeedsSeries') });
      return;
    }
    const amount = kind === 'percent' ? Number(value) : parseMoneyInput(value, currency!);
    setBusy(true);
    try {
      const json = {
        code,
        seriesId: seriesId || null,
        kind,
        value: amount,
        // The end of the chosen day, in UTC: the code works through that whole day.
        expiresAt: expires ? new Date(`${expires}T23:59:59.999Z`).toISOString() : null,
        maxRedemptions: max ? Number(max) : null,
      };
      const { promoCode } = await request(() => api.v1.me['promo-codes'].$post({ json }));
      setMade(promoCode.code);
      setCode('');
      setValue('');
      setExpires('');
      setMax('');
      onCreated();
    } catch (err) {
      if (err instanceof ApiFailure && err.issues.length) {
        setErrors(Object.fromEntries(err.issues.map((i) => [i.path, i.message])));
      } else setFormError(err instanceof ApiFailure ? errorText(t, err) : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card promo-form" onSubmit={(e) => void submit(e)} noValidate>
      <h2>{t.t('dashboard.promo.new')}</h2>
      <Field
        id="promo-code"
        label={t.t('dashboard.promo.code')}
        error={errors.code}
        hint={t.t('dashboard.promo.codeHint')}
      >
        <input
          {...fieldA11y('promo-code', errors.code, true)}
          value={code}
          onInput={(e) => setCode((e.target as HTMLInputElement).value)}
          autocomplete="off"
          spellcheck={false}
          maxLength={32}
          required
        />
      </Field>
      <Field id="promo-series" label={t.t('dashboard.promo.for')} error={errors.seriesId}>
        <select
          {...fieldA11y('promo-series', errors.seriesId)}
          value={seriesId}
          onChange={(e) => setSeriesId((e.target as HTMLSelectElement).value)}
        >
          <option value="">{t.t('dashboard.promo.allSeries')}</option>
          {series.map((s) => (
            <option key={s.id} value={s.id}>
              {s.title}
            </option>
          ))}
        </select>
      </Field>
      <ReductionFields
        idPrefix="promo"
        kind={kind}
        onKind={setKind}
        value={value}
        onValue={setValue}
        currency={currency}
        error={errors.value}
      />
      <Field
        id="promo-expires"
        label={t.t('dashboard.promo.expires')}
        error={errors.expiresAt}
        hint={t.t('dashboard.promo.optional')}
      >
        <input
          {...fieldA11y('promo-expires', errors.expiresAt, true)}
          type="date"
          value={expires}
          onInput={(e) => setExpires((e.target as HTMLInputElement).value)}
        />
      </Field>
      <Field
        id="promo-max"
        label={t.t('dashboard.promo.max')}
        error={errors.maxRedemptions}
        hint={t.t('dashboard.promo.optional')}
      >
        <input
          {...fieldA11y('promo-max', errors.maxRedemptions, true)}
          inputMode="numeric"
          value={max}
          onInput={(e) => setMax((e.target as HTMLInputElement).value)}
        />
      </Field>
      <FormError message={formError} />
      {made && (
        <p class="status" role="status">
          {t.t('dashboard.promo.made', { code: made })}
        </p>
      )}
      <p class="actions">
        <button type="submit" class="button primary" disabled={busy}>
          {t.t('dashboard.promo.create')}
        </button>
      </p>
    </form>
  );
}

function CodeItem({ code, series, onChanged }: { code: PromoCode; series: SeriesItem[]; onChanged: () => void }) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sales, setSales] = useState<Redemption[] | null>(null);
  const currency = currencyOf(code.seriesId, series);
  const scope = code.seriesId
    ? (series.find((s) => s.id === code.seriesId)?.title ?? '')
    : t.t('dashboard.promo.allSeries');

  const setPaused = async (paused: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await request(() => api.v1.me['promo-codes'][':id'].$patch({ param: { id: code.id }, json: { paused } }));
      onChanged();
    } catch (err) {
      setError(err instanceof ApiFailure ? errorText(t, err) : String(err));
    } finally {
      setBusy(false);
    }
  };
  const showSales = async () => {
    setError(null);
    try {
      const body = await request(() => api.v1.me['promo-codes'][':id'].redemptions.$get({ param: { id: code.id } }));
      setSales(body.redemptions as Redemption[]);
    } catch (err) {
      setError(err instanceof ApiFailure ? errorText(t, err) : String(err));
    }
  };

  const limits = [
    code.expiresAt ? t.t('dashboard.promo.until', { date: t.date(code.expiresAt) }) : null,
    code.maxRedemptions !== null ? t.t('dashboard.promo.maxUses', { max: code.maxRedemptions }) : null,
  ].filter(Boolean);
  return (
    <li class="card" data-code={code.code} data-status={code.status}>
      <p>
        <strong class="promo-code">{code.code}</strong> · {reductionText(t, code, currency)} · {scope}
        {limits.length > 0 && ` · ${limits.join(' · ')}`}
      </p>
      <p class="status">{t.t(`dashboard.promo.status.${code.status}`)}</p>
      <p>
        {t.t('dashboard.promo.uses', { count: code.redemptions, open: code.openCheckouts })}
        {currency &&
          code.redemptions > 0 &&
          ` · ${t.t('dashboard.promo.brought', {
            gross: t.price(code.gross, currency),
            discounted: t.price(code.discounted, currency),
          })}`}
      </p>
      <p class="actions">
        {code.paused ? (
          <button type="button" class="button" disabled={busy} onClick={() => void setPaused(false)}>
            {t.t('dashboard.promo.resume')}
          </button>
        ) : (
          <button type="button" class="button" disabled={busy} onClick={() => void setPaused(true)}>
            {t.t('dashboard.promo.pause')}
          </button>
        )}
        {code.redemptions > 0 && (
          <button type="button" class="button link" aria-expanded={sales !== null} onClick={() => void showSales()}>
            {t.t('dashboard.promo.showSales')}
          </button>
        )}
      </p>
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      {sales && (
        <ul class="promo-sales">
          {sales.map((s) => (
            <li key={s.purchaseId}>
              {s.title} · {t.date(s.paidAt)} ·{' '}
              {t.t('dashboard.promo.sale', {
                list: t.price(s.listAmount, s.currency as Currency),
                off: t.price(s.discounted, s.currency as Currency),
                paid: t.price(s.amount, s.currency as Currency),
              })}
              {s.refunded && ` · ${t.t('dashboard.promo.refunded')}`}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
