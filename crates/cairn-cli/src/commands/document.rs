//! Commands over a document: parse, check, render.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use cairn_core::{Code, Diagnostic, diagnostic};

use super::{print_json, write_stdout};
use crate::args::{Format, Global};
use crate::check_report::{self, Style};
use crate::input::{self, Failure};
use crate::{db, names};

/// Warnings that a reader of `parse` output should see even though parse succeeds.
fn warn_encoding(path: &Path, diagnostics: &[Diagnostic]) {
    for d in diagnostics
        .iter()
        .filter(|d| d.code == Code::LegacyEncoding)
    {
        eprintln!("cairn: warning: {}: {}", path.display(), d.message);
    }
}

pub fn parse(path: &Path) -> Result<ExitCode, Failure> {
    let parsed = input::parse(path)?;
    warn_encoding(path, &parsed.diagnostics);
    print_json(&parsed.strategy)?;
    Ok(ExitCode::SUCCESS)
}

/// Checks a file, or a stored mission's revision (lines then refer to its stored source).
pub fn check(g: &Global, target: &str, rev: Option<u32>, json: bool) -> Result<ExitCode, Failure> {
    let path = Path::new(target);
    let (name, bytes) = if path.exists() || names::looks_like_path(target) {
        if rev.is_some() {
            return Err(Failure::Environment(
                "--rev goes with a mission, not a file".into(),
            ));
        }
        (target.to_string(), input::read(path)?)
    } else {
        let store = db::open(&g.db)?;
        let r = names::revision(&*store, target, rev)?;
        (format!("{}@rev{}", r.slug, r.rev), r.source.into_bytes())
    };
    let diagnostics = match cairn_ingest::parse(&bytes) {
        Ok(p) => p.diagnostics,
        Err(e) => vec![Diagnostic::new(Code::UnreadableInput, 1, e.to_string())],
    };
    if json {
        print_json(&serde_json::json!({ "diagnostics": diagnostics }))?;
    } else {
        let style = Style {
            colour: std::io::stdout().is_terminal(),
        };
        let text: String = diagnostics
            .iter()
            .map(|d| check_report::format(&name, d, style))
            .collect();
        write_stdout(text.as_bytes())?;
        let errors = diagnostics
            .iter()
            .filter(|d| d.severity == cairn_core::Severity::Error)
            .count();
        eprintln!(
            "cairn: {name}: {errors} error(s), {} warning(s)",
            diagnostics.len() - errors
        );
    }
    Ok(if diagnostic::has_errors(&diagnostics) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn render(
    path: &Path,
    format: Format,
    public: bool,
    output: Option<&Path>,
) -> Result<ExitCode, Failure> {
    if format == Format::Pdf {
        return Err(Failure::Environment(
            "--format pdf: PDF output is not part of this build yet; use md or html".into(),
        ));
    }
    let parsed = input::parse(path)?;
    warn_encoding(path, &parsed.diagnostics);
    let s = &parsed.strategy;
    if public
        && !s
            .marking
            .as_deref()
            .is_some_and(|m| m.eq_ignore_ascii_case("FOR PUBLIC RELEASE"))
    {
        return Err(Failure::Input(format!(
            "{}: --public: the document is marked {}, not FOR PUBLIC RELEASE; nothing was written",
            path.display(),
            s.marking
                .as_deref()
                .map_or("with no banner".to_string(), |m| format!("\"{m}\""))
        )));
    }
    let text = match format {
        Format::Md => cairn_render::markdown(s),
        Format::Html | Format::Pdf => cairn_render::html(s),
    };
    match output {
        Some(out) => write_atomically(out, text.as_bytes())?,
        None => write_stdout(text.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes beside the target and renames, so a failure never leaves half a file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let fail =
        |e: std::io::Error| Failure::Environment(format!("cannot write {}: {e}", path.display()));
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| {
        Failure::Environment(format!("cannot write {}: not a file name", path.display()))
    })?;
    let tmp = dir.join(format!(".{}.cairn-tmp", name.to_string_lossy()));
    std::fs::write(&tmp, bytes).map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}
