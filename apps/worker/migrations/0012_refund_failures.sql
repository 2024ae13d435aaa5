-- A refund can fail after it was reported (the buyer's card was closed, the bank refused it): the money then
-- stays with the seller. What the refund took off the purchase and the rollups is put back, and access it
-- ended returns. Each refund keeps the amount it took, so a reversal puts back exactly that.
ALTER TABLE payment_refunds ADD COLUMN failed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payment_refunds ADD COLUMN applied_amount INTEGER;
ALTER TABLE payment_refunds ADD COLUMN reversed_token TEXT;

-- Refunds applied before this migration took their amount (never more than was left of the sale).
UPDATE payment_refunds SET applied_amount = amount WHERE applied_token IS NOT NULL;
