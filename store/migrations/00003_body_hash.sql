-- +goose Up
-- Fingerprint of the last body processed per URL: an identical body served
-- with 200 is treated as not modified.
ALTER TABLE validators ADD COLUMN body_hash TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE validators DROP COLUMN body_hash;
