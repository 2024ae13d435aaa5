// Video ownership: a creator who connected TikTok links only their own videos (checked with /v2/video/query/),
// a video id is unique only among verified links, an admin can unlink, and a verified owner takes their handle
// from an unverified claim.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { addEpisode, admin, call, createSeries, expectError, signup } from './helpers';
import { connect, failTikTok, tiktokAccount } from './tiktok-helpers';

/** A signed-up account connected to a fresh TikTok account as a creator (approved, so it can publish). */
async function verifiedCreator(opts: { followers?: number } = {}) {
  const account = await tiktokAccount({ followers: opts.followers });
  const user = await signup();
  const { res } = await connect(user.token, account);
  if (res.status !== 303) throw new Error(`connect failed: ${res.status} ${res.text}`);
  await call('POST', `/v1/admin/creators/${account.username}/approve`, { token: await admin() });
  return { ...user, account, videos: account.videos.map((v) => v.id) };
}

const requestsTo = async (path: string) =>
  (
    (await (await fetch(`${(env as Env).TIKTOK_API_ORIGIN}/__requests`)).json()) as { path: string; body: string }[]
  ).filter((r) => r.path === path);

describe('linking a video checks it is the creator’s own', () => {
  it('links an own video, verified; refuses another account’s video, on create and on edit', async () => {
    const me = await verifiedCreator();
    const other = await verifiedCreator();
    const series = await createSeries(me.token);
    const own = await call('POST', `/v1/series/${series.id}/episodes`, {
      token: me.token,
      body: { title: 'Mine', durationSeconds: 60, price: null, videoId: me.videos[0] },
    });
    expect(own.status, own.text).toBe(201);
    expect(own.json.episode).toMatchObject({ videoId: me.videos[0], videoVerified: true });
    // The check went to TikTok's video query with that one id.
    const queries = await requestsTo('/v2/video/query/');
    expect(queries.some((q) => q.body.includes(me.videos[0]!))).toBe(true);

    const theirs = await call('POST', `/v1/series/${series.id}/episodes`, {
      token: me.token,
      body: { title: 'Not mine', durationSeconds: 60, price: null, videoId: other.videos[0] },
    });
    expectError(theirs, 403, 'video_not_yours', 'videoId');
    const ep = await addEpisode(me.token, series.id, { price: null });
    const patch = await call('PATCH', `/v1/episodes/${ep.id}`, { token: me.token, body: { videoId: other.videos[1] } });
    expectError(patch, 403, 'video_not_yours', 'videoId');
    const row = await env.DB.prepare('SELECT video_id FROM episodes WHERE id = ?').bind(ep.id).first<any>();
    expect(row.video_id).toBeNull();
    const edit = await call('PATCH', `/v1/episodes/${ep.id}`, { token: me.token, body: { videoId: me.videos[1] } });
    expect(edit.status, edit.text).toBe(200);
    expect(edit.json.episode.videoVerified).toBe(true);
  });

  it('nobody can block a creator from their own video; the same video twice, verified, is refused', async () => {
    const owner = await verifiedCreator();
    // A creator who never connected links the owner's video first: allowed, unverified (admin-checked fallback).
    const squatter = await signup();
    await call('POST', '/v1/creators', {
      token: squatter.token,
      body: { handle: `sq_${Date.now() % 1e8}`, displayName: 'S' },
    });
    const squatSeries = await createSeries(squatter.token);
    const squat = await call('POST', `/v1/series/${squatSeries.id}/episodes`, {
      token: squatter.token,
      body: { title: 'Squat', durationSeconds: 60, price: null, videoId: owner.videos[0] },
    });
    expect(squat.status, squat.text).toBe(201);
    expect(squat.json.episode.videoVerified).toBe(false);
    // The owner links it all the same, verified.
    const series = await createSeries(owner.token);
    const mine = await call('POST', `/v1/series/${series.id}/episodes`, {
      token: owner.token,
      body: { title: 'Mine', durationSeconds: 60, price: null, videoId: owner.videos[0] },
    });
    expect(mine.status, mine.text).toBe(201);
    expect(mine.json.episode.videoVerified).toBe(true);
    // A second verified link of the same video is refused.
    const twice = await call('POST', `/v1/series/${series.id}/episodes`, {
      token: owner.token,
      body: { title: 'Again', durationSeconds: 60, price: null, videoId: owner.videos[0] },
    });
    expectError(twice, 409, 'video_already_linked');
    // Nor by moving another episode onto it: the whole edit (its move too) is refused.
    const other = await addEpisode(owner.token, series.id, { price: null });
    const before = await call('GET', `/v1/me/series/${series.id}`, { token: owner.token });
    const moved = await call('PATCH', `/v1/episodes/${other.id}`, {
      token: owner.token,
      body: { videoId: owner.videos[0], number: 1 },
    });
    expectError(moved, 409, 'video_already_linked');
    expect((await call('GET', `/v1/me/series/${series.id}`, { token: owner.token })).json).toEqual(before.json);
  });

  it('links made before connecting become verified when the creator connects', async () => {
    const account = await tiktokAccount();
    const user = await signup();
    await call('POST', '/v1/creators', { token: user.token, body: { handle: account.username, displayName: 'Early' } });
    const series = await createSeries(user.token);
    const early = await call('POST', `/v1/series/${series.id}/episodes`, {
      token: user.token,
      body: { title: 'Early', durationSeconds: 60, price: null, videoId: account.videos[2]!.id },
    });
    expect(early.json.episode.videoVerified).toBe(false);
    expect((await connect(user.token, account)).res.status).toBe(303);
    const after = await call('GET', `/v1/me/series/${series.id}`, { token: user.token });
    expect(after.json.series.episodes[0].videoVerified).toBe(true);
  });

  it('TikTok down while checking: 503, nothing linked; a connection TikTok no longer honours: reconnect', async () => {
    const me = await verifiedCreator();
    const series = await createSeries(me.token);
    await failTikTok('/v2/video/query/', 1, 'down');
    const down = await call('POST', `/v1/series/${series.id}/episodes`, {
      token: me.token,
      body: { title: 'Mine', durationSeconds: 60, price: null, videoId: me.videos[0] },
    });
    expectError(down, 503, 'tiktok_unavailable');
    expect((await call('GET', `/v1/me/series/${series.id}`, { token: me.token })).json.series.episodes).toHaveLength(0);
    // The kept refresh token no longer opens (e.g. the key was rotated): the creator is asked to connect again.
    await env.DB.prepare("UPDATE tiktok_accounts SET refresh_token = 'v1.AAAAAAAAAAAAAAAA.AAAA' WHERE open_id = ?")
      .bind(me.account.open_id)
      .run();
    const stale = await call('POST', `/v1/series/${series.id}/episodes`, {
      token: me.token,
      body: { title: 'Mine', durationSeconds: 60, price: null, videoId: me.videos[0] },
    });
    expectError(stale, 409, 'tiktok_reconnect');
  });

  it('offers the creator’s recent videos, newest first, without a token in sight', async () => {
    const me = await verifiedCreator();
    const res = await call('GET', '/v1/me/tiktok/videos', { token: me.token });
    expect(res.status, res.text).toBe(200);
    expect(res.json.videos.map((v: { id: string }) => v.id).sort()).toEqual([...me.videos].sort());
    expect(res.json.videos[0]).toEqual({
      id: expect.any(String),
      title: expect.any(String),
      durationSeconds: expect.any(Number),
      createdAt: expect.any(String),
      shareUrl: expect.stringMatching(/^https:\/\/www\.tiktok\.com\/@/),
    });
    const times = res.json.videos.map((v: { createdAt: string }) => v.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(res.text).not.toMatch(/act\.|rft\./);
    const unconnected = await signup();
    expectError(await call('GET', '/v1/me/tiktok/videos', { token: unconnected.token }), 409, 'tiktok_not_connected');
  });
});

describe('admins unlink a video', () => {
  it('frees the video, audited; a creator cannot, an episode without video is 404', async () => {
    const me = await verifiedCreator();
    const series = await createSeries(me.token);
    const ep = await addEpisode(me.token, series.id, { price: null, videoId: me.videos[0] });
    expectError(await call('DELETE', `/v1/admin/episodes/${ep.id}/video`, { token: me.token }), 403, 'forbidden');
    const res = await call('DELETE', `/v1/admin/episodes/${ep.id}/video`, { token: await admin() });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ episodeId: ep.id, unlinkedVideoId: me.videos[0] });
    const row = await env.DB.prepare('SELECT video_id, video_hash, video_verified FROM episodes WHERE id = ?')
      .bind(ep.id)
      .first();
    expect(row).toEqual({ video_id: null, video_hash: null, video_verified: 0 });
    const audit = await call('GET', '/v1/admin/audit', { token: await admin() });
    expect(audit.json.entries).toContainEqual(
      expect.objectContaining({
        action: 'episode.unlink_video',
        target: ep.id,
        detail: { videoId: me.videos[0], verified: true },
      }),
    );
    expectError(await call('DELETE', `/v1/admin/episodes/${ep.id}/video`, { token: await admin() }), 404, 'not_found');
  });
});

describe('a verified owner takes their handle from an unverified claim', () => {
  it('the typed claim ends (displaced, told by /v1/me, drafts kept), audited; a verified handle cannot be claimed by typing', async () => {
    const account = await tiktokAccount();
    const squatter = await signup();
    await call('POST', '/v1/creators', {
      token: squatter.token,
      body: { handle: account.username, displayName: 'Fake' },
    });
    await call('POST', `/v1/admin/creators/${account.username}/approve`, { token: await admin() });
    const drafts = await createSeries(squatter.token);

    const owner = await signup();
    const { res } = await connect(owner.token, account);
    expect(res.status, res.text).toBe(303);
    expect((await call('GET', '/v1/me', { token: owner.token })).json.creator).toMatchObject({
      handle: account.username,
      verifiedBy: 'tiktok',
    });
    const told = await call('GET', '/v1/me', { token: squatter.token });
    expect(told.json.creator).toBeNull();
    expect(told.json.endedClaim).toMatchObject({ handle: account.username, status: 'displaced' });
    const kept = await env.DB.prepare('SELECT COUNT(*) AS n FROM series WHERE id = ?').bind(drafts.id).first<any>();
    expect(kept.n).toBe(1);
    const audit = await call('GET', '/v1/admin/audit', { token: await admin() });
    expect(audit.json.entries).toContainEqual(
      expect.objectContaining({ action: 'creator.displace', target: account.username }),
    );

    // Nobody takes the verified handle back by typing it, nor by connecting another TikTok account.
    const late = await signup();
    const typed = await call('POST', '/v1/creators', {
      token: late.token,
      body: { handle: account.username, displayName: 'X' },
    });
    expectError(typed, 409, 'handle_taken');
  });
});
