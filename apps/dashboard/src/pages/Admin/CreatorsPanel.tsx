import type { CreatorStatus } from '@series/core';
import { cell, DataTable } from '../../components/DataTable.js';
import { useState } from 'preact/hooks';
import { Async, Empty } from '../../components/states.js';
import { api, ApiFailure, request } from '../../lib/api.js';
import { errorText, useT } from '../../lib/i18n.js';
import { rolloutText } from '../../lib/rollout.js';
import { useResource } from '../../lib/use-resource.js';

type Filter = CreatorStatus | 'all';

/** A claim that ended (rejected, expired): nothing left to approve, suspend or reject. */
const ended = (status: CreatorStatus) => status === 'rejected' || status === 'expired' || status === 'displaced';

/** The rollout: creators waiting for approval first; approve, suspend or reject each. */
export function CreatorsPanel({ onChanged }: { onChanged: () => void }) {
  const t = useT();
  const col = {
    handle: t.t('dashboard.admin.creators.col.handle'),
    name: t.t('dashboard.admin.creators.col.name'),
    email: t.t('dashboard.admin.creators.col.email'),
    verified: t.t('dashboard.admin.creators.col.verified'),
    status: t.t('dashboard.admin.creators.col.status'),
    actions: t.t('dashboard.admin.creators.col.actions'),
  };
  const [filter, setFilter] = useState<Filter>('pending');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const creators = useResource(
    () => request(() => api.v1.admin.creators.$get({ query: filter === 'all' ? {} : { status: filter } })),
    [filter],
  );

  async function confirmBioCode(handle: string, expected: string) {
    const seen = prompt(t.t('dashboard.admin.creators.bioPrompt', { handle, code: expected }));
    if (!seen) return;
    setBusy(handle);
    setError(null);
    try {
      await request(() =>
        api.v1.admin.creators[':handle']['confirm-bio-code'].$post({ param: { handle }, json: { code: seen } }),
      );
      creators.reload();
      onChanged();
    } catch (err) {
      setError(err instanceof ApiFailure ? errorText(t, err) : String(err));
    } finally {
      setBusy(null);
    }
  }

  async function act(handle: string, action: 'approve' | 'suspend' | 'reject') {
    if (action === 'suspend' && !confirm(t.t('dashboard.admin.creators.suspendConfirm', { handle }))) return;
    if (action === 'reject' && !confirm(t.t('dashboard.admin.creators.rejectConfirm', { handle }))) return;
    setBusy(handle);
    setError(null);
    try {
      const param = { param: { handle } };
      await request(() =>
        action === 'approve'
          ? api.v1.admin.creators[':handle'].approve.$post(param)
          : action === 'suspend'
            ? api.v1.admin.creators[':handle'].suspend.$post(param)
            : api.v1.admin.creators[':handle'].reject.$post(param),
      );
      creators.reload();
      onChanged();
    } catch (err) {
      setError(err instanceof ApiFailure ? errorText(t, err) : String(err));
    } finally {
      setBusy(null);
    }
  }

  return (
    <div class="card">
      <div class="card-head">
        <h2>{t.t('dashboard.admin.creators.title')}</h2>
        <label class="filter">
          {t.t('dashboard.admin.creators.show')}
          <select value={filter} onChange={(e) => setFilter(e.currentTarget.value as Filter)}>
            {(['pending', 'approved', 'suspended', 'rejected', 'expired'] as const).map((s) => (
              <option key={s} value={s}>
                {rolloutText(t, s).label}
              </option>
            ))}
            <option value="displaced">{t.t('dashboard.admin.creators.filter.displaced')}</option>
            <option value="all">{t.t('dashboard.admin.creators.filter.all')}</option>
          </select>
        </label>
      </div>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <Async resource={creators} loadingLabel={t.t('dashboard.admin.creators.loading')}>
        {({ creators: list, criteria }) => (
          <>
            <p class="muted" data-testid="criteria">
              {criteria.minVideos > 0
                ? t.t('dashboard.admin.creators.criteriaVideos', {
                    followers: t.number(criteria.minFollowers),
                    videos: t.number(criteria.minVideos),
                  })
                : t.t('dashboard.admin.creators.criteria', { followers: t.number(criteria.minFollowers) })}{' '}
              {criteria.autoApprove
                ? t.t('dashboard.admin.creators.autoApprove')
                : t.t('dashboard.admin.creators.manual')}
            </p>
            {list.length === 0 ? (
              <Empty
                title={
                  filter === 'pending'
                    ? t.t('dashboard.admin.creators.nobodyWaiting')
                    : t.t('dashboard.admin.creators.none')
                }
              />
            ) : (
              <DataTable
                caption={t.t('dashboard.admin.creators.title')}
                hideCaption
                stacked
                columns={[col.handle, col.name, col.email, col.verified, col.status, col.actions]}
              >
                {list.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">@{c.handle}</th>
                    <td {...cell(col.name)}>{c.displayName}</td>
                    <td {...cell(col.email)}>
                      {c.email ?? <span class="muted">{t.t('dashboard.admin.creators.noEmail')}</span>}
                    </td>
                    <td {...cell(col.verified)}>
                      {c.verifiedBy === 'tiktok' && <span class="badge success">TikTok</span>}
                      {c.verifiedBy === 'bio_code' && (
                        <span class="badge success">{t.t('dashboard.admin.creators.bioCode')}</span>
                      )}
                      {c.verifiedBy === null && <span class="badge">{t.t('dashboard.admin.creators.unverified')}</span>}
                      {c.tiktok && (
                        <span class="block">
                          @{c.tiktok.username ?? '…'}
                          {c.tiktok.isVerified && ' ✓'} ·{' '}
                          {c.tiktok.followerCount === null
                            ? t.t('dashboard.admin.creators.followersHidden')
                            : t.plural('dashboard.admin.creators.followers', c.tiktok.followerCount)}
                          {c.tiktok.videoCount !== null &&
                            ` · ${t.plural('dashboard.admin.creators.videos', c.tiktok.videoCount)}`}
                          <span class="muted block">
                            {t.t('dashboard.admin.creators.checked', { date: t.dateTime(c.tiktok.checkedAt) })}
                          </span>
                        </span>
                      )}
                      <span class={`block ${c.meetsCriteria ? 'meets' : 'muted'}`}>
                        {c.meetsCriteria
                          ? t.t('dashboard.admin.creators.meets')
                          : t.t('dashboard.admin.creators.below')}
                      </span>
                      {c.bioCode && (
                        <span class="block">
                          {t.t('dashboard.admin.creators.bioGiven')} <code>{c.bioCode.code}</code>
                        </span>
                      )}
                    </td>
                    <td {...cell(col.status)}>
                      <span class={`badge ${rolloutText(t, c.status).tone}`}>{rolloutText(t, c.status).label}</span>
                      <span class="muted block">
                        {t.t('dashboard.admin.creators.since', { date: t.dateTime(c.statusChangedAt) })}
                      </span>
                    </td>
                    <td class="row-actions" {...cell(col.actions)}>
                      {c.status !== 'approved' && !ended(c.status) && (
                        <button
                          type="button"
                          class="button small primary"
                          disabled={busy !== null}
                          onClick={() => void act(c.handle, 'approve')}
                        >
                          {t.t('dashboard.admin.creators.approve')}
                        </button>
                      )}
                      {c.bioCode && !ended(c.status) && (
                        <button
                          type="button"
                          class="button small"
                          disabled={busy !== null}
                          onClick={() => void confirmBioCode(c.handle, c.bioCode!.code)}
                        >
                          {t.t('dashboard.admin.creators.confirmBio')}
                        </button>
                      )}
                      {c.status !== 'suspended' && !ended(c.status) && (
                        <button
                          type="button"
                          class="button small danger"
                          disabled={busy !== null}
                          onClick={() => void act(c.handle, 'suspend')}
                        >
                          {t.t('dashboard.admin.creators.suspend')}
                        </button>
                      )}
                      {c.status !== 'approved' && !ended(c.status) && (
                        <button
                          type="button"
                          class="button small danger"
                          disabled={busy !== null}
                          onClick={() => void act(c.handle, 'reject')}
                        >
                          {t.t('dashboard.admin.creators.reject')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </DataTable>
            )}
          </>
        )}
      </Async>
    </div>
  );
}
