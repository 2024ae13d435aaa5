-- Covers and episode thumbnails uploaded to the worker (issue 19). The image itself lives in R2 (MEDIA bucket,
-- under images/); the row keeps its object name so a replaced or removed image is deleted. series.cover_url is
-- then the worker's own address of the image (GET /v1/images/:name), so every reader of cover_url keeps working.
-- cover_thumb is a small copy (a data: URL of at most 4 KB) that the extension's hash-prefix lookups carry, so
-- the extension never asks our server for a creator's cover.
ALTER TABLE series ADD COLUMN cover_key TEXT;
ALTER TABLE series ADD COLUMN cover_thumb TEXT;
ALTER TABLE episodes ADD COLUMN thumb_key TEXT;
