import { LOCALES, type Locale } from '@series/core';
import { useState } from 'preact/hooks';
import { Field, fieldA11y } from '../../components/Field.js';
import { Async } from '../../components/states.js';
import { api, ApiFailure, request } from '../../lib/api.js';
import { errorText, setDashboardLocale, useT } from '../../lib/i18n.js';
import { useMe, useSession } from '../../lib/session.js';
import { useResource } from '../../lib/use-resource.js';

const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', fr: 'Français' };

/**
 * The account: its address and verification, a change of address, the password, sign-in methods, devices signed
 * in (sign out one, or everywhere), the emails it gets, its data, and deletion with what it means. In English or
 * French (the switch here; the browser's language by default).
 */
export default function Account() {
  const t = useT();
  const me = useMe();
  return (
    <section class="account-page">
      <h1>{t.t('dashboard.account.title')}</h1>
      <Language />
      <EmailSection />
      <PasswordSection />
      <section aria-labelledby="signin-title">
        <h2 id="signin-title">{t.t('dashboard.account.signIn.title')}</h2>
        <p>{t.t('dashboard.account.signIn.password')}</p>
      </section>
      <Sessions />
      {me.creator && <Notices />}
      <section aria-labelledby="export-title">
        <h2 id="export-title">{t.t('dashboard.account.export.title')}</h2>
        <p>{t.t('dashboard.account.export.lead')}</p>
        <a class="button" href="/v1/me/export" download="series-data-export.json">
          {t.t('dashboard.account.export.action')}
        </a>
      </section>
      <DeleteAccount />
    </section>
  );
}

function Language() {
  const t = useT();
  return (
    <div class="field">
      <label for="account-language">{t.t('dashboard.language')}</label>
      <select
        id="account-language"
        value={t.locale}
        onChange={(e) => {
          const locale = e.currentTarget.value as Locale;
          setDashboardLocale(locale);
          // Mails follow the same language.
          void request(() => api.v1.me.locale.$put({ json: { locale } })).catch(() => undefined);
        }}
      >
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
    </div>
  );
}

function EmailSection() {
  const t = useT();
  const me = useMe();
  // An account signed in with TikTok alone may have no address yet: the form below adds one.
  const address = me.user.email ?? '';
  const [note, setNote] = useState<string | null>(null);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const resend = async () => {
    try {
      await request(() => api.v1.me.email.verification.$post());
      setNote(t.t('dashboard.account.sent', { email: address }));
    } catch (err) {
      setNote(err instanceof ApiFailure ? errorText(t, err) : String(err));
    }
  };
  const change = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      const { pending } = await request(() => api.v1.me.email.$put({ json: { email, password } }));
      setNote(t.t('dashboard.account.change.pending', { email: pending, current: address || '—' }));
      setEmail('');
      setPassword('');
    } catch (err) {
      const failure = err instanceof ApiFailure ? err : new ApiFailure(0, 'client_error', String(err));
      const field = failure.code === 'invalid_credentials' ? 'password' : failure.issues[0]?.path || 'email';
      setErrors({ [field]: errorText(t, failure) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="email-title">
      <h2 id="email-title">{t.t('dashboard.account.email')}</h2>
      {address && (
        <p>
          <strong>{address}</strong>{' '}
          {me.user.emailVerified ? (
            <span class="badge success">{t.t('dashboard.account.verified')}</span>
          ) : (
            <>
              {t.t('dashboard.account.unverified', { email: address })}{' '}
              <button type="button" class="button link" onClick={() => void resend()}>
                {t.t('dashboard.account.resend')}
              </button>
            </>
          )}
        </p>
      )}
      {note && (
        <p class="notice" role="status">
          {note}
        </p>
      )}
      <form onSubmit={change} noValidate aria-labelledby="email-change-title">
        <h3 id="email-change-title">{t.t('dashboard.account.change.title')}</h3>
        <Field id="new-email" label={t.t('dashboard.account.change.new')} error={errors['email']}>
          <input
            {...fieldA11y('new-email', errors['email'])}
            type="email"
            autocomplete="email"
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </Field>
        <Field id="email-password" label={t.t('dashboard.account.change.password')} error={errors['password']}>
          <input
            {...fieldA11y('email-password', errors['password'])}
            type="password"
            autocomplete="current-password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </Field>
        <button type="submit" class="button" disabled={busy}>
          {t.t('dashboard.account.change.submit')}
        </button>
      </form>
    </section>
  );
}

function PasswordSection() {
  const t = useT();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setErrors({});
    setDone(null);
    try {
      const res = await request(() =>
        api.v1.me.password.$put({ json: { currentPassword: current, newPassword: next } }),
      );
      setDone(t.plural('dashboard.account.password.done', res.revokedOtherSessions));
      setCurrent('');
      setNext('');
    } catch (err) {
      const failure = err instanceof ApiFailure ? err : new ApiFailure(0, 'client_error', String(err));
      const field = failure.code === 'invalid_credentials' ? 'currentPassword' : 'newPassword';
      setErrors({ [field]: errorText(t, failure) });
    }
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="password-title">
      <h2 id="password-title">{t.t('dashboard.account.password.title')}</h2>
      <Field id="current-password" label={t.t('dashboard.account.password.current')} error={errors['currentPassword']}>
        <input
          {...fieldA11y('current-password', errors['currentPassword'])}
          type="password"
          autocomplete="current-password"
          value={current}
          onInput={(e) => setCurrent(e.currentTarget.value)}
        />
      </Field>
      <Field
        id="new-password"
        label={t.t('dashboard.account.password.new')}
        error={errors['newPassword']}
        hint={t.t('dashboard.account.password.hint')}
      >
        <input
          {...fieldA11y('new-password', errors['newPassword'], true)}
          type="password"
          autocomplete="new-password"
          value={next}
          onInput={(e) => setNext(e.currentTarget.value)}
        />
      </Field>
      {done && (
        <p class="notice" role="status">
          {done}
        </p>
      )}
      <button type="submit" class="button">
        {t.t('dashboard.account.password.submit')}
      </button>
    </form>
  );
}

function Sessions() {
  const t = useT();
  const { signOut } = useSession();
  const sessions = useResource(() => request(() => api.v1.me.sessions.$get()), []);
  return (
    <section aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t.t('dashboard.account.sessions.title')}</h2>
      <Async resource={sessions}>
        {({ sessions: list }) => (
          <ul class="sessions">
            {list.map((s) => (
              <li key={s.id} data-session={s.id}>
                <span>
                  {s.userAgent ?? t.t('dashboard.account.sessions.unknown')}
                  {' · '}
                  {t.t('dashboard.account.sessions.since', { date: t.dateTime(s.createdAt) })}
                  {s.current && <strong> · {t.t('dashboard.account.sessions.this')}</strong>}
                </span>{' '}
                {!s.current && (
                  <button
                    type="button"
                    class="button link"
                    onClick={() =>
                      void request(() => api.v1.me.sessions[':id'].$delete({ param: { id: s.id } })).then(
                        sessions.reload,
                      )
                    }
                  >
                    {t.t('dashboard.account.sessions.signOut')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </Async>
      <button
        type="button"
        class="button"
        onClick={() => void request(() => api.v1.auth['logout-all'].$post()).finally(() => void signOut())}
      >
        {t.t('dashboard.account.sessions.everywhere')}
      </button>
    </section>
  );
}

function Notices() {
  const t = useT();
  const settings = useResource(() => request(() => api.v1.me.notifications.$get()), []);
  return (
    <section aria-labelledby="notices-title">
      <h2 id="notices-title">{t.t('dashboard.account.notices.title')}</h2>
      <p>{t.t('dashboard.account.notices.always')}</p>
      <Async resource={settings}>
        {({ dailySummary }) => (
          <label class="checkbox">
            <input
              type="checkbox"
              checked={dailySummary}
              onChange={(e) =>
                void request(() =>
                  api.v1.me.notifications.$put({ json: { dailySummary: e.currentTarget.checked } }),
                ).then(settings.reload)
              }
            />{' '}
            {t.t('dashboard.account.notices.daily')}
          </label>
        )}
      </Async>
    </section>
  );
}

function DeleteAccount() {
  const t = useT();
  const { signOut } = useSession();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      await request(() => api.v1.me.$delete({ json: { password } }));
      await signOut();
    } catch (err) {
      setError(err instanceof ApiFailure ? errorText(t, err) : String(err));
    }
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="delete-title" class="danger-zone">
      <h2 id="delete-title">{t.t('dashboard.account.delete.title')}</h2>
      <p>{t.t('dashboard.account.delete.lead')}</p>
      <Field id="delete-password" label={t.t('dashboard.account.delete.password')} error={error}>
        <input
          {...fieldA11y('delete-password', error)}
          type="password"
          autocomplete="current-password"
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
      </Field>
      <button type="submit" class="button danger">
        {t.t('dashboard.account.delete.submit')}
      </button>
    </form>
  );
}
