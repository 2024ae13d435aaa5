import type { AnchorSet } from '@series/core';
import type {
  CheckoutState,
  EpisodeMatch,
  ExtensionError,
  ExtensionResult,
  FeedOverlay,
  PageOverlay,
  SitePage,
  UnlockItem,
} from '../../lib/protocol';
import { findAnchor, firstMatch, itemKey, type ItemIdentity } from '../../lib/anchors';
import { ask } from '../../lib/messaging';
import { pageKey } from '../../lib/page';
import { timed } from '../../lib/perf';
import type { OverlayHost } from './host';
import { Overlay, type OverlayActions, type OverlayView } from './Overlay';

const POLL_MS = 1_000;
/** A checkout page is open for an hour; stop asking after that. */
const POLL_LIMIT_MS = 60 * 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the overlay is for: a page (profile, video), or the feed item in view. */
type Target =
  { kind: 'page'; key: string; page: SitePage } | { kind: 'feed'; key: string; item: Element; identity: ItemIdentity };

/**
 * Shows the one overlay for whatever is on screen. On every change (a navigation, another feed item in view,
 * a feed node the site reused for another video) it drops the overlay at once, asks the background for the
 * new target's data, and shows it only if the viewer is still on that target: answers for a target left are
 * discarded, so an overlay never shows the previous page's or item's data.
 */
export class OverlayController {
  /** Bumped on every change of target; async work for an older generation is dropped. */
  private generation = 0;
  private target: Target | null = null;
  private view: OverlayView | null = null;
  private reported = new Set<string>();

  constructor(
    private readonly host: OverlayHost,
    private readonly anchors: () => AnchorSet,
  ) {}

  private readonly actions: OverlayActions = {
    openSeries: (seriesId, episodeId) =>
      void ask({ type: 'openPlayer', target: { seriesId, ...(episodeId ? { episodeId } : {}) } }),
    unlock: (episodeId) => void this.unlock({ episodeId }),
    signIn: () => void ask({ type: 'openSignIn' }),
    retry: () => this.target && void this.load(this.target, this.generation),
    dismiss: () => this.host.clear(),
  };

  /** The page the URL shows (null: a page without an overlay). */
  showPage(page: SitePage | null): void {
    if (page && this.target?.kind === 'page' && this.target.key === pageKey(page)) return; // e.g. another query string
    this.switchTo(page ? { kind: 'page', key: pageKey(page), page } : null);
  }

  /** The feed item in view and what it shows (null: none, or one we cannot read yet). */
  showFeedItem(item: Element | null, identity: ItemIdentity | null): void {
    const key = itemKey(identity);
    if (this.target?.kind !== 'feed' && !(item && identity)) return; // nothing in view: a page overlay stays
    if (item && identity && this.target?.kind === 'feed' && this.target.item === item && this.target.key === key)
      return;
    this.switchTo(item && identity ? { kind: 'feed', key, item, identity } : null);
  }

  /** Asks again for what is on screen (e.g. the language changed, so prices are formatted anew). */
  reload(): void {
    if (this.target) this.switchTo(this.target);
  }

  /** Re-renders in place (e.g. the texts changed). */
  rerender(): void {
    this.render();
  }

  private switchTo(target: Target | null): void {
    const generation = ++this.generation;
    this.target = target;
    this.view = null;
    this.reported.clear();
    this.host.clear();
    if (target) void this.load(target, generation);
  }

  private locate(target: Target): Element | null {
    if (target.kind === 'page') return findAnchor(target.page, this.anchors());
    return target.item.isConnected ? firstMatch(target.item, this.anchors().feed.anchors) : null;
  }

  private render(): void {
    const target = this.target;
    if (!target || !this.view) return this.host.clear();
    timed('overlay: render', () =>
      this.host.show(() => this.locate(target), <Overlay view={this.view!} actions={this.actions} />),
    )();
  }

  private async load(target: Target, generation: number): Promise<void> {
    const answer: ExtensionResult<PageOverlay | FeedOverlay> =
      target.kind === 'page'
        ? await ask({ type: 'page', page: target.page })
        : await ask({ type: 'feedItem', item: target.identity });
    if (generation !== this.generation) return;
    const compact = target.kind === 'feed';
    if (!answer.ok) return this.showError(answer.error, compact);
    const data = answer.data;
    if (data.kind === 'profile') {
      this.view = data.shelf.length || data.offSale.length ? { kind: 'profile', data } : null;
      return this.render();
    }
    const match = data.match;
    if (match) this.view = { kind: 'episode', match, signedIn: data.signedIn, starting: false, compact };
    else if (data.kind === 'feed' && data.creator) this.view = { kind: 'creator', creator: data.creator };
    else this.view = null;
    this.render();
    if (!match) return;
    // Only an Unlock button counts for the creators' funnel (not "coming soon", not Watch).
    if (match.episode.access === 'locked' && match.episode.hasVideo && !this.reported.has(match.episode.id)) {
      this.reported.add(match.episode.id);
      void ask({ type: 'shown', episodeIds: [match.episode.id] });
    }
    if (match.checkout.phase === 'open' || match.checkout.phase === 'awaiting_sign_in') {
      void this.poll({ episodeId: match.episode.id }, generation);
    }
  }

  private showError(error: ExtensionError, compact: boolean): void {
    this.view = { kind: 'error', error, compact };
    this.render();
  }

  private updateEpisode(
    change: (match: EpisodeMatch) => Partial<{ checkout: CheckoutState; starting: boolean }>,
  ): void {
    if (this.view?.kind !== 'episode') return;
    const { checkout, starting } = change(this.view.match);
    this.view = {
      ...this.view,
      starting: starting ?? this.view.starting,
      match: { ...this.view.match, ...(checkout ? { checkout } : {}) },
    };
    this.render();
  }

  private async unlock(item: UnlockItem): Promise<void> {
    const generation = this.generation;
    if (this.view?.kind === 'episode' && this.view.starting) return; // a second press while the first is under way
    this.updateEpisode(() => ({ starting: true }));
    const answer = await ask({ type: 'unlock', item });
    if (generation !== this.generation) return;
    const state: CheckoutState = answer.ok ? answer.data : { phase: 'failed', error: answer.error };
    this.updateEpisode(() => ({ starting: false, checkout: state }));
    if (state.phase === 'paid' && this.target) return this.load(this.target, generation);
    if (state.phase === 'open' || state.phase === 'awaiting_sign_in') await this.poll(item, generation);
  }

  /** Asks the background where the unlock stands until it is decided; "paid" reloads the target's data (→ Watch). */
  private async poll(item: UnlockItem, generation: number): Promise<void> {
    const deadline = Date.now() + POLL_LIMIT_MS;
    while (Date.now() < deadline) {
      await sleep(POLL_MS);
      if (generation !== this.generation) return;
      const answer = await ask({ type: 'checkoutState', item });
      if (generation !== this.generation) return;
      if (!answer.ok) {
        this.updateEpisode(() => ({ checkout: { phase: 'failed', error: answer.error } }));
        if (answer.error.code === 'api_unreachable') continue; // keep trying: the payment may still complete
        return;
      }
      const state = answer.data;
      if (state.phase === 'paid' && this.target) return this.load(this.target, generation);
      this.updateEpisode(() => ({ checkout: state }));
      if (state.phase !== 'open' && state.phase !== 'awaiting_sign_in') return;
    }
  }
}
