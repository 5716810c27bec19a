-- +goose Up
-- The crawler reads a source's validators before every fetch.
CREATE INDEX validators_source ON validators (source);

-- +goose Down
DROP INDEX validators_source;
