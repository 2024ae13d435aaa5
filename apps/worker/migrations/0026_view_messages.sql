-- View reports go through a Cloudflare Queue (VIEWS, src/funnel/view-queue.ts): the request only queues a message,
-- and the consumer counts a whole batch of messages in one D1 batch. A queue delivers at least once, so each
-- message carries an id, recorded here in the same D1 batch that counts it: a message delivered again (a retry,
-- an acknowledgement lost, a duplicate) finds its id and moves nothing, even once its day's view marks are gone.
--
-- `day` is the UTC day the views were reported (the message's), so the hourly job can delete ids the queue can
-- no longer deliver (VIEW_MESSAGE_DAYS). `batch` is random per consumer run: that run's marks and counters move
-- only for the messages it added. No index on day: the hourly delete scans this small table (reads cost far
-- less than the extra row each message would write into an index).
CREATE TABLE view_messages (
  id    TEXT PRIMARY KEY,
  day   TEXT NOT NULL,
  batch TEXT NOT NULL
) WITHOUT ROWID;
