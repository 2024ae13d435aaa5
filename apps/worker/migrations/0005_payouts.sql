-- Payouts an admin recorded: at most one per creator, month and currency (the primary key makes recording
-- idempotent). amount is the statement's balance when it was paid, carried-over months included, so the
-- next statement starts from zero. record_id is random per attempt: the audit row of the same batch is
-- written only if this attempt's INSERT was the one that happened.
CREATE TABLE payouts (
  creator_id  TEXT NOT NULL REFERENCES creators(id),
  month       TEXT NOT NULL,
  currency    TEXT NOT NULL,
  amount      INTEGER NOT NULL CHECK (amount > 0),
  record_id   TEXT NOT NULL UNIQUE,
  recorded_by TEXT REFERENCES users(id),
  paid_at     INTEGER NOT NULL,
  PRIMARY KEY (creator_id, month, currency)
) WITHOUT ROWID;

-- A creator's sales of one month, for the payout statement's purchase list (not a scan of all purchases).
CREATE INDEX purchases_by_creator_paid ON purchases(creator_id, paid_at) WHERE paid_at IS NOT NULL;
