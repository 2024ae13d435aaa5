// Real fixture videos changed the way an attacker (or a tool) would: headers that lie, an index removed.
import { expect } from 'vitest';

const latin1 = (bytes: Uint8Array) => new TextDecoder('latin1').decode(bytes);

/** Every offset where the four-character box type `type` occurs. */
function boxTypes(bytes: Uint8Array, type: string): number[] {
  const text = latin1(bytes);
  const found: number[] = [];
  for (let at = text.indexOf(type); at >= 0; at = text.indexOf(type, at + 1)) found.push(at);
  return found;
}

/**
 * The file with every duration its headers state set to `seconds`, its media untouched: for an MP4 the movie
 * header (`mvhd`), each track header (`tkhd`), media header (`mdhd`) and edit list (`elst`); for a WebM the
 * Segment Info `Duration`. (Version-0 boxes and an 8-byte float Duration, as ffmpeg writes them.)
 */
export function lieAboutLength(original: Uint8Array, seconds: number): Uint8Array {
  const bytes = original.slice();
  const view = new DataView(bytes.buffer);
  if (latin1(bytes.subarray(4, 8)) === 'ftyp') {
    const [mvhd] = boxTypes(bytes, 'mvhd');
    expect(bytes[mvhd! + 4]).toBe(0);
    const movieScale = view.getUint32(mvhd! + 16);
    view.setUint32(mvhd! + 20, seconds * movieScale);
    for (const at of boxTypes(bytes, 'tkhd')) view.setUint32(at + 24, seconds * movieScale);
    for (const at of boxTypes(bytes, 'mdhd')) view.setUint32(at + 20, seconds * view.getUint32(at + 16));
    for (const at of boxTypes(bytes, 'elst')) view.setUint32(at + 12, seconds * movieScale);
    return bytes;
  }
  let patched = 0;
  for (let i = 0; i + 11 <= bytes.length; i++) {
    if (bytes[i] === 0x44 && bytes[i + 1] === 0x89 && bytes[i + 2] === 0x88) {
      view.setFloat64(i + 3, seconds * 1000); // TimestampScale 1 ms
      patched++;
    }
  }
  expect(patched).toBe(1);
  return bytes;
}

/** A WebM with its Cues element turned into a Void of the same length: as if it had never been indexed. */
export function withoutCues(original: Uint8Array): Uint8Array {
  const bytes = original.slice();
  for (let i = bytes.length - 4; i >= 0; i--) {
    if (bytes[i] !== 0x1c || bytes[i + 1] !== 0x53 || bytes[i + 2] !== 0xbb || bytes[i + 3] !== 0x6b) continue;
    const first = bytes[i + 4]!;
    const sizeLength = Math.clz32(first) - 23;
    let size = first & (0xff >> sizeLength);
    for (let k = 1; k < sizeLength; k++) size = size * 256 + bytes[i + 4 + k]!;
    const total = 4 + sizeLength + size;
    expect(total).toBeGreaterThanOrEqual(9);
    bytes[i] = 0xec; // Void, then an 8-byte size for the rest
    bytes[i + 1] = 0x01;
    for (let k = 0, rest = total - 9; k < 7; k++) bytes[i + 8 - k] = Math.floor(rest / 256 ** k) % 256;
    return bytes;
  }
  throw new Error('no Cues element');
}
