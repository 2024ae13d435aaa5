import { monthOf } from '@series/core';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { completePurchase } from '../src/ledger/sale-queries';
import {
  addEpisode,
  admin,
  ADMIN_EMAIL,
  buy,
  call,
  creator,
  createSeries,
  installVideo,
  publishedSeries,
  signup,
  startCheckout,
} from './helpers';

/** The UTC month `back` months before the current one, e.g. monthsAgo(1) in March is "<year>-02". */
function monthsAgo(back: number): string {
  const now = new Date();
  return monthOf(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
}
const midMonth = (month: string) => `${month}-15T12:00:00.000Z`;

/** Starts a checkout through the API and confirms it as a payment provider would, at a chosen instant. */
async function buyAt(token: string, item: { episodeId: string } | { seriesId: string }, at: string) {
  const co = await startCheckout(token, item);
  expect(co.status, co.text).toBe(201);
  const { outcome } = await completePurchase(env.DB, co.json.purchaseId, { now: Date.parse(at) });
  expect(outcome).toBe('completed');
  return co.json.purchaseId as string;
}

const payouts = async (token: string) => {
  const res = await call('GET', '/v1/payouts', { token });
  expect(res.status, res.text).toBe(200);
  return res.json as {
    currentMonth: string;
    thresholds: Record<string, number>;
    balances: Array<Record<string, unknown>>;
    statements: Array<Record<string, any>>;
  };
};

const recordPayout = async (body: unknown) => call('POST', '/v1/admin/payouts', { token: await admin(), body });

async function payoutAudit(handle: string) {
  const res = await call('GET', '/v1/admin/audit', { token: await admin() });
  expect(res.status).toBe(200);
  return (res.json.entries as Array<{ action: string; target: string; detail: any; actor: string }>).filter(
    (e) => e.action === 'payout.record' && e.target === handle,
  );
}

/**
 * A creator whose USD earnings are: two months ago 1.99 + 2.99 (below the USD 50 threshold, carried over),
 * last month 49.99 (with the carry: 54.97, due), this month 1.99 (open); plus JPY 300 last month.
 */
async function creatorWithHistory() {
  const { owner, series, ep2, ep3 } = await publishedSeries();
  const big = await addEpisode(owner.token, series.id, { title: 'Finale', price: 4_999 });
  await installVideo(owner.token, big.id);
  const yen = await createSeries(owner.token, { title: 'Yen', currency: 'JPY' });
  const yenEp = await addEpisode(owner.token, yen.id, { title: 'Yen 1', price: 300 });
  await installVideo(owner.token, yenEp.id);
  expect((await call('POST', `/v1/series/${yen.id}/publish`, { token: owner.token })).status).toBe(200);
  const [v1, v2] = [await signup(), await signup()];
  await buyAt(v1.token, { episodeId: ep2.id }, midMonth(monthsAgo(2)));
  await buyAt(v1.token, { episodeId: ep3.id }, midMonth(monthsAgo(2)));
  await buyAt(v2.token, { episodeId: big.id }, midMonth(monthsAgo(1)));
  await buyAt(v2.token, { episodeId: yenEp.id }, midMonth(monthsAgo(1)));
  await buy(v2.token, { episodeId: ep2.id });
  return { owner, series, viewers: [v1, v2] };
}

describe('GET /v1/payouts', () => {
  it('totals each month per currency: carried over below the threshold, due above it, the current month open', async () => {
    const { owner } = await creatorWithHistory();
    const body = await payouts(owner.token);
    expect(body.currentMonth).toBe(monthsAgo(0));
    expect(body.thresholds).toMatchObject({ USD: 5_000, JPY: 7_500 });
    const rows = body.statements.map((s) => [s.currency, s.month, s.status, s.sales, s.payout, s.carriedIn, s.balance]);
    expect(rows).toEqual([
      // Newest first; within a month, by currency code.
      ['USD', monthsAgo(0), 'open', 1, 199, 0, 199],
      ['JPY', monthsAgo(1), 'carried_over', 1, 300, 0, 300],
      ['USD', monthsAgo(1), 'due', 1, 4_999, 498, 5_497],
      ['USD', monthsAgo(2), 'carried_over', 2, 498, 0, 498],
    ]);
    for (const s of body.statements) {
      expect(s.commission + s.payout).toBe(s.gross - s.refunded);
      expect(s).toMatchObject({ paidAmount: null, paidAt: null });
    }
    expect(body.balances).toEqual([
      { currency: 'JPY', earned: 300, paid: 0, pending: 300, due: 0, threshold: 7_500 },
      { currency: 'USD', earned: 5_696, paid: 0, pending: 5_696, due: 5_497, threshold: 5_000 },
    ]);
  });

  it('is empty for a creator without sales and never cached', async () => {
    const fresh = await creator('pending');
    const res = await call('GET', '/v1/payouts', { token: fresh.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toContain('no-store');
    expect(res.json.statements).toEqual([]);
    expect(res.json.balances).toEqual([]);
  });
});

describe('GET /v1/payouts/purchases', () => {
  afterEach(async () => {
    // The commission is platform-wide: put the default back for the other tests in this file.
    expect((await call('PUT', '/v1/admin/commission', { token: await admin(), body: { bps: 0 } })).status).toBe(200);
  });

  it('lists the month’s sales with the commission rate each was sold at, and never the buyer', async () => {
    const { owner, series, ep2, ep3 } = await publishedSeries();
    const viewer = await signup();
    const month = monthsAgo(1);
    // The rate is copied when the checkout starts: 10% for the first, 0% for the second.
    expect((await call('PUT', '/v1/admin/commission', { token: await admin(), body: { bps: 1_000 } })).status).toBe(
      200,
    );
    const first = await startCheckout(viewer.token, { episodeId: ep2.id });
    expect((await call('PUT', '/v1/admin/commission', { token: await admin(), body: { bps: 0 } })).status).toBe(200);
    const second = await startCheckout(viewer.token, { episodeId: ep3.id });
    await completePurchase(env.DB, first.json.purchaseId, { now: Date.parse(`${month}-03T09:00:00Z`) });
    await completePurchase(env.DB, second.json.purchaseId, { now: Date.parse(`${month}-20T09:00:00Z`) });

    const res = await call('GET', `/v1/payouts/purchases?month=${month}`, { token: owner.token });
    expect(res.status, res.text).toBe(200);
    expect(res.json.truncated).toBe(false);
    expect(res.json.purchases).toEqual([
      expect.objectContaining({
        id: second.json.purchaseId,
        episodeTitle: 'Part 3',
        amount: 299,
        commissionBps: 0,
        commission: 0,
        payout: 299,
      }),
      expect.objectContaining({
        id: first.json.purchaseId,
        episodeTitle: 'Part 2',
        amount: 199,
        commissionBps: 1_000,
        commission: 19,
        payout: 180,
      }),
    ]);
    expect(Object.keys(res.json.purchases[0]).sort()).toEqual(
      [
        'amount',
        'commission',
        'commissionBps',
        'currency',
        'disputeState',
        'episodeId',
        'episodeTitle',
        'id',
        'paidAt',
        'payout',
        'refunded',
        'seriesId',
        'seriesTitle',
        'status',
        'tax',
      ].sort(),
    );
    expect(res.text).not.toContain(viewer.user.id);
    expect(res.text).not.toContain(viewer.email);
    expect(res.json.purchases[0].seriesId).toBe(series.id);

    // The statement agrees with the list: commission 0.19, payout 4.79.
    const statement = (await payouts(owner.token)).statements.find((s) => s.month === month);
    expect(statement).toMatchObject({ gross: 498, commission: 19, payout: 479, sales: 2 });

    // Other months and currencies are empty.
    for (const query of [`month=${monthsAgo(0)}`, `month=${month}&currency=JPY`, 'month=2001-01']) {
      const other = await call('GET', `/v1/payouts/purchases?${query}`, { token: owner.token });
      expect(other.status).toBe(200);
      expect(other.json.purchases, query).toEqual([]);
    }
  });

  it.each([
    ['no month', ''],
    ['month 13', 'month=2026-13'],
    ['a date', 'month=2026-01-01'],
    ['no zero padding', 'month=2026-1'],
    ['an unknown currency', 'month=2026-01&currency=XYZ'],
    ['an unknown parameter', 'month=2026-01&buyer=me'],
  ])('answers 400 for %s', async (_label, query) => {
    const owner = await creator();
    const res = await call('GET', `/v1/payouts/purchases?${query}`, { token: owner.token });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid_request');
  });
});

describe('payouts authorization', () => {
  const month = monthsAgo(1);

  it('answers 401 to anonymous callers on every payout route', async () => {
    for (const [method, path, body] of [
      ['GET', '/v1/payouts'],
      ['GET', `/v1/payouts/purchases?month=${month}`],
      ['GET', '/v1/admin/payouts'],
      ['POST', '/v1/admin/payouts', { handle: 'seriesdemo', month, currency: 'USD' }],
    ] as const) {
      const res = await call(method, path, { body });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.json.error.code).toBe('unauthorized');
    }
  });

  it('answers 403 to a viewer, and to a creator on the admin routes', async () => {
    const viewer = await signup();
    for (const path of ['/v1/payouts', `/v1/payouts/purchases?month=${month}`]) {
      const res = await call('GET', path, { token: viewer.token });
      expect(res.status).toBe(403);
      expect(res.json.error.code).toBe('creator_required');
    }
    const { owner } = await creatorWithHistory();
    for (const token of [viewer.token, owner.token]) {
      const list = await call('GET', '/v1/admin/payouts', { token });
      expect(list.status).toBe(403);
      const post = await call('POST', '/v1/admin/payouts', {
        token,
        body: { handle: owner.handle, month, currency: 'USD' },
      });
      expect(post.status).toBe(403);
      expect(post.json.error.code).toBe('forbidden');
    }
    // The creator could not pay themselves out.
    expect((await payouts(owner.token)).statements.find((s) => s.month === month && s.currency === 'USD')?.status).toBe(
      'due',
    );
    expect(await payoutAudit(owner.handle)).toEqual([]);
  });

  it('shows each creator only their own statements and purchases', async () => {
    const { owner } = await creatorWithHistory();
    const fresh = await creator();
    expect((await payouts(fresh.token)).statements).toEqual([]);
    expect((await call('GET', `/v1/payouts/purchases?month=${month}`, { token: fresh.token })).json.purchases).toEqual(
      [],
    );

    // Another creator with a sale of their own in the same month sees exactly that sale.
    const other = await publishedSeries();
    const viewer = await signup();
    const sold = await buyAt(viewer.token, { episodeId: other.ep2.id }, midMonth(month));
    const theirs = await payouts(other.owner.token);
    expect(theirs.statements.map((s) => [s.month, s.currency, s.payout])).toEqual([[month, 'USD', 199]]);
    const list = await call('GET', `/v1/payouts/purchases?month=${month}`, { token: other.owner.token });
    expect(list.json.purchases.map((p: { id: string }) => p.id)).toEqual([sold]);

    const mine = await call('GET', `/v1/payouts/purchases?month=${month}`, { token: owner.token });
    expect(mine.json.purchases).toHaveLength(2);
    expect(mine.json.purchases.map((p: { id: string }) => p.id)).not.toContain(sold);
    expect((await payouts(owner.token)).balances.find((b) => b.currency === 'USD')).toMatchObject({ earned: 5_696 });
  });
});

describe('POST /v1/admin/payouts', () => {
  it('records a due month once (also when two requests race), audits it, and the creator sees it paid', async () => {
    const { owner } = await creatorWithHistory();
    const due = { handle: owner.handle, month: monthsAgo(1), currency: 'USD' };

    const listed = await call('GET', '/v1/admin/payouts?status=due', { token: await admin() });
    expect(listed.status).toBe(200);
    expect(listed.json.statements).toContainEqual(
      expect.objectContaining({
        handle: owner.handle,
        month: due.month,
        currency: 'USD',
        balance: 5_497,
        status: 'due',
      }),
    );

    const [a, b] = await Promise.all([recordPayout(due), recordPayout(due)]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect([a.json.recorded, b.json.recorded].sort()).toEqual([false, true]);
    for (const res of [a, b])
      expect(res.json.statement).toMatchObject({ status: 'paid', paidAmount: 5_497, balance: 5_497 });
    expect(a.json.statement.paidAt).toBe(b.json.statement.paidAt);

    const again = await recordPayout({ ...due, handle: `@${owner.handle.toUpperCase()}` });
    expect(again.status).toBe(200);
    expect(again.json.recorded).toBe(false);

    const audit = await payoutAudit(owner.handle);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: ADMIN_EMAIL,
      detail: { month: due.month, currency: 'USD', amount: 5_497 },
    });

    const body = await payouts(owner.token);
    expect(body.statements.find((s) => s.month === due.month && s.currency === 'USD')).toMatchObject({
      status: 'paid',
      paidAmount: 5_497,
      paidAt: a.json.statement.paidAt,
    });
    // What was carried into the paid month is settled; this month starts from zero.
    expect(body.statements.find((s) => s.month === monthsAgo(0))).toMatchObject({
      status: 'open',
      carriedIn: 0,
      balance: 199,
    });
    expect(body.balances.find((x) => x.currency === 'USD')).toEqual({
      currency: 'USD',
      earned: 5_696,
      paid: 5_497,
      pending: 199,
      due: 0,
      threshold: 5_000,
    });
    const after = await call('GET', '/v1/admin/payouts?status=due', { token: await admin() });
    expect(after.json.statements.filter((s: { handle: string }) => s.handle === owner.handle)).toEqual([]);
  });

  it('refuses open months, balances below the threshold, months without earnings and unknown creators', async () => {
    const { owner } = await creatorWithHistory();
    const cases = [
      [{ month: monthsAgo(0), currency: 'USD' }, 409, 'month_open'],
      [{ month: monthsAgo(-1), currency: 'USD' }, 409, 'month_open'],
      [{ month: monthsAgo(2), currency: 'USD' }, 409, 'below_threshold'],
      [{ month: monthsAgo(1), currency: 'JPY' }, 409, 'below_threshold'],
      [{ month: monthsAgo(3), currency: 'USD' }, 404, 'no_earnings'],
      [{ month: monthsAgo(1), currency: 'EUR' }, 404, 'no_earnings'],
    ] as const;
    for (const [fields, status, code] of cases) {
      const res = await recordPayout({ handle: owner.handle, ...fields });
      expect(res.status, JSON.stringify(fields)).toBe(status);
      expect(res.json.error.code).toBe(code);
    }
    const unknown = await recordPayout({ handle: 'nobody_here_123', month: monthsAgo(1), currency: 'USD' });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('not_found');
    expect(await payoutAudit(owner.handle)).toEqual([]);
    expect((await payouts(owner.token)).balances.every((b) => b.paid === 0)).toBe(true);
  });

  it('answers 400 to bad input and writes nothing', async () => {
    const { owner } = await creatorWithHistory();
    const month = monthsAgo(1);
    const bodies: unknown[] = [
      {},
      { handle: owner.handle, month },
      { handle: owner.handle, currency: 'USD' },
      { month, currency: 'USD' },
      { handle: owner.handle, month: '2026-13', currency: 'USD' },
      { handle: owner.handle, month: `${month}-01`, currency: 'USD' },
      { handle: owner.handle, month: 202601, currency: 'USD' },
      { handle: owner.handle, month, currency: 'XYZ' },
      { handle: owner.handle, month, currency: 'usd' },
      { handle: 'not a handle!', month, currency: 'USD' },
      { handle: owner.handle, month, currency: 'USD', amount: 1 },
      [owner.handle, month, 'USD'],
    ];
    for (const body of bodies) {
      const res = await recordPayout(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code).toBe('invalid_request');
      expect(res.json.error.issues.length).toBeGreaterThan(0);
    }
    expect(await payoutAudit(owner.handle)).toEqual([]);
    const statement = (await payouts(owner.token)).statements.find((s) => s.month === month && s.currency === 'USD');
    expect(statement).toMatchObject({ status: 'due', paidAmount: null });
  });
});
