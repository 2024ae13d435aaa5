// Accounts and after-sale care in Debian's Chromium against the real worker (`wrangler dev`, local D1, the mail
// outbox on): forgot password → the outbox page → the link → a new password → signed in, old sessions gone; a
// purchase → its receipt mail → the receipt page → a refund request → the creator refunds from the dashboard →
// access gone; the dashboard's account page in French. Screenshots in test-results/accounts-*.png.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../../scripts/test-server.mjs';

const RESULTS = new URL('../../test-results/', import.meta.url).pathname;
const VIEWER = 'viewer@series.test';
const CREATOR = 'creator@series.test';
const DEMO_PASSWORD = 'series-demo-pass';
const NEW_PASSWORD = 'a brand new passphrase';
const EPISODE = 'ep_demoLighthouse00002';

let worker: { url: string; stop(): Promise<void> };
let browser: Browser;

beforeAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  worker = await startWorker();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
});

const shot = (page: Page, name: string) => page.screenshot({ path: `${RESULTS}accounts-${name}.png`, fullPage: true });

async function api(path: string, init: { method?: string; token?: string; body?: unknown; headers?: object } = {}) {
  const res = await fetch(`${worker.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    redirect: 'manual',
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}
const login = async (email: string, password: string) =>
  (await api('/v1/auth/login', { method: 'POST', body: { email, password } })).json.token as string;

/** The newest mail to `to` whose subject matches, as the outbox page lists it (the queue fills it). */
async function openMail(page: Page, to: string, subject: RegExp) {
  for (let i = 0; i < 60; i++) {
    await page.goto(`${worker.url}/outbox?to=${encodeURIComponent(to)}`);
    const article = page.locator('article', { has: page.locator('h2', { hasText: subject }) }).first();
    if (await article.count()) return article;
    await page.waitForTimeout(500);
  }
  throw new Error(`no mail to ${to} matching ${subject}`);
}

/** Signs in on the dashboard in the browser's language (the page is English or French). */
async function dashboardSignIn(page: Page, email: string, names = { signIn: 'Sign in', account: 'Account' }) {
  await page.goto(`${worker.url}/dashboard/`);
  await page.fill('#email', email);
  await page.fill('#password', DEMO_PASSWORD);
  await page.getByRole('button', { name: names.signIn, exact: true }).last().click();
  await page.getByRole('link', { name: names.account }).waitFor();
}

describe('accounts and after-sale care', () => {
  it('forgot password → outbox → link → new password: signed in, every old session gone', async () => {
    const old = await login(VIEWER, DEMO_PASSWORD);
    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    // The storefront's sign-in dialog links to the form.
    await page.goto(`${worker.url}/library`);
    expect(await page.locator('#sf-forgot').getAttribute('href')).toBe('/forgot-password');
    await page.goto(`${worker.url}/forgot-password`);
    await page.fill('#recover-email', VIEWER);
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await page.locator('#recover-sent').waitFor();
    const mail = await openMail(page, VIEWER, /Choose a new Series password/);
    await shot(page, 'outbox');
    await mail.locator('a[href*="/reset-password?token="]').click();
    await page.fill('#recover-password', NEW_PASSWORD);
    await shot(page, 'reset');
    await page.getByRole('button', { name: 'Save the new password' }).click();
    await page.locator('#recover-done').waitFor();
    expect((await api('/v1/me', { token: old })).status).toBe(401);
    const viewer = await page.evaluate(() => fetch('/v1/viewer').then((r) => r.json()));
    expect(viewer).toMatchObject({ signedIn: true, email: VIEWER });
    expect(
      (await api('/v1/auth/login', { method: 'POST', body: { email: VIEWER, password: DEMO_PASSWORD } })).status,
    ).toBe(401);
    await context.close();
  });

  it('buy → receipt mail → receipt page → refund request → the creator refunds from the dashboard → access gone', async () => {
    const token = await login(VIEWER, NEW_PASSWORD);
    const co = await api('/v1/checkout', {
      method: 'POST',
      token,
      body: { episodeId: EPISODE },
      headers: { 'Idempotency-Key': `e2e-${crypto.randomUUID()}` },
    });
    expect(co.status).toBe(201);
    const url = new URL(co.json.checkoutUrl);
    const pay = await fetch(`${worker.url}${url.pathname}/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: worker.url },
      body: new URLSearchParams({ sig: url.searchParams.get('sig')! }),
      redirect: 'manual',
    });
    expect(pay.status).toBe(303);
    expect((await api(`/v1/episodes/${EPISODE}/access`, { token })).status).toBe(200);

    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    // Signed in on the storefront (the receipt page is the buyer's only).
    await page.goto(`${worker.url}/library`);
    await page.evaluate(
      ([email, password]) =>
        fetch('/v1/auth/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password }),
        }),
      [VIEWER, NEW_PASSWORD],
    );
    const receiptMail = await openMail(page, VIEWER, /Your receipt/);
    const text = await receiptMail.locator('pre').innerText();
    expect(text).toContain('Amount paid:');
    expect(text).toContain(co.json.purchaseId);
    await receiptMail.locator(`a[href$="/receipts/${co.json.purchaseId}"]`).click();
    await page.locator('td[data-amount]').waitFor();
    await page.fill('#refund-reason', 'The sound drops out halfway through.');
    await page.getByRole('button', { name: 'Ask for a refund' }).click();
    await page.locator('[data-request-status="pending"]').waitFor();
    await shot(page, 'receipt-requested');

    const creator = await browser.newContext({
      locale: 'en-US',
      timezoneId: 'UTC',
      viewport: { width: 1280, height: 900 },
    });
    const dash = await creator.newPage();
    dash.setDefaultTimeout(20_000);
    await dashboardSignIn(dash, CREATOR);
    await dash.getByRole('link', { name: 'Refunds' }).click();
    const request = dash.locator('li[data-status="pending"]', { hasText: 'The sound drops out' });
    await request.waitFor();
    await shot(dash, 'dashboard-refunds');
    await request.getByRole('button', { name: 'Refund', exact: true }).click();
    await dash.locator('li[data-status="granted"]', { hasText: 'The sound drops out' }).waitFor();
    expect((await api(`/v1/episodes/${EPISODE}/access`, { token })).status).toBe(402);
    await page.reload();
    await page.locator('[data-request-status="granted"]').waitFor();
    await creator.close();
    await context.close();
  });

  it('the dashboard’s account page in French, with a switch back to English', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    // The whole dashboard speaks the browser's French, from the sign-in page on.
    await dashboardSignIn(page, CREATOR, { signIn: 'Se connecter', account: 'Compte' });
    await page.getByRole('link', { name: 'Compte' }).click();
    await page.getByRole('heading', { name: 'Compte', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Appareils connectés' }).waitFor();
    expect(await page.getByRole('button', { name: 'Se déconnecter partout' }).count()).toBe(1);
    // An API refusal, in words: the wrong password for a change of address.
    await page.fill('#new-email', 'someone-new@series.test');
    await page.fill('#email-password', 'not the password');
    await page.getByRole('button', { name: 'Envoyer un lien à la nouvelle adresse' }).click();
    await page.getByText('Ce mot de passe n’est pas le bon.').waitFor();
    await shot(page, 'dashboard-account-fr');
    await page.selectOption('#account-language', 'en');
    await page.getByRole('heading', { name: 'Account', level: 1 }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
