import type { CheckoutState, EpisodeMatch, ExtensionError, FeedCreator, ProfileOverlay } from '../../lib/protocol';

/** What the overlay shows; creator-provided text is only ever rendered as text nodes. */
export type OverlayView =
  | { kind: 'profile'; data: ProfileOverlay }
  /** `compact`: the one-line button on a feed item. */
  | { kind: 'episode'; match: EpisodeMatch; signedIn: boolean; starting: boolean; compact: boolean }
  | { kind: 'creator'; creator: FeedCreator }
  | { kind: 'error'; error: ExtensionError; compact: boolean };

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

/**
 * The main button: Watch, Unlock, or a busy state. Always the same element (same key, same place), so focus
 * stays on it through every state; busy states are `aria-disabled` rather than `disabled`, which would drop
 * the focus, and ignore presses.
 */
function PrimaryButton({ view, actions }: { view: Extract<OverlayView, { kind: 'episode' }>; actions: OverlayActions }) {
  const { episode, series, checkout } = view.match;
  const waiting = checkout.phase === 'open' || checkout.phase === 'awaiting_sign_in';
  if (episode.access !== 'locked') {
    const released = episode.released;
    return (
      <button
        key="primary"
        type="button"
        class="primary"
        data-role={released ? 'watch' : 'not-released'}
        aria-disabled={released ? undefined : 'true'}
        onClick={() => released && actions.openSeries(series.id, episode.id)}
      >
        {released ? 'Watch' : `Out ${episode.releaseAt ? formatDate(episode.releaseAt) : 'soon'}`}
      </button>
    );
  }
  const busy = view.starting || waiting;
  const label = view.starting
    ? 'Opening checkout…'
    : checkout.phase === 'open'
      ? 'Waiting for payment…'
      : checkout.phase === 'awaiting_sign_in'
        ? 'Waiting for sign-in…'
        : view.compact
          ? `Unlock ${episode.price}`
          : `Unlock episode — ${episode.price}`;
  return (
    <button
      key="primary"
      type="button"
      class={busy ? 'primary busy' : 'primary'}
      data-role="unlock"
      aria-disabled={busy ? 'true' : undefined}
      onClick={() => !busy && actions.unlock(episode.id)}
    >
      {label}
    </button>
  );
}

function EpisodePanel({ view, actions }: { view: Extract<OverlayView, { kind: 'episode' }>; actions: OverlayActions }) {
  const { episode, series, checkout, creator } = view.match;
  const playable = episode.access !== 'locked';
  const waiting = checkout.phase === 'open' || checkout.phase === 'awaiting_sign_in';
  const line = playable ? null : checkoutLine(checkout);
  const heading = `Episode ${episode.number} of ${series.title}`;
  return (
    <section
      class={view.compact ? 'panel episode compact' : 'panel episode'}
      data-role="episode"
      data-episode-id={episode.id}
      aria-label={view.compact ? `Series: ${heading}` : 'Series episode'}
    >
      {view.compact ? (
        <div class="line">
          <Brand />
          <span class="heading" data-role="episode-heading">
            {heading}
          </span>
        </div>
      ) : (
        <>
          <header>
            <Brand />
            <span class="sub">by {creator.displayName}</span>
          </header>
          <div class="heading" data-role="episode-heading">
            {heading}
          </div>
          <div class="ep-title">{episode.title}</div>
        </>
      )}
      <div class="actions">
        <PrimaryButton view={view} actions={actions} />
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
      {!view.signedIn && !playable && !waiting && !view.compact && (
        <p class="note" data-role="signed-out">
          You’re signed out. Bought it already?{' '}
          <button type="button" class="link inline" data-role="sign-in" onClick={actions.signIn}>
            Sign in
          </button>
        </p>
      )}
    </section>
  );
}

/** A feed item by a creator who sells series, whose own video is not an episode. */
function CreatorPanel({ creator, actions }: { creator: FeedCreator; actions: OverlayActions }) {
  const [first, ...more] = creator.series;
  const label = `Series by @${creator.handle}`;
  const detail = more.length ? `${creator.series.length} series` : first ? `${first.title} · ${first.episodeCount} episodes` : '';
  return (
    <section class="panel compact creator" data-role="creator" aria-label={label}>
      <div class="actions">
        <Brand />
        {more.length || !first ? (
          <a class="primary" data-role="creator-series" href={`/@${creator.handle}`}>
            {label}
          </a>
        ) : (
          <button type="button" class="primary" data-role="creator-series" onClick={() => actions.openSeries(first.id)}>
            {label}
          </button>
        )}
        <span class="sub">{detail}</span>
      </div>
    </section>
  );
}

function ErrorPanel({ error, compact, actions }: { error: ExtensionError; compact: boolean; actions: OverlayActions }) {
  return (
    <section class={compact ? 'panel error compact' : 'panel error'} data-role="error" data-code={error.code} role="status">
      <header>
        <Brand />
        <button type="button" class="close" data-role="dismiss" aria-label="Dismiss" onClick={actions.dismiss}>
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
  switch (view.kind) {
    case 'error':
      return <ErrorPanel error={view.error} compact={view.compact} actions={actions} />;
    case 'profile':
      return <Shelf data={view.data} actions={actions} />;
    case 'creator':
      return <CreatorPanel creator={view.creator} actions={actions} />;
    default:
      return <EpisodePanel view={view} actions={actions} />;
  }
}
