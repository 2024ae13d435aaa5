import { MAX_EPISODES_PER_SERIES } from '@series/core';
import { useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { ShareLinks, type LinkSpec } from '../../components/links/ShareLinks.js';
import { NoCreatorYet } from '../../components/NoCreatorYet.js';
import { SeriesForm } from '../../components/SeriesForm.js';
import { Async, Empty } from '../../components/states.js';
import { api, ApiFailure, request } from '../../lib/api.js';
import { appHref } from '../../lib/paths.js';
import { errorText, useT, type DashboardT } from '../../lib/i18n.js';
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
  const t = useT();
  const series = useResource(() => request(() => api.v1.me.series[':id'].$get({ param: { id } })), [id]);
  return (
    <section>
      <p class="breadcrumb">
        <a href={appHref('/series')}>{t.t('dashboard.seriesPage.all')}</a>
      </p>
      {series.status === 'error' && series.error.status === 404 ? (
        // A deleted series, someone else's, or a mistyped address: say so, not "something went wrong".
        <Empty title={t.t('dashboard.seriesPage.notFound')}>
          {t.t('dashboard.seriesPage.notFoundBody')}{' '}
          <a href={appHref('/series')}>{t.t('dashboard.seriesPage.seeAll')}</a>.
        </Empty>
      ) : (
        <Async resource={series} loadingLabel={t.t('dashboard.seriesPage.loading')}>
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
      onError(err instanceof ApiFailure ? errorText(t, err) : String(err));
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
    if (!confirm(t.t('dashboard.seriesPage.deleteConfirm', { title: series.title }))) return;
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
            <span class={`badge ${published ? 'success' : 'neutral'}`}>
              {published ? t.t('dashboard.seriesList.published') : t.t('dashboard.seriesList.draft')}
            </span>{' '}
            {series.currency} ·{' '}
            {t.plural('dashboard.seriesList.episodes', series.episodeCount, { max: MAX_EPISODES_PER_SERIES })}
            {series.bundlePrice !== null &&
              ` · ${t.t('dashboard.seriesList.wholeSeries', { price: t.price(series.bundlePrice, series.currency) })}`}
            {series.publishedAt &&
              published &&
              ` · ${t.t('dashboard.seriesPage.publishedOn', { date: t.dateTime(series.publishedAt) })}`}
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
            {published ? t.t('dashboard.seriesPage.unpublish') : t.t('dashboard.seriesPage.publish')}
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
        <h2>{t.t('dashboard.seriesPage.episodes')}</h2>
        {series.episodes.length === 0 ? (
          <Empty title={t.t('dashboard.seriesPage.noEpisodes')}>{t.t('dashboard.seriesPage.noEpisodesBody')}</Empty>
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
        <h2>{t.t('dashboard.seriesPage.add')}</h2>
        {full ? (
          <p class="notice">{t.t('dashboard.seriesPage.full', { max: MAX_EPISODES_PER_SERIES })}</p>
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
        <h2>{t.t('dashboard.seriesPage.cover')}</h2>
        <CoverUpload series={series} onSaved={reload} />
      </div>

      <details class="card">
        <summary>
          <h2>{t.t('dashboard.seriesPage.details')}</h2>
        </summary>
        <SeriesForm
          existing={series}
          submitLabel={t.t('dashboard.seriesPage.save')}
          onUpdate={async (patch) => {
            await request(() => api.v1.series[':id'].$patch({ param: { id: series.id }, json: patch }));
            reload();
          }}
        />
      </details>

      <div class="card danger-zone">
        <h2>{t.t('dashboard.seriesPage.delete')}</h2>
        <p>{t.t('dashboard.seriesPage.deleteLead')}</p>
        <div class="actions with-reason">
          <button
            type="button"
            class="button danger"
            disabled={busy || cannotDelete !== null}
            aria-describedby={cannotDelete ? 'delete-reason' : deleteError ? 'delete-error' : undefined}
            onClick={remove}
          >
            {t.t('dashboard.seriesPage.delete')}
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
  const t = useT();
  const episodes = series.warnings.flatMap((w) => (w.code === 'episode_not_ready' ? [w] : []));
  const wholeSeries = series.warnings.some((w) => w.code === 'series_not_ready');
  if (!episodes.length && !wholeSeries) return null;

  return (
    <div class="notice warning" role="status">
      {episodes.length > 0 && (
        <p>
          <strong>{t.t('dashboard.seriesPage.notReady')}</strong>{' '}
          {episodes
            .map((e) => t.t('dashboard.seriesPage.notReadyEpisode', { number: e.number, title: e.title }))
            .join(', ')}
          .{' '}
          {series.status === 'published'
            ? t.t('dashboard.seriesPage.notReadyPublished')
            : t.t('dashboard.seriesPage.notReadyDraft')}
        </p>
      )}
      {wholeSeries && <p>{t.t('dashboard.seriesPage.bundleNotReady')}</p>}
    </div>
  );
}

/** What the storefront shows at an episode's own address, when that is not the episode itself yet. */
function episodeNote(t: DashboardT, episode: OwnerEpisode): string | undefined {
  if (!episode.hasVideo) return t.t('dashboard.seriesPage.noVideo');
  if (!episode.released && episode.releaseAt)
    return t.t('dashboard.seriesPage.outOn', { date: t.dateTime(episode.releaseAt) });
  return undefined;
}

/** The series' storefront address and one per episode (by number), to share, with their QR codes. */
function SeriesLinks({ series, creator }: { series: OwnerSeries; creator: Creator }) {
  const t = useT();
  const target = { handle: creator.handle, slug: series.slug };
  const notices = [
    storefrontNotice(t, creator.status),
    series.status === 'published' ? null : t.t('dashboard.seriesPage.draftLinks'),
  ].filter((n) => n !== null);
  const episodes: LinkSpec[] = series.episodes.map((e) => ({
    key: `ep${e.number}`,
    label: t.t('dashboard.seriesPage.episodeLink', { number: e.number, title: e.title }),
    target: { ...target, episode: e.number },
    note: episodeNote(t, e),
  }));
  return (
    <div class="card">
      <h2>{t.t('dashboard.seriesPage.links')}</h2>
      <ShareLinks
        links={[{ key: 'series', label: t.t('dashboard.seriesPage.seriesLink', { title: series.title }), target }]}
        more={{ summary: t.plural('dashboard.seriesPage.episodeLinks', episodes.length), links: episodes }}
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
