-- Creators' notices by mail. A daily summary of yesterday's sales (UTC) goes to those who opt in (daily_summary),
-- at most once a day: summary_sent_day is the last day summarised, set in the statement that claims the mail.
ALTER TABLE creators ADD COLUMN daily_summary INTEGER NOT NULL DEFAULT 0 CHECK (daily_summary IN (0, 1));
ALTER TABLE creators ADD COLUMN summary_sent_day TEXT;
CREATE INDEX creators_daily_summary ON creators(daily_summary, summary_sent_day) WHERE daily_summary = 1;
-- The creator's first sale ever, marked once (its notice goes once): the first of the sales made so far.
ALTER TABLE creators ADD COLUMN first_sale_id TEXT;
UPDATE creators SET first_sale_id = (
  SELECT p.id FROM purchases p WHERE p.creator_id = creators.id AND p.paid_at IS NOT NULL ORDER BY p.paid_at, p.id LIMIT 1
);
