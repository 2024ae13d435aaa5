import { lookupHash } from '@series/core';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { addEpisode, admin, call, createSeries, creator, expectInvalid, publishedSeries, signup } from './helpers';

const prefixOf = async (key: string, length = 4) => (await lookupHash(key)).slice(0, length);

/** Another prefix of the same length, guaranteed to differ from `prefix`. */
const otherPrefix = (prefix: string) => (prefix[0] === '0' ? '1' : '0') + prefix.slice(1);

let videoCounter = 0;
const videoId = () => `${Date.now()}${String(++videoCounter).padStart(4, '0')}${Math.floor(Math.random() * 1e4)}`;

async function creatorsAt(prefix: string, token?: string) {
  const res = await call('GET', `/v1/lookup/creators/${prefix}`, { token });
  expect(res.status, res.text).toBe(200);
  return res;
}

async function videosAt(prefix: string) {
  const res = await call('GET', `/v1/lookup/videos/${prefix}`);
  expect(res.status, res.text).toBe(200);
  return res;
}

const handles = (res: { json: any }) => (res.json.creators as { handle: string }[]).map((c) => c.handle);
const videoIds = (res: { json: any }) => (res.json.videos as { videoId: string }[]).map((v) => v.videoId);

describe('GET /v1/lookup/creators/:prefix', () => {
  it('returns the approved creators of a 4- or 5-character hash bucket with their published series', async () => {
    const { owner, series, trailer, ep2, ep3 } = await publishedSeries({ bundlePrice: 499 });
    const hash = await lookupHash(owner.handle);
    for (const length of [4, 5]) {
      const res = await creatorsAt(hash.slice(0, length));
      expect(res.json.prefix).toBe(hash.slice(0, length));
      const found = res.json.creators.find((c: { handle: string }) => c.handle === owner.handle);
      expect(found).toMatchObject({ handleHash: hash, handle: owner.handle, displayName: 'Demo Creator' });
      expect(found.series).toHaveLength(1);
      expect(found.series[0]).toMatchObject({
        id: series.id,
        currency: 'USD',
        bundlePrice: 499,
        episodeCount: 3,
        freeEpisodeCount: 1,
        priceRange: { min: 199, max: 299 },
      });
      expect(found.series[0].episodes.map((e: { id: string }) => e.id)).toEqual([trailer.id, ep2.id, ep3.id]);
      // Every creator in the answer belongs to the bucket: the client filters, the server never narrows further.
      for (const c of res.json.creators) expect(c.handleHash.startsWith(hash.slice(0, length))).toBe(true);
    }
  });

  it('does not return the creator under another prefix', async () => {
    const { owner } = await publishedSeries();
    const res = await creatorsAt(otherPrefix(await prefixOf(owner.handle)));
    expect(handles(res)).not.toContain(owner.handle);
  });

  it('never includes drafts, creators without a published series, pending or suspended creators', async () => {
    const mixed = await publishedSeries();
    const draft = await createSeries(mixed.owner.token, { title: 'Unfinished draft' });
    await addEpisode(mixed.owner.token, draft.id);

    const draftsOnly = await creator('approved');
    const onlyDraft = await createSeries(draftsOnly.token);
    await addEpisode(draftsOnly.token, onlyDraft.id);

    const pending = await creator('pending');
    const suspended = await publishedSeries();
    const suspend = await call('POST', `/v1/admin/creators/${suspended.owner.handle}/suspend`, {
      token: await admin(),
    });
    expect(suspend.status).toBe(200);

    const mixedRes = await creatorsAt(await prefixOf(mixed.owner.handle));
    const entry = mixedRes.json.creators.find((c: { handle: string }) => c.handle === mixed.owner.handle);
    expect(entry.series.map((s: { id: string }) => s.id)).toEqual([mixed.series.id]);
    expect(mixedRes.text).not.toContain(draft.id);
    expect(mixedRes.text).not.toContain('Unfinished draft');

    for (const who of [draftsOnly, pending, suspended.owner]) {
      expect(handles(await creatorsAt(await prefixOf(who.handle)))).not.toContain(who.handle);
    }
  });

  it('reveals no emails, user ids, creator ids, statuses or media locations', async () => {
    const { owner } = await publishedSeries();
    const me = await call('GET', '/v1/me', { token: owner.token });
    const res = await creatorsAt(await prefixOf(owner.handle));
    for (const secret of [
      owner.email,
      owner.user.id,
      me.json.creator.id,
      'userId',
      'email',
      '"status"',
      'media_key',
      'r2_key',
      'episodes/ep_',
      'grant',
    ]) {
      expect(res.text).not.toContain(secret);
    }
  });

  it('is public and cacheable, and answers a signed-in caller exactly as an anonymous one', async () => {
    const { owner } = await publishedSeries();
    const prefix = await prefixOf(owner.handle);
    const anonymous = await creatorsAt(prefix);
    expect(anonymous.headers.get('Cache-Control')).toMatch(/^public, max-age=\d+/);
    expect(anonymous.headers.get('Set-Cookie')).toBeNull();
    const viewer = await signup();
    const signedIn = await creatorsAt(prefix, viewer.token);
    expect(signedIn.headers.get('Cache-Control')).toBe(anonymous.headers.get('Cache-Control'));
    expect(signedIn.json).toEqual(anonymous.json);
  });

  it('answers 400 for prefixes that are not 4-5 lower-case hex characters, and 404 without one', async () => {
    for (const bad of ['abc', 'abcdef', 'ABCD', 'abcg', 'ab.c', '%20abcd', 'a'.repeat(64)]) {
      expectInvalid(await call('GET', `/v1/lookup/creators/${bad}`));
      expectInvalid(await call('GET', `/v1/lookup/videos/${bad}`));
    }
    expect((await call('GET', '/v1/lookup/creators/')).status).toBe(404);
  });

  it('finds creators stored before hashes existed, and stores their hash', async () => {
    const { owner } = await publishedSeries();
    await env.DB.prepare('UPDATE creators SET handle_hash = NULL WHERE handle = ?').bind(owner.handle).run();
    expect(handles(await creatorsAt(await prefixOf(owner.handle)))).toContain(owner.handle);
    const row = await env.DB.prepare('SELECT handle_hash FROM creators WHERE handle = ?')
      .bind(owner.handle)
      .first<{ handle_hash: string }>();
    expect(row?.handle_hash).toBe(await lookupHash(owner.handle));
  });
});

describe('GET /v1/lookup/videos/:prefix', () => {
  async function linked() {
    const setup = await publishedSeries({ bundlePrice: 499 });
    const vid = videoId();
    const res = await call('PATCH', `/v1/episodes/${setup.ep2.id}`, {
      token: setup.owner.token,
      body: { videoId: vid },
    });
    expect(res.status).toBe(200);
    return { ...setup, vid };
  }

  it('returns the linked videos of a bucket with episode and series', async () => {
    const { owner, series, ep2, vid } = await linked();
    const hash = await lookupHash(vid);
    for (const length of [4, 5]) {
      const res = await videosAt(hash.slice(0, length));
      expect(res.headers.get('Cache-Control')).toMatch(/^public/);
      const found = res.json.videos.find((v: { videoId: string }) => v.videoId === vid);
      expect(found.videoHash).toBe(hash);
      expect(found.episode).toMatchObject({
        id: ep2.id,
        number: 2,
        price: 199,
        free: false,
        videoId: vid,
        released: true,
      });
      expect(found.series).toMatchObject({
        id: series.id,
        bundlePrice: 499,
        episodeCount: 3,
        creator: { handle: owner.handle },
      });
      for (const v of res.json.videos) expect(v.videoHash.startsWith(hash.slice(0, length))).toBe(true);
    }
    expect(videoIds(await videosAt(otherPrefix(hash.slice(0, 4))))).not.toContain(vid);
  });

  it('follows a video being relinked, unlinked or linked at creation', async () => {
    const { owner, series, ep2, vid } = await linked();
    const moved = videoId();
    expect(
      (await call('PATCH', `/v1/episodes/${ep2.id}`, { token: owner.token, body: { videoId: moved } })).status,
    ).toBe(200);
    expect(videoIds(await videosAt(await prefixOf(vid)))).not.toContain(vid);
    expect(videoIds(await videosAt(await prefixOf(moved)))).toContain(moved);

    expect(
      (await call('PATCH', `/v1/episodes/${ep2.id}`, { token: owner.token, body: { videoId: null } })).status,
    ).toBe(200);
    expect(videoIds(await videosAt(await prefixOf(moved)))).not.toContain(moved);

    const atCreation = videoId();
    const ep = await addEpisode(owner.token, series.id, { videoId: atCreation, price: null });
    const found = (await videosAt(await prefixOf(atCreation))).json.videos.find(
      (v: { videoId: string }) => v.videoId === atCreation,
    );
    expect(found.episode).toMatchObject({ id: ep.id, number: 4, free: true });
  });

  it('never includes videos of drafts or of suspended creators', async () => {
    const owner = await creator('approved');
    const draft = await createSeries(owner.token);
    const draftVideo = videoId();
    await addEpisode(owner.token, draft.id, { videoId: draftVideo });
    expect(videoIds(await videosAt(await prefixOf(draftVideo)))).not.toContain(draftVideo);

    const { owner: suspended, vid } = await linked();
    expect(videoIds(await videosAt(await prefixOf(vid)))).toContain(vid);
    expect(
      (await call('POST', `/v1/admin/creators/${suspended.handle}/suspend`, { token: await admin() })).status,
    ).toBe(200);
    expect(videoIds(await videosAt(await prefixOf(vid)))).not.toContain(vid);
  });

  it('finds videos linked before hashes existed, and stores their hash', async () => {
    const { vid } = await linked();
    await env.DB.prepare('UPDATE episodes SET video_hash = NULL WHERE video_id = ?').bind(vid).run();
    expect(videoIds(await videosAt(await prefixOf(vid)))).toContain(vid);
    const row = await env.DB.prepare('SELECT video_hash FROM episodes WHERE video_id = ?')
      .bind(vid)
      .first<{ video_hash: string }>();
    expect(row?.video_hash).toBe(await lookupHash(vid));
  });
});
