import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { addEpisode, call, creator, createSeries, publishedSeries, signup } from './helpers';
import { box, cat } from './media-craft-helpers';
import { fixture, mediaKeys, paddedMp4, uploadInParts, uploadWhole } from './media-helpers';
import { lieAboutLength } from './media-patch-helpers';

const MiB = 1024 * 1024;

async function ownerWithEpisode(durationSeconds = 900) {
  const owner = await creator();
  const series = await createSeries(owner.token);
  const episode = await addEpisode(owner.token, series.id, { durationSeconds });
  return { owner, series, episode };
}

async function episodeOf(token: string, seriesId: string, episodeId: string) {
  const res = await call('GET', `/v1/me/series/${seriesId}`, { token });
  return res.json.series.episodes.find((e: { id: string }) => e.id === episodeId);
}

async function keysOf(episodeId: string) {
  return (await mediaKeys()).filter((k) => k.startsWith(`episodes/${episodeId}/`));
}

describe('single-request upload (PUT /v1/episodes/:id/media)', () => {
  it('stores an MP4 and replaces the typed duration with the one in the file', async () => {
    const { owner, series, episode } = await ownerWithEpisode(900);
    const res = await uploadWhole(owner.token, episode.id, fixture('clip-3s.mp4'));
    expect(res.status).toBe(200);
    expect(res.json.upload).toMatchObject({ status: 'completed', size: fixture('clip-3s.mp4').length });
    const ep = await episodeOf(owner.token, series.id, episode.id);
    expect(ep.durationSeconds).toBe(3);
    expect(ep.media).toMatchObject({ contentType: 'video/mp4', size: fixture('clip-3s.mp4').length });
    expect(JSON.stringify(res.json) + JSON.stringify(ep)).not.toContain('episodes/');
  });

  it('accepts a WebM and an MP4 of exactly 20 minutes', async () => {
    const { owner, series, episode } = await ownerWithEpisode();
    expect((await uploadWhole(owner.token, episode.id, fixture('clip-3s.webm'))).status).toBe(200);
    expect((await episodeOf(owner.token, series.id, episode.id)).media.contentType).toBe('video/webm');
    expect((await uploadWhole(owner.token, episode.id, fixture('exactly-1200s.mp4'))).status).toBe(200);
    expect((await episodeOf(owner.token, series.id, episode.id)).durationSeconds).toBe(1200);
  });

  it.each(['long-1201s.mp4', 'long-1201s.webm'])(
    'refuses %s with episode_too_long, whatever the creator typed, and stores nothing',
    async (name) => {
      const { owner, series, episode } = await ownerWithEpisode(60);
      const res = await uploadWhole(owner.token, episode.id, fixture(name));
      expect(res.status).toBe(422);
      expect(res.json.error.code).toBe('episode_too_long');
      expect(res.json.durationSeconds).toBe(1201);
      const ep = await episodeOf(owner.token, series.id, episode.id);
      expect(ep.durationSeconds).toBe(60);
      expect(ep.media).toBeNull();
      expect(await keysOf(episode.id)).toEqual([]);
    },
  );

  it('refuses a truncated file and a text file renamed .mp4, storing nothing', async () => {
    const { owner, series, episode } = await ownerWithEpisode();
    const clip = fixture('clip-3s.mp4');
    const truncated = await uploadWhole(owner.token, episode.id, clip.subarray(0, clip.length >> 1));
    expect([truncated.status, truncated.json.error.code]).toEqual([422, 'truncated_media']);
    const text = await uploadWhole(owner.token, episode.id, new TextEncoder().encode('not a video\n'.repeat(100)));
    expect([text.status, text.json.error.code]).toEqual([422, 'unsupported_media']);
    expect((await episodeOf(owner.token, series.id, episode.id)).media).toBeNull();
    expect(await keysOf(episode.id)).toEqual([]);
  });

  it('a refused re-upload leaves the current video in place', async () => {
    const { owner, series, episode } = await ownerWithEpisode();
    await uploadWhole(owner.token, episode.id, fixture('clip-3s.mp4'));
    const before = await keysOf(episode.id);
    expect((await uploadWhole(owner.token, episode.id, fixture('long-1201s.mp4'))).status).toBe(422);
    expect(await keysOf(episode.id)).toEqual(before);
    expect((await episodeOf(owner.token, series.id, episode.id)).media.contentType).toBe('video/mp4');
  });

  it('re-uploading replaces the video and deletes the old object', async () => {
    const { owner, series, episode } = await ownerWithEpisode();
    await uploadWhole(owner.token, episode.id, fixture('clip-3s.mp4'));
    const [first] = await keysOf(episode.id);
    await uploadWhole(owner.token, episode.id, fixture('clip-3s.webm'));
    const after = await keysOf(episode.id);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(first);
    expect((await episodeOf(owner.token, series.id, episode.id)).media.contentType).toBe('video/webm');
  });

  it('needs Content-Length, refuses an empty body, and a body shorter than declared stores nothing', async () => {
    const { owner, episode } = await ownerWithEpisode();
    const noLength = await call('PUT', `/v1/episodes/${episode.id}/media`, {
      token: owner.token,
      raw: 'abc',
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': 'x' },
    });
    expect(noLength.status).toBe(411);
    const empty = await call('PUT', `/v1/episodes/${episode.id}/media`, {
      token: owner.token,
      bytes: new Uint8Array(0),
    });
    expect([empty.status, empty.json.error.code]).toEqual([400, 'empty_body']);
    const clip = fixture('clip-3s.mp4');
    // An interrupted upload: fewer bytes than declared. (The local R2 simulator logs "Network connection
    // lost" for the aborted stream; the worker answers 4xx and stores nothing.)
    const short = await call('PUT', `/v1/episodes/${episode.id}/media`, {
      token: owner.token,
      bytes: clip.subarray(0, 1000),
      headers: { 'Content-Length': String(clip.length) },
    });
    expect(short.status).toBeGreaterThanOrEqual(400);
    expect(short.status).toBeLessThan(500);
    expect(await keysOf(episode.id)).toEqual([]);
  });

  it('only the owner may upload: others get 404, viewers 403, anonymous 401', async () => {
    const { owner, series, episode } = await ownerWithEpisode();
    const other = await creator();
    const viewer = await signup();
    const clip = fixture('clip-3s.mp4');
    expect((await uploadWhole(other.token, episode.id, clip)).status).toBe(404);
    expect((await uploadWhole(viewer.token, episode.id, clip)).status).toBe(403);
    expect((await call('PUT', `/v1/episodes/${episode.id}/media`, { bytes: clip })).status).toBe(401);
    expect((await episodeOf(owner.token, series.id, episode.id)).media).toBeNull();
  });
});

describe('multipart upload', () => {
  it('uploads a 21 MiB file in three parts and makes it the episode video', async () => {
    const { owner, series, episode } = await ownerWithEpisode();
    const bytes = paddedMp4(21 * MiB);
    const res = await uploadInParts(owner.token, episode.id, bytes);
    expect(res.status).toBe(200);
    expect(res.json.upload).toMatchObject({ status: 'completed', partCount: 3, size: bytes.length });
    const ep = await episodeOf(owner.token, series.id, episode.id);
    expect(ep.media.size).toBe(bytes.length);
    expect(ep.durationSeconds).toBe(3);
  });

  it('resumes: parts in any order, a retried part replaces itself, the status lists what arrived', async () => {
    const { owner, episode } = await ownerWithEpisode();
    const bytes = paddedMp4(15 * MiB);
    const created = await call('POST', `/v1/episodes/${episode.id}/uploads`, {
      token: owner.token,
      body: { size: bytes.length },
    });
    expect(created.status).toBe(201);
    const { id, partSize } = created.json.upload;
    const part = (n: number) => bytes.subarray((n - 1) * partSize, n * partSize);

    expect((await call('PUT', `/v1/uploads/${id}/parts/2`, { token: owner.token, bytes: part(2) })).status).toBe(200);
    const early = await call('POST', `/v1/uploads/${id}/complete`, { token: owner.token });
    expect([early.status, early.json.error.code, early.json.missing]).toEqual([409, 'upload_incomplete', [1]]);

    const status = await call('GET', `/v1/uploads/${id}`, { token: owner.token });
    expect(status.json.upload).toMatchObject({ status: 'open', parts: [{ partNumber: 2, size: part(2).length }] });

    // A wrongly sized part is refused and the upload stays resumable.
    const wrong = await call('PUT', `/v1/uploads/${id}/parts/1`, {
      token: owner.token,
      bytes: part(1).subarray(0, 100),
    });
    expect([wrong.status, wrong.json.error.code]).toEqual([400, 'part_size_mismatch']);
    expect((await call('PUT', `/v1/uploads/${id}/parts/1`, { token: owner.token, bytes: part(1) })).status).toBe(200);
    expect((await call('PUT', `/v1/uploads/${id}/parts/1`, { token: owner.token, bytes: part(1) })).status).toBe(200);
    const done = await call('POST', `/v1/uploads/${id}/complete`, { token: owner.token });
    expect(done.status).toBe(200);
    const again = await call('POST', `/v1/uploads/${id}/complete`, { token: owner.token });
    expect([again.status, again.json.error.code]).toEqual([409, 'upload_not_open']);
  });

  it('refuses part numbers out of range and parts after completion or abort', async () => {
    const { owner, episode } = await ownerWithEpisode();
    const bytes = fixture('clip-3s.mp4');
    const created = await call('POST', `/v1/episodes/${episode.id}/uploads`, {
      token: owner.token,
      body: { size: bytes.length },
    });
    const { id } = created.json.upload;
    for (const n of ['0', '2', 'x', '1.5']) {
      const res = await call('PUT', `/v1/uploads/${id}/parts/${n}`, { token: owner.token, bytes });
      expect([res.status, res.json.error.code]).toEqual([400, 'invalid_part']);
    }
    expect((await call('DELETE', `/v1/uploads/${id}`, { token: owner.token })).status).toBe(200);
    const late = await call('PUT', `/v1/uploads/${id}/parts/1`, { token: owner.token, bytes });
    expect([late.status, late.json.error.code]).toEqual([409, 'upload_not_open']);
  });

  it('an upload whose file is too long is rejected at completion and the old video stays', async () => {
    const { owner, series, episode } = await ownerWithEpisode();
    await uploadWhole(owner.token, episode.id, fixture('clip-3s.webm'));
    const res = await uploadInParts(owner.token, episode.id, fixture('long-1201s.mp4'));
    expect([res.status, res.json.error.code]).toEqual([422, 'episode_too_long']);
    expect((await episodeOf(owner.token, series.id, episode.id)).media.contentType).toBe('video/webm');
    expect(await keysOf(episode.id)).toHaveLength(1);
  });

  it('validates the declared size, and hides uploads from other creators', async () => {
    const { owner, episode } = await ownerWithEpisode();
    for (const size of [0, -1, 1.5, '100', 9 * 1024 ** 3]) {
      const res = await call('POST', `/v1/episodes/${episode.id}/uploads`, { token: owner.token, body: { size } });
      expect(res.status).toBe(400);
    }
    const created = await call('POST', `/v1/episodes/${episode.id}/uploads`, {
      token: owner.token,
      body: { size: 10 },
    });
    const other = await creator();
    expect((await call('GET', `/v1/uploads/${created.json.upload.id}`, { token: other.token })).status).toBe(404);
    expect((await call('POST', `/v1/uploads/${created.json.upload.id}/complete`, { token: other.token })).status).toBe(
      404,
    );
    expect((await call('DELETE', `/v1/uploads/${created.json.upload.id}`, { token: other.token })).status).toBe(404);
    expect(
      (await call('POST', `/v1/episodes/${episode.id}/uploads`, { token: other.token, body: { size: 10 } })).status,
    ).toBe(404);
    expect((await call('GET', `/v1/uploads/upl_doesnotexist00000000`, { token: owner.token })).status).toBe(404);
  });

  it('concurrent completes of one upload: one succeeds, the other is told the upload is not open', async () => {
    const { owner, episode } = await ownerWithEpisode();
    const bytes = fixture('clip-3s.mp4');
    const created = await call('POST', `/v1/episodes/${episode.id}/uploads`, {
      token: owner.token,
      body: { size: bytes.length },
    });
    const { id } = created.json.upload;
    await call('PUT', `/v1/uploads/${id}/parts/1`, { token: owner.token, bytes });
    const results = await Promise.all(
      [1, 2, 3].map(() => call('POST', `/v1/uploads/${id}/complete`, { token: owner.token })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
  });
});

describe('the duration is the media’s own, whatever the header says', () => {
  const failureCode = (episodeId: string) =>
    env.DB.prepare('SELECT failure_code FROM media_uploads WHERE episode_id = ? ORDER BY created_at DESC')
      .bind(episodeId)
      .first<{ failure_code: string }>();

  it.each(['long-1201s.mp4', 'long-1201s.webm'])(
    '%s with headers claiming 60 s: 422 duration_mismatch, in one request or in parts, and nothing kept',
    async (name) => {
      const { owner, series, episode } = await ownerWithEpisode(60);
      const lying = lieAboutLength(fixture(name), 60);
      for (const upload of [uploadWhole, uploadInParts]) {
        const res = await upload(owner.token, episode.id, lying);
        expect([res.status, res.json.error.code]).toEqual([422, 'duration_mismatch']);
        expect(res.json).toMatchObject({ headerSeconds: 60, mediaSeconds: 1201 });
        expect((await failureCode(episode.id))?.failure_code).toBe('duration_mismatch');
      }
      const ep = await episodeOf(owner.token, series.id, episode.id);
      expect([ep.durationSeconds, ep.media]).toEqual([60, null]);
      expect(await keysOf(episode.id)).toEqual([]);
    },
  );

  it('a file with a second movie header: 422 duplicate_movie_header', async () => {
    const { owner, episode } = await ownerWithEpisode();
    const clip = fixture('clip-3s.mp4');
    const at = new TextDecoder('latin1').decode(clip).indexOf('moov') - 4;
    const movie = clip.subarray(at, at + new DataView(clip.buffer, clip.byteOffset).getUint32(at));
    const res = await uploadWhole(owner.token, episode.id, cat(clip, movie));
    expect([res.status, res.json.error.code]).toEqual([422, 'duplicate_movie_header']);
    expect(await keysOf(episode.id)).toEqual([]);
  });

  it('a file whose timeline takes more than the caps to read: 422 media_too_complex, never the header’s word', async () => {
    const { owner, series, episode } = await ownerWithEpisode(60);
    const boxes = cat(...Array.from({ length: 10_001 }, () => box('free')));
    const res = await uploadWhole(owner.token, episode.id, cat(fixture('clip-3s.mp4'), boxes));
    expect([res.status, res.json.error.code]).toEqual([422, 'media_too_complex']);
    expect((await episodeOf(owner.token, series.id, episode.id)).media).toBeNull();
    expect(await keysOf(episode.id)).toEqual([]);
  });

  it.each([
    ['recorded-8s.webm', 'a browser recording (no Duration, no Cues, clusters of unknown size)', 8, 'video/webm'],
    ['fragmented-60s.mp4', 'a fragmented MP4 (no duration in its movie header)', 60, 'video/mp4'],
    ['streamed-60s.webm', 'a WebM written to a pipe (no Duration, no Cues)', 60, 'video/webm'],
  ])('%s, %s, is accepted with its media’s duration', async (name, _, seconds, contentType) => {
    const { owner, series, episode } = await ownerWithEpisode(900);
    const res = await uploadWhole(owner.token, episode.id, fixture(name));
    expect(res.status).toBe(200);
    const ep = await episodeOf(owner.token, series.id, episode.id);
    expect([ep.durationSeconds, ep.media.contentType]).toEqual([seconds, contentType]);
  });
});

describe('duration', () => {
  it('comes from the file once there is a video: PATCH durationSeconds answers 409', async () => {
    const { owner, series, episode } = await ownerWithEpisode(900);
    await uploadWhole(owner.token, episode.id, fixture('clip-3s.mp4'));
    const res = await call('PATCH', `/v1/episodes/${episode.id}`, {
      token: owner.token,
      body: { durationSeconds: 60 },
    });
    expect([res.status, res.json.error.code]).toEqual([409, 'duration_from_file']);
    expect((await episodeOf(owner.token, series.id, episode.id)).durationSeconds).toBe(3);
  });
});

describe('media and deletes', () => {
  it('deleting an unsold episode deletes its video object', async () => {
    const { owner, episode } = await ownerWithEpisode();
    await uploadWhole(owner.token, episode.id, fixture('clip-3s.mp4'));
    expect(await keysOf(episode.id)).toHaveLength(1);
    expect((await call('DELETE', `/v1/episodes/${episode.id}`, { token: owner.token })).status).toBe(200);
    expect(await keysOf(episode.id)).toEqual([]);
  });

  it('public views say whether an episode has a video, never where it is', async () => {
    const { owner, series, ep2 } = await publishedSeries();
    await uploadWhole(owner.token, ep2.id, fixture('clip-3s.mp4'));
    const pub = await call('GET', `/v1/series/${series.id}`);
    const ep = pub.json.series.episodes.find((e: { id: string }) => e.id === ep2.id);
    expect(ep.hasVideo).toBe(true);
    expect(pub.text).not.toContain('episodes/');
    const row = await env.DB.prepare('SELECT media_key FROM episodes WHERE id = ?')
      .bind(ep2.id)
      .first<{ media_key: string }>();
    expect(pub.text).not.toContain(row!.media_key);
  });
});
