import { DataTable, num } from '../../components/DataTable.js';
import { Empty } from '../../components/states.js';
import { useT, type DashboardT } from '../../lib/i18n.js';
import { appHref } from '../../lib/paths.js';
import type { SourceStats } from '../../lib/types.js';
import { sourceTotals, viewToPurchase, type Counts } from './export.js';

/** A rate that cannot be computed (no views) reads as a dash, never as 0% or a division by zero. */
const rate = (t: DashboardT, r: Counts) => {
  const ratio = viewToPurchase(r);
  return ratio === null
    ? '—'
    : new Intl.NumberFormat(t.locale, { style: 'percent', maximumFractionDigits: 1 }).format(ratio);
};

/** The storefront funnel per link source (`?src=`): page views → checkouts started → purchases. */
export function SourceTable({ rows }: { rows: SourceStats[] }) {
  const t = useT();
  if (rows.length === 0) {
    return (
      <Empty title={t.t('dashboard.analyticsTables.noVisits')}>
        {t.t('dashboard.analyticsTables.noVisitsLead')}{' '}
        <a href={appHref('/')}>{t.t('dashboard.analyticsTables.noVisitsLink')}</a>{' '}
        {t.t('dashboard.analyticsTables.noVisitsBody')}
      </Empty>
    );
  }
  const total = sourceTotals(rows);
  return (
    <DataTable
      caption={t.t('dashboard.analyticsTables.sourcesCaption')}
      hideCaption
      columns={[
        t.t('dashboard.analyticsTables.col.source'),
        num(t.t('dashboard.analyticsTables.col.pageViews')),
        num(t.t('dashboard.analyticsTables.col.checkouts')),
        num(t.t('dashboard.analyticsTables.col.purchases')),
        num(t.t('dashboard.analyticsTables.col.viewToPurchase')),
      ]}
      footer={
        <tr>
          <th scope="row">{t.t('dashboard.analyticsTables.total')}</th>
          <td class="num">{t.number(total.views)}</td>
          <td class="num">{t.number(total.checkouts)}</td>
          <td class="num">{t.number(total.purchases)}</td>
          <td class="num">{rate(t, total)}</td>
        </tr>
      }
    >
      {rows.map((r) => (
        <tr key={r.source ?? ''}>
          <th scope="row">
            {r.source === null ? <span class="muted">{t.t('dashboard.analyticsTables.noSource')}</span> : r.source}
          </th>
          <td class="num">{t.number(r.views)}</td>
          <td class="num">{t.number(r.checkouts)}</td>
          <td class="num">{t.number(r.purchases)}</td>
          <td class="num">{rate(t, r)}</td>
        </tr>
      ))}
    </DataTable>
  );
}
