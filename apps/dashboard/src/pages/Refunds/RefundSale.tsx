import type { Currency } from '@series/core';
import { useState } from 'preact/hooks';
import { Field, fieldA11y } from '../../components/Field.js';
import { api, ApiFailure, request } from '../../lib/api.js';
import { errorText, useT } from '../../lib/i18n.js';
import { minorToDecimal, parseMoneyInput } from '../../lib/money.js';

/**
 * Refunds one sale, in full or in part: the amount (all that is left by default) and, for a refund in full,
 * whether the buyer keeps access. One Idempotency-Key per form, so a double click is one refund.
 */
export function RefundSale({
  sale,
  onDone,
}: {
  sale: { id: string; amount: number; refunded: number; currency: Currency };
  onDone: () => void;
}) {
  const t = useT();
  const left = sale.amount - sale.refunded;
  const [text, setText] = useState(minorToDecimal(left, sale.currency));
  const [keepAccess, setKeepAccess] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState<string | null>(null);
  const [key] = useState(() => crypto.randomUUID());
  const amount = parseMoneyInput(text, sale.currency);
  const full = amount === left;
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      const res = await request(() =>
        api.v1.sales[':id'].refunds.$post({
          param: { id: sale.id },
          header: { 'idempotency-key': `refund-${key}` },
          json: { amount, keepAccess: full && keepAccess },
        }),
      );
      setDone(t.t('dashboard.refunds.done', { amount: t.price(res.refund.amount, sale.currency) }));
      onDone();
    } catch (err) {
      setError(err instanceof ApiFailure ? errorText(t, err) : String(err));
    }
  };
  if (done) {
    return (
      <p class="notice" role="status">
        {done}
      </p>
    );
  }
  return (
    <form class="refund-sale" onSubmit={submit} noValidate aria-label={t.t('dashboard.refunds.sale')}>
      <Field
        id={`refund-${sale.id}`}
        label={t.t('dashboard.refunds.amount')}
        error={error}
        hint={t.t('dashboard.refunds.amountHint', { amount: t.price(left, sale.currency) })}
      >
        <input
          {...fieldA11y(`refund-${sale.id}`, error, true)}
          inputMode="decimal"
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </Field>
      {full && (
        <label class="checkbox">
          <input type="checkbox" checked={keepAccess} onChange={(e) => setKeepAccess(e.currentTarget.checked)} />{' '}
          {t.t('dashboard.refunds.keepAccess')}
        </label>
      )}
      <p class="hint">{t.t('dashboard.refunds.keepAccessHint')}</p>
      <button type="submit" class="button primary" disabled={!Number.isInteger(amount) || amount <= 0}>
        {t.t('dashboard.refunds.submit', { amount: Number.isInteger(amount) ? t.price(amount, sale.currency) : '—' })}
      </button>
    </form>
  );
}
