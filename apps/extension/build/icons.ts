// Draws the extension's icon (public/icon/<size>.png, found by WXT and listed in the manifest) at the sizes the
// browsers and stores use: 16 and 32 (toolbar), 48 (extensions page), 96 (AMO, Firefox's high-DPI pages), 128
// (Chrome Web Store, Chrome's install dialog), and the Chrome Web Store's 440×280 promo tile (`npm run package`
// writes it to .output/store/). A red rounded square with three white stacked episodes and a play mark, drawn
// from shapes with 8×8 supersampling; no image tool needed. Run it after changing the design:
//   npm run icons -w @series/extension
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

export const ICON_SIZES = [16, 32, 48, 96, 128];
type Colour = readonly [number, number, number];
const RED: Colour = [0xd6, 0x10, 0x3f];
const WHITE: Colour = [0xff, 0xff, 0xff];

/** Coverage of the point (x, y) in a unit square by each shape, last one on top. */
function shapeAt(x: number, y: number): Colour | null {
  // Rounded square, corner radius 0.2, with a 0.02 margin.
  const m = 0.02,
    r = 0.2;
  const cx = Math.min(Math.max(x, m + r), 1 - m - r),
    cy = Math.min(Math.max(y, m + r), 1 - m - r);
  if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) return null;
  // Play triangle: (0.38, 0.28) (0.38, 0.72) (0.74, 0.5).
  const inTriangle = x >= 0.38 && y >= 0.28 + (x - 0.38) * (0.22 / 0.36) && y <= 0.72 - (x - 0.38) * (0.22 / 0.36);
  // Three episode bars on the left.
  const inBar = x >= 0.2 && x <= 0.28 && [0.28, 0.46, 0.64].some((top) => y >= top && y <= top + 0.08);
  return inTriangle || inBar ? WHITE : RED;
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** An RGBA PNG of `width`×`height` whose pixels are `colourAt(x, y)` (0..1 each way), supersampled 8×8. */
function drawPng(width: number, height: number, colourAt: (x: number, y: number) => Colour | null): Buffer {
  const S = 8;
  const rows: Buffer[] = [];
  for (let py = 0; py < height; py++) {
    const row = Buffer.alloc(1 + width * 4); // filter 0, then RGBA
    for (let px = 0; px < width; px++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < S; sy++)
        for (let sx = 0; sx < S; sx++) {
          const colour = colourAt((px + (sx + 0.5) / S) / width, (py + (sy + 0.5) / S) / height);
          if (!colour) continue;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          a++;
        }
      const o = 1 + px * 4;
      if (a) [row[o], row[o + 1], row[o + 2]] = [Math.round(r / a), Math.round(g / a), Math.round(b / a)];
      row[o + 3] = Math.round((a / (S * S)) * 255);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export const drawIcon = (size: number) => drawPng(size, size, shapeAt);

/**
 * The Chrome Web Store's small promo tile (440×280): the icon's mark, white on the brand red, in the middle.
 * The mark is the icon's white shapes at 200 px, so the tile reads like the icon people will see.
 */
export function drawPromoTile(): Buffer {
  const [W, H, M] = [440, 280, 200];
  return drawPng(W, H, (x, y) => {
    const [ix, iy] = [(x * W - (W - M) / 2) / M, (y * H - (H - M) / 2) / M];
    const inside = ix >= 0 && ix <= 1 && iy >= 0 && iy <= 1 && shapeAt(ix, iy) === WHITE;
    return inside ? WHITE : RED;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // `npm run icons`: the Node 24 of the npm scripts runs TypeScript as is.
  const dir = new URL('../public/icon/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  for (const size of ICON_SIZES) writeFileSync(new URL(`${size}.png`, dir), drawIcon(size));
  console.log(`icons: ${ICON_SIZES.join(', ')} px in public/icon/`);
}
