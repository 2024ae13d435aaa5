import type { CreatorStatus } from '@series/core';
import type { CreatorRow } from '../lib/context.js';

const STATUS_MEANING: Record<CreatorStatus, string> = {
  pending: 'Waiting for approval: you can prepare series, but cannot publish or sell yet',
  approved: 'Approved: you can publish series and sell episodes',
  suspended: 'Suspended: your series are hidden and cannot be bought; buyers keep what they bought',
};

/** The creator as its owner and admins see it. */
export function toCreator(row: CreatorRow) {
  return {
    id: row.id,
    handle: row.handle,
    displayName: row.display_name,
    status: row.status,
    statusMeaning: STATUS_MEANING[row.status],
    createdAt: new Date(row.created_at).toISOString(),
    statusChangedAt: new Date(row.status_changed_at).toISOString(),
  };
}

export function findCreatorByUser(db: D1Database, userId: string) {
  return db.prepare('SELECT * FROM creators WHERE user_id = ?').bind(userId).first<CreatorRow>();
}

export function findCreatorByHandle(db: D1Database, handle: string) {
  return db.prepare('SELECT * FROM creators WHERE handle = ?').bind(handle).first<CreatorRow>();
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
