-- Unlock-button views and checkouts started, per episode and UTC day: counts only, never who.
-- episode_id '' counts whole-series checkouts.
CREATE TABLE funnel_daily (
  creator_id TEXT NOT NULL,
  day        TEXT NOT NULL,
  series_id  TEXT NOT NULL,
  episode_id TEXT NOT NULL,
  views      INTEGER NOT NULL DEFAULT 0,
  checkouts  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (creator_id, day, series_id, episode_id)
) WITHOUT ROWID;
