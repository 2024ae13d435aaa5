import type { CheckoutState, ExtensionError, ProfileOverlay, VideoOverlay } from '../../lib/protocol';

/** What the overlay shows; creator-provided text is only ever rendered as text nodes. */
export type OverlayView =
  | { kind: 'profile'; data: ProfileOverlay }
  | { kind: 'video'; data: VideoOverlay; starting: boolean }
  | { kind: 'error'; error: ExtensionError };

export interface OverlayActions {
  openSeries(seriesId: string, episodeId?: string): void;
  unlock(episodeId: string): void;
  signIn(): void;
  retry(): void;
  dismiss(): void;
}

export const formatDate = (iso: string) =>
  new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

function Brand() {
  return (
    <span class="brand" aria-hidden="true">
      ▶ Series
    </span>
  );
}

function Shelf({ data, actions }: { data: ProfileOverlay; actions: OverlayActions }) {
  const name = data.creator?.displayName ?? `@${data.handle}`;
  return (
    <section class="panel shelf" data-role="shelf" aria-label={`Series by ${name}`}>
      <header>
        <Brand />
        <span class="sub">{data.shelf.length ? `Paid series by ${name}` : `@${data.handle}`}</span>
      </header>
      {data.shelf.length > 0 && (
        <ul class="cards">
          {data.shelf.map((s) => (
            <li class="card" key={s.id} data-series-id={s.id}>
              <button type="button" class="cover" onClick={() => actions.openSeries(s.id)} aria-label={`Open ${s.title}`}>
                {s.coverUrl ? (
                  <img src={s.coverUrl} alt="" referrerpolicy="no-referrer" loading="lazy" />
                ) : (
                  <span class="placeholder">{Array.from(s.title)[0] ?? '▶'}</span>
                )}
              </button>
              <div class="meta">
                <button type="button" class="title" data-role="series-title" onClick={() => actions.openSeries(s.id)}>
                  {s.title}
                </button>
                <div class="facts" data-role="episode-count">
                  {s.episodeCount} {s.episodeCount === 1 ? 'episode' : 'episodes'}
                  {s.freeEpisodeCount > 0 ? ` · ${s.freeEpisodeCount} free` : ''}
                </div>
                <div class="facts" data-role="price-range">{s.priceRange ? `Episodes ${s.priceRange}` : 'All episodes free'}</div>
                {s.ownedAll ? (
                  <div class="bundle owned">You own the whole series</div>
                ) : s.bundlePrice ? (
                  <div class="bundle" data-role="bundle-price">Buy all {s.bundlePrice}</div>
                ) : null}
                <button type="button" class="link" data-role="open-series" onClick={() => actions.openSeries(s.id)}>
                  Open series →
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {data.offSale.length > 0 && (
        <div class="notice" data-role="off-sale">
          <p>
            {data.shelf.length ? 'Some series you bought here are' : 'The series you bought here are'} no longer on sale: the
            creator is suspended or withdrew them. What you bought still plays.
          </p>
          {data.offSale.map((s) => (
            <button type="button" class="link" key={s.seriesId} onClick={() => actions.openSeries(s.seriesId)}>
              Watch {s.title} →
            </button>
          ))}
        </div>
      )}
    </section>
  );
}

function checkoutLine(state: CheckoutState): string | null {
  switch (state.phase) {
    case 'awaiting_sign_in':
      return 'Sign in in the Series window to continue.';
    case 'open':
      return 'Finish paying in the checkout tab. This button turns into Watch when it’s done.';
    case 'cancelled':
      return 'Checkout cancelled: nothing was charged.';
    case 'expired':
      return 'The checkout expired before it was paid. Unlock again to start over.';
    case 'failed':
      return state.error.message;
    default:
      return null;
  }
}

function EpisodePanel({ data, starting, actions }: { data: VideoOverlay; starting: boolean; actions: OverlayActions }) {
  const match = data.match!;
  const { episode, series, checkout } = match;
  const playable = episode.access !== 'locked';
  const waiting = checkout.phase === 'open' || checkout.phase === 'awaiting_sign_in';
  let primary;
  if (playable) {
    primary = episode.released ? (
      <button type="button" class="primary" data-role="watch" onClick={() => actions.openSeries(series.id, episode.id)}>
        Watch
      </button>
    ) : (
      <button type="button" class="primary" data-role="not-released" disabled>
        Out {episode.releaseAt ? formatDate(episode.releaseAt) : 'soon'}
      </button>
    );
  } else {
    primary = (
      <button type="button" class="primary" data-role="unlock" disabled={starting || waiting} onClick={() => actions.unlock(episode.id)}>
        {starting
          ? 'Opening checkout…'
          : checkout.phase === 'open'
            ? 'Waiting for payment…'
            : checkout.phase === 'awaiting_sign_in'
              ? 'Waiting for sign-in…'
              : `Unlock episode — ${episode.price}`}
      </button>
    );
  }
  const line = playable ? null : checkoutLine(checkout);
  return (
    <section class="panel episode" data-role="episode" data-episode-id={episode.id} aria-label="Series episode">
      <header>
        <Brand />
        <span class="sub">by {match.creator.displayName}</span>
      </header>
      <div class="heading" data-role="episode-heading">
        Episode {episode.number} of {series.title}
      </div>
      <div class="ep-title">{episode.title}</div>
      <div class="actions">
        {primary}
        <button type="button" class="link" data-role="series-link" onClick={() => actions.openSeries(series.id)}>
          All {series.episodeCount} episodes{series.bundlePrice ? ` · buy all ${series.bundlePrice}` : ''} →
        </button>
      </div>
      {!episode.released && !playable && episode.releaseAt && (
        <p class="note" data-role="release-note">
          Releases {formatDate(episode.releaseAt)}: unlock now and watch it then.
        </p>
      )}
      {line && (
        <p class={checkout.phase === 'failed' ? 'note error-text' : 'note'} role="status" data-role="checkout-status">
          {line}
        </p>
      )}
      {!data.signedIn && !playable && !waiting && (
        <p class="note" data-role="signed-out">
          You’re signed out. Bought it already?{' '}
          <button type="button" class="link inline" onClick={actions.signIn}>
            Sign in
          </button>
        </p>
      )}
    </section>
  );
}

function ErrorPanel({ error, actions }: { error: ExtensionError; actions: OverlayActions }) {
  return (
    <section class="panel error" data-role="error" data-code={error.code} role="status">
      <header>
        <Brand />
        <button type="button" class="close" aria-label="Dismiss" onClick={actions.dismiss}>
          ×
        </button>
      </header>
      <p>{error.message}</p>
      <button type="button" class="secondary" data-role="retry" onClick={actions.retry}>
        Try again
      </button>
    </section>
  );
}

export function Overlay({ view, actions }: { view: OverlayView; actions: OverlayActions }) {
  if (view.kind === 'error') return <ErrorPanel error={view.error} actions={actions} />;
  if (view.kind === 'profile') return <Shelf data={view.data} actions={actions} />;
  return <EpisodePanel data={view.data} starting={view.starting} actions={actions} />;
}
