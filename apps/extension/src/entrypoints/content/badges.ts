import type { AnchorSet } from '@series/core';
import { firstMatch, itemKey, readItem, type ItemIdentity } from '../../lib/anchors';
import { ItemWatcher } from '../../lib/items';
import { ask } from '../../lib/messaging';
import type { ListItem, SearchBadge } from '../../lib/protocol';

const BATCH = 30;
const CSS = `:host{all:initial;display:block;margin:4px 0 0;font:600 12px/1.35 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}
span{display:inline-block;padding:2px 8px;border-radius:999px;background:#161823;color:#fff}`;

/** The badge's words ("▶ Series · Episode 2 · $1.99"). */
export type BadgeText = (badge: SearchBadge) => string;

/**
 * Small badges on search result cards whose video is an episode on sale. Cards near the viewport are looked
 * up in batches (by hash prefix in the background, like every lookup); a card the site reuses for another
 * result loses its badge in the same mutation that changed it.
 */
export class SearchBadges {
  private readonly watcher: ItemWatcher;
  private readonly shown = new Map<Element, HTMLElement>();
  private readonly pending = new Map<Element, ListItem & { videoId: string }>();
  private flushQueued = false;

  constructor(
    private readonly anchors: () => AnchorSet,
    private readonly text: BadgeText,
  ) {
    this.watcher = new ItemWatcher({
      list: () => anchors().search,
      onNear: (card, identity) => this.onCard(card, identity),
      nearMargin: '50% 0px',
    });
  }

  start(): void {
    this.watcher.start();
  }

  stop(): void {
    this.watcher.stop();
    this.pending.clear();
    for (const badge of this.shown.values()) badge.remove();
    this.shown.clear();
  }

  private onCard(card: Element, identity: ItemIdentity | null): void {
    this.shown.get(card)?.remove();
    this.shown.delete(card);
    this.pending.delete(card);
    if (!identity?.videoId) return;
    this.pending.set(card, { handle: identity.handle, videoId: identity.videoId });
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.flushQueued = false;
    const cards = [...this.pending].slice(0, BATCH);
    for (const [card] of cards) this.pending.delete(card);
    if (this.pending.size) queueMicrotask(() => void this.flush());
    if (!cards.length) return;
    const answer = await ask({ type: 'badges', items: cards.map(([, item]) => item) });
    if (!answer.ok) return; // badges are a hint: no error on a search page
    answer.data.badges.forEach((badge, i) => {
      const [card, item] = cards[i]!;
      // Only if the card still shows what was asked about (the site may have reused it meanwhile).
      if (!badge || !card.isConnected || itemKey(readItem(card, this.anchors().search)) !== itemKey(item)) return;
      this.show(card, badge);
    });
  }

  private show(card: Element, badge: SearchBadge): void {
    this.shown.get(card)?.remove();
    const host = document.createElement('series-badge');
    host.dataset.videoId = badge.videoId;
    const root = host.attachShadow({ mode: 'closed' });
    const style = document.createElement('style');
    style.textContent = CSS;
    const label = document.createElement('span');
    label.textContent = this.text(badge);
    root.append(style, label);
    const anchor = firstMatch(card, this.anchors().search.anchors);
    if (anchor) anchor.after(host);
    else card.append(host);
    this.shown.set(card, host);
  }
}
