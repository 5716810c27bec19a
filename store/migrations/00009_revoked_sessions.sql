-- +goose Up
-- Web UI sessions live in signed cookies; signing out records the
-- session's nonce here until the cookie would have expired anyway, so a
-- copied cookie stops working at sign-out, in every process sharing the
-- store and across restarts.
CREATE TABLE revoked_sessions (
    nonce   TEXT PRIMARY KEY,
    expires INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX revoked_sessions_expires ON revoked_sessions (expires);

-- +goose Down
DROP TABLE revoked_sessions;
