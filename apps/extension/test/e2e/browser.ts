import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';

/** Debian's Chromium, with the built extension loaded and www.tiktok.com mapped to the local fixture site. */
export async function launchBrowser(extensionDir: string, sitePort: number, options: { locale?: string } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'series-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    // The browser's language (its UI and Accept-Language), which the extension follows unless told otherwise.
    locale: options.locale ?? 'en-US',
    viewport: { width: 1280, height: 800 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      `--host-resolver-rules=MAP www.tiktok.com 127.0.0.1:${sitePort}`,
      '--ignore-certificate-errors',
      `--lang=${options.locale ?? 'en-US'}`,
      // gc() in the page and the service worker, so memory figures are measured after a collection.
      '--js-flags=--expose-gc',
      '--remote-debugging-port=0',
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  const extensionId = new URL(worker.url()).host;
  return {
    context,
    profile,
    extensionId,
    extensionUrl: (path: string) => `chrome-extension://${extensionId}/${path}`,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The feed measurement, installed in the content world (see {@link ContentWorld.scrollAndMeasure}). */
const MEASURE_SOURCE = `() => {
  if (globalThis.__seriesTest) return;
  let expect = { episodes: {}, sellers: {} };
  const wanted = (item) => {
    const id = /([0-9]{8,})$/.exec(item.querySelector('[id^="xgwrapper-"], [id^="player-"]')?.id ?? '')?.[1];
    const handle = (item.querySelector('a[href^="/@"]')?.getAttribute('href') ?? '').slice(2);
    return id && expect.episodes[id] && handle === 'seriesdemo' ? expect.episodes[id] : (expect.sellers[handle] ?? null);
  };
  globalThis.__seriesTest = {
    expect: (next) => void (expect = next),
    measure: (index) => new Promise((resolve) => {
      let stale = null, maxCount = 0;
      const check = () => {
        const hosts = document.querySelectorAll('series-overlay');
        maxCount = Math.max(maxCount, hosts.length);
        const host = hosts[0];
        const text = host ? (chrome.dom.openOrClosedShadowRoot(host)?.querySelector('.panel')?.textContent ?? '') : '';
        const item = host?.closest('[data-index]');
        if (host && text && !stale) {
          const should = item ? wanted(item) : null;
          if (!should || !text.includes(should)) stale = 'item ' + (item?.dataset.index ?? 'none') + ' showed "' + text + '" for "' + should + '"';
        }
        const target = document.querySelector('[data-index="' + index + '"]');
        if (!target) return false;
        const goal = wanted(target);
        const ok = goal ? item === target && text.includes(goal) : !host;
        return ok ? text || null : false;
      };
      const before = document.documentElement.dataset.scrollAt ?? '';
      const began = performance.now();
      const tick = () => {
        const at = document.documentElement.dataset.scrollAt ?? '';
        const shown = at !== before ? check() : false;
        if (shown !== false) return resolve({ ms: performance.now() - Number(at), stale, maxCount, shown });
        if (performance.now() - began > 5000) return resolve({ ms: Infinity, stale, maxCount, shown: null, timeout: true });
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    }),
  };
}`;

/** What a feed item's button must say, by what the item shows: an episode's heading, "Series by @…", or nothing. */
export type FeedExpectations = { episodes: Record<string, string>; sellers: Record<string, string> };

export interface OverlayState {
  count: number;
  text: string | null;
  floating: boolean;
  /** data-e2e of the element the overlay sits after (null when floating). */
  after: string | null;
  /** data-role of every element in the panel (e.g. `unlock`, `watch`). */
  roles: string[];
}

/**
 * Reaches into the extension's content-script world over CDP. The overlay lives in a closed shadow root that
 * the page (and Playwright's selectors) cannot open; the content script's own world can, with
 * chrome.dom.openOrClosedShadowRoot.
 */
export class ContentWorld {
  private contexts = new Map<number, { name: string; created: number }>();
  private counter = 0;

  private constructor(
    readonly page: Page,
    private readonly cdp: CDPSession,
  ) {
    cdp.on('Runtime.executionContextCreated', ({ context }) =>
      this.contexts.set(context.id, { name: context.name, created: ++this.counter }),
    );
    cdp.on('Runtime.executionContextDestroyed', ({ executionContextId }) => this.contexts.delete(executionContextId));
    cdp.on('Runtime.executionContextsCleared', () => this.contexts.clear());
  }

  static async attach(context: BrowserContext, page: Page): Promise<ContentWorld> {
    const cdp = await context.newCDPSession(page);
    const world = new ContentWorld(page, cdp);
    await cdp.send('Runtime.enable');
    return world;
  }

  private contextId(): number {
    const ids = [...this.contexts].filter(([, c]) => c.name === 'Series').sort((a, b) => b[1].created - a[1].created);
    if (!ids[0]) throw new Error('The Series content script is not running in this page');
    return ids[0][0];
  }

  async eval<T>(expression: string): Promise<T> {
    const { result, exceptionDetails } = await this.cdp.send('Runtime.evaluate', {
      expression,
      contextId: this.contextId(),
      awaitPromise: true,
      returnByValue: true,
    });
    if (exceptionDetails)
      throw new Error(`content world: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    return result.value as T;
  }

  overlay(): Promise<OverlayState> {
    return this.eval(`(() => {
      const hosts = document.querySelectorAll('series-overlay');
      const host = hosts[0];
      const panel = host ? chrome.dom.openOrClosedShadowRoot(host)?.querySelector('.panel') : null;
      return {
        count: hosts.length,
        text: panel ? panel.textContent : null,
        floating: !!host && host.classList.contains('floating'),
        after: host && !host.classList.contains('floating') ? host.previousElementSibling?.getAttribute('data-e2e') ?? null : null,
        roles: panel ? [...panel.querySelectorAll('[data-role]')].map((el) => el.getAttribute('data-role')) : [],
      };
    })()`);
  }

  async waitForOverlay(check: (state: OverlayState) => boolean, what: string, timeout = 10_000): Promise<OverlayState> {
    const deadline = Date.now() + timeout;
    let state = await this.overlay();
    while (!check(state)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; overlay: ${JSON.stringify(state)}`);
      await new Promise((r) => setTimeout(r, 50));
      state = await this.overlay();
    }
    return state;
  }

  /** Runs `js` (with `el` bound to the element matching `selector` inside the overlay) in the content world. */
  inOverlay<T>(selector: string, js: string): Promise<T> {
    return this.eval(`(() => {
      const host = document.querySelector('series-overlay');
      const el = host && chrome.dom.openOrClosedShadowRoot(host)?.querySelector(${JSON.stringify(selector)});
      if (!el) throw new Error('no ${selector.replace(/'/g, '')} in the overlay');
      return (${js});
    })()`);
  }

  /** A real mouse click in the middle of an element of the overlay. */
  async click(selector: string): Promise<void> {
    const box = await this.inOverlay<{ x: number; y: number; disabled: boolean }>(
      selector,
      `(() => { el.scrollIntoView({ block: 'center' }); const r = el.getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2, disabled: !!el.disabled }; })()`,
    );
    if (box.disabled) throw new Error(`${selector} is disabled`);
    await this.page.mouse.click(box.x, box.y);
  }

  /**
   * Scrolls the feed to item `index` and measures, on the page's clock, the time until the item's button
   * shows what the item shows (or, for an item with nothing on sale, until no button is shown). Meanwhile,
   * on every frame (what the viewer sees), checks that a button inside an item describes what that item
   * shows now: a node the site reused must never carry the previous video's button.
   */
  async scrollAndMeasure(index: number, expect: FeedExpectations) {
    // Installed once per page (and per expectations), then called with the index only: a script compiled per
    // step would be kept by the engine and show up as the page's memory growing in the benchmark.
    const key = JSON.stringify(expect);
    await this.eval(`(${MEASURE_SOURCE})()`);
    await this.eval(`__seriesTest.expect(${key})`);
    const measuring = this.eval<{
      ms: number;
      stale: string | null;
      maxCount: number;
      shown: string | null;
      timeout?: boolean;
    }>(`__seriesTest.measure(${index})`);
    await this.eval('0'); // same CDP session, so the measurement above is installed before the scroll
    await this.page.evaluate(
      (i) => (window as unknown as { __scrollToItem(i: number): void }).__scrollToItem(i),
      index,
    );
    return measuring;
  }

  /**
   * Navigates in-app (the site's own pushState) and measures, on the page's clock, the time from the
   * navigation to the overlay showing `expected`; meanwhile records whether `stale` (the previous page's
   * text) was ever visible after the navigation, and the most overlay elements seen at once.
   */
  async navigateAndMeasure(href: string, expected: string, stale: string | null) {
    const before = await this.page.evaluate(() => document.documentElement.dataset.navAt ?? '');
    const measuring = this.eval<{
      ms: number;
      stale: boolean;
      maxCount: number;
      timeout?: boolean;
      text?: string;
    }>(`new Promise((resolve) => {
      const before = ${JSON.stringify(before)};
      let stale = false, maxCount = 0, done = false;
      const observers = [];
      const finish = (value) => { if (done) return; done = true; observers.forEach((o) => o.disconnect()); resolve(value); };
      const check = () => {
        const navAt = document.documentElement.dataset.navAt;
        if (!navAt || navAt === before) return;
        const hosts = document.querySelectorAll('series-overlay');
        maxCount = Math.max(maxCount, hosts.length);
        const root = hosts[0] && chrome.dom.openOrClosedShadowRoot(hosts[0]);
        if (root && !observers.some((o) => o.root === root)) {
          const o = new MutationObserver(check); o.root = root;
          o.observe(root, { childList: true, subtree: true, characterData: true });
          observers.push(o);
        }
        const text = root?.querySelector('.panel')?.textContent ?? '';
        if (${JSON.stringify(stale)} && text.includes(${JSON.stringify(stale)})) stale = true;
        if (text.includes(${JSON.stringify(expected)})) finish({ ms: performance.now() - Number(navAt), stale, maxCount });
      };
      const doc = new MutationObserver(check);
      doc.observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-nav-at'] });
      observers.push(doc);
      const poll = setInterval(() => { check(); }, 2);
      observers.push({ disconnect: () => clearInterval(poll) });
      setTimeout(() => finish({ ms: Infinity, stale, maxCount, timeout: true, text: document.querySelector('series-overlay') ? 'present' : 'none' }), 5000);
    })`);
    await this.eval('0'); // same CDP session, so the measurement above is installed before the navigation
    await this.page.evaluate((to) => (window as unknown as { __go(href: string): void }).__go(to), href);
    return measuring;
  }
}
