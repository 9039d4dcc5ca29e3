//! `cairn indicator import|from-figure`, `cairn data import|export|history`, `cairn status`.

use std::path::Path;
use std::process::ExitCode;

use cairn_app::monitoring::{self, MonitoringError};
use cairn_core::FiscalYear;
use cairn_store::PutSummary;

use super::{print_json, write_stdout};
use crate::args::Global;
use crate::db::{self, store_failure};
use crate::input::{self, Failure};
use crate::names;

/// A failed import of `file`: every row error on its own line, then the count.
fn failure(file: &Path, e: MonitoringError) -> Failure {
    match e {
        MonitoringError::Rows(errors) => {
            for err in &errors {
                eprintln!("{}: {err}", file.display());
            }
            Failure::Input(format!(
                "{}: {} error(s) (above); nothing was written",
                file.display(),
                errors.len()
            ))
        }
        MonitoringError::Store(e) => store_failure(e),
        e => Failure::Input(format!("{}: {e}", file.display())),
    }
}

/// A failure that names no file.
pub(super) fn plain_failure(e: MonitoringError) -> Failure {
    match e {
        MonitoringError::Store(e) => store_failure(e),
        e => Failure::Input(e.to_string()),
    }
}

/// What an import did (or, with `dry_run`, would do), on stderr.
fn summary(what: &str, s: &PutSummary, dry_run: bool) {
    if dry_run {
        eprintln!(
            "cairn: {what}: {} row(s) valid; nothing written (--dry-run)",
            s.unchanged
        );
    } else {
        eprintln!(
            "cairn: {what}: {} added, {} updated, {} unchanged",
            s.added, s.updated, s.unchanged
        );
    }
}

/// `cairn indicator import` and `cairn milestone import`: a sheet of `what` through its
/// importer.
pub fn import_sheet(
    g: &Global,
    file: &Path,
    dry_run: bool,
    what: &str,
    import: monitoring::Importer,
) -> Result<ExitCode, Failure> {
    let bytes = input::read(file)?;
    let store = db::open(&g.db)?;
    let actor = names::actor(g.actor.as_deref());
    let s = import(&*store, None, &bytes, &actor, dry_run).map_err(|e| failure(file, e))?;
    summary(what, &s, dry_run);
    Ok(ExitCode::SUCCESS)
}

pub fn import_data(
    g: &Global,
    file: &Path,
    reason: Option<String>,
    dry_run: bool,
) -> Result<ExitCode, Failure> {
    let bytes = input::read(file)?;
    let store = db::open(&g.db)?;
    let actor = names::actor(g.actor.as_deref());
    let reason = reason.unwrap_or_else(|| {
        format!(
            "import {}",
            file.file_name().map_or_else(
                || file.display().to_string(),
                |n| n.to_string_lossy().into_owned()
            )
        )
    });
    let s = monitoring::import_data(&*store, None, &bytes, &actor, &reason, dry_run)
        .map_err(|e| failure(file, e))?;
    summary("data", &s, dry_run);
    Ok(ExitCode::SUCCESS)
}

pub fn export_data(
    g: &Global,
    mission: Option<&str>,
    output: Option<&Path>,
) -> Result<ExitCode, Failure> {
    let store = db::open(&g.db)?;
    let slug = match mission {
        Some(m) => Some(names::mission(&*store, m)?.slug),
        None => None,
    };
    let text = monitoring::export_data(&*store, slug.as_ref(), true).map_err(plain_failure)?;
    write_output(output, &text)
}

/// Writes an export to `output` (atomically) or stdout.
pub(super) fn write_output(output: Option<&Path>, text: &str) -> Result<ExitCode, Failure> {
    match output {
        Some(path) => super::document::write_atomically(path, text.as_bytes())?,
        None => write_stdout(text.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `--fy 2023` as FY2023.
pub(super) fn fiscal_year(year: u32) -> Result<FiscalYear, Failure> {
    format!("FY{year}")
        .parse::<FiscalYear>()
        .map_err(|e| Failure::Environment(format!("--fy {year}: {e}")))
}

pub fn status(g: &Global, mission: &str, fy: Option<u32>, json: bool) -> Result<ExitCode, Failure> {
    let Some(year) = fy else {
        return Err(Failure::Environment(
            "status: give the fiscal year, e.g. --fy 2023".into(),
        ));
    };
    let fy = fiscal_year(year)?;
    let store = db::open(&g.db)?;
    let m = names::mission(&*store, mission)?;
    let st = monitoring::status(&*store, &m.slug, fy, true).map_err(plain_failure)?;
    if json {
        print_json(&cairn_app::view::status_json(&m.slug, &st))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = format!(
        "{} {}: {} ({:.0}% of goals rated)\n",
        m.slug,
        st.period,
        st.rating,
        st.completeness * 100.0
    );
    fn lines(out: &mut String, e: &cairn_core::status::ElementStatus, label: &str, depth: usize) {
        let indent = "  ".repeat(depth);
        out.push_str(&format!(
            "{indent}{label} {:<8} {:<14} {:>4.0}%  {}\n",
            e.number,
            e.rating.as_str(),
            e.completeness * 100.0,
            e.title.chars().take(60).collect::<String>()
        ));
        for i in &e.indicators {
            let n = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v}"));
            out.push_str(&format!(
                "{indent}    {:<14} {:<14} target {:>12} actual {:>12}\n",
                i.code,
                i.rating.as_str(),
                n(i.target),
                n(i.actual)
            ));
        }
        for m in &e.milestones {
            out.push_str(&format!(
                "{indent}    {:<14} {:<14} due {} ({})\n",
                m.code,
                m.rating.map_or("not counted", |r| r.as_str()),
                m.due,
                m.status
            ));
        }
        for c in &e.objectives {
            lines(out, c, "Objective", depth + 1);
        }
    }
    for g in &st.goals {
        lines(&mut out, g, "Goal", 0);
    }
    for m in &st.management_objectives {
        lines(&mut out, m, "Management", 0);
    }
    write_stdout(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

pub fn history(
    g: &Global,
    mission: &str,
    indicator: &str,
    json: bool,
) -> Result<ExitCode, Failure> {
    let code: cairn_core::IndicatorCode = indicator
        .parse()
        .map_err(|e: cairn_core::indicator::CodeError| Failure::Environment(e.to_string()))?;
    let store = db::open(&g.db)?;
    let m = names::mission(&*store, mission)?;
    let changes = store
        .observation_history(&m.slug, &code)
        .map_err(store_failure)?;
    if json {
        print_json(&changes)?;
        return Ok(ExitCode::SUCCESS);
    }
    let text: String = changes
        .iter()
        .map(|c| {
            let cell = if c.cell.is_empty() {
                "total".to_string()
            } else {
                c.cell
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(",")
            };
            let change = match c.previous {
                Some(p) => format!("{p} → {}", c.value),
                None => format!("{}", c.value),
            };
            format!(
                "{}  {:<10} {:<8} {:<8} {:<16} {:<12} {}\n",
                c.at.format("%Y-%m-%d %H:%M"),
                c.period,
                c.kind,
                cell,
                change,
                c.actor,
                c.reason
            )
        })
        .collect();
    write_stdout(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// `indicator from-figure`'s arguments as typed.
pub struct FigureArgs {
    pub figure: String,
    pub code: Option<String>,
    pub title: Option<String>,
    pub element: Option<String>,
    pub period: Option<String>,
    pub direction: String,
}

pub fn from_figure(
    g: &Global,
    mission: &str,
    args: FigureArgs,
    json: bool,
) -> Result<ExitCode, Failure> {
    let usage = |what: &str, e: String| Failure::Environment(format!("{what}: {e}"));
    let code = args
        .code
        .as_deref()
        .map(str::parse)
        .transpose()
        .map_err(|e: cairn_core::indicator::CodeError| usage("--code", e.to_string()))?;
    let period = args
        .period
        .as_deref()
        .map(str::parse)
        .transpose()
        .map_err(|e: cairn_core::PeriodError| usage("--period", e.to_string()))?;
    let direction = args
        .direction
        .parse()
        .map_err(|e: String| usage("--direction", e))?;
    let store = db::open(&g.db)?;
    let m = names::mission(&*store, mission)?;
    let actor = names::actor(g.actor.as_deref());
    let request = cairn_app::indicators::FigureRequest {
        figure: args.figure,
        code,
        title: args.title,
        element: args.element,
        period,
        direction,
    };
    let (indicator, observation, node) = cairn_app::indicators::from_figure(
        &*store, &m.slug, &request, &actor,
    )
    .map_err(|e| match e {
        cairn_app::indicators::FigureError::Other(MonitoringError::Store(e)) => store_failure(e),
        e => Failure::Input(e.to_string()),
    })?;
    if json {
        print_json(&serde_json::json!({
            "mission": m.slug,
            "indicator": indicator,
            "observation": observation,
        }))?;
    } else {
        eprintln!(
            "cairn: indicator {} ({}) on {}: {} {} = {}",
            indicator.code,
            indicator.title,
            node,
            observation.period,
            observation.kind,
            observation.value
        );
    }
    Ok(ExitCode::SUCCESS)
}
