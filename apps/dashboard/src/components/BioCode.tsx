import { useState } from 'preact/hooks';
import { api, ApiFailure, request } from '../lib/api.js';
import { formatDateTime } from '../lib/format.js';
import { useResource } from '../lib/use-resource.js';
import { Async } from './states.js';

/**
 * The bio-code fallback, for a creator who cannot connect TikTok: a one-time code to put in the TikTok bio, which
 * an admin looks for and confirms. Shown while the claim is unverified.
 */
export function BioCodeCard() {
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
      setError(err instanceof ApiFailure ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="card" aria-labelledby="bio-code-title">
      <h2 id="bio-code-title">Verify with a bio code</h2>
      <Async resource={current} loadingLabel="Loading your bio code…">
        {({ bioCode }) =>
          bioCode ? (
            <>
              <p>Put this code anywhere in your TikTok bio, then tell us: an admin checks your profile.</p>
              <p>
                <code class="bio-code" data-testid="bio-code">
                  {bioCode.code}
                </code>
              </p>
              <p class="muted">
                Valid until {formatDateTime(bioCode.expiresAt)}. You can remove it once you are marked verified.
              </p>
              <button type="button" class="button small" disabled={busy} onClick={() => void getCode()}>
                Get a new code
              </button>
            </>
          ) : (
            <>
              <p>
                Can’t connect TikTok? Get a one-time code to put in your TikTok bio; once an admin sees it there, you
                are marked “verified by bio code”.
              </p>
              <button type="button" class="button" disabled={busy} onClick={() => void getCode()}>
                Get a bio code
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
