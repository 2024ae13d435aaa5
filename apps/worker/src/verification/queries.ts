import { auditStatement } from '../lib/audit.js';
import type { CreatorRecord } from '../lib/context.js';

/** The live creator holding a handle now, and the creator whose former handle it is (a redirect), if any. */
export async function handleHolders(db: D1Database, handle: string) {
  const [holder, redirect] = await db.batch<Record<string, unknown>>([
    db.prepare('SELECT * FROM creators WHERE handle = ?').bind(handle),
    db.prepare('SELECT creator_id FROM handle_redirects WHERE handle = ?').bind(handle),
  ]);
  return {
    holder: (holder?.results[0] as CreatorRecord | undefined) ?? null,
    redirectOf: (redirect?.results[0]?.['creator_id'] as string | undefined) ?? null,
  };
}

/**
 * Statements that end an unverified claim of `handle` because its verified owner takes it ('displaced', the row
 * and drafts kept with their account, who is told by GET /v1/me), audited in the same batch. A verified claim
 * (TikTok or bio code) is never displaced: the statement then changes nothing, and the caller's write of the
 * handle fails on the unique index.
 */
export function displaceStatements(db: D1Database, holderId: string, handle: string, byCreatorId: string, now: number) {
  return [
    db
      .prepare(
        `UPDATE creators SET status = 'displaced', released_handle = handle, handle = NULL, status_changed_at = ?3
         WHERE id = ?1 AND handle = ?2 AND verified_by IS NULL`,
      )
      .bind(holderId, handle, now),
    auditStatement(
      db,
      {
        actorId: null,
        action: 'creator.displace',
        target: handle,
        detail: { by: byCreatorId, reason: 'verified owner' },
        now,
      },
      {
        where: `EXISTS (SELECT 1 FROM creators WHERE id = ?7 AND status = 'displaced' AND status_changed_at = ?8)`,
        binds: [holderId, now],
      },
    ),
  ];
}

/** Someone else verified this handle: the former owner's links stop redirecting there. */
export const dropRedirect = (db: D1Database, handle: string) =>
  db.prepare('DELETE FROM handle_redirects WHERE handle = ?').bind(handle);

/** A verified creator's former handle keeps redirecting to them. */
export const keepRedirect = (db: D1Database, handle: string, creatorId: string, now: number) =>
  db
    .prepare(
      `INSERT INTO handle_redirects (handle, creator_id, created_at) VALUES (?1, ?2, ?3)
       ON CONFLICT (handle) DO UPDATE SET creator_id = excluded.creator_id, created_at = excluded.created_at`,
    )
    .bind(handle, creatorId, now);

/** Their current handle is no redirect of theirs any more (they took back a former handle). */
export const dropOwnRedirect = (db: D1Database, handle: string, creatorId: string) =>
  db.prepare('DELETE FROM handle_redirects WHERE handle = ? AND creator_id = ?').bind(handle, creatorId);

/**
 * The creator's handle proven by TikTok: set (a rename on the video site moves it) and marked verified. Their
 * display name follows TikTok's unless they set their own (kept).
 */
export const setVerifiedHandle = (db: D1Database, creatorId: string, handle: string, handleHash: string, now: number) =>
  db
    .prepare(
      `UPDATE creators SET handle = ?2, handle_hash = ?3, verified_by = 'tiktok', verified_at = ?4
       WHERE id = ?1 AND handle IS NOT NULL`,
    )
    .bind(creatorId, handle, handleHash, now);

/** A new creator whose handle TikTok proved, pending approval or approved at once (automatic approval). */
export const insertVerifiedCreator = (
  db: D1Database,
  row: {
    id: string;
    userId: string;
    handle: string;
    displayName: string;
    status: 'pending' | 'approved';
    handleHash: string;
  },
  now: number,
) =>
  db
    .prepare(
      `INSERT INTO creators (id, user_id, handle, display_name, status, created_at, status_changed_at, handle_hash,
         verified_by, verified_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, 'tiktok', ?6)`,
    )
    .bind(row.id, row.userId, row.handle, row.displayName, row.status, now, row.handleHash);

/** An ended claim (rejected, expired, displaced) comes back under the verified handle, its drafts with it. */
export const reopenVerifiedClaim = (
  db: D1Database,
  row: { id: string; handle: string; displayName: string; status: 'pending' | 'approved'; handleHash: string },
  now: number,
) =>
  db
    .prepare(
      `UPDATE creators SET handle = ?2, display_name = ?3, handle_hash = ?4, status = ?5, status_changed_at = ?6,
         released_handle = NULL, verified_by = 'tiktok', verified_at = ?6
       WHERE id = ?1 AND handle IS NULL`,
    )
    .bind(row.id, row.handle, row.displayName, row.handleHash, row.status, now);

/** Audits a change of a creator's verification (connected, renamed) in its batch. */
export const auditVerification = (
  db: D1Database,
  actorId: string,
  action: string,
  handle: string,
  detail: unknown,
  now: number,
) => auditStatement(db, { actorId, action, target: handle, detail, now });

/** The creator's linked, unverified video ids (to verify once they connect), at most `limit`. */
export async function unverifiedLinks(db: D1Database, creatorId: string, limit = 200) {
  const { results } = await db
    .prepare(
      `SELECT DISTINCT e.video_id FROM episodes e JOIN series s ON s.id = e.series_id
       WHERE s.creator_id = ? AND e.video_id IS NOT NULL AND e.video_verified = 0 LIMIT ?`,
    )
    .bind(creatorId, limit)
    .all<{ video_id: string }>();
  return results.map((r) => r.video_id);
}

/**
 * Marks the creator's links of these videos verified (TikTok said they are theirs), unless another episode holds a
 * verified link of one already (the unique index would refuse it). How many links became verified.
 */
export async function markLinksVerified(db: D1Database, creatorId: string, videoIds: string[]) {
  if (!videoIds.length) return 0;
  const results = await db.batch(
    videoIds.map((id) =>
      db
        .prepare(
          `UPDATE episodes SET video_verified = 1
           WHERE id = (SELECT e.id FROM episodes e JOIN series s ON s.id = e.series_id
                       WHERE s.creator_id = ?1 AND e.video_id = ?2 AND e.video_verified = 0 ORDER BY e.created_at LIMIT 1)
             AND NOT EXISTS (SELECT 1 FROM episodes v WHERE v.video_id = ?2 AND v.video_verified = 1)`,
        )
        .bind(creatorId, id),
    ),
  );
  return results.reduce((n, r) => n + (r.meta.changes ?? 0), 0);
}

/** An account with neither email nor password (made by "Continue with TikTok"; migration 0017 allows it). */
export async function createEmptyUser(db: D1Database, id: string, now: number) {
  await db
    .prepare('INSERT INTO users (id, email, password_hash, created_at) VALUES (?, NULL, NULL, ?)')
    .bind(id, now)
    .run();
}

/** Removes an account made by a flow that then failed, while it still holds nothing. */
export async function deleteUserWithoutData(db: D1Database, id: string) {
  await db
    .prepare(
      `DELETE FROM users WHERE id = ?1 AND email IS NULL
         AND NOT EXISTS (SELECT 1 FROM tiktok_accounts WHERE user_id = ?1)
         AND NOT EXISTS (SELECT 1 FROM sessions WHERE user_id = ?1)
         AND NOT EXISTS (SELECT 1 FROM creators WHERE user_id = ?1)`,
    )
    .bind(id)
    .run();
}
