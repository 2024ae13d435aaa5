import type { Locale } from '@series/core';
import type { Mail } from './compose.js';

/** Keeps a mail in the local outbox (the outbox provider's "send"). */
export async function insertOutboxMail(db: D1Database, mail: Mail, now: number): Promise<void> {
  await db
    .prepare(
      'INSERT INTO mail_outbox (id, to_address, subject, text_body, html_body, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .bind(`mail_${crypto.randomUUID()}`, mail.to, mail.subject, mail.text, mail.html, now)
    .run();
}

export interface OutboxRow {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  created_at: number;
}

/** The newest mails of the local outbox; only those to `to` when given. */
export async function listOutbox(db: D1Database, limit: number, to: string | null): Promise<OutboxRow[]> {
  const { results } = await db
    .prepare(
      'SELECT * FROM mail_outbox WHERE ?2 IS NULL OR to_address = ?2 ORDER BY created_at DESC, rowid DESC LIMIT ?1',
    )
    .bind(limit, to)
    .all<OutboxRow>();
  return results;
}

export function findOutboxMail(db: D1Database, id: string) {
  return db.prepare('SELECT * FROM mail_outbox WHERE id = ?').bind(id).first<OutboxRow>();
}

/** A dead letter: the mail's kind, recipient and subject, and why it was not sent (never its body). */
export async function insertMailFailure(db: D1Database, mail: Mail, error: string, attempts: number, now: number) {
  await db
    .prepare(
      `INSERT INTO mail_failures (id, kind, to_address, subject, error, attempts, failed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(`mlf_${crypto.randomUUID()}`, mail.kind, mail.to, mail.subject, error.slice(0, 500), attempts, now)
    .run();
}

export interface MailFailureRow {
  id: string;
  kind: string;
  to_address: string;
  subject: string;
  error: string;
  attempts: number;
  failed_at: number;
}

export async function listMailFailures(db: D1Database, limit: number): Promise<MailFailureRow[]> {
  const { results } = await db
    .prepare('SELECT * FROM mail_failures ORDER BY failed_at DESC, rowid DESC LIMIT ?')
    .bind(limit)
    .all<MailFailureRow>();
  return results;
}

export const toMailFailure = (row: MailFailureRow) => ({
  id: row.id,
  kind: row.kind,
  to: row.to_address,
  subject: row.subject,
  error: row.error,
  attempts: row.attempts,
  failedAt: new Date(row.failed_at).toISOString(),
});

/**
 * Counts one mail request against both keys (the client's address and the address asked for) if fewer than their
 * limits were counted in the hour before `now`; false, counting nothing, when either is reached. One statement
 * (SQLite computes the SELECT before inserting), so concurrent requests cannot slip under a limit together.
 */
export async function countMailRequest(
  db: D1Database,
  client: { key: string; limit: number },
  address: { key: string; limit: number },
  now: number,
) {
  const under = `(SELECT COUNT(*) FROM mail_requests WHERE key_hash = ?1 AND created_at > ?5) < ?2
    AND (SELECT COUNT(*) FROM mail_requests WHERE key_hash = ?3 AND created_at > ?5) < ?4`;
  const res = await db
    .prepare(
      `INSERT INTO mail_requests (key_hash, created_at)
       SELECT ?1, ?6 WHERE ${under} UNION ALL SELECT ?3, ?6 WHERE ${under}`,
    )
    .bind(client.key, client.limit, address.key, address.limit, now - 60 * 60 * 1000, now)
    .run();
  return res.meta.changes > 0;
}

/** Requests older than an hour count for nothing any more (the cron deletes them). */
export async function pruneMailRequests(db: D1Database, now: number) {
  await db
    .prepare('DELETE FROM mail_requests WHERE created_at <= ?')
    .bind(now - 60 * 60 * 1000)
    .run();
}

/** A paid purchase with what its receipt says, and where and in which language it goes (the buyer's account). */
export interface ReceiptMailRow {
  id: string;
  amount: number;
  /** The tax included in amount (0 where none applied). */
  tax_amount: number;
  currency: string;
  paid_at: number;
  creator_id: string;
  series_title: string;
  series_slug: string;
  handle: string;
  display_name: string;
  episode_title: string | null;
  episode_number: number | null;
  buyer_email: string | null;
  buyer_locale: Locale;
  /** The creator's account: the first-sale notice goes there. */
  creator_email: string | null;
  creator_locale: Locale;
  /** True when this purchase is the creator's first sale (it claimed `creators.first_sale_id`). */
  first_sale: number;
  /** A gift's recipient address (the buyer is its giver), null for a purchase for oneself. */
  gift_email: string | null;
}

/** Everything the receipt and the first-sale notice of a purchase need, in one read. */
export function findReceiptMail(db: D1Database, purchaseId: string) {
  return db
    .prepare(
      `SELECT p.id, p.amount, p.tax_amount, p.currency, p.paid_at, p.creator_id, s.title AS series_title, s.slug AS series_slug,
              c.handle, c.display_name, e.title AS episode_title,
              CASE WHEN e.id IS NULL THEN NULL ELSE 1 + (SELECT COUNT(*) FROM episodes o WHERE o.series_id = e.series_id
                AND (o.position, o.created_at, o.id) < (e.position, e.created_at, e.id)) END AS episode_number,
              b.email AS buyer_email, COALESCE(b.locale, 'en') AS buyer_locale,
              cu.email AS creator_email, cu.locale AS creator_locale,
              c.first_sale_id = p.id AS first_sale, g.recipient_email AS gift_email
       FROM purchases p LEFT JOIN gifts g ON g.purchase_id = p.id JOIN series s ON s.id = p.series_id JOIN creators c ON c.id = p.creator_id
       JOIN users cu ON cu.id = c.user_id LEFT JOIN users b ON b.id = p.buyer_id
       LEFT JOIN episodes e ON e.id = p.episode_id
       WHERE p.id = ? AND p.paid_at IS NOT NULL`,
    )
    .bind(purchaseId)
    .first<ReceiptMailRow>();
}

/**
 * Marks the purchase as its creator's first sale if none was marked before: one statement, so exactly one
 * purchase ever is (migration 0023 marks the first of the sales made before it).
 */
export async function claimFirstSale(db: D1Database, purchaseId: string) {
  await db
    .prepare(
      `UPDATE creators SET first_sale_id = ?1
       WHERE id = (SELECT creator_id FROM purchases WHERE id = ?1 AND paid_at IS NOT NULL) AND first_sale_id IS NULL`,
    )
    .bind(purchaseId)
    .run();
}

/** A creator's account, for the notices it gets. */
export function findCreatorMail(db: D1Database, creatorId: string) {
  return db
    .prepare(
      `SELECT c.id, c.handle, c.released_handle, u.email, u.locale FROM creators c JOIN users u ON u.id = c.user_id
       WHERE c.id = ?`,
    )
    .bind(creatorId)
    .first<{
      id: string;
      handle: string | null;
      released_handle: string | null;
      email: string | null;
      locale: Locale;
    }>();
}

export async function findDailySummary(db: D1Database, creatorId: string) {
  const row = await db
    .prepare('SELECT daily_summary FROM creators WHERE id = ?')
    .bind(creatorId)
    .first<{ daily_summary: number }>();
  return row?.daily_summary === 1;
}

/** The creator's daily summary: opted in, or not (migration 0023). */
export async function setDailySummary(db: D1Database, creatorId: string, on: boolean) {
  await db
    .prepare('UPDATE creators SET daily_summary = ? WHERE id = ?')
    .bind(on ? 1 : 0, creatorId)
    .run();
}

/**
 * Claims the daily summaries of `day` (a UTC day, YYYY-MM-DD) for up to `limit` opted-in creators not sent it
 * yet: marked sent in the same statement, so a summary goes at most once whatever runs overlap. Each with the
 * day's sales per currency from the rollups (only creators who sold something that day).
 */
export async function claimDailySummaries(db: D1Database, day: string, limit: number) {
  const { results } = await db
    .prepare(
      `UPDATE creators SET summary_sent_day = ?1
       WHERE id IN (SELECT c.id FROM creators c WHERE c.daily_summary = 1 AND c.handle IS NOT NULL
                      AND (c.summary_sent_day IS NULL OR c.summary_sent_day < ?1)
                      AND EXISTS (SELECT 1 FROM sales_daily d WHERE d.creator_id = c.id AND d.day = ?1)
                    LIMIT ?2)
       RETURNING id`,
    )
    .bind(day, limit)
    .all<{ id: string }>();
  if (!results.length) return [];
  const ids = results.map((r) => r.id);
  const { results: rows } = await db
    .prepare(
      `SELECT d.creator_id, d.currency, SUM(d.sales) AS sales, SUM(d.gross) AS gross,
              SUM(d.payout) AS payout, u.email, u.locale, c.handle
       FROM sales_daily d JOIN creators c ON c.id = d.creator_id JOIN users u ON u.id = c.user_id
       WHERE d.day = ?1 AND d.creator_id IN (SELECT value FROM json_each(?2))
       GROUP BY d.creator_id, d.currency ORDER BY d.creator_id, d.currency`,
    )
    .bind(day, JSON.stringify(ids))
    .all<{
      creator_id: string;
      currency: string;
      sales: number;
      gross: number;
      payout: number;
      email: string | null;
      locale: Locale;
      handle: string;
    }>();
  return rows;
}

/** A refund request with what it is about and its creator's address, for the creator's notice. */
export function findRefundRequestMail(db: D1Database, requestId: string) {
  return db
    .prepare(
      `SELECT r.reason, r.created_at, p.amount, p.currency, s.title AS series_title, e.title AS episode_title,
              u.email, u.locale
       FROM refund_requests r JOIN purchases p ON p.id = r.purchase_id JOIN series s ON s.id = p.series_id
       LEFT JOIN episodes e ON e.id = p.episode_id JOIN creators c ON c.id = r.creator_id
       JOIN users u ON u.id = c.user_id WHERE r.id = ?`,
    )
    .bind(requestId)
    .first<{
      reason: string;
      created_at: number;
      amount: number;
      currency: string;
      series_title: string;
      episode_title: string | null;
      email: string | null;
      locale: Locale;
    }>();
}
