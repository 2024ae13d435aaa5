import type Stripe from 'stripe';
import { recordDispute, recordRefund, type DisputeFact } from '../ledger/adjustment-queries.js';
import { cancelPurchase, completePurchase } from '../ledger/sale-queries.js';
import { auditUnfulfilledRefund, setChargesEnabledOfAccount } from './queries.js';
import { stripeClient } from './stripe-client.js';
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

/** Applies one verified event. */
export async function handleStripeEvent(
  env: Env & { STRIPE_SECRET_KEY: string },
  event: Stripe.Event,
  /** The webhook's own origin: links in the mails a completion sends (SITE_ORIGIN first). */
  origin?: string,
): Promise<void> {
  const db = env.DB;
  const at = event.created * 1000;
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const session = event.data.object;
      // Delayed methods (bank debits) complete later with async_payment_succeeded.
      if (session.payment_status !== 'paid') return;
      const purchaseId = session.metadata?.['purchase_id'] ?? session.client_reference_id;
      if (!purchaseId) return;
      const paymentRef = idOf(session.payment_intent);
      const { outcome, purchase } = await completePurchase(db, purchaseId, {
        providerRef: session.id,
        paymentRef,
        now: at,
        captured: true,
      });
      // The receipt (and a first sale's notice) by mail, once: only the delivery that completed it sends them.
      const mailOrigin = publicOrigin(env, origin);
      if (outcome === 'completed' && mailOrigin) {
        await queuePurchaseMails(env, mailOrigin, purchaseId);
      }
      // Money was taken but no paid purchase came of it (a payment after the series went off sale, a second
      // payment for something already owned, a purchase closed or deleted meanwhile): give it back, on every
      // delivery until it is done (idempotent), taking it back from the creator's transfer and the platform's fee
      // too, and audit it: nothing is ever granted, or kept, silently.
      const ended = purchase?.status === 'paid' || purchase?.status === 'refunded';
      if (paymentRef && !ended) {
        const reason = purchase?.status_reason ?? 'purchase_not_found';
        const refund = await stripeClient(env).refunds.create(
          {
            payment_intent: paymentRef,
            reverse_transfer: true,
            refund_application_fee: true,
            metadata: { purchase_id: purchaseId, reason },
          },
          { idempotencyKey: `refund-unfulfilled:${paymentRef}` },
        );
        await auditUnfulfilledRefund(db, {
          purchaseId,
          paymentRef,
          refundId: refund.id,
          amount: refund.amount ?? purchase?.amount ?? null,
          currency: purchase?.currency ?? refund.currency?.toUpperCase() ?? null,
          reason,
          now: Date.now(),
        });
      }
      return;
    }
    case 'checkout.session.async_payment_failed':
    case 'checkout.session.expired': {
      const session = event.data.object;
      const purchaseId = session.metadata?.['purchase_id'] ?? session.client_reference_id;
      if (purchaseId)
        await cancelPurchase(db, purchaseId, at, event.type.endsWith('expired') ? 'expired' : 'payment_failed');
      return;
    }
    case 'refund.created':
    case 'refund.updated':
    case 'charge.refund.updated': {
      const refund = event.data.object;
      await recordRefundObject(db, refund);
      return;
    }
    case 'charge.refunded': {
      // Newer API versions no longer embed the refunds; refund.* events carry each of them.
      for (const refund of event.data.object.refunds?.data ?? []) await recordRefundObject(db, refund);
      return;
    }
    case 'charge.dispute.created':
    case 'charge.dispute.updated':
    case 'charge.dispute.closed':
    case 'charge.dispute.funds_withdrawn':
    case 'charge.dispute.funds_reinstated': {
      const dispute = event.data.object;
      const paymentRef = idOf(dispute.payment_intent);
      if (!paymentRef) return;
      await recordDispute(db, {
        id: dispute.id,
        paymentRef,
        amount: dispute.amount,
        state: disputeState(dispute.status),
        createdAt: dispute.created * 1000,
      });
      return;
    }
    case 'account.updated': {
      const account = event.data.object;
      const enabled = account.charges_enabled ? 1 : 0;
      await setChargesEnabledOfAccount(db, account.id, enabled);
      return;
    }
    default:
      return;
  }
}

async function recordRefundObject(db: D1Database, refund: Stripe.Refund) {
  const paymentRef = idOf(refund.payment_intent);
  if (!paymentRef) return;
  // Failed or cancelled refunds return nothing to the buyer; one already applied is reversed.
  const failed = refund.status === 'failed' || refund.status === 'canceled';
  await recordRefund(db, {
    id: refund.id,
    paymentRef,
    amount: refund.amount,
    createdAt: refund.created * 1000,
    failed,
  });
}
