-- Missions, their immutable revisions, and the append-only audit chain: the same tables and
-- columns, in the same order, as the SQLite backend's 0001_init.sql. Timestamps are TEXT in the
-- canonical RFC 3339 UTC microsecond form (cairn_store::audit::canonical_time) and documents are
-- JSON text, so that hashes and dumps are identical across backends.
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
    seq         BIGINT PRIMARY KEY,
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
-- rely on them: the hash chain detects tampering by someone who dropped them. The trigger names
-- are SQLite's; TRUNCATE, which skips row triggers, has its own.
CREATE FUNCTION cairn_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER revisions_immutable BEFORE UPDATE ON revisions
FOR EACH ROW EXECUTE FUNCTION cairn_refuse('revisions are immutable');
CREATE TRIGGER revisions_kept BEFORE DELETE ON revisions
FOR EACH ROW EXECUTE FUNCTION cairn_refuse('revisions are never deleted');
CREATE TRIGGER revisions_not_truncated BEFORE TRUNCATE ON revisions
FOR EACH STATEMENT EXECUTE FUNCTION cairn_refuse('revisions are never deleted');
CREATE TRIGGER audit_append_only BEFORE UPDATE ON audit
FOR EACH ROW EXECUTE FUNCTION cairn_refuse('audit entries are append-only');
CREATE TRIGGER audit_kept BEFORE DELETE ON audit
FOR EACH ROW EXECUTE FUNCTION cairn_refuse('audit entries are never deleted');
CREATE TRIGGER audit_not_truncated BEFORE TRUNCATE ON audit
FOR EACH STATEMENT EXECUTE FUNCTION cairn_refuse('audit entries are never deleted');
