import type { Locale } from '@series/core';
import { checkApiUrl } from '../../lib/api-url';
import { hostPatterns, missingHostAccess, patternHost } from '../../lib/host-access';
import type { CheckoutState, ExtensionError, LibrarySeries, SessionInfo, UiInfo } from '../../lib/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { ask } from '../../lib/messaging';
import { errorText, t } from '../../lib/texts';

/** Each language's name in that language: a list of languages is read by people who may not read the current one. */
const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', fr: 'Français' };

/** The API address check's refusals (lib/api-url.ts) in words. */
const API_URL_TEXTS = {
  format: 'extension.popup.apiUrl.format',
  insecure: 'extension.popup.apiUrl.insecure',
  extra: 'extension.popup.apiUrl.extra',
} as const;

function ErrorLine({ error, text }: { error?: ExtensionError | null; text?: string | null }) {
  const shown = text ?? (error ? errorText(error) : null);
  return shown ? (
    <p class="error" role="alert" data-role="error" data-code={error?.code}>
      {shown}
    </p>
  ) : null;
}

function SignIn({ session, onSession }: { session: SessionInfo; onSession(s: SessionInfo): void }) {
  const [mode, setMode] = useState<'signIn' | 'signUp'>('signIn');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ExtensionError | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const answer = await ask({ type: mode, email, password });
    setBusy(false);
    if (answer.ok) onSession(answer.data);
    else setError(answer.error);
  };

  return (
    <section>
      {session.pendingUnlock && (
        <p class="notice" data-role="pending-unlock">
          {t('extension.popup.pendingUnlock')}
        </p>
      )}
      <div class="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={mode === 'signIn'} onClick={() => setMode('signIn')}>
          {t('extension.common.signIn')}
        </button>
        <button type="button" role="tab" aria-selected={mode === 'signUp'} onClick={() => setMode('signUp')}>
          {t('extension.popup.createAccount')}
        </button>
      </div>
      <form onSubmit={submit}>
        <label for="email">{t('extension.popup.email')}</label>
        <input
          id="email"
          name="email"
          type="email"
          autocomplete="email"
          required
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
        <label for="password">{t('extension.popup.password')}</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete={mode === 'signIn' ? 'current-password' : 'new-password'}
          minLength={mode === 'signUp' ? 10 : 1}
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <ErrorLine error={error} />
        {/* aria-disabled, not disabled: the button keeps the focus while the request runs. */}
        <button class="primary" type="submit" aria-disabled={busy || undefined} data-role="submit">
          {busy
            ? t('extension.popup.busy')
            : mode === 'signIn'
              ? t('extension.common.signIn')
              : t('extension.popup.createAccount')}
        </button>
      </form>
      {mode === 'signIn' && (
        // The Series site's own page (the API's origin): a link by mail, valid 30 minutes, sets a new password.
        <p class="forgot">
          <a href={`${session.apiUrl}/forgot-password`} target="_blank" rel="noopener noreferrer" data-role="forgot">
            {t('extension.popup.forgot')}
          </a>
        </p>
      )}
    </section>
  );
}

function Continued({ state }: { state: CheckoutState }) {
  if (state.phase === 'open') {
    return (
      <p class="success" data-role="checkout-opened" role="status">
        {t('extension.popup.checkoutOpened')}
      </p>
    );
  }
  if (state.phase === 'paid')
    return (
      <p class="success" role="status">
        {t('extension.popup.alreadyOwned')}
      </p>
    );
  if (state.phase === 'failed') return <ErrorLine error={state.error} />;
  return null;
}

function Library({ focus }: { focus: boolean }) {
  const [series, setSeries] = useState<LibrarySeries[] | null>(null);
  const [error, setError] = useState<ExtensionError | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    void ask({ type: 'library' }).then((answer) =>
      answer.ok ? setSeries(answer.data.series) : setError(answer.error),
    );
    // Signed in from the form, which is gone: the focus moves here rather than to nowhere.
    if (focus) heading.current?.focus();
  }, []);
  const open = (seriesId: string, episodeId?: string) =>
    void ask({ type: 'openPlayer', target: { seriesId, ...(episodeId ? { episodeId } : {}) } });
  return (
    <section data-role="library">
      <h2 ref={heading} tabIndex={-1}>
        {t('extension.popup.library')}
      </h2>
      <ErrorLine error={error} />
      {series === null && !error && <p class="muted">{t('extension.common.loading')}</p>}
      {series?.length === 0 && <p class="muted">{t('extension.popup.libraryEmpty')}</p>}
      {series && series.length > 0 && (
        <ul class="library">
          {series.map((s) => (
            <li key={s.seriesId} data-series-id={s.seriesId}>
              <button type="button" class="link" onClick={() => open(s.seriesId)}>
                {s.title}
              </button>{' '}
              <span class="muted">{t('extension.common.by', { name: s.creator.displayName })}</span>
              <div class="episodes">
                {s.wholeSeries && <span class="muted">{t('extension.popup.wholeSeries')}</span>}
                {s.episodes.map((e) => (
                  <button type="button" class="secondary" key={e.id} onClick={() => open(s.seriesId, e.id)}>
                    {e.number !== null
                      ? t('extension.popup.episodeShort', { number: e.number, title: e.title ?? '' })
                      : e.title}
                  </button>
                ))}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The UI language: the browser's unless the viewer picks one here (which WXT's browser.i18n could not do). */
function Language({ ui }: { ui: UiInfo | null }) {
  if (!ui) return null;
  const choose = (value: string) =>
    void ask({ type: 'setLocale', locale: value === 'auto' ? null : (value as Locale) });
  return (
    <div class="row language">
      <label for="language">{t('extension.popup.language')}</label>
      <select
        id="language"
        data-role="language"
        value={ui.choice ?? 'auto'}
        onChange={(e) => choose(e.currentTarget.value)}
      >
        <option value="auto">
          {t('extension.popup.languageAuto', { language: LANGUAGE_NAMES[ui.browserLocale] })}
        </option>
        {(Object.keys(LANGUAGE_NAMES) as Locale[]).map((locale) => (
          <option key={locale} value={locale} lang={locale}>
            {LANGUAGE_NAMES[locale]}
          </option>
        ))}
      </select>
    </div>
  );
}

function Settings({ session, onSession }: { session: SessionInfo; onSession(s: SessionInfo): void }) {
  const [value, setValue] = useState(session.apiUrl);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const save = async (raw: string) => {
    setError(null);
    setSaved(false);
    const parsed = checkApiUrl(raw);
    if (!parsed.ok) return setError(t(API_URL_TEXTS[parsed.code]));
    // A host other than the build's own needs the viewer's permission. Asked before any await, so the request
    // still counts as part of the click (Firefox insists); an already granted host resolves without a prompt.
    const origin = new URL(parsed.url).origin;
    const granted = await browser.permissions
      .request({ origins: hostPatterns(parsed.url).slice(1) })
      .catch(() => false);
    if (!granted) return setError(t('extension.popup.apiUrl.permission', { origin }));
    const answer = await ask({ type: 'setApiUrl', url: parsed.url });
    if (!answer.ok) return setError(errorText(answer.error));
    setValue(answer.data.apiUrl);
    setSaved(true);
    onSession(answer.data);
  };

  return (
    <details data-role="settings" open={session.apiUrl !== session.defaultApiUrl || undefined}>
      <summary>{t('extension.popup.api')}</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save(value);
        }}
      >
        <label for="api">{t('extension.popup.apiLabel')}</label>
        <div class="row">
          <input id="api" name="api" value={value} onInput={(e) => setValue(e.currentTarget.value)} />
          <button class="secondary" type="submit" data-role="save-api">
            {t('extension.popup.save')}
          </button>
        </div>
        {session.apiUrl !== session.defaultApiUrl && (
          <button type="button" class="link" onClick={() => void save(session.defaultApiUrl)}>
            {t('extension.popup.useDefault', { url: session.defaultApiUrl })}
          </button>
        )}
        <ErrorLine text={error} />
        {saved && (
          <p class="muted" data-role="api-saved" role="status">
            {t('extension.popup.apiSaved')}
          </p>
        )}
      </form>
    </details>
  );
}

/**
 * Asks for the host permissions Series cannot work without when the browser did not grant them at install
 * (Firefox may not): the button's click is the gesture `permissions.request` needs.
 */
function HostAccess({ apiUrl, locale }: { apiUrl: string; locale: Locale }) {
  const [missing, setMissing] = useState<string[]>([]);
  const [refused, setRefused] = useState(false);
  useEffect(() => {
    const check = () => void missingHostAccess(apiUrl).then(setMissing);
    check();
    browser.permissions.onAdded.addListener(check);
    browser.permissions.onRemoved.addListener(check);
    return () => {
      browser.permissions.onAdded.removeListener(check);
      browser.permissions.onRemoved.removeListener(check);
    };
  }, [apiUrl]);
  if (!missing.length) return null;
  const allow = async () => {
    const granted = await browser.permissions.request({ origins: missing }).catch(() => false);
    setRefused(!granted);
    setMissing(await missingHostAccess(apiUrl));
  };
  const hosts = new Intl.ListFormat(locale, { type: 'conjunction' }).format(missing.map(patternHost));
  return (
    <section class="access" data-role="host-access" aria-labelledby="access-title">
      <h2 id="access-title">{t('extension.popup.access.title')}</h2>
      <p>{t('extension.popup.access.body', { hosts })}</p>
      <button type="button" class="primary" data-role="allow-access" onClick={() => void allow()}>
        {t('extension.popup.access.allow')}
      </button>
      {refused && <ErrorLine text={t('extension.popup.access.refused')} />}
    </section>
  );
}

export function App({ ui }: { ui: UiInfo | null }) {
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [error, setError] = useState<ExtensionError | null>(null);
  const [signedInHere, setSignedInHere] = useState(false);
  useEffect(() => {
    void ask({ type: 'session' }).then((answer) => (answer.ok ? setSession(answer.data) : setError(answer.error)));
  }, []);
  const signOut = async () => {
    const answer = await ask({ type: 'signOut' });
    if (answer.ok) setSession(answer.data);
  };
  const signedIn = (next: SessionInfo) => {
    setSignedInHere(next.signedIn);
    setSession(next);
  };

  return (
    <main>
      <div class="top">
        <span class="brand">{t('extension.brand')}</span>
        {session?.signedIn && (
          <span>
            <span
              class="muted"
              data-role="account"
              title={t('extension.popup.account', { email: session.email ?? '' })}
            >
              {session.email}
            </span>{' '}
            <button type="button" class="link" onClick={signOut} data-role="sign-out">
              {t('extension.popup.signOut')}
            </button>
          </span>
        )}
      </div>
      {session && <HostAccess apiUrl={session.apiUrl} locale={ui?.locale ?? 'en'} />}
      <ErrorLine error={error} />
      {session && !session.signedIn && <SignIn session={session} onSession={signedIn} />}
      {session?.continued && <Continued state={session.continued} />}
      {session?.signedIn && <Library key={session.email} focus={signedInHere} />}
      <Language ui={ui} />
      {session && <Settings session={session} onSession={setSession} />}
    </main>
  );
}
