-- Handle claims can end without approval, and anonymous view reports count once per client address and day.

-- A claim an admin rejected, or one not approved within 30 days, ends: its handle is free for someone else
-- (handle NULL; released_handle keeps what it was, for its owner to read), while the row, and the drafts
-- prepared under it, stay with the account, which may claim a handle again. Only a claim nothing was sold under
-- can end so: the ledger keeps the handle of a creator with sales. SQLite cannot change a column's constraints
-- in place, so the table is rebuilt. Other tables reference creators(id): with their checks deferred to the end
-- of this migration, the old table goes first and its rows are copied into the new one after the rename, which
-- is what settles the references again.
PRAGMA defer_foreign_keys = true;
CREATE TABLE creators_copy AS SELECT * FROM creators;
CREATE TABLE creators_new (
  id                     TEXT PRIMARY KEY,
  user_id                TEXT NOT NULL UNIQUE REFERENCES users(id),
  handle                 TEXT UNIQUE,
  display_name           TEXT NOT NULL,
  status                 TEXT NOT NULL DEFAULT 'pending'
                         CHECK (status IN ('pending', 'approved', 'suspended', 'rejected', 'expired')),
  created_at             INTEGER NOT NULL,
  status_changed_at      INTEGER NOT NULL,
  handle_hash            TEXT,
  stripe_account_id      TEXT,
  stripe_charges_enabled INTEGER NOT NULL DEFAULT 0,
  released_handle        TEXT,
  CHECK ((status IN ('rejected', 'expired')) = (handle IS NULL)),
  CHECK ((handle IS NULL) = (released_handle IS NOT NULL))
);
DROP TABLE creators;
ALTER TABLE creators_new RENAME TO creators;
INSERT INTO creators (id, user_id, handle, display_name, status, created_at, status_changed_at, handle_hash,
                      stripe_account_id, stripe_charges_enabled)
SELECT id, user_id, handle, display_name, status, created_at, status_changed_at, handle_hash,
       stripe_account_id, stripe_charges_enabled
FROM creators_copy;
DROP TABLE creators_copy;
CREATE INDEX creators_by_status ON creators(status, created_at);
CREATE INDEX creators_by_handle_hash ON creators(handle_hash);
CREATE UNIQUE INDEX creators_by_stripe_account ON creators(stripe_account_id) WHERE stripe_account_id IS NOT NULL;
-- Pending claims by age, for the expiry job.
CREATE INDEX creators_pending_by_age ON creators(status_changed_at) WHERE status = 'pending';

-- One row per (client address, UTC day, episode or storefront page) already counted. `mark` is a keyed hash
-- (HMAC with SIGNING_SECRET) of the three, so no address is stored and marks of different days are unrelated;
-- `batch` is random per report, for the counters of that report to move only for the marks it added (found by
-- mark, so it needs no index). Days before today are deleted by the scheduled job.
CREATE TABLE view_marks (
  mark  TEXT PRIMARY KEY,
  day   TEXT NOT NULL,
  batch TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX view_marks_by_day ON view_marks(day);
