import {
  checkPrice,
  CURRENCIES,
  CURRENCY_CODES,
  MAX_DESCRIPTION_LENGTH,
  MAX_TITLE_LENGTH,
  seriesCreateSchema,
  seriesPatchSchema,
  type Currency,
  type SeriesCreate,
  type SeriesPatch,
} from '@series/core';
import { useState } from 'preact/hooks';
import { ApiFailure } from '../lib/api.js';
import { currencyName, money } from '../lib/format.js';
import { useT } from '../lib/i18n.js';
import { apiFieldErrors, fieldErrors, hasErrors, type FieldErrors } from '../lib/form.js';
import { minorToDecimal, parseMoneyInput } from '../lib/money.js';
import type { OwnerSeries } from '../lib/types.js';
import { Field, fieldA11y, FormError } from './Field.js';

const FIELDS = ['title', 'description', 'coverUrl', 'currency', 'bundlePrice'];

/** The price hint for a currency: the bounds the API enforces, in the creator's locale. */
export const priceBoundsHint = (currency: Currency) =>
  `${money(CURRENCIES[currency].min, currency)} to ${money(CURRENCIES[currency].max, currency)}`;

/**
 * Creates a series (`existing` absent) or edits one. Input is checked with the API's own schemas before
 * sending; what the API still refuses is shown on the field it names.
 */
export function SeriesForm({
  existing,
  onCreate,
  onUpdate,
  submitLabel,
  onCancel,
}: {
  submitLabel: string;
  onCancel?: () => void;
} & (
  | { existing?: undefined; onCreate: (body: SeriesCreate) => Promise<void>; onUpdate?: undefined }
  | { existing: OwnerSeries; onUpdate: (patch: SeriesPatch) => Promise<void>; onCreate?: undefined }
)) {
  const t = useT();
  const [title, setTitle] = useState(existing?.title ?? '');
  const [description, setDescription] = useState(existing?.description ?? '');
  const [coverUrl, setCoverUrl] = useState(existing?.coverUrl ?? '');
  const [currency, setCurrency] = useState<Currency>(existing?.currency ?? 'USD');
  const [bundle, setBundle] = useState(
    existing?.bundlePrice != null ? minorToDecimal(existing.bundlePrice, existing.currency) : '',
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const costlyBundle = existing ? bundleCostsMore(parseMoneyInput(bundle, currency), existing.episodes) : null;

  function collect(): { create?: SeriesCreate; patch?: SeriesPatch; errors: FieldErrors } {
    const all = {
      title,
      description,
      coverUrl: coverUrl.trim() || null,
      bundlePrice: bundle.trim() ? parseMoneyInput(bundle, currency) : null,
    };
    if (!existing) {
      const create = { ...all, currency };
      return { create, errors: fieldErrors(seriesCreateSchema.safeParse(create)) };
    }
    // Only what changed is sent, as a PATCH.
    const body: SeriesPatch = {};
    if (all.title !== existing.title) body.title = all.title;
    if (all.description !== existing.description) body.description = all.description;
    if (all.coverUrl !== existing.coverUrl) body.coverUrl = all.coverUrl;
    if (all.bundlePrice !== existing.bundlePrice) body.bundlePrice = all.bundlePrice;
    const errors = fieldErrors(seriesPatchSchema.safeParse(body));
    // The patch schema cannot know the currency; the API checks the bounds with the same function.
    const priceProblem =
      body.bundlePrice != null && !errors['bundlePrice'] ? checkPrice(body.bundlePrice, currency) : null;
    if (priceProblem) errors['bundlePrice'] = priceProblem;
    return { patch: body, errors };
  }

  async function submit(e: Event) {
    e.preventDefault();
    setSaved(false);
    const { create, patch, errors: found } = collect();
    setErrors(found);
    if (hasErrors(found)) return;
    setBusy(true);
    try {
      if (onCreate && create) await onCreate(create);
      if (onUpdate && patch) {
        await onUpdate(patch);
        setSaved(true);
      }
    } catch (err) {
      setErrors(err instanceof ApiFailure ? apiFieldErrors(err, FIELDS) : { '': String(err) });
    } finally {
      setBusy(false);
    }
  }

  const id = (name: string) => `${existing ? 'edit' : 'new'}-series-${name}`;
  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={existing ? t.t('dashboard.seriesForm.details') : t.t('dashboard.seriesForm.new')}
    >
      <Field id={id('title')} label={t.t('dashboard.seriesForm.title')} error={errors['title']}>
        <input
          {...fieldA11y(id('title'), errors['title'])}
          name="title"
          maxLength={MAX_TITLE_LENGTH * 2}
          value={title}
          onInput={(e) => setTitle(e.currentTarget.value)}
        />
      </Field>
      <Field
        id={id('description')}
        label={t.t('dashboard.seriesForm.description')}
        error={errors['description']}
        hint={t.t('dashboard.seriesForm.descriptionHint', { max: t.number(MAX_DESCRIPTION_LENGTH) })}
      >
        <textarea
          {...fieldA11y(id('description'), errors['description'], true)}
          name="description"
          rows={3}
          value={description}
          onInput={(e) => setDescription(e.currentTarget.value)}
        />
      </Field>
      <Field
        id={id('coverUrl')}
        label={t.t('dashboard.seriesForm.cover')}
        error={errors['coverUrl']}
        hint={t.t('dashboard.seriesForm.coverHint')}
      >
        <input
          {...fieldA11y(id('coverUrl'), errors['coverUrl'], true)}
          name="coverUrl"
          type="url"
          inputMode="url"
          placeholder="https://"
          value={coverUrl}
          onInput={(e) => setCoverUrl(e.currentTarget.value)}
        />
      </Field>
      <div class="field-row">
        <Field
          id={id('currency')}
          label={t.t('dashboard.seriesForm.currency')}
          error={errors['currency']}
          hint={existing ? t.t('dashboard.seriesForm.currencyFixed') : t.t('dashboard.seriesForm.currencyOnce')}
        >
          <select
            {...fieldA11y(id('currency'), errors['currency'], true)}
            name="currency"
            value={currency}
            disabled={!!existing}
            onChange={(e) => setCurrency(e.currentTarget.value as Currency)}
          >
            {CURRENCY_CODES.map((code) => (
              <option key={code} value={code}>
                {currencyName(code)}
              </option>
            ))}
          </select>
        </Field>
        <Field
          id={id('bundlePrice')}
          label={t.t('dashboard.seriesForm.bundle', { currency })}
          error={errors['bundlePrice']}
          hint={
            costlyBundle !== null
              ? t.t('dashboard.seriesForm.bundleCostly', { total: t.price(costlyBundle, currency) })
              : t.t('dashboard.seriesForm.bundleHint', {
                  min: t.price(CURRENCIES[currency].min, currency),
                  max: t.price(CURRENCIES[currency].max, currency),
                })
          }
        >
          <input
            {...fieldA11y(id('bundlePrice'), errors['bundlePrice'], true)}
            name="bundlePrice"
            inputMode="decimal"
            placeholder={t.t('dashboard.seriesForm.bundleNone')}
            value={bundle}
            onInput={(e) => setBundle(e.currentTarget.value)}
          />
        </Field>
      </div>
      <FormError message={errors['']} />
      <div class="actions">
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? t.t('dashboard.seriesForm.saving') : submitLabel}
        </button>
        {onCancel && (
          <button type="button" class="button link" onClick={onCancel}>
            {t.t('dashboard.seriesForm.cancel')}
          </button>
        )}
        {saved && (
          <span class="saved" role="status">
            {t.t('dashboard.seriesForm.saved')}
          </span>
        )}
      </div>
    </form>
  );
}

/**
 * What the series' premium episodes cost bought one by one, when a whole-series price is not below it (so "buy
 * all" would save buyers nothing); null otherwise, or with no price or no premium episode.
 */
export function bundleCostsMore(bundlePrice: number, episodes: readonly { price: number | null }[]): number | null {
  if (!Number.isFinite(bundlePrice)) return null;
  const total = episodes.reduce((n, e) => n + (e.price ?? 0), 0);
  return total > 0 && bundlePrice >= total ? total : null;
}
