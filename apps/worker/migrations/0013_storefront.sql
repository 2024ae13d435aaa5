-- The storefront: series have addresses (/@handle/<slug>), purchases remember where the buyer came from and
-- where to send them back, and a per-source funnel counts page views, checkouts and purchases (counts only).

-- The slug in force. Every slug a series ever had stays in series_slugs (so old links redirect to the new
-- one), and a slug belongs to one series of a creator for good: the primary key is the uniqueness rule.
ALTER TABLE series ADD COLUMN slug TEXT;
CREATE TABLE series_slugs (
  creator_id TEXT NOT NULL,
  slug       TEXT NOT NULL,
  series_id  TEXT NOT NULL REFERENCES series(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (creator_id, slug)
) WITHOUT ROWID;
CREATE INDEX series_slugs_by_series ON series_slugs(series_id);

-- Series that exist already get a slug from their title, as `slugify` in packages/core makes them: lower-case
-- ASCII letters and digits, common accented Latin letters folded (é → e, ß → ss), every other run of
-- characters one '-', at most 60 characters. A title that gives nothing (other scripts are left to `slugify`,
-- which runs on every later rename), or a slug another series of the same creator got first, falls back to
-- the series id.
CREATE TABLE series_slug_backfill (series_id TEXT PRIMARY KEY, creator_id TEXT NOT NULL, slug TEXT NOT NULL);
INSERT INTO series_slug_backfill (series_id, creator_id, slug)
WITH RECURSIVE
fold(f, t) AS (VALUES ('à','a'), ('á','a'), ('â','a'), ('ã','a'), ('ä','a'), ('å','a'), ('ā','a'), ('ă','a'), ('ą','a'), ('À','a'), ('Á','a'), ('Â','a'), ('Ã','a'), ('Ä','a'), ('Å','a'), ('Ā','a'), ('Ă','a'), ('Ą','a'), ('ç','c'), ('ć','c'), ('č','c'), ('Ç','c'), ('Ć','c'), ('Č','c'), ('ď','d'), ('đ','d'), ('Ď','d'), ('Đ','d'), ('è','e'), ('é','e'), ('ê','e'), ('ë','e'), ('ē','e'), ('ė','e'), ('ę','e'), ('ě','e'), ('È','e'), ('É','e'), ('Ê','e'), ('Ë','e'), ('Ē','e'), ('Ė','e'), ('Ę','e'), ('Ě','e'), ('ğ','g'), ('Ğ','g'), ('ì','i'), ('í','i'), ('î','i'), ('ï','i'), ('ī','i'), ('į','i'), ('ı','i'), ('Ì','i'), ('Í','i'), ('Î','i'), ('Ï','i'), ('Ī','i'), ('Į','i'), ('İ','i'), ('ł','l'), ('ľ','l'), ('ĺ','l'), ('Ł','l'), ('Ľ','l'), ('Ĺ','l'), ('ñ','n'), ('ń','n'), ('ň','n'), ('Ñ','n'), ('Ń','n'), ('Ň','n'), ('ò','o'), ('ó','o'), ('ô','o'), ('õ','o'), ('ö','o'), ('ø','o'), ('ō','o'), ('ő','o'), ('Ò','o'), ('Ó','o'), ('Ô','o'), ('Õ','o'), ('Ö','o'), ('Ø','o'), ('Ō','o'), ('Ő','o'), ('ř','r'), ('ŕ','r'), ('Ř','r'), ('Ŕ','r'), ('ś','s'), ('š','s'), ('ş','s'), ('ș','s'), ('Ś','s'), ('Š','s'), ('Ş','s'), ('Ș','s'), ('ť','t'), ('ţ','t'), ('ț','t'), ('Ť','t'), ('Ţ','t'), ('Ț','t'), ('ù','u'), ('ú','u'), ('û','u'), ('ü','u'), ('ū','u'), ('ů','u'), ('ű','u'), ('ų','u'), ('Ù','u'), ('Ú','u'), ('Û','u'), ('Ü','u'), ('Ū','u'), ('Ů','u'), ('Ű','u'), ('Ų','u'), ('ý','y'), ('ÿ','y'), ('Ý','y'), ('Ÿ','y'), ('ź','z'), ('ż','z'), ('ž','z'), ('Ź','z'), ('Ż','z'), ('Ž','z'), ('ß','ss'), ('æ','ae'), ('Æ','ae'), ('œ','oe'), ('Œ','oe'), ('þ','th'), ('Þ','th')),
walk(series_id, creator_id, rest, out) AS (
  SELECT id, creator_id, lower(title), '' FROM series
  UNION ALL
  SELECT series_id, creator_id, substr(rest, 2),
         out || CASE
           WHEN substr(rest, 1, 1) BETWEEN 'a' AND 'z' OR substr(rest, 1, 1) BETWEEN '0' AND '9' THEN substr(rest, 1, 1)
           WHEN EXISTS (SELECT 1 FROM fold WHERE f = substr(rest, 1, 1)) THEN (SELECT t FROM fold WHERE f = substr(rest, 1, 1))
           WHEN out = '' OR substr(out, -1) = '-' THEN ''
           ELSE '-' END
  FROM walk WHERE rest != ''
)
SELECT series_id, creator_id, trim(substr(trim(out, '-'), 1, 60), '-') FROM walk WHERE rest = '';
UPDATE series_slug_backfill SET slug = series_id
WHERE slug = '' OR EXISTS (SELECT 1 FROM series_slug_backfill o
                           WHERE o.creator_id = series_slug_backfill.creator_id AND o.slug = series_slug_backfill.slug
                             AND o.series_id < series_slug_backfill.series_id);
UPDATE series SET slug = (SELECT slug FROM series_slug_backfill WHERE series_id = series.id);
INSERT INTO series_slugs (creator_id, slug, series_id, created_at)
SELECT creator_id, slug, series_id, (SELECT created_at FROM series WHERE id = series_id) FROM series_slug_backfill;
DROP TABLE series_slug_backfill;
CREATE UNIQUE INDEX series_by_slug ON series(creator_id, slug);

-- Where the storefront checkout started (a path on our own origin, for the provider's success and cancel
-- URLs) and the link's source (`?src=bio`), for the per-source funnel.
ALTER TABLE purchases ADD COLUMN return_to TEXT;
ALTER TABLE purchases ADD COLUMN source TEXT;

-- Storefront page views, checkouts and purchases per creator, UTC day, series ('' for the creator's page)
-- and source ('' when the link carried none). Counts only, never who.
CREATE TABLE source_daily (
  creator_id TEXT NOT NULL,
  day        TEXT NOT NULL,
  series_id  TEXT NOT NULL,
  source     TEXT NOT NULL,
  views      INTEGER NOT NULL DEFAULT 0,
  checkouts  INTEGER NOT NULL DEFAULT 0,
  purchases  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (creator_id, day, series_id, source)
) WITHOUT ROWID;
