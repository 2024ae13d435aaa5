import { commissionSchema } from '@series/core';
import { useState } from 'preact/hooks';
import { Field, fieldA11y, FormError } from '../../components/Field.js';
import { Async } from '../../components/states.js';
import { api, ApiFailure, request } from '../../lib/api.js';
import { formatDateTime, percentFromBps } from '../../lib/format.js';
import { apiFieldErrors, fieldErrors, hasErrors, type FieldErrors } from '../../lib/form.js';
import { useResource } from '../../lib/use-resource.js';

/** "12.5" (percent) → 1250 basis points; anything else → NaN, which the schema words for the admin. */
export function bpsFromPercentInput(text: string): number {
  const t = text.trim().replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(t) ? Math.round(Number(t) * 100 * 1e6) / 1e6 : Number.NaN;
}

/** The platform commission. Changing it never touches past purchases: each keeps the rate it was sold at. */
export function CommissionPanel({ onChanged }: { onChanged: () => void }) {
  const current = useResource(() => request(() => api.v1.admin.commission.$get()), []);
  const [value, setValue] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    const body = { bps: bpsFromPercentInput(value) };
    const found = fieldErrors(commissionSchema.safeParse(body));
    if (found['bps']) found['commission'] = found['bps'];
    delete found['bps'];
    // The rate already in force: nothing to save (and nothing for the audit log).
    if (!found['commission'] && current.data && body.bps === current.data.bps) {
      found['commission'] = `The commission is already ${percentFromBps(body.bps)}: nothing to change.`;
    }
    setErrors(found);
    if (hasErrors(found)) return;
    if (!confirm(`Set the platform commission to ${percentFromBps(body.bps)} for purchases started from now on?`))
      return;
    setBusy(true);
    try {
      await request(() => api.v1.admin.commission.$put({ json: body }));
      setValue('');
      current.reload();
      onChanged();
    } catch (err) {
      setErrors(err instanceof ApiFailure ? apiFieldErrors(err, []) : { '': String(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="card">
      <h2>Platform commission</h2>
      <Async resource={current} loadingLabel="Loading the commission…">
        {({ bps, history }) => (
          <>
            <p>
              Now: <strong>{percentFromBps(bps)}</strong> — creators receive {percentFromBps(10_000 - bps)} of each
              sale.
            </p>
            <p class="notice warning" role="note">
              A new rate applies to <strong>future purchases only</strong>: to checkouts started after you save it.
              Every past purchase, and every checkout already open, keeps the rate it started with.
            </p>
            <form onSubmit={submit} noValidate aria-label="Change the commission" class="inline-form">
              <Field
                id="commission"
                label="New commission (%)"
                error={errors['commission']}
                hint="0 to 100, up to two decimals (basis points)."
              >
                <input
                  {...fieldA11y('commission', errors['commission'], true)}
                  inputMode="decimal"
                  value={value}
                  onInput={(e) => setValue(e.currentTarget.value)}
                />
              </Field>
              <button type="submit" class="button primary" disabled={busy}>
                {busy ? 'Saving…' : 'Set commission'}
              </button>
            </form>
            <FormError message={errors['']} />
            {history.length > 1 && (
              <details>
                <summary>History</summary>
                <ul>
                  {history.map((h) => (
                    <li key={h.effectiveAt}>
                      {percentFromBps(h.bps)} from {formatDateTime(h.effectiveAt)}
                    </li>
                  ))}
                </ul>
              </details>
            )}
          </>
        )}
      </Async>
    </div>
  );
}
