-- +goose Up
-- A change counter for the gaps table: gap IDs can be reused (INTEGER
-- PRIMARY KEY without AUTOINCREMENT takes max(id)+1), so count and id
-- range do not tell a changed gap set from the old one. Every insert,
-- update and delete bumps the counter, so a gap index built at version v
-- is current exactly while the counter is still v.
CREATE TABLE gaps_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO gaps_version (id, version) VALUES (1, 1);

-- +goose StatementBegin
CREATE TRIGGER gaps_version_insert AFTER INSERT ON gaps
BEGIN
    UPDATE gaps_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER gaps_version_update AFTER UPDATE ON gaps
BEGIN
    UPDATE gaps_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER gaps_version_delete AFTER DELETE ON gaps
BEGIN
    UPDATE gaps_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER gaps_version_delete;
DROP TRIGGER gaps_version_update;
DROP TRIGGER gaps_version_insert;
DROP TABLE gaps_version;
