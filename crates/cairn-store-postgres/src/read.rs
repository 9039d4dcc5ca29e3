//! Queries. Every function takes a connection or an open transaction. Text is ordered with
//! `COLLATE "C"` (bytewise, as SQLite orders it) so that listings and dumps are the same on
//! every backend whatever the database's collation.

use cairn_store::{AuditEntry, DUMP_FORMAT, Dump, Mission, Revision, RevisionInfo, Slug};
use chrono::{DateTime, Utc};
use postgres::{Client, GenericClient, IsolationLevel, Row};

use crate::{Error, corrupt};

fn time(r: &Row, i: usize) -> Result<DateTime<Utc>, Error> {
    let s: String = r.try_get(i)?;
    DateTime::parse_from_rfc3339(&s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| corrupt("timestamp", &s, e))
}

fn slug(r: &Row, i: usize) -> Result<Slug, Error> {
    let s: String = r.try_get(i)?;
    Slug::parse(&s).map_err(|e| corrupt("mission slug", &s, e))
}

fn json<T: serde::de::DeserializeOwned>(r: &Row, i: usize, what: &str) -> Result<T, Error> {
    let s: String = r.try_get(i)?;
    serde_json::from_str(&s).map_err(|e| corrupt(what, format_args!("{:.40}…", s), e))
}

/// A revision number, version or count: INTEGER, never negative.
fn number(r: &Row, i: usize, what: &str) -> Result<u32, Error> {
    let n: i32 = r.try_get(i)?;
    u32::try_from(n).map_err(|e| corrupt(what, n, e))
}

const MISSION: &str = "SELECT slug, country, bureau, created_at, version, latest_rev FROM missions";

fn mission_row(r: &Row) -> Result<Mission, Error> {
    Ok(Mission {
        slug: slug(r, 0)?,
        country: r.try_get(1)?,
        bureau: r.try_get(2)?,
        created_at: time(r, 3)?,
        version: number(r, 4, "mission version")?,
        latest_rev: number(r, 5, "latest revision number")?,
    })
}

pub fn missions(c: &mut impl GenericClient) -> Result<Vec<Mission>, Error> {
    c.query(&format!("{MISSION} ORDER BY slug COLLATE \"C\""), &[])?
        .iter()
        .map(mission_row)
        .collect()
}

pub fn mission(c: &mut impl GenericClient, slug: &Slug) -> Result<Option<Mission>, Error> {
    c.query_opt(&format!("{MISSION} WHERE slug = $1"), &[&slug.as_str()])?
        .as_ref()
        .map(mission_row)
        .transpose()
}

const REVISION: &str =
    "SELECT mission, rev, at, actor, message, source, strategy, identity, digest FROM revisions";

fn revision_row(r: &Row) -> Result<Revision, Error> {
    Ok(Revision {
        slug: slug(r, 0)?,
        rev: number(r, 1, "revision number")?,
        at: time(r, 2)?,
        actor: r.try_get(3)?,
        message: r.try_get(4)?,
        source: r.try_get(5)?,
        strategy: json(r, 6, "strategy")?,
        identity: json(r, 7, "identity")?,
        digest: r.try_get(8)?,
    })
}

/// A revision number as the INTEGER columns hold it; a number beyond them matches no row.
fn rev_param(rev: u32) -> i32 {
    i32::try_from(rev).unwrap_or(i32::MAX)
}

/// A revision, or the latest when `rev` is None.
pub fn revision(
    c: &mut impl GenericClient,
    slug: &Slug,
    rev: Option<u32>,
) -> Result<Option<Revision>, Error> {
    let row = match rev {
        Some(n) if i32::try_from(n).is_err() => None,
        Some(n) => c.query_opt(
            &format!("{REVISION} WHERE mission = $1 AND rev = $2"),
            &[&slug.as_str(), &rev_param(n)],
        )?,
        None => c.query_opt(
            &format!("{REVISION} WHERE mission = $1 ORDER BY rev DESC LIMIT 1"),
            &[&slug.as_str()],
        )?,
    };
    row.as_ref().map(revision_row).transpose()
}

/// Revisions after `after`, oldest first.
pub fn history(
    c: &mut impl GenericClient,
    slug: &Slug,
    after: u32,
) -> Result<Vec<RevisionInfo>, Error> {
    c.query(
        "SELECT rev, at, actor, message, digest FROM revisions WHERE mission = $1 AND rev > $2 ORDER BY rev",
        &[&slug.as_str(), &rev_param(after)],
    )?
    .iter()
    .map(|r| {
        Ok(RevisionInfo {
            rev: number(r, 0, "revision number")?,
            at: time(r, 1)?,
            actor: r.try_get(2)?,
            message: r.try_get(3)?,
            digest: r.try_get(4)?,
        })
    })
    .collect()
}

const AUDIT: &str =
    "SELECT seq, at, actor, action, object, before, after, prev_hash, hash FROM audit";

fn audit_row(r: &Row) -> Result<AuditEntry, Error> {
    let seq: i64 = r.try_get(0)?;
    Ok(AuditEntry {
        seq: u64::try_from(seq).map_err(|e| corrupt("audit sequence", seq, e))?,
        at: time(r, 1)?,
        actor: r.try_get(2)?,
        action: r.try_get(3)?,
        object: r.try_get(4)?,
        before: r.try_get(5)?,
        after: r.try_get(6)?,
        prev_hash: r.try_get(7)?,
        hash: r.try_get(8)?,
    })
}

pub fn audit_log(c: &mut impl GenericClient) -> Result<Vec<AuditEntry>, Error> {
    c.query(&format!("{AUDIT} ORDER BY seq"), &[])?
        .iter()
        .map(audit_row)
        .collect()
}

pub fn last_audit(c: &mut impl GenericClient) -> Result<Option<AuditEntry>, Error> {
    c.query_opt(&format!("{AUDIT} ORDER BY seq DESC LIMIT 1"), &[])?
        .as_ref()
        .map(audit_row)
        .transpose()
}

/// The actor of the newest audit entry about `object`.
pub fn last_actor(c: &mut impl GenericClient, object: &str) -> Result<Option<String>, Error> {
    Ok(c.query_opt(
        "SELECT actor FROM audit WHERE object = $1 ORDER BY seq DESC LIMIT 1",
        &[&object],
    )?
    .map(|r| r.try_get(0))
    .transpose()?)
}

/// References and the store's invariants: every revision belongs to a mission (PostgreSQL
/// enforces it; this notices a load that bypassed it), revisions numbered 1..n with the mission
/// pointing at the last. One statement each, so each sees one snapshot.
pub fn integrity(c: &mut impl GenericClient) -> Result<Vec<String>, Error> {
    let mut problems = Vec::new();
    let orphans = c.query(
        "SELECT r.mission FROM revisions r
         WHERE NOT EXISTS (SELECT 1 FROM missions m WHERE m.slug = r.mission)
         GROUP BY r.mission ORDER BY r.mission COLLATE \"C\"",
        &[],
    )?;
    for row in orphans {
        let mission: String = row.try_get(0)?;
        problems.push(format!(
            "a row of revisions points at nothing (mission {mission})"
        ));
    }
    let rows = c.query(
        "SELECT m.slug, m.latest_rev, COUNT(r.rev)::INTEGER, COALESCE(MAX(r.rev), 0), COALESCE(MIN(r.rev), 1)
         FROM missions m LEFT JOIN revisions r ON r.mission = m.slug
         GROUP BY m.slug ORDER BY m.slug COLLATE \"C\"",
        &[],
    )?;
    for row in rows {
        let slug: String = row.try_get(0)?;
        let (latest, count, max, min): (i32, i32, i32, i32) = (
            row.try_get(1)?,
            row.try_get(2)?,
            row.try_get(3)?,
            row.try_get(4)?,
        );
        if count != max || latest != max || min < 1 {
            problems.push(format!(
                "mission {slug}: {count} revisions numbered up to {max}, latest recorded as {latest}"
            ));
        }
    }
    Ok(problems)
}

/// Everything, in one REPEATABLE READ READ ONLY transaction: a consistent snapshot while
/// writers go on (they never block it, nor it them).
pub fn dump(client: &mut Client) -> Result<Dump, Error> {
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()?;
    let missions = missions(&mut tx)?;
    let revisions = tx
        .query(
            &format!("{REVISION} ORDER BY mission COLLATE \"C\", rev"),
            &[],
        )?
        .iter()
        .map(revision_row)
        .collect::<Result<_, _>>()?;
    let audit = audit_log(&mut tx)?;
    tx.commit()?;
    Ok(Dump {
        format: DUMP_FORMAT,
        missions,
        revisions,
        audit,
    })
}

/// The tables of the current schema but `cairn_meta`, as `(table, column, TYPE)`.
pub fn schema(c: &mut impl GenericClient) -> Result<Vec<(String, String, String)>, Error> {
    c.query(
        "SELECT c.table_name::TEXT, c.column_name::TEXT, c.data_type::TEXT
         FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
         WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name <> 'cairn_meta'
         ORDER BY c.table_name::TEXT COLLATE \"C\", c.ordinal_position",
        &[],
    )?
    .iter()
    .map(|r| {
        let ty: String = r.try_get(2)?;
        Ok((r.try_get(0)?, r.try_get(1)?, ty.to_ascii_uppercase()))
    })
    .collect()
}
