// Gifts in the storefront, end to end (issue 20): Debian's Chromium on a phone against the real worker (`wrangler
// dev`, demo data, the local mail outbox). A new viewer buys episode 2 as a gift on its page (signing up in the
// page's dialog, then the gift dialog, then the test checkout); the recipient opens the mailed link, claims it with a
// new account made in the same dialog, and plays the episode. Screenshots land in test-results/gifts-*.png.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../../scripts/test-server.mjs';

const EPISODE_PAGE = '/@seriesdemo/the-lighthouse-keeper/2';
const RESULTS = new URL('../../test-results/', import.meta.url).pathname;
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const PASSWORD = 'correct horse battery';

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

const shot = (page: Page, name: string) => page.screenshot({ path: `${RESULTS}gifts-${name}.png`, fullPage: true });

/** The claim link of the newest gift mail to `to`, read from the local outbox (the mail queue fills it). */
async function claimLink(to: string): Promise<string> {
  for (let i = 0; i < 60; i++) {
    const html = await (await fetch(`${worker.url}/outbox?to=${encodeURIComponent(to)}`)).text();
    const link = /https?:\/\/[^\s"<]+\/gift\?token=[A-Za-z0-9_-]{43}/.exec(html);
    if (link) return link[0].replace(/^https?:\/\/[^/]+/, worker.url);
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no gift mail to ${to}`);
}

/** Signs up in the storefront's own dialog (it opens when an action needs an account). */
async function signUpInDialog(page: Page, email: string) {
  const dialog = page.getByRole('dialog', { name: 'Sign in to continue' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'New here? Create an account' }).tap();
  await page.locator('#sf-email').fill(email);
  await page.locator('#sf-password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).tap();
}

describe('gifts in the storefront', () => {
  it('bought as a gift on a phone, claimed by a new account that then plays the episode', async () => {
    const stamp = Date.now();
    const giverEmail = `giver-${stamp}@example.test`;
    const friendEmail = `friend-${stamp}@example.test`;
    const problems: string[] = [];

    const giverContext = await browser.newContext({ ...PHONE, locale: 'en-US', timezoneId: 'UTC' });
    const giver = await giverContext.newPage();
    giver.setDefaultTimeout(20_000);
    giver.on('pageerror', (err) => problems.push(err.message));
    await giver.goto(`${worker.url}${EPISODE_PAGE}`);
    await giver.getByRole('button', { name: 'Buy as a gift' }).tap();
    await signUpInDialog(giver, giverEmail);
    const gift = giver.getByRole('dialog', { name: 'Buy as a gift' });
    await gift.waitFor();
    await gift.getByLabel('Their email address').fill(friendEmail);
    await gift.getByLabel(/A message/).fill('Happy birthday!');
    await shot(giver, '1-gift-dialog');
    await gift.getByRole('button', { name: 'Continue to payment' }).tap();
    await giver.waitForURL(/\/checkout\/pur_/);
    await giver.getByRole('button', { name: 'Pay $1.99' }).tap();
    await giver.waitForURL(/\/@seriesdemo\/the-lighthouse-keeper\/2\?purchase=pur_/);
    await giver.getByText('Gift paid. We mailed them a link to claim it').waitFor();
    // The giver does not own it: the episode's button still offers to unlock it.
    expect(await giver.getByRole('link', { name: /^Unlock episode/ }).count()).toBe(1);
    expect(await giver.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(giver, '2-gift-paid');

    // Its account page lists it, not claimed yet; sending it again straight away is refused politely.
    await giver.goto(`${worker.url}/account`);
    await giver.getByText('Not claimed yet').waitFor();
    await giver.getByRole('button', { name: 'Send again' }).tap();
    await giver.getByText('Sent a moment ago: wait a few minutes before sending it again.').waitFor();

    const link = await claimLink(friendEmail);
    const friendContext = await browser.newContext({ ...PHONE, locale: 'en-US', timezoneId: 'UTC' });
    const friend = await friendContext.newPage();
    friend.setDefaultTimeout(20_000);
    friend.on('pageerror', (err) => problems.push(err.message));
    await friend.goto(link);
    await friend.getByRole('heading', { name: 'A gift for you' }).waitFor();
    await friend.getByText('Happy birthday!').waitFor();
    // The giver signed up a moment ago and has not confirmed their address: the page never names it.
    const claimPage = await friend.textContent('main');
    expect(claimPage).toContain('Someone gave you');
    expect(claimPage).not.toContain(giverEmail);
    await shot(friend, '3-claim-page');
    await friend.getByRole('button', { name: 'Claim your gift' }).tap();
    await signUpInDialog(friend, friendEmail);
    await friend.waitForURL(new RegExp(`${EPISODE_PAGE}$`));
    // Theirs now: Play, and it plays.
    await friend
      .getByRole('link', { name: /^Play: 2\. / })
      .first()
      .tap();
    await friend.waitForFunction(() => {
      const v = document.querySelector<HTMLVideoElement>('#sf-video');
      return !!v && !v.paused && v.currentTime > 0.3;
    });
    expect(await friend.textContent('#sf-now')).toContain('episode 2');
    await shot(friend, '4-playing');

    // The giver's account page says it was claimed.
    await giver.goto(`${worker.url}/account`);
    await giver.getByText('Claimed', { exact: true }).waitFor();
    await shot(giver, '5-gifts');
    expect(problems).toEqual([]);
    await giverContext.close();
    await friendContext.close();
  });
});
