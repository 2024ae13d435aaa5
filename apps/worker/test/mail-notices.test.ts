// The mails that follow purchases and creators (mail/notices.ts): the buyer's receipt after each purchase, and
// the creator's notices (approved, suspended, first sale, payout recorded, the opt-in daily summary by the cron).
import { env } from 'cloudflare:workers';
import { createScheduledController } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { monthOf } from '@series/core';
import worker from '../src/index';
import { completePurchase } from '../src/ledger/sale-queries';
import {
  addEpisode,
  admin,
  buy,
  call,
  creator,
  expectError,
  installVideo,
  PASSWORD,
  publishedSeries,
  signup,
  startCheckout,
  uniqueEmail,
} from './helpers';
import { mailsTo, waitForMail } from './mail-helpers';

const creatorEmail = async (token: string) => (await call('GET', '/v1/me', { token })).json.user.email as string;
const links = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);

describe('receipts', () => {
  it('each purchase mails its buyer a receipt: what, from whom, amount, currency, date, watch and receipt links', async () => {
    const { owner, series, ep2 } = await publishedSeries();
    const buyer = await signup();
    const purchaseId = await buy(buyer.token, { episodeId: ep2.id });
    const mail = await waitForMail(buyer.email, /receipt/i);
    expect(mail.subject).toBe('Your receipt: Part 2');
    expect(mail.text_body).toContain(`Episode 2, “Part 2” of My Series`);
    expect(mail.text_body).toContain(`@${owner.handle}`);
    expect(mail.text_body).toContain('Amount paid: $1.99');
    expect(mail.text_body).toContain('Currency: USD');
    expect(mail.text_body).toContain(`Reference: ${purchaseId}`);
    expect(mail.text_body).toMatch(/Date: \w{3} \d{1,2}, \d{4}/);
    expect(links(mail.html_body)).toContain(`http://api.test/@${owner.handle}/${series.slug}/2`);
    expect(mail.text_body).toContain(`http://api.test/receipts/${purchaseId}`);
    // The receipt page is the lasting copy.
    const page = await call('GET', `/receipts/${purchaseId}`, {
      headers: { Cookie: `__Host-series_session=${buyer.token}` },
    });
    expect(page.status).toBe(200);
    // Exactly one receipt, however often the completion is confirmed again.
    expect((await completePurchase(env.DB, purchaseId)).outcome).toBe('already_completed');
    await new Promise((r) => setTimeout(r, 1500));
    expect((await mailsTo(buyer.email)).filter((m) => /receipt/i.test(m.subject))).toHaveLength(1);
  });

  it('in the buyer’s language, the whole series too', async () => {
    const { series } = await publishedSeries();
    const email = uniqueEmail('fr');
    const res = await call('POST', '/v1/auth/signup', {
      body: { email, password: PASSWORD },
      headers: { 'Accept-Language': 'fr' },
    });
    await buy(res.json.token, { seriesId: series.id });
    const mail = await waitForMail(email, /reçu/);
    expect(mail.subject).toBe('Votre reçu\u202f: My Series');
    expect(mail.text_body).toContain('la série entière');
    expect(mail.text_body).toMatch(/Montant payé: \d+,\d{2}\u00a0\$US/);
    expect(mail.html_body).toContain('lang="fr"');
  });
});

describe('creator notices', () => {
  it('the first sale ever is announced once; later sales are not', async () => {
    const { owner, ep2, ep3 } = await publishedSeries();
    const email = await creatorEmail(owner.token);
    await buy((await signup()).token, { episodeId: ep2.id });
    const first = await waitForMail(email, /first sale/);
    expect(first.text_body).toContain('$1.99');
    expect(links(first.html_body)).toContain('http://api.test/dashboard/analytics');
    await buy((await signup()).token, { episodeId: ep3.id });
    await waitForMail((await signup()).email); // the queue has moved on since
    expect((await mailsTo(email)).filter((m) => /first sale/.test(m.subject))).toHaveLength(1);
  });

  it('approval and suspension are told to the creator', async () => {
    const pending = await creator('pending');
    const email = await creatorEmail(pending.token);
    const token = await admin();
    expect((await call('POST', `/v1/admin/creators/${pending.handle}/approve`, { token })).status).toBe(200);
    const approved = await waitForMail(email, /sell on Series/);
    expect(approved.text_body).toContain(`@${pending.handle}`);
    expect((await call('POST', `/v1/admin/creators/${pending.handle}/suspend`, { token })).status).toBe(200);
    const suspended = await waitForMail(email, /suspended/);
    expect(suspended.text_body).toMatch(/buyers keep what they bought/);
  });

  it('a recorded payout is told once, with its amount and month', async () => {
    const { owner, series } = await publishedSeries();
    const big = await addEpisode(owner.token, series.id, { title: 'Finale', price: 9_999 });
    await installVideo(owner.token, big.id);
    const now = new Date();
    const lastMonth = monthOf(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    const co = await startCheckout((await signup()).token, { episodeId: big.id });
    await completePurchase(env.DB, co.json.purchaseId, { now: Date.parse(`${lastMonth}-15T12:00:00Z`) });
    const body = { handle: owner.handle, month: lastMonth, currency: 'USD' };
    expect((await call('POST', '/v1/admin/payouts', { token: await admin(), body })).status).toBe(201);
    const mail = await waitForMail(await creatorEmail(owner.token), /Payout recorded/);
    expect(mail.subject).toBe('Payout recorded: $99.99');
    expect(mail.text_body).toMatch(/for your earnings of \w+ \d{4}/);
    expect((await call('POST', '/v1/admin/payouts', { token: await admin(), body })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await mailsTo(await creatorEmail(owner.token))).filter((m) => /Payout/.test(m.subject))).toHaveLength(1);
  });

  it('the daily summary goes to creators who opt in, once a day, from the cron', async () => {
    const { owner, ep2, ep3 } = await publishedSeries();
    const quiet = await publishedSeries();
    const email = await creatorEmail(owner.token);
    expect((await call('GET', '/v1/me/notifications', { token: owner.token })).json).toEqual({ dailySummary: false });
    expectError(await call('GET', '/v1/me/notifications', { token: (await signup()).token }), 403, 'creator_required');
    for (const c of [owner, quiet.owner]) {
      const on = await call('PUT', '/v1/me/notifications', { token: c.token, body: { dailySummary: true } });
      expect(on.json).toEqual({ dailySummary: true });
    }
    await buy((await signup()).token, { episodeId: ep2.id });
    await buy((await signup()).token, { episodeId: ep3.id });
    // The next day's runs (fake time), with the public origin the links need.
    const tomorrow = Date.now() + 24 * 60 * 60 * 1000;
    const cronEnv = { ...env, SITE_ORIGIN: 'https://series.example' } as Env;
    for (const at of [tomorrow, tomorrow + 60 * 60 * 1000]) {
      await worker.scheduled(createScheduledController({ scheduledTime: at, cron: '0 * * * *' }), cronEnv);
    }
    const summary = await waitForMail(email, /Your day on Series/);
    expect(summary.subject).toBe('Your day on Series: 2 sales');
    expect(summary.text_body).toContain('USD: 2 sales, $4.98 gross, $4.98 for you');
    expect(new Set(links(summary.html_body))).toEqual(new Set(['https://series.example/dashboard/analytics']));
    await new Promise((r) => setTimeout(r, 1500));
    expect((await mailsTo(email)).filter((m) => /Your day/.test(m.subject))).toHaveLength(1);
    // Nothing sold: no summary.
    expect((await mailsTo(await creatorEmail(quiet.owner.token))).filter((m) => /Your day/.test(m.subject))).toEqual(
      [],
    );
  });
});
