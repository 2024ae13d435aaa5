import { credentialsSchema, loginSchema } from '@series/core';
import { useState } from 'preact/hooks';
import { Field, fieldA11y, FormError } from '../../components/Field.js';
import { api, ApiFailure, request } from '../../lib/api.js';
import { useCommission } from '../../lib/commission.js';
import { useT } from '../../lib/i18n.js';
import { apiFieldErrors, fieldErrors, hasErrors, type FieldErrors } from '../../lib/form.js';
import { useSession } from '../../lib/session.js';

type Mode = 'signin' | 'signup';

/** Where "Continue with TikTok" goes: the worker's Login Kit start, back to this address (a path of ours). */
export function tiktokSignInHref(): string {
  const back = `${globalThis.location?.pathname ?? '/dashboard/'}${globalThis.location?.search ?? ''}`;
  return `/v1/auth/tiktok/start?${new URLSearchParams({ intent: 'signin', returnTo: back })}`;
}

/** Sign in or create an account. The API sets an HttpOnly session cookie; the page never sees the token. */
export default function SignIn() {
  const { refresh } = useSession();
  const t = useT();
  // The commission in force, from the API (public): never a figure written here that an admin's change would falsify.
  const bps = useCommission();
  const [mode, setMode] = useState<Mode>('signin');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    const body = { email, password };
    // Sign-up holds new passwords to the full rule; sign-in only needs something typed.
    const checked = fieldErrors((mode === 'signup' ? credentialsSchema : loginSchema).safeParse(body));
    setErrors(checked);
    if (hasErrors(checked)) return;
    setBusy(true);
    try {
      if (mode === 'signup') await request(() => api.v1.auth.signup.$post({ json: body }));
      else await request(() => api.v1.auth.login.$post({ json: body }));
      await refresh();
    } catch (err) {
      setErrors(err instanceof ApiFailure ? apiFieldErrors(err, ['email', 'password']) : { '': String(err) });
      setBusy(false);
    }
  }

  const switchTo = (next: Mode) => {
    setMode(next);
    setErrors({});
  };

  return (
    <main class="page page-center">
      <div class="card auth-card">
        <h1 class="brand-title">Series</h1>
        <p class="lead">
          {t.t('dashboard.signin.lead')}
          {bps !== null && ` ${t.t('dashboard.signin.keep', { percent: t.percentBps(10_000 - bps) })}`}
        </p>
        {/* TikTok's Login Kit signs in (or up) without a password; back to the page that was asked for. */}
        <a class="button wide" href={tiktokSignInHref()} data-testid="continue-with-tiktok">
          {t.t('dashboard.signin.tiktok')}
        </a>
        <p class="or muted">{t.t('dashboard.signin.or')}</p>
        <div class="tabs" role="tablist" aria-label={t.t('dashboard.signin.tabs')}>
          <button type="button" role="tab" aria-selected={mode === 'signin'} onClick={() => switchTo('signin')}>
            {t.t('dashboard.signin.signIn')}
          </button>
          <button type="button" role="tab" aria-selected={mode === 'signup'} onClick={() => switchTo('signup')}>
            {t.t('dashboard.signin.signUp')}
          </button>
        </div>
        <form
          onSubmit={submit}
          noValidate
          aria-label={t.t(mode === 'signin' ? 'dashboard.signin.signIn' : 'dashboard.signin.signUp')}
        >
          <Field id="email" label={t.t('dashboard.signin.email')} error={errors['email']}>
            <input
              {...fieldA11y('email', errors['email'])}
              type="email"
              name="email"
              autocomplete="email"
              value={email}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          </Field>
          <Field
            id="password"
            label={t.t('dashboard.signin.password')}
            error={errors['password']}
            hint={mode === 'signup' ? t.t('dashboard.signin.passwordHint') : undefined}
          >
            <input
              {...fieldA11y('password', errors['password'], mode === 'signup')}
              type="password"
              name="password"
              autocomplete={mode === 'signup' ? 'new-password' : 'current-password'}
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          </Field>
          <FormError message={errors['']} />
          <button type="submit" class="button primary wide" disabled={busy}>
            {busy
              ? t.t('dashboard.signin.wait')
              : t.t(mode === 'signin' ? 'dashboard.signin.signIn' : 'dashboard.signin.signUp')}
          </button>
          {mode === 'signin' && (
            <p class="forgot">
              {/* The worker's page (same origin): a link by mail, valid 30 minutes, sets a new password. */}
              <a href="/forgot-password">{t.t('dashboard.signin.forgot')}</a>
            </p>
          )}
        </form>
      </div>
    </main>
  );
}
