import type { Currency } from '@series/core';
import { DataTable, num } from '../../components/DataTable.js';
import { count, formatDay, money } from '../../lib/format.js';
import type { DailyStats } from '../../lib/types.js';

/** The daily line's numbers (days with sales only). */
export function DailyTable({ rows, currency }: { rows: DailyStats[]; currency: Currency }) {
  if (rows.length === 0) return <p class="muted">No sales on any day of this period.</p>;
  return (
    <DataTable
      caption="Days with sales (UTC)"
      columns={['Day', num('Sales'), num('Gross'), num('Commission'), num('Payout')]}
    >
      {rows.map((r) => (
        <tr key={r.day}>
          <th scope="row">{formatDay(r.day)}</th>
          <td class="num">{count(r.sales)}</td>
          <td class="num">{money(r.gross, currency)}</td>
          <td class="num">{money(r.commission, currency)}</td>
          <td class="num">{money(r.payout, currency)}</td>
        </tr>
      ))}
    </DataTable>
  );
}
