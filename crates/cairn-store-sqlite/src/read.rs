//! Queries. Every function takes a connection or an open transaction.

use cairn_store::{
    AuditEntry, DUMP_FORMAT, Dump, Mission, Revision, RevisionInfo, Slug, StoreError,
};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

use crate::db_err;

fn corrupt(what: &str, e: impl std::fmt::Display) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("{what}: {e}").into(),
    )
}

fn time(r: &Row, i: usize) -> rusqlite::Result<DateTime<Utc>> {
    let s: String = r.get(i)?;
    DateTime::parse_from_rfc3339(&s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| corrupt("timestamp", e))
}

fn slug(r: &Row, i: usize) -> rusqlite::Result<Slug> {
    let s: String = r.get(i)?;
    Slug::parse(&s).map_err(|e| corrupt("mission slug", e))
}

fn json<T: serde::de::DeserializeOwned>(r: &Row, i: usize, what: &str) -> rusqlite::Result<T> {
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
/// the mission pointing at the last.
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
    tx.commit().map_err(db_err)?;
    Ok(Dump {
        format: DUMP_FORMAT,
        missions,
        revisions,
        audit,
    })
}
