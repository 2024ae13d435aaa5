// Parsing cost does not depend on what an attacker puts in the file (issue 15): reads follow top-level boxes or
// clusters, never a box's contents, and every read, byte, box or element and level of nesting is capped; past a
// cap the file is refused with media_too_complex, never accepted on its header's word. Counted, never timed.
import { CHUNK_BYTES, checkEpisodeVideo, MEDIA_LIMITS, probeVideo, type ProbeFailureCode } from '@series/core/media';
import { describe, expect, it } from 'vitest';
import {
  box,
  cat,
  countingSource,
  ebmlHeader,
  el,
  fragmentedMp4,
  ftyp,
  fullBox,
  ID,
  info,
  moof,
  type Part,
  partsSource,
  progressiveMp4,
  sparseBox,
  u32,
  u64,
  u8,
  u16,
  uintEl,
  unknownSize,
  webm,
  tracks,
} from './media-craft-helpers';
import { fixture } from './media-helpers';

const MiB = 1024 ** 2;
const oneSecond = { timescale: 30, samples: [[30, 1]] as [number, number][] };
const freeBoxes = (n: number) => Array.from({ length: n }, () => box('free'));

describe('reads follow the top-level boxes, never what a box contains', () => {
  it('an MP4 movie box of 20,000 or of 100,000 child boxes costs the same few reads', async () => {
    const reads = [];
    for (const n of [20_000, 100_000]) {
      const src = partsSource(progressiveMp4({ claims: 1, tracks: [oneSecond], extra: freeBoxes(n) }));
      expect(await probeVideo(src)).toMatchObject({ ok: true, durationSeconds: 1 });
      reads.push(src.reads);
    }
    expect(reads[0]).toBe(reads[1]);
    expect(reads[1]).toBeLessThanOrEqual(3);
  });

  it('a WebM Segment Info of 20,000 or of 100,000 elements costs the same few reads', async () => {
    const reads = [];
    for (const n of [20_000, 100_000]) {
      const src = countingSource(webm({ seconds: 10, claims: 10, infoExtra: Array(n).fill(el(ID.Void)) }));
      expect(await probeVideo(src)).toMatchObject({ ok: true });
      reads.push(src.reads);
    }
    expect(reads[0]).toBe(reads[1]);
    expect(reads[1]).toBeLessThanOrEqual(4);
  });

  it('fragmented MP4: one read per fragment, and what the probe reports is what it read', async () => {
    for (const fragments of [100, 600]) {
      const src = partsSource(fragmentedMp4({ fragments, seconds: 1200 }));
      const result = await probeVideo(src);
      expect(result.ok).toBe(true);
      expect(src.reads).toBeLessThanOrEqual(fragments + 2);
      expect(src.bytes).toBeLessThanOrEqual(src.reads * CHUNK_BYTES);
      expect(result.stats).toMatchObject({ reads: src.reads, bytes: src.bytes });
    }
  });

  it('a fragment of 20,000 or of 100,000 samples costs the same reads', async () => {
    const reads = [];
    for (const n of [20_000, 100_000]) {
      const parts: Part[] = [...fragmentedMp4({ fragments: 1, seconds: 1 })];
      parts.push(moof(2, [{ durations: Array(n).fill(1) }]), ...sparseBox('mdat', 20_000));
      const src = partsSource(parts);
      expect(await probeVideo(src)).toMatchObject({ ok: true });
      reads.push(src.reads);
    }
    expect(reads[0]).toBe(reads[1]); // the big moof is one region read
    expect(reads[1]).toBeLessThanOrEqual(4);
  });

  it('a WebM costs the same few reads with 240 clusters or 4,000 (its header, its Cues, its last cluster)', async () => {
    const reads = [];
    for (const clusters of [240, 4_000]) {
      const src = partsSource(sparseWebm(clusters, 100_000));
      expect(await probeVideo(src)).toMatchObject({ ok: true, headerSeconds: clusters });
      reads.push(src.reads);
    }
    expect(reads[0]).toBe(reads[1]);
    expect(reads[1]).toBeLessThanOrEqual(4);
  });
});

describe('caps per file, past which the file is media_too_complex', () => {
  const refusedAs = async (parts: Part[], code: ProbeFailureCode = 'media_too_complex') => {
    const src = partsSource(parts);
    const result = await probeVideo(src);
    expect(result).toMatchObject({ ok: false, code });
    expect(src.reads).toBeLessThanOrEqual(MEDIA_LIMITS.reads);
    expect(src.bytes).toBeLessThanOrEqual(MEDIA_LIMITS.bytes);
    return { src, result };
  };

  it(`more than ${MEDIA_LIMITS.topLevel} top-level boxes, in a few reads`, async () => {
    const file = [...progressiveMp4({ claims: 1, tracks: [oneSecond] }), ...freeBoxes(MEDIA_LIMITS.topLevel)];
    const { src } = await refusedAs(file);
    expect(src.reads).toBeLessThanOrEqual(10);
  });

  it(`more than ${MEDIA_LIMITS.reads} reads (fragments too far apart to share one)`, async () => {
    // Each fragment a moof larger than a chunk (5,000 samples) and an mdat: three reads, well under the box cap.
    const fragment = moof(2, [{ durations: Array(5_000).fill(1) }]);
    const parts: Part[] = [...fragmentedMp4({ fragments: 1, seconds: 1 })];
    for (let i = 0; i < 1_700; i++) parts.push(fragment, ...sparseBox('mdat', 20_000));
    const { src } = await refusedAs(parts);
    expect(src.reads).toBe(MEDIA_LIMITS.reads);
  });

  it(`more than ${MEDIA_LIMITS.bytes / MiB} MiB read in all (fragments of 30 MiB)`, async () => {
    const parts: Part[] = [...fragmentedMp4({ fragments: 1, seconds: 1 })];
    for (let i = 0; i < 5; i++) {
      parts.push(cat(u32(8 + 16 + 8 + 30 * MiB), new TextEncoder().encode('moof'), fullBox('mfhd', 0, 0, u32(i + 2))));
      parts.push(cat(u32(8 + 30 * MiB), new TextEncoder().encode('free')), 30 * MiB);
    }
    await refusedAs(parts);
  });

  it(`a movie box over ${MEDIA_LIMITS.regionBytes / MiB} MiB is refused without being read`, async () => {
    const size = 40 * MiB;
    const { src } = await refusedAs([ftyp(), cat(u32(size), new TextEncoder().encode('moov')), size - 8]);
    expect(src.bytes).toBeLessThanOrEqual(CHUNK_BYTES);
  });

  it(`more than ${MEDIA_LIMITS.nodes} boxes in all, in a few reads`, async () => {
    const { src } = await refusedAs(
      progressiveMp4({ claims: 1, tracks: [oneSecond], extra: freeBoxes(MEDIA_LIMITS.nodes) }),
    );
    expect(src.reads).toBeLessThanOrEqual(3);
  });

  it(`boxes nested more than ${MEDIA_LIMITS.depth} deep (a thousand udta in one another)`, async () => {
    let nested = box('udta');
    for (let i = 0; i < 1000; i++) nested = box('udta', nested);
    const { result } = await refusedAs(progressiveMp4({ claims: 1, tracks: [oneSecond], extra: [nested] }));
    if (!result.ok) expect(result.message).toContain('deep');
    expect(result.stats.depth).toBe(MEDIA_LIMITS.depth + 1);
  });

  it('a WebM of unsized clusters whose last cluster is not within the tail searched', async () => {
    const head = cat(info(), tracks([{ number: 1 }]), unknownSize(ID.Cluster), uintEl(ID.Timestamp, 0));
    const parts: Part[] = [
      ebmlHeader(),
      unknownSize(ID.Segment),
      head,
      el(ID.SimpleBlock, u8(0x81), u16(0), u8(0x80)),
      100 * MiB,
    ];
    const { src } = await refusedAs(parts);
    expect(src.bytes).toBeLessThanOrEqual(MEDIA_LIMITS.tailBytes + 2 * MiB);
  });
});

describe('sizes that lie cost nothing', () => {
  it('a movie box claiming 4 GB, or 2^60 bytes, in a small file: truncated, one read', async () => {
    for (const header of [
      cat(u32(2 ** 32 - 1), new TextEncoder().encode('moov')),
      cat(u32(1), new TextEncoder().encode('moov'), u64(2 ** 60)),
    ]) {
      const src = partsSource([ftyp(), header, 20_000]);
      expect(await probeVideo(src)).toMatchObject({ ok: false, code: 'truncated_media' });
      expect(src.reads).toBe(1);
    }
  });

  it('a sample table claiming 4 billion entries it does not hold', async () => {
    const file = progressiveMp4({ claims: 1, tracks: [oneSecond] });
    const movie = file[1] as Uint8Array;
    const at = new TextDecoder('latin1').decode(movie).indexOf('stts');
    const lying = movie.slice();
    new DataView(lying.buffer).setUint32(at + 8, 0xffffffff);
    expect(await probeVideo(partsSource([file[0]!, lying, ...file.slice(2)]))).toMatchObject({
      ok: false,
      code: 'truncated_media',
    });
  });

  it('a fragment of 4 billion samples of the default duration: too long, in a couple of reads', async () => {
    const parts: Part[] = [...fragmentedMp4({ fragments: 1, seconds: 1 })];
    parts.push(moof(2, [{ count: 0xffffffff }]), ...sparseBox('mdat', 100));
    const src = partsSource(parts);
    expect(await checkEpisodeVideo(src)).toMatchObject({ ok: false, code: 'episode_too_long' });
    expect(src.reads).toBeLessThanOrEqual(2);
  });
});

describe('mutated real files never crash the probe and stay within the caps', () => {
  const CODES = [
    'unsupported_media',
    'truncated_media',
    'duration_unknown',
    'duration_mismatch',
    'duplicate_movie_header',
    'media_too_complex',
  ];
  it.each([
    'clip-3s.mp4',
    'clip-3s-moov-at-end.mp4',
    'clip-3s.webm',
    'fragmented-60s.mp4',
    'streamed-60s.webm',
    'recorded-8s.webm',
  ])('%s, 200 ways', async (name) => {
    const original = fixture(name);
    let seed = [...name].reduce((n, ch) => (n * 31 + ch.charCodeAt(0)) >>> 0, 7);
    const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let run = 0; run < 200; run++) {
      const bytes = original.slice();
      // Flip a few bytes, mostly near the headers where they matter, sometimes anywhere.
      for (let k = 1 + Math.floor(random() * 4); k > 0; k--) {
        const at = Math.floor(random() < 0.7 ? random() * Math.min(bytes.length, 800) : random() * bytes.length);
        bytes[at] = random() < 0.5 ? 0xff : Math.floor(random() * 256);
      }
      const cut = random() < 0.2 ? bytes.subarray(0, Math.floor(random() * bytes.length)) : bytes;
      const result = await probeVideo(countingSource(cut));
      if (!result.ok) expect(CODES).toContain(result.code);
      expect(result.stats.reads).toBeLessThanOrEqual(MEDIA_LIMITS.reads);
      expect(result.stats.nodes).toBeLessThanOrEqual(MEDIA_LIMITS.nodes + 1);
    }
  });
});

/** A WebM of `clusters` one-second clusters, each one block of `payload` sparse bytes: big, never held. */
function sparseWebm(clusters: number, payload: number): Part[] {
  const blockHeader = (size: number) =>
    cat(u8(ID.SimpleBlock), u8(0x01), new Uint8Array(3), u32(size), u8(0x81), u16(0), u8(0x80));
  const parts: Part[] = [];
  let segment = 0;
  const head = cat(info({ durationMs: clusters * 1000 }), tracks([{ number: 1, defaultDurationNs: 1e9 }]));
  parts.push(head);
  segment += head.length;
  for (let i = 0; i < clusters; i++) {
    const ts = uintEl(ID.Timestamp, i * 1000);
    const block = blockHeader(4 + payload);
    const size = ts.length + block.length + payload;
    const header = cat(u32(ID.Cluster), u8(0x01), new Uint8Array(3), u32(size), ts, block);
    parts.push(header, payload);
    segment += header.length + payload;
  }
  return [ebmlHeader(), cat(u32(ID.Segment), u8(0x01), new Uint8Array(3), u32(segment)), ...parts];
}
