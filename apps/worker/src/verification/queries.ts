import { auditStatement, sql } from '../lib/audit.js';
import type { VerificationSettings } from './criteria.js';
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

/** A verified creator's former handle keeps redirecting to them (its hash for the extension's lookups). */
export const keepRedirect = (db: D1Database, handle: string, handleHash: string, creatorId: string, now: number) =>
  db
    .prepare(
      `INSERT INTO handle_redirects (handle, creator_id, created_at, handle_hash) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (handle) DO UPDATE SET creator_id = excluded.creator_id, created_at = excluded.created_at,
         handle_hash = excluded.handle_hash`,
    )
    .bind(handle, creatorId, now, handleHash);

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

export interface VerificationSettingsRow {
  min_followers: number;
  min_videos: number;
  auto_approve: number;
  require_verification: number;
  updated_at: number;
  updated_by: string | null;
}

const SETTINGS_SQL = 'SELECT * FROM verification_settings WHERE id = 1';

export const toSettings = (row: VerificationSettingsRow | null | undefined): VerificationSettings => ({
  minFollowers: row?.min_followers ?? 10_000,
  minVideos: row?.min_videos ?? 0,
  autoApprove: row?.auto_approve === 1,
  requireVerification: row?.require_verification === 1,
});

/** The admin's verification settings (migration 0018 writes the one row). */
export async function readSettings(db: D1Database) {
  return toSettings(await db.prepare(SETTINGS_SQL).first<VerificationSettingsRow>());
}

/** The settings row as stored (with who changed it last, and when). */
export function readSettingsRow(db: D1Database) {
  return db.prepare(SETTINGS_SQL).first<VerificationSettingsRow>();
}

/**
 * Writes the admin's settings and audits the change (from → to) in one batch; only a real change is written and
 * audited (the update's condition is the audit's). The row as it stands after.
 */
export async function writeSettings(
  db: D1Database,
  actorId: string,
  from: VerificationSettings,
  to: VerificationSettings,
  now: number,
) {
  const changed = `(min_followers, min_videos, auto_approve, require_verification) IS NOT (?2, ?3, ?4, ?5)`;
  const values = [to.minFollowers, to.minVideos, to.autoApprove ? 1 : 0, to.requireVerification ? 1 : 0];
  const [, , after] = await db.batch([
    auditStatement(
      db,
      { actorId, action: 'admin.verification_settings', target: 'verification', detail: { from, to }, now },
      {
        where: `EXISTS (SELECT 1 FROM verification_settings WHERE id = 1 AND (min_followers, min_videos, auto_approve,
                  require_verification) IS NOT (?7, ?8, ?9, ?10))`,
        binds: values,
      },
    ),
    db
      .prepare(
        `UPDATE verification_settings SET min_followers = ?2, min_videos = ?3, auto_approve = ?4,
           require_verification = ?5, updated_at = ?6, updated_by = ?1 WHERE id = 1 AND ${changed}`,
      )
      .bind(actorId, ...values, now),
    db.prepare(SETTINGS_SQL),
  ]);
  return after?.results[0] as VerificationSettingsRow;
}

/** Approved creators without a verified handle: who stops or starts selling when verification becomes required. */
export async function approvedUnverifiedCreators(db: D1Database) {
  const { results } = await db
    .prepare(`SELECT id FROM creators WHERE status = 'approved' AND verified_by IS NULL`)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/** The one-time bio code a creator may be given, and how long it stays valid. */
export const BIO_CODE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Gives an unverified live claim a fresh bio code (replacing any earlier one); audited. The updated row, or null
 * when the creator has no live unverified claim.
 */
export async function setBioCode(db: D1Database, creatorId: string, actorId: string, code: string, now: number) {
  const [update] = await db.batch([
    db
      .prepare(
        `UPDATE creators SET bio_code = ?2, bio_code_at = ?3
         WHERE id = ?1 AND handle IS NOT NULL AND verified_by IS NULL RETURNING *`,
      )
      .bind(creatorId, code, now),
    auditStatement(
      db,
      { actorId, action: 'creator.bio_code', target: sql('handle'), now },
      { from: 'creators', where: 'id = ?7 AND bio_code = ?8', binds: [creatorId, code] },
    ),
  ]);
  return (update?.results[0] as CreatorRecord | undefined) ?? null;
}

/**
 * An admin confirms the code they saw in the creator's bio: the claim becomes 'verified by bio code' when the code
 * is the creator's current one and still valid; the code is spent. Audited in the same batch. The updated row, or
 * null when nothing matched.
 */
export async function confirmBioCode(db: D1Database, actorId: string, handle: string, code: string, now: number) {
  const [update] = await db.batch([
    db
      .prepare(
        `UPDATE creators SET verified_by = 'bio_code', verified_at = ?3, bio_code = NULL
         WHERE handle = ?1 AND verified_by IS NULL AND bio_code = ?2 AND bio_code_at > ?4 RETURNING *`,
      )
      .bind(handle, code, now, now - BIO_CODE_TTL_MS),
    auditStatement(
      db,
      { actorId, action: 'creator.verify', target: handle, detail: { via: 'bio_code' }, now },
      {
        where: `EXISTS (SELECT 1 FROM creators WHERE handle = ?7 AND verified_by = 'bio_code' AND verified_at = ?8)`,
        binds: [handle, now],
      },
    ),
  ]);
  return (update?.results[0] as CreatorRecord | undefined) ?? null;
}

/**
 * Gives an account without an email (made by "Continue with TikTok") its address, unverified, and optionally a
 * password. Only while it has neither (the account's owner adds them once; changes go through PUT /v1/me/email
 * and PUT /v1/me/password). Throws the unique violation on users.email when another account has the address.
 * Whether it was written.
 */
export async function addCredentials(db: D1Database, userId: string, email: string, passwordHash: string | null) {
  const { meta } = await db
    .prepare(
      `UPDATE users SET email = ?2, password_hash = ?3, email_verified_at = NULL
       WHERE id = ?1 AND email IS NULL AND password_hash IS NULL`,
    )
    .bind(userId, email, passwordHash)
    .run();
  return (meta.changes ?? 0) > 0;
}
