-- Summaries whose cost does not grow with the creator's history or the range, kept by triggers on the daily
-- rollups, so every writer (sales, refunds, chargebacks, account deletion) keeps them right without knowing
-- about them.

-- Sums of sales_daily per series; `days` counts its rows, so a currency with no row shows no total.
CREATE TABLE sales_totals (
  creator_id TEXT NOT NULL,
  currency   TEXT NOT NULL,
  series_id  TEXT NOT NULL,
  days       INTEGER NOT NULL DEFAULT 0,
  sales      INTEGER NOT NULL DEFAULT 0,
  gross      INTEGER NOT NULL DEFAULT 0,
  refunded   INTEGER NOT NULL DEFAULT 0,
  commission INTEGER NOT NULL DEFAULT 0,
  payout     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (creator_id, currency, series_id)
) WITHOUT ROWID;

-- Unique buyers of any range from per-day counts. With buyer_days as of migration 0009, the buyers with a
-- purchase on or after `from` are the rows whose previous day lies before `from` while their own does not, so
--   buyers in [from, to] = (rows whose previous day < from) - (rows whose day < from)
--                          - (rows after `to` whose previous day < from)
-- The first two are sums over the days before `from` here; the last is an index range after `to` (empty when
-- `to` is today). Per series, and across the creator's series in a currency under series_id ''. A row
-- without a previous day counts as pointing at day '', before every date.
CREATE TABLE buyer_day_counts (
  creator_id TEXT NOT NULL,
  currency   TEXT NOT NULL,
  series_id  TEXT NOT NULL,
  day        TEXT NOT NULL,
  rows_on_day   INTEGER NOT NULL DEFAULT 0, -- buyer_days rows on this day
  rows_pointing INTEGER NOT NULL DEFAULT 0, -- buyer_days rows whose previous day is this day
  PRIMARY KEY (creator_id, currency, series_id, day)
) WITHOUT ROWID;

INSERT INTO sales_totals (creator_id, currency, series_id, days, sales, gross, refunded, commission, payout)
SELECT creator_id, currency, series_id, COUNT(*), SUM(sales), SUM(gross), SUM(refunded), SUM(commission), SUM(payout)
FROM sales_daily GROUP BY creator_id, currency, series_id;

INSERT INTO buyer_day_counts (creator_id, currency, series_id, day, rows_on_day, rows_pointing)
SELECT creator_id, currency, series_id, day, SUM(rows_on_day), SUM(rows_pointing) FROM (
  SELECT creator_id, currency, '' AS series_id, day, 1 AS rows_on_day, 0 AS rows_pointing FROM buyer_days
  UNION ALL SELECT creator_id, currency, '', COALESCE(prev_day, ''), 0, 1 FROM buyer_days
  UNION ALL SELECT creator_id, currency, series_id, day, 1, 0 FROM buyer_days
  UNION ALL SELECT creator_id, currency, series_id, COALESCE(prev_series_day, ''), 0, 1 FROM buyer_days
) GROUP BY creator_id, currency, series_id, day;

CREATE TRIGGER sales_totals_after_insert AFTER INSERT ON sales_daily BEGIN
  INSERT INTO sales_totals (creator_id, currency, series_id, days, sales, gross, refunded, commission, payout)
  VALUES (NEW.creator_id, NEW.currency, NEW.series_id, 1, NEW.sales, NEW.gross, NEW.refunded, NEW.commission, NEW.payout)
  ON CONFLICT (creator_id, currency, series_id) DO UPDATE SET
    days = days + 1, sales = sales + excluded.sales, gross = gross + excluded.gross,
    refunded = refunded + excluded.refunded, commission = commission + excluded.commission,
    payout = payout + excluded.payout;
END;

CREATE TRIGGER sales_totals_after_update AFTER UPDATE ON sales_daily BEGIN
  UPDATE sales_totals SET
    days = days - 1, sales = sales - OLD.sales, gross = gross - OLD.gross, refunded = refunded - OLD.refunded,
    commission = commission - OLD.commission, payout = payout - OLD.payout
  WHERE creator_id = OLD.creator_id AND currency = OLD.currency AND series_id = OLD.series_id;
  INSERT INTO sales_totals (creator_id, currency, series_id, days, sales, gross, refunded, commission, payout)
  VALUES (NEW.creator_id, NEW.currency, NEW.series_id, 1, NEW.sales, NEW.gross, NEW.refunded, NEW.commission, NEW.payout)
  ON CONFLICT (creator_id, currency, series_id) DO UPDATE SET
    days = days + 1, sales = sales + excluded.sales, gross = gross + excluded.gross,
    refunded = refunded + excluded.refunded, commission = commission + excluded.commission,
    payout = payout + excluded.payout;
END;

CREATE TRIGGER sales_totals_after_delete AFTER DELETE ON sales_daily BEGIN
  UPDATE sales_totals SET
    days = days - 1, sales = sales - OLD.sales, gross = gross - OLD.gross, refunded = refunded - OLD.refunded,
    commission = commission - OLD.commission, payout = payout - OLD.payout
  WHERE creator_id = OLD.creator_id AND currency = OLD.currency AND series_id = OLD.series_id;
END;

CREATE TRIGGER buyer_day_counts_after_insert AFTER INSERT ON buyer_days BEGIN
  INSERT INTO buyer_day_counts (creator_id, currency, series_id, day, rows_on_day)
  VALUES (NEW.creator_id, NEW.currency, '', NEW.day, 1)
  ON CONFLICT (creator_id, currency, series_id, day) DO UPDATE SET rows_on_day = rows_on_day + excluded.rows_on_day;
  INSERT INTO buyer_day_counts (creator_id, currency, series_id, day, rows_pointing)
  VALUES (NEW.creator_id, NEW.currency, '', COALESCE(NEW.prev_day, ''), 1)
  ON CONFLICT (creator_id, currency, series_id, day) DO UPDATE SET rows_pointing = rows_pointing + excluded.rows_pointing;
  INSERT INTO buyer_day_counts (creator_id, currency, series_id, day, rows_on_day)
  VALUES (NEW.creator_id, NEW.currency, NEW.series_id, NEW.day, 1)
  ON CONFLICT (creator_id, currency, series_id, day) DO UPDATE SET rows_on_day = rows_on_day + excluded.rows_on_day;
  INSERT INTO buyer_day_counts (creator_id, currency, series_id, day, rows_pointing)
  VALUES (NEW.creator_id, NEW.currency, NEW.series_id, COALESCE(NEW.prev_series_day, ''), 1)
  ON CONFLICT (creator_id, currency, series_id, day) DO UPDATE SET rows_pointing = rows_pointing + excluded.rows_pointing;
END;

-- A purchase confirmed out of day order gives the buyer's next day a new previous day.
CREATE TRIGGER buyer_day_counts_after_update AFTER UPDATE OF prev_day, prev_series_day ON buyer_days BEGIN
  UPDATE buyer_day_counts SET rows_pointing = rows_pointing - 1
  WHERE creator_id = OLD.creator_id AND currency = OLD.currency AND series_id = '' AND day = COALESCE(OLD.prev_day, '')
    AND OLD.prev_day IS NOT NEW.prev_day;
  INSERT INTO buyer_day_counts (creator_id, currency, series_id, day, rows_pointing)
  SELECT NEW.creator_id, NEW.currency, '', COALESCE(NEW.prev_day, ''), 1 WHERE OLD.prev_day IS NOT NEW.prev_day
  ON CONFLICT (creator_id, currency, series_id, day) DO UPDATE SET rows_pointing = rows_pointing + 1;
  UPDATE buyer_day_counts SET rows_pointing = rows_pointing - 1
  WHERE creator_id = OLD.creator_id AND currency = OLD.currency AND series_id = OLD.series_id
    AND day = COALESCE(OLD.prev_series_day, '') AND OLD.prev_series_day IS NOT NEW.prev_series_day;
  INSERT INTO buyer_day_counts (creator_id, currency, series_id, day, rows_pointing)
  SELECT NEW.creator_id, NEW.currency, NEW.series_id, COALESCE(NEW.prev_series_day, ''), 1
  WHERE OLD.prev_series_day IS NOT NEW.prev_series_day
  ON CONFLICT (creator_id, currency, series_id, day) DO UPDATE SET rows_pointing = rows_pointing + 1;
END;

CREATE TRIGGER buyer_day_counts_after_delete AFTER DELETE ON buyer_days BEGIN
  UPDATE buyer_day_counts SET rows_on_day = rows_on_day - 1
  WHERE creator_id = OLD.creator_id AND currency = OLD.currency AND series_id IN ('', OLD.series_id) AND day = OLD.day;
  UPDATE buyer_day_counts SET rows_pointing = rows_pointing - 1
  WHERE creator_id = OLD.creator_id AND currency = OLD.currency AND series_id = '' AND day = COALESCE(OLD.prev_day, '');
  UPDATE buyer_day_counts SET rows_pointing = rows_pointing - 1
  WHERE creator_id = OLD.creator_id AND currency = OLD.currency AND series_id = OLD.series_id
    AND day = COALESCE(OLD.prev_series_day, '');
END;
