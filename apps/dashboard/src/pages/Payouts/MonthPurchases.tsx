import type { Currency } from '@series/core';
import { DataTable, num } from '../../components/DataTable.js';
import { Async, Empty } from '../../components/states.js';
import { api, request } from '../../lib/api.js';
import { useT } from '../../lib/i18n.js';
import { useResource } from '../../lib/use-resource.js';
import { RefundSale } from '../Refunds/RefundSale.js';

/** A statement's sales one by one, with the commission rate each was sold at (buyers are never named). */
export function MonthPurchases({ month, currency }: { month: string; currency: Currency }) {
  const t = useT();
  const list = useResource(
    () => request(() => api.v1.payouts.purchases.$get({ query: { month, currency } })),
    [month, currency],
  );
  return (
    <Async resource={list} loadingLabel={t.t('dashboard.payouts.purchases.loading')}>
      {({ purchases, truncated }) => {
        // The tax each price included, in its own column where any sale has some.
        const taxed = purchases.some((p) => !!p.tax);
        return purchases.length === 0 ? (
          <Empty title={t.t('dashboard.payouts.purchases.empty')}>{t.t('dashboard.payouts.purchases.emptyBody')}</Empty>
        ) : (
          <DataTable
            caption={
              truncated
                ? t.t('dashboard.payouts.purchases.truncated', {
                    month: t.month(month),
                    currency,
                    count: t.number(purchases.length),
                  })
                : t.t('dashboard.payouts.purchases.caption', { month: t.month(month), currency })
            }
            columns={[
              t.t('dashboard.payouts.purchases.col.paid'),
              t.t('dashboard.payouts.purchases.col.item'),
              num(t.t('dashboard.payouts.purchases.col.price')),
              ...(taxed ? [num(t.t('dashboard.payouts.purchases.col.tax'))] : []),
              num(t.t('dashboard.payouts.purchases.col.rate')),
              num(t.t('dashboard.payouts.purchases.col.commission')),
              num(t.t('dashboard.payouts.purchases.col.payout')),
              t.t('dashboard.payouts.purchases.col.status'),
              t.t('dashboard.payouts.purchases.col.refund'),
            ]}
          >
            {purchases.map((p) => (
              <tr key={p.id}>
                <td>{t.dateTime(p.paidAt)}</td>
                <th scope="row">
                  {p.seriesTitle} — {p.episodeTitle ?? t.t('dashboard.payouts.purchases.wholeSeries')}
                </th>
                <td class="num">{t.price(p.amount, p.currency)}</td>
                {taxed && <td class="num">{t.price(p.tax, p.currency)}</td>}
                <td class="num">{t.percentBps(p.commissionBps)}</td>
                <td class="num">{t.price(p.commission, p.currency)}</td>
                <td class="num">{t.price(p.payout, p.currency)}</td>
                <td>
                  {p.status === 'refunded'
                    ? t.t('dashboard.payouts.purchases.refunded')
                    : p.refunded > 0
                      ? t.t('dashboard.payouts.purchases.partRefunded', { amount: t.price(p.refunded, p.currency) })
                      : p.disputeState === 'open'
                        ? t.t('dashboard.payouts.purchases.disputed')
                        : t.t('dashboard.payouts.purchases.completed')}
                </td>
                <td>
                  {p.status !== 'refunded' && p.refunded < p.amount && (
                    <details class="refund-action">
                      <summary>{t.t('dashboard.payouts.purchases.refund')}</summary>
                      <RefundSale sale={{ ...p, currency: p.currency as Currency }} onDone={list.reload} />
                    </details>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        );
      }}
    </Async>
  );
}
