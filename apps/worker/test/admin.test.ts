import { beforeAll, describe, expect, it } from 'vitest';
import {
  addEpisode,
  admin,
  ADMIN_EMAIL,
  buy,
  call,
  createSeries,
  creator,
  expectError,
  expectInvalid,
  publishedSeries,
  signup,
  startCheckout,
  submitCheckout,
  uniqueHandle,
} from './helpers';

interface AuditEntry {
  action: string;
  target: string | null;
  detail: any;
  actor: string | null;
  at: string;
}

async function audit(): Promise<AuditEntry[]> {
  const res = await call('GET', '/v1/admin/audit', { token: await admin() });
  expect(res.status).toBe(200);
  return res.json.entries;
}

async function commission(): Promise<{ bps: number; history: Array<{ bps: number; effectiveAt: string }> }> {
  const res = await call('GET', '/v1/admin/commission', { token: await admin() });
  expect(res.status).toBe(200);
  return res.json;
}

const setCommission = async (bps: number) => {
  const res = await call('PUT', '/v1/admin/commission', { token: await admin(), body: { bps } });
  expect(res.status).toBe(200);
  return res;
};

async function statusOf(handle: string) {
  const res = await call('GET', '/v1/admin/creators', { token: await admin() });
  return (res.json.creators as Array<{ handle: string; status: string }>).find((c) => c.handle === handle)?.status;
}

async function summaryTotals(token: string) {
  const res = await call('GET', '/v1/analytics/summary', { token });
  expect(res.status).toBe(200);
  return res.json as { currentCommissionBps: number; totals: Array<Record<string, number | string>> };
}

/** Everyone who is not an admin, plus nobody at all. */
interface Actors {
  viewer: string;
  approved: string;
  pending: string;
  suspended: string;
  pendingHandle: string;
}
let actors: Actors;

beforeAll(async () => {
  await admin(); // signs the admin up once; concurrent first calls would race each other
  const [viewer, approved, pending, suspended] = await Promise.all([
    signup(),
    creator('approved'),
    creator('pending'),
    creator('suspended'),
  ]);
  actors = {
    viewer: viewer.token,
    approved: approved.token,
    pending: pending.token,
    suspended: suspended.token,
    pendingHandle: pending.handle,
  };
});

const nonAdmins = () =>
  [
    ['a viewer', actors.viewer],
    ['an approved creator', actors.approved],
    ['a pending creator', actors.pending],
    ['a suspended creator', actors.suspended],
  ] as const;

describe('admin routes refuse everyone but admins', () => {
  const routes: Array<[string, string, unknown?]> = [
    ['GET', '/v1/admin/creators'],
    ['GET', '/v1/admin/creators?status=pending'],
    ['POST', '/v1/admin/creators/{pending}/approve'],
    ['POST', '/v1/admin/creators/{pending}/suspend'],
    ['GET', '/v1/admin/commission'],
    ['PUT', '/v1/admin/commission', { bps: 5000 }],
    ['GET', '/v1/admin/audit'],
  ];

  for (const [method, path, body] of routes) {
    it(`${method} ${path}: 401 anonymous, 403 for non-admins, and nothing changes`, async () => {
      const url = path.replace('{pending}', actors.pendingHandle);
      const auditBefore = (await audit()).length;
      const bpsBefore = (await commission()).history.length;

      const anon = await call(method, url, { body });
      expectError(anon, 401, 'unauthorized');
      expectError(await call(method, url, { body, token: 'not-a-session' }), 401, 'unauthorized');
      for (const [, token] of nonAdmins()) {
        const res = await call(method, url, { token, body });
        expectError(res, 403, 'forbidden');
        expect(res.text).not.toContain('@example.test');
      }

      expect(await statusOf(actors.pendingHandle)).toBe('pending');
      expect((await audit()).length).toBe(auditBefore);
      expect((await commission()).history.length).toBe(bpsBefore);
    });
  }

  it('a pending creator cannot approve themselves', async () => {
    const res = await call('POST', `/v1/admin/creators/${actors.pendingHandle}/approve`, { token: actors.pending });
    expectError(res, 403, 'forbidden');
    const me = await call('GET', '/v1/me', { token: actors.pending });
    expect(me.json.creator.status).toBe('pending');
    expectError(await call('GET', `/v1/creators/${actors.pendingHandle}`), 404, 'not_found');
  });

  it('a cookie-authenticated admin write from a foreign origin is refused; from the dashboard it works', async () => {
    const token = await admin();
    const before = await commission();
    const evil = await call('PUT', '/v1/admin/commission', {
      body: { bps: 4321 },
      headers: { Cookie: `__Host-series_session=${token}`, Origin: 'https://evil.example' },
    });
    expectError(evil, 403, 'csrf_rejected');
    expect(await commission()).toEqual(before);

    // Another rate than the one in force (the same one again changes nothing).
    const dashboard = await call('PUT', '/v1/admin/commission', {
      body: { bps: before.bps === 1 ? 2 : 1 },
      headers: { Cookie: `__Host-series_session=${token}`, Origin: 'http://localhost:5173' },
    });
    expect(dashboard.status).toBe(200);
    expect((await commission()).history).toHaveLength(before.history.length + 1);
  });
});

describe('GET /v1/admin/creators', () => {
  it('lists creators with their status and account email, filterable by status', async () => {
    const pending = await creator('pending');
    const approved = await creator('approved');
    const suspended = await creator('suspended');
    const token = await admin();

    const all = await call('GET', '/v1/admin/creators', { token });
    expect(all.status).toBe(200);
    const byHandle = new Map((all.json.creators as any[]).map((c) => [c.handle, c]));
    expect(byHandle.get(pending.handle)).toMatchObject({
      status: 'pending',
      email: pending.email,
      displayName: 'Demo Creator',
    });
    expect(byHandle.get(approved.handle)).toMatchObject({ status: 'approved', email: approved.email });
    expect(byHandle.get(suspended.handle)).toMatchObject({ status: 'suspended', email: suspended.email });
    expect(byHandle.get(pending.handle)).toEqual({
      id: expect.stringMatching(/^cr_/),
      handle: pending.handle,
      displayName: 'Demo Creator',
      status: 'pending',
      statusMeaning: expect.any(String),
      createdAt: expect.any(String),
      statusChangedAt: expect.any(String),
      verifiedBy: null,
      email: pending.email,
      // A typed claim: no TikTok facts, so it does not meet the criteria; no bio code asked for.
      tiktok: null,
      meetsCriteria: false,
      bioCode: null,
    });
    expect(all.json.criteria).toMatchObject({ minFollowers: 10_000, minVideos: 0 });
    expect(JSON.stringify(all.json)).not.toMatch(/password|token/i);

    for (const status of ['pending', 'approved', 'suspended'] as const) {
      const res = await call('GET', `/v1/admin/creators?status=${status}`, { token });
      expect(res.status).toBe(200);
      const list = res.json.creators as Array<{ status: string; handle: string }>;
      expect(list.length).toBeGreaterThan(0);
      expect(list.every((c) => c.status === status)).toBe(true);
      const expected = { pending, approved, suspended }[status].handle;
      expect(list.map((c) => c.handle)).toContain(expected);
    }
  });

  it('answers 400 for an unknown status filter', async () => {
    for (const q of ['status=bogus', 'status=APPROVED', 'status=']) {
      expectInvalid(await call('GET', `/v1/admin/creators?${q}`, { token: await admin() }));
    }
  });
});

describe('POST /v1/admin/creators/:handle/approve', () => {
  it('approves a pending creator: the profile appears and they can publish', async () => {
    const c = await creator('pending');
    const series = await createSeries(c.token);
    await addEpisode(c.token, series.id);
    expectError(await call('POST', `/v1/series/${series.id}/publish`, { token: c.token }), 403, 'creator_not_approved');

    const res = await call('POST', `/v1/admin/creators/${c.handle}/approve`, { token: await admin() });
    expect(res.status).toBe(200);
    expect(res.json.creator).toMatchObject({ handle: c.handle, status: 'approved', displayName: 'Demo Creator' });
    expect(Date.parse(res.json.creator.statusChangedAt)).toBeGreaterThanOrEqual(Date.parse(res.json.creator.createdAt));

    expect((await call('GET', '/v1/me', { token: c.token })).json.creator.status).toBe('approved');
    expect((await call('GET', `/v1/creators/${c.handle}`)).status).toBe(200);
    expect((await call('POST', `/v1/series/${series.id}/publish`, { token: c.token })).status).toBe(200);
  });

  it('takes the handle in any casing or with @', async () => {
    const c = await creator('pending');
    const res = await call('POST', `/v1/admin/creators/${encodeURIComponent(`@${c.handle.toUpperCase()}`)}/approve`, {
      token: await admin(),
    });
    expect(res.status).toBe(200);
    expect(res.json.creator).toMatchObject({ handle: c.handle, status: 'approved' });
  });

  it('answers 404 for an unknown handle and records nothing', async () => {
    const ghost = uniqueHandle('ghost');
    const before = await audit();
    for (const action of ['approve', 'suspend']) {
      expectError(
        await call('POST', `/v1/admin/creators/${ghost}/${action}`, { token: await admin() }),
        404,
        'not_found',
      );
    }
    const after = await audit();
    expect(after).toHaveLength(before.length);
    expect(after.some((e) => e.target === ghost)).toBe(false);
  });

  it('answers 400 for a malformed handle and records nothing', async () => {
    const before = (await audit()).length;
    for (const bad of ['a', 'x'.repeat(25), 'bad-handle', 'end.']) {
      expectInvalid(await call('POST', `/v1/admin/creators/${bad}/approve`, { token: await admin() }));
      expectInvalid(await call('POST', `/v1/admin/creators/${bad}/suspend`, { token: await admin() }));
    }
    expect((await audit()).length).toBe(before);
  });
});

describe('POST /v1/admin/creators/:handle/suspend', () => {
  it('hides the series and stops new checkouts, while buyers keep what they bought', async () => {
    const { owner, series, trailer, ep2, ep3 } = await publishedSeries();
    const videoId = String(Date.now()) + String(Math.floor(Math.random() * 1e6));
    const linked = await call('PATCH', `/v1/episodes/${ep3.id}`, { token: owner.token, body: { videoId } });
    expect(linked.status).toBe(200);
    const buyer = await signup();
    const viewer = await signup();
    await buy(buyer.token, { episodeId: ep2.id });
    expect((await call('GET', `/v1/series/${series.id}`)).status).toBe(200);
    expect((await call('GET', `/v1/videos/${videoId}`)).status).toBe(200);

    const res = await call('POST', `/v1/admin/creators/${owner.handle}/suspend`, { token: await admin() });
    expect(res.status).toBe(200);
    expect(res.json.creator).toMatchObject({ handle: owner.handle, status: 'suspended' });
    expect((await call('GET', '/v1/me', { token: owner.token })).json.creator.status).toBe('suspended');

    // Hidden from every public route.
    expectError(await call('GET', `/v1/creators/${owner.handle}`), 404, 'not_found');
    expectError(await call('GET', `/v1/series/${series.id}`), 404, 'not_found');
    expectError(await call('GET', `/v1/series/${series.id}`, { token: buyer.token }), 404, 'not_found');
    expectError(await call('GET', `/v1/videos/${videoId}`), 404, 'not_found');

    // No new checkouts, for anyone and any item.
    expectError(await startCheckout(viewer.token, { episodeId: ep3.id }), 404, 'not_found');
    expectError(await startCheckout(viewer.token, { seriesId: series.id }), 404, 'not_found');
    expectError(await startCheckout(buyer.token, { episodeId: ep3.id }), 404, 'not_found');

    // The buyer keeps access to what they bought; nobody else gets in.
    const kept = await call('GET', `/v1/episodes/${ep2.id}/access`, { token: buyer.token });
    expect(kept.status).toBe(200);
    expect(kept.json.reason).toBe('purchased');
    expect((await call('GET', '/v1/me/purchases', { token: buyer.token })).json.purchases).toHaveLength(1);
    expectError(await call('GET', `/v1/episodes/${ep3.id}/access`, { token: buyer.token }), 404, 'not_found');
    expectError(await call('GET', `/v1/episodes/${ep2.id}/access`, { token: viewer.token }), 404, 'not_found');
    expectError(await call('GET', `/v1/episodes/${trailer.id}/access`), 404, 'not_found');

    // A suspended creator cannot publish anything new.
    const fresh = await createSeries(owner.token);
    await addEpisode(owner.token, fresh.id);
    expectError(
      await call('POST', `/v1/series/${fresh.id}/publish`, { token: owner.token }),
      403,
      'creator_not_approved',
    );

    // Approving again lifts the suspension.
    expect((await call('POST', `/v1/admin/creators/${owner.handle}/approve`, { token: await admin() })).status).toBe(
      200,
    );
    expect((await call('GET', `/v1/creators/${owner.handle}`)).status).toBe(200);
    expect((await call('GET', `/v1/series/${series.id}`)).status).toBe(200);
    expect((await startCheckout(viewer.token, { episodeId: ep3.id })).status).toBe(201);
  });

  it('can suspend a pending creator, who then cannot be seen either', async () => {
    const c = await creator('pending');
    const res = await call('POST', `/v1/admin/creators/${c.handle}/suspend`, { token: await admin() });
    expect(res.status).toBe(200);
    expect(res.json.creator.status).toBe('suspended');
    expect(await statusOf(c.handle)).toBe('suspended');
    expectError(await call('GET', `/v1/creators/${c.handle}`), 404, 'not_found');
  });
});

describe('GET|PUT /v1/admin/commission', () => {
  it('reads the rate in force with its history, newest first', async () => {
    const start = await commission();
    expect(Number.isInteger(start.bps)).toBe(true);
    const put = await setCommission(250);
    expect(put.json).toEqual({
      bps: 250,
      changed: true,
      effectiveAt: expect.any(String),
      appliesTo: expect.any(String),
    });
    await setCommission(10_000);
    await setCommission(0);
    const now = await commission();
    expect(now.bps).toBe(0);
    expect(now.history.slice(0, 3).map((h) => h.bps)).toEqual([0, 10_000, 250]);
    expect(now.history).toHaveLength(start.history.length + 3);
    const times = now.history.map((h) => Date.parse(h.effectiveAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  describe('refuses bad input with 400 and leaves the rate alone', () => {
    const cases: Array<[string, { body?: unknown; raw?: string; contentType?: string }, string?]> = [
      ['missing bps', { body: {} }],
      ['bps as a string', { body: { bps: '100' } }],
      ['bps null', { body: { bps: null } }],
      ['bps boolean', { body: { bps: true } }],
      ['fractional bps', { body: { bps: 12.5 } }],
      ['negative bps', { body: { bps: -1 } }],
      ['bps over 100%', { body: { bps: 10_001 } }],
      ['huge bps', { body: { bps: 1e20 } }],
      ['infinite bps', { raw: '{"bps":1e400}' }],
      ['unknown key', { body: { bps: 100, effectiveAt: '2000-01-01T00:00:00Z' } }],
      ['an array', { body: [100] }],
      ['a bare number', { body: 100 }],
      ['malformed JSON', { raw: '{"bps":100' }, 'invalid_json'],
      ['text/plain content-type', { raw: '{"bps":100}', contentType: 'text/plain' }],
      ['form-encoded body', { raw: 'bps=100', contentType: 'application/x-www-form-urlencoded' }],
    ];
    for (const [label, input, code] of cases) {
      it(label, async () => {
        const before = await commission();
        const auditBefore = (await audit()).length;
        const res = await call('PUT', '/v1/admin/commission', {
          token: await admin(),
          ...(input.raw !== undefined ? { raw: input.raw } : { body: input.body }),
          headers: { 'Content-Type': input.contentType ?? 'application/json' },
        });
        if (input.contentType) expectError(res, 415, 'unsupported_media_type');
        else expectInvalid(res, code);
        expect(await commission()).toEqual(before);
        expect((await audit()).length).toBe(auditBefore);
      });
    }

    it('an oversized body answers 413', async () => {
      const before = await commission();
      const res = await call('PUT', '/v1/admin/commission', {
        token: await admin(),
        body: { bps: 100, pad: 'x'.repeat(70 * 1024) },
      });
      expectError(res, 413, 'payload_too_large');
      expect(await commission()).toEqual(before);
    });
  });

  it('applies only to purchases started after the change', async () => {
    await setCommission(0);
    const { owner, series, ep2, ep3 } = await publishedSeries();
    const [early, late, slowPayer, lateToo] = await Promise.all([signup(), signup(), signup(), signup()]);
    const bps = 1234;
    const cut = (amount: number) => Math.floor((amount * bps) / 10_000);
    try {
      await buy(early.token, { episodeId: ep2.id }); // 199 at 0 bps
      const pending = await startCheckout(slowPayer.token, { seriesId: series.id }); // 499, started at 0 bps
      expect(pending.status).toBe(201);

      const before = await summaryTotals(owner.token);
      expect(before.totals).toEqual([
        { currency: 'USD', sales: 1, gross: 199, refunded: 0, commission: 0, payout: 199, tax: 0, buyers: 1 },
      ]);

      await setCommission(bps);
      expect((await commission()).bps).toBe(bps);

      await buy(late.token, { episodeId: ep3.id }); // 299 at 1234 bps
      expect((await submitCheckout(pending.json.checkoutUrl)).status).toBe(303); // paid now, priced then
      await buy(lateToo.token, { episodeId: ep2.id }); // 199 at 1234 bps

      const after = await summaryTotals(owner.token);
      expect(after.currentCommissionBps).toBe(bps);
      const commissionTotal = cut(299) + cut(199);
      expect(cut(299)).toBe(36);
      expect(cut(199)).toBe(24);
      expect(after.totals).toEqual([
        {
          currency: 'USD',
          sales: 4,
          gross: 199 + 299 + 499 + 199,
          refunded: 0,
          commission: commissionTotal,
          payout: 199 + 299 + 499 + 199 - commissionTotal,
          tax: 0,
          buyers: 4,
        },
      ]);

      const rows = (await call('GET', `/v1/analytics/episodes?seriesId=${series.id}`, { token: owner.token })).json
        .rows as any[];
      const byItem = (pred: (r: any) => boolean) => rows.find(pred);
      expect(byItem((r) => r.episodeId === ep2.id)).toMatchObject({
        sales: 2,
        gross: 398,
        commission: cut(199),
        payout: 398 - cut(199),
      });
      expect(byItem((r) => r.episodeId === ep3.id)).toMatchObject({
        sales: 1,
        gross: 299,
        commission: 36,
        payout: 263,
      });
      expect(byItem((r) => r.kind === 'series')).toMatchObject({ sales: 1, gross: 499, commission: 0, payout: 499 });

      // A later change does not rewrite what was already sold.
      await setCommission(5000);
      expect((await summaryTotals(owner.token)).totals[0]).toMatchObject({ commission: commissionTotal });
    } finally {
      await setCommission(0);
    }
  });
});

describe('GET /v1/admin/audit', () => {
  it('lists approvals, suspensions and commission changes with the admin email, newest first', async () => {
    const c = await creator('pending');
    const token = await admin();
    const previous = (await commission()).bps;
    expect((await call('POST', `/v1/admin/creators/${c.handle}/approve`, { token })).status).toBe(200);
    expect((await call('POST', `/v1/admin/creators/${c.handle}/suspend`, { token })).status).toBe(200);
    await setCommission(777);
    await setCommission(previous);

    const entries = await audit();
    const mine = entries.filter((e) => e.target === c.handle || e.action === 'commission.set').slice(0, 4);
    expect(mine.map((e) => [e.action, e.target])).toEqual([
      ['commission.set', 'platform'],
      ['commission.set', 'platform'],
      ['creator.suspend', c.handle],
      ['creator.approve', c.handle],
    ]);
    expect(mine[0]!.detail).toEqual({ from: 777, to: previous });
    expect(mine[1]!.detail).toEqual({ from: previous, to: 777 });
    for (const e of mine) {
      expect(e.actor).toBe(ADMIN_EMAIL);
      expect(Date.parse(e.at)).not.toBeNaN();
      expect(Date.now() - Date.parse(e.at)).toBeLessThan(60_000);
    }
    const times = entries.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    // Refused attempts leave no trace.
    const stranger = await signup();
    await call('POST', `/v1/admin/creators/${c.handle}/approve`, { token: stranger.token });
    const again = await audit();
    expect(again.filter((e) => e.target === c.handle)).toHaveLength(2);
    expect(again.some((e) => e.actor === stranger.email)).toBe(false);
  });
});
