/**
 * What Stripe did with a separate charge's money (issue 21, migration 0040): the Transfer that paid the creator
 * their payout after payment, and how much of it refunds have reversed so far. The provider's calls happen in
 * payments/transfers.ts; these record them, as statements its callers batch with the rest of their writes (the
 * webhook's event row), so recording costs no round trip of its own.
 */

/**
 * The transfer made for a purchase, recorded once (a later delivery that made the same transfer, idempotent at
 * Stripe, changes nothing), with what it already left out or reversed (`reversed`).
 */
export const recordTransferStatement = (db: D1Database, purchaseId: string, transferId: string, reversed: number) =>
  db
    .prepare(
      `UPDATE purchases SET transfer_ref = ?2, transfer_reversed = ?3
       WHERE id = ?1 AND separate_charge = 1 AND transfer_ref IS NULL`,
    )
    .bind(purchaseId, transferId, reversed);

/** What refunds have reversed of the creator's payout at Stripe so far, as the transfers now stand. */
export const recordTransferReversalStatement = (
  db: D1Database,
  purchaseId: string,
  transfer: { id: string; reversed: number },
) =>
  db
    .prepare(`UPDATE purchases SET transfer_reversed = ?3 WHERE id = ?1 AND transfer_ref = ?2`)
    .bind(purchaseId, transfer.id, transfer.reversed);
