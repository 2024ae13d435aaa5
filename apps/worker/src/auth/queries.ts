import type { CreatorRow, SessionUser } from '../lib/context.js';
import { toBase64Url, toHex } from '../lib/encoding.js';
import { isAdmin } from './config.js';

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/**
 * `__Host-`: the browser only accepts it Secure, for this exact host and path `/`, so no subdomain or
 * plain-http page can set or overwrite it. Browsers treat http://localhost as secure, so it works locally.
 */
export const SESSION_COOKIE = '__Host-series_session';

/** Creates an account; throws the unique violation on `users.email` when the email is taken. */
export async function insertUser(db: D1Database, user: SessionUser, passwordHash: string) {
  await db
    .prepare('INSERT INTO users (id, email, password_hash, created_at) VALUES (?, ?, ?, ?)')
    .bind(user.id, user.email, passwordHash, user.createdAt)
    .run();
}

/** The account with this email and its password hash, to check a sign-in. */
export function findUserByEmail(db: D1Database, email: string) {
  return db
    .prepare('SELECT id, email, password_hash, created_at, email_verified_at FROM users WHERE email = ?')
    .bind(email)
    .first<{
      id: string;
      email: string;
      password_hash: string;
      created_at: number;
      email_verified_at: number | null;
    }>();
}

async function hashToken(token: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)));
}

/** Creates a session and returns its bearer token (256 random bits); only its hash is stored. */
export async function createSession(db: D1Database, userId: string, userAgent: string | null, now = Date.now()) {
  const token = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  const expiresAt = now + SESSION_TTL_MS;
  const id = toHex(crypto.getRandomValues(new Uint8Array(12)));
  await db
    .prepare(
      'INSERT INTO sessions (token_hash, id, user_id, user_agent, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .bind(await hashToken(token), id, userId, userAgent?.slice(0, 200) ?? null, now, expiresAt)
    .run();
  return { token, expiresAt };
}

/** The session's public id, for marking "this device" in the session list. */
export async function sessionIdOf(db: D1Database, token: string): Promise<string | null> {
  const row = await db
    .prepare('SELECT id FROM sessions WHERE token_hash = ?')
    .bind(await hashToken(token))
    .first<{ id: string }>();
  return row?.id ?? null;
}

/**
 * The signed-in user and their creator profile (if they hold a live claim: a rejected or expired one is no
 * profile), in one round trip to the database: every authenticated request starts here, and creator routes need
 * both.
 */
export async function findSession(db: D1Database, token: string, now = Date.now()) {
  return (await findSessionWith(db, token, () => [], now)).session;
}

/** Binds a statement batched with the session lookup: ?1 is the session's token hash, ?2 now, its own from ?3. */
export type SessionBound = (sql: string, ...params: unknown[]) => D1PreparedStatement;

/** The caller's account id, in a statement batched with the session lookup (`findSessionWith`). */
export const SESSION_USER = '(SELECT user_id FROM sessions WHERE token_hash = ?1 AND expires_at > ?2)';

/** The caller's live creator profile's id, likewise (NULL for an account without one). */
export const SESSION_CREATOR = `(SELECT c.id FROM sessions s JOIN creators c ON c.user_id = s.user_id
  WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND c.handle IS NOT NULL)`;

/**
 * `findSession` with a route's own reads in the same round trip: statements made with `bound` name the caller as
 * SESSION_USER or SESSION_CREATOR, so they read nothing for a session that is not valid. `results` are theirs.
 */
export async function findSessionWith(
  db: D1Database,
  token: string,
  reads: (bound: SessionBound) => D1PreparedStatement[],
  now = Date.now(),
): Promise<{
  session: { user: SessionUser; creator: CreatorRow | null } | null;
  results: D1Result<Record<string, unknown>>[];
}> {
  // A token that cannot be one of ours matches no session (an empty hash never does); its reads still run.
  const hash = /^[A-Za-z0-9_-]{43}$/.test(token) ? await hashToken(token) : '';
  const bound: SessionBound = (sql, ...params) => db.prepare(sql).bind(hash, now, ...params);
  const own = reads(bound);
  if (!hash && !own.length) return { session: null, results: [] };
  const [users, creators, ...results] = await db.batch<Record<string, unknown>>([
    db
      .prepare(
        `SELECT u.id, u.email, u.created_at, u.email_verified_at FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = ?1 AND s.expires_at > ?2`,
      )
      .bind(hash, now),
    db
      .prepare(
        `SELECT c.* FROM sessions s JOIN creators c ON c.user_id = s.user_id
         WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND c.handle IS NOT NULL`,
      )
      .bind(hash, now),
    ...own,
  ]);
  const row = users?.results[0] as
    { id: string; email: string; created_at: number; email_verified_at: number | null } | undefined;
  if (!row) return { session: null, results };
  const creator = (creators?.results[0] as CreatorRow | undefined) ?? null;
  const user = { id: row.id, email: row.email, createdAt: row.created_at, emailVerifiedAt: row.email_verified_at };
  return { session: { user, creator }, results };
}

export async function deleteSession(db: D1Database, token: string): Promise<void> {
  await db
    .prepare('DELETE FROM sessions WHERE token_hash = ?')
    .bind(await hashToken(token))
    .run();
}

/** The account as its owner sees it. */
export function toUser(env: Env, user: SessionUser) {
  return {
    id: user.id,
    email: user.email,
    createdAt: new Date(user.createdAt).toISOString(),
    isAdmin: isAdmin(env, user.email),
    /** Until it is, a banner asks to verify it (buying still works). */
    emailVerified: user.emailVerifiedAt != null,
  };
}
