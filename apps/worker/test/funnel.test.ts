import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  addEpisode,
  buy,
  call,
  creator,
  createSeries,
  expectError,
  publishedSeries,
  signup,
  startCheckout,
} from './helpers';
import { runCron } from './cron-helpers';
import { drainViews, reportPage, reportViews, viewCall } from './views-helpers';

const funnel = async (token: string, query = '') => {
  const res = await call('GET', `/v1/analytics/funnel${query}`, { token });
  expect(res.status).toBe(200);
  return res.json.rows as {
    kind: string;
    episodeId: string | null;
    views: number;
    checkouts: number;
    purchases: number;
  }[];
};

describe('POST /v1/views and GET /v1/analytics/funnel', () => {
  it('counts views, checkouts and purchases per episode, anonymously', async () => {
    const { owner, series, trailer, ep2, ep3 } = await publishedSeries();
    const report = await reportViews([ep2.id, ep3.id]);
    expect(report.status).toBe(202);
    expect(report.json).toEqual({ accepted: 2 });
    await reportViews([ep2.id]);
    // Counted by the VIEWS queue's consumer, after the requests.
    expect((await funnel(owner.token, `?seriesId=${series.id}`)).find((r) => r.episodeId === ep2.id)?.views).toBe(0);
    await drainViews();
    const viewer = await signup();
    await startCheckout(viewer.token, { episodeId: ep3.id });
    await buy(viewer.token, { episodeId: ep2.id });
    await buy((await signup()).token, { seriesId: series.id });

    const rows = await funnel(owner.token, `?seriesId=${series.id}`);
    expect(rows.map((r) => [r.episodeId, r.views, r.checkouts, r.purchases])).toEqual([
      [trailer.id, 0, 0, 0],
      [ep2.id, 2, 1, 1],
      [ep3.id, 1, 1, 0],
      [null, 0, 1, 1],
    ]);
  });

  it('stores no viewer: only counters per episode and day', async () => {
    const { ep2 } = await publishedSeries();
    const viewer = await signup();
    expect((await viewCall('POST', '/v1/views', { token: viewer.token, body: { episodeIds: [ep2.id] } })).status).toBe(
      202,
    );
    await drainViews();
    const row = await env.DB.prepare('SELECT * FROM funnel_daily WHERE episode_id = ?').bind(ep2.id).first();
    expect(Object.keys(row!).sort()).toEqual(['checkouts', 'creator_id', 'day', 'episode_id', 'series_id', 'views']);
    expect(JSON.stringify(row)).not.toContain(viewer.user.id);
  });

  it('ignores drafts and unknown episodes, and refuses bad reports with 400', async () => {
    const owner = await creator();
    const draft = await createSeries(owner.token);
    const ep = await addEpisode(owner.token, draft.id);
    expect((await reportViews([ep.id, 'ep_unknown0000000000000'])).status).toBe(202);
    await drainViews();
    for (const body of [
      {},
      { episodeIds: [] },
      { episodeIds: ['x'] },
      { episodeIds: Array(51).fill(ep.id) },
      { episodeIds: [ep.id, ep.id] },
    ]) {
      expect((await viewCall('POST', '/v1/views', { body })).status).toBe(400);
    }
    expect(await drainViews()).toBe(0);
    expect(await funnel(owner.token)).toEqual([
      { kind: 'episode', seriesId: draft.id, episodeId: ep.id, title: 'Episode', views: 0, checkouts: 0, purchases: 0 },
    ]);
  });

  it('an idempotent checkout replay counts once', async () => {
    const { owner, ep2 } = await publishedSeries();
    const viewer = await signup();
    await startCheckout(viewer.token, { episodeId: ep2.id }, 'same-key-123');
    await startCheckout(viewer.token, { episodeId: ep2.id }, 'same-key-123');
    expect((await funnel(owner.token)).find((r) => r.episodeId === ep2.id)?.checkouts).toBe(1);
  });

  it("is the creator's own data only", async () => {
    const { owner, ep2 } = await publishedSeries();
    await reportViews([ep2.id]);
    await drainViews();
    expect((await funnel(owner.token)).find((r) => r.episodeId === ep2.id)?.views).toBe(1);
    const other = await creator();
    expect(await funnel(other.token)).toEqual([]);
    expect((await call('GET', '/v1/analytics/funnel')).status).toBe(401);
    expect((await call('GET', '/v1/analytics/funnel', { token: (await signup()).token })).status).toBe(403);
  });
});

describe('anonymous views count once per client address and day', () => {
  const report = reportViews;
  const page = reportPage;
  const views = async (token: string, episodeId: string) => {
    await drainViews();
    return (await funnel(token)).find((r) => r.episodeId === episodeId)?.views;
  };
  const sources = async (token: string) => {
    await drainViews();
    const rows: { source: string | null }[] = (await call('GET', '/v1/analytics/funnel', { token })).json.sources;
    return rows.sort((a, b) => (a.source ?? '').localeCompare(b.source ?? ''));
  };

  it('an episode counts once per address a day, however often and in whatever batches it is reported', async () => {
    const { owner, ep2, ep3 } = await publishedSeries();
    const ip = '203.0.113.7';
    await report([ep2.id], ip);
    expect(await views(owner.token, ep2.id)).toBe(1);
    for (let i = 0; i < 5; i++) await report([ep2.id], ip);
    expect(await views(owner.token, ep2.id)).toBe(1);
    // A later batch with one new episode counts that one only.
    await report([ep2.id, ep3.id], ip);
    expect(await views(owner.token, ep2.id)).toBe(1);
    expect(await views(owner.token, ep3.id)).toBe(1);
    // Another address counts; one in the same IPv6 /64 as an earlier one does not, even in the same delivery.
    await report([ep2.id], '203.0.113.8');
    await report([ep2.id], '2001:db8:5:6::1');
    await report([ep2.id], '2001:0db8:0005:0006:ffff:1:2:3');
    await report([ep2.id, ep3.id], '203.0.113.8');
    expect(await views(owner.token, ep2.id)).toBe(3);
    expect(await views(owner.token, ep3.id)).toBe(2);
  });

  it('a storefront page counts once per address a day, whatever the link source', async () => {
    const { owner, series } = await publishedSeries();
    const ip = '203.0.113.20';
    expect((await page({ handle: owner.handle, source: 'bio' }, ip)).json).toEqual({ accepted: 1 });
    expect(await sources(owner.token)).toEqual([{ source: 'bio', views: 1, checkouts: 0, purchases: 0 }]);
    await page({ handle: owner.handle, source: 'story' }, ip);
    await page({ handle: owner.handle }, ip);
    expect(await sources(owner.token)).toEqual([{ source: 'bio', views: 1, checkouts: 0, purchases: 0 }]);
    // The series' page is another page.
    await page({ handle: owner.handle, seriesId: series.id }, ip);
    await page({ handle: owner.handle, source: 'story' }, '203.0.113.21');
    // One delivery holding the same page from one address under two sources: the first report's source counts.
    await page({ handle: owner.handle, source: 'story' }, '203.0.113.22');
    await page({ handle: owner.handle, source: 'bio' }, '203.0.113.22');
    expect(await sources(owner.token)).toEqual([
      { source: null, views: 1, checkouts: 0, purchases: 0 },
      { source: 'bio', views: 1, checkouts: 0, purchases: 0 },
      { source: 'story', views: 2, checkouts: 0, purchases: 0 },
    ]);
  });

  it('stores no address: a mark per address, day and item, unrelated to the others and to the address', async () => {
    const { ep2, ep3 } = await publishedSeries();
    const ip = '203.0.113.30';
    const before = await env.DB.prepare('SELECT mark FROM view_marks').all<{ mark: string }>();
    await report([ep2.id, ep3.id], ip);
    await report([ep2.id], '203.0.113.31');
    await drainViews();
    const known = new Set(before.results.map((r) => r.mark));
    const added = (await env.DB.prepare('SELECT * FROM view_marks').all<Record<string, string>>()).results.filter(
      (r) => !known.has(r['mark']!),
    );
    expect(added).toHaveLength(3);
    expect(Object.keys(added[0]!).sort()).toEqual(['batch', 'day', 'mark']);
    expect(new Set(added.map((r) => r['mark'])).size).toBe(3);
    for (const row of added) {
      expect(row['mark']).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(JSON.stringify(row)).not.toContain('203.0.113');
    }
  });

  it("marks of past days are deleted by the hourly job; today's stay", async () => {
    const { owner, ep2 } = await publishedSeries();
    await report([ep2.id], '203.0.113.60');
    await drainViews();
    await env.DB.prepare(
      "INSERT INTO view_marks (mark, day, batch) VALUES ('old-mark-00000000000000', '2000-01-01', 'b')",
    ).run();
    const days = async () =>
      (await env.DB.prepare('SELECT DISTINCT day FROM view_marks ORDER BY day').all<{ day: string }>()).results.map(
        (r) => r.day,
      );
    expect(await days()).toContain('2000-01-01');
    await runCron();
    expect(await days()).toEqual([new Date().toISOString().slice(0, 10)]);
    // Still counted once today after the job ran.
    await report([ep2.id], '203.0.113.60');
    expect(await views(owner.token, ep2.id)).toBe(1);
  });

  it('unknown, draft and off-sale episodes leave no mark', async () => {
    const owner = await creator();
    const draft = await createSeries(owner.token);
    const ep = await addEpisode(owner.token, draft.id);
    const count = async () => (await env.DB.prepare('SELECT COUNT(*) AS n FROM view_marks').first<{ n: number }>())!.n;
    const before = await count();
    await report([ep.id, 'ep_unknown0000000000000'], '203.0.113.40');
    await page({ handle: owner.handle, seriesId: draft.id }, '203.0.113.40');
    await page({ handle: 'nobody_here_00', seriesId: draft.id }, '203.0.113.40');
    expect(await drainViews()).toBe(1);
    expect(await count()).toBe(before);
    expect(await sources(owner.token)).toEqual([]);
  });

  it('reports are limited to 120 a minute per client address (both routes together)', async () => {
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 15_000) await new Promise((r) => setTimeout(r, left + 50));
    const { owner, ep2 } = await publishedSeries();
    const ip = '203.0.113.50';
    for (let i = 0; i < 60; i++) expect((await report([ep2.id], ip)).status).toBe(202);
    for (let i = 0; i < 60; i++) expect((await page({ handle: owner.handle }, ip)).status).toBe(202);
    const limited = await report([ep2.id], ip);
    expectError(limited, 429, 'rate_limited');
    expect(limited.headers.get('Retry-After')).toBe('60');
    expectError(await page({ handle: owner.handle }, ip), 429, 'rate_limited');
    expect((await report([ep2.id], '203.0.113.51')).status).toBe(202);
  });
});
