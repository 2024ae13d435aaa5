// Refunds by the seller (the creator of the sale, or an admin) and buyers' refund requests: full or partial,
// "refund, keep access", through the provider (the test one here; Stripe's Refunds API below) and applied by the
// ledger's refund path, the one Stripe's webhooks take; the whole-database invariants after each.
import { env } from 'cloudflare:workers';
import { createScheduledController } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../src/index';
import { admin, buy, call, creator, expectError, idemKey, publishedSeries, signup } from './helpers';
import { expectInvariants } from './invariants';
import { waitForMail } from './mail-helpers';
import { deliver, refundEvent, sessionCompleted, stripeCall, stripeId, stripeRequests } from './stripe-helpers';
import { stripeCheckout, stripeSeller } from './stripe-seller';

const refund = (token: string, purchaseId: string, body: Record<string, unknown> = {}, key = idemKey()) =>
  call('POST', `/v1/sales/${purchaseId}/refunds`, { token, body, headers: { 'Idempotency-Key': key } });
const access = async (token: string, episodeId: string) =>
  (await call('GET', `/v1/episodes/${episodeId}/access`, { token })).status;
const row = (id: string) =>
  env.DB.prepare('SELECT status, refunded_amount, refund_keeps_access FROM purchases WHERE id = ?')
    .bind(id)
    .first<{ status: string; refunded_amount: number; refund_keeps_access: number }>();
const summary = async (token: string) => (await call('GET', '/v1/analytics/summary', { token })).json.totals[0];

async function sale() {
  const shop = await publishedSeries();
  const buyer = await signup();
  const purchaseId = await buy(buyer.token, { episodeId: shop.ep2.id });
  return { ...shop, buyer, purchaseId };
}

describe('refunds by the seller', () => {
  it('partial, then the rest: access stays after the partial one, ends with the full one; analytics follow', async () => {
    const s = await sale();
    const partial = await refund(s.owner.token, s.purchaseId, { amount: 50 });
    expect(partial.status, partial.text).toBe(201);
    expect(partial.json.refund).toMatchObject({ amount: 50, failed: false });
    expect(await row(s.purchaseId)).toMatchObject({ status: 'paid', refunded_amount: 50 });
    expect(await access(s.buyer.token, s.ep2.id)).toBe(200);
    expect(await summary(s.owner.token)).toMatchObject({ gross: 199, refunded: 50 });
    await expectInvariants();

    expectError(await refund(s.owner.token, s.purchaseId, { amount: 150 }), 409, 'refund_exceeds_remaining', 'amount');
    expect((await row(s.purchaseId))!.refunded_amount).toBe(50);
    const rest = await refund(s.owner.token, s.purchaseId);
    expect(rest.json.refund.amount).toBe(149);
    expect(await row(s.purchaseId)).toMatchObject({ status: 'refunded', refunded_amount: 199 });
    expect(await access(s.buyer.token, s.ep2.id)).toBe(402);
    expect(await summary(s.owner.token)).toMatchObject({ gross: 199, refunded: 199, payout: 0 });
    expectError(await refund(s.owner.token, s.purchaseId), 409, 'nothing_to_refund');
    await expectInvariants();
  });

  it('"refund, keep access": the money goes back, the buyer keeps watching, recorded on the purchase', async () => {
    const s = await sale();
    const res = await refund(s.owner.token, s.purchaseId, { keepAccess: true, reason: 'sound was broken' });
    expect(res.status).toBe(201);
    expect(res.json.refund.keepAccess).toBe(true);
    expect(await row(s.purchaseId)).toMatchObject({ status: 'paid', refunded_amount: 199, refund_keeps_access: 1 });
    expect(await access(s.buyer.token, s.ep2.id)).toBe(200);
    expectError(await refund(s.owner.token, s.purchaseId), 409, 'nothing_to_refund');
    const audit = await call('GET', '/v1/admin/audit', { token: await admin() });
    expect(audit.json.entries).toContainEqual(
      expect.objectContaining({
        action: 'refund.issue',
        target: s.purchaseId,
        detail: { amount: 199, keepAccess: true, reason: 'sound was broken' },
      }),
    );
    await expectInvariants();
  });

  it('a retry with the same Idempotency-Key is the same refund, applied once', async () => {
    const s = await sale();
    const key = idemKey();
    const first = await refund(s.owner.token, s.purchaseId, { amount: 99 }, key);
    const again = await refund(s.owner.token, s.purchaseId, { amount: 99 }, key);
    expect(again.json.refund.id).toBe(first.json.refund.id);
    expect((await row(s.purchaseId))!.refunded_amount).toBe(99);
    await expectInvariants();
  });

  it('only the creator of the sale or an admin: another creator gets a 404, a viewer a 403, nothing changes', async () => {
    const s = await sale();
    expectError(await refund((await creator()).token, s.purchaseId), 404, 'not_found');
    expectError(await refund(s.buyer.token, s.purchaseId), 403, 'creator_required');
    expectError(
      await call('POST', `/v1/sales/${s.purchaseId}/refunds`, { token: s.owner.token, body: {} }),
      400,
      'invalid_request',
    );
    expect((await row(s.purchaseId))!.refunded_amount).toBe(0);
    expect((await refund(await admin(), s.purchaseId, { amount: 10 })).status).toBe(201);
    expect((await row(s.purchaseId))!.refunded_amount).toBe(10);
  });
});

describe('refunds through Stripe', () => {
  it('the Refunds API with reverse_transfer, refund_application_fee and an idempotency key; the webhook confirms once', async () => {
    const seller = await stripeSeller();
    const buyer = await signup();
    const { purchaseId } = await stripeCheckout(buyer.token, { episodeId: seller.ep.id });
    const pi = stripeId('pi');
    expect((await deliver(sessionCompleted(purchaseId, pi))).status).toBe(200);
    const key = idemKey();
    const res = await stripeCall('POST', `/v1/sales/${purchaseId}/refunds`, {
      token: seller.owner.token,
      body: { amount: 99 },
      headers: { 'Idempotency-Key': key },
    });
    expect(res.status, res.text).toBe(201);
    const sent = (await stripeRequests()).filter((r) => r.path === '/v1/refunds' && r.form['payment_intent'] === pi);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.form).toMatchObject({ amount: '99', reverse_transfer: 'true', refund_application_fee: 'true' });
    expect(sent[0]!.headers['idempotency-key']).toBe(`refund:${purchaseId}:${key}`);
    // Stripe's own word on the same refund, twice: nothing more is taken back.
    for (let i = 0; i < 2; i++) expect((await deliver(refundEvent(pi, 99, res.json.refund.id))).status).toBe(200);
    expect((await row(purchaseId))!.refunded_amount).toBe(99);
    await expectInvariants();
  });
});

describe('refund requests', () => {
  it('the buyer asks once within 14 days; the creator is told and grants it: refunded in full, access gone', async () => {
    const s = await sale();
    const ask = (reason = 'The video stops after a minute') =>
      call('POST', `/v1/purchases/${s.purchaseId}/refund-request`, { token: s.buyer.token, body: { reason } });
    const asked = await ask();
    expect(asked.status, asked.text).toBe(201);
    expect(asked.json.request).toMatchObject({ status: 'pending', reason: 'The video stops after a minute' });
    expectError(await ask('again'), 409, 'refund_request_exists');
    expectError(
      await call('POST', `/v1/purchases/${s.purchaseId}/refund-request`, {
        token: (await signup()).token,
        body: { reason: 'not mine' },
      }),
      404,
      'not_found',
    );
    const notice = await waitForMail((await call('GET', '/v1/me', { token: s.owner.token })).json.user.email, /refund/);
    expect(notice.text_body).toContain('The video stops after a minute');

    const list = await call('GET', '/v1/refund-requests', { token: s.owner.token });
    expect(list.json.requests).toHaveLength(1);
    const id = list.json.requests[0].id;
    expectError(
      await call('POST', `/v1/refund-requests/${id}/grant`, { token: (await creator()).token, body: {} }),
      404,
      'not_found',
    );
    const granted = await call('POST', `/v1/refund-requests/${id}/grant`, { token: s.owner.token, body: {} });
    expect(granted.status, granted.text).toBe(200);
    expect(await row(s.purchaseId)).toMatchObject({ status: 'refunded', refunded_amount: 199 });
    expect(await access(s.buyer.token, s.ep2.id)).toBe(402);
    expectError(
      await call('POST', `/v1/refund-requests/${id}/decline`, { token: s.owner.token }),
      409,
      'already_answered',
    );
    const mine = await call('GET', `/v1/purchases/${s.purchaseId}/refund-request`, { token: s.buyer.token });
    expect(mine.json.request).toMatchObject({ status: 'granted', answeredBy: 'creator' });
    await expectInvariants();
  });

  it('from the receipt page: the form, then the request’s state on the page', async () => {
    const s = await sale();
    const cookie = { Cookie: `__Host-series_session=${s.buyer.token}` };
    const page = await call('GET', `/receipts/${s.purchaseId}`, { headers: cookie });
    expect(page.text).toContain(`action="/receipts/${s.purchaseId}/refund-request"`);
    const form = (reason: string) =>
      call('POST', `/receipts/${s.purchaseId}/refund-request`, {
        raw: new URLSearchParams({ reason }).toString(),
        headers: { ...cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://api.test' },
      });
    const empty = await form('  ');
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('id="refund-error"');
    const sent = await form('Wrong episode uploaded');
    expect(sent.status).toBe(303);
    const after = await call('GET', `/receipts/${s.purchaseId}`, { headers: cookie });
    expect(after.text).toContain('data-request-status="pending"');
    expect(after.text).not.toContain('name="reason"');
    expect((await form('again')).status).toBe(409);
  });

  it('past 14 days a request is refused; a declined one stays declined', async () => {
    const s = await sale();
    await env.DB.prepare('UPDATE purchases SET paid_at = ? WHERE id = ?')
      .bind(Date.now() - 15 * 24 * 60 * 60 * 1000, s.purchaseId)
      .run();
    expectError(
      await call('POST', `/v1/purchases/${s.purchaseId}/refund-request`, {
        token: s.buyer.token,
        body: { reason: 'late' },
      }),
      409,
      'refund_window_closed',
    );
    const t = await sale();
    await call('POST', `/v1/purchases/${t.purchaseId}/refund-request`, {
      token: t.buyer.token,
      body: { reason: 'meh' },
    });
    const id = (await call('GET', '/v1/refund-requests', { token: t.owner.token })).json.requests[0].id;
    expect((await call('POST', `/v1/refund-requests/${id}/decline`, { token: t.owner.token })).status).toBe(200);
    expect(await row(t.purchaseId)).toMatchObject({ status: 'paid', refunded_amount: 0 });
  });

  it('unanswered for 7 days, the cron grants it (fake time), once', async () => {
    const s = await sale();
    await call('POST', `/v1/purchases/${s.purchaseId}/refund-request`, { token: s.buyer.token, body: { reason: 'x' } });
    const cron = (at: number) =>
      worker.scheduled(createScheduledController({ scheduledTime: at, cron: '0 * * * *' }), env);
    await cron(Date.now() + 6 * 24 * 60 * 60 * 1000);
    expect((await row(s.purchaseId))!.status).toBe('paid');
    await cron(Date.now() + 7 * 24 * 60 * 60 * 1000 + 60_000);
    await cron(Date.now() + 7 * 24 * 60 * 60 * 1000 + 120_000);
    expect(await row(s.purchaseId)).toMatchObject({ status: 'refunded', refunded_amount: 199 });
    const mine = await call('GET', `/v1/purchases/${s.purchaseId}/refund-request`, { token: s.buyer.token });
    expect(mine.json.request).toMatchObject({ status: 'granted', answeredBy: 'platform' });
    await expectInvariants();
  });
});
