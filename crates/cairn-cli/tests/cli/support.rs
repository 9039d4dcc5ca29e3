//! Running the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

pub fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

pub fn seed() -> PathBuf {
    repo("samples/mali-ics-2022.txt")
}

pub fn fixture(name: &str) -> PathBuf {
    repo("crates/cairn-ingest/tests/fixtures").join(name)
}

/// Runs cairn with no database or actor taken from the environment.
pub fn cairn(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args(args)
        .env_remove("CAIRN_DATABASE_URL")
        .env_remove("CAIRN_ACTOR")
        .output()
        .unwrap_or_else(|e| panic!("cannot run cairn: {e}"))
}

pub fn path_arg(p: &Path) -> &str {
    p.to_str().unwrap_or_else(|| panic!("non-UTF-8 path {p:?}"))
}

pub fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A scratch directory with a database URL inside it.
pub struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap_or_else(|e| panic!("{e}")),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn url(&self) -> String {
        format!("sqlite://{}", self.path("cairn.db").display())
    }

    /// Runs cairn against this scratch database as `alice`.
    pub fn run(&self, args: &[&str]) -> Output {
        let url = self.url();
        let mut all = vec!["--db", url.as_str(), "--actor", "alice"];
        all.extend_from_slice(args);
        cairn(&all)
    }

    pub fn ok(&self, args: &[&str]) -> Output {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "cairn {args:?} failed: {}",
            stderr(&out)
        );
        out
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
        p
    }
}
