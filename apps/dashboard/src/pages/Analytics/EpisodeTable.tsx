import type { Currency } from '@series/core';
import { DataTable, num } from '../../components/DataTable.js';
import { count, money } from '../../lib/format.js';
import type { EpisodeRow } from './export.js';

/** The per-episode figures as a table: the accessible twin of the bar chart, and what the CSV exports. */
export function EpisodeTable({ rows, currency, caption }: { rows: EpisodeRow[]; currency: Currency; caption: string }) {
  const several = new Set(rows.map((r) => r.seriesId)).size > 1;
  const sum = (pick: (r: EpisodeRow) => number) => rows.reduce((n, r) => n + pick(r), 0);
  return (
    <DataTable
      caption={caption}
      columns={[
        ...(several ? ['Series'] : []),
        '#',
        'Episode',
        num('Unlock views'),
        num('Checkouts'),
        num('Sales'),
        num('Gross'),
        num('Commission'),
        num('Payout'),
      ]}
      footer={
        <tr>
          <th scope="row" colSpan={several ? 3 : 2}>
            Total
          </th>
          <td class="num">{count(sum((r) => r.views))}</td>
          <td class="num">{count(sum((r) => r.checkouts))}</td>
          <td class="num">{count(sum((r) => r.sales))}</td>
          <td class="num">
            {money(
              sum((r) => r.gross),
              currency,
            )}
          </td>
          <td class="num">
            {money(
              sum((r) => r.commission),
              currency,
            )}
          </td>
          <td class="num">
            {money(
              sum((r) => r.payout),
              currency,
            )}
          </td>
        </tr>
      }
    >
      {rows.map((r) => (
        <tr key={`${r.seriesId}/${r.episodeId ?? 'all'}`}>
          {several && <td>{r.seriesTitle}</td>}
          <td>{r.kind === 'series' ? '—' : r.number}</td>
          <th scope="row">
            {r.title}
            {r.free && <span class="muted"> (free)</span>}
          </th>
          <td class="num">{count(r.views)}</td>
          <td class="num">{count(r.checkouts)}</td>
          <td class="num">{count(r.sales)}</td>
          <td class="num">{money(r.gross, currency)}</td>
          <td class="num">{money(r.commission, currency)}</td>
          <td class="num">{money(r.payout, currency)}</td>
        </tr>
      ))}
    </DataTable>
  );
}
