// Stripe Tax (issue 21): with STRIPE_TAX=on a sale is a separate charge on the platform with automatic tax and a
// tax-inclusive price; the completed session's total_details.amount_tax is recorded, and the creator is paid by a
// Transfer of the payout net of tax and commission, tied to the charge; refunds reverse the payout's share of it.
// Without the setting, checkout sends exactly what it sent before (destination charges, no tax).
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { admin, call, idemKey, setEnvOverrides, signup } from './helpers';
import type { RecordedRequest } from './stripe-api-server';
import {
  deliver,
  event,
  failStripe,
  refundEvent,
  refundFailedEvent,
  stripeCall,
  stripeId,
  stripeRequests,
} from './stripe-helpers';
import { payAtStripe, purchase, stripeCheckout, stripeSeller, totals } from './stripe-seller';
import { expectInvariants } from './invariants';

const setCommission = async (bps: number) =>
  expect((await call('PUT', '/v1/admin/commission', { token: await admin(), body: { bps } })).status).toBe(200);

afterEach(async () => {
  setEnvOverrides({});
  await setCommission(0);
});

/** checkout.session.completed as Stripe sends it for a tax-inclusive session: the tax in total_details. */
const taxedSessionCompleted = (purchaseId: string, paymentIntent: string, amount: number, tax: number) =>
  event('checkout.session.completed', {
    id: stripeId('cs'),
    object: 'checkout.session',
    payment_status: 'paid',
    payment_intent: paymentIntent,
    client_reference_id: purchaseId,
    metadata: { purchase_id: purchaseId },
    amount_subtotal: amount,
    amount_total: amount,
    automatic_tax: { enabled: true, liability: { type: 'self' }, provider: 'stripe', status: 'complete' },
    customer_details: { address: { country: 'FR' } },
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: tax },
  });

const sentFor = async (purchaseId: string, path: string | RegExp) =>
  (await stripeRequests()).filter(
    (r: RecordedRequest) =>
      (typeof path === 'string' ? r.path === path : path.test(r.path)) &&
      (r.form['metadata[purchase_id]'] === purchaseId || r.form['transfer_group'] === purchaseId),
  );

async function taxedSale() {
  setEnvOverrides({ STRIPE_TAX: 'on' });
  await setCommission(1000);
  const seller = await stripeSeller({ ep: 299 });
  const buyer = await signup();
  const { purchaseId } = await stripeCheckout(buyer.token, { episodeId: seller.ep.id });
  const pi = await payAtStripe(purchaseId);
  return { ...seller, buyer, purchaseId, pi };
}

describe('Stripe Tax: separate charges and transfers', () => {
  it('without STRIPE_TAX, the session is a destination charge with no tax, as before', async () => {
    const { ep } = await stripeSeller({ ep: 299 });
    const { purchaseId } = await stripeCheckout((await signup()).token, { episodeId: ep.id });
    const [session] = await sentFor(purchaseId, '/v1/checkout/sessions');
    expect(session!.form['payment_intent_data[transfer_data][destination]']).toMatch(/^acct_/);
    expect(session!.form['payment_intent_data[application_fee_amount]']).toBe('0');
    expect(Object.keys(session!.form).filter((k) => /automatic_tax|tax_behavior|transfer_group/.test(k))).toEqual([]);
    expect((await purchase(purchaseId))!.separate_charge).toBe(0);
  });

  it('with STRIPE_TAX=on: automatic tax on a tax-inclusive price, no fee nor destination, grouped under the purchase', async () => {
    const s = await taxedSale();
    const [session] = await sentFor(s.purchaseId, '/v1/checkout/sessions');
    expect(session!.form).toMatchObject({
      'automatic_tax[enabled]': 'true',
      'line_items[0][price_data][unit_amount]': '299',
      'line_items[0][price_data][tax_behavior]': 'inclusive',
      'payment_intent_data[transfer_group]': s.purchaseId,
      'payment_intent_data[metadata][purchase_id]': s.purchaseId,
    });
    expect(Object.keys(session!.form).filter((k) => /application_fee|transfer_data/.test(k))).toEqual([]);
    expect((await purchase(s.purchaseId))!.separate_charge).toBe(1);
  });

  it('records Stripe’s tax when the payment completes and pays the creator the rest net of commission, once', async () => {
    const s = await taxedSale();
    const done = await deliver(taxedSessionCompleted(s.purchaseId, s.pi, 299, 50));
    expect(done.status).toBe(200);
    // 299 with 50 of tax: 249 net, 24 commission (10%, rounded down), 225 to the creator.
    expect(await purchase(s.purchaseId)).toMatchObject({
      status: 'paid',
      tax_amount: 50,
      commission_amount: 24,
      payout_amount: 225,
      transfer_reversed: 0,
    });
    const [transfer] = await sentFor(s.purchaseId, '/v1/transfers');
    expect(transfer!.form).toMatchObject({
      amount: '225',
      currency: 'usd',
      destination: s.accountId,
      source_transaction: expect.stringMatching(/^ch_test_/),
      transfer_group: s.purchaseId,
      'metadata[purchase_id]': s.purchaseId,
    });
    expect(transfer!.headers['idempotency-key']).toBe(`transfer:${s.purchaseId}:225`);
    expect((await purchase(s.purchaseId))!.transfer_ref).toMatch(/^tr_test/);
    expect((await totals(s.owner.token))[0]).toMatchObject({ gross: 299, tax: 50, commission: 24, payout: 225 });

    // A redelivery pays nothing again.
    expect((await deliver(taxedSessionCompleted(s.purchaseId, s.pi, 299, 50))).status).toBe(200);
    expect(await sentFor(s.purchaseId, '/v1/transfers')).toHaveLength(1);
    await expectInvariants();
  });

  it('Stripe unreachable for the transfer: the delivery fails (Stripe retries it), the sale stays paid, the retry pays once', async () => {
    const s = await taxedSale();
    // The client retries twice: three failures make the call fail.
    await failStripe('/v1/transfers', 6);
    const failed = await deliver(taxedSessionCompleted(s.purchaseId, s.pi, 299, 50));
    expect(failed.status).toBe(500);
    expect(await purchase(s.purchaseId)).toMatchObject({ status: 'paid', tax_amount: 50, transfer_ref: null });
    expect(await sentFor(s.purchaseId, '/v1/transfers')).toEqual([]);
    await failStripe('/v1/transfers', 0);
    expect((await deliver(taxedSessionCompleted(s.purchaseId, s.pi, 299, 50))).status).toBe(200);
    expect(await sentFor(s.purchaseId, '/v1/transfers')).toHaveLength(1);
    expect((await purchase(s.purchaseId))!.transfer_ref).toMatch(/^tr_test/);
    expect((await totals(s.owner.token))[0]).toMatchObject({ sales: 1, tax: 50, payout: 225 });
    await expectInvariants();
  });

  it('a transfer Stripe made whose recording was lost is found by its group, never paid twice', async () => {
    const s = await taxedSale();
    await deliver(taxedSessionCompleted(s.purchaseId, s.pi, 299, 50));
    const made = (await purchase(s.purchaseId))!.transfer_ref;
    await env.DB.prepare('UPDATE purchases SET transfer_ref = NULL WHERE id = ?').bind(s.purchaseId).run();
    expect((await deliver(taxedSessionCompleted(s.purchaseId, s.pi, 299, 50))).status).toBe(200);
    expect(await sentFor(s.purchaseId, '/v1/transfers')).toHaveLength(1);
    expect((await purchase(s.purchaseId))!.transfer_ref).toBe(made);
  });

  it('a refund made at Stripe (its webhook) reverses the transfer too, and a chargeback open holds a transfer back', async () => {
    const s = await taxedSale();
    await deliver(taxedSessionCompleted(s.purchaseId, s.pi, 299, 50));
    const transferId = (await purchase(s.purchaseId))!.transfer_ref as string;
    expect((await deliver(refundEvent(s.pi, 299))).status).toBe(200);
    expect((await sentFor(s.purchaseId, `/v1/transfers/${transferId}/reversals`)).map((r) => r.form['amount'])).toEqual(
      ['225'],
    );
    expect(await purchase(s.purchaseId)).toMatchObject({ status: 'refunded', transfer_reversed: 225 });
    await expectInvariants();

    // A sale whose chargeback opened before its completion arrived: nothing is paid out while it is open.
    const t = await taxedSale();
    expect(
      (
        await deliver(
          event('charge.dispute.created', {
            id: stripeId('dp'),
            object: 'dispute',
            amount: 299,
            payment_intent: t.pi,
            status: 'needs_response',
            created: Math.floor(Date.now() / 1000),
          }),
        )
      ).status,
    ).toBe(200);
    await deliver(taxedSessionCompleted(t.purchaseId, t.pi, 299, 50));
    expect(await purchase(t.purchaseId)).toMatchObject({ status: 'paid', dispute_state: 'open', transfer_ref: null });
    expect(await sentFor(t.purchaseId, '/v1/transfers')).toEqual([]);
    await expectInvariants();
  });

  it('refunds reverse the payout’s share of the transfer; a failed refund gives it back; the invariants hold', async () => {
    const s = await taxedSale();
    await deliver(taxedSessionCompleted(s.purchaseId, s.pi, 299, 50));
    const transferId = (await purchase(s.purchaseId))!.transfer_ref as string;
    const refund = (amount?: number) =>
      stripeCall('POST', `/v1/sales/${s.purchaseId}/refunds`, {
        token: s.owner.token,
        body: amount === undefined ? {} : { amount },
        headers: { 'Idempotency-Key': idemKey() },
      });
    const partial = await refund(100);
    expect(partial.status, partial.text).toBe(201);
    const [refundCall] = await sentFor(s.purchaseId, '/v1/refunds');
    expect(refundCall!.form).toMatchObject({ payment_intent: s.pi, amount: '100' });
    // A separate charge has no destination transfer nor fee for the refund to take back by itself.
    expect(Object.keys(refundCall!.form).filter((k) => /reverse_transfer|refund_application_fee/.test(k))).toEqual([]);
    // 100 of 299: 17 of tax and 8 of commission are the platform's to give back; 75 comes from the creator.
    const reversals = () => sentFor(s.purchaseId, `/v1/transfers/${transferId}/reversals`);
    expect((await reversals()).map((r) => r.form['amount'])).toEqual(['75']);
    expect(await purchase(s.purchaseId)).toMatchObject({ refunded_amount: 100, transfer_reversed: 75 });
    expect((await totals(s.owner.token))[0]).toMatchObject({ refunded: 100, tax: 33, commission: 16, payout: 150 });
    await expectInvariants();

    // Stripe's refund.created for the same refund changes nothing, nor reverses again.
    const refundId = partial.json.refund.id as string;
    expect((await deliver(refundEvent(s.pi, 100, refundId))).status).toBe(200);
    expect(await reversals()).toHaveLength(1);

    // Stripe reports it failed: the money stayed with the platform, so the creator's 75 goes back to them.
    expect((await deliver(refundFailedEvent(s.pi, 100, refundId))).status).toBe(200);
    expect(await purchase(s.purchaseId)).toMatchObject({ refunded_amount: 0, transfer_reversed: 0 });
    const restore = (await sentFor(s.purchaseId, '/v1/transfers')).filter((r) => r.form['amount'] === '75');
    expect(restore).toHaveLength(1);
    expect(restore[0]!.headers['idempotency-key']).toBe(`transfer-restore:${s.purchaseId}:150:225`);
    await expectInvariants();

    // The rest in full: the whole payout is reversed, tax and commission are the platform's to return.
    expect((await refund()).status).toBe(201);
    expect(await purchase(s.purchaseId)).toMatchObject({
      status: 'refunded',
      refunded_amount: 299,
      transfer_reversed: 225,
    });
    // 150 were left on the first transfer, 75 on the one that made good the failed refund.
    expect((await reversals()).map((r) => r.form['amount'])).toEqual(['75', '150']);
    expect(
      (await stripeRequests())
        .filter(
          (r) => /^\/v1\/transfers\/[^/]+\/reversals$/.test(r.path) && r.form['metadata[purchase_id]'] === s.purchaseId,
        )
        .map((r) => r.form['amount']),
    ).toEqual(['75', '150', '75']);
    expect((await totals(s.owner.token))[0]).toMatchObject({ refunded: 299, tax: 0, commission: 0, payout: 0 });
    await expectInvariants();
  });
});
