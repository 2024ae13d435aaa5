import type { AnchorSet } from '@series/core';
import { allOfFirstMatch, itemKey, readItem, type ItemIdentity } from './anchors';
import { timed } from './perf';

type ItemList = AnchorSet['feed'];

export interface ItemWatcherOptions {
  /** The list's anchors (feed items or search cards), read at each use: a served set may arrive later. */
  list: () => ItemList;
  /**
   * The item in view changed, or it now shows another video (the site's virtual list reuses its nodes).
   * Called synchronously from the mutation that changed it, so a caller that clears its button here clears
   * it before the browser paints the new content.
   */
  onActive?(item: Element | null, identity: ItemIdentity | null): void;
  /** An item near the viewport shows something new (or `null`: it left, or shows nothing we can read). */
  onNear?(item: Element, identity: ItemIdentity | null): void;
  win?: Window & typeof globalThis;
  /** How far around the viewport an item counts as near (IntersectionObserver rootMargin). */
  nearMargin?: string;
}

/** The share of the viewport an item must fill, or of itself it must show, to be the one in view. */
const ACTIVE_SHARE = 0.5;
const THRESHOLDS = Array.from({ length: 11 }, (_, i) => i / 10);
const WATCHED_ATTRIBUTES = ['id', 'href', 'data-e2e', 'data-scroll-index'];

/**
 * Watches a virtual list (the For You feed, search results): which item is in view, by an
 * IntersectionObserver rather than polling, and what each item near the viewport shows. Items are read
 * again whenever the site mutates them, so a recycled node is reported as the new video it shows, never
 * the old one. Holds only the items in the DOM: nothing grows as the viewer scrolls.
 */
export class ItemWatcher {
  private readonly win: Window & typeof globalThis;
  private view: IntersectionObserver | null = null;
  private nearby: IntersectionObserver | null = null;
  private mutations: MutationObserver | null = null;
  private readonly tracked = new Set<Element>();
  private readonly shares = new Map<Element, number>();
  /** Items near the viewport → the key of what each showed when last read. */
  private readonly near = new Map<Element, string>();
  private active: Element | null = null;
  private activeKey = '';
  private itemSelector = '';
  private scanQueued = false;

  constructor(private readonly options: ItemWatcherOptions) {
    this.win = options.win ?? window;
  }

  start(): void {
    if (this.view) return;
    const { IntersectionObserver, MutationObserver } = this.win;
    this.view = new IntersectionObserver(
      timed('feed: item in view', (entries) => this.onView(entries)),
      { threshold: THRESHOLDS },
    );
    this.nearby = new IntersectionObserver(
      timed('feed: items near', (entries) => this.onNearby(entries)),
      {
        rootMargin: this.options.nearMargin ?? '150% 0px',
      },
    );
    this.mutations = new MutationObserver(timed('feed: mutations', (records) => this.onMutations(records)));
    this.mutations.observe(this.win.document.documentElement, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: WATCHED_ATTRIBUTES,
    });
    this.scan();
  }

  stop(): void {
    this.view?.disconnect();
    this.nearby?.disconnect();
    this.mutations?.disconnect();
    this.view = this.nearby = this.mutations = null;
    this.tracked.clear();
    this.shares.clear();
    this.near.clear();
    if (this.active) this.setActive(null);
  }

  /** Items currently watched (the DOM's), for tests and the benchmark. */
  get size(): number {
    return this.tracked.size;
  }

  /** Finds items the site added and forgets the ones it removed. */
  scan(): void {
    if (!this.view) return;
    const list = this.options.list();
    const found = allOfFirstMatch(this.win.document, list.items);
    this.itemSelector = list.items.find((s) => found[0]?.matches(s)) ?? '';
    const now = new Set(found);
    for (const item of this.tracked) if (!now.has(item) || !item.isConnected) this.untrack(item);
    for (const item of found) {
      if (this.tracked.has(item)) continue;
      this.tracked.add(item);
      this.view.observe(item);
      this.nearby!.observe(item);
    }
    for (const item of this.near.keys()) this.reread(item);
  }

  private untrack(item: Element): void {
    this.tracked.delete(item);
    this.shares.delete(item);
    this.view?.unobserve(item);
    this.nearby?.unobserve(item);
    if (this.near.delete(item)) this.options.onNear?.(item, null);
    if (this.active === item) this.setActive(this.best());
  }

  private onView(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      const viewport = entry.rootBounds?.height || this.win.innerHeight || 1;
      const share = Math.max(entry.intersectionRatio, entry.intersectionRect.height / viewport);
      if (share > 0) this.shares.set(entry.target, share);
      else this.shares.delete(entry.target);
    }
    const best = this.best();
    // Mid-scroll, while none fills enough, the one in view stays until it is gone or another takes over.
    if (!best && this.active && this.shares.has(this.active)) return;
    if (best !== this.active) this.setActive(best);
  }

  /** The item filling most of the viewport, if one fills enough; the current one wins a tie. */
  private best(): Element | null {
    let best: Element | null = null;
    let top = ACTIVE_SHARE - 1e-6;
    for (const [item, share] of this.shares) {
      if (share > top || (share === top && item === this.active)) {
        best = item;
        top = share;
      }
    }
    return best;
  }

  private setActive(item: Element | null): void {
    this.active = item;
    const identity = item ? readItem(item, this.options.list()) : null;
    this.activeKey = itemKey(identity);
    this.options.onActive?.(item, identity);
  }

  private onNearby(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      if (entry.isIntersecting) {
        if (!this.near.has(entry.target)) {
          this.near.set(entry.target, '\u0000'); // never a real key: the first read reports
          this.reread(entry.target);
        }
      } else if (this.near.delete(entry.target)) {
        this.options.onNear?.(entry.target, null);
      }
    }
  }

  private reread(item: Element): void {
    const identity = readItem(item, this.options.list());
    const key = itemKey(identity);
    if (this.near.get(item) === key) return;
    this.near.set(item, key);
    this.options.onNear?.(item, identity);
  }

  private onMutations(records: MutationRecord[]): void {
    let added = false;
    const touched = new Set<Element>();
    for (const record of records) {
      if (record.addedNodes.length || record.removedNodes.length) added = true;
      const target = record.target.nodeType === 1 ? (record.target as Element) : record.target.parentElement;
      const item = this.itemSelector && target ? target.closest(this.itemSelector) : null;
      if (item && this.tracked.has(item)) touched.add(item);
    }
    for (const item of touched) {
      if (item === this.active) {
        const identity = readItem(item, this.options.list());
        const key = itemKey(identity);
        if (key !== this.activeKey) {
          this.activeKey = key;
          this.options.onActive?.(item, identity);
        }
      }
      if (this.near.has(item)) this.reread(item);
    }
    if (added) this.queueScan();
  }

  private queueScan(): void {
    if (this.scanQueued) return;
    this.scanQueued = true;
    const run = timed('feed: scan', () => {
      this.scanQueued = false;
      this.scan();
    });
    if (typeof this.win.requestAnimationFrame === 'function' && this.win.document.visibilityState !== 'hidden') {
      this.win.requestAnimationFrame(run);
    } else {
      this.win.setTimeout(run, 50);
    }
  }
}
