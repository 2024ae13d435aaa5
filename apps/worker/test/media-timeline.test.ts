// The duration is the media's own (issue 15, "A file can lie about its length"): MP4 sample tables, edit lists and
// fragments, WebM clusters and Cues; the header is only a claim, checked against the media.
import { checkEpisodeVideo, probeVideo, type ByteSource } from '@series/core/media';
import { describe, expect, it } from 'vitest';
import {
  blockGroup,
  cat,
  cluster,
  countingSource,
  ebmlHeader,
  el,
  fragmentedMp4,
  ftyp,
  ID,
  info,
  materialise,
  moof,
  moov,
  partsSource,
  progressiveMp4,
  sparseBox,
  tracks,
  unknownSize,
  webm,
} from './media-craft-helpers';
import { fixture } from './media-helpers';
import { lieAboutLength, withoutCues } from './media-patch-helpers';

const probe = (src: ByteSource | Uint8Array) => probeVideo(src instanceof Uint8Array ? countingSource(src) : src);

describe('a file that lies about its length', () => {
  it.each(['long-1201s.mp4', 'long-1201s.webm', 'exactly-1200s.mp4'])(
    '%s whose headers say 60 s is refused with duration_mismatch (the media lasts 20 minutes)',
    async (name) => {
      const result = await probe(lieAboutLength(fixture(name), 60));
      expect(result).toMatchObject({ ok: false, code: 'duration_mismatch', details: { headerSeconds: 60 } });
      if (result.ok) return;
      expect(result.details!.mediaSeconds).toBeGreaterThanOrEqual(1200);
      expect(result.message).toMatch(/header says it lasts 1:00, but its media lasts 20:0\d/);
    },
  );

  it('a two-hour MP4 whose movie header says 60 s', async () => {
    const twoHours = progressiveMp4({ claims: 60, tracks: [{ timescale: 90_000, samples: [[216_000, 3_000]] }] });
    expect(await probe(partsSource(twoHours))).toMatchObject({
      ok: false,
      code: 'duration_mismatch',
      details: { headerSeconds: 60, mediaSeconds: 7200 },
    });
  });

  it('the longest track counts: a 60 s video track with a two-hour audio track', async () => {
    const file = progressiveMp4({
      claims: 60,
      tracks: [
        { id: 1, timescale: 30, samples: [[1800, 1]] },
        { id: 2, timescale: 48_000, samples: [[337_500, 1024]] },
      ],
    });
    expect(await probe(partsSource(file))).toMatchObject({ ok: false, details: { mediaSeconds: 7200 } });
  });

  it('sample tables that disagree on the number of samples are refused', async () => {
    const file = progressiveMp4({
      claims: 60,
      tracks: [{ timescale: 30, samples: [[1800, 1]], sizedSamples: 216_000 }],
    });
    const result = await probe(partsSource(file));
    expect(result).toMatchObject({ ok: false, code: 'duration_mismatch' });
    if (!result.ok) expect(result.message).toContain('1800 sample durations for 216000 samples');
  });

  it('a frame pushed two hours later by its composition offset, or an edit list that plays for two hours', async () => {
    const late = progressiveMp4({
      claims: 60,
      tracks: [
        {
          timescale: 30,
          samples: [[1800, 1]],
          offsets: [
            [1799, 0],
            [1, 7200 * 30],
          ],
        },
      ],
    });
    expect(await probe(partsSource(late))).toMatchObject({ ok: false, code: 'duration_mismatch' });
    const edited = progressiveMp4({
      claims: 60,
      tracks: [{ timescale: 30, samples: [[1800, 1]], edits: [[7_200_000, 0]] }],
    });
    expect(await probe(partsSource(edited))).toMatchObject({
      ok: false,
      code: 'duration_mismatch',
      details: { mediaSeconds: 7200 },
    });
  });

  it('an edit list that trims the start (B-frame delay, audio priming) is what plays', async () => {
    // 1 fps with frames shown 2 s after decoding, the edit list starting at 2 s: plays exactly 60 s.
    const file = progressiveMp4({
      claims: 60,
      tracks: [{ timescale: 1, samples: [[60, 1]], offsets: [[60, 2]], edits: [[60_000, 2]] }],
    });
    expect(await probe(partsSource(file))).toMatchObject({ ok: true, durationSeconds: 60, headerSeconds: 60 });
  });

  it('header and media within a second of each other are accepted; the stored duration is the media’s', async () => {
    const file = progressiveMp4({ claims: 1200.4, tracks: [{ timescale: 30, samples: [[35_988, 1]] }] }); // 1199.6 s
    const result = await checkEpisodeVideo(partsSource(file));
    expect(result).toMatchObject({ ok: true, durationSeconds: 1200, contentType: 'video/mp4' });
    const over = progressiveMp4({ claims: 1198, tracks: [{ timescale: 30, samples: [[35_988, 1]] }] });
    expect(await checkEpisodeVideo(partsSource(over))).toMatchObject({ ok: false, code: 'duration_mismatch' });
  });

  it('a movie header that states no duration: the media decides', async () => {
    const file = progressiveMp4({ claims: 0, tracks: [{ timescale: 30, samples: [[36_030, 1]] }] }); // 1201 s
    expect(await checkEpisodeVideo(partsSource(file))).toMatchObject({
      ok: false,
      code: 'episode_too_long',
      details: { durationSeconds: 1201 },
    });
  });
});

describe('fragmented MP4: the sum over the fragments', () => {
  it('600 fragments of 2 s are 20 minutes, whatever the (empty) movie header says', async () => {
    const src = partsSource(fragmentedMp4({ fragments: 600, seconds: 1200 }));
    const result = await probe(src);
    expect(result).toMatchObject({ ok: true, container: 'mp4', headerSeconds: null });
    if (result.ok) expect(result.durationSeconds).toBeCloseTo(1200, 6);
    // One read per fragment (its moof and the header of its mdat), never one per box or sample.
    expect(src.reads).toBeLessThanOrEqual(600 + 2);
  });

  it('601 fragments of 2 s are too long (the header states nothing, so it used to be "unknown")', async () => {
    const result = await checkEpisodeVideo(partsSource(fragmentedMp4({ fragments: 601, seconds: 1202 })));
    expect(result).toMatchObject({ ok: false, code: 'episode_too_long', details: { durationSeconds: 1202 } });
  });

  it('a fragment duration (mehd) that says 60 s for 20 minutes of fragments is refused', async () => {
    const lying = fragmentedMp4({ fragments: 600, seconds: 1200, fragmentClaims: 60 });
    expect(await probe(partsSource(lying))).toMatchObject({
      ok: false,
      code: 'duration_mismatch',
      details: { headerSeconds: 60 },
    });
    const honest = fragmentedMp4({ fragments: 600, seconds: 1200, fragmentClaims: 1200 });
    expect(await probe(partsSource(honest))).toMatchObject({ ok: true, headerSeconds: 1200 });
  });

  it('fragments without tfdt follow one another; a tfdt that jumps two hours ahead makes the timeline two hours', async () => {
    const chained = await probe(partsSource(fragmentedMp4({ fragments: 30, seconds: 60, withDecodeTimes: false })));
    expect(chained).toMatchObject({ ok: true });
    if (chained.ok) expect(chained.durationSeconds).toBeCloseTo(60, 6);

    const parts = fragmentedMp4({ fragments: 30, seconds: 60, fragmentClaims: 60 });
    parts.push(moof(31, [{ decodeTime: 7200 * 30 * 512, count: 60 }]), ...sparseBox('mdat', 100));
    expect(await probe(partsSource(parts))).toMatchObject({ ok: false, code: 'duration_mismatch' });
  });

  it('per-sample durations and composition offsets in trun count too', async () => {
    const parts = fragmentedMp4({ fragments: 1, seconds: 1 });
    parts.push(moof(2, [{ durations: Array(30).fill(512), offsets: Array(30).fill(1024) }]), ...sparseBox('mdat', 100));
    const result = await probe(partsSource(parts));
    expect(result.ok).toBe(true);
    // 1 s without tfdt, then 1 s more, the last frames shown 2 frames late.
    if (result.ok) expect(result.durationSeconds).toBeCloseTo(2 + 2 / 30, 6);
  });

  it('refuses fragments of an undeclared track, samples with no duration, and a fragment before the movie', async () => {
    const stray = fragmentedMp4({ fragments: 2, seconds: 4 });
    stray.push(moof(3, [{ trackId: 9, count: 10 }]), ...sparseBox('mdat', 100));
    expect(await probe(partsSource(stray))).toMatchObject({ ok: false, code: 'unsupported_media' });

    const noDuration = [
      ftyp(),
      moov({ claims: 0, tracks: [{ id: 1, timescale: 1000 }], fragmented: {} }),
      moof(1, [{ count: 10 }]),
      ...sparseBox('mdat', 100),
    ];
    expect(await probe(partsSource(noDuration))).toMatchObject({ ok: false, code: 'duration_unknown' });

    const early = [
      ftyp(),
      moof(1, [{ count: 10, defaultDuration: 1 }]),
      moov({ claims: 0, tracks: [{ timescale: 10 }], fragmented: {} }),
    ];
    expect(await probe(partsSource([...early, ...sparseBox('mdat', 10)]))).toMatchObject({
      ok: false,
      code: 'unsupported_media',
    });
  });
});

describe('WebM: the last cluster’s timestamp plus its last block', () => {
  it.each([
    ['with Cues', { withCues: true }],
    ['without Cues', {}],
  ])('20 minutes in 5 s clusters, %s, with or without a Duration: 1200 s', async (_, opts) => {
    for (const claims of [1200, undefined]) {
      const result = await probe(webm({ seconds: 1200, ...opts, ...(claims && { claims }) }));
      expect(result).toMatchObject({ ok: true, container: 'webm', headerSeconds: claims ?? null });
      if (result.ok) expect(result.durationSeconds).toBeCloseTo(1200, 1);
    }
  });

  it('a WebM whose Duration says 60 s for 20 minutes of clusters is refused, with and without Cues', async () => {
    for (const withCues of [true, false]) {
      expect(await probe(webm({ seconds: 1200, claims: 60, withCues }))).toMatchObject({
        ok: false,
        code: 'duration_mismatch',
        details: { headerSeconds: 60 },
      });
    }
  });

  it('recorded like a browser’s MediaRecorder (no size, no Cues, no Duration): the last cluster, found from the end', async () => {
    for (const seconds of [90, 1201]) {
      const file = webm({ seconds, clusterSeconds: 1, unsized: true });
      const src = countingSource(file);
      const result = await probe(src);
      expect(result).toMatchObject({ ok: true, headerSeconds: null });
      if (result.ok) expect(result.durationSeconds).toBeCloseTo(seconds, 1);
      // The clusters cannot be hopped over: the end of the file is read instead, in a few large reads.
      expect(src.reads).toBeLessThanOrEqual(4);
    }
    expect(
      await checkEpisodeVideo(countingSource(webm({ seconds: 1201, clusterSeconds: 1, unsized: true }))),
    ).toMatchObject({
      ok: false,
      code: 'episode_too_long',
    });
    expect(await probe(webm({ seconds: 1200, clusterSeconds: 1, unsized: true, claims: 60 }))).toMatchObject({
      ok: false,
      code: 'duration_mismatch',
    });
  });

  it('a cluster id inside the last block’s data is not taken for the last cluster', async () => {
    const file = webm({ seconds: 90, clusterSeconds: 1, unsized: true, frame: 16 });
    // In the last frame: a cluster id, an unknown size, a timestamp of 255 ms, then bytes that parse as nothing.
    file.set(
      [0x1f, 0x43, 0xb6, 0x75, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xe7, 0x81, 0xff],
      file.length - 16,
    );
    const result = await probe(file);
    expect(result).toMatchObject({ ok: true });
    if (result.ok) expect(result.durationSeconds).toBeCloseTo(90, 1);
  });

  it('unsized clusters with Cues: the tail is read from the cluster the latest cue points at', async () => {
    const file = webm({ seconds: 600, clusterSeconds: 2, unsized: true, withCues: true, claims: 600 });
    const result = await probe(file);
    expect(result).toMatchObject({ ok: true, headerSeconds: 600 });
    if (result.ok) expect(result.durationSeconds).toBeCloseTo(600, 1);
  });

  it('a last cluster two hours ahead, or Cues that point two hours ahead, make the timeline two hours', async () => {
    const lastAhead = webm({ seconds: 60, claims: 60, timestamps: [0, 5, 10, 55, 7200] });
    expect(await probe(lastAhead)).toMatchObject({ ok: false, code: 'duration_mismatch' });
    const cuedAhead = webm({ seconds: 60, claims: 60, withCues: true, timestamps: [0, 5, 7200, 10, 55] });
    expect(await probe(cuedAhead)).toMatchObject({ ok: false, code: 'duration_mismatch' });
    const lyingCues = patchLastCueTime(webm({ seconds: 60, claims: 60, withCues: true }), 7_200_000);
    expect(await probe(lyingCues)).toMatchObject({ ok: false, code: 'duration_mismatch' });
  });

  it('with no Duration at all, the last block’s own duration (BlockDuration) counts', async () => {
    const body = cat(
      info(),
      tracks([{ number: 1 }]),
      el(ID.Cluster, el(ID.Timestamp, new Uint8Array([0])), blockGroup(1, 0, 2000)),
      el(ID.Cluster, el(ID.Timestamp, new Uint8Array([0x27, 0x10])), blockGroup(1, 0, 2000)), // 10 s + 2 s
    );
    const result = await probe(cat(ebmlHeader(), el(ID.Segment, body)));
    expect(result).toMatchObject({ ok: true });
    if (result.ok) expect(result.durationSeconds).toBeCloseTo(12, 6);
  });

  it('real files: Cues removed from a real WebM changes nothing; a real Chromium MediaRecorder recording', async () => {
    const cueless = await probe(withoutCues(fixture('long-1201s.webm')));
    expect(cueless).toMatchObject({ ok: true, headerSeconds: 1201 });
    if (cueless.ok) expect(cueless.durationSeconds).toBeCloseTo(1201, 1);
    const recorded = await probe(fixture('recorded-8s.webm'));
    expect(recorded).toMatchObject({ ok: true, container: 'webm', headerSeconds: null });
    if (recorded.ok) expect(recorded.durationSeconds).toBeGreaterThan(7.5);
    if (recorded.ok) expect(recorded.durationSeconds).toBeLessThan(8.5);
  });
});

describe('two movie headers, or a header hidden where players still find it: duplicate_movie_header', () => {
  it('an MP4 with a second moov appended (claiming another length)', async () => {
    const clip = fixture('clip-3s.mp4');
    const at = new TextDecoder('latin1').decode(clip).indexOf('moov') - 4;
    const size = new DataView(clip.buffer, clip.byteOffset).getUint32(at);
    expect(await probe(cat(clip, clip.subarray(at, at + size)))).toMatchObject({
      ok: false,
      code: 'duplicate_movie_header',
    });
  });

  it.each([
    [
      'mvhd inside a track',
      { tracks: [{ timescale: 30, samples: [[30, 1]] as [number, number][], extra: [moovHeader(7200)] }] },
    ],
    [
      'moov inside udta',
      {
        tracks: [{ timescale: 30, samples: [[30, 1]] as [number, number][] }],
        extra: [boxOf('udta', moov({ claims: 7200, tracks: [] }))],
      },
    ],
    [
      'two mvhd in the movie',
      { tracks: [{ timescale: 30, samples: [[30, 1]] as [number, number][] }], extra: [moovHeader(7200)] },
    ],
    [
      'two mdhd in a track',
      { tracks: [{ timescale: 30, samples: [[30, 1]] as [number, number][], extra: [] }], twoMdhd: true },
    ],
  ])('%s', async (_, spec) => {
    const file = materialise(progressiveMp4({ claims: 1, ...spec }));
    const patched = 'twoMdhd' in spec ? duplicateMdhd(file) : file;
    expect(await probe(patched)).toMatchObject({ ok: false, code: 'duplicate_movie_header' });
  });

  it('an mvhd at the top level of the file, outside the movie', async () => {
    const file = [...progressiveMp4({ claims: 1, tracks: [{ timescale: 30, samples: [[30, 1]] }] }), moovHeader(7200)];
    expect(await probe(partsSource(file))).toMatchObject({ ok: false, code: 'duplicate_movie_header' });
  });

  it('WebM: two Segment Info elements, a Duration stated twice, a second segment after the first', async () => {
    expect(
      await probe(webm({ seconds: 10, claims: 10, beforeClusters: [info({ durationMs: 7_200_000 })] })),
    ).toMatchObject({
      ok: false,
      code: 'duplicate_movie_header',
    });
    const twice = webm({ seconds: 10, claims: 10, infoExtra: [el(ID.Duration, f64(7_200_000))] });
    expect(await probe(twice)).toMatchObject({ ok: false, code: 'duplicate_movie_header' });
    const one = webm({ seconds: 10, claims: 10 });
    expect(await probe(cat(one, one.subarray(ebmlHeader().length)))).toMatchObject({
      ok: false,
      code: 'duplicate_movie_header',
    });
  });
});

// ---------- small helpers of this file ----------

function f64(value: number) {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, value);
  return b;
}

function boxOf(type: string, content: Uint8Array) {
  const out = new Uint8Array(8 + content.length);
  new DataView(out.buffer).setUint32(0, out.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(content, 8);
  return out;
}

/** A movie header box (mvhd) claiming `seconds` at timescale 1000. */
function moovHeader(seconds: number) {
  const movie = moov({ claims: seconds, tracks: [] });
  return movie.subarray(8, 8 + new DataView(movie.buffer, movie.byteOffset).getUint32(8));
}

/** The file with its (only) mdhd box written twice, in place of the hdlr box after it. */
function duplicateMdhd(file: Uint8Array) {
  const text = new TextDecoder('latin1').decode(file);
  const at = text.indexOf('mdhd') - 4;
  const view = new DataView(file.buffer, file.byteOffset);
  const size = view.getUint32(at);
  const next = at + size;
  const nextSize = view.getUint32(next);
  expect(new TextDecoder().decode(file.subarray(next + 4, next + 8))).toBe('hdlr');
  expect(nextSize).toBeGreaterThanOrEqual(size);
  const out = file.slice();
  out.set(file.subarray(at, at + size), next);
  // The rest of the old hdlr becomes a free box.
  new DataView(out.buffer).setUint32(next + size, nextSize - size);
  out.set(new TextEncoder().encode('free'), next + size + 4);
  return out;
}

/** The crafted WebM with its last cue's CueTime (a 4-byte uint behind an 8-byte size, as the builder writes) set. */
function patchLastCueTime(file: Uint8Array, ms: number) {
  const out = file.slice();
  let at = -1;
  for (let i = out.length - 13; i >= 0 && at < 0; i--) if (out[i] === ID.CueTime && out[i + 1] === 0x01) at = i;
  expect(at).toBeGreaterThan(0);
  new DataView(out.buffer).setUint32(at + 9, ms);
  return out;
}
