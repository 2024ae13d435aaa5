-- Tax in the rollups, and how a taxed Stripe sale pays its creator (issue 21).

-- The tax included in each day's sales, net of what refunds and chargebacks gave back (as commission and payout
-- are): commission + payout + tax = gross - refunded. sales_totals keeps its sum by the same three triggers,
-- recreated with it, and the covering indexes the analytics read carry it too.
ALTER TABLE sales_daily ADD COLUMN tax INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sales_totals ADD COLUMN tax INTEGER NOT NULL DEFAULT 0;

DROP INDEX sales_daily_by_item;
DROP INDEX sales_daily_by_currency;
CREATE INDEX sales_daily_by_item ON sales_daily(creator_id, series_id, episode_id, day,
  currency, sales, gross, refunded, commission, payout, tax);
CREATE INDEX sales_daily_by_currency ON sales_daily(creator_id, currency, day, series_id,
  sales, gross, refunded, commission, payout, tax);

DROP TRIGGER sales_totals_after_insert;
DROP TRIGGER sales_totals_after_update;
DROP TRIGGER sales_totals_after_delete;

CREATE TRIGGER sales_totals_after_insert AFTER INSERT ON sales_daily BEGIN
  INSERT INTO sales_totals (creator_id, currency, series_id, days, sales, gross, refunded, commission, payout, discounts,
                            tax)
  VALUES (NEW.creator_id, NEW.currency, NEW.series_id, 1, NEW.sales, NEW.gross, NEW.refunded, NEW.commission, NEW.payout,
          NEW.discounts, NEW.tax)
  ON CONFLICT (creator_id, currency, series_id) DO UPDATE SET
    days = days + 1, sales = sales + excluded.sales, gross = gross + excluded.gross,
    refunded = refunded + excluded.refunded, commission = commission + excluded.commission,
    payout = payout + excluded.payout, discounts = discounts + excluded.discounts, tax = tax + excluded.tax;
END;

CREATE TRIGGER sales_totals_after_update AFTER UPDATE ON sales_daily BEGIN
  UPDATE sales_totals SET
    days = days - 1, sales = sales - OLD.sales, gross = gross - OLD.gross, refunded = refunded - OLD.refunded,
    commission = commission - OLD.commission, payout = payout - OLD.payout, discounts = discounts - OLD.discounts,
    tax = tax - OLD.tax
  WHERE creator_id = OLD.creator_id AND currency = OLD.currency AND series_id = OLD.series_id;
  INSERT INTO sales_totals (creator_id, currency, series_id, days, sales, gross, refunded, commission, payout, discounts,
                            tax)
  VALUES (NEW.creator_id, NEW.currency, NEW.series_id, 1, NEW.sales, NEW.gross, NEW.refunded, NEW.commission, NEW.payout,
          NEW.discounts, NEW.tax)
  ON CONFLICT (creator_id, currency, series_id) DO UPDATE SET
    days = days + 1, sales = sales + excluded.sales, gross = gross + excluded.gross,
    refunded = refunded + excluded.refunded, commission = commission + excluded.commission,
    payout = payout + excluded.payout, discounts = discounts + excluded.discounts, tax = tax + excluded.tax;
END;

CREATE TRIGGER sales_totals_after_delete AFTER DELETE ON sales_daily BEGIN
  UPDATE sales_totals SET
    days = days - 1, sales = sales - OLD.sales, gross = gross - OLD.gross, refunded = refunded - OLD.refunded,
    commission = commission - OLD.commission, payout = payout - OLD.payout, discounts = discounts - OLD.discounts,
    tax = tax - OLD.tax
  WHERE creator_id = OLD.creator_id AND currency = OLD.currency AND series_id = OLD.series_id;
END;

-- A sale made while the deploy collects tax through Stripe is a separate charge on the platform (automatic tax,
-- prices tax-inclusive), not a destination charge: the creator's payout, known only once the buyer's address and
-- so the tax are, goes to them after payment as a Transfer (transfer_ref) tied to the charge; refunds take back
-- from it by transfer reversals, transfer_reversed being what they took so far.
ALTER TABLE purchases ADD COLUMN separate_charge INTEGER NOT NULL DEFAULT 0 CHECK (separate_charge IN (0, 1));
ALTER TABLE purchases ADD COLUMN transfer_ref TEXT;
ALTER TABLE purchases ADD COLUMN transfer_reversed INTEGER NOT NULL DEFAULT 0 CHECK (transfer_reversed >= 0);
