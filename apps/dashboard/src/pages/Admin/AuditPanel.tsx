import { Async, Empty } from '../../components/states.js';
import { DataTable } from '../../components/DataTable.js';
import { api, request } from '../../lib/api.js';
import { isCurrency, type Currency } from '@series/core';
import { formatDateTime, formatMonth, money, percentFromBps } from '../../lib/format.js';
import { useResource } from '../../lib/use-resource.js';

const ACTIONS: Record<string, string> = {
  'creator.approve': 'Approved creator',
  'creator.suspend': 'Suspended creator',
  'commission.set': 'Set commission',
  'payout.record': 'Recorded payout',
  'payment.refunded_unfulfilled': 'Refunded a payment (nothing sold)',
};

/** Why the platform gave a payment back (the purchase's status reason). */
const REFUND_REASONS: Record<string, string> = {
  not_on_sale: 'paid after the series went off sale',
  already_owned: 'paid twice for the same item',
  expired: 'paid after the checkout expired',
  cancelled_by_buyer: 'paid after cancelling the checkout',
  purchase_not_found: 'paid for a checkout that no longer exists',
};

/** Details are small JSON objects; shown as text, never as markup. */
function describe(action: string, detail: unknown): string {
  if (!detail || typeof detail !== 'object') return '';
  const d = detail as Record<string, unknown>;
  if (action === 'commission.set' && typeof d['from'] === 'number' && typeof d['to'] === 'number') {
    return `${percentFromBps(d['from'])} → ${percentFromBps(d['to'])}`;
  }
  if (
    action === 'payout.record' &&
    typeof d['amount'] === 'number' &&
    typeof d['month'] === 'string' &&
    isCurrency(String(d['currency']))
  ) {
    return `${money(d['amount'], d['currency'] as Currency)} for ${formatMonth(d['month'])}`;
  }
  if (
    action === 'payment.refunded_unfulfilled' &&
    typeof d['amount'] === 'number' &&
    isCurrency(String(d['currency']))
  ) {
    const why = REFUND_REASONS[String(d['reason'])] ?? String(d['reason']);
    return `${money(d['amount'], d['currency'] as Currency)} back to the buyer: ${why} (refund ${String(d['refund'])})`;
  }
  return Object.entries(detail as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}

/** Admin actions, newest first (`version` changes after each action here, to reload). */
export function AuditPanel({ version }: { version: number }) {
  const audit = useResource(() => request(() => api.v1.admin.audit.$get()), [version]);
  return (
    <div class="card">
      <h2>Audit log</h2>
      <Async resource={audit} loadingLabel="Loading the audit log…">
        {({ entries }) =>
          entries.length === 0 ? (
            <Empty title="No admin actions yet" />
          ) : (
            <DataTable
              caption="Admin actions, newest first"
              hideCaption
              columns={['When', 'Who', 'Action', 'Target', 'Details']}
            >
              {entries.map((e, i) => (
                <tr key={`${e.at}-${i}`}>
                  <td>{formatDateTime(e.at)}</td>
                  <td>{e.actor ?? '—'}</td>
                  <th scope="row">{ACTIONS[e.action] ?? e.action}</th>
                  <td>{e.target}</td>
                  <td>{describe(e.action, e.detail)}</td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Async>
    </div>
  );
}
