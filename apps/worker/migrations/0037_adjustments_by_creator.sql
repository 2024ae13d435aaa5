-- Refunds and disputes name their creator, so a ledger split by creator (docs/scaling.md) finds them in the
-- creator's shard and every adjustment query is confined to one creator. The creator comes with the payment
-- provider's event (the creator id we put in Stripe's metadata); rows written before are filled from their sale.
-- A refund or dispute whose sale is not known yet keeps NULL, and is matched by its payment alone, as before.
ALTER TABLE payment_refunds ADD COLUMN creator_id TEXT;
ALTER TABLE payment_disputes ADD COLUMN creator_id TEXT;

UPDATE payment_refunds SET creator_id =
  (SELECT p.creator_id FROM purchases p WHERE p.payment_ref = payment_refunds.payment_ref LIMIT 1)
WHERE creator_id IS NULL;
UPDATE payment_disputes SET creator_id =
  (SELECT p.creator_id FROM purchases p WHERE p.payment_ref = payment_disputes.payment_ref LIMIT 1)
WHERE creator_id IS NULL;
