-- An account deleted while its purchases are spread over ledger shards (docs/scaling.md): the directory's batch
-- that deletes it records here what is left to do on the other shards (the buyer's unpaid checkouts go, paid ones
-- are anonymised, as in the directory's own ledger). The request does it at once; the hourly cron retries a row
-- until every shard has done it, then deletes it. `anonymous` is the stand-in the buyer's buyer_days rows take.
CREATE TABLE account_erasures (
  user_id    TEXT PRIMARY KEY,
  anonymous  TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  attempts   INTEGER NOT NULL DEFAULT 0
);
