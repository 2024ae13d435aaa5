-- All-time totals per creator, currency and series, kept by triggers on the daily rollups, so every writer
-- (sales, refunds, chargebacks, account deletion) keeps them right without knowing about them. The all-time
-- summary reads these few rows and subtracts the days after its `to` (none, unless `to` is in the past)
-- instead of summing every day of the creator's history.

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

-- Unique buyers ever: per series (the buyer_days rows without prev_series_day), and across the creator's
-- series in a currency under series_id '' (the rows without prev_day).
CREATE TABLE buyer_totals (
  creator_id TEXT NOT NULL,
  currency   TEXT NOT NULL,
  series_id  TEXT NOT NULL,
  buyers     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (creator_id, currency, series_id)
) WITHOUT ROWID;

INSERT INTO sales_totals (creator_id, currency, series_id, days, sales, gross, refunded, commission, payout)
SELECT creator_id, currency, series_id, COUNT(*), SUM(sales), SUM(gross), SUM(refunded), SUM(commission), SUM(payout)
FROM sales_daily GROUP BY creator_id, currency, series_id;

INSERT INTO buyer_totals (creator_id, currency, series_id, buyers)
SELECT creator_id, currency, '', COUNT(*) FROM buyer_days WHERE prev_day IS NULL GROUP BY creator_id, currency;
INSERT INTO buyer_totals (creator_id, currency, series_id, buyers)
SELECT creator_id, currency, series_id, COUNT(*) FROM buyer_days WHERE prev_series_day IS NULL
GROUP BY creator_id, currency, series_id;

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

CREATE TRIGGER buyer_totals_after_insert AFTER INSERT ON buyer_days BEGIN
  INSERT INTO buyer_totals (creator_id, currency, series_id, buyers)
  SELECT NEW.creator_id, NEW.currency, '', 1 WHERE NEW.prev_day IS NULL
  ON CONFLICT (creator_id, currency, series_id) DO UPDATE SET buyers = buyers + 1;
  INSERT INTO buyer_totals (creator_id, currency, series_id, buyers)
  SELECT NEW.creator_id, NEW.currency, NEW.series_id, 1 WHERE NEW.prev_series_day IS NULL
  ON CONFLICT (creator_id, currency, series_id) DO UPDATE SET buyers = buyers + 1;
END;

-- A purchase confirmed out of day order gives the buyer's later first day a previous day.
CREATE TRIGGER buyer_totals_after_update AFTER UPDATE OF prev_day, prev_series_day ON buyer_days BEGIN
  UPDATE buyer_totals SET buyers = buyers + (NEW.prev_day IS NULL) - (OLD.prev_day IS NULL)
  WHERE creator_id = NEW.creator_id AND currency = NEW.currency AND series_id = '';
  UPDATE buyer_totals SET buyers = buyers + (NEW.prev_series_day IS NULL) - (OLD.prev_series_day IS NULL)
  WHERE creator_id = NEW.creator_id AND currency = NEW.currency AND series_id = NEW.series_id;
END;

CREATE TRIGGER buyer_totals_after_delete AFTER DELETE ON buyer_days BEGIN
  UPDATE buyer_totals SET buyers = buyers - (OLD.prev_day IS NULL)
  WHERE creator_id = OLD.creator_id AND currency = OLD.currency AND series_id = '';
  UPDATE buyer_totals SET buyers = buyers - (OLD.prev_series_day IS NULL)
  WHERE creator_id = OLD.creator_id AND currency = OLD.currency AND series_id = OLD.series_id;
END;
