// Crafted media, made in code: MP4 boxes and WebM (EBML) elements, byte for byte, so a test can build the files an
// attacker would (a header that lies, thousands of fragments, boxes nested a thousand deep) and files real tools
// write (fragmented MP4, WebM with and without Cues, recordings whose clusters have no size).
import type { ByteSource } from '@series/core/media';

/** A file as its parts: bytes, or a number for that many zero bytes never held in memory (a media payload). */
export type Part = Uint8Array | number;

const enc = new TextEncoder();
export const ascii = (s: string) => enc.encode(s);

export function be(n: number, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let i = bytes - 1, v = n; i >= 0; i--, v = Math.floor(v / 256)) out[i] = v % 256;
  return out;
}
export const u8 = (n: number) => be(n, 1);
export const u16 = (n: number) => be(n, 2);
export const u32 = (n: number) => be(n >>> 0, 4);
export const u64 = (n: number) => be(n, 8);
export const i32 = (n: number) => be(n < 0 ? n + 2 ** 32 : n, 4);

export const partLength = (p: Part) => (typeof p === 'number' ? p : p.length);
export const totalLength = (parts: Part[]) => parts.reduce<number>((n, p) => n + partLength(p), 0);

/** The bytes of a file small enough to hold (zeros filled in). */
export function materialise(parts: Part[]): Uint8Array {
  const out = new Uint8Array(totalLength(parts));
  let at = 0;
  for (const p of parts) {
    if (typeof p !== 'number') out.set(p, at);
    at += partLength(p);
  }
  return out;
}

/** Concatenated bytes (no sparse parts). */
export const cat = (...parts: Uint8Array[]) => materialise(parts);

/**
 * A file of any size built from parts, read without ever being held: gigabytes of zero payload cost nothing.
 * Counts what the probe reads.
 */
export function partsSource(parts: Part[]): ByteSource & { reads: number; bytes: number } {
  const starts: number[] = [];
  let size = 0;
  for (const p of parts) {
    starts.push(size);
    size += partLength(p);
  }
  const source = {
    size,
    reads: 0,
    bytes: 0,
    async read(offset: number, length: number) {
      const len = Math.max(0, Math.min(length, size - offset));
      source.reads++;
      source.bytes += len;
      const out = new Uint8Array(len);
      // Binary search for the part holding `offset`, then copy forward.
      let lo = 0;
      let hi = parts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= offset) lo = mid;
        else hi = mid - 1;
      }
      for (let i = lo, at = 0; i < parts.length && at < len; i++) {
        const p = parts[i]!;
        const from = Math.max(0, offset + at - starts[i]!);
        const n = Math.min(partLength(p) - from, len - at);
        if (n <= 0) continue;
        if (typeof p !== 'number') out.set(p.subarray(from, from + n), at);
        at += n;
      }
      return out;
    },
  };
  return source;
}

/** A source over bytes in memory that counts reads and bytes read. */
export const countingSource = (bytes: Uint8Array) => partsSource([bytes]);

// ---------- MP4 ----------

/** A box of `content` (a list, so that tens of thousands of children need no spread). */
export const boxOf = (type: string, content: Uint8Array[]) => {
  const body = materialise(content);
  return materialise([u32(8 + body.length), ascii(type), body]);
};
export const box = (type: string, ...content: Uint8Array[]) => boxOf(type, content);
export const fullBox = (type: string, version: number, flags: number, ...content: Uint8Array[]) =>
  boxOf(type, [u8(version), be(flags, 3), ...content]);
/** A box whose payload stays sparse (an `mdat` of `payload` bytes). */
export const sparseBox = (type: string, payload: number): Part[] => [cat(u32(8 + payload), ascii(type)), payload];

export const ftyp = () => box('ftyp', ascii('isom'), u32(512), ascii('isomiso2avc1mp41'));
const matrix = cat(u32(0x10000), u32(0), u32(0), u32(0), u32(0x10000), u32(0), u32(0), u32(0), u32(0x40000000));
export const mvhd = (timescale: number, duration: number, version = 0) =>
  version === 1
    ? fullBox(
        'mvhd',
        1,
        0,
        u64(0),
        u64(0),
        u32(timescale),
        u64(duration),
        u32(0x10000),
        u16(0x100),
        new Uint8Array(10),
        matrix,
        new Uint8Array(24),
        u32(3),
      )
    : fullBox(
        'mvhd',
        0,
        0,
        u32(0),
        u32(0),
        u32(timescale),
        u32(duration),
        u32(0x10000),
        u16(0x100),
        new Uint8Array(10),
        matrix,
        new Uint8Array(24),
        u32(3),
      );
export const tkhd = (id: number, duration = 0) =>
  fullBox(
    'tkhd',
    0,
    3,
    u32(0),
    u32(0),
    u32(id),
    u32(0),
    u32(duration),
    new Uint8Array(8),
    u16(0),
    u16(0),
    u16(0),
    u16(0),
    matrix,
    u32(64 << 16),
    u32(64 << 16),
  );
export const mdhd = (timescale: number, duration = 0) =>
  fullBox('mdhd', 0, 0, u32(0), u32(0), u32(timescale), u32(duration), u16(0x55c4), u16(0));
export const hdlr = (type: string) =>
  fullBox('hdlr', 0, 0, u32(0), ascii(type), new Uint8Array(12), ascii('crafted\0'));
export const stts = (runs: [count: number, delta: number][]) =>
  fullBox('stts', 0, 0, u32(runs.length), ...runs.flatMap(([c, d]) => [u32(c), u32(d)]));
export const ctts = (runs: [count: number, offset: number][]) =>
  fullBox('ctts', 0, 0, u32(runs.length), ...runs.flatMap(([c, o]) => [u32(c), i32(o)]));
export const stsz = (count: number, sampleSize = 1) => fullBox('stsz', 0, 0, u32(sampleSize), u32(count));
export const elst = (edits: [segment: number, mediaTime: number][]) =>
  fullBox('elst', 0, 0, u32(edits.length), ...edits.flatMap(([s, m]) => [u32(s), i32(m), u32(0x10000)]));

export interface TrackSpec {
  id?: number;
  timescale: number;
  /** Sample runs: [count, duration] (none for a fragmented file's track). */
  samples?: [number, number][];
  offsets?: [number, number][];
  edits?: [number, number][];
  /** Boxes added inside the track (e.g. a hidden second header). */
  extra?: Uint8Array[];
  /** Sample count the sizes table gives, if not the samples' own. */
  sizedSamples?: number;
}

export function trak(t: TrackSpec) {
  const samples = t.samples ?? [];
  const count = t.sizedSamples ?? samples.reduce((n, [c]) => n + c, 0);
  const stbl = box(
    'stbl',
    fullBox('stsd', 0, 0, u32(0)),
    stts(samples),
    ...(t.offsets ? [ctts(t.offsets)] : []),
    fullBox('stsc', 0, 0, u32(0)),
    stsz(count),
    fullBox('stco', 0, 0, u32(0)),
  );
  const ticks = samples.reduce((n, [c, d]) => n + c * d, 0);
  return box(
    'trak',
    tkhd(t.id ?? 1),
    ...(t.edits ? [box('edts', elst(t.edits))] : []),
    box('mdia', mdhd(t.timescale, ticks), hdlr('vide'), box('minf', box('dinf'), stbl)),
    ...(t.extra ?? []),
  );
}

export interface MovieSpec {
  timescale?: number;
  /** What the movie header claims, in seconds (0: nothing). */
  claims: number;
  tracks: TrackSpec[];
  /** Fragmented: per-track default sample duration; `fragmentClaims` is the `mehd` duration in seconds. */
  fragmented?: { defaultDuration?: number; fragmentClaims?: number };
  extra?: Uint8Array[];
}

export function moov(m: MovieSpec) {
  const timescale = m.timescale ?? 1000;
  const mvex = m.fragmented
    ? [
        box(
          'mvex',
          ...(m.fragmented.fragmentClaims !== undefined
            ? [fullBox('mehd', 0, 0, u32(m.fragmented.fragmentClaims * timescale))]
            : []),
          ...m.tracks.map((t) =>
            fullBox('trex', 0, 0, u32(t.id ?? 1), u32(1), u32(m.fragmented!.defaultDuration ?? 0), u32(0), u32(0)),
          ),
        ),
      ]
    : [];
  return boxOf(
    'moov',
    [mvhd(timescale, Math.round(m.claims * timescale)), ...m.tracks.map(trak), ...mvex].concat(m.extra ?? []),
  );
}

/** A progressive MP4: ftyp, moov, then `payload` bytes of media data. */
export const progressiveMp4 = (m: MovieSpec, payload = 1024): Part[] => [
  ftyp(),
  moov(m),
  ...sparseBox('mdat', payload),
];

export interface FragmentSpec {
  trackId?: number;
  /** `tfdt` base media decode time, in the track's timescale; omitted: none. */
  decodeTime?: number;
  /** Samples of the default duration (no per-sample field)… */
  count?: number;
  /** …or these per-sample durations (and composition offsets). */
  durations?: number[];
  offsets?: number[];
  /** `tfhd` default sample duration. */
  defaultDuration?: number;
}

export function moof(sequence: number, trafs: FragmentSpec[]) {
  return box(
    'moof',
    fullBox('mfhd', 0, 0, u32(sequence)),
    ...trafs.map((f) => {
      const tfhdFlags = 0x20000 | (f.defaultDuration !== undefined ? 0x8 : 0);
      const tfhd = fullBox(
        'tfhd',
        0,
        tfhdFlags,
        u32(f.trackId ?? 1),
        ...(f.defaultDuration !== undefined ? [u32(f.defaultDuration)] : []),
      );
      const tfdt = f.decodeTime !== undefined ? [fullBox('tfdt', 1, 0, u64(f.decodeTime))] : [];
      const perSample = f.durations ?? [];
      const flags = 0x1 | (f.durations ? 0x100 : 0) | (f.offsets ? 0x800 : 0);
      const count = f.durations ? f.durations.length : (f.count ?? 0);
      const entries = Array.from({ length: f.durations || f.offsets ? count : 0 }, (_, i) => [
        ...(f.durations ? [u32(perSample[i]!)] : []),
        ...(f.offsets ? [i32(f.offsets[i] ?? 0)] : []),
      ]).flat();
      const trun = boxOf('trun', [u8(0), be(flags, 3), u32(count), i32(0)].concat(entries));
      return box('traf', tfhd, ...tfdt, trun);
    }),
  );
}

/**
 * A fragmented MP4 as ffmpeg writes one (`frag_keyframe+empty_moov+default_base_moof`): an empty `moov`, then
 * `fragments` pairs of `moof` + `mdat` (`payload` bytes each), `seconds` long in all.
 */
export function fragmentedMp4(opts: {
  fragments: number;
  seconds: number;
  fps?: number;
  payload?: number;
  claims?: number;
  fragmentClaims?: number;
  withDecodeTimes?: boolean;
}): Part[] {
  const fps = opts.fps ?? 30;
  const timescale = fps * 512;
  const perFragment = (opts.seconds * fps) / opts.fragments;
  const parts: Part[] = [
    ftyp(),
    moov({
      claims: opts.claims ?? 0,
      tracks: [{ id: 1, timescale }],
      fragmented: {
        defaultDuration: 512,
        ...(opts.fragmentClaims !== undefined && { fragmentClaims: opts.fragmentClaims }),
      },
    }),
  ];
  for (let i = 0; i < opts.fragments; i++) {
    const spec: FragmentSpec = { count: perFragment };
    if (opts.withDecodeTimes !== false) spec.decodeTime = i * perFragment * 512;
    parts.push(moof(i + 1, [spec]), ...sparseBox('mdat', opts.payload ?? 20_000));
  }
  return parts;
}

// ---------- WebM / Matroska (EBML) ----------

export const ID = {
  EBML: 0x1a45dfa3,
  DocType: 0x4282,
  Segment: 0x18538067,
  SeekHead: 0x114d9b74,
  Info: 0x1549a966,
  TimestampScale: 0x2ad7b1,
  Duration: 0x4489,
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackNumber: 0xd7,
  DefaultDuration: 0x23e383,
  Cues: 0x1c53bb6b,
  CuePoint: 0xbb,
  CueTime: 0xb3,
  CueTrackPositions: 0xb7,
  CueTrack: 0xf7,
  CueClusterPosition: 0xf1,
  Cluster: 0x1f43b675,
  Timestamp: 0xe7,
  SimpleBlock: 0xa3,
  BlockGroup: 0xa0,
  Block: 0xa1,
  BlockDuration: 0x9b,
  Void: 0xec,
  Tags: 0x1254c367,
} as const;

const idBytes = (id: number) => be(id, id > 0xffffff ? 4 : id > 0xffff ? 3 : id > 0xff ? 2 : 1);
/** An EBML size as an 8-byte vint (what muxers that write sizes afterwards use). */
const size8 = (n: number) => cat(u8(0x01), be(n, 7));
export const UNKNOWN_SIZE = cat(u8(0x01), new Uint8Array(7).fill(0xff));

/** An element of `data` (a list, so that tens of thousands of children need no spread). */
export const elOf = (id: number, data: Uint8Array[]) => {
  const body = materialise(data);
  return materialise([idBytes(id), size8(body.length), body]);
};
export const el = (id: number, ...data: Uint8Array[]) => elOf(id, data);
export const uintEl = (id: number, n: number) => el(id, be(n, n > 0xffffffff ? 8 : 4));
export const floatEl = (id: number, f: number) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, f);
  return el(id, b);
};
/** An element header of unknown size (live streams, MediaRecorder): its end is where a sibling starts. */
export const unknownSize = (id: number) => cat(idBytes(id), UNKNOWN_SIZE);

export const ebmlHeader = (docType = 'webm') => el(ID.EBML, el(ID.DocType, ascii(docType)));
export const info = (opts: { durationMs?: number; scale?: number; extra?: Uint8Array[] } = {}) =>
  elOf(
    ID.Info,
    [
      uintEl(ID.TimestampScale, opts.scale ?? 1_000_000),
      ...(opts.durationMs !== undefined ? [floatEl(ID.Duration, opts.durationMs)] : []),
    ].concat(opts.extra ?? []),
  );
export const tracks = (entries: { number: number; defaultDurationNs?: number }[]) =>
  el(
    ID.Tracks,
    ...entries.map((t) =>
      el(
        ID.TrackEntry,
        uintEl(ID.TrackNumber, t.number),
        ...(t.defaultDurationNs ? [uintEl(ID.DefaultDuration, t.defaultDurationNs)] : []),
      ),
    ),
  );
/** SimpleBlock data: track number, timestamp relative to the cluster, keyframe flag, then `frame` bytes. */
export const simpleBlock = (track: number, relative: number, frame = 4) =>
  el(ID.SimpleBlock, u8(0x80 | track), u16(relative & 0xffff), u8(0x80), new Uint8Array(frame));
export const blockGroup = (track: number, relative: number, duration: number) =>
  el(
    ID.BlockGroup,
    el(ID.Block, u8(0x80 | track), u16(relative & 0xffff), u8(0), new Uint8Array(4)),
    uintEl(ID.BlockDuration, duration),
  );

/** A cluster at `timestamp` (ms) with blocks every `step` ms for `length` ms. */
export function cluster(
  timestamp: number,
  length: number,
  step: number,
  opts: { unsized?: boolean; frame?: number } = {},
) {
  const blocks: Uint8Array[] = [];
  for (let t = 0; t < length; t += step) blocks.push(simpleBlock(1, t, opts.frame));
  const body = cat(uintEl(ID.Timestamp, timestamp), ...blocks);
  return opts.unsized ? cat(unknownSize(ID.Cluster), body) : el(ID.Cluster, body);
}

export const cues = (points: { time: number; position: number }[]) =>
  el(
    ID.Cues,
    ...points.map((p) =>
      el(
        ID.CuePoint,
        uintEl(ID.CueTime, p.time),
        el(ID.CueTrackPositions, uintEl(ID.CueTrack, 1), uintEl(ID.CueClusterPosition, p.position)),
      ),
    ),
  );

/**
 * A WebM `seconds` long in clusters of `clusterSeconds`, 30 fps video with a DefaultDuration. `claims` is the
 * Segment Info duration (seconds; omitted: none), `withCues` adds an index after the clusters, `unsized` writes
 * the Segment and clusters with unknown sizes (as a browser's MediaRecorder does).
 */
export function webm(opts: {
  seconds: number;
  clusterSeconds?: number;
  claims?: number;
  withCues?: boolean;
  unsized?: boolean;
  /** Cluster timestamps, if not in order (seconds). */
  timestamps?: number[];
  frame?: number;
  infoExtra?: Uint8Array[];
  beforeClusters?: Uint8Array[];
}): Uint8Array {
  const step = 1000 / 30;
  const clusterMs = (opts.clusterSeconds ?? 5) * 1000;
  const head = cat(
    info({ ...(opts.claims !== undefined && { durationMs: opts.claims * 1000 }), extra: opts.infoExtra ?? [] }),
    tracks([{ number: 1, defaultDurationNs: Math.round(step * 1e6) }]),
    ...(opts.beforeClusters ?? []),
  );
  const clusters: Uint8Array[] = [];
  const positions: { time: number; position: number }[] = [];
  let position = head.length;
  const starts = opts.timestamps?.map((s) => s * 1000) ?? [];
  if (!opts.timestamps) for (let t = 0; t < opts.seconds * 1000; t += clusterMs) starts.push(t);
  for (const start of starts) {
    const length = Math.min(clusterMs, opts.seconds * 1000 - start);
    const c = cluster(Math.round(start), length > 0 ? length : step, step, {
      ...(opts.unsized && { unsized: true }),
      ...(opts.frame !== undefined && { frame: opts.frame }),
    });
    positions.push({ time: Math.round(start), position });
    position += c.length;
    clusters.push(c);
  }
  const body = cat(head, ...clusters, ...(opts.withCues ? [cues(positions)] : []));
  return cat(ebmlHeader(), opts.unsized ? cat(unknownSize(ID.Segment), body) : el(ID.Segment, body));
}
