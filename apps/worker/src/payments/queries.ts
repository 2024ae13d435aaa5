import { stripeConfigured, usesTestPayments } from './stripe-client.js';
import { auditStatement, sql } from '../lib/audit.js';
import type { CreatorRow } from '../lib/context.js';
import type { PurchaseRow } from '../ledger/queries.js';

/** A creator with their Stripe Connect columns (migration 0006). */
export type StripeCreator = CreatorRow & { stripe_account_id: string | null; stripe_charges_enabled: number };

export interface CheckoutPageRow extends PurchaseRow {
  series_title: string;
  episode_title: string | null;
  display_name: string;
}

/** A purchase with what its checkout page shows: the series (and episode) title and the creator's name. */
export function findCheckoutPage(db: D1Database, purchaseId: string) {
  return db
    .prepare(
      `SELECT p.*, s.title AS series_title, e.title AS episode_title, c.display_name
       FROM purchases p JOIN series s ON s.id = p.series_id JOIN creators c ON c.id = p.creator_id
       LEFT JOIN episodes e ON e.id = p.episode_id WHERE p.id = ?`,
    )
    .bind(purchaseId)
    .first<CheckoutPageRow>();
}

/** Audited only when the value really changes (payout-relevant: whether the creator can be paid). */
function auditAccountChange(db: D1Database, creatorId: string, action: string, detail: unknown, enabled: number) {
  return auditStatement(
    db,
    { actorId: null, action, target: sql('handle'), detail },
    { from: 'creators', where: 'id = ?7 AND stripe_charges_enabled != ?8', binds: [creatorId, enabled] },
  );
}

/** Stores whether the creator's connected account can take charges, as Stripe says now; the updated row. */
export async function refreshChargesEnabled(db: D1Database, creatorId: string, enabled: number) {
  const [, updated] = await db.batch([
    auditAccountChange(db, creatorId, 'stripe.account_updated', { chargesEnabled: enabled === 1 }, enabled),
    db.prepare('UPDATE creators SET stripe_charges_enabled = ? WHERE id = ? RETURNING *').bind(enabled, creatorId),
  ]);
  return (updated?.results[0] as StripeCreator | undefined) ?? null;
}

/**
 * Links a connected account to the creator, audited, unless one is linked already (a concurrent onboarding
 * keeps the first); the updated row.
 */
export async function linkStripeAccount(db: D1Database, creatorId: string, accountId: string) {
  const [, linked] = await db.batch([
    auditStatement(
      db,
      {
        actorId: sql('user_id'),
        action: 'stripe.account_linked',
        target: sql('handle'),
        detail: { account: accountId },
      },
      { from: 'creators', where: 'id = ?7 AND stripe_account_id IS NULL', binds: [creatorId] },
    ),
    db
      .prepare('UPDATE creators SET stripe_account_id = COALESCE(stripe_account_id, ?) WHERE id = ? RETURNING *')
      .bind(accountId, creatorId),
  ]);
  return (linked?.results[0] as StripeCreator | undefined) ?? null;
}

/** Stores whether a connected account (by Stripe's id) can take charges, from a provider event. */
export async function setChargesEnabledOfAccount(db: D1Database, accountId: string, enabled: number) {
  // Whether a creator can be paid is payout-relevant: changes are audited with the update.
  await db.batch([
    auditStatement(
      db,
      {
        actorId: null,
        action: 'stripe.account_updated',
        target: sql('handle'),
        detail: sql(`json_object('chargesEnabled', ?7)`),
      },
      {
        from: 'creators',
        where: 'stripe_account_id = ?8 AND stripe_charges_enabled != ?7',
        binds: [enabled, accountId],
      },
    ),
    db.prepare('UPDATE creators SET stripe_charges_enabled = ? WHERE stripe_account_id = ?').bind(enabled, accountId),
  ]);
}

/** What the platform gave back on its own: a captured payment that completed no purchase. */
export interface UnfulfilledRefund {
  purchaseId: string;
  paymentRef: string;
  refundId: string;
  amount: number | null;
  currency: string | null;
  /** Why nothing was sold: the purchase's status reason (`not_on_sale`, `already_owned`, …) or `purchase_not_found`. */
  reason: string;
  now: number;
}

/**
 * Audits an automatic refund once per purchase (webhooks are redelivered; the refund itself is idempotent at the
 * provider): the platform's own action, with no actor. Money never moved in the ledger (no purchase was paid), so
 * this trace is what says where it went.
 */
export async function auditUnfulfilledRefund(db: D1Database, refund: UnfulfilledRefund) {
  const action = 'payment.refunded_unfulfilled';
  await auditStatement(
    db,
    {
      actorId: null,
      action,
      target: refund.purchaseId,
      detail: {
        reason: refund.reason,
        paymentIntent: refund.paymentRef,
        refund: refund.refundId,
        amount: refund.amount,
        currency: refund.currency,
      },
      now: refund.now,
    },
    {
      where: 'NOT EXISTS (SELECT 1 FROM audit_log WHERE action = ?7 AND target = ?8)',
      binds: [action, refund.purchaseId],
    },
  ).run();
}

/** Records a provider event as received; whether it is the first delivery of it. */
export async function recordPaymentEvent(
  db: D1Database,
  eventId: string,
  type: string,
  now: number,
  /** The ledger's records of what handling the event did at Stripe, written in the same round trip. */
  followUps: D1PreparedStatement[] = [],
) {
  const results = await db.batch([
    ...followUps,
    db
      .prepare('INSERT INTO payment_events (id, type, received_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING')
      .bind(eventId, type, now),
  ]);
  return results.at(-1)!.meta.changes > 0;
}

/** A creator's payment account as they see it (`GET /v1/me/stripe`). */
export function stripeView(env: Env, creator: StripeCreator) {
  return {
    mode: usesTestPayments(env) ? ('test' as const) : ('stripe' as const),
    /** Stripe mode without its secrets: nothing can be sold until they are set. */
    configured: usesTestPayments(env) || stripeConfigured(env),
    accountId: creator.stripe_account_id,
    chargesEnabled: creator.stripe_charges_enabled === 1,
    /** In Stripe mode premium content needs a connected account that can take charges. */
    canSell: usesTestPayments(env) || (stripeConfigured(env) && creator.stripe_charges_enabled === 1),
  };
}
