import type { CreatorStatus } from '@series/core';
import { createMiddleware } from 'hono/factory';
import type { SessionUser } from '../auth/sessions.js';
import type { AppEnv } from '../context.js';
import { ApiError } from '../lib/errors.js';

export interface CreatorRow {
  id: string;
  user_id: string;
  handle: string;
  display_name: string;
  status: CreatorStatus;
  created_at: number;
  status_changed_at: number;
}

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

/** Signed in and has claimed a handle (any rollout status); handlers read it from `c.var.creator`. */
export const requireCreator = createMiddleware<
  AppEnv & { Variables: { user: SessionUser; creator: CreatorRow } }
>(async (c, next) => {
  const session = c.var.session;
  if (!session) throw new ApiError(401, 'unauthorized', 'Sign in first');
  const creator = session.creator;
  if (!creator) {
    throw new ApiError(403, 'creator_required', 'Claim your video-site handle first (POST /v1/creators)');
  }
  c.set('user', session.user);
  c.set('creator', creator);
  await next();
});
