//! Writes: each one an immediate transaction that also appends its audit entry.

use cairn_store::audit::canonical_time;
use cairn_store::plan::{self, CommitPlan};
use cairn_store::{
    Action, AuditEntry, Commit, DUMP_FORMAT, Dump, Mission, MissionChange, NewAuditEntry,
    NewRevision, Revision, StoreError,
};
use chrono::Utc;
use rusqlite::{Connection, Transaction, TransactionBehavior, params};

use crate::{db_err, read};

fn immediate(conn: &mut Connection) -> Result<Transaction<'_>, StoreError> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(db_err)
}

pub fn migrate(conn: &mut Connection, migrations: &[&str]) -> Result<(), StoreError> {
    let tx = immediate(conn)?;
    let version: u32 = tx
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(db_err)?;
    let known = u32::try_from(migrations.len()).unwrap_or(u32::MAX);
    if version > known {
        return Err(StoreError::TooNew {
            found: version,
            known,
        });
    }
    for sql in migrations.iter().skip(version as usize) {
        tx.execute_batch(sql).map_err(db_err)?;
    }
    tx.pragma_update(None, "user_version", known)
        .map_err(db_err)?;
    tx.commit().map_err(db_err)
}

fn json(value: &impl serde::Serialize) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Database(format!("cannot encode: {e}")))
}

fn put_mission(tx: &Transaction<'_>, m: &Mission, create: bool) -> Result<(), StoreError> {
    let sql = if create {
        "INSERT INTO missions (slug, country, bureau, created_at, version, latest_rev) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    } else {
        "UPDATE missions SET country = ?2, bureau = ?3, created_at = ?4, version = ?5, latest_rev = ?6 WHERE slug = ?1"
    };
    tx.execute(
        sql,
        params![
            m.slug.as_str(),
            m.country,
            m.bureau,
            canonical_time(&m.created_at),
            m.version,
            m.latest_rev
        ],
    )
    .map_err(db_err)?;
    Ok(())
}

fn put_revision(tx: &Transaction<'_>, r: &Revision) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO revisions (mission, rev, at, actor, message, source, strategy, identity, digest)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            r.slug.as_str(),
            r.rev,
            canonical_time(&r.at),
            r.actor,
            r.message,
            r.source,
            json(&r.strategy)?,
            json(&r.identity)?,
            r.digest
        ],
    )
    .map_err(db_err)?;
    Ok(())
}

fn put_audit(tx: &Transaction<'_>, e: &AuditEntry) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO audit (seq, at, actor, action, object, before, after, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            i64::try_from(e.seq).map_err(|e| StoreError::Database(e.to_string()))?,
            canonical_time(&e.at),
            e.actor,
            e.action,
            e.object,
            e.before,
            e.after,
            e.prev_hash,
            e.hash
        ],
    )
    .map_err(db_err)?;
    Ok(())
}

fn append_audit(tx: &Transaction<'_>, new: NewAuditEntry) -> Result<(), StoreError> {
    let last = read::last_audit(tx)?;
    put_audit(tx, &new.seal(last.as_ref()))
}

pub fn commit(conn: &mut Connection, new: NewRevision) -> Result<Commit, StoreError> {
    let tx = immediate(conn)?;
    let slug = new.slug.clone();
    let mission = read::mission(&tx, &slug)?;
    let latest = match &mission {
        Some(_) => read::revision(&tx, &slug, None)?,
        None => None,
    };
    let restored = match new.action {
        Action::Revert { to } => Some(read::revision(&tx, &slug, Some(to))?.ok_or_else(|| {
            StoreError::UnknownRevision {
                slug: slug.clone(),
                rev: to,
            }
        })?),
        _ => None,
    };
    let decided = plan::commit(
        new,
        mission,
        latest.as_ref(),
        restored.as_ref(),
        |b| read::history(&tx, &slug, b),
        Utc::now(),
    )?;
    let outcome = decided.outcome();
    if let CommitPlan::Write {
        mission,
        create,
        revision,
        audit,
    } = decided
    {
        put_mission(&tx, &mission, create)?;
        put_revision(&tx, &revision)?;
        append_audit(&tx, audit)?;
        tx.commit().map_err(db_err)?;
    }
    Ok(outcome)
}

pub fn set_mission(conn: &mut Connection, change: MissionChange) -> Result<Mission, StoreError> {
    let tx = immediate(conn)?;
    let current = read::mission(&tx, &change.slug)?;
    let last_actor = || {
        read::audit_log(&tx)
            .ok()
            .and_then(|log| {
                let object = cairn_store::mission_object(&change.slug);
                log.into_iter()
                    .rev()
                    .find(|e| e.object == object)
                    .map(|e| e.actor)
            })
            .unwrap_or_else(|| "someone".into())
    };
    let (next, audit) = plan::mission_change(change.clone(), current, last_actor, Utc::now())?;
    put_mission(&tx, &next, false)?;
    append_audit(&tx, audit)?;
    tx.commit().map_err(db_err)?;
    Ok(next)
}

pub fn load(conn: &mut Connection, dump: &Dump) -> Result<(), StoreError> {
    if dump.format > DUMP_FORMAT {
        return Err(StoreError::TooNew {
            found: dump.format,
            known: DUMP_FORMAT,
        });
    }
    let tx = immediate(conn)?;
    let rows: i64 = tx
        .query_row(
            "SELECT (SELECT COUNT(*) FROM missions) + (SELECT COUNT(*) FROM audit)",
            [],
            |r| r.get(0),
        )
        .map_err(db_err)?;
    if rows > 0 {
        return Err(StoreError::Invalid(
            "the database is not empty: restore only into a new database, nothing was written"
                .into(),
        ));
    }
    for m in &dump.missions {
        put_mission(&tx, m, true)?;
    }
    for r in &dump.revisions {
        put_revision(&tx, r)?;
    }
    for e in &dump.audit {
        put_audit(&tx, e)?;
    }
    tx.commit().map_err(db_err)
}
