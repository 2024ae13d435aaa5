import { commissionReversedSql, taxReversedSql } from '@series/core';
import { auditStatement, sql } from '../lib/audit.js';
import { SOLD, type PurchaseRow } from './queries.js';
import { addToDay, dayOf } from './rollup-queries.js';

/**
 * Refunds and chargebacks. Each is stored under the provider's id first, then applied to the purchase
 * and the creator's rollups only once the sale itself is completed, exactly once (a random token marks
 * the application, as in `completePurchase`). So duplicates and any delivery order end in the same state.
 *
 * Reversals split like sales: for refunds totalling R of a sale of A with commission C and tax T, the
 * commission reversed so far is floor(R·C / A) and the tax ceil(R·T / A) (core's `taxReversed`), so a full
 * refund reverses exactly C and T, no refund takes back more payout than the sale paid, and
 * commission + payout + tax stay equal to gross − refunded.
 *
 * A refund that fails after it was applied is reversed in turn (the money stayed with the seller); one
 * reported failed before it was applied is never applied. Either way it ends as if it never happened: the
 * commission reversed always stands at floor(R·C / A) for the refunds R in force, whatever the order.
 */

export interface RefundFact {
  id: string;
  paymentRef: string;
  /**
   * The creator whose sale it is, as the provider's event says (the creator id we put in Stripe's metadata); null
   * for a payment made before it travelled there: the refund is then matched by its payment alone.
   */
  creatorId?: string | null;
  amount: number;
  createdAt: number;
  /** Stripe reported it failed or cancelled: no money went back. Final, whatever arrives later. */
  failed: boolean;
}

export interface DisputeFact {
  id: string;
  paymentRef: string;
  /** As `RefundFact.creatorId`. */
  creatorId?: string | null;
  amount: number;
  state: 'open' | 'won' | 'lost';
  createdAt: number;
}

/**
 * The creator an adjustment is recorded under (SQL; ?1 the payment, ?2 the creator the event named): the one named,
 * else the creator of the sale paid by that payment, if it is known yet.
 */
const CREATOR_OF = `COALESCE(?2, (SELECT creator_id FROM purchases WHERE payment_ref = ?1 LIMIT 1))`;

/** Records a refund and applies it to its sale if that is completed; the sale as it stands after (null: none yet). */
export async function recordRefund(db: D1Database, refund: RefundFact): Promise<PurchaseRow | null> {
  const record = db
    .prepare(
      `INSERT INTO payment_refunds (id, payment_ref, creator_id, amount, created_at, failed)
       VALUES (?3, ?1, ${CREATOR_OF}, ?4, ?5, ?6)
       ON CONFLICT (id) DO UPDATE SET failed = MAX(failed, excluded.failed),
         creator_id = COALESCE(payment_refunds.creator_id, excluded.creator_id)`,
    )
    .bind(
      refund.paymentRef,
      refund.creatorId ?? null,
      refund.id,
      refund.amount,
      refund.createdAt,
      refund.failed ? 1 : 0,
    );
  return applyAdjustments(db, refund.paymentRef, refund.creatorId ?? null, record);
}

export async function recordDispute(db: D1Database, dispute: DisputeFact): Promise<PurchaseRow | null> {
  // Disputes only move forward: a late "open" never reopens a dispute already won or lost.
  const record = db
    .prepare(
      `INSERT INTO payment_disputes (id, payment_ref, creator_id, amount, state, created_at)
       VALUES (?3, ?1, ${CREATOR_OF}, ?4, ?5, ?6)
       ON CONFLICT (id) DO UPDATE SET state = excluded.state,
         creator_id = COALESCE(payment_disputes.creator_id, excluded.creator_id)
       WHERE payment_disputes.state = 'open' AND excluded.state != 'open'`,
    )
    .bind(dispute.paymentRef, dispute.creatorId ?? null, dispute.id, dispute.amount, dispute.state, dispute.createdAt);
  return applyAdjustments(db, dispute.paymentRef, dispute.creatorId ?? null, record);
}

/**
 * A payment's refunds and dispute changes not reflected yet on its purchase (`ref`, `creator`: SQL values; a row
 * whose creator was not known when it arrived is matched by its payment alone).
 */
const pendingRefundsSql = (ref: string, creator: string) =>
  `SELECT id, failed FROM payment_refunds WHERE payment_ref = ${ref} AND (creator_id = ${creator} OR creator_id IS NULL)
     AND ((failed = 0 AND applied_token IS NULL) OR (failed = 1 AND applied_token IS NOT NULL AND reversed_token IS NULL))
   ORDER BY created_at, id`;
const pendingDisputesSql = (ref: string, creator: string) =>
  `SELECT id, state, applied_state FROM payment_disputes WHERE payment_ref = ${ref}
     AND (creator_id = ${creator} OR creator_id IS NULL) AND state != applied_state`;

/**
 * What is left to apply to a purchase, as statements to batch with its completion (read by `applyPending`): a
 * refund or dispute that arrived before the sale waits for it, so a completion reads them in its own round trip.
 */
export function pendingAdjustments(db: D1Database, purchaseId: string): [D1PreparedStatement, D1PreparedStatement] {
  const ref = '(SELECT payment_ref FROM purchases WHERE id = ?1)';
  const creator = '(SELECT creator_id FROM purchases WHERE id = ?1)';
  return [
    db.prepare(pendingRefundsSql(ref, creator)).bind(purchaseId),
    db.prepare(pendingDisputesSql(ref, creator)).bind(purchaseId),
  ];
}

/**
 * Applies what `pendingAdjustments` found to a completed sale, in order; the purchase as the last one left it
 * (read in that one's batch), or null when there was nothing to apply.
 */
export async function applyPending(
  db: D1Database,
  purchaseId: string,
  [refunds, disputes]: D1Result<Record<string, unknown>>[],
): Promise<PurchaseRow | null> {
  let after: PurchaseRow | null = null;
  for (const r of refunds?.results ?? []) {
    if (r.failed) after = await reverseRefund(db, purchaseId, r.id as string);
    else after = await applyRefund(db, purchaseId, r.id as string);
  }
  for (const d of disputes?.results ?? []) {
    after = await applyDispute(
      db,
      purchaseId,
      d.id as string,
      d.applied_state as string,
      d.state as DisputeFact['state'],
    );
  }
  return after;
}

/** The purchase as a batch left it, read as its last statement, with its creator's Stripe account. */
const purchaseAfter = (db: D1Database, purchaseId: string) =>
  db
    .prepare(
      `SELECT p.*, c.stripe_account_id AS creator_stripe_account
       FROM purchases p LEFT JOIN creators c ON c.id = p.creator_id WHERE p.id = ?`,
    )
    .bind(purchaseId);
const rowOf = (results: D1Result<Record<string, unknown>>[]) =>
  (results.at(-1)?.results[0] as (PurchaseRow & { creator_stripe_account: string | null }) | undefined) ?? null;

/**
 * Applies every refund and dispute change of a payment not yet reflected, if its sale is completed; `record`
 * (storing the fact that caused it) runs first in the same round trip as the reads.
 */
async function applyAdjustments(
  db: D1Database,
  paymentRef: string,
  creatorId: string | null,
  record: D1PreparedStatement,
): Promise<PurchaseRow | null> {
  // Confined to the creator the event named; an event that names none (a payment made before the creator id
  // travelled in the provider's metadata) finds its sale by the payment alone, as it always did.
  const [, sold, ...pending] = await db.batch<Record<string, unknown>>([
    record,
    db
      .prepare(
        `SELECT p.*, c.stripe_account_id AS creator_stripe_account
         FROM purchases p LEFT JOIN creators c ON c.id = p.creator_id
         WHERE p.payment_ref = ?1 AND (?2 IS NULL OR p.creator_id = ?2) AND p.${SOLD}`,
      )
      .bind(paymentRef, creatorId),
    db.prepare(pendingRefundsSql('?1', CREATOR_OF)).bind(paymentRef, creatorId),
    db.prepare(pendingDisputesSql('?1', CREATOR_OF)).bind(paymentRef, creatorId),
  ]);
  // The sale as the adjustments left it, or as it stood when there was nothing new to apply (a redelivery: its
  // caller may have something left to bring in line with it, such as a separate charge's transfer).
  const purchase = (sold?.results[0] as (PurchaseRow & { creator_stripe_account: string | null }) | undefined) ?? null;
  return purchase ? ((await applyPending(db, purchase.id, pending)) ?? purchase) : null;
}

/**
 * A payout-relevant change for the audit log, written in the same batch and only if that batch's change
 * applied (its token is on the row).
 */
function auditOnceFor(db: D1Database) {
  return (
    action: string,
    table: string,
    id: string,
    token: string,
    purchaseId: string,
    tokenColumn = 'applied_token',
  ) =>
    auditStatement(
      db,
      { actorId: null, action, target: id, detail: sql(`json_object('purchase', ?7, 'amount', amount)`) },
      { from: table, where: `id = ?8 AND ${tokenColumn} = ?9`, binds: [purchaseId, id, token] },
    );
}

/**
 * The commission a change of refunds in force from `before` to `after` takes back (SQL over purchase `p`):
 * core's `commissionReversed` rule at the new total less at the old one.
 */
const commissionBetween = (before: string, after: string) =>
  `${commissionReversedSql(after, 'p.amount', 'p.commission_amount')} - ${commissionReversedSql(before, 'p.amount', 'p.commission_amount')}`;

/** The tax the same change gives back (core's `taxReversed` at the new total less at the old one). */
const taxBetween = (before: string, after: string) =>
  `${taxReversedSql(after, 'p.amount', 'p.tax_amount')} - ${taxReversedSql(before, 'p.amount', 'p.tax_amount')}`;

async function applyRefund(db: D1Database, purchaseId: string, refundId: string): Promise<PurchaseRow | null> {
  const auditOnce = auditOnceFor(db);
  const token = crypto.randomUUID();
  const applied = `SELECT r.applied_amount FROM payment_refunds r WHERE r.id = ?1 AND r.applied_token = ?2`;
  const commission = commissionBetween('p.refunded_amount', 'p.refunded_amount + r.applied_amount');
  const tax = taxBetween('p.refunded_amount', 'p.refunded_amount + r.applied_amount');
  return db
    .batch<Record<string, unknown>>([
      // What this refund takes is fixed here, kept for a reversal: never more than is left of the sale.
      db
        .prepare(
          `UPDATE payment_refunds AS r SET applied_token = ?2, applied_amount = MIN(r.amount, p.amount - p.refunded_amount)
         FROM purchases p WHERE r.id = ?1 AND r.applied_token IS NULL AND r.failed = 0 AND p.id = ?3`,
        )
        .bind(refundId, token, purchaseId),
      db
        .prepare(
          addToDay(`
         SELECT p.creator_id, p.currency, ${dayOf('r.created_at')}, p.series_id, COALESCE(p.episode_id, ''),
                r.applied_amount, -(${commission}), -(r.applied_amount - (${commission}) - (${tax})), -(${tax})
         FROM payment_refunds r JOIN purchases p ON p.id = ?3 WHERE r.id = ?1 AND r.applied_token = ?2`),
        )
        .bind(refundId, token, purchaseId),
      db
        .prepare(
          `UPDATE purchases SET refunded_amount = refunded_amount + (${applied}), updated_at = ?4
         WHERE id = ?3 AND EXISTS (${applied})`,
        )
        .bind(refundId, token, purchaseId, Date.now()),
      // Fully refunded: access ends, and the buyer may buy it again later; unless the creator refunded it as a
      // goodwill gesture that keeps access ("refund, keep access": the purchase stays paid, its money returned).
      db
        .prepare(
          `UPDATE purchases SET status = 'refunded', status_reason = 'refunded'
         WHERE id = ?1 AND status = 'paid' AND refunded_amount >= amount AND refund_keeps_access = 0`,
        )
        .bind(purchaseId),
      auditOnce('payment.refund', 'payment_refunds', refundId, token, purchaseId),
      purchaseAfter(db, purchaseId),
    ])
    .then(rowOf);
}

/**
 * Puts back what a failed refund took. If the refund had ended access, the purchase is paid again, unless
 * the buyer has bought the item again since (they keep that purchase; this one stays closed).
 */
async function reverseRefund(db: D1Database, purchaseId: string, refundId: string): Promise<PurchaseRow | null> {
  const auditOnce = auditOnceFor(db);
  const token = crypto.randomUUID();
  const reversed = `SELECT r.applied_amount FROM payment_refunds r WHERE r.id = ?1 AND r.reversed_token = ?2`;
  const commission = commissionBetween('p.refunded_amount - r.applied_amount', 'p.refunded_amount');
  const tax = taxBetween('p.refunded_amount - r.applied_amount', 'p.refunded_amount');
  return db
    .batch<Record<string, unknown>>([
      db
        .prepare(
          `UPDATE payment_refunds SET reversed_token = ?2
         WHERE id = ?1 AND failed = 1 AND applied_token IS NOT NULL AND reversed_token IS NULL`,
        )
        .bind(refundId, token),
      // On the refund's own day, so that day nets to what it would have been without the refund.
      db
        .prepare(
          addToDay(`
         SELECT p.creator_id, p.currency, ${dayOf('r.created_at')}, p.series_id, COALESCE(p.episode_id, ''),
                -r.applied_amount, ${commission}, r.applied_amount - (${commission}) - (${tax}), ${tax}
         FROM payment_refunds r JOIN purchases p ON p.id = ?3 WHERE r.id = ?1 AND r.reversed_token = ?2`),
        )
        .bind(refundId, token, purchaseId),
      db
        .prepare(
          `UPDATE purchases SET refunded_amount = refunded_amount - (${reversed}), updated_at = ?4
         WHERE id = ?3 AND EXISTS (${reversed})`,
        )
        .bind(refundId, token, purchaseId, Date.now()),
      db
        .prepare(
          `UPDATE purchases SET status = 'paid', status_reason = NULL
         WHERE id = ?3 AND status = 'refunded' AND status_reason = 'refunded' AND refunded_amount < amount
           AND EXISTS (SELECT 1 FROM payment_refunds WHERE id = ?1 AND reversed_token = ?2)
           AND NOT EXISTS (SELECT 1 FROM purchases o WHERE o.owner_id = purchases.owner_id
                             AND o.item_key = purchases.item_key AND o.status = 'paid')`,
        )
        .bind(refundId, token, purchaseId),
      auditOnce('payment.refund_failed', 'payment_refunds', refundId, token, purchaseId, 'reversed_token'),
      purchaseAfter(db, purchaseId),
    ])
    .then(rowOf);
}

/** Money held back while a chargeback is open or lost; returned when it is won. */
const reverses = (state: string) => state === 'open' || state === 'lost';

async function applyDispute(
  db: D1Database,
  purchaseId: string,
  disputeId: string,
  from: string,
  to: DisputeFact['state'],
): Promise<PurchaseRow | null> {
  const auditOnce = auditOnceFor(db);
  const token = crypto.randomUUID();
  const sign = reverses(to) === reverses(from) ? 0 : reverses(to) ? 1 : -1;
  const x = `MIN(d.amount, p.amount)`;
  const commissionPart = commissionReversedSql(x, 'p.amount', 'p.commission_amount');
  const taxPart = taxReversedSql(x, 'p.amount', 'p.tax_amount');
  return db
    .batch<Record<string, unknown>>([
      db
        .prepare(
          `UPDATE payment_disputes SET applied_state = state, apply_token = ?2
         WHERE id = ?1 AND applied_state = ?3 AND state = ?4`,
        )
        .bind(disputeId, token, from, to),
      db
        .prepare(
          addToDay(`
         SELECT p.creator_id, p.currency, ${dayOf('d.created_at')}, p.series_id, COALESCE(p.episode_id, ''),
                ?4 * ${x}, -?4 * (${commissionPart}), -?4 * (${x} - ${commissionPart} - ${taxPart}), -?4 * ${taxPart}
         FROM payment_disputes d JOIN purchases p ON p.id = ?3
         WHERE d.id = ?1 AND d.apply_token = ?2 AND ?4 != 0`),
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
      purchaseAfter(db, purchaseId),
    ])
    .then(rowOf);
}
