-- Accounts, their sessions, and the full-text index of every mission's latest revision: the
-- same tables and columns, in the same order, as the SQLite backend's 0002_accounts_search.sql.

-- The password hash is an opaque PHC string made by the caller; the store never sees passwords.
-- Accounts are disabled, never deleted, so that their audit entries keep naming someone.
CREATE TABLE users (
    username              TEXT PRIMARY KEY,
    role                  TEXT NOT NULL,
    password_hash         TEXT NOT NULL,
    disabled              BOOLEAN NOT NULL,
    must_change_password  BOOLEAN NOT NULL,
    created_at            TEXT NOT NULL,
    version               INTEGER NOT NULL
);

-- Sessions by the hash of their token (the token itself stays with the client).
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    username    TEXT NOT NULL REFERENCES users (username),
    created_at  TEXT NOT NULL,
    last_seen   TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (username);

-- One row per text block (Strategy::blocks) of each mission's latest revision, rewritten with
-- every commit; `ord` is the block's place in document order. `id` mirrors SQLite's, where the
-- FTS5 index refers to it. `tsv` is the full-text index's input, English-stemmed: a generated
-- column, left out of the cross-backend schema comparison as SQLite's FTS5 tables are.
CREATE TABLE search (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    mission  TEXT NOT NULL REFERENCES missions (slug),
    rev      INTEGER NOT NULL,
    ord      INTEGER NOT NULL,
    node     TEXT NOT NULL,
    field    TEXT NOT NULL,
    heading  TEXT NOT NULL,
    text     TEXT NOT NULL,
    public   BOOLEAN NOT NULL,
    tsv      TSVECTOR GENERATED ALWAYS AS (to_tsvector('english', text)) STORED,
    UNIQUE (mission, ord)
);
CREATE INDEX search_tsv ON search USING GIN (tsv);
