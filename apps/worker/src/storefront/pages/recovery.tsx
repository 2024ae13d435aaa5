import type { Translator } from '@series/core';
import type { Child } from 'hono/jsx';
import { Layout } from '../layout.js';

/** The pages the links in account mails open; private (noindex, never cached), plain forms that work without JS. */
function RecoveryLayout(props: { t: Translator; path: string; title: string; children: Child }) {
  return (
    <Layout
      t={props.t}
      path={props.path}
      meta={{ title: `${props.title} · Series`, description: props.title, url: props.path, noindex: true }}
      data={{ page: 'recovery' }}
    >
      <h1>{props.title}</h1>
      {props.children}
    </Layout>
  );
}

const Onward = ({ t }: { t: Translator }) => (
  <p class="actions">
    <a class="btn" href="/library">
      {t.t('recover.toLibrary')}
    </a>{' '}
    <a class="btn secondary" href="/dashboard/">
      {t.t('recover.toDashboard')}
    </a>
  </p>
);

export function ForgotPasswordPage(props: { t: Translator; email?: string; error?: string; sentTo?: string }) {
  const { t } = props;
  if (props.sentTo) {
    return (
      <RecoveryLayout t={t} path="/forgot-password" title={t.t('recover.forgot.title')}>
        <p role="status" id="recover-sent">
          {t.t('recover.forgot.sent', { email: props.sentTo })}
        </p>
      </RecoveryLayout>
    );
  }
  return (
    <RecoveryLayout t={t} path="/forgot-password" title={t.t('recover.forgot.title')}>
      <p>{t.t('recover.forgot.lead')}</p>
      <form method="post" action="/forgot-password" novalidate>
        <label for="recover-email">{t.t('auth.email')}</label>
        <input
          id="recover-email"
          name="email"
          type="email"
          autocomplete="email"
          inputmode="email"
          required
          value={props.email ?? ''}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={props.error ? 'recover-error' : undefined}
        />
        {props.error && (
          <p id="recover-error" class="field-error" role="alert">
            {props.error}
          </p>
        )}
        <p class="actions">
          <button type="submit" class="btn wide">
            {t.t('recover.forgot.submit')}
          </button>
        </p>
      </form>
    </RecoveryLayout>
  );
}

export function ResetPasswordPage(props: { t: Translator; token: string; email: string; error?: string }) {
  const { t } = props;
  return (
    <RecoveryLayout t={t} path="/reset-password" title={t.t('recover.reset.title')}>
      <p>{t.t('recover.reset.lead', { email: props.email })}</p>
      <form method="post" action="/reset-password" novalidate>
        <input type="hidden" name="token" value={props.token} />
        {/* For password managers: the account the new password belongs to. */}
        <input type="hidden" name="username" autocomplete="username" value={props.email} />
        <label for="recover-password">{t.t('recover.reset.password')}</label>
        <input
          id="recover-password"
          name="password"
          type="password"
          autocomplete="new-password"
          required
          minlength={10}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={props.error ? 'recover-hint recover-error' : 'recover-hint'}
        />
        <p id="recover-hint" class="note">
          {t.t('auth.passwordHint')}
        </p>
        {props.error && (
          <p id="recover-error" class="field-error" role="alert">
            {props.error}
          </p>
        )}
        <p class="actions">
          <button type="submit" class="btn wide">
            {t.t('recover.reset.submit')}
          </button>
        </p>
      </form>
    </RecoveryLayout>
  );
}

export function PasswordChangedPage({ t }: { t: Translator }) {
  return (
    <RecoveryLayout t={t} path="/reset-password" title={t.t('recover.reset.done.title')}>
      <p role="status" id="recover-done">
        {t.t('recover.reset.done.lead')}
      </p>
      <Onward t={t} />
    </RecoveryLayout>
  );
}

export function EmailVerifiedPage({ t, email }: { t: Translator; email: string }) {
  return (
    <RecoveryLayout t={t} path="/verify-email" title={t.t('recover.verify.done.title')}>
      <p role="status" id="recover-done">
        {t.t('recover.verify.done.lead', { email })}
      </p>
      <Onward t={t} />
    </RecoveryLayout>
  );
}

/** Expired, used, forged or superseded: one page, with the way to a new link. */
export function LinkInvalidPage({ t, path, message }: { t: Translator; path: string; message?: string }) {
  return (
    <RecoveryLayout t={t} path={path} title={t.t('recover.invalid.title')}>
      <p id="recover-invalid">{message ?? t.t('recover.invalid.lead')}</p>
      <p class="actions">
        <a class="btn" href={path === '/reset-password' ? '/forgot-password' : '/library'}>
          {path === '/reset-password' ? t.t('recover.invalid.again') : t.t('recover.toLibrary')}
        </a>
      </p>
    </RecoveryLayout>
  );
}
