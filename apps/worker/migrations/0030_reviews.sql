-- Buyers' ratings of a series (issue 21): 1-5 stars and optional plain text, one per buyer and series, editable;
-- the creator replies once. A rating counts (the average and count shown) while its author's purchases still give
-- them something of the series (a fully refunded or charged-back purchase no longer does): read, never stored.
CREATE TABLE reviews (
  id          TEXT PRIMARY KEY,
  series_id   TEXT NOT NULL REFERENCES series(id) ON DELETE CASCADE,
  -- A deleted account's reviews go with it.
  user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  stars       INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
  body        TEXT NOT NULL DEFAULT '' CHECK (length(body) <= 2000),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  reply       TEXT CHECK (reply IS NULL OR length(reply) BETWEEN 1 AND 2000),
  replied_at  INTEGER,
  -- Taken down by an admin after a report: no longer shown or counted.
  removed_at  INTEGER,
  UNIQUE (series_id, user_id),
  CHECK ((reply IS NULL) = (replied_at IS NULL))
);
CREATE INDEX reviews_by_series ON reviews(series_id, created_at DESC, id);
CREATE INDEX reviews_by_user ON reviews(user_id);
