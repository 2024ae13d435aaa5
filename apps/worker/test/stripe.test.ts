import { describe, expect, it } from 'vitest';
import { addEpisode, call, creator, createSeries, idemKey, signup } from './helpers';
import { deliver, event, setChargesEnabled, stripeCall, stripeRequests } from './stripe-helpers';
import { stripeSeller, stripeCheckout, totals, purchase } from './stripe-seller';

describe('payment provider configuration', () => {
  it('a server set to Stripe without its secrets sells nothing (never a silent test checkout)', async () => {
    const { ep2 } = await (await import('./helpers')).publishedSeries();
    const buyer = await signup();
    const { createExecutionContext } = await import('cloudflare:test');
    const { default: app } = await import('../src/index');
    const { env } = await import('cloudflare:workers');
    const res = await app.fetch(
      new Request('http://api.test/v1/checkout', {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${buyer.token}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': idemKey(),
        },
        body: JSON.stringify({ episodeId: ep2.id }),
      }),
      { ...env, PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_only_half' },
      createExecutionContext(),
    );
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payments_not_configured');
  });

  it('test checkouts started before a switch to Stripe can no longer be paid', async () => {
    const { publishedSeries, startCheckout, submitCheckout } = await import('./helpers');
    const { ep2 } = await publishedSeries();
    const buyer = await signup();
    const co = await startCheckout(buyer.token, { episodeId: ep2.id });
    const url = new URL(co.json.checkoutUrl);
    const pay = await stripeCall('POST', `${url.pathname}/pay`, {
      raw: new URLSearchParams({ sig: url.searchParams.get('sig')! }).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(pay.status).toBe(404);
    expect((await purchase(co.json.purchaseId))!.status).toBe('pending');
    void submitCheckout;
  });
});

describe('Stripe Connect onboarding and publishing', () => {
  it('refuses to publish paid episodes until the connected account can take charges', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    await addEpisode(owner.token, series.id, { price: 199 });
    const refused = await stripeCall('POST', `/v1/series/${series.id}/publish`, { token: owner.token });
    expect([refused.status, refused.json.error.code]).toEqual([409, 'stripe_account_required']);

    const onboarding = await stripeCall('POST', '/v1/me/stripe/onboarding', {
      token: owner.token,
      body: { returnUrl: 'http://localhost:5173/settings' },
    });
    expect(onboarding.json.url).toMatch(/^https:\/\/connect\.stripe\.test\/setup\/acct_/);
    const accountId = onboarding.json.stripe.accountId;
    const again = await stripeCall('POST', '/v1/me/stripe/onboarding', { token: owner.token, body: {} });
    expect(again.json.stripe.accountId).toBe(accountId);
    expect((await stripeCall('GET', '/v1/me/stripe', { token: owner.token })).json.stripe).toMatchObject({
      chargesEnabled: false,
      canSell: false,
    });

    await setChargesEnabled(accountId, true);
    expect((await stripeCall('GET', '/v1/me/stripe', { token: owner.token })).json.stripe).toMatchObject({
      chargesEnabled: true,
      canSell: true,
    });
    expect((await stripeCall('POST', `/v1/series/${series.id}/publish`, { token: owner.token })).status).toBe(200);
  });

  it('refuses a returnUrl off the dashboard, and answers 409 in test mode', async () => {
    const owner = await creator();
    const bad = await stripeCall('POST', '/v1/me/stripe/onboarding', {
      token: owner.token,
      body: { returnUrl: 'https://evil.test/' },
    });
    expect(bad.status).toBe(400);
    const testMode = await call('POST', '/v1/me/stripe/onboarding', { token: owner.token, body: {} });
    expect([testMode.status, testMode.json.error.code]).toEqual([409, 'stripe_not_configured']);
    expect((await call('GET', '/v1/me/stripe', { token: owner.token })).json.stripe).toMatchObject({
      mode: 'test',
      canSell: true,
    });
  });
});

describe('POST /v1/checkout in Stripe mode', () => {
  it('creates a Checkout Session with the database price, the purchase in metadata and our idempotency key', async () => {
    const { ep, accountId } = await stripeSeller({ ep: 199 });
    const buyer = await signup();
    const key = idemKey();
    const { purchaseId, checkoutUrl } = await stripeCheckout(buyer.token, { episodeId: ep.id }, key);
    expect(checkoutUrl).toMatch(/^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_test_/);
    const sent = (await stripeRequests()).filter(
      (r) => r.path === '/v1/checkout/sessions' && r.form['metadata[purchase_id]'] === purchaseId,
    );
    expect(sent).toHaveLength(1);
    const form = sent[0]!.form;
    expect(form).toMatchObject({
      mode: 'payment',
      client_reference_id: purchaseId,
      'line_items[0][price_data][unit_amount]': '199',
      'line_items[0][price_data][currency]': 'usd',
      'line_items[0][quantity]': '1',
      'payment_intent_data[application_fee_amount]': '0',
      'payment_intent_data[transfer_data][destination]': accountId,
      'payment_intent_data[metadata][purchase_id]': purchaseId,
    });
    expect(form['success_url']).toContain(`/checkout/${purchaseId}?sig=`);
    expect(sent[0]!.headers['idempotency-key']).toBe(`checkout:${purchaseId}`);

    // A retry with the same key returns the same page without a second session.
    const retry = await stripeCheckout(buyer.token, { episodeId: ep.id }, key);
    expect(retry).toMatchObject({ purchaseId, checkoutUrl });
    expect((await stripeRequests()).filter((r) => r.form['metadata[purchase_id]'] === purchaseId)).toHaveLength(1);
  });

  it('refuses to sell for a creator whose account cannot take charges', async () => {
    const { owner, ep, accountId } = await stripeSeller();
    await deliver(event('account.updated', { id: accountId, object: 'account', charges_enabled: false }));
    const res = await stripeCall('POST', '/v1/checkout', {
      token: (await signup()).token,
      body: { episodeId: ep.id },
      headers: { 'Idempotency-Key': idemKey() },
    });
    expect([res.status, res.json.error.code]).toEqual([409, 'creator_cannot_sell']);
    expect(await totals(owner.token)).toEqual([]);
  });
});

describe('a storefront checkout in Stripe mode', () => {
  it('comes back to the page it started on when paid, and through our page (which expires the session) when cancelled', async () => {
    const { ep, owner } = await stripeSeller({ ep: 199 });
    const buyer = await signup();
    const page = `/@${owner.handle}/my-series/1`;
    const res = await stripeCall('POST', '/v1/checkout', {
      token: buyer.token,
      body: { episodeId: ep.id, returnTo: page, source: 'bio' },
      headers: { 'Idempotency-Key': idemKey() },
    });
    expect(res.status).toBe(201);
    const purchaseId = res.json.purchaseId as string;
    const sent = (await stripeRequests()).find(
      (r) => r.path === '/v1/checkout/sessions' && r.form['metadata[purchase_id]'] === purchaseId,
    );
    const success = new URL(sent!.form['success_url']!);
    expect(success.pathname + success.search).toBe(`${page}?purchase=${purchaseId}`);
    const cancel = new URL(sent!.form['cancel_url']!);
    expect(cancel.pathname).toBe(`/checkout/${purchaseId}`);
    const back = await stripeCall('GET', cancel.pathname + cancel.search);
    expect(back.status).toBe(303);
    expect(back.headers.get('Location')).toBe(`${page}?purchase=${purchaseId}`);
    expect((await purchase(purchaseId))!.status).toBe('cancelled');
  });
});
