// Shared by the image tests, the authorization matrix and the fuzzer: multipart bodies and images with metadata.
import { call } from './helpers';
import { fixture } from './media-helpers';

const encoder = new TextEncoder();

/** A multipart/form-data body of file fields (as a browser's FormData sends it), with its Content-Type. */
export function multipart(files: Record<string, { bytes: Uint8Array; type?: string; name?: string }>) {
  const boundary = `----series${crypto.randomUUID().replace(/-/g, '')}`;
  const parts: Uint8Array[] = [];
  for (const [field, file] of Object.entries(files)) {
    parts.push(
      encoder.encode(
        `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${file.name ?? 'image'}"\r\n` +
          `Content-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      file.bytes,
      encoder.encode('\r\n'),
    );
  }
  parts.push(encoder.encode(`--${boundary}--\r\n`));
  return { bytes: concat(parts), headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` } };
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Uploads a cover (the 3:4 PNG fixture unless given) for the owner's series. */
export async function uploadCover(
  token: string,
  seriesId: string,
  image = fixture('cover-300x400.png'),
  thumbnail: Uint8Array | null = fixture('thumb-48x64.webp'),
) {
  const body = multipart({ image: { bytes: image }, ...(thumbnail ? { thumbnail: { bytes: thumbnail } } : {}) });
  return call('PUT', `/v1/series/${seriesId}/cover`, { token, bytes: body.bytes, headers: body.headers });
}

// Metadata that must not survive: a camera's EXIF block with a GPS position, XMP, text.
export const SECRET = 'GPS 48.8584N 2.2945E serial CAM-123456';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (b: Uint8Array) => {
  let c = 0xffffffff;
  for (const byte of b) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const be32 = (n: number) => new Uint8Array([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
const le32 = (n: number) => new Uint8Array([n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24]);

/** A PNG chunk with its CRC. */
export function pngChunk(type: string, data: Uint8Array) {
  const typed = concat([encoder.encode(type), data]);
  return concat([be32(data.length), typed, be32(crc32(typed))]);
}

/** The PNG fixture with eXIf, tEXt and iTXt chunks put after its header. */
export function pngWithMetadata() {
  const png = fixture('cover-300x400.png');
  const afterHeader = 8 + 25;
  return concat([
    png.subarray(0, afterHeader),
    pngChunk('eXIf', encoder.encode(`MM\0*${SECRET}`)),
    pngChunk('tEXt', encoder.encode(`Comment\0${SECRET}`)),
    pngChunk('iTXt', encoder.encode(`XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta>${SECRET}</x:xmpmeta>`)),
    png.subarray(afterHeader),
  ]);
}

const jpegSegment = (marker: number, data: Uint8Array) =>
  concat([new Uint8Array([0xff, marker, (data.length + 2) >> 8, (data.length + 2) & 255]), data]);

/** The JPEG fixture with an EXIF (APP1), an XMP (APP1), a vendor block (APP13) and a comment after its SOI. */
export function jpegWithMetadata() {
  const jpg = fixture('cover-300x400.jpg');
  return concat([
    jpg.subarray(0, 2),
    jpegSegment(0xe1, encoder.encode(`Exif\0\0MM\0*${SECRET}`)),
    jpegSegment(0xe1, encoder.encode(`http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>${SECRET}</x:xmpmeta>`)),
    jpegSegment(0xed, encoder.encode(`Photoshop 3.0\0${SECRET}`)),
    jpegSegment(0xfe, encoder.encode(SECRET)),
    jpg.subarray(2),
  ]);
}

const riffChunk = (type: string, data: Uint8Array) =>
  concat([encoder.encode(type), le32(data.length), data, data.length & 1 ? new Uint8Array(1) : new Uint8Array()]);

/** The lossy WebP fixture in the extended format (VP8X) with EXIF and XMP chunks, their flags set. */
export function webpWithMetadata() {
  const webp = fixture('cover-300x400.webp');
  const vp8 = webp.subarray(12);
  const vp8x = new Uint8Array(10);
  vp8x[0] = 0x08 | 0x04; // EXIF and XMP present
  vp8x.set([299 & 255, 299 >> 8, 0], 4); // canvas width - 1
  vp8x.set([399 & 255, 399 >> 8, 0], 7); // canvas height - 1
  const body = concat([
    riffChunk('VP8X', vp8x),
    vp8,
    riffChunk('EXIF', encoder.encode(`MM\0*${SECRET}`)),
    riffChunk('XMP ', encoder.encode(`<x:xmpmeta>${SECRET}</x:xmpmeta>`)),
  ]);
  return concat([encoder.encode('RIFF'), le32(body.length + 4), encoder.encode('WEBP'), body]);
}

export const hasText = (bytes: Uint8Array, text: string) => new TextDecoder('latin1').decode(bytes).includes(text);
