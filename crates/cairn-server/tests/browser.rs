//! The browser tests: runs `tests/browser/run.mjs` (headless Chromium through playwright-core,
//! axe-core on every page) against the `cairn` binary.
//!
//! Needs `node`, Debian's `/usr/bin/chromium` (or `CAIRN_CHROMIUM`) and the test's npm packages
//! (`npm ci --prefix tests/browser`). Without them the test says what is missing and passes,
//! unless `CAIRN_REQUIRE_BROWSER=1`, when it fails instead (CI sets it).
//!
//! ```sh
//! cargo build -p cairn-cli && CAIRN_REQUIRE_BROWSER=1 cargo test -p cairn-server --test browser -- --nocapture
//! ```

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository's root: this crate is `crates/cairn-server`.
fn repo_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("..");
    root.canonicalize().unwrap_or(root)
}

fn chromium() -> PathBuf {
    env::var_os("CAIRN_CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// What the test needs and does not find, each with how to get it.
fn missing(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        out.push(
            "`node` is not on PATH (install Node.js 18 or later: apt-get install nodejs npm)"
                .into(),
        );
    }
    let chromium = chromium();
    if !chromium.is_file() {
        out.push(format!(
            "{} is absent (apt-get install chromium, or set CAIRN_CHROMIUM)",
            chromium.display()
        ));
    }
    if !root.join("tests/browser/node_modules").is_dir() {
        out.push(
            "tests/browser/node_modules is absent (install it: npm ci --prefix tests/browser)"
                .into(),
        );
    }
    out
}

/// The `cairn` binary of this build (package cairn-cli, so `CARGO_BIN_EXE_cairn` is not set
/// here): next to this test's own directory, `target/<profile>/cairn`. Built when absent.
fn cairn_binary() -> Result<PathBuf, String> {
    let exe = env::current_exe().map_err(|e| format!("the test executable's path: {e}"))?;
    // target/<profile>/deps/browser-HASH → target/<profile>
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| format!("{} is not in target/<profile>/deps", exe.display()))?
        .to_path_buf();
    let bin = profile_dir.join(format!("cairn{}", env::consts::EXE_SUFFIX));
    if bin.is_file() {
        return Ok(bin);
    }
    eprintln!(
        "browser: {} is absent; building it: cargo build -p cairn-cli",
        bin.display()
    );
    let cargo = env::var_os("CARGO").unwrap_or_else(|| env!("CARGO").into());
    let mut build = Command::new(cargo);
    build
        .args(["build", "-p", "cairn-cli"])
        .current_dir(repo_root());
    if profile_dir.file_name().is_some_and(|n| n == "release") {
        build.arg("--release");
    }
    if let Some(target_dir) = profile_dir.parent() {
        build.env("CARGO_TARGET_DIR", target_dir);
    }
    let status = build
        .status()
        .map_err(|e| format!("cannot run cargo build -p cairn-cli: {e}"))?;
    if !status.success() {
        return Err(format!("cargo build -p cairn-cli failed: {status}"));
    }
    if !bin.is_file() {
        return Err(format!(
            "cargo build -p cairn-cli made no {}",
            bin.display()
        ));
    }
    Ok(bin)
}

#[test]
fn browser() -> Result<(), String> {
    let root = repo_root();
    let required = env::var("CAIRN_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    let missing = missing(&root);
    if !missing.is_empty() {
        let list = missing.join("; ");
        if required {
            return Err(format!("CAIRN_REQUIRE_BROWSER=1 but {list}"));
        }
        eprintln!("browser: skipped: {list} (set CAIRN_REQUIRE_BROWSER=1 to fail instead)");
        return Ok(());
    }
    let bin = cairn_binary()?;
    let script = root.join("tests/browser/run.mjs");
    eprintln!(
        "browser: node {} with CAIRN_BIN={}",
        script.display(),
        bin.display()
    );
    let out = Command::new("node")
        .arg(&script)
        .current_dir(&root)
        .env("CAIRN_BIN", &bin)
        .env("CAIRN_CHROMIUM", chromium())
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .output()
        .map_err(|e| format!("cannot run node: {e}"))?;
    println!("{}", String::from_utf8_lossy(&out.stdout));
    eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    if !out.status.success() {
        return Err(format!(
            "tests/browser/run.mjs failed ({}): see its output above",
            out.status
        ));
    }
    Ok(())
}
