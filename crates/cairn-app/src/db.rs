//! Which store a database URL names, opened and migrated.

use std::path::PathBuf;

use cairn_store::{Store, StoreError};
use cairn_store_sqlite::SqliteStore;

/// A parsed database URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

/// Why a store could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(
        "{url:?}: {why}; expected sqlite://PATH, sqlite:///ABSOLUTE/PATH or postgres://USER@HOST:PORT/DB"
    )]
    BadUrl { url: String, why: &'static str },
    #[error("this build has no PostgreSQL support (build with --features postgres)")]
    NoPostgres,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl DbUrl {
    /// `sqlite://cairn.db` (relative to the working directory), `sqlite:///abs/path.db`,
    /// `postgres://user@host:port/db` (or `postgresql://`).
    pub fn parse(url: &str) -> Result<Self, OpenError> {
        let bad = |why| OpenError::BadUrl {
            url: url.to_string(),
            why,
        };
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(bad("no file named"));
            }
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_string()));
        }
        Err(bad("unknown scheme"))
    }
}

/// Opens and migrates the store the URL names.
pub fn open(url: &str) -> Result<Box<dyn Store>, OpenError> {
    let store: Box<dyn Store> = match DbUrl::parse(url)? {
        DbUrl::Sqlite(path) => Box::new(SqliteStore::open_migrated(&path)?),
        DbUrl::Postgres(url) => open_postgres(&url)?,
    };
    tracing::debug!(store = %store.describe(), "opened");
    Ok(store)
}

#[cfg(feature = "postgres")]
fn open_postgres(url: &str) -> Result<Box<dyn Store>, OpenError> {
    let store = cairn_store_postgres::PostgresStore::connect(url)?;
    store.migrate()?;
    Ok(Box::new(store))
}

#[cfg(not(feature = "postgres"))]
fn open_postgres(_url: &str) -> Result<Box<dyn Store>, OpenError> {
    Err(OpenError::NoPostgres)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            DbUrl::parse("sqlite://cairn.db").ok(),
            Some(DbUrl::Sqlite("cairn.db".into()))
        );
        assert_eq!(
            DbUrl::parse("sqlite:///var/lib/cairn.db").ok(),
            Some(DbUrl::Sqlite("/var/lib/cairn.db".into()))
        );
        assert!(matches!(
            DbUrl::parse("postgres://postgres@127.0.0.1:5432/test"),
            Ok(DbUrl::Postgres(_))
        ));
        for bad in ["", "cairn.db", "sqlite://", "mysql://x", "http://x"] {
            let e = DbUrl::parse(bad)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(e.contains("expected sqlite://"), "{bad}: {e}");
        }
    }
}
