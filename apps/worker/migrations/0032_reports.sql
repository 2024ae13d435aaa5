-- Viewers' reports of a series, an episode or a review (issue 21): a reason from a list and their words; at most 10
-- a day per account; handled by an admin (dismissed, the review removed, or the series taken down).
CREATE TABLE reports (
  id          TEXT PRIMARY KEY,
  reporter_id TEXT REFERENCES users(id) ON DELETE SET NULL,
  target_kind TEXT NOT NULL CHECK (target_kind IN ('series', 'episode', 'review')),
  target_id   TEXT NOT NULL,
  -- The series the target belongs to, for the admin's queue and a takedown.
  series_id   TEXT NOT NULL REFERENCES series(id) ON DELETE CASCADE,
  reason      TEXT NOT NULL CHECK (reason IN ('spam', 'misleading', 'stolen', 'sexual', 'violent', 'hateful', 'other')),
  body        TEXT NOT NULL DEFAULT '' CHECK (length(body) <= 2000),
  created_at  INTEGER NOT NULL,
  resolved_at INTEGER,
  resolved_by TEXT REFERENCES users(id) ON DELETE SET NULL,
  resolution  TEXT CHECK (resolution IN ('dismissed', 'review_removed', 'taken_down')),
  note        TEXT,
  CHECK ((resolved_at IS NULL) = (resolution IS NULL))
);
CREATE INDEX reports_open ON reports(created_at) WHERE resolved_at IS NULL;
CREATE INDEX reports_by_reporter ON reports(reporter_id, created_at);
CREATE INDEX reports_by_series ON reports(series_id);
