import { notFound } from '../lib/errors.js';

export interface UploadRow {
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

export const partCount = (u: Pick<UploadRow, 'size' | 'part_size'>) => Math.ceil(u.size / u.part_size);
export const expectedPartSize = (u: Pick<UploadRow, 'size' | 'part_size'>, n: number) =>
  n < partCount(u) ? u.part_size : u.size - u.part_size * (partCount(u) - 1);

/** The caller's own upload (to one of their episodes), or 404. */
export async function findOwnedUpload(db: D1Database, creatorId: string, uploadId: string) {
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

/** The upload as its owner sees it, with the parts received so far. */
export async function uploadView(db: D1Database, u: UploadRow) {
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

/** Records a new upload in parts (an R2 multipart upload), open for its parts. */
export async function insertMultipartUpload(db: D1Database, row: UploadRow) {
  await db
    .prepare(
      `INSERT INTO media_uploads (id, episode_id, r2_key, r2_upload_id, size, part_size, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?)`,
    )
    .bind(row.id, row.episode_id, row.r2_key, row.r2_upload_id, row.size, row.part_size, row.created_at, row.updated_at)
    .run();
}

/** Records a one-request upload, completing from the start (its body is the file). */
export async function insertSingleUpload(db: D1Database, row: UploadRow) {
  await db
    .prepare(
      `INSERT INTO media_uploads (id, episode_id, r2_key, size, part_size, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'completing', ?, ?)`,
    )
    .bind(row.id, row.episode_id, row.r2_key, row.size, row.part_size, row.created_at, row.updated_at)
    .run();
}

/**
 * Records a received part, or replaces it when re-sent; whether it was recorded (nothing is once the upload
 * has moved on).
 */
export async function savePart(db: D1Database, uploadId: string, partNumber: number, etag: string, size: number) {
  const saved = await db
    .prepare(
      `INSERT INTO media_upload_parts (upload_id, part_number, etag, size)
       SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM media_uploads WHERE id = ?1 AND status = 'open')
       ON CONFLICT (upload_id, part_number) DO UPDATE SET etag = excluded.etag, size = excluded.size`,
    )
    .bind(uploadId, partNumber, etag, size)
    .run();
  return saved.meta.changes > 0;
}

/** Moves an open upload to completing; whether this call did (of two concurrent completes, one does). */
export async function claimUpload(db: D1Database, uploadId: string, now: number) {
  const claimed = await db
    .prepare(`UPDATE media_uploads SET status = 'completing', updated_at = ?2 WHERE id = ?1 AND status = 'open'`)
    .bind(uploadId, now)
    .run();
  return claimed.meta.changes > 0;
}

/** The parts received, in order, with the etags assembling them takes. */
export async function listPartEtags(db: D1Database, uploadId: string) {
  const { results } = await db
    .prepare('SELECT part_number, etag FROM media_upload_parts WHERE upload_id = ? ORDER BY part_number')
    .bind(uploadId)
    .all<{ part_number: number; etag: string }>();
  return results;
}

/** Opens a claimed upload again (parts are still missing). */
export async function reopenUpload(db: D1Database, uploadId: string) {
  await db.prepare(`UPDATE media_uploads SET status = 'open' WHERE id = ?`).bind(uploadId).run();
}

/** Closes an open upload as aborted; whether it was open. */
export async function abortUpload(db: D1Database, uploadId: string, now: number) {
  const aborted = await db
    .prepare(`UPDATE media_uploads SET status = 'aborted', updated_at = ?2 WHERE id = ?1 AND status = 'open'`)
    .bind(uploadId, now)
    .run();
  return aborted.meta.changes > 0;
}

/** Records why an upload's file was refused. */
export async function markUploadRejected(db: D1Database, uploadId: string, failureCode: string, now: number) {
  await db
    .prepare(`UPDATE media_uploads SET status = 'rejected', failure_code = ?2, updated_at = ?3 WHERE id = ?1`)
    .bind(uploadId, failureCode, now)
    .run();
}

/** Records that a one-request upload's body did not arrive whole. */
export async function markUploadIncomplete(db: D1Database, uploadId: string) {
  await db
    .prepare(`UPDATE media_uploads SET status = 'rejected', failure_code = 'incomplete' WHERE id = ?`)
    .bind(uploadId)
    .run();
}

/** Makes a verified upload the episode's video (file, type, size, duration) and marks it completed, in one batch. */
export async function setEpisodeMedia(
  db: D1Database,
  episodeId: string,
  uploadId: string,
  key: string,
  size: number,
  media: { contentType: string; durationSeconds: number },
  now: number,
) {
  await db.batch([
    db
      .prepare(
        `UPDATE episodes SET media_key = ?2, media_content_type = ?3, media_size = ?4, media_uploaded_at = ?5,
           duration_seconds = ?6, updated_at = ?5 WHERE id = ?1`,
      )
      .bind(episodeId, key, media.contentType, size, now, media.durationSeconds),
    db.prepare(`UPDATE media_uploads SET status = 'completed', updated_at = ?2 WHERE id = ?1`).bind(uploadId, now),
  ]);
}

/** Marks every completed upload of the episode that is no longer its current video superseded; their objects' keys. */
export async function supersedeReplacedUploads(db: D1Database, episodeId: string, now: number) {
  const { results } = await db
    .prepare(
      `UPDATE media_uploads SET status = 'superseded', updated_at = ?2
       WHERE episode_id = ?1 AND status = 'completed'
         AND r2_key != COALESCE((SELECT media_key FROM episodes WHERE id = ?1), '')
       RETURNING r2_key`,
    )
    .bind(episodeId, now)
    .all<{ r2_key: string }>();
  return results.map((r) => r.r2_key);
}

/** The episode's current video file, for streaming it. */
export function findEpisodeMedia(db: D1Database, episodeId: string) {
  return db
    .prepare('SELECT media_key, media_content_type, media_size FROM episodes WHERE id = ?')
    .bind(episodeId)
    .first<{ media_key: string | null; media_content_type: string | null; media_size: number | null }>();
}
