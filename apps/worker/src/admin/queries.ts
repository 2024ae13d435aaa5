import type { CreatorStatus } from '@series/core';
import { auditStatement } from '../lib/audit.js';
import type { CreatorRecord, CreatorRow } from '../lib/context.js';
import { toSettings, type VerificationSettingsRow } from '../verification/queries.js';

/** A creator as the admin reviews them: their account's email, and what TikTok said of the connected account. */
export type AdminCreatorRow = CreatorRecord & {
  email: string | null;
  tiktok_username: string | null;
  tiktok_followers: number | null;
  tiktok_videos: number | null;
  tiktok_badge: number | null;
  tiktok_checked_at: number | null;
};

/**
 * Creators with their account's email and their TikTok facts (handle, followers, videos, the badge, as of the last
 * check), oldest first, all of them or those of one status (ended claims too); with the verification settings, in
 * one round trip.
 */
export async function listCreatorsForAdmin(db: D1Database, status: CreatorStatus | null) {
  const [creators, settings] = await db.batch<Record<string, unknown>>([
    db
      .prepare(
        `SELECT c.*, u.email, t.username AS tiktok_username, t.follower_count AS tiktok_followers,
                t.video_count AS tiktok_videos, t.is_verified AS tiktok_badge, t.checked_at AS tiktok_checked_at
         FROM creators c JOIN users u ON u.id = c.user_id LEFT JOIN tiktok_accounts t ON t.user_id = c.user_id
         WHERE ?1 IS NULL OR c.status = ?1 ORDER BY c.created_at LIMIT 500`,
      )
      .bind(status),
    db.prepare('SELECT * FROM verification_settings WHERE id = 1'),
  ]);
  return {
    creators: (creators?.results ?? []) as AdminCreatorRow[],
    settings: toSettings(settings?.results[0] as VerificationSettingsRow | undefined),
  };
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
