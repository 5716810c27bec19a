-- +goose Up
-- Customers. Only a hash of each API key is kept.
CREATE TABLE tenants (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL UNIQUE,
    email    TEXT NOT NULL DEFAULT '',
    timezone TEXT NOT NULL DEFAULT 'UTC',
    key_hash TEXT NOT NULL UNIQUE,
    settings TEXT NOT NULL DEFAULT '{}',
    created  INTEGER NOT NULL
);

-- Intervals where a tenant's logs went missing, imported or detected.
-- (tenant, source, start, end) is a gap's identity: importing it twice
-- does not duplicate it.
CREATE TABLE gaps (
    id        INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    source    TEXT NOT NULL,
    product   TEXT NOT NULL DEFAULT '',
    vendor    TEXT NOT NULL DEFAULT '',
    start     INTEGER NOT NULL,
    end       INTEGER NOT NULL,
    note      TEXT NOT NULL DEFAULT '',
    detected  INTEGER NOT NULL DEFAULT 0,
    created   INTEGER NOT NULL,
    UNIQUE (tenant_id, source, start, end)
);
CREATE INDEX gaps_tenant_start ON gaps (tenant_id, start);

-- A tenant's own log source → product names, winning over the catalog.
CREATE TABLE source_map (
    tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    source    TEXT NOT NULL,
    product   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, source)
);

-- Gap ↔ notice links, kept current in both directions; first_linked
-- survives re-linking while the link holds.
CREATE TABLE links (
    gap_id       INTEGER NOT NULL REFERENCES gaps (id) ON DELETE CASCADE,
    notice_id    INTEGER NOT NULL REFERENCES notices (id) ON DELETE CASCADE,
    score        REAL NOT NULL,
    link         TEXT NOT NULL,
    first_linked INTEGER NOT NULL,
    PRIMARY KEY (gap_id, notice_id)
);
CREATE INDEX links_notice ON links (notice_id);

-- +goose Down
DROP TABLE links;
DROP TABLE source_map;
DROP TABLE gaps;
DROP TABLE tenants;
