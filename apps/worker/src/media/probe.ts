/**
 * Reads a video container's own duration without loading the file: MP4 (ISO BMFF) from its `mvhd` box,
 * WebM (Matroska) from the Segment Info. Works over ranged reads, so it can inspect a multi-GB object in R2.
 */
export interface ByteSource {
  size: number;
  /** Up to `length` bytes from `offset` (fewer only at the end of the file). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

export type ProbeResult =
  | { ok: true; container: 'mp4' | 'webm'; durationSeconds: number }
  | { ok: false; code: 'unsupported_media' | 'truncated_media' | 'duration_unknown'; message: string };

const fail = (code: Extract<ProbeResult, { ok: false }>['code'], message: string): ProbeResult => ({
  ok: false,
  code,
  message,
});

export async function probeVideo(src: ByteSource): Promise<ProbeResult> {
  const head = await src.read(0, Math.min(src.size, 16));
  if (head.length >= 8 && ascii(head, 4, 4) === 'ftyp') return probeMp4(src);
  if (head.length >= 4 && u32(head, 0) === EBML_HEADER) return probeWebm(src);
  return fail('unsupported_media', 'This file is not an MP4 or WebM video');
}

// ---------- MP4 / ISO BMFF ----------

const MAX_TOP_LEVEL_BOXES = 10_000;

async function probeMp4(src: ByteSource): Promise<ProbeResult> {
  let offset = 0;
  let movie: { timescale: number; duration: number } | null = null;
  let fragmentDuration: number | null = null;
  let hasMediaData = false;
  for (let boxes = 0; offset < src.size; boxes++) {
    if (boxes > MAX_TOP_LEVEL_BOXES) return fail('unsupported_media', 'Too many boxes for an MP4 video');
    const box = await readBoxHeader(src, offset, src.size);
    if (!box) return fail('truncated_media', 'The MP4 file is truncated: a box runs past the end of the file');
    if (box.type === 'moov') {
      const children = await findChildren(src, box.start + box.headerSize, box.end, ['mvhd', 'mvex']);
      const mvhd = children.get('mvhd');
      if (mvhd)
        movie = parseMvhd(await src.read(mvhd.start + mvhd.headerSize, Math.min(mvhd.size - mvhd.headerSize, 40)));
      const mvex = children.get('mvex');
      if (mvex) {
        const mehd = (await findChildren(src, mvex.start + mvex.headerSize, mvex.end, ['mehd'])).get('mehd');
        if (mehd) fragmentDuration = parseMehd(await src.read(mehd.start + mehd.headerSize, 12));
      }
    }
    if (box.type === 'mdat' || box.type === 'moof') hasMediaData = true;
    offset = box.end;
  }
  if (!movie) return fail('truncated_media', 'The MP4 file has no movie header (moov/mvhd): it is incomplete');
  if (!hasMediaData) return fail('truncated_media', 'The MP4 file has no media data');
  if (movie.timescale === 0) return fail('duration_unknown', 'The MP4 movie header has no timescale');
  const units = movie.duration > 0 ? movie.duration : fragmentDuration;
  if (!units) return fail('duration_unknown', 'The MP4 file does not state its duration');
  return { ok: true, container: 'mp4', durationSeconds: units / movie.timescale };
}

interface Box {
  type: string;
  start: number;
  headerSize: number;
  size: number;
  end: number;
}

async function readBoxHeader(src: ByteSource, offset: number, limit: number): Promise<Box | null> {
  if (offset + 8 > limit) return null;
  const h = await src.read(offset, 16);
  if (h.length < 8) return null;
  let size = u32(h, 0);
  const type = ascii(h, 4, 4);
  let headerSize = 8;
  if (size === 1) {
    if (h.length < 16) return null;
    size = u32(h, 8) * 2 ** 32 + u32(h, 12);
    headerSize = 16;
  } else if (size === 0) {
    size = limit - offset;
  }
  if (size < headerSize || offset + size > limit) return null;
  return { type, start: offset, headerSize, size, end: offset + size };
}

async function findChildren(src: ByteSource, from: number, to: number, wanted: string[]) {
  const found = new Map<string, Box>();
  for (let offset = from, n = 0; offset < to && n < MAX_TOP_LEVEL_BOXES; n++) {
    const box = await readBoxHeader(src, offset, to);
    if (!box) break;
    if (wanted.includes(box.type) && !found.has(box.type)) found.set(box.type, box);
    offset = box.end;
  }
  return found;
}

function parseMvhd(b: Uint8Array): { timescale: number; duration: number } | null {
  const version = b[0];
  if (version === 1 && b.length >= 32) return { timescale: u32(b, 20), duration: u64(b, 24) };
  if (version === 0 && b.length >= 20) return { timescale: u32(b, 12), duration: u32(b, 16) };
  return null;
}

function parseMehd(b: Uint8Array): number | null {
  if (b[0] === 1 && b.length >= 12) return u64(b, 4);
  if (b[0] === 0 && b.length >= 8) return u32(b, 4);
  return null;
}

// ---------- WebM / Matroska (EBML) ----------

const EBML_HEADER = 0x1a45dfa3;
const DOC_TYPE = 0x4282;
const SEGMENT = 0x18538067;
const INFO = 0x1549a966;
const CLUSTER = 0x1f43b675;
const TIMESTAMP_SCALE = 0x2ad7b1;
const DURATION = 0x4489;
const MAX_ELEMENTS_BEFORE_INFO = 1_000;

interface Element {
  id: number;
  dataStart: number;
  /** null when the size is "unknown" (live-style streaming files). */
  dataSize: number | null;
}

async function probeWebm(src: ByteSource): Promise<ProbeResult> {
  const header = await readElement(src, 0);
  if (!header || header.id !== EBML_HEADER || header.dataSize === null) {
    return fail('unsupported_media', 'This file is not a WebM video');
  }
  const headerEnd = header.dataStart + header.dataSize;
  if (headerEnd > src.size) return fail('truncated_media', 'The WebM file is truncated');
  const docType = await findElement(src, header.dataStart, headerEnd, DOC_TYPE);
  const docTypeText = docType?.dataSize
    ? ascii(await src.read(docType.dataStart, docType.dataSize), 0, docType.dataSize)
    : '';
  if (docTypeText !== 'webm' && docTypeText !== 'matroska')
    return fail('unsupported_media', 'This file is not a WebM video');

  const segment = await readElement(src, headerEnd);
  if (!segment || segment.id !== SEGMENT) return fail('truncated_media', 'The WebM file has no segment');
  const segmentEnd = segment.dataSize === null ? src.size : segment.dataStart + segment.dataSize;
  if (segmentEnd > src.size)
    return fail('truncated_media', 'The WebM file is truncated: it ends before its segment does');

  let offset = segment.dataStart;
  for (let n = 0; offset < segmentEnd && n < MAX_ELEMENTS_BEFORE_INFO; n++) {
    const el = await readElement(src, offset);
    if (!el || el.id === CLUSTER) break;
    if (el.dataSize === null) break;
    if (el.id === INFO) return readInfo(src, el.dataStart, el.dataStart + el.dataSize);
    offset = el.dataStart + el.dataSize;
  }
  return fail('duration_unknown', 'The WebM file does not state its duration before its media');
}

async function readInfo(src: ByteSource, from: number, to: number): Promise<ProbeResult> {
  if (to > src.size) return fail('truncated_media', 'The WebM file is truncated');
  let scale = 1_000_000;
  let duration: number | null = null;
  for (let offset = from; offset < to;) {
    const el = await readElement(src, offset);
    if (!el || el.dataSize === null) break;
    if (el.id === TIMESTAMP_SCALE && el.dataSize >= 1 && el.dataSize <= 8) {
      scale = uint(await src.read(el.dataStart, el.dataSize));
    } else if (el.id === DURATION && (el.dataSize === 4 || el.dataSize === 8)) {
      const bytes = await src.read(el.dataStart, el.dataSize);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      duration = el.dataSize === 4 ? view.getFloat32(0) : view.getFloat64(0);
    }
    offset = el.dataStart + el.dataSize;
  }
  if (duration === null || !Number.isFinite(duration) || duration <= 0 || scale === 0) {
    return fail('duration_unknown', 'The WebM file does not state its duration');
  }
  return { ok: true, container: 'webm', durationSeconds: (duration * scale) / 1e9 };
}

async function findElement(src: ByteSource, from: number, to: number, id: number) {
  for (let offset = from, n = 0; offset < to && n < 100; n++) {
    const el = await readElement(src, offset);
    if (!el || el.dataSize === null) return null;
    if (el.id === id) return el;
    offset = el.dataStart + el.dataSize;
  }
  return null;
}

/** An EBML element header: a variable-length id (marker kept) then a variable-length size (marker dropped). */
async function readElement(src: ByteSource, offset: number): Promise<Element | null> {
  const b = await src.read(offset, 12);
  const idLength = vintLength(b[0]);
  if (!idLength || idLength > 4 || b.length < idLength + 1) return null;
  let id = 0;
  for (let i = 0; i < idLength; i++) id = id * 256 + b[i]!;
  const sizeLength = vintLength(b[idLength]);
  if (!sizeLength || b.length < idLength + sizeLength) return null;
  let size = b[idLength]! & (0xff >> sizeLength);
  let allOnes = size === 0xff >> sizeLength;
  for (let i = 1; i < sizeLength; i++) {
    const byte = b[idLength + i]!;
    size = size * 256 + byte;
    allOnes &&= byte === 0xff;
  }
  return { id, dataStart: offset + idLength + sizeLength, dataSize: allOnes ? null : size };
}

function vintLength(first: number | undefined): number {
  if (!first) return 0;
  let length = 1;
  for (let mask = 0x80; !(first & mask); mask >>= 1) length++;
  return length;
}

// ---------- bytes ----------

const u32 = (b: Uint8Array, i: number) => ((b[i]! << 24) >>> 0) + (b[i + 1]! << 16) + (b[i + 2]! << 8) + b[i + 3]!;
const u64 = (b: Uint8Array, i: number) => u32(b, i) * 2 ** 32 + u32(b, i + 4);
const uint = (b: Uint8Array) => b.reduce((n, byte) => n * 256 + byte, 0);
const ascii = (b: Uint8Array, start: number, length: number) =>
  String.fromCharCode(...b.subarray(start, start + length));

/** A ByteSource over bytes already in memory (tests, small files). */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: async (offset, length) => bytes.subarray(offset, offset + length) };
}
