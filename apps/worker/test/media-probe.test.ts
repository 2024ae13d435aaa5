import { describe, expect, it } from 'vitest';
import { bytesSource, probeVideo } from '@series/core/media';
import { parseRange } from '../src/media/range';
import { fixture, paddedMp4 } from './media-helpers';

const probe = (bytes: Uint8Array) => probeVideo(bytesSource(bytes));

describe('probeVideo reads how long real files play, from their media', () => {
  it.each([
    ['clip-3s.mp4', 'mp4', 3],
    ['clip-3s-moov-at-end.mp4', 'mp4', 3],
    ['clip-3s.webm', 'webm', 3],
    ['exactly-1200s.mp4', 'mp4', 1200],
    ['long-1201s.mp4', 'mp4', 1201],
    ['long-1201s.webm', 'webm', 1201],
    ['fragmented-60s.mp4', 'mp4', 60],
    ['streamed-60s.webm', 'webm', 60],
    ['recorded-8s.webm', 'webm', 8],
  ])('%s → %s, %i s', async (name, container, seconds) => {
    const result = await probe(fixture(name));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.container).toBe(container);
    expect(Math.round(result.durationSeconds)).toBe(seconds);
  });

  it('reads an MP4 whose padding makes it several upload parts long', async () => {
    expect(await probe(paddedMp4(12 * 1024 * 1024))).toMatchObject({ ok: true, container: 'mp4' });
  });

  it('reads far less than the whole file (ranged reads only)', async () => {
    const bytes = paddedMp4(20 * 1024 * 1024);
    let read = 0;
    await probeVideo({ size: bytes.length, read: async (o, l) => ((read += l), bytes.subarray(o, o + l)) });
    expect(read).toBeLessThan(64 * 1024);
  });
});

describe('probeVideo refuses what it cannot verify', () => {
  it.each([
    ['clip-3s.mp4', 0.6],
    ['clip-3s-moov-at-end.mp4', 0.9],
    ['clip-3s.webm', 0.5],
  ])('a truncated %s (%f of it) is truncated_media', async (name, fraction) => {
    const bytes = fixture(name);
    const result = await probe(bytes.subarray(0, Math.floor(bytes.length * fraction)));
    expect(result).toMatchObject({ ok: false, code: 'truncated_media' });
  });

  it('a text file renamed .mp4 is unsupported_media', async () => {
    const text = new TextEncoder().encode('This is not a video, just a text file named episode.mp4\n'.repeat(50));
    expect(await probe(text)).toMatchObject({ ok: false, code: 'unsupported_media' });
  });

  it('an empty file, random bytes and a PNG header are unsupported_media', async () => {
    expect(await probe(new Uint8Array(0))).toMatchObject({ ok: false, code: 'unsupported_media' });
    expect(await probe(crypto.getRandomValues(new Uint8Array(4096)).map((b, i) => (i < 8 ? 0x41 : b)))).toMatchObject({
      ok: false,
      code: 'unsupported_media',
    });
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(await probe(png)).toMatchObject({ ok: false, code: 'unsupported_media' });
  });

  it('an MP4 with its movie header removed is refused', async () => {
    const bytes = fixture('clip-3s.mp4').slice();
    const at = new TextDecoder('latin1').decode(bytes).indexOf('mvhd');
    bytes.set([0x78, 0x78, 0x78, 0x78], at); // rename the box: no mvhd any more
    expect(await probe(bytes)).toMatchObject({ ok: false });
  });

  it('an MP4 whose only box is ftyp (no media data) is refused', async () => {
    const ftyp = fixture('clip-3s.mp4').subarray(0, 32);
    expect(await probe(ftyp)).toMatchObject({ ok: false, code: 'truncated_media' });
  });
});

describe('parseRange', () => {
  const size = 1000;
  it.each([
    ['bytes=0-99', { start: 0, end: 99 }],
    ['bytes=500-', { start: 500, end: 999 }],
    ['bytes=-100', { start: 900, end: 999 }],
    ['bytes=-5000', { start: 0, end: 999 }],
    ['bytes=990-5000', { start: 990, end: 999 }],
    ['bytes=999-999', { start: 999, end: 999 }],
  ])('%s → %j', (header, expected) => expect(parseRange(header, size)).toEqual(expected));

  it.each(['bytes=1000-', 'bytes=5-1', 'bytes=-0', 'bytes=-', 'bytes=0-1,5-9', 'items=0-1', 'bytes=a-b', ''])(
    '%j is unsatisfiable',
    (header) => expect(parseRange(header, size)).toBe('unsatisfiable'),
  );

  it('no header means the whole file', () => expect(parseRange(undefined, size)).toBeNull());
});
