import type { CheckoutState, EpisodeView, ExtensionError, PlaybackInfo, SeriesView, UnlockItem } from '../../lib/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ask } from '../../lib/messaging';

const formatDate = (iso: string) => new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function Badge({ episode }: { episode: EpisodeView }) {
  if (!episode.released && episode.releaseAt) return <span class="badge">Out {formatDate(episode.releaseAt)}</span>;
  if (episode.access === 'free') return <span class="badge free">Free</span>;
  if (episode.access === 'owned') return <span class="badge owned">Owned</span>;
  return <span class="badge">{episode.price}</span>;
}

const AVAILABILITY: Record<SeriesView['availability'], string | null> = {
  on_sale: null,
  creator_suspended: 'This creator is suspended: their series cannot be bought right now. What you bought still plays.',
  withdrawn: 'The creator withdrew this series from sale. What you bought still plays.',
};

/** Polls an unlock until it is decided; resolves with the final state. */
async function followUnlock(item: UnlockItem, first: CheckoutState, onState: (s: CheckoutState) => void): Promise<CheckoutState> {
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

function checkoutText(state: CheckoutState | null): string | null {
  if (!state) return null;
  switch (state.phase) {
    case 'awaiting_sign_in':
      return 'Sign in in the Series window to continue.';
    case 'open':
      return 'Finish paying in the checkout tab: this page updates by itself.';
    case 'cancelled':
      return 'Checkout cancelled: nothing was charged.';
    case 'expired':
      return 'The checkout expired. Start again when you are ready.';
    case 'failed':
      return state.error.message;
    default:
      return null;
  }
}

export function App({ seriesId, initialEpisodeId }: { seriesId: string; initialEpisodeId: string | null }) {
  const [series, setSeries] = useState<SeriesView | null>(null);
  const [error, setError] = useState<ExtensionError | null>(null);
  const [selected, setSelected] = useState<string | null>(initialEpisodeId);
  const [playback, setPlayback] = useState<PlaybackInfo | null>(null);
  const [playError, setPlayError] = useState<ExtensionError | null>(null);
  const [checkout, setCheckout] = useState<CheckoutState | null>(null);
  const video = useRef<HTMLVideoElement>(null);
  const resumeAt = useRef(0);
  const lastRefresh = useRef(0);

  const load = async () => {
    const answer = await ask({ type: 'series', seriesId });
    if (!answer.ok) return setError(answer.error);
    setError(null);
    setSeries(answer.data);
    document.title = `${answer.data.title} · Series`;
  };
  useEffect(() => void load(), [seriesId]);

  const episodes = series?.episodes ?? [];
  const current =
    episodes.find((e) => e.id === selected) ?? episodes.find((e) => e.access !== 'locked' && e.released) ?? episodes[0] ?? null;
  const playable = !!current && current.access !== 'locked' && current.released;

  // A fresh grant for the episode on screen; asked only here, when the viewer is watching it.
  const grant = async (episodeId: string) => {
    const answer = await ask({ type: 'access', episodeId });
    if (answer.ok) {
      setPlayback(answer.data);
      setPlayError(answer.data.mediaReady ? null : { code: 'api_error', message: 'The creator has not uploaded this episode’s video yet.' });
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
    const answer = await ask({ type: 'unlock', item });
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
          <span class="brand">▶ Series</span>
        </header>
        <p class="error" role="alert" data-role="error" data-code={error.code}>
          {error.message}
        </p>
        <button type="button" class="secondary" onClick={() => void load()}>
          Try again
        </button>
      </main>
    );
  }
  if (!series) return <main class="muted">Loading…</main>;

  const notice = AVAILABILITY[series.availability];
  const busy = checkout?.phase === 'open' || checkout?.phase === 'awaiting_sign_in';
  return (
    <main>
      <header>
        <span class="brand">▶ Series</span>
        <h1 data-role="series-title">{series.title}</h1>
        <span class="muted">by {series.creator.displayName}</span>
      </header>
      <section class="stage">
        {notice && (
          <p class="notice" data-role="availability" data-availability={series.availability}>
            {notice}
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
              <p>This series has no episodes you can watch.</p>
            ) : !current.released ? (
              <p data-role="not-released">Episode {current.number} comes out {current.releaseAt ? formatDate(current.releaseAt) : 'soon'}.</p>
            ) : current.access === 'locked' ? (
              <>
                <p>Episode {current.number} is part of the paid series.</p>
                {series.availability === 'on_sale' && (
                  <button type="button" class="primary" data-role="unlock" disabled={busy} onClick={() => void unlock({ episodeId: current.id })}>
                    Unlock episode — {current.price}
                  </button>
                )}
              </>
            ) : playError ? (
              <p class="error" data-role="play-error" data-code={playError.code}>
                {playError.message}
              </p>
            ) : (
              <p class="muted">Loading the video…</p>
            )}
            {checkoutText(checkout) && <p data-role="checkout-status">{checkoutText(checkout)}</p>}
          </div>
        )}
        {current && (
          <h2 data-role="now-playing">
            Episode {current.number} · {current.title}
          </h2>
        )}
        {series.description && <p class="muted">{series.description}</p>}
      </section>
      <aside>
        {series.availability === 'on_sale' && series.bundlePrice && !series.ownedAll && (
          <button type="button" class="primary" data-role="buy-all" disabled={busy} onClick={() => void unlock({ seriesId: series.id })}>
            Buy all {series.episodes.length} episodes — {series.bundlePrice}
          </button>
        )}
        {series.ownedAll && <p class="muted">You own the whole series, including episodes added later.</p>}
        <ol class="episodes" data-role="episodes">
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
