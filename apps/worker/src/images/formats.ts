/**
 * Cover and thumbnail images, judged from their bytes (never from a file name or a Content-Type): PNG, JPEG or
 * WebP, structurally whole, with every metadata block removed (EXIF with its GPS position and camera serial,
 * XMP, text chunks, comments, creation times). What remains is exactly the image the browser draws.
 */

export type ImageType = 'image/png' | 'image/jpeg' | 'image/webp';

export interface CleanImage {
  type: ImageType;
  width: number;
  height: number;
  /** The image without its metadata. */
  bytes: Uint8Array;
  /** How many bytes of metadata were removed. */
  stripped: number;
}

export type ImageProblem = { code: 'unsupported_image' | 'corrupt_image'; message: string };

export const EXTENSIONS: Record<ImageType, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

/** Larger than any screen shows a cover; a file past it is refused rather than stored. */
export const MAX_IMAGE_SIDE = 8192;

const corrupt = (what: string): ImageProblem => ({ code: 'corrupt_image', message: `The image is damaged: ${what}` });
const UNSUPPORTED: ImageProblem = {
  code: 'unsupported_image',
  message: 'Choose a PNG, JPEG or WebP image',
};

/**
 * Reads an image's type and size from its bytes and returns it without metadata, or says why it cannot be used.
 * @example const clean = cleanImage(bytes); if ('problem' in clean) refuse(clean.problem)
 */
export function cleanImage(bytes: Uint8Array): CleanImage | { problem: ImageProblem } {
  const result = startsWith(bytes, PNG_SIGNATURE)
    ? cleanPng(bytes)
    : bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff
      ? cleanJpeg(bytes)
      : ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP'
        ? cleanWebp(bytes)
        : UNSUPPORTED;
  if ('code' in result) return { problem: result };
  if (result.width < 1 || result.height < 1) return { problem: corrupt('it has no pixels') };
  if (result.width > MAX_IMAGE_SIDE || result.height > MAX_IMAGE_SIDE) {
    return { problem: corrupt(`it is larger than ${MAX_IMAGE_SIDE} pixels a side`) };
  }
  return { ...result, stripped: bytes.length - result.bytes.length };
}

const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));
const startsWith = (b: Uint8Array, prefix: readonly number[]) => prefix.every((v, i) => b[i] === v);
const u32be = (b: Uint8Array, at: number) =>
  ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
const u16be = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u32le = (b: Uint8Array, at: number) =>
  (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
const u24le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// PNG: chunks of length, type, data and CRC. Only the chunks that say how to draw the image are kept.
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;
const PNG_KEEP = new Set([
  'IHDR',
  'PLTE',
  'IDAT',
  'IEND',
  'tRNS',
  'cHRM',
  'gAMA',
  'iCCP',
  'sBIT',
  'sRGB',
  'bKGD',
  'pHYs',
]);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();
function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function cleanPng(b: Uint8Array): Omit<CleanImage, 'stripped'> | ImageProblem {
  const kept: Uint8Array[] = [b.subarray(0, 8)];
  let at = 8;
  let width = 0;
  let height = 0;
  let sawData = false;
  for (let index = 0; ; index++) {
    if (at + 12 > b.length) return corrupt('it ends before its last chunk');
    const length = u32be(b, at);
    const type = ascii(b, at + 4, 4);
    const end = at + 12 + length;
    if (length > 0x7fffffff || end > b.length) return corrupt(`its ${type} chunk is cut short`);
    if (crc32(b.subarray(at + 4, at + 8 + length)) !== u32be(b, at + 8 + length)) {
      return corrupt(`its ${type} chunk fails its checksum`);
    }
    if (index === 0) {
      if (type !== 'IHDR' || length !== 13) return corrupt('it does not start with its header');
      width = u32be(b, at + 8);
      height = u32be(b, at + 12);
    }
    if (type === 'IDAT') sawData = true;
    if (PNG_KEEP.has(type)) kept.push(b.subarray(at, end));
    at = end;
    if (type === 'IEND') break;
  }
  if (!sawData) return corrupt('it has no image data');
  return { type: 'image/png', width, height, bytes: concat(kept) };
}

// JPEG: marker segments up to the scans; APP1..APP15 (EXIF, XMP, vendor blocks) and comments go, except the
// colour profile (APP2 ICC_PROFILE) and Adobe's colour transform (APP14), which change how it is drawn.
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function keepJpegSegment(marker: number, b: Uint8Array, dataAt: number): boolean {
  if (marker === 0xfe) return false;
  if (marker === 0xe2) return ascii(b, dataAt, 12) === 'ICC_PROFILE\0';
  if (marker === 0xee) return ascii(b, dataAt, 5) === 'Adobe';
  if (marker > 0xe0 && marker <= 0xef) return false;
  return true;
}

function cleanJpeg(b: Uint8Array): Omit<CleanImage, 'stripped'> | ImageProblem {
  const kept: Uint8Array[] = [b.subarray(0, 2)];
  let at = 2;
  let width = 0;
  let height = 0;
  let scans = 0;
  for (;;) {
    if (at + 2 > b.length) return corrupt('it ends before its end marker');
    if (b[at] !== 0xff) return corrupt('a segment is out of place');
    let marker = b[at + 1]!;
    while (marker === 0xff && at + 2 < b.length) marker = b[++at + 1]!;
    if (marker === 0xd9) {
      kept.push(b.subarray(at, at + 2));
      break;
    }
    if (at + 4 > b.length) return corrupt('a segment is cut short');
    const length = u16be(b, at + 2);
    const end = at + 2 + length;
    if (length < 2 || end > b.length) return corrupt('a segment is cut short');
    if (SOF.has(marker)) {
      if (length < 7) return corrupt('its frame header is cut short');
      height = u16be(b, at + 5);
      width = u16be(b, at + 7);
    }
    if (keepJpegSegment(marker, b, at + 4)) kept.push(b.subarray(at, end));
    at = end;
    if (marker === 0xda) {
      // Entropy-coded data runs to the next marker that is not a stuffed byte or a restart marker.
      scans++;
      const start = at;
      while (at + 1 < b.length && !(b[at] === 0xff && b[at + 1] !== 0x00 && (b[at + 1]! < 0xd0 || b[at + 1]! > 0xd7))) {
        at++;
      }
      if (at + 1 >= b.length) return corrupt('its image data is cut short');
      kept.push(b.subarray(start, at));
    }
  }
  if (!width || !height) return corrupt('it has no frame header');
  if (!scans) return corrupt('it has no image data');
  return { type: 'image/jpeg', width, height, bytes: concat(kept) };
}

// WebP: RIFF chunks; EXIF and XMP go (and their flags in VP8X), the bitstreams and the colour profile stay.
const WEBP_KEEP = new Set(['VP8 ', 'VP8L', 'VP8X', 'ALPH', 'ICCP', 'ANIM', 'ANMF']);

function cleanWebp(b: Uint8Array): Omit<CleanImage, 'stripped'> | ImageProblem {
  const riffEnd = 8 + u32le(b, 4);
  if (riffEnd > b.length || riffEnd < 12) return corrupt('it is cut short');
  const kept: Uint8Array[] = [];
  let at = 12;
  let width = 0;
  let height = 0;
  let bitstream = false;
  while (at < riffEnd) {
    if (at + 8 > riffEnd) return corrupt('a chunk is cut short');
    const type = ascii(b, at, 4);
    const size = u32le(b, at + 4);
    const end = at + 8 + size + (size & 1);
    if (at + 8 + size > riffEnd) return corrupt(`its ${type.trim()} chunk is cut short`);
    const data = at + 8;
    if (type === 'VP8X' && size >= 10) {
      width = u24le(b, data + 4) + 1;
      height = u24le(b, data + 7) + 1;
      const chunk = b.slice(at, Math.min(end, riffEnd));
      // Flags: 0x08 EXIF, 0x04 XMP; the chunks they announce are gone.
      chunk[8] = chunk[8]! & ~0x0c;
      kept.push(chunk);
    } else if (type === 'VP8 ' || type === 'VP8L') {
      bitstream = true;
      if (!width) {
        if (type === 'VP8 ') {
          if (size < 10 || b[data + 3] !== 0x9d || b[data + 4] !== 0x01 || b[data + 5] !== 0x2a) {
            return corrupt('its VP8 frame header is wrong');
          }
          width = (b[data + 6]! | (b[data + 7]! << 8)) & 0x3fff;
          height = (b[data + 8]! | (b[data + 9]! << 8)) & 0x3fff;
        } else {
          if (size < 5 || b[data] !== 0x2f) return corrupt('its lossless header is wrong');
          const bits = u32le(b, data + 1);
          width = (bits & 0x3fff) + 1;
          height = ((bits >>> 14) & 0x3fff) + 1;
        }
      }
      kept.push(b.subarray(at, Math.min(end, riffEnd)));
    } else if (WEBP_KEEP.has(type)) {
      if (type === 'ANMF') bitstream = true;
      kept.push(b.subarray(at, Math.min(end, riffEnd)));
    }
    at = end;
  }
  if (!bitstream) return corrupt('it has no image data');
  const body = concat(kept);
  const header = new Uint8Array(12);
  header.set(b.subarray(0, 12));
  const riffSize = body.length + 4;
  header[4] = riffSize & 0xff;
  header[5] = (riffSize >>> 8) & 0xff;
  header[6] = (riffSize >>> 16) & 0xff;
  header[7] = (riffSize >>> 24) & 0xff;
  return { type: 'image/webp', width, height, bytes: concat([header, body]) };
}
