/**
 * Bounded reading of a video file that may be gigabytes long and crafted by an attacker: every read, byte, box or
 * element and level of nesting is counted against {@link MEDIA_LIMITS}, and past any of them the probe gives up
 * with `media_too_complex` instead of working on. Header regions are read whole and parsed in memory, so the number
 * of reads follows the number of top-level boxes, never what a box contains.
 */

/** A file that can be read by ranges: an R2 object in the worker, a `File` in the browser. */
export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes from `offset` (fewer only at the end of the file). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

const MiB = 1024 ** 2;

/**
 * What one file may cost to probe, chosen from real 20-minute files (the figures are in docs/api.md, "Episode
 * videos"): the heaviest, a fragmented MP4 with a fragment per track every second (2,400 `moof`s), takes 2,721 reads
 * and 37 MB; a progressive MP4 takes 3 reads and its `moov` (2 MB at 60 fps); a WebM 2 to 4 reads.
 */
export const MEDIA_LIMITS = {
  /** Ranged reads of the file. */
  reads: 5_000,
  /** Bytes read, all reads together. */
  bytes: 128 * MiB,
  /** One region held in memory at once: an MP4 `moov` or `moof`, the WebM header elements or Cues. */
  regionBytes: 32 * MiB,
  /** Boxes (MP4) or elements (WebM) parsed, every level together. */
  nodes: 200_000,
  /** Boxes at the top of an MP4, or children of a WebM Segment. */
  topLevel: 10_000,
  /** Levels of boxes within boxes (elements within elements). */
  depth: 16,
  /** How far from its end a WebM whose clusters have no size is searched for its last cluster. */
  tailBytes: 64 * MiB,
} as const;

export type MediaLimits = { readonly [K in keyof typeof MEDIA_LIMITS]: number };

export type ProbeFailureCode =
  | 'unsupported_media'
  | 'truncated_media'
  | 'duration_unknown'
  | 'duration_mismatch'
  | 'duplicate_movie_header'
  | 'media_too_complex';

/** Why a file is refused, thrown inside the parsers and turned into a result by `probeVideo`. */
export class ProbeRefusal extends Error {
  constructor(
    readonly code: ProbeFailureCode,
    message: string,
    readonly details?: Record<string, number>,
  ) {
    super(message);
  }
}

export const refuse = (code: ProbeFailureCode, message: string, details?: Record<string, number>) =>
  new ProbeRefusal(code, message, details);

/** What probing a file cost, for tests and the figures in the docs. */
export interface ProbeStats {
  reads: number;
  bytes: number;
  nodes: number;
  depth: number;
}

/** Bytes read when a header is needed and the current chunk does not hold it. */
export const CHUNK_BYTES = 16 * 1024;

/** A {@link ByteSource} read under a budget, with the last chunk kept so neighbouring headers cost no read. */
export class MediaReader {
  readonly stats: ProbeStats = { reads: 0, bytes: 0, nodes: 0, depth: 0 };
  private chunk: Uint8Array = new Uint8Array(0);
  private chunkStart = 0;

  constructor(
    private readonly src: ByteSource,
    readonly limits: MediaLimits = MEDIA_LIMITS,
  ) {}

  get size() {
    return this.src.size;
  }

  /** One ranged read, counted. */
  private async fetch(offset: number, length: number): Promise<Uint8Array> {
    const len = Math.max(0, Math.min(length, this.src.size - offset));
    if (len === 0) return new Uint8Array(0);
    if (++this.stats.reads > this.limits.reads) {
      throw refuse('media_too_complex', `Reading this file's timeline takes more than ${this.limits.reads} reads`);
    }
    if (this.stats.bytes + len > this.limits.bytes) {
      throw refuse('media_too_complex', `Reading this file's timeline takes more than ${mib(this.limits.bytes)}`);
    }
    this.stats.bytes += len;
    const bytes = await this.src.read(offset, len);
    this.chunk = bytes;
    this.chunkStart = offset;
    return bytes;
  }

  /**
   * The bytes from `offset` on, at least `min` of them unless the file ends first: from the current chunk when it
   * holds them, else in a fresh read of `chunk` bytes (or `min`, when more).
   */
  async peek(offset: number, min = 16, chunk = CHUNK_BYTES): Promise<Uint8Array> {
    const want = Math.min(min, this.src.size - offset);
    const at = offset - this.chunkStart;
    if (at >= 0 && at + want <= this.chunk.length) return this.chunk.subarray(at);
    return this.fetch(offset, Math.max(chunk, min));
  }

  /** Exactly `length` bytes from `offset`, held in memory as one region; `truncated_media` if the file ends first. */
  async region(offset: number, length: number, what: string): Promise<Uint8Array> {
    if (length > this.limits.regionBytes) {
      throw refuse('media_too_complex', `${what} is larger than ${mib(this.limits.regionBytes)}`);
    }
    if (offset + length > this.src.size)
      throw refuse('truncated_media', `The file is truncated: ${what} runs past its end`);
    const at = offset - this.chunkStart;
    if (at >= 0 && at + length <= this.chunk.length) return this.chunk.subarray(at, at + length);
    const bytes = await this.fetch(offset, length);
    if (bytes.length < length) throw refuse('truncated_media', `The file is truncated: ${what} runs past its end`);
    return bytes.subarray(0, length);
  }

  /** Counts one box or element at `depth` (1 = top level). */
  node(depth: number) {
    if (++this.stats.nodes > this.limits.nodes) {
      throw refuse('media_too_complex', `This file has more than ${this.limits.nodes} boxes or elements`);
    }
    if (depth > this.stats.depth) this.stats.depth = depth;
    if (depth > this.limits.depth) {
      throw refuse('media_too_complex', `This file nests boxes or elements more than ${this.limits.depth} deep`);
    }
  }
}

const mib = (bytes: number) => `${bytes / MiB} MiB`;

// ---------- bytes ----------

export const u16 = (b: Uint8Array, i: number) => (b[i]! << 8) | b[i + 1]!;
export const u32 = (b: Uint8Array, i: number) =>
  ((b[i]! << 24) >>> 0) + (b[i + 1]! << 16) + (b[i + 2]! << 8) + b[i + 3]!;
export const i32 = (b: Uint8Array, i: number) => u32(b, i) | 0;
export const u64 = (b: Uint8Array, i: number) => u32(b, i) * 2 ** 32 + u32(b, i + 4);
export const i64 = (b: Uint8Array, i: number) => i32(b, i) * 2 ** 32 + u32(b, i + 4);
export const uint = (b: Uint8Array) => b.reduce((n, byte) => n * 256 + byte, 0);
export const ascii = (b: Uint8Array, start: number, length: number) =>
  String.fromCharCode(...b.subarray(start, start + length));

/** A ByteSource over bytes already in memory (tests, small files). */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: async (offset, length) => bytes.subarray(offset, offset + length) };
}
