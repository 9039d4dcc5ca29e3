//! The embedded default store: one SQLite file, created and migrated on first use.
//!
//! WAL journal with `synchronous = FULL` (a commit is on disk when it returns), a busy timeout
//! so that the CLI and a running server can write at once, and `BEGIN IMMEDIATE` for every
//! write so that a read-then-write transaction waits for the lock instead of failing.

mod milestones;
mod monitoring;
mod read;
mod write;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use cairn_core::{Indicator, IndicatorCode, Milestone, Observation};
use cairn_store::{
    AuditEntry, Commit, Credentials, Dump, MilestoneChange, Mission, MissionChange, NewRevision,
    NewSession, NewUser, ObservationChange, PutSummary, Revision, RevisionInfo, SearchQuery,
    SearchResults, Session, Slug, Store, StoreError, StoredObservation, User, UserChange, Username,
};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags};

/// Migrations in order; the database's `user_version` is how many have run.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_accounts_search.sql"),
    include_str!("../migrations/0003_monitoring.sql"),
    include_str!("../migrations/0004_milestones.sql"),
];

/// A store over one SQLite file.
pub struct SqliteStore {
    path: PathBuf,
    conn: Mutex<Connection>,
}

pub(crate) fn db_err(e: rusqlite::Error) -> StoreError {
    StoreError::Database(e.to_string())
}

impl SqliteStore {
    /// Opens (creating when absent) the database at `path`.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let unavailable = |reason: String| StoreError::Unavailable {
            url: format!("sqlite://{}", path.display()),
            reason,
        };
        if path.is_dir() {
            return Err(unavailable("it is a directory".into()));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn =
            Connection::open_with_flags(path, flags).map_err(|e| unavailable(e.to_string()))?;
        conn.busy_timeout(Duration::from_secs(30))
            .map_err(|e| unavailable(e.to_string()))?;
        // The first statement that reads the file tells a non-database file apart.
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| unavailable(e.to_string()))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(unavailable(format!(
                "cannot use a write-ahead log (journal mode {mode})"
            )));
        }
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
            .map_err(|e| unavailable(e.to_string()))?;
        Ok(Self {
            path: path.to_path_buf(),
            conn: Mutex::new(conn),
        })
    }

    /// Opens and migrates: what every command that uses the store does first.
    pub fn open_migrated(path: &Path) -> Result<Self, StoreError> {
        let s = Self::open(path)?;
        s.migrate()?;
        Ok(s)
    }

    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves the connection usable: SQLite rolls back the
        // unfinished transaction when the next one begins.
        self.conn
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The schema as `(table, column, declared type)` rows, for comparing backends: ordinary
    /// tables only. The FTS5 table `search_fts` and its shadow tables are the full-text index
    /// over `search.text` (PostgreSQL keeps a generated tsvector column instead), so, like
    /// indexes, they are left out.
    pub fn schema(&self) -> Result<Vec<(String, String, String)>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare(
                "SELECT m.name, p.name, p.type
                 FROM sqlite_master m
                 JOIN pragma_table_list t ON t.schema = 'main' AND t.name = m.name,
                      pragma_table_info(m.name) p
                 WHERE m.type = 'table' AND t.type = 'table' ORDER BY m.name, p.cid",
            )
            .map_err(db_err)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(db_err)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(db_err)?;
        Ok(rows)
    }
}

impl Store for SqliteStore {
    fn migrate(&self) -> Result<(), StoreError> {
        write::migrate(&mut self.conn(), MIGRATIONS)
    }

    fn missions(&self) -> Result<Vec<Mission>, StoreError> {
        read::missions(&self.conn())
    }

    fn mission(&self, slug: &Slug) -> Result<Option<Mission>, StoreError> {
        read::mission(&self.conn(), slug)
    }

    fn commit(&self, new: NewRevision) -> Result<Commit, StoreError> {
        write::commit(&mut self.conn(), new)
    }

    fn revision(&self, slug: &Slug, rev: Option<u32>) -> Result<Option<Revision>, StoreError> {
        read::revision(&self.conn(), slug, rev)
    }

    fn history(&self, slug: &Slug) -> Result<Vec<RevisionInfo>, StoreError> {
        read::history(&self.conn(), slug, 0)
    }

    fn set_mission(&self, change: MissionChange) -> Result<Mission, StoreError> {
        write::set_mission(&mut self.conn(), change)
    }

    fn audit_log(&self) -> Result<Vec<AuditEntry>, StoreError> {
        read::audit_log(&self.conn())
    }

    fn integrity(&self) -> Result<Vec<String>, StoreError> {
        read::integrity(&self.conn())
    }

    fn dump(&self) -> Result<Dump, StoreError> {
        read::dump(&mut self.conn())
    }

    fn load(&self, dump: &Dump) -> Result<(), StoreError> {
        write::load(&mut self.conn(), dump)
    }

    fn users(&self) -> Result<Vec<User>, StoreError> {
        read::users(&self.conn())
    }

    fn credentials(&self, username: &Username) -> Result<Option<Credentials>, StoreError> {
        read::credentials(&self.conn(), username)
    }

    fn add_user(&self, new: NewUser) -> Result<User, StoreError> {
        write::add_user(&mut self.conn(), new)
    }

    fn change_user(&self, change: UserChange) -> Result<User, StoreError> {
        write::change_user(&mut self.conn(), change)
    }

    fn start_session(&self, new: NewSession) -> Result<(), StoreError> {
        write::start_session(&mut self.conn(), new)
    }

    fn session(&self, token_hash: &str) -> Result<Option<(Session, User)>, StoreError> {
        read::session(&self.conn(), token_hash)
    }

    fn touch_session(&self, token_hash: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        write::touch_session(&self.conn(), token_hash, at)
    }

    fn end_session(&self, token_hash: &str, actor: &str) -> Result<bool, StoreError> {
        write::end_session(&mut self.conn(), token_hash, actor)
    }

    fn purge_sessions(
        &self,
        idle_since: DateTime<Utc>,
        created_since: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        write::purge_sessions(&self.conn(), idle_since, created_since)
    }

    fn search(&self, q: &SearchQuery) -> Result<SearchResults, StoreError> {
        read::search(&mut self.conn(), q)
    }

    fn indicators(&self, mission: &Slug) -> Result<Vec<Indicator>, StoreError> {
        monitoring::indicators(&self.conn(), mission)
    }

    fn put_indicators(
        &self,
        mission: &Slug,
        indicators: &[Indicator],
        actor: &str,
    ) -> Result<PutSummary, StoreError> {
        monitoring::put_indicators(&mut self.conn(), mission, indicators, actor)
    }

    fn observations(&self, mission: &Slug) -> Result<Vec<StoredObservation>, StoreError> {
        monitoring::observations(&self.conn(), mission)
    }

    fn put_observations(
        &self,
        rows: &[(Slug, Observation)],
        actor: &str,
        reason: &str,
    ) -> Result<PutSummary, StoreError> {
        monitoring::put_observations(&mut self.conn(), rows, actor, reason)
    }

    fn observation_history(
        &self,
        mission: &Slug,
        indicator: &IndicatorCode,
    ) -> Result<Vec<ObservationChange>, StoreError> {
        monitoring::observation_history(&self.conn(), mission, indicator)
    }

    fn milestones(&self, mission: &Slug) -> Result<Vec<Milestone>, StoreError> {
        milestones::milestones(&self.conn(), mission)
    }

    fn put_milestones(
        &self,
        mission: &Slug,
        list: &[Milestone],
        actor: &str,
    ) -> Result<PutSummary, StoreError> {
        milestones::put_milestones(&mut self.conn(), mission, list, actor)
    }

    fn milestone_history(&self, mission: &Slug) -> Result<Vec<MilestoneChange>, StoreError> {
        milestones::milestone_history(&self.conn(), mission)
    }

    fn describe(&self) -> String {
        format!("SQLite database {}", self.path.display())
    }
}
