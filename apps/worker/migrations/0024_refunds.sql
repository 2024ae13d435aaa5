-- Refunds a creator (or an admin) makes, and the refunds buyers ask for.

-- "Refund, keep access": a goodwill refund in full that leaves the buyer their access (the purchase stays paid).
ALTER TABLE purchases ADD COLUMN refund_keeps_access INTEGER NOT NULL DEFAULT 0 CHECK (refund_keeps_access IN (0, 1));

-- A buyer asks for a refund of a purchase within 14 days of paying; the creator grants or declines it, and one not
-- answered within 7 days is granted by the platform (the cron). One request per purchase, ever.
CREATE TABLE refund_requests (
  id          TEXT PRIMARY KEY,
  purchase_id TEXT NOT NULL UNIQUE REFERENCES purchases(id),
  creator_id  TEXT NOT NULL REFERENCES creators(id),
  reason      TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'granted', 'declined')),
  -- Who answered: the creator, an admin, or the platform (unanswered for 7 days).
  answered_by TEXT CHECK (answered_by IN ('creator', 'admin', 'platform')),
  refund_id   TEXT,
  created_at  INTEGER NOT NULL,
  answered_at INTEGER
);
CREATE INDEX refund_requests_by_creator ON refund_requests(creator_id, status, created_at);
CREATE INDEX refund_requests_pending ON refund_requests(created_at) WHERE status = 'pending';
