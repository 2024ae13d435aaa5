/** The stored images of series (covers) and episodes (thumbnails): which R2 object each row points at. */

import { REVIEW_REQUIRED } from '../lib/rules.js';

/** R2 keys of images live under this prefix of the MEDIA bucket; the public name is what follows it. */
export const IMAGE_PREFIX = 'images/';

/** Where a cover held for review keeps its small copy until an admin decides (`<name>.thumb`, a data: URL). */
export const heldThumbKey = (name: string) => `${IMAGE_PREFIX}${name}.thumb`;

/** The stored name of one of our image addresses (`…/v1/images/<name>`), or null for any other URL. */
export const imageNameOf = (url: string | null | undefined) =>
  url?.match(/\/v1\/images\/([A-Za-z0-9_-]+\.[a-z]+)$/)?.[1] ?? null;

/**
 * A cover uploaded to a live series while reviews are required waits for review (migration 0031's pending_cover):
 * the approved cover stays live. Answers the cover address it replaces in the pending edit (its stored image goes),
 * or undefined when the cover is not held (then it is set at once, as without reviews).
 */
export async function holdSeriesCover(db: D1Database, seriesId: string, creatorId: string, url: string, now: number) {
  const [before, held] = await db.batch<Record<string, unknown>>([
    db
      .prepare(
        `SELECT CASE WHEN revision_state = 'pending' AND pending_cover = 1 THEN pending_cover_url END AS pending
         FROM series WHERE id = ? AND creator_id = ?`,
      )
      .bind(seriesId, creatorId),
    db
      .prepare(
        `UPDATE series SET pending_cover = 1, pending_cover_url = ?3, revision_state = 'pending', revision_reason = NULL,
           revision_at = ?4,
           pending_title = CASE WHEN revision_state = 'pending' THEN pending_title END,
           pending_description = CASE WHEN revision_state = 'pending' THEN pending_description END
         WHERE id = ?1 AND creator_id = ?2 AND status = 'published' AND ${REVIEW_REQUIRED} = 1 RETURNING id`,
      )
      .bind(seriesId, creatorId, url, now),
  ]);
  if (!held?.results.length) return undefined;
  return ((before?.results[0] as { pending: string | null } | undefined)?.pending ?? null) as string | null;
}

/**
 * Points a series at a newly stored cover (its public URL, object name and small copy for the lookups) in one
 * batch that also reads the cover it replaces, so the old object is known even when two uploads race.
 * Answers the replaced object's name (null: none), or undefined when the series is not the creator's.
 */
export async function replaceSeriesCover(
  db: D1Database,
  seriesId: string,
  creatorId: string,
  cover: { name: string | null; url: string | null; thumb: string | null },
  now: number,
) {
  const [before, updated] = await db.batch<{ cover_key: string | null } | { id: string }>([
    db.prepare('SELECT cover_key FROM series WHERE id = ? AND creator_id = ?').bind(seriesId, creatorId),
    db
      .prepare(
        `UPDATE series SET cover_key = ?3, cover_url = ?4, cover_thumb = ?5, updated_at = ?6
         WHERE id = ?1 AND creator_id = ?2 RETURNING id`,
      )
      .bind(seriesId, creatorId, cover.name, cover.url, cover.thumb, now),
  ]);
  if (!updated!.results.length) return undefined;
  return (before!.results[0] as { cover_key: string | null } | undefined)?.cover_key ?? null;
}

/** The same for an episode's thumbnail (a frame of its video): answers the replaced object's name. */
export async function replaceEpisodeThumbnail(
  db: D1Database,
  episodeId: string,
  creatorId: string,
  name: string | null,
  now: number,
) {
  const owned = `id = ?1 AND series_id IN (SELECT id FROM series WHERE creator_id = ?2)`;
  const [before, updated] = await db.batch<{ thumb_key: string | null } | { id: string }>([
    db.prepare(`SELECT thumb_key FROM episodes WHERE ${owned}`).bind(episodeId, creatorId),
    db
      .prepare(`UPDATE episodes SET thumb_key = ?3, updated_at = ?4 WHERE ${owned} RETURNING id`)
      .bind(episodeId, creatorId, name, now),
  ]);
  if (!updated!.results.length) return undefined;
  return (before!.results[0] as { thumb_key: string | null } | undefined)?.thumb_key ?? null;
}
