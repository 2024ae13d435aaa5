import type { Currency } from '@series/core';
import { DataTable, num } from '../../components/DataTable.js';
import { useT } from '../../lib/i18n.js';
import type { EpisodeRow } from './export.js';

/** The per-episode figures as a table: the accessible twin of the bar chart, and what the CSV exports. */
export function EpisodeTable({ rows, currency, caption }: { rows: EpisodeRow[]; currency: Currency; caption: string }) {
  const t = useT();
  const several = new Set(rows.map((r) => r.seriesId)).size > 1;
  const sum = (pick: (r: EpisodeRow) => number) => rows.reduce((n, r) => n + pick(r), 0);
  // The tax the prices included, in its own column where any row has some.
  const taxed = rows.some((r) => !!r.tax);
  return (
    <DataTable
      caption={caption}
      columns={[
        ...(several ? [t.t('dashboard.analyticsTables.col.series')] : []),
        '#',
        t.t('dashboard.analyticsTables.col.episode'),
        num(t.t('dashboard.analyticsTables.col.unlockViews')),
        num(t.t('dashboard.analyticsTables.col.checkouts')),
        num(t.t('dashboard.analyticsTables.col.sales')),
        num(t.t('dashboard.analyticsTables.col.gross')),
        ...(taxed ? [num(t.t('dashboard.analyticsTables.col.tax'))] : []),
        num(t.t('dashboard.analyticsTables.col.commission')),
        num(t.t('dashboard.analyticsTables.col.payout')),
      ]}
      footer={
        <tr>
          <th scope="row" colSpan={several ? 3 : 2}>
            {t.t('dashboard.analyticsTables.total')}
          </th>
          <td class="num">{t.number(sum((r) => r.views))}</td>
          <td class="num">{t.number(sum((r) => r.checkouts))}</td>
          <td class="num">{t.number(sum((r) => r.sales))}</td>
          <td class="num">
            {t.price(
              sum((r) => r.gross),
              currency,
            )}
          </td>
          {taxed && (
            <td class="num">
              {t.price(
                sum((r) => r.tax),
                currency,
              )}
            </td>
          )}
          <td class="num">
            {t.price(
              sum((r) => r.commission),
              currency,
            )}
          </td>
          <td class="num">
            {t.price(
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
            {r.free && <span class="muted"> {t.t('dashboard.analyticsTables.free')}</span>}
          </th>
          <td class="num">{t.number(r.views)}</td>
          <td class="num">{t.number(r.checkouts)}</td>
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
