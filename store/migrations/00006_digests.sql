-- +goose Up
-- What each tenant follows in its weekly digest and when it is sent
-- (weekday 0 = Sunday, hour in timezone, '' = the tenant's zone). Lists
-- are JSON arrays.
CREATE TABLE subscriptions (
    tenant_id  INTEGER PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    recipients TEXT NOT NULL DEFAULT '[]',
    vendors    TEXT NOT NULL DEFAULT '[]',
    products   TEXT NOT NULL DEFAULT '[]',
    categories TEXT NOT NULL DEFAULT '[]',
    weekday    INTEGER NOT NULL DEFAULT 1,
    hour       INTEGER NOT NULL DEFAULT 8,
    timezone   TEXT NOT NULL DEFAULT '',
    enabled    INTEGER NOT NULL DEFAULT 1,
    all_quiet  INTEGER NOT NULL DEFAULT 0,
    updated    INTEGER NOT NULL
);

-- One row per tenant and digest period, claimed (state pending) in a
-- transaction before the message is sent: the UNIQUE constraint is what
-- keeps a restart, a retry or a second replica from sending a period twice.
-- state: pending, sent, empty (nothing to say), failed (retried after
-- next_attempt), superseded (a later period took over its content).
CREATE TABLE digests (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    period_start INTEGER NOT NULL,
    period_end   INTEGER NOT NULL,
    state        TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    subject      TEXT NOT NULL DEFAULT '',
    claimed      INTEGER NOT NULL,
    next_attempt INTEGER NOT NULL DEFAULT 0,
    sent         INTEGER NOT NULL DEFAULT 0,
    UNIQUE (tenant_id, period_end)
);

-- +goose Down
DROP TABLE digests;
DROP TABLE subscriptions;
