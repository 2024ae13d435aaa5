import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { addEpisode, buy, call, creator, createSeries, publishedSeries, signup, startCheckout } from './helpers';

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
    const report = await call('POST', '/v1/views', { body: { episodeIds: [ep2.id, ep3.id] } });
    expect(report.status).toBe(202);
    expect(report.json.counted).toBe(2);
    await call('POST', '/v1/views', { body: { episodeIds: [ep2.id] } });
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
    await call('POST', '/v1/views', { token: viewer.token, body: { episodeIds: [ep2.id] } });
    const row = await env.DB.prepare('SELECT * FROM funnel_daily WHERE episode_id = ?').bind(ep2.id).first();
    expect(Object.keys(row!).sort()).toEqual(['checkouts', 'creator_id', 'day', 'episode_id', 'series_id', 'views']);
    expect(JSON.stringify(row)).not.toContain(viewer.user.id);
  });

  it('ignores drafts and unknown episodes, and refuses bad reports with 400', async () => {
    const owner = await creator();
    const draft = await createSeries(owner.token);
    const ep = await addEpisode(owner.token, draft.id);
    expect(
      (await call('POST', '/v1/views', { body: { episodeIds: [ep.id, 'ep_unknown0000000000000'] } })).json.counted,
    ).toBe(0);
    for (const body of [
      {},
      { episodeIds: [] },
      { episodeIds: ['x'] },
      { episodeIds: Array(51).fill(ep.id) },
      { episodeIds: [ep.id, ep.id] },
    ]) {
      expect((await call('POST', '/v1/views', { body })).status).toBe(400);
    }
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
    const { ep2 } = await publishedSeries();
    await call('POST', '/v1/views', { body: { episodeIds: [ep2.id] } });
    const other = await creator();
    expect(await funnel(other.token)).toEqual([]);
    expect((await call('GET', '/v1/analytics/funnel')).status).toBe(401);
    expect((await call('GET', '/v1/analytics/funnel', { token: (await signup()).token })).status).toBe(403);
  });
});
