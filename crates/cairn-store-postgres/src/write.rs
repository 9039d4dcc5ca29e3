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
    Action, AuditEntry, Commit, Credentials, DUMP_FORMAT, Dump, Mission, MissionChange,
    NewAuditEntry, NewRevision, NewSession, NewUser, Revision, Slug, StoreError, User, UserChange,
    Username, search,
};
use chrono::{DateTime, Utc};
use postgres::error::SqlState;
use postgres::{Client, GenericClient, IsolationLevel, Transaction};

use crate::{Error, read, reason};

/// How many times a write is tried when the server reports a serialization failure or deadlock.
const ATTEMPTS: u32 = 5;

/// The number of migrations from which the search index exists: a database migrated across it
/// gets an index of the revisions it already holds.
const SEARCH_SINCE: u32 = 2;

/// Serialises migrations of one schema (with the schema name's hash as the second key).
const MIGRATION_LOCK: i32 = 0x4341_4952; // "CAIR"

fn retryable(e: &postgres::Error) -> bool {
    matches!(e.code(), Some(c) if *c == SqlState::T_R_SERIALIZATION_FAILURE || *c == SqlState::T_R_DEADLOCK_DETECTED)
}

/// Runs `body` in a write transaction holding the audit lock, committing when it returns Ok,
/// retrying serialization failures and deadlocks.
pub(crate) fn write<T>(
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
    if version < SEARCH_SINCE && known >= SEARCH_SINCE {
        rebuild_search(&mut tx)?;
    }
    tx.execute(
        "INSERT INTO cairn_meta (key, value) VALUES ('schema_version', $1)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        &[&known.to_string()],
    )?;
    tx.commit()?;
    Ok(())
}

pub(crate) fn json(value: &impl serde::Serialize) -> Result<String, Error> {
    serde_json::to_string(value)
        .map_err(|e| StoreError::Database(format!("cannot encode: {e}")).into())
}

/// PostgreSQL text cannot hold NUL characters (SQLite's can): refuse them by name rather than
/// with the server's encoding error.
pub(crate) fn storable(fields: &[(&str, Option<&str>)]) -> Result<(), Error> {
    match fields.iter().find(|(_, v)| v.is_some_and(|v| v.contains('\0'))) {
        Some((what, _)) => Err(StoreError::Invalid(format!(
            "the {what} contains a NUL character (\\0), which PostgreSQL cannot store; nothing was written"
        ))
        .into()),
        None => Ok(()),
    }
}

pub(crate) fn int(n: u32, what: &str) -> Result<i32, Error> {
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

/// Replaces a mission's rows of the search index with its revision `rev`'s blocks: one DELETE
/// and one INSERT of all the rows (arrays unnested), whatever the document's size.
fn reindex(
    tx: &mut impl GenericClient,
    slug: &Slug,
    rev: u32,
    strategy: &cairn_core::Strategy,
) -> Result<(), Error> {
    tx.execute("DELETE FROM search WHERE mission = $1", &[&slug.as_str()])?;
    let rows = search::index_rows(strategy);
    if rows.is_empty() {
        return Ok(());
    }
    let mut ords = Vec::with_capacity(rows.len());
    let (mut nodes, mut fields, mut headings, mut texts) = (
        Vec::with_capacity(rows.len()),
        Vec::with_capacity(rows.len()),
        Vec::with_capacity(rows.len()),
        Vec::with_capacity(rows.len()),
    );
    for r in rows {
        ords.push(int(r.ord, "block number")?);
        nodes.push(r.node);
        fields.push(r.field);
        headings.push(r.heading);
        texts.push(r.text);
    }
    tx.execute(
        "INSERT INTO search (mission, rev, ord, node, field, heading, text, public)
         SELECT $1, $2, r.ord, r.node, r.field, r.heading, r.text, $3
         FROM unnest($4::INTEGER[], $5::TEXT[], $6::TEXT[], $7::TEXT[], $8::TEXT[])
              AS r (ord, node, field, heading, text)",
        &[
            &slug.as_str(),
            &int(rev, "revision number")?,
            &strategy.is_public(),
            &ords,
            &nodes,
            &fields,
            &headings,
            &texts,
        ],
    )?;
    Ok(())
}

/// Indexes every mission's latest revision afresh.
fn rebuild_search(tx: &mut impl GenericClient) -> Result<(), Error> {
    tx.execute("DELETE FROM search", &[])?;
    for m in read::missions(tx)? {
        if let Some(r) = read::revision(tx, &m.slug, None)? {
            reindex(tx, &r.slug, r.rev, &r.strategy)?;
        }
    }
    Ok(())
}

fn put_user(tx: &mut impl GenericClient, c: &Credentials, create: bool) -> Result<(), Error> {
    storable(&[("password hash", Some(&c.password_hash))])?;
    let sql = if create {
        "INSERT INTO users (username, role, password_hash, disabled, must_change_password, created_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7)"
    } else {
        "UPDATE users SET role = $2, password_hash = $3, disabled = $4, must_change_password = $5,
         created_at = $6, version = $7 WHERE username = $1"
    };
    let u = &c.user;
    tx.execute(
        sql,
        &[
            &u.username.as_str(),
            &u.role.as_str(),
            &c.password_hash,
            &u.disabled,
            &u.must_change_password,
            &canonical_time(&u.created_at),
            &int(u.version, "user version")?,
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
pub(crate) fn append_audit(tx: &mut impl GenericClient, new: NewAuditEntry) -> Result<(), Error> {
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
            reindex(tx, &revision.slug, revision.rev, &revision.strategy)?;
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
        for c in &dump.users {
            put_user(tx, c, true)?;
        }
        crate::monitoring::load_from(tx, dump)?;
        crate::milestones::load_from(tx, dump)?;
        rebuild_search(tx)
    })
}

pub fn add_user(client: &mut Client, new: NewUser) -> Result<User, StoreError> {
    write(client, |tx| {
        let exists = read::credentials(tx, &new.username)?.is_some();
        let (credentials, audit) = plan::add_user(new.clone(), exists, Utc::now())?;
        put_user(tx, &credentials, true)?;
        append_audit(tx, audit)?;
        Ok(credentials.user)
    })
}

pub fn change_user(client: &mut Client, change: UserChange) -> Result<User, StoreError> {
    write(client, |tx| {
        let current = read::credentials(tx, &change.username)?;
        let decided = plan::user_change(change.clone(), current, Utc::now())?;
        put_user(tx, &decided.credentials, false)?;
        if decided.end_sessions {
            tx.execute(
                "DELETE FROM sessions WHERE username = $1",
                &[&decided.credentials.user.username.as_str()],
            )?;
        }
        append_audit(tx, decided.audit)?;
        Ok(decided.credentials.user)
    })
}

pub fn start_session(client: &mut Client, new: NewSession) -> Result<(), StoreError> {
    storable(&[("session token hash", Some(&new.token_hash))])?;
    write(client, |tx| {
        let user = read::credentials(tx, &new.username)?.map(|c| c.user);
        let audit = plan::session_start(&new, user.as_ref(), Utc::now())?;
        let at = canonical_time(&new.at);
        tx.execute(
            "INSERT INTO sessions (token_hash, username, created_at, last_seen) VALUES ($1, $2, $3, $3)",
            &[&new.token_hash, &new.username.as_str(), &at],
        )?;
        append_audit(tx, audit)
    })
}

/// One statement outside any write transaction: no audit entry, no wait for the chain.
pub fn touch_session(
    client: &mut Client,
    token_hash: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    if token_hash.contains('\0') {
        return Ok(());
    }
    client
        .execute(
            "UPDATE sessions SET last_seen = $2 WHERE token_hash = $1",
            &[&token_hash, &canonical_time(&at)],
        )
        .map_err(Error::from)?;
    Ok(())
}

pub fn end_session(client: &mut Client, token_hash: &str, actor: &str) -> Result<bool, StoreError> {
    if token_hash.contains('\0') {
        return Ok(false);
    }
    write(client, |tx| {
        let Some(row) = tx.query_opt(
            "DELETE FROM sessions WHERE token_hash = $1 RETURNING username",
            &[&token_hash],
        )?
        else {
            return Ok(false);
        };
        let owner: String = row.try_get(0)?;
        let owner = Username::parse(&owner).map_err(|e| crate::corrupt("user name", &owner, e))?;
        append_audit(tx, plan::session_end(&owner, actor, Utc::now()))?;
        Ok(true)
    })
}

/// One statement outside any write transaction, not audited.
pub fn purge_sessions(
    client: &mut Client,
    idle_since: DateTime<Utc>,
    created_since: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let n = client
        .execute(
            "DELETE FROM sessions WHERE last_seen < $1 COLLATE \"C\" OR created_at < $2 COLLATE \"C\"",
            &[&canonical_time(&idle_since), &canonical_time(&created_since)],
        )
        .map_err(Error::from)?;
    Ok(usize::try_from(n).unwrap_or(usize::MAX))
}
