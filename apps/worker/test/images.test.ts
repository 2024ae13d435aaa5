import { lookupHash } from '@series/core';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { cleanImage } from '../src/images/formats';
import { addEpisode, call, createSeries, creator, mineOne, ORIGIN, publishedSeries } from './helpers';
import {
  concat,
  hasText,
  jpegWithMetadata,
  multipart,
  pngChunk,
  pngWithMetadata,
  SECRET,
  uploadCover,
  webpWithMetadata,
} from './images-helpers';
import { fixture } from './media-helpers';

const storedImages = async () => (await env.MEDIA.list({ prefix: 'images/' })).objects.map((o) => o.key);
const nameOf = (url: string) => url.split('/').pop()!;
// `call` reads bodies as text; images are read as bytes through the same handler.
const worker = (exports as unknown as { default: { fetch(req: Request): Promise<Response> } }).default;
async function fetchBytes(url: string, headers: Record<string, string> = {}) {
  const res = await worker.fetch(new Request(new URL(new URL(url, ORIGIN).pathname, ORIGIN), { headers }));
  return new Uint8Array(await res.arrayBuffer());
}

describe('cleanImage: the type and size from the bytes, without metadata', () => {
  it.each([
    ['cover-300x400.png', 'image/png'],
    ['cover-300x400.jpg', 'image/jpeg'],
    ['cover-300x400.webp', 'image/webp'],
    ['cover-300x400-lossless.webp', 'image/webp'],
  ])('reads %s as %s, 300 × 400', (name, type) => {
    const clean = cleanImage(fixture(name));
    expect(clean).toMatchObject({ type, width: 300, height: 400 });
  });

  it('removes EXIF, XMP, text and comments from each format, and what is left reads the same', () => {
    for (const [bytes, type] of [
      [pngWithMetadata(), 'image/png'],
      [jpegWithMetadata(), 'image/jpeg'],
      [webpWithMetadata(), 'image/webp'],
    ] as const) {
      expect(hasText(bytes, SECRET)).toBe(true);
      const clean = cleanImage(bytes);
      if ('problem' in clean) throw new Error(clean.problem.message);
      expect(clean).toMatchObject({ type, width: 300, height: 400 });
      expect(hasText(clean.bytes, SECRET), type).toBe(false);
      expect(hasText(clean.bytes, 'Exif'), type).toBe(false);
      expect(clean.stripped).toBeGreaterThan(SECRET.length);
      // Cleaning again finds nothing more: the result is a whole image of the same kind.
      expect(cleanImage(clean.bytes)).toMatchObject({ type, width: 300, height: 400, stripped: 0 });
    }
  });

  it('keeps the PNG bytes that draw the image exactly, and the WebP VP8X flags say no EXIF or XMP', () => {
    const png = fixture('cover-300x400.png');
    const clean = cleanImage(pngWithMetadata());
    expect('bytes' in clean && clean.bytes).toEqual(png);
    const webp = cleanImage(webpWithMetadata());
    if ('problem' in webp) throw new Error('refused');
    expect(String.fromCharCode(...webp.bytes.subarray(12, 16))).toBe('VP8X');
    expect(webp.bytes[20]! & 0x0c).toBe(0);
    expect(new DataView(webp.bytes.buffer, webp.bytes.byteOffset).getUint32(4, true)).toBe(webp.bytes.length - 8);
  });

  it('removes ffmpeg’s comment from the JPEG fixture (a real COM segment)', () => {
    const jpg = fixture('cover-300x400.jpg');
    expect(hasText(jpg, 'Lavc')).toBe(true);
    const clean = cleanImage(jpg);
    expect('bytes' in clean && hasText(clean.bytes, 'Lavc')).toBe(false);
  });

  it('refuses what is not a PNG, JPEG or WebP, whatever it claims, and damaged images', () => {
    const gif = new TextEncoder().encode('GIF89a\x01\x00\x01\x00');
    expect(cleanImage(gif)).toEqual({ problem: expect.objectContaining({ code: 'unsupported_image' }) });
    expect(cleanImage(fixture('clip-3s.mp4'))).toEqual({
      problem: expect.objectContaining({ code: 'unsupported_image' }),
    });
    const png = fixture('cover-300x400.png');
    expect(cleanImage(png.subarray(0, png.length - 20))).toEqual({
      problem: expect.objectContaining({ code: 'corrupt_image' }),
    });
    const flipped = png.slice();
    flipped[40] = flipped[40]! ^ 0xff;
    expect(cleanImage(flipped)).toEqual({ problem: expect.objectContaining({ code: 'corrupt_image' }) });
    const jpg = fixture('cover-300x400.jpg');
    expect(cleanImage(jpg.subarray(0, 400))).toEqual({ problem: expect.objectContaining({ code: 'corrupt_image' }) });
    const webp = fixture('cover-300x400.webp');
    expect(cleanImage(webp.subarray(0, 200))).toEqual({ problem: expect.objectContaining({ code: 'corrupt_image' }) });
    // A PNG header claiming 100,000 pixels a side.
    const huge = concat([
      png.subarray(0, 8),
      pngChunk('IHDR', new Uint8Array([0, 1, 0x86, 0xa0, 0, 0, 0, 1, 8, 2, 0, 0, 0])),
      png.subarray(33),
    ]);
    expect(cleanImage(huge)).toEqual({ problem: expect.objectContaining({ code: 'corrupt_image' }) });
  });
});

describe('PUT /v1/series/:id/cover', () => {
  it('stores the image without its metadata and serves it from the worker, immutable', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    const res = await uploadCover(owner.token, series.id, jpegWithMetadata());
    expect(res.status).toBe(200);
    expect(res.json.cover).toMatchObject({ contentType: 'image/jpeg', width: 300, height: 400 });
    expect(res.json.cover.metadataRemoved).toBeGreaterThan(SECRET.length * 4);
    expect(res.json.cover.url).toMatch(new RegExp(`^${ORIGIN}/v1/images/img_[0-9A-Za-z]{22}\\.jpg$`));
    expect((await mineOne(owner.token, series.id)).coverUrl).toBe(res.json.cover.url);

    const image = await call('GET', new URL(res.json.cover.url).pathname);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    expect(image.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const bytes = await fetchBytes(res.json.cover.url);
    expect(bytes.length).toBe(res.json.cover.size);
    expect(hasText(bytes, SECRET)).toBe(false);
    expect(cleanImage(bytes)).toMatchObject({ type: 'image/jpeg', width: 300, height: 400, stripped: 0 });
    // Asked again with its ETag: 304, nothing sent.
    const again = await call('GET', new URL(res.json.cover.url).pathname, {
      headers: { 'If-None-Match': image.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
  });

  it('accepts PNG and WebP too, judged from the bytes whatever the file says it is', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    for (const [bytes, ext] of [
      [pngWithMetadata(), 'png'],
      [webpWithMetadata(), 'webp'],
    ] as const) {
      const body = multipart({ image: { bytes, type: 'image/gif', name: 'cover.gif' } });
      const res = await call('PUT', `/v1/series/${series.id}/cover`, { token: owner.token, ...body });
      expect(res.status).toBe(200);
      expect(res.json.cover.url.endsWith(`.${ext}`)).toBe(true);
      expect(hasText(await fetchBytes(res.json.cover.url), SECRET)).toBe(false);
    }
  });

  it('replacing a cover deletes the old image; typing a URL or removing it deletes it too', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    const first = (await uploadCover(owner.token, series.id)).json.cover;
    const second = (await uploadCover(owner.token, series.id, fixture('cover-300x400.webp'))).json.cover;
    const stored = await storedImages();
    expect(stored).not.toContain(`images/${first.name}`);
    expect(stored).toContain(`images/${second.name}`);
    expect((await call('GET', `/v1/images/${first.name}`)).status).toBe(404);

    const typed = await call('PATCH', `/v1/series/${series.id}`, {
      token: owner.token,
      body: { coverUrl: 'https://example.com/cover.jpg' },
    });
    expect(typed.status).toBe(200);
    expect(typed.json.series).toMatchObject({ coverUrl: 'https://example.com/cover.jpg', coverThumb: null });
    expect(await storedImages()).not.toContain(`images/${second.name}`);

    const third = (await uploadCover(owner.token, series.id)).json.cover;
    const removed = await call('DELETE', `/v1/series/${series.id}/cover`, { token: owner.token });
    expect(removed.json).toEqual({ deleted: true });
    expect((await mineOne(owner.token, series.id)).coverUrl).toBeNull();
    expect(await storedImages()).not.toContain(`images/${third.name}`);
  });

  it('deleting the series deletes its cover and its episodes’ thumbnails', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    const ep = await addEpisode(owner.token, series.id);
    const cover = (await uploadCover(owner.token, series.id)).json.cover;
    const body = multipart({ image: { bytes: fixture('cover-300x400.jpg') } });
    const thumb = (await call('PUT', `/v1/episodes/${ep.id}/thumbnail`, { token: owner.token, ...body })).json
      .thumbnail;
    expect((await call('DELETE', `/v1/series/${series.id}`, { token: owner.token })).status).toBe(200);
    const stored = await storedImages();
    expect(stored).not.toContain(`images/${cover.name}`);
    expect(stored).not.toContain(`images/${thumb.name}`);
  });

  it('refuses, and stores nothing: not an image, damaged, over 2 MB, not a form, no file, another’s series', async () => {
    const owner = await creator();
    const other = await creator();
    const series = await createSeries(owner.token);
    const before = await storedImages();
    const put = (body: { bytes: Uint8Array; headers: Record<string, string> }, token = owner.token) =>
      call('PUT', `/v1/series/${series.id}/cover`, { token, ...body });
    const text = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"></svg>');
    const notImage = await put(multipart({ image: { bytes: text, type: 'image/png', name: 'cover.png' } }));
    expect(notImage.status).toBe(422);
    expect(notImage.json.error).toMatchObject({ code: 'unsupported_image', issues: [{ path: 'image' }] });

    const png = fixture('cover-300x400.png');
    const damaged = await put(multipart({ image: { bytes: png.subarray(0, 1000) } }));
    expect(damaged.status).toBe(422);
    expect(damaged.json.error.code).toBe('corrupt_image');

    // 2 MB and a byte: a real JPEG with a large comment segment... and a few of them.
    const big = new Uint8Array(2 * 1024 * 1024 + 1);
    big.set(fixture('cover-300x400.jpg'));
    const tooLarge = await put(multipart({ image: { bytes: big } }));
    expect(tooLarge.status).toBe(413);
    expect(['image_too_large', 'payload_too_large']).toContain(tooLarge.json.error.code);

    const json = await call('PUT', `/v1/series/${series.id}/cover`, { token: owner.token, body: { image: 'x' } });
    expect(json.status).toBe(415);
    const noFile = await put(multipart({ picture: { bytes: png } }));
    expect(noFile.status).toBe(400);
    expect(noFile.json.error.issues).toEqual([{ path: 'image', message: 'Choose an image' }]);
    expect((await put(multipart({ image: { bytes: png } }), other.token)).status).toBe(404);

    expect(await storedImages()).toEqual(before);
    expect((await mineOne(owner.token, series.id)).coverUrl).toBeNull();
  });

  it('takes a thumbnail of at most 4 KB and 160 px for the extension, and refuses a bigger one', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    const big = multipart({
      image: { bytes: fixture('cover-300x400.png') },
      thumbnail: { bytes: fixture('cover-300x400.jpg') },
    });
    const refused = await call('PUT', `/v1/series/${series.id}/cover`, { token: owner.token, ...big });
    expect(refused.status).toBe(413);
    expect(refused.json.error).toMatchObject({ code: 'image_too_large', issues: [{ path: 'thumbnail' }] });
    const wide = multipart({
      image: { bytes: fixture('cover-300x400.png') },
      thumbnail: { bytes: fixture('cover-300x400-lossless.webp') },
    });
    const tooWide = await call('PUT', `/v1/series/${series.id}/cover`, { token: owner.token, ...wide });
    expect(tooWide.status).toBe(422);
    expect(tooWide.json.error.code).toBe('thumbnail_too_large');
    const ok = await uploadCover(owner.token, series.id);
    expect(ok.status).toBe(200);
    expect(ok.json.cover.thumbnail).toMatch(/^data:image\/webp;base64,/);
  });
});

describe('covers where viewers see them', () => {
  it('the public answers carry the cover’s URL and the lookups its small copy, inline (no request per creator)', async () => {
    const { owner, series } = await publishedSeries();
    const res = await uploadCover(owner.token, series.id);
    const pub = await call('GET', `/v1/series/${series.id}`);
    expect(pub.json.series.coverUrl).toBe(res.json.cover.url);
    expect(pub.json.series.coverThumb).toBe(res.json.cover.thumbnail);
    const prefix = (await lookupHash(owner.handle.toLowerCase())).slice(0, 4);
    const lookup = await call('GET', `/v1/lookup/creators/${prefix}`);
    const mine = lookup.json.creators.find((c: { handle: string }) => c.handle === owner.handle.toLowerCase());
    const thumb = mine.series[0].coverThumb as string;
    expect(thumb).toBe(res.json.cover.thumbnail);
    // A few KB at most: 4 KB of image is under 5.5 KB of base64.
    expect(thumb.length).toBeLessThan(5600);
    const bytes = Uint8Array.from(atob(thumb.split(',')[1]!), (ch) => ch.charCodeAt(0));
    expect(cleanImage(bytes)).toMatchObject({ type: 'image/webp', width: 48, height: 64 });
  });

  it('the storefront shows the uploaded cover, and its cached pages are purged when it changes', async () => {
    const { owner, series } = await publishedSeries();
    const page = `/@${owner.handle.toLowerCase()}`;
    expect((await call('GET', page)).text).not.toContain('/v1/images/');
    const res = await uploadCover(owner.token, series.id);
    expect((await call('GET', page)).text).toContain(res.json.cover.url);
  });
});

describe('PUT /v1/episodes/:id/thumbnail (a frame of the video)', () => {
  it('stores the frame without metadata; the public episode and the owner see its address', async () => {
    const { owner, series, ep2 } = await publishedSeries();
    const body = multipart({ image: { bytes: jpegWithMetadata(), type: 'image/jpeg' } });
    const res = await call('PUT', `/v1/episodes/${ep2.id}/thumbnail`, { token: owner.token, ...body });
    expect(res.status).toBe(200);
    expect(res.json.thumbnail.url).toMatch(/^\/v1\/images\/img_[0-9A-Za-z]{22}\.jpg$/);
    const pub = await call('GET', `/v1/series/${series.id}`);
    const episode = pub.json.series.episodes.find((e: { id: string }) => e.id === ep2.id);
    expect(episode.thumbnailUrl).toBe(res.json.thumbnail.url);
    expect(hasText(await fetchBytes(res.json.thumbnail.url), SECRET)).toBe(false);

    // Replaced: the first frame goes. Deleted with its episode... (ep2 is sold in other tests, so a new one).
    const again = await call('PUT', `/v1/episodes/${ep2.id}/thumbnail`, { token: owner.token, ...body });
    expect(await storedImages()).not.toContain(`images/${nameOf(res.json.thumbnail.url)}`);
    const removed = await call('DELETE', `/v1/episodes/${ep2.id}/thumbnail`, { token: owner.token });
    expect(removed.json).toEqual({ deleted: true });
    expect(await storedImages()).not.toContain(`images/${nameOf(again.json.thumbnail.url)}`);
    expect((await call('GET', `/v1/series/${series.id}`)).json.series.episodes[1].thumbnailUrl).toBeNull();
  });

  it('the storefront lists the thumbnail beside the episode and hands it to the player as its poster', async () => {
    const { owner, series, ep2 } = await publishedSeries();
    const body = multipart({ image: { bytes: fixture('cover-300x400.jpg') } });
    const url = (await call('PUT', `/v1/episodes/${ep2.id}/thumbnail`, { token: owner.token, ...body })).json.thumbnail
      .url as string;
    const page = await call('GET', `/@${owner.handle.toLowerCase()}/${series.slug}`);
    expect(page.status).toBe(200);
    const row = page.text.match(new RegExp(`<li[^>]*data-episode-row="${ep2.id}"[^>]*>[\\s\\S]*?</li>`))![0];
    expect(row).toContain(`data-thumb="${url}"`);
    expect(row).toContain(`<img class="ep-thumb" src="${url}" alt=""`);
    // Episodes without one have neither.
    expect(page.text.match(/class="ep-thumb"/g)).toHaveLength(1);
  });

  it('deleting an episode deletes its thumbnail; another creator’s episode answers 404', async () => {
    const owner = await creator();
    const other = await creator();
    const series = await createSeries(owner.token);
    const ep = await addEpisode(owner.token, series.id);
    const body = multipart({ image: { bytes: fixture('cover-300x400.png') } });
    expect((await call('PUT', `/v1/episodes/${ep.id}/thumbnail`, { token: other.token, ...body })).status).toBe(404);
    const res = await call('PUT', `/v1/episodes/${ep.id}/thumbnail`, { token: owner.token, ...body });
    expect((await call('DELETE', `/v1/episodes/${ep.id}`, { token: owner.token })).status).toBe(200);
    expect(await storedImages()).not.toContain(`images/${nameOf(res.json.thumbnail.url)}`);
  });
});

describe('GET /v1/images/:name', () => {
  it('answers 404 for an unknown or malformed name', async () => {
    expect((await call('GET', '/v1/images/img_0000000000000000000000.png')).status).toBe(404);
    expect((await call('GET', '/v1/images/..%2Fmedia.mp4')).status).toBe(404);
    expect((await call('GET', '/v1/images/img_0000000000000000000000.svg')).status).toBe(404);
  });
});
