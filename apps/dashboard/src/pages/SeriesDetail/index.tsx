import { MAX_EPISODES_PER_SERIES } from '@series/core';
import { useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { ShareLinks, type LinkSpec } from '../../components/links/ShareLinks.js';
import { NoCreatorYet } from '../../components/NoCreatorYet.js';
import { SeriesForm } from '../../components/SeriesForm.js';
import { Async, Empty } from '../../components/states.js';
import { api, ApiFailure, request } from '../../lib/api.js';
import { formatDateTime, money, plural } from '../../lib/format.js';
import { appHref } from '../../lib/paths.js';
import { useT } from '../../lib/i18n.js';
import { storefrontNotice } from '../../lib/rollout.js';
import { useMe, type Creator } from '../../lib/session.js';
import type { OwnerEpisode, OwnerSeries } from '../../lib/types.js';
import { useResource } from '../../lib/use-resource.js';
import { CoverUpload } from './CoverUpload.js';
import { EpisodeForm } from './EpisodeForm.js';
import { useTikTok } from '../../components/TikTokConnect.js';
import { EpisodeList } from './EpisodeList.js';
import { PlatformReview } from './PlatformReview.js';
import { Ratings } from './Ratings.js';

export default function SeriesDetail() {
  return useMe().creator ? <SeriesEditor /> : <NoCreatorYet />;
}

function SeriesEditor() {
  const { params } = useRoute();
  const id = params['id'] ?? '';
  const series = useResource(() => request(() => api.v1.me.series[':id'].$get({ param: { id } })), [id]);
  return (
    <section>
      <p class="breadcrumb">
        <a href={appHref('/series')}>← All series</a>
      </p>
      {series.status === 'error' && series.error.status === 404 ? (
        // A deleted series, someone else's, or a mistyped address: say so, not "something went wrong".
        <Empty title="Series not found">
          It may have been deleted, or the address is not one of your series.{' '}
          <a href={appHref('/series')}>See all your series</a>.
        </Empty>
      ) : (
        <Async resource={series} loadingLabel="Loading the series…">
          {({ series: s }) => <Editor series={s} reload={series.reload} />}
        </Async>
      )}
    </section>
  );
}

function Editor({ series, reload }: { series: OwnerSeries; reload: () => void }) {
  const me = useMe();
  const t = useT();
  // Connected to TikTok with video access: the episode forms offer the creator's own videos.
  const tiktok = useTikTok();
  const canPickVideos = tiktok.data?.account?.canCheckVideos === true;
  const { route } = useLocation();
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [uploadNext, setUploadNext] = useState<{ episodeId: string; file: File } | null>(null);
  const full = series.episodeCount >= MAX_EPISODES_PER_SERIES;
  const published = series.status === 'published';

  // Each refusal shows beside the button that caused it.
  const [deleteError, setDeleteError] = useState<string | null>(null);
  async function run(action: () => Promise<unknown>, after?: () => void, onError = setNotice) {
    setBusy(true);
    setNotice(null);
    setDeleteError(null);
    try {
      await action();
      (after ?? reload)();
    } catch (err) {
      onError(err instanceof ApiFailure ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  // Said before the click: why publishing cannot work now.
  const cannotPublish = published
    ? null
    : me.creator?.status === 'pending'
      ? t.t('dashboard.series.publishPending')
      : me.creator?.status === 'suspended'
        ? t.t('dashboard.series.publishSuspended')
        : series.episodeCount === 0
          ? t.t('dashboard.series.publishEmpty')
          : null;
  const cannotDelete = series.sold ? t.t('dashboard.series.deleteSold') : null;

  const togglePublished = () =>
    run(() =>
      published
        ? request(() => api.v1.series[':id'].unpublish.$post({ param: { id: series.id } }))
        : request(() => api.v1.series[':id'].publish.$post({ param: { id: series.id } })),
    );

  const remove = () => {
    if (!confirm(`Delete “${series.title}” and all its episodes? This cannot be undone.`)) return;
    void run(
      () => request(() => api.v1.series[':id'].$delete({ param: { id: series.id } })),
      () => route(appHref('/series')),
      setDeleteError,
    );
  };

  return (
    <>
      <div class="page-head">
        <div>
          <h1>{series.title}</h1>
          <p class="muted">
            <span class={`badge ${published ? 'success' : 'neutral'}`}>{published ? 'Published' : 'Draft'}</span>{' '}
            {series.currency} · {plural(series.episodeCount, 'episode')} of {MAX_EPISODES_PER_SERIES}
            {series.bundlePrice !== null && ` · whole series ${money(series.bundlePrice, series.currency)}`}
            {series.publishedAt && published && ` · published ${formatDateTime(series.publishedAt)}`}
          </p>
        </div>
        <div class="actions with-reason">
          <button
            type="button"
            class={`button ${published ? '' : 'primary'}`}
            disabled={busy || cannotPublish !== null}
            aria-describedby={cannotPublish ? 'publish-reason' : notice ? 'publish-error' : undefined}
            onClick={() => void togglePublished()}
          >
            {published ? 'Unpublish' : 'Publish'}
          </button>
          {cannotPublish && (
            <p id="publish-reason" class="reason">
              {cannotPublish}
            </p>
          )}
          {notice && (
            <p id="publish-error" class="form-error" role="alert">
              {notice}
            </p>
          )}
        </div>
      </div>
      <SaleWarnings series={series} />
      <PlatformReview series={series} />

      {me.creator && <SeriesLinks series={series} creator={me.creator} />}

      <div class="card">
        <h2>Episodes</h2>
        {series.episodes.length === 0 ? (
          <Empty title="No episodes yet">
            Add the first one below; a series needs at least one episode to be published.
          </Empty>
        ) : (
          <EpisodeList
            episodes={series.episodes}
            currency={series.currency}
            onChanged={reload}
            upload={uploadNext}
            canPickVideos={canPickVideos}
          />
        )}
      </div>

      <div class="card">
        <h2>Add an episode</h2>
        {full ? (
          <p class="notice">A series holds at most {MAX_EPISODES_PER_SERIES} episodes.</p>
        ) : (
          <EpisodeForm
            currency={series.currency}
            canPickVideos={canPickVideos}
            onCreate={async (body, video) => {
              const { episode } = await request(() =>
                api.v1.series[':id'].episodes.$post({ param: { id: series.id }, json: body }),
              );
              // Its video, chosen on the form, uploads in the episode's row as soon as it exists.
              if (video) setUploadNext({ episodeId: episode.id, file: video });
              reload();
            }}
          />
        )}
      </div>

      <Ratings seriesId={series.id} />

      <div class="card">
        <h2>Cover</h2>
        <CoverUpload series={series} onSaved={reload} />
      </div>

      <details class="card">
        <summary>
          <h2>Series details</h2>
        </summary>
        <SeriesForm
          existing={series}
          submitLabel="Save details"
          onUpdate={async (patch) => {
            await request(() => api.v1.series[':id'].$patch({ param: { id: series.id }, json: patch }));
            reload();
          }}
        />
      </details>

      <div class="card danger-zone">
        <h2>Delete series</h2>
        <p>Only possible while nobody has bought from it; otherwise unpublish it, and buyers keep what they bought.</p>
        <div class="actions with-reason">
          <button
            type="button"
            class="button danger"
            disabled={busy || cannotDelete !== null}
            aria-describedby={cannotDelete ? 'delete-reason' : deleteError ? 'delete-error' : undefined}
            onClick={remove}
          >
            Delete series
          </button>
          {cannotDelete && (
            <p id="delete-reason" class="reason">
              {cannotDelete}
            </p>
          )}
          {deleteError && (
            <p id="delete-error" class="form-error" role="alert">
              {deleteError}
            </p>
          )}
        </div>
      </div>
    </>
  );
}

/**
 * What cannot be sold yet, as the API says (the publish answer and the series carry `warnings`): premium episodes
 * without their video, and "buy all" while none of them has one. Announced when it appears (after publishing).
 */
function SaleWarnings({ series }: { series: OwnerSeries }) {
  const episodes = series.warnings.flatMap((w) => (w.code === 'episode_not_ready' ? [w] : []));
  const wholeSeries = series.warnings.some((w) => w.code === 'series_not_ready');
  if (!episodes.length && !wholeSeries) return null;
  const where = series.status === 'published' ? 'Viewers see' : 'Once published, viewers will see';
  return (
    <div class="notice warning" role="status">
      {episodes.length > 0 && (
        <p>
          <strong>Not on sale until their video is uploaded:</strong>{' '}
          {episodes.map((e) => `episode ${e.number} (“${e.title}”)`).join(', ')}. {where} them as “coming soon”, and
          nobody can buy them yet.
        </p>
      )}
      {wholeSeries && <p>“Buy all” is not offered until at least one premium episode has its video.</p>}
    </div>
  );
}

/** What the storefront shows at an episode's own address, when that is not the episode itself yet. */
function episodeNote(episode: OwnerEpisode): string | undefined {
  if (!episode.hasVideo) return 'No video yet: its page says “coming soon” and it is not sold.';
  if (!episode.released && episode.releaseAt) return `Its page says it is out on ${formatDateTime(episode.releaseAt)}.`;
  return undefined;
}

/** The series' storefront address and one per episode (by number), to share, with their QR codes. */
function SeriesLinks({ series, creator }: { series: OwnerSeries; creator: Creator }) {
  const t = useT();
  const target = { handle: creator.handle, slug: series.slug };
  const notices = [
    storefrontNotice(t, creator.status),
    series.status === 'published'
      ? null
      : 'This series is a draft: its links work once you publish it (until then they show “not found”).',
  ].filter((n) => n !== null);
  const episodes: LinkSpec[] = series.episodes.map((e) => ({
    key: `ep${e.number}`,
    label: `Episode ${e.number}: ${e.title}`,
    target: { ...target, episode: e.number },
    note: episodeNote(e),
  }));
  return (
    <div class="card">
      <h2>Links</h2>
      <ShareLinks
        links={[{ key: 'series', label: `Series: ${series.title}`, target }]}
        more={{ summary: `Links to each episode (${plural(episodes.length, 'episode')})`, links: episodes }}
      >
        {notices.map((n) => (
          <p key={n} class="notice warning">
            {n}
          </p>
        ))}
      </ShareLinks>
    </div>
  );
}
