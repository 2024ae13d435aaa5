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
} from './helpers';
import { order, fill, json, MISSING_SERIES, valid, videoId } from './episodes-helpers';

describe('POST /v1/series/:id/episodes', () => {
  it('adds numbered episodes to the creator’s series', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    const vid = videoId();
    const res = await call('POST', `/v1/series/${series.id}/episodes`, {
      token: owner.token,
      body: { title: '  Pilot ', durationSeconds: 1200, price: 199, videoId: vid },
    });
    expect(res.status).toBe(201);
    expect(res.json.episode.id).toMatch(/^ep_[0-9A-Za-z]{16,32}$/);
    expect(res.json.episode).toMatchObject({
      number: 1,
      title: 'Pilot',
      durationSeconds: 1200,
      price: 199,
      free: false,
      videoId: vid,
      releaseAt: null,
      released: true,
      seriesId: series.id,
    });
    const trailer = await call('POST', `/v1/series/${series.id}/episodes`, {
      token: owner.token,
      body: { title: 'Trailer', durationSeconds: 1, price: null },
    });
    expect(trailer.status).toBe(201);
    expect(trailer.json.episode).toMatchObject({
      number: 2,
      price: null,
      free: true,
      videoId: null,
      durationSeconds: 1,
    });

    const s = await mineOne(owner.token, series.id);
    expect(s).toMatchObject({ episodeCount: 2, priceRange: { min: 199, max: 199 } });
    expect(s.episodes.map((e: { id: string }) => e.id)).toEqual([res.json.episode.id, trailer.json.episode.id]);
  });

  it('accepts a future releaseAt, shown as not yet released', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    const releaseAt = new Date(Date.now() + 86_400_000).toISOString();
    const res = await call('POST', `/v1/series/${series.id}/episodes`, {
      token: owner.token,
      body: { ...valid, releaseAt },
    });
    expect(res.status).toBe(201);
    expect(res.json.episode).toMatchObject({ releaseAt, released: false });
  });

  it('accepts prices at the currency bounds: USD 99 and 18999, JPY 150 and 28000', async () => {
    const owner = await creator();
    const usd = await createSeries(owner.token, { currency: 'USD' });
    const yen = await createSeries(owner.token, { currency: 'JPY' });
    for (const [seriesId, price] of [
      [usd.id, 99],
      [usd.id, 18_999],
      [yen.id, 150],
      [yen.id, 28_000],
    ] as const) {
      const res = await call('POST', `/v1/series/${seriesId}/episodes`, {
        token: owner.token,
        body: { ...valid, price },
      });
      expect(res.status, `${seriesId} ${price}`).toBe(201);
      expect(res.json.episode.price).toBe(price);
    }
    expect((await mineOne(owner.token, yen.id)).priceRange).toEqual({ min: 150, max: 28_000 });
  });

  it('lets a pending creator add episodes to a draft', async () => {
    const owner = await creator('pending');
    const series = await createSeries(owner.token);
    const res = await call('POST', `/v1/series/${series.id}/episodes`, { token: owner.token, body: valid });
    expect(res.status).toBe(201);
    expect((await mineOne(owner.token, series.id)).episodeCount).toBe(1);
  });

  it('shows an episode added to a published series publicly at once', async () => {
    const { owner, series } = await publishedSeries();
    const ep = await addEpisode(owner.token, series.id, { title: 'Bonus' });
    expect(ep.number).toBe(4);
    const pub = await call('GET', `/v1/series/${series.id}`);
    expect(pub.json.series.episodes.at(-1)).toMatchObject({ id: ep.id, number: 4, title: 'Bonus' });
  });

  const badBodies: [string, unknown, string, string][] = [
    ['missing title', { durationSeconds: 600, price: 199 }, 'invalid_request', 'title'],
    ['missing durationSeconds', { title: 'T', price: 199 }, 'invalid_request', 'durationSeconds'],
    [
      'missing price (null means free, absent is an error)',
      { title: 'T', durationSeconds: 600 },
      'invalid_request',
      'price',
    ],
    ['title of the wrong type', { ...valid, title: 1 }, 'invalid_request', 'title'],
    ['empty title', { ...valid, title: ' ' }, 'invalid_request', 'title'],
    ['title over 120 characters', { ...valid, title: 'e'.repeat(121) }, 'invalid_request', 'title'],
    ['title with a newline', { ...valid, title: 'two\nlines' }, 'invalid_request', 'title'],
    ['durationSeconds 0', { ...valid, durationSeconds: 0 }, 'invalid_request', 'durationSeconds'],
    ['negative durationSeconds', { ...valid, durationSeconds: -60 }, 'invalid_request', 'durationSeconds'],
    ['fractional durationSeconds', { ...valid, durationSeconds: 60.5 }, 'invalid_request', 'durationSeconds'],
    ['durationSeconds as a string', { ...valid, durationSeconds: '600' }, 'invalid_request', 'durationSeconds'],
    ['negative price', { ...valid, price: -199 }, 'invalid_request', 'price'],
    ['fractional price', { ...valid, price: 1.99 }, 'invalid_request', 'price'],
    ['price as a string', { ...valid, price: '199' }, 'invalid_request', 'price'],
    ['price as an object', { ...valid, price: { amount: 199, currency: 'USD' } }, 'invalid_request', 'price'],
    ['zero price (free is null)', { ...valid, price: 0 }, 'invalid_price', 'price'],
    ['USD 98, below the minimum', { ...valid, price: 98 }, 'invalid_price', 'price'],
    ['USD 19000, above the maximum', { ...valid, price: 19_000 }, 'invalid_price', 'price'],
    ['non-numeric videoId', { ...valid, videoId: 'dQw4w9WgXcQ' }, 'invalid_request', 'videoId'],
    ['numeric (not string) videoId', { ...valid, videoId: 7123 }, 'invalid_request', 'videoId'],
    ['videoId over 25 digits', { ...valid, videoId: '1'.repeat(26) }, 'invalid_request', 'videoId'],
    ['releaseAt that is not a date-time', { ...valid, releaseAt: 'tomorrow' }, 'invalid_request', 'releaseAt'],
    ['unknown key currency', { ...valid, currency: 'EUR' }, 'invalid_request', ''],
    ['unknown key number', { ...valid, number: 1 }, 'invalid_request', ''],
    ['unknown key seriesId', { ...valid, seriesId: MISSING_SERIES }, 'invalid_request', ''],
    ['an array', [valid], 'invalid_request', ''],
  ];

  it.each(badBodies)('answers 400 for %s and writes nothing', async (_label, body, code, path) => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    await addEpisode(owner.token, series.id, { title: 'Existing' });
    const before = await mine(owner.token);
    const res = await call('POST', `/v1/series/${series.id}/episodes`, { token: owner.token, body });
    expectError(res, 400, code, path);
    expect(await mine(owner.token)).toEqual(before);
  });

  it('answers 400 episode_too_long for 1201 seconds, saying episodes last at most 20 minutes, and writes nothing', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    const res = await call('POST', `/v1/series/${series.id}/episodes`, {
      token: owner.token,
      body: { ...valid, durationSeconds: 1201 },
    });
    expectError(res, 400, 'episode_too_long', 'durationSeconds');
    expect(res.json.error.message).toContain('20 minutes');
    expect((await mineOne(owner.token, series.id)).episodeCount).toBe(0);
  });

  it('still answers episode_too_long, led by the duration, when other fields are wrong too', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    const res = await call('POST', `/v1/series/${series.id}/episodes`, {
      token: owner.token,
      body: { title: '', durationSeconds: 3600, price: -1 },
    });
    expectError(res, 400, 'episode_too_long', 'durationSeconds');
    expect(res.json.error.message).toBe('durationSeconds: An episode lasts at most 20 minutes');
    expect(res.json.error.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'durationSeconds',
      'price',
      'title',
    ]);
    expect((await mineOne(owner.token, series.id)).episodeCount).toBe(0);
  });

  it('checks prices against the series currency: JPY 149, 28001 and 150.5 are refused', async () => {
    const owner = await creator();
    const yen = await createSeries(owner.token, { currency: 'JPY' });
    for (const price of [149, 28_001]) {
      const res = await call('POST', `/v1/series/${yen.id}/episodes`, {
        token: owner.token,
        body: { ...valid, price },
      });
      expectError(res, 400, 'invalid_price', 'price');
      expect(res.json.error.message).toBe('Price must be between ¥150 and ¥28,000');
    }
    const fractional = await call('POST', `/v1/series/${yen.id}/episodes`, {
      token: owner.token,
      body: { ...valid, price: 150.5 },
    });
    expectError(fractional, 400, 'invalid_request', 'price');
    expect((await mineOne(owner.token, yen.id)).episodeCount).toBe(0);
  });

  it('answers 400 invalid_json for malformed JSON and writes nothing', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    const res = await call('POST', `/v1/series/${series.id}/episodes`, {
      token: owner.token,
      raw: '{"title":"T","durationSeconds":600,',
      headers: json,
    });
    expectError(res, 400, 'invalid_json');
    expect((await mineOne(owner.token, series.id)).episodeCount).toBe(0);
  });

  it('a link made without TikTok is unverified and blocks nobody: the same video again, and in another creator’s series', async () => {
    // (Verified links are unique: test/tiktok-videos.test.ts.)
    const owner = await creator();
    const other = await creator();
    const series = await createSeries(owner.token);
    const vid = videoId();
    await addEpisode(owner.token, series.id, { videoId: vid });
    const again = await call('POST', `/v1/series/${series.id}/episodes`, {
      token: owner.token,
      body: { ...valid, videoId: vid },
    });
    expect(again.status, again.text).toBe(201);
    expect(again.json.episode).toMatchObject({ videoId: vid, videoVerified: false });
    const theirs = await createSeries(other.token);
    const elsewhere = await call('POST', `/v1/series/${theirs.id}/episodes`, {
      token: other.token,
      body: { ...valid, videoId: vid },
    });
    expect(elsewhere.status, elsewhere.text).toBe(201);
    expect(elsewhere.json.episode.videoVerified).toBe(false);
  });

  it('answers 409 series_full for the 81st episode and keeps 80', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    await fill(owner.token, series.id, 80);
    const res = await call('POST', `/v1/series/${series.id}/episodes`, {
      token: owner.token,
      body: { ...valid, title: 'One too many' },
    });
    expectError(res, 409, 'series_full');
    expect(res.json.error.message).toContain('80');
    const titles = await order(owner.token, series.id);
    expect(titles).toHaveLength(80);
    expect(titles).not.toContain('One too many');
  });

  it('lets exactly one of 10 concurrent requests take the 80th place', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    await fill(owner.token, series.id, 79);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call('POST', `/v1/series/${series.id}/episodes`, {
          token: owner.token,
          body: { ...valid, title: `Racer ${i}` },
        }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(9).fill(409)]);
    for (const r of results.filter((x) => x.status === 409)) expectError(r, 409, 'series_full');
    const winner = results.find((r) => r.status === 201)!;
    expect(winner.json.episode.number).toBe(80);
    const titles = await order(owner.token, series.id);
    expect(titles).toHaveLength(80);
    expect(titles.filter((t) => t.startsWith('Racer'))).toEqual([winner.json.episode.title]);
  });

  it('frees a place when an episode is deleted from a full series', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    await fill(owner.token, series.id, 80);
    const first = (await mineOne(owner.token, series.id)).episodes[0];
    expect((await call('DELETE', `/v1/episodes/${first.id}`, { token: owner.token })).status).toBe(200);
    const res = await call('POST', `/v1/series/${series.id}/episodes`, {
      token: owner.token,
      body: { ...valid, title: 'Latest' },
    });
    expect(res.status).toBe(201);
    expect(res.json.episode.number).toBe(80);
    expect((await order(owner.token, series.id)).at(-1)).toBe('Latest');
  });

  it('answers 404 (not 403) to another creator and writes nothing', async () => {
    const owner = await creator();
    const other = await creator();
    const series = await createSeries(owner.token);
    const res = await call('POST', `/v1/series/${series.id}/episodes`, { token: other.token, body: valid });
    expectError(res, 404, 'not_found');
    expect((await mineOne(owner.token, series.id)).episodeCount).toBe(0);
    expect(await mine(other.token)).toEqual([]);
  });

  it('answers 404 for unknown and malformed series ids', async () => {
    const owner = await creator();
    expectError(
      await call('POST', `/v1/series/${MISSING_SERIES}/episodes`, { token: owner.token, body: valid }),
      404,
      'not_found',
    );
    expectError(await call('POST', '/v1/series/nope/episodes', { token: owner.token, body: valid }), 404, 'not_found');
  });

  it('answers 401 anonymously and 403 creator_required to a viewer and an admin, writing nothing', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    expectError(await call('POST', `/v1/series/${series.id}/episodes`, { body: valid }), 401, 'unauthorized');
    expectError(
      await call('POST', `/v1/series/${series.id}/episodes`, { token: (await signup()).token, body: valid }),
      403,
      'creator_required',
    );
    expectError(
      await call('POST', `/v1/series/${series.id}/episodes`, { token: await admin(), body: valid }),
      403,
      'creator_required',
    );
    expect((await mineOne(owner.token, series.id)).episodeCount).toBe(0);
  });
});

describe('buy all covers episodes added later', () => {
  it('gives a whole-series buyer access to an episode added after the purchase, and no one else', async () => {
    const { owner, series } = await publishedSeries({ bundlePrice: 499 });
    const buyer = await signup();
    const stranger = await signup();
    await buy(buyer.token, { seriesId: series.id });
    const later = await addEpisode(owner.token, series.id, { title: 'Added later', price: 999 });

    const access = await call('GET', `/v1/episodes/${later.id}/access`, { token: buyer.token });
    expect(access.status).toBe(200);
    expect(access.json).toMatchObject({ episodeId: later.id, reason: 'purchased' });
    expect((await call('GET', `/v1/episodes/${later.id}/access`, { token: stranger.token })).status).toBe(402);
  });

  it('does not extend a single-episode purchase to a later episode', async () => {
    const { owner, series, ep2 } = await publishedSeries();
    const buyer = await signup();
    await buy(buyer.token, { episodeId: ep2.id });
    const later = await addEpisode(owner.token, series.id, { title: 'Added later' });
    expect((await call('GET', `/v1/episodes/${later.id}/access`, { token: buyer.token })).status).toBe(402);
  });
});
