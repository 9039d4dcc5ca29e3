//! Reading a document from disk, with errors that name the path and the reason.

use std::path::Path;

use cairn_ingest::{IngestError, Parsed};

/// A failure the CLI reports on one line, with its exit code.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The environment: unreadable path, directory, bad arguments (exit 2).
    #[error("{0}")]
    Environment(String),
    /// The input's fault (exit 1).
    #[error("{0}")]
    Input(String),
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Environment(_) => 2,
            Self::Input(_) => 1,
        }
    }
}

/// Reads a file's bytes; a directory or an unreadable path is an environment error.
pub fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    if path.is_dir() {
        return Err(Failure::Environment(format!(
            "cannot read {}: it is a directory, expected a strategy document",
            path.display()
        )));
    }
    std::fs::read(path)
        .map_err(|e| Failure::Environment(format!("cannot read {}: {e}", path.display())))
}

/// Reads and parses a document.
pub fn parse(path: &Path) -> Result<Parsed, Failure> {
    let bytes = read(path)?;
    parse_bytes(path, &bytes)
}

pub fn parse_bytes(path: &Path, bytes: &[u8]) -> Result<Parsed, Failure> {
    cairn_ingest::parse(bytes).map_err(|e| ingest_failure(path, &e))
}

pub fn ingest_failure(path: &Path, e: &IngestError) -> Failure {
    Failure::Input(format!("{}: {e}", path.display()))
}
