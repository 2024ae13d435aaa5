-- Verified creators (issue 16, part 2): the platform's criteria for creators and what follows from them.
--
-- One row (id = 1), the admin's settings: the criteria shown beside each claim (TikTok's own Series asks for at
-- least 10,000 followers), whether a verified claim that meets them is approved at once, and whether selling
-- needs a verified handle (off until an admin turns it on: creators from before verification keep selling).
-- Every change is audited (admin.verification_settings).
CREATE TABLE verification_settings (
  id                   INTEGER PRIMARY KEY CHECK (id = 1),
  min_followers        INTEGER NOT NULL DEFAULT 10000 CHECK (min_followers BETWEEN 0 AND 1000000000),
  min_videos           INTEGER NOT NULL DEFAULT 0 CHECK (min_videos BETWEEN 0 AND 1000000),
  auto_approve         INTEGER NOT NULL DEFAULT 0 CHECK (auto_approve IN (0, 1)),
  require_verification INTEGER NOT NULL DEFAULT 0 CHECK (require_verification IN (0, 1)),
  updated_at           INTEGER NOT NULL,
  updated_by           TEXT REFERENCES users(id)
);
INSERT INTO verification_settings (id, updated_at) VALUES (1, 0);

-- The bio-code fallback: the code a creator was given stays unique while it is theirs (creators.bio_code, added
-- by 0017), so a code seen in a bio names one claim.
CREATE UNIQUE INDEX creators_by_bio_code ON creators(bio_code) WHERE bio_code IS NOT NULL;
