-- Missions, their immutable revisions, and the append-only audit chain.
CREATE TABLE missions (
    slug        TEXT PRIMARY KEY,
    country     TEXT,
    bureau      TEXT,
    created_at  TEXT NOT NULL,
    version     INTEGER NOT NULL,
    latest_rev  INTEGER NOT NULL
);

CREATE TABLE revisions (
    mission     TEXT NOT NULL REFERENCES missions (slug),
    rev         INTEGER NOT NULL,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    message     TEXT NOT NULL,
    source      TEXT NOT NULL,
    strategy    TEXT NOT NULL,
    identity    TEXT NOT NULL,
    digest      TEXT NOT NULL,
    PRIMARY KEY (mission, rev)
);

CREATE TABLE audit (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    object      TEXT NOT NULL,
    before      TEXT,
    after       TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);

-- The application never changes history; these make an accident loud. Verification does not
-- rely on them: the hash chain detects tampering by someone who dropped them.
CREATE TRIGGER revisions_immutable BEFORE UPDATE ON revisions
BEGIN SELECT RAISE(ABORT, 'revisions are immutable'); END;
CREATE TRIGGER revisions_kept BEFORE DELETE ON revisions
BEGIN SELECT RAISE(ABORT, 'revisions are never deleted'); END;
CREATE TRIGGER audit_append_only BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
CREATE TRIGGER audit_kept BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit entries are never deleted'); END;
