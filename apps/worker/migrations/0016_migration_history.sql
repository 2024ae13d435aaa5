-- Migrations are history: 0009 and 0011 were edited after they had been committed, and have been put back as
-- first committed, so a database that applied any version of them is on a path another one took. This migration
-- brings all of them to the same schema, whichever version each applied; every statement succeeds on each.
-- (A database that applied 0011_all_time_totals.sql, the file 0011_range_totals.sql replaced, cannot get here:
-- it already has sales_totals. `npm start` detects that local database and says how to reset it.)

-- 0009 as first committed also made two partial indexes for all-time buyer counts; since 0011 those counts come
-- from buyer_day_counts, and the indexes only slow every purchase down.
DROP INDEX IF EXISTS buyer_days_firsts_ever;
DROP INDEX IF EXISTS buyer_days_series_firsts_ever;

-- 0011 as first committed moved a whole row out of and back into sales_totals on every update of sales_daily.
-- Every sale, refund and chargeback adds to an existing day's row: its amounts change, its key never does.
DROP TRIGGER IF EXISTS sales_totals_after_update;
CREATE TRIGGER sales_totals_after_update AFTER UPDATE OF sales, gross, refunded, commission, payout ON sales_daily BEGIN
  UPDATE sales_totals SET
    sales = sales + NEW.sales - OLD.sales, gross = gross + NEW.gross - OLD.gross,
    refunded = refunded + NEW.refunded - OLD.refunded, commission = commission + NEW.commission - OLD.commission,
    payout = payout + NEW.payout - OLD.payout
  WHERE creator_id = NEW.creator_id AND currency = NEW.currency AND series_id = NEW.series_id;
END;
