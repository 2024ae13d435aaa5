import { useState } from 'preact/hooks';
import { Field, fieldA11y, FormError } from '../../components/Field.js';
import { Async } from '../../components/states.js';
import { api, ApiFailure, request } from '../../lib/api.js';
import { errorText, useT } from '../../lib/i18n.js';
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
  const t = useT();
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
      setError(err instanceof ApiFailure ? errorText(t, err) : String(err));
      return null;
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="card" aria-labelledby="verification-title">
      <h2 id="verification-title">{t.t('dashboard.verification.title')}</h2>
      <Async resource={current} loadingLabel={t.t('dashboard.verification.loading')}>
        {({ settings }) => (
          <>
            <form
              class="inline-form"
              aria-label={t.t('dashboard.verification.criteria')}
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                void save({
                  minFollowers: countFromInput(followers ?? String(settings.minFollowers)),
                  minVideos: countFromInput(videos ?? String(settings.minVideos)),
                });
              }}
            >
              <Field
                id="min-followers"
                label={t.t('dashboard.verification.minFollowers')}
                hint={t.t('dashboard.verification.minFollowersHint', { count: t.number(10_000) })}
              >
                <input
                  {...fieldA11y('min-followers', undefined, true)}
                  inputMode="numeric"
                  value={followers ?? String(settings.minFollowers)}
                  onInput={(e) => setFollowers(e.currentTarget.value)}
                />
              </Field>
              <Field id="min-videos" label={t.t('dashboard.verification.minVideos')}>
                <input
                  {...fieldA11y('min-videos')}
                  inputMode="numeric"
                  value={videos ?? String(settings.minVideos)}
                  onInput={(e) => setVideos(e.currentTarget.value)}
                />
              </Field>
              <button type="submit" class="button" disabled={busy}>
                {t.t('dashboard.verification.save')}
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
                {t.t('dashboard.verification.autoApprove')}
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
                    if (on && !confirm(t.t('dashboard.verification.requireConfirm'))) {
                      e.currentTarget.checked = false;
                      return;
                    }
                    void save({ requireVerification: on });
                  }}
                />{' '}
                {t.t('dashboard.verification.require')}
              </label>
            </p>
            {!settings.requireVerification && <p class="muted">{t.t('dashboard.verification.grandfathered')}</p>}
            {settings.updatedAt && (
              <p class="muted">{t.t('dashboard.verification.changed', { date: t.dateTime(settings.updatedAt) })}</p>
            )}
            <FormError message={error} />
          </>
        )}
      </Async>
    </div>
  );
}
