/**
 * MP4 (ISO BMFF, QuickTime) timelines. The duration is the media's own: per track, the `mdhd` timescale with the
 * `stts` sample durations (plus the largest `ctts` offset) and the `elst` edit list, and for fragmented files every
 * `moof`/`traf`/`trun` (placed by its `tfdt`); the movie header's `mvhd`/`mehd` duration is only the claim it is
 * checked against. Top-level boxes are visited one read each (neighbours share a chunk), the `moov` and each `moof`
 * are read whole and parsed in memory.
 */
import { ascii, i32, i64, type MediaReader, refuse, u32, u64 } from './reader.js';
import type { Timeline } from './timeline.js';

interface Box {
  type: string;
  /** Offsets in the buffer the box was found in. */
  start: number;
  content: number;
  end: number;
}

/** The box at `at` in `b`, which may not run past `limit`; null when fewer than 8 bytes are left (padding). */
function boxAt(b: Uint8Array, at: number, limit: number, fileEnd = limit): Box | null {
  if (limit - at < 8) return null;
  let size = u32(b, at);
  const type = ascii(b, at + 4, 4);
  let header = 8;
  if (size === 1) {
    if (limit - at < 16) throw refuse('truncated_media', `The MP4 file is truncated: its ${type} box is cut short`);
    size = u64(b, at + 8);
    header = 16;
  } else if (size === 0) {
    size = fileEnd - at;
  }
  if (size < header) throw refuse('unsupported_media', `The MP4 file has a malformed ${printable(type)} box`);
  if (at + size > fileEnd) {
    throw refuse('truncated_media', `The MP4 file is truncated: its ${printable(type)} box runs past the end`);
  }
  return { type, start: at, content: at + header, end: at + size };
}

const printable = (type: string) => (/^[\x20-\x7e]{4}$/.test(type) ? `'${type}'` : 'unnamed');

/** Boxes whose content is more boxes, as players read them (a `meta` box may start with version and flags). */
const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'edts', 'dinf', 'mvex', 'udta', 'tref', 'meta']);
const FRAGMENT_CONTAINERS = new Set(['moof', 'traf']);

/**
 * Where each box that describes the timeline belongs. Players look for these boxes by type wherever they are, so
 * one elsewhere (a second movie header hidden in a track, a `moov` inside `udta`) is refused, not ignored.
 */
const PARENT: Record<string, string> = {
  mvhd: 'moov',
  trak: 'moov',
  mvex: 'moov',
  tkhd: 'trak',
  edts: 'trak',
  mdia: 'trak',
  elst: 'edts',
  mdhd: 'mdia',
  minf: 'mdia',
  stbl: 'minf',
  stts: 'stbl',
  stsz: 'stbl',
  stz2: 'stbl',
  ctts: 'stbl',
  mehd: 'mvex',
  trex: 'mvex',
  traf: 'moof',
  mfhd: 'moof',
  tfhd: 'traf',
  tfdt: 'traf',
  trun: 'traf',
};

interface Node extends Box {
  parent: string;
  children: Node[];
}

/** Every box of a region (the `moov` or a `moof`), parsed in memory and counted against the budget. */
function tree(
  r: MediaReader,
  b: Uint8Array,
  from: number,
  to: number,
  parent: string,
  depth: number,
  containers: Set<string>,
): Node[] {
  const nodes: Node[] = [];
  for (let at = from; ;) {
    const box = boxAt(b, at, to);
    if (!box) break;
    r.node(depth);
    const expected = PARENT[box.type];
    if (box.type === 'moov' || (box.type === 'mvhd' && parent !== 'moov')) {
      throw refuse('duplicate_movie_header', `The MP4 file has a second movie header (${box.type} inside ${parent})`);
    }
    if (expected && expected !== parent) {
      throw refuse(
        'unsupported_media',
        `The MP4 file has a '${box.type}' box inside '${parent}', where players do not look for it`,
      );
    }
    const node: Node = { ...box, parent, children: [] };
    if (containers.has(box.type)) {
      const skip = box.type === 'meta' && box.end - box.content >= 4 && u32(b, box.content) === 0 ? 4 : 0;
      node.children = tree(r, b, box.content + skip, box.end, box.type, depth + 1, containers);
    }
    nodes.push(node);
    at = box.end;
  }
  return nodes;
}

/** The one child of this type, or none; two of them are two answers to one question, and refused. */
function single(nodes: Node[], type: string, where: string): Node | undefined {
  const found = nodes.filter((n) => n.type === type);
  if (found.length > 1) {
    throw refuse('duplicate_movie_header', `The MP4 file has two '${type}' boxes in one ${where}`);
  }
  return found[0];
}

function required(nodes: Node[], type: string, where: string): Node {
  const node = single(nodes, type, where);
  if (!node) throw refuse('unsupported_media', `The MP4 file has a ${where} without its '${type}' box`);
  return node;
}

/** The box's content after its version and flags, checked to hold `min` bytes. */
function fullBox(b: Uint8Array, box: Box, min: number) {
  if (box.end - box.content < 4 + min) {
    throw refuse('unsupported_media', `The MP4 file has a '${box.type}' box too short for its fields`);
  }
  return { version: b[box.content]!, flags: u32(b, box.content) & 0xffffff, at: box.content + 4 };
}

/** A table of `count` entries of `entrySize` bytes from `at`, checked to fit in its box. */
function table(box: Box, at: number, count: number, entrySize: number) {
  if (at + count * entrySize > box.end) {
    throw refuse('truncated_media', `The MP4 file's '${box.type}' table lists more entries than it holds`);
  }
}

interface Track {
  id: number;
  timescale: number;
  /** Presentation length of the edit list, in seconds; null without one. */
  editSeconds: number | null;
  /** `trex` default sample duration, for fragments that give none. */
  defaultDuration: number | null;
  /** Sum of every sample's duration (`stts`, then each `trun`), in the track's timescale. */
  ticks: number;
  /** Decoding time of the next sample: where a fragment without `tfdt` starts. */
  decode: number;
  /** Earliest and latest presentation times of any sample (decoding time + composition offset, + duration). */
  start: number;
  end: number;
}

interface Movie {
  timescale: number;
  duration: number;
  fragmentDuration: number | null;
  tracks: Map<number, Track>;
}

/** Samples `count` long from decoding time `dts`, each `delta` long and shown `offset` after it is decoded. */
function run(track: Track, dts: number, count: number, delta: number, offset: number) {
  if (count <= 0) return;
  track.start = Math.min(track.start, dts + offset);
  track.end = Math.max(track.end, dts + (count - 1) * delta + offset + delta);
}

function parseMovie(r: MediaReader, b: Uint8Array): Movie {
  const children = tree(r, b, 0, b.length, 'moov', 2, CONTAINERS);
  const mvhd = required(children, 'mvhd', 'movie');
  const h = fullBox(b, mvhd, 20);
  if (h.version === 1) fullBox(b, mvhd, 28);
  const movie: Movie = {
    timescale: u32(b, h.at + (h.version === 1 ? 16 : 8)),
    duration: h.version === 1 ? u64(b, h.at + 20) : u32(b, h.at + 12),
    fragmentDuration: null,
    tracks: new Map(),
  };
  if (h.version === 0 && movie.duration === 0xffffffff) movie.duration = 0; // "unknown", as QuickTime writes it

  const trex = new Map<number, number>();
  const mvex = single(children, 'mvex', 'movie');
  if (mvex) {
    const mehd = single(mvex.children, 'mehd', 'movie extends box');
    if (mehd) {
      const m = fullBox(b, mehd, 4);
      if (m.version === 1) fullBox(b, mehd, 8);
      movie.fragmentDuration = m.version === 1 ? u64(b, m.at) : u32(b, m.at);
    }
    for (const box of mvex.children.filter((n) => n.type === 'trex')) {
      const t = fullBox(b, box, 20);
      if (trex.has(u32(b, t.at))) {
        throw refuse('duplicate_movie_header', 'The MP4 file has two track defaults for one track');
      }
      trex.set(u32(b, t.at), u32(b, t.at + 8));
    }
  }

  for (const trak of children.filter((n) => n.type === 'trak')) {
    const track = parseTrack(b, trak, movie.timescale);
    if (movie.tracks.has(track.id)) {
      throw refuse('duplicate_movie_header', `The MP4 file has two tracks numbered ${track.id}`);
    }
    track.defaultDuration = trex.get(track.id) ?? null;
    movie.tracks.set(track.id, track);
  }
  return movie;
}

function parseTrack(b: Uint8Array, trak: Node, movieTimescale: number): Track {
  const tkhd = required(trak.children, 'tkhd', 'track');
  const t = fullBox(b, tkhd, 20);
  const id = u32(b, t.at + (t.version === 1 ? 16 : 8));
  const mdia = required(trak.children, 'mdia', 'track');
  const mdhd = required(mdia.children, 'mdhd', 'track');
  const m = fullBox(b, mdhd, 20);
  const timescale = u32(b, m.at + (m.version === 1 ? 16 : 8));
  if (timescale === 0) throw refuse('duration_unknown', 'The MP4 file has a track without a timescale');
  const stbl = required(required(mdia.children, 'minf', 'track').children, 'stbl', 'track');
  const track: Track = {
    id,
    timescale,
    editSeconds: null,
    defaultDuration: null,
    ticks: 0,
    decode: 0,
    start: Infinity,
    end: -Infinity,
  };

  const stts = required(stbl.children, 'stts', 'track');
  const s = fullBox(b, stts, 4);
  const entries = u32(b, s.at);
  table(stts, s.at + 4, entries, 8);

  // Composition offsets come in runs too: walk both tables together, a run of equal (duration, offset) at a time.
  const ctts = single(stbl.children, 'ctts', 'track');
  let cttsAt = 0;
  let cttsLeft = 0;
  let cttsEntries = 0;
  let offset = 0;
  if (ctts) {
    const c = fullBox(b, ctts, 4);
    cttsEntries = u32(b, c.at);
    table(ctts, c.at + 4, cttsEntries, 8);
    cttsAt = c.at + 4;
  }
  const nextOffsetRun = () => {
    while (cttsLeft === 0 && cttsEntries > 0) {
      cttsLeft = u32(b, cttsAt);
      offset = i32(b, cttsAt + 4);
      cttsAt += 8;
      cttsEntries--;
    }
    if (cttsLeft === 0) offset = 0; // past the table: no offset
  };
  let samples = 0;
  for (let i = 0, at = s.at + 4; i < entries; i++, at += 8) {
    const delta = u32(b, at + 4);
    for (let count = u32(b, at); count > 0;) {
      nextOffsetRun();
      const take = cttsLeft > 0 ? Math.min(count, cttsLeft) : count;
      run(track, track.decode, take, delta, offset);
      track.decode += take * delta;
      count -= take;
      if (cttsLeft > 0) cttsLeft -= take;
    }
    samples += u32(b, at);
  }
  track.ticks = track.decode;

  const stsz = single(stbl.children, 'stsz', 'track');
  const stz2 = single(stbl.children, 'stz2', 'track');
  if (stsz && stz2) throw refuse('duplicate_movie_header', 'The MP4 file has two sample size tables in one track');
  if (!stsz && !stz2) throw refuse('unsupported_media', "The MP4 file has a track without its sample sizes ('stsz')");
  const z = fullBox(b, (stsz ?? stz2)!, 8);
  const sizedSamples = u32(b, z.at + 4);
  if (sizedSamples !== samples) {
    throw refuse(
      'duration_mismatch',
      `The MP4 file's sample tables disagree: ${samples} sample durations for ${sizedSamples} samples`,
    );
  }

  const edts = single(trak.children, 'edts', 'track');
  const elst = edts && single(edts.children, 'elst', 'track');
  if (elst) {
    if (movieTimescale === 0) throw refuse('duration_unknown', 'The MP4 movie header has no timescale');
    const e = fullBox(b, elst, 4);
    const count = u32(b, e.at);
    const size = e.version === 1 ? 20 : 12;
    table(elst, e.at + 4, count, size);
    let movieTicks = 0;
    let rest = 0;
    for (let i = 0, at = e.at + 4; i < count; i++, at += size) {
      const segment = e.version === 1 ? u64(b, at) : u32(b, at);
      const mediaTime = e.version === 1 ? i64(b, at + 8) : i32(b, at + 4);
      // A last edit of no length plays the rest of the media (fragmented files write one).
      if (segment === 0 && i === count - 1 && mediaTime >= 0) rest = Math.max(0, track.ticks - mediaTime) / timescale;
      movieTicks += segment;
    }
    track.editSeconds = movieTicks / movieTimescale + rest;
  }
  return track;
}

const TFHD_BASE_OFFSET = 0x1;
const TFHD_DESCRIPTION = 0x2;
const TFHD_DURATION = 0x8;
const TRUN_DATA_OFFSET = 0x1;
const TRUN_FIRST_FLAGS = 0x4;
const TRUN_DURATION = 0x100;
const TRUN_SIZE = 0x200;
const TRUN_FLAGS = 0x400;
const TRUN_OFFSET = 0x800;

/** Adds one `moof`'s track fragments to their tracks: each sample's duration and offset, placed by `tfdt`. */
function parseFragment(r: MediaReader, b: Uint8Array, movie: Movie) {
  const children = tree(r, b, 0, b.length, 'moof', 2, FRAGMENT_CONTAINERS);
  single(children, 'mfhd', 'movie fragment');
  for (const traf of children.filter((n) => n.type === 'traf')) {
    const tfhd = required(traf.children, 'tfhd', 'track fragment');
    const h = fullBox(b, tfhd, 4);
    const track = movie.tracks.get(u32(b, h.at));
    if (!track)
      throw refuse('unsupported_media', `The MP4 file has fragments of a track it does not declare (${u32(b, h.at)})`);
    let at = h.at + 4;
    if (h.flags & TFHD_BASE_OFFSET) at += 8;
    if (h.flags & TFHD_DESCRIPTION) at += 4;
    let defaultDuration = track.defaultDuration;
    if (h.flags & TFHD_DURATION) {
      if (at + 4 > tfhd.end)
        throw refuse('unsupported_media', "The MP4 file has a 'tfhd' box too short for its fields");
      defaultDuration = u32(b, at);
    }
    const tfdt = single(traf.children, 'tfdt', 'track fragment');
    if (tfdt) {
      const d = fullBox(b, tfdt, 4);
      if (d.version === 1) fullBox(b, tfdt, 8);
      track.decode = d.version === 1 ? u64(b, d.at) : u32(b, d.at);
    }
    for (const trun of traf.children.filter((n) => n.type === 'trun')) {
      const t = fullBox(b, trun, 4);
      const count = u32(b, t.at);
      let entry = t.at + 4;
      if (t.flags & TRUN_DATA_OFFSET) entry += 4;
      if (t.flags & TRUN_FIRST_FLAGS) entry += 4;
      const fields = [TRUN_DURATION, TRUN_SIZE, TRUN_FLAGS, TRUN_OFFSET].filter((f) => t.flags & f).length;
      table(trun, entry, count, fields * 4);
      if (!(t.flags & TRUN_DURATION) && defaultDuration === null && count > 0) {
        throw refuse('duration_unknown', 'The MP4 file has fragment samples without a duration');
      }
      if (!(t.flags & (TRUN_DURATION | TRUN_OFFSET))) {
        // Every sample the default length, shown when decoded: one run, however many samples.
        run(track, track.decode, count, defaultDuration!, 0);
        track.decode += count * defaultDuration!;
        track.ticks += count * defaultDuration!;
        continue;
      }
      const offsetAt = fields * 4 - 4;
      for (let i = 0, at = entry; i < count; i++, at += fields * 4) {
        const duration = t.flags & TRUN_DURATION ? u32(b, at) : defaultDuration!;
        run(track, track.decode, 1, duration, t.flags & TRUN_OFFSET ? i32(b, at + offsetAt) : 0);
        track.decode += duration;
        track.ticks += duration;
      }
    }
  }
}

/** Boxes that only make sense inside the movie or a fragment; at the top of the file they are refused. */
const NESTED_ONLY = new Set(Object.keys(PARENT));

export async function probeMp4(r: MediaReader): Promise<Timeline> {
  let movie: Movie | null = null;
  let hasMediaData = false;
  for (let offset = 0, boxes = 0; offset < r.size;) {
    if (++boxes > r.limits.topLevel) {
      throw refuse('media_too_complex', `The MP4 file has more than ${r.limits.topLevel} top-level boxes`);
    }
    const head = await r.peek(offset, 16);
    const box = boxAt(head, 0, Math.min(head.length, 16), r.size - offset);
    if (!box) throw refuse('truncated_media', 'The MP4 file is truncated: it ends inside a box header');
    r.node(1);
    if (box.type === 'moov') {
      if (movie) throw refuse('duplicate_movie_header', 'The MP4 file has two movie boxes (moov)');
      movie = parseMovie(r, await r.region(offset + box.content, box.end - box.content, "The MP4 file's movie box"));
    } else if (box.type === 'moof') {
      if (!movie) throw refuse('unsupported_media', 'The MP4 file has a movie fragment before its movie box');
      parseFragment(r, await r.region(offset + box.content, box.end - box.content, 'A movie fragment'), movie);
    } else if (box.type === 'mdat') {
      hasMediaData = true;
    } else if (box.type === 'mvhd') {
      throw refuse('duplicate_movie_header', 'The MP4 file has a movie header (mvhd) outside its movie box');
    } else if (NESTED_ONLY.has(box.type)) {
      throw refuse('unsupported_media', `The MP4 file has a '${box.type}' box outside the box it belongs in`);
    }
    offset += box.end;
  }
  if (!movie) throw refuse('truncated_media', 'The MP4 file has no movie header (moov/mvhd): it is incomplete');
  if (!hasMediaData) throw refuse('truncated_media', 'The MP4 file has no media data');
  return timeline(movie);
}

/** The longest track: what a player shows as the movie's length. */
function timeline(movie: Movie): Timeline {
  let mediaSeconds = 0;
  for (const track of movie.tracks.values()) {
    // Every sample's duration added up, or the span their presentation times cover (gaps included), whichever
    // is longer; or the edit list's length, if longer still.
    const span = track.end > track.start ? track.end - track.start : 0;
    mediaSeconds = Math.max(mediaSeconds, Math.max(track.ticks, span) / track.timescale, track.editSeconds ?? 0);
  }
  if (mediaSeconds <= 0) throw refuse('duration_unknown', 'The MP4 file has no samples: its timeline is empty');
  if (movie.timescale === 0 && (movie.duration > 0 || movie.fragmentDuration)) {
    throw refuse('duration_unknown', 'The MP4 movie header has no timescale');
  }
  const claimed = movie.duration > 0 ? movie.duration : movie.fragmentDuration;
  return {
    container: 'mp4',
    mediaSeconds,
    headerSeconds: claimed && movie.timescale ? claimed / movie.timescale : null,
  };
}
