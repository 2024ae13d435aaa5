import { DataTable, num } from '../../components/DataTable.js';
import { Empty } from '../../components/states.js';
import { count, percent } from '../../lib/format.js';
import { appHref } from '../../lib/paths.js';
import type { SourceStats } from '../../lib/types.js';
import { NO_SOURCE, sourceTotals, viewToPurchase, type Counts } from './export.js';

/** A rate that cannot be computed (no views) reads as a dash, never as 0% or a division by zero. */
const rate = (r: Counts) => {
  const ratio = viewToPurchase(r);
  return ratio === null ? '—' : percent(ratio);
};

/** The storefront funnel per link source (`?src=`): page views → checkouts started → purchases. */
export function SourceTable({ rows }: { rows: SourceStats[] }) {
  if (rows.length === 0) {
    return (
      <Empty title="No storefront visits in this period">
        Share your <a href={appHref('/')}>link in bio</a> or a series’ links, with a source such as “bio” or “video”:
        each page load, checkout and purchase that comes through them is counted here.
      </Empty>
    );
  }
  const total = sourceTotals(rows);
  return (
    <DataTable
      caption="Storefront visits by source"
      hideCaption
      columns={['Source', num('Page views'), num('Checkouts'), num('Purchases'), num('View → purchase')]}
      footer={
        <tr>
          <th scope="row">Total</th>
          <td class="num">{count(total.views)}</td>
          <td class="num">{count(total.checkouts)}</td>
          <td class="num">{count(total.purchases)}</td>
          <td class="num">{rate(total)}</td>
        </tr>
      }
    >
      {rows.map((r) => (
        <tr key={r.source ?? ''}>
          <th scope="row">{r.source === null ? <span class="muted">{NO_SOURCE}</span> : r.source}</th>
          <td class="num">{count(r.views)}</td>
          <td class="num">{count(r.checkouts)}</td>
          <td class="num">{count(r.purchases)}</td>
          <td class="num">{rate(r)}</td>
        </tr>
      ))}
    </DataTable>
  );
}
