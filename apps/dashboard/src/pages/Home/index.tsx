import { MAX_EPISODES_PER_SERIES } from '@series/core';
import { ShareLinks } from '../../components/links/ShareLinks.js';
import { Async } from '../../components/states.js';
import { api, request } from '../../lib/api.js';
import { useT } from '../../lib/i18n.js';
import { appHref } from '../../lib/paths.js';
import { useCommission } from '../../lib/commission.js';
import { rolloutText, storefrontNotice } from '../../lib/rollout.js';
import { useMe, useSession, type Creator, type Me } from '../../lib/session.js';
import { useResource } from '../../lib/use-resource.js';
import { ClaimHandleForm } from './ClaimHandleForm.js';
import { TikTokConnectCard } from '../../components/TikTokConnect.js';
import { BioCodeCard } from '../../components/BioCode.js';
import { AddEmailCard } from '../../components/AddEmail.js';

export default function Home() {
  const me = useMe();
  const { refresh } = useSession();
  const t = useT();
  return (
    <section>
      <h1>{t.t('dashboard.overview.title')}</h1>
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
          {t.t('dashboard.overview.adminLead')} <a href={appHref('/admin')}>{t.t('dashboard.overview.adminLink')}</a>.
        </p>
      )}
    </section>
  );
}

function RolloutCard({ creator }: { creator: Creator }) {
  const t = useT();
  const status = rolloutText(t, creator.status);
  // The commission in force, from the API: it changes when an admin sets it, so it is never written here.
  const bps = useCommission();
  return (
    <div class="card" aria-labelledby="rollout-title">
      <h2 id="rollout-title">
        {creator.displayName} <span class="muted">@{creator.handle}</span>
        {creator.verifiedBy === 'tiktok' && (
          <span class="badge success"> {t.t('dashboard.overview.verifiedTiktok')}</span>
        )}
        {creator.verifiedBy === 'bio_code' && (
          <span class="badge success"> {t.t('dashboard.overview.verifiedBio')}</span>
        )}
      </h2>
      <p>
        {t.t('dashboard.overview.status')} <span class={`badge ${status.tone}`}>{status.label}</span>{' '}
        <span class="muted">{t.t('dashboard.overview.since', { date: t.dateTime(creator.statusChangedAt) })}</span>
      </p>
      <p>{status.explanation}</p>
      {bps !== null && (
        <p data-testid="commission">
          {t.t('dashboard.overview.commission', { commission: t.percentBps(bps), keep: t.percentBps(10_000 - bps) })}
        </p>
      )}
    </div>
  );
}

/** A claim that was rejected or expired: what happened, and that claiming again keeps the drafts. */
function EndedClaimCard({ claim }: { claim: NonNullable<Me['endedClaim']> }) {
  const t = useT();
  const status = rolloutText(t, claim.status);
  return (
    <div class="card" role="status" aria-labelledby="ended-claim-title">
      <h2 id="ended-claim-title">{t.t('dashboard.overview.endedClaim', { handle: claim.handle })}</h2>
      <p>
        {t.t('dashboard.overview.status')} <span class={`badge ${status.tone}`}>{status.label}</span>{' '}
        <span class="muted">{t.t('dashboard.overview.since', { date: t.dateTime(claim.endedAt) })}</span>
      </p>
      <p>{status.explanation}</p>
    </div>
  );
}

/** The address for the creator's bio: their storefront page with every published series. */
function ProfileLink({ creator }: { creator: Creator }) {
  const t = useT();
  const notice = storefrontNotice(t, creator.status);
  return (
    <div class="card">
      <h2>{t.t('dashboard.overview.linkTitle')}</h2>
      <ShareLinks
        links={[{ key: 'profile', label: t.t('dashboard.overview.linkLabel'), target: { handle: creator.handle } }]}
      >
        <p class="lead">
          {t.t('dashboard.overview.linkLead')} <a href={appHref('/series')}>{t.t('dashboard.overview.linkSeries')}</a>.
        </p>
        {notice && <p class="notice warning">{notice}</p>}
      </ShareLinks>
    </div>
  );
}

/** What to do next, from the creator's own series. */
function GettingStarted({ creator }: { creator: Creator }) {
  const t = useT();
  const series = useResource(() => request(() => api.v1.me.series.$get()), []);
  return (
    <div class="card">
      <h2>{t.t('dashboard.overview.seriesTitle')}</h2>
      <Async resource={series} loadingLabel={t.t('dashboard.overview.seriesLoading')}>
        {({ series: list }) => {
          const published = list.filter((s) => s.status === 'published').length;
          const episodes = list.reduce((n, s) => n + s.episodeCount, 0);
          if (list.length === 0) {
            return (
              <p>
                {t.t('dashboard.overview.startWith')}{' '}
                <a href={appHref('/series')}>{t.t('dashboard.overview.firstSeries')}</a>
                {t.t('dashboard.overview.startHow', { max: MAX_EPISODES_PER_SERIES })}
                {creator.status === 'pending' && t.t('dashboard.overview.startPending')}
              </p>
            );
          }
          return (
            <p>
              {t.t('dashboard.overview.summary', {
                series: t.plural('dashboard.overview.seriesCount', list.length),
                published: t.plural('dashboard.overview.publishedCount', published),
                episodes: t.plural('dashboard.overview.episodeCount', episodes),
              })}{' '}
              <a href={appHref('/series')}>{t.t('dashboard.overview.manage')}</a> ·{' '}
              <a href={appHref('/analytics')}>{t.t('dashboard.overview.sales')}</a> ·{' '}
              <a href={appHref('/payouts')}>{t.t('dashboard.overview.payouts')}</a>
            </p>
          );
        }}
      </Async>
    </div>
  );
}
