import { addCredentialsSchema } from '@series/core';
import { useState } from 'preact/hooks';
import { api, ApiFailure, request } from '../lib/api.js';
import { apiFieldErrors, fieldErrors, hasErrors, type FieldErrors } from '../lib/form.js';
import { useT } from '../lib/i18n.js';
import { useSession } from '../lib/session.js';
import { Field, fieldA11y, FormError } from './Field.js';

/**
 * An account made with "Continue with TikTok" has no email address: receipts and notices need one, and with a
 * password it can sign in without TikTok too. Shown until it adds one.
 */
export function AddEmailCard() {
  const t = useT();
  const { refresh } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    const body = password ? { email, password } : { email };
    const found = fieldErrors(addCredentialsSchema.safeParse(body));
    setErrors(found);
    if (hasErrors(found)) return;
    setBusy(true);
    try {
      await request(() => api.v1.me.credentials.$post({ json: body }));
      await refresh();
    } catch (err) {
      setErrors(err instanceof ApiFailure ? apiFieldErrors(err, ['email', 'password']) : { '': String(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="card" aria-labelledby="add-email-title">
      <h2 id="add-email-title">{t.t('dashboard.addEmail.title')}</h2>
      <p>{t.t('dashboard.addEmail.why')}</p>
      <form onSubmit={submit} noValidate aria-label={t.t('dashboard.addEmail.title')}>
        <Field id="add-email" label={t.t('dashboard.addEmail.email')} error={errors['email']}>
          <input
            {...fieldA11y('add-email', errors['email'])}
            type="email"
            autocomplete="email"
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </Field>
        <Field
          id="add-password"
          label={t.t('dashboard.addEmail.password')}
          error={errors['password']}
          hint={t.t('dashboard.addEmail.passwordHint')}
        >
          <input
            {...fieldA11y('add-password', errors['password'], true)}
            type="password"
            autocomplete="new-password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </Field>
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? t.t('dashboard.addEmail.saving') : t.t('dashboard.addEmail.add')}
        </button>
        <FormError message={errors['']} />
      </form>
    </div>
  );
}
