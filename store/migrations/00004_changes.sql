-- +goose Up
-- A log of notice changes (new notice, new version, new extraction), in
-- commit order. Derived views (the search index, window lookup) follow it
-- from a watermark, so they catch up with writes made by any process.
CREATE TABLE changes (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    notice_id INTEGER NOT NULL
);
INSERT INTO changes (notice_id) SELECT id FROM notices ORDER BY id;

-- +goose Down
DROP TABLE changes;
