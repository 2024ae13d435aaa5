import { describe, expect, it } from 'vitest';
import { addEpisode, admin, buy, call, createSeries, creator, expectError, publishedSeries, signup } from './helpers';

let videoCounter = 0;
/** A numeric video id no other test uses. */
const videoId = () => `${Date.now()}${String(++videoCounter).padStart(4, '0')}${Math.floor(Math.random() * 1e4)}`;

/** A published series whose second episode (premium) is linked to a video. */
async function linkedSeries() {
  const setup = await publishedSeries({ bundlePrice: 499 });
  const vid = videoId();
  const res = await call('PATCH', `/v1/episodes/${setup.ep2.id}`, { token: setup.owner.token, body: { videoId: vid } });
  expect(res.status).toBe(200);
  return { ...setup, vid };
}

describe('GET /v1/videos/:videoId (public)', () => {
  it('finds the episode and series linked to a video, anonymously and cacheably', async () => {
    const { owner, series, trailer, ep2, ep3, vid } = await linkedSeries();
    const res = await call('GET', `/v1/videos/${vid}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toMatch(/^public/);
    expect(res.json.videoId).toBe(vid);
    expect(res.json.episode).toEqual({
      id: ep2.id,
      number: 2,
      title: 'Part 2',
      // The installed video's own duration.
      durationSeconds: 3,
      price: 199,
      free: false,
      videoId: vid,
      releaseAt: null,
      released: true,
      hasVideo: true,
      thumbnailUrl: null,
      // No temporary discount in force (issue 20).
      sale: null,
    });
    expect(res.json.series).toMatchObject({
      id: series.id,
      currency: 'USD',
      bundlePrice: 499,
      episodeCount: 3,
      creator: { handle: owner.handle, displayName: 'Demo Creator', verified: null },
    });
    expect(res.json.series.episodes.map((e: { id: string }) => e.id)).toEqual([trailer.id, ep2.id, ep3.id]);
  });

  it('answers the same to a signed-in viewer', async () => {
    const { vid, ep2 } = await linkedSeries();
    const viewer = await signup();
    const res = await call('GET', `/v1/videos/${vid}`, { token: viewer.token });
    expect(res.status).toBe(200);
    expect(res.json.episode.id).toBe(ep2.id);
  });

  it('reveals no emails, user ids, creator ids, draft status or media locations', async () => {
    const { owner, vid } = await linkedSeries();
    const me = await call('GET', '/v1/me', { token: owner.token });
    const res = await call('GET', `/v1/videos/${vid}`);
    expect(res.status).toBe(200);
    for (const secret of [
      owner.email,
      owner.user.id,
      me.json.creator.id,
      'creatorId',
      'userId',
      'email',
      'status',
      '/v1/media',
      'playbackUrl',
      'grant',
    ]) {
      expect(res.text).not.toContain(secret);
    }
    expect(Object.keys(res.json).sort()).toEqual(['episode', 'series', 'videoId']);
    expect(Object.keys(res.json.series.creator).sort()).toEqual(['displayName', 'handle', 'verified']);
  });

  it('answers 404 for a video linked to an episode of a draft, even to its owner, until it is published', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    const vid = videoId();
    const ep = await addEpisode(owner.token, series.id, { videoId: vid });
    expectError(await call('GET', `/v1/videos/${vid}`), 404, 'not_found');
    expectError(await call('GET', `/v1/videos/${vid}`, { token: owner.token }), 404, 'not_found');
    // Nor can the draft's episode be found through the access route by anyone but its owner.
    expectError(await call('GET', `/v1/episodes/${ep.id}/access`), 404, 'not_found');
    expectError(await call('GET', `/v1/episodes/${ep.id}/access`, { token: (await signup()).token }), 404, 'not_found');

    expect((await call('POST', `/v1/series/${series.id}/publish`, { token: owner.token })).status).toBe(200);
    const live = await call('GET', `/v1/videos/${vid}`);
    expect(live.status).toBe(200);
    expect(live.json.episode.id).toBe(ep.id);
  });

  it('answers 404 again once the series is unpublished', async () => {
    const { owner, series, vid } = await linkedSeries();
    expect((await call('GET', `/v1/videos/${vid}`)).status).toBe(200);
    expect((await call('POST', `/v1/series/${series.id}/unpublish`, { token: owner.token })).status).toBe(200);
    expectError(await call('GET', `/v1/videos/${vid}`), 404, 'not_found');
  });

  it('answers 404 for a pending creator’s draft and once a creator is suspended', async () => {
    const pending = await creator('pending');
    const draft = await createSeries(pending.token);
    const draftVid = videoId();
    await addEpisode(pending.token, draft.id, { videoId: draftVid });
    expectError(await call('GET', `/v1/videos/${draftVid}`), 404, 'not_found');

    const { owner, vid } = await linkedSeries();
    expect((await call('POST', `/v1/admin/creators/${owner.handle}/suspend`, { token: await admin() })).status).toBe(
      200,
    );
    expectError(await call('GET', `/v1/videos/${vid}`), 404, 'not_found');
  });

  it('follows the link when it moves to another episode or is removed', async () => {
    const { owner, ep2, ep3, vid } = await linkedSeries();
    // Unlink from ep2 and link to ep3 in two steps (a video belongs to one episode at a time).
    expect(
      (await call('PATCH', `/v1/episodes/${ep2.id}`, { token: owner.token, body: { videoId: null } })).status,
    ).toBe(200);
    expectError(await call('GET', `/v1/videos/${vid}`), 404, 'not_found');
    expect((await call('PATCH', `/v1/episodes/${ep3.id}`, { token: owner.token, body: { videoId: vid } })).status).toBe(
      200,
    );
    const res = await call('GET', `/v1/videos/${vid}`);
    expect(res.json.episode).toMatchObject({ id: ep3.id, number: 3 });
  });

  it('reports the episode’s current number after a reorder', async () => {
    const { owner, ep2, vid } = await linkedSeries();
    await call('PATCH', `/v1/episodes/${ep2.id}`, { token: owner.token, body: { number: 3 } });
    const res = await call('GET', `/v1/videos/${vid}`);
    expect(res.json.episode).toMatchObject({ id: ep2.id, number: 3 });
    expect(res.json.series.episodes[2].id).toBe(ep2.id);
  });

  it('answers 404 once the linked episode is deleted', async () => {
    const { owner, ep2, vid } = await linkedSeries();
    expect((await call('DELETE', `/v1/episodes/${ep2.id}`, { token: owner.token })).status).toBe(200);
    expectError(await call('GET', `/v1/videos/${vid}`), 404, 'not_found');
  });

  it('keeps the link of a sold episode after a refused delete', async () => {
    const { owner, ep2, vid } = await linkedSeries();
    await buy((await signup()).token, { episodeId: ep2.id });
    expectError(await call('DELETE', `/v1/episodes/${ep2.id}`, { token: owner.token }), 409, 'episode_has_purchases');
    expect((await call('GET', `/v1/videos/${vid}`)).json.episode.id).toBe(ep2.id);
  });

  it('answers 404 for a video nobody linked', async () => {
    expectError(await call('GET', `/v1/videos/${videoId()}`), 404, 'not_found');
  });

  it.each([
    ['letters', 'dQw4w9WgXcQ'],
    ['over 25 digits', '1'.repeat(26)],
    ['an SQL fragment', "1'%20OR%20'1'%3D'1"],
  ])('refuses a malformed video id (%s) with the error shape', async (_label, id) => {
    const res = await call('GET', `/v1/videos/${id}`);
    expectError(res, 400, 'invalid_request');
  });
});
