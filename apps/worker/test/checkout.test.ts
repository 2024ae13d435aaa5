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
  publishedSeries,
  signup,
  startCheckout,
  submitCheckout,
  uniqueEmail,
  uniqueHandle,
} from './helpers';

// ---------------------------------------------------------------------------------------------
// local helpers

interface LedgerRow {
  id: string;
  buyer_id: string;
  item_key: string;
  amount: number;
  currency: string;
  status: string;
  status_reason: string | null;
  paid_at: number | null;
  completion_id: string | null;
  commission_amount: number;
  payout_amount: number;
}

const ledger = (purchaseId: string) =>
  env.DB.prepare('SELECT * FROM purchases WHERE id = ?').bind(purchaseId).first<LedgerRow>();

const purchasesOf = async (buyerId: string) =>
  (await env.DB.prepare('SELECT * FROM purchases WHERE buyer_id = ? ORDER BY created_at, id').bind(buyerId).all<LedgerRow>())
    .results;

/** The checkout page path (with its signed query) as a browser would open it. */
const pagePath = (checkoutUrl: string) => {
  const url = new URL(checkoutUrl);
  return url.pathname + url.search;
};

const sigOf = (checkoutUrl: string) => new URL(checkoutUrl).searchParams.get('sig')!;

/** Posts the Pay/Cancel form with an arbitrary `sig` field (or none). */
function postForm(purchaseId: string, action: string, sig: string | null) {
  const form = new URLSearchParams();
  if (sig !== null) form.set('sig', sig);
  return call('POST', `/checkout/${purchaseId}/${action}`, {
    raw: form.toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
}

async function purchaseStatus(token: string, purchaseId: string) {
  const res = await call('GET', `/v1/purchases/${purchaseId}`, { token });
  expect(res.status).toBe(200);
  return res.json.purchase as { id: string; status: string; statusReason: string | null; paidAt: string | null };
}

async function salesOf(ownerToken: string) {
  const res = await call('GET', '/v1/analytics/summary', { token: ownerToken });
  expect(res.status).toBe(200);
  return res.json.totals as { currency: string; sales: number; gross: number; payout: number; buyers: number }[];
}

// ---------------------------------------------------------------------------------------------

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
    expect(row).toMatchObject({ buyer_id: viewer.user.id, item_key: `episode:${ep2.id}`, amount: 199, status: 'pending' });
    expect(row!.commission_amount + row!.payout_amount).toBe(199);
    // Nothing is sold until it is paid.
    expect(await salesOf(owner.token)).toEqual([]);
  });

  it('sells the whole series at its bundle price, and pays through the test page', async () => {
    const { owner, series } = await publishedSeries({ bundlePrice: 499 });
    const viewer = await signup();
    const res = await startCheckout(viewer.token, { seriesId: series.id });
    expect(res.status).toBe(201);
    expect(res.json.purchase).toMatchObject({ kind: 'series', seriesId: series.id, episodeId: null, amount: 499, currency: 'USD' });
    expect((await ledger(res.json.purchaseId))!.item_key).toBe(`series:${series.id}`);

    const paid = await submitCheckout(res.json.checkoutUrl);
    expect(paid.status).toBe(303);
    const purchase = await purchaseStatus(viewer.token, res.json.purchaseId);
    expect(purchase.status).toBe('paid');
    expect(purchase.paidAt).not.toBeNull();
    expect(await salesOf(owner.token)).toEqual([
      { currency: 'USD', sales: 1, gross: 499, refunded: 0, commission: 0, payout: 499, buyers: 1 },
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
      const res = await call('POST', '/v1/checkout', { token: viewer.token, body, headers: { 'Idempotency-Key': idemKey() } });
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
    const res = await call('POST', '/v1/checkout', { token: viewer.token, body, headers: { 'Idempotency-Key': idemKey() } });
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
    const res = await call('POST', '/v1/checkout', { body: { episodeId: ep2.id }, headers: { 'Idempotency-Key': idemKey() } });
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('unauthorized');
    const rows = await env.DB.prepare('SELECT COUNT(*) AS n FROM purchases WHERE episode_id = ?').bind(ep2.id).first<{ n: number }>();
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
    for (const item of [{ episodeId: ep2.id }, { episodeId: ep3.id }, { episodeId: later.id }, { seriesId: series.id }]) {
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
    expect((await call('POST', `/v1/admin/creators/${suspended.owner.handle}/suspend`, { token: await admin() })).status).toBe(200);

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

describe('test-mode checkout page', () => {
  it('shows the item, its price and the Pay / Cancel forms with a strict CSP', async () => {
    const { ep2 } = await publishedSeries();
    const viewer = await signup();
    const co = await startCheckout(viewer.token, { episodeId: ep2.id });
    const page = await call('GET', pagePath(co.json.checkoutUrl));
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Type')).toMatch(/text\/html/);
    const csp = page.headers.get('Content-Security-Policy');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('script-src');
    expect(page.headers.get('Cache-Control')).toContain('no-store');
    expect(page.text).toContain('Part 2');
    expect(page.text).toContain('My Series');
    expect(page.text).toContain('Pay $1.99');
    expect(page.text).toContain(`action="/checkout/${co.json.purchaseId}/pay"`);
    expect(page.text).toContain(`action="/checkout/${co.json.purchaseId}/cancel"`);
    expect(page.text).not.toMatch(/<script/i);
  });

  it('answers 404 for a missing, wrong or borrowed signature, and changes nothing', async () => {
    const { ep2, ep3 } = await publishedSeries();
    const viewer = await signup();
    const co = await startCheckout(viewer.token, { episodeId: ep2.id });
    const other = await startCheckout(viewer.token, { episodeId: ep3.id });
    const id = co.json.purchaseId as string;
    const sig = sigOf(co.json.checkoutUrl);
    const flipped = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);

    const pages = [
      `/checkout/${id}`,
      `/checkout/${id}?sig=`,
      `/checkout/${id}?sig=${flipped}`,
      `/checkout/${id}?sig=not-base64!`,
      `/checkout/${id}?sig=${sigOf(other.json.checkoutUrl)}`,
      `/checkout/pur_0123456789abcdefXYZ?sig=${sig}`,
    ];
    for (const path of pages) {
      const res = await call('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.text).toContain('Checkout not found');
      expect(res.text).not.toContain('Part 2');
    }
    for (const action of ['pay', 'cancel']) {
      for (const bad of [null, '', flipped, sigOf(other.json.checkoutUrl)]) {
        const res = await postForm(id, action, bad);
        expect(res.status, `${action} ${bad}`).toBe(404);
      }
    }
    const row = await ledger(id);
    expect(row).toMatchObject({ status: 'pending', paid_at: null, status_reason: null });
    expect((await ledger(other.json.purchaseId))!.status).toBe('pending');
  });

  it('answers 404 to an unknown action, even with a valid signature', async () => {
    const { ep2 } = await publishedSeries();
    const viewer = await signup();
    const co = await startCheckout(viewer.token, { episodeId: ep2.id });
    const res = await postForm(co.json.purchaseId, 'refund', sigOf(co.json.checkoutUrl));
    expect(res.status).toBe(404);
    expect((await call('GET', `/checkout/${co.json.purchaseId}/pay?sig=${sigOf(co.json.checkoutUrl)}`)).status).toBe(404);
    expect((await ledger(co.json.purchaseId))!.status).toBe('pending');
  });

  it('pays with post/redirect/get; reloading shows the purchase paid', async () => {
    const { ep2 } = await publishedSeries();
    const viewer = await signup();
    const co = await startCheckout(viewer.token, { episodeId: ep2.id });
    const paid = await submitCheckout(co.json.checkoutUrl);
    expect(paid.status).toBe(303);
    const location = paid.headers.get('Location')!;
    expect(new URL(location, 'http://api.test').pathname).toBe(`/checkout/${co.json.purchaseId}`);

    const reload = await call('GET', location);
    expect(reload.status).toBe(200);
    expect(reload.text).toContain('data-status="paid"');
    expect(reload.text).not.toContain('/pay"');
    expect(await purchaseStatus(viewer.token, co.json.purchaseId)).toMatchObject({ status: 'paid' });
    expect((await call('GET', `/v1/episodes/${ep2.id}/access`, { token: viewer.token })).status).toBe(200);
  });

  it('cancels: status cancelled, and a later Pay does not complete it', async () => {
    const { owner, ep2 } = await publishedSeries();
    const viewer = await signup();
    const co = await startCheckout(viewer.token, { episodeId: ep2.id });
    const cancelled = await submitCheckout(co.json.checkoutUrl, 'cancel');
    expect(cancelled.status).toBe(303);
    expect(await purchaseStatus(viewer.token, co.json.purchaseId)).toMatchObject({
      status: 'cancelled',
      statusReason: 'cancelled_by_buyer',
      paidAt: null,
    });
    const page = await call('GET', pagePath(co.json.checkoutUrl));
    expect(page.text).toContain('data-status="cancelled"');
    expect(page.text).not.toContain('/pay"');

    expect((await submitCheckout(co.json.checkoutUrl, 'pay')).status).toBe(303);
    expect((await purchaseStatus(viewer.token, co.json.purchaseId)).status).toBe('cancelled');
    expect((await call('GET', `/v1/episodes/${ep2.id}/access`, { token: viewer.token })).status).toBe(402);
    expect(await salesOf(owner.token)).toEqual([]);
    // Cancelled checkouts do not block buying later.
    expect((await startCheckout(viewer.token, { episodeId: ep2.id })).status).toBe(201);
  });

  it('does not cancel a purchase that is already paid', async () => {
    const { ep2 } = await publishedSeries();
    const viewer = await signup();
    const co = await startCheckout(viewer.token, { episodeId: ep2.id });
    await submitCheckout(co.json.checkoutUrl);
    await submitCheckout(co.json.checkoutUrl, 'cancel');
    expect((await purchaseStatus(viewer.token, co.json.purchaseId)).status).toBe('paid');
  });

  it('HTML-escapes creator-provided titles and names', async () => {
    const account = await signup(uniqueEmail('xss'));
    const handle = uniqueHandle();
    const claim = await call('POST', '/v1/creators', {
      token: account.token,
      body: { handle, displayName: '<b onmouseover="x()">Evil & Co</b>' },
    });
    expect(claim.status).toBe(201);
    expect((await call('POST', `/v1/admin/creators/${handle}/approve`, { token: await admin() })).status).toBe(200);
    const series = await createSeries(account.token, { title: '<script>alert("series")</script>' });
    const ep = await addEpisode(account.token, series.id, { title: '"><img src=x onerror=alert(1)>', price: 199 });
    expect((await call('POST', `/v1/series/${series.id}/publish`, { token: account.token })).status).toBe(200);

    const viewer = await signup();
    const co = await startCheckout(viewer.token, { episodeId: ep.id });
    const page = await call('GET', pagePath(co.json.checkoutUrl));
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('<script>alert');
    expect(page.text).not.toContain('<img src=x');
    expect(page.text).not.toContain('<b onmouseover');
    expect(page.text).toContain('&lt;script&gt;alert(&quot;series&quot;)&lt;/script&gt;');
    expect(page.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page.text).toContain('&lt;b onmouseover=&quot;x()&quot;&gt;Evil &amp; Co&lt;/b&gt;');
    expect(page.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
  });

  it('an expired checkout shows as expired, cannot be paid and ends expired', async () => {
    const { owner, ep2 } = await publishedSeries();
    const viewer = await signup();
    const co = await startCheckout(viewer.token, { episodeId: ep2.id });
    await env.DB.prepare('UPDATE purchases SET expires_at = ? WHERE id = ?').bind(Date.now() - 1000, co.json.purchaseId).run();

    const page = await call('GET', pagePath(co.json.checkoutUrl));
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-status="expired"');
    expect(page.text).not.toContain('/pay"');

    expect((await submitCheckout(co.json.checkoutUrl)).status).toBe(303);
    expect(await purchaseStatus(viewer.token, co.json.purchaseId)).toMatchObject({
      status: 'expired',
      statusReason: 'expired',
      paidAt: null,
    });
    expect((await call('GET', `/v1/episodes/${ep2.id}/access`, { token: viewer.token })).status).toBe(402);
    expect(await salesOf(owner.token)).toEqual([]);
  });
});

describe('checkouts that go off sale while open', () => {
  it('reports a lapsed checkout as expired before anyone tries to pay it', async () => {
    const { ep2 } = await publishedSeries();
    const viewer = await signup();
    const co = await startCheckout(viewer.token, { episodeId: ep2.id });
    await env.DB.prepare('UPDATE purchases SET expires_at = ? WHERE id = ?').bind(Date.now() - 1000, co.json.purchaseId).run();
    expect(await purchaseStatus(viewer.token, co.json.purchaseId)).toMatchObject({ status: 'expired', statusReason: 'expired' });
  });

  for (const [label, takeOffSale] of [
    ['the creator is suspended', async (o: { handle: string; token: string }, _seriesId: string) =>
      call('POST', `/v1/admin/creators/${o.handle}/suspend`, { token: await admin() })],
    ['the series is unpublished', async (o: { handle: string; token: string }, seriesId: string) =>
      call('POST', `/v1/series/${seriesId}/unpublish`, { token: o.token })],
  ] as const) {
    it(`refuses to pay an open checkout once ${label}, and nothing is sold`, async () => {
      const { owner, series, ep2 } = await publishedSeries();
      const viewer = await signup();
      const co = await startCheckout(viewer.token, { episodeId: ep2.id });
      expect((await takeOffSale(owner, series.id)).status).toBe(200);

      expect((await submitCheckout(co.json.checkoutUrl)).status).toBe(303);
      expect(await purchaseStatus(viewer.token, co.json.purchaseId)).toMatchObject({
        status: 'cancelled',
        statusReason: 'not_on_sale',
        paidAt: null,
      });
      const page = await call('GET', pagePath(co.json.checkoutUrl));
      expect(page.text).toContain('data-status="not_on_sale"');
      expect(await salesOf(owner.token)).toEqual([]);
    });
  }
});

describe('payment races', () => {
  it('completes a purchase exactly once under ~20 concurrent Pay posts', async () => {
    const { owner, series, ep2 } = await publishedSeries();
    const viewer = await signup();
    const co = await startCheckout(viewer.token, { episodeId: ep2.id });
    const results = await Promise.all(Array.from({ length: 20 }, () => submitCheckout(co.json.checkoutUrl)));
    for (const r of results) expect(r.status).toBe(303);

    const row = await ledger(co.json.purchaseId);
    expect(row).toMatchObject({ status: 'paid' });
    expect(row!.completion_id).toBeTruthy();
    expect(await salesOf(owner.token)).toEqual([
      { currency: 'USD', sales: 1, gross: 199, refunded: 0, commission: 0, payout: 199, buyers: 1 },
    ]);
    const rollup = await env.DB.prepare(
      'SELECT SUM(sales) AS sales, SUM(gross) AS gross FROM sales_daily WHERE series_id = ?',
    )
      .bind(series.id)
      .first<{ sales: number; gross: number }>();
    expect(rollup).toEqual({ sales: 1, gross: 199 });
    const perEpisode = await call('GET', `/v1/analytics/episodes?seriesId=${series.id}`, { token: owner.token });
    expect(perEpisode.json.rows.map((r: { sales: number }) => r.sales)).toEqual([0, 1, 0]);
  });

  it('a retried Pay after completion changes nothing', async () => {
    const { owner, ep2 } = await publishedSeries();
    const viewer = await signup();
    const co = await startCheckout(viewer.token, { episodeId: ep2.id });
    await submitCheckout(co.json.checkoutUrl);
    const paidAt = (await ledger(co.json.purchaseId))!.paid_at;
    await submitCheckout(co.json.checkoutUrl);
    await submitCheckout(co.json.checkoutUrl);
    expect((await ledger(co.json.purchaseId))!.paid_at).toBe(paidAt);
    expect((await salesOf(owner.token))[0]).toMatchObject({ sales: 1, gross: 199 });
  });

  it('two pending checkouts for the same episode, paid one after the other: the second closes as already_owned', async () => {
    const { owner, ep2 } = await publishedSeries();
    const viewer = await signup();
    const a = await startCheckout(viewer.token, { episodeId: ep2.id });
    const b = await startCheckout(viewer.token, { episodeId: ep2.id });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.json.purchaseId).not.toBe(a.json.purchaseId);
    await submitCheckout(a.json.checkoutUrl);
    await submitCheckout(b.json.checkoutUrl);
    expect(await purchaseStatus(viewer.token, a.json.purchaseId)).toMatchObject({ status: 'paid' });
    expect(await purchaseStatus(viewer.token, b.json.purchaseId)).toMatchObject({
      status: 'cancelled',
      statusReason: 'already_owned',
      paidAt: null,
    });
    const page = await call('GET', pagePath(b.json.checkoutUrl));
    expect(page.text).toContain('data-status="already_owned"');
    expect((await salesOf(owner.token))[0]).toMatchObject({ sales: 1, gross: 199 });
  });

  it('two pending checkouts for the same episode, paid concurrently: exactly one is paid', async () => {
    const { owner, ep2 } = await publishedSeries();
    const viewer = await signup();
    const checkouts = await Promise.all([1, 2, 3].map(() => startCheckout(viewer.token, { episodeId: ep2.id })));
    await Promise.all(checkouts.flatMap((co) => [submitCheckout(co.json.checkoutUrl), submitCheckout(co.json.checkoutUrl)]));
    const rows = await purchasesOf(viewer.user.id);
    expect(rows).toHaveLength(3);
    expect(rows.filter((r) => r.status === 'paid')).toHaveLength(1);
    const losers = rows.filter((r) => r.status !== 'paid');
    expect(losers).toHaveLength(2);
    for (const r of losers) expect(r).toMatchObject({ status: 'cancelled', status_reason: 'already_owned', paid_at: null });
    expect((await salesOf(owner.token))[0]).toMatchObject({ sales: 1, gross: 199, buyers: 1 });
    const library = await call('GET', '/v1/me/purchases', { token: viewer.token });
    expect(library.json.purchases).toHaveLength(1);
  });

  it('a pending episode checkout closes as already_owned once the whole series is bought', async () => {
    const { owner, series, ep2 } = await publishedSeries();
    const viewer = await signup();
    const episode = await startCheckout(viewer.token, { episodeId: ep2.id });
    await buy(viewer.token, { seriesId: series.id });
    await submitCheckout(episode.json.checkoutUrl);
    expect(await purchaseStatus(viewer.token, episode.json.purchaseId)).toMatchObject({
      status: 'cancelled',
      statusReason: 'already_owned',
    });
    expect((await salesOf(owner.token))[0]).toMatchObject({ sales: 1, gross: 499 });
  });
});

describe('GET /v1/purchases/:id and /v1/me/purchases', () => {
  it('shows a purchase to its buyer only; others get 404, anonymous 401', async () => {
    const { owner, ep2 } = await publishedSeries();
    const viewer = await signup();
    const stranger = await signup();
    const co = await startCheckout(viewer.token, { episodeId: ep2.id });
    const id = co.json.purchaseId as string;

    const mine = await call('GET', `/v1/purchases/${id}`, { token: viewer.token });
    expect(mine.status).toBe(200);
    expect(mine.headers.get('Cache-Control')).toContain('no-store');
    expect(mine.json.purchase).toMatchObject({ id, status: 'pending', amount: 199, episodeId: ep2.id });
    // No provider internals leak to the buyer.
    expect(mine.json.purchase).not.toHaveProperty('provider_ref');
    expect(mine.json.purchase).not.toHaveProperty('idempotencyKey');

    for (const token of [stranger.token, owner.token, await admin()]) {
      const res = await call('GET', `/v1/purchases/${id}`, { token });
      expect(res.status).toBe(404);
      expect(res.json.error.code).toBe('not_found');
    }
    expect((await call('GET', `/v1/purchases/${id}`)).status).toBe(401);
    expect((await call('GET', '/v1/purchases/pur_0123456789abcdefXYZ', { token: viewer.token })).status).toBe(404);
    expect((await call('GET', '/v1/purchases/not-an-id', { token: viewer.token })).status).toBe(404);
  });

  it('lists only the caller’s own paid purchases, newest first', async () => {
    const { owner, series, ep2, ep3 } = await publishedSeries();
    const other = await publishedSeries();
    const viewer = await signup();
    const stranger = await signup();

    await buy(stranger.token, { episodeId: ep3.id });
    const pending = await startCheckout(viewer.token, { episodeId: ep3.id });
    expect(pending.status).toBe(201);
    const cancelled = await startCheckout(viewer.token, { episodeId: other.ep3.id });
    await submitCheckout(cancelled.json.checkoutUrl, 'cancel');

    const first = await buy(viewer.token, { episodeId: ep2.id });
    const second = await buy(viewer.token, { seriesId: other.series.id });

    const res = await call('GET', '/v1/me/purchases', { token: viewer.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toContain('no-store');
    const list = res.json.purchases as any[];
    expect(list.map((p) => p.id).sort()).toEqual([first, second].sort());
    for (const p of list) expect(p.status).toBe('paid');
    const byId = new Map(list.map((p) => [p.id, p]));
    expect(byId.get(first)).toMatchObject({
      kind: 'episode',
      amount: 199,
      series: { id: series.id, title: 'My Series' },
      creator: { handle: owner.handle, displayName: 'Demo Creator' },
      episode: { id: ep2.id, title: 'Part 2', number: 2 },
    });
    expect(byId.get(second)).toMatchObject({ kind: 'series', amount: 499, episode: null, series: { id: other.series.id } });
    expect(Date.parse(list[0].paidAt)).toBeGreaterThanOrEqual(Date.parse(list[1].paidAt));

    const theirs = await call('GET', '/v1/me/purchases', { token: stranger.token });
    expect(theirs.json.purchases).toHaveLength(1);
    expect(theirs.json.purchases[0].episode.id).toBe(ep3.id);
    expect((await call('GET', '/v1/me/purchases', { token: (await signup()).token })).json.purchases).toEqual([]);
    expect((await call('GET', '/v1/me/purchases')).status).toBe(401);
  });
});
