import { useState } from 'preact/hooks';
import { api, ApiFailure, request } from '../lib/api.js';
import { errorText, useT } from '../lib/i18n.js';
import { useResource } from '../lib/use-resource.js';
import { Async } from './states.js';

/**
 * The bio-code fallback, for a creator who cannot connect TikTok: a one-time code to put in the TikTok bio, which
 * an admin looks for and confirms. Shown while the claim is unverified.
 */
export function BioCodeCard() {
  const t = useT();
  const current = useResource(() => request(() => api.v1.me['bio-code'].$get()), []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function getCode() {
    setBusy(true);
    setError(null);
    try {
      await request(() => api.v1.me['bio-code'].$post());
      current.reload();
    } catch (err) {
      setError(err instanceof ApiFailure ? errorText(t, err) : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="card" aria-labelledby="bio-code-title">
      <h2 id="bio-code-title">{t.t('dashboard.bioCode.title')}</h2>
      <Async resource={current} loadingLabel={t.t('dashboard.bioCode.loading')}>
        {({ bioCode }) =>
          bioCode ? (
            <>
              <p>{t.t('dashboard.bioCode.put')}</p>
              <p>
                <code class="bio-code" data-testid="bio-code">
                  {bioCode.code}
                </code>
              </p>
              <p class="muted">{t.t('dashboard.bioCode.valid', { date: t.dateTime(bioCode.expiresAt) })}</p>
              <button type="button" class="button small" disabled={busy} onClick={() => void getCode()}>
                {t.t('dashboard.bioCode.newCode')}
              </button>
            </>
          ) : (
            <>
              <p>{t.t('dashboard.bioCode.why')}</p>
              <button type="button" class="button" disabled={busy} onClick={() => void getCode()}>
                {t.t('dashboard.bioCode.get')}
              </button>
            </>
          )
        }
      </Async>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
