import { auditStatement } from '../lib/audit.js';
import { SOLD, type PurchaseRow } from './queries.js';

/**
 * Refunds a seller makes (the creator of the sale, or an admin). The money itself moves through `recordRefund`
 * (adjustment-queries.ts), the path a provider's refund confirmation takes, keyed by the refund's id: so a refund
 * made here and confirmed again by Stripe's webhook applies once, in any order.
 */

/** A sold purchase of this creator (any creator's for an admin: `creatorId` null), for a refund. */
export function findRefundable(db: D1Database, purchaseId: string, creatorId: string | null) {
  return db
    .prepare(`SELECT * FROM purchases WHERE id = ?1 AND (?2 IS NULL OR creator_id = ?2) AND ${SOLD}`)
    .bind(purchaseId, creatorId)
    .first<PurchaseRow & { refund_keeps_access: number }>();
}

/**
 * Before a seller's refund goes to the provider: whether a refund in full keeps the buyer's access (recorded on
 * the purchase), and the audit row naming who refunded what. A test-mode sale gets the payment reference its
 * refunds are keyed by (`pi_test_<purchase>`). Returns the payment reference.
 */
export async function startSellerRefund(
  db: D1Database,
  refund: { purchaseId: string; amount: number; keepAccess: boolean; actorId: string | null; reason: string },
): Promise<string | null> {
  const [, , row] = await db.batch([
    db
      .prepare(
        `UPDATE purchases SET payment_ref = 'pi_test_' || id WHERE id = ?1 AND provider = 'test' AND payment_ref IS NULL`,
      )
      .bind(refund.purchaseId),
    db
      .prepare('UPDATE purchases SET refund_keeps_access = ?2 WHERE id = ?1 AND status = ?3')
      .bind(refund.purchaseId, refund.keepAccess ? 1 : 0, 'paid'),
    db.prepare('SELECT payment_ref FROM purchases WHERE id = ?1').bind(refund.purchaseId),
    auditStatement(db, {
      actorId: refund.actorId,
      action: 'refund.issue',
      target: refund.purchaseId,
      detail: { amount: refund.amount, keepAccess: refund.keepAccess, reason: refund.reason },
    }),
  ]);
  return (row?.results[0] as { payment_ref: string | null } | undefined)?.payment_ref ?? null;
}

/** Buyers ask within this many days of paying; a request unanswered this long is granted by the platform. */
export const REFUND_REQUEST_DAYS = 14;
export const REFUND_ANSWER_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface RefundRequestRow {
  id: string;
  purchase_id: string;
  creator_id: string;
  reason: string;
  status: 'pending' | 'granted' | 'declined';
  answered_by: 'creator' | 'admin' | 'platform' | null;
  refund_id: string | null;
  created_at: number;
  answered_at: number | null;
}

/**
 * The buyer asks for a refund of their purchase: only while it is paid, not refunded in full, and within
 * REFUND_REQUEST_DAYS of paying. 'created', 'exists' (one request per purchase, ever) or 'refused'.
 */
export async function createRefundRequest(
  db: D1Database,
  req: { id: string; purchaseId: string; buyerId: string; reason: string; now: number },
): Promise<'created' | 'exists' | 'refused'> {
  const [inserted, existing] = await db.batch([
    db
      .prepare(
        `INSERT INTO refund_requests (id, purchase_id, creator_id, reason, created_at)
         SELECT ?1, p.id, p.creator_id, ?4, ?5 FROM purchases p
         WHERE p.id = ?2 AND p.buyer_id = ?3 AND p.status = 'paid' AND p.refunded_amount < p.amount
           AND p.paid_at > ?5 - ?6
         ON CONFLICT (purchase_id) DO NOTHING`,
      )
      .bind(req.id, req.purchaseId, req.buyerId, req.reason, req.now, REFUND_REQUEST_DAYS * DAY_MS),
    db.prepare('SELECT id FROM refund_requests WHERE purchase_id = ?1 AND id != ?2').bind(req.purchaseId, req.id),
  ]);
  if (inserted?.meta.changes) return 'created';
  return existing?.results.length ? 'exists' : 'refused';
}

/** The request made for a purchase, if any (the receipt page shows it). */
export function findRefundRequestOf(db: D1Database, purchaseId: string) {
  return db.prepare('SELECT * FROM refund_requests WHERE purchase_id = ?').bind(purchaseId).first<RefundRequestRow>();
}

/** A creator's requests (every creator's for an admin: `creatorId` null), newest first, with what was bought. */
export async function listRefundRequests(db: D1Database, creatorId: string | null, limit = 200) {
  const { results } = await db
    .prepare(
      `SELECT r.*, p.amount, p.currency, p.refunded_amount, p.paid_at, s.title AS series_title, e.title AS episode_title
       FROM refund_requests r JOIN purchases p ON p.id = r.purchase_id JOIN series s ON s.id = p.series_id
       LEFT JOIN episodes e ON e.id = p.episode_id
       WHERE ?1 IS NULL OR r.creator_id = ?1
       ORDER BY r.status = 'pending' DESC, r.created_at DESC LIMIT ?2`,
    )
    .bind(creatorId, limit)
    .all<
      RefundRequestRow & {
        amount: number;
        currency: string;
        refunded_amount: number;
        paid_at: number;
        series_title: string;
        episode_title: string | null;
      }
    >();
  return results;
}

export function findRefundRequest(db: D1Database, id: string, creatorId: string | null) {
  return db
    .prepare('SELECT * FROM refund_requests WHERE id = ?1 AND (?2 IS NULL OR creator_id = ?2)')
    .bind(id, creatorId)
    .first<RefundRequestRow>();
}

/** Answers a pending request (only once: a second answer changes nothing); whether this call answered it. */
export async function answerRefundRequest(
  db: D1Database,
  answer: {
    id: string;
    status: 'granted' | 'declined';
    by: 'creator' | 'admin' | 'platform';
    refundId: string | null;
    now: number;
  },
) {
  const res = await db
    .prepare(
      `UPDATE refund_requests SET status = ?2, answered_by = ?3, refund_id = ?4, answered_at = ?5
       WHERE id = ?1 AND status = 'pending'`,
    )
    .bind(answer.id, answer.status, answer.by, answer.refundId, answer.now)
    .run();
  return res.meta.changes > 0;
}

/** Requests still pending REFUND_ANSWER_DAYS after they were made (the cron grants them). */
export async function overdueRefundRequests(db: D1Database, now: number, limit: number) {
  const { results } = await db
    .prepare(`SELECT * FROM refund_requests WHERE status = 'pending' AND created_at <= ? ORDER BY created_at LIMIT ?`)
    .bind(now - REFUND_ANSWER_DAYS * DAY_MS, limit)
    .all<RefundRequestRow>();
  return results;
}
