-- Gifts (issue 20). A gift is a sale like any other, paid by the giver (purchases.buyer_id); what it entitles
-- belongs to whoever holds it: purchases.owner_id is the buyer for an ordinary sale and, for a gift, NULL until the
-- recipient claims it, then the recipient. Every ownership rule (ledger/queries.ts ENTITLES with owner_id: access,
-- the library, the storefront, reviews) reads owner_id; the rollups and the giver's receipts keep reading buyer_id.
ALTER TABLE purchases ADD COLUMN owner_id TEXT REFERENCES users(id);
UPDATE purchases SET owner_id = buyer_id;

-- At most one paid entitlement per owner and item, whatever races (an unclaimed gift owns nothing, and a giver
-- may give the same item to several people): replaces the per-buyer index of 0001.
DROP INDEX IF EXISTS purchases_one_paid_per_item;
CREATE UNIQUE INDEX purchases_one_paid_per_owner ON purchases(owner_id, item_key) WHERE status = 'paid' AND owner_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS purchases_by_owner ON purchases(owner_id, status, series_id);

-- The gift of a purchase: to whom (an address, typed by the giver), with what message, and its single-use claim
-- link (only the SHA-256 of its random token is kept; re-sending replaces it, so the last mail's link is the one
-- that works). claimed_at is set in the batch that sets the purchase's owner; revoked_at when the giver starts a
-- refund before it was claimed (a claim and a refund race: exactly one of them wins); refused_at when a claim was
-- refused because the account already owned the item (the giver is told once and offered a refund).
CREATE TABLE gifts (
  purchase_id     TEXT PRIMARY KEY REFERENCES purchases(id) ON DELETE CASCADE,
  recipient_email TEXT NOT NULL CHECK (length(recipient_email) BETWEEN 3 AND 254),
  message         TEXT CHECK (message IS NULL OR length(message) <= 500),
  token_hash      TEXT UNIQUE,
  sent_at         INTEGER,
  sends           INTEGER NOT NULL DEFAULT 0,
  claimed_at      INTEGER,
  refused_at      INTEGER,
  revoked_at      INTEGER,
  created_at      INTEGER NOT NULL
);
