// Round trips to D1 per request, counted around env.DB (test/d1-counter.ts): a worker far from its database
// waits tens of milliseconds for each, so these are the hot routes' budgets. Counts are deterministic; each
// test prints its figure on a `round-trips` line, which `npm run bench` reports.
import { lookupHash } from '@series/core';
import { describe, expect, it } from 'vitest';
import { stripeClient } from '../src/payments/stripe-client';
import { countedCall, type D1Count } from './d1-counter';
import { idemKey, publishedSeries, setEnvOverrides, signup } from './helpers';
import { disputeEvent, refundEvent, sessionCompleted, stripeEnv, stripeId, WEBHOOK_SECRET } from './stripe-helpers';
import { payAtStripe, stripeSeller } from './stripe-seller';
import { expectInvariants } from './invariants';

function within(route: string, budget: number, res: { status: number; count: D1Count }, status = 200) {
  expect(res.status, route).toBe(status);
  console.log(`round-trips ${JSON.stringify({ route, trips: res.count.sequential, budget })}`);
  expect(res.count.sequential, `${route}:\n  ${res.count.log.join('\n  ')}`).toBeLessThanOrEqual(budget);
}

async function webhook(evt: unknown) {
  const payload = JSON.stringify(evt);
  const header = await stripeClient(
    stripeEnv() as Env & { STRIPE_SECRET_KEY: string },
  ).webhooks.generateTestHeaderStringAsync({
    payload,
    secret: WEBHOOK_SECRET,
    timestamp: Math.floor(Date.now() / 1000),
  });
  return countedCall('POST', '/v1/webhooks/stripe', {
    raw: payload,
    env: stripeEnv(),
    headers: { 'Content-Type': 'application/json', 'Stripe-Signature': header },
  });
}

const payForm = (checkoutUrl: string) => {
  const url = new URL(checkoutUrl);
  return countedCall('POST', `${url.pathname}/pay`, {
    raw: new URLSearchParams({ sig: url.searchParams.get('sig') ?? '' }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
};

describe('round trips per request', () => {
  it('checkout: at most 3 (session; what it decides on; recording it), and a retry with its key 2', async () => {
    const { ep2 } = await publishedSeries();
    const buyer = await signup();
    const key = idemKey();
    const body = { episodeId: ep2.id };
    const first = await countedCall('POST', '/v1/checkout', {
      token: buyer.token,
      body,
      headers: { 'Idempotency-Key': key },
    });
    within('POST /v1/checkout', 3, first, 201);
    const retry = await countedCall('POST', '/v1/checkout', {
      token: buyer.token,
      body,
      headers: { 'Idempotency-Key': key },
    });
    within('POST /v1/checkout (retry)', 2, retry);
    expect(retry.json.purchaseId).toBe(first.json.purchaseId);
    const whole = await countedCall('POST', '/v1/checkout', {
      token: buyer.token,
      body: { seriesId: (await publishedSeries()).series.id },
      headers: { 'Idempotency-Key': idemKey() },
    });
    within('POST /v1/checkout (whole series)', 3, whole, 201);
    // A gift (issue 20): its row is recorded in the purchase's batch, so a gift checkout stays at 3.
    const gift = await countedCall('POST', '/v1/checkout', {
      token: buyer.token,
      body: { seriesId: (await publishedSeries()).series.id, gift: { email: 'friend@example.test', message: 'Hi' } },
      headers: { 'Idempotency-Key': idemKey() },
    });
    within('POST /v1/checkout (gift)', 3, gift, 201);
    expect(gift.json.purchase.gift).toBe(true);
  });

  it('completing a purchase: at most 2 on the test checkout page, and in Stripe mode the checkout stays at 3', async () => {
    const { ep2 } = await publishedSeries();
    const buyer = await signup();
    const co = await countedCall('POST', '/v1/checkout', {
      token: buyer.token,
      body: { episodeId: ep2.id },
      headers: { 'Idempotency-Key': idemKey() },
    });
    within('POST /checkout/:id/pay', 2, await payForm(co.json.checkoutUrl), 303);
    await expectInvariants();
  });

  it('webhooks: at most 3 for a completed session, its redelivery, a refund and a dispute', async () => {
    const seller = await stripeSeller();
    const buyer = await signup();
    const co = await countedCall('POST', '/v1/checkout', {
      token: buyer.token,
      env: stripeEnv(),
      body: { episodeId: seller.ep.id },
      headers: { 'Idempotency-Key': idemKey() },
    });
    within('POST /v1/checkout (Stripe)', 3, co, 201);
    const pi = stripeId('pi');
    within('webhook checkout.session.completed', 3, await webhook(sessionCompleted(co.json.purchaseId, pi)));
    within(
      'webhook checkout.session.completed (redelivery)',
      3,
      await webhook(sessionCompleted(co.json.purchaseId, pi)),
    );
    within('webhook refund.created', 3, await webhook(refundEvent(pi, 50)));
    within(
      'webhook charge.dispute.created',
      3,
      await webhook(disputeEvent('charge.dispute.created', pi, 149, 'needs_response', stripeId('dp'))),
    );
    await expectInvariants();
  });

  it('webhooks with Stripe Tax on (separate charges): at most 3 for a completed session, its redelivery and a refund', async () => {
    setEnvOverrides({ STRIPE_TAX: 'on' });
    try {
      const seller = await stripeSeller();
      const buyer = await signup();
      const co = await countedCall('POST', '/v1/checkout', {
        token: buyer.token,
        env: stripeEnv(),
        body: { episodeId: seller.ep.id },
        headers: { 'Idempotency-Key': idemKey() },
      });
      within('POST /v1/checkout (Stripe Tax)', 3, co, 201);
      const pi = await payAtStripe(co.json.purchaseId);
      const completed = sessionCompleted(co.json.purchaseId, pi);
      (completed.data.object as Record<string, unknown>)['total_details'] = { amount_tax: 33 };
      within('webhook checkout.session.completed (Stripe Tax: transfer made)', 3, await webhook(completed));
      within('webhook checkout.session.completed (Stripe Tax, redelivery)', 3, await webhook(completed));
      within('webhook refund.created (Stripe Tax: transfer reversed)', 3, await webhook(refundEvent(pi, 50)));
      await expectInvariants();
    } finally {
      setEnvOverrides({});
    }
  });

  it('authenticated reads: 1, the session included (who I am, my purchases, one purchase, playback access)', async () => {
    const { ep2, trailer } = await publishedSeries();
    const buyer = await signup();
    const co = await countedCall('POST', '/v1/checkout', {
      token: buyer.token,
      body: { episodeId: ep2.id },
      headers: { 'Idempotency-Key': idemKey() },
    });
    await payForm(co.json.checkoutUrl);
    const token = buyer.token;
    within('GET /v1/me', 1, await countedCall('GET', '/v1/me', { token }));
    const library = await countedCall('GET', '/v1/me/purchases', { token });
    within('GET /v1/me/purchases', 1, library);
    expect(library.json.purchases).toHaveLength(1);
    within('GET /v1/purchases/:id', 1, await countedCall('GET', `/v1/purchases/${co.json.purchaseId}`, { token }));
    within('GET /v1/me/gifts', 1, await countedCall('GET', '/v1/me/gifts', { token }));
    within(
      'GET /v1/episodes/:id/access (bought)',
      1,
      await countedCall('GET', `/v1/episodes/${ep2.id}/access`, { token }),
    );
    within(
      'GET /v1/episodes/:id/access (free, signed out)',
      1,
      await countedCall('GET', `/v1/episodes/${trailer.id}/access`),
    );
    // Another viewer's token reads nothing of the buyer's.
    const other = await signup();
    const foreign = await countedCall('GET', `/v1/purchases/${co.json.purchaseId}`, { token: other.token });
    expect(foreign.status).toBe(404);
    expect((await countedCall('GET', '/v1/me/purchases')).status).toBe(401);
  });

  it('analytics: 1 per answer, the session and the series filter included', async () => {
    const { owner, series, ep2 } = await publishedSeries();
    const buyer = await signup();
    const co = await countedCall('POST', '/v1/checkout', {
      token: buyer.token,
      body: { episodeId: ep2.id },
      headers: { 'Idempotency-Key': idemKey() },
    });
    await payForm(co.json.checkoutUrl);
    const token = owner.token;
    for (const path of ['summary', 'episodes', 'daily', 'funnel']) {
      within(`GET /v1/analytics/${path}`, 1, await countedCall('GET', `/v1/analytics/${path}`, { token }));
      within(
        `GET /v1/analytics/${path}?seriesId`,
        1,
        await countedCall('GET', `/v1/analytics/${path}?seriesId=${series.id}`, { token }),
      );
    }
    const summary = await countedCall('GET', '/v1/analytics/summary', { token });
    expect(summary.json.totals).toEqual([expect.objectContaining({ currency: 'USD', sales: 1, gross: 199 })]);
    // A series filter naming someone else's series is a 404, as a missing one; a buyer has no analytics.
    const stranger = await publishedSeries();
    const foreign = await countedCall('GET', `/v1/analytics/summary?seriesId=${series.id}`, {
      token: stranger.owner.token,
    });
    expect(foreign.status).toBe(404);
    expect((await countedCall('GET', '/v1/analytics/daily', { token: buyer.token })).status).toBe(403);
  });

  it('public reads: 1 when the cache misses, 0 when it answers (creator and series pages, catalogue, lookups); view reports 0', async () => {
    const { owner, series, ep2 } = await publishedSeries();
    const vid = `${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    expect(
      (await countedCall('PATCH', `/v1/episodes/${ep2.id}`, { token: owner.token, body: { videoId: vid } })).status,
    ).toBe(200);
    const page = { headers: { Accept: 'text/html' } };
    const reads: [string, string, Record<string, unknown>][] = [
      ['GET /@handle', `/@${owner.handle}`, page],
      ['GET /@handle/:slug', `/@${owner.handle}/${series.slug}`, page],
      ['GET /@handle/:slug/:n', `/@${owner.handle}/${series.slug}/2`, page],
      ['GET /v1/series/:id', `/v1/series/${series.id}`, {}],
      ['GET /v1/creators/:handle', `/v1/creators/${owner.handle}`, {}],
      ['GET /v1/lookup/creators/:prefix', `/v1/lookup/creators/${(await lookupHash(owner.handle)).slice(0, 4)}`, {}],
      ['GET /v1/lookup/videos/:prefix', `/v1/lookup/videos/${(await lookupHash(vid)).slice(0, 4)}`, {}],
    ];
    for (const [route, path, opts] of reads) {
      within(`${route} (miss)`, 1, await countedCall('GET', path, opts));
      within(`${route} (hit)`, 0, await countedCall('GET', path, opts));
    }
    // Older ratings are not in the worker's cache: 1 each time, the series and the page of reviews together.
    const cursor = 'rev_aaaaaaaaaaaaaaaaaaaaaa';
    within(
      'GET /v1/series/:id/reviews/older/:before',
      1,
      await countedCall('GET', `/v1/series/${series.id}/reviews/older/${cursor}`),
    );
    within(
      'GET /@handle/:slug/reviews',
      1,
      await countedCall('GET', `/@${owner.handle}/${series.slug}/reviews?before=${cursor}`, page),
    );
    // View reports go through the VIEWS queue: the request itself never waits for the database.
    within('POST /v1/views', 0, await countedCall('POST', '/v1/views', { body: { episodeIds: [ep2.id] } }), 202);
    within(
      'POST /v1/views/storefront',
      0,
      await countedCall('POST', '/v1/views/storefront', { body: { handle: owner.handle, source: 'bio' } }),
      202,
    );
    const lookup = await countedCall('GET', `/v1/lookup/creators/${(await lookupHash(owner.handle)).slice(0, 4)}`);
    expect(lookup.json.creators).toContainEqual(expect.objectContaining({ handle: owner.handle }));
    const videos = await countedCall('GET', `/v1/lookup/videos/${(await lookupHash(vid)).slice(0, 4)}`);
    expect(videos.json.videos).toContainEqual(expect.objectContaining({ videoId: vid }));
  });
});
