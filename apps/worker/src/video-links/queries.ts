import { onSale } from '../lib/rules.js';
import { ratingColumns } from '../reviews/queries.js';
import type { SeriesRow } from '../series/queries.js';

/** The on-sale series whose episode links this video-site video, with that episode's id and the creator's names. */
export function findLinkedSeries(db: D1Database, videoId: string) {
  return db
    .prepare(
      `SELECT s.*, e.id AS episode_id, c.handle, c.display_name, c.verified_by, ${ratingColumns('s')}
       FROM episodes e JOIN series s ON s.id = e.series_id JOIN creators c ON c.id = s.creator_id
       WHERE e.video_id = ? AND ${onSale()}
       ORDER BY e.video_verified DESC, e.created_at LIMIT 1`,
    )
    .bind(videoId)
    .first<SeriesRow & { episode_id: string; handle: string; display_name: string }>();
}
