import { encode } from 'uqr';

/**
 * QR codes of storefront links. This module carries the encoder (uqr), so only code loaded on demand imports
 * it (see src/components/links/QrPanel.tsx and test/bundle-budget.test.ts).
 */
export interface QrMatrix {
  /** Modules per side, quiet zone included. */
  size: number;
  /** `true` for a dark module, row by row. */
  dark: boolean[][];
}

/** The quiet zone the QR standard asks for, in modules: scanners need it around a code shown in a video. */
const QUIET_ZONE = 4;

/**
 * The code of a text. Level M survives a blurry or compressed video frame; uqr raises it further when the
 * same size allows.
 */
export function qrMatrix(text: string): QrMatrix {
  const { size, data } = encode(text, { ecc: 'M', boostEcc: true, border: QUIET_ZONE });
  return { size, dark: data };
}

/** The dark modules as one SVG path in module units: one rectangle per horizontal run of dark modules. */
export function qrPath({ dark }: QrMatrix): string {
  let d = '';
  dark.forEach((row, y) => {
    for (let x = 0; x < row.length;) {
      if (!row[x]) {
        x++;
        continue;
      }
      let end = x;
      while (row[end]) end++;
      d += `M${x},${y}h${end - x}v1h-${end - x}z`;
      x = end;
    }
  });
  return d;
}

/** A standalone SVG file of the code: black on white, any size without blurring. */
export function qrSvgFile(matrix: QrMatrix, pixels = 1024): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${matrix.size} ${matrix.size}" width="${pixels}" height="${pixels}" shape-rendering="crispEdges">` +
    `<rect width="${matrix.size}" height="${matrix.size}" fill="#fff"/><path fill="#000" d="${qrPath(matrix)}"/></svg>\n`
  );
}

/**
 * A PNG of the code, at least `minPixels` wide, every module the same whole number of pixels so it stays
 * sharp when a video editor scales it. Drawn from the modules (no image decoding, nothing for the CSP to
 * allow). Null when the browser cannot draw on a canvas.
 */
export async function qrPng(matrix: QrMatrix, minPixels = 1024): Promise<Blob | null> {
  const scale = Math.ceil(minPixels / matrix.size);
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = matrix.size * scale;
  const context = canvas.getContext('2d');
  if (!context) return null;
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.fillStyle = '#000';
  matrix.dark.forEach((row, y) => row.forEach((on, x) => on && context.fillRect(x * scale, y * scale, scale, scale)));
  return new Promise((resolve) => canvas.toBlob((blob) => resolve(blob), 'image/png'));
}
