import { accountGiftsStatement } from '../ledger/gift-queries.js';
import { SOLD } from '../ledger/queries.js';

/** The stored password hash of an account, to check the password before a sensitive change. */
export function findPasswordHash(db: D1Database, userId: string) {
  return db.prepare('SELECT password_hash FROM users WHERE id = ?').bind(userId).first<{ password_hash: string }>();
}

/** A person's purchases as the export lists them, in one ledger. */
const exportPurchasesStatement = (db: D1Database, userId: string) =>
  db
    .prepare(
      `SELECT p.id, p.status, p.status_reason, p.amount, p.currency, p.refunded_amount, p.created_at, p.paid_at,
              s.title AS series_title, e.title AS episode_title
       FROM purchases p JOIN series s ON s.id = p.series_id LEFT JOIN episodes e ON e.id = p.episode_id
       WHERE p.buyer_id = ? ORDER BY p.created_at`,
    )
    .bind(userId);

/** A person's purchases in a ledger other than the directory's own database (a shard: ledger/placement.ts). */
export async function exportPurchases(db: D1Database, userId: string) {
  return (await exportPurchasesStatement(db, userId).all<Record<string, unknown>>()).results;
}

/**
 * Everything stored about a person (as a buyer, and as a creator when `creatorId` is one), in one round trip; their
 * purchases in this database's ledger (the others' come from `exportPurchases`).
 */
export async function exportAccount(db: D1Database, userId: string, creatorId: string | null) {
  const [purchases, sessions, series, episodes, gifts] = await db.batch<Record<string, unknown>>([
    exportPurchasesStatement(db, userId),
    db
      .prepare('SELECT id, user_agent, created_at, expires_at FROM sessions WHERE user_id = ? ORDER BY created_at')
      .bind(userId),
    db
      .prepare(
        'SELECT id, title, description, currency, bundle_price, status, created_at FROM series WHERE creator_id = ?',
      )
      .bind(creatorId ?? ''),
    db
      .prepare(
        `SELECT e.id, e.series_id, e.title, e.duration_seconds, e.price, e.video_id FROM episodes e
         JOIN series s ON s.id = e.series_id WHERE s.creator_id = ?`,
      )
      .bind(creatorId ?? ''),
    accountGiftsStatement(db, userId),
  ]);
  return {
    gifts: gifts?.results ?? [],
    purchases: purchases?.results ?? [],
    sessions: sessions?.results ?? [],
    series: series?.results ?? [],
    episodes: episodes?.results ?? [],
  };
}

/** Whether the creator ever sold anything (their ledger must then be kept). */
export async function creatorHasSales(db: D1Database, creatorId: string) {
  return (
    (await db.prepare(`SELECT 1 FROM purchases WHERE creator_id = ? AND ${SOLD} LIMIT 1`).bind(creatorId).first()) !==
    null
  );
}

/** The stored objects of every upload to the creator's episodes. */
export async function creatorMediaKeys(db: D1Database, creatorId: string) {
  const { results } = await db
    .prepare(
      `SELECT u.r2_key FROM media_uploads u JOIN episodes e ON e.id = u.episode_id JOIN series s ON s.id = e.series_id
       WHERE s.creator_id = ?`,
    )
    .bind(creatorId)
    .all<{ r2_key: string }>();
  return results.map((m) => m.r2_key);
}

/**
 * Deletes the account and its personal data in one batch: the creator's unsold catalogue (if `creatorId` names
 * one), the buyer's unpaid checkouts, sessions and user row. Paid purchases stay in the ledger with the buyer
 * anonymised (`anonymous` stands in for them in buyer_days). Returns whether the creator profile was removed.
 */
export async function deleteAccount(
  db: D1Database,
  userId: string,
  creatorId: string,
  anonymous: string,
  /** Other ledgers hold purchases too (shards): what is left to do there is recorded in the same batch. */
  elsewhere = false,
) {
  // Every statement re-checks "no sale": a purchase completing while this runs keeps the account.
  const unsold = `NOT EXISTS (SELECT 1 FROM purchases WHERE creator_id = ?1 AND ${SOLD})`;
  const gone = `NOT EXISTS (SELECT 1 FROM creators WHERE user_id = ?1)`;
  const [, , , , , removedCreator] = await db.batch([
    // The creator's unsold catalogue goes (abandoned checkouts by others included).
    db.prepare(`DELETE FROM purchases WHERE creator_id = ?1 AND ${unsold}`).bind(creatorId),
    db.prepare(`DELETE FROM funnel_daily WHERE creator_id = ?1 AND ${unsold}`).bind(creatorId),
    db.prepare(`DELETE FROM source_daily WHERE creator_id = ?1 AND ${unsold}`).bind(creatorId),
    db
      .prepare(`DELETE FROM episodes WHERE series_id IN (SELECT id FROM series WHERE creator_id = ?1) AND ${unsold}`)
      .bind(creatorId),
    db.prepare(`DELETE FROM series WHERE creator_id = ?1 AND ${unsold}`).bind(creatorId),
    db.prepare(`DELETE FROM creators WHERE id = ?1 AND ${unsold}`).bind(creatorId),
    // As a buyer: unpaid checkouts go; the ledger keeps paid ones, anonymised (only if the account goes).
    db.prepare(`DELETE FROM purchases WHERE buyer_id = ?1 AND paid_at IS NULL AND ${gone}`).bind(userId),
    db.prepare(`UPDATE purchases SET buyer_id = NULL WHERE buyer_id = ?1 AND ${gone}`).bind(userId),
    // What they owned (bought, or gifts claimed) is theirs no more: the entitlements go with the account.
    db.prepare(`UPDATE purchases SET owner_id = NULL WHERE owner_id = ?1 AND ${gone}`).bind(userId),
    db.prepare(`UPDATE buyer_days SET buyer_id = ?2 WHERE buyer_id = ?1 AND ${gone}`).bind(userId, anonymous),
    db.prepare(`DELETE FROM sessions WHERE user_id = ?1 AND ${gone}`).bind(userId),
    // Only once no creator profile is left (a sale landing meanwhile keeps it, and so the account).
    db.prepare(`DELETE FROM users WHERE id = ?1 AND ${gone}`).bind(userId),
    ...(elsewhere
      ? [
          db
            .prepare(
              `INSERT INTO account_erasures (user_id, anonymous, created_at) SELECT ?1, ?2, ?3 WHERE ${gone}
               ON CONFLICT (user_id) DO NOTHING`,
            )
            .bind(userId, anonymous, Date.now()),
        ]
      : []),
  ]);
  return (removedCreator?.meta.changes ?? 0) > 0;
}

/**
 * A deleted buyer's purchases in another ledger (a shard), as `deleteAccount` leaves the directory's: unpaid
 * checkouts go, paid ones stay for the creator's ledger with nobody's name on them. Idempotent.
 */
export async function eraseBuyer(db: D1Database, userId: string, anonymous: string) {
  await db.batch([
    db.prepare('DELETE FROM purchases WHERE buyer_id = ?1 AND paid_at IS NULL').bind(userId),
    db.prepare('UPDATE purchases SET buyer_id = NULL WHERE buyer_id = ?1').bind(userId),
    db.prepare('UPDATE purchases SET owner_id = NULL WHERE owner_id = ?1').bind(userId),
    db.prepare('UPDATE buyer_days SET buyer_id = ?2 WHERE buyer_id = ?1').bind(userId, anonymous),
  ]);
}

/** Deletions still to finish on other ledgers, oldest first (the cron's), each counted as an attempt. */
export async function claimErasures(db: D1Database, limit: number) {
  const { results } = await db
    .prepare(
      `UPDATE account_erasures SET attempts = attempts + 1
       WHERE user_id IN (SELECT user_id FROM account_erasures ORDER BY created_at LIMIT ?1)
       RETURNING user_id, anonymous`,
    )
    .bind(limit)
    .all<{ user_id: string; anonymous: string }>();
  return results;
}

/** A deletion finished on every ledger. */
export async function finishErasure(db: D1Database, userId: string) {
  await db.prepare('DELETE FROM account_erasures WHERE user_id = ?').bind(userId).run();
}

export interface SessionListRow {
  id: string;
  user_agent: string | null;
  created_at: number;
  expires_at: number;
}

/** The account's sessions that have not expired, newest first. */
export async function listActiveSessions(db: D1Database, userId: string, now: number) {
  const { results } = await db
    .prepare(
      `SELECT id, user_agent, created_at, expires_at FROM sessions WHERE user_id = ? AND expires_at > ?
       ORDER BY created_at DESC`,
    )
    .bind(userId, now)
    .all<SessionListRow>();
  return results;
}

/** Signs one of the account's sessions out; the number of sessions removed (0: none of theirs). */
export async function revokeSession(db: D1Database, sessionId: string, userId: string) {
  const revoked = await db.prepare('DELETE FROM sessions WHERE id = ? AND user_id = ?').bind(sessionId, userId).run();
  return revoked.meta.changes;
}

/** Signs the account out everywhere; the number of sessions removed. */
export async function revokeAllSessions(db: D1Database, userId: string) {
  const revoked = await db.prepare('DELETE FROM sessions WHERE user_id = ?').bind(userId).run();
  return revoked.meta.changes;
}

/** Sets a new password hash and ends every session but `keepSessionId`; the number of sessions ended. */
export async function changePassword(
  db: D1Database,
  userId: string,
  passwordHash: string,
  keepSessionId: string | null,
) {
  // The new password and the end of every other session land together.
  const [, others] = await db.batch([
    db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').bind(passwordHash, userId),
    db.prepare('DELETE FROM sessions WHERE user_id = ? AND id IS NOT ?').bind(userId, keepSessionId),
  ]);
  return others?.meta.changes ?? 0;
}
