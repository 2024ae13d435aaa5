-- Public lookups by hash prefix (k-anonymity): the extension asks for every creator (or linked video) whose key
-- hashes to the same first 4-5 hex characters and keeps its own match on the device, so the API never learns
-- which profile or video a viewer looks at. Stored: lower-case hex SHA-256 of the (lower-case) handle and of the
-- video id. A prefix query is a range scan, [prefix, prefix || 'g'), on these indexes.
-- SQLite has no SHA-256, so rows written before this migration are hashed by the worker on the first lookup
-- (see src/lookup/queries.ts); the partial indexes make finding them cheap.
ALTER TABLE creators ADD COLUMN handle_hash TEXT;
ALTER TABLE episodes ADD COLUMN video_hash TEXT;
CREATE INDEX creators_by_handle_hash ON creators(handle_hash);
CREATE INDEX episodes_by_video_hash ON episodes(video_hash);
CREATE INDEX episodes_unhashed_videos ON episodes(id) WHERE video_id IS NOT NULL AND video_hash IS NULL;
