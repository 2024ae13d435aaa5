import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { issueGrant } from '../src/access/grants';
import { addEpisode, buy, call, publishedSeries, signup, ORIGIN } from './helpers';
import { fixture, uploadWhole } from './media-helpers';

/** A published series whose premium episode 2 and free trailer have videos. */
async function seriesWithVideo() {
  const s = await publishedSeries();
  expect((await uploadWhole(s.owner.token, s.ep2.id, fixture('clip-3s.mp4'))).status).toBe(200);
  expect((await uploadWhole(s.owner.token, s.trailer.id, fixture('clip-3s.webm'))).status).toBe(200);
  return s;
}

async function playbackUrl(episodeId: string, token?: string) {
  const res = await call('GET', `/v1/episodes/${episodeId}/access`, { token });
  expect(res.status).toBe(200);
  expect(res.json.mediaReady).toBe(true);
  const url = new URL(res.json.playbackUrl);
  expect(url.origin).toBe(ORIGIN);
  return url.pathname + url.search;
}

describe('GET /v1/media/:id streams to grant holders', () => {
  it('a buyer streams the whole file, with the right type and length', async () => {
    const { ep2 } = await seriesWithVideo();
    const viewer = await signup();
    await buy(viewer.token, { episodeId: ep2.id });
    const res = await call('GET', await playbackUrl(ep2.id, viewer.token), { token: viewer.token });
    const clip = fixture('clip-3s.mp4');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('video/mp4');
    expect(res.headers.get('Accept-Ranges')).toBe('bytes');
    expect(res.headers.get('Content-Length')).toBe(String(clip.length));
    expect(res.text.length).toBeGreaterThan(0);
    expect(JSON.stringify([...res.headers])).not.toContain('episodes/');
  });

  it('honours Range: first bytes, middle, suffix, open-ended; 416 for invalid ones', async () => {
    const { trailer } = await seriesWithVideo();
    const path = await playbackUrl(trailer.id);
    const size = fixture('clip-3s.webm').length;
    const get = (range: string) => call('GET', path, { headers: { Range: range } });

    const first = await get('bytes=0-15');
    expect(first.status).toBe(206);
    expect(first.headers.get('Content-Range')).toBe(`bytes 0-15/${size}`);
    expect(first.headers.get('Content-Length')).toBe('16');

    const middle = await get('bytes=1000-1999');
    expect(middle.status).toBe(206);
    expect(middle.headers.get('Content-Range')).toBe(`bytes 1000-1999/${size}`);
    expect(middle.headers.get('Content-Length')).toBe('1000');

    const suffix = await get('bytes=-500');
    expect(suffix.status).toBe(206);
    expect(suffix.headers.get('Content-Range')).toBe(`bytes ${size - 500}-${size - 1}/${size}`);

    const open = await get(`bytes=${size - 10}-`);
    expect(open.headers.get('Content-Range')).toBe(`bytes ${size - 10}-${size - 1}/${size}`);

    for (const bad of [`bytes=${size}-`, 'bytes=9-2', 'bytes=abc', 'bytes=0-1,4-5']) {
      const res = await get(bad);
      expect(res.status).toBe(416);
      expect(res.headers.get('Content-Range')).toBe(`bytes */${size}`);
    }
  });

  it('serves the exact bytes of the requested range', async () => {
    const { trailer } = await seriesWithVideo();
    const path = await playbackUrl(trailer.id);
    const { exports } = await import('cloudflare:workers');
    const worker = (exports as unknown as { default: { fetch(r: Request): Promise<Response> } }).default;
    const res = await worker.fetch(new Request(`${ORIGIN}${path}`, { headers: { Range: 'bytes=100-163' } }));
    const got = new Uint8Array(await res.arrayBuffer());
    expect([...got]).toEqual([...fixture('clip-3s.webm').subarray(100, 164)]);
  });

  it('the creator previews their own premium episode', async () => {
    const { owner, ep2 } = await seriesWithVideo();
    const res = await call('GET', await playbackUrl(ep2.id, owner.token), { token: owner.token });
    expect(res.status).toBe(200);
  });
});

describe('GET /v1/media/:id refuses everyone else', () => {
  it('without a grant, with a tampered one, or one for another episode: 403 invalid_grant', async () => {
    const { ep2, trailer } = await seriesWithVideo();
    const trailerPath = await playbackUrl(trailer.id);
    const token = new URL(`${ORIGIN}${trailerPath}`).searchParams.get('grant')!;
    expect((await call('GET', `/v1/media/${trailer.id}`)).json.error.code).toBe('invalid_grant');
    const tampered = token.slice(0, -2) + (token.endsWith('A') ? 'BB' : 'AA');
    expect((await call('GET', `/v1/media/${trailer.id}?grant=${encodeURIComponent(tampered)}`)).status).toBe(403);
    expect((await call('GET', `/v1/media/${ep2.id}?grant=${encodeURIComponent(token)}`)).status).toBe(403);
  });

  it('an expired grant: 403', async () => {
    const { trailer } = await seriesWithVideo();
    const expired = await issueGrant(env.SIGNING_SECRET, {
      viewerId: 'anonymous',
      episodeId: trailer.id,
      expiresAt: Date.now() - 1,
    });
    const fresh = await issueGrant(env.SIGNING_SECRET, {
      viewerId: 'anonymous',
      episodeId: trailer.id,
      expiresAt: Date.now() + 60_000,
    });
    expect((await call('GET', `/v1/media/${trailer.id}?grant=${encodeURIComponent(fresh)}`)).status).toBe(200);
    expect((await call('GET', `/v1/media/${trailer.id}?grant=${encodeURIComponent(expired)}`)).status).toBe(403);
  });

  it("another signed-in viewer cannot use a buyer's grant", async () => {
    const { ep2 } = await seriesWithVideo();
    const buyer = await signup();
    const other = await signup();
    await buy(buyer.token, { episodeId: ep2.id });
    const path = await playbackUrl(ep2.id, buyer.token);
    const res = await call('GET', path, { token: other.token });
    expect([res.status, res.json.error.code]).toEqual([403, 'invalid_grant']);
  });

  it('anonymous and non-buyers get no grant for a premium episode, so no stream', async () => {
    const { ep2 } = await seriesWithVideo();
    expect((await call('GET', `/v1/episodes/${ep2.id}/access`)).status).toBe(401);
    expect((await call('GET', `/v1/episodes/${ep2.id}/access`, { token: (await signup()).token })).status).toBe(402);
  });

  it('an episode without a video: the grant is valid, the media answers 404 media_not_uploaded', async () => {
    const { owner, series } = await seriesWithVideo();
    const later = await addEpisode(owner.token, series.id, { title: 'Part 4', price: 399 });
    const grant = await issueGrant(env.SIGNING_SECRET, {
      viewerId: 'anonymous',
      episodeId: later.id,
      expiresAt: Date.now() + 60_000,
    });
    const res = await call('GET', `/v1/media/${later.id}?grant=${encodeURIComponent(grant)}`);
    expect([res.status, res.json.error.code]).toEqual([404, 'media_not_uploaded']);
  });
});
