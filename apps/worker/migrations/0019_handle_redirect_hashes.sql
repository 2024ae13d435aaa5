-- Verified creators (issue 16, part 3): a renamed creator's former handle keeps leading to them (handle_redirects,
-- migration 0017) in the extension too. The extension looks creators up by a prefix of SHA-256(handle) (lookup
-- routes), so each redirect keeps its handle's hash beside it, written with the row. Rows written before this
-- migration have none and are not offered to lookups (their links still redirect by handle).
ALTER TABLE handle_redirects ADD COLUMN handle_hash TEXT;
CREATE INDEX handle_redirects_by_hash ON handle_redirects(handle_hash) WHERE handle_hash IS NOT NULL;
