import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  addEpisode,
  admin,
  buy,
  call,
  createSeries,
  installVideo,
  publishedSeries,
  signup,
  startCheckout,
  submitCheckout,
  uniqueEmail,
  uniqueHandle,
} from './helpers';
import { ledger, purchasesOf, pagePath, sigOf, postForm, purchaseStatus, salesOf } from './checkout-helpers';

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
      // Not base64url at all (a length no encoding has, stray bits in the last character): still a 404, never a 500.
      `/checkout/${id}?sig=${sig}AA`,
      `/checkout/${id}?sig=A`,
      `/checkout/${id}?sig=${sig.slice(0, -1)}${sig.at(-1) === 'B' ? 'C' : 'B'}`,
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
      for (const bad of [null, '', flipped, sigOf(other.json.checkoutUrl), `${sig}AA`, 'A']) {
        const res = await postForm(id, action, bad);
        expect(res.status, `${action} ${bad}`).toBe(404);
      }
    }
    const row = await ledger(id);
    expect(row).toMatchObject({ status: 'pending', paid_at: null, status_reason: null });
    expect((await ledger(other.json.purchaseId))!.status).toBe('pending');
  });

  it('reads at most 4 KB of a Pay or Cancel form, and none of it before the address checks out', async () => {
    const { ep2 } = await publishedSeries();
    const viewer = await signup();
    const co = await startCheckout(viewer.token, { episodeId: ep2.id });
    const id = co.json.purchaseId as string;
    const sig = sigOf(co.json.checkoutUrl);
    /** Posts a 1 MB form as a stream with no length; how many of its bytes the worker pulled. */
    const stream = async (path: string) => {
      let pulled = 0;
      const chunk = new TextEncoder().encode(`sig=${sig}&pad=${'x'.repeat(1024 - 9 - sig.length)}`); // 1 KB
      const body = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            if (pulled >= 1024 * 1024) return controller.close();
            pulled += chunk.length;
            controller.enqueue(chunk);
          },
        },
        { highWaterMark: 0 },
      );
      const worker = (exports as unknown as { default: { fetch(req: Request): Promise<Response> } }).default;
      const res = await worker.fetch(
        new Request(`http://api.test${path}`, {
          method: 'POST',
          body,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          duplex: 'half',
        } as RequestInit),
      );
      return { status: res.status, text: await res.text(), pulled };
    };

    const big = await stream(`/checkout/${id}/pay`);
    expect(big.status).toBe(413);
    expect(big.text).toContain('Too much data');
    expect(big.pulled).toBeGreaterThan(4 * 1024);
    expect(big.pulled).toBeLessThanOrEqual(8 * 1024);
    // A declared length over the limit is refused before reading, a valid signature notwithstanding.
    const declared = await call('POST', `/checkout/${id}/pay`, {
      raw: new URLSearchParams({ sig, pad: 'x'.repeat(5000) }).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(declared.status).toBe(413);
    // Not a purchase id, or not an action: 404, the body left unread (the runtime may buffer one chunk ahead).
    for (const path of [
      '/checkout/not-a-purchase/pay',
      `/checkout/${id}/refund`,
      `/checkout/${id.replace('pur_', 'ser_')}/cancel`,
    ]) {
      const refused = await stream(path);
      expect(refused.status, path).toBe(404);
      expect(refused.pulled, path).toBeLessThanOrEqual(1024);
    }
    // A form that cannot parse carries no signature: 404, not a 500.
    const broken = await call('POST', `/checkout/${id}/pay`, {
      raw: '--x\r\nnot a part',
      headers: { 'Content-Type': 'multipart/form-data; boundary=x' },
    });
    expect(broken.status).toBe(404);
    expect((await ledger(id))!.status).toBe('pending');
    // The form as the page sends it still pays.
    expect((await postForm(id, 'pay', sig)).status).toBe(303);
    expect((await ledger(id))!.status).toBe('paid');
  });

  it('answers 404 to an unknown action, even with a valid signature', async () => {
    const { ep2 } = await publishedSeries();
    const viewer = await signup();
    const co = await startCheckout(viewer.token, { episodeId: ep2.id });
    const res = await postForm(co.json.purchaseId, 'refund', sigOf(co.json.checkoutUrl));
    expect(res.status).toBe(404);
    expect((await call('GET', `/checkout/${co.json.purchaseId}/pay?sig=${sigOf(co.json.checkoutUrl)}`)).status).toBe(
      404,
    );
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
    await installVideo(account.token, ep.id);
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
    await env.DB.prepare('UPDATE purchases SET expires_at = ? WHERE id = ?')
      .bind(Date.now() - 1000, co.json.purchaseId)
      .run();

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
    await env.DB.prepare('UPDATE purchases SET expires_at = ? WHERE id = ?')
      .bind(Date.now() - 1000, co.json.purchaseId)
      .run();
    expect(await purchaseStatus(viewer.token, co.json.purchaseId)).toMatchObject({
      status: 'expired',
      statusReason: 'expired',
    });
  });

  for (const [label, takeOffSale] of [
    [
      'the creator is suspended',
      async (o: { handle: string; token: string }, _seriesId: string) =>
        call('POST', `/v1/admin/creators/${o.handle}/suspend`, { token: await admin() }),
    ],
    [
      'the series is unpublished',
      async (o: { handle: string; token: string }, seriesId: string) =>
        call('POST', `/v1/series/${seriesId}/unpublish`, { token: o.token }),
    ],
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
      { currency: 'USD', sales: 1, gross: 199, refunded: 0, commission: 0, payout: 199, tax: 0, buyers: 1 },
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
    await Promise.all(
      checkouts.flatMap((co) => [submitCheckout(co.json.checkoutUrl), submitCheckout(co.json.checkoutUrl)]),
    );
    const rows = await purchasesOf(viewer.user.id);
    expect(rows).toHaveLength(3);
    expect(rows.filter((r) => r.status === 'paid')).toHaveLength(1);
    const losers = rows.filter((r) => r.status !== 'paid');
    expect(losers).toHaveLength(2);
    for (const r of losers)
      expect(r).toMatchObject({ status: 'cancelled', status_reason: 'already_owned', paid_at: null });
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
    expect(byId.get(second)).toMatchObject({
      kind: 'series',
      amount: 499,
      episode: null,
      series: { id: other.series.id },
    });
    expect(Date.parse(list[0].paidAt)).toBeGreaterThanOrEqual(Date.parse(list[1].paidAt));

    const theirs = await call('GET', '/v1/me/purchases', { token: stranger.token });
    expect(theirs.json.purchases).toHaveLength(1);
    expect(theirs.json.purchases[0].episode.id).toBe(ep3.id);
    expect((await call('GET', '/v1/me/purchases', { token: (await signup()).token })).json.purchases).toEqual([]);
    expect((await call('GET', '/v1/me/purchases')).status).toBe(401);
  });
});
