// Buyers' ratings (issue 21): only buyers rate, once, and edit; the average and count in every public series answer
// and on the storefront; the creator's one reply; a fully refunded purchase's rating stops counting.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { recordRefund } from '../src/ledger/adjustment-queries';
import { purgePublic } from '../src/lib/public-cache';
import { buy, call, creator, expectError, expectInvalid, PASSWORD, publishedSeries, signup } from './helpers';

async function rate(token: string, seriesId: string, body: unknown) {
  return call('POST', `/v1/series/${seriesId}/reviews`, { token, body });
}

/** A published series with a buyer of episode 2 (and that purchase). */
async function withBuyer() {
  const fixture = await publishedSeries();
  const buyer = await signup();
  const purchaseId = await buy(buyer.token, { episodeId: fixture.ep2.id });
  return { ...fixture, buyer, purchaseId };
}

/** Refunds a test-mode purchase as the provider's refund event would (its payment given a reference first). */
async function refundAll(purchaseId: string, amount?: number) {
  const row = await env.DB.prepare(
    `UPDATE purchases SET payment_ref = COALESCE(payment_ref, 'pi_' || id) WHERE id = ? RETURNING payment_ref, amount`,
  )
    .bind(purchaseId)
    .first<{ payment_ref: string; amount: number }>();
  await recordRefund(env.DB, {
    id: `re_${crypto.randomUUID()}`,
    paymentRef: row!.payment_ref,
    amount: amount ?? row!.amount,
    createdAt: Date.now(),
    failed: false,
  });
}

const publicRating = async (seriesId: string) => (await call('GET', `/v1/series/${seriesId}`)).json.series.rating;

describe('ratings: who may rate', () => {
  it('a buyer rates once (201); a second rating is 409; signed out 401; a non-buyer 403; an unknown series 404', async () => {
    const { series, buyer } = await withBuyer();
    const viewer = await signup();
    expectError(await rate(viewer.token, series.id, { stars: 5 }), 403, 'not_a_buyer');
    expectError(await rate('', series.id, { stars: 5 }), 401, 'unauthorized');
    expectError(await rate(buyer.token, 'ser_0000000000000000nope', { stars: 5 }), 404, 'not_found');
    const first = await rate(buyer.token, series.id, { stars: 4, text: 'Loved the twist.' });
    expect(first.status, first.text).toBe(201);
    expect(first.json.review).toMatchObject({ stars: 4, text: 'Loved the twist.', reply: null, editedAt: null });
    expectError(await rate(buyer.token, series.id, { stars: 2 }), 409, 'already_reviewed');
    const count = await env.DB.prepare('SELECT COUNT(*) AS n FROM reviews WHERE series_id = ?')
      .bind(series.id)
      .first<{ n: number }>();
    expect(count!.n).toBe(1);
  });

  it('concurrent first ratings by one buyer: exactly one is written, the others are 409', async () => {
    const { series, buyer } = await withBuyer();
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => rate(buyer.token, series.id, { stars: 1 + (i % 5) })),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 201)) expectError(a, 409, 'already_reviewed');
    expect(await publicRating(series.id)).toMatchObject({ count: 1 });
  });

  it('bad input is 400 and writes nothing: stars outside 1..5 or not whole, text over 2,000 characters, markup, unknown keys', async () => {
    const { series, buyer } = await withBuyer();
    for (const body of [
      {},
      { stars: 0 },
      { stars: 6 },
      { stars: 3.5 },
      { stars: '5' },
      { stars: 5, text: 'x'.repeat(2001) },
      { stars: 5, text: 'Great <script>alert(1)</script>' },
      { stars: 5, text: '<img src=x onerror=alert(1)>' },
      { stars: 5, text: 'nice </b>' },
      { stars: 5, text: 'bell \u0007' },
      { stars: 5, extra: true },
    ]) {
      const res = await rate(buyer.token, series.id, body);
      expectInvalid(res);
    }
    expect((await rate(buyer.token, series.id, { stars: 5, text: 'y'.repeat(2000) })).status).toBe(201);
  });

  it('the buyer edits their own rating; nobody else can (404), and the edit is dated', async () => {
    const { series, buyer } = await withBuyer();
    const { json } = await rate(buyer.token, series.id, { stars: 2, text: 'Slow start.' });
    const other = await signup();
    expectError(
      await call('PUT', `/v1/reviews/${json.review.id}`, { token: other.token, body: { stars: 1 } }),
      404,
      'not_found',
    );
    const edited = await call('PUT', `/v1/reviews/${json.review.id}`, {
      token: buyer.token,
      body: { stars: 5, text: 'It gets great.' },
    });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.json.review).toMatchObject({ id: json.review.id, stars: 5, text: 'It gets great.' });
    expect(edited.json.review.editedAt).not.toBeNull();
    expect(await publicRating(series.id)).toEqual({ average: 5, count: 1 });
    const mine = await call('GET', `/v1/series/${series.id}/reviews/mine`, { token: buyer.token });
    expect(mine.json).toMatchObject({ canReview: true, review: { id: json.review.id, stars: 5 } });
    const notMine = await call('GET', `/v1/series/${series.id}/reviews/mine`, { token: other.token });
    expect(notMine.json).toEqual({ canReview: false, review: null });
  });
});

describe('ratings: the average and the count', () => {
  it('every public series answer carries the average and count of ratings that count; the list never says who', async () => {
    const { series, owner, buyer, ep3 } = await withBuyer();
    expect(await publicRating(series.id)).toEqual({ average: null, count: 0 });
    const second = await signup();
    await buy(second.token, { seriesId: series.id });
    const third = await signup();
    await buy(third.token, { episodeId: ep3.id });
    await rate(buyer.token, series.id, { stars: 5 });
    await rate(second.token, series.id, { stars: 4, text: 'Good' });
    await rate(third.token, series.id, { stars: 4 });
    // Writes purge the cached answers: the new rating shows at once.
    expect(await publicRating(series.id)).toEqual({ average: 4.33, count: 3 });
    const profile = await call('GET', `/v1/creators/${owner.handle}`);
    expect(profile.json.series[0].rating).toEqual({ average: 4.33, count: 3 });
    const list = await call('GET', `/v1/series/${series.id}/reviews`);
    expect(list.status).toBe(200);
    expect(list.json.rating).toEqual({ average: 4.33, count: 3 });
    expect(list.json.reviews.map((r: { stars: number }) => r.stars)).toEqual([4, 4, 5]);
    for (const who of [buyer, second, third]) {
      expect(list.text).not.toContain(who.user.id);
      expect(list.text).not.toContain(who.email);
    }
  });

  it('a fully refunded purchase’s rating no longer counts; a partial refund keeps it', async () => {
    const { series, owner, buyer, ep3, purchaseId } = await withBuyer();
    const other = await signup();
    const otherPurchase = await buy(other.token, { episodeId: ep3.id });
    await rate(buyer.token, series.id, { stars: 1 });
    await rate(other.token, series.id, { stars: 5 });
    expect(await publicRating(series.id)).toEqual({ average: 3, count: 2 });
    await refundAll(otherPurchase, 50);
    expect((await call('GET', `/v1/series/${series.id}/reviews`)).json.rating).toEqual({ average: 3, count: 2 });
    await refundAll(purchaseId);
    // Nothing about the review changed: every answer reads the ledger (a cached one ages out within its minute).
    await purgePublic([`/v1/series/${series.id}`, `/v1/series/${series.id}/reviews`]);
    expect(await publicRating(series.id)).toEqual({ average: 5, count: 1 });
    const list = await call('GET', `/v1/series/${series.id}/reviews`);
    expect(list.json.reviews.map((r: { stars: number }) => r.stars)).toEqual([5]);
    const answer = await listOwner(owner.token, series.id);
    expect(answer.rating).toEqual({ average: 5, count: 1 });
    expect(answer.reviews.map((r: { stars: number; counts: boolean }) => [r.stars, r.counts])).toEqual([
      [5, true],
      [1, false],
    ]);
    // No longer a buyer: no new rating and no edit.
    const mine = await call('GET', `/v1/series/${series.id}/reviews/mine`, { token: buyer.token });
    expect(mine.json.canReview).toBe(false);
    expectError(
      await call('PUT', `/v1/reviews/${mine.json.review.id}`, { token: buyer.token, body: { stars: 5 } }),
      403,
      'not_a_buyer',
    );
  });

  it('a deleted account’s rating goes with it', async () => {
    const { series, buyer } = await withBuyer();
    await rate(buyer.token, series.id, { stars: 3 });
    const gone = await call('DELETE', '/v1/me', { token: buyer.token, body: { password: PASSWORD } });
    expect(gone.status, gone.text).toBe(200);
    expect(await publicRating(series.id)).toEqual({ average: null, count: 0 });
  });
});

/** The creator's own list of the series' reviews (every one, saying which count). */
async function listOwner(token: string, seriesId: string) {
  const res = await call('GET', `/v1/me/series/${seriesId}/reviews`, { token });
  expect(res.status, res.text).toBe(200);
  return res.json;
}

describe('ratings: the creator replies once', () => {
  it('the series’ creator replies once (201, then 409); another creator 404; a non-creator 403', async () => {
    const { series, owner, buyer } = await withBuyer();
    const { json } = await rate(buyer.token, series.id, { stars: 4 });
    const path = `/v1/reviews/${json.review.id}/reply`;
    const someone = await creator('approved');
    expectError(await call('POST', path, { token: someone.token, body: { text: 'Thanks!' } }), 404, 'not_found');
    expectError(await call('POST', path, { token: buyer.token, body: { text: 'Thanks!' } }), 403, 'creator_required');
    expectInvalid(await call('POST', path, { token: owner.token, body: { text: '' } }));
    expectInvalid(await call('POST', path, { token: owner.token, body: { text: '<a href=x>me</a>' } }));
    const reply = await call('POST', path, { token: owner.token, body: { text: 'Thank you for watching!' } });
    expect(reply.status, reply.text).toBe(201);
    expect(reply.json.review.reply).toMatchObject({ text: 'Thank you for watching!' });
    expectError(await call('POST', path, { token: owner.token, body: { text: 'Again' } }), 409, 'already_replied');
    const list = await call('GET', `/v1/series/${series.id}/reviews`);
    expect(list.json.reviews[0].reply.text).toBe('Thank you for watching!');
    const ownerList = await listOwner(owner.token, series.id);
    expect(ownerList.reviews[0]).toMatchObject({ counts: true, reply: { text: 'Thank you for watching!' } });
    expectError(await call('GET', `/v1/me/series/${series.id}/reviews`, { token: someone.token }), 404, 'not_found');
  });
});

describe('ratings on the storefront', () => {
  it('the series page shows the average, the count and the reviews, their text escaped; the creator page the short form', async () => {
    const { series, owner, buyer } = await withBuyer();
    const page = `/@${owner.handle}/${series.slug}`;
    // Cached before any rating: the write must purge it.
    expect((await call('GET', page)).text).toContain('No ratings yet.');
    const text = 'Worth it: 5 > 3 & "quotes" <3';
    await rate(buyer.token, series.id, { stars: 4, text });
    const html = (await call('GET', page)).text;
    expect(html).toContain('4 out of 5 from 1 buyer');
    expect(html).toContain('Worth it: 5 &gt; 3 &amp; &quot;quotes&quot; &lt;3');
    expect(html).not.toContain(text);
    expect(html).toContain('"aggregateRating":{"@type":"AggregateRating","ratingValue":4,"ratingCount":1');
    expect(html).toContain('id="sf-review"');
    const french = (await call('GET', `${page}?lang=fr`, { headers: { 'Accept-Language': 'fr' } })).text;
    expect(french).toContain('4 sur 5 par 1 acheteur');
    expect((await call('GET', `/@${owner.handle}`)).text).toContain('★ 4 · 1 rating');
  });
});

describe('older ratings, page by page', () => {
  it('past the newest 50, the API and the storefront go on to older ratings until the oldest; a foreign cursor reads nothing', async () => {
    const { series, owner, ep2 } = await publishedSeries();
    const stars = (i: number) => 1 + (i % 5);
    // 53 buyers rate one after the other, so their dates order them (the page order is date, then id).
    const ids: string[] = [];
    for (let i = 0; i < 53; i++) {
      const buyer = await signup();
      await buy(buyer.token, { episodeId: ep2.id });
      const res = await rate(buyer.token, series.id, { stars: stars(i), text: `Rating number ${i}` });
      expect(res.status, res.text).toBe(201);
      ids.push(res.json.review.id);
    }
    const first = await call('GET', `/v1/series/${series.id}/reviews`);
    expect(first.json.rating.count).toBe(53);
    expect(first.json.reviews).toHaveLength(50);
    expect(first.json.reviews[0].text).toBe('Rating number 52');
    expect(first.json.older).toBe(first.json.reviews[49].id);
    const next = await call('GET', `/v1/series/${series.id}/reviews/older/${first.json.older}`);
    expect(next.status, next.text).toBe(200);
    expect(next.json.reviews.map((r: { text: string }) => r.text)).toEqual([
      'Rating number 2',
      'Rating number 1',
      'Rating number 0',
    ]);
    expect(next.json.older).toBeNull();
    expect(next.json.rating).toEqual(first.json.rating);
    // Every rating exactly once across the pages.
    expect(new Set([...first.json.reviews, ...next.json.reviews].map((r: { id: string }) => r.id))).toEqual(
      new Set(ids),
    );

    // Another series' review as the cursor: an empty page, never that series' ratings. A malformed one: 404.
    const other = await withBuyer();
    const theirs = await rate(other.buyer.token, other.series.id, { stars: 5 });
    const foreign = await call('GET', `/v1/series/${series.id}/reviews/older/${theirs.json.review.id}`);
    expect(foreign.json).toMatchObject({ reviews: [], older: null, rating: { count: 53 } });
    expectError(await call('GET', `/v1/series/${series.id}/reviews/older/nope`), 404, 'not_found');

    const page = `/@${owner.handle}/${series.slug}`;
    const html = (await call('GET', page)).text;
    expect(html).toContain(`href="${page}/reviews?before=${first.json.older}"`);
    expect(html).toContain('Older ratings');
    const older = await call('GET', `${page}/reviews?before=${first.json.older}`);
    expect(older.status).toBe(200);
    expect(older.text).toContain('Older ratings of');
    expect(older.text).toContain('Rating number 0');
    expect(older.text).not.toContain('Rating number 3<');
    expect(older.text).not.toContain('/reviews?before=');
    expect(older.text).toContain('noindex');
    const french = await call('GET', `${page}/reviews?before=${first.json.older}&lang=fr`, {
      headers: { 'Accept-Language': 'fr' },
    });
    expect(french.text).toContain('Notes plus anciennes de');
    expect((await call('GET', `${page}/reviews`)).status).toBe(404);
    expect((await call('GET', `${page}/reviews?before=%3Cscript%3E`)).status).toBe(404);
  });
});
