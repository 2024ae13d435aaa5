import { useState } from 'preact/hooks';
import { Field, fieldA11y, FormError } from '../../components/Field.js';
import { Async } from '../../components/states.js';
import { api, ApiFailure, request } from '../../lib/api.js';
import { formatDateTime } from '../../lib/format.js';
import { useResource } from '../../lib/use-resource.js';

/** A whole count typed by the admin ("10,000" too); NaN otherwise, which the worker refuses. */
export function countFromInput(text: string): number {
  const t = text.trim().replace(/[\s,.\u202f\u00a0]/g, '');
  return /^\d+$/.test(t) ? Number(t) : Number.NaN;
}

/**
 * The verification settings: the criteria shown beside each claim, automatic approval of TikTok-verified claims
 * that meet them, and whether selling needs a verified handle.
 */
export function VerificationPanel({ onChanged }: { onChanged: () => void }) {
  const current = useResource(() => request(() => api.v1.admin.verification.$get()), []);
  const [followers, setFollowers] = useState<string | null>(null);
  const [videos, setVideos] = useState<string | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function save(body: {
    minFollowers?: number;
    minVideos?: number;
    autoApprove?: boolean;
    requireVerification?: boolean;
  }) {
    setBusy(true);
    setError(undefined);
    try {
      const res = await request(() => api.v1.admin.verification.$put({ json: body }));
      setFollowers(null);
      setVideos(null);
      current.reload();
      onChanged();
      return res;
    } catch (err) {
      setError(err instanceof ApiFailure ? err.message : String(err));
      return null;
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="card" aria-labelledby="verification-title">
      <h2 id="verification-title">Verification</h2>
      <Async resource={current} loadingLabel="Loading the verification settings…">
        {({ settings }) => (
          <>
            <form
              class="inline-form"
              aria-label="Criteria"
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                void save({
                  minFollowers: countFromInput(followers ?? String(settings.minFollowers)),
                  minVideos: countFromInput(videos ?? String(settings.minVideos)),
                });
              }}
            >
              <Field id="min-followers" label="At least this many followers" hint="TikTok asks 10,000 for its Series.">
                <input
                  {...fieldA11y('min-followers', undefined, true)}
                  inputMode="numeric"
                  value={followers ?? String(settings.minFollowers)}
                  onInput={(e) => setFollowers(e.currentTarget.value)}
                />
              </Field>
              <Field id="min-videos" label="At least this many videos">
                <input
                  {...fieldA11y('min-videos')}
                  inputMode="numeric"
                  value={videos ?? String(settings.minVideos)}
                  onInput={(e) => setVideos(e.currentTarget.value)}
                />
              </Field>
              <button type="submit" class="button" disabled={busy}>
                Save criteria
              </button>
            </form>
            <p>
              <label>
                <input
                  type="checkbox"
                  checked={settings.autoApprove}
                  disabled={busy}
                  onChange={(e) => void save({ autoApprove: e.currentTarget.checked })}
                />{' '}
                Approve a creator verified with TikTok at once when they meet the criteria
              </label>
            </p>
            <p>
              <label>
                <input
                  type="checkbox"
                  checked={settings.requireVerification}
                  disabled={busy}
                  onChange={(e) => {
                    const on = e.currentTarget.checked;
                    if (
                      on &&
                      !confirm(
                        'Require verification to sell? Approved creators who have not verified their handle go off sale now, until they connect TikTok or you confirm their bio code.',
                      )
                    ) {
                      e.currentTarget.checked = false;
                      return;
                    }
                    void save({ requireVerification: on });
                  }}
                />{' '}
                Only verified creators sell (TikTok or bio code)
              </label>
            </p>
            {!settings.requireVerification && (
              <p class="muted">Creators from before verification keep selling, marked unverified.</p>
            )}
            {settings.updatedAt && <p class="muted">Last changed {formatDateTime(settings.updatedAt)}.</p>}
            <FormError message={error} />
          </>
        )}
      </Async>
    </div>
  );
}
