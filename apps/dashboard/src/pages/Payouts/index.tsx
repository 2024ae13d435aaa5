import type { Currency, PayoutStatus } from '@series/core';
import { cell, DataTable, num } from '../../components/DataTable.js';
import { useState } from 'preact/hooks';
import { NoCreatorYet } from '../../components/NoCreatorYet.js';
import { Async, Empty } from '../../components/states.js';
import { api, request } from '../../lib/api.js';
import { useT, type DashboardT } from '../../lib/i18n.js';
import { useMe } from '../../lib/session.js';
import type { PayoutStatement, Payouts as PayoutsBody } from '../../lib/types.js';
import { useResource } from '../../lib/use-resource.js';
import { MonthPurchases } from './MonthPurchases.js';
import { PaymentAccount } from './PaymentAccount.js';

const TONE: Record<PayoutStatus, string> = {
  open: 'neutral',
  due: 'warning',
  carried_over: 'neutral',
  paid: 'success',
};

/** A statement's status: its name, badge tone and what it means, in the dashboard's language. */
export function payoutStatus(t: DashboardT, status: PayoutStatus): { label: string; tone: string; meaning: string } {
  return {
    label: t.t(`dashboard.payouts.status.${status}`),
    tone: TONE[status],
    meaning: t.t(`dashboard.payouts.status.${status}.meaning`),
  };
}

export default function Payouts() {
  return useMe().creator ? <PayoutsForCreator /> : <NoCreatorYet />;
}

function PayoutsForCreator() {
  const t = useT();
  const payouts = useResource(
    () => Promise.all([request(() => api.v1.payouts.$get()), request(() => api.v1.me.series.$get())]),
    [],
  );
  return (
    <section>
      <h1>{t.t('dashboard.payouts.title')}</h1>
      <PaymentAccount />
      <Async resource={payouts} loadingLabel={t.t('dashboard.payouts.loading')}>
        {([body, { series }]) => <Statements body={body} currencies={[...new Set(series.map((s) => s.currency))]} />}
      </Async>
    </section>
  );
}

function Statements({ body, currencies }: { body: PayoutsBody; currencies: Currency[] }) {
  const t = useT();
  const [open, setOpen] = useState<string | null>(null);
  const threshold = (c: Currency) => t.price(body.thresholds[c], c);
  // The tax the prices included, in its own column where any month has some (never part of the earnings).
  const taxed = body.statements.some((s) => !!s.tax);
  if (body.statements.length === 0) {
    return (
      <Empty title={t.t('dashboard.payouts.empty.title')}>
        {t.t('dashboard.payouts.empty.body', {
          threshold: (currencies.length ? currencies : (['USD'] as Currency[])).map(threshold).join(' / '),
        })}
      </Empty>
    );
  }
  return (
    <>
      <div class="kpis">
        {body.balances.map((b) => (
          <div class="kpi-group" key={b.currency}>
            <h2 class="kpi-group-title">{b.currency}</h2>
            <dl class="kpis inner">
              <div class="kpi highlight">
                <dt>{t.t('dashboard.payouts.earned')}</dt>
                <dd>{t.price(b.earned, b.currency)}</dd>
              </div>
              <div class="kpi">
                <dt>{t.t('dashboard.payouts.pending')}</dt>
                <dd>{t.price(b.pending, b.currency)}</dd>
                <dd class="kpi-note">
                  {b.due > 0
                    ? t.t('dashboard.payouts.due', { amount: t.price(b.due, b.currency) })
                    : t.t('dashboard.payouts.nothingDue')}
                </dd>
              </div>
              <div class="kpi">
                <dt>{t.t('dashboard.payouts.paid')}</dt>
                <dd>{t.price(b.paid, b.currency)}</dd>
              </div>
            </dl>
            <p class="hint">{t.t('dashboard.payouts.threshold', { threshold: threshold(b.currency) })}</p>
          </div>
        ))}
      </div>

      <div class="card">
        <h2>{t.t('dashboard.payouts.statements')}</h2>
        {taxed && <p class="muted">{t.t('dashboard.payouts.taxNote')}</p>}
        <DataTable
          caption={t.t('dashboard.payouts.caption')}
          stacked
          columns={[
            t.t('dashboard.payouts.col.month'),
            num(t.t('dashboard.payouts.col.sales')),
            num(t.t('dashboard.payouts.col.gross')),
            ...(taxed ? [num(t.t('dashboard.payouts.col.tax'))] : []),
            num(t.t('dashboard.payouts.col.commission')),
            num(t.t('dashboard.payouts.col.earnings')),
            num(t.t('dashboard.payouts.col.carriedIn')),
            num(t.t('dashboard.payouts.col.balance')),
            t.t('dashboard.payouts.col.status'),
            { label: <span class="visually-hidden">{t.t('dashboard.payouts.col.details')}</span> },
          ]}
        >
          {body.statements.map((s) => (
            <StatementRow
              key={`${s.month}-${s.currency}`}
              s={s}
              taxed={taxed}
              expanded={open === `${s.month}-${s.currency}`}
              onToggle={() => setOpen(open === `${s.month}-${s.currency}` ? null : `${s.month}-${s.currency}`)}
            />
          ))}
        </DataTable>
        <ul class="legend">
          {(Object.keys(TONE) as PayoutStatus[]).map((k) => {
            const status = payoutStatus(t, k);
            return (
              <li key={k}>
                <span class={`badge ${status.tone}`}>{status.label}</span> {status.meaning}
              </li>
            );
          })}
        </ul>
      </div>
    </>
  );
}

function StatementRow({
  s,
  taxed,
  expanded,
  onToggle,
}: {
  s: PayoutStatement;
  /** Whether any statement has tax: its column is shown. */
  taxed: boolean;
  expanded: boolean;
  onToggle: () => void;
}) {
  const t = useT();
  const status = payoutStatus(t, s.status);
  const col = (key: 'sales' | 'gross' | 'tax' | 'commission' | 'earnings' | 'carriedIn' | 'balance' | 'status') =>
    cell(t.t(`dashboard.payouts.col.${key}`));
  const detailsId = `purchases-${s.month}-${s.currency}`;
  return (
    <>
      <tr>
        <th scope="row">
          {t.month(s.month)} <span class="muted">{s.currency}</span>
        </th>
        <td class="num" {...col('sales')}>
          {t.number(s.sales)}
        </td>
        <td class="num" {...col('gross')}>
          {t.price(s.gross, s.currency)}
          {s.refunded > 0 && (
            <span class="muted block">
              {t.t('dashboard.payouts.refunded', { amount: t.price(s.refunded, s.currency) })}
            </span>
          )}
        </td>
        {taxed && (
          <td class="num" {...col('tax')}>
            {t.price(s.tax, s.currency)}
          </td>
        )}
        <td class="num" {...col('commission')}>
          {t.price(s.commission, s.currency)}
        </td>
        <td class="num" {...col('earnings')}>
          {t.price(s.payout, s.currency)}
        </td>
        <td class="num" {...col('carriedIn')}>
          {t.price(s.carriedIn, s.currency)}
        </td>
        <td class="num" {...col('balance')}>
          <strong>{t.price(s.balance, s.currency)}</strong>
        </td>
        <td {...col('status')}>
          <span class={`badge ${status.tone}`} title={status.meaning}>
            {status.label}
          </span>
          {s.paidAt && s.paidAmount !== null && (
            <span class="muted">
              {' '}
              {t.t('dashboard.payouts.paidOn', {
                amount: t.price(s.paidAmount, s.currency),
                date: t.dateTime(s.paidAt),
              })}
            </span>
          )}
        </td>
        <td class="row-actions">
          <button
            type="button"
            class="button small link"
            aria-expanded={expanded}
            aria-controls={detailsId}
            onClick={onToggle}
          >
            {expanded ? t.t('dashboard.payouts.hidePurchases') : t.t('dashboard.payouts.showPurchases')}
          </button>
        </td>
      </tr>
      {expanded && (
        <tr id={detailsId} class="details-row">
          <td colSpan={taxed ? 10 : 9}>
            <MonthPurchases month={s.month} currency={s.currency} />
          </td>
        </tr>
      )}
    </>
  );
}
