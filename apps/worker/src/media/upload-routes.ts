import { MAX_SINGLE_UPLOAD_BYTES, MEDIA_PART_BYTES, uploadCreateSchema, uploadIdSchema } from '@series/core';
import { Hono } from 'hono';
import { validator } from 'hono/validator';
import { z } from 'zod';
import type { AppEnv } from '../lib/context.js';
import { requireCreator } from '../auth/middleware.js';
import { ApiError, notFound } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { purgeCatalog } from '../lib/public-cache.js';
import { limitPerAccount } from '../lib/rate-limit.js';
import { episodeIdParam } from '../lib/params.js';
import { validate } from '../lib/validate.js';
import { findOwnedEpisode } from '../episodes/queries.js';
import { installMedia, newMediaKey, verifyMedia } from './store.js';

interface UploadRow {
  id: string;
  episode_id: string;
  r2_key: string;
  r2_upload_id: string | null;
  size: number;
  part_size: number;
  status: 'open' | 'completing' | 'completed' | 'rejected' | 'aborted' | 'superseded';
  failure_code: string | null;
  created_at: number;
  updated_at: number;
}

const uploadLimit = limitPerAccount('UPLOAD_LIMITER');

const partCount = (u: Pick<UploadRow, 'size' | 'part_size'>) => Math.ceil(u.size / u.part_size);
const expectedPartSize = (u: Pick<UploadRow, 'size' | 'part_size'>, n: number) =>
  n < partCount(u) ? u.part_size : u.size - u.part_size * (partCount(u) - 1);

const uploadParam = validator('param', (value) => {
  const parsed = z.object({ id: uploadIdSchema }).safeParse(value);
  if (!parsed.success) throw notFound('Upload');
  return { id: parsed.data.id, partNumber: (value as Record<string, string>)['partNumber'] };
});

async function findOwnedUpload(db: D1Database, creatorId: string, uploadId: string) {
  const row = await db
    .prepare(
      `SELECT u.* FROM media_uploads u JOIN episodes e ON e.id = u.episode_id JOIN series s ON s.id = e.series_id
       WHERE u.id = ? AND s.creator_id = ?`,
    )
    .bind(uploadId, creatorId)
    .first<UploadRow>();
  if (!row) throw notFound('Upload');
  return row;
}

async function uploadView(db: D1Database, u: UploadRow) {
  const { results } = await db
    .prepare('SELECT part_number, size FROM media_upload_parts WHERE upload_id = ? ORDER BY part_number')
    .bind(u.id)
    .all<{ part_number: number; size: number }>();
  return {
    id: u.id,
    episodeId: u.episode_id,
    size: u.size,
    partSize: u.part_size,
    partCount: partCount(u),
    status: u.status,
    failureCode: u.failure_code,
    parts: results.map((p) => ({ partNumber: p.part_number, size: p.size })),
    createdAt: new Date(u.created_at).toISOString(),
  };
}

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

/** Verifies the stored object and installs it, or deletes it and records why it was refused. */
async function finish(db: D1Database, bucket: R2Bucket, upload: UploadRow, size: number, creatorId: string) {
  let media: Awaited<ReturnType<typeof verifyMedia>>;
  try {
    media = await verifyMedia(bucket, upload.r2_key, size);
  } catch (err) {
    // Refused (or unreadable): the object goes, and the episode keeps whatever video it had.
    await rejectUpload(db, bucket, upload, err);
    throw err;
  }
  // Once installed the object is the episode's video: nothing after this may delete it.
  await installMedia(db, bucket, upload.episode_id, upload.id, upload.r2_key, size, media);
  // Public pages say whether an episode has a video, and show its duration.
  await purgeCatalog(db, creatorId);
}

async function rejectUpload(db: D1Database, bucket: R2Bucket, upload: UploadRow, err: unknown) {
  await bucket.delete(upload.r2_key);
  await db
    .prepare(`UPDATE media_uploads SET status = 'rejected', failure_code = ?2, updated_at = ?3 WHERE id = ?1`)
    .bind(upload.id, err instanceof ApiError ? err.code : 'internal', Date.now())
    .run();
}

/**
 * Episode video uploads. Large files go in parts (create, PUT parts in any order and retry any of them,
 * complete); small ones may be sent in one request. Each attempt writes its own object, so the episode's
 * current video changes only when a new one has been verified.
 */
export const uploadRoutes = new Hono<AppEnv>()
  .post('/episodes/:id/uploads', requireCreator, uploadLimit, episodeIdParam, validate('json', uploadCreateSchema), async (c) => {
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
    await c.env.DB.prepare(
      `INSERT INTO media_uploads (id, episode_id, r2_key, r2_upload_id, size, part_size, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?)`,
    )
      .bind(row.id, row.episode_id, row.r2_key, row.r2_upload_id, size, row.part_size, now, now)
      .run();
    return c.json({ upload: await uploadView(c.env.DB, row) }, 201);
  })
  .get('/uploads/:id', requireCreator, uploadParam, async (c) => {
    const upload = await findOwnedUpload(c.env.DB, c.var.creator.id, c.req.valid('param').id);
    return c.json({ upload: await uploadView(c.env.DB, upload) }, 200);
  })
  .post('/uploads/:id/complete', requireCreator, uploadParam, async (c) => {
    const db = c.env.DB;
    const upload = await findOwnedUpload(db, c.var.creator.id, c.req.valid('param').id);
    // Claim the upload first: of two concurrent completes, one proceeds and the other is told so.
    const claimed = await db
      .prepare(`UPDATE media_uploads SET status = 'completing', updated_at = ?2 WHERE id = ?1 AND status = 'open'`)
      .bind(upload.id, Date.now())
      .run();
    if (!claimed.meta.changes) throw new ApiError(409, 'upload_not_open', `This upload is ${upload.status}`);
    const { results: parts } = await db
      .prepare('SELECT part_number, etag FROM media_upload_parts WHERE upload_id = ? ORDER BY part_number')
      .bind(upload.id)
      .all<{ part_number: number; etag: string }>();
    const have = new Set(parts.map((p) => p.part_number));
    const missing = Array.from({ length: partCount(upload) }, (_, i) => i + 1).filter((n) => !have.has(n));
    if (missing.length) {
      await db.prepare(`UPDATE media_uploads SET status = 'open' WHERE id = ?`).bind(upload.id).run();
      throw new ApiError(409, 'upload_incomplete', `Parts still missing: ${missing.slice(0, 20).join(', ')}`, { missing });
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
    await finish(db, c.env.MEDIA, upload, upload.size, c.var.creator.id);
    const done = await findOwnedUpload(db, c.var.creator.id, upload.id);
    return c.json({ upload: await uploadView(db, done) }, 200);
  })
  .delete('/uploads/:id', requireCreator, uploadParam, async (c) => {
    const upload = await findOwnedUpload(c.env.DB, c.var.creator.id, c.req.valid('param').id);
    const aborted = await c.env.DB.prepare(
      `UPDATE media_uploads SET status = 'aborted', updated_at = ?2 WHERE id = ?1 AND status = 'open'`,
    )
      .bind(upload.id, Date.now())
      .run();
    if (!aborted.meta.changes) throw new ApiError(409, 'upload_not_open', `This upload is ${upload.status}`);
    await c.env.MEDIA.resumeMultipartUpload(upload.r2_key, upload.r2_upload_id!).abort();
    return c.json({ upload: await uploadView(c.env.DB, { ...upload, status: 'aborted' }) }, 200);
  })
  /** One-request upload for files up to 95 MB: the body is the file. */;

/**
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
    const saved = await c.env.DB.prepare(
      `INSERT INTO media_upload_parts (upload_id, part_number, etag, size)
       SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM media_uploads WHERE id = ?1 AND status = 'open')
       ON CONFLICT (upload_id, part_number) DO UPDATE SET etag = excluded.etag, size = excluded.size`,
    )
      .bind(upload.id, n, etag, expected)
      .run();
    if (!saved.meta.changes) throw new ApiError(409, 'upload_not_open', 'This upload is no longer open');
    return c.json({ partNumber: n, size: expected }, 200);
  })
  .put('/episodes/:id/media', requireCreator, uploadLimit, episodeIdParam, async (c) => {
    const episode = await findOwnedEpisode(c.env.DB, c.var.creator.id, c.req.valid('param').id);
    const size = declaredLength(c.req.raw);
    if (size === 0) throw new ApiError(400, 'empty_body', 'The file is empty');
    if (size > MAX_SINGLE_UPLOAD_BYTES) {
      throw new ApiError(413, 'payload_too_large', 'Files over 95 MB go through POST /v1/episodes/:id/uploads in parts');
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
    await c.env.DB.prepare(
      `INSERT INTO media_uploads (id, episode_id, r2_key, size, part_size, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'completing', ?, ?)`,
    )
      .bind(upload.id, upload.episode_id, upload.r2_key, size, size, now, now)
      .run();
    try {
      await c.env.MEDIA.put(upload.r2_key, exactBody(c.req.raw, size));
    } catch {
      await c.env.DB.prepare(`UPDATE media_uploads SET status = 'rejected', failure_code = 'incomplete' WHERE id = ?`)
        .bind(upload.id)
        .run();
      throw new ApiError(400, 'upload_incomplete', 'The file did not arrive whole; send it again');
    }
    await finish(c.env.DB, c.env.MEDIA, upload, size, c.var.creator.id);
    const done = await findOwnedUpload(c.env.DB, c.var.creator.id, upload.id);
    return c.json({ upload: await uploadView(c.env.DB, done) }, 200);
  });
