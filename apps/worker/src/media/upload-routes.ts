import { MAX_SINGLE_UPLOAD_BYTES, MEDIA_PART_BYTES, uploadCreateSchema, uploadIdSchema } from '@series/core';
import { Hono } from 'hono';
import { validator } from 'hono/validator';
import { z } from 'zod';
import type { AppEnv } from '../lib/context.js';
import { requireCreator } from '../auth/middleware.js';
import { ApiError, notFound } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { limitPerAccount } from '../lib/rate-limit.js';
import { episodeIdParam } from '../lib/params.js';
import { validate } from '../lib/validate.js';
import { findOwnedEpisode } from '../episodes/queries.js';
import {
  abortUpload,
  claimUpload,
  expectedPartSize,
  findOwnedUpload,
  insertMultipartUpload,
  insertSingleUpload,
  listPartEtags,
  markUploadIncomplete,
  partCount,
  reopenUpload,
  savePart,
  uploadView,
  type UploadRow,
} from './queries.js';
import { finishUpload, newMediaKey, rejectUpload } from './store.js';

const uploadLimit = limitPerAccount('UPLOAD_LIMITER');

const uploadParam = validator('param', (value) => {
  const parsed = z.object({ id: uploadIdSchema }).safeParse(value);
  if (!parsed.success) throw notFound('Upload');
  return { id: parsed.data.id, partNumber: (value as Record<string, string>)['partNumber'] };
});

/** Streams a request body of exactly `length` bytes; a shorter or longer body errors instead of storing. */
function exactBody(request: Request, length: number): ReadableStream {
  if (!request.body) throw new ApiError(400, 'empty_body', 'The request has no body');
  const { readable, writable } = new FixedLengthStream(length);
  request.body.pipeTo(writable).catch(() => {});
  return readable;
}

function declaredLength(request: Request): number {
  const header = request.headers.get('Content-Length');
  if (header === null || !/^\d+$/.test(header)) {
    throw new ApiError(411, 'length_required', 'Send a Content-Length header with the exact byte count');
  }
  return Number(header);
}

/**
 * Episode video uploads. Large files go in parts (create, PUT parts in any order and retry any of them,
 * complete); small ones may be sent in one request. Each attempt writes its own object, so the episode's
 * current video changes only when a new one has been verified.
 */
export const uploadRoutes = new Hono<AppEnv>()
  .post(
    '/episodes/:id/uploads',
    requireCreator,
    uploadLimit,
    episodeIdParam,
    validate('json', uploadCreateSchema),
    async (c) => {
      const episode = await findOwnedEpisode(c.env.DB, c.var.creator.id, c.req.valid('param').id);
      const { size } = c.req.valid('json');
      const key = newMediaKey(episode.id);
      const multipart = await c.env.MEDIA.createMultipartUpload(key);
      const now = Date.now();
      const row: UploadRow = {
        id: newId('upl'),
        episode_id: episode.id,
        r2_key: key,
        r2_upload_id: multipart.uploadId,
        size,
        part_size: MEDIA_PART_BYTES,
        status: 'open',
        failure_code: null,
        created_at: now,
        updated_at: now,
      };
      await insertMultipartUpload(c.env.DB, row);
      return c.json({ upload: await uploadView(c.env.DB, row) }, 201);
    },
  )
  .get('/uploads/:id', requireCreator, uploadParam, async (c) => {
    const upload = await findOwnedUpload(c.env.DB, c.var.creator.id, c.req.valid('param').id);
    return c.json({ upload: await uploadView(c.env.DB, upload) }, 200);
  })
  .post('/uploads/:id/complete', requireCreator, uploadParam, async (c) => {
    const db = c.env.DB;
    const upload = await findOwnedUpload(db, c.var.creator.id, c.req.valid('param').id);
    // Claim the upload first: of two concurrent completes, one proceeds and the other is told so.
    const claimed = await claimUpload(db, upload.id, Date.now());
    if (!claimed) throw new ApiError(409, 'upload_not_open', `This upload is ${upload.status}`);
    const parts = await listPartEtags(db, upload.id);
    const have = new Set(parts.map((p) => p.part_number));
    const missing = Array.from({ length: partCount(upload) }, (_, i) => i + 1).filter((n) => !have.has(n));
    if (missing.length) {
      await reopenUpload(db, upload.id);
      throw new ApiError(409, 'upload_incomplete', `Parts still missing: ${missing.slice(0, 20).join(', ')}`, {
        missing,
      });
    }
    const multipart = c.env.MEDIA.resumeMultipartUpload(upload.r2_key, upload.r2_upload_id!);
    try {
      await multipart.complete(parts.map((p) => ({ partNumber: p.part_number, etag: p.etag })));
    } catch (err) {
      // Never left "completing": the parts are dropped and the upload says it must start again.
      await multipart.abort().catch(() => {});
      await rejectUpload(db, c.env.MEDIA, upload, err);
      throw new ApiError(409, 'upload_failed', 'The parts could not be assembled; start a new upload');
    }
    await finishUpload(db, c.env.MEDIA, upload, upload.size, c.var.creator.id);
    const done = await findOwnedUpload(db, c.var.creator.id, upload.id);
    return c.json({ upload: await uploadView(db, done) }, 200);
  })
  .delete('/uploads/:id', requireCreator, uploadParam, async (c) => {
    const upload = await findOwnedUpload(c.env.DB, c.var.creator.id, c.req.valid('param').id);
    const aborted = await abortUpload(c.env.DB, upload.id, Date.now());
    if (!aborted) throw new ApiError(409, 'upload_not_open', `This upload is ${upload.status}`);
    await c.env.MEDIA.resumeMultipartUpload(upload.r2_key, upload.r2_upload_id!).abort();
    return c.json({ upload: await uploadView(c.env.DB, { ...upload, status: 'aborted' }) }, 200);
  });

/** One-request upload for files up to 95 MB: the body is the file. */ /**
 * The routes whose body is the file's raw bytes, streamed to R2: no JSON rule applies to them (index.ts mounts
 * them before it), and each checks its own length (`declaredLength`, `exactBody`).
 */
export const uploadBodyRoutes = new Hono<AppEnv>()
  .put('/uploads/:id/parts/:partNumber', requireCreator, uploadLimit, uploadParam, async (c) => {
    const upload = await findOwnedUpload(c.env.DB, c.var.creator.id, c.req.valid('param').id);
    const n = Number(c.req.valid('param').partNumber);
    if (!Number.isInteger(n) || n < 1 || n > partCount(upload)) {
      throw new ApiError(400, 'invalid_part', `Part numbers run from 1 to ${partCount(upload)}`);
    }
    if (upload.status !== 'open') throw new ApiError(409, 'upload_not_open', `This upload is ${upload.status}`);
    const expected = expectedPartSize(upload, n);
    const length = declaredLength(c.req.raw);
    if (length !== expected) {
      throw new ApiError(400, 'part_size_mismatch', `Part ${n} must be exactly ${expected} bytes (got ${length})`);
    }
    let etag: string;
    try {
      const multipart = c.env.MEDIA.resumeMultipartUpload(upload.r2_key, upload.r2_upload_id!);
      etag = (await multipart.uploadPart(n, exactBody(c.req.raw, expected))).etag;
    } catch (err) {
      if (err instanceof ApiError) throw err;
      throw new ApiError(400, 'part_incomplete', `Part ${n} did not arrive whole; send it again`);
    }
    // Re-sending a part replaces it; nothing is recorded once the upload has moved on.
    const saved = await savePart(c.env.DB, upload.id, n, etag, expected);
    if (!saved) throw new ApiError(409, 'upload_not_open', 'This upload is no longer open');
    return c.json({ partNumber: n, size: expected }, 200);
  })
  .put('/episodes/:id/media', requireCreator, uploadLimit, episodeIdParam, async (c) => {
    const episode = await findOwnedEpisode(c.env.DB, c.var.creator.id, c.req.valid('param').id);
    const size = declaredLength(c.req.raw);
    if (size === 0) throw new ApiError(400, 'empty_body', 'The file is empty');
    if (size > MAX_SINGLE_UPLOAD_BYTES) {
      throw new ApiError(
        413,
        'payload_too_large',
        'Files over 95 MB go through POST /v1/episodes/:id/uploads in parts',
      );
    }
    const now = Date.now();
    const upload: UploadRow = {
      id: newId('upl'),
      episode_id: episode.id,
      r2_key: newMediaKey(episode.id),
      r2_upload_id: null,
      size,
      part_size: size,
      status: 'completing',
      failure_code: null,
      created_at: now,
      updated_at: now,
    };
    await insertSingleUpload(c.env.DB, upload);
    try {
      await c.env.MEDIA.put(upload.r2_key, exactBody(c.req.raw, size));
    } catch {
      await markUploadIncomplete(c.env.DB, upload.id);
      throw new ApiError(400, 'upload_incomplete', 'The file did not arrive whole; send it again');
    }
    await finishUpload(c.env.DB, c.env.MEDIA, upload, size, c.var.creator.id);
    const done = await findOwnedUpload(c.env.DB, c.var.creator.id, upload.id);
    return c.json({ upload: await uploadView(c.env.DB, done) }, 200);
  });
