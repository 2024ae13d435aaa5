// End to end in real Chromium: the built extension, the real worker (wrangler dev, seeded demo data) behind a
// recording proxy, and a stand-in for the video site served as https://www.tiktok.com.
import { startWorker, type TestWorker } from '@series/worker/test-server';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnchorSet } from '@series/core';
import { BUILT_IN_ANCHORS } from '../../src/lib/anchors';
import { ContentWorld, launchBrowser, type FeedExpectations } from './browser';
import { startProxy } from './proxy';
import { startSite } from './site';

const SITE = 'https://www.tiktok.com';
const PASSWORD = 'series-demo-pass';
const SERIES = 'ser_demoLighthouseKeeper';
const video = (n: number) => `/@seriesdemo/video/730000000000000000${n}`;
const results = new URL('../../test-results/', import.meta.url).pathname;
/** How many feed scrolls the feed test makes (the benchmark asks for 1,000). */
const FEED_SCROLLS = Number(process.env.SERIES_FEED_SCROLLS ?? 130);
/**
 * What an admin publishes when the site ships its next release (the stand-in's `release = 2`: every data-e2e
 * name changed, the feed moved to /discover). One selector does not even parse: the extension drops it.
 */
const NEXT_RELEASE: AnchorSet = {
  ...BUILT_IN_ANCHORS,
  pages: { feed: ['/discover'], search: ['/search/*'] },
  profile: {
    identity: [{ selector: '[data-e2e="profile-title"]' }, { selector: '[data-e2e="profile-subtitle"]' }],
    anchors: ['[data-e2e="profile-subtitle"]:no-such-pseudo-class', '[data-e2e="profile-bio"]'],
  },
  video: {
    scope: ['[role="dialog"]:has([data-e2e="video-author-link"])'],
    identity: [{ selector: 'a[data-e2e="video-author-link"]', attribute: 'href' }],
    anchors: ['[data-e2e="video-caption"]'],
  },
  feed: {
    items: ['div[data-e2e="feed-video"]'],
    author: [{ selector: 'a[data-e2e="feed-author-avatar"]', attribute: 'href' }],
    video: [{ selector: '[id^="player-"]', attribute: 'id' }],
    anchors: ['[data-e2e="feed-caption"]'],
  },
  search: {
    ...BUILT_IN_ANCHORS.search,
    items: ['[data-e2e="search-result-card"]'],
    anchors: ['[data-e2e="search-result-caption"]'],
  },
};
const FEED: FeedExpectations = {
  episodes: Object.fromEntries(
    [1, 2, 3, 4, 5].map((n) => [`730000000000000000${n}`, `Episode ${n} of The Lighthouse Keeper`]),
  ),
  sellers: { seriesdemo: 'Series by @seriesdemo' },
};
const extensionDir = new URL('../../.output/chrome-mv3', import.meta.url).pathname;
/** The worker's test clip (what the demo's seeded episodes play). */
const CLIP = new URL('../../../worker/test/fixtures/clip-3s.webm', import.meta.url);

let worker: TestWorker;
let site: Awaited<ReturnType<typeof startSite>>;
let proxy: Awaited<ReturnType<typeof startProxy>>;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let content: ContentWorld;
const started = Date.now();

async function api(
  path: string,
  init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const res = await fetch(`${worker.url}${path}`, {
    method: init.method ?? (init.body ? 'POST' : 'GET'),
    headers: {
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...init.headers,
    },
    body: init.body ? JSON.stringify(init.body) : null,
    redirect: 'manual',
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
const login = async (email: string) =>
  (await api('/v1/auth/login', { body: { email, password: PASSWORD } })).token as string;

/**
 * Data the demo seed lacks: episode 4 released in the future, and a second creator whose series the viewer
 * bought before an admin suspended them.
 */
/** Uploads the worker's 3-second test clip as an episode's video: only an episode with a video is sold. */
async function uploadVideo(token: string, episodeId: string) {
  const res = await fetch(`${worker.url}/v1/episodes/${episodeId}/media`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: readFileSync(CLIP),
  });
  if (res.status !== 200) throw new Error(`upload ${episodeId}: ${res.status} ${await res.text()}`);
}

async function prepareData() {
  const creator = await login('creator@series.test');
  const releaseAt = new Date(Date.now() + 10 * 86_400_000).toISOString();
  await api('/v1/episodes/ep_demoLighthouse00004', { method: 'PATCH', token: creator, body: { releaseAt } });
  // The demo has videos for episodes 1 and 2; these are bought, cancelled and pre-ordered below.
  for (const n of [3, 4, 5]) await uploadVideo(creator, `ep_demoLighthouse0000${n}`);

  const paused = (await api('/v1/auth/signup', { body: { email: 'paused@series.test', password: PASSWORD } })).token;
  await api('/v1/creators', { token: paused, body: { handle: 'suspendeddemo', displayName: 'Paused Creator' } });
  const admin = await login('admin@series.test');
  await api('/v1/admin/creators/suspendeddemo/approve', { method: 'POST', token: admin });
  const { series } = await api('/v1/series', { token: paused, body: { title: 'Cliffhanger', currency: 'USD' } });
  const { episode } = await api(`/v1/series/${series.id}/episodes`, {
    token: paused,
    body: { title: 'Part one', durationSeconds: 60, price: 299, videoId: '7322222222222222222' },
  });
  await uploadVideo(paused, episode.id);
  await api(`/v1/series/${series.id}/publish`, { method: 'POST', token: paused });
  const viewer = await login('viewer@series.test');
  const checkout = await api('/v1/checkout', {
    token: viewer,
    body: { episodeId: episode.id },
    headers: { 'idempotency-key': crypto.randomUUID() },
  });
  const link = new URL(checkout.checkoutUrl);
  const paid = await fetch(`${worker.url}${link.pathname}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ sig: link.searchParams.get('sig') ?? '' }),
    redirect: 'manual',
  });
  expect(paid.status).toBe(303);
  await api('/v1/admin/creators/suspendeddemo/suspend', { method: 'POST', token: admin });
}

async function shot(target: Page, name: string) {
  await target.screenshot({ path: `${results}${name}.png` });
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

describe('the extension in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(results, { recursive: true });
    [worker, site] = await Promise.all([startWorker(), startSite()]);
    proxy = await startProxy(worker.url);
    await prepareData();
    browser = await launchBrowser(extensionDir, site.port);
    page = await browser.context.newPage();
    content = await ContentWorld.attach(browser.context, page);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([proxy?.stop(), site?.stop(), worker?.stop()]);
    console.log(`browser test: ${((Date.now() - started) / 1000).toFixed(1)} s including worker start-up`);
  });

  it('takes its API address from the popup', async () => {
    const popup = await browser.context.newPage();
    await popup.goto(browser.extensionUrl('popup.html'));
    await popup.click('summary');
    await popup.fill('#api', proxy.url);
    await popup.click('[data-role=save-api]');
    await popup.waitForSelector('[data-role=api-saved]');
    await popup.close();
  });

  it('shows the Series shelf on a creator’s profile, after the bio, looked up by hash prefix only', async () => {
    await page.goto(`${SITE}/@seriesdemo`);
    const state = await content.waitForOverlay((s) => !!s.text?.includes('The Lighthouse Keeper'), 'the shelf');
    expect(state).toMatchObject({ count: 1, floating: false, after: 'user-bio' });
    expect(state.text).toContain('Paid series by Series Demo');
    expect(state.text).toContain('5 episodes · 1 free');
    expect(state.text).toContain('Episodes $1.99–$2.99');
    expect(state.text).toContain('Buy all $4.99');
    expect(state.text).toContain('Open series →');
    // The site's own `button { all: unset; color: red }` does not reach into the shadow root.
    expect(await content.inOverlay('[data-role=open-series]', 'getComputedStyle(el).color')).not.toBe('rgb(255, 0, 0)');
    // The page's scripts cannot open the closed shadow root.
    expect(await page.evaluate(() => document.querySelector('series-overlay')?.shadowRoot ?? null)).toBeNull();
    await shot(page, 'profile-shelf');

    const lookups = proxy.log.filter((r) => r.path.startsWith('/v1/lookup/'));
    expect(lookups.map((r) => r.path)).toEqual(['/v1/lookup/creators/911f']);
    expect(lookups.every((r) => r.authorization === undefined)).toBe(true);
  });

  // How fast the overlay follows is a benchmark figure (npm run bench reads navigation.json), not a pass/fail
  // timing here: this test asserts that every navigation ends on the right overlay, once, never the old one.
  it('follows 50 in-app navigations, never duplicated, never showing the previous page', async () => {
    const expected = (path: string) => {
      const n = /\/video\/73(\d{17})$/.exec(path)?.[1];
      return n ? `Episode ${Number(n)} of The Lighthouse Keeper` : 'Paid series by Series Demo';
    };
    const NAVIGATIONS = 50;
    const route = [
      '/@seriesdemo',
      video(2),
      video(3),
      video(1),
      '/@seriesdemo',
      video(5),
      video(4),
      video(2),
      video(5),
      video(3),
    ];
    const samples: { path: string; ms: number }[] = [];
    let previous = '/@seriesdemo';
    for (let round = 0; samples.length < NAVIGATIONS; round++) {
      // Half the rounds the site renders 40 ms after changing the URL, as an app fetching data would.
      await page.evaluate(
        (delay) => ((window as unknown as { __renderDelay: number }).__renderDelay = delay),
        round % 2 ? 40 : 0,
      );
      for (const path of route) {
        if (path === previous || samples.length === NAVIGATIONS) continue;
        const result = await content.navigateAndMeasure(`${SITE}${path}`, expected(path), expected(previous));
        expect(result.timeout, `${path}: ${JSON.stringify(result)}`).toBeUndefined();
        expect(result.stale, `${path} showed ${expected(previous)}`).toBe(false);
        expect(result.maxCount).toBeLessThanOrEqual(1);
        samples.push({ path, ms: result.ms });
        previous = path;
      }
    }
    await page.evaluate(() => ((window as unknown as { __renderDelay: number }).__renderDelay = 0));
    const ms = samples.map((s) => s.ms);
    const stats = { navigations: ms.length, p50: percentile(ms, 50), p95: percentile(ms, 95), max: Math.max(...ms) };
    console.log(`navigation → overlay: ${JSON.stringify(stats)}`);
    writeFileSync(`${results}navigation.json`, JSON.stringify({ ...stats, samples }, null, 2));

    // Back and forward (popstate) too.
    const back = content.eval<unknown>('0');
    await back;
    await page.goBack();
    await content.waitForOverlay(
      (s) => !!s.text?.includes(expected(samples.at(-2)!.path)),
      'the previous page after Back',
    );

    // Pages without a series: the overlay goes at once and stays away.
    for (const path of ['/@seriesdemo/video/7311111111111111111', '/@someoneelse']) {
      await page.evaluate((to) => (window as unknown as { __go(h: string): void }).__go(to), `${SITE}${path}`);
      expect((await content.overlay()).count).toBe(0);
      await page.waitForTimeout(300);
      expect((await content.overlay()).count).toBe(0);
    }

    // What the server saw: 4-hex-character buckets, each asked once (cache + merged requests), anonymously.
    const lookups = proxy.log.filter((r) => r.path.startsWith('/v1/lookup/'));
    for (const r of lookups) expect(r.path).toMatch(/^\/v1\/lookup\/(creators|videos)\/[0-9a-f]{4}$/);
    expect(new Set(lookups.map((r) => r.path)).size).toBe(lookups.length);
    expect(lookups.length).toBeLessThanOrEqual(8);
    const leaked = proxy.log.filter((r) => /seriesdemo|someoneelse|73\d{17}/.test(r.path));
    expect(leaked).toEqual([]);
    expect(lookups.every((r) => r.authorization === undefined)).toBe(true);
  });

  it('survives the site re-rendering its DOM: re-anchors, or floats when the anchors are gone', async () => {
    await page.evaluate((to) => (window as unknown as { __go(h: string): void }).__go(to), `${SITE}${video(2)}`);
    await content.waitForOverlay((s) => !!s.text?.includes('Episode 2 of'), 'episode 2');
    await page.evaluate(() => (window as unknown as { __rerender(): void }).__rerender());
    let state = await content.waitForOverlay((s) => s.after === 'browse-video-desc', 're-anchoring');
    expect(state.count).toBe(1);
    expect(state.text).toContain('Episode 2 of The Lighthouse Keeper');
    await page.evaluate(() => (window as unknown as { __stripAnchors(): void }).__stripAnchors());
    state = await content.waitForOverlay((s) => s.floating, 'the floating panel');
    expect(state.count).toBe(1);
    expect(state.text).toContain('Unlock episode — $1.99');
    // Not over the site's own floating button in the bottom-right corner: it took another corner.
    const covers = await content.eval<boolean>(`(() => {
      const a = document.querySelector('series-overlay').getBoundingClientRect();
      const b = document.querySelector('.to-top').getBoundingClientRect();
      return a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top;
    })()`);
    expect(covers).toBe(false);
    await shot(page, 'video-floating-fallback');
    await page.evaluate(() => (window as unknown as { __rerender(): void }).__rerender());
    state = await content.waitForOverlay((s) => s.after === 'browse-video-desc', 'anchoring again');
    expect(state.count).toBe(1);
  });

  it('keeps keystrokes inside the overlay away from the site’s shortcuts', async () => {
    expect((await content.overlay()).text).toContain('You’re signed out. Bought it already?');
    await shot(page, 'video-locked-signed-out');
    const shortcuts = () => page.evaluate(() => Number(document.documentElement.dataset.shortcuts ?? 0));
    await content.inOverlay('[data-role=unlock]', 'el.focus()');
    const before = await shortcuts();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('l');
    expect(await shortcuts()).toBe(before);
    // The same keys outside the overlay do reach the site.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('ArrowDown');
    expect(await shortcuts()).toBe(before + 1);
  });

  // Scroll → button time is a benchmark figure (npm run bench reads feed.json), never a timed assertion here.
  it(
    'shows the button on the feed item in view as the feed scrolls, never the data of a reused node’s previous video',
    async () => {
      await page.goto(`${SITE}/foryou`);
      await content.waitForOverlay(
        (s) => !!s.text?.includes('Episode 2 of The Lighthouse Keeper'),
        'the first feed item’s button',
      );
      const firstLookup = proxy.log.length;
      await page.evaluate(() => {
        const w = window as unknown as { __frames: { duration: number }[] };
        w.__frames = [];
        new PerformanceObserver((list) =>
          w.__frames.push(...list.getEntries().map((e) => ({ duration: e.duration }))),
        ).observe({ type: 'long-animation-frame' });
      });
      const samples: { index: number; ms: number }[] = [];
      let index = 0;
      for (let step = 1; step <= FEED_SCROLLS; step++) {
        // Now and then a long jump, so that every pooled node, the one with our button included, is reused at once.
        index += step % 15 === 0 ? 6 : 1;
        // For a stretch the site shows a skeleton before each reused node's next video, as when its data loads late.
        const skeleton = step > 40 && step <= 55;
        if (step === 41 || step === 56)
          await page.evaluate(
            (ms) => (window as unknown as { __setSkeleton(ms: number): void }).__setSkeleton(ms),
            skeleton ? 40 : 0,
          );
        const result = await content.scrollAndMeasure(index, FEED);
        expect(result.timeout, `item ${index}: ${JSON.stringify(result)}`).toBeUndefined();
        expect(result.stale, `item ${index}`).toBeNull();
        expect(result.maxCount).toBeLessThanOrEqual(1);
        if (result.shown && !skeleton) samples.push({ index, ms: result.ms });
      }
      const ms = samples.map((s) => s.ms);
      const ours = await content.eval<{
        calls: number;
        maxMs: number;
        longest: string;
        over16ms: number;
        over50ms: number;
      }>('__series.callbackStats');
      const frames = await page.evaluate(() =>
        (window as unknown as { __frames: { duration: number }[] }).__frames.map((f) => f.duration),
      );
      const stats = {
        scrolls: FEED_SCROLLS,
        buttons: ms.length,
        p50: percentile(ms, 50),
        p95: percentile(ms, 95),
        max: Math.max(...ms),
        ourCallbacks: ours,
        longAnimationFrames: { count: frames.length, maxMs: frames.length ? Math.max(...frames) : 0 },
        watchedItems: await content.eval<number>('__series.feedItems()'),
      };
      console.log(`feed scroll → button: ${JSON.stringify(stats)}`);
      writeFileSync(`${results}feed.json`, JSON.stringify({ ...stats, samples }, null, 2));
      // Only the DOM's items are watched, however far the feed scrolled.
      expect(stats.watchedItems).toBeLessThanOrEqual(5);
      await shot(page, 'feed-button');

      // Each bucket asked once (cached, in-flight requests merged), by 4-hex-character prefix, anonymously.
      const lookups = proxy.log.slice(firstLookup).filter((r) => r.path.startsWith('/v1/lookup/'));
      for (const r of lookups) expect(r.path).toMatch(/^\/v1\/lookup\/(creators|videos)\/[0-9a-f]{4}$/);
      expect(new Set(lookups.map((r) => r.path)).size).toBe(lookups.length);
      expect(lookups.every((r) => r.authorization === undefined)).toBe(true);
      expect(proxy.log.slice(firstLookup).filter((r) => /seriesdemo|someoneelse|7[34]\d{17}/.test(r.path))).toEqual([]);
      // Scrolling back over videos seen: their buckets are cached, nothing is asked.
      const before = proxy.log.length;
      for (let back = index - 1; back >= index - 8; back--) {
        const result = await content.scrollAndMeasure(back, FEED);
        expect(result.stale).toBeNull();
      }
      expect(proxy.log.slice(before).filter((r) => r.path.startsWith('/v1/lookup/'))).toEqual([]);
    },
    30_000 + FEED_SCROLLS * 150,
  );

  it('follows a feed video into its dialog and back, and never covers the site’s controls', async () => {
    let result = await content.scrollAndMeasure(2, FEED);
    expect(result.shown).toContain('Episode 3 of The Lighthouse Keeper');
    // Our button is inside the caption area: clear of the player's controls, its progress bar and the action bar.
    const overlaps = await content.eval<string[]>(`(() => {
      const host = document.querySelector('series-overlay');
      const r = host.getBoundingClientRect();
      const item = host.closest('[data-index]');
      return [...item.querySelectorAll('button, [role=slider], [data-e2e$="-icon"], a[data-e2e$="avatar"]')].filter((el) => {
        const c = el.getBoundingClientRect();
        return c.width && c.height && c.left < r.right && c.right > r.left && c.top < r.bottom && c.bottom > r.top;
      }).map((el) => el.getAttribute('data-e2e') ?? el.tagName);
    })()`);
    expect(overlaps).toEqual([]);
    // Pressing our button does not reach the site's own click handler on the video (which opens the dialog).
    const opened = browser.context.waitForEvent('page', (p) => p.url().includes('/player.html'));
    await content.click('[data-role=series-link]');
    await (await opened).close();
    expect(new URL(page.url()).pathname).toBe('/foryou');

    // Opening the video: a dialog over the feed, the URL becomes the video's (pushState).
    await page.bringToFront();
    await page.click('[data-index="2"] .card', { position: { x: 200, y: 200 } });
    let state = await content.waitForOverlay(
      (s) => !!s.text?.includes('Episode 3 of') && s.after === 'browse-video-desc',
      'the episode in the dialog',
    );
    expect(state.count).toBe(1);
    expect(await content.eval('document.querySelector("series-overlay").closest("[role=dialog]") !== null')).toBe(true);
    expect(new URL(page.url()).pathname).toBe(video(3));
    await shot(page, 'feed-dialog');
    // The dialog's arrows change the video with replaceState: the overlay follows, or goes.
    await page.click('[data-e2e=arrow-right]');
    await content.waitForOverlay((s) => s.count === 0, 'no overlay on a video that is not an episode');
    await page.click('[data-e2e=arrow-right]');
    state = await content.waitForOverlay((s) => !!s.text?.includes('Episode 1 of'), 'episode 1 in the dialog');
    expect(state.roles).toContain('watch');
    // Closing it: back on the feed, the button of the item in view comes back.
    await page.click('[data-e2e=browse-close]');
    result = await content.scrollAndMeasure(3, FEED);
    result = await content.scrollAndMeasure(2, FEED);
    expect(result.shown).toContain('Episode 3 of The Lighthouse Keeper');
  });

  it('badges the search results whose video is an episode on sale, and moves them with reused cards', async () => {
    await page.evaluate(
      (to) => (window as unknown as { __go(h: string): void }).__go(to),
      `${SITE}/search?q=lighthouse`,
    );
    // Each badge: the card it is in (its video link's id and author) and what it says (for which video).
    const badges = () =>
      content.eval<{ card: string; badge: string }[]>(`[...document.querySelectorAll('series-badge')].map((b) => {
        const [, handle, id] = /@([^/]+)\\/video\\/([0-9]+)/.exec(b.parentElement.querySelector('a[href*="/video/"]').getAttribute('href'));
        return { card: id + ' by ' + handle, badge: b.dataset.videoId + ': ' + chrome.dom.openOrClosedShadowRoot(b).querySelector('span').textContent };
      })`);
    const deadline = Date.now() + 10_000;
    while ((await badges()).length < 3 && Date.now() < deadline) await page.waitForTimeout(50);
    const first = await badges();
    expect(first.map((b) => b.badge).sort()).toEqual([
      '7300000000000000001: ▶ Series · Episode 1 · Free',
      '7300000000000000002: ▶ Series · Episode 2 · $1.99',
      '7300000000000000003: ▶ Series · Episode 3 · $1.99',
    ]);
    // Not on a video that is not an episode, nor on an episode's id in someone else's card.
    const onItsCard = (b: { card: string; badge: string }) => b.card === `${b.badge.split(':')[0]} by seriesdemo`;
    expect(first.every(onItsCard)).toBe(true);
    await shot(page, 'search-badges');
    // The site re-sorts the results into the same card nodes: each badge follows its video, none stays behind.
    await page.evaluate(() => (window as unknown as { __reorderSearch(): void }).__reorderSearch());
    expect((await badges()).every(onItsCard)).toBe(true);
    while ((await badges()).length < 3 && Date.now() < deadline) await page.waitForTimeout(50);
    const moved = await badges();
    expect(moved.every(onItsCard)).toBe(true);
    expect(moved.map((b) => b.badge).sort()).toEqual(first.map((b) => b.badge).sort());
  });

  it('unlocks from the feed: Unlock → sign in through the popup → pay in the checkout tab → Watch, focus kept', async () => {
    await page.evaluate((to) => (window as unknown as { __go(h: string): void }).__go(to), `${SITE}/foryou`);
    // Item 10 is episode 2 again (the feed repeats its mix).
    const result = await content.scrollAndMeasure(10, FEED);
    expect(result.shown).toContain('Episode 2 of The Lighthouse Keeper');
    let state = await content.overlay();
    expect(state.text).toContain('Unlock $1.99');
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    // Every control has a name, and the buttons' text has at least 4.5:1 contrast (WCAG AA).
    const controls = await content.eval<{ role: string; name: string; contrast: number }[]>(`(() => {
      const root = chrome.dom.openOrClosedShadowRoot(document.querySelector('series-overlay'));
      const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
      const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
      const bg = (el) => { for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.length < 4 || c[3] > 0) return c; } return [255, 255, 255]; };
      return [...root.querySelectorAll('button, a')].map((el) => {
        const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(bg(el))].sort((x, y) => y - x);
        return { role: el.dataset.role ?? el.tagName, name: (el.getAttribute('aria-label') || el.textContent || '').trim(), contrast: (a + 0.05) / (b + 0.05) };
      });
    })()`);
    expect(controls.length).toBeGreaterThan(0);
    for (const c of controls) {
      expect(c.name, c.role).not.toBe('');
      expect(c.contrast, `${c.role} "${c.name}"`).toBeGreaterThanOrEqual(4.5);
    }

    // With the keyboard: focus Unlock, press Enter.
    await content.inOverlay('[data-role=unlock]', 'el.focus()');
    await page.keyboard.press('Enter');
    state = await content.waitForOverlay((s) => !!s.text?.includes('Waiting for sign-in'), 'the sign-in state');
    const focused = () =>
      content.eval<string | null>(
        `chrome.dom.openOrClosedShadowRoot(document.querySelector('series-overlay')).activeElement?.dataset.role ?? null`,
      );
    expect(await focused()).toBe('unlock');
    // The background opened the extension's popup (a browser UI surface Playwright cannot drive)…
    const cdp = await browser.context.newCDPSession(page);
    const { targetInfos } = await cdp.send('Target.getTargets');
    expect(targetInfos.some((t) => t.url === browser.extensionUrl('popup.html'))).toBe(true);
    await cdp.detach();
    // …so the same popup page is driven in a tab, as the viewer would in the toolbar popup.
    const popup = await browser.context.newPage();
    await popup.goto(browser.extensionUrl('popup.html'));
    await popup.waitForSelector('[data-role=pending-unlock]');
    await popup.fill('#email', 'viewer@series.test');
    await popup.fill('#password', PASSWORD);
    const checkoutOpened = browser.context.waitForEvent('page', (p) => p.url().includes('/checkout/'));
    await popup.click('[data-role=submit]');
    const checkout = await checkoutOpened;
    await popup.waitForSelector('[data-role=checkout-opened]');
    await shot(popup, 'popup-checkout-opened');
    await popup.close();

    await checkout.waitForSelector('button.pay');
    await shot(checkout, 'checkout-test-mode');
    state = await content.waitForOverlay(
      (s) => !!s.text?.includes('Waiting for payment'),
      'the waiting-for-payment state',
    );
    const paidAt = Date.now();
    await checkout.click('button.pay');
    await checkout.waitForSelector('[data-status=paid]');
    await checkout.close();
    state = await content.waitForOverlay((s) => s.roles.includes('watch'), 'Watch', 15_000);
    console.log(`pay → Watch on the feed: ${Date.now() - paidAt} ms`);
    expect(state.text).toContain('Episode 2 of The Lighthouse Keeper');
    expect(state.text).not.toContain('Unlock');
    expect(await focused()).toBe('watch');
    // The feed item is where it was: no reload, no scroll.
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    expect(
      await page.evaluate(() =>
        document.querySelector('series-overlay')?.closest('[data-index]')?.getAttribute('data-index'),
      ),
    ).toBe('10');
    expect(proxy.log.some((r) => /^\/v1\/purchases\/pur_/.test(r.path) && r.authorization?.startsWith('Bearer '))).toBe(
      true,
    );
    await page.bringToFront();
    await shot(page, 'feed-unlocked-watch');
    // Watch opens the player on that episode.
    const opened = browser.context.waitForEvent('page', (p) => p.url().includes('/player.html'));
    await page.keyboard.press('Enter');
    const player = await opened;
    expect(new URL(player.url()).searchParams.get('episode')).toBe('ep_demoLighthouse00002');
    await player.close();
    await page.bringToFront();
  });

  it('unlocks on a video page when signed in: the checkout tab opens at once, and Watch appears without a reload', async () => {
    await page.evaluate((to) => (window as unknown as { __go(h: string): void }).__go(to), `${SITE}${video(2)}`);
    await content.waitForOverlay(
      (s) => !!s.text?.includes('Episode 2 of') && s.roles.includes('watch'),
      'episode 2, bought on the feed',
    );
    await page.evaluate((to) => (window as unknown as { __go(h: string): void }).__go(to), `${SITE}${video(5)}`);
    let state = await content.waitForOverlay((s) => !!s.text?.includes('Episode 5 of'), 'episode 5');
    expect(state.text).toContain('Unlock episode — $2.99');
    const checkoutOpened = browser.context.waitForEvent('page', (p) => p.url().includes('/checkout/'));
    await content.click('[data-role=unlock]');
    const checkout = await checkoutOpened;
    await checkout.click('button.pay');
    await checkout.waitForSelector('[data-status=paid]');
    await checkout.close();
    state = await content.waitForOverlay((s) => s.roles.includes('watch'), 'Watch', 15_000);
    expect(state.text).not.toContain('Unlock episode');
    await page.bringToFront();
    await shot(page, 'video-unlocked-watch');
  });

  it('reports a cancelled checkout and offers the unlock again', async () => {
    await page.evaluate((to) => (window as unknown as { __go(h: string): void }).__go(to), `${SITE}${video(3)}`);
    await content.waitForOverlay(
      (s) => !!s.text?.includes('Unlock episode — $1.99') && !!s.text.includes('Episode 3 of'),
      'episode 3',
    );
    const checkoutOpened = browser.context.waitForEvent('page', (p) => p.url().includes('/checkout/'));
    await content.click('[data-role=unlock]');
    const checkout = await checkoutOpened;
    await checkout.click('form[action$="/cancel"] button');
    await checkout.waitForSelector('[data-status=cancelled]');
    await checkout.close();
    const state = await content.waitForOverlay((s) => !!s.text?.includes('Checkout cancelled'), 'the cancelled state');
    expect(state.text).toContain('Checkout cancelled: nothing was charged.');
    expect(await content.inOverlay('[data-role=unlock]', 'el.disabled')).toBe(false);
    await page.bringToFront();
    await shot(page, 'video-checkout-cancelled');
  });

  it('says when an episode is not released yet', async () => {
    await page.evaluate((to) => (window as unknown as { __go(h: string): void }).__go(to), `${SITE}${video(4)}`);
    const state = await content.waitForOverlay((s) => !!s.text?.includes('Episode 4 of'), 'episode 4');
    expect(state.text).toContain('Unlock episode — $2.99');
    expect(state.text).toMatch(/Releases .+: unlock now and watch it then\./);
  });

  it('plays the episode on the player page, seeking with ranged requests, and lists every episode’s state', async () => {
    await page.evaluate((to) => (window as unknown as { __go(h: string): void }).__go(to), `${SITE}${video(2)}`);
    await content.waitForOverlay(
      (s) => !!s.text?.includes('Episode 2 of') && s.roles.includes('watch'),
      'Watch on episode 2',
    );
    const opened = browser.context.waitForEvent('page', (p) => p.url().includes('/player.html'));
    await content.click('[data-role=watch]');
    const player = await opened;
    await player.waitForSelector('video[data-role=video]');
    await player.waitForFunction(
      () => {
        const v = document.querySelector('video')!;
        return v.readyState >= 2 && v.currentTime > 0.2;
      },
      null,
      { timeout: 15_000 },
    );
    const seeked = await player.evaluate(async () => {
      const v = document.querySelector('video')!;
      v.pause();
      const done = new Promise((resolve) => v.addEventListener('seeked', resolve, { once: true }));
      v.currentTime = 2;
      await done;
      return { currentTime: v.currentTime, duration: v.duration, seekable: v.seekable.length ? v.seekable.end(0) : 0 };
    });
    expect(seeked.currentTime).toBeCloseTo(2, 1);
    expect(seeked.seekable).toBeGreaterThan(2.5);
    const media = proxy.log.filter((r) => r.path.startsWith('/v1/media/ep_demoLighthouse00002'));
    expect(media.some((r) => r.range?.startsWith('bytes=') && r.status === 206)).toBe(true);
    // The grant came from GET /v1/episodes/:id/access, asked with the viewer's token.
    expect(proxy.log.some((r) => r.path === '/v1/episodes/ep_demoLighthouse00002/access' && r.authorization)).toBe(
      true,
    );

    const states = await player.$$eval('[data-role=episodes] li', (items) =>
      items.map((li) => `${li.getAttribute('data-access')}:${li.textContent}`),
    );
    expect(states[0]).toMatch(/^free:1The Light Goes OutFree$/);
    expect(states[1]).toMatch(/^owned:2Footprints in the SaltOwned$/);
    expect(states[2]).toMatch(/^locked:3.*\$1\.99$/);
    expect(states[3]).toMatch(/^locked:4.*Out /);
    // The viewer owns episodes 2 and 5 ($1.99 + $2.99 of the $4.99 bundle): completing it costs the minimum price.
    expect(await player.textContent('[data-role=buy-all]')).toContain('Complete the series — $0.99');
    await player.evaluate(() => document.querySelector('video')!.play());
    await shot(player, 'player');
    await player.close();
  });

  it('takes a promo code on the player page: a refusal says why, a good code opens checkout at its price', async () => {
    const creator = await login('creator@series.test');
    await api('/v1/me/promo-codes', {
      token: creator,
      body: { code: 'ext50', seriesId: SERIES, kind: 'percent', value: 50 },
    });
    const player = await browser.context.newPage();
    await player.goto(browser.extensionUrl(`player.html?series=${SERIES}&episode=ep_demoLighthouse00003`));
    await player.click('[data-role=promo] summary');
    await player.fill('[data-role=promo-code]', 'NOPE-NOPE');
    await player.click('[data-role=unlock]');
    await player.waitForSelector('[data-role=checkout-status]');
    expect(await player.textContent('[data-role=checkout-status]')).toBe(
      'This promo code does not exist. Check how it is written.',
    );
    await player.fill('[data-role=promo-code]', ' ext50 ');
    const checkoutOpened = browser.context.waitForEvent('page', (p) => p.url().includes('/checkout/'));
    await player.click('[data-role=unlock]');
    const checkout = await checkoutOpened;
    await checkout.waitForSelector('button.pay');
    // Episode 3 is $1.99: half off is 99.5 cents, rounded to a whole cent off (core's reducedPrice).
    expect(await checkout.textContent('button.pay')).toContain('Pay $0.99');
    await shot(player, 'player-promo-code');
    await checkout.click('form[action$="/cancel"] button');
    await checkout.waitForSelector('[data-status=cancelled]');
    await player.waitForFunction(() =>
      document.querySelector('[data-role=checkout-status]')?.textContent?.startsWith('Checkout cancelled'),
    );
    await checkout.close();
    await player.close();
  });

  it('lists My series in the popup, grouped by series', async () => {
    const popup = await browser.context.newPage();
    await popup.goto(browser.extensionUrl('popup.html'));
    await popup.waitForSelector(`[data-role=library] [data-series-id=${SERIES}]`);
    expect(await popup.textContent('[data-role=account]')).toBe('viewer@series.test');
    const library = await popup.textContent('[data-role=library]');
    expect(library).toContain('The Lighthouse Keeper');
    // Each episode with its title, not "Ep. 2, Ep. 3".
    expect(library).toMatch(/Ep\. 2 · \S/);
    expect(library).toContain('Cliffhanger');
    await shot(popup, 'popup-my-series');
    await popup.close();
  });

  it('tells a buyer when a creator is suspended, and still plays what they bought', async () => {
    await page.evaluate((to) => (window as unknown as { __go(h: string): void }).__go(to), `${SITE}/@suspendeddemo`);
    const state = await content.waitForOverlay((s) => !!s.text?.includes('no longer on sale'), 'the off-sale notice');
    expect(state.text).toContain('the creator is suspended or withdrew them');
    expect(state.text).toContain('Watch Cliffhanger →');
    await shot(page, 'profile-creator-suspended');
    const opened = browser.context.waitForEvent('page', (p) => p.url().includes('/player.html'));
    await content.click('.notice .link');
    const player = await opened;
    await player.waitForSelector('[data-availability=creator_suspended]');
    expect(await player.textContent('[data-role=availability]')).toContain('This creator is suspended');
    await player.close();
  });

  it('says so when the API cannot be reached, and recovers on retry', async () => {
    proxy.setDown(true);
    await page.evaluate((to) => (window as unknown as { __go(h: string): void }).__go(to), `${SITE}/@nobody_cached`);
    const state = await content.waitForOverlay(
      (s) => !!s.text?.includes('can’t reach its server'),
      'the unreachable state',
    );
    expect(state.text).toContain(proxy.url);
    await shot(page, 'api-unreachable');
    proxy.setDown(false);
    await content.click('[data-role=retry]');
    await content.waitForOverlay((s) => s.count === 0, 'the overlay to go (no series on this profile)');
  });

  it('reported the unlock buttons it showed to the creators’ funnel, anonymously and in batches', async () => {
    const reports = proxy.log.filter((r) => r.method === 'POST' && r.path === '/v1/views');
    expect(reports.length).toBeGreaterThan(0);
    expect(reports.every((r) => r.authorization === undefined && r.status === 202)).toBe(true);
    // Far fewer requests than buttons shown: ids are batched, one request per 2 s at most.
    expect(reports.length).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 2_000) + 1);
    const creator = await login('creator@series.test');
    const { rows } = await api('/v1/analytics/funnel', { token: creator });
    const views = (id: string) => rows.find((r: { episodeId: string }) => r.episodeId === id)?.views ?? 0;
    expect(views('ep_demoLighthouse00002')).toBeGreaterThan(0);
    expect(views('ep_demoLighthouse00003')).toBeGreaterThan(0);
    // Free episode 1 never shows an unlock button.
    expect(views('ep_demoLighthouse00001')).toBe(0);
  });

  it('signs out and signs up from the popup', async () => {
    const popup = await browser.context.newPage();
    await popup.goto(browser.extensionUrl('popup.html'));
    await popup.click('[data-role=sign-out]');
    await popup.waitForSelector('#email');
    await popup.click('[role=tab]:has-text("Create account")');
    await popup.fill('#email', 'new-viewer@series.test');
    await popup.fill('#password', 'short');
    await popup.click('[data-role=submit]');
    // The browser's own validation keeps a too-short password from being sent.
    expect(await popup.$('[data-role=library]')).toBeNull();
    await popup.fill('#password', 'a long enough password');
    await popup.click('[data-role=submit]');
    await popup.waitForSelector('[data-role=library]');
    expect(await popup.textContent('[data-role=account]')).toBe('new-viewer@series.test');
    await popup.waitForSelector('text=Nothing bought yet');
    await shot(popup, 'popup-signed-up');
    await popup.close();
    // Signed out of the old account, the page no longer shows its purchase as owned.
    await page.evaluate((to) => (window as unknown as { __go(h: string): void }).__go(to), `${SITE}${video(2)}`);
    await content.waitForOverlay((s) => s.roles.includes('unlock'), 'episode 2 locked again for the new account');
  });

  it('on the site’s next release, without served anchors, falls back to the floating panel', async () => {
    // This browser asked for anchors before any were published (404): it uses its built-in set.
    expect(await content.eval('__series.anchorsVersion()')).toBeNull();
    await page.evaluate(() => localStorage.setItem('release', '2'));
    await page.goto(`${SITE}/@seriesdemo`);
    const state = await content.waitForOverlay((s) => !!s.text?.includes('The Lighthouse Keeper'), 'the shelf');
    expect(state.floating).toBe(true);
    await shot(page, 'next-release-built-in-floating');
    await page.evaluate(() => localStorage.removeItem('release'));
  });

  it('with anchors an admin published for the next release, anchors there again (a fresh install gets them)', async () => {
    const admin = await login('admin@series.test');
    const published = await api('/v1/admin/extension/anchors', {
      method: 'PUT',
      token: admin,
      body: { anchors: NEXT_RELEASE, expectedVersion: 0 },
    });
    expect(published.version).toBe(1);
    // A browser in French, too: the extension speaks it until the viewer picks another language.
    const fresh = await launchBrowser(extensionDir, site.port, { locale: 'fr-FR' });
    try {
      const popup = await fresh.context.newPage();
      await popup.goto(fresh.extensionUrl('popup.html'));
      await popup.click('summary');
      await popup.fill('#api', proxy.url);
      await popup.click('[data-role=save-api]');
      await popup.waitForSelector('[data-role=api-saved]');
      await popup.close();
      const tab = await fresh.context.newPage();
      const world = await ContentWorld.attach(fresh.context, tab);
      await tab.goto(`${SITE}/`);
      await tab.evaluate(() => localStorage.setItem('release', '2'));
      const anchorsAsked = proxy.log.filter((r) => r.path === '/v1/extension/anchors').length;

      // The profile: its header shows the display name as the title and the handle under it.
      await tab.goto(`${SITE}/@seriesdemo`);
      let state = await world.waitForOverlay((s) => !!s.text?.includes('The Lighthouse Keeper'), 'the shelf');
      expect(state).toMatchObject({ floating: false, after: 'profile-bio' });
      expect(await world.eval('__series.anchorsVersion()')).toBe(1);
      expect(await tab.textContent('[data-e2e=profile-title]')).toBe('Series Demo');
      // In French, prices through Intl, plurals by French rules.
      expect(state.text).toContain('Séries payantes de Series Demo');
      expect(state.text).toContain('5 épisodes · 1 gratuit');
      expect(state.text).toContain('Épisodes 1,99\u00a0$US–2,99\u00a0$US');
      expect(state.text).toContain('Tout acheter 4,99\u00a0$US');
      expect(await world.inOverlay('.panel', 'el.lang')).toBe('fr');
      await shot(tab, 'next-release-served-anchors-fr');
      // A video page.
      await tab.evaluate((to) => (window as unknown as { __go(h: string): void }).__go(to), `${SITE}${video(3)}`);
      state = await world.waitForOverlay((s) => !!s.text?.includes('Épisode 3 de'), 'episode 3');
      expect(state).toMatchObject({ floating: false, after: 'video-caption' });
      expect(state.text).toContain('Débloquer l’épisode — 1,99\u00a0$US');
      expect(state.text).toContain('Les 5 épisodes · tout acheter 4,99\u00a0$US →');
      expect(state.text).toContain('Vous n’êtes pas connecté. Déjà acheté\u202f?');
      // The feed, now at /discover with other items: the button on the item in view, reused nodes never stale.
      await tab.evaluate((to) => (window as unknown as { __go(h: string): void }).__go(to), `${SITE}/discover`);
      const french: FeedExpectations = {
        episodes: Object.fromEntries(
          Object.keys(FEED.episodes).map((id) => [id, `Épisode ${Number(id.slice(-1))} de The Lighthouse Keeper`]),
        ),
        sellers: { seriesdemo: 'Séries de @seriesdemo' },
      };
      for (const index of [0, 1, 2, 3, 9, 10]) {
        const result = await world.scrollAndMeasure(index, french);
        expect(result.timeout, `item ${index}`).toBeUndefined();
        expect(result.stale).toBeNull();
      }
      const twelve = await world.scrollAndMeasure(12, french);
      expect(twelve.shown).toContain('Épisode 3 de The Lighthouse Keeper');
      expect(twelve.shown).toContain('Débloquer 1,99\u00a0$US');
      await shot(tab, 'next-release-feed-fr');

      // The popup's choice overrides the browser's language, and the page follows at once, in place.
      const settings = await fresh.context.newPage();
      await settings.goto(fresh.extensionUrl('popup.html'));
      expect(await settings.getAttribute('html', 'lang')).toBe('fr');
      expect(await settings.textContent('[data-role=submit]')).toBe('Se connecter');
      await shot(settings, 'popup-fr');
      await settings.focus('[data-role=language]');
      await settings.selectOption('[data-role=language]', 'en');
      await settings.waitForFunction(() => document.querySelector('[data-role=submit]')?.textContent === 'Sign in');
      expect(await settings.getAttribute('html', 'lang')).toBe('en');
      // Focus stays on the control that was used.
      expect(await settings.evaluate(() => document.activeElement?.getAttribute('data-role'))).toBe('language');
      await settings.close();
      const english = await world.waitForOverlay(
        (s) => !!s.text?.includes('Episode 3 of The Lighthouse Keeper'),
        'the feed button in English',
      );
      expect(english.text).toContain('Unlock $1.99');
      expect(english.text).not.toContain('Débloquer');
      await shot(tab, 'next-release-feed');
      // Search badges on the renamed cards.
      await tab.evaluate(
        (to) => (window as unknown as { __go(h: string): void }).__go(to),
        `${SITE}/search?q=lighthouse`,
      );
      const deadline = Date.now() + 10_000;
      while (
        (await world.eval<number>('document.querySelectorAll("series-badge").length')) < 3 &&
        Date.now() < deadline
      )
        await tab.waitForTimeout(50);
      expect(
        await world.eval<number>('document.querySelectorAll("[data-e2e=search-result-card] series-badge").length'),
      ).toBe(3);
      // The document was asked for once (then kept), without any token.
      const asked = proxy.log.filter((r) => r.path === '/v1/extension/anchors');
      expect(asked.length - anchorsAsked).toBeLessThanOrEqual(1);
      expect(asked.every((r) => r.authorization === undefined)).toBe(true);
    } finally {
      await fresh.close();
    }
  });
});
