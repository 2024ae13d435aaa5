-- The episode's current video in R2. Switching media_key is the atomic "replace"; the key is never exposed.
ALTER TABLE episodes ADD COLUMN media_key TEXT;
ALTER TABLE episodes ADD COLUMN media_content_type TEXT;
ALTER TABLE episodes ADD COLUMN media_size INTEGER;
ALTER TABLE episodes ADD COLUMN media_uploaded_at INTEGER;

-- One row per upload attempt; each writes its own R2 key, so a failed or abandoned upload never touches the
-- episode's current video. Status: open -> completed (now current) -> superseded, or rejected / aborted.
CREATE TABLE media_uploads (
  id            TEXT PRIMARY KEY,
  episode_id    TEXT NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
  r2_key        TEXT NOT NULL UNIQUE,
  r2_upload_id  TEXT,
  size          INTEGER NOT NULL CHECK (size > 0),
  part_size     INTEGER NOT NULL CHECK (part_size > 0),
  status        TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'completing', 'completed', 'rejected', 'aborted', 'superseded')),
  failure_code  TEXT,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE INDEX media_uploads_by_episode ON media_uploads(episode_id, status);

CREATE TABLE media_upload_parts (
  upload_id   TEXT NOT NULL REFERENCES media_uploads(id) ON DELETE CASCADE,
  part_number INTEGER NOT NULL,
  etag        TEXT NOT NULL,
  size        INTEGER NOT NULL,
  PRIMARY KEY (upload_id, part_number)
) WITHOUT ROWID;
