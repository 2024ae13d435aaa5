import type { Currency } from '@series/core';
import { DataTable, num } from '../../components/DataTable.js';
import { Async, Empty } from '../../components/states.js';
import { api, request } from '../../lib/api.js';
import { formatDateTime, formatMonth, money, percentFromBps } from '../../lib/format.js';
import { useResource } from '../../lib/use-resource.js';
import { RefundSale } from '../Refunds/RefundSale.js';

/** A statement's sales one by one, with the commission rate each was sold at (buyers are never named). */
export function MonthPurchases({ month, currency }: { month: string; currency: Currency }) {
  const list = useResource(
    () => request(() => api.v1.payouts.purchases.$get({ query: { month, currency } })),
    [month, currency],
  );
  return (
    <Async resource={list} loadingLabel="Loading purchases…">
      {({ purchases, truncated }) =>
        purchases.length === 0 ? (
          <Empty title="No purchases were paid this month">
            Refunds of earlier sales are deducted in the month they happen.
          </Empty>
        ) : (
          <DataTable
            caption={
              <>
                Purchases paid in {formatMonth(month)} ({currency}){truncated && ', the most recent 1,000'}
              </>
            }
            columns={[
              'Paid',
              'Item',
              num('Price'),
              num('Commission rate'),
              num('Commission'),
              num('Your payout'),
              'Status',
              'Refund',
            ]}
          >
            {purchases.map((p) => (
              <tr key={p.id}>
                <td>{formatDateTime(p.paidAt)}</td>
                <th scope="row">
                  {p.seriesTitle} — {p.episodeTitle ?? 'whole series'}
                </th>
                <td class="num">{money(p.amount, p.currency)}</td>
                <td class="num">{percentFromBps(p.commissionBps)}</td>
                <td class="num">{money(p.commission, p.currency)}</td>
                <td class="num">{money(p.payout, p.currency)}</td>
                <td>
                  {p.status === 'refunded'
                    ? 'Refunded'
                    : p.refunded > 0
                      ? `${money(p.refunded, p.currency)} refunded`
                      : p.disputeState === 'open'
                        ? 'Disputed'
                        : 'Completed'}
                </td>
                <td>
                  {p.status !== 'refunded' && p.refunded < p.amount && (
                    <details class="refund-action">
                      <summary>Refund…</summary>
                      <RefundSale sale={{ ...p, currency: p.currency as Currency }} onDone={list.reload} />
                    </details>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )
      }
    </Async>
  );
}
