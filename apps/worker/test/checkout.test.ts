import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  addEpisode,
  admin,
  buy,
  call,
  creator,
  createSeries,
  idemKey,
  installVideo,
  publishedSeries,
  signup,
  startCheckout,
  submitCheckout,
} from './helpers';
import { ledger, purchasesOf, pagePath, purchaseStatus, salesOf } from './checkout-helpers';

describe('POST /v1/checkout: happy paths', () => {
  it('starts a pending episode purchase priced from the database', async () => {
    const { owner, series, ep2 } = await publishedSeries();
    const viewer = await signup();
    const res = await startCheckout(viewer.token, { episodeId: ep2.id });
    expect(res.status).toBe(201);
    expect(res.headers.get('Cache-Control')).toContain('no-store');
    expect(res.json.purchaseId).toMatch(/^pur_[0-9A-Za-z]{16,32}$/);
    const url = new URL(res.json.checkoutUrl);
    expect(url.origin).toBe('http://api.test');
    expect(url.pathname).toBe(`/checkout/${res.json.purchaseId}`);
    expect(url.searchParams.get('sig')).toBeTruthy();
    expect(res.json.purchase).toMatchObject({
      id: res.json.purchaseId,
      kind: 'episode',
      seriesId: series.id,
      episodeId: ep2.id,
      amount: 199,
      currency: 'USD',
      status: 'pending',
      paidAt: null,
    });
    expect(Date.parse(res.json.purchase.expiresAt)).toBeGreaterThan(Date.now());

    const row = await ledger(res.json.purchaseId);
    expect(row).toMatchObject({
      buyer_id: viewer.user.id,
      item_key: `episode:${ep2.id}`,
      amount: 199,
      status: 'pending',
    });
    expect(row!.commission_amount + row!.payout_amount).toBe(199);
    // Nothing is sold until it is paid.
    expect(await salesOf(owner.token)).toEqual([]);
  });

  it('sells the whole series at its bundle price, and pays through the test page', async () => {
    const { owner, series } = await publishedSeries({ bundlePrice: 499 });
    const viewer = await signup();
    const res = await startCheckout(viewer.token, { seriesId: series.id });
    expect(res.status).toBe(201);
    expect(res.json.purchase).toMatchObject({
      kind: 'series',
      seriesId: series.id,
      episodeId: null,
      amount: 499,
      currency: 'USD',
    });
    expect((await ledger(res.json.purchaseId))!.item_key).toBe(`series:${series.id}`);

    const paid = await submitCheckout(res.json.checkoutUrl);
    expect(paid.status).toBe(303);
    const purchase = await purchaseStatus(viewer.token, res.json.purchaseId);
    expect(purchase.status).toBe('paid');
    expect(purchase.paidAt).not.toBeNull();
    expect(await salesOf(owner.token)).toEqual([
      { currency: 'USD', sales: 1, gross: 499, refunded: 0, commission: 0, payout: 499, tax: 0, buyers: 1 },
    ]);
  });

  it('uses the price in force when the checkout starts, whatever the creator changes later', async () => {
    const { owner, ep2 } = await publishedSeries();
    const viewer = await signup();
    const patched = await call('PATCH', `/v1/episodes/${ep2.id}`, { token: owner.token, body: { price: 349 } });
    expect(patched.status).toBe(200);
    const res = await startCheckout(viewer.token, { episodeId: ep2.id });
    expect(res.status).toBe(201);
    expect(res.json.purchase.amount).toBe(349);
    await call('PATCH', `/v1/episodes/${ep2.id}`, { token: owner.token, body: { price: 999 } });
    await submitCheckout(res.json.checkoutUrl);
    expect((await ledger(res.json.purchaseId))!.amount).toBe(349);
    expect((await salesOf(owner.token))[0]).toMatchObject({ sales: 1, gross: 349 });
  });

  it('prices a zero-decimal currency in whole units', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token, { currency: 'JPY', bundlePrice: 1500 });
    const ep = await addEpisode(owner.token, series.id, { price: 300 });
    await installVideo(owner.token, ep.id);
    expect((await call('POST', `/v1/series/${series.id}/publish`, { token: owner.token })).status).toBe(200);
    const viewer = await signup();
    const res = await startCheckout(viewer.token, { episodeId: ep.id });
    expect(res.status).toBe(201);
    expect(res.json.purchase).toMatchObject({ amount: 300, currency: 'JPY' });
    const page = await call('GET', pagePath(res.json.checkoutUrl));
    expect(page.text).toContain('Pay ¥300');
  });
});

describe('POST /v1/checkout: bad input', () => {
  it('refuses a client-sent amount (unknown key) with 400 and writes nothing', async () => {
    const { ep2, series } = await publishedSeries();
    const viewer = await signup();
    for (const body of [
      { episodeId: ep2.id, amount: 1 },
      { episodeId: ep2.id, price: 1 },
      { seriesId: series.id, amount: 1, currency: 'USD' },
    ]) {
      const res = await call('POST', '/v1/checkout', {
        token: viewer.token,
        body,
        headers: { 'Idempotency-Key': idemKey() },
      });
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe('invalid_request');
    }
    expect(await purchasesOf(viewer.user.id)).toEqual([]);
  });

  it.each([
    ['missing', undefined],
    ['7 characters', 'k'.repeat(7)],
    ['129 characters', 'k'.repeat(129)],
    ['containing a space', 'abcd efgh'],
  ])('answers 400 for an Idempotency-Key %s, writing nothing', async (_label, key) => {
    const { ep2 } = await publishedSeries();
    const viewer = await signup();
    const headers: Record<string, string> = key === undefined ? {} : { 'Idempotency-Key': key };
    const res = await call('POST', '/v1/checkout', { token: viewer.token, body: { episodeId: ep2.id }, headers });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid_request');
    expect(JSON.stringify(res.json.error)).toMatch(/Idempotency-Key/);
    expect(await purchasesOf(viewer.user.id)).toEqual([]);
  });

  it.each([
    ['empty object', {}],
    ['both ids', { episodeId: 'ep_0123456789abcdef', seriesId: 'ser_0123456789abcdef' }],
    ['numeric id', { episodeId: 12345 }],
    ['null id', { episodeId: null }],
    ['series id as episode id', { episodeId: 'ser_0123456789abcdef' }],
    ['array', [{ episodeId: 'ep_0123456789abcdef' }]],
  ])('answers 400 for a body with %s', async (_label, body) => {
    const viewer = await signup();
    const res = await call('POST', '/v1/checkout', {
      token: viewer.token,
      body,
      headers: { 'Idempotency-Key': idemKey() },
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid_request');
    expect(await purchasesOf(viewer.user.id)).toEqual([]);
  });

  it('answers 400 for malformed JSON', async () => {
    const viewer = await signup();
    const res = await call('POST', '/v1/checkout', {
      token: viewer.token,
      raw: '{"episodeId":',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idemKey() },
    });
    expect(res.status).toBe(400);
    expect(await purchasesOf(viewer.user.id)).toEqual([]);
  });

  it('answers 401 to anonymous callers', async () => {
    const { ep2 } = await publishedSeries();
    const res = await call('POST', '/v1/checkout', {
      body: { episodeId: ep2.id },
      headers: { 'Idempotency-Key': idemKey() },
    });
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('unauthorized');
    const rows = await env.DB.prepare('SELECT COUNT(*) AS n FROM purchases WHERE episode_id = ?')
      .bind(ep2.id)
      .first<{ n: number }>();
    expect(rows!.n).toBe(0);
  });
});

describe('POST /v1/checkout: idempotency', () => {
  it('replays the same purchase (200) for the same key and item', async () => {
    const { ep2 } = await publishedSeries();
    const viewer = await signup();
    const key = idemKey();
    const first = await startCheckout(viewer.token, { episodeId: ep2.id }, key);
    const again = await startCheckout(viewer.token, { episodeId: ep2.id }, key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.json.purchaseId).toBe(first.json.purchaseId);
    expect(again.json.checkoutUrl).toBe(first.json.checkoutUrl);
    expect(await purchasesOf(viewer.user.id)).toHaveLength(1);
  });

  it('replays the paid purchase after payment instead of refusing it as already owned', async () => {
    const { ep2 } = await publishedSeries();
    const viewer = await signup();
    const key = idemKey();
    const first = await startCheckout(viewer.token, { episodeId: ep2.id }, key);
    await submitCheckout(first.json.checkoutUrl);
    const again = await startCheckout(viewer.token, { episodeId: ep2.id }, key);
    expect(again.status).toBe(200);
    expect(again.json.purchaseId).toBe(first.json.purchaseId);
    expect(again.json.purchase.status).toBe('paid');
  });

  it('answers 422 idempotency_key_reused when the key was used for another item', async () => {
    const { series, ep2, ep3 } = await publishedSeries();
    const viewer = await signup();
    const key = idemKey();
    expect((await startCheckout(viewer.token, { episodeId: ep2.id }, key)).status).toBe(201);
    for (const other of [{ episodeId: ep3.id }, { seriesId: series.id }]) {
      const res = await startCheckout(viewer.token, other, key);
      expect(res.status).toBe(422);
      expect(res.json.error.code).toBe('idempotency_key_reused');
    }
    expect(await purchasesOf(viewer.user.id)).toHaveLength(1);
  });

  it('scopes keys to the buyer: another viewer with the same key gets their own purchase', async () => {
    const { ep2 } = await publishedSeries();
    const [a, b] = [await signup(), await signup()];
    const key = idemKey();
    const first = await startCheckout(a.token, { episodeId: ep2.id }, key);
    const second = await startCheckout(b.token, { episodeId: ep2.id }, key);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.json.purchaseId).not.toBe(first.json.purchaseId);
    expect((await ledger(second.json.purchaseId))!.buyer_id).toBe(b.user.id);
  });

  it('creates one purchase row for concurrent checkouts with the same key', async () => {
    const { ep2 } = await publishedSeries();
    const viewer = await signup();
    const key = idemKey();
    const results = await Promise.all(
      Array.from({ length: 15 }, () => startCheckout(viewer.token, { episodeId: ep2.id }, key)),
    );
    for (const r of results) expect([200, 201]).toContain(r.status);
    const ids = new Set(results.map((r) => r.json.purchaseId));
    expect(ids.size).toBe(1);
    const rows = await purchasesOf(viewer.user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe([...ids][0]);
  });

  it('concurrent same-key checkouts for different items create one row; the losers get 422', async () => {
    const { ep2, ep3 } = await publishedSeries();
    const viewer = await signup();
    const key = idemKey();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => startCheckout(viewer.token, { episodeId: i % 2 ? ep3.id : ep2.id }, key)),
    );
    const rows = await purchasesOf(viewer.user.id);
    expect(rows).toHaveLength(1);
    const winner = rows[0]!.item_key === `episode:${ep2.id}` ? 0 : 1;
    results.forEach((r, i) => {
      if (i % 2 === winner) {
        expect([200, 201]).toContain(r.status);
        expect(r.json.purchaseId).toBe(rows[0]!.id);
      } else {
        expect(r.status).toBe(422);
        expect(r.json.error.code).toBe('idempotency_key_reused');
      }
    });
  });
});

describe('POST /v1/checkout: refusals', () => {
  it('refuses a free episode with 409 episode_free', async () => {
    const { trailer } = await publishedSeries();
    const viewer = await signup();
    const res = await startCheckout(viewer.token, { episodeId: trailer.id });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe('episode_free');
    expect(await purchasesOf(viewer.user.id)).toEqual([]);
  });

  it('refuses the creator their own episode and series with 409 own_content', async () => {
    const { owner, series, ep2 } = await publishedSeries();
    for (const item of [{ episodeId: ep2.id }, { seriesId: series.id }]) {
      const res = await startCheckout(owner.token, item);
      expect(res.status).toBe(409);
      expect(res.json.error.code).toBe('own_content');
    }
    expect(await purchasesOf(owner.user.id)).toEqual([]);
  });

  it('refuses an episode already bought with 409 already_owned', async () => {
    const { ep2 } = await publishedSeries();
    const viewer = await signup();
    await buy(viewer.token, { episodeId: ep2.id });
    const res = await startCheckout(viewer.token, { episodeId: ep2.id });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe('already_owned');
    expect(await purchasesOf(viewer.user.id)).toHaveLength(1);
  });

  it('refuses every episode and the series again once the whole series is bought', async () => {
    const { owner, series, ep2, ep3 } = await publishedSeries();
    const viewer = await signup();
    await buy(viewer.token, { seriesId: series.id });
    // Also an episode added after the series was bought: the bundle covers it.
    const later = await addEpisode(owner.token, series.id, { title: 'Part 4', price: 399 });
    for (const item of [
      { episodeId: ep2.id },
      { episodeId: ep3.id },
      { episodeId: later.id },
      { seriesId: series.id },
    ]) {
      const res = await startCheckout(viewer.token, item);
      expect(res.status).toBe(409);
      expect(res.json.error.code).toBe('already_owned');
    }
    expect(await purchasesOf(viewer.user.id)).toHaveLength(1);
  });

  it('still sells the whole series to someone who bought one episode', async () => {
    const { series, ep2 } = await publishedSeries();
    const viewer = await signup();
    await buy(viewer.token, { episodeId: ep2.id });
    const res = await startCheckout(viewer.token, { seriesId: series.id });
    expect(res.status).toBe(201);
  });

  it('refuses a series without a bundle price with 409 no_bundle_price', async () => {
    const { series, ep2 } = await publishedSeries({ bundlePrice: null });
    const viewer = await signup();
    const res = await startCheckout(viewer.token, { seriesId: series.id });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe('no_bundle_price');
    // Its episodes are still for sale one by one.
    expect((await startCheckout(viewer.token, { episodeId: ep2.id })).status).toBe(201);
  });

  it('answers 404 for drafts, unknown ids and suspended creators', async () => {
    const viewer = await signup();
    // Draft series of an approved creator.
    const owner = await creator();
    const draft = await createSeries(owner.token, { bundlePrice: 499 });
    const draftEp = await addEpisode(owner.token, draft.id, { price: 199 });
    // Published, then the creator is suspended.
    const suspended = await publishedSeries();
    expect(
      (await call('POST', `/v1/admin/creators/${suspended.owner.handle}/suspend`, { token: await admin() })).status,
    ).toBe(200);

    const cases = [
      { episodeId: draftEp.id },
      { seriesId: draft.id },
      { episodeId: 'ep_0123456789abcdefXYZ' },
      { seriesId: 'ser_0123456789abcdefXYZ' },
      { episodeId: suspended.ep2.id },
      { seriesId: suspended.series.id },
    ];
    for (const item of cases) {
      const res = await startCheckout(viewer.token, item);
      expect(res.status, JSON.stringify(item)).toBe(404);
      expect(res.json.error.code).toBe('not_found');
    }
    expect(await purchasesOf(viewer.user.id)).toEqual([]);
  });

  it('stops selling a series once it is unpublished', async () => {
    const { owner, series, ep2 } = await publishedSeries();
    const viewer = await signup();
    expect((await call('POST', `/v1/series/${series.id}/unpublish`, { token: owner.token })).status).toBe(200);
    expect((await startCheckout(viewer.token, { episodeId: ep2.id })).status).toBe(404);
    expect((await startCheckout(viewer.token, { seriesId: series.id })).status).toBe(404);
  });
});
