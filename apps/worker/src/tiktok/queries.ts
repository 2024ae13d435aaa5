import { toHex } from '../lib/encoding.js';

/** A connected TikTok account (migration 0017). refresh_token is sealed (tokens.ts), never sent anywhere. */
export interface TikTokAccountRow {
  open_id: string;
  user_id: string;
  username: string | null;
  display_name: string;
  avatar_url: string | null;
  follower_count: number | null;
  video_count: number | null;
  is_verified: number;
  scope: string;
  refresh_token: string | null;
  refresh_expires_at: number | null;
  connected_at: number;
  checked_at: number;
}

export interface OAuthStateRow {
  state_hash: string;
  browser_hash: string;
  user_id: string | null;
  intent: 'signin' | 'creator';
  return_to: string;
  created_at: number;
  expires_at: number;
}

export const sha256Hex = async (text: string) =>
  toHex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));

/** Records a flow being started (and drops the flows that lapsed, cheaply through their index). */
export async function insertOAuthState(db: D1Database, row: OAuthStateRow) {
  await db.batch([
    db.prepare('DELETE FROM oauth_states WHERE expires_at < ?').bind(row.created_at),
    db
      .prepare(
        `INSERT INTO oauth_states (state_hash, browser_hash, user_id, intent, return_to, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(row.state_hash, row.browser_hash, row.user_id, row.intent, row.return_to, row.created_at, row.expires_at),
  ]);
}

/** Takes a flow's state, once: whoever comes second (a replayed callback) finds nothing. */
export function consumeOAuthState(db: D1Database, stateHash: string) {
  return db.prepare('DELETE FROM oauth_states WHERE state_hash = ? RETURNING *').bind(stateHash).first<OAuthStateRow>();
}

export function findTikTokAccount(db: D1Database, openId: string) {
  return db.prepare('SELECT * FROM tiktok_accounts WHERE open_id = ?').bind(openId).first<TikTokAccountRow>();
}

export function findTikTokAccountOfUser(db: D1Database, userId: string) {
  return db.prepare('SELECT * FROM tiktok_accounts WHERE user_id = ?').bind(userId).first<TikTokAccountRow>();
}

/**
 * Records what TikTok just said of an account connected to `user_id` (the statement, for the caller's batch).
 * Facts a scope did not cover (null) keep their last known value; a refresh token, when given, replaces the kept
 * one.
 */
export function upsertTikTokAccount(db: D1Database, row: Omit<TikTokAccountRow, 'connected_at'>, now: number) {
  return db
    .prepare(
      `INSERT INTO tiktok_accounts (open_id, user_id, username, display_name, avatar_url, follower_count, video_count,
         is_verified, scope, refresh_token, refresh_expires_at, connected_at, checked_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
       ON CONFLICT (open_id) DO UPDATE SET
         username = COALESCE(excluded.username, username), display_name = excluded.display_name,
         avatar_url = COALESCE(excluded.avatar_url, avatar_url),
         follower_count = COALESCE(excluded.follower_count, follower_count),
         video_count = COALESCE(excluded.video_count, video_count),
         is_verified = CASE WHEN excluded.username IS NULL THEN is_verified ELSE excluded.is_verified END,
         scope = excluded.scope,
         refresh_token = COALESCE(excluded.refresh_token, refresh_token),
         refresh_expires_at = CASE WHEN excluded.refresh_token IS NULL THEN refresh_expires_at ELSE excluded.refresh_expires_at END,
         checked_at = excluded.checked_at
       WHERE user_id = excluded.user_id`,
    )
    .bind(
      row.open_id,
      row.user_id,
      row.username,
      row.display_name,
      row.avatar_url,
      row.follower_count,
      row.video_count,
      row.is_verified,
      row.scope,
      row.refresh_token,
      row.refresh_expires_at,
      now,
      row.checked_at,
    );
}

/** Keeps the refresh token TikTok handed back with a refreshed access token (it may rotate). */
export async function storeRefreshToken(db: D1Database, openId: string, sealed: string, expiresAt: number | null) {
  await db
    .prepare(
      'UPDATE tiktok_accounts SET refresh_token = ?2, refresh_expires_at = COALESCE(?3, refresh_expires_at) WHERE open_id = ?1',
    )
    .bind(openId, sealed, expiresAt)
    .run();
}

/** Forgets a refresh token TikTok no longer honours (revoked, expired): the owner must connect again. */
export async function dropRefreshToken(db: D1Database, openId: string) {
  await db
    .prepare('UPDATE tiktok_accounts SET refresh_token = NULL, refresh_expires_at = NULL WHERE open_id = ?')
    .bind(openId)
    .run();
}
