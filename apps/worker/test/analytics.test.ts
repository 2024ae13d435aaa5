import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { completePurchase } from '../src/ledger/sale-queries';
import {
  addEpisode,
  admin,
  buy,
  call,
  creator,
  createSeries,
  installVideo,
  publishedSeries,
  signup,
  startCheckout,
} from './helpers';

interface Money {
  sales: number;
  gross: number;
  commission: number;
  payout: number;
}

const ENDPOINTS = ['summary', 'episodes', 'daily'] as const;

const analytics = (endpoint: (typeof ENDPOINTS)[number], token: string | undefined, query = '') =>
  call('GET', `/v1/analytics/${endpoint}${query ? `?${query}` : ''}`, { token });

async function ok(endpoint: (typeof ENDPOINTS)[number], token: string, query = '') {
  const res = await analytics(endpoint, token, query);
  expect(res.status, res.text).toBe(200);
  expect(res.headers.get('Cache-Control')).toContain('no-store');
  return res.json;
}

/** commission + payout == gross on every figure the API returns. */
function expectBalanced(rows: Money[]) {
  for (const r of rows) expect(r.commission + r.payout, JSON.stringify(r)).toBe(r.gross);
}

/** Starts a checkout through the API and confirms it as a payment provider would, at a chosen instant. */
async function buyAt(token: string, item: { episodeId: string } | { seriesId: string }, at: string) {
  const co = await startCheckout(token, item);
  expect(co.status, co.text).toBe(201);
  const { outcome } = await completePurchase(env.DB, co.json.purchaseId, { now: Date.parse(at) });
  expect(outcome).toBe('completed');
  return co.json.purchaseId as string;
}

/** A published JPY series (zero-decimal currency) with two premium episodes and a bundle. */
async function jpySeries(owner: { token: string }) {
  const series = await createSeries(owner.token, { title: 'Yen Series', currency: 'JPY', bundlePrice: 1200 });
  const a = await addEpisode(owner.token, series.id, { title: 'Yen 1', price: 300 });
  const b = await addEpisode(owner.token, series.id, { title: 'Yen 2', price: 500 });
  for (const e of [a, b]) await installVideo(owner.token, e.id);
  expect((await call('POST', `/v1/series/${series.id}/publish`, { token: owner.token })).status).toBe(200);
  return { series, a, b };
}

const setCommission = async (bps: number) => {
  const res = await call('PUT', '/v1/admin/commission', { token: await admin(), body: { bps } });
  expect(res.status, res.text).toBe(200);
};

describe('analytics authorization', () => {
  it('answers 401 to anonymous callers', async () => {
    for (const endpoint of ENDPOINTS) {
      const res = await analytics(endpoint, undefined);
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe('unauthorized');
    }
  });

  it('answers 403 to a viewer without a creator profile', async () => {
    const viewer = await signup();
    for (const endpoint of ENDPOINTS) {
      const res = await analytics(endpoint, viewer.token);
      expect(res.status).toBe(403);
      expect(res.json.error.code).toBe('creator_required');
    }
  });

  it('shows only the caller’s own data: another creator sees zero', async () => {
    const { owner, series, ep2 } = await publishedSeries();
    const viewer = await signup();
    await buy(viewer.token, { episodeId: ep2.id });
    await buy(viewer.token, { seriesId: series.id });
    expect((await ok('summary', owner.token)).totals).toHaveLength(1);

    const other = await creator();
    expect((await ok('summary', other.token)).totals).toEqual([]);
    expect((await ok('episodes', other.token)).rows).toEqual([]);
    expect((await ok('daily', other.token)).rows).toEqual([]);

    // With a series of their own, they see its (unsold) episodes and nothing of the first creator's.
    const own = await createSeries(other.token, { title: 'Other series' });
    await addEpisode(other.token, own.id, { price: 199 });
    const rows = (await ok('episodes', other.token)).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ seriesId: own.id, sales: 0, gross: 0 });

    // A pending (not yet approved) creator gets empty figures, not an error.
    const pending = await creator('pending');
    expect((await ok('summary', pending.token)).totals).toEqual([]);
  });

  it('answers 404 for another creator’s or an unknown seriesId', async () => {
    const { owner, series } = await publishedSeries();
    const other = await creator();
    for (const endpoint of ENDPOINTS) {
      for (const [token, seriesId] of [
        [other.token, series.id],
        [owner.token, 'ser_0123456789abcdefXYZ'],
      ] as const) {
        const res = await analytics(endpoint, token, `seriesId=${seriesId}`);
        expect(res.status, `${endpoint} ${seriesId}`).toBe(404);
        expect(res.json.error.code).toBe('not_found');
      }
      expect((await analytics(endpoint, owner.token, `seriesId=${series.id}`)).status).toBe(200);
    }
  });
});

describe('analytics query validation', () => {
  it.each([
    ['from after to', 'from=2024-03-02&to=2024-03-01'],
    ['a month 13', 'from=2024-13-01'],
    ['slashes', 'to=2024/03/01'],
    ['a word', 'from=yesterday'],
    ['no zero padding', 'from=2024-3-1'],
    ['a date-time', 'to=2024-03-01T00:00:00Z'],
    ['an unknown currency', 'currency=XYZ'],
    ['a malformed seriesId', 'seriesId=abc'],
    ['an unknown parameter', 'limit=10'],
  ])('answers 400 for %s', async (_label, query) => {
    const owner = await creator();
    for (const endpoint of ENDPOINTS) {
      const res = await analytics(endpoint, owner.token, query);
      expect(res.status, `${endpoint}?${query}`).toBe(400);
      expect(res.json.error.code).toBe('invalid_request');
    }
  });

  it('accepts a single-day range and echoes the range; `to` defaults to today (UTC)', async () => {
    const owner = await creator();
    expect((await ok('summary', owner.token, 'from=2024-03-01&to=2024-03-01')).range).toEqual({
      from: '2024-03-01',
      to: '2024-03-01',
    });
    const before = new Date().toISOString().slice(0, 10);
    const { range } = await ok('daily', owner.token);
    const after = new Date().toISOString().slice(0, 10);
    expect(range.from).toBeNull();
    expect([before, after]).toContain(range.to);
  });
});

describe('analytics figures', () => {
  afterEach(async () => {
    // The commission is platform-wide: put the default back for the other tests in this file.
    await setCommission(0);
  });

  it('keeps per-currency totals apart (a USD and a JPY series)', async () => {
    const { owner, ep2, ep3 } = await publishedSeries();
    const yen = await jpySeries(owner);
    const [v1, v2] = [await signup(), await signup()];
    await buy(v1.token, { episodeId: ep2.id });
    await buy(v1.token, { episodeId: ep3.id });
    await buy(v1.token, { episodeId: yen.a.id });
    await buy(v2.token, { seriesId: yen.series.id });

    const { totals } = await ok('summary', owner.token);
    expect(totals).toEqual([
      { currency: 'JPY', sales: 2, gross: 1500, refunded: 0, commission: 0, payout: 1500, tax: 0, buyers: 2 },
      { currency: 'USD', sales: 2, gross: 498, refunded: 0, commission: 0, payout: 498, tax: 0, buyers: 1 },
    ]);
    expect((await ok('summary', owner.token, 'currency=USD')).totals).toEqual([totals[1]]);
    expect((await ok('summary', owner.token, `seriesId=${yen.series.id}`)).totals).toEqual([totals[0]]);

    const daily = (await ok('daily', owner.token)).rows;
    const today = new Date().toISOString().slice(0, 10);
    if (daily.length === 2) {
      expect(daily).toEqual([
        { day: today, currency: 'JPY', sales: 2, gross: 1500, refunded: 0, commission: 0, payout: 1500, tax: 0 },
        { day: today, currency: 'USD', sales: 2, gross: 498, refunded: 0, commission: 0, payout: 498, tax: 0 },
      ]);
    } else {
      // The purchases straddled UTC midnight: the days still add up to the totals.
      const sum = (currency: string) =>
        daily
          .filter((r: { currency: string }) => r.currency === currency)
          .reduce((n: number, r: Money) => n + r.gross, 0);
      expect([sum('JPY'), sum('USD')]).toEqual([1500, 498]);
    }

    const jpyRows = (await ok('episodes', owner.token, 'currency=JPY')).rows;
    expect(jpyRows.every((r: { currency: string }) => r.currency === 'JPY')).toBe(true);
    expect(jpyRows.map((r: { kind: string; sales: number; gross: number }) => [r.kind, r.sales, r.gross])).toEqual([
      ['episode', 1, 300],
      ['episode', 0, 0],
      ['series', 1, 1200],
    ]);
  });

  it('counts unique buyers, once each whatever they bought and on however many days', async () => {
    const { owner, series, ep2, ep3 } = await publishedSeries();
    const [v1, v2] = [await signup(), await signup()];
    await buyAt(v1.token, { episodeId: ep2.id }, '2024-05-01T10:00:00Z');
    await buyAt(v1.token, { episodeId: ep3.id }, '2024-05-03T10:00:00Z');
    await buyAt(v1.token, { seriesId: series.id }, '2024-05-03T11:00:00Z');
    await buyAt(v2.token, { episodeId: ep2.id }, '2024-05-03T12:00:00Z');

    const all = (await ok('summary', owner.token)).totals;
    // v1 had paid 498 of the series' 499: they complete it for the minimum, 99.
    expect(all).toEqual([
      {
        currency: 'USD',
        sales: 4,
        gross: 199 + 299 + 99 + 199,
        refunded: 0,
        commission: 0,
        payout: 796,
        tax: 0,
        buyers: 2,
      },
    ]);
    expect((await ok('summary', owner.token, 'from=2024-05-01&to=2024-05-01')).totals[0]).toMatchObject({
      sales: 1,
      buyers: 1,
    });
    expect((await ok('summary', owner.token, 'from=2024-05-03&to=2024-05-03')).totals[0]).toMatchObject({
      sales: 3,
      buyers: 2,
    });
  });

  it('lists every episode per series (unsold ones with zeros) and a series row for bundle sales', async () => {
    const { owner, series, trailer, ep2, ep3 } = await publishedSeries();
    const second = await createSeries(owner.token, { title: 'Second', bundlePrice: 999 });
    const s2e1 = await addEpisode(owner.token, second.id, { title: 'S2 E1', price: 250 });
    await installVideo(owner.token, s2e1.id);
    expect((await call('POST', `/v1/series/${second.id}/publish`, { token: owner.token })).status).toBe(200);
    const [v1, v2] = [await signup(), await signup()];
    await buy(v1.token, { episodeId: ep3.id });
    await buy(v2.token, { episodeId: ep3.id });
    await buy(v2.token, { seriesId: series.id });

    const { rows } = await ok('episodes', owner.token);
    expectBalanced(rows);
    expect(rows).toEqual([
      expect.objectContaining({
        kind: 'episode',
        seriesId: series.id,
        episodeId: trailer.id,
        number: 1,
        free: true,
        sales: 0,
        gross: 0,
        commission: 0,
        payout: 0,
      }),
      expect.objectContaining({
        kind: 'episode',
        seriesId: series.id,
        episodeId: ep2.id,
        number: 2,
        free: false,
        sales: 0,
        gross: 0,
      }),
      expect.objectContaining({
        kind: 'episode',
        seriesId: series.id,
        episodeId: ep3.id,
        number: 3,
        title: 'Part 3',
        sales: 2,
        gross: 598,
        payout: 598,
      }),
      expect.objectContaining({
        kind: 'episode',
        seriesId: second.id,
        episodeId: s2e1.id,
        number: 1,
        seriesTitle: 'Second',
        sales: 0,
        gross: 0,
      }),
      expect.objectContaining({
        kind: 'series',
        seriesId: series.id,
        episodeId: null,
        number: null,
        currency: 'USD',
        sales: 1,
        // v2 owned episode 3: the whole series cost them 499 - 299.
        gross: 200,
        payout: 200,
      }),
    ]);
    // Filtering by series keeps that series' rows only.
    const filtered = (await ok('episodes', owner.token, `seriesId=${second.id}`)).rows;
    expect(filtered.map((r: { episodeId: string | null }) => r.episodeId)).toEqual([s2e1.id]);
  });

  it('groups sales by UTC day and filters every view by from/to (inclusive)', async () => {
    const { owner, series, ep2, ep3 } = await publishedSeries();
    const [v1, v2, v3] = [await signup(), await signup(), await signup()];
    await buyAt(v1.token, { episodeId: ep2.id }, '2024-03-01T23:59:59.999Z');
    await buyAt(v2.token, { episodeId: ep2.id }, '2024-03-02T00:00:00.000Z');
    await buyAt(v2.token, { episodeId: ep3.id }, '2024-03-02T18:30:00.000Z');
    await buyAt(v3.token, { seriesId: series.id }, '2024-03-05T12:00:00.000Z');

    const daily = (await ok('daily', owner.token)).rows;
    expectBalanced(daily);
    expect(daily).toEqual([
      { day: '2024-03-01', currency: 'USD', sales: 1, gross: 199, refunded: 0, commission: 0, payout: 199, tax: 0 },
      { day: '2024-03-02', currency: 'USD', sales: 2, gross: 498, refunded: 0, commission: 0, payout: 498, tax: 0 },
      { day: '2024-03-05', currency: 'USD', sales: 1, gross: 499, refunded: 0, commission: 0, payout: 499, tax: 0 },
    ]);

    const window = 'from=2024-03-02&to=2024-03-04';
    expect((await ok('daily', owner.token, window)).rows.map((r: { day: string }) => r.day)).toEqual(['2024-03-02']);
    expect((await ok('daily', owner.token, 'from=2024-03-02')).rows.map((r: { day: string }) => r.day)).toEqual([
      '2024-03-02',
      '2024-03-05',
    ]);
    expect((await ok('daily', owner.token, 'to=2024-03-01')).rows.map((r: { day: string }) => r.day)).toEqual([
      '2024-03-01',
    ]);
    expect((await ok('daily', owner.token, 'from=2024-03-06')).rows).toEqual([]);

    const summary = await ok('summary', owner.token, window);
    expect(summary.range).toEqual({ from: '2024-03-02', to: '2024-03-04' });
    expect(summary.totals).toEqual([
      { currency: 'USD', sales: 2, gross: 498, refunded: 0, commission: 0, payout: 498, tax: 0, buyers: 1 },
    ]);

    const perEpisode = (await ok('episodes', owner.token, window)).rows;
    // Every episode still has a row; only the window's sales count; no bundle row since none sold in it.
    expect(perEpisode.map((r: { kind: string; sales: number }) => [r.kind, r.sales])).toEqual([
      ['episode', 0],
      ['episode', 1],
      ['episode', 1],
    ]);
    const lastDay = (await ok('episodes', owner.token, 'from=2024-03-05&to=2024-03-05')).rows;
    expect(lastDay.at(-1)).toMatchObject({ kind: 'series', sales: 1, gross: 499 });
  });

  it('splits commission and payout so they add up to gross everywhere, at the rate of each sale', async () => {
    const { owner, series, ep2, ep3 } = await publishedSeries();
    const yen = await jpySeries(owner);
    const [v1, v2] = [await signup(), await signup()];
    await buy(v1.token, { episodeId: ep2.id }); // at the default 0 bps
    // A checkout started before the change keeps the rate it was started at.
    const early = await startCheckout(v2.token, { episodeId: ep2.id });
    await setCommission(1250);
    expect((await completePurchase(env.DB, early.json.purchaseId)).outcome).toBe('completed');
    await buy(v1.token, { episodeId: ep3.id }); // 299 * 12.5% = 37.375
    await buy(v2.token, { seriesId: series.id }); // 499 - 199 (episode 2, owned) = 300; * 12.5% = 37.5
    await buy(v1.token, { episodeId: yen.a.id }); // ¥300 * 12.5% = 37.5
    await buy(v2.token, { episodeId: yen.b.id }); // ¥500 * 12.5% = 62.5

    const summary = await ok('summary', owner.token);
    expect(summary.currentCommissionBps).toBe(1250);
    expectBalanced(summary.totals);
    expect(summary.totals).toEqual([
      { currency: 'JPY', sales: 2, gross: 800, refunded: 0, commission: 37 + 62, payout: 263 + 438, tax: 0, buyers: 2 },
      {
        currency: 'USD',
        sales: 4,
        gross: 199 + 199 + 299 + 300,
        refunded: 0,
        commission: 37 + 37,
        payout: 199 + 199 + 262 + 263,
        tax: 0,
        buyers: 2,
      },
    ]);
    const episodes = (await ok('episodes', owner.token)).rows;
    expectBalanced(episodes);
    expect(episodes.find((r: { episodeId: string }) => r.episodeId === ep3.id)).toMatchObject({
      gross: 299,
      commission: 37,
      payout: 262,
    });
    expect(episodes.find((r: { kind: string }) => r.kind === 'series')).toMatchObject({
      gross: 300,
      commission: 37,
      payout: 263,
    });
    const daily = (await ok('daily', owner.token)).rows;
    expectBalanced(daily);

    // Changing the rate later rewrites nothing.
    await setCommission(5000);
    expect((await ok('summary', owner.token)).totals).toEqual(summary.totals);
    const ledger = await env.DB.prepare(
      'SELECT SUM(commission_amount) AS c, SUM(payout_amount) AS p, SUM(amount) AS a FROM purchases WHERE creator_id = (SELECT creator_id FROM series WHERE id = ?) AND status = ?',
    )
      .bind(series.id, 'paid')
      .first<{ c: number; p: number; a: number }>();
    expect(ledger!.c + ledger!.p).toBe(ledger!.a);
  });

  it('reads the rollups maintained at payment time, not a scan of the ledger', async () => {
    const { owner, ep2 } = await publishedSeries();
    const viewer = await signup();
    const id = await buy(viewer.token, { episodeId: ep2.id });
    const before = await ok('summary', owner.token);
    expect(before.totals[0]).toMatchObject({ sales: 1, gross: 199 });
    // Take the sale out of the ledger only: the figures come from sales_daily / buyer_days.
    await env.DB.prepare('DELETE FROM purchases WHERE id = ?').bind(id).run();
    expect((await ok('summary', owner.token)).totals).toEqual(before.totals);
  });

  it('counts nothing for pending, cancelled or expired checkouts', async () => {
    const { owner, ep2, ep3, series } = await publishedSeries();
    const viewer = await signup();
    await startCheckout(viewer.token, { episodeId: ep2.id });
    const cancelled = await startCheckout(viewer.token, { episodeId: ep3.id });
    await call('POST', `/checkout/${cancelled.json.purchaseId}/cancel`, {
      raw: new URLSearchParams({ sig: new URL(cancelled.json.checkoutUrl).searchParams.get('sig')! }).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    const expired = await startCheckout(viewer.token, { seriesId: series.id });
    await env.DB.prepare('UPDATE purchases SET expires_at = ? WHERE id = ?')
      .bind(Date.now() - 1, expired.json.purchaseId)
      .run();
    expect((await completePurchase(env.DB, expired.json.purchaseId)).outcome).toBe('expired');

    expect((await ok('summary', owner.token)).totals).toEqual([]);
    expect((await ok('daily', owner.token)).rows).toEqual([]);
    expect((await ok('episodes', owner.token)).rows.map((r: { sales: number }) => r.sales)).toEqual([0, 0, 0]);
  });
});
