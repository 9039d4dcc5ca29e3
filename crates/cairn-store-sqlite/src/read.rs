//! Queries. Every function takes a connection or an open transaction.

use cairn_store::search::{self, MARK_END, MARK_START, SNIPPET_WORDS};
use cairn_store::{
    AuditEntry, Credentials, DUMP_FORMAT, Dump, Mission, Revision, RevisionInfo, SearchHit,
    SearchQuery, SearchResults, Session, Slug, StoreError, User, Username,
};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

use crate::db_err;

pub(crate) fn corrupt(what: &str, e: impl std::fmt::Display) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("{what}: {e}").into(),
    )
}

pub(crate) fn time(r: &Row, i: usize) -> rusqlite::Result<DateTime<Utc>> {
    let s: String = r.get(i)?;
    DateTime::parse_from_rfc3339(&s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| corrupt("timestamp", e))
}

pub(crate) fn slug(r: &Row, i: usize) -> rusqlite::Result<Slug> {
    let s: String = r.get(i)?;
    Slug::parse(&s).map_err(|e| corrupt("mission slug", e))
}

pub(crate) fn json<T: serde::de::DeserializeOwned>(
    r: &Row,
    i: usize,
    what: &str,
) -> rusqlite::Result<T> {
    let s: String = r.get(i)?;
    serde_json::from_str(&s).map_err(|e| corrupt(what, e))
}

const MISSION: &str = "SELECT slug, country, bureau, created_at, version, latest_rev FROM missions";

fn mission_row(r: &Row) -> rusqlite::Result<Mission> {
    Ok(Mission {
        slug: slug(r, 0)?,
        country: r.get(1)?,
        bureau: r.get(2)?,
        created_at: time(r, 3)?,
        version: r.get(4)?,
        latest_rev: r.get(5)?,
    })
}

pub fn missions(conn: &Connection) -> Result<Vec<Mission>, StoreError> {
    let mut stmt = conn
        .prepare(&format!("{MISSION} ORDER BY slug"))
        .map_err(db_err)?;
    let rows = stmt.query_map([], mission_row).map_err(db_err)?;
    rows.collect::<Result<_, _>>().map_err(db_err)
}

pub fn mission(conn: &Connection, slug: &Slug) -> Result<Option<Mission>, StoreError> {
    conn.query_row(
        &format!("{MISSION} WHERE slug = ?1"),
        [slug.as_str()],
        mission_row,
    )
    .optional()
    .map_err(db_err)
}

const REVISION: &str =
    "SELECT mission, rev, at, actor, message, source, strategy, identity, digest FROM revisions";

fn revision_row(r: &Row) -> rusqlite::Result<Revision> {
    Ok(Revision {
        slug: slug(r, 0)?,
        rev: r.get(1)?,
        at: time(r, 2)?,
        actor: r.get(3)?,
        message: r.get(4)?,
        source: r.get(5)?,
        strategy: json(r, 6, "strategy")?,
        identity: json(r, 7, "identity")?,
        digest: r.get(8)?,
    })
}

/// A revision, or the latest when `rev` is None.
pub fn revision(
    conn: &Connection,
    slug: &Slug,
    rev: Option<u32>,
) -> Result<Option<Revision>, StoreError> {
    let found = match rev {
        Some(n) => conn
            .query_row(
                &format!("{REVISION} WHERE mission = ?1 AND rev = ?2"),
                params![slug.as_str(), n],
                revision_row,
            )
            .optional(),
        None => conn
            .query_row(
                &format!("{REVISION} WHERE mission = ?1 ORDER BY rev DESC LIMIT 1"),
                [slug.as_str()],
                revision_row,
            )
            .optional(),
    };
    found.map_err(db_err)
}

/// Revisions after `after`, oldest first.
pub fn history(
    conn: &Connection,
    slug: &Slug,
    after: u32,
) -> Result<Vec<RevisionInfo>, StoreError> {
    let mut stmt = conn
        .prepare("SELECT rev, at, actor, message, digest FROM revisions WHERE mission = ?1 AND rev > ?2 ORDER BY rev")
        .map_err(db_err)?;
    let rows = stmt
        .query_map(params![slug.as_str(), after], |r| {
            Ok(RevisionInfo {
                rev: r.get(0)?,
                at: time(r, 1)?,
                actor: r.get(2)?,
                message: r.get(3)?,
                digest: r.get(4)?,
            })
        })
        .map_err(db_err)?;
    rows.collect::<Result<_, _>>().map_err(db_err)
}

const AUDIT: &str =
    "SELECT seq, at, actor, action, object, before, after, prev_hash, hash FROM audit";

fn audit_row(r: &Row) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        seq: u64::try_from(r.get::<_, i64>(0)?).map_err(|e| corrupt("audit sequence", e))?,
        at: time(r, 1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        object: r.get(4)?,
        before: r.get(5)?,
        after: r.get(6)?,
        prev_hash: r.get(7)?,
        hash: r.get(8)?,
    })
}

pub fn audit_log(conn: &Connection) -> Result<Vec<AuditEntry>, StoreError> {
    let mut stmt = conn
        .prepare(&format!("{AUDIT} ORDER BY seq"))
        .map_err(db_err)?;
    let rows = stmt.query_map([], audit_row).map_err(db_err)?;
    rows.collect::<Result<_, _>>().map_err(db_err)
}

pub fn last_audit(conn: &Connection) -> Result<Option<AuditEntry>, StoreError> {
    conn.query_row(&format!("{AUDIT} ORDER BY seq DESC LIMIT 1"), [], audit_row)
        .optional()
        .map_err(db_err)
}

/// SQLite's own checks, foreign keys, and the store's invariants: revisions numbered 1..n with
/// the mission pointing at the last, the search index on the latest, every corrected
/// observation's history ending in its current value, every milestone's in its status.
pub fn integrity(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    let mut stmt = conn.prepare("PRAGMA integrity_check").map_err(db_err)?;
    for row in stmt
        .query_map([], |r| r.get::<_, String>(0))
        .map_err(db_err)?
    {
        let row = row.map_err(db_err)?;
        if row != "ok" {
            problems.push(format!("sqlite: {row}"));
        }
    }
    let mut stmt = conn.prepare("PRAGMA foreign_key_check").map_err(db_err)?;
    for row in stmt
        .query_map([], |r| r.get::<_, String>(0))
        .map_err(db_err)?
    {
        problems.push(format!(
            "a row of {} points at nothing",
            row.map_err(db_err)?
        ));
    }
    let mut stmt = conn
        .prepare(
            "SELECT m.slug, m.latest_rev, COUNT(r.rev), COALESCE(MAX(r.rev), 0)
             FROM missions m LEFT JOIN revisions r ON r.mission = m.slug GROUP BY m.slug",
        )
        .map_err(db_err)?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, u32>(2)?,
                r.get::<_, u32>(3)?,
            ))
        })
        .map_err(db_err)?;
    for row in rows {
        let (slug, latest, count, max) = row.map_err(db_err)?;
        if count != max || latest != max {
            problems.push(format!(
                "mission {slug}: {count} revisions numbered up to {max}, latest recorded as {latest}"
            ));
        }
    }
    let mut stmt = conn
        .prepare(
            "SELECT DISTINCT s.mission FROM search s JOIN missions m ON m.slug = s.mission
             WHERE s.rev <> m.latest_rev ORDER BY s.mission",
        )
        .map_err(db_err)?;
    for row in stmt
        .query_map([], |r| r.get::<_, String>(0))
        .map_err(db_err)?
    {
        problems.push(format!(
            "mission {}: the search index holds an older revision than the latest",
            row.map_err(db_err)?
        ));
    }
    // The full-text index against the rows it indexes (rank 1: compare with the content table).
    if let Err(e) = conn.execute(
        "INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)",
        [],
    ) {
        problems.push(format!(
            "sqlite: the full-text index does not match its rows: {e}"
        ));
    }
    crate::monitoring::integrity(conn, &mut problems)?;
    crate::milestones::integrity(conn, &mut problems)?;
    Ok(problems)
}

/// Everything, in one read transaction: a consistent snapshot while writers go on.
pub fn dump(conn: &mut Connection) -> Result<Dump, StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Deferred)
        .map_err(db_err)?;
    let missions = missions(&tx)?;
    let mut stmt = tx
        .prepare(&format!("{REVISION} ORDER BY mission, rev"))
        .map_err(db_err)?;
    let revisions = stmt
        .query_map([], revision_row)
        .map_err(db_err)?
        .collect::<Result<_, _>>()
        .map_err(db_err)?;
    drop(stmt);
    let audit = audit_log(&tx)?;
    let users = all_credentials(&tx)?;
    let mut dump = Dump {
        format: DUMP_FORMAT,
        missions,
        revisions,
        audit,
        users,
        indicators: Vec::new(),
        observations: Vec::new(),
        observation_history: Vec::new(),
        milestones: Vec::new(),
        milestone_history: Vec::new(),
    };
    crate::monitoring::dump_into(&tx, &mut dump)?;
    crate::milestones::dump_into(&tx, &mut dump)?;
    tx.commit().map_err(db_err)?;
    Ok(dump)
}

fn username(r: &Row, i: usize) -> rusqlite::Result<Username> {
    let s: String = r.get(i)?;
    Username::parse(&s).map_err(|e| corrupt("user name", e))
}

const USER: &str = "SELECT username, role, disabled, must_change_password, created_at, version, password_hash FROM users";

/// A user from the row's columns `at` .. `at + 5`, in [`USER`]'s order.
fn user_at(r: &Row, at: usize) -> rusqlite::Result<User> {
    let role: String = r.get(at + 1)?;
    Ok(User {
        username: username(r, at)?,
        role: role.parse().map_err(|e| corrupt("role", e))?,
        disabled: r.get(at + 2)?,
        must_change_password: r.get(at + 3)?,
        created_at: time(r, at + 4)?,
        version: r.get(at + 5)?,
    })
}

fn credentials_row(r: &Row) -> rusqlite::Result<Credentials> {
    Ok(Credentials {
        user: user_at(r, 0)?,
        password_hash: r.get(6)?,
    })
}

pub fn users(conn: &Connection) -> Result<Vec<User>, StoreError> {
    let mut stmt = conn
        .prepare(&format!("{USER} ORDER BY username"))
        .map_err(db_err)?;
    let rows = stmt.query_map([], |r| user_at(r, 0)).map_err(db_err)?;
    rows.collect::<Result<_, _>>().map_err(db_err)
}

fn all_credentials(conn: &Connection) -> Result<Vec<Credentials>, StoreError> {
    let mut stmt = conn
        .prepare(&format!("{USER} ORDER BY username"))
        .map_err(db_err)?;
    let rows = stmt.query_map([], credentials_row).map_err(db_err)?;
    rows.collect::<Result<_, _>>().map_err(db_err)
}

pub fn credentials(
    conn: &Connection,
    username: &Username,
) -> Result<Option<Credentials>, StoreError> {
    conn.query_row(
        &format!("{USER} WHERE username = ?1"),
        [username.as_str()],
        credentials_row,
    )
    .optional()
    .map_err(db_err)
}

/// A session and its user, unless the user is disabled.
pub fn session(conn: &Connection, token_hash: &str) -> Result<Option<(Session, User)>, StoreError> {
    conn.prepare_cached(
        "SELECT s.token_hash, s.username, s.created_at, s.last_seen,
                u.username, u.role, u.disabled, u.must_change_password, u.created_at, u.version
         FROM sessions s JOIN users u ON u.username = s.username
         WHERE s.token_hash = ?1 AND NOT u.disabled",
    )
    .and_then(|mut stmt| {
        stmt.query_row([token_hash], |r| {
            Ok((
                Session {
                    token_hash: r.get(0)?,
                    username: username(r, 1)?,
                    created_at: time(r, 2)?,
                    last_seen: time(r, 3)?,
                },
                user_at(r, 4)?,
            ))
        })
        .optional()
    })
    .map_err(db_err)
}

/// The FTS5 expression for the query's words: each one a double-quoted string (so no word is
/// ever read as an operator, column filter or prefix), all of them required.
fn fts5_expression(terms: &[String]) -> String {
    terms
        .iter()
        .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// One count and one page query, in one read transaction. The page's matches are ranked and
/// cut first; only its rows get a snippet.
pub fn search(conn: &mut Connection, q: &SearchQuery) -> Result<SearchResults, StoreError> {
    let terms = search::match_terms(&q.text);
    if terms.is_empty() {
        return Ok(SearchResults::empty());
    }
    let expr = fts5_expression(&terms);
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Deferred)
        .map_err(db_err)?;
    let total: i64 = tx
        .prepare_cached(
            "SELECT COUNT(*) FROM search_fts JOIN search s ON s.id = search_fts.rowid
             WHERE search_fts MATCH ?1 AND (?2 = 0 OR s.public)",
        )
        .and_then(|mut stmt| stmt.query_row(params![expr, q.public_only], |r| r.get(0)))
        .map_err(db_err)?;
    let mut hits = Vec::new();
    if total > i64::from(q.offset) && q.limit > 0 {
        let mut stmt = tx
            .prepare_cached(
                "WITH page AS (
                     SELECT search_fts.rowid AS id, bm25(search_fts) AS score, s.mission AS mission, s.ord AS ord
                     FROM search_fts JOIN search s ON s.id = search_fts.rowid
                     WHERE search_fts MATCH ?1 AND (?2 = 0 OR s.public)
                     ORDER BY score, mission, ord
                     LIMIT ?3 OFFSET ?4
                 )
                 SELECT s.mission, m.country, s.rev, s.node, s.field, s.heading,
                        snippet(search_fts, 0, ?5, ?6, '…', ?7), page.score
                 FROM page
                 CROSS JOIN search_fts ON search_fts.rowid = page.id
                 JOIN search s ON s.id = page.id
                 JOIN missions m ON m.slug = s.mission
                 WHERE search_fts MATCH ?1
                 ORDER BY page.score, page.mission, page.ord",
            )
            .map_err(db_err)?;
        let rows = stmt
            .query_map(
                params![
                    expr,
                    q.public_only,
                    q.limit,
                    q.offset,
                    MARK_START.to_string(),
                    MARK_END.to_string(),
                    SNIPPET_WORDS
                ],
                |r| {
                    let marked: String = r.get(6)?;
                    let score: f64 = r.get(7)?;
                    Ok(SearchHit {
                        mission: slug(r, 0)?,
                        country: r.get(1)?,
                        rev: r.get(2)?,
                        node: r.get(3)?,
                        field: r.get(4)?,
                        heading: r.get(5)?,
                        snippet: search::fragments(&marked),
                        // bm25: lower is better.
                        rank: -score,
                    })
                },
            )
            .map_err(db_err)?;
        hits = rows.collect::<Result<_, _>>().map_err(db_err)?;
    }
    tx.commit().map_err(db_err)?;
    Ok(SearchResults {
        total: u64::try_from(total).unwrap_or(0),
        hits,
    })
}
