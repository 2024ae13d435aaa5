-- Gross before discounts for all time without reading every day (issue 20): sales_totals keeps the sum of
-- sales_daily.discounts (migration 0028) like its other sums, by the same three triggers, recreated with it.
ALTER TABLE sales_totals ADD COLUMN discounts INTEGER NOT NULL DEFAULT 0;

UPDATE sales_totals SET discounts = COALESCE((SELECT SUM(d.discounts) FROM sales_daily d
  WHERE d.creator_id = sales_totals.creator_id AND d.currency = sales_totals.currency
    AND d.series_id = sales_totals.series_id), 0);

DROP TRIGGER sales_totals_after_insert;
DROP TRIGGER sales_totals_after_update;
DROP TRIGGER sales_totals_after_delete;

CREATE TRIGGER sales_totals_after_insert AFTER INSERT ON sales_daily BEGIN
  INSERT INTO sales_totals (creator_id, currency, series_id, days, sales, gross, refunded, commission, payout, discounts)
  VALUES (NEW.creator_id, NEW.currency, NEW.series_id, 1, NEW.sales, NEW.gross, NEW.refunded, NEW.commission, NEW.payout,
          NEW.discounts)
  ON CONFLICT (creator_id, currency, series_id) DO UPDATE SET
    days = days + 1, sales = sales + excluded.sales, gross = gross + excluded.gross,
    refunded = refunded + excluded.refunded, commission = commission + excluded.commission,
    payout = payout + excluded.payout, discounts = discounts + excluded.discounts;
END;

CREATE TRIGGER sales_totals_after_update AFTER UPDATE ON sales_daily BEGIN
  UPDATE sales_totals SET
    days = days - 1, sales = sales - OLD.sales, gross = gross - OLD.gross, refunded = refunded - OLD.refunded,
    commission = commission - OLD.commission, payout = payout - OLD.payout, discounts = discounts - OLD.discounts
  WHERE creator_id = OLD.creator_id AND currency = OLD.currency AND series_id = OLD.series_id;
  INSERT INTO sales_totals (creator_id, currency, series_id, days, sales, gross, refunded, commission, payout, discounts)
  VALUES (NEW.creator_id, NEW.currency, NEW.series_id, 1, NEW.sales, NEW.gross, NEW.refunded, NEW.commission, NEW.payout,
          NEW.discounts)
  ON CONFLICT (creator_id, currency, series_id) DO UPDATE SET
    days = days + 1, sales = sales + excluded.sales, gross = gross + excluded.gross,
    refunded = refunded + excluded.refunded, commission = commission + excluded.commission,
    payout = payout + excluded.payout, discounts = discounts + excluded.discounts;
END;

CREATE TRIGGER sales_totals_after_delete AFTER DELETE ON sales_daily BEGIN
  UPDATE sales_totals SET
    days = days - 1, sales = sales - OLD.sales, gross = gross - OLD.gross, refunded = refunded - OLD.refunded,
    commission = commission - OLD.commission, payout = payout - OLD.payout, discounts = discounts - OLD.discounts
  WHERE creator_id = OLD.creator_id AND currency = OLD.currency AND series_id = OLD.series_id;
END;
