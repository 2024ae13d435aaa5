import { commissionSchema } from '@series/core';
import { useState } from 'preact/hooks';
import { Field, fieldA11y, FormError } from '../../components/Field.js';
import { Async } from '../../components/states.js';
import { api, ApiFailure, request } from '../../lib/api.js';
import { useT } from '../../lib/i18n.js';
import { apiFieldErrors, fieldErrors, hasErrors, type FieldErrors } from '../../lib/form.js';
import { useResource } from '../../lib/use-resource.js';

/** "12.5" (percent) → 1250 basis points; anything else → NaN, which the schema words for the admin. */
export function bpsFromPercentInput(text: string): number {
  const t = text.trim().replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(t) ? Math.round(Number(t) * 100 * 1e6) / 1e6 : Number.NaN;
}

/** The platform commission. Changing it never touches past purchases: each keeps the rate it was sold at. */
export function CommissionPanel({ onChanged }: { onChanged: () => void }) {
  const t = useT();
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
      found['commission'] = t.t('dashboard.admin.commission.same', { percent: t.percentBps(body.bps) });
    }
    setErrors(found);
    if (hasErrors(found)) return;
    if (!confirm(t.t('dashboard.admin.commission.confirm', { percent: t.percentBps(body.bps) }))) return;
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
      <h2>{t.t('dashboard.admin.commission.title')}</h2>
      <Async resource={current} loadingLabel={t.t('dashboard.admin.commission.loading')}>
        {({ bps, history }) => (
          <>
            <p>
              {t.t('dashboard.admin.commission.now')} <strong>{t.percentBps(bps)}</strong>{' '}
              {t.t('dashboard.admin.commission.creatorsGet', { keep: t.percentBps(10_000 - bps) })}
            </p>
            <p class="notice warning" role="note">
              {t.t('dashboard.admin.commission.futureOnly')}
            </p>
            <form onSubmit={submit} noValidate aria-label={t.t('dashboard.admin.commission.form')} class="inline-form">
              <Field
                id="commission"
                label={t.t('dashboard.admin.commission.label')}
                error={errors['commission']}
                hint={t.t('dashboard.admin.commission.hint')}
              >
                <input
                  {...fieldA11y('commission', errors['commission'], true)}
                  inputMode="decimal"
                  value={value}
                  onInput={(e) => setValue(e.currentTarget.value)}
                />
              </Field>
              <button type="submit" class="button primary" disabled={busy}>
                {busy ? t.t('dashboard.admin.commission.saving') : t.t('dashboard.admin.commission.set')}
              </button>
            </form>
            <FormError message={errors['']} />
            {history.length > 1 && (
              <details>
                <summary>{t.t('dashboard.admin.commission.history')}</summary>
                <ul>
                  {history.map((h) => (
                    <li key={h.effectiveAt}>
                      {t.t('dashboard.admin.commission.from', {
                        percent: t.percentBps(h.bps),
                        date: t.dateTime(h.effectiveAt),
                      })}
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
