-- Tax on a purchase (issue 21): prices are tax-inclusive, so what the buyer paid (amount) splits into the
-- platform's commission, the creator's payout and the tax collected (tax_amount, 0 where no tax applies and on
-- every purchase from before). 0001's CHECK (commission_amount + payout_amount = amount) cannot be altered in
-- SQLite, so the table is rebuilt as migrations 0001-0032 left it (the same columns in the same order, with their
-- constraints, then tax_amount; the same indexes, partial ones too), with the one CHECK that changes.
-- refund_requests references purchases(id): with the checks deferred to the end of this migration (D1 does not
-- allow foreign_keys = OFF here), the rows go to a plain copy, the table is dropped and created again under its
-- own name (no RENAME, so no other table's reference is rewritten) and the rows come back (with their rowids),
-- which settles the references again. No view or trigger names purchases.
PRAGMA defer_foreign_keys = true;
CREATE TABLE purchases_copy AS SELECT rowid AS copied_rowid, * FROM purchases;
DROP TABLE purchases;
CREATE TABLE purchases (
  id                  TEXT PRIMARY KEY,
  buyer_id            TEXT REFERENCES users(id),
  creator_id          TEXT NOT NULL REFERENCES creators(id),
  series_id           TEXT NOT NULL REFERENCES series(id),
  episode_id          TEXT REFERENCES episodes(id),
  item_key            TEXT NOT NULL,
  amount              INTEGER NOT NULL CHECK (amount > 0),
  currency            TEXT NOT NULL,
  commission_bps      INTEGER NOT NULL CHECK (commission_bps BETWEEN 0 AND 10000),
  commission_amount   INTEGER NOT NULL CHECK (commission_amount >= 0),
  payout_amount       INTEGER NOT NULL CHECK (payout_amount >= 0),
  status              TEXT NOT NULL DEFAULT 'pending'
                      CHECK (status IN ('pending', 'paid', 'cancelled', 'expired', 'refunded')),
  -- Why a purchase ended without payment, e.g. 'already_owned' when another checkout for the item won.
  status_reason       TEXT,
  provider            TEXT NOT NULL,
  provider_ref        TEXT,
  idempotency_key     TEXT NOT NULL,
  -- Random per completion attempt: lets the rollup statements of one batch apply only if its UPDATE did.
  completion_id       TEXT,
  created_at          INTEGER NOT NULL,
  expires_at          INTEGER NOT NULL,
  paid_at             INTEGER,
  updated_at          INTEGER NOT NULL,
  -- 0006: the provider's checkout page, its payment reference, what was refunded of amount, a dispute's state.
  checkout_url        TEXT,
  payment_ref         TEXT,
  refunded_amount     INTEGER NOT NULL DEFAULT 0,
  dispute_state       TEXT,
  -- 0013: where the buyer came from and where to send them back.
  return_to           TEXT,
  source              TEXT,
  -- 0024: "refund, keep access".
  refund_keeps_access INTEGER NOT NULL DEFAULT 0 CHECK (refund_keeps_access IN (0, 1)),
  -- 0027 and 0028: the list price, what a discount or code took off it, and which.
  list_amount         INTEGER CHECK (list_amount IS NULL OR list_amount >= amount),
  discount_amount     INTEGER NOT NULL DEFAULT 0 CHECK (discount_amount >= 0),
  discount_id         TEXT,
  promo_code_id       TEXT,
  -- The tax included in amount (smallest unit of currency), recorded when the payment completes.
  tax_amount          INTEGER NOT NULL DEFAULT 0 CHECK (tax_amount >= 0),
  UNIQUE (buyer_id, idempotency_key),
  CHECK (commission_amount + payout_amount + tax_amount = amount)
);
INSERT INTO purchases (rowid, id, buyer_id, creator_id, series_id, episode_id, item_key, amount, currency,
                       commission_bps, commission_amount, payout_amount, status, status_reason, provider,
                       provider_ref, idempotency_key, completion_id, created_at, expires_at, paid_at, updated_at,
                       checkout_url, payment_ref, refunded_amount, dispute_state, return_to, source,
                       refund_keeps_access, list_amount, discount_amount, discount_id, promo_code_id)
SELECT copied_rowid, id, buyer_id, creator_id, series_id, episode_id, item_key, amount, currency,
       commission_bps, commission_amount, payout_amount, status, status_reason, provider,
       provider_ref, idempotency_key, completion_id, created_at, expires_at, paid_at, updated_at,
       checkout_url, payment_ref, refunded_amount, dispute_state, return_to, source,
       refund_keeps_access, list_amount, discount_amount, discount_id, promo_code_id
FROM purchases_copy;
DROP TABLE purchases_copy;
-- 0001: at most one paid purchase per buyer and item, whatever races; the buyer's, episode's and series' lists.
CREATE UNIQUE INDEX purchases_one_paid_per_item ON purchases(buyer_id, item_key) WHERE status = 'paid';
CREATE INDEX purchases_by_buyer ON purchases(buyer_id, status, series_id);
CREATE INDEX purchases_by_episode ON purchases(episode_id, status);
CREATE INDEX purchases_by_series ON purchases(series_id, status);
-- 0005: a creator's sales of one month. 0006: a payment's purchase. 0028: a code's redemptions.
CREATE INDEX purchases_by_creator_paid ON purchases(creator_id, paid_at) WHERE paid_at IS NOT NULL;
CREATE INDEX purchases_by_payment_ref ON purchases(payment_ref) WHERE payment_ref IS NOT NULL;
CREATE INDEX purchases_by_promo_code ON purchases(promo_code_id, buyer_id) WHERE promo_code_id IS NOT NULL;
