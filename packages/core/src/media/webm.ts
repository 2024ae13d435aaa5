/**
 * WebM (Matroska) timelines. The duration is the media's own: the last cluster's timestamp plus the end of its last
 * block (its BlockDuration, or its track's DefaultDuration), never less than the latest cue; the Segment Info
 * `Duration` is only the claim it is checked against. The header elements are read in a chunk or two, the Cues where
 * the SeekHead says, then the last clusters block by block in large chunks: from the cluster the latest cue points
 * at, or else from the last cluster found from the end of the file (how files without Cues, such as a browser's
 * MediaRecorder recordings, whose clusters have no size, are judged). The clusters in between are not read.
 */
import { MediaReader, refuse, u16, uint } from './reader.js';
import type { Timeline } from './timeline.js';

const EBML = 0x1a45dfa3;
const DOC_TYPE = 0x4282;
const SEGMENT = 0x18538067;
const SEEK_HEAD = 0x114d9b74;
const SEEK = 0x4dbb;
const SEEK_ID = 0x53ab;
const SEEK_POSITION = 0x53ac;
const INFO = 0x1549a966;
const TIMESTAMP_SCALE = 0x2ad7b1;
const DURATION = 0x4489;
const TRACKS = 0x1654ae6b;
const TRACK_ENTRY = 0xae;
const TRACK_NUMBER = 0xd7;
const DEFAULT_DURATION = 0x23e383;
const CUES = 0x1c53bb6b;
const CUE_POINT = 0xbb;
const CUE_TIME = 0xb3;
const CUE_TRACK_POSITIONS = 0xb7;
const CUE_CLUSTER_POSITION = 0xf1;
const CLUSTER = 0x1f43b675;
const TIMESTAMP = 0xe7;
const SIMPLE_BLOCK = 0xa3;
const BLOCK_GROUP = 0xa0;
const BLOCK = 0xa1;
const BLOCK_DURATION = 0x9b;
/** What a cluster may hold besides its timestamp and blocks: anything else ends a cluster of unknown size. */
const CLUSTER_CHILDREN = new Set([TIMESTAMP, SIMPLE_BLOCK, BLOCK_GROUP, 0xaf, 0xa7, 0xab, 0x5854, 0xec, 0xbf]);
/** The Segment's own children: where a cluster of unknown size may end. */
const SEGMENT_CHILDREN = new Set([
  SEEK_HEAD,
  INFO,
  TRACKS,
  CUES,
  CLUSTER,
  0x1043a770,
  0x1941a469,
  0x1254c367,
  0xec,
  0xbf,
]);

/** Largest TimestampScale accepted (1 ms): a block may then start at most 32.8 s after its cluster's timestamp. */
const MAX_TIMESTAMP_SCALE = 1_000_000;
/** Reads through the tail of a WebM (its last clusters, read block by block) take chunks this large. */
const TAIL_CHUNK = 1024 ** 2;

interface Element {
  id: number;
  /** Offset of the element's first byte, and of its data. */
  start: number;
  data: number;
  /** null when the size is "unknown" (live streams, recordings). */
  size: number | null;
}

const vintLength = (first: number | undefined) => (first ? Math.clz32(first) - 23 : 0);

/** The element header at `at` in `b` (offsets relative to `base`), or null if `b` holds too little of it. */
function elementAt(b: Uint8Array, at: number, base = 0): Element | null {
  const idLength = vintLength(b[at]);
  if (!idLength || idLength > 4 || at + idLength >= b.length) return null;
  let id = 0;
  for (let i = 0; i < idLength; i++) id = id * 256 + b[at + i]!;
  const sizeLength = vintLength(b[at + idLength]);
  if (!sizeLength || at + idLength + sizeLength > b.length) return null;
  let size = b[at + idLength]! & (0xff >> sizeLength);
  let unknown = size === 0xff >> sizeLength;
  for (let i = 1; i < sizeLength; i++) {
    const byte = b[at + idLength + i]!;
    size = size * 256 + byte;
    unknown &&= byte === 0xff;
  }
  return { id, start: base + at, data: base + at + idLength + sizeLength, size: unknown ? null : size };
}

/** Not a cluster after all (a search from the end of the file found the cluster id inside some other data). */
class NotACluster extends Error {}

interface Cues {
  first: number;
  last: number;
  /** Segment-relative position of the cluster the latest cue points at. */
  lastPosition: number;
}

interface ClusterRead {
  timestamp: number;
  /** Where the cluster's blocks end on the timeline, in ticks. */
  end: number;
  /** The file offset after the cluster. */
  next: number;
}

class WebmProbe {
  scale = 1_000_000;
  duration: number | null = null;
  info = false;
  /** DefaultDuration (ns) per track number; null if the file has no Tracks element yet. */
  tracks: Map<number, number | null> | null = null;
  cues: Cues | null = null;
  seek = new Map<number, number>();
  segmentStart = 0;
  segmentEnd = 0;
  firstTimestamp = Infinity;
  maxTimestamp = -Infinity;
  mediaEnd = -Infinity;
  topLevel = 0;
  parsed = new Set<number>();

  constructor(readonly r: MediaReader) {}

  /** The element header at `offset`, from the chunk in hand or a fresh read. */
  async header(offset: number, chunk?: number): Promise<Element | null> {
    const b = await this.r.peek(offset, 12, chunk);
    return elementAt(b.subarray(0, 12), 0, offset);
  }

  /** An element's data, in memory. */
  async data(el: Element, what: string) {
    return this.r.region(el.data, el.size!, what);
  }

  /** Calls `fn` for each child of a master element held in memory (`b` starts at file offset `base`). */
  children(b: Uint8Array, base: number, depth: number, fn: (el: Element, data: Uint8Array) => void) {
    for (let at = 0; at < b.length;) {
      const el = elementAt(b, at, 0);
      if (!el || el.size === null || el.data + el.size > b.length) {
        throw refuse('unsupported_media', `The WebM file has a malformed element at byte ${base + at}`);
      }
      this.r.node(depth);
      fn(el, b.subarray(el.data, el.data + el.size));
      at = el.data + el.size;
    }
  }

  parseInfo(b: Uint8Array, base: number) {
    if (this.info) throw refuse('duplicate_movie_header', 'The WebM file has two Segment Info elements');
    this.info = true;
    let scale: number | null = null;
    this.children(b, base, 3, (el, d) => {
      if (el.id === TIMESTAMP_SCALE) {
        if (scale !== null) throw refuse('duplicate_movie_header', 'The WebM file states its timestamp scale twice');
        scale = d.length >= 1 && d.length <= 8 ? uint(d) : 0;
      } else if (el.id === DURATION) {
        if (this.duration !== null) throw refuse('duplicate_movie_header', 'The WebM file states its duration twice');
        if (d.length !== 4 && d.length !== 8)
          throw refuse('unsupported_media', 'The WebM file has a malformed duration');
        const view = new DataView(d.buffer, d.byteOffset, d.byteLength);
        this.duration = d.length === 4 ? view.getFloat32(0) : view.getFloat64(0);
        if (!Number.isFinite(this.duration) || this.duration < 0) {
          throw refuse('duration_mismatch', 'The WebM file states an impossible duration');
        }
      }
    });
    if (scale !== null) this.scale = scale;
    if (this.scale < 1) throw refuse('unsupported_media', 'The WebM file has no timestamp scale');
    if (this.scale > MAX_TIMESTAMP_SCALE) {
      throw refuse('unsupported_media', 'The WebM file uses a timestamp scale coarser than a millisecond');
    }
  }

  parseTracks(b: Uint8Array, base: number) {
    if (this.tracks) throw refuse('duplicate_movie_header', 'The WebM file has two track lists (Tracks)');
    const tracks = new Map<number, number | null>();
    this.children(b, base, 3, (entry, d) => {
      if (entry.id !== TRACK_ENTRY) return;
      let number: number | null = null;
      let defaultDuration: number | null = null;
      this.children(d, base + entry.data, 4, (el, v) => {
        if (el.id === TRACK_NUMBER) number = uint(v);
        if (el.id === DEFAULT_DURATION) defaultDuration = uint(v);
      });
      if (number === null) throw refuse('unsupported_media', 'The WebM file has a track without a number');
      if (tracks.has(number)) throw refuse('duplicate_movie_header', `The WebM file has two tracks numbered ${number}`);
      tracks.set(number, defaultDuration);
    });
    this.tracks = tracks;
  }

  parseCues(b: Uint8Array, base: number) {
    if (this.cues) throw refuse('duplicate_movie_header', 'The WebM file has two indexes (Cues)');
    const cues: Cues = { first: Infinity, last: -Infinity, lastPosition: -1 };
    this.children(b, base, 3, (point, d) => {
      if (point.id !== CUE_POINT) return;
      let time: number | null = null;
      let position = -1;
      this.children(d, base + point.data, 4, (el, v) => {
        if (el.id === CUE_TIME) time = uint(v);
        if (el.id === CUE_TRACK_POSITIONS) {
          this.children(v, base + point.data + el.data, 5, (p, pv) => {
            if (p.id === CUE_CLUSTER_POSITION) position = Math.max(position, uint(pv));
          });
        }
      });
      if (time === null) return;
      cues.first = Math.min(cues.first, time);
      if (time >= cues.last) {
        cues.last = time;
        cues.lastPosition = position;
      }
    });
    if (Number.isFinite(cues.last)) this.cues = cues;
  }

  parseSeekHead(b: Uint8Array, base: number) {
    this.children(b, base, 3, (seek, d) => {
      if (seek.id !== SEEK) return;
      let id: number | null = null;
      let position: number | null = null;
      this.children(d, base + seek.data, 4, (el, v) => {
        if (el.id === SEEK_ID) id = uint(v);
        if (el.id === SEEK_POSITION) position = uint(v);
      });
      if (id !== null && position !== null && !this.seek.has(id)) this.seek.set(id, position);
    });
  }

  /** A Segment child of known size, read and parsed if it is one the timeline needs (once, however reached). */
  async topLevelElement(el: Element) {
    if (this.parsed.has(el.start)) return;
    this.parsed.add(el.start);
    if (el.id === INFO) this.parseInfo(await this.data(el, 'The Segment Info'), el.data);
    else if (el.id === TRACKS) this.parseTracks(await this.data(el, 'The track list'), el.data);
    else if (el.id === CUES) this.parseCues(await this.data(el, 'The index (Cues)'), el.data);
    else if (el.id === SEEK_HEAD) this.parseSeekHead(await this.data(el, 'The SeekHead'), el.data);
    else if (el.id === EBML || el.id === SEGMENT) {
      throw refuse('duplicate_movie_header', 'The WebM file has a second header inside its segment');
    }
  }

  countTopLevel() {
    if (++this.topLevel > this.r.limits.topLevel) {
      throw refuse('media_too_complex', `The WebM file has more than ${this.r.limits.topLevel} top-level elements`);
    }
    this.r.node(2);
  }

  /** The cluster's timestamp, from its first children (it comes before any block). */
  async clusterTimestamp(cluster: Element): Promise<number> {
    const end = cluster.size === null ? this.segmentEnd : cluster.data + cluster.size;
    for (let at = cluster.data, n = 0; at < end && n < 8; n++) {
      const el = await this.header(at);
      if (!el || el.size === null || el.data + el.size > end) break;
      this.r.node(3);
      if (el.id === TIMESTAMP) {
        if (el.size < 1 || el.size > 8) break;
        return uint(await this.r.region(el.data, el.size, 'A cluster timestamp'));
      }
      if (el.id === SIMPLE_BLOCK || el.id === BLOCK_GROUP) break;
      at = el.data + el.size;
    }
    throw refuse('unsupported_media', 'The WebM file has a cluster without a timestamp before its blocks');
  }

  /**
   * Reads a whole cluster block by block (in large chunks), from its header at `offset`: its timestamp and where
   * its last block ends. A cluster of unknown size ends where an element that cannot be in a cluster starts.
   */
  async readCluster(offset: number): Promise<ClusterRead> {
    const cluster = await this.header(offset, TAIL_CHUNK);
    if (!cluster || cluster.id !== CLUSTER) throw new NotACluster();
    const end = cluster.size === null ? this.segmentEnd : cluster.data + cluster.size;
    if (end > this.segmentEnd) throw new NotACluster();
    let timestamp: number | null = null;
    let last = -Infinity;
    let at = cluster.data;
    while (at < end) {
      const el = await this.header(at, TAIL_CHUNK);
      if (!el) throw new NotACluster();
      if (!CLUSTER_CHILDREN.has(el.id)) {
        if (cluster.size === null && SEGMENT_CHILDREN.has(el.id)) break;
        throw new NotACluster();
      }
      if (el.size === null || el.data + el.size > end) throw new NotACluster();
      this.r.node(3);
      if (el.id === TIMESTAMP) {
        if (timestamp !== null || el.size < 1 || el.size > 8) throw new NotACluster();
        timestamp = uint(await this.r.region(el.data, el.size, 'A cluster timestamp'));
      } else if (el.id === SIMPLE_BLOCK || el.id === BLOCK_GROUP) {
        if (timestamp === null) throw new NotACluster();
        last = Math.max(last, await this.blockEnd(el));
      }
      at = el.data + el.size;
    }
    if (timestamp === null) throw new NotACluster();
    return { timestamp, end: timestamp + Math.max(0, last), next: at };
  }

  /** Where a block (SimpleBlock or BlockGroup) ends, relative to its cluster's timestamp, in ticks. */
  async blockEnd(el: Element): Promise<number> {
    let block = el;
    let duration: number | null = null;
    if (el.id === BLOCK_GROUP) {
      let found: Element | null = null;
      for (let at = el.data; at < el.data + el.size!;) {
        const child = await this.header(at, TAIL_CHUNK);
        if (!child || child.size === null || child.data + child.size > el.data + el.size!) throw new NotACluster();
        this.r.node(4);
        if (child.id === BLOCK) found = child;
        if (child.id === BLOCK_DURATION) {
          if (child.size > 8) throw new NotACluster();
          duration = uint(await this.r.region(child.data, child.size, 'A block duration'));
        }
        at = child.data + child.size;
      }
      if (!found) throw new NotACluster();
      block = found;
    }
    const b = (await this.r.peek(block.data, 12, TAIL_CHUNK)).subarray(0, Math.min(12, block.size!));
    const trackLength = vintLength(b[0]);
    if (!trackLength || trackLength > 8 || trackLength + 3 > b.length) throw new NotACluster();
    let track = b[0]! & (0xff >> trackLength);
    for (let i = 1; i < trackLength; i++) track = track * 256 + b[i]!;
    if (this.tracks && !this.tracks.has(track)) throw new NotACluster();
    const raw = u16(b, trackLength);
    const relative = raw > 0x7fff ? raw - 0x10000 : raw;
    const lacing = (b[trackLength + 2]! >> 1) & 3;
    const frames = lacing && trackLength + 3 < b.length ? b[trackLength + 3]! + 1 : 1;
    if (duration === null) {
      const perFrame = this.tracks?.get(track) ?? null;
      duration = perFrame === null ? 0 : (frames * perFrame) / this.scale;
    }
    return relative + duration;
  }

  noteCluster(timestamp: number, end = timestamp) {
    this.firstTimestamp = Math.min(this.firstTimestamp, timestamp);
    this.maxTimestamp = Math.max(this.maxTimestamp, timestamp);
    this.mediaEnd = Math.max(this.mediaEnd, end);
  }

  /** Reads the clusters from `offset` to the end of the segment block by block (the tail of the file). */
  async readTail(offset: number) {
    if (this.segmentEnd - offset > this.r.limits.tailBytes) {
      throw refuse(
        'media_too_complex',
        `The WebM file's last clusters are longer than ${this.r.limits.tailBytes / 1024 ** 2} MiB`,
      );
    }
    for (let at = offset; at < this.segmentEnd;) {
      const el = await this.header(at, TAIL_CHUNK);
      if (!el) throw refuse('truncated_media', 'The WebM file is truncated: it ends inside an element header');
      this.countTopLevel();
      if (el.id === CLUSTER) {
        const cluster = await this.readCluster(at).catch((err: unknown) => {
          if (err instanceof NotACluster)
            throw refuse('unsupported_media', `The WebM file has a malformed cluster at byte ${at}`);
          throw err;
        });
        this.noteCluster(cluster.timestamp, cluster.end);
        at = cluster.next;
        continue;
      }
      if (el.size === null) throw refuse('unsupported_media', 'The WebM file has an element of unknown size');
      if (el.data + el.size > this.segmentEnd) {
        throw refuse('truncated_media', 'The WebM file is truncated: an element runs past the end of its segment');
      }
      await this.topLevelElement(el);
      at = el.data + el.size;
    }
  }

  /**
   * The last cluster of a file whose clusters have no size, found from the end: the cluster id searched backwards
   * a chunk at a time, each place it occurs tried as a cluster running cleanly to the end of the segment.
   */
  async findLastCluster(notBefore: number): Promise<number> {
    const limit = Math.max(notBefore, this.segmentEnd - this.r.limits.tailBytes);
    for (let windowEnd = this.segmentEnd; windowEnd > limit;) {
      const windowStart = Math.max(limit, windowEnd - TAIL_CHUNK);
      // 3 bytes of overlap, for an id cut by the window's end.
      const b = await this.r.region(
        windowStart,
        Math.min(this.segmentEnd, windowEnd + 3) - windowStart,
        'The end of the file',
      );
      for (let i = b.length - 4; i >= 0; i--) {
        if (b[i] !== 0x1f || b[i + 1] !== 0x43 || b[i + 2] !== 0xb6 || b[i + 3] !== 0x75) continue;
        const at = windowStart + i;
        try {
          await this.readTailStrict(at);
          return at;
        } catch (err) {
          if (!(err instanceof NotACluster)) throw err;
        }
      }
      windowEnd = windowStart;
    }
    throw refuse(
      'media_too_complex',
      `The WebM file's last cluster is not within ${this.r.limits.tailBytes / 1024 ** 2} MiB of its end`,
    );
  }

  /** Like {@link readTail}, but only checking (nothing is noted) and anything that does not parse means "not a cluster here". */
  async readTailStrict(offset: number) {
    for (let at = offset; at < this.segmentEnd;) {
      const el = await this.header(at, TAIL_CHUNK);
      if (!el || !SEGMENT_CHILDREN.has(el.id)) throw new NotACluster();
      if (el.id === CLUSTER) {
        at = (await this.readCluster(at)).next;
        continue;
      }
      if (el.size === null || el.data + el.size > this.segmentEnd) throw new NotACluster();
      at = el.data + el.size;
    }
  }

  /** Reads an element the SeekHead points to, if the walk did not reach it. */
  async seekTo(id: number, seen: boolean) {
    const position = this.seek.get(id);
    if (seen || position === undefined) return;
    const el = await this.header(this.segmentStart + position);
    if (!el || el.id !== id || el.size === null || el.data + el.size > this.segmentEnd) return;
    await this.topLevelElement(el);
  }

  async run(): Promise<Timeline> {
    const r = this.r;
    const ebml = await this.header(0);
    if (!ebml || ebml.id !== EBML || ebml.size === null)
      throw refuse('unsupported_media', 'This file is not a WebM video');
    r.node(1);
    const head = await r.region(ebml.data, ebml.size, 'The EBML header');
    let docType = '';
    this.children(head, ebml.data, 2, (el, d) => {
      if (el.id === DOC_TYPE) docType = String.fromCharCode(...d).replace(/\0+$/, '');
    });
    if (docType !== 'webm' && docType !== 'matroska')
      throw refuse('unsupported_media', 'This file is not a WebM video');

    const segment = await this.header(ebml.data + ebml.size);
    if (!segment || segment.id !== SEGMENT) throw refuse('truncated_media', 'The WebM file has no segment');
    r.node(1);
    this.segmentStart = segment.data;
    this.segmentEnd = segment.size === null ? r.size : segment.data + segment.size;
    if (this.segmentEnd > r.size)
      throw refuse('truncated_media', 'The WebM file is truncated: it ends before its segment does');
    if (this.segmentEnd < r.size) {
      const after = await this.header(this.segmentEnd);
      if (after && (after.id === SEGMENT || after.id === EBML)) {
        throw refuse('duplicate_movie_header', 'The WebM file has a second segment after its first');
      }
    }

    // The Segment's children up to the first cluster: the header elements (a few reads, neighbours share a chunk).
    let first: Element | null = null;
    for (let at = this.segmentStart; at < this.segmentEnd;) {
      const el = await this.header(at);
      if (!el) throw refuse('truncated_media', 'The WebM file is truncated: it ends inside an element header');
      this.countTopLevel();
      if (el.id === CLUSTER) {
        first = el;
        break;
      }
      if (el.size === null) throw refuse('unsupported_media', 'The WebM file has an element of unknown size');
      if (el.data + el.size > this.segmentEnd) {
        throw refuse('truncated_media', 'The WebM file is truncated: an element runs past the end of its segment');
      }
      await this.topLevelElement(el);
      at = el.data + el.size;
    }
    if (!first) throw refuse('truncated_media', 'The WebM file has no media (no clusters)');
    this.noteCluster(await this.clusterTimestamp(first));

    // The header elements written after the media (as the SeekHead says), then the last clusters: from the one the
    // latest cue points at, or else from the last cluster found from the end of the file, read block by block.
    await this.seekTo(INFO, this.info);
    await this.seekTo(TRACKS, this.tracks !== null);
    await this.seekTo(CUES, this.cues !== null);
    const cued = this.cues && this.cues.lastPosition >= 0 ? this.segmentStart + this.cues.lastPosition : -1;
    const usable = cued >= first.start && cued < this.segmentEnd && this.segmentEnd - cued <= r.limits.tailBytes;
    const from = usable && (await this.header(cued))?.id === CLUSTER ? cued : await this.findLastCluster(first.start);
    await this.readTail(from);
    if (!Number.isFinite(this.mediaEnd)) throw refuse('truncated_media', 'The WebM file has no media (no clusters)');

    const end = Math.max(this.mediaEnd, this.maxTimestamp, this.cues?.last ?? -Infinity);
    const start = Math.min(this.firstTimestamp, this.cues?.first ?? Infinity);
    return {
      container: 'webm',
      mediaSeconds: ((end - start) * this.scale) / 1e9,
      headerSeconds: this.duration === null ? null : (this.duration * this.scale) / 1e9,
    };
  }
}

export function probeWebm(r: MediaReader): Promise<Timeline> {
  return new WebmProbe(r).run();
}
