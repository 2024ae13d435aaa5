import type { CheckoutState, ExtensionError, SitePage, UnlockItem, VideoOverlay } from '../../lib/protocol';
import { ask } from '../../lib/messaging';
import { pageKey, parsePageUrl } from '../../lib/page';
import type { OverlayHost } from './host';
import { Overlay, type OverlayActions, type OverlayView } from './Overlay';

const POLL_MS = 1_000;
/** A checkout page is open for an hour; stop asking after that. */
const POLL_LIMIT_MS = 60 * 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Follows the page: on every URL change it drops the overlay at once, asks the background for the new page's
 * data, and shows it only if the viewer is still on that page (answers for a page left are discarded).
 */
export class PageController {
  /** Bumped on every page change; async work for an older generation is dropped. */
  private generation = 0;
  private page: SitePage | null = null;
  private view: OverlayView | null = null;
  private reported = new Set<string>();

  constructor(private readonly host: OverlayHost) {}

  private readonly actions: OverlayActions = {
    openSeries: (seriesId, episodeId) => void ask({ type: 'openPlayer', target: { seriesId, ...(episodeId ? { episodeId } : {}) } }),
    unlock: (episodeId) => void this.unlock({ episodeId }),
    signIn: () => void ask({ type: 'openSignIn' }),
    retry: () => this.page && void this.load(this.page, this.generation),
    dismiss: () => this.host.clear(),
  };

  go(href: string): void {
    const page = parsePageUrl(href);
    if (page && this.page && pageKey(page) === pageKey(this.page)) return; // same page, e.g. another query string
    const generation = ++this.generation;
    this.page = page;
    this.view = null;
    this.reported.clear();
    this.host.clear();
    if (page) void this.load(page, generation);
  }

  private render(): void {
    if (!this.page || !this.view) return this.host.clear();
    this.host.show(this.page, <Overlay view={this.view} actions={this.actions} />);
  }

  private async load(page: SitePage, generation: number): Promise<void> {
    const answer = await ask({ type: 'page', page });
    if (generation !== this.generation) return;
    if (!answer.ok) return this.showError(answer.error);
    const data = answer.data;
    if (data.kind === 'profile') {
      this.view = data.shelf.length || data.offSale.length ? { kind: 'profile', data } : null;
      return this.render();
    }
    this.view = data.match ? { kind: 'video', data, starting: false } : null;
    this.render();
    const match = data.match;
    if (!match) return;
    if (match.episode.access === 'locked' && !this.reported.has(match.episode.id)) {
      this.reported.add(match.episode.id);
      void ask({ type: 'shown', episodeIds: [match.episode.id] });
    }
    if (match.checkout.phase === 'open' || match.checkout.phase === 'awaiting_sign_in') {
      void this.poll({ episodeId: match.episode.id }, generation);
    }
  }

  private showError(error: ExtensionError): void {
    this.view = { kind: 'error', error };
    this.render();
  }

  private updateVideo(change: (data: VideoOverlay) => Partial<{ checkout: CheckoutState; starting: boolean }>): void {
    if (this.view?.kind !== 'video' || !this.view.data.match) return;
    const { checkout, starting } = change(this.view.data);
    this.view = {
      kind: 'video',
      starting: starting ?? this.view.starting,
      data: { ...this.view.data, match: { ...this.view.data.match, ...(checkout ? { checkout } : {}) } },
    };
    this.render();
  }

  private async unlock(item: UnlockItem): Promise<void> {
    const generation = this.generation;
    this.updateVideo(() => ({ starting: true }));
    const answer = await ask({ type: 'unlock', item });
    if (generation !== this.generation) return;
    const state: CheckoutState = answer.ok ? answer.data : { phase: 'failed', error: answer.error };
    this.updateVideo(() => ({ starting: false, checkout: state }));
    if (state.phase === 'paid' && this.page) return this.load(this.page, generation);
    if (state.phase === 'open' || state.phase === 'awaiting_sign_in') await this.poll(item, generation);
  }

  /** Asks the background where the unlock stands until it is decided; "paid" reloads the page's data (→ Watch). */
  private async poll(item: UnlockItem, generation: number): Promise<void> {
    const deadline = Date.now() + POLL_LIMIT_MS;
    while (Date.now() < deadline) {
      await sleep(POLL_MS);
      if (generation !== this.generation) return;
      const answer = await ask({ type: 'checkoutState', item });
      if (generation !== this.generation) return;
      if (!answer.ok) {
        this.updateVideo(() => ({ checkout: { phase: 'failed', error: answer.error } }));
        if (answer.error.code === 'api_unreachable') continue; // keep trying: the payment may still complete
        return;
      }
      const state = answer.data;
      if (state.phase === 'paid' && this.page) return this.load(this.page, generation);
      this.updateVideo(() => ({ checkout: state }));
      if (state.phase !== 'open' && state.phase !== 'awaiting_sign_in') return;
    }
  }
}
