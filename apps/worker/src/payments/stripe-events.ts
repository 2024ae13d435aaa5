import Stripe from 'stripe';
import { recordDispute, recordRefund, type DisputeFact } from '../ledger/adjustment-queries.js';
import { directory, ledgerFor, legacyLedger } from '../ledger/placement.js';
import { cancelPurchase, completePurchase } from '../ledger/sale-queries.js';
import { auditUnfulfilledRefund, setChargesEnabledOfAccount } from './queries.js';
import { stripeClient } from './stripe-client.js';
import { settleCreatorTransfer, type TransferablePurchase } from './transfers.js';
import { publicOrigin } from '../mail/notices.js';
import { queuePurchaseMails } from '../mail/queue.js';

/**
 * What each Stripe event means for the ledger and the creators (webhook-routes.ts verifies the signature
 * first). Every branch is idempotent and order-tolerant: deliveries come at least once and in any order.
 */

const idOf = (ref: string | { id: string } | null | undefined) => (typeof ref === 'string' ? ref : (ref?.id ?? null));

function disputeState(status: Stripe.Dispute.Status): DisputeFact['state'] {
  if (status === 'won' || status === 'warning_closed') return 'won';
  if (status === 'lost') return 'lost';
  return 'open';
}

/** The creator id we put in a Checkout Session's, PaymentIntent's or Refund's metadata (`startCheckout`). */
export const creatorOfMetadata = (metadata: Stripe.Metadata | null | undefined) => metadata?.['creator_id'] || null;

/**
 * The creator of a payment, from its PaymentIntent's metadata: what a refund made elsewhere than here (the Stripe
 * Dashboard) or a dispute, which carry no metadata of ours, are routed by. Null for a payment made before the
 * creator id travelled there (or one Stripe does not know): its sale is then looked for where those were recorded.
 */
async function creatorOfPayment(env: Env & { STRIPE_SECRET_KEY: string }, paymentIntent: string) {
  try {
    return creatorOfMetadata((await stripeClient(env).paymentIntents.retrieve(paymentIntent)).metadata);
  } catch (err) {
    if (err instanceof Stripe.errors.StripeInvalidRequestError) return null;
    throw err;
  }
}

/** The ledger of a creator named by an event, else the one that holds the payments that named none. */
const ledgerOf = (env: Env, creatorId: string | null) => (creatorId ? ledgerFor(env, creatorId) : legacyLedger(env));

/**
 * What is left to record of what an event's handling did at Stripe (a separate charge's transfer and its reversals,
 * payments/transfers.ts): statements on the creator's ledger, which the webhook batches with the event's own row
 * when that ledger is the directory's database.
 */
export interface FollowUps {
  db: D1Database;
  statements: D1PreparedStatement[];
}

const NONE: FollowUps | null = null;

/** A separate charge's transfer brought in line with its purchase as the ledger left it (nothing otherwise). */
async function settled(
  env: Env & { STRIPE_SECRET_KEY: string },
  db: D1Database,
  after: TransferablePurchase | null,
): Promise<FollowUps | null> {
  return after ? { db, statements: await settleCreatorTransfer(env, db, after) } : NONE;
}

/** Applies one verified event; what is left to record of what it did at Stripe. */
export async function handleStripeEvent(
  env: Env & { STRIPE_SECRET_KEY: string },
  event: Stripe.Event,
  /** The webhook's own origin: links in the mails a completion sends (SITE_ORIGIN first). */
  origin?: string,
): Promise<FollowUps | null> {
  const at = event.created * 1000;
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const session = event.data.object;
      // Delayed methods (bank debits) complete later with async_payment_succeeded.
      if (session.payment_status !== 'paid') return NONE;
      const purchaseId = session.metadata?.['purchase_id'] ?? session.client_reference_id;
      if (!purchaseId) return NONE;
      const paymentRef = idOf(session.payment_intent);
      const creatorId = creatorOfMetadata(session.metadata);
      const db = ledgerOf(env, creatorId);
      const { outcome, purchase } = await completePurchase(db, purchaseId, {
        providerRef: session.id,
        paymentRef,
        now: at,
        captured: true,
        // Stripe Tax's figure for what the (tax-inclusive) price included; 0 without automatic tax.
        tax: session.total_details?.amount_tax ?? 0,
      });
      // The receipt (and a first sale's notice) by mail, once: only the delivery that completed it sends them.
      const mailOrigin = publicOrigin(env, origin);
      if (outcome === 'completed' && mailOrigin) {
        await queuePurchaseMails(env, mailOrigin, purchaseId, purchase?.creator_id ?? creatorId);
      }
      // Money was taken but no paid purchase came of it (a payment after the series went off sale, a second
      // payment for something already owned, a purchase closed or deleted meanwhile): give it back, on every
      // delivery until it is done (idempotent), taking it back from the creator's transfer and the platform's fee
      // too, and audit it: nothing is ever granted, or kept, silently.
      const ended = purchase?.status === 'paid' || purchase?.status === 'refunded';
      // A separate charge (tax on) pays its creator now that the sale is complete, net of tax and commission.
      if (purchase && ended) return settled(env, db, purchase);
      if (paymentRef && !ended) {
        const reason = purchase?.status_reason ?? 'purchase_not_found';
        // A separate charge moved nothing to the creator yet: there is no transfer nor fee to take back.
        const separate = purchase?.separate_charge === 1;
        const refund = await stripeClient(env).refunds.create(
          {
            payment_intent: paymentRef,
            ...(separate ? {} : { reverse_transfer: true, refund_application_fee: true }),
            metadata: { purchase_id: purchaseId, ...(creatorId ? { creator_id: creatorId } : {}), reason },
          },
          { idempotencyKey: `refund-unfulfilled:${paymentRef}` },
        );
        // The platform's own log, in the directory.
        await auditUnfulfilledRefund(directory(env), {
          purchaseId,
          paymentRef,
          refundId: refund.id,
          amount: refund.amount ?? purchase?.amount ?? null,
          currency: purchase?.currency ?? refund.currency?.toUpperCase() ?? null,
          reason,
          now: Date.now(),
        });
      }
      return NONE;
    }
    case 'checkout.session.async_payment_failed':
    case 'checkout.session.expired': {
      const session = event.data.object;
      const purchaseId = session.metadata?.['purchase_id'] ?? session.client_reference_id;
      const db = ledgerOf(env, creatorOfMetadata(session.metadata));
      if (purchaseId)
        await cancelPurchase(db, purchaseId, at, event.type.endsWith('expired') ? 'expired' : 'payment_failed');
      return NONE;
    }
    case 'refund.created':
    case 'refund.updated':
    case 'charge.refund.updated': {
      const refund = event.data.object;
      const recorded = await recordRefundObject(env, refund);
      return recorded && settled(env, recorded.db, recorded.after);
    }
    case 'charge.refunded': {
      // Newer API versions no longer embed the refunds; refund.* events carry each of them.
      let last: Awaited<ReturnType<typeof recordRefundObject>> = null;
      for (const refund of event.data.object.refunds?.data ?? [])
        last = (await recordRefundObject(env, refund)) ?? last;
      return last && settled(env, last.db, last.after);
    }
    case 'charge.dispute.created':
    case 'charge.dispute.updated':
    case 'charge.dispute.closed':
    case 'charge.dispute.funds_withdrawn':
    case 'charge.dispute.funds_reinstated': {
      const dispute = event.data.object;
      const paymentRef = idOf(dispute.payment_intent);
      if (!paymentRef) return NONE;
      // A dispute carries no metadata of ours: its payment's does.
      const creatorId = await creatorOfPayment(env, paymentRef);
      const db = ledgerOf(env, creatorId);
      const after = await recordDispute(db, {
        id: dispute.id,
        paymentRef,
        creatorId,
        amount: dispute.amount,
        state: disputeState(dispute.status),
        createdAt: dispute.created * 1000,
      });
      // A chargeback won releases a separate charge's transfer that an open one held back.
      return settled(env, db, after);
    }
    case 'account.updated': {
      const account = event.data.object;
      const enabled = account.charges_enabled ? 1 : 0;
      await setChargesEnabledOfAccount(directory(env), account.id, enabled);
      return NONE;
    }
    default:
      return NONE;
  }
}

/** Records a refund in its creator's ledger; that ledger and the sale as the refund left it (null: no payment). */
async function recordRefundObject(env: Env & { STRIPE_SECRET_KEY: string }, refund: Stripe.Refund) {
  const paymentRef = idOf(refund.payment_intent);
  if (!paymentRef) return null;
  // Failed or cancelled refunds return nothing to the buyer; one already applied is reversed.
  const failed = refund.status === 'failed' || refund.status === 'canceled';
  // A refund made here names its creator; one made in the Stripe Dashboard is routed by its payment's metadata.
  const creatorId = creatorOfMetadata(refund.metadata) ?? (await creatorOfPayment(env, paymentRef));
  const db = ledgerOf(env, creatorId);
  const after = await recordRefund(db, {
    id: refund.id,
    paymentRef,
    creatorId,
    amount: refund.amount,
    createdAt: refund.created * 1000,
    failed,
  });
  return { db, after };
}
