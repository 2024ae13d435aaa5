import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { completePurchase } from '../src/ledger/sale-queries';
import {
  addEpisode,
  call,
  createSeries,
  installVideo,
  PASSWORD,
  publishedSeries,
  signup,
  startCheckout,
} from './helpers';
import { expectInvariants } from './invariants';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const today = () => Date.parse(iso(Date.now()));

/** A purchase paid on a given day (the same completion code the Pay button runs, at a fixed time). */
async function paidOn(token: string, item: { episodeId: string } | { seriesId: string }, at: number) {
  const co = await startCheckout(token, item);
  await env.DB.prepare('UPDATE purchases SET created_at = ?, expires_at = ? WHERE id = ?')
    .bind(at - 1000, at + DAY, co.json.purchaseId)
    .run();
  const { outcome } = await completePurchase(env.DB, co.json.purchaseId, { now: at });
  expect(outcome).toBe('completed');
}

/** Unique buyers from the summary route, for [from, to] given in days ago (null: all time). */
async function buyersBetween(token: string, fromDaysAgo: number | null, toDaysAgo = 0, seriesId?: string) {
  const params = new URLSearchParams({ to: iso(today() - toDaysAgo * DAY) });
  if (fromDaysAgo !== null) params.set('from', iso(today() - fromDaysAgo * DAY));
  if (seriesId) params.set('seriesId', seriesId);
  const res = await call('GET', `/v1/analytics/summary?${params}`, { token });
  expect(res.status).toBe(200);
  return (res.json.totals[0]?.buyers as number | undefined) ?? 0;
}

/** Another published USD series of the same creator, with one premium episode. */
async function secondSeries(ownerToken: string) {
  const series = await createSeries(ownerToken, { title: 'Second' });
  const episode = await addEpisode(ownerToken, series.id, { title: 'Other', price: 150 });
  await installVideo(ownerToken, episode.id);
  expect((await call('POST', `/v1/series/${series.id}/publish`, { token: ownerToken })).status).toBe(200);
  return { series, episode };
}

describe('unique buyers over a date range', () => {
  it('counts each buyer once over short ranges, long ranges, ranges in the past and all time', async () => {
    const { owner, series, ep2, ep3 } = await publishedSeries();
    const [a, b, c] = [await signup(), await signup(), await signup()];
    // a: 300 and 2 days ago; b: 200 days ago and today; c: 150 days ago only.
    await paidOn(a.token, { episodeId: ep2.id }, today() - 300 * DAY);
    await paidOn(a.token, { episodeId: ep3.id }, today() - 2 * DAY);
    await paidOn(b.token, { episodeId: ep2.id }, today() - 200 * DAY);
    await paidOn(b.token, { episodeId: ep3.id }, today());
    await paidOn(c.token, { seriesId: series.id }, today() - 150 * DAY);

    expect(await buyersBetween(owner.token, 6)).toBe(2); // a and b
    expect(await buyersBetween(owner.token, 29)).toBe(2);
    expect(await buyersBetween(owner.token, 159)).toBe(3); // c's only purchase is inside
    expect(await buyersBetween(owner.token, 249)).toBe(3); // b has two days inside, counted once
    expect(await buyersBetween(owner.token, null)).toBe(3);
    // 299..160 days ago: a's purchases lie on both sides without one inside, b bought inside, c after it.
    expect(await buyersBetween(owner.token, 299, 160)).toBe(1);
    // All time up to 160 days ago: a and b had bought by then, c had not.
    expect(await buyersBetween(owner.token, null, 160)).toBe(2);
    expect(await buyersBetween(owner.token, 300, 300)).toBe(1); // a single day
    expect(await buyersBetween(owner.token, 1, 1)).toBe(0); // a day without sales
    await expectInvariants();
  });

  it('counts a buyer once across the series of one currency, and per series with the series filter', async () => {
    const { owner, series, ep2, ep3 } = await publishedSeries();
    const other = await secondSeries(owner.token);
    const [a, b] = [await signup(), await signup()];
    // a buys in both series on the same day and again in the first series later; b only in the second.
    await paidOn(a.token, { episodeId: ep2.id }, today() - 10 * DAY);
    await paidOn(a.token, { episodeId: other.episode.id }, today() - 10 * DAY);
    await paidOn(a.token, { episodeId: ep3.id }, today() - 3 * DAY);
    await paidOn(b.token, { episodeId: other.episode.id }, today() - 3 * DAY);

    expect(await buyersBetween(owner.token, 10)).toBe(2);
    expect(await buyersBetween(owner.token, 10, 10)).toBe(1); // a's two series on one day: one buyer
    expect(await buyersBetween(owner.token, 5)).toBe(2);
    expect(await buyersBetween(owner.token, null)).toBe(2);
    expect(await buyersBetween(owner.token, 10, 0, series.id)).toBe(1);
    expect(await buyersBetween(owner.token, 5, 0, series.id)).toBe(1);
    expect(await buyersBetween(owner.token, 10, 0, other.series.id)).toBe(2);
    expect(await buyersBetween(owner.token, 5, 0, other.series.id)).toBe(1); // only b after day 10
    expect(await buyersBetween(owner.token, null, 0, other.series.id)).toBe(2);
    await expectInvariants();
  });

  it('stays exact when purchases are confirmed out of day order', async () => {
    const { owner, series, ep2, ep3 } = await publishedSeries();
    const other = await secondSeries(owner.token);
    const a = await signup();
    // Confirmed newest first: each later confirmation lands before the days already recorded.
    await paidOn(a.token, { episodeId: ep3.id }, today() - 2 * DAY);
    await paidOn(a.token, { episodeId: other.episode.id }, today() - 20 * DAY);
    await paidOn(a.token, { episodeId: ep2.id }, today() - 40 * DAY);

    expect(await buyersBetween(owner.token, 10)).toBe(1);
    expect(await buyersBetween(owner.token, 30, 10)).toBe(1);
    expect(await buyersBetween(owner.token, 39, 21)).toBe(0);
    expect(await buyersBetween(owner.token, 30, 0, series.id)).toBe(1);
    expect(await buyersBetween(owner.token, 30, 3, series.id)).toBe(0); // the series' days are 40 and 2 days ago
    expect(await buyersBetween(owner.token, null, 30)).toBe(1);
    expect(await buyersBetween(owner.token, null, 41)).toBe(0);
    await expectInvariants();
  });

  it('a deleted buyer still counts, as one anonymous buyer', async () => {
    const { owner, ep2, ep3 } = await publishedSeries();
    const a = await signup();
    await paidOn(a.token, { episodeId: ep2.id }, today() - 5 * DAY);
    await paidOn(a.token, { episodeId: ep3.id }, today() - 1 * DAY);
    const deleted = await call('DELETE', '/v1/me', { token: a.token, body: { password: PASSWORD } });
    expect(deleted.status).toBe(200);
    expect(await buyersBetween(owner.token, 6)).toBe(1);
    expect(await buyersBetween(owner.token, 1)).toBe(1);
    expect(await buyersBetween(owner.token, null)).toBe(1);
    await expectInvariants();
  });
});

describe('unique buyers against a direct count', () => {
  it('equal COUNT(DISTINCT) over the ledger for any range, with and without the series filter', async () => {
    const { owner, series, ep2, ep3 } = await publishedSeries({ bundlePrice: null });
    const other = await createSeries(owner.token, { title: 'Second' });
    const otherEpisodes = [];
    for (let i = 0; i < 3; i++)
      otherEpisodes.push(await addEpisode(owner.token, other.id, { title: `O${i}`, price: 100 }));
    for (const e of otherEpisodes) await installVideo(owner.token, e.id);
    expect((await call('POST', `/v1/series/${other.id}/publish`, { token: owner.token })).status).toBe(200);
    const items = [ep2, ep3, ...otherEpisodes].map((e) => ({ episodeId: e.id }));
    // A fixed pseudo-random plan: each buyer buys some items on days up to 40 days ago, confirmed in any order.
    let seed = 7;
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let b = 0; b < 6; b++) {
      const buyer = await signup();
      for (const item of items) if (next(3) > 0) await paidOn(buyer.token, item, today() - next(41) * DAY);
    }
    const direct = async (from: number | null, to: number, seriesId?: string) => {
      const row = await env.DB.prepare(
        `SELECT COUNT(DISTINCT buyer_id) AS n FROM purchases WHERE creator_id = (SELECT id FROM creators WHERE handle = ?1)
           AND status = 'paid' AND (?2 IS NULL OR paid_at >= ?2) AND paid_at < ?3 AND (?4 IS NULL OR series_id = ?4)`,
      )
        .bind(owner.handle, from === null ? null : today() - from * DAY, today() - to * DAY + DAY, seriesId ?? null)
        .first<{ n: number }>();
      return row!.n;
    };
    for (let i = 0; i < 25; i++) {
      const a = next(45);
      const b = next(45);
      const [from, to] = [Math.max(a, b), Math.min(a, b)];
      for (const [f, seriesId] of [
        [from, undefined],
        [null, undefined],
        [from, series.id],
        [null, other.id],
      ] as const) {
        expect(
          await buyersBetween(owner.token, f, to, seriesId),
          `${f}..${to} days ago, series ${seriesId ?? 'all'}`,
        ).toBe(await direct(f, to, seriesId));
      }
    }
    await expectInvariants();
  });
});

describe('unique buyers with several creators', () => {
  it("never counts another creator's buyers", async () => {
    const first = await publishedSeries();
    const second = await publishedSeries();
    const a = await signup();
    await paidOn(a.token, { episodeId: first.ep2.id }, today() - DAY);
    await paidOn(a.token, { episodeId: second.ep2.id }, today() - 3 * DAY);
    expect(await buyersBetween(first.owner.token, 2)).toBe(1);
    expect(await buyersBetween(second.owner.token, 2)).toBe(0);
    expect(await buyersBetween(second.owner.token, null)).toBe(1);
  });
});
