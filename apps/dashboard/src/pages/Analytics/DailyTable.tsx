import type { Currency } from '@series/core';
import { DataTable, num } from '../../components/DataTable.js';
import { useT } from '../../lib/i18n.js';
import type { DailyStats } from '../../lib/types.js';

/** The daily line's numbers (days with sales only). */
export function DailyTable({ rows, currency }: { rows: DailyStats[]; currency: Currency }) {
  const t = useT();
  if (rows.length === 0) return <p class="muted">{t.t('dashboard.analyticsTables.noSales')}</p>;
  // The tax the prices included, in its own column where any day has some.
  const taxed = rows.some((r) => !!r.tax);
  const day = (d: string) =>
    new Intl.DateTimeFormat(t.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.parse(`${d}T00:00:00Z`));
  return (
    <DataTable
      caption={t.t('dashboard.analyticsTables.daysCaption')}
      columns={[
        t.t('dashboard.analyticsTables.col.day'),
        num(t.t('dashboard.analyticsTables.col.sales')),
        num(t.t('dashboard.analyticsTables.col.gross')),
        ...(taxed ? [num(t.t('dashboard.analyticsTables.col.tax'))] : []),
        num(t.t('dashboard.analyticsTables.col.commission')),
        num(t.t('dashboard.analyticsTables.col.payout')),
      ]}
    >
      {rows.map((r) => (
        <tr key={r.day}>
          <th scope="row">{day(r.day)}</th>
          <td class="num">{t.number(r.sales)}</td>
          <td class="num">{t.price(r.gross, currency)}</td>
          {taxed && <td class="num">{t.price(r.tax, currency)}</td>}
          <td class="num">{t.price(r.commission, currency)}</td>
          <td class="num">{t.price(r.payout, currency)}</td>
        </tr>
      ))}
    </DataTable>
  );
}
