-- Stripe Connect: where a creator's money goes. charges_enabled mirrors the account's state.
ALTER TABLE creators ADD COLUMN stripe_account_id TEXT;
ALTER TABLE creators ADD COLUMN stripe_charges_enabled INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX creators_by_stripe_account ON creators(stripe_account_id) WHERE stripe_account_id IS NOT NULL;

-- checkout_url is stored so a retried checkout returns the same payment page.
ALTER TABLE purchases ADD COLUMN checkout_url TEXT;
-- The provider's payment (Stripe PaymentIntent): refunds and disputes name it, not our purchase.
ALTER TABLE purchases ADD COLUMN payment_ref TEXT;
ALTER TABLE purchases ADD COLUMN refunded_amount INTEGER NOT NULL DEFAULT 0;
-- NULL, or the state of a chargeback: 'open' suspends access, 'won' restores it, 'lost' revokes it.
ALTER TABLE purchases ADD COLUMN dispute_state TEXT;
CREATE INDEX purchases_by_payment_ref ON purchases(payment_ref) WHERE payment_ref IS NOT NULL;

-- Refunds, keyed by the provider's refund id (a charge may have several partial refunds). A refund may
-- arrive before the sale it refunds; applied_token is set once its reversal is in the rollups.
CREATE TABLE payment_refunds (
  id            TEXT PRIMARY KEY,
  payment_ref   TEXT NOT NULL,
  amount        INTEGER NOT NULL CHECK (amount > 0),
  created_at    INTEGER NOT NULL,
  applied_token TEXT
);
CREATE INDEX payment_refunds_by_payment ON payment_refunds(payment_ref);

-- Disputes move forward only (open -> won | lost). applied_state is the state whose effect on the
-- rollups has been written, so each change is applied exactly once whatever the delivery order.
CREATE TABLE payment_disputes (
  id            TEXT PRIMARY KEY,
  payment_ref   TEXT NOT NULL,
  amount        INTEGER NOT NULL CHECK (amount > 0),
  state         TEXT NOT NULL CHECK (state IN ('open', 'won', 'lost')),
  applied_state TEXT NOT NULL DEFAULT 'none',
  apply_token   TEXT,
  created_at    INTEGER NOT NULL
);
CREATE INDEX payment_disputes_by_payment ON payment_disputes(payment_ref);

-- Every webhook event processed, for deduplication and audit.
CREATE TABLE payment_events (
  id          TEXT PRIMARY KEY,
  type        TEXT NOT NULL,
  received_at INTEGER NOT NULL
);

-- Money returned to buyers (refunds, chargebacks), on the day it was returned. From now on the rollups'
-- commission and payout are net of these reversals: commission + payout = gross - refunded.
ALTER TABLE sales_daily ADD COLUMN refunded INTEGER NOT NULL DEFAULT 0;
