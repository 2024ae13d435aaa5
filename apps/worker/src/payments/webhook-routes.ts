import { Hono } from 'hono';
import type Stripe from 'stripe';
import type { AppEnv } from '../lib/context.js';
import { limitBody } from '../lib/body.js';
import { ApiError } from '../lib/errors.js';
import { cancelPurchase, completePurchase } from '../ledger/sale-queries.js';
import { recordDispute, recordRefund, type DisputeFact } from '../ledger/adjustment-queries.js';
import { recordPaymentEvent, setChargesEnabledOfAccount } from './queries.js';
import { stripeClient, stripeConfigured, webCrypto } from './stripe-client.js';

/** Seconds a signed delivery stays acceptable: Stripe's own default, against replays of old deliveries. */
export const SIGNATURE_TOLERANCE_S = 300;

const idOf = (ref: string | { id: string } | null | undefined) => (typeof ref === 'string' ? ref : (ref?.id ?? null));

function disputeState(status: Stripe.Dispute.Status): DisputeFact['state'] {
  if (status === 'won' || status === 'warning_closed') return 'won';
  if (status === 'lost') return 'lost';
  return 'open';
}

/** Applies one verified event. Every branch is idempotent and order-tolerant (see adjustments.ts). */
async function handle(env: Env & { STRIPE_SECRET_KEY: string }, event: Stripe.Event): Promise<void> {
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
      const { purchase } = await completePurchase(db, purchaseId, {
        providerRef: session.id,
        paymentRef,
        now: at,
        enforceSaleWindow: false,
      });
      // Money was taken but no paid purchase came of it (a second payment for something already owned, or a
      // purchase closed or deleted meanwhile): give it back, on every delivery until it is done (idempotent),
      // taking it back from the creator's transfer and the platform's fee too.
      const ended = purchase?.status === 'paid' || purchase?.status === 'refunded';
      if (paymentRef && !ended) {
        await stripeClient(env).refunds.create(
          {
            payment_intent: paymentRef,
            reverse_transfer: true,
            refund_application_fee: true,
            metadata: { purchase_id: purchaseId, reason: purchase?.status_reason ?? 'purchase_not_found' },
          },
          { idempotencyKey: `refund-unfulfilled:${paymentRef}` },
        );
      }
      return;
    }
    case 'checkout.session.async_payment_failed':
    case 'checkout.session.expired': {
      const session = event.data.object;
      const purchaseId = session.metadata?.['purchase_id'] ?? session.client_reference_id;
      if (purchaseId) await cancelPurchase(db, purchaseId, at, event.type.endsWith('expired') ? 'expired' : 'payment_failed');
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
  await recordRefund(db, { id: refund.id, paymentRef, amount: refund.amount, createdAt: refund.created * 1000, failed });
}

// Provider events can be larger than API requests (a charge lists its refunds), and are verified as raw bytes.
const webhookBody = limitBody(1024 * 1024, '1 MB');

export const webhookRoutes = new Hono<AppEnv>().post('/webhooks/stripe', webhookBody, async (c) => {
  const env = c.env;
  if (!stripeConfigured(env)) throw new ApiError(404, 'not_found', 'Stripe is not configured');
  const signature = c.req.header('Stripe-Signature');
  if (!signature) throw new ApiError(400, 'invalid_signature', 'Missing Stripe-Signature header');
  // The signature covers the exact bytes received: verify before parsing anything.
  const body = await c.req.text();
  let event: Stripe.Event;
  try {
    event = await stripeClient(env).webhooks.constructEventAsync(
      body,
      signature,
      env.STRIPE_WEBHOOK_SECRET,
      SIGNATURE_TOLERANCE_S,
      webCrypto,
    );
  } catch {
    throw new ApiError(400, 'invalid_signature', 'The webhook signature does not match');
  }
  await handle(env, event);
  // Recorded after the state change is written: a failure above makes Stripe retry the delivery.
  const first = await recordPaymentEvent(env.DB, event.id, event.type, Date.now());
  return c.json({ received: true, duplicate: !first }, 200);
});
