-- Verified creators (issue 16): a TikTok account connected through Login Kit proves who owns a handle and which
-- videos are theirs, and anyone may sign in with it.
--
-- SQLite cannot change a column's constraints in place, so three tables are rebuilt, as 0015 rebuilt creators:
-- with foreign key checks deferred to the end of this migration, the old table goes first and its rows are
-- copied into the new one after the rename, which settles the references again.
PRAGMA defer_foreign_keys = true;

-- users: an account made with "Continue with TikTok" has no email nor password until its owner adds them. A
-- password is only ever kept beside an email (the email is what signs in with it).
CREATE TABLE users_copy AS SELECT * FROM users;
CREATE TABLE users_new (
  id            TEXT PRIMARY KEY,
  email         TEXT UNIQUE,
  password_hash TEXT,
  created_at    INTEGER NOT NULL,
  CHECK (password_hash IS NULL OR email IS NOT NULL)
);
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
INSERT INTO users (id, email, password_hash, created_at) SELECT id, email, password_hash, created_at FROM users_copy;
DROP TABLE users_copy;

-- episodes: a video id was unique across all episodes, so anyone could block a creator from linking their own
-- video. Now it is unique only among verified links (video_verified = 1: the creator's TikTok token showed the
-- video is theirs); unverified links (creators who have not connected) may repeat, and lookups prefer the
-- verified one.
CREATE TABLE episodes_copy AS SELECT * FROM episodes;
CREATE TABLE episodes_new (
  id                 TEXT PRIMARY KEY,
  series_id          TEXT NOT NULL REFERENCES series(id),
  position           INTEGER NOT NULL,
  title              TEXT NOT NULL,
  duration_seconds   INTEGER NOT NULL CHECK (duration_seconds BETWEEN 1 AND 1200),
  price              INTEGER CHECK (price IS NULL OR price > 0),
  video_id           TEXT,
  release_at         INTEGER,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  media_key          TEXT,
  media_content_type TEXT,
  media_size         INTEGER,
  media_uploaded_at  INTEGER,
  video_hash         TEXT,
  video_verified     INTEGER NOT NULL DEFAULT 0 CHECK (video_verified IN (0, 1)),
  CHECK (video_verified = 0 OR video_id IS NOT NULL)
);
DROP TABLE episodes;
ALTER TABLE episodes_new RENAME TO episodes;
INSERT INTO episodes (id, series_id, position, title, duration_seconds, price, video_id, release_at, created_at,
                      updated_at, media_key, media_content_type, media_size, media_uploaded_at, video_hash)
SELECT id, series_id, position, title, duration_seconds, price, video_id, release_at, created_at,
       updated_at, media_key, media_content_type, media_size, media_uploaded_at, video_hash
FROM episodes_copy;
DROP TABLE episodes_copy;
CREATE INDEX episodes_by_series ON episodes(series_id, position);
CREATE INDEX episodes_by_video_hash ON episodes(video_hash);
CREATE INDEX episodes_unhashed_videos ON episodes(id) WHERE video_id IS NOT NULL AND video_hash IS NULL;
CREATE INDEX episodes_by_video ON episodes(video_id) WHERE video_id IS NOT NULL;
CREATE UNIQUE INDEX episodes_verified_video ON episodes(video_id) WHERE video_verified = 1;

-- creators: a claim can also end because the handle's verified owner took it ('displaced'); verified_by says
-- how the handle was proven ('tiktok': Login Kit, 'bio_code': a one-time code in the bio, confirmed by an
-- admin; NULL: a typed claim, unverified); bio_code is the code the creator was given.
CREATE TABLE creators_copy AS SELECT * FROM creators;
CREATE TABLE creators_new (
  id                     TEXT PRIMARY KEY,
  user_id                TEXT NOT NULL UNIQUE REFERENCES users(id),
  handle                 TEXT UNIQUE,
  display_name           TEXT NOT NULL,
  status                 TEXT NOT NULL DEFAULT 'pending'
                         CHECK (status IN ('pending', 'approved', 'suspended', 'rejected', 'expired', 'displaced')),
  created_at             INTEGER NOT NULL,
  status_changed_at      INTEGER NOT NULL,
  handle_hash            TEXT,
  stripe_account_id      TEXT,
  stripe_charges_enabled INTEGER NOT NULL DEFAULT 0,
  released_handle        TEXT,
  verified_by            TEXT CHECK (verified_by IN ('tiktok', 'bio_code')),
  verified_at            INTEGER,
  bio_code               TEXT,
  bio_code_at            INTEGER,
  CHECK ((status IN ('rejected', 'expired', 'displaced')) = (handle IS NULL)),
  CHECK ((handle IS NULL) = (released_handle IS NOT NULL)),
  CHECK ((verified_by IS NULL) = (verified_at IS NULL))
);
DROP TABLE creators;
ALTER TABLE creators_new RENAME TO creators;
INSERT INTO creators (id, user_id, handle, display_name, status, created_at, status_changed_at, handle_hash,
                      stripe_account_id, stripe_charges_enabled, released_handle)
SELECT id, user_id, handle, display_name, status, created_at, status_changed_at, handle_hash,
       stripe_account_id, stripe_charges_enabled, released_handle
FROM creators_copy;
DROP TABLE creators_copy;
CREATE INDEX creators_by_status ON creators(status, created_at);
CREATE INDEX creators_by_handle_hash ON creators(handle_hash);
CREATE UNIQUE INDEX creators_by_stripe_account ON creators(stripe_account_id) WHERE stripe_account_id IS NOT NULL;
CREATE INDEX creators_pending_by_age ON creators(status_changed_at) WHERE status = 'pending';

-- The TikTok account connected to a Series account (at most one each way). open_id is the user's stable
-- identity for this app; username can change (the handle follows the open_id). The facts are as of
-- checked_at. refresh_token is AES-GCM-encrypted with TOKEN_ENCRYPTION_KEY (never stored in the clear, never
-- sent to a browser); access tokens are never stored.
CREATE TABLE tiktok_accounts (
  open_id            TEXT PRIMARY KEY,
  user_id            TEXT NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
  username           TEXT,
  display_name       TEXT NOT NULL DEFAULT '',
  avatar_url         TEXT,
  follower_count     INTEGER,
  video_count        INTEGER,
  is_verified        INTEGER NOT NULL DEFAULT 0,
  scope              TEXT NOT NULL DEFAULT '',
  refresh_token      TEXT,
  refresh_expires_at INTEGER,
  connected_at       INTEGER NOT NULL,
  checked_at         INTEGER NOT NULL
) WITHOUT ROWID;

-- An OAuth flow in progress: only the SHA-256 of its state is kept, with the SHA-256 of the nonce in the cookie
-- of the browser that started it; used once (deleted on the callback), short-lived.
CREATE TABLE oauth_states (
  state_hash   TEXT PRIMARY KEY,
  browser_hash TEXT NOT NULL,
  user_id      TEXT REFERENCES users(id) ON DELETE CASCADE,
  intent       TEXT NOT NULL CHECK (intent IN ('signin', 'creator')),
  return_to    TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX oauth_states_by_expiry ON oauth_states(expires_at);

-- A verified creator's former handles: their links redirect to the current handle until someone else verifies
-- the old one (then the row goes).
CREATE TABLE handle_redirects (
  handle     TEXT PRIMARY KEY,
  creator_id TEXT NOT NULL REFERENCES creators(id),
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX handle_redirects_by_creator ON handle_redirects(creator_id);
