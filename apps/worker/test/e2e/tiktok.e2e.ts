// "Connect TikTok", end to end: Debian's Chromium against the real worker (`wrangler dev`, local D1 + R2, demo
// data) and its TikTok stand-in. A creator connects through the stand-in's authorize page, links one of their own
// videos picked from their recent ones, and is refused another account's video. Screenshots land in
// test-results/tiktok-*.png.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../../scripts/test-server.mjs';

const RESULTS = new URL('../../test-results/', import.meta.url).pathname;

let worker: { url: string; tiktokUrl: string; stop(): Promise<void> };
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

const shot = (page: Page, name: string) => page.screenshot({ path: `${RESULTS}tiktok-${name}.png`, fullPage: true });

describe('Connect TikTok', () => {
  it('connects through the authorize page, links an own video picked from the recent ones, is refused another account’s', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    // Failed requests are checked one by one below (the browser logs each as a console error).
    page.on(
      'console',
      (msg) => msg.type() === 'error' && !/Failed to load resource/.test(msg.text()) && problems.push(msg.text()),
    );
    const failed: string[] = [];
    page.on(
      'response',
      (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`),
    );
    const tokens: string[] = [];
    page.on('response', async (r) => {
      if (r.url().startsWith(worker.url) && (r.headers()['content-type'] ?? '').includes('json')) {
        tokens.push(await r.text().catch(() => ''));
      }
    });

    // A new account, signed up from this page (its session cookie is this browser's).
    await page.goto(`${worker.url}/dashboard/`);
    const api = (method: string, path: string, body?: unknown) =>
      page.evaluate(
        async ([method, path, body]) => {
          const res = await fetch(path as string, {
            method: method as string,
            headers: body ? { 'Content-Type': 'application/json' } : {},
            body: body ? JSON.stringify(body) : undefined,
          });
          return { status: res.status, json: await res.json() };
        },
        [method, path, body] as const,
      );
    const email = `tiktok-e2e-${Date.now()}@example.test`;
    expect((await api('POST', '/v1/auth/signup', { email, password: 'correct horse battery' })).status).toBe(201);
    await page.reload();
    await shot(page, '0-overview');
    await page.getByRole('link', { name: 'Connect TikTok' }).click();
    // TikTok's authorize page (the stand-in): pick the account.
    await page.waitForURL(`${worker.tiktokUrl}/v2/auth/authorize/**`);
    const asked = new URL(page.url());
    expect(asked.searchParams.get('scope')).toBe('user.info.basic,user.info.profile,user.info.stats,video.list');
    expect(asked.searchParams.get('redirect_uri')).toBe(`${worker.url}/v1/auth/tiktok/callback`);
    await shot(page, '1-authorize');
    await page.getByRole('button', { name: /@tinyfilms/ }).click();

    // Back on the dashboard: the creator is @tinyfilms, verified, waiting for approval.
    await page.waitForURL(`${worker.url}/dashboard/`);
    await page.getByText('Connected as').waitFor();
    await expect.poll(() => page.getByRole('heading', { name: /@tinyfilms/ }).count()).toBe(1);
    expect(await page.getByText('Verified with TikTok').count()).toBe(1);
    expect(await page.getByText('830 followers').count()).toBe(1);
    await shot(page, '2-connected');

    // A series, then an episode linked to one of the creator's own videos, picked from the recent ones.
    const created = await api('POST', '/v1/series', { title: 'Tiny Stories', currency: 'USD' });
    expect(created.status).toBe(201);
    const { series } = created.json as { series: { id: string } };
    await page.goto(`${worker.url}/dashboard/series/${series.id}`);
    const form = page.getByRole('form', { name: 'New episode' });
    await form.getByLabel('Title').fill('The first one');
    await form.getByLabel('Free episode').check();
    await form.getByLabel('Duration (m:ss)').fill('1:00');
    await form.getByRole('button', { name: 'Pick from your TikTok videos' }).click();
    await form.getByRole('button', { name: 'My first short' }).click();
    expect(await form.getByLabel('Linked video (optional)').inputValue()).toBe('7322000000000000001');
    await shot(page, '3-pick');
    await form.getByRole('button', { name: 'Add episode' }).click();
    await page.getByText('linked to video 7322000000000000001 (yours, checked with TikTok)').waitFor();

    // Another account's video (@lumen.studio's): refused, on the field, and nothing is added.
    await form.getByLabel('Title').fill('Not mine');
    await form.getByLabel('Free episode').check();
    await form.getByLabel('Duration (m:ss)').fill('1:00');
    await form
      .getByLabel('Linked video (optional)')
      .fill('https://www.tiktok.com/@lumen.studio/video/7311000000000000001');
    await form.getByRole('button', { name: 'Add episode' }).click();
    await form.getByText(/is not one of @tinyfilms's videos on TikTok/).waitFor();
    await shot(page, '4-refused');
    const mine = await api('GET', `/v1/me/series/${series.id}`);
    const episodes = (mine.json as { series: { episodes: { videoId: string; videoVerified: boolean }[] } }).series
      .episodes;
    expect(episodes.map((e) => [e.videoId, e.videoVerified])).toEqual([['7322000000000000001', true]]);

    // No token ever reached the browser.
    for (const body of tokens) expect(body).not.toMatch(/act\.|rft\./);
    expect(problems).toEqual([]);
    // Signed out before the sign-up, then the refusal of another account's video; nothing else failed.
    expect(failed.filter((f) => !f.startsWith('401 GET /v1/me'))).toEqual([
      `403 POST /v1/series/${series.id}/episodes`,
    ]);
    await context.close();
  });
});
