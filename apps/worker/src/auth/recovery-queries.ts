import type { Locale } from '@series/core';
import { randomToken, sha256Hex } from '../lib/encoding.js';

/** What a link in a mail does: confirm the address it was sent to, or set a new password. */
export type TokenPurpose = 'verify_email' | 'reset_password';

const tokenHash = sha256Hex;
/** Our tokens are 32 random bytes in base64url; anything else cannot be one (and costs no database read). */
const wellFormed = (token: string) => /^[A-Za-z0-9_-]{43}$/.test(token);

/** The account a mail about it goes to: its address, whether that is verified, and its language. */
export interface MailAccountRow {
  id: string;
  /** Null for an account made by "Continue with TikTok" until its owner adds one. */
  email: string | null;
  email_verified_at: number | null;
  locale: Locale;
  created_at: number;
}

export function findMailAccountByEmail(db: D1Database, email: string) {
  return db
    .prepare('SELECT id, email, email_verified_at, locale, created_at FROM users WHERE email = ?')
    .bind(email)
    .first<MailAccountRow>();
}

export function findMailAccount(db: D1Database, userId: string) {
  return db
    .prepare('SELECT id, email, email_verified_at, locale, created_at FROM users WHERE id = ?')
    .bind(userId)
    .first<MailAccountRow>();
}

export async function setAccountLocale(db: D1Database, userId: string, locale: Locale) {
  await db.prepare('UPDATE users SET locale = ? WHERE id = ?').bind(locale, userId).run();
}

/**
 * A new single-use link for the account, to `email`, valid `ttlMs`; returns the token (only its hash is kept). A
 * new verification link voids the earlier ones to other addresses: only the latest address asked for can win.
 */
export async function createAccountToken(
  db: D1Database,
  purpose: TokenPurpose,
  userId: string,
  email: string,
  ttlMs: number,
  now = Date.now(),
): Promise<string> {
  const token = randomToken();
  await db.batch([
    db
      .prepare(
        `UPDATE account_tokens SET used_at = ?3 WHERE user_id = ?1 AND purpose = 'verify_email' AND used_at IS NULL
           AND email IS NOT ?2 AND ?4 = 'verify_email'`,
      )
      .bind(userId, email, now, purpose),
    db
      .prepare(
        `INSERT INTO account_tokens (token_hash, purpose, user_id, email, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .bind(await tokenHash(token), purpose, userId, email, now, now + ttlMs),
  ]);
  return token;
}

/** The live link a token names (unused, unexpired, for the account's current address when it is a reset). */
export async function findLiveToken(db: D1Database, purpose: TokenPurpose, token: string, now = Date.now()) {
  if (!wellFormed(token)) return null;
  return db
    .prepare(
      `SELECT t.user_id, t.email, u.email AS current_email, u.locale FROM account_tokens t
       JOIN users u ON u.id = t.user_id
       WHERE t.token_hash = ?1 AND t.purpose = ?2 AND t.used_at IS NULL AND t.expires_at > ?3
         AND (t.purpose = 'verify_email' OR t.email = u.email)`,
    )
    .bind(await tokenHash(token), purpose, now)
    .first<{ user_id: string; email: string; current_email: string; locale: Locale }>();
}

/** Marks the link used by this batch (`stamp`), if it is live; the batch's other statements select on the stamp. */
const consume = (db: D1Database, hash: string, purpose: TokenPurpose, stamp: string, now: number) =>
  db
    .prepare(
      `UPDATE account_tokens SET used_at = ?4, use_id = ?3
       WHERE token_hash = ?1 AND purpose = ?2 AND used_at IS NULL AND expires_at > ?4
         AND (purpose = 'verify_email' OR email = (SELECT email FROM users WHERE id = account_tokens.user_id))`,
    )
    .bind(hash, purpose, stamp, now);
const owner = `(SELECT user_id FROM account_tokens WHERE use_id = ?1)`;

/**
 * Sets a new password with a reset link, in one batch: the link is used up, the password changes, every session
 * of the account ends and every other reset link dies. Only a live link does anything. Opening it proves the
 * address is the owner's, so it also counts as verified. The account's id, or null (expired, used, forged).
 */
export async function resetPasswordWithToken(db: D1Database, token: string, passwordHash: string, now = Date.now()) {
  if (!wellFormed(token)) return null;
  const stamp = crypto.randomUUID();
  const [used] = await db.batch([
    consume(db, await tokenHash(token), 'reset_password', stamp, now),
    db.prepare(`UPDATE users SET password_hash = ?2 WHERE id = ${owner}`).bind(stamp, passwordHash),
    db
      .prepare(`UPDATE users SET email_verified_at = ?2 WHERE id = ${owner} AND email_verified_at IS NULL`)
      .bind(stamp, now),
    db.prepare(`DELETE FROM sessions WHERE user_id = ${owner}`).bind(stamp),
    db
      .prepare(
        `UPDATE account_tokens SET used_at = ?2 WHERE user_id = ${owner} AND purpose = 'reset_password'
           AND used_at IS NULL`,
      )
      .bind(stamp, now),
  ]);
  if (!used?.meta.changes) return null;
  const row = await db
    .prepare('SELECT user_id FROM account_tokens WHERE use_id = ?')
    .bind(stamp)
    .first<{ user_id: string }>();
  return row?.user_id ?? null;
}

/**
 * Confirms an address with a verification link: the account's address becomes the link's (a change of address
 * happens here) and is verified. Throws the unique violation on users.email when another account took that
 * address meanwhile (nothing changes then, the link stays usable). Null for a link that is not live.
 */
export async function verifyEmailWithToken(db: D1Database, token: string, now = Date.now()) {
  const live = await findLiveToken(db, 'verify_email', token, now);
  if (!live) return null;
  const stamp = crypto.randomUUID();
  const [used] = await db.batch([
    consume(db, await tokenHash(token), 'verify_email', stamp, now),
    db
      .prepare(
        `UPDATE users SET email = (SELECT email FROM account_tokens WHERE use_id = ?1), email_verified_at = ?2
         WHERE id = ${owner}`,
      )
      .bind(stamp, now),
  ]);
  if (!used?.meta.changes) return null;
  return { userId: live.user_id, email: live.email, previousEmail: live.current_email, locale: live.locale };
}
