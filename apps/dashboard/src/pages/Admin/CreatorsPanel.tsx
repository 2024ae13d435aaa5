import type { CreatorStatus } from '@series/core';
import { cell, DataTable } from '../../components/DataTable.js';
import { useState } from 'preact/hooks';
import { Async, Empty } from '../../components/states.js';
import { api, ApiFailure, request } from '../../lib/api.js';
import { formatDateTime } from '../../lib/format.js';
import { useT } from '../../lib/i18n.js';
import { rolloutText } from '../../lib/rollout.js';
import { useResource } from '../../lib/use-resource.js';

type Filter = CreatorStatus | 'all';

/** A claim that ended (rejected, expired): nothing left to approve, suspend or reject. */
const ended = (status: CreatorStatus) => status === 'rejected' || status === 'expired' || status === 'displaced';

const count = (n: number) => n.toLocaleString('en-US');

/** The rollout: creators waiting for approval first; approve, suspend or reject each. */
export function CreatorsPanel({ onChanged }: { onChanged: () => void }) {
  const t = useT();
  const [filter, setFilter] = useState<Filter>('pending');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const creators = useResource(
    () => request(() => api.v1.admin.creators.$get({ query: filter === 'all' ? {} : { status: filter } })),
    [filter],
  );

  async function confirmBioCode(handle: string, expected: string) {
    const seen = prompt(
      `Open @${handle}'s TikTok profile and type the code you see in the bio (it should be ${expected}):`,
    );
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
      setError(err instanceof ApiFailure ? err.message : String(err));
    } finally {
      setBusy(null);
    }
  }

  async function act(handle: string, action: 'approve' | 'suspend' | 'reject') {
    if (action === 'suspend' && !confirm(`Suspend @${handle}? Their series are hidden and cannot be bought.`)) return;
    if (
      action === 'reject' &&
      !confirm(`Reject the claim of @${handle}? The handle becomes free for anyone to claim; their drafts are kept.`)
    )
      return;
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
      setError(err instanceof ApiFailure ? err.message : String(err));
    } finally {
      setBusy(null);
    }
  }

  return (
    <div class="card">
      <div class="card-head">
        <h2>Creators</h2>
        <label class="filter">
          Show
          <select value={filter} onChange={(e) => setFilter(e.currentTarget.value as Filter)}>
            <option value="pending">Pending approval</option>
            <option value="approved">Approved</option>
            <option value="suspended">Suspended</option>
            <option value="rejected">Rejected</option>
            <option value="expired">Expired</option>
            <option value="displaced">Displaced</option>
            <option value="all">All</option>
          </select>
        </label>
      </div>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <Async resource={creators} loadingLabel="Loading creators…">
        {({ creators: list, criteria }) => (
          <>
            <p class="muted" data-testid="criteria">
              Criteria: at least {count(criteria.minFollowers)} followers
              {criteria.minVideos > 0 && ` and ${count(criteria.minVideos)} videos`} on TikTok.{' '}
              {criteria.autoApprove
                ? 'Creators verified with TikTok who meet them are approved at once.'
                : 'You decide each claim.'}
            </p>
            {list.length === 0 ? (
              <Empty title={filter === 'pending' ? 'Nobody is waiting for approval' : 'No creators here'} />
            ) : (
              <DataTable
                caption="Creators"
                hideCaption
                stacked
                columns={['Handle', 'Name', 'Email', 'Verified', 'Status', 'Actions']}
              >
                {list.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">@{c.handle}</th>
                    <td {...cell('Name')}>{c.displayName}</td>
                    <td {...cell('Email')}>{c.email ?? <span class="muted">none (TikTok sign-in)</span>}</td>
                    <td {...cell('Verified')}>
                      {c.verifiedBy === 'tiktok' && <span class="badge success">TikTok</span>}
                      {c.verifiedBy === 'bio_code' && <span class="badge success">Bio code</span>}
                      {c.verifiedBy === null && <span class="badge">Unverified</span>}
                      {c.tiktok && (
                        <span class="block">
                          @{c.tiktok.username ?? '…'}
                          {c.tiktok.isVerified && ' ✓'} ·{' '}
                          {c.tiktok.followerCount === null
                            ? 'followers not shared'
                            : `${count(c.tiktok.followerCount)} followers`}
                          {c.tiktok.videoCount !== null && ` · ${count(c.tiktok.videoCount)} videos`}
                          <span class="muted block">checked {formatDateTime(c.tiktok.checkedAt)}</span>
                        </span>
                      )}
                      <span class={`block ${c.meetsCriteria ? 'meets' : 'muted'}`}>
                        {c.meetsCriteria ? 'Meets the criteria' : 'Below the criteria (or unknown)'}
                      </span>
                      {c.bioCode && (
                        <span class="block">
                          Bio code given: <code>{c.bioCode.code}</code>
                        </span>
                      )}
                    </td>
                    <td {...cell('Status')}>
                      <span class={`badge ${rolloutText(t, c.status).tone}`}>{rolloutText(t, c.status).label}</span>
                      <span class="muted block">since {formatDateTime(c.statusChangedAt)}</span>
                    </td>
                    <td class="row-actions" {...cell('Actions')}>
                      {c.status !== 'approved' && !ended(c.status) && (
                        <button
                          type="button"
                          class="button small primary"
                          disabled={busy !== null}
                          onClick={() => void act(c.handle, 'approve')}
                        >
                          Approve
                        </button>
                      )}
                      {c.bioCode && !ended(c.status) && (
                        <button
                          type="button"
                          class="button small"
                          disabled={busy !== null}
                          onClick={() => void confirmBioCode(c.handle, c.bioCode!.code)}
                        >
                          Confirm bio code
                        </button>
                      )}
                      {c.status !== 'suspended' && !ended(c.status) && (
                        <button
                          type="button"
                          class="button small danger"
                          disabled={busy !== null}
                          onClick={() => void act(c.handle, 'suspend')}
                        >
                          Suspend
                        </button>
                      )}
                      {c.status !== 'approved' && !ended(c.status) && (
                        <button
                          type="button"
                          class="button small danger"
                          disabled={busy !== null}
                          onClick={() => void act(c.handle, 'reject')}
                        >
                          Reject
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
