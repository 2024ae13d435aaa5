import {
  buildStatements,
  monthBounds,
  monthOf,
  type Currency,
  type MonthEarnings,
  type PayoutRecord,
  type Statement,
} from '@series/core';
import { auditStatement } from '../lib/audit.js';

/** Monthly sums of the daily rollups; commission, payout and tax are already net of refunds and chargebacks. */
const MONTH_SUMS = `substr(day, 1, 7) AS month, currency, SUM(sales) AS sales, SUM(gross) AS gross,
  SUM(refunded) AS refunded, SUM(commission) AS commission, SUM(payout) AS payout, SUM(tax) AS tax`;

interface EarningsRow extends MonthEarnings {
  creator_id: string;
}

interface PayoutRow {
  creator_id: string;
  month: string;
  currency: Currency;
  amount: number;
  paid_at: number;
}

const toEarnings = (r: EarningsRow): MonthEarnings => ({
  month: r.month,
  currency: r.currency,
  sales: r.sales,
  gross: r.gross,
  refunded: r.refunded,
  commission: r.commission,
  payout: r.payout,
  tax: r.tax,
});

const toRecord = (r: PayoutRow): PayoutRecord => ({
  month: r.month,
  currency: r.currency,
  amount: r.amount,
  paidAt: new Date(r.paid_at).toISOString(),
});

/** One creator's monthly statements per currency (oldest first), from the rollups and recorded payouts. */
export async function creatorStatements(db: D1Database, creatorId: string, now = Date.now()): Promise<Statement[]> {
  const [earnings, paid] = await db.batch<Record<string, unknown>>([
    db.prepare(`SELECT ${MONTH_SUMS} FROM sales_daily WHERE creator_id = ? GROUP BY month, currency`).bind(creatorId),
    db.prepare('SELECT month, currency, amount, paid_at FROM payouts WHERE creator_id = ?').bind(creatorId),
  ]);
  return buildStatements(
    ((earnings?.results ?? []) as unknown as EarningsRow[]).map(toEarnings),
    ((paid?.results ?? []) as unknown as PayoutRow[]).map(toRecord),
    monthOf(now),
  );
}

/** Every creator's statements, for the admin's payout run. */
export async function allStatements(db: D1Database, now = Date.now()) {
  const [earnings, paid, creators] = await db.batch<Record<string, unknown>>([
    db.prepare(`SELECT creator_id, ${MONTH_SUMS} FROM sales_daily GROUP BY creator_id, month, currency`),
    db.prepare('SELECT creator_id, month, currency, amount, paid_at FROM payouts'),
    db.prepare(
      `SELECT id, handle, display_name, status FROM creators
       WHERE id IN (SELECT creator_id FROM sales_daily) OR id IN (SELECT creator_id FROM payouts)
       ORDER BY handle`,
    ),
  ]);
  const earningsBy = groupBy((earnings?.results ?? []) as unknown as EarningsRow[]);
  const paidBy = groupBy((paid?.results ?? []) as unknown as PayoutRow[]);
  const current = monthOf(now);
  return ((creators?.results ?? []) as { id: string; handle: string; display_name: string; status: string }[]).flatMap(
    (c) =>
      buildStatements(
        (earningsBy.get(c.id) ?? []).map(toEarnings),
        (paidBy.get(c.id) ?? []).map(toRecord),
        current,
      ).map((s) => ({ handle: c.handle, displayName: c.display_name, creatorStatus: c.status, ...s })),
  );
}

function groupBy<T extends { creator_id: string }>(rows: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const r of rows) map.set(r.creator_id, [...(map.get(r.creator_id) ?? []), r]);
  return map;
}

/**
 * Writes a payout of `amount` for a statement, once: the primary key refuses a second record of the same
 * month and currency, and the audit row is written only if this call's INSERT happened.
 * @returns whether this call recorded it (false: it had been recorded already).
 */
export async function recordPayout(
  db: D1Database,
  p: {
    creatorId: string;
    handle: string;
    month: string;
    currency: Currency;
    amount: number;
    actorId: string;
    now: number;
  },
): Promise<boolean> {
  const recordId = crypto.randomUUID();
  const [insert] = await db.batch([
    db
      .prepare(
        `INSERT INTO payouts (creator_id, month, currency, amount, record_id, recorded_by, paid_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (creator_id, month, currency) DO NOTHING`,
      )
      .bind(p.creatorId, p.month, p.currency, p.amount, recordId, p.actorId, p.now),
    auditStatement(
      db,
      {
        actorId: p.actorId,
        action: 'payout.record',
        target: p.handle,
        detail: { month: p.month, currency: p.currency, amount: p.amount },
        now: p.now,
      },
      { where: 'EXISTS (SELECT 1 FROM payouts WHERE record_id = ?7)', binds: [recordId] },
    ),
  ]);
  return (insert?.meta.changes ?? 0) > 0;
}

/**
 * The creator's sales of one month (by the instant they were paid), newest first, with the commission rate
 * each was sold at. Buyers are never named: a creator sees what sold, not who bought it.
 */
export async function monthPurchases(
  db: D1Database,
  creatorId: string,
  month: string,
  currency: Currency | null,
  limit: number,
) {
  const { start, end } = monthBounds(month);
  const { results } = await db
    .prepare(
      `SELECT p.id, p.paid_at, p.series_id, s.title AS series_title, p.episode_id, e.title AS episode_title,
              p.currency, p.amount, p.commission_bps, p.commission_amount, p.payout_amount, p.refunded_amount,
              p.status, p.dispute_state, p.tax_amount
       FROM purchases p JOIN series s ON s.id = p.series_id LEFT JOIN episodes e ON e.id = p.episode_id
       WHERE p.creator_id = ?1 AND p.paid_at >= ?2 AND p.paid_at < ?3 AND (?4 IS NULL OR p.currency = ?4)
       ORDER BY p.paid_at DESC, p.id LIMIT ?5`,
    )
    .bind(creatorId, start, end, currency, limit + 1)
    .all<{
      id: string;
      paid_at: number;
      series_id: string;
      series_title: string;
      episode_id: string | null;
      episode_title: string | null;
      currency: Currency;
      amount: number;
      commission_bps: number;
      commission_amount: number;
      payout_amount: number;
      refunded_amount: number;
      tax_amount: number;
      status: 'paid' | 'refunded';
      dispute_state: 'open' | 'won' | 'lost' | null;
    }>();
  const rows = results.slice(0, limit).map((r) => ({
    id: r.id,
    paidAt: new Date(r.paid_at).toISOString(),
    seriesId: r.series_id,
    seriesTitle: r.series_title,
    episodeId: r.episode_id,
    /** null for a whole-series ("buy all") purchase. */
    episodeTitle: r.episode_title,
    currency: r.currency,
    amount: r.amount,
    commissionBps: r.commission_bps,
    commission: r.commission_amount,
    payout: r.payout_amount,
    /** The tax the price included, set apart before the commission: the creator is never paid it. */
    tax: r.tax_amount,
    refunded: r.refunded_amount,
    status: r.status,
    disputeState: r.dispute_state,
  }));
  return { purchases: rows, truncated: results.length > limit };
}
