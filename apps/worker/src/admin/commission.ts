import { DEFAULT_COMMISSION_BPS } from '@series/core';

/** The commission in force now; purchases copy it so later changes never rewrite history. */
export async function currentCommissionBps(db: D1Database): Promise<number> {
  const row = await db
    .prepare('SELECT bps FROM commission_rates ORDER BY effective_at DESC, rowid DESC LIMIT 1')
    .first<{ bps: number }>();
  return row?.bps ?? DEFAULT_COMMISSION_BPS;
}
