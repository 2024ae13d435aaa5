-- Temporary discounts (issue 20): a creator takes a percentage or a fixed amount off a series' episodes, one
-- episode, or the whole series ("buy all"), from starts_at to ends_at (ms, ends_at exclusive). The ledger prices
-- each checkout from the discounts in force when it starts (src/ledger/sale-queries.ts); a discount ended early
-- keeps its row, shortened, so the purchases that name it keep what they were given.
CREATE TABLE discounts (
  id          TEXT PRIMARY KEY,
  creator_id  TEXT NOT NULL REFERENCES creators(id),
  series_id   TEXT NOT NULL REFERENCES series(id) ON DELETE CASCADE,
  scope       TEXT NOT NULL CHECK (scope IN ('episodes', 'episode', 'bundle')),
  episode_id  TEXT REFERENCES episodes(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL CHECK (kind IN ('percent', 'fixed')),
  value       INTEGER NOT NULL CHECK (value > 0 AND (kind <> 'percent' OR value < 100)),
  starts_at   INTEGER NOT NULL,
  ends_at     INTEGER NOT NULL,
  created_at  INTEGER NOT NULL,
  CHECK (ends_at > starts_at),
  CHECK ((scope = 'episode') = (episode_id IS NOT NULL))
);
-- The discounts of a series that have not ended: every priced read seeks this.
CREATE INDEX discounts_by_series ON discounts(series_id, ends_at);

-- What each purchase was offered and charged: the list price (the episode's, or the whole series' before the
-- buyer's "complete the series" credit), what a discount or code took off it, and which. NULL list_amount on
-- purchases from before: their list price was their amount.
ALTER TABLE purchases ADD COLUMN list_amount INTEGER CHECK (list_amount IS NULL OR list_amount >= amount);
ALTER TABLE purchases ADD COLUMN discount_amount INTEGER NOT NULL DEFAULT 0 CHECK (discount_amount >= 0);
ALTER TABLE purchases ADD COLUMN discount_id TEXT;
