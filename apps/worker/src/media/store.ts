import { checkEpisodeVideo, type ByteSource, type EpisodeVideoCheck } from '@series/core/media';
import { ApiError } from '../lib/errors.js';
import { purgeCatalog } from '../lib/public-cache.js';
import { markUploadRejected, setEpisodeMedia, supersedeReplacedUploads, type UploadRow } from './queries.js';

/**
 * Reads from an R2 object by ranges: the probe reads header regions and hops between top-level boxes, under the
 * caps of `MEDIA_LIMITS`, of a file that may be gigabytes.
 */
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

export type VerifiedMedia = Pick<Extract<EpisodeVideoCheck, { ok: true }>, 'durationSeconds' | 'contentType'>;

/**
 * Checks an uploaded object is a supported video within the 20-minute limit, by the length of its media itself
 * (whatever its header or the creator says): `checkEpisodeVideo`, which the dashboard also runs before uploading.
 * Refusals are 422 with the probe's code (`duration_mismatch`, `media_too_complex`, `episode_too_long`, …).
 */
export async function verifyMedia(bucket: R2Bucket, key: string, size: number): Promise<VerifiedMedia> {
  const check = await checkEpisodeVideo(r2Source(bucket, key, size));
  if (!check.ok) throw new ApiError(422, check.code, check.message, check.details);
  return { durationSeconds: check.durationSeconds, contentType: check.contentType };
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
  await setEpisodeMedia(db, episodeId, uploadId, key, size, media, now);
  await removeReplacedMedia(db, bucket, episodeId, now);
}

/** Deletes every completed upload of the episode that is no longer its current video. */
async function removeReplacedMedia(db: D1Database, bucket: R2Bucket, episodeId: string, now: number) {
  const replaced = await supersedeReplacedUploads(db, episodeId, now);
  if (replaced.length) await bucket.delete(replaced);
}

/** Verifies the stored object and installs it, or deletes it and records why it was refused. */
export async function finishUpload(
  db: D1Database,
  bucket: R2Bucket,
  upload: UploadRow,
  size: number,
  creatorId: string,
) {
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

/** Deletes a refused upload's object and records why (an API error's code, else 'internal'). */
export async function rejectUpload(db: D1Database, bucket: R2Bucket, upload: UploadRow, err: unknown) {
  await bucket.delete(upload.r2_key);
  await markUploadRejected(db, upload.id, err instanceof ApiError ? err.code : 'internal', Date.now());
}

/** A fresh, unguessable object key per upload attempt. */
export function newMediaKey(episodeId: string): string {
  return `episodes/${episodeId}/${crypto.randomUUID()}`;
}
