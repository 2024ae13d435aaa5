-- Email: verified addresses, the recipient's language, single-use links, the local outbox and undeliverable mail.

-- When the account's current address was proven to be its owner's (a link sent there was opened); NULL: not yet.
ALTER TABLE users ADD COLUMN email_verified_at INTEGER;
-- The language mails to this account are written in (set at sign-up from the browser, changed in the account).
ALTER TABLE users ADD COLUMN locale TEXT NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'fr'));

-- Links sent by mail: verify an address (the one in `email`, which may be a new address the account asked to
-- move to) or reset the password. Only the SHA-256 of the token is stored; a link works once (used_at), until
-- expires_at, and only while the account's address is still the one it was sent to (resets). use_id stamps the
-- batch that used it, so the statements of that batch act only when the link was really consumed by it.
CREATE TABLE account_tokens (
  token_hash TEXT PRIMARY KEY,
  purpose    TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  email      TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER,
  use_id     TEXT UNIQUE
);
CREATE INDEX account_tokens_by_user ON account_tokens(user_id, purpose);

-- Hourly limits on mails a person can cause (verification and reset): one row per request, keyed by a keyed
-- hash of the address asked for or of the client's address (never either in clear). Pruned by the cron.
CREATE TABLE mail_requests (
  key_hash   TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX mail_requests_by_key ON mail_requests(key_hash, created_at);

-- The local outbox (MAIL_PROVIDER=outbox: npm start and the tests, never a deploy): mails are kept here instead of
-- being sent, and shown on the local outbox page.
CREATE TABLE mail_outbox (
  id         TEXT PRIMARY KEY,
  to_address TEXT NOT NULL,
  subject    TEXT NOT NULL,
  text_body  TEXT NOT NULL,
  html_body  TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX mail_outbox_by_time ON mail_outbox(created_at);

-- Dead letters: mails that could not be sent after every retry, for an admin to see (never their bodies: they may
-- hold single-use links).
CREATE TABLE mail_failures (
  id         TEXT PRIMARY KEY,
  kind       TEXT NOT NULL,
  to_address TEXT NOT NULL,
  subject    TEXT NOT NULL,
  error      TEXT NOT NULL,
  attempts   INTEGER NOT NULL,
  failed_at  INTEGER NOT NULL
);
CREATE INDEX mail_failures_by_time ON mail_failures(failed_at);
