import { payoutReversed } from '@series/core';
import type Stripe from 'stripe';
import type { PurchaseRow } from '../ledger/queries.js';
import { recordTransferReversalStatement, recordTransferStatement } from '../ledger/transfer-queries.js';
import { stripeClient, stripeCurrency } from './stripe-client.js';

/** A purchase as the ledger's completion and adjustments read it: with its creator's Stripe account. */
export type TransferablePurchase = PurchaseRow & { creator_stripe_account?: string | null };

const idOf = (ref: string | { id: string } | null | undefined) => (typeof ref === 'string' ? ref : (ref?.id ?? null));

/**
 * Separate charges and transfers (issue 21; docs/ledger.md, "Tax"): a sale made while the deploy collects tax is
 * charged on the platform, and its creator is paid once the payment completed and its tax is known. This brings
 * Stripe in line with the ledger, and says what it did as statements for the caller to batch (none: nothing to do).
 *
 * What the creator should hold of the sale is its payout less what the refunds in force take back of it
 * (`payoutReversed`: the platform gives back the commission and the tax from its own balance). What they hold is
 * read from Stripe itself: the purchase's transfers (`transfer_group`), less what was reversed of them. So:
 *
 * - no transfer yet: one Transfer of what they should hold, to the creator's account, tied to the charge
 *   (`source_transaction`, so it waits for that charge's funds rather than the platform's balance); a chargeback
 *   open or lost holds it back, and nothing is sent when nothing is left of the payout;
 * - they hold more (a refund): transfer reversals of the difference, from the oldest transfer on;
 * - they hold less (a refund whose reversal was made failed since): a transfer of the difference, in the same group.
 *
 * A transfer an earlier delivery made but could not record is found in its group, never made twice; every call's
 * idempotency key names the purchase and the figures it brings Stripe to, so concurrent or repeated deliveries that
 * see the same state make the same call once, and the next delivery corrects from whatever Stripe then says.
 */
export async function settleCreatorTransfer(
  env: Env & { STRIPE_SECRET_KEY: string },
  /** The creator's ledger (ledger/placement.ts), which the statements returned are for. */
  db: D1Database,
  purchase: TransferablePurchase,
): Promise<D1PreparedStatement[]> {
  if (purchase.separate_charge !== 1 || purchase.paid_at === null || !purchase.payment_ref) return [];
  const stripe = stripeClient(env);
  const owed = payoutReversed(
    purchase.refunded_amount,
    purchase.amount,
    purchase.commission_amount,
    purchase.tax_amount ?? 0,
  );
  const target = purchase.payout_amount - owed;
  const currency = stripeCurrency(purchase.currency);
  const destination = purchase.creator_stripe_account ?? null;
  const group = { transfer_group: purchase.id, metadata: { purchase_id: purchase.id } };
  const held = purchase.dispute_state === 'open' || purchase.dispute_state === 'lost';

  // Oldest first (Stripe lists newest first).
  const made = (await stripe.transfers.list({ transfer_group: purchase.id, limit: 100 })).data.reverse();
  if (made.length === 0) {
    if (held || target <= 0 || !destination) return [];
    const intent = await stripe.paymentIntents.retrieve(purchase.payment_ref);
    const charge = idOf(intent.latest_charge as string | Stripe.Charge | null);
    const transfer = await stripe.transfers.create(
      { amount: target, currency, destination, ...(charge ? { source_transaction: charge } : {}), ...group },
      { idempotencyKey: `transfer:${purchase.id}:${target}` },
    );
    return [recordTransferStatement(db, purchase.id, transfer.id, owed)];
  }
  const holds = made.reduce((n, t) => n + t.amount - t.amount_reversed, 0);
  if (holds > target) {
    let left = holds - target;
    for (const transfer of made) {
      const amount = Math.min(left, transfer.amount - transfer.amount_reversed);
      if (amount <= 0) continue;
      await stripe.transfers.createReversal(
        transfer.id,
        { amount, metadata: { purchase_id: purchase.id } },
        { idempotencyKey: `transfer-reversal:${transfer.id}:${transfer.amount_reversed}:${amount}` },
      );
      left -= amount;
      if (left === 0) break;
    }
  } else if (holds < target && destination && !held) {
    await stripe.transfers.create(
      { amount: target - holds, currency, destination, ...group },
      { idempotencyKey: `transfer-restore:${purchase.id}:${holds}:${target}` },
    );
  } else if (purchase.transfer_ref && (purchase.transfer_reversed ?? 0) === owed) return [];
  // The first transfer (recorded once) and what stands reversed of the payout now.
  return [
    recordTransferStatement(db, purchase.id, made[0]!.id, owed),
    recordTransferReversalStatement(db, purchase.id, { id: made[0]!.id, reversed: owed }),
  ];
}
