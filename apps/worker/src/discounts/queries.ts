import { MAX_LIVE_DISCOUNTS, type DiscountKind, type DiscountScope } from '@series/core';
/** A temporary discount of a series (migration 0027). */
export interface DiscountRow {
  id: string;
  creator_id: string;
  series_id: string;
  scope: DiscountScope;
  episode_id: string | null;
  kind: DiscountKind;
  value: number;
  starts_at: number;
  ends_at: number;
  created_at: number;
}

/** A discount as its creator sees it. */
export function toDiscount(row: DiscountRow, now = Date.now()) {
  return {
    id: row.id,
    seriesId: row.series_id,
    scope: row.scope,
    episodeId: row.episode_id,
    kind: row.kind,
    value: row.value,
    startsAt: new Date(row.starts_at).toISOString(),
    endsAt: new Date(row.ends_at).toISOString(),
    status: now < row.starts_at ? ('scheduled' as const) : now < row.ends_at ? ('live' as const) : ('ended' as const),
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/**
 * Records a discount unless the series already has MAX_LIVE_DISCOUNTS that have not ended (held in the statement,
 * so concurrent requests cannot pass the limit). Null when the limit refused it.
 */
export async function insertDiscount(db: D1Database, row: DiscountRow): Promise<DiscountRow | null> {
  const inserted = await db
    .prepare(
      `INSERT INTO discounts (id, creator_id, series_id, scope, episode_id, kind, value, starts_at, ends_at, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10
       WHERE (SELECT COUNT(*) FROM discounts WHERE series_id = ?3 AND ends_at > ?10) < ?11
       RETURNING *`,
    )
    .bind(
      row.id,
      row.creator_id,
      row.series_id,
      row.scope,
      row.episode_id,
      row.kind,
      row.value,
      row.starts_at,
      row.ends_at,
      row.created_at,
      MAX_LIVE_DISCOUNTS,
    )
    .first<DiscountRow>();
  return inserted;
}

/** A series' discounts, the ones still to come or running first, then the last ended ones. */
export async function listDiscounts(db: D1Database, seriesId: string, limit = 100) {
  const { results } = await db
    .prepare('SELECT * FROM discounts WHERE series_id = ? ORDER BY ends_at DESC, id LIMIT ?')
    .bind(seriesId, limit)
    .all<DiscountRow>();
  return results;
}

export function findOwnedDiscount(db: D1Database, creatorId: string, discountId: string) {
  return db
    .prepare('SELECT * FROM discounts WHERE id = ? AND creator_id = ?')
    .bind(discountId, creatorId)
    .first<DiscountRow>();
}

/**
 * Ends a discount now: one that has not started is deleted (nothing was sold with it); a running one is cut short
 * and kept, so the purchases that name it keep their record. An ended one is left as it was.
 */
export async function endDiscount(db: D1Database, discountId: string, now: number): Promise<DiscountRow | null> {
  await db.batch([
    db.prepare('DELETE FROM discounts WHERE id = ?1 AND starts_at >= ?2').bind(discountId, now),
    db
      .prepare('UPDATE discounts SET ends_at = ?2 WHERE id = ?1 AND starts_at < ?2 AND ends_at > ?2')
      .bind(discountId, now),
  ]);
  return findDiscount(db, discountId);
}

const findDiscount = (db: D1Database, discountId: string) =>
  db.prepare('SELECT * FROM discounts WHERE id = ?').bind(discountId).first<DiscountRow>();
