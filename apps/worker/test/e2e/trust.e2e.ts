// Ratings and review before going live, end to end (issue 21): Debian's Chromium against the real worker
// (`wrangler dev`, local D1 + R2, demo data). A buyer rates the demo series on its page, the rating shows; with the
// platform's review setting on, a creator's new series waits for an admin and goes live once approved.
// Screenshots land in test-results/trust-*.png.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../../scripts/test-server.mjs';

const RESULTS = new URL('../../test-results/', import.meta.url).pathname;
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const PASSWORD = 'series-demo-pass';

let worker: { url: string; stop(): Promise<void> };
let browser: Browser;

beforeAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  worker = await startWorker();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
});

const shot = (page: Page, name: string) => page.screenshot({ path: `${RESULTS}trust-${name}.png`, fullPage: true });

/** The API as a client would call it (JSON, a bearer token). */
async function api(
  path: string,
  init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const res = await fetch(`${worker.url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...init.headers,
    },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    redirect: 'manual',
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

async function login(email: string) {
  const res = await api('/v1/auth/login', { body: { email, password: PASSWORD } });
  expect(res.status).toBe(200);
  return res.json.token as string;
}

async function signUp() {
  const email = `rater-${crypto.randomUUID().slice(0, 8)}@example.test`;
  const res = await api('/v1/auth/signup', { body: { email, password: PASSWORD } });
  expect(res.status).toBe(201);
  return { email, token: res.json.token as string };
}

/** Buys an item in test mode: checkout, then the test checkout page's Pay form. */
async function buy(token: string, item: { episodeId: string } | { seriesId: string }) {
  const checkout = await api('/v1/checkout', {
    token,
    body: item,
    headers: { 'Idempotency-Key': crypto.randomUUID() },
  });
  expect(checkout.status).toBe(201);
  const url = new URL(checkout.json.checkoutUrl);
  const paid = await fetch(`${worker.url}${url.pathname}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ sig: url.searchParams.get('sig') ?? '' }).toString(),
    redirect: 'manual',
  });
  expect(paid.status).toBe(303);
}

describe('trust between buyers and creators', () => {
  it('a buyer rates the series on its page and the rating shows, escaped, in the average and count', async () => {
    const buyer = await signUp();
    await buy(buyer.token, { episodeId: 'ep_demoLighthouse00002' });
    const context = await browser.newContext({ ...PHONE, locale: 'en-US', timezoneId: 'UTC' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    await page.goto(`${worker.url}/@seriesdemo/the-lighthouse-keeper`);
    await page.getByRole('heading', { name: 'Ratings' }).waitFor();
    // Signed out: no rating form.
    expect(await page.locator('#sf-review').isHidden()).toBe(true);

    await page.getByRole('button', { name: 'Sign in' }).first().tap();
    const dialog = page.getByRole('dialog', { name: 'Sign in to continue' });
    await dialog.waitFor();
    await dialog.getByLabel('Email').fill(buyer.email);
    await dialog.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Sign in', exact: true }).tap();
    const form = page.locator('#sf-review');
    await form.waitFor({ state: 'visible' });
    await form.getByRole('button', { name: 'Post my rating' }).tap();
    await page.getByText('Choose from 1 to 5 stars.').waitFor();
    await form.getByLabel('4 stars').check();
    await form.getByLabel(/What did you think/).fill('Gripping <3 & worth it');
    await shot(page, '1-rating-form');
    await form.getByRole('button', { name: 'Post my rating' }).tap();
    await page.getByText('Thank you: your rating is saved.').waitFor();
    // The page reloads with the rating among the others.
    await page.getByText(/out of 5 from \d+ buyers?/).waitFor();
    await page.getByText('Gripping <3 & worth it').waitFor();
    const summary = await page.locator('.rating').textContent();
    expect(summary).toMatch(/4 out of 5 from 1 buyer/);
    // Their own rating comes back into the form, to edit.
    await page.locator('#sf-review').getByRole('button', { name: 'Save my rating' }).waitFor();
    expect(await page.locator('#sf-review').getByLabel('4 stars').isChecked()).toBe(true);
    await shot(page, '2-rating-shown');
    // The extension's public series answer carries it too.
    const series = await api('/v1/series/ser_demoLighthouseKeeper');
    expect(series.json.series.rating).toEqual({ average: 4, count: 1 });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('with review on, a new series waits for an admin, is not public, and goes live once approved', async () => {
    const admin = await login('admin@series.test');
    expect(
      (await api('/v1/admin/settings/review', { method: 'PUT', token: admin, body: { reviewRequired: true } })).status,
    ).toBe(200);
    try {
      const creator = await login('creator@series.test');
      const created = await api('/v1/series', { token: creator, body: { title: 'Under Review', currency: 'USD' } });
      expect(created.status).toBe(201);
      const id = created.json.series.id as string;
      expect(
        (
          await api(`/v1/series/${id}/episodes`, {
            token: creator,
            body: { title: 'Pilot', durationSeconds: 60, price: null },
          })
        ).status,
      ).toBe(201);
      const submitted = await api(`/v1/series/${id}/publish`, { method: 'POST', token: creator });
      expect(submitted.status).toBe(202);
      expect(submitted.json.series.review.state).toBe('pending');

      const context = await browser.newContext({ ...PHONE, locale: 'en-US', timezoneId: 'UTC' });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      const before = await page.goto(`${worker.url}/@seriesdemo/under-review`);
      expect(before!.status()).toBe(404);
      const queue = await api('/v1/admin/review-queue', { token: admin });
      const item = queue.json.items.find((i: { series: { id: string } }) => i.series.id === id);
      expect(item.asks).toEqual(['series']);
      expect(item.episodes.map((e: { title: string }) => e.title)).toEqual(['Pilot']);
      const approved = await api(`/v1/admin/review-queue/series/${id}/approve`, {
        method: 'POST',
        token: admin,
        body: {},
      });
      expect(approved.status).toBe(200);
      const after = await page.goto(`${worker.url}/@seriesdemo/under-review`);
      expect(after!.status()).toBe(200);
      await page.getByRole('heading', { name: 'Under Review' }).waitFor();
      await shot(page, '3-approved-live');
      await context.close();
      // Left as the demo was: the series goes, the creator's page shows the demo series only.
      await api(`/v1/series/${id}/unpublish`, { method: 'POST', token: creator });
      await api(`/v1/series/${id}`, { method: 'DELETE', token: creator });
    } finally {
      await api('/v1/admin/settings/review', { method: 'PUT', token: admin, body: { reviewRequired: false } });
    }
  });
});
