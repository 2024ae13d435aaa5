import { recordRefund } from '../ledger/adjustment-queries.js';
import type { PurchaseRow } from '../ledger/queries.js';
import {
  answerRefundRequest,
  findRefundable,
  overdueRefundRequests,
  startSellerRefund,
  type RefundRequestRow,
} from '../ledger/refund-queries.js';
import { ApiError } from '../lib/errors.js';
import { allLedgers, ledgerFor } from '../ledger/placement.js';
import { paymentProvider } from './providers.js';
import { stripeConfigured } from './stripe-client.js';
import { settleCreatorTransfer } from './transfers.js';

/**
 * A seller's refund, full or partial: checked against what is left of the sale, recorded as the seller's
 * (audited, with "keep access" on the purchase for a goodwill refund in full), made at the payment provider
 * (Stripe's Refunds API with `reverse_transfer` and `refund_application_fee`, idempotent per key; the test
 * provider locally), then applied through the ledger's `recordRefund`, the very path of Stripe's refund webhooks,
 * keyed by the refund id: the webhook confirming it later changes nothing, in whatever order they come.
 * A partial refund keeps access; a full one ends it unless `keepAccess`.
 */
export async function issueRefund(
  env: Env,
  purchase: PurchaseRow,
  order: { amount?: number; keepAccess: boolean; key: string; actorId: string | null; reason: string },
) {
  const remaining = purchase.amount - purchase.refunded_amount;
  if (purchase.status !== 'paid' || remaining <= 0) {
    throw new ApiError(409, 'nothing_to_refund', 'This sale has nothing left to refund');
  }
  const amount = order.amount ?? remaining;
  if (amount > remaining) {
    throw new ApiError(409, 'refund_exceeds_remaining', `At most ${remaining} (minor units) is left to refund`, {
      remaining,
      issues: [{ path: 'amount', message: `At most ${remaining} is left to refund` }],
    });
  }
  const keepAccess = order.keepAccess && amount === remaining;
  const provider = paymentProvider(env);
  const db = ledgerFor(env, purchase.creator_id);
  const paymentRef = await startSellerRefund(db, {
    purchaseId: purchase.id,
    amount,
    keepAccess,
    actorId: order.actorId,
    reason: order.reason,
  });
  const refund = await provider.refund({ ...purchase, payment_ref: paymentRef }, amount, order.key);
  if (paymentRef) {
    const applied = await recordRefund(db, {
      id: refund.id,
      paymentRef,
      creatorId: purchase.creator_id,
      amount: refund.amount,
      createdAt: Date.now(),
      failed: refund.failed,
    });
    // A separate charge (tax on): the creator's transfer gives back the payout's share of the refund. Should Stripe
    // fail here, the refund's own webhook (refund.created) brings the transfer in line on its delivery.
    if (applied?.separate_charge === 1 && provider.name === 'stripe' && stripeConfigured(env)) {
      const followUps = await settleCreatorTransfer(env, db, applied).catch((err) => {
        console.error('transfer reversal left to the refund webhook', purchase.id, err);
        return [];
      });
      if (followUps.length) await db.batch(followUps);
    }
  }
  const after = await findRefundable(db, purchase.id, purchase.creator_id);
  return { refund: { id: refund.id, amount: refund.amount, failed: refund.failed, keepAccess }, purchase: after! };
}

/** Grants a buyer's request: the rest of the sale refunded, access ending unless `keepAccess`. */
export async function grantRefundRequest(
  env: Env,
  request: RefundRequestRow,
  by: 'creator' | 'admin' | 'platform',
  actorId: string | null,
  keepAccess = false,
) {
  const purchase = await findRefundable(ledgerFor(env, request.creator_id), request.purchase_id, request.creator_id);
  let refundId: string | null = null;
  if (purchase && purchase.status === 'paid' && purchase.refunded_amount < purchase.amount) {
    const done = await issueRefund(env, purchase, {
      keepAccess,
      key: `request:${request.id}`,
      actorId,
      reason: by === 'platform' ? 'refund request unanswered for 7 days' : 'refund request granted',
    });
    refundId = done.refund.id;
  }
  await answerRefundRequest(ledgerFor(env, request.creator_id), {
    id: request.id,
    status: 'granted',
    by,
    refundId,
    now: Date.now(),
  });
  return refundId;
}

/** Requests granted per cron run at most (each is a provider call); the next run takes the rest. */
const OVERDUE_PER_RUN = 25;

/** The cron: requests nobody answered within 7 days are granted, as the platform's doing. */
export async function grantOverdueRefundRequests(env: Env, now: number): Promise<number> {
  // Every ledger's, the oldest first, OVERDUE_PER_RUN in all.
  const overdue = (await Promise.all(allLedgers(env).map((db) => overdueRefundRequests(db, now, OVERDUE_PER_RUN))))
    .flat()
    .sort((a, b) => a.created_at - b.created_at)
    .slice(0, OVERDUE_PER_RUN);
  let granted = 0;
  for (const request of overdue) {
    try {
      await grantRefundRequest(env, request, 'platform', null);
      granted++;
    } catch (err) {
      // The provider unreachable: the request stays pending, and the next run tries again.
      console.error('could not grant an overdue refund request', request.id, err);
    }
  }
  return granted;
}
