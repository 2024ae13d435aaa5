import { newId } from '../lib/ids.js';
import type { PurchaseRow } from '../purchases/rows.js';

/**
 * Refunds and chargebacks. Each is stored under the provider's id first, then applied to the purchase
 * and the creator's rollups only once the sale itself is completed, exactly once (a random token marks
 * the application, as in `completePurchase`). So duplicates and any delivery order end in the same state.
 *
 * Reversals split like sales: for refunds totalling R of a sale of A with commission C, the commission
 * reversed so far is floor(R·C / A), so a full refund reverses exactly C and commission + payout stay
 * equal to gross − refunded.
 */

export interface RefundFact {
  id: string;
  paymentRef: string;
  amount: number;
  createdAt: number;
}

export interface DisputeFact {
  id: string;
  paymentRef: string;
  amount: number;
  state: 'open' | 'won' | 'lost';
  createdAt: number;
}

const dayOf = (column: string) => `strftime('%Y-%m-%d', ${column} / 1000, 'unixepoch')`;

export async function recordRefund(db: D1Database, refund: RefundFact): Promise<void> {
  await db
    .prepare(
      `INSERT INTO payment_refunds (id, payment_ref, amount, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
    )
    .bind(refund.id, refund.paymentRef, refund.amount, refund.createdAt)
    .run();
  await applyAdjustments(db, refund.paymentRef);
}

export async function recordDispute(db: D1Database, dispute: DisputeFact): Promise<void> {
  // Disputes only move forward: a late "open" never reopens a dispute already won or lost.
  await db
    .prepare(
      `INSERT INTO payment_disputes (id, payment_ref, amount, state, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET state = excluded.state
       WHERE payment_disputes.state = 'open' AND excluded.state != 'open'`,
    )
    .bind(dispute.id, dispute.paymentRef, dispute.amount, dispute.state, dispute.createdAt)
    .run();
  await applyAdjustments(db, dispute.paymentRef);
}

/** Applies every refund and dispute change of a payment not yet reflected, if its sale is completed. */
export async function applyAdjustments(db: D1Database, paymentRef: string): Promise<void> {
  const purchase = await db
    .prepare('SELECT * FROM purchases WHERE payment_ref = ? AND paid_at IS NOT NULL')
    .bind(paymentRef)
    .first<PurchaseRow>();
  if (!purchase) return;
  const [refunds, disputes] = await db.batch<Record<string, unknown>>([
    db
      .prepare('SELECT id FROM payment_refunds WHERE payment_ref = ? AND applied_token IS NULL ORDER BY created_at, id')
      .bind(paymentRef),
    db.prepare('SELECT id, state, applied_state FROM payment_disputes WHERE payment_ref = ? AND state != applied_state').bind(paymentRef),
  ]);
  for (const r of refunds?.results ?? []) await applyRefund(db, purchase.id, r.id as string);
  for (const d of disputes?.results ?? []) {
    await applyDispute(db, purchase.id, d.id as string, d.applied_state as string, d.state as DisputeFact['state']);
  }
}

/**
 * A payout-relevant change for the audit log, written in the same batch and only if that batch's change
 * applied (its token is on the row).
 */
function auditOnceFor(db: D1Database) {
  return (action: string, table: string, id: string, token: string, purchaseId: string, tokenColumn = 'applied_token') =>
    db
      .prepare(
        `INSERT INTO audit_log (id, actor_id, action, target, detail, created_at)
         SELECT ?1, NULL, ?2, ?3, json_object('purchase', ?4, 'amount', amount), ?5 FROM ${table}
         WHERE id = ?3 AND ${tokenColumn} = ?6`,
      )
      .bind(newId('aud'), action, id, purchaseId, Date.now(), token);
}

async function applyRefund(db: D1Database, purchaseId: string, refundId: string) {
  const auditOnce = auditOnceFor(db);
  const token = crypto.randomUUID();
  // e: the part of this refund not yet refunded (a refund never exceeds what was paid).
  const e = `MIN(r.amount, p.amount - p.refunded_amount)`;
  const commissionReversed = `((p.refunded_amount + ${e}) * p.commission_amount) / p.amount - (p.refunded_amount * p.commission_amount) / p.amount`;
  await db.batch([
    db.prepare('UPDATE payment_refunds SET applied_token = ?2 WHERE id = ?1 AND applied_token IS NULL').bind(refundId, token),
    db
      .prepare(
        `INSERT INTO sales_daily (creator_id, currency, day, series_id, episode_id, refunded, commission, payout)
         SELECT p.creator_id, p.currency, ${dayOf('r.created_at')}, p.series_id, COALESCE(p.episode_id, ''),
                ${e}, -(${commissionReversed}), -(${e} - (${commissionReversed}))
         FROM payment_refunds r JOIN purchases p ON p.id = ?3 WHERE r.id = ?1 AND r.applied_token = ?2
         ON CONFLICT (creator_id, day, currency, series_id, episode_id) DO UPDATE SET
           refunded = refunded + excluded.refunded, commission = commission + excluded.commission,
           payout = payout + excluded.payout`,
      )
      .bind(refundId, token, purchaseId),
    db
      .prepare(
        `UPDATE purchases SET
           refunded_amount = refunded_amount + (SELECT ${e} FROM payment_refunds r JOIN purchases p ON p.id = ?3 WHERE r.id = ?1),
           updated_at = ?4
         WHERE id = ?3 AND EXISTS (SELECT 1 FROM payment_refunds WHERE id = ?1 AND applied_token = ?2)`,
      )
      .bind(refundId, token, purchaseId, Date.now()),
    // Fully refunded: access ends, and the buyer may buy it again later.
    db
      .prepare(
        `UPDATE purchases SET status = 'refunded', status_reason = 'refunded'
         WHERE id = ?1 AND status = 'paid' AND refunded_amount >= amount`,
      )
      .bind(purchaseId),
    auditOnce('payment.refund', 'payment_refunds', refundId, token, purchaseId),
  ]);
}

/** Money held back while a chargeback is open or lost; returned when it is won. */
const reverses = (state: string) => state === 'open' || state === 'lost';

async function applyDispute(db: D1Database, purchaseId: string, disputeId: string, from: string, to: DisputeFact['state']) {
  const auditOnce = auditOnceFor(db);
  const token = crypto.randomUUID();
  const sign = reverses(to) === reverses(from) ? 0 : reverses(to) ? 1 : -1;
  const x = `MIN(d.amount, p.amount)`;
  const commissionPart = `(${x} * p.commission_amount) / p.amount`;
  await db.batch([
    db
      .prepare(
        `UPDATE payment_disputes SET applied_state = state, apply_token = ?2
         WHERE id = ?1 AND applied_state = ?3 AND state = ?4`,
      )
      .bind(disputeId, token, from, to),
    db
      .prepare(
        `INSERT INTO sales_daily (creator_id, currency, day, series_id, episode_id, refunded, commission, payout)
         SELECT p.creator_id, p.currency, ${dayOf('d.created_at')}, p.series_id, COALESCE(p.episode_id, ''),
                ?4 * ${x}, -?4 * (${commissionPart}), -?4 * (${x} - ${commissionPart})
         FROM payment_disputes d JOIN purchases p ON p.id = ?3
         WHERE d.id = ?1 AND d.apply_token = ?2 AND ?4 != 0
         ON CONFLICT (creator_id, day, currency, series_id, episode_id) DO UPDATE SET
           refunded = refunded + excluded.refunded, commission = commission + excluded.commission,
           payout = payout + excluded.payout`,
      )
      .bind(disputeId, token, purchaseId, sign),
    db
      .prepare(
        `UPDATE purchases SET dispute_state = ?4,
           status = CASE WHEN ?4 = 'lost' AND status = 'paid' THEN 'refunded' ELSE status END,
           status_reason = CASE WHEN ?4 = 'lost' AND status = 'paid' THEN 'dispute_lost' ELSE status_reason END
         WHERE id = ?3 AND EXISTS (SELECT 1 FROM payment_disputes WHERE id = ?1 AND apply_token = ?2)`,
      )
      .bind(disputeId, token, purchaseId, to),
    auditOnce(`payment.dispute_${to}`, 'payment_disputes', disputeId, token, purchaseId, 'apply_token'),
  ]);
}
