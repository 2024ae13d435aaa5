/** The stored images of series (covers) and episodes (thumbnails): which R2 object each row points at. */

/** R2 keys of images live under this prefix of the MEDIA bucket; the public name is what follows it. */
export const IMAGE_PREFIX = 'images/';

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
