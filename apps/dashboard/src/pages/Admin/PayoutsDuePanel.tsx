import { useState } from 'preact/hooks';
import { cell, DataTable, num } from '../../components/DataTable.js';
import { Async, Empty } from '../../components/states.js';
import { api, ApiFailure, request } from '../../lib/api.js';
import { formatMonth, money } from '../../lib/format.js';
import type { AdminStatement } from '../../lib/types.js';
import { useResource } from '../../lib/use-resource.js';

/** Closed months that reached the threshold; record each payout once the money has been sent. */
export function PayoutsDuePanel({ onChanged }: { onChanged: () => void }) {
  const due = useResource(() => request(() => api.v1.admin.payouts.$get({ query: { status: 'due' } })), []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function record(s: AdminStatement) {
    const label = `${money(s.balance, s.currency)} to @${s.handle} for ${formatMonth(s.month)}`;
    if (!confirm(`Record that you paid ${label}?`)) return;
    setBusy(true);
    setError(null);
    try {
      await request(() =>
        api.v1.admin.payouts.$post({ json: { handle: s.handle, month: s.month, currency: s.currency } }),
      );
      due.reload();
      onChanged();
    } catch (err) {
      setError(err instanceof ApiFailure ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="card">
      <h2>Payouts due</h2>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <Async resource={due} loadingLabel="Loading payouts…">
        {({ statements }) =>
          statements.length === 0 ? (
            <Empty title="No payouts are due" />
          ) : (
            <DataTable
              caption="Payouts due"
              hideCaption
              stacked
              columns={['Creator', 'Month', num('Balance'), 'Action']}
            >
              {statements.map((s) => (
                <tr key={`${s.handle}-${s.month}-${s.currency}`}>
                  <th scope="row">
                    @{s.handle} <span class="muted">{s.displayName}</span>
                  </th>
                  <td {...cell('Month')}>{formatMonth(s.month)}</td>
                  <td class="num" {...cell('Balance')}>
                    {money(s.balance, s.currency)}
                  </td>
                  <td class="row-actions">
                    <button type="button" class="button small primary" disabled={busy} onClick={() => void record(s)}>
                      Record payout
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
