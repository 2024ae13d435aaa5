// The storefront on a phone, end to end: Debian's Chromium at 390×844 with touch, against the real worker
// (`wrangler dev`, local D1 + R2, demo data), as a viewer who taps a creator's link in bio. Screenshots land
// in test-results/storefront-*.png.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../../scripts/test-server.mjs';

const RESULTS = new URL('../../test-results/', import.meta.url).pathname;
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

let worker: { url: string; stop(): Promise<void> };
let browser: Browser;

beforeAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  worker = await startWorker();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    // Without a tap, Chromium only autoplays muted; the test checks the video plays, with sound or not.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `${RESULTS}storefront-${name}.png`, fullPage: true });
const videoTime = (page: Page) =>
  page.evaluate(() => document.querySelector<HTMLVideoElement>('#sf-video')!.currentTime);
const waitPlaying = (page: Page, past = 0.3) =>
  page.waitForFunction((t) => {
    const v = document.querySelector<HTMLVideoElement>('#sf-video');
    return !!v && !v.paused && v.currentTime > t;
  }, past);

async function noSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
}

describe('storefront on a phone', () => {
  it('link in bio → series → trailer → unlock with inline sign-up → test checkout → plays and seeks → library → receipt → funnel', async () => {
    const context = await browser.newContext({ ...PHONE, locale: 'en-US', timezoneId: 'UTC' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    // The one failed request the test itself makes (a lapsed grant, below) is expected; nothing else is.
    page.on(
      'console',
      (msg) => msg.type() === 'error' && !/status of 403/.test(msg.text()) && problems.push(msg.text()),
    );
    const requests: Request[] = [];
    page.on('request', (r) => requests.push(r));

    // The creator's link in bio.
    const profile = await page.goto(`${worker.url}/@SeriesDemo?src=bio`);
    expect(profile!.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/@seriesdemo');
    await page.getByRole('heading', { name: 'Series Demo' }).waitFor();
    await noSidewaysScroll(page);
    await shot(page, '1-creator');

    await page.getByRole('link', { name: 'The Lighthouse Keeper' }).tap();
    await page.getByRole('heading', { name: 'The Lighthouse Keeper' }).waitFor();
    expect(new URL(page.url()).search).toBe('');
    await noSidewaysScroll(page);

    // The free trailer plays without an account.
    await page.getByRole('link', { name: 'Play episode 1, The Light Goes Out' }).tap();
    await waitPlaying(page);
    await shot(page, '2-trailer');

    // Unlock episode 2: sign up inline, without leaving the page.
    await page.getByRole('link', { name: 'Unlock $1.99: episode 2, Footprints in the Salt' }).tap();
    const dialog = page.getByRole('dialog', { name: 'Sign in to continue' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'New here? Create an account' }).tap();
    const email = `phone-${Date.now()}@example.test`;
    // Inside the sign-in dialog (now titled for signing up): the page also holds the closed dialog that asks
    // TikTok accounts for an address, with an Email field of its own.
    const auth = page.locator('#sf-auth');
    await auth.getByLabel('Email').fill(email);
    await auth.getByLabel('Password').fill('short');
    await auth.getByRole('button', { name: 'Create account' }).tap();
    await auth.getByText('The password must be at least 10 characters.').waitFor();
    await auth.getByLabel('Password').fill('correct horse battery');
    await shot(page, '3-sign-up');
    await page.getByRole('button', { name: 'Create account' }).tap();

    // The test checkout, then straight back to the series page, which confirms and plays.
    await page.waitForURL(/\/checkout\/pur_/);
    await page.getByText('Test mode: no real payment is taken.').waitFor();
    await shot(page, '4-checkout');
    await page.getByRole('button', { name: 'Pay $1.99' }).tap();
    await page.waitForURL(/\/@seriesdemo\/the-lighthouse-keeper\?purchase=pur_/);
    await page.getByText('Payment confirmed. Enjoy!').waitFor();
    await waitPlaying(page);
    expect(await page.textContent('#sf-now')).toContain('episode 2, Footprints in the Salt');
    expect(new URL(page.url()).search).toBe('');
    await shot(page, '5-playing');

    // Seeking asks for a byte range of the video.
    const ranged = requests.length;
    await page.evaluate(() => {
      const v = document.querySelector<HTMLVideoElement>('#sf-video')!;
      v.currentTime = 2;
    });
    await page.waitForFunction(() => document.querySelector<HTMLVideoElement>('#sf-video')!.currentTime >= 2);
    expect(await videoTime(page)).toBeGreaterThanOrEqual(2);
    expect(
      requests.slice(0).some((r) => r.url().includes('/v1/media/ep_demoLighthouse00002') && !!r.headers()['range']),
    ).toBe(true);

    // A playback grant that lapses mid-episode is renewed, and the video carries on from the same second.
    await page.route(
      '**/v1/media/**',
      (route) => route.fulfill({ status: 403, body: '{"error":{"code":"invalid_grant"}}' }),
      { times: 1 },
    );
    const renewed = page.waitForRequest((r) => r.url().endsWith('/v1/episodes/ep_demoLighthouse00002/access'));
    await page.evaluate(() => {
      const v = document.querySelector<HTMLVideoElement>('#sf-video')!;
      // The browser asks for more of the video (here: a reload of its source) after the grant lapsed.
      v.src = v.src;
      v.currentTime = 1;
      void v.play().catch(() => undefined);
    });
    await renewed;
    await page.waitForFunction(() => {
      const v = document.querySelector<HTMLVideoElement>('#sf-video')!;
      return !v.error && v.currentTime > 1.2;
    });
    expect(requests.length).toBeGreaterThan(ranged);

    // My purchases lists it, grouped by series, and its receipt shows the amount.
    await page.getByRole('link', { name: 'My purchases' }).tap();
    await page.getByRole('heading', { name: 'My purchases' }).waitFor();
    await page.getByText('Episode 2: Footprints in the Salt').waitFor();
    await noSidewaysScroll(page);
    await shot(page, '6-library');
    await page.getByRole('link', { name: 'Receipt' }).tap();
    await page.getByRole('heading', { name: 'Receipt' }).waitFor();
    expect(await page.textContent('[data-amount]')).toBe('$1.99');
    await noSidewaysScroll(page);
    await shot(page, '7-receipt');
    expect(problems).toEqual([]);
    await context.close();

    // The creator's funnel: one view, one checkout and one purchase from the bio link.
    const login = await fetch(`${worker.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'creator@series.test', password: 'series-demo-pass' }),
    });
    const { token } = (await login.json()) as { token: string };
    const funnel = await (
      await fetch(`${worker.url}/v1/analytics/funnel`, { headers: { authorization: `Bearer ${token}` } })
    ).json();
    expect(funnel.sources.find((s: { source: string | null }) => s.source === 'bio')).toEqual({
      source: 'bio',
      views: 1,
      checkouts: 1,
      purchases: 1,
    });
  });

  it('in French at 320 px: prices in euros-style formatting of the series currency, nothing wider than the screen', async () => {
    const context = await browser.newContext({ ...PHONE, viewport: { width: 320, height: 700 }, locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(`${worker.url}/@seriesdemo/the-lighthouse-keeper/2`);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await page.getByRole('link', { name: 'Débloquer l’épisode — 1,99 $US' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    // Every control is at least 44 px tall.
    const small = await page.$$eval('a.btn, button.btn, .top nav a', (els) =>
      els
        .filter((e) => (e as HTMLElement).offsetParent && e.getBoundingClientRect().height < 44)
        .map((e) => e.textContent),
    );
    expect(small).toEqual([]);
    await page.screenshot({ path: `${RESULTS}storefront-8-fr-320.png`, fullPage: true });
    await context.close();
  });
});
