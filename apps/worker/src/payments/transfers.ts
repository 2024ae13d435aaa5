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
 * Stripe in line with the ledger, and says what it did as statements for the caller to batch (none: nothing to do):
 *
 * - no transfer yet: one Transfer of the payout, less what refunds in force already took back of it, to the
 *   creator's account, tied to the charge (`source_transaction`, so it waits for the charge's funds rather than the
 *   platform's balance) and grouped under the purchase (`transfer_group`). A transfer Stripe already holds for the
 *   purchase (an earlier delivery whose recording failed) is found by its group and recorded instead, never paid
 *   twice; a chargeback open or lost holds it back, and nothing is sent when nothing is left of the payout.
 * - a transfer: refunds take back from it by transfer reversals up to `payoutReversed` of the refunds in force
 *   (the payout's share of them: the platform gives back the commission and the tax from its own balance); a
 *   refund that failed after its reversal is made good by a transfer of the difference, in the same group, which
 *   later reversals draw on once the first transfer is spent.
 *
 * Every call is idempotent at Stripe (keys name the purchase and the total they bring it to), so a delivery that
 * fails half-way is simply retried.
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
  const currency = stripeCurrency(purchase.currency);
  const destination = purchase.creator_stripe_account ?? null;
  const group = { transfer_group: purchase.id, metadata: { purchase_id: purchase.id } };

  let transferId = purchase.transfer_ref ?? null;
  let reversed = purchase.transfer_reversed ?? 0;
  const statements: D1PreparedStatement[] = [];
  if (!transferId) {
    const held = purchase.dispute_state === 'open' || purchase.dispute_state === 'lost';
    const existing = (await stripe.transfers.list({ transfer_group: purchase.id, limit: 1 })).data[0];
    if (existing) {
      // Made by an earlier delivery: what it leaves out of the payout is what stands reversed.
      transferId = existing.id;
      reversed = purchase.payout_amount - (existing.amount - existing.amount_reversed);
    } else {
      const amount = purchase.payout_amount - owed;
      if (held || amount <= 0 || !destination) return [];
      const intent = await stripe.paymentIntents.retrieve(purchase.payment_ref);
      const charge = idOf(intent.latest_charge as string | Stripe.Charge | null);
      const transfer = await stripe.transfers.create(
        { amount, currency, destination, ...(charge ? { source_transaction: charge } : {}), ...group },
        { idempotencyKey: `transfer:${purchase.id}:${amount}` },
      );
      transferId = transfer.id;
      reversed = owed;
    }
    statements.push(recordTransferStatement(db, purchase.id, transferId, reversed));
    // The ledger's own record moves from what was just recorded.
    purchase = { ...purchase, transfer_ref: transferId, transfer_reversed: reversed };
  }
  if (owed > reversed) {
    // From the purchase's transfers that have something left (the first one, then any that made good a failed
    // refund), newest last as Stripe lists them newest first.
    const made = (await stripe.transfers.list({ transfer_group: purchase.id, limit: 100 })).data.reverse();
    let left = owed - reversed;
    for (const transfer of made) {
      const amount = Math.min(left, transfer.amount - transfer.amount_reversed);
      if (amount <= 0) continue;
      await stripe.transfers.createReversal(
        transfer.id,
        { amount, metadata: { purchase_id: purchase.id } },
        { idempotencyKey: `transfer-reversal:${purchase.id}:${owed}:${transfer.id}` },
      );
      left -= amount;
      if (left === 0) break;
    }
  } else if (owed < reversed && destination) {
    // A refund whose reversal was made failed since: the creator's share of it goes back to them.
    await stripe.transfers.create(
      { amount: reversed - owed, currency, destination, ...group },
      { idempotencyKey: `transfer-restore:${purchase.id}:${owed}` },
    );
  } else return statements;
  statements.push(recordTransferReversalStatement(db, purchase.id, { id: transferId, from: reversed, to: owed }));
  return statements;
}
