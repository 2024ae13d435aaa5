// @vitest-environment node
// End to end in real Chromium against the real worker (wrangler dev, local D1 + R2), which serves the built
// dashboard at /dashboard/ beside the API, as in production: what a creator, a viewer and an admin do, with
// screenshots in test-results/ to look at.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import jsQR from 'jsqr';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, RESULTS, startCheckoutAsViewer, startStack, type Stack } from './support/stack.js';

const FIXTURE_VIDEO = new URL('../../worker/test/fixtures/clip-3s.webm', import.meta.url).pathname;
const TOO_LONG_VIDEO = new URL('../../worker/test/fixtures/long-1201s.mp4', import.meta.url).pathname;
const COVER_IMAGE = new URL('../../worker/test/fixtures/cover-300x400.jpg', import.meta.url).pathname;
// axe-core, evaluated in the page (DevTools protocol, so the dashboard's CSP needs no exception).
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

async function openPage(viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await stack.browser.newContext({ viewport, locale: 'en-US', timezoneId: 'UTC' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  // Confirmations (delete, suspend, commission) are accepted, as the user would.
  page.on('dialog', (dialog) => void dialog.accept());
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  // The dashboard's Content-Security-Policy (worker-assets/_headers) must not block anything it does.
  page.on('console', (msg) => void (/Content Security Policy/i.test(msg.text()) && errors.push(msg.text())));
  (page as Page & { errors: string[] }).errors = errors;
  return page;
}

const shot = (page: Page, name: string) => page.screenshot({ path: `${RESULTS}${name}.png`, fullPage: true });

async function signIn(page: Page, email: string) {
  await page.goto(`${stack.dashboard}/`);
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password').fill(DEMO_PASSWORD);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
}

async function addEpisode(page: Page, fields: { title: string; price?: string; duration: string }) {
  const form = page.getByRole('form', { name: 'New episode' });
  await form.getByLabel('Title').fill(fields.title);
  if (fields.price === undefined) await form.getByLabel('Free episode').check();
  else await form.getByLabel(/^Price/).fill(fields.price);
  await form.getByLabel('Duration (m:ss)').fill(fields.duration);
  await form.getByRole('button', { name: 'Add episode' }).click();
}

const episodeTitles = (page: Page) => page.locator('.episode-list .episode-title').allTextContents();

describe('the dashboard in Chromium against the real worker', () => {
  it('a creator builds and publishes a series, a viewer buys an episode, and the sale shows in analytics and payouts', async () => {
    const page = await openPage();
    await signIn(page, 'creator@series.test');
    await page.getByText('Approved', { exact: true }).waitFor();
    await page.getByText('1 series (1 published), 5 episodes in all.').waitFor();
    await shot(page, '01-overview');

    // A new series; the form checks with the API's own rules first.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Series' }).click();
    await page.getByRole('link', { name: 'The Lighthouse Keeper' }).waitFor();
    await page.getByRole('button', { name: 'New series' }).click();
    const create = page.getByRole('form', { name: 'New series' });
    await create.getByLabel(/^Whole-series price/).fill('0.50');
    await create.getByRole('button', { name: 'Create series' }).click();
    await create.getByText('Title is required').waitFor();
    await create.getByText('Price must be between $0.99 and $189.99').waitFor();
    await shot(page, '02-series-form-validation');
    await create.getByLabel('Title').fill('Night Ferry');
    await create.getByLabel('Description').fill('Three crossings, one secret. <b>not bold</b>');
    await create.getByLabel(/^Whole-series price/).fill('4.99');
    await create.getByRole('button', { name: 'Create series' }).click();
    await page.getByRole('heading', { name: 'Night Ferry', level: 1 }).waitFor();
    const seriesId = new URL(page.url()).pathname.split('/').pop()!;
    expect(seriesId).toMatch(/^ser_/);
    expect(new URL(page.url()).pathname).toBe(`/dashboard/series/${seriesId}`);

    // Episodes: a free trailer and two premium ones; a 25-minute one is refused with the API's message.
    await addEpisode(page, { title: 'Departure', duration: '1:00' });
    await page.locator('.episode-list').getByText('Departure').waitFor();
    await addEpisode(page, { title: 'Open Water', price: '2.99', duration: '7:30' });
    await page.locator('.episode-list').getByText('Open Water').waitFor();
    await addEpisode(page, { title: 'Harbour Lights', price: '3.49', duration: '25:00' });
    await page.getByText('An episode lasts at most 20 minutes').waitFor();
    await page.getByRole('form', { name: 'New episode' }).getByLabel('Duration (m:ss)').fill('9:10');
    await page.getByRole('form', { name: 'New episode' }).getByRole('button', { name: 'Add episode' }).click();
    await page.locator('.episode-list').getByText('Harbour Lights').waitFor();
    expect(await episodeTitles(page)).toEqual(['Departure', 'Open Water', 'Harbour Lights']);

    // Reorder: the last one moves up to second place.
    await page.getByRole('button', { name: 'Move “Harbour Lights” up' }).click();
    await expect.poll(() => episodeTitles(page)).toEqual(['Departure', 'Harbour Lights', 'Open Water']);

    // A 20:01 video is refused in the browser, before a byte is sent (the worker would refuse it too).
    const openWater = page.locator('.episode').filter({ hasText: 'Open Water' });
    const uploadRequests: string[] = [];
    page.on(
      'request',
      (r) => void (/\/v1\/(episodes\/[^/]+\/(uploads|media)|uploads\/)/.test(r.url()) && uploadRequests.push(r.url())),
    );
    await openWater.locator('input[type=file]').setInputFiles(TOO_LONG_VIDEO);
    await openWater
      .getByRole('alert')
      .getByText('This video lasts 20:01; an episode lasts at most 20 minutes')
      .waitFor();
    expect(uploadRequests).toEqual([]);
    await shot(page, '02b-video-too-long');

    // Upload the video of "Open Water" (multipart, with progress); the duration becomes the file's own.
    await openWater.locator('input[type=file]').setInputFiles(FIXTURE_VIDEO);
    await openWater.getByText('(read from the file)').waitFor();
    expect(await openWater.locator('.media-status').textContent()).toContain('0:03');
    expect(await openWater.locator('.episode-main').textContent()).toContain('0:03');

    // Publish.
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('button', { name: 'Unpublish' }).waitFor();
    expect(await page.locator('.page-head .badge').textContent()).toBe('Published');
    await shot(page, '03-series-published');
    // A deep link reloads into the same page: the worker answers app addresses with the app.
    await page.reload();
    await page.getByRole('heading', { name: 'Night Ferry', level: 1 }).waitFor();
    expect(await page.locator('.page-head .badge').textContent()).toBe('Published');

    // Before the sale: zero for "Open Water".
    await page.goto(`${stack.dashboard}/analytics?range=7d&series=${seriesId}`);
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Open Water' }) });
    await row.waitFor();
    expect((await row.getByRole('cell').allTextContents()).slice(-4)).toEqual(['0', '$0.00', '$0.00', '$0.00']);
    const chartLabel = () => page.locator('canvas').first().getAttribute('aria-label');
    await page.getByText('No sales in this period').waitFor();
    await shot(page, '04-analytics-before');

    // A viewer buys "Open Water" through the test checkout page, in the browser.
    const { episodes } = await (await fetch(`${stack.api}/v1/series/${seriesId}`)).json().then((b: any) => b.series);
    const episodeId = episodes.find((e: { title: string }) => e.title === 'Open Water').id as string;
    const checkoutUrl = await startCheckoutAsViewer(stack.api, episodeId);
    const buyer = await openPage({ width: 480, height: 720 });
    await buyer.goto(checkoutUrl);
    await buyer.getByRole('button', { name: 'Pay $2.99' }).click();
    await buyer.getByText('Payment complete').waitFor();
    await shot(buyer, '05-checkout-paid');

    // The creator sees it: per-episode table and chart, KPI cards.
    await page.reload();
    await row.waitFor();
    expect((await row.getByRole('cell').allTextContents()).slice(-4)).toEqual(['1', '$2.99', '$0.00', '$2.99']);
    expect(await chartLabel()).toContain('$2.99 earned');
    const kpi = (name: RegExp) =>
      page
        .locator('.kpi')
        .filter({ has: page.locator('dt', { hasText: name }) })
        .locator('dd');
    expect(await kpi(/^Gross sales$/).textContent()).toBe('$2.99');
    expect(await kpi(/^Your payout \(100%\)$/).textContent()).toBe('$2.99');
    expect(await kpi(/^Purchases$/).textContent()).toBe('1');
    expect(await kpi(/^Unique buyers$/).textContent()).toBe('1');
    await shot(page, '06-analytics-after');
    // The CSV export has the table's numbers.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV', exact: true }).click(),
    ]);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(download.suggestedFilename()).toMatch(/^series-episodes-USD-.*\.csv$/);
    expect(csv).toContain('Night Ferry,3,Open Water,USD,1,2.99,0.00,0.00,0.00,2.99,0,1');

    // Payouts: earned to date, the open month, and the purchase with the rate it was sold at.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Payouts' }).click();
    await page.getByText('Earned to date').waitFor();
    expect(await page.locator('.kpi.highlight dd').first().textContent()).toBe('$2.99');
    await page.getByRole('button', { name: 'Purchases' }).first().click();
    const sale = page.locator('.details-row tbody tr').filter({ hasText: 'Night Ferry — Open Water' });
    await sale.waitFor();
    expect(await sale.textContent()).toContain('0%');
    expect(await page.locator('.data-table .badge').first().textContent()).toBe('Open');
    await shot(page, '07-payouts');
    expect((page as Page & { errors: string[] }).errors).toEqual([]);
  }, 120_000);

  it('a new creator signs up and claims a handle; an admin approves them and changes the commission, audited', async () => {
    const creator = await openPage({ width: 390, height: 844 });
    await creator.goto(`${stack.dashboard}/`);
    await creator.getByRole('tab', { name: 'Create account' }).click();
    const signup = creator.getByRole('form', { name: 'Create account' });
    await signup.getByLabel('Email').fill('new-creator@example.test');
    await signup.getByLabel('Password').fill('short');
    await signup.getByRole('button', { name: 'Create account' }).click();
    await signup.getByText('Password must be at least 10 characters').waitFor();
    await signup.getByLabel('Password').fill('a long enough password');
    await signup.getByRole('button', { name: 'Create account' }).click();
    const claim = creator.getByRole('form', { name: 'Claim your video-site handle' });
    await claim.getByLabel('Handle').fill('seriesdemo');
    await claim.getByLabel('Display name').fill('Newcomer');
    await claim.getByRole('button', { name: 'Claim handle' }).click();
    await claim.getByText('@seriesdemo has already been claimed').waitFor();
    await claim.getByLabel('Handle').fill('@NewComer.tv');
    await claim.getByRole('button', { name: 'Claim handle' }).click();
    await creator.getByText('Pending approval').waitFor();
    await creator.getByText('your first series').waitFor();
    await shot(creator, '08-new-creator-pending-mobile');

    const admin = await openPage();
    await signIn(admin, 'admin@series.test');
    await admin.getByRole('link', { name: 'Admin' }).first().click();
    const pendingRow = admin.getByRole('row').filter({ hasText: '@newcomer.tv' });
    await pendingRow.getByRole('button', { name: 'Approve' }).click();
    await admin.getByText('Nobody is waiting for approval').waitFor();
    await admin.getByText('future purchases only').waitFor();
    await admin.getByLabel('New commission (%)').fill('150');
    await admin.getByRole('button', { name: 'Set commission' }).click();
    await admin.getByText('Commission must be at most 10000 basis points (100%)').waitFor();
    await admin.getByLabel('New commission (%)').fill('12.5');
    await admin.getByRole('button', { name: 'Set commission' }).click();
    await admin.getByText('Now: 12.5%').waitFor();
    await admin.getByRole('rowheader', { name: 'Set commission' }).waitFor();
    await admin.getByRole('rowheader', { name: 'Approved creator' }).waitFor();
    await shot(admin, '09-admin');
    // Back to 0% so creators keep 100%.
    await admin.getByLabel('New commission (%)').fill('0');
    await admin.getByRole('button', { name: 'Set commission' }).click();
    await admin.getByText('Now: 0%').waitFor();

    await creator.reload();
    await creator.getByText('Approved', { exact: true }).waitFor();
    expect(await creator.locator('nav').textContent()).toContain('Analytics');
  }, 90_000);

  it('stays responsive with a year of daily data and 80 episodes, on a phone and a desktop', async () => {
    // The local worker has days of data, not a year: its analytics answers are replaced with a large,
    // well-formed data set (sign-in, series and everything else stay real).
    const page = await openPage();
    await signIn(page, 'creator@series.test');
    const { series } = await page.evaluate(() => fetch('/v1/me/series').then((r) => r.json()));
    const demo = series.find((s: { title: string }) => s.title === 'The Lighthouse Keeper');
    const today = new Date().toISOString().slice(0, 10);
    const days = Array.from({ length: 365 }, (_, i) =>
      new Date(Date.parse(today) - (364 - i) * 86_400_000).toISOString().slice(0, 10),
    );
    const money = (n: number) => ({ sales: n, gross: n * 199, refunded: 0, commission: 0, payout: n * 199 });
    const episodes = Array.from({ length: 80 }, (_, i) => ({
      kind: 'episode',
      seriesId: demo.id,
      seriesTitle: demo.title,
      episodeId: `ep_big${String(i).padStart(17, '0')}`,
      number: i + 1,
      title: `Episode ${i + 1}`,
      free: i === 0,
      currency: 'USD',
      ...money(i === 0 ? 0 : (i * 7) % 23),
    }));
    const range = { from: days[0], to: today };
    const bodies: Record<string, unknown> = {
      summary: { range, currentCommissionBps: 0, totals: [{ currency: 'USD', ...money(900), buyers: 700 }] },
      episodes: { range, rows: episodes },
      daily: { range, rows: days.map((day, i) => ({ day, currency: 'USD', ...money(1 + ((i * 13) % 17)) })) },
      funnel: {
        range,
        rows: episodes.map((e) => ({
          kind: 'episode',
          seriesId: e.seriesId,
          episodeId: e.episodeId,
          title: e.title,
          views: 100,
          checkouts: e.sales + 5,
          purchases: e.sales,
        })),
        sources: [
          { source: 'bio', views: 900, checkouts: 80, purchases: 60 },
          { source: null, views: 300, checkouts: 9, purchases: 4 },
        ],
        sourceDays: days.map((day) => ({ day, source: 'bio', views: 2, checkouts: 1, purchases: 1 })),
      },
    };
    await page.route('**/v1/analytics/**', (route) => {
      const name = new URL(route.request().url()).pathname.split('/').pop()!;
      return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(bodies[name]) });
    });

    for (const [label, viewport] of [
      ['desktop', { width: 1280, height: 900 }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      await page.setViewportSize(viewport);
      const started = Date.now();
      await page.goto(`${stack.dashboard}/analytics?range=all&series=${demo.id}`);
      await page.locator('canvas').nth(1).waitFor();
      // Both charts drawn: chart.js sizes each canvas to its container.
      await expect
        .poll(() => page.locator('canvas').evaluateAll((cs) => cs.map((c) => (c as HTMLCanvasElement).width > 0)))
        .toEqual([true, true]);
      const elapsed = Date.now() - started;
      const widths = await page
        .locator('.chart-box')
        .evaluateAll((boxes) =>
          boxes.map((b) => [b.getBoundingClientRect().width, b.querySelector('canvas')!.getBoundingClientRect().width]),
        );
      for (const [box, canvas] of widths) expect(Math.abs(box! - canvas!)).toBeLessThan(2);
      expect(widths[0]![0]).toBeLessThanOrEqual(viewport.width);
      expect(await page.getByRole('table', { name: 'Per episode, USD' }).locator('tbody tr').count()).toBe(80);
      const bySource = page.getByRole('table', { name: 'Storefront visits by source' }).locator('tbody tr');
      expect(await bySource.evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent)))).toEqual([
        ['bio', '900', '80', '60', '6.7%'],
        ['(no source)', '300', '9', '4', '1.3%'],
      ]);
      // Drawing time is a benchmark figure (npm run bench), not a pass/fail timing here.
      console.info(`analytics with 365 days and 80 episodes (${label}): ${elapsed} ms to both charts`);
      // The charts (the 80-row table below them is long): the top of the page.
      await page.screenshot({
        path: `${RESULTS}11-analytics-year-${label}.png`,
        fullPage: true,
        clip: { x: 0, y: 0, width: viewport.width, height: 1500 },
      });
    }
  }, 60_000);

  it('the demo creator copies their link in bio and a series link, with a QR code that scans, on a desktop and a phone', async () => {
    const page = await openPage();
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.api });
    await signIn(page, 'creator@series.test');
    const profile = page.getByLabel('Your page', { exact: true });
    expect(await profile.inputValue()).toBe(`${stack.api}/@seriesdemo`);
    // The radios of the source picker are drawn as their labels (a segmented control): click as a person does.
    await page.locator('.source-picker label').filter({ hasText: /^bio$/ }).click();
    await page.getByRole('button', { name: 'Copy link: Your page' }).click();
    await page.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(`${stack.api}/@seriesdemo?src=bio`);
    // The copied link is the storefront's page of the creator.
    const storefront = await fetch(copied);
    expect(storefront.status).toBe(200);
    expect(await storefront.text()).toContain('The Lighthouse Keeper');

    await page.getByRole('button', { name: 'QR code: Your page' }).click();
    const qr = page.getByRole('img', { name: /^QR code of Your page/ });
    await qr.waitFor();
    expect((await qr.boundingBox())!.width).toBeGreaterThan(150);
    // The PNG for a video decodes to the link: read back through a canvas, then a real QR decoder.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /^Download PNG/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('qr-seriesdemo-bio.png');
    const png = await readFile((await download.path())!);
    const image = await page.evaluate(async (b64) => {
      const bitmap = await createImageBitmap(
        new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/png' }),
      );
      // A quarter of the size is plenty for the decoder, and keeps the pixels small to hand back.
      const side = Math.round(bitmap.width / 4);
      const canvas = new OffscreenCanvas(side, side);
      const context = canvas.getContext('2d')!;
      context.imageSmoothingEnabled = false;
      context.drawImage(bitmap, 0, 0, side, side);
      return { width: bitmap.width, side, pixels: Array.from(context.getImageData(0, 0, side, side).data) };
    }, png.toString('base64'));
    expect(image.width).toBeGreaterThanOrEqual(1024);
    expect(jsQR(Uint8ClampedArray.from(image.pixels), image.side, image.side)?.data).toBe(copied);
    await shot(page, '12-links-overview');

    // The series page: its link, and one per episode.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Series' }).click();
    await page.getByRole('link', { name: 'The Lighthouse Keeper' }).click();
    const seriesLink = page.getByLabel('Series: The Lighthouse Keeper', { exact: true });
    expect(await seriesLink.inputValue()).toBe(`${stack.api}/@seriesdemo/the-lighthouse-keeper`);
    expect((await fetch(await seriesLink.inputValue())).status).toBe(200);
    await page.getByText(/^Links to each episode/).click();
    expect(await page.getByLabel(/^Episode 2: /).inputValue()).toBe(`${stack.api}/@seriesdemo/the-lighthouse-keeper/2`);
    await page
      .locator('.source-picker label')
      .filter({ hasText: /^video$/ })
      .click();
    await page.getByRole('button', { name: 'Copy link: Series: The Lighthouse Keeper' }).click();
    await page.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      `${stack.api}/@seriesdemo/the-lighthouse-keeper?src=video`,
    );
    await page.getByRole('button', { name: 'QR code: Series: The Lighthouse Keeper' }).click();
    await page.getByRole('img', { name: /^QR code of Series: The Lighthouse Keeper/ }).waitFor();
    await shot(page, '13-links-series');

    // On a phone: everything fits the width, nothing scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    const sideways = () =>
      page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await sideways()).toBeLessThanOrEqual(0);
    // The links card (the episodes below it are long): the top of the page.
    const top = (name: string) =>
      page.screenshot({
        path: `${RESULTS}${name}.png`,
        fullPage: true,
        clip: { x: 0, y: 0, width: 390, height: 1400 },
      });
    await top('14-links-series-phone');
    await page.goto(`${stack.dashboard}/`);
    await page.getByRole('button', { name: 'QR code: Your page' }).click();
    await page.getByRole('img', { name: /^QR code of Your page/ }).waitFor();
    expect(await sideways()).toBeLessThanOrEqual(0);
    await top('15-links-overview-phone');
    expect((page as Page & { errors: string[] }).errors).toEqual([]);
  }, 60_000);

  it('is one origin: the worker serves the app under /dashboard and keeps every other path', async () => {
    const get = (path: string) => fetch(`${stack.api}${path}`, { redirect: 'manual' });
    const bare = await get('/dashboard');
    expect(bare.status).toBe(307);
    expect(bare.headers.get('location')).toBe('/dashboard/');
    const index = await get('/dashboard/');
    const html = await index.text();
    expect(html).toContain('src="/dashboard/assets/');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    for (const path of ['/dashboard/analytics', '/dashboard/series/ser_x', '/dashboard/payouts?x=1']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toBe(html);
    }
    const script = html.match(/src="(\/dashboard\/assets\/[^"]+\.js)"/)![1]!;
    const asset = await get(script);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await get('/dashboard/assets/missing.js')).status).toBe(404);
    expect((await get('/dashboard/.vite/manifest.json')).status).toBe(404);
    for (const path of ['/', '/@seriesdemo', '/library', '/v1/creators/seriesdemo']) {
      expect(await (await get(path)).text(), path).not.toContain('<div id="app">');
    }

    // Signed in at a deep link: the address is kept, and the page opens after signing in.
    const page = await openPage();
    await page.goto(`${stack.dashboard}/payouts`);
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.getByLabel('Email').fill('creator@series.test');
    await form.getByLabel('Password').fill(DEMO_PASSWORD);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Payouts', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/dashboard/payouts');
    // The brand link goes to the overview, inside the app.
    await page.locator('a.brand').click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/dashboard/');
    expect((page as Page & { errors: string[] }).errors).toEqual([]);
  }, 60_000);

  it('a creator adds the 80th episode by its video, drags it to the front by pointer and by keyboard, uploads a cover, picks a frame and schedules an episode', async () => {
    const page = await openPage({ width: 1280, height: 800 });
    await signIn(page, 'creator@series.test');
    // 79 episodes through the API (as many creators have); the 80th is added on the page by its video.
    const seriesId = await page.evaluate(async () => {
      const post = (path: string, body: unknown) =>
        fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const { series } = await (await post('/v1/series', { title: 'Eighty', currency: 'USD' })).json();
      for (let i = 1; i <= 79; i++) {
        const res = await post(`/v1/series/${series.id}/episodes`, {
          title: `Part ${i}`,
          durationSeconds: 60,
          price: i === 1 ? null : 199,
        });
        if (res.status !== 201) throw new Error(`episode ${i}: ${res.status}`);
      }
      return series.id as string;
    });
    await page.goto(`${stack.dashboard}/series/${seriesId}`);
    await page.getByRole('heading', { name: 'Eighty', level: 1 }).waitFor();
    const patches: string[] = [];
    page.on('request', (r) => void (r.method() === 'PATCH' && patches.push(`${r.url()} ${r.postData()}`)));

    // Added by dropping its video: the length comes from the file, the title from its name, then it uploads.
    const form = page.getByRole('form', { name: 'New episode' });
    await form.getByLabel('Choose a video').setInputFiles(FIXTURE_VIDEO);
    await form.getByText('(read from the file)').waitFor();
    expect(await form.getByLabel('Title').inputValue()).toBe('Clip 3s');
    expect(await form.getByLabel('Duration (m:ss)').inputValue()).toBe('0:03');
    await form.getByLabel('Title').fill('The last crossing');
    await form.getByLabel(/^Price/).fill('2.99');
    await form.getByRole('button', { name: 'Add episode' }).click();
    const last = page.locator('.episode').filter({ hasText: 'The last crossing' });
    await last.getByText('(read from the file)').waitFor({ timeout: 30_000 });
    expect(await episodeTitles(page)).toHaveLength(80);
    await shot(page, '21-added-by-video');

    // Pointer: from 80th to 1st, the page scrolling up while the episode is held near the top edge.
    const handle = (title: string) => page.getByRole('button', { name: new RegExp(`^Move “${title}”, position`) });
    await handle('The last crossing').scrollIntoViewIfNeeded();
    const box = (await handle('The last crossing').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, 10, { steps: 8 });
    // Held at the top edge, the page scrolls up until the top of the list comes into view; then onto the first row.
    const list = page.locator('.episode-list');
    await expect.poll(async () => (await list.boundingBox())!.y > 100, { timeout: 30_000, interval: 50 }).toBe(true);
    const top = (await list.boundingBox())!.y;
    await page.mouse.move(box.x + box.width / 2, top + 10, { steps: 2 });
    // The window as it is (a full-page capture resizes the viewport, which would cancel the drag).
    await page.screenshot({ path: `${RESULTS}22-dragging.png` });
    await page.mouse.up();
    await expect.poll(() => episodeTitles(page).then((t) => t[0])).toBe('The last crossing');
    await page.getByText('“The last crossing” moved to position 1 of 80.').waitFor();
    expect(patches).toHaveLength(1);
    expect(patches[0]).toContain('{"number":1}');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Move “The last crossing”, position 1 of 80',
    );

    // Keyboard: the episode now last goes first with Space, Home, Space.
    await handle('Part 79').focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Home');
    await page.keyboard.press('Space');
    await page.getByText('“Part 79” moved to position 1 of 80.').waitFor();
    expect(patches).toHaveLength(2);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Move “Part 79”, position 1 of 80',
    );
    const order = await page.evaluate(
      async (id) => (await (await fetch(`/v1/me/series/${id}`)).json()).series.episodes.map((e: any) => e.title),
      seriesId,
    );
    expect(order.slice(0, 3)).toEqual(['Part 79', 'The last crossing', 'Part 1']);
    expect(order).toHaveLength(80);

    // A cover: chosen, cropped to 3:4, previewed, saved; served by the worker without its metadata.
    await page.getByLabel('Upload a cover').setInputFiles(COVER_IMAGE);
    await page.getByRole('img', { name: /Preview of the new cover/ }).waitFor();
    await page.getByRole('button', { name: 'Save cover' }).click();
    const cover = page.getByRole('img', { name: 'Cover of Eighty' });
    await cover.waitFor();
    const coverUrl = (await cover.getAttribute('src'))!;
    expect(new URL(coverUrl).pathname).toMatch(/^\/v1\/images\/img_\w{22}\.(webp|jpg)$/);
    const coverRes = await fetch(coverUrl);
    expect(coverRes.headers.get('cache-control')).toContain('immutable');
    await expect
      .poll(() => cover.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]))
      .toEqual([300, 400]);
    await cover.scrollIntoViewIfNeeded();
    await shot(page, '23-cover');

    // A frame of the uploaded video as its thumbnail.
    await last.getByRole('button', { name: 'Pick a thumbnail from the video' }).click();
    const player = last.getByLabel(/^Video of “The last crossing”/);
    await expect.poll(() => player.evaluate((v: HTMLVideoElement) => v.readyState >= 2)).toBe(true);
    await last.getByLabel(/^Frame at/).fill('2');
    await expect.poll(() => player.evaluate((v: HTMLVideoElement) => Math.round(v.currentTime))).toBe(2);
    await last.scrollIntoViewIfNeeded();
    await shot(page, '24-frame-pick');
    await last.getByRole('button', { name: 'Use this frame' }).click();
    const thumb = last.getByRole('img', { name: 'Thumbnail of “The last crossing”' });
    await thumb.waitFor();
    // Shown once it has loaded: the frame drawn at the clip's own width.
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(160);

    // Scheduling: Part 2 is out on 12 December 2099 at 18:00, creator's clock (UTC here), then changed and cleared.
    const part2 = page.locator('.episode').filter({ has: page.locator('.episode-title', { hasText: /^Part 2$/ }) });
    await part2.getByRole('button', { name: 'Edit' }).click();
    await part2.getByLabel(/^Release \(optional, your time: UTC\)/).fill('2099-12-12T18:00');
    await part2.getByRole('button', { name: 'Save episode' }).click();
    await part2.getByText('Out Sat 12 Dec 2099, 18:00').waitFor();
    await part2.scrollIntoViewIfNeeded();
    await shot(page, '25-scheduled');
    const releaseOf = () =>
      page.evaluate(
        async (id) =>
          (await (await fetch(`/v1/me/series/${id}`)).json()).series.episodes.find((e: any) => e.title === 'Part 2')
            .releaseAt,
        seriesId,
      );
    expect(await releaseOf()).toBe('2099-12-12T18:00:00.000Z');
    await part2.getByRole('button', { name: 'Edit' }).click();
    await part2.getByRole('button', { name: 'Clear the release date' }).click();
    await part2.getByRole('button', { name: 'Save episode' }).click();
    await expect.poll(releaseOf).toBeNull();
    expect((page as Page & { errors: string[] }).errors).toEqual([]);
  }, 180_000);

  it('moves an episode by touch on a phone: one request, the order kept', async () => {
    const context = await stack.browser.newContext({
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      isMobile: true,
      locale: 'en-US',
      timezoneId: 'UTC',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, 'creator@series.test');
    const seriesId = await page.evaluate(async () => {
      const post = (path: string, body: unknown) =>
        fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const { series } = await (await post('/v1/series', { title: 'By touch', currency: 'USD' })).json();
      for (const title of ['One', 'Two', 'Three', 'Four'])
        await post(`/v1/series/${series.id}/episodes`, { title, durationSeconds: 60, price: 199 });
      return series.id as string;
    });
    await page.goto(`${stack.dashboard}/series/${seriesId}`);
    await page.getByRole('heading', { name: 'By touch', level: 1 }).waitFor();
    const patches: string[] = [];
    page.on('request', (r) => void (r.method() === 'PATCH' && patches.push(r.postData() ?? '')));
    const handle = page.getByRole('button', { name: /^Move “Four”, position/ });
    await handle.scrollIntoViewIfNeeded();
    const from = (await handle.boundingBox())!;
    const to = (await page.locator('.episode').first().boundingBox())!;
    const x = from.x + from.width / 2;
    const cdp = await context.newCDPSession(page);
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', y: number) =>
      cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
    await touch('touchStart', from.y + from.height / 2);
    for (let y = from.y + from.height / 2; y > to.y + 5; y -= 20) await touch('touchMove', y);
    await touch('touchMove', to.y + 5);
    await touch('touchEnd', to.y + 5);
    await page.getByText('“Four” moved to position 1 of 4.').waitFor();
    expect(await episodeTitles(page)).toEqual(['Four', 'One', 'Two', 'Three']);
    expect(patches).toEqual(['{"number":1}']);
    await page.screenshot({ path: `${RESULTS}26-moved-by-touch.png` });
    await context.close();
  }, 60_000);

  it('fits every page at 320 and 390 px and on a desktop without sideways scrolling, with no serious axe violation', async () => {
    // A claim waiting for approval, so the admin's list has its Approve / Suspend / Reject buttons.
    const signupRes = await fetch(`${stack.api}/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `phone-${Date.now()}@example.test`, password: DEMO_PASSWORD }),
    });
    const { token } = (await signupRes.json()) as { token: string };
    const claim = await fetch(`${stack.api}/v1/creators`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ handle: `phone_${Date.now()}`, displayName: 'A very long display name for a phone' }),
    });
    expect(claim.status).toBe(201);
    const axe = await readFile(AXE, 'utf8');
    const problems: string[] = [];

    async function check(page: Page, label: string, shotName: string) {
      const width = page.viewportSize()!.width;
      const sideways = await page.evaluate(() => {
        const d = document.documentElement;
        const wide = [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > d.clientWidth + 1 && e.closest('.table-scroll') === null)
          .map((e) => `${e.tagName.toLowerCase()}.${e.getAttribute('class') ?? ''}`);
        return { overflow: d.scrollWidth - d.clientWidth, wide: wide.slice(0, 5) };
      });
      if (sideways.overflow > 0)
        problems.push(`${label} @${width}: scrolls sideways by ${sideways.overflow}px (${sideways.wide})`);
      await page.evaluate(axe);
      const violations = await page.evaluate(async () => {
        const result = await (globalThis as unknown as { axe: { run(): Promise<any> } }).axe.run();
        return (result.violations as { id: string; impact: string; nodes: { target: string[] }[] }[])
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3)}`);
      });
      for (const v of violations) problems.push(`${label} @${width}: ${v}`);
      await page.screenshot({ path: `${RESULTS}20-${shotName}-${width}.png`, fullPage: true });
    }

    const viewports = [
      { width: 320, height: 640 },
      { width: 390, height: 844 },
      { width: 1280, height: 900 },
    ];
    for (const viewport of viewports) {
      const page = await openPage(viewport);
      await page.goto(`${stack.dashboard}/`);
      await page.getByRole('form', { name: 'Sign in' }).waitFor();
      await check(page, 'sign-in', 'sign-in');
      await signIn(page, 'creator@series.test');
      await check(page, 'overview', 'creator-overview');
      const { series } = await page.evaluate(() => fetch('/v1/me/series').then((r) => r.json()));
      const demo = series.find((x: { title: string }) => x.title === 'The Lighthouse Keeper');
      const pages: [string, string, string][] = [
        ['/series', 'Series', 'series'],
        [`/series/${demo.id}`, 'The Lighthouse Keeper', 'series-detail'],
        ['/analytics?range=all', 'Analytics', 'analytics'],
        ['/payouts', 'Payouts', 'payouts'],
        ['/nowhere', 'Page not found', 'not-found'],
      ];
      for (const [path, heading, name] of pages) {
        await page.goto(`${stack.dashboard}${path}`);
        await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
        await page
          .locator('[aria-busy="true"], .state-loading')
          .first()
          .waitFor({ state: 'detached' })
          .catch(() => {});
        await page.waitForLoadState('networkidle');
        await check(page, name, name);
      }
      await page.context().close();

      const adminPage = await openPage(viewport);
      await signIn(adminPage, 'admin@series.test');
      await check(adminPage, 'admin overview', 'admin-overview');
      await adminPage.goto(`${stack.dashboard}/admin`);
      await adminPage.getByRole('button', { name: 'Approve' }).first().waitFor();
      await adminPage.waitForLoadState('networkidle');
      // The row's actions are on screen, not past the right edge.
      const approve = await adminPage.getByRole('button', { name: 'Approve' }).first().boundingBox();
      expect(approve!.x + approve!.width).toBeLessThanOrEqual(viewport.width);
      await check(adminPage, 'admin', 'admin');
      await adminPage.context().close();
    }
    expect(problems).toEqual([]);
  }, 180_000);

  it('never shows a blank page when the API is down, and recovers when it is back', async () => {
    const page = await openPage();
    await page.route('**/v1/**', (route) => route.abort('connectionrefused'));
    await page.goto(`${stack.dashboard}/analytics`);
    await page.getByText('The Series API is unreachable').waitFor();
    await shot(page, '10-api-down');
    await page.unroute('**/v1/**');
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('form', { name: 'Sign in' }).waitFor();
  }, 30_000);
});
