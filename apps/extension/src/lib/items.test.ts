import { readFileSync } from 'node:fs';
import { Window as HappyWindow } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_ANCHORS, type ItemIdentity } from './anchors';
import { ItemWatcher } from './items';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url), 'utf8');

/**
 * An IntersectionObserver the test drives: `FakeIO.show(el, share)` reports `el` filling `share` of the
 * viewport to the watcher's "in view" observer, and near (or not) to its "nearby" observer.
 */
class FakeIO {
  static all: FakeIO[] = [];
  readonly observed = new Set<Element>();
  constructor(
    private readonly callback: (entries: Partial<IntersectionObserverEntry>[]) => void,
    readonly options: IntersectionObserverInit = {},
  ) {
    FakeIO.all.push(this);
  }
  observe(el: Element) {
    this.observed.add(el);
  }
  unobserve(el: Element) {
    this.observed.delete(el);
  }
  disconnect() {
    this.observed.clear();
  }
  static show(el: Element, share: number) {
    for (const io of FakeIO.all) {
      if (!io.observed.has(el)) continue;
      const near = io.options.rootMargin !== undefined;
      io.callback([
        {
          target: el,
          isIntersecting: near ? share > -1 : share > 0,
          intersectionRatio: near ? 1 : share,
          intersectionRect: { height: share * 800 } as DOMRectReadOnly,
          rootBounds: { height: 800 } as DOMRectReadOnly,
        },
      ]);
    }
  }
  static leave(el: Element) {
    for (const io of FakeIO.all) {
      if (io.observed.has(el))
        io.callback([
          {
            target: el,
            isIntersecting: false,
            intersectionRatio: 0,
            intersectionRect: { height: 0 } as DOMRectReadOnly,
            rootBounds: { height: 800 } as DOMRectReadOnly,
          },
        ]);
    }
  }
}

function feedPage(html = fixture('feed.html')) {
  FakeIO.all = [];
  const win = new HappyWindow({ url: 'https://www.tiktok.com/foryou' });
  win.document.write(html);
  (win as unknown as { IntersectionObserver: unknown }).IntersectionObserver = FakeIO;
  const active: { item: Element | null; identity: ItemIdentity | null }[] = [];
  const near: { item: Element; identity: ItemIdentity | null }[] = [];
  const watcher = new ItemWatcher({
    list: () => BUILT_IN_ANCHORS.feed,
    onActive: (item, identity) => active.push({ item, identity }),
    onNear: (item, identity) => near.push({ item, identity }),
    win: win as unknown as Window & typeof globalThis,
  });
  watcher.start();
  const items = [...win.document.querySelectorAll('article')] as unknown as Element[];
  return { win, watcher, items, active, near };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ItemWatcher on the feed', () => {
  it('reports the item that fills the viewport, and the next one when it scrolls into view', () => {
    const { items, active } = feedPage();
    FakeIO.show(items[0]!, 1);
    expect(active.at(-1)).toEqual({
      item: items[0],
      identity: { handle: 'seriesdemo', videoId: '7300000000000000002' },
    });
    // Half-way through the scroll neither fills enough of the viewport to change the one in view.
    FakeIO.show(items[0]!, 0.45);
    FakeIO.show(items[1]!, 0.45);
    expect(active).toHaveLength(1);
    FakeIO.show(items[0]!, 0.1);
    FakeIO.show(items[1]!, 0.9);
    expect(active.at(-1)).toEqual({
      item: items[1],
      identity: { handle: 'someoneelse', videoId: '7412345678901234567' },
    });
    FakeIO.show(items[1]!, 0);
    expect(active.at(-1)).toEqual({ item: null, identity: null });
  });

  it('reports a node the site reused for another video in the mutation that changed it', async () => {
    const { items, active } = feedPage();
    FakeIO.show(items[0]!, 1);
    const item = items[0]!;
    // The virtual list moves this node to another index and fills it with another video, in one render.
    item.querySelector('[data-e2e="video-author-avatar"]')!.setAttribute('href', '/@someoneelse');
    item.querySelector('[data-e2e="video-author-uniqueid"]')!.textContent = 'someoneelse';
    item.querySelector('[id^="xgwrapper-"]')!.id = 'xgwrapper-9-7499999999999999999';
    await Promise.resolve(); // mutation observers run as microtasks, before the next paint
    expect(active.at(-1)).toEqual({ item, identity: { handle: 'someoneelse', videoId: '7499999999999999999' } });
    // A skeleton while the next video's data loads: nothing to show, and nothing old either.
    item.querySelector('[data-e2e="video-author-avatar"]')!.remove();
    item.querySelector('[data-e2e="video-author-uniqueid"]')!.closest('a')!.remove();
    item.querySelectorAll('a[href^="/@"]').forEach((a) => a.remove());
    await Promise.resolve();
    expect(active.at(-1)).toEqual({ item, identity: null });
  });

  it('ignores mutations that do not change what the item shows (our own button, likes counting up)', async () => {
    const { items, active, win } = feedPage();
    FakeIO.show(items[0]!, 1);
    items[0]!
      .querySelector('[data-e2e="video-desc"]')!
      .after(win.document.createElement('series-overlay') as unknown as Element);
    items[0]!.querySelector('[data-e2e="like-icon"]')!.textContent = '♥ 1.2K';
    await Promise.resolve();
    expect(active).toHaveLength(1);
  });

  it('reports near items for prefetching, again when reused, and forgets removed ones', async () => {
    const { items, near, watcher, win } = feedPage();
    FakeIO.show(items[1]!, 0);
    expect(near.at(-1)).toEqual({
      item: items[1],
      identity: { handle: 'someoneelse', videoId: '7412345678901234567' },
    });
    items[1]!.querySelector('[id^="xgwrapper-"]')!.id = 'xgwrapper-4-7488888888888888888';
    await Promise.resolve();
    expect(near.at(-1)?.identity).toEqual({ handle: 'someoneelse', videoId: '7488888888888888888' });
    expect(watcher.size).toBe(3);
    items[1]!.remove();
    await flush();
    await new Promise((resolve) => win.requestAnimationFrame(resolve));
    await flush();
    expect(watcher.size).toBe(2);
    expect(near.at(-1)).toEqual({ item: items[1], identity: null });
  });

  it('picks up items the site adds as the feed grows', async () => {
    const { watcher, win } = feedPage();
    const list = win.document.querySelector('[data-e2e="recommend-list-container"]')!;
    const next = list.querySelector('article')!.cloneNode(true) as unknown as Element;
    list.append(next as never);
    await flush();
    await new Promise((resolve) => win.requestAnimationFrame(resolve));
    await flush();
    expect(watcher.size).toBe(4);
  });

  it('stops observing and reports nothing in view when stopped', () => {
    const { items, active, watcher } = feedPage();
    FakeIO.show(items[0]!, 1);
    watcher.stop();
    expect(active.at(-1)).toEqual({ item: null, identity: null });
    expect(FakeIO.all.every((io) => io.observed.size === 0)).toBe(true);
    expect(watcher.size).toBe(0);
  });
});
