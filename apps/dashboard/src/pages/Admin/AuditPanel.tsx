import { Async, Empty } from '../../components/states.js';
import { DataTable } from '../../components/DataTable.js';
import { api, request } from '../../lib/api.js';
import { isCurrency, type Currency } from '@series/core';
import { useT, type DashboardT } from '../../lib/i18n.js';
import { useResource } from '../../lib/use-resource.js';

/** What an audited action is called (dashboard.admin.audit.action.<action>), else its own name. */
const actionName = (t: DashboardT, action: string): string => {
  const key = `dashboard.admin.audit.action.${action}`;
  return t.has(key) ? (t.t as (k: string) => string)(key) : action;
};

/** Why the platform gave a payment back (the purchase's status reason), else the reason's own name. */
const refundReason = (t: DashboardT, reason: string): string => {
  const key = `dashboard.admin.audit.reason.${reason}`;
  return t.has(key) ? (t.t as (k: string) => string)(key) : reason;
};

/** Details are small JSON objects; shown as text, never as markup. */
function describe(t: DashboardT, action: string, detail: unknown): string {
  if (!detail || typeof detail !== 'object') return '';
  const d = detail as Record<string, unknown>;
  if (action === 'commission.set' && typeof d['from'] === 'number' && typeof d['to'] === 'number') {
    return `${t.percentBps(d['from'])} → ${t.percentBps(d['to'])}`;
  }
  if (
    action === 'payout.record' &&
    typeof d['amount'] === 'number' &&
    typeof d['month'] === 'string' &&
    isCurrency(String(d['currency']))
  ) {
    return t.t('dashboard.admin.audit.payout', {
      amount: t.price(d['amount'], d['currency'] as Currency),
      month: t.month(d['month']),
    });
  }
  if (
    action === 'payment.refunded_unfulfilled' &&
    typeof d['amount'] === 'number' &&
    isCurrency(String(d['currency']))
  ) {
    return t.t('dashboard.admin.audit.refunded', {
      amount: t.price(d['amount'], d['currency'] as Currency),
      why: refundReason(t, String(d['reason'])),
      refund: String(d['refund']),
    });
  }
  return Object.entries(detail as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}

/** Admin actions, newest first (`version` changes after each action here, to reload). */
export function AuditPanel({ version }: { version: number }) {
  const t = useT();
  const audit = useResource(() => request(() => api.v1.admin.audit.$get()), [version]);
  return (
    <div class="card">
      <h2>{t.t('dashboard.admin.audit.title')}</h2>
      <Async resource={audit} loadingLabel={t.t('dashboard.admin.audit.loading')}>
        {({ entries }) =>
          entries.length === 0 ? (
            <Empty title={t.t('dashboard.admin.audit.empty')} />
          ) : (
            <DataTable
              caption={t.t('dashboard.admin.audit.caption')}
              hideCaption
              columns={[
                t.t('dashboard.admin.audit.col.when'),
                t.t('dashboard.admin.audit.col.who'),
                t.t('dashboard.admin.audit.col.action'),
                t.t('dashboard.admin.audit.col.target'),
                t.t('dashboard.admin.audit.col.details'),
              ]}
            >
              {entries.map((e, i) => (
                <tr key={`${e.at}-${i}`}>
                  <td>{t.dateTime(e.at)}</td>
                  <td>{e.actor ?? '—'}</td>
                  <th scope="row">{actionName(t, e.action)}</th>
                  <td>{e.target}</td>
                  <td>{describe(t, e.action, e.detail)}</td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Async>
    </div>
  );
}
