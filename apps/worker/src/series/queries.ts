import { slugCandidates } from '@series/core';

/**
 * Statements (for a batch) that give a series the first slug of its title that no other series of the creator
 * holds, or one it held before (renaming back to an old title brings its old address back). Every slug it held
 * stays in series_slugs, so old links keep answering with a redirect.
 */
export function assignSlug(db: D1Database, series: { id: string; creator_id: string }, title: string, now: number) {
  const candidates = JSON.stringify(slugCandidates(title, series.id));
  return [
    db
      .prepare(
        `INSERT INTO series_slugs (creator_id, slug, series_id, created_at)
         SELECT ?1, c.value, ?3, ?4 FROM json_each(?2) c
         WHERE NOT EXISTS (SELECT 1 FROM series_slugs t WHERE t.creator_id = ?1 AND t.slug = c.value AND t.series_id != ?3)
         ORDER BY c.key LIMIT 1
         ON CONFLICT (creator_id, slug) DO NOTHING`,
      )
      .bind(series.creator_id, candidates, series.id, now),
    db
      .prepare(
        `UPDATE series SET slug = (
           SELECT c.value FROM json_each(?2) c JOIN series_slugs t ON t.creator_id = ?1 AND t.slug = c.value AND t.series_id = ?3
           ORDER BY c.key LIMIT 1)
         WHERE id = ?3 RETURNING *`,
      )
      .bind(series.creator_id, candidates, series.id),
  ];
}
