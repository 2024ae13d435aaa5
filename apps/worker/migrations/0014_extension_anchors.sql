-- The browser extension's page anchors (packages/core/src/anchors.ts), served at GET /v1/extension/anchors
-- and published by admins: every published set is kept, one row per version, so what was served when stays
-- known and an old set can be published again; the highest version is the one in force.
CREATE TABLE extension_anchors (
  version      INTEGER PRIMARY KEY,
  -- The anchor set as JSON, validated by anchorSetSchema before it is stored.
  document     TEXT NOT NULL,
  -- The admin's user id, without a foreign key: history outlives the account (the audit log says who too).
  published_by TEXT NOT NULL,
  published_at INTEGER NOT NULL,
  -- Random per publish: the audit row of the same batch selects on it, so it is written only with the set.
  publish_id   TEXT NOT NULL UNIQUE
);

-- History, like the audit log: never rewritten.
CREATE TRIGGER extension_anchors_no_update BEFORE UPDATE ON extension_anchors
BEGIN
  SELECT RAISE(ABORT, 'extension_anchors is append-only');
END;
CREATE TRIGGER extension_anchors_no_delete BEFORE DELETE ON extension_anchors
BEGIN
  SELECT RAISE(ABORT, 'extension_anchors is append-only');
END;
