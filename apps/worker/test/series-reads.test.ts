import { describe, expect, it } from 'vitest';
import {
  addEpisode,
  admin,
  buy,
  call,
  createSeries,
  creator,
  expectError,
  mine,
  mineOne,
  publishedSeries,
  signup,
  startCheckout,
} from './helpers';
import { creatorId, MISSING_SERIES } from './series-helpers';

describe('DELETE /v1/series/:id', () => {
  it('deletes an unsold draft with its episodes; afterwards everything about it is 404', async () => {
    const owner = await creator();
    const keep = await createSeries(owner.token, { title: 'Keep' });
    const series = await createSeries(owner.token, { title: 'Drop' });
    const ep = await addEpisode(owner.token, series.id, { videoId: '7000000000000000001' });
    const res = await call('DELETE', `/v1/series/${series.id}`, { token: owner.token });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ deleted: true });
    expect((await mine(owner.token)).map((s) => s.id)).toEqual([keep.id]);
    expectError(await call('GET', `/v1/me/series/${series.id}`, { token: owner.token }), 404, 'not_found');
    expectError(await call('DELETE', `/v1/series/${series.id}`, { token: owner.token }), 404, 'not_found');
    expectError(
      await call('PATCH', `/v1/episodes/${ep.id}`, { token: owner.token, body: { title: 'x' } }),
      404,
      'not_found',
    );
    // The episode's video link went with it, so the video can be linked again.
    expect((await addEpisode(owner.token, keep.id, { videoId: '7000000000000000001' })).id).toBeTruthy();
  });

  it('deletes an unsold published series, which then disappears from public routes', async () => {
    const { owner, series } = await publishedSeries();
    expect((await call('DELETE', `/v1/series/${series.id}`, { token: owner.token })).status).toBe(200);
    expectError(await call('GET', `/v1/series/${series.id}`), 404, 'not_found');
    expect((await call('GET', `/v1/creators/${owner.handle}`)).json.series).toEqual([]);
    expect(await mine(owner.token)).toEqual([]);
  });

  it('deletes a series whose only checkouts were abandoned (never paid)', async () => {
    const { owner, series, ep2 } = await publishedSeries();
    const viewer = await signup();
    expect((await startCheckout(viewer.token, { episodeId: ep2.id })).status).toBe(201);
    expect((await startCheckout(viewer.token, { seriesId: series.id })).status).toBe(201);
    expect((await call('DELETE', `/v1/series/${series.id}`, { token: owner.token })).status).toBe(200);
    expect(await mine(owner.token)).toEqual([]);
  });

  it('refuses with 409 series_has_purchases when an episode was bought, and keeps everything', async () => {
    const { owner, series, ep2 } = await publishedSeries();
    const viewer = await signup();
    await buy(viewer.token, { episodeId: ep2.id });
    const before = await mine(owner.token);
    expectError(await call('DELETE', `/v1/series/${series.id}`, { token: owner.token }), 409, 'series_has_purchases');
    expect(await mine(owner.token)).toEqual(before);
    expect((await call('GET', `/v1/series/${series.id}`)).status).toBe(200);
    expect((await call('GET', `/v1/episodes/${ep2.id}/access`, { token: viewer.token })).status).toBe(200);
  });

  it('refuses with 409 series_has_purchases when the whole series was bought, even after unpublishing', async () => {
    const { owner, series } = await publishedSeries();
    await buy((await signup()).token, { seriesId: series.id });
    await call('POST', `/v1/series/${series.id}/unpublish`, { token: owner.token });
    expectError(await call('DELETE', `/v1/series/${series.id}`, { token: owner.token }), 409, 'series_has_purchases');
    expect((await mineOne(owner.token, series.id)).episodeCount).toBe(3);
  });

  it('answers 404 (not 403) to another creator and keeps the series', async () => {
    const owner = await creator();
    const other = await creator();
    const series = await createSeries(owner.token);
    expectError(await call('DELETE', `/v1/series/${series.id}`, { token: other.token }), 404, 'not_found');
    expect((await mine(owner.token)).map((s) => s.id)).toEqual([series.id]);
  });

  it('answers 401 anonymously and 403 creator_required to a viewer and an admin, keeping the series', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    expectError(await call('DELETE', `/v1/series/${series.id}`), 401, 'unauthorized');
    expectError(
      await call('DELETE', `/v1/series/${series.id}`, { token: (await signup()).token }),
      403,
      'creator_required',
    );
    expectError(await call('DELETE', `/v1/series/${series.id}`, { token: await admin() }), 403, 'creator_required');
    expect(await mine(owner.token)).toHaveLength(1);
  });
});

describe('GET /v1/me/series and /v1/me/series/:id', () => {
  it('lists only the caller’s series, newest first, drafts and published, with numbered episodes; never cached', async () => {
    const owner = await creator();
    const other = await creator();
    await createSeries(other.token, { title: 'Not mine' });
    const first = await createSeries(owner.token, { title: 'First' });
    await new Promise((r) => setTimeout(r, 5));
    const second = await createSeries(owner.token, { title: 'Second' });
    await addEpisode(owner.token, first.id, { title: 'A', price: null });
    await addEpisode(owner.token, first.id, { title: 'B', price: 299 });
    await call('POST', `/v1/series/${first.id}/publish`, { token: owner.token });

    const res = await call('GET', '/v1/me/series', { token: owner.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('private, no-store');
    expect(res.json.series.map((s: { id: string }) => s.id)).toEqual([second.id, first.id]);
    expect(res.json.series.map((s: { status: string }) => s.status)).toEqual(['draft', 'published']);
    const f = res.json.series[1];
    expect(f).toMatchObject({ episodeCount: 2, priceRange: { min: 299, max: 299 } });
    expect(f.episodes.map((e: any) => [e.number, e.title, e.free, e.seriesId])).toEqual([
      [1, 'A', true, first.id],
      [2, 'B', false, first.id],
    ]);
  });

  it('returns an empty list for a creator without series', async () => {
    const owner = await creator('pending');
    expect(await mine(owner.token)).toEqual([]);
  });

  it('returns one series in the owner view with episodes', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token, { bundlePrice: 999 });
    const ep = await addEpisode(owner.token, series.id, { title: 'One', videoId: '7100000000000000001' });
    const res = await call('GET', `/v1/me/series/${series.id}`, { token: owner.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('private, no-store');
    expect(res.json.series).toMatchObject({ id: series.id, status: 'draft', bundlePrice: 999, episodeCount: 1 });
    expect(res.json.series.episodes[0]).toMatchObject({
      id: ep.id,
      number: 1,
      title: 'One',
      price: 199,
      videoId: '7100000000000000001',
      seriesId: series.id,
    });
  });

  it('answers 404 (not 403) for another creator’s series, and for unknown or malformed ids', async () => {
    const owner = await creator();
    const other = await creator();
    const series = await createSeries(owner.token);
    expectError(await call('GET', `/v1/me/series/${series.id}`, { token: other.token }), 404, 'not_found');
    expectError(await call('GET', `/v1/me/series/${MISSING_SERIES}`, { token: owner.token }), 404, 'not_found');
    expectError(await call('GET', '/v1/me/series/ser_bad', { token: owner.token }), 404, 'not_found');
    expect((await mine(other.token)).map((s) => s.id)).not.toContain(series.id);
  });

  it('answers 401 anonymously and 403 creator_required to a viewer and an admin', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    expectError(await call('GET', '/v1/me/series'), 401, 'unauthorized');
    expectError(await call('GET', `/v1/me/series/${series.id}`), 401, 'unauthorized');
    const viewer = await signup();
    expectError(await call('GET', '/v1/me/series', { token: viewer.token }), 403, 'creator_required');
    expectError(await call('GET', `/v1/me/series/${series.id}`, { token: viewer.token }), 403, 'creator_required');
    expectError(await call('GET', '/v1/me/series', { token: await admin() }), 403, 'creator_required');
    expectError(await call('GET', `/v1/me/series/${series.id}`, { token: await admin() }), 403, 'creator_required');
  });
});

describe('GET /v1/series/:id (public)', () => {
  it('shows a published series with numbered episodes and prices, cacheable, without private data', async () => {
    const { owner, series, trailer, ep2, ep3 } = await publishedSeries({ bundlePrice: 499 });
    const res = await call('GET', `/v1/series/${series.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toMatch(/^public/);
    const s = res.json.series;
    expect(Object.keys(s).sort()).toEqual(
      [
        'bundlePrice',
        // A temporary discount on the whole series (issue 20): none here.
        'bundleSale',
        'coverThumb',
        'coverUrl',
        'creator',
        'currency',
        'description',
        'episodeCount',
        'episodes',
        'freeEpisodeCount',
        'id',
        'priceRange',
        'rating',
        'slug',
        'title',
      ].sort(),
    );
    expect(s).toMatchObject({
      id: series.id,
      currency: 'USD',
      bundlePrice: 499,
      episodeCount: 3,
      freeEpisodeCount: 1,
      priceRange: { min: 199, max: 299 },
      creator: { handle: owner.handle, displayName: 'Demo Creator', verified: null },
    });
    expect(Object.keys(s.creator).sort()).toEqual(['displayName', 'handle', 'verified']);
    expect(s.episodes.map((e: any) => [e.id, e.number, e.price, e.free])).toEqual([
      [trailer.id, 1, null, true],
      [ep2.id, 2, 199, false],
      [ep3.id, 3, 299, false],
    ]);
    for (const e of s.episodes) expect(e).not.toHaveProperty('seriesId');
    const cid = await creatorId(owner.token);
    for (const secret of [owner.email, owner.user.id, cid, 'status', 'playbackUrl', '/v1/media'])
      expect(res.text).not.toContain(secret);
  });

  it('answers 404 for a draft, even to its owner', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    await addEpisode(owner.token, series.id);
    expectError(await call('GET', `/v1/series/${series.id}`), 404, 'not_found');
    expectError(await call('GET', `/v1/series/${series.id}`, { token: owner.token }), 404, 'not_found');
  });

  it('answers 404 once the series is unpublished, and once the creator is suspended', async () => {
    const a = await publishedSeries();
    await call('POST', `/v1/series/${a.series.id}/unpublish`, { token: a.owner.token });
    expectError(await call('GET', `/v1/series/${a.series.id}`), 404, 'not_found');

    const b = await publishedSeries();
    expect((await call('POST', `/v1/admin/creators/${b.owner.handle}/suspend`, { token: await admin() })).status).toBe(
      200,
    );
    expectError(await call('GET', `/v1/series/${b.series.id}`), 404, 'not_found');
    expectError(await call('GET', `/v1/creators/${b.owner.handle}`), 404, 'not_found');
  });

  it('answers 404 for unknown and malformed ids', async () => {
    expectError(await call('GET', `/v1/series/${MISSING_SERIES}`), 404, 'not_found');
    expectError(await call('GET', '/v1/series/%27%20OR%201%3D1'), 404, 'not_found');
  });
});

describe('GET /v1/creators/:handle (drafts stay private)', () => {
  it('lists only published series, without private data', async () => {
    const { owner, series } = await publishedSeries();
    const draft = await createSeries(owner.token, { title: 'Secret draft' });
    await addEpisode(owner.token, draft.id, { title: 'Secret episode' });
    const res = await call('GET', `/v1/creators/${owner.handle}`);
    expect(res.status).toBe(200);
    expect(res.json.series.map((s: { id: string }) => s.id)).toEqual([series.id]);
    expect(res.text).not.toContain(draft.id);
    expect(res.text).not.toContain('Secret');
    const cid = await creatorId(owner.token);
    for (const secret of [owner.email, owner.user.id, cid]) expect(res.text).not.toContain(secret);
  });
});
