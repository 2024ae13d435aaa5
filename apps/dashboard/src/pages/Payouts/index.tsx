import type { Currency, PayoutStatus } from '@series/core';
import { cell, DataTable, num } from '../../components/DataTable.js';
import { useState } from 'preact/hooks';
import { NoCreatorYet } from '../../components/NoCreatorYet.js';
import { Async, Empty } from '../../components/states.js';
import { api, request } from '../../lib/api.js';
import { count, formatDateTime, formatMonth, money } from '../../lib/format.js';
import { useMe } from '../../lib/session.js';
import type { PayoutStatement, Payouts as PayoutsBody } from '../../lib/types.js';
import { useResource } from '../../lib/use-resource.js';
import { MonthPurchases } from './MonthPurchases.js';
import { PaymentAccount } from './PaymentAccount.js';

export const STATUS: Record<PayoutStatus, { label: string; tone: string; meaning: string }> = {
  open: { label: 'Open', tone: 'neutral', meaning: 'This month is still running: sales keep adding up.' },
  due: { label: 'Due', tone: 'warning', meaning: 'Closed and above the threshold: it will be paid out.' },
  carried_over: {
    label: 'Carried over',
    tone: 'neutral',
    meaning: 'Below the threshold: the balance moves into the next month’s statement.',
  },
  paid: { label: 'Paid', tone: 'success', meaning: 'The balance was paid out to you.' },
};

export default function Payouts() {
  return useMe().creator ? <PayoutsForCreator /> : <NoCreatorYet />;
}

function PayoutsForCreator() {
  const payouts = useResource(
    () => Promise.all([request(() => api.v1.payouts.$get()), request(() => api.v1.me.series.$get())]),
    [],
  );
  return (
    <section>
      <h1>Payouts</h1>
      <PaymentAccount />
      <Async resource={payouts} loadingLabel="Loading your statements…">
        {([body, { series }]) => <Statements body={body} currencies={[...new Set(series.map((s) => s.currency))]} />}
      </Async>
    </section>
  );
}

function Statements({ body, currencies }: { body: PayoutsBody; currencies: Currency[] }) {
  const [open, setOpen] = useState<string | null>(null);
  const threshold = (c: Currency) => money(body.thresholds[c], c);
  if (body.statements.length === 0) {
    return (
      <Empty title="No earnings yet">
        Earnings are totalled per calendar month (UTC) and paid once your balance reaches{' '}
        {(currencies.length ? currencies : (['USD'] as Currency[])).map(threshold).join(' / ')}; smaller balances carry
        over to the next month.
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
                <dt>Earned to date</dt>
                <dd>{money(b.earned, b.currency)}</dd>
              </div>
              <div class="kpi">
                <dt>Pending</dt>
                <dd>{money(b.pending, b.currency)}</dd>
                <dd class="kpi-note">{b.due > 0 ? `${money(b.due, b.currency)} due for payout` : 'Nothing due yet'}</dd>
              </div>
              <div class="kpi">
                <dt>Paid out</dt>
                <dd>{money(b.paid, b.currency)}</dd>
              </div>
            </dl>
            <p class="hint">Paid monthly once the balance reaches {threshold(b.currency)}.</p>
          </div>
        ))}
      </div>

      <div class="card">
        <h2>Monthly statements</h2>
        <DataTable
          caption="Newest first; months and days in UTC"
          stacked
          columns={[
            'Month',
            num('Sales'),
            num('Gross'),
            num('Commission'),
            num('Earnings'),
            num('Carried in'),
            num('Balance'),
            'Status',
            { label: <span class="visually-hidden">Details</span> },
          ]}
        >
          {body.statements.map((s) => (
            <StatementRow
              key={`${s.month}-${s.currency}`}
              s={s}
              expanded={open === `${s.month}-${s.currency}`}
              onToggle={() => setOpen(open === `${s.month}-${s.currency}` ? null : `${s.month}-${s.currency}`)}
            />
          ))}
        </DataTable>
        <ul class="legend">
          {(Object.keys(STATUS) as PayoutStatus[]).map((k) => (
            <li key={k}>
              <span class={`badge ${STATUS[k].tone}`}>{STATUS[k].label}</span> {STATUS[k].meaning}
            </li>
          ))}
        </ul>
      </div>
    </>
  );
}

function StatementRow({ s, expanded, onToggle }: { s: PayoutStatement; expanded: boolean; onToggle: () => void }) {
  const status = STATUS[s.status];
  const detailsId = `purchases-${s.month}-${s.currency}`;
  return (
    <>
      <tr>
        <th scope="row">
          {formatMonth(s.month)} <span class="muted">{s.currency}</span>
        </th>
        <td class="num" {...cell('Sales')}>
          {count(s.sales)}
        </td>
        <td class="num" {...cell('Gross')}>
          {money(s.gross, s.currency)}
          {s.refunded > 0 && <span class="muted block">−{money(s.refunded, s.currency)} refunded</span>}
        </td>
        <td class="num" {...cell('Commission')}>
          {money(s.commission, s.currency)}
        </td>
        <td class="num" {...cell('Earnings')}>
          {money(s.payout, s.currency)}
        </td>
        <td class="num" {...cell('Carried in')}>
          {money(s.carriedIn, s.currency)}
        </td>
        <td class="num" {...cell('Balance')}>
          <strong>{money(s.balance, s.currency)}</strong>
        </td>
        <td {...cell('Status')}>
          <span class={`badge ${status.tone}`} title={status.meaning}>
            {status.label}
          </span>
          {s.paidAt && s.paidAmount !== null && (
            <span class="muted">
              {' '}
              {money(s.paidAmount, s.currency)} on {formatDateTime(s.paidAt)}
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
            {expanded ? 'Hide purchases' : 'Purchases'}
          </button>
        </td>
      </tr>
      {expanded && (
        <tr id={detailsId} class="details-row">
          <td colSpan={9}>
            <MonthPurchases month={s.month} currency={s.currency} />
          </td>
        </tr>
      )}
    </>
  );
}
