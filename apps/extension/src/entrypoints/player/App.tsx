import type {
  CheckoutState,
  EpisodeView,
  ExtensionError,
  PlaybackInfo,
  SeriesView,
  UnlockItem,
} from '../../lib/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ask } from '../../lib/messaging';
import { checkoutStateText, errorText, formatDate, plural, t } from '../../lib/texts';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function Badge({ episode }: { episode: EpisodeView }) {
  if (!episode.released && episode.releaseAt)
    return <span class="badge">{t('extension.episode.outOn', { date: formatDate(episode.releaseAt) })}</span>;
  if (episode.access === 'free') return <span class="badge free">{t('extension.common.free')}</span>;
  if (episode.access === 'locked' && !episode.hasVideo)
    return <span class="badge">{t('extension.episode.notReady')}</span>;
  if (episode.access === 'owned') return <span class="badge owned">{t('extension.common.owned')}</span>;
  return <span class="badge">{episode.price}</span>;
}

const AVAILABILITY = {
  on_sale: null,
  creator_suspended: 'extension.player.suspended',
  withdrawn: 'extension.player.withdrawn',
} as const satisfies Record<SeriesView['availability'], string | null>;

/** Polls an unlock until it is decided; resolves with the final state. */
async function followUnlock(
  item: UnlockItem,
  first: CheckoutState,
  onState: (s: CheckoutState) => void,
): Promise<CheckoutState> {
  let state = first;
  while (state.phase === 'open' || state.phase === 'awaiting_sign_in') {
    onState(state);
    await sleep(1_000);
    const answer = await ask({ type: 'checkoutState', item });
    state = answer.ok ? answer.data : { phase: 'failed', error: answer.error };
  }
  onState(state);
  return state;
}

export function App({ seriesId, initialEpisodeId }: { seriesId: string; initialEpisodeId: string | null }) {
  const [series, setSeries] = useState<SeriesView | null>(null);
  const [error, setError] = useState<ExtensionError | null>(null);
  const [selected, setSelected] = useState<string | null>(initialEpisodeId);
  const [playback, setPlayback] = useState<PlaybackInfo | null>(null);
  const [playError, setPlayError] = useState<ExtensionError | null>(null);
  const [checkout, setCheckout] = useState<CheckoutState | null>(null);
  const [promoCode, setPromoCode] = useState('');
  const video = useRef<HTMLVideoElement>(null);
  const resumeAt = useRef(0);
  const lastRefresh = useRef(0);

  const load = async () => {
    const answer = await ask({ type: 'series', seriesId });
    if (!answer.ok) return setError(answer.error);
    setError(null);
    setSeries(answer.data);
    document.title = t('extension.player.title', { title: answer.data.title });
  };
  useEffect(() => void load(), [seriesId]);

  const episodes = series?.episodes ?? [];
  const current =
    episodes.find((e) => e.id === selected) ??
    episodes.find((e) => e.access !== 'locked' && e.released) ??
    episodes[0] ??
    null;
  const playable = !!current && current.access !== 'locked' && current.released;

  // A fresh grant for the episode on screen; asked only here, when the viewer is watching it.
  const grant = async (episodeId: string) => {
    const answer = await ask({ type: 'access', episodeId });
    if (answer.ok) {
      setPlayback(answer.data);
      setPlayError(
        answer.data.mediaReady
          ? null
          : { code: 'api_error', apiCode: 'media_not_uploaded', message: 'No video uploaded yet' },
      );
    } else {
      setPlayback(null);
      setPlayError(answer.error);
    }
  };
  useEffect(() => {
    setPlayback(null);
    setPlayError(null);
    resumeAt.current = 0;
    if (current && playable) void grant(current.id);
  }, [current?.id, playable]);

  useEffect(() => {
    const el = video.current;
    if (!el || !playback) return;
    if (resumeAt.current) el.currentTime = resumeAt.current;
    // Autoplay with sound may be refused until the viewer interacts; then start muted.
    el.play().catch(() => {
      el.muted = true;
      return el.play().catch(() => undefined);
    });
  }, [playback?.playbackUrl]);

  // Grants live minutes: when one lapses mid-episode (the next ranged request is refused), get another and
  // carry on from the same second.
  const onVideoError = () => {
    const el = video.current;
    if (!el || !current || Date.now() - lastRefresh.current < 10_000) return;
    lastRefresh.current = Date.now();
    resumeAt.current = el.currentTime;
    void grant(current.id);
  };

  const unlock = async (item: UnlockItem) => {
    const code = promoCode.trim();
    const answer = await ask({ type: 'unlock', item, ...(code ? { promoCode: code } : {}) });
    const first: CheckoutState = answer.ok ? answer.data : { phase: 'failed', error: answer.error };
    const final = await followUnlock(item, first, setCheckout);
    if (final.phase === 'paid') {
      setCheckout(null);
      await load();
    }
  };

  if (error) {
    return (
      <main>
        <header>
          <span class="brand">{t('extension.brand')}</span>
        </header>
        <p class="error" role="alert" data-role="error" data-code={error.code}>
          {errorText(error)}
        </p>
        <button type="button" class="secondary" onClick={() => void load()}>
          {t('extension.common.retry')}
        </button>
      </main>
    );
  }
  if (!series) return <main class="muted">{t('extension.common.loading')}</main>;

  const notice = AVAILABILITY[series.availability];
  // "Buy all" is sold once one of its premium episodes can be watched (before that it would sell nothing).
  const seriesReady = series.episodes.some((e) => e.price !== null && e.hasVideo);
  const busy = checkout?.phase === 'open' || checkout?.phase === 'awaiting_sign_in';
  return (
    <main>
      <header>
        <span class="brand">{t('extension.brand')}</span>
        <h1 data-role="series-title">{series.title}</h1>
        <span class="muted">{t('extension.common.by', { name: series.creator.displayName })}</span>
      </header>
      <section class="stage">
        {notice && (
          <p class="notice" data-role="availability" data-availability={series.availability}>
            {t(notice)}
          </p>
        )}
        {current && playable && playback && !playError ? (
          <video
            ref={video}
            data-role="video"
            src={playback.playbackUrl}
            controls
            playsInline
            preload="auto"
            onError={onVideoError}
          />
        ) : (
          <div class="screen" data-role="screen">
            {!current ? (
              <p>{t('extension.player.noEpisodes')}</p>
            ) : !current.released ? (
              <p data-role="not-released">
                {current.releaseAt
                  ? t('extension.player.comesOut', { number: current.number, date: formatDate(current.releaseAt) })
                  : t('extension.player.comesOutSoon', { number: current.number })}
              </p>
            ) : current.access === 'locked' && !current.hasVideo ? (
              <p data-role="not-ready">{t('extension.player.notReady', { number: current.number })}</p>
            ) : current.access === 'locked' ? (
              <>
                <p>{t('extension.player.locked', { number: current.number })}</p>
                {series.availability === 'on_sale' && (
                  <button
                    type="button"
                    class="primary"
                    data-role="unlock"
                    aria-disabled={busy || undefined}
                    onClick={() => !busy && void unlock({ episodeId: current.id })}
                  >
                    {t('extension.episode.unlock', { price: current.price ?? '' })}
                  </button>
                )}
              </>
            ) : playError ? (
              <p class="error" data-role="play-error" data-code={playError.code}>
                {errorText(playError)}
              </p>
            ) : (
              <p class="muted">{t('extension.player.loadingVideo')}</p>
            )}
            {checkoutStateText(checkout, 'player') && (
              <p data-role="checkout-status" role="status">
                {checkoutStateText(checkout, 'player')}
              </p>
            )}
          </div>
        )}
        {current && (
          <h2 data-role="now-playing">
            {t('extension.player.nowPlaying', { number: current.number, title: current.title })}
          </h2>
        )}
        {series.description && <p class="muted">{series.description}</p>}
      </section>
      <aside>
        {series.availability === 'on_sale' && !series.ownedAll && (
          <details class="promo" data-role="promo" open={promoCode !== '' || undefined}>
            <summary>{t('promo.have')}</summary>
            <label for="promo-code">{t('promo.label')}</label>
            <input
              id="promo-code"
              data-role="promo-code"
              value={promoCode}
              maxLength={64}
              autoComplete="off"
              autoCapitalize="characters"
              spellcheck={false}
              aria-describedby="promo-note"
              onInput={(e) => setPromoCode(e.currentTarget.value)}
            />
            <p id="promo-note" class="muted">
              {t('promo.note')}
            </p>
          </details>
        )}
        {series.availability === 'on_sale' && series.bundlePrice && !series.ownedAll && seriesReady && (
          <button
            type="button"
            class="primary"
            data-role="buy-all"
            aria-disabled={busy || undefined}
            onClick={() => !busy && void unlock({ seriesId: series.id })}
          >
            {series.bundleCompletes
              ? t('extension.player.complete', { price: series.bundlePrice })
              : plural('extension.player.buyAll', series.episodes.length, { price: series.bundlePrice })}
          </button>
        )}
        {series.ownedAll && <p class="muted">{t('extension.player.ownedAll')}</p>}
        <ol class="episodes" data-role="episodes" aria-label={t('extension.player.episodes')}>
          {episodes.map((e) => (
            <li key={e.id} data-episode-id={e.id} data-access={e.access}>
              <button type="button" aria-current={e.id === current?.id} onClick={() => setSelected(e.id)}>
                <span class="n">{e.number}</span>
                <span class="t">{e.title}</span>
                <Badge episode={e} />
              </button>
            </li>
          ))}
        </ol>
      </aside>
    </main>
  );
}
