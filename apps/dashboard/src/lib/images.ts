import { ApiFailure, checkBody, readBody } from './api.js';

/** The covers' shape on the storefront and in the extension: 3 wide, 4 high. */
export const COVER_RATIO = 3 / 4;
/** What the cover is drawn at (smaller sources are kept at their own size). */
export const COVER_HEIGHT = 1200;
/** The small copy the extension's lookups carry (CSS pixels), and the most bytes it may take (the API's limit). */
export const THUMB_SIZE = { width: 48, height: 64 };
export const MAX_THUMB_BYTES = 4096;
/** What the API accepts, as sent. */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp'];

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The largest 3:4 part of a `width` × `height` picture, placed along its long side by `position` (0: top or left,
 * 0.5: centred, 1: bottom or right).
 * @example coverCrop(1200, 1200, 0.5) // { x: 150, y: 0, width: 900, height: 1200 }
 */
export function coverCrop(width: number, height: number, position = 0.5): Rect {
  const p = Math.max(0, Math.min(1, position));
  if (width / height > COVER_RATIO) {
    const w = Math.round(height * COVER_RATIO);
    return { x: Math.round((width - w) * p), y: 0, width: w, height };
  }
  const h = Math.round(width / COVER_RATIO);
  return { x: 0, y: Math.round((height - h) * p), width, height: h };
}

/** Whether a crop position moves the crop up and down (a tall picture) rather than sideways. */
export const cropsVertically = (width: number, height: number) => width / height < COVER_RATIO;

/** Why a chosen file cannot be a cover, before anything is sent (the API judges the bytes again). */
export function coverFileProblem(file: { type: string; size: number }): 'wrongType' | 'tooBig' | null {
  if (!IMAGE_TYPES.includes(file.type)) return 'wrongType';
  // The crop is drawn again in the browser, so a large photo becomes a small file: only absurd sizes stop here.
  if (file.size > 40 * 1024 * 1024) return 'tooBig';
  return null;
}

/** A canvas's picture as a file of `type` (WebP where the browser can write it, else JPEG). */
export async function canvasBlob(canvas: HTMLCanvasElement, quality: number): Promise<Blob> {
  const as = (type: string) => new Promise<Blob | null>((resolve) => canvas.toBlob((b) => resolve(b), type, quality));
  const webp = await as('image/webp');
  if (webp && webp.type === 'image/webp') return webp;
  const jpeg = await as('image/jpeg');
  if (!jpeg) throw new Error('This browser could not draw the image');
  return jpeg;
}

/** Draws `rect` of `source` onto a new canvas of `width` × `height`. */
export function drawCanvas(source: CanvasImageSource, rect: Rect, width: number, height: number) {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw images');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(source, rect.x, rect.y, rect.width, rect.height, 0, 0, width, height);
  return canvas;
}

/** The cover and its small copy from a crop of `source`: re-drawn, so no metadata of the original survives. */
export async function coverFiles(source: CanvasImageSource, rect: Rect) {
  const height = Math.min(COVER_HEIGHT, rect.height);
  const width = Math.round(height * COVER_RATIO);
  let cover = await canvasBlob(drawCanvas(source, rect, width, height), 0.85);
  if (cover.size > MAX_IMAGE_BYTES) cover = await canvasBlob(drawCanvas(source, rect, width, height), 0.6);
  const small = drawCanvas(source, rect, THUMB_SIZE.width, THUMB_SIZE.height);
  let thumbnail: Blob | null = null;
  for (const quality of [0.6, 0.4, 0.2]) {
    thumbnail = await canvasBlob(small, quality);
    if (thumbnail.size <= MAX_THUMB_BYTES) break;
  }
  return { cover, thumbnail: thumbnail && thumbnail.size <= MAX_THUMB_BYTES ? thumbnail : null };
}

/** Sends image files as a multipart form to one of the API's image routes; its JSON answer, or an ApiFailure. */
export async function sendImages(method: 'PUT' | 'DELETE', path: string, files: Record<string, Blob | null> = {}) {
  const form = new FormData();
  for (const [name, blob] of Object.entries(files)) if (blob) form.append(name, blob, `${name}.${ext(blob.type)}`);
  let res: Response;
  try {
    res = await fetch(path, { method, credentials: 'include', body: method === 'PUT' ? form : undefined });
  } catch {
    return checkBody(0, null);
  }
  return readBody(res);
}

const ext = (type: string) => (type === 'image/png' ? 'png' : type === 'image/webp' ? 'webp' : 'jpg');

/** The message for a refused image, on the field it names. */
export const imageError = (err: unknown) =>
  err instanceof ApiFailure ? (err.issues[0]?.message ?? err.message) : String(err);
