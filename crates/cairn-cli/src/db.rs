//! Which store a database URL names, opened and migrated.

use std::path::PathBuf;

use cairn_store::{Store, StoreError};
use cairn_store_sqlite::SqliteStore;

use crate::input::Failure;

/// A parsed `--db` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

/// `sqlite://cairn.db` (relative to the working directory), `sqlite:///abs/path.db`,
/// `postgres://user@host:port/db` (or `postgresql://`).
pub fn parse_url(url: &str) -> Result<DbUrl, Failure> {
    let bad = |why: &str| {
        Failure::Environment(format!(
            "--db {url:?}: {why}; expected sqlite://PATH, sqlite:///ABSOLUTE/PATH or postgres://USER@HOST:PORT/DB"
        ))
    };
    if let Some(path) = url.strip_prefix("sqlite://") {
        if path.is_empty() {
            return Err(bad("no file named"));
        }
        return Ok(DbUrl::Sqlite(PathBuf::from(path)));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(DbUrl::Postgres(url.to_string()));
    }
    Err(bad("unknown scheme"))
}

/// Opens and migrates the store the URL names.
pub fn open(url: &str) -> Result<Box<dyn Store>, Failure> {
    let store: Box<dyn Store> = match parse_url(url)? {
        DbUrl::Sqlite(path) => Box::new(SqliteStore::open_migrated(&path).map_err(store_failure)?),
        DbUrl::Postgres(url) => open_postgres(&url)?,
    };
    tracing::debug!(store = %store.describe(), "opened");
    Ok(store)
}

#[cfg(feature = "postgres")]
fn open_postgres(url: &str) -> Result<Box<dyn Store>, Failure> {
    let store = cairn_store_postgres::PostgresStore::connect(url).map_err(store_failure)?;
    store.migrate().map_err(store_failure)?;
    Ok(Box::new(store))
}

#[cfg(not(feature = "postgres"))]
fn open_postgres(_url: &str) -> Result<Box<dyn Store>, Failure> {
    Err(Failure::Environment(
        "--db: this build has no PostgreSQL support (build with --features postgres)".into(),
    ))
}

/// A store error as the CLI reports it: the input's fault (stale or invalid) exits 1, the rest 2.
pub fn store_failure(e: StoreError) -> Failure {
    if e.is_input_fault() {
        Failure::Input(e.to_string())
    } else {
        Failure::Environment(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            parse_url("sqlite://cairn.db").ok(),
            Some(DbUrl::Sqlite("cairn.db".into()))
        );
        assert_eq!(
            parse_url("sqlite:///var/lib/cairn.db").ok(),
            Some(DbUrl::Sqlite("/var/lib/cairn.db".into()))
        );
        assert!(matches!(
            parse_url("postgres://postgres@127.0.0.1:5432/test"),
            Ok(DbUrl::Postgres(_))
        ));
        for bad in ["", "cairn.db", "sqlite://", "mysql://x", "http://x"] {
            let e = parse_url(bad)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(e.contains("expected sqlite://"), "{bad}: {e}");
        }
    }
}
