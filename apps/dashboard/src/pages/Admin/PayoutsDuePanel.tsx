import { useState } from 'preact/hooks';
import { cell, DataTable, num } from '../../components/DataTable.js';
import { Async, Empty } from '../../components/states.js';
import { api, ApiFailure, request } from '../../lib/api.js';
import { errorText, useT } from '../../lib/i18n.js';
import type { AdminStatement } from '../../lib/types.js';
import { useResource } from '../../lib/use-resource.js';

/** Closed months that reached the threshold; record each payout once the money has been sent. */
export function PayoutsDuePanel({ onChanged }: { onChanged: () => void }) {
  const t = useT();
  const due = useResource(() => request(() => api.v1.admin.payouts.$get({ query: { status: 'due' } })), []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function record(s: AdminStatement) {
    const amount = t.price(s.balance, s.currency);
    if (!confirm(t.t('dashboard.admin.payouts.confirm', { amount, handle: s.handle, month: t.month(s.month) }))) return;
    setBusy(true);
    setError(null);
    try {
      await request(() =>
        api.v1.admin.payouts.$post({ json: { handle: s.handle, month: s.month, currency: s.currency } }),
      );
      due.reload();
      onChanged();
    } catch (err) {
      setError(err instanceof ApiFailure ? errorText(t, err) : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="card">
      <h2>{t.t('dashboard.admin.payouts.title')}</h2>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <Async resource={due} loadingLabel={t.t('dashboard.admin.payouts.loading')}>
        {({ statements }) =>
          statements.length === 0 ? (
            <Empty title={t.t('dashboard.admin.payouts.empty')} />
          ) : (
            <DataTable
              caption={t.t('dashboard.admin.payouts.title')}
              hideCaption
              stacked
              columns={[
                t.t('dashboard.admin.payouts.col.creator'),
                t.t('dashboard.admin.payouts.col.month'),
                num(t.t('dashboard.admin.payouts.col.balance')),
                t.t('dashboard.admin.payouts.col.action'),
              ]}
            >
              {statements.map((s) => (
                <tr key={`${s.handle}-${s.month}-${s.currency}`}>
                  <th scope="row">
                    @{s.handle} <span class="muted">{s.displayName}</span>
                  </th>
                  <td {...cell(t.t('dashboard.admin.payouts.col.month'))}>{t.month(s.month)}</td>
                  <td class="num" {...cell(t.t('dashboard.admin.payouts.col.balance'))}>
                    {t.price(s.balance, s.currency)}
                  </td>
                  <td class="row-actions">
                    <button type="button" class="button small primary" disabled={busy} onClick={() => void record(s)}>
                      {t.t('dashboard.admin.payouts.record')}
                    </button>
                  </td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Async>
    </div>
  );
}
