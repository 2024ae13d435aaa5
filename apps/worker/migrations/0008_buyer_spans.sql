-- Each buyer's first and last purchase day per creator, currency and series. Unique buyers over a date range
-- then need no scan: buyers whose span lies inside the range count as they are, buyers whose span misses
-- it do not, and only spans straddling an edge are checked against buyer_days (by index).
CREATE TABLE buyer_spans (
  creator_id TEXT NOT NULL,
  currency   TEXT NOT NULL,
  series_id  TEXT NOT NULL,
  buyer_id   TEXT NOT NULL,
  first_day  TEXT NOT NULL,
  last_day   TEXT NOT NULL,
  -- Buyer before series: counting distinct buyers per currency then reads the key in order, no sort.
  PRIMARY KEY (creator_id, currency, buyer_id, series_id)
) WITHOUT ROWID;

INSERT INTO buyer_spans (creator_id, currency, series_id, buyer_id, first_day, last_day)
SELECT creator_id, currency, series_id, buyer_id, MIN(day), MAX(day) FROM buyer_days
GROUP BY creator_id, currency, series_id, buyer_id;

CREATE INDEX buyer_days_by_buyer ON buyer_days(creator_id, buyer_id, currency, series_id, day);
