import { Hono } from 'hono';
import { requireCreator } from '../auth/middleware.js';
import { limitBody } from '../lib/body.js';
import type { AppEnv } from '../lib/context.js';
import { ApiError, notFound } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { episodeIdParam, seriesIdParam } from '../lib/params.js';
import { catalogPaths, purgeCatalog } from '../lib/public-cache.js';
import { cleanImage, EXTENSIONS, type CleanImage } from './formats.js';
import {
  heldThumbKey,
  holdSeriesCover,
  IMAGE_PREFIX,
  imageNameOf,
  replaceEpisodeThumbnail,
  replaceSeriesCover,
} from './queries.js';

/** A cover or thumbnail file may be this large, as sent (before its metadata is removed). */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
/** The small cover copy the extension's lookups carry, as sent. */
export const MAX_THUMB_BYTES = 4096;
/** Its sides at most (the extension shows it at 48 × 64 CSS pixels). */
export const MAX_THUMB_SIDE = 160;

/** What the helpers below read of a request's context. */
interface WorkerContext {
  env: Env;
  req: { url: string; header(name: string): string | undefined; formData(): Promise<FormData> };
}

const NAME = /^img_[0-9A-Za-z]{22}\.(png|jpg|webp)$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The address the worker serves a stored image at (the origin: SITE_ORIGIN, else the request's). */
const imageUrl = (c: WorkerContext, name: string) =>
  `${(c.env.SITE_ORIGIN || new URL(c.req.url).origin).replace(/\/+$/, '')}/v1/images/${name}`;

/** A multipart form's file field, checked from its bytes: too large, not an image or damaged answers 4xx. */
async function readImage(form: FormData, field: string, maxBytes: number, required: boolean) {
  const file = form.get(field);
  if (file === null && !required) return null;
  if (file === null || typeof file === 'string') {
    throw new ApiError(400, 'invalid_request', `Send the image as the file field "${field}"`, {
      issues: [{ path: field, message: 'Choose an image' }],
    });
  }
  if (file.size > maxBytes) {
    const limit = maxBytes >= 1024 * 1024 ? `${maxBytes / 1024 / 1024} MB` : `${maxBytes / 1024} KB`;
    throw new ApiError(413, 'image_too_large', `The image is larger than ${limit}`, {
      issues: [{ path: field, message: `An image may be at most ${limit}` }],
    });
  }
  const clean = cleanImage(new Uint8Array(await file.arrayBuffer()));
  if ('problem' in clean) {
    throw new ApiError(422, clean.problem.code, clean.problem.message, {
      issues: [{ path: field, message: clean.problem.message }],
    });
  }
  return clean;
}

async function readForm(c: WorkerContext): Promise<FormData> {
  if (!/^multipart\/form-data\b/i.test(c.req.header('Content-Type') ?? '')) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the image as multipart/form-data');
  }
  try {
    return await c.req.formData();
  } catch {
    throw new ApiError(400, 'invalid_request', 'The form could not be read');
  }
}

async function store(c: WorkerContext, image: CleanImage) {
  const name = `${newId('img')}.${EXTENSIONS[image.type]}`;
  await c.env.MEDIA.put(`${IMAGE_PREFIX}${name}`, image.bytes, {
    httpMetadata: { contentType: image.type, cacheControl: IMMUTABLE },
  });
  return name;
}

const dataUrl = (image: CleanImage) => {
  let binary = '';
  for (const byte of image.bytes) binary += String.fromCharCode(byte);
  return `data:${image.type};base64,${btoa(binary)}`;
};

const view = (image: CleanImage, name: string, url: string) => ({
  url,
  name,
  contentType: image.type,
  width: image.width,
  height: image.height,
  size: image.bytes.length,
  metadataRemoved: image.stripped,
});

/**
 * Uploaded covers and episode thumbnails: taken as multipart forms (so mounted before the JSON-only rule), judged
 * from their bytes, stored without metadata in R2 under a fresh name per upload, served immutable.
 */
export const imageRoutes = new Hono<AppEnv>()
  .put(
    '/series/:id/cover',
    requireCreator,
    seriesIdParam,
    limitBody(MAX_IMAGE_BYTES + 16 * 1024, '2 MB'),
    async (c) => {
      const form = await readForm(c);
      const image = await readImage(form, 'image', MAX_IMAGE_BYTES, true);
      const thumb = await readImage(form, 'thumbnail', MAX_THUMB_BYTES, false);
      if (thumb && (thumb.width > MAX_THUMB_SIDE || thumb.height > MAX_THUMB_SIDE)) {
        throw new ApiError(422, 'thumbnail_too_large', `A thumbnail is at most ${MAX_THUMB_SIDE} pixels a side`, {
          issues: [{ path: 'thumbnail', message: `At most ${MAX_THUMB_SIDE} × ${MAX_THUMB_SIDE} pixels` }],
        });
      }
      const db = c.env.DB;
      const seriesId = c.req.valid('param').id;
      const name = await store(c, image!);
      const url = imageUrl(c, name);
      const now = Date.now();
      // A live series' new cover waits for review while reviews are required; the approved one stays live.
      const held = await holdSeriesCover(db, seriesId, c.var.creator.id, url, now);
      if (held !== undefined) {
        if (thumb) await c.env.MEDIA.put(heldThumbKey(name), dataUrl(thumb));
        const previous = imageNameOf(held);
        if (previous) await c.env.MEDIA.delete([`${IMAGE_PREFIX}${previous}`, heldThumbKey(previous)]);
        return c.json(
          {
            cover: { ...view(image!, name, url), thumbnail: thumb ? dataUrl(thumb) : null },
            review: 'pending' as const,
          },
          202,
        );
      }
      const before = await catalogPaths(db, c.var.creator.id);
      const replaced = await replaceSeriesCover(
        db,
        seriesId,
        c.var.creator.id,
        { name, url, thumb: thumb ? dataUrl(thumb) : null },
        Date.now(),
      );
      if (replaced === undefined) {
        await c.env.MEDIA.delete(`${IMAGE_PREFIX}${name}`);
        throw notFound('Series');
      }
      if (replaced) await c.env.MEDIA.delete(`${IMAGE_PREFIX}${replaced}`);
      await purgeCatalog(db, c.var.creator.id, before);
      return c.json({ cover: { ...view(image!, name, url), thumbnail: thumb ? dataUrl(thumb) : null } }, 200);
    },
  )
  .delete('/series/:id/cover', requireCreator, seriesIdParam, async (c) => {
    const db = c.env.DB;
    const before = await catalogPaths(db, c.var.creator.id);
    const empty = { name: null, url: null, thumb: null };
    const replaced = await replaceSeriesCover(db, c.req.valid('param').id, c.var.creator.id, empty, Date.now());
    if (replaced === undefined) throw notFound('Series');
    if (replaced) await c.env.MEDIA.delete(`${IMAGE_PREFIX}${replaced}`);
    await purgeCatalog(db, c.var.creator.id, before);
    return c.json({ deleted: replaced !== null }, 200);
  })
  .put(
    '/episodes/:id/thumbnail',
    requireCreator,
    episodeIdParam,
    limitBody(MAX_IMAGE_BYTES + 16 * 1024, '2 MB'),
    async (c) => {
      const form = await readForm(c);
      const image = (await readImage(form, 'image', MAX_IMAGE_BYTES, true))!;
      const db = c.env.DB;
      const name = await store(c, image);
      const before = await catalogPaths(db, c.var.creator.id);
      const replaced = await replaceEpisodeThumbnail(db, c.req.valid('param').id, c.var.creator.id, name, Date.now());
      if (replaced === undefined) {
        await c.env.MEDIA.delete(`${IMAGE_PREFIX}${name}`);
        throw notFound('Episode');
      }
      if (replaced) await c.env.MEDIA.delete(`${IMAGE_PREFIX}${replaced}`);
      await purgeCatalog(db, c.var.creator.id, before);
      return c.json({ thumbnail: view(image, name, `/v1/images/${name}`) }, 200);
    },
  )
  .delete('/episodes/:id/thumbnail', requireCreator, episodeIdParam, async (c) => {
    const db = c.env.DB;
    const before = await catalogPaths(db, c.var.creator.id);
    const replaced = await replaceEpisodeThumbnail(db, c.req.valid('param').id, c.var.creator.id, null, Date.now());
    if (replaced === undefined) throw notFound('Episode');
    if (replaced) await c.env.MEDIA.delete(`${IMAGE_PREFIX}${replaced}`);
    await purgeCatalog(db, c.var.creator.id, before);
    return c.json({ deleted: replaced !== null }, 200);
  })
  .get('/images/:name', async (c) => {
    const name = c.req.param('name');
    if (!NAME.test(name)) throw notFound('Image');
    const object = await c.env.MEDIA.get(`${IMAGE_PREFIX}${name}`, {
      onlyIf: { etagDoesNotMatch: (c.req.header('If-None-Match') ?? '').replace(/^W\//, '').replace(/"/g, '') },
    });
    if (!object) throw notFound('Image');
    const headers = new Headers({
      'Cache-Control': IMMUTABLE,
      ETag: object.httpEtag,
      'Content-Type': object.httpMetadata?.contentType ?? 'application/octet-stream',
    });
    if (!('body' in object)) return new Response(null, { status: 304, headers });
    headers.set('Content-Length', String(object.size));
    return new Response(object.body, { status: 200, headers });
  });
