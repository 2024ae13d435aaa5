import { exports } from 'cloudflare:workers';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { admin, call, ORIGIN, publishedSeries } from './helpers';

const worker = (exports as unknown as { default: { fetch(r: Request): Promise<Response> } }).default;
const get = (path: string, headers: Record<string, string> = {}) =>
  worker.fetch(new Request(`${ORIGIN}${path}`, { headers }));

describe('public catalogue cache', () => {
  it('answers with an ETag, and 304 when the client already has it', async () => {
    const { series } = await publishedSeries();
    const first = await get(`/v1/series/${series.id}`);
    const etag = first.headers.get('ETag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(first.headers.get('Cache-Control')).toContain('public');
    const again = await get(`/v1/series/${series.id}`, { 'If-None-Match': etag! });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect((await get(`/v1/series/${series.id}`, { 'If-None-Match': '"other"' })).status).toBe(200);
  });

  it('a price change shows at once (the cached answer is purged), with a new ETag', async () => {
    const { owner, series, ep2 } = await publishedSeries();
    const before = await get(`/v1/series/${series.id}`);
    const etag = before.headers.get('ETag')!;
    await call('PATCH', `/v1/episodes/${ep2.id}`, { token: owner.token, body: { price: 399 } });
    const after = await get(`/v1/series/${series.id}`, { 'If-None-Match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('ETag')).not.toBe(etag);
    const body = (await after.json()) as { series: { episodes: { id: string; price: number }[] } };
    expect(body.series.episodes.find((e) => e.id === ep2.id)?.price).toBe(399);
  });

  it('suspending a creator takes their cached profile and lookups down at once', async () => {
    const { owner } = await publishedSeries();
    expect((await get(`/v1/creators/${owner.handle}`)).status).toBe(200);
    await call('POST', `/v1/admin/creators/${owner.handle}/suspend`, { token: await admin() });
    expect((await get(`/v1/creators/${owner.handle}`)).status).toBe(404);
  });

  it('query strings cannot bypass or split the cache', async () => {
    const { series, owner, ep3 } = await publishedSeries();
    await get(`/v1/series/${series.id}?bust=1`);
    await call('PATCH', `/v1/episodes/${ep3.id}`, { token: owner.token, body: { title: 'Renamed' } });
    const fresh = (await (await get(`/v1/series/${series.id}?bust=2`)).json()) as {
      series: { episodes: { title: string }[] };
    };
    expect(fresh.series.episodes.map((e) => e.title)).toContain('Renamed');
  });

  describe('the in-memory copy in front of the Cache API', () => {
    afterEach(() => vi.useRealTimers());
    const titleOf = async (path: string) =>
      ((await (await get(path)).json()) as { series: { title: string } }).series.title;

    it('serves a write that bypassed the purge (as in another isolate) for at most a few seconds', async () => {
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
      const { series } = await publishedSeries();
      const path = `/v1/series/${series.id}`;
      expect(await titleOf(path)).toBe('My Series');
      // Another isolate's write: the database and the shared cache change, this isolate's memory does not.
      await env.DB.prepare('UPDATE series SET title = ? WHERE id = ?').bind('Renamed elsewhere', series.id).run();
      await (caches as unknown as { default: Cache }).default.delete(`https://public-catalog.series.internal${path}`);
      expect(await titleOf(path)).toBe('My Series');
      vi.advanceTimersByTime(5_001);
      expect(await titleOf(path)).toBe('Renamed elsewhere');
    });

    it('answers 304 from memory to a client that has the current ETag', async () => {
      const { series } = await publishedSeries();
      const first = await get(`/v1/series/${series.id}`);
      const again = await get(`/v1/series/${series.id}`, { 'If-None-Match': first.headers.get('ETag')! });
      expect(again.status).toBe(304);
      expect(again.headers.get('Cache-Control')).toContain('public');
    });
  });
});
