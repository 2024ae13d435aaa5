-- Review before going live, and takedowns (issue 21). Platform settings an admin changes (audited); the first is
-- 'review_required' ('1' or '0'; no row: off, so the publish flow works as before until the platform turns it on).
CREATE TABLE platform_settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  updated_by TEXT REFERENCES users(id) ON DELETE SET NULL
);

-- A series' review: NULL (never asked, or edited since: asked again on publish), 'pending' (submitted, waiting for an
-- admin), 'approved' (may go live as it stands), 'rejected' (with the reason the creator sees).
ALTER TABLE series ADD COLUMN review_state TEXT CHECK (review_state IN ('pending', 'approved', 'rejected'));
ALTER TABLE series ADD COLUMN review_reason TEXT;
ALTER TABLE series ADD COLUMN submitted_at INTEGER;
ALTER TABLE series ADD COLUMN reviewed_at INTEGER;
-- An edit of a live series' title, description or cover waiting for review: the approved version stays live.
-- revision_state 'pending' or 'rejected' (reason in revision_reason); a NULL pending_* field is unchanged.
ALTER TABLE series ADD COLUMN revision_state TEXT CHECK (revision_state IN ('pending', 'rejected'));
ALTER TABLE series ADD COLUMN revision_reason TEXT;
ALTER TABLE series ADD COLUMN revision_at INTEGER;
ALTER TABLE series ADD COLUMN pending_title TEXT;
ALTER TABLE series ADD COLUMN pending_description TEXT;
ALTER TABLE series ADD COLUMN pending_cover INTEGER NOT NULL DEFAULT 0;
ALTER TABLE series ADD COLUMN pending_cover_url TEXT;
-- Taken down by an admin (after a report): off sale, never published again; buyers keep access.
ALTER TABLE series ADD COLUMN taken_down_at INTEGER;
ALTER TABLE series ADD COLUMN takedown_reason TEXT;
CREATE INDEX series_review_queue ON series(submitted_at) WHERE review_state = 'pending';
CREATE INDEX series_revision_queue ON series(revision_at) WHERE revision_state = 'pending';

-- An episode added to a live series while reviews are required: 'pending' until an admin approves it (then NULL),
-- 'rejected' with a reason. Until then it is not sold or played (lib/rules.ts episodeReady).
ALTER TABLE episodes ADD COLUMN review_state TEXT CHECK (review_state IN ('pending', 'rejected'));
ALTER TABLE episodes ADD COLUMN review_reason TEXT;
ALTER TABLE episodes ADD COLUMN submitted_at INTEGER;
CREATE INDEX episodes_review_queue ON episodes(submitted_at) WHERE review_state = 'pending';
