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
import { env } from 'cloudflare:workers';
import { countedCall } from './d1-counter';
import { fill, order, json, MISSING_EPISODE, MISSING_SERIES, videoId } from './episodes-helpers';

describe('PATCH /v1/episodes/:id', () => {
  it('updates the given fields and leaves the others alone', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    const ep = await addEpisode(owner.token, series.id, { title: 'Old', durationSeconds: 300, price: 199 });
    const vid = videoId();
    const releaseAt = new Date(Date.now() + 3_600_000).toISOString();
    const res = await call('PATCH', `/v1/episodes/${ep.id}`, {
      token: owner.token,
      body: { title: 'New', durationSeconds: 1200, videoId: vid, releaseAt },
    });
    expect(res.status).toBe(200);
    expect(res.json.episode).toMatchObject({
      id: ep.id,
      number: 1,
      title: 'New',
      durationSeconds: 1200,
      price: 199,
      videoId: vid,
      releaseAt,
      released: false,
    });
    expect((await mineOne(owner.token, series.id)).episodes[0]).toMatchObject({
      title: 'New',
      videoId: vid,
      price: 199,
    });
  });

  it('makes an episode free with price null, premium again with a price, and unlinks a video with null', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    const ep = await addEpisode(owner.token, series.id, { videoId: videoId() });
    const free = await call('PATCH', `/v1/episodes/${ep.id}`, {
      token: owner.token,
      body: { price: null, videoId: null },
    });
    expect(free.status).toBe(200);
    expect(free.json.episode).toMatchObject({ price: null, free: true, videoId: null });
    const paid = await call('PATCH', `/v1/episodes/${ep.id}`, { token: owner.token, body: { price: 18_999 } });
    expect(paid.json.episode).toMatchObject({ price: 18_999, free: false });
    expect((await mineOne(owner.token, series.id)).episodes[0]).toMatchObject({ price: 18_999, videoId: null });
  });

  it('checks a new price against the series currency (JPY)', async () => {
    const owner = await creator();
    const yen = await createSeries(owner.token, { currency: 'JPY' });
    const ep = await addEpisode(owner.token, yen.id, { price: 500 });
    expect((await call('PATCH', `/v1/episodes/${ep.id}`, { token: owner.token, body: { price: 28_000 } })).status).toBe(
      200,
    );
    const low = await call('PATCH', `/v1/episodes/${ep.id}`, { token: owner.token, body: { price: 149 } });
    expectError(low, 400, 'invalid_price', 'price');
    expect(low.json.error.message).toContain('¥150');
    expect((await mineOne(owner.token, yen.id)).episodes[0].price).toBe(28_000);
  });

  it('accepts relinking the episode’s own video', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    const vid = videoId();
    const ep = await addEpisode(owner.token, series.id, { videoId: vid });
    const res = await call('PATCH', `/v1/episodes/${ep.id}`, {
      token: owner.token,
      body: { videoId: vid, title: 'Same video' },
    });
    expect(res.status).toBe(200);
    expect(res.json.episode).toMatchObject({ videoId: vid, title: 'Same video' });
  });

  it('links, without TikTok, a video another episode links: unverified, so allowed (verified links: tiktok-videos.test.ts)', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    const vid = videoId();
    await addEpisode(owner.token, series.id, { title: 'Holder', videoId: vid });
    const ep = await addEpisode(owner.token, series.id, { title: 'Mover' });
    const res = await call('PATCH', `/v1/episodes/${ep.id}`, {
      token: owner.token,
      body: { videoId: vid, title: 'Changed', number: 1 },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.episode).toMatchObject({ videoId: vid, videoVerified: false, number: 1 });
  });

  const badPatches: [string, unknown, string, string][] = [
    ['an empty patch', {}, 'invalid_request', ''],
    ['currency', { currency: 'EUR' }, 'invalid_request', ''],
    ['unknown key seriesId', { seriesId: MISSING_SERIES }, 'invalid_request', ''],
    ['title of the wrong type', { title: false }, 'invalid_request', 'title'],
    ['empty title', { title: '' }, 'invalid_request', 'title'],
    ['title over 120 characters', { title: 't'.repeat(121) }, 'invalid_request', 'title'],
    ['durationSeconds 0', { durationSeconds: 0 }, 'invalid_request', 'durationSeconds'],
    ['null durationSeconds', { durationSeconds: null }, 'invalid_request', 'durationSeconds'],
    ['fractional durationSeconds', { durationSeconds: 90.25 }, 'invalid_request', 'durationSeconds'],
    ['negative price', { price: -5 }, 'invalid_request', 'price'],
    ['fractional price', { price: 2.5 }, 'invalid_request', 'price'],
    ['price as a string', { price: '299' }, 'invalid_request', 'price'],
    ['zero price', { price: 0 }, 'invalid_price', 'price'],
    ['USD 98', { price: 98 }, 'invalid_price', 'price'],
    ['USD 19000', { price: 19_000 }, 'invalid_price', 'price'],
    ['non-numeric videoId', { videoId: 'abc' }, 'invalid_request', 'videoId'],
    ['releaseAt that is not a date-time', { releaseAt: '2030-13-45' }, 'invalid_request', 'releaseAt'],
    ['number 0', { number: 0 }, 'invalid_request', 'number'],
    ['negative number', { number: -1 }, 'invalid_request', 'number'],
    ['fractional number', { number: 1.5 }, 'invalid_request', 'number'],
    ['number as a string', { number: '1' }, 'invalid_request', 'number'],
  ];

  it.each(badPatches)('answers 400 for %s and changes nothing', async (_label, body, code, path) => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    await addEpisode(owner.token, series.id, { title: 'First' });
    const ep = await addEpisode(owner.token, series.id, { title: 'Second', price: 299 });
    const before = await mine(owner.token);
    const res = await call('PATCH', `/v1/episodes/${ep.id}`, { token: owner.token, body });
    expectError(res, 400, code, path);
    expect(await mine(owner.token)).toEqual(before);
  });

  it('answers 400 episode_too_long for 1201 seconds and changes nothing', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    const ep = await addEpisode(owner.token, series.id, { durationSeconds: 600 });
    const res = await call('PATCH', `/v1/episodes/${ep.id}`, { token: owner.token, body: { durationSeconds: 1201 } });
    expectError(res, 400, 'episode_too_long', 'durationSeconds');
    expect(res.json.error.message).toContain('20 minutes');
    expect((await mineOne(owner.token, series.id)).episodes[0].durationSeconds).toBe(600);
  });

  it('answers 400 invalid_json for malformed JSON and changes nothing', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    const ep = await addEpisode(owner.token, series.id);
    const before = await mine(owner.token);
    const res = await call('PATCH', `/v1/episodes/${ep.id}`, { token: owner.token, raw: "{title:'x'}", headers: json });
    expectError(res, 400, 'invalid_json');
    expect(await mine(owner.token)).toEqual(before);
  });

  it('answers 404 (not 403) to another creator and changes nothing', async () => {
    const { owner, ep2 } = await publishedSeries();
    const other = await creator();
    const before = await mine(owner.token);
    expectError(
      await call('PATCH', `/v1/episodes/${ep2.id}`, { token: other.token, body: { price: 18_999 } }),
      404,
      'not_found',
    );
    expectError(
      await call('PATCH', `/v1/episodes/${ep2.id}`, { token: other.token, body: { number: 1 } }),
      404,
      'not_found',
    );
    expect(await mine(owner.token)).toEqual(before);
  });

  it('answers 404 for unknown and malformed episode ids', async () => {
    const owner = await creator();
    expectError(
      await call('PATCH', `/v1/episodes/${MISSING_EPISODE}`, { token: owner.token, body: { title: 'x' } }),
      404,
      'not_found',
    );
    expectError(
      await call('PATCH', '/v1/episodes/ep_short', { token: owner.token, body: { title: 'x' } }),
      404,
      'not_found',
    );
  });

  it('answers 401 anonymously and 403 creator_required to a viewer and an admin, changing nothing', async () => {
    const { owner, ep2 } = await publishedSeries();
    const before = await mine(owner.token);
    expectError(await call('PATCH', `/v1/episodes/${ep2.id}`, { body: { title: 'x' } }), 401, 'unauthorized');
    expectError(
      await call('PATCH', `/v1/episodes/${ep2.id}`, { token: (await signup()).token, body: { title: 'x' } }),
      403,
      'creator_required',
    );
    expectError(
      await call('PATCH', `/v1/episodes/${ep2.id}`, { token: await admin(), body: { title: 'x' } }),
      403,
      'creator_required',
    );
    expect(await mine(owner.token)).toEqual(before);
  });

  it('lets a pending creator edit episodes of their draft', async () => {
    const owner = await creator('pending');
    const series = await createSeries(owner.token);
    const ep = await addEpisode(owner.token, series.id);
    expect(
      (await call('PATCH', `/v1/episodes/${ep.id}`, { token: owner.token, body: { title: 'Edited' } })).status,
    ).toBe(200);
    expect(await order(owner.token, series.id)).toEqual(['Edited']);
  });
});

describe('reordering with PATCH /v1/episodes/:id { number }', () => {
  async function abcd() {
    const owner = await creator();
    const series = await createSeries(owner.token);
    const eps: Record<string, string> = {};
    for (const title of ['A', 'B', 'C', 'D']) eps[title] = (await addEpisode(owner.token, series.id, { title })).id;
    return { owner, series, eps };
  }

  it('moves an episode to the front and renumbers the others densely', async () => {
    const { owner, series, eps } = await abcd();
    const res = await call('PATCH', `/v1/episodes/${eps.D}`, { token: owner.token, body: { number: 1 } });
    expect(res.status).toBe(200);
    expect(res.json.episode).toMatchObject({ id: eps.D, number: 1 });
    expect(await order(owner.token, series.id)).toEqual(['D', 'A', 'B', 'C']);
  });

  it('moves an episode backwards and forwards', async () => {
    const { owner, series, eps } = await abcd();
    expect(
      (await call('PATCH', `/v1/episodes/${eps.A}`, { token: owner.token, body: { number: 3 } })).json.episode.number,
    ).toBe(3);
    expect(await order(owner.token, series.id)).toEqual(['B', 'C', 'A', 'D']);
    expect(
      (await call('PATCH', `/v1/episodes/${eps.D}`, { token: owner.token, body: { number: 2 } })).json.episode.number,
    ).toBe(2);
    expect(await order(owner.token, series.id)).toEqual(['B', 'D', 'C', 'A']);
  });

  it('puts an episode last when the number is past the end', async () => {
    const { owner, series, eps } = await abcd();
    const res = await call('PATCH', `/v1/episodes/${eps.B}`, { token: owner.token, body: { number: 99 } });
    expect(res.status).toBe(200);
    expect(res.json.episode.number).toBe(4);
    expect(await order(owner.token, series.id)).toEqual(['A', 'C', 'D', 'B']);
  });

  it('leaves the order alone when the number is unchanged, and applies other fields with the move', async () => {
    const { owner, series, eps } = await abcd();
    expect((await call('PATCH', `/v1/episodes/${eps.B}`, { token: owner.token, body: { number: 2 } })).status).toBe(
      200,
    );
    expect(await order(owner.token, series.id)).toEqual(['A', 'B', 'C', 'D']);
    const both = await call('PATCH', `/v1/episodes/${eps.C}`, { token: owner.token, body: { number: 1, title: 'C!' } });
    expect(both.json.episode).toMatchObject({ number: 1, title: 'C!' });
    expect(await order(owner.token, series.id)).toEqual(['C!', 'A', 'B', 'D']);
  });

  it('keeps numbers dense after deletes, and new episodes go last', async () => {
    const { owner, series, eps } = await abcd();
    expect((await call('DELETE', `/v1/episodes/${eps.B}`, { token: owner.token })).status).toBe(200);
    expect(await order(owner.token, series.id)).toEqual(['A', 'C', 'D']);
    expect(
      (await call('PATCH', `/v1/episodes/${eps.D}`, { token: owner.token, body: { number: 2 } })).json.episode.number,
    ).toBe(2);
    expect(await order(owner.token, series.id)).toEqual(['A', 'D', 'C']);
    const e = await addEpisode(owner.token, series.id, { title: 'E' });
    expect(e.number).toBe(4);
    expect(await order(owner.token, series.id)).toEqual(['A', 'D', 'C', 'E']);
  });

  it('shows the new order on the public series page', async () => {
    const { owner, series, trailer, ep3 } = await publishedSeries();
    await call('PATCH', `/v1/episodes/${ep3.id}`, { token: owner.token, body: { number: 1 } });
    const pub = await call('GET', `/v1/series/${series.id}`);
    expect(pub.json.series.episodes.map((e: any) => [e.id, e.number])).toEqual([
      [ep3.id, 1],
      [trailer.id, 2],
      [expect.any(String), 3],
    ]);
  });
});

describe('moving an episode anywhere in one request', () => {
  it('moves the 80th episode to the front with one statement, without reading the series first', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    await fill(owner.token, series.id, 80);
    const last = (await mineOne(owner.token, series.id)).episodes[79];
    const res = await countedCall('PATCH', `/v1/episodes/${last.id}`, { token: owner.token, body: { number: 1 } });
    expect(res.status).toBe(200);
    expect(res.json.episode).toMatchObject({ id: last.id, number: 1 });
    // The edit and the move are one batch; no statement per episode and no read of the whole order before it.
    const batches = res.count.log.filter((l) => l.includes('UPDATE episodes'));
    expect(batches).toHaveLength(1);
    expect(batches[0]!.split(' ; ')).toHaveLength(2);
    // The whole request: a handful of statements (it was over 80), however many episodes the series has.
    expect(res.count.statements).toBeLessThan(30);
    const titles = await order(owner.token, series.id);
    expect(titles[0]).toBe('Episode 80');
    expect(titles.slice(1)).toEqual(Array.from({ length: 79 }, (_, i) => `Episode ${i + 1}`));
  });

  it('keeps both of two moves made at the same moment (no lost update)', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    await fill(owner.token, series.id, 6);
    const eps = (await mineOne(owner.token, series.id)).episodes as { id: string }[];
    const [toFront, toBack] = await Promise.all([
      call('PATCH', `/v1/episodes/${eps[4]!.id}`, { token: owner.token, body: { number: 1 } }),
      call('PATCH', `/v1/episodes/${eps[1]!.id}`, { token: owner.token, body: { number: 6 } }),
    ]);
    expect([toFront.status, toBack.status]).toEqual([200, 200]);
    expect(await order(owner.token, series.id)).toEqual([
      'Episode 5',
      'Episode 1',
      'Episode 3',
      'Episode 4',
      'Episode 6',
      'Episode 2',
    ]);
  });

  it('moves within a series whose positions have gaps and ties', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    await fill(owner.token, series.id, 4);
    const eps = (await mineOne(owner.token, series.id)).episodes as { id: string }[];
    // Positions 10, 10, 30, 40: ties are broken by creation, as the API numbers them.
    await env.DB.batch(
      [10, 10, 30, 40].map((p, i) =>
        env.DB.prepare('UPDATE episodes SET position = ? WHERE id = ?').bind(p, eps[i]!.id),
      ),
    );
    expect(
      (await call('PATCH', `/v1/episodes/${eps[3]!.id}`, { token: owner.token, body: { number: 2 } })).status,
    ).toBe(200);
    expect(await order(owner.token, series.id)).toEqual(['Episode 1', 'Episode 4', 'Episode 2', 'Episode 3']);
  });
});

describe('DELETE /v1/episodes/:id', () => {
  it('deletes an unsold episode; the rest are renumbered and the episode is gone', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    await addEpisode(owner.token, series.id, { title: 'A' });
    const b = await addEpisode(owner.token, series.id, { title: 'B' });
    await addEpisode(owner.token, series.id, { title: 'C' });
    const res = await call('DELETE', `/v1/episodes/${b.id}`, { token: owner.token });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ deleted: true, seriesUnpublished: false });
    expect(await order(owner.token, series.id)).toEqual(['A', 'C']);
    expectError(await call('DELETE', `/v1/episodes/${b.id}`, { token: owner.token }), 404, 'not_found');
    expectError(
      await call('PATCH', `/v1/episodes/${b.id}`, { token: owner.token, body: { title: 'x' } }),
      404,
      'not_found',
    );
  });

  it('deletes an unsold episode of a published series, which leaves the public page and frees its video', async () => {
    const { owner, series, ep3 } = await publishedSeries();
    const vid = videoId();
    await call('PATCH', `/v1/episodes/${ep3.id}`, { token: owner.token, body: { videoId: vid } });
    expect((await call('DELETE', `/v1/episodes/${ep3.id}`, { token: owner.token })).status).toBe(200);
    const pub = await call('GET', `/v1/series/${series.id}`);
    expect(pub.json.series.episodes.map((e: { id: string }) => e.id)).not.toContain(ep3.id);
    expect(pub.json.series.episodeCount).toBe(2);
    expectError(await call('GET', `/v1/episodes/${ep3.id}/access`), 404, 'not_found');
    expectError(await call('GET', `/v1/videos/${vid}`), 404, 'not_found');
    expect((await addEpisode(owner.token, series.id, { videoId: vid })).id).toBeTruthy();
  });

  it('takes a published series off sale when its last episode is deleted', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    const only = await addEpisode(owner.token, series.id);
    expect((await call('POST', `/v1/series/${series.id}/publish`, { token: owner.token })).status).toBe(200);
    const res = await call('DELETE', `/v1/episodes/${only.id}`, { token: owner.token });
    expect(res.json).toEqual({ deleted: true, seriesUnpublished: true });
    expectError(await call('GET', `/v1/series/${series.id}`), 404, 'not_found');
    expect((await call('GET', `/v1/me/series/${series.id}`, { token: owner.token })).json.series.status).toBe('draft');
  });

  it('deletes an episode whose only checkout was never paid', async () => {
    const { owner, ep2 } = await publishedSeries();
    expect((await startCheckout((await signup()).token, { episodeId: ep2.id })).status).toBe(201);
    expect((await call('DELETE', `/v1/episodes/${ep2.id}`, { token: owner.token })).status).toBe(200);
    expectError(await call('GET', `/v1/episodes/${ep2.id}/access`), 404, 'not_found');
  });

  it('refuses with 409 episode_has_purchases when the episode was bought, and keeps it', async () => {
    const { owner, series, ep2, ep3 } = await publishedSeries();
    const buyer = await signup();
    await buy(buyer.token, { episodeId: ep2.id });
    const before = await mine(owner.token);
    expectError(await call('DELETE', `/v1/episodes/${ep2.id}`, { token: owner.token }), 409, 'episode_has_purchases');
    expect(await mine(owner.token)).toEqual(before);
    expect((await call('GET', `/v1/episodes/${ep2.id}/access`, { token: buyer.token })).status).toBe(200);
    // An episode nobody bought in the same series can still go.
    expect((await call('DELETE', `/v1/episodes/${ep3.id}`, { token: owner.token })).status).toBe(200);
    expect((await mineOne(owner.token, series.id)).episodes.map((e: { id: string }) => e.id)).not.toContain(ep3.id);
  });

  it('refuses with 409 episode_has_purchases for every episode of a series bought as a whole', async () => {
    const { owner, series, trailer, ep2, ep3 } = await publishedSeries();
    await buy((await signup()).token, { seriesId: series.id });
    for (const ep of [trailer, ep2, ep3]) {
      expectError(await call('DELETE', `/v1/episodes/${ep.id}`, { token: owner.token }), 409, 'episode_has_purchases');
    }
    expect((await mineOne(owner.token, series.id)).episodeCount).toBe(3);
  });

  it('answers 404 (not 403) to another creator and keeps the episode', async () => {
    const { owner, series, ep2 } = await publishedSeries();
    const other = await creator();
    expectError(await call('DELETE', `/v1/episodes/${ep2.id}`, { token: other.token }), 404, 'not_found');
    expect((await mineOne(owner.token, series.id)).episodeCount).toBe(3);
  });

  it('answers 401 anonymously and 403 creator_required to a viewer and an admin, keeping the episode', async () => {
    const { owner, series, ep2 } = await publishedSeries();
    expectError(await call('DELETE', `/v1/episodes/${ep2.id}`), 401, 'unauthorized');
    expectError(
      await call('DELETE', `/v1/episodes/${ep2.id}`, { token: (await signup()).token }),
      403,
      'creator_required',
    );
    expectError(await call('DELETE', `/v1/episodes/${ep2.id}`, { token: await admin() }), 403, 'creator_required');
    expect((await mineOne(owner.token, series.id)).episodeCount).toBe(3);
  });

  it('answers 404 for unknown and malformed episode ids', async () => {
    const owner = await creator();
    expectError(await call('DELETE', `/v1/episodes/${MISSING_EPISODE}`, { token: owner.token }), 404, 'not_found');
    expectError(await call('DELETE', '/v1/episodes/1', { token: owner.token }), 404, 'not_found');
  });
});
