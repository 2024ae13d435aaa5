import { formatDuration, MAX_EPISODE_SECONDS } from '@series/core';
import { ApiError } from '../lib/errors.js';
import { probeVideo, type ByteSource } from './probe.js';

/** Reads from an R2 object by ranges: the probe touches a few KB of a file that may be gigabytes. */
export function r2Source(bucket: R2Bucket, key: string, size: number): ByteSource {
  return {
    size,
    async read(offset, length) {
      const len = Math.min(length, size - offset);
      if (len <= 0) return new Uint8Array(0);
      const object = await bucket.get(key, { range: { offset, length: len } });
      return object ? new Uint8Array(await object.arrayBuffer()) : new Uint8Array(0);
    },
  };
}

const CONTENT_TYPES = { mp4: 'video/mp4', webm: 'video/webm' } as const;

export interface VerifiedMedia {
  durationSeconds: number;
  contentType: (typeof CONTENT_TYPES)[keyof typeof CONTENT_TYPES];
}

/**
 * Checks an uploaded object is a supported video within the 20-minute limit, using the duration the
 * container states (whatever the creator typed). Durations are rounded to the nearest second.
 */
export async function verifyMedia(bucket: R2Bucket, key: string, size: number): Promise<VerifiedMedia> {
  const probe = await probeVideo(r2Source(bucket, key, size));
  if (!probe.ok) throw new ApiError(422, probe.code, probe.message);
  const seconds = Math.max(1, Math.round(probe.durationSeconds));
  if (seconds > MAX_EPISODE_SECONDS) {
    throw new ApiError(
      422,
      'episode_too_long',
      `This video lasts ${formatDuration(seconds)}; an episode lasts at most ${MAX_EPISODE_SECONDS / 60} minutes`,
      { durationSeconds: seconds },
    );
  }
  return { durationSeconds: seconds, contentType: CONTENT_TYPES[probe.container] };
}

/**
 * Makes a verified object the episode's video in one statement, then removes the objects it replaced.
 * Readers see either the old video or the new one, never a mix.
 */
export async function installMedia(
  db: D1Database,
  bucket: R2Bucket,
  episodeId: string,
  uploadId: string,
  key: string,
  size: number,
  media: VerifiedMedia,
  now = Date.now(),
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
  await removeReplacedMedia(db, bucket, episodeId, now);
}

/** Deletes every completed upload of the episode that is no longer its current video. */
async function removeReplacedMedia(db: D1Database, bucket: R2Bucket, episodeId: string, now: number) {
  const { results } = await db
    .prepare(
      `UPDATE media_uploads SET status = 'superseded', updated_at = ?2
       WHERE episode_id = ?1 AND status = 'completed'
         AND r2_key != COALESCE((SELECT media_key FROM episodes WHERE id = ?1), '')
       RETURNING r2_key`,
    )
    .bind(episodeId, now)
    .all<{ r2_key: string }>();
  if (results.length) await bucket.delete(results.map((r) => r.r2_key));
}

/** A fresh, unguessable object key per upload attempt. */
export function newMediaKey(episodeId: string): string {
  return `episodes/${episodeId}/${crypto.randomUUID()}`;
}
