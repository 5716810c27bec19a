-- +goose Up
-- The extraction a notice's version had before `gapwatch reextract`
-- replaced it, and when: digests then report the revisions an improved
-- extractor makes (a window read better), not only the vendor's.
CREATE TABLE reextractions (
    notice_id INTEGER NOT NULL REFERENCES notices (id) ON DELETE CASCADE,
    version   INTEGER NOT NULL,
    at        INTEGER NOT NULL,
    previous  TEXT NOT NULL
);
CREATE INDEX reextractions_at ON reextractions (at);
CREATE INDEX reextractions_notice ON reextractions (notice_id, version, at);

-- +goose Down
DROP TABLE reextractions;
