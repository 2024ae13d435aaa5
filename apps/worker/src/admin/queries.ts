import type { CreatorStatus } from '@series/core';
import { auditStatement } from '../lib/audit.js';
import type { CreatorRecord, CreatorRow } from '../lib/context.js';

/** Creators with their account's email, oldest first, all of them or those of one status (ended claims too). */
export async function listCreatorsForAdmin(db: D1Database, status: CreatorStatus | null) {
  const { results } = await db
    .prepare(
      `SELECT c.*, u.email FROM creators c JOIN users u ON u.id = c.user_id
       WHERE ?1 IS NULL OR c.status = ?1 ORDER BY c.created_at LIMIT 500`,
    )
    .bind(status)
    .all<CreatorRecord & { email: string }>();
  return results;
}

/** Sets a creator's rollout status and records who did it, in one batch; the updated row, or null if no such handle. */
export async function setCreatorStatus(
  db: D1Database,
  actorId: string,
  handle: string,
  status: 'approved' | 'suspended',
  now: number,
) {
  const [update] = await db.batch([
    db
      .prepare('UPDATE creators SET status = ?, status_changed_at = ? WHERE handle = ? RETURNING *')
      .bind(status, now, handle),
    // Audits only if the creator exists, so a typo leaves no trace of an action that never happened.
    auditStatement(
      db,
      { actorId, action: `creator.${status === 'approved' ? 'approve' : 'suspend'}`, target: handle, now },
      { where: 'EXISTS (SELECT 1 FROM creators WHERE handle = ?7)', binds: [handle] },
    ),
  ]);
  return (update?.results[0] as CreatorRow | undefined) ?? null;
}

/** The latest audit entries, newest first, with the acting account's email. */
export async function listAudit(db: D1Database) {
  const { results } = await db
    .prepare(
      `SELECT a.action, a.target, a.detail, a.created_at, u.email AS actor_email
       FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id ORDER BY a.created_at DESC, a.rowid DESC LIMIT 200`,
    )
    .all<{ action: string; target: string; detail: string; created_at: number; actor_email: string | null }>();
  return results;
}

/**
 * An admin unlinks the video of an episode (a link that misleads, or blocks its owner), audited in the same
 * batch; the creator it belonged to, or null when the episode has no video linked.
 */
export async function unlinkEpisodeVideo(db: D1Database, actorId: string, episodeId: string, now: number) {
  const found = await db
    .prepare(
      `SELECT e.video_id, e.video_verified, s.creator_id FROM episodes e JOIN series s ON s.id = e.series_id
       WHERE e.id = ? AND e.video_id IS NOT NULL`,
    )
    .bind(episodeId)
    .first<{ video_id: string; video_verified: number; creator_id: string }>();
  if (!found) return null;
  await db.batch([
    db
      .prepare(
        `UPDATE episodes SET video_id = NULL, video_hash = NULL, video_verified = 0, updated_at = ?3
         WHERE id = ?1 AND video_id = ?2`,
      )
      .bind(episodeId, found.video_id, now),
    auditStatement(
      db,
      {
        actorId,
        action: 'episode.unlink_video',
        target: episodeId,
        detail: { videoId: found.video_id, verified: found.video_verified === 1 },
        now,
      },
      {
        where: 'EXISTS (SELECT 1 FROM episodes WHERE id = ?7 AND video_id IS NULL AND updated_at = ?8)',
        binds: [episodeId, now],
      },
    ),
  ]);
  return found;
}
