import type { Currency } from '@series/core';
import { count, formatDay, money } from '../../lib/format.js';
import type { DailyStats } from '../../lib/types.js';

/** The daily line's numbers (days with sales only). */
export function DailyTable({ rows, currency }: { rows: DailyStats[]; currency: Currency }) {
  if (rows.length === 0) return <p class="muted">No sales on any day of this period.</p>;
  return (
    <div class="table-scroll">
      <table class="data-table">
        <caption>Days with sales (UTC)</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col" class="num">Sales</th>
            <th scope="col" class="num">Gross</th>
            <th scope="col" class="num">Commission</th>
            <th scope="col" class="num">Payout</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.day}>
              <th scope="row">{formatDay(r.day)}</th>
              <td class="num">{count(r.sales)}</td>
              <td class="num">{money(r.gross, currency)}</td>
              <td class="num">{money(r.commission, currency)}</td>
              <td class="num">{money(r.payout, currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
