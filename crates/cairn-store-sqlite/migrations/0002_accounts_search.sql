-- Accounts, their sessions, and the full-text index of every mission's latest revision.

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
-- every commit; `ord` is the block's place in document order. `id` is what the FTS5 index
-- refers to (an explicit INTEGER PRIMARY KEY, so that VACUUM cannot renumber it).
CREATE TABLE search (
    id       INTEGER PRIMARY KEY,
    mission  TEXT NOT NULL REFERENCES missions (slug),
    rev      INTEGER NOT NULL,
    ord      INTEGER NOT NULL,
    node     TEXT NOT NULL,
    field    TEXT NOT NULL,
    heading  TEXT NOT NULL,
    text     TEXT NOT NULL,
    public   BOOLEAN NOT NULL,
    UNIQUE (mission, ord)
);

-- The index over `search.text` (an external-content FTS5 table: the text is stored once, in
-- `search`), kept in step by triggers. English stemming (Porter), accents folded. The virtual
-- table and its shadow tables are left out of the cross-backend schema comparison, as
-- PostgreSQL's generated tsvector column is: each is that backend's own index structure.
CREATE VIRTUAL TABLE search_fts USING fts5(
    text,
    content = 'search',
    content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER search_indexed AFTER INSERT ON search
BEGIN INSERT INTO search_fts (rowid, text) VALUES (new.id, new.text); END;
CREATE TRIGGER search_unindexed AFTER DELETE ON search
BEGIN INSERT INTO search_fts (search_fts, rowid, text) VALUES ('delete', old.id, old.text); END;
CREATE TRIGGER search_reindexed AFTER UPDATE ON search
BEGIN
    INSERT INTO search_fts (search_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO search_fts (rowid, text) VALUES (new.id, new.text);
END;
