// Temporary discounts (issue 20): set by the creator on a series' episodes, one episode or the whole series; shown
// as "$2.99 → $1.49 until Dec 12" on every page and charged by the ledger, never below the currency's minimum and
// never stacked; the purchase records list price, discount and amount charged.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  buy,
  call,
  creator,
  expectError,
  idemKey,
  publishedSeries,
  signup,
  startCheckout,
  submitCheckout,
} from './helpers';
import { ledger, pagePath } from './checkout-helpers';
import { expectInvariants } from './invariants';

const HOUR = 3_600_000;
const inHours = (h: number) => new Date(Date.now() + h * HOUR).toISOString();

async function discount(token: string, seriesId: string, body: Record<string, unknown>) {
  return call('POST', `/v1/series/${seriesId}/discounts`, { token, body: { endsAt: inHours(48), ...body } });
}

async function created(token: string, seriesId: string, body: Record<string, unknown>) {
  const res = await discount(token, seriesId, body);
  expect(res.status, res.text).toBe(201);
  return res.json.discount as { id: string; status: string; endsAt: string };
}

const publicSeries = async (seriesId: string) => (await call('GET', `/v1/series/${seriesId}`)).json.series;

/** The last day a discount ending at `iso` is in force, as the page writes it ("3 Dec", "3 déc."). */
const lastDay = (iso: string, locale = 'en') =>
  new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(Date.parse(iso) - 1),
  );

describe('temporary discounts', () => {
  it('takes a percentage off one episode: shown everywhere, charged, and recorded with its list price', async () => {
    const { owner, series, ep2, ep3 } = await publishedSeries();
    const d = await created(owner.token, series.id, {
      scope: 'episode',
      episodeId: ep3.id,
      kind: 'percent',
      value: 50,
    });
    expect(d.status).toBe('live');
    // 50% of $2.99 is $1.495 off, rounded to the nearest cent: $1.50 off; episode 2 is untouched.
    const pub = await publicSeries(series.id);
    const byId = Object.fromEntries(pub.episodes.map((e: { id: string }) => [e.id, e]));
    expect(byId[ep3.id]).toMatchObject({ price: 299, sale: { price: 149, endsAt: d.endsAt } });
    expect(byId[ep2.id].sale).toBeNull();
    expect(pub.bundleSale).toBeNull();

    const page = await call('GET', `/@${owner.handle}/${series.slug}/3`);
    expect(page.text).toContain(`$2.99 → $1.49 until ${lastDay(d.endsAt)}`);
    expect(page.text).toContain(`$1.49 instead of $2.99, until ${lastDay(d.endsAt)}`);
    expect(page.text).toContain('data-amount="149"');
    const fr = await call('GET', `/@${owner.handle}/${series.slug}/3`, { headers: { 'Accept-Language': 'fr' } });
    expect(fr.text).toContain(`2,99\u00a0$US → 1,49\u00a0$US jusqu’au ${lastDay(d.endsAt, 'fr')}`);

    const buyer = await signup();
    // The player's 402 offers it at the discounted price too, as checkout charges it.
    const locked = await call('GET', `/v1/episodes/${ep3.id}/access`, { token: buyer.token });
    expect(locked.status).toBe(402);
    expect(locked.json.price).toEqual({ amount: 149, currency: 'USD' });
    expect(locked.json.buyOptions[0]).toEqual({ kind: 'episode', episodeId: ep3.id, amount: 149, currency: 'USD' });
    const co = await startCheckout(buyer.token, { episodeId: ep3.id });
    expect(co.status).toBe(201);
    expect(co.json.purchase).toMatchObject({ amount: 149, listAmount: 299, discountAmount: 150 });
    const checkoutPage = (await call('GET', pagePath(co.json.checkoutUrl))).text;
    expect(checkoutPage).toContain('Pay $1.49');
    expect(checkoutPage).toContain('List price $2.99: you save $1.50');
    await submitCheckout(co.json.checkoutUrl);
    expect(await ledger(co.json.purchaseId)).toMatchObject({
      status: 'paid',
      amount: 149,
      list_amount: 299,
      discount_amount: 150,
      discount_id: d.id,
      commission_amount: 0,
      payout_amount: 149,
    });
    const summary = await call('GET', `/v1/analytics/summary?seriesId=${series.id}`, { token: owner.token });
    expect(summary.json.totals[0]).toMatchObject({ sales: 1, gross: 149, payout: 149 });
    await expectInvariants();
  });

  it('never goes below the currency minimum, and a fixed amount off applies to every episode', async () => {
    const { owner, series, ep2, ep3 } = await publishedSeries();
    await created(owner.token, series.id, { scope: 'episodes', kind: 'fixed', value: 150 });
    const pub = await publicSeries(series.id);
    const prices = pub.episodes.map((e: { sale: { price: number } | null }) => e.sale?.price ?? null);
    // Trailer free; $1.99 - $1.50 would be $0.49: held at $0.99; $2.99 - $1.50 = $1.49.
    expect(prices).toEqual([null, 99, 149]);
    const buyer = await signup();
    expect((await startCheckout(buyer.token, { episodeId: ep2.id })).json.purchase.amount).toBe(99);
    expect((await startCheckout(buyer.token, { episodeId: ep3.id })).json.purchase.amount).toBe(149);
  });

  it('does not stack: the lowest price of the discounts in force wins', async () => {
    const { owner, series, ep3 } = await publishedSeries();
    await created(owner.token, series.id, { scope: 'episodes', kind: 'percent', value: 10 });
    const best = await created(owner.token, series.id, {
      scope: 'episode',
      episodeId: ep3.id,
      kind: 'fixed',
      value: 100,
    });
    await created(owner.token, series.id, { scope: 'episode', episodeId: ep3.id, kind: 'percent', value: 20 });
    const buyer = await signup();
    const co = await startCheckout(buyer.token, { episodeId: ep3.id });
    // 10% → 269, 20% → 239, $1 off → 199 (not 299 − 100 − 30 − 60).
    expect(co.json.purchase).toMatchObject({ amount: 199, discountAmount: 100 });
    const row = await env.DB.prepare('SELECT discount_id FROM purchases WHERE id = ?')
      .bind(co.json.purchaseId)
      .first<{ discount_id: string }>();
    expect(row?.discount_id).toBe(best.id);
  });

  it('discounts the whole series before the buyer’s "complete the series" credit', async () => {
    const { owner, series, ep2 } = await publishedSeries();
    await created(owner.token, series.id, { scope: 'bundle', kind: 'percent', value: 20 });
    const pub = await publicSeries(series.id);
    expect(pub.bundleSale).toMatchObject({ price: 399 });
    const seriesPage = await call('GET', `/@${owner.handle}/${series.slug}`);
    expect(seriesPage.text).toContain('Buy all — $3.99');
    expect(seriesPage.text).toContain('$4.99 → $3.99 until');

    const fresh = await signup();
    const viewer = await call('GET', `/v1/viewer?seriesId=${series.id}`, { token: fresh.token });
    expect(viewer.json.offers.wholeSeries).toEqual({ amount: 399, fullAmount: 399, currency: 'USD' });

    const owning = await signup();
    await buy(owning.token, { episodeId: ep2.id });
    const offered = await call('GET', `/v1/viewer?seriesId=${series.id}`, { token: owning.token });
    // $3.99 less the $1.99 paid for episode 2.
    expect(offered.json.offers.wholeSeries).toEqual({ amount: 200, fullAmount: 399, currency: 'USD' });
    const co = await startCheckout(owning.token, { seriesId: series.id });
    expect(co.json.purchase).toMatchObject({ amount: 200, listAmount: 499, discountAmount: 100 });
    await submitCheckout(co.json.checkoutUrl);
    await expectInvariants();
  });

  it('applies only while in force: a scheduled one waits, an ended one stops, a started checkout keeps its price', async () => {
    const { owner, series, ep2 } = await publishedSeries();
    const later = await created(owner.token, series.id, {
      scope: 'episodes',
      kind: 'percent',
      value: 50,
      startsAt: inHours(24),
      endsAt: inHours(30),
    });
    expect(later.status).toBe('scheduled');
    const buyer = await signup();
    expect((await startCheckout(buyer.token, { episodeId: ep2.id })).json.purchase.amount).toBe(199);
    expect((await publicSeries(series.id)).episodes[1].sale).toBeNull();
    // Cancelling a scheduled discount deletes it; nothing was sold with it.
    const gone = await call('DELETE', `/v1/discounts/${later.id}`, { token: owner.token });
    expect(gone.json).toEqual({ discount: null, deleted: true });

    const now = await created(owner.token, series.id, { scope: 'episodes', kind: 'percent', value: 50 });
    const key = idemKey();
    const other = await signup();
    const co = await startCheckout(other.token, { episodeId: ep2.id }, key);
    // Half of $1.99 is $0.995 off: held at the $0.99 minimum.
    expect(co.json.purchase.amount).toBe(99);
    // Backdate its start so that ending it now cuts it short rather than deleting it.
    await env.DB.prepare('UPDATE discounts SET starts_at = starts_at - 60000 WHERE id = ?').bind(now.id).run();
    const ended = await call('DELETE', `/v1/discounts/${now.id}`, { token: owner.token });
    expect(ended.json.discount.status).toBe('ended');
    expect((await publicSeries(series.id)).episodes[1].sale).toBeNull();
    // The retry of the checkout started during the discount keeps its price; a new one pays the list price.
    const retry = await startCheckout(other.token, { episodeId: ep2.id }, key);
    expect(retry.status).toBe(200);
    expect(retry.json.purchase.amount).toBe(99);
    expect((await startCheckout(await signup().then((u) => u.token), { episodeId: ep2.id })).json.purchase.amount).toBe(
      199,
    );
    const list = await call('GET', `/v1/series/${series.id}/discounts`, { token: owner.token });
    expect(list.json.discounts.map((x: { id: string; status: string }) => [x.id, x.status])).toEqual([
      [now.id, 'ended'],
    ]);
  });

  it('never changes the price silently: a checkout at another price than shown answers 409 price_changed', async () => {
    const { owner, series, ep3 } = await publishedSeries();
    const buyer = await signup();
    const shown = 299;
    await created(owner.token, series.id, { scope: 'episode', episodeId: ep3.id, kind: 'percent', value: 50 });
    const res = await call('POST', '/v1/checkout', {
      token: buyer.token,
      headers: { 'Idempotency-Key': idemKey() },
      body: { episodeId: ep3.id, expectedAmount: shown },
    });
    expectError(res, 409, 'price_changed');
    expect(res.json.price).toEqual({ amount: 149, currency: 'USD', listAmount: 299 });
    const { n } = (await env.DB.prepare('SELECT COUNT(*) AS n FROM purchases WHERE buyer_id = ?')
      .bind(buyer.user.id)
      .first<{ n: number }>())!;
    expect(n).toBe(0);
    const ok = await call('POST', '/v1/checkout', {
      token: buyer.token,
      headers: { 'Idempotency-Key': idemKey() },
      body: { episodeId: ep3.id, expectedAmount: 149 },
    });
    expect(ok.status).toBe(201);
  });

  it('refuses bad discounts, and other creators’ series and discounts are not found', async () => {
    const { owner, series, trailer, ep2 } = await publishedSeries();
    const invalid = async (body: Record<string, unknown>, status = 400) =>
      expect((await discount(owner.token, series.id, body)).status).toBe(status);
    await invalid({ scope: 'episodes', kind: 'percent', value: 100 });
    await invalid({ scope: 'episodes', kind: 'percent', value: 0 });
    await invalid({ scope: 'episode', kind: 'percent', value: 10 });
    await invalid({ scope: 'episodes', episodeId: ep2.id, kind: 'percent', value: 10 });
    await invalid({ scope: 'episodes', kind: 'percent', value: 10, startsAt: inHours(5), endsAt: inHours(4) });
    expectError(
      await discount(owner.token, series.id, { scope: 'episodes', kind: 'fixed', value: 10, endsAt: inHours(-1) }),
      422,
      'discount_ended',
    );
    expectError(
      await discount(owner.token, series.id, { scope: 'episodes', kind: 'fixed', value: 10, endsAt: inHours(24 * 93) }),
      422,
      'discount_too_long',
    );
    expectError(
      await discount(owner.token, series.id, { scope: 'episode', episodeId: trailer.id, kind: 'percent', value: 10 }),
      409,
      'episode_free',
    );
    const perEpisode = await publishedSeries({ bundlePrice: null });
    expectError(
      await discount(perEpisode.owner.token, perEpisode.series.id, { scope: 'bundle', kind: 'percent', value: 10 }),
      409,
      'no_bundle_price',
    );
    // Another creator's episode in this series' discount, or this series from another creator: not found.
    expectError(
      await discount(owner.token, series.id, {
        scope: 'episode',
        episodeId: perEpisode.ep2.id,
        kind: 'percent',
        value: 10,
      }),
      404,
      'not_found',
    );
    const stranger = await creator('approved');
    expectError(
      await discount(stranger.token, series.id, { scope: 'episodes', kind: 'percent', value: 10 }),
      404,
      'not_found',
    );
    const mine = await created(owner.token, series.id, { scope: 'episodes', kind: 'percent', value: 10 });
    expectError(await call('DELETE', `/v1/discounts/${mine.id}`, { token: stranger.token }), 404, 'not_found');
    expectError(await call('GET', `/v1/series/${series.id}/discounts`, { token: stranger.token }), 404, 'not_found');
    const buyer = await signup();
    expectError(
      await discount(buyer.token, series.id, { scope: 'episodes', kind: 'percent', value: 10 }),
      403,
      'creator_required',
    );
  });

  it('holds at most 20 discounts that have not ended per series, under concurrent requests', async () => {
    const { owner, series } = await publishedSeries();
    const results = await Promise.all(
      Array.from({ length: 26 }, () =>
        discount(owner.token, series.id, { scope: 'episodes', kind: 'percent', value: 5 }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(20);
    for (const r of results.filter((r) => r.status !== 201)) expectError(r, 409, 'too_many_discounts');
  });
});
