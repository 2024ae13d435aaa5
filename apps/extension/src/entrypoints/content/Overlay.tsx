import type { CheckoutState, EpisodeMatch, ExtensionError, FeedCreator, ProfileOverlay } from '../../lib/protocol';
import { checkoutStateText, errorText, formatDate, plural, t, textLocale } from '../../lib/texts';

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

function Brand() {
  return (
    <span class="brand" aria-hidden="true">
      {t('extension.brand')}
    </span>
  );
}

function Shelf({ data, actions }: { data: ProfileOverlay; actions: OverlayActions }) {
  const name = data.creator?.displayName ?? `@${data.handle}`;
  return (
    <section
      class="panel shelf"
      data-role="shelf"
      lang={textLocale()}
      aria-label={t('extension.shelf.label', { name })}
    >
      <header>
        <Brand />
        <span class="sub">{data.shelf.length ? t('extension.shelf.heading', { name }) : `@${data.handle}`}</span>
        {data.creator?.verified && (
          <span class="verified" data-role="verified" data-verified={data.creator.verified}>
            ✓ {t(data.creator.verified === 'tiktok' ? 'extension.verified.tiktok' : 'extension.verified.bio_code')}
          </span>
        )}
      </header>
      {data.shelf.length > 0 && (
        <ul class="cards">
          {data.shelf.map((s) => (
            <li class="card" key={s.id} data-series-id={s.id}>
              <button
                type="button"
                class="cover"
                onClick={() => actions.openSeries(s.id)}
                aria-label={t('extension.shelf.open', { title: s.title })}
              >
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
                  {s.freeEpisodeCount > 0
                    ? t('extension.shelf.facts', {
                        episodes: plural('extension.common.episodes', s.episodeCount),
                        free: plural('extension.shelf.free', s.freeEpisodeCount),
                      })
                    : plural('extension.common.episodes', s.episodeCount)}
                </div>
                <div class="facts" data-role="price-range">
                  {s.priceRange
                    ? t('extension.shelf.priceRange', { range: s.priceRange })
                    : t('extension.shelf.allFree')}
                </div>
                {s.ownedAll ? (
                  <div class="bundle owned">{t('extension.shelf.ownedAll')}</div>
                ) : s.bundlePrice ? (
                  <div class="bundle" data-role="bundle-price">
                    {t(s.bundleCompletes ? 'extension.shelf.complete' : 'extension.shelf.buyAll', {
                      price: s.bundlePrice,
                    })}
                  </div>
                ) : null}
                <button type="button" class="link" data-role="open-series" onClick={() => actions.openSeries(s.id)}>
                  {t('extension.shelf.openSeries')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {data.offSale.length > 0 && (
        <div class="notice" data-role="off-sale">
          <p>{data.shelf.length ? t('extension.shelf.offSaleSome') : t('extension.shelf.offSaleAll')}</p>
          {data.offSale.map((s) => (
            <button type="button" class="link" key={s.seriesId} onClick={() => actions.openSeries(s.seriesId)}>
              {t('extension.shelf.watchOffSale', { title: s.title })}
            </button>
          ))}
        </div>
      )}
    </section>
  );
}

/**
 * The main button: Watch, Unlock, or a busy state. Always the same element (same key, same place), so focus
 * stays on it through every state; busy states are `aria-disabled` rather than `disabled`, which would drop
 * the focus, and ignore presses.
 */
function PrimaryButton({
  view,
  actions,
}: {
  view: Extract<OverlayView, { kind: 'episode' }>;
  actions: OverlayActions;
}) {
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
        {released
          ? t('extension.episode.watch')
          : episode.releaseAt
            ? t('extension.episode.outOn', { date: formatDate(episode.releaseAt) })
            : t('extension.episode.outSoon')}
      </button>
    );
  }
  // Nothing is sold that cannot be watched: an episode waits for its video ("coming soon").
  if (!episode.hasVideo) {
    return (
      <button key="primary" type="button" class="primary" data-role="not-ready" aria-disabled="true">
        {t('extension.episode.notReady')}
      </button>
    );
  }
  const busy = view.starting || waiting;
  const price = episode.price ?? '';
  const label = view.starting
    ? t('extension.episode.opening')
    : checkout.phase === 'open'
      ? t('extension.episode.waitingPayment')
      : checkout.phase === 'awaiting_sign_in'
        ? t('extension.episode.waitingSignIn')
        : view.compact
          ? t('extension.episode.unlockShort', { price })
          : t('extension.episode.unlock', { price });
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
  const line = playable ? null : checkoutStateText(checkout, 'overlay');
  const heading = t('extension.episode.heading', { number: episode.number, series: series.title });
  return (
    <section
      class={view.compact ? 'panel episode compact' : 'panel episode'}
      data-role="episode"
      data-episode-id={episode.id}
      lang={textLocale()}
      aria-label={view.compact ? t('extension.episode.compactLabel', { heading }) : t('extension.episode.label')}
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
            <span class="sub">{t('extension.common.by', { name: creator.displayName })}</span>
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
          {series.bundlePrice
            ? plural(
                series.bundleCompletes ? 'extension.episode.allComplete' : 'extension.episode.allBuyAll',
                series.episodeCount,
                {
                  price: series.bundlePrice,
                },
              )
            : plural('extension.episode.all', series.episodeCount)}
        </button>
      </div>
      {!playable && !episode.hasVideo && !view.compact && (
        <p class="note" data-role="not-ready-note">
          {t('extension.episode.notReadyNote')}
        </p>
      )}
      {!episode.released && !playable && episode.hasVideo && episode.releaseAt && (
        <p class="note" data-role="release-note">
          {t('extension.episode.releaseNote', { date: formatDate(episode.releaseAt) })}
        </p>
      )}
      {line && (
        <p class={checkout.phase === 'failed' ? 'note error-text' : 'note'} role="status" data-role="checkout-status">
          {line}
        </p>
      )}
      {!view.signedIn && !playable && !waiting && !view.compact && (
        <p class="note" data-role="signed-out">
          {t('extension.episode.signedOut')}{' '}
          <button type="button" class="link inline" data-role="sign-in" onClick={actions.signIn}>
            {t('extension.common.signIn')}
          </button>
        </p>
      )}
    </section>
  );
}

/** A feed item by a creator who sells series, whose own video is not an episode. */
function CreatorPanel({ creator, actions }: { creator: FeedCreator; actions: OverlayActions }) {
  const [first, ...more] = creator.series;
  const label = t('extension.creator.button', { handle: creator.handle });
  const detail = more.length
    ? plural('extension.creator.count', creator.series.length)
    : first
      ? t('extension.creator.single', {
          title: first.title,
          episodes: plural('extension.common.episodes', first.episodeCount),
        })
      : '';
  return (
    <section class="panel compact creator" data-role="creator" lang={textLocale()} aria-label={label}>
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
    <section
      class={compact ? 'panel error compact' : 'panel error'}
      data-role="error"
      data-code={error.code}
      role="status"
      lang={textLocale()}
    >
      <header>
        <Brand />
        <button
          type="button"
          class="close"
          data-role="dismiss"
          aria-label={t('extension.common.dismiss')}
          onClick={actions.dismiss}
        >
          ×
        </button>
      </header>
      <p>{errorText(error)}</p>
      <button type="button" class="secondary" data-role="retry" onClick={actions.retry}>
        {t('extension.common.retry')}
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
