//! Which store a database URL names, opened and migrated.

use cairn_app::OpenError;
use cairn_store::{Store, StoreError};

use crate::input::Failure;

/// Opens and migrates the store the `--db` URL names.
pub fn open(url: &str) -> Result<Box<dyn Store>, Failure> {
    cairn_app::db::open(url).map_err(|e| match e {
        OpenError::Store(e) => store_failure(e),
        other => Failure::Environment(format!("--db {other}")),
    })
}

/// A store error as the CLI reports it: the input's fault (stale or invalid) exits 1, the rest 2.
pub fn store_failure(e: StoreError) -> Failure {
    if e.is_input_fault() {
        Failure::Input(e.to_string())
    } else {
        Failure::Environment(e.to_string())
    }
}
