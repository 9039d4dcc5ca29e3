//! Writes: each one an immediate transaction that also appends its audit entry.

use cairn_core::Strategy;
use cairn_store::audit::canonical_time;
use cairn_store::plan::{self, CommitPlan};
use cairn_store::{
    Action, AuditEntry, Commit, Credentials, DUMP_FORMAT, Dump, Mission, MissionChange,
    NewAuditEntry, NewRevision, NewSession, NewUser, Revision, Slug, StoreError, User, UserChange,
    search,
};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

use crate::{db_err, read};

pub(crate) fn immediate(conn: &mut Connection) -> Result<Transaction<'_>, StoreError> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(db_err)
}

/// The number of migrations from which the search index exists: a database migrated across it
/// gets an index of the revisions it already holds.
const SEARCH_SINCE: u32 = 2;

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
    if version < SEARCH_SINCE && known >= SEARCH_SINCE {
        rebuild_search(&tx)?;
    }
    tx.pragma_update(None, "user_version", known)
        .map_err(db_err)?;
    tx.commit().map_err(db_err)
}

pub(crate) fn json(value: &impl serde::Serialize) -> Result<String, StoreError> {
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

/// Replaces a mission's rows of the search index with its revision `rev`'s blocks.
fn reindex(
    tx: &Transaction<'_>,
    slug: &Slug,
    rev: u32,
    strategy: &Strategy,
) -> Result<(), StoreError> {
    tx.prepare_cached("DELETE FROM search WHERE mission = ?1")
        .and_then(|mut stmt| stmt.execute([slug.as_str()]))
        .map_err(db_err)?;
    let public = strategy.is_public();
    let mut insert = tx
        .prepare_cached(
            "INSERT INTO search (mission, rev, ord, node, field, heading, text, public)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .map_err(db_err)?;
    for row in search::index_rows(strategy) {
        insert
            .execute(params![
                slug.as_str(),
                rev,
                row.ord,
                row.node,
                row.field,
                row.heading,
                row.text,
                public
            ])
            .map_err(db_err)?;
    }
    Ok(())
}

/// Indexes every mission's latest revision afresh.
fn rebuild_search(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.execute("DELETE FROM search", []).map_err(db_err)?;
    for m in read::missions(tx)? {
        if let Some(r) = read::revision(tx, &m.slug, None)? {
            reindex(tx, &r.slug, r.rev, &r.strategy)?;
        }
    }
    Ok(())
}

fn put_user(tx: &Transaction<'_>, c: &Credentials, create: bool) -> Result<(), StoreError> {
    let sql = if create {
        "INSERT INTO users (username, role, password_hash, disabled, must_change_password, created_at, version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    } else {
        "UPDATE users SET role = ?2, password_hash = ?3, disabled = ?4, must_change_password = ?5,
         created_at = ?6, version = ?7 WHERE username = ?1"
    };
    let u = &c.user;
    tx.execute(
        sql,
        params![
            u.username.as_str(),
            u.role.as_str(),
            c.password_hash,
            u.disabled,
            u.must_change_password,
            canonical_time(&u.created_at),
            u.version
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

pub(crate) fn append_audit(tx: &Transaction<'_>, new: NewAuditEntry) -> Result<(), StoreError> {
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
        reindex(&tx, &revision.slug, revision.rev, &revision.strategy)?;
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
    for c in &dump.users {
        put_user(&tx, c, true)?;
    }
    crate::monitoring::load_from(&tx, dump)?;
    crate::milestones::load_from(&tx, dump)?;
    rebuild_search(&tx)?;
    tx.commit().map_err(db_err)
}

pub fn add_user(conn: &mut Connection, new: NewUser) -> Result<User, StoreError> {
    let tx = immediate(conn)?;
    let exists = read::credentials(&tx, &new.username)?.is_some();
    let (credentials, audit) = plan::add_user(new, exists, Utc::now())?;
    put_user(&tx, &credentials, true)?;
    append_audit(&tx, audit)?;
    tx.commit().map_err(db_err)?;
    Ok(credentials.user)
}

pub fn change_user(conn: &mut Connection, change: UserChange) -> Result<User, StoreError> {
    let tx = immediate(conn)?;
    let current = read::credentials(&tx, &change.username)?;
    let decided = plan::user_change(change, current, Utc::now())?;
    put_user(&tx, &decided.credentials, false)?;
    if decided.end_sessions {
        tx.execute(
            "DELETE FROM sessions WHERE username = ?1",
            [decided.credentials.user.username.as_str()],
        )
        .map_err(db_err)?;
    }
    append_audit(&tx, decided.audit)?;
    tx.commit().map_err(db_err)?;
    Ok(decided.credentials.user)
}

pub fn start_session(conn: &mut Connection, new: NewSession) -> Result<(), StoreError> {
    let tx = immediate(conn)?;
    let user = read::credentials(&tx, &new.username)?.map(|c| c.user);
    let audit = plan::session_start(&new, user.as_ref(), Utc::now())?;
    let at = canonical_time(&new.at);
    tx.execute(
        "INSERT INTO sessions (token_hash, username, created_at, last_seen) VALUES (?1, ?2, ?3, ?3)",
        params![new.token_hash, new.username.as_str(), at],
    )
    .map_err(db_err)?;
    append_audit(&tx, audit)?;
    tx.commit().map_err(db_err)
}

/// One statement in its own implicit transaction: no audit entry, no wait for the chain.
pub fn touch_session(
    conn: &Connection,
    token_hash: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1")
        .and_then(|mut stmt| stmt.execute(params![token_hash, canonical_time(&at)]))
        .map_err(db_err)?;
    Ok(())
}

pub fn end_session(
    conn: &mut Connection,
    token_hash: &str,
    actor: &str,
) -> Result<bool, StoreError> {
    let tx = immediate(conn)?;
    let owner: Option<String> = tx
        .query_row(
            "DELETE FROM sessions WHERE token_hash = ?1 RETURNING username",
            [token_hash],
            |r| r.get(0),
        )
        .optional()
        .map_err(db_err)?;
    let Some(owner) = owner else {
        return Ok(false);
    };
    let owner = cairn_store::Username::parse(&owner)
        .map_err(|e| StoreError::Database(format!("corrupt user name {owner:?}: {e}")))?;
    append_audit(&tx, plan::session_end(&owner, actor, Utc::now()))?;
    tx.commit().map_err(db_err)?;
    Ok(true)
}

pub fn purge_sessions(
    conn: &Connection,
    idle_since: DateTime<Utc>,
    created_since: DateTime<Utc>,
) -> Result<usize, StoreError> {
    conn.execute(
        "DELETE FROM sessions WHERE last_seen < ?1 OR created_at < ?2",
        params![canonical_time(&idle_since), canonical_time(&created_since)],
    )
    .map_err(db_err)
}
