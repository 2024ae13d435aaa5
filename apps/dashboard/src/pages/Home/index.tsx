import { MAX_EPISODES_PER_SERIES } from '@series/core';
import { ShareLinks } from '../../components/links/ShareLinks.js';
import { Async } from '../../components/states.js';
import { api, request } from '../../lib/api.js';
import { formatDateTime, plural } from '../../lib/format.js';
import { appHref } from '../../lib/paths.js';
import { commissionShares, useCommission } from '../../lib/commission.js';
import { ROLLOUT, storefrontNotice } from '../../lib/rollout.js';
import { useMe, useSession, type Creator, type Me } from '../../lib/session.js';
import { useResource } from '../../lib/use-resource.js';
import { ClaimHandleForm } from './ClaimHandleForm.js';
import { TikTokConnectCard } from '../../components/TikTokConnect.js';
import { BioCodeCard } from '../../components/BioCode.js';
import { AddEmailCard } from '../../components/AddEmail.js';

export default function Home() {
  const me = useMe();
  const { refresh } = useSession();
  return (
    <section>
      <h1>Overview</h1>
      {!me.user.email && <AddEmailCard />}
      {me.creator ? (
        <>
          <RolloutCard creator={me.creator} />
          <TikTokConnectCard verified={me.creator.verifiedBy === 'tiktok'} />
          {me.creator.verifiedBy === null && <BioCodeCard />}
          <ProfileLink creator={me.creator} />
          <GettingStarted creator={me.creator} />
        </>
      ) : me.user.isAdmin ? null : (
        <>
          {me.endedClaim && <EndedClaimCard claim={me.endedClaim} />}
          <TikTokConnectCard verified={false} />
          <ClaimHandleForm onClaimed={refresh} />
        </>
      )}
      {me.user.isAdmin && (
        <p class="card subtle">
          You are an admin: <a href={appHref('/admin')}>review creators, the commission and payouts</a>.
        </p>
      )}
    </section>
  );
}

function RolloutCard({ creator }: { creator: Creator }) {
  const status = ROLLOUT[creator.status];
  // The commission in force, from the API: it changes when an admin sets it, so it is never written here.
  const bps = useCommission();
  return (
    <div class="card" aria-labelledby="rollout-title">
      <h2 id="rollout-title">
        {creator.displayName} <span class="muted">@{creator.handle}</span>
        {creator.verifiedBy === 'tiktok' && <span class="badge success"> Verified with TikTok</span>}
        {creator.verifiedBy === 'bio_code' && <span class="badge success"> Verified by bio code</span>}
      </h2>
      <p>
        Status: <span class={`badge ${status.tone}`}>{status.label}</span>{' '}
        <span class="muted">since {formatDateTime(creator.statusChangedAt)}</span>
      </p>
      <p>{status.explanation}</p>
      {bps !== null && (
        <p data-testid="commission">
          Platform commission today: {commissionShares(bps).commission}. You keep {commissionShares(bps).keep} of each
          sale, on sales made from now on (each sale keeps the rate it was made at).
        </p>
      )}
    </div>
  );
}

/** A claim that was rejected or expired: what happened, and that claiming again keeps the drafts. */
function EndedClaimCard({ claim }: { claim: NonNullable<Me['endedClaim']> }) {
  const status = ROLLOUT[claim.status];
  return (
    <div class="card" role="status" aria-labelledby="ended-claim-title">
      <h2 id="ended-claim-title">Your claim of @{claim.handle}</h2>
      <p>
        Status: <span class={`badge ${status.tone}`}>{status.label}</span>{' '}
        <span class="muted">since {formatDateTime(claim.endedAt)}</span>
      </p>
      <p>{status.explanation}</p>
    </div>
  );
}

/** The address for the creator's bio: their storefront page with every published series. */
function ProfileLink({ creator }: { creator: Creator }) {
  const notice = storefrontNotice(creator.status);
  return (
    <div class="card">
      <h2>Your link in bio</h2>
      <ShareLinks links={[{ key: 'profile', label: 'Your page', target: { handle: creator.handle } }]}>
        <p class="lead">
          Your storefront page lists every published series; viewers buy and watch there, on a phone too. The links of
          each series and of its episodes are on <a href={appHref('/series')}>the series’ own pages</a>.
        </p>
        {notice && <p class="notice warning">{notice}</p>}
      </ShareLinks>
    </div>
  );
}

/** What to do next, from the creator's own series. */
function GettingStarted({ creator }: { creator: Creator }) {
  const series = useResource(() => request(() => api.v1.me.series.$get()), []);
  return (
    <div class="card">
      <h2>Your series</h2>
      <Async resource={series} loadingLabel="Loading your series…">
        {({ series: list }) => {
          const published = list.filter((s) => s.status === 'published').length;
          const episodes = list.reduce((n, s) => n + s.episodeCount, 0);
          if (list.length === 0) {
            return (
              <p>
                Start with <a href={appHref('/series')}>your first series</a>: give it a title and a currency, then add
                up to {MAX_EPISODES_PER_SERIES} episodes.
                {creator.status === 'pending' && ' You can publish it once you are approved.'}
              </p>
            );
          }
          return (
            <p>
              {list.length} series ({published} published), {plural(episodes, 'episode')} in all.{' '}
              <a href={appHref('/series')}>Manage series</a> · <a href={appHref('/analytics')}>See sales</a> ·{' '}
              <a href={appHref('/payouts')}>Payouts</a>
            </p>
          );
        }}
      </Async>
    </div>
  );
}
