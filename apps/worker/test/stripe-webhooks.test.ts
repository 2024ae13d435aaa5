import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { admin, call, idemKey, signup } from './helpers';
import { expectInvariants } from './invariants';
import {
  deliver,
  disputeEvent,
  refundEvent,
  refundFailedEvent,
  sessionCompleted,
  stripeCall,
  stripeId,
  stripeRequests,
} from './stripe-helpers';
import { stripeSeller, stripeCheckout, access, totals, purchase } from './stripe-seller';

describe('POST /v1/webhooks/stripe', () => {
  async function paidScenario(prices?: { ep?: number; bundle?: number }) {
    const seller = await stripeSeller(prices);
    const buyer = await signup();
    const { purchaseId } = await stripeCheckout(buyer.token, { episodeId: seller.ep.id });
    return { ...seller, buyer, purchaseId, pi: stripeId('pi') };
  }

  it('completes the purchase on checkout.session.completed (paid): access and rollups follow', async () => {
    const s = await paidScenario();
    expect(await access(s.buyer.token, s.ep.id)).toBe(402);
    const res = await deliver(sessionCompleted(s.purchaseId, s.pi));
    expect(res.status).toBe(200);
    expect(await access(s.buyer.token, s.ep.id)).toBe(200);
    expect(await totals(s.owner.token)).toEqual([
      { currency: 'USD', sales: 1, gross: 199, refunded: 0, commission: 0, payout: 199, tax: 0, buyers: 1 },
    ]);
  });

  it('waits for async_payment_succeeded when the session completes unpaid', async () => {
    const s = await paidScenario();
    const unpaid = sessionCompleted(s.purchaseId, s.pi);
    (unpaid.data.object as Record<string, unknown>)['payment_status'] = 'unpaid';
    await deliver(unpaid);
    expect((await purchase(s.purchaseId))!.status).toBe('pending');
    const succeeded = sessionCompleted(s.purchaseId, s.pi);
    succeeded.type = 'checkout.session.async_payment_succeeded';
    await deliver(succeeded);
    expect((await purchase(s.purchaseId))!.status).toBe('paid');
  });

  it('refuses a wrong secret, a stale timestamp and a tampered body, changing nothing', async () => {
    const s = await paidScenario();
    const evt = sessionCompleted(s.purchaseId, s.pi);
    const wrong = await deliver(evt, { secret: 'whsec_wrong' });
    const stale = await deliver(evt, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    const tampered = await deliver(evt, { tamper: (b) => b.replace('"paid"', '"paid" ') });
    const unsigned = await stripeCall('POST', '/v1/webhooks/stripe', {
      raw: JSON.stringify(evt),
      headers: { 'Content-Type': 'application/json' },
    });
    for (const res of [wrong, stale, tampered, unsigned])
      expect([res.status, res.json.error.code]).toEqual([400, 'invalid_signature']);
    expect((await purchase(s.purchaseId))!.status).toBe('pending');
    expect(await totals(s.owner.token)).toEqual([]);
  });

  it('a replayed event and two different completing events complete the purchase once', async () => {
    const s = await paidScenario();
    const completed = sessionCompleted(s.purchaseId, s.pi);
    expect((await deliver(completed)).json.duplicate).toBe(false);
    expect((await deliver(completed)).json.duplicate).toBe(true);
    const succeeded = sessionCompleted(s.purchaseId, s.pi);
    succeeded.type = 'checkout.session.async_payment_succeeded';
    await deliver(succeeded);
    expect((await totals(s.owner.token))[0]).toMatchObject({ sales: 1, gross: 199 });
  });

  it('a refund that arrives before the completion is applied when the sale completes', async () => {
    const s = await paidScenario();
    await deliver(refundEvent(s.pi, 199));
    expect((await purchase(s.purchaseId))!.status).toBe('pending');
    await deliver(sessionCompleted(s.purchaseId, s.pi));
    expect((await purchase(s.purchaseId))!).toMatchObject({ status: 'refunded', refunded_amount: 199 });
    expect(await access(s.buyer.token, s.ep.id)).toBe(402);
    expect((await totals(s.owner.token))[0]).toMatchObject({
      sales: 1,
      gross: 199,
      refunded: 199,
      commission: 0,
      payout: 0,
    });
  });

  it('partial then full refund, keyed by refund id: access ends only when fully refunded', async () => {
    const s = await paidScenario();
    await deliver(sessionCompleted(s.purchaseId, s.pi));
    const partial = refundEvent(s.pi, 50);
    await deliver(partial);
    await deliver(partial); // duplicate delivery
    const sameRefundUpdated = refundEvent(s.pi, 50, (partial.data.object as { id: string }).id);
    sameRefundUpdated.type = 'refund.updated';
    await deliver(sameRefundUpdated); // the same refund seen again through another event
    expect((await purchase(s.purchaseId))!).toMatchObject({ status: 'paid', refunded_amount: 50 });
    expect(await access(s.buyer.token, s.ep.id)).toBe(200);
    await deliver(refundEvent(s.pi, 149));
    expect((await purchase(s.purchaseId))!).toMatchObject({ status: 'refunded', refunded_amount: 199 });
    expect(await access(s.buyer.token, s.ep.id)).toBe(402);
    expect((await totals(s.owner.token))[0]).toMatchObject({ gross: 199, refunded: 199, payout: 0 });
    const audit = (await call('GET', '/v1/admin/audit', { token: await admin() })).json.entries;
    const refundsAudited = audit.filter(
      (e: { action: string; detail: { purchase?: string } }) =>
        e.action === 'payment.refund' && e.detail.purchase === s.purchaseId,
    );
    expect(refundsAudited.map((e: { detail: { amount: number } }) => e.detail.amount).sort()).toEqual([149, 50]);
    // Refunded: the buyer may buy it again.
    expect(
      (
        await stripeCall('POST', '/v1/checkout', {
          token: s.buyer.token,
          body: { episodeId: s.ep.id },
          headers: { 'Idempotency-Key': idemKey() },
        })
      ).status,
    ).toBe(201);
  });

  it('a refund that fails after it ended access puts the money and the access back, once', async () => {
    const s = await paidScenario();
    await deliver(sessionCompleted(s.purchaseId, s.pi));
    const refund = refundEvent(s.pi, 199);
    const id = (refund.data.object as { id: string }).id;
    await deliver(refund);
    expect(await access(s.buyer.token, s.ep.id)).toBe(402);
    const failed = refundFailedEvent(s.pi, 199, id);
    await deliver(failed);
    await deliver(failed); // duplicate delivery
    await deliver(refund); // a late copy of the original report never re-applies it
    expect((await purchase(s.purchaseId))!).toMatchObject({ status: 'paid', status_reason: null, refunded_amount: 0 });
    expect(await access(s.buyer.token, s.ep.id)).toBe(200);
    expect((await totals(s.owner.token))[0]).toMatchObject({ gross: 199, refunded: 0, commission: 0, payout: 199 });
    const audit = (await call('GET', '/v1/admin/audit', { token: await admin() })).json.entries;
    expect(
      audit
        .filter((e: { target: string }) => e.target === id)
        .map((e: { action: string }) => e.action)
        .sort(),
    ).toEqual(['payment.refund', 'payment.refund_failed']);
    await expectInvariants();
  });

  it('a refund reported failed (or cancelled) before it was applied never applies', async () => {
    const s = await paidScenario();
    const refund = refundEvent(s.pi, 80);
    const id = (refund.data.object as { id: string }).id;
    await deliver(refundFailedEvent(s.pi, 80, id, undefined, 'canceled'));
    await deliver(sessionCompleted(s.purchaseId, s.pi));
    await deliver(refund);
    expect((await purchase(s.purchaseId))!).toMatchObject({ status: 'paid', refunded_amount: 0 });
    expect((await totals(s.owner.token))[0]).toMatchObject({ refunded: 0, payout: 199 });
  });

  it('a failed refund of an item bought again since leaves the new purchase as the one that counts', async () => {
    const s = await paidScenario();
    await deliver(sessionCompleted(s.purchaseId, s.pi));
    const refund = refundEvent(s.pi, 199);
    await deliver(refund);
    const again = await stripeCheckout(s.buyer.token, { episodeId: s.ep.id });
    const pi2 = stripeId('pi');
    await deliver(sessionCompleted(again.purchaseId, pi2));
    await deliver(refundFailedEvent(s.pi, 199, (refund.data.object as { id: string }).id));
    expect((await purchase(s.purchaseId))!).toMatchObject({ status: 'refunded', refunded_amount: 0 });
    expect((await purchase(again.purchaseId))!.status).toBe('paid');
    expect(await access(s.buyer.token, s.ep.id)).toBe(200);
    // Both payments stayed with the seller.
    expect((await totals(s.owner.token))[0]).toMatchObject({ sales: 2, gross: 398, refunded: 0, payout: 398 });
    await expectInvariants();
  });

  it('dispute opened suspends access and holds the money; won restores both', async () => {
    const s = await paidScenario();
    await deliver(sessionCompleted(s.purchaseId, s.pi));
    const dp = stripeId('dp');
    await deliver(disputeEvent('charge.dispute.created', s.pi, 199, 'needs_response', dp));
    expect(await access(s.buyer.token, s.ep.id)).toBe(402);
    expect((await totals(s.owner.token))[0]).toMatchObject({ refunded: 199, payout: 0 });
    await deliver(disputeEvent('charge.dispute.closed', s.pi, 199, 'won', dp));
    expect(await access(s.buyer.token, s.ep.id)).toBe(200);
    expect((await totals(s.owner.token))[0]).toMatchObject({ refunded: 0, payout: 199 });
    // A late "open" never reopens a dispute already won.
    await deliver(disputeEvent('charge.dispute.created', s.pi, 199, 'needs_response', dp));
    expect(await access(s.buyer.token, s.ep.id)).toBe(200);
  });

  it('dispute lost revokes access for good and keeps the money returned', async () => {
    const s = await paidScenario();
    await deliver(sessionCompleted(s.purchaseId, s.pi));
    const dp = stripeId('dp');
    await deliver(disputeEvent('charge.dispute.created', s.pi, 199, 'needs_response', dp));
    await deliver(disputeEvent('charge.dispute.closed', s.pi, 199, 'lost', dp));
    expect(await access(s.buyer.token, s.ep.id)).toBe(402);
    expect((await purchase(s.purchaseId))!).toMatchObject({
      status: 'refunded',
      status_reason: 'dispute_lost',
      dispute_state: 'lost',
    });
    const audit = (await call('GET', '/v1/admin/audit', { token: await admin() })).json.entries;
    expect(
      audit
        .filter((e: { target: string }) => e.target === dp)
        .map((e: { action: string }) => e.action)
        .sort(),
    ).toEqual(['payment.dispute_lost', 'payment.dispute_open']);
    expect((await totals(s.owner.token))[0]).toMatchObject({ gross: 199, refunded: 199, payout: 0 });
  });

  it('failed and expired sessions close the purchase unpaid', async () => {
    const s = await paidScenario();
    const failed = sessionCompleted(s.purchaseId, s.pi);
    failed.type = 'checkout.session.async_payment_failed';
    await deliver(failed);
    expect((await purchase(s.purchaseId))!).toMatchObject({ status: 'cancelled', status_reason: 'payment_failed' });
    const other = await stripeCheckout(s.buyer.token, { episodeId: s.ep.id });
    const expired = sessionCompleted(other.purchaseId, stripeId('pi'));
    expired.type = 'checkout.session.expired';
    await deliver(expired);
    expect((await purchase(other.purchaseId))!.status).toBe('expired');
  });

  it('a second payment for an item already owned is refunded at Stripe', async () => {
    const s = await paidScenario();
    const second = await stripeCheckout(s.buyer.token, { episodeId: s.ep.id });
    await deliver(sessionCompleted(s.purchaseId, s.pi));
    const pi2 = stripeId('pi');
    await deliver(sessionCompleted(second.purchaseId, pi2));
    expect((await purchase(second.purchaseId))!).toMatchObject({ status: 'cancelled', status_reason: 'already_owned' });
    const refunds = (await stripeRequests()).filter(
      (r) => r.path === '/v1/refunds' && r.form['payment_intent'] === pi2,
    );
    expect(refunds).toHaveLength(1);
    expect((await totals(s.owner.token))[0]).toMatchObject({ sales: 1 });
  });

  it('a payment for a purchase that no longer exists, or was closed, is refunded on every delivery until done', async () => {
    const s = await paidScenario();
    const pi = stripeId('pi');
    await deliver(sessionCompleted('pur_doesnotexist000000000', pi));
    const refunds = (await stripeRequests()).filter((r) => r.path === '/v1/refunds' && r.form['payment_intent'] === pi);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]!.form).toMatchObject({ reverse_transfer: 'true', refund_application_fee: 'true' });
    expect(refunds[0]!.headers['idempotency-key']).toBe(`refund-unfulfilled:${pi}`);
    // The buyer cancelled (purchase closed) but paid anyway in another tab: refunded too, also when redelivered.
    await env.DB.prepare(`UPDATE purchases SET status = 'cancelled' WHERE id = ?`).bind(s.purchaseId).run();
    const late = sessionCompleted(s.purchaseId, s.pi);
    await deliver(late);
    await deliver(late);
    const lateRefunds = (await stripeRequests()).filter(
      (r) => r.path === '/v1/refunds' && r.form['payment_intent'] === s.pi,
    );
    expect(lateRefunds.length).toBeGreaterThanOrEqual(1);
    expect(new Set(lateRefunds.map((r) => r.headers['idempotency-key']))).toEqual(
      new Set([`refund-unfulfilled:${s.pi}`]),
    );
  });

  it('the buyer cancelling on Stripe expires the session there before cancelling the purchase', async () => {
    const s = await paidScenario();
    const sent = (await stripeRequests()).find(
      (r) => r.path === '/v1/checkout/sessions' && r.form['metadata[purchase_id]'] === s.purchaseId,
    );
    const cancelUrl = new URL(sent!.form['cancel_url']!);
    expect(cancelUrl.searchParams.get('result')).toBe('cancelled');
    const res = await stripeCall('GET', cancelUrl.pathname + cancelUrl.search);
    expect(res.status).toBe(303);
    const row = await purchase(s.purchaseId);
    expect((await stripeRequests()).some((r) => r.path === `/v1/checkout/sessions/${row!.provider_ref}/expire`)).toBe(
      true,
    );
    expect(row!.status).toBe('cancelled');
  });

  it('the return page waits for the webhook, then shows the payment complete', async () => {
    const s = await paidScenario();
    const sent = (await stripeRequests()).find(
      (r) => r.path === '/v1/checkout/sessions' && r.form['metadata[purchase_id]'] === s.purchaseId,
    );
    const success = new URL(sent!.form['success_url']!);
    const waiting = await stripeCall('GET', success.pathname + success.search);
    expect(waiting.text).toContain('data-status="confirming"');
    expect(waiting.headers.get('Refresh')).toBe('3');
    expect(waiting.text).not.toContain('/pay"');
    await deliver(sessionCompleted(s.purchaseId, s.pi));
    expect((await stripeCall('GET', success.pathname + success.search)).text).toContain('data-status="paid"');
  });
});

describe('webhook storms', () => {
  it('concurrent duplicated deliveries of a sale, refunds and a dispute settle consistently', async () => {
    const seller = await stripeSeller({ ep: 1000 });
    const sales = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const buyer = await signup();
        const { purchaseId } = await stripeCheckout(buyer.token, { episodeId: seller.ep.id });
        return { buyer, purchaseId, pi: stripeId('pi') };
      }),
    );
    const [refunded, partial, disputed, plain] = sales as [
      (typeof sales)[0],
      (typeof sales)[0],
      (typeof sales)[0],
      (typeof sales)[0],
    ];
    const dp = stripeId('dp');
    const events = [
      ...sales.map((s) => sessionCompleted(s.purchaseId, s.pi)),
      refundEvent(refunded.pi, 400),
      refundEvent(refunded.pi, 600),
      refundEvent(partial.pi, 250),
      disputeEvent('charge.dispute.created', disputed.pi, 1000, 'needs_response', dp),
      disputeEvent('charge.dispute.closed', disputed.pi, 1000, 'lost', dp),
    ];
    const storm = [...events, ...events, ...events, ...events, ...events].sort(() => Math.random() - 0.5);
    const results = await Promise.all(storm.map((e) => deliver(e)));
    expect(results.every((r) => r.status === 200)).toBe(true);

    expect(await purchase(refunded.purchaseId)).toMatchObject({ status: 'refunded', refunded_amount: 1000 });
    expect(await purchase(partial.purchaseId)).toMatchObject({ status: 'paid', refunded_amount: 250 });
    expect(await purchase(disputed.purchaseId)).toMatchObject({ status: 'refunded', dispute_state: 'lost' });
    expect(await purchase(plain.purchaseId)).toMatchObject({ status: 'paid', refunded_amount: 0 });
    expect(await access(refunded.buyer.token, seller.ep.id)).toBe(402);
    expect(await access(partial.buyer.token, seller.ep.id)).toBe(200);
    expect(await access(disputed.buyer.token, seller.ep.id)).toBe(402);
    expect(await access(plain.buyer.token, seller.ep.id)).toBe(200);
    expect((await totals(seller.owner.token))[0]).toMatchObject({
      sales: 4,
      gross: 4000,
      refunded: 2250,
      payout: 1750,
    });
    await expectInvariants();
  });
});

describe('webhook delivery order does not matter (property)', () => {
  type Step =
    | { kind: 'complete' }
    | { kind: 'succeeded' }
    | { kind: 'refund'; id: string; amount: number }
    | { kind: 'refundFailed'; id: string; amount: number }
    | { kind: 'dispute'; id: string; state: 'open' | 'won' | 'lost' };

  const scenario = fc
    .record({
      amount: fc.integer({ min: 99, max: 18_999 }),
      bps: fc.integer({ min: 0, max: 3000 }),
      refunds: fc.array(fc.integer({ min: 1, max: 100 }), { maxLength: 3 }),
      fullRefund: fc.boolean(),
      // Which refunds Stripe later reports failed (bit i: the i-th refund).
      failures: fc.nat({ max: 15 }),
      dispute: fc.constantFrom<null | 'open' | 'won' | 'lost'>(null, 'open', 'won', 'lost'),
      async: fc.boolean(),
    })
    .map(({ amount, bps, refunds, fullRefund, failures, dispute, async }) => {
      // Partial refunds as percentages of what is left, and optionally the rest.
      let left = amount;
      const steps: Step[] = [{ kind: 'complete' }];
      if (async) steps.push({ kind: 'succeeded' });
      if (dispute) {
        steps.push({ kind: 'dispute', id: 'dp', state: 'open' });
        if (dispute !== 'open') steps.push({ kind: 'dispute', id: 'dp', state: dispute });
      } else {
        refunds.forEach((pct, i) => {
          const r = Math.max(1, Math.floor((left * pct) / 200));
          if (r < left) {
            steps.push({ kind: 'refund', id: `r${i}`, amount: r });
            left -= r;
          }
        });
        if (fullRefund) steps.push({ kind: 'refund', id: 'rest', amount: left });
        steps
          .filter((step): step is Extract<Step, { kind: 'refund' }> => step.kind === 'refund')
          .forEach((step, i) => {
            if (failures & (1 << i)) steps.push({ kind: 'refundFailed', id: step.id, amount: step.amount });
          });
      }
      return { amount, bps, steps };
    });

  /** A sold, pending purchase at `amount` with commission `bps` (set on the row: the global rate stays 0). */
  async function pendingSale(amount: number, bps: number) {
    const seller = await stripeSeller({ ep: Math.min(Math.max(amount, 99), 18_999) });
    const buyer = await signup();
    const { purchaseId } = await stripeCheckout(buyer.token, { episodeId: seller.ep.id });
    const commission = Math.floor((amount * bps) / 10_000);
    await env.DB.prepare(
      'UPDATE purchases SET amount = ?, commission_bps = ?, commission_amount = ?, payout_amount = ? WHERE id = ?',
    )
      .bind(amount, bps, commission, amount - commission, purchaseId)
      .run();
    return { ...seller, buyer, purchaseId, pi: stripeId('pi') };
  }

  function eventsFor(steps: Step[], sale: { purchaseId: string; pi: string }, amount: number, base: number) {
    const ids = new Map<string, string>();
    const idFor = (k: string) => ids.get(k) ?? (ids.set(k, stripeId(k)), ids.get(k)!);
    return steps.map((step, i) => {
      const created = base + i * 86_400; // one day apart, so reversals land on distinct days
      switch (step.kind) {
        case 'complete':
          return sessionCompleted(sale.purchaseId, sale.pi, undefined, created);
        case 'succeeded': {
          const e = sessionCompleted(sale.purchaseId, sale.pi, undefined, created);
          e.type = 'checkout.session.async_payment_succeeded';
          return e;
        }
        case 'refund':
          return refundEvent(sale.pi, step.amount, idFor(step.id), created);
        case 'refundFailed':
          return refundFailedEvent(sale.pi, step.amount, idFor(step.id), created);
        case 'dispute':
          return disputeEvent(
            step.state === 'open' ? 'charge.dispute.created' : 'charge.dispute.closed',
            sale.pi,
            amount,
            step.state === 'open' ? 'needs_response' : step.state,
            idFor(step.id),
            created,
          );
      }
    });
  }

  async function outcome(sale: {
    owner: { token: string };
    buyer: { token: string };
    ep: { id: string };
    purchaseId: string;
  }) {
    const row = await purchase(sale.purchaseId);
    const t = (await totals(sale.owner.token))[0] ?? null;
    return {
      status: row!.status,
      refunded: row!.refunded_amount,
      dispute: row!.dispute_state,
      access: await access(sale.buyer.token, sale.ep.id),
      totals: t && { sales: t.sales, gross: t.gross, refunded: t.refunded, commission: t.commission, payout: t.payout },
    };
  }

  it('any duplicated, reordered delivery ends like the events applied once in order', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, fc.infiniteStream(fc.nat()), async ({ amount, bps, steps }, randoms) => {
        const base = Math.floor(Date.now() / 1000) - 30 * 86_400;
        const inOrder = await pendingSale(amount, bps);
        for (const e of eventsFor(steps, inOrder, amount, base)) expect((await deliver(e)).status).toBe(200);

        const shuffled = await pendingSale(amount, bps);
        const events = eventsFor(steps, shuffled, amount, base);
        const r = randoms[Symbol.iterator]();
        const deliveries = [...events, ...events.filter(() => r.next().value! % 3 === 0)];
        for (let i = deliveries.length - 1; i > 0; i--) {
          const j = r.next().value! % (i + 1);
          [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
        }
        for (const e of deliveries) expect((await deliver(e)).status).toBe(200);

        const expected = await outcome(inOrder);
        expect(await outcome(shuffled)).toEqual(expected);
        if (expected.totals)
          expect(expected.totals.commission + expected.totals.payout).toBe(
            expected.totals.gross - expected.totals.refunded,
          );
      }),
      { numRuns: 15 },
    );
  });
});
