//! Writes: each one transaction, queued behind the others on the audit chain, that also
//! appends its audit entry.
//!
//! The chain is global: every write reads its head (the last entry) and appends after it, so two
//! writers must never read the same head. Each write transaction therefore starts with
//! `LOCK TABLE audit IN EXCLUSIVE MODE`, held to its end. The mode conflicts with itself and
//! with every row-changing lock but not with plain `SELECT`s: writers run one after another
//! (as SQLite's `BEGIN IMMEDIATE` makes them), readers and dumps never wait. The transaction is
//! READ COMMITTED, so each statement after the lock sees every write committed before it — the
//! mission row, the latest revision and the chain head are current without row locks, and a
//! stale writer is told so rather than failing on a constraint. A serialization failure or a
//! deadlock (only a session outside this protocol can cause one) is retried a few times.

use std::time::Duration;

use cairn_store::audit::canonical_time;
use cairn_store::plan::{self, CommitPlan};
use cairn_store::{
    Action, AuditEntry, Commit, DUMP_FORMAT, Dump, Mission, MissionChange, NewAuditEntry,
    NewRevision, Revision, StoreError,
};
use chrono::Utc;
use postgres::error::SqlState;
use postgres::{Client, GenericClient, IsolationLevel, Transaction};

use crate::{Error, read, reason};

/// How many times a write is tried when the server reports a serialization failure or deadlock.
const ATTEMPTS: u32 = 5;

/// Serialises migrations of one schema (with the schema name's hash as the second key).
const MIGRATION_LOCK: i32 = 0x4341_4952; // "CAIR"

fn retryable(e: &postgres::Error) -> bool {
    matches!(e.code(), Some(c) if *c == SqlState::T_R_SERIALIZATION_FAILURE || *c == SqlState::T_R_DEADLOCK_DETECTED)
}

/// Runs `body` in a write transaction holding the audit lock, committing when it returns Ok,
/// retrying serialization failures and deadlocks.
fn write<T>(
    client: &mut Client,
    mut body: impl FnMut(&mut Transaction<'_>) -> Result<T, Error>,
) -> Result<T, StoreError> {
    let mut attempt = 1;
    loop {
        match attempt_write(client, &mut body) {
            Err(Error::Pg(e)) if attempt < ATTEMPTS && retryable(&e) => {
                std::thread::sleep(Duration::from_millis(10 * u64::from(attempt)));
                attempt += 1;
            }
            result => return result.map_err(Into::into),
        }
    }
}

fn attempt_write<T>(
    client: &mut Client,
    body: &mut impl FnMut(&mut Transaction<'_>) -> Result<T, Error>,
) -> Result<T, Error> {
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::ReadCommitted)
        .start()?;
    tx.batch_execute("LOCK TABLE audit IN EXCLUSIVE MODE")?;
    let out = body(&mut tx)?;
    tx.commit()?;
    Ok(out)
}

pub fn migrate(client: &mut Client, migrations: &[&str]) -> Result<(), StoreError> {
    migrate_tx(client, migrations).map_err(Into::into)
}

fn migrate_tx(client: &mut Client, migrations: &[&str]) -> Result<(), Error> {
    let known = u32::try_from(migrations.len()).unwrap_or(u32::MAX);
    let mut tx = client.transaction()?;
    // Two processes starting on a new database must not both create the tables.
    tx.execute(
        &format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK}, hashtext(COALESCE(current_schema(), '')))"),
        &[],
    )?;
    let has_meta: bool = tx
        .query_one("SELECT to_regclass('cairn_meta') IS NOT NULL", &[])?
        .try_get(0)?;
    if !has_meta {
        tx.batch_execute("CREATE TABLE cairn_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")?;
    }
    let found = tx.query_opt(
        "SELECT value FROM cairn_meta WHERE key = 'schema_version'",
        &[],
    )?;
    let version = match found {
        None => 0,
        Some(row) => {
            let v: String = row.try_get(0)?;
            v.trim()
                .parse::<u32>()
                .map_err(|e| crate::corrupt("schema version in cairn_meta", &v, e))?
        }
    };
    if version > known {
        return Err(StoreError::TooNew {
            found: version,
            known,
        }
        .into());
    }
    if version == known {
        return Ok(());
    }
    for sql in migrations.iter().skip(version as usize) {
        tx.batch_execute(sql)?;
    }
    tx.execute(
        "INSERT INTO cairn_meta (key, value) VALUES ('schema_version', $1)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        &[&known.to_string()],
    )?;
    tx.commit()?;
    Ok(())
}

fn json(value: &impl serde::Serialize) -> Result<String, Error> {
    serde_json::to_string(value)
        .map_err(|e| StoreError::Database(format!("cannot encode: {e}")).into())
}

/// PostgreSQL text cannot hold NUL characters (SQLite's can): refuse them by name rather than
/// with the server's encoding error.
fn storable(fields: &[(&str, Option<&str>)]) -> Result<(), Error> {
    match fields.iter().find(|(_, v)| v.is_some_and(|v| v.contains('\0'))) {
        Some((what, _)) => Err(StoreError::Invalid(format!(
            "the {what} contains a NUL character (\\0), which PostgreSQL cannot store; nothing was written"
        ))
        .into()),
        None => Ok(()),
    }
}

fn int(n: u32, what: &str) -> Result<i32, Error> {
    i32::try_from(n)
        .map_err(|_| StoreError::Invalid(format!("{what} {n} is too large to store")).into())
}

fn put_mission(tx: &mut impl GenericClient, m: &Mission, create: bool) -> Result<(), Error> {
    storable(&[
        ("country", m.country.as_deref()),
        ("bureau", m.bureau.as_deref()),
    ])?;
    let sql = if create {
        "INSERT INTO missions (slug, country, bureau, created_at, version, latest_rev) VALUES ($1, $2, $3, $4, $5, $6)"
    } else {
        "UPDATE missions SET country = $2, bureau = $3, created_at = $4, version = $5, latest_rev = $6 WHERE slug = $1"
    };
    tx.execute(
        sql,
        &[
            &m.slug.as_str(),
            &m.country,
            &m.bureau,
            &canonical_time(&m.created_at),
            &int(m.version, "mission version")?,
            &int(m.latest_rev, "revision number")?,
        ],
    )?;
    Ok(())
}

fn put_revision(tx: &mut impl GenericClient, r: &Revision) -> Result<(), Error> {
    storable(&[
        ("actor", Some(&r.actor)),
        ("message", Some(&r.message)),
        ("source text", Some(&r.source)),
        ("digest", Some(&r.digest)),
    ])?;
    tx.execute(
        "INSERT INTO revisions (mission, rev, at, actor, message, source, strategy, identity, digest)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &[
            &r.slug.as_str(),
            &int(r.rev, "revision number")?,
            &canonical_time(&r.at),
            &r.actor,
            &r.message,
            &r.source,
            &json(&r.strategy)?,
            &json(&r.identity)?,
            &r.digest,
        ],
    )?;
    Ok(())
}

fn put_audit(tx: &mut impl GenericClient, e: &AuditEntry) -> Result<(), Error> {
    storable(&[
        ("actor", Some(&e.actor)),
        ("action", Some(&e.action)),
        ("object", Some(&e.object)),
        ("before digest", e.before.as_deref()),
        ("after digest", e.after.as_deref()),
        ("previous hash", Some(&e.prev_hash)),
        ("hash", Some(&e.hash)),
    ])?;
    let seq = i64::try_from(e.seq)
        .map_err(|_| StoreError::Invalid(format!("audit sequence {} is too large", e.seq)))?;
    tx.execute(
        "INSERT INTO audit (seq, at, actor, action, object, before, after, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &[
            &seq,
            &canonical_time(&e.at),
            &e.actor,
            &e.action,
            &e.object,
            &e.before,
            &e.after,
            &e.prev_hash,
            &e.hash,
        ],
    )?;
    Ok(())
}

/// Appends after the chain's head; the caller holds the audit lock, so the head is current.
fn append_audit(tx: &mut impl GenericClient, new: NewAuditEntry) -> Result<(), Error> {
    let last = read::last_audit(tx)?;
    put_audit(tx, &new.seal(last.as_ref()))
}

pub fn commit(client: &mut Client, new: NewRevision) -> Result<Commit, StoreError> {
    write(client, |tx| {
        let slug = new.slug.clone();
        let mission = read::mission(tx, &slug)?;
        let latest = match &mission {
            Some(_) => read::revision(tx, &slug, None)?,
            None => None,
        };
        let restored = match new.action {
            Action::Revert { to } => {
                Some(read::revision(tx, &slug, Some(to))?.ok_or_else(|| {
                    Error::Store(StoreError::UnknownRevision {
                        slug: slug.clone(),
                        rev: to,
                    })
                })?)
            }
            _ => None,
        };
        // The conflict report's query may fail with an error worth retrying: keep it whole.
        let mut failed = None;
        let since = |b| {
            read::history(tx, &slug, b).map_err(|e| match e {
                Error::Pg(pg) => {
                    let shown = StoreError::Database(reason(&pg));
                    failed = Some(pg);
                    shown
                }
                Error::Store(e) => e,
            })
        };
        let decided = match plan::commit(
            new.clone(),
            mission,
            latest.as_ref(),
            restored.as_ref(),
            since,
            Utc::now(),
        ) {
            Ok(d) => d,
            Err(e) => return Err(failed.map_or(Error::Store(e), Error::Pg)),
        };
        let outcome = decided.outcome();
        if let CommitPlan::Write {
            mission,
            create,
            revision,
            audit,
        } = decided
        {
            put_mission(tx, &mission, create)?;
            put_revision(tx, &revision)?;
            append_audit(tx, audit)?;
        }
        Ok(outcome)
    })
}

pub fn set_mission(client: &mut Client, change: MissionChange) -> Result<Mission, StoreError> {
    write(client, |tx| {
        let current = read::mission(tx, &change.slug)?;
        let object = cairn_store::mission_object(&change.slug);
        let last_actor = || {
            read::last_actor(tx, &object)
                .ok()
                .flatten()
                .unwrap_or_else(|| "someone".into())
        };
        let (next, audit) = plan::mission_change(change.clone(), current, last_actor, Utc::now())?;
        put_mission(tx, &next, false)?;
        append_audit(tx, audit)?;
        Ok(next)
    })
}

pub fn load(client: &mut Client, dump: &Dump) -> Result<(), StoreError> {
    if dump.format > DUMP_FORMAT {
        return Err(StoreError::TooNew {
            found: dump.format,
            known: DUMP_FORMAT,
        });
    }
    write(client, |tx| {
        let rows: i64 = tx
            .query_one(
                "SELECT (SELECT COUNT(*) FROM missions) + (SELECT COUNT(*) FROM audit)",
                &[],
            )?
            .try_get(0)?;
        if rows > 0 {
            return Err(StoreError::Invalid(
                "the database is not empty: restore only into a new database, nothing was written"
                    .into(),
            )
            .into());
        }
        for m in &dump.missions {
            put_mission(tx, m, true)?;
        }
        for r in &dump.revisions {
            put_revision(tx, r)?;
        }
        for e in &dump.audit {
            put_audit(tx, e)?;
        }
        Ok(())
    })
}
