import { apiUrlSchema, type CheckoutState, type ExtensionError, type LibrarySeries, type SessionInfo } from '../../lib/protocol';
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { ask } from '../../lib/messaging';

function ErrorLine({ error }: { error: ExtensionError | null }) {
  return error ? (
    <p class="error" role="alert" data-role="error" data-code={error.code}>
      {error.message}
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
          Sign in to finish unlocking: the checkout opens right after.
        </p>
      )}
      <div class="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={mode === 'signIn'} onClick={() => setMode('signIn')}>
          Sign in
        </button>
        <button type="button" role="tab" aria-selected={mode === 'signUp'} onClick={() => setMode('signUp')}>
          Create account
        </button>
      </div>
      <form onSubmit={submit}>
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <label for="password">Password</label>
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
        <button class="primary" type="submit" disabled={busy} data-role="submit">
          {busy ? 'One moment…' : mode === 'signIn' ? 'Sign in' : 'Create account'}
        </button>
      </form>
    </section>
  );
}

function Continued({ state }: { state: CheckoutState }) {
  if (state.phase === 'open') {
    return (
      <p class="success" data-role="checkout-opened">
        Checkout opened in a new tab. After paying, the episode unlocks on the page by itself.
      </p>
    );
  }
  if (state.phase === 'paid') return <p class="success">You already own it: press Watch on the page.</p>;
  if (state.phase === 'failed') return <ErrorLine error={state.error} />;
  return null;
}

function Library() {
  const [series, setSeries] = useState<LibrarySeries[] | null>(null);
  const [error, setError] = useState<ExtensionError | null>(null);
  useEffect(() => {
    void ask({ type: 'library' }).then((answer) => (answer.ok ? setSeries(answer.data.series) : setError(answer.error)));
  }, []);
  const open = (seriesId: string, episodeId?: string) =>
    void ask({ type: 'openPlayer', target: { seriesId, ...(episodeId ? { episodeId } : {}) } });
  return (
    <section data-role="library">
      <h2>My series</h2>
      <ErrorLine error={error} />
      {series === null && !error && <p class="muted">Loading…</p>}
      {series?.length === 0 && <p class="muted">Nothing bought yet. Unlock an episode on a creator’s video to start.</p>}
      {series && series.length > 0 && (
        <ul class="library">
          {series.map((s) => (
            <li key={s.seriesId} data-series-id={s.seriesId}>
              <button type="button" class="link" onClick={() => open(s.seriesId)}>
                {s.title}
              </button>{' '}
              <span class="muted">by {s.creator.displayName}</span>
              <div class="episodes">
                {s.wholeSeries && <span class="muted">Whole series</span>}
                {s.episodes.map((e) => (
                  <button type="button" class="secondary" key={e.id} onClick={() => open(s.seriesId, e.id)}>
                    ▶ {e.number !== null ? `Ep. ${e.number}` : e.title}
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

function Settings({ session, onSession }: { session: SessionInfo; onSession(s: SessionInfo): void }) {
  const [value, setValue] = useState(session.apiUrl);
  const [error, setError] = useState<ExtensionError | null>(null);
  const [saved, setSaved] = useState(false);

  const save = async (raw: string) => {
    setError(null);
    setSaved(false);
    const parsed = apiUrlSchema.safeParse(raw);
    if (!parsed.success) return setError({ code: 'invalid_request', message: parsed.error.issues[0]?.message ?? 'Invalid address' });
    // A host other than the build's own needs the viewer's permission. Asked before any await, so the request
    // still counts as part of the click (Firefox insists); an already granted host resolves without a prompt.
    const origin = new URL(parsed.data).origin;
    const granted = await browser.permissions.request({ origins: [`${origin}/*`] }).catch(() => false);
    if (!granted) return setError({ code: 'forbidden', message: `Series needs your permission to reach ${origin}` });
    const answer = await ask({ type: 'setApiUrl', url: parsed.data });
    if (!answer.ok) return setError(answer.error);
    setValue(answer.data.apiUrl);
    setSaved(true);
    onSession(answer.data);
  };

  return (
    <details data-role="settings" open={session.apiUrl !== session.defaultApiUrl || undefined}>
      <summary>API address</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save(value);
        }}
      >
        <label for="api">Where Series runs</label>
        <div class="row">
          <input id="api" name="api" value={value} onInput={(e) => setValue(e.currentTarget.value)} />
          <button class="secondary" type="submit" data-role="save-api">
            Save
          </button>
        </div>
        {session.apiUrl !== session.defaultApiUrl && (
          <button type="button" class="link" onClick={() => void save(session.defaultApiUrl)}>
            Use the default ({session.defaultApiUrl})
          </button>
        )}
        <ErrorLine error={error} />
        {saved && <p class="muted" data-role="api-saved">Saved. Changing the address signs you out.</p>}
      </form>
    </details>
  );
}

export function App() {
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [error, setError] = useState<ExtensionError | null>(null);
  useEffect(() => {
    void ask({ type: 'session' }).then((answer) => (answer.ok ? setSession(answer.data) : setError(answer.error)));
  }, []);
  const signOut = async () => {
    const answer = await ask({ type: 'signOut' });
    if (answer.ok) setSession(answer.data);
  };

  return (
    <main>
      <div class="top">
        <span class="brand">▶ Series</span>
        {session?.signedIn && (
          <span>
            <span class="muted" data-role="account">
              {session.email}
            </span>{' '}
            <button type="button" class="link" onClick={signOut} data-role="sign-out">
              Sign out
            </button>
          </span>
        )}
      </div>
      <ErrorLine error={error} />
      {session && !session.signedIn && <SignIn session={session} onSession={setSession} />}
      {session?.continued && <Continued state={session.continued} />}
      {session?.signedIn && <Library key={session.email} />}
      {session && <Settings session={session} onSession={setSession} />}
    </main>
  );
}
