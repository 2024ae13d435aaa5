-- Promo codes (issue 20): a creator's code for one of their series or all of them (series_id NULL), a percentage
-- or a fixed amount off, with an optional expiry and maximum of redemptions, one per buyer, paused and resumed.
-- Codes are unique per creator (stored upper-case; buyers type them in any case).
--
-- A redemption is the purchase that names the code (purchases.promo_code_id): held while its checkout is open,
-- kept once paid, released by itself when the checkout expires or is cancelled. The maximum and the one-per-buyer
-- rule are conditions of the INSERT that starts the checkout (ledger/sale-queries.ts insertPurchase), so
-- concurrent checkouts cannot pass them. `redeemed`, `redeemed_gross` and `redeemed_discount` count the paid ones,
-- moved by the completing batch (ledger/rollup-queries.ts) exactly when the purchase completes.
CREATE TABLE promo_codes (
  id                TEXT PRIMARY KEY,
  creator_id        TEXT NOT NULL REFERENCES creators(id),
  series_id         TEXT REFERENCES series(id) ON DELETE CASCADE,
  code              TEXT NOT NULL CHECK (code = upper(code) AND length(code) BETWEEN 3 AND 32),
  kind              TEXT NOT NULL CHECK (kind IN ('percent', 'fixed')),
  value             INTEGER NOT NULL CHECK (value > 0 AND (kind <> 'percent' OR value < 100)),
  expires_at        INTEGER,
  max_redemptions   INTEGER CHECK (max_redemptions IS NULL OR max_redemptions > 0),
  paused            INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
  redeemed          INTEGER NOT NULL DEFAULT 0,
  redeemed_gross    INTEGER NOT NULL DEFAULT 0,
  redeemed_discount INTEGER NOT NULL DEFAULT 0,
  created_at        INTEGER NOT NULL,
  UNIQUE (creator_id, code)
);
-- A code typed at checkout is looked up by its text (to tell another creator's code from an unknown one).
CREATE INDEX promo_codes_by_code ON promo_codes(code);

ALTER TABLE purchases ADD COLUMN promo_code_id TEXT;
-- The redemptions of a code (held and paid), and one buyer's: what the checkout's conditions count.
CREATE INDEX purchases_by_promo_code ON purchases(promo_code_id, buyer_id) WHERE promo_code_id IS NOT NULL;

-- Gross before discounts: what temporary discounts and codes took off each day's sales (analytics add it back).
ALTER TABLE sales_daily ADD COLUMN discounts INTEGER NOT NULL DEFAULT 0;
