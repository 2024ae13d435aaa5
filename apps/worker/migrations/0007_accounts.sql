-- Sessions get a public id (to list and revoke them without exposing the token hash) and the device.
ALTER TABLE sessions ADD COLUMN id TEXT;
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
UPDATE sessions SET id = lower(hex(randomblob(12))) WHERE id IS NULL;
CREATE UNIQUE INDEX sessions_by_id ON sessions(id);

-- The audit log is append-only: history of admin and payout-relevant actions cannot be edited away.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
