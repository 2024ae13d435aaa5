import { DEFAULT_COMMISSION_BPS } from '@series/core';
import { auditStatement } from '../lib/audit.js';
import { newId } from '../lib/ids.js';

/** The commission in force now, as a statement to batch (`commissionBpsOf` reads its result). */
export const commissionStatement = (db: D1Database) =>
  db.prepare('SELECT bps FROM commission_rates ORDER BY effective_at DESC, rowid DESC LIMIT 1');

export const commissionBpsOf = (row: { bps: number } | undefined | null) => row?.bps ?? DEFAULT_COMMISSION_BPS;

/** The commission in force now; purchases copy it so later changes never rewrite history. */
export async function currentCommissionBps(db: D1Database): Promise<number> {
  return commissionBpsOf(await commissionStatement(db).first<{ bps: number }>());
}

/** The rates set so far, newest first (the first is in force). */
export async function commissionHistory(db: D1Database, limit = 100) {
  const { results } = await db
    .prepare('SELECT bps, effective_at FROM commission_rates ORDER BY effective_at DESC, rowid DESC LIMIT ?')
    .bind(limit)
    .all<{ bps: number; effective_at: number }>();
  return results.map((r) => ({ bps: r.bps, effectiveAt: new Date(r.effective_at).toISOString() }));
}

/**
 * A new platform commission for purchases started from now on, audited with the rate it replaces. Past
 * purchases keep the rate they copied when their checkout started.
 */
export async function setCommission(
  db: D1Database,
  change: { bps: number; actorId: string; now: number },
): Promise<boolean> {
  const previous = await currentCommissionBps(db);
  // The same rate again changes nothing: no new rate row, no audit entry saying "12.5% → 12.5%".
  if (previous === change.bps) return false;
  await db.batch([
    db
      .prepare('INSERT INTO commission_rates (id, bps, effective_at, set_by) VALUES (?, ?, ?, ?)')
      .bind(newId('com'), change.bps, change.now, change.actorId),
    auditStatement(db, {
      actorId: change.actorId,
      action: 'commission.set',
      target: 'platform',
      detail: { from: previous, to: change.bps },
      now: change.now,
    }),
  ]);
  return true;
}
