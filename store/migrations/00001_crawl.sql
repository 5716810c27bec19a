-- +goose Up
-- Sources as configured, with their crawl state. Config declares sources;
-- the store keeps what happened to them.
CREATE TABLE sources (
    name               TEXT PRIMARY KEY,
    kind               TEXT NOT NULL,
    url                TEXT NOT NULL,
    vendor             TEXT NOT NULL DEFAULT '',
    language           TEXT NOT NULL DEFAULT '',
    timezone           TEXT NOT NULL DEFAULT '',
    interval_ms        INTEGER NOT NULL,
    enabled            INTEGER NOT NULL DEFAULT 1,
    fetch_article      INTEGER NOT NULL DEFAULT 0,
    last_fetch         INTEGER NOT NULL DEFAULT 0,
    last_success       INTEGER NOT NULL DEFAULT 0,
    next_check         INTEGER NOT NULL DEFAULT 0,
    consecutive_errors INTEGER NOT NULL DEFAULT 0,
    last_error         TEXT NOT NULL DEFAULT '',
    last_status        INTEGER NOT NULL DEFAULT 0
);

-- HTTP cache validators per fetched URL (a Statuspage source fetches two).
CREATE TABLE validators (
    url           TEXT PRIMARY KEY,
    source        TEXT NOT NULL,
    etag          TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT ''
);

-- Raw bytes of every distinct item content ever fetched, for audit and
-- re-parsing.
CREATE TABLE raw_items (
    source     TEXT NOT NULL,
    item_id    TEXT NOT NULL,
    hash       TEXT NOT NULL,
    raw        BLOB NOT NULL,
    fetched_at INTEGER NOT NULL,
    PRIMARY KEY (source, item_id, hash)
);

-- One row per notice identity (source, item id), holding its latest
-- version denormalised for listing.
CREATE TABLE notices (
    id         INTEGER PRIMARY KEY,
    source     TEXT NOT NULL,
    item_id    TEXT NOT NULL,
    version    INTEGER NOT NULL,
    hash       TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    published  INTEGER NOT NULL,
    vendor     TEXT NOT NULL DEFAULT '',
    title      TEXT NOT NULL DEFAULT '',
    category   TEXT NOT NULL DEFAULT '',
    item       TEXT NOT NULL,
    extraction TEXT NOT NULL,
    UNIQUE (source, item_id)
);
CREATE INDEX notices_published ON notices (published DESC, id DESC);

-- Every version of every notice: vendors revise windows (preliminary vs
-- final reviews) and the old statements stay auditable.
CREATE TABLE notice_versions (
    notice_id  INTEGER NOT NULL REFERENCES notices (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    hash       TEXT NOT NULL,
    seen       INTEGER NOT NULL,
    item       TEXT NOT NULL,
    extraction TEXT NOT NULL,
    PRIMARY KEY (notice_id, version)
);

-- Linked article pages fetched for news items that carry only a summary,
-- cached by URL.
CREATE TABLE articles (
    url           TEXT PRIMARY KEY,
    etag          TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    text          TEXT NOT NULL DEFAULT '',
    fetched_at    INTEGER NOT NULL
);

-- +goose Down
DROP TABLE articles;
DROP TABLE notice_versions;
DROP TABLE notices;
DROP TABLE raw_items;
DROP TABLE validators;
DROP TABLE sources;
