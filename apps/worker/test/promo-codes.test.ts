// Promo codes (issue 20): a creator's codes for one series or all of them; applied at checkout (never stacked with a
// discount: the lower price wins), with a maximum of redemptions held under concurrency, one per buyer, released
// when a checkout lapses or is cancelled; every refusal a 4xx with a stable code and nothing created.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  buy,
  call,
  createSeries,
  creator,
  expectError,
  idemKey,
  publishedSeries,
  signup,
  submitCheckout,
} from './helpers';
import { ledger, pagePath } from './checkout-helpers';
import { expectInvariants } from './invariants';

const HOUR = 3_600_000;
const inHours = (h: number) => new Date(Date.now() + h * HOUR).toISOString();

async function makeCode(token: string, body: Record<string, unknown>) {
  const res = await call('POST', '/v1/me/promo-codes', { token, body });
  expect(res.status, res.text).toBe(201);
  return res.json.promoCode as { id: string; code: string; status: string };
}

const checkout = (token: string, body: Record<string, unknown>, key = idemKey()) =>
  call('POST', '/v1/checkout', { token, body, headers: { 'Idempotency-Key': key } });

const purchasesOf = async (buyerId: string) =>
  (await env.DB.prepare('SELECT COUNT(*) AS n FROM purchases WHERE buyer_id = ?').bind(buyerId).first<{ n: number }>())!
    .n;

describe('promo codes at checkout', () => {
  it('takes its reduction off, is recorded on the purchase, counted as a redemption and shown to its creator', async () => {
    const { owner, series, ep3 } = await publishedSeries();
    const code = await makeCode(owner.token, { code: 'launch-25', seriesId: series.id, kind: 'percent', value: 25 });
    expect(code).toMatchObject({ code: 'LAUNCH-25', status: 'active' });
    const buyer = await signup();
    // Typed in any case, with spaces around.
    const co = await checkout(buyer.token, { episodeId: ep3.id, promoCode: ' Launch-25 ' });
    expect(co.status, co.text).toBe(201);
    // 25% of $2.99 is $0.7475 off, rounded: $0.75.
    expect(co.json.purchase).toMatchObject({ amount: 224, listAmount: 299, discountAmount: 75 });
    expect(co.json.promoCode).toEqual({ code: 'LAUNCH-25', applied: true });
    const page = (await call('GET', pagePath(co.json.checkoutUrl))).text;
    expect(page).toContain('Pay $2.24');
    expect(page).toContain('List price $2.99: you save $0.75');
    const held = await call('GET', '/v1/me/promo-codes', { token: owner.token });
    expect(held.json.promoCodes[0]).toMatchObject({ redemptions: 0, openCheckouts: 1 });
    await submitCheckout(co.json.checkoutUrl);
    expect(await ledger(co.json.purchaseId)).toMatchObject({
      status: 'paid',
      amount: 224,
      list_amount: 299,
      discount_amount: 75,
      promo_code_id: code.id,
      discount_id: null,
      payout_amount: 224,
    });
    const list = await call('GET', '/v1/me/promo-codes', { token: owner.token });
    expect(list.json.promoCodes[0]).toMatchObject({ redemptions: 1, openCheckouts: 0, gross: 224, discounted: 75 });
    const redemptions = await call('GET', `/v1/me/promo-codes/${code.id}/redemptions`, { token: owner.token });
    expect(redemptions.json.redemptions).toEqual([
      expect.objectContaining({ purchaseId: co.json.purchaseId, listAmount: 299, discounted: 75, amount: 224 }),
    ]);
    // Analytics: gross before and after discounts, all time and for a bounded range (today).
    const today = new Date().toISOString().slice(0, 10);
    for (const range of ['', `?from=${today}&to=${today}`]) {
      const summary = await call('GET', `/v1/analytics/summary${range}`, { token: owner.token });
      expect(summary.json.totals[0]).toMatchObject({ currency: 'USD', sales: 1, gross: 224 });
      expect(summary.json.discounts).toEqual([{ currency: 'USD', grossBeforeDiscounts: 299, discounts: 75 }]);
    }
    // Never the buyer.
    expect(redemptions.text).not.toContain(buyer.user.id);
    expect(redemptions.text).not.toContain(buyer.email);
    await expectInvariants();
  });

  it('does not stack with a discount: the lower price wins, and an unneeded code is not used', async () => {
    const { owner, series, ep3 } = await publishedSeries();
    await makeCode(owner.token, { code: 'SMALL', kind: 'fixed', value: 50 });
    await makeCode(owner.token, { code: 'BIG', kind: 'percent', value: 60 });
    const sale = await call('POST', `/v1/series/${series.id}/discounts`, {
      token: owner.token,
      body: { scope: 'episodes', kind: 'percent', value: 30, endsAt: inHours(24) },
    });
    expect(sale.status).toBe(201);
    const buyer = await signup();
    // The discount gives $2.09; $0.50 off gives $2.49: the code is not used, and not counted.
    const small = await checkout(buyer.token, { episodeId: ep3.id, promoCode: 'small' });
    expect(small.json.purchase).toMatchObject({ amount: 209, discountAmount: 90 });
    expect(small.json.promoCode).toEqual({ code: 'SMALL', applied: false });
    expect((await ledger(small.json.purchaseId))!).toMatchObject({
      promo_code_id: null,
      discount_id: sale.json.discount.id,
    });
    // 60% off gives $1.20 (not 30% then 60%).
    const other = await signup();
    const big = await checkout(other.token, { episodeId: ep3.id, promoCode: 'BIG' });
    expect(big.json.purchase).toMatchObject({ amount: 120, discountAmount: 179 });
  });

  it('prices the whole series with the code before the buyer’s "complete the series" credit, never below the minimum', async () => {
    const { owner, series, ep2 } = await publishedSeries();
    await makeCode(owner.token, { code: 'HALF', kind: 'percent', value: 50 });
    await makeCode(owner.token, { code: 'HUGE', kind: 'fixed', value: 10_000 });
    const buyer = await signup();
    await buy(buyer.token, { episodeId: ep2.id });
    // $4.99 at half ($2.50 off, rounded) is $2.49, less the $1.99 paid for episode 2: $0.50, held at the $0.99 minimum.
    const co = await checkout(buyer.token, { seriesId: series.id, promoCode: 'HALF' });
    expect(co.json.purchase.amount).toBe(99);
    const fresh = await signup();
    const huge = await checkout(fresh.token, { episodeId: ep2.id, promoCode: 'HUGE' });
    expect(huge.json.purchase).toMatchObject({ amount: 99, discountAmount: 100 });
  });

  it('refuses an unknown, paused, expired, used, used-up or foreign code with a stable code, creating nothing', async () => {
    const { owner, series, ep2, ep3 } = await publishedSeries();
    const other = await publishedSeries();
    const elsewhere = await createSeries(owner.token, { title: 'Another' });
    const paused = await makeCode(owner.token, { code: 'PAUSED1', kind: 'percent', value: 10 });
    expect(
      (await call('PATCH', `/v1/me/promo-codes/${paused.id}`, { token: owner.token, body: { paused: true } })).json,
    ).toMatchObject({ promoCode: { status: 'paused' } });
    const expired = await makeCode(owner.token, { code: 'OLD', kind: 'percent', value: 10, expiresAt: inHours(1) });
    await env.DB.prepare('UPDATE promo_codes SET expires_at = ? WHERE id = ?')
      .bind(Date.now() - 1, expired.id)
      .run();
    await makeCode(owner.token, { code: 'ONCE', kind: 'percent', value: 10, maxRedemptions: 1 });
    await makeCode(owner.token, { code: 'OTHERSERIES', kind: 'percent', value: 10, seriesId: elsewhere.id });
    await makeCode(other.owner.token, { code: 'THEIRS', kind: 'percent', value: 10 });
    // Two creators may each have a code written the same: each applies to its own creator's series.
    await makeCode(other.owner.token, { code: 'ONCE', kind: 'percent', value: 90 });

    const buyer = await signup();
    const refused = async (promoCode: string, status: number, code: string) => {
      const before = await purchasesOf(buyer.user.id);
      expectError(await checkout(buyer.token, { episodeId: ep2.id, promoCode }), status, code);
      expect(await purchasesOf(buyer.user.id)).toBe(before);
    };
    await refused('NOPE', 422, 'promo_code_unknown');
    await refused('not a code!', 422, 'promo_code_unknown');
    await refused('PAUSED1', 422, 'promo_code_paused');
    await refused('old', 422, 'promo_code_expired');
    await refused('THEIRS', 422, 'promo_code_other_creator');
    await refused('OTHERSERIES', 422, 'promo_code_other_series');

    // ONCE: this creator's (10% off), taken by a first buyer; its maximum then refuses anyone else.
    const first = await checkout(buyer.token, { episodeId: ep2.id, promoCode: 'ONCE' });
    expect(first.json.purchase.amount).toBe(179);
    await refused('ONCE', 409, 'promo_code_used');
    const second = await signup();
    expectError(await checkout(second.token, { episodeId: ep3.id, promoCode: 'ONCE' }), 409, 'promo_code_exhausted');
    expect(await purchasesOf(second.user.id)).toBe(0);
    // Resumed, the paused code applies again.
    await call('PATCH', `/v1/me/promo-codes/${paused.id}`, { token: owner.token, body: { paused: false } });
    expect((await checkout(second.token, { episodeId: ep3.id, promoCode: 'paused1' })).status).toBe(201);
  });

  it('releases a redemption held by a cancelled or expired checkout', async () => {
    const { owner, ep2, ep3 } = await publishedSeries();
    await makeCode(owner.token, { code: 'SOLO', kind: 'fixed', value: 50, maxRedemptions: 1 });
    const a = await signup();
    const held = await checkout(a.token, { episodeId: ep2.id, promoCode: 'SOLO' });
    const b = await signup();
    expectError(await checkout(b.token, { episodeId: ep2.id, promoCode: 'SOLO' }), 409, 'promo_code_exhausted');
    // Cancelled on the payment page: the redemption is free again.
    expect((await submitCheckout(held.json.checkoutUrl, 'cancel')).status).toBe(303);
    const taken = await checkout(b.token, { episodeId: ep2.id, promoCode: 'SOLO' });
    expect(taken.status).toBe(201);
    // Its hour passes unpaid: free again, and the buyer who let it lapse may use it.
    await env.DB.prepare('UPDATE purchases SET expires_at = ? WHERE id = ?')
      .bind(Date.now() - 1, taken.json.purchaseId)
      .run();
    const again = await checkout(b.token, { episodeId: ep3.id, promoCode: 'SOLO' });
    expect(again.status).toBe(201);
    await submitCheckout(again.json.checkoutUrl);
    expectError(await checkout(a.token, { episodeId: ep2.id, promoCode: 'SOLO' }), 409, 'promo_code_exhausted');
    await expectInvariants();
  });

  it('holds its maximum under many concurrent checkouts, and the ledger stays whole', async () => {
    const { owner, series, ep2, ep3 } = await publishedSeries();
    const max = 3;
    const code = await makeCode(owner.token, { code: 'RACE', kind: 'percent', value: 20, maxRedemptions: max });
    const buyers = await Promise.all(Array.from({ length: 12 }, () => signup()));
    const results = await Promise.all(
      buyers.map((b, i) =>
        checkout(b.token, {
          ...(i % 3 ? { episodeId: i % 2 ? ep2.id : ep3.id } : { seriesId: series.id }),
          promoCode: 'RACE',
        }),
      ),
    );
    const won = results.filter((r) => r.status === 201);
    expect(won).toHaveLength(max);
    for (const r of results.filter((r) => r.status !== 201)) expectError(r, 409, 'promo_code_exhausted');
    // Paid concurrently (and twice each), the redemptions stay at the maximum.
    await Promise.all(won.flatMap((r) => [submitCheckout(r.json.checkoutUrl), submitCheckout(r.json.checkoutUrl)]));
    const held = await env.DB.prepare(
      'SELECT COUNT(*) AS n FROM purchases WHERE promo_code_id = ? AND paid_at IS NOT NULL',
    )
      .bind(code.id)
      .first<{ n: number }>();
    expect(held!.n).toBe(max);
    const list = await call('GET', '/v1/me/promo-codes', { token: owner.token });
    expect(list.json.promoCodes[0]).toMatchObject({ redemptions: max, status: 'used_up' });
    await expectInvariants();
  });

  it('offers the storefront’s code field on pages that sell, in English and French', async () => {
    const { owner, series } = await publishedSeries();
    const en = await call('GET', `/@${owner.handle}/${series.slug}`);
    expect(en.text).toContain('<summary>Have a promo code?</summary>');
    expect(en.text).toContain('<label for="sf-promo">Promo code</label>');
    expect((await call('GET', `/@${owner.handle}/${series.slug}/2`)).text).toContain('id="sf-promo"');
    const fr = await call('GET', `/@${owner.handle}/${series.slug}`, { headers: { 'Accept-Language': 'fr' } });
    expect(fr.text).toContain('Vous avez un code promo\u202f?');
    // The free trailer's page sells nothing: no field.
    expect((await call('GET', `/@${owner.handle}/${series.slug}/1`)).text).not.toContain('id="sf-promo"');
  });

  it('lets a creator manage only their own codes', async () => {
    const { owner, series } = await publishedSeries();
    const stranger = await creator('approved');
    const code = await makeCode(owner.token, { code: 'MINE', kind: 'percent', value: 10, seriesId: series.id });
    expectError(
      await call('POST', '/v1/me/promo-codes', {
        token: owner.token,
        body: { code: 'mine', kind: 'fixed', value: 10 },
      }),
      409,
      'promo_code_taken',
    );
    expectError(
      await call('POST', '/v1/me/promo-codes', {
        token: stranger.token,
        body: { code: 'X12', kind: 'fixed', value: 10, seriesId: series.id },
      }),
      404,
      'not_found',
    );
    expectError(
      await call('PATCH', `/v1/me/promo-codes/${code.id}`, { token: stranger.token, body: { paused: true } }),
      404,
      'not_found',
    );
    expectError(
      await call('GET', `/v1/me/promo-codes/${code.id}/redemptions`, { token: stranger.token }),
      404,
      'not_found',
    );
    expect((await call('GET', '/v1/me/promo-codes', { token: stranger.token })).json.promoCodes).toEqual([]);
    for (const body of [
      { code: 'ab', kind: 'fixed', value: 10 },
      { code: 'has space', kind: 'fixed', value: 10 },
      { code: 'OK1', kind: 'percent', value: 100 },
      { code: 'OK2', kind: 'fixed', value: 0 },
      { code: 'OK3', kind: 'fixed', value: 10, maxRedemptions: 0 },
    ]) {
      expect((await call('POST', '/v1/me/promo-codes', { token: owner.token, body })).status).toBe(400);
    }
    expectError(
      await call('POST', '/v1/me/promo-codes', {
        token: owner.token,
        body: { code: 'PAST', kind: 'fixed', value: 10, expiresAt: inHours(-1) },
      }),
      422,
      'promo_code_expired',
    );
  });
});
