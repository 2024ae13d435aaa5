import { CLAIM_EXPIRY_DAYS, type CreatorStatus } from '@series/core';
import { auditStatement, sql } from '../lib/audit.js';
import { publicSeriesOf, publicSeriesStatements } from '../series/queries.js';
import type { CreatorRecord, CreatorRow } from '../lib/context.js';
import { SOLD } from '../ledger/queries.js';

const STATUS_MEANING: Record<CreatorStatus, string> = {
  pending: `Waiting for approval: you can prepare series, but cannot publish or sell yet; a claim not approved within ${CLAIM_EXPIRY_DAYS} days expires`,
  approved: 'Approved: you can publish series and sell episodes',
  suspended: 'Suspended: your series are hidden and cannot be bought; buyers keep what they bought',
  rejected: 'Rejected: an admin turned this claim down and the handle is free again; you may claim another handle',
  expired: `Expired: the claim was not approved within ${CLAIM_EXPIRY_DAYS} days and the handle is free again; claim it again to rejoin the queue`,
  displaced:
    'Taken by its owner: the owner of this handle proved it theirs by connecting TikTok, so this unverified claim ended; your drafts are kept: connect your own TikTok account to claim your handle',
};

/** How long a claim may wait for approval. */
export const CLAIM_EXPIRY_MS = CLAIM_EXPIRY_DAYS * 24 * 60 * 60 * 1000;

/** The creator as its owner and admins see it (a claim that ended shows the handle it had). */
export function toCreator(row: CreatorRecord) {
  return {
    id: row.id,
    handle: row.handle ?? row.released_handle ?? '',
    displayName: row.display_name,
    status: row.status,
    statusMeaning: STATUS_MEANING[row.status],
    createdAt: new Date(row.created_at).toISOString(),
    statusChangedAt: new Date(row.status_changed_at).toISOString(),
    /** How the handle was proven theirs: 'tiktok' (connected), 'bio_code' (code in the bio), or null (unverified). */
    verifiedBy: row.verified_by ?? null,
  };
}

/** A claim that ended, as its owner reads it: which handle, how it ended and when. */
export function toEndedClaim(row: CreatorRecord) {
  const creator = toCreator(row);
  return {
    handle: creator.handle,
    status: row.status as 'rejected' | 'expired' | 'displaced',
    statusMeaning: creator.statusMeaning,
    endedAt: creator.statusChangedAt,
  };
}

/** The account's creators row, whether its claim is live or ended. */
/** An account's creators row, whatever its status (`user`: an SQL value). */
export const creatorOfUserSql = (user: string) => `SELECT * FROM creators WHERE user_id = ${user}`;

export function findCreatorByUser(db: D1Database, userId: string) {
  return db.prepare(creatorOfUserSql('?')).bind(userId).first<CreatorRecord>();
}

const byHandle = (db: D1Database, handle: string) => db.prepare('SELECT * FROM creators WHERE handle = ?').bind(handle);

export function findCreatorByHandle(db: D1Database, handle: string) {
  return byHandle(db, handle).first<CreatorRow>();
}

/**
 * The current handle of the verified creator whose former handle this is (handle_redirects: they renamed on
 * TikTok), while nobody holds it: an SQL statement for the batch that reads the handle.
 */
export const movedToStatement = (db: D1Database, handle: string) =>
  db
    .prepare(
      `SELECT c.handle FROM handle_redirects r JOIN creators c ON c.id = r.creator_id
       WHERE r.handle = ?1 AND c.handle IS NOT NULL AND c.handle <> ?1
         AND NOT EXISTS (SELECT 1 FROM creators h WHERE h.handle = ?1)`,
    )
    .bind(handle);

/** The handle a `movedToStatement` result names, or null. */
export const movedToOf = (result: D1Result<Record<string, unknown>> | undefined) =>
  (result?.results[0]?.['handle'] as string | undefined) ?? null;

/**
 * A creator by handle with their public series, in one round trip: or, for a former handle of a renamed verified
 * creator, the handle to go to (`movedTo`); null for no such handle.
 */
export async function findCreatorWithSeries(
  db: D1Database,
  handle: string,
): Promise<
  | { creator: CreatorRow; series: ReturnType<typeof publicSeriesOf>; movedTo: null }
  | { creator: null; series: []; movedTo: string }
  | null
> {
  const [found, moved, ...series] = await db.batch<Record<string, unknown>>([
    byHandle(db, handle),
    movedToStatement(db, handle),
    ...publicSeriesStatements(db, 'SELECT id FROM creators WHERE handle = ?', handle),
  ]);
  const creator = found?.results[0] as CreatorRow | undefined;
  if (creator) return { creator, series: publicSeriesOf(series, creator), movedTo: null };
  const movedTo = movedToOf(moved);
  return movedTo ? { creator: null, series: [], movedTo } : null;
}

/** Whether a handle is a renamed verified creator's former one (a typed claim of it is refused meanwhile). */
export async function isRedirectedHandle(db: D1Database, handle: string) {
  return (await db.prepare('SELECT 1 FROM handle_redirects WHERE handle = ?').bind(handle).first()) !== null;
}

/**
 * Claims a handle: a new creator, pending approval. Throws the unique violation on `creators.user_id` (the
 * account already has one) or `creators.handle` (someone else claimed it).
 */
export async function insertCreator(db: D1Database, row: CreatorRow, handleHash: string) {
  await db
    .prepare(
      `INSERT INTO creators (id, user_id, handle, display_name, status, created_at, status_changed_at, handle_hash)
       VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)`,
    )
    .bind(row.id, row.user_id, row.handle, row.display_name, row.created_at, row.status_changed_at, handleHash)
    .run();
}

/**
 * Claims a handle again from an account whose claim ended (rejected or expired): the same row, so the drafts
 * prepared under it come back, pending approval from now. Never the handle an admin rejected for this account.
 * Throws the unique violation on `creators.handle` when someone else holds it; null when the account has no ended
 * claim to reopen (a live one, or none) or asks for its rejected handle.
 */
export async function reopenClaim(
  db: D1Database,
  claim: { userId: string; handle: string; displayName: string; handleHash: string },
  now: number,
) {
  return db
    .prepare(
      `UPDATE creators SET handle = ?2, display_name = ?3, handle_hash = ?4, status = 'pending', status_changed_at = ?5,
         released_handle = NULL
       WHERE user_id = ?1 AND handle IS NULL AND NOT (status = 'rejected' AND released_handle = ?2)
       RETURNING *`,
    )
    .bind(claim.userId, claim.handle, claim.displayName, claim.handleHash, now)
    .first<CreatorRow>();
}

/** The statement that ends a live claim, releasing its handle, unless something was ever sold under it. */
const endClaim = (db: D1Database, status: 'rejected' | 'expired', where: string, binds: unknown[]) =>
  db
    .prepare(
      `UPDATE creators SET status = '${status}', released_handle = handle, handle = NULL, status_changed_at = ?1
       WHERE ${where} AND handle IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM purchases p WHERE p.creator_id = creators.id AND ${SOLD})
       RETURNING *`,
    )
    .bind(...binds);

/** Audits an ended claim in the same batch, only if that claim did end (its row carries the batch's time). */
const auditEnded = (db: D1Database, actorId: string | null, status: 'rejected' | 'expired', id: string, now: number) =>
  auditStatement(
    db,
    {
      actorId,
      action: status === 'rejected' ? 'creator.reject' : 'creator.expire',
      target: sql('(SELECT released_handle FROM creators WHERE id = ?7)'),
      detail: status === 'expired' ? { reason: `not approved within ${CLAIM_EXPIRY_DAYS} days` } : {},
      now,
    },
    {
      where: `EXISTS (SELECT 1 FROM creators WHERE id = ?7 AND status = '${status}' AND status_changed_at = ?8)`,
      binds: [id, now],
    },
  );

/**
 * An admin rejects a claim: the handle is free again and the account keeps its drafts (audited in the same
 * batch). The ended row, or null when the creator has sold something (the ledger keeps its handle).
 */
export async function rejectClaim(db: D1Database, actorId: string, creatorId: string, now: number) {
  const [ended] = await db.batch([
    endClaim(db, 'rejected', 'id = ?2', [now, creatorId]),
    auditEnded(db, actorId, 'rejected', creatorId, now),
  ]);
  return (ended?.results[0] as CreatorRecord | undefined) ?? null;
}

/** Claims still pending after CLAIM_EXPIRY_DAYS end, a batch at a time (audited, by the platform); how many did. */
export async function expireClaims(db: D1Database, now: number, limit = 50): Promise<number> {
  const cutoff = now - CLAIM_EXPIRY_MS;
  const { results } = await db
    .prepare(
      `SELECT id FROM creators WHERE status = 'pending' AND status_changed_at <= ? ORDER BY status_changed_at LIMIT ?`,
    )
    .bind(cutoff, limit)
    .all<{ id: string }>();
  if (results.length === 0) return 0;
  const done = await db.batch(
    results.flatMap(({ id }) => [
      endClaim(db, 'expired', `id = ?2 AND status = 'pending' AND status_changed_at <= ?3`, [now, id, cutoff]),
      auditEnded(db, null, 'expired', id, now),
    ]),
  );
  return done.filter((r, i) => i % 2 === 0 && r.results.length > 0).length;
}
