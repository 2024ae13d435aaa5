// "Buy all" priced for each buyer: the whole-series price less what they paid for the episodes of that series they
// own (net of refunds), never below the currency's minimum; shown to them, charged, and recorded as charged.
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { recordDispute, recordRefund } from '../src/ledger/adjustment-queries';
import { admin, buy, call, expectError, publishedSeries, signup, startCheckout, submitCheckout } from './helpers';
import { ledger, pagePath } from './checkout-helpers';
import { expectInvariants } from './invariants';
import { deliver, sessionCompleted, stripeId, stripeRequests } from './stripe-helpers';
import { stripeCheckout, stripeSeller } from './stripe-seller';

const setCommission = async (bps: number) =>
  expect((await call('PUT', '/v1/admin/commission', { token: await admin(), body: { bps } })).status).toBe(200);

const bundleRows = async (ownerToken: string, seriesId: string) =>
  (await call('GET', `/v1/analytics/episodes?seriesId=${seriesId}`, { token: ownerToken })).json.rows.filter(
    (r: { kind: string }) => r.kind === 'series',
  );

afterEach(async () => {
  await setCommission(0);
});

describe('"buy all" for a buyer who owns episodes', () => {
  it('charges the bundle price less what they paid, and the ledger, commission and payout follow it', async () => {
    const { owner, series, ep2 } = await publishedSeries();
    const buyer = await signup();
    await buy(buyer.token, { episodeId: ep2.id });
    await setCommission(1250);
    const co = await startCheckout(buyer.token, { seriesId: series.id });
    expect(co.status).toBe(201);
    expect(co.json.purchase).toMatchObject({ kind: 'series', amount: 499 - 199, currency: 'USD' });
    expect((await call('GET', pagePath(co.json.checkoutUrl))).text).toContain('Pay $3.00');
    expect((await submitCheckout(co.json.checkoutUrl)).status).toBe(303);
    // 12.5% of what was charged, rounded down; the creator gets the rest.
    expect(await ledger(co.json.purchaseId)).toMatchObject({
      status: 'paid',
      amount: 300,
      commission_bps: 1250,
      commission_amount: 37,
      payout_amount: 263,
    });
    const summary = await call('GET', `/v1/analytics/summary?seriesId=${series.id}`, { token: owner.token });
    expect(summary.json.totals[0]).toMatchObject({ sales: 2, gross: 499, commission: 37, payout: 199 + 263 });
    await expectInvariants();
  });

  it('never goes below the currency minimum: owning every episode, the series is completed for $0.99', async () => {
    const { owner, series, ep2, ep3 } = await publishedSeries();
    const buyer = await signup();
    await buy(buyer.token, { episodeId: ep2.id });
    await buy(buyer.token, { episodeId: ep3.id });
    const viewer = await call('GET', `/v1/viewer?seriesId=${series.id}`, { token: buyer.token });
    expect(viewer.json.offers).toEqual({ wholeSeries: { amount: 99, fullAmount: 499, currency: 'USD' } });
    const co = await startCheckout(buyer.token, { seriesId: series.id });
    expect(co.json.purchase.amount).toBe(99);
    await submitCheckout(co.json.checkoutUrl);
    expect((await bundleRows(owner.token, series.id))[0]).toMatchObject({ sales: 1, gross: 99 });
    // Owned whole now: nothing more is offered, and the series cannot be bought again.
    const after = await call('GET', `/v1/viewer?seriesId=${series.id}`, { token: buyer.token });
    expect(after.json.offers).toEqual({ wholeSeries: null });
    expectError(await startCheckout(buyer.token, { seriesId: series.id }), 409, 'already_owned');
  });

  it('counts what was paid net of refunds; a fully refunded or charged-back episode counts for nothing', async () => {
    const { series, ep2, ep3 } = await publishedSeries();
    const buyer = await signup();
    const p2 = await buy(buyer.token, { episodeId: ep2.id });
    const p3 = await buy(buyer.token, { episodeId: ep3.id });
    const price = async () => (await startCheckout(buyer.token, { seriesId: series.id })).json.purchase.amount;
    const pay = async (id: string, ref: string) =>
      env.DB.prepare('UPDATE purchases SET payment_ref = ? WHERE id = ?').bind(ref, id).run();
    await pay(p2, `pi_${p2}`);
    await pay(p3, `pi_${p3}`);
    expect(await price()).toBe(99);
    // A partial refund of 250 on episode 3: it is still owned, for 49 paid.
    await recordRefund(env.DB, {
      id: `re_${p3}`,
      paymentRef: `pi_${p3}`,
      amount: 250,
      createdAt: Date.now(),
      failed: false,
    });
    expect(await price()).toBe(499 - 199 - 49);
    // Episode 2 refunded in full: no longer owned, nothing taken off for it.
    await recordRefund(env.DB, {
      id: `re_${p2}`,
      paymentRef: `pi_${p2}`,
      amount: 199,
      createdAt: Date.now(),
      failed: false,
    });
    expect(await price()).toBe(499 - 49);
    // A chargeback opened on episode 3: the money is held back, it gives no access, it counts for nothing.
    await recordDispute(env.DB, {
      id: `dp_${p3}`,
      paymentRef: `pi_${p3}`,
      amount: 49,
      state: 'open',
      createdAt: Date.now(),
    });
    expect(await price()).toBe(499);
    await expectInvariants();
  });

  it('is the full price for someone who owns nothing, and each buyer gets their own price', async () => {
    const { series, ep2, ep3 } = await publishedSeries();
    const [a, b, c] = [await signup(), await signup(), await signup()];
    await buy(a.token, { episodeId: ep2.id });
    await buy(b.token, { episodeId: ep3.id });
    const offerOf = async (token: string) =>
      (await call('GET', `/v1/viewer?seriesId=${series.id}`, { token })).json.offers.wholeSeries.amount;
    expect([await offerOf(a.token), await offerOf(b.token), await offerOf(c.token)]).toEqual([300, 200, 499]);
    // The extension's offer (402 on a locked episode) is the same price checkout charges.
    const locked = await call('GET', `/v1/episodes/${ep3.id}/access`, { token: a.token });
    expect(locked.json.buyOptions).toContainEqual({
      kind: 'series',
      seriesId: series.id,
      amount: 300,
      fullAmount: 499,
      currency: 'USD',
    });
    // The public page is the same for everyone (cached): it shows the list price, the script asks for the viewer's.
    const slug = (await call('GET', `/v1/series/${series.id}`)).json.series.slug as string;
    const page = await call(
      'GET',
      `/@${(await call('GET', `/v1/series/${series.id}`)).json.series.creator.handle}/${slug}`,
      {
        token: a.token,
      },
    );
    expect(page.headers.get('Cache-Control')).toMatch(/^public/);
    expect(page.text).toContain('Buy all — $4.99');
    expect(page.text).not.toContain('$3.00');
    expect(page.text).toContain('"client.completeSeries":"Complete the series — {price}"');
    const mine = await call('GET', `/v1/viewer?seriesId=${series.id}`, { token: a.token });
    expect(mine.headers.get('Cache-Control')).toBe('private, no-store');
    // Signed out there is no one to price for: the page shows the list price, the viewer answer offers nothing.
    expect((await call('GET', `/v1/viewer?seriesId=${series.id}`)).json.offers).toEqual({ wholeSeries: null });
  });

  it('prices a zero-decimal currency in whole units, down to its own minimum', async () => {
    const { series, ep2, ep3 } = await publishedSeries({ currency: 'JPY', bundlePrice: 600 });
    const buyer = await signup();
    await buy(buyer.token, { episodeId: ep2.id });
    expect((await startCheckout(buyer.token, { seriesId: series.id })).json.purchase.amount).toBe(600 - 199);
    await buy(buyer.token, { episodeId: ep3.id });
    expect((await startCheckout(buyer.token, { seriesId: series.id })).json.purchase.amount).toBe(150);
  });

  it('creates the Stripe session at the buyer’s price, with the commission in force taken from it', async () => {
    const seller = await stripeSeller({ ep: 199, bundle: 499 });
    const buyer = await signup();
    const episode = await stripeCheckout(buyer.token, { episodeId: seller.ep.id });
    await deliver(sessionCompleted(episode.purchaseId, stripeId('pi')));
    await setCommission(1000);
    const bundle = await stripeCheckout(buyer.token, { seriesId: seller.series.id });
    const sent = (await stripeRequests()).find(
      (r) => r.path === '/v1/checkout/sessions' && r.form['metadata[purchase_id]'] === bundle.purchaseId,
    );
    expect(sent!.form['line_items[0][price_data][unit_amount]']).toBe('300');
    expect(sent!.form['payment_intent_data[application_fee_amount]']).toBe('30');
  });

  it('keeps a retried checkout at the price it started with, and takes no price from the client', async () => {
    const { series, ep2 } = await publishedSeries();
    const buyer = await signup();
    const key = `key-${crypto.randomUUID()}`;
    const first = await startCheckout(buyer.token, { seriesId: series.id }, key);
    expect(first.json.purchase.amount).toBe(499);
    await buy(buyer.token, { episodeId: ep2.id });
    expect((await startCheckout(buyer.token, { seriesId: series.id }, key)).json.purchase.amount).toBe(499);
    const forged = await call('POST', '/v1/checkout', {
      token: buyer.token,
      body: { seriesId: series.id, amount: 1 },
      headers: { 'Idempotency-Key': `key-${crypto.randomUUID()}` },
    });
    expect(forged.status).toBe(400);
  });
});
