// End to end in real Firefox (Debian's firefox-esr over WebDriver BiDi): the Firefox build installed as a
// temporary add-on, the real worker (wrangler dev, demo data) and the stand-in video site, one path as a viewer
// walks it: host access granted from the popup → the shelf → Unlock → sign in → pay → Watch plays; then the
// video page at a phone's width (Firefox for Android's layout). Screenshots at the stores' size (1280×800).
import { startWorker, type TestWorker } from '@series/worker/test-server';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickInOverlay, launchFirefox, nextPage, overlayRoot, startNetwork, waitForOverlay } from './firefox';
import { startSite } from './site';
import { pngSize } from '../zip';

const SITE = 'https://www.tiktok.com';
const extensionDir = new URL('../../.output/firefox-mv3', import.meta.url).pathname;
const results = new URL('../../test-results/', import.meta.url).pathname;
/** Store screenshots: both stores take 1280×800 (the Chrome Web Store also 640×400, AMO any size). */
export const STORE_SCREENSHOTS = new URL('../../test-results/store/', import.meta.url).pathname;

let worker: TestWorker;
let site: Awaited<ReturnType<typeof startSite>>;
let network: Awaited<ReturnType<typeof startNetwork>>;
let firefox: Awaited<ReturnType<typeof launchFirefox>>;
let page: Page;

describe('the extension in Firefox', () => {
  beforeAll(async () => {
    mkdirSync(STORE_SCREENSHOTS, { recursive: true });
    [worker, site] = await Promise.all([startWorker(), startSite()]);
    network = await startNetwork(site.port, worker.url);
    firefox = await launchFirefox(extensionDir, network.pacUrl, {
      prefs: {
        // As on Firefox for Android (and for a viewer who turned them off): host permissions not granted at
        // install, so the extension has to ask for them.
        'extensions.originControls.grantByDefault': false,
        // The permission prompt is browser UI a headless run cannot press: accepting it is taken as given,
        // the click on the popup's Allow button that raises it is the test's.
        'extensions.webextOptionalPermissionPrompts': false,
        // The toolbar popup is browser UI too: refused without a gesture, Series opens it as a window.
        'extensions.openPopupWithoutUserGesture.enabled': false,
        // A touch screen's coarse pointer, as on a phone: the popup's phone layout (checked at 360 px below).
        'ui.primaryPointerCapabilities': 1,
      },
    });
  });

  afterAll(async () => {
    await firefox?.close();
    await Promise.all([network?.stop(), site?.stop(), worker?.stop()]);
  });

  it('opens the popup at install to ask for access to the video site and the API, and gets it there', async () => {
    const popup = await nextPage(firefox.browser, (url) => url === firefox.extensionUrl('popup.html'));
    await popup.waitForSelector('[data-role=host-access]');
    const text = await popup.$eval('[data-role=host-access]', (el) => el.textContent ?? '');
    expect(text).toContain('www.tiktok.com and 127.0.0.1');
    await popup.screenshot({ path: `${results}firefox-popup-host-access.png` });
    await popup.click('[data-role=allow-access]');
    await popup.waitForSelector('[data-role=host-access]', { hidden: true });
    const granted = await popup.evaluate(() =>
      (
        globalThis as unknown as {
          browser: { permissions: { contains(p: { origins: string[] }): Promise<boolean> } };
        }
      ).browser.permissions.contains({ origins: ['https://www.tiktok.com/*', 'http://127.0.0.1/*'] }),
    );
    expect(granted).toBe(true);
    // Firefox for Android opens the popup as a page of its own: at a phone's width nothing scrolls sideways.
    await popup.setViewport({ width: 360, height: 740 });
    await popup.waitForSelector('[data-role=submit]');
    expect(await popup.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await popup.screenshot({ path: `${results}firefox-popup-360.png` });
    await popup.close();
  });

  it('shows the Series shelf on a creator’s profile, looked up by hash prefix only', async () => {
    page = await firefox.browser.newPage();
    await page.goto(`${SITE}/@seriesdemo`);
    const state = await waitForOverlay(page, (s) => !!s.text?.includes('The Lighthouse Keeper'), 'the shelf');
    expect(state.text).toContain('Paid series by Series Demo');
    expect(state.text).toContain('5 episodes · 1 free');
    expect(state.text).toContain('Buy all $4.99');
    // The page cannot open the closed shadow root.
    expect(await page.evaluate(() => document.querySelector('series-overlay')?.shadowRoot ?? null)).toBeNull();
    await page.screenshot({ path: `${STORE_SCREENSHOTS}1-profile-shelf.png` });
    const lookups = network.log.filter((r) => r.path.startsWith('/v1/lookup/'));
    expect(lookups.map((r) => r.path)).toEqual(['/v1/lookup/creators/911f']);
    expect(lookups.every((r) => r.authorization === undefined)).toBe(true);
  });

  it('unlocks on a video page: sign in in the Series window → pay in the checkout tab → Watch plays', async () => {
    await page.goto(`${SITE}/@seriesdemo/video/7300000000000000002`);
    let state = await waitForOverlay(page, (s) => !!s.text?.includes('Unlock episode — $1.99'), 'Unlock');
    expect(state.text).toContain('Episode 2 of The Lighthouse Keeper');
    await clickInOverlay(page, '[data-role=unlock]');
    await waitForOverlay(page, (s) => !!s.text?.includes('Waiting for sign-in'), 'the sign-in state');

    const popup = await nextPage(firefox.browser, (url) => url === firefox.extensionUrl('popup.html'));
    await popup.waitForSelector('[data-role=pending-unlock]');
    await popup.type('#email', 'viewer@series.test');
    await popup.type('#password', 'series-demo-pass');
    await popup.click('[data-role=submit]');
    const checkout = await nextPage(firefox.browser, (url) => url.includes('/checkout/'));
    await checkout.waitForSelector('button.pay');
    await waitForOverlay(page, (s) => !!s.text?.includes('Waiting for payment'), 'waiting for payment');
    await checkout.click('button.pay');
    await checkout.waitForSelector('[data-status=paid]');
    await checkout.close();
    if (!popup.isClosed()) await popup.close();

    state = await waitForOverlay(page, (s) => s.roles.includes('watch'), 'Watch');
    expect(state.text).not.toContain('Unlock episode');
    await page.bringToFront();
    await page.screenshot({ path: `${STORE_SCREENSHOTS}2-video-unlocked.png` });
    expect(network.log.some((r) => r.path.startsWith('/v1/checkout') && r.authorization?.startsWith('Bearer '))).toBe(
      true,
    );

    await clickInOverlay(page, '[data-role=watch]');
    const player = await nextPage(firefox.browser, (url) => url.startsWith(firefox.extensionUrl('player.html')));
    expect(new URL(await player.evaluate(() => location.href)).searchParams.get('episode')).toBe(
      'ep_demoLighthouse00002',
    );
    await player.waitForSelector('video[data-role=video]');
    await player.evaluate(
      () =>
        void document
          .querySelector('video')!
          .play()
          .catch(() => undefined),
    );
    await player.waitForFunction(
      () => {
        const v = document.querySelector('video')!;
        return v.readyState >= 2 && v.currentTime > 0.2;
      },
      { timeout: 15_000 },
    );
    expect(network.log.some((r) => r.path === '/v1/episodes/ep_demoLighthouse00002/access' && r.authorization)).toBe(
      true,
    );
    await player.setViewport({ width: 1280, height: 800 });
    await player.screenshot({ path: `${STORE_SCREENSHOTS}3-player.png` });
    await player.close();
    // What the stores take: 1280×800.
    for (const file of readdirSync(STORE_SCREENSHOTS))
      expect(pngSize(readFileSync(`${STORE_SCREENSHOTS}${file}`)), file).toEqual({ width: 1280, height: 800 });
  });

  it('fits a phone’s width (Firefox for Android’s layout, checked in desktop Firefox)', async () => {
    await page.bringToFront();
    await page.setViewport({ width: 360, height: 780 });
    await page.goto(`${SITE}/@seriesdemo/video/7300000000000000002`);
    await waitForOverlay(page, (s) => s.roles.includes('watch'), 'Watch at 360 px');
    const root = await overlayRoot(page);
    const box = await root!.evaluate((r) => {
      const panel = r.querySelector('.panel')!.getBoundingClientRect();
      const buttons = [...r.querySelectorAll('button, a')].map((el) => el.getBoundingClientRect());
      return {
        left: panel.left,
        right: panel.right,
        overflow: r.querySelector('.panel')!.scrollWidth - r.querySelector('.panel')!.clientWidth,
        smallest: Math.min(...buttons.map((b) => b.height)),
      };
    });
    expect(box.left).toBeGreaterThanOrEqual(0);
    expect(box.right).toBeLessThanOrEqual(360);
    // (The stand-in site's player keeps a desktop width; what is checked is ours: the panel in the viewport,
    // nothing in it wider than the panel, controls big enough to tap.)
    expect(box.overflow).toBe(0);
    expect(box.smallest).toBeGreaterThanOrEqual(24);
    await page.screenshot({ path: `${results}firefox-video-360.png` });
  });
});
