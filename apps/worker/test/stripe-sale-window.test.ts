// The sale window on the Stripe path: closing it (a suspension, an unpublish, a deleted last episode) expires the
// open Checkout Sessions in the background, and a payment that still arrives is refunded and audited.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { addEpisode, admin, createSeries, installVideo, signup } from './helpers';
import { expectInvariants } from './invariants';
import {
  deliver,
  failStripe,
  queuedSaleWindows,
  runSaleWindowQueue,
  sessionCompleted,
  setSessionStatus,
  stripeCall,
  stripeId,
  stripeRequests,
} from './stripe-helpers';
import { access, purchase, stripeCheckout, stripeSeller, totals } from './stripe-seller';

const expiresOf = async (sessions: string[]) =>
  (await stripeRequests()).filter((r) => sessions.some((cs) => r.path === `/v1/checkout/sessions/${cs}/expire`));
const sessionOf = async (purchaseId: string) => (await purchase(purchaseId))!.provider_ref as string;
const auditOf = (purchaseId: string) =>
  env.DB.prepare(`SELECT actor_id, action, target, detail FROM audit_log WHERE target = ? ORDER BY rowid`)
    .bind(purchaseId)
    .all<{ actor_id: string | null; action: string; target: string; detail: string }>();

describe('closing the sale window on the Stripe path', () => {
  it('a suspension expires the creator’s open sessions in the background, never during the admin’s request', async () => {
    const seller = await stripeSeller();
    const other = await stripeSeller();
    const [a, b, c] = [await signup(), await signup(), await signup()];
    const episode = await stripeCheckout(a.token, { episodeId: seller.ep.id });
    const bundle = await stripeCheckout(b.token, { seriesId: seller.series.id });
    const elsewhere = await stripeCheckout(c.token, { episodeId: other.ep.id });
    const sessions = [await sessionOf(episode.purchaseId), await sessionOf(bundle.purchaseId)];
    queuedSaleWindows.splice(0);

    const before = (await stripeRequests()).length;
    const res = await stripeCall('POST', `/v1/admin/creators/${seller.owner.handle}/suspend`, {
      token: await admin(),
    });
    expect(res.status).toBe(200);
    // The admin's answer came back before anything was asked of Stripe: one queued message, no expiry yet.
    expect((await stripeRequests()).slice(before)).toEqual([]);
    expect(queuedSaleWindows).toEqual([{ kind: 'off_sale', creatorId: expect.any(String), seriesId: null }]);
    expect((await purchase(episode.purchaseId))!.status).toBe('pending');

    const [run] = await runSaleWindowQueue();
    expect(run!.result.explicitAcks).toHaveLength(1);
    const expired = await expiresOf(sessions);
    expect(expired.map((r) => r.path).sort()).toEqual(
      sessions.map((cs) => `/v1/checkout/sessions/${cs}/expire`).sort(),
    );
    for (const id of [episode.purchaseId, bundle.purchaseId]) {
      expect(await purchase(id)).toMatchObject({ status: 'cancelled', status_reason: 'not_on_sale', paid_at: null });
    }
    // Another creator's checkout is untouched.
    expect(await expiresOf([await sessionOf(elsewhere.purchaseId)])).toEqual([]);
    expect((await purchase(elsewhere.purchaseId))!.status).toBe('pending');
    await expectInvariants();
  });

  it('a creator approved again before the message is consumed keeps their checkouts (the window is re-checked)', async () => {
    const seller = await stripeSeller();
    const buyer = await signup();
    const co = await stripeCheckout(buyer.token, { episodeId: seller.ep.id });
    queuedSaleWindows.splice(0);
    const token = await admin();
    expect((await stripeCall('POST', `/v1/admin/creators/${seller.owner.handle}/suspend`, { token })).status).toBe(200);
    expect((await stripeCall('POST', `/v1/admin/creators/${seller.owner.handle}/approve`, { token })).status).toBe(200);
    await runSaleWindowQueue();
    expect(await expiresOf([await sessionOf(co.purchaseId)])).toEqual([]);
    expect((await purchase(co.purchaseId))!.status).toBe('pending');
  });

  it('unpublishing a series closes that series’ checkouts only', async () => {
    const seller = await stripeSeller();
    const second = await createSeries(seller.owner.token, { title: 'Second', bundlePrice: 599 });
    const secondEp = await addEpisode(seller.owner.token, second.id, { price: 249 });
    await installVideo(seller.owner.token, secondEp.id);
    expect((await stripeCall('POST', `/v1/series/${second.id}/publish`, { token: seller.owner.token })).status).toBe(
      200,
    );
    const buyer = await signup();
    const kept = await stripeCheckout(buyer.token, { episodeId: secondEp.id });
    const closed = await stripeCheckout(buyer.token, { episodeId: seller.ep.id });
    queuedSaleWindows.splice(0);

    const res = await stripeCall('POST', `/v1/series/${seller.series.id}/unpublish`, { token: seller.owner.token });
    expect(res.status).toBe(200);
    expect(queuedSaleWindows).toEqual([
      { kind: 'off_sale', creatorId: expect.any(String), seriesId: seller.series.id },
    ]);
    await runSaleWindowQueue();
    expect(await expiresOf([await sessionOf(closed.purchaseId)])).toHaveLength(1);
    expect(await expiresOf([await sessionOf(kept.purchaseId)])).toEqual([]);
    expect((await purchase(closed.purchaseId))!.status_reason).toBe('not_on_sale');
    expect((await purchase(kept.purchaseId))!.status).toBe('pending');
  });

  it('deleting the last episode closes its checkouts and the whole-series ones', async () => {
    const seller = await stripeSeller();
    const [a, b] = [await signup(), await signup()];
    const episode = await stripeCheckout(a.token, { episodeId: seller.ep.id });
    const bundle = await stripeCheckout(b.token, { seriesId: seller.series.id });
    const sessions = [await sessionOf(episode.purchaseId), await sessionOf(bundle.purchaseId)];
    queuedSaleWindows.splice(0);

    const res = await stripeCall('DELETE', `/v1/episodes/${seller.ep.id}`, { token: seller.owner.token });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ deleted: true, seriesUnpublished: true });
    // The episode's checkout went with it; its session is named in the message, the series' are looked up.
    expect(queuedSaleWindows).toEqual([
      { kind: 'deleted', sessions: [sessions[0]] },
      { kind: 'off_sale', creatorId: expect.any(String), seriesId: seller.series.id },
    ]);
    expect(await expiresOf(sessions)).toEqual([]);
    await runSaleWindowQueue();
    expect((await expiresOf(sessions)).map((r) => r.path).sort()).toEqual(
      sessions.map((cs) => `/v1/checkout/sessions/${cs}/expire`).sort(),
    );
    expect(await purchase(episode.purchaseId)).toBeNull();
    expect((await purchase(bundle.purchaseId))!.status_reason).toBe('not_on_sale');
  });

  it('deleting an unsold series closes its open sessions', async () => {
    const seller = await stripeSeller();
    const buyer = await signup();
    const co = await stripeCheckout(buyer.token, { seriesId: seller.series.id });
    const session = await sessionOf(co.purchaseId);
    queuedSaleWindows.splice(0);
    expect((await stripeCall('DELETE', `/v1/series/${seller.series.id}`, { token: seller.owner.token })).status).toBe(
      200,
    );
    expect(queuedSaleWindows).toEqual([{ kind: 'deleted', sessions: [session] }]);
    await runSaleWindowQueue();
    expect(await expiresOf([session])).toHaveLength(1);
  });

  it('retries later while Stripe is unreachable, and closes the session once it answers', async () => {
    const seller = await stripeSeller();
    const buyer = await signup();
    const co = await stripeCheckout(buyer.token, { episodeId: seller.ep.id });
    const session = await sessionOf(co.purchaseId);
    queuedSaleWindows.splice(0);
    await stripeCall('POST', `/v1/series/${seller.series.id}/unpublish`, { token: seller.owner.token });
    // The client's own retries (2) fail too: the message goes back to the queue with a delay.
    await failStripe(`/v1/checkout/sessions/${session}/expire`, 3);
    const [failed] = await runSaleWindowQueue();
    expect(failed!.result.retryMessages).toEqual([{ msgId: expect.any(String) }]);
    expect(failed!.result.explicitAcks).toEqual([]);
    expect((await purchase(co.purchaseId))!.status).toBe('pending');
    const [retried] = await runSaleWindowQueue(2);
    expect(retried!.result.explicitAcks).toHaveLength(1);
    expect(await purchase(co.purchaseId)).toMatchObject({ status: 'cancelled', status_reason: 'not_on_sale' });
  });

  it('pages through many open checkouts, one follow-up message per page', async () => {
    const seller = await stripeSeller();
    const buyer = await signup();
    // One buyer, 27 abandoned tabs: each Idempotency-Key starts its own checkout.
    const checkouts = [];
    for (let i = 0; i < 27; i++) checkouts.push(await stripeCheckout(buyer.token, { episodeId: seller.ep.id }));
    queuedSaleWindows.splice(0);
    await stripeCall('POST', `/v1/series/${seller.series.id}/unpublish`, { token: seller.owner.token });
    const runs = await runSaleWindowQueue();
    expect(runs.map((r) => r.messages[0]!.kind === 'off_sale' && !!r.messages[0]!.after)).toEqual([false, true]);
    for (const co of checkouts) expect((await purchase(co.purchaseId))!.status_reason).toBe('not_on_sale');
  });
});

describe('a payment that arrives after the window', () => {
  for (const [label, close] of [
    [
      'the creator is suspended',
      async (s: Awaited<ReturnType<typeof stripeSeller>>) =>
        stripeCall('POST', `/v1/admin/creators/${s.owner.handle}/suspend`, { token: await admin() }),
    ],
    [
      'the series is unpublished',
      async (s: Awaited<ReturnType<typeof stripeSeller>>) =>
        stripeCall('POST', `/v1/series/${s.series.id}/unpublish`, { token: s.owner.token }),
    ],
  ] as const) {
    it(`is refunded through Stripe and audited, never granted, when ${label}`, async () => {
      const seller = await stripeSeller();
      const buyer = await signup();
      const co = await stripeCheckout(buyer.token, { episodeId: seller.ep.id });
      const session = await sessionOf(co.purchaseId);
      queuedSaleWindows.splice(0);
      expect((await close(seller)).status).toBe(200);
      // The buyer was on Stripe's page and paid before the background job reached the session.
      await setSessionStatus(session, 'complete');
      const pi = stripeId('pi');
      const paid = sessionCompleted(co.purchaseId, pi, session);
      expect((await deliver(paid)).status).toBe(200);

      expect(await purchase(co.purchaseId)).toMatchObject({ status: 'cancelled', status_reason: 'not_on_sale' });
      expect(await access(buyer.token, seller.ep.id)).not.toBe(200);
      const refunds = (await stripeRequests()).filter(
        (r) => r.path === '/v1/refunds' && r.form['payment_intent'] === pi,
      );
      expect(refunds).toHaveLength(1);
      expect(refunds[0]!.form).toMatchObject({
        reverse_transfer: 'true',
        refund_application_fee: 'true',
        'metadata[purchase_id]': co.purchaseId,
        'metadata[reason]': 'not_on_sale',
      });
      expect(refunds[0]!.headers['idempotency-key']).toBe(`refund-unfulfilled:${pi}`);
      const audit = (await auditOf(co.purchaseId)).results;
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor_id: null, action: 'payment.refunded_unfulfilled' });
      expect(JSON.parse(audit[0]!.detail)).toEqual({
        reason: 'not_on_sale',
        paymentIntent: pi,
        refund: expect.stringMatching(/^re_/),
        amount: 199,
        currency: 'USD',
      });

      // Stripe delivers again (a new event for the same payment): the same refund, still one audit entry.
      expect((await deliver(sessionCompleted(co.purchaseId, pi, session))).status).toBe(200);
      const again = (await stripeRequests()).filter((r) => r.path === '/v1/refunds' && r.form['payment_intent'] === pi);
      expect(new Set(again.map((r) => r.headers['idempotency-key']))).toEqual(new Set([`refund-unfulfilled:${pi}`]));
      expect((await auditOf(co.purchaseId)).results).toHaveLength(1);

      // The background job finds nothing left to close; nothing was sold.
      await runSaleWindowQueue();
      expect(await expiresOf([session])).toEqual([]);
      expect(await totals(seller.owner.token)).toEqual([]);
      await expectInvariants();
    });
  }

  it('a session the job could not expire (the buyer was paying) stays open, and its payment is refunded', async () => {
    const seller = await stripeSeller();
    const buyer = await signup();
    const co = await stripeCheckout(buyer.token, { episodeId: seller.ep.id });
    const session = await sessionOf(co.purchaseId);
    queuedSaleWindows.splice(0);
    await stripeCall('POST', `/v1/admin/creators/${seller.owner.handle}/suspend`, { token: await admin() });
    await setSessionStatus(session, 'complete');
    const [run] = await runSaleWindowQueue();
    // Stripe refused (the session is complete): acknowledged, the purchase left for the webhook.
    expect(run!.result.explicitAcks).toHaveLength(1);
    expect(await expiresOf([session])).toHaveLength(1);
    expect((await purchase(co.purchaseId))!.status).toBe('pending');
    const pi = stripeId('pi');
    await deliver(sessionCompleted(co.purchaseId, pi, session));
    expect((await purchase(co.purchaseId))!.status_reason).toBe('not_on_sale');
    expect(
      (await stripeRequests()).filter((r) => r.path === '/v1/refunds' && r.form['payment_intent'] === pi),
    ).toHaveLength(1);
  });

  it('a payment while the series is on sale completes as before, even after the checkout’s own hour', async () => {
    const seller = await stripeSeller();
    const buyer = await signup();
    const co = await stripeCheckout(buyer.token, { episodeId: seller.ep.id });
    // Stripe's session may outlive our hour (a retried checkout starts it late): its payment still counts.
    await env.DB.prepare('UPDATE purchases SET expires_at = ? WHERE id = ?')
      .bind(Date.now() - 1000, co.purchaseId)
      .run();
    await deliver(sessionCompleted(co.purchaseId, stripeId('pi')));
    expect((await purchase(co.purchaseId))!.status).toBe('paid');
    expect(await access(buyer.token, seller.ep.id)).toBe(200);
    expect((await auditOf(co.purchaseId)).results).toEqual([]);
  });
});
