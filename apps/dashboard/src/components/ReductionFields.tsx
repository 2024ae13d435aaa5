import { CURRENCIES, type Currency } from '@series/core';
import { Field, fieldA11y } from './Field.js';
import type { DashboardT } from '../lib/i18n.js';
import { useT } from '../lib/i18n.js';

export type ReductionKind = 'percent' | 'fixed';

/** "20% off" or "$1.00 off": how discounts and promo codes name what they take off. */
export function reductionText(
  t: DashboardT,
  reduction: { kind: ReductionKind; value: number },
  currency: Currency | null,
): string {
  if (reduction.kind === 'percent') return t.t('dashboard.promo.percentOff', { percent: reduction.value });
  return t.t('dashboard.promo.amountOff', {
    amount: currency ? t.price(reduction.value, currency) : String(reduction.value),
  });
}

/**
 * The "percentage or amount off" pair of a discount and a promo code: the kind as radios and the value, whose
 * label names the currency and whose keyboard is numeric where the amount has no decimals.
 */
export function ReductionFields({
  idPrefix,
  kind,
  onKind,
  value,
  onValue,
  currency,
  error,
}: {
  idPrefix: string;
  kind: ReductionKind;
  onKind: (kind: ReductionKind) => void;
  value: string;
  onValue: (value: string) => void;
  currency: Currency | null;
  error?: string | undefined;
}) {
  const t = useT();
  const id = `${idPrefix}-value`;
  const whole = kind === 'percent' || (currency !== null && CURRENCIES[currency].exponent === 0);
  return (
    <>
      <fieldset class="field">
        <legend>{t.t('dashboard.promo.kind')}</legend>
        {(['percent', 'fixed'] as const).map((k) => (
          <label key={k}>
            <input type="radio" name={`${idPrefix}-kind`} checked={kind === k} onChange={() => onKind(k)} />{' '}
            {t.t(k === 'percent' ? 'dashboard.promo.kindPercent' : 'dashboard.promo.kindFixed')}
          </label>
        ))}
      </fieldset>
      <Field
        id={id}
        label={
          kind === 'percent'
            ? t.t('dashboard.promo.valuePercent')
            : t.t('dashboard.promo.valueAmount', { currency: currency ?? '' })
        }
        error={error}
      >
        <input
          {...fieldA11y(id, error)}
          value={value}
          inputMode={whole ? 'numeric' : 'decimal'}
          onInput={(e) => onValue((e.target as HTMLInputElement).value)}
          required
        />
      </Field>
    </>
  );
}
