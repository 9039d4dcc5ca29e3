//! The scale-out store: PostgreSQL through the synchronous `postgres` client, a faithful twin
//! of the SQLite backend (same tables, columns, canonical text timestamps and JSON text, so that
//! hashes and dumps are identical across backends).
//!
//! Every write is one READ COMMITTED transaction that first takes `LOCK TABLE audit IN
//! EXCLUSIVE MODE`: writers queue on the audit chain, whose head each of them must read and
//! extend, exactly as SQLite's `BEGIN IMMEDIATE` queues them on the file. The lock does not
//! conflict with plain reads, so readers and `dump` (one REPEATABLE READ READ ONLY snapshot) never
//! wait for writers. Serialization failures and deadlocks (SQLSTATE 40001, 40P01), which only a
//! foreign session could cause, are retried a bounded number of times.

mod milestones;
mod monitoring;
mod read;
mod write;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use cairn_core::{Indicator, IndicatorCode, Milestone, Observation};
use cairn_store::{
    AuditEntry, Commit, Credentials, Dump, MilestoneChange, Mission, MissionChange, NewRevision,
    NewSession, NewUser, ObservationChange, PutSummary, Revision, RevisionInfo, SearchQuery,
    SearchResults, Session, Slug, Store, StoreError, StoredObservation, User, UserChange, Username,
};
use chrono::{DateTime, Utc};
use postgres::error::SqlState;
use postgres::{Client, Config, NoTls, Statement};

/// Migrations in order; `cairn_meta`'s `schema_version` is how many have run.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_accounts_search.sql"),
    include_str!("../migrations/0003_monitoring.sql"),
    include_str!("../migrations/0004_milestones.sql"),
];

/// How long a connection attempt may take when the URL does not say (`connect_timeout`).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A store over one PostgreSQL database (or one schema of it).
pub struct PostgresStore {
    /// The URL as given, password removed.
    url: String,
    config: Config,
    /// The dedicated schema, when there is one.
    schema: Option<String>,
    /// Always Some outside `client()` and `drop`; an Option so that a connection can be closed
    /// on a thread of its own (see [`close_apart`]).
    client: Mutex<Option<Client>>,
    /// How many connections `client()` has opened: a prepared statement belongs to one.
    generation: AtomicU64,
    /// The search statement, prepared once per connection (generation, statement): planning it
    /// anew would cost about as much as running it.
    search: Mutex<Option<(u64, Statement)>>,
}

/// The locked connection; `PostgresStore::client` only hands it out holding one.
pub(crate) struct ClientGuard<'a>(MutexGuard<'a, Option<Client>>);

impl std::ops::Deref for ClientGuard<'_> {
    type Target = Client;

    fn deref(&self) -> &Client {
        match self.0.as_ref() {
            Some(c) => c,
            None => unreachable!("PostgresStore::client always leaves a connection in place"),
        }
    }
}

impl std::ops::DerefMut for ClientGuard<'_> {
    fn deref_mut(&mut self) -> &mut Client {
        match self.0.as_mut() {
            Some(c) => c,
            None => unreachable!("PostgresStore::client always leaves a connection in place"),
        }
    }
}

/// Closes a connection on a thread of its own. The synchronous client blocks on a private
/// runtime when dropped, which panics on a thread that already runs one — a server's worker,
/// where the last reference to the store may well be dropped.
fn close_apart(client: Client) {
    let _ = std::thread::spawn(move || drop(client)).join();
}

impl Drop for PostgresStore {
    fn drop(&mut self) {
        let slot = self
            .client
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(client) = slot.take() {
            close_apart(client);
        }
    }
}

/// A failure inside the crate: the database's own error (kept whole, so that a write can tell a
/// serialization failure it may retry) or a store error.
#[derive(Debug)]
pub(crate) enum Error {
    Pg(postgres::Error),
    Store(StoreError),
}

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Self {
        Self::Pg(e)
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

impl From<Error> for StoreError {
    fn from(e: Error) -> Self {
        match e {
            Error::Pg(e) => StoreError::Database(reason(&e)),
            Error::Store(e) => e,
        }
    }
}

/// A stored value that cannot be what the store wrote.
pub(crate) fn corrupt(what: &str, value: impl std::fmt::Debug, e: impl std::fmt::Display) -> Error {
    Error::Store(StoreError::Database(format!(
        "corrupt {what} {value:?}: {e}"
    )))
}

/// A database error as one line: the server's message with its detail and hint, or the
/// client's description followed by its causes.
pub(crate) fn reason(e: &postgres::Error) -> String {
    let text = if let Some(db) = e.as_db_error() {
        let mut s = format!(
            "{}: {} (SQLSTATE {})",
            db.severity(),
            db.message(),
            db.code().code()
        );
        if let Some(detail) = db.detail() {
            s.push_str("; ");
            s.push_str(detail);
        }
        if let Some(hint) = db.hint() {
            s.push_str("; hint: ");
            s.push_str(hint);
        }
        s
    } else {
        let mut s = e.to_string();
        let mut cause = std::error::Error::source(e);
        while let Some(c) = cause {
            s.push_str(": ");
            s.push_str(&c.to_string());
            cause = c.source();
        }
        s
    };
    text.split(['\r', '\n'])
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The connection string with any password removed: from the user-info of a URL, from a
/// `password=` query parameter, and from a `password=` key of the key/value form.
pub fn redact(url: &str) -> String {
    let lower = url.to_ascii_lowercase();
    let scheme = ["postgres://", "postgresql://"]
        .into_iter()
        .find(|s| lower.starts_with(s));
    match scheme {
        Some(scheme) => {
            let rest = &url[scheme.len()..];
            let (before_query, query) = match rest.find('?') {
                Some(q) => (&rest[..q], Some(&rest[q + 1..])),
                None => (rest, None),
            };
            let mut out = url[..scheme.len()].to_string();
            match before_query.rfind('@') {
                Some(at) => {
                    let userinfo = &before_query[..at];
                    out.push_str(userinfo.split(':').next().unwrap_or_default());
                    out.push_str(&before_query[at..]);
                }
                None => out.push_str(before_query),
            }
            if let Some(query) = query {
                let kept: Vec<&str> = query
                    .split('&')
                    .filter(|p| !p.to_ascii_lowercase().starts_with("password="))
                    .collect();
                if !kept.is_empty() {
                    out.push('?');
                    out.push_str(&kept.join("&"));
                }
            }
            out
        }
        None => redact_key_values(url),
    }
}

/// `host=db password='a b' user=x` → `host=db user=x`.
fn redact_key_values(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s.trim_start();
    while !rest.is_empty() {
        let key_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let key = &rest[..key_end];
        let mut after = rest[key_end..].trim_start();
        let mut pair_end = rest.len() - after.len();
        if let Some(v) = after.strip_prefix('=') {
            after = v.trim_start();
            // The value: quoted (with backslash escapes) or up to the next whitespace.
            let value_len = if let Some(q) = after.strip_prefix('\'') {
                let mut escaped = false;
                let mut end = q.len();
                for (i, c) in q.char_indices() {
                    match c {
                        _ if escaped => escaped = false,
                        '\\' => escaped = true,
                        '\'' => {
                            end = i + 1;
                            break;
                        }
                        _ => {}
                    }
                }
                1 + end
            } else {
                after.find(char::is_whitespace).unwrap_or(after.len())
            };
            pair_end = rest.len() - after.len() + value_len;
        }
        if !key.eq_ignore_ascii_case("password") {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(rest[..pair_end].trim_end());
        }
        rest = rest[pair_end..].trim_start();
    }
    out
}

/// Opens a connection and prepares its session: the schema to use (created when absent),
/// lock waits bounded like SQLite's busy timeout.
fn open(config: &Config, schema: Option<&str>) -> Result<Client, String> {
    let mut client = config.connect(NoTls).map_err(|e| reason(&e))?;
    client
        .batch_execute("SET lock_timeout = '30s'")
        .map_err(|e| reason(&e))?;
    if let Some(schema) = schema {
        let exists = |c: &mut Client| -> Result<bool, String> {
            c.query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)",
                &[&schema],
            )
            .and_then(|r| r.try_get(0))
            .map_err(|e| reason(&e))
        };
        // Created only when absent: a role without the right to create schemas can still use
        // one made for it. A concurrent creation of the same name may win the race.
        if !exists(&mut client)?
            && let Err(e) = client.batch_execute(&format!("CREATE SCHEMA \"{schema}\""))
            && !exists(&mut client)?
        {
            return Err(reason(&e));
        }
        client
            .batch_execute(&format!("SET search_path TO \"{schema}\""))
            .map_err(|e| reason(&e))?;
    }
    Ok(client)
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user@host:port/db`, or the key/value
    /// form), using its default schema (`public`). Does not migrate.
    pub fn connect(url: &str) -> Result<Self, StoreError> {
        Self::connect_to(url, None)
    }

    /// Connects and uses the schema `schema` (created when absent) through `search_path`:
    /// several stores in one database, e.g. one per test. The name is lower-case letters,
    /// digits and underscores.
    pub fn connect_schema(url: &str, schema: &str) -> Result<Self, StoreError> {
        let ok = !schema.is_empty()
            && schema.len() <= 63
            && schema
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            && !schema.starts_with(|c: char| c.is_ascii_digit())
            && !schema.starts_with("pg_");
        if !ok {
            return Err(StoreError::Invalid(format!(
                "{schema:?} is not a schema name: expected lower-case letters, digits and underscores (at most 63, not starting with a digit or pg_)"
            )));
        }
        Self::connect_to(url, Some(schema.to_string()))
    }

    fn connect_to(url: &str, schema: Option<String>) -> Result<Self, StoreError> {
        let shown = redact(url);
        let unavailable = |reason: String| StoreError::Unavailable {
            url: shown.clone(),
            reason,
        };
        let mut config: Config = url
            .parse()
            .map_err(|e: postgres::Error| unavailable(reason(&e)))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("cairn");
        }
        let client = open(&config, schema.as_deref()).map_err(unavailable)?;
        Ok(Self {
            url: shown,
            config,
            schema,
            client: Mutex::new(Some(client)),
            generation: AtomicU64::new(0),
            search: Mutex::new(None),
        })
    }

    /// Connects and migrates: what every command that uses the store does first.
    pub fn connect_migrated(url: &str) -> Result<Self, StoreError> {
        let s = Self::connect(url)?;
        s.migrate()?;
        Ok(s)
    }

    /// The connection, reopened when the server closed it (a restart, an idle timeout).
    pub(crate) fn client(&self) -> Result<ClientGuard<'_>, StoreError> {
        // A panic while holding the lock leaves the connection usable: the unfinished
        // transaction was rolled back when it was dropped.
        let mut slot = self
            .client
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if slot.as_ref().is_none_or(Client::is_closed) {
            if let Some(old) = slot.take() {
                close_apart(old);
            }
            self.generation.fetch_add(1, Ordering::Relaxed);
            *slot = Some(
                open(&self.config, self.schema.as_deref()).map_err(|reason| {
                    StoreError::Unavailable {
                        url: self.url.clone(),
                        reason,
                    }
                })?,
            );
        }
        Ok(ClientGuard(slot))
    }

    /// The dedicated schema, if the store was opened with [`PostgresStore::connect_schema`].
    pub fn schema_name(&self) -> Option<&str> {
        self.schema.as_deref()
    }

    /// The schema as `(table, column, type)` rows, types in upper case (`TEXT`, `INTEGER`,
    /// `BIGINT`, `BOOLEAN`), tables by name and columns in order, for comparing backends.
    /// `cairn_meta`, the counterpart of SQLite's `PRAGMA user_version`, is left out, and so are
    /// generated columns (`search.tsv`, the full-text index's input, whose SQLite counterpart
    /// is the FTS5 table SQLite's listing leaves out).
    pub fn schema(&self) -> Result<Vec<(String, String, String)>, StoreError> {
        read::schema(&mut *self.client()?).map_err(Into::into)
    }
}

impl Store for PostgresStore {
    fn migrate(&self) -> Result<(), StoreError> {
        write::migrate(&mut *self.client()?, MIGRATIONS)
    }

    fn missions(&self) -> Result<Vec<Mission>, StoreError> {
        read::missions(&mut *self.client()?).map_err(Into::into)
    }

    fn mission(&self, slug: &Slug) -> Result<Option<Mission>, StoreError> {
        read::mission(&mut *self.client()?, slug).map_err(Into::into)
    }

    fn commit(&self, new: NewRevision) -> Result<Commit, StoreError> {
        write::commit(&mut *self.client()?, new)
    }

    fn revision(&self, slug: &Slug, rev: Option<u32>) -> Result<Option<Revision>, StoreError> {
        read::revision(&mut *self.client()?, slug, rev).map_err(Into::into)
    }

    fn history(&self, slug: &Slug) -> Result<Vec<RevisionInfo>, StoreError> {
        read::history(&mut *self.client()?, slug, 0).map_err(Into::into)
    }

    fn set_mission(&self, change: MissionChange) -> Result<Mission, StoreError> {
        write::set_mission(&mut *self.client()?, change)
    }

    fn audit_log(&self) -> Result<Vec<AuditEntry>, StoreError> {
        read::audit_log(&mut *self.client()?).map_err(Into::into)
    }

    fn integrity(&self) -> Result<Vec<String>, StoreError> {
        read::integrity(&mut *self.client()?).map_err(Into::into)
    }

    fn dump(&self) -> Result<Dump, StoreError> {
        read::dump(&mut *self.client()?).map_err(Into::into)
    }

    fn load(&self, dump: &Dump) -> Result<(), StoreError> {
        write::load(&mut *self.client()?, dump)
    }

    fn users(&self) -> Result<Vec<User>, StoreError> {
        read::users(&mut *self.client()?).map_err(Into::into)
    }

    fn credentials(&self, username: &Username) -> Result<Option<Credentials>, StoreError> {
        read::credentials(&mut *self.client()?, username).map_err(Into::into)
    }

    fn add_user(&self, new: NewUser) -> Result<User, StoreError> {
        write::add_user(&mut *self.client()?, new)
    }

    fn change_user(&self, change: UserChange) -> Result<User, StoreError> {
        write::change_user(&mut *self.client()?, change)
    }

    fn start_session(&self, new: NewSession) -> Result<(), StoreError> {
        write::start_session(&mut *self.client()?, new)
    }

    fn session(&self, token_hash: &str) -> Result<Option<(Session, User)>, StoreError> {
        if token_hash.contains('\0') {
            return Ok(None);
        }
        read::session(&mut *self.client()?, token_hash).map_err(Into::into)
    }

    fn touch_session(&self, token_hash: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        write::touch_session(&mut *self.client()?, token_hash, at)
    }

    fn end_session(&self, token_hash: &str, actor: &str) -> Result<bool, StoreError> {
        write::end_session(&mut *self.client()?, token_hash, actor)
    }

    fn purge_sessions(
        &self,
        idle_since: DateTime<Utc>,
        created_since: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        write::purge_sessions(&mut *self.client()?, idle_since, created_since)
    }

    fn search(&self, q: &SearchQuery) -> Result<SearchResults, StoreError> {
        if cairn_store::search::match_terms(&q.text).is_empty() {
            return Ok(SearchResults::empty());
        }
        let mut client = self.client()?;
        let generation = self.generation.load(Ordering::Relaxed);
        let mut attempt = 0;
        loop {
            let cached = self
                .search
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone();
            let statement = match cached {
                Some((g, s)) if g == generation => s,
                _ => {
                    let s = client.prepare(read::SEARCH).map_err(Error::from)?;
                    *self.search.lock().unwrap_or_else(PoisonError::into_inner) =
                        Some((generation, s.clone()));
                    s
                }
            };
            match read::search(&mut *client, &statement, q) {
                // Something (a pooler, DISCARD ALL) dropped the statement: prepare it again.
                Err(Error::Pg(e))
                    if attempt == 0 && e.code() == Some(&SqlState::INVALID_SQL_STATEMENT_NAME) =>
                {
                    *self.search.lock().unwrap_or_else(PoisonError::into_inner) = None;
                    attempt += 1;
                }
                result => return result.map_err(Into::into),
            }
        }
    }

    fn indicators(&self, mission: &Slug) -> Result<Vec<Indicator>, StoreError> {
        monitoring::indicators(&mut *self.client()?, mission).map_err(Into::into)
    }

    fn put_indicators(
        &self,
        mission: &Slug,
        indicators: &[Indicator],
        actor: &str,
    ) -> Result<PutSummary, StoreError> {
        monitoring::put_indicators(&mut *self.client()?, mission, indicators, actor)
    }

    fn observations(&self, mission: &Slug) -> Result<Vec<StoredObservation>, StoreError> {
        monitoring::observations(&mut *self.client()?, mission).map_err(Into::into)
    }

    fn put_observations(
        &self,
        rows: &[(Slug, Observation)],
        actor: &str,
        reason: &str,
    ) -> Result<PutSummary, StoreError> {
        monitoring::put_observations(&mut *self.client()?, rows, actor, reason)
    }

    fn observation_history(
        &self,
        mission: &Slug,
        indicator: &IndicatorCode,
    ) -> Result<Vec<ObservationChange>, StoreError> {
        monitoring::observation_history(&mut *self.client()?, mission, indicator)
            .map_err(Into::into)
    }

    fn milestones(&self, mission: &Slug) -> Result<Vec<Milestone>, StoreError> {
        milestones::milestones(&mut *self.client()?, mission).map_err(Into::into)
    }

    fn put_milestones(
        &self,
        mission: &Slug,
        list: &[Milestone],
        actor: &str,
    ) -> Result<PutSummary, StoreError> {
        milestones::put_milestones(&mut *self.client()?, mission, list, actor)
    }

    fn milestone_history(&self, mission: &Slug) -> Result<Vec<MilestoneChange>, StoreError> {
        milestones::milestone_history(&mut *self.client()?, mission).map_err(Into::into)
    }

    fn describe(&self) -> String {
        match &self.schema {
            Some(schema) => format!("PostgreSQL database {}, schema {schema}", self.url),
            None => format!("PostgreSQL database {}", self.url),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_are_removed() {
        assert_eq!(
            redact("postgres://postgres@127.0.0.1:5432/test"),
            "postgres://postgres@127.0.0.1:5432/test"
        );
        assert_eq!(
            redact("postgres://alice:s3cret@db:5432/cairn"),
            "postgres://alice@db:5432/cairn"
        );
        assert_eq!(
            redact("postgresql://alice:p@ss@db/cairn"),
            "postgresql://alice@db/cairn"
        );
        assert_eq!(
            redact("postgres://db/cairn?password=x&sslmode=disable"),
            "postgres://db/cairn?sslmode=disable"
        );
        assert_eq!(
            redact("postgres://db/cairn?password=x"),
            "postgres://db/cairn"
        );
        assert_eq!(
            redact("host=db password='a \\' b' user=alice"),
            "host=db user=alice"
        );
        assert_eq!(
            redact("host=db password = secret user=alice"),
            "host=db user=alice"
        );
        assert_eq!(
            redact("host=db user=alice password=secret"),
            "host=db user=alice"
        );
    }
}
