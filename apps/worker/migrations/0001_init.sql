-- Accounts. Emails are stored lower-case; password_hash is "pbkdf2-sha256$<iterations>$<salt>$<hash>".
CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);

-- Only the SHA-256 of a session token is stored: a leaked table cannot be replayed.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id);

-- A creator is a user who claimed a video-site handle; only 'approved' creators sell (gradual rollout).
CREATE TABLE creators (
  id                TEXT PRIMARY KEY,
  user_id           TEXT NOT NULL UNIQUE REFERENCES users(id),
  handle            TEXT NOT NULL UNIQUE,
  display_name      TEXT NOT NULL,
  status            TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'suspended')),
  created_at        INTEGER NOT NULL,
  status_changed_at INTEGER NOT NULL
);
CREATE INDEX creators_by_status ON creators(status, created_at);

CREATE TABLE series (
  id           TEXT PRIMARY KEY,
  creator_id   TEXT NOT NULL REFERENCES creators(id),
  title        TEXT NOT NULL,
  description  TEXT NOT NULL DEFAULT '',
  cover_url    TEXT,
  currency     TEXT NOT NULL,
  bundle_price INTEGER CHECK (bundle_price IS NULL OR bundle_price > 0),
  status       TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  published_at INTEGER
);
CREATE INDEX series_by_creator ON series(creator_id, created_at);

-- price NULL = free episode. position orders episodes; the API numbers them 1..n in that order.
CREATE TABLE episodes (
  id               TEXT PRIMARY KEY,
  series_id        TEXT NOT NULL REFERENCES series(id),
  position         INTEGER NOT NULL,
  title            TEXT NOT NULL,
  duration_seconds INTEGER NOT NULL CHECK (duration_seconds BETWEEN 1 AND 1200),
  price            INTEGER CHECK (price IS NULL OR price > 0),
  video_id         TEXT UNIQUE,
  release_at       INTEGER,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);
CREATE INDEX episodes_by_series ON episodes(series_id, position);

-- The platform commission history; the newest row is in force. Purchases copy the rate they were sold at.
CREATE TABLE commission_rates (
  id           TEXT PRIMARY KEY,
  bps          INTEGER NOT NULL CHECK (bps BETWEEN 0 AND 10000),
  effective_at INTEGER NOT NULL,
  set_by       TEXT REFERENCES users(id)
);

-- The ledger. item_key is 'episode:<id>' or 'series:<id>'; episode_id NULL means the whole series.
CREATE TABLE purchases (
  id                TEXT PRIMARY KEY,
  buyer_id          TEXT REFERENCES users(id),
  creator_id        TEXT NOT NULL REFERENCES creators(id),
  series_id         TEXT NOT NULL REFERENCES series(id),
  episode_id        TEXT REFERENCES episodes(id),
  item_key          TEXT NOT NULL,
  amount            INTEGER NOT NULL CHECK (amount > 0),
  currency          TEXT NOT NULL,
  commission_bps    INTEGER NOT NULL CHECK (commission_bps BETWEEN 0 AND 10000),
  commission_amount INTEGER NOT NULL CHECK (commission_amount >= 0),
  payout_amount     INTEGER NOT NULL CHECK (payout_amount >= 0),
  status            TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'paid', 'cancelled', 'expired', 'refunded')),
  -- Why a purchase ended without payment, e.g. 'already_owned' when another checkout for the item won.
  status_reason     TEXT,
  provider          TEXT NOT NULL,
  provider_ref      TEXT,
  idempotency_key   TEXT NOT NULL,
  -- Random per completion attempt: lets the rollup statements of one batch apply only if its UPDATE did.
  completion_id     TEXT,
  created_at        INTEGER NOT NULL,
  expires_at        INTEGER NOT NULL,
  paid_at           INTEGER,
  updated_at        INTEGER NOT NULL,
  UNIQUE (buyer_id, idempotency_key),
  CHECK (commission_amount + payout_amount = amount)
);
-- At most one paid purchase per buyer and item, whatever races.
CREATE UNIQUE INDEX purchases_one_paid_per_item ON purchases(buyer_id, item_key) WHERE status = 'paid';
CREATE INDEX purchases_by_buyer ON purchases(buyer_id, status, series_id);
CREATE INDEX purchases_by_episode ON purchases(episode_id, status);
CREATE INDEX purchases_by_series ON purchases(series_id, status);

-- Rollups, written in the same batch that completes a purchase. episode_id '' is the whole-series bundle.
CREATE TABLE sales_daily (
  creator_id TEXT NOT NULL,
  currency   TEXT NOT NULL,
  day        TEXT NOT NULL,
  series_id  TEXT NOT NULL,
  episode_id TEXT NOT NULL,
  sales      INTEGER NOT NULL DEFAULT 0,
  gross      INTEGER NOT NULL DEFAULT 0,
  commission INTEGER NOT NULL DEFAULT 0,
  payout     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (creator_id, day, currency, series_id, episode_id)
) WITHOUT ROWID;
CREATE INDEX sales_daily_by_item ON sales_daily(creator_id, series_id, episode_id, day);

-- One row per buyer, creator, series and day: distinct buyers over any date range without scanning purchases.
CREATE TABLE buyer_days (
  creator_id TEXT NOT NULL,
  currency   TEXT NOT NULL,
  day        TEXT NOT NULL,
  series_id  TEXT NOT NULL,
  buyer_id   TEXT NOT NULL,
  PRIMARY KEY (creator_id, day, currency, series_id, buyer_id)
) WITHOUT ROWID;

-- Append-only record of admin actions (approvals, suspensions, commission changes).
CREATE TABLE audit_log (
  id         TEXT PRIMARY KEY,
  actor_id   TEXT REFERENCES users(id),
  action     TEXT NOT NULL,
  target     TEXT,
  detail     TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX audit_log_by_time ON audit_log(created_at);
