//! `cairn milestone import|export|list`.

use std::path::Path;
use std::process::ExitCode;

use cairn_app::milestones;

use super::monitoring::{fiscal_year, plain_failure, write_output};
use super::{print_json, write_stdout};
use crate::args::Global;
use crate::db;
use crate::input::Failure;
use crate::names;

pub fn export(
    g: &Global,
    mission: Option<&str>,
    output: Option<&Path>,
) -> Result<ExitCode, Failure> {
    let store = db::open(&g.db)?;
    let slug = match mission {
        Some(m) => Some(names::mission(&*store, m)?.slug),
        None => None,
    };
    let export =
        milestones::export_milestones(&*store, slug.as_ref(), true).map_err(plain_failure)?;
    for (mission, code, element) in &export.unattached {
        eprintln!(
            "cairn: warning: milestone {code} of mission {mission} is attached to element \
             {element}, which the latest revision no longer has: its element is left blank"
        );
    }
    write_output(output, &export.csv)
}

pub fn list(g: &Global, mission: &str, fy: Option<u32>, json: bool) -> Result<ExitCode, Failure> {
    let fy = fy.map(fiscal_year).transpose()?;
    let store = db::open(&g.db)?;
    let m = names::mission(&*store, mission)?;
    let list = milestones::list_milestones(&*store, &m.slug, fy, true).map_err(plain_failure)?;
    if json {
        print_json(&list)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    for v in &list {
        let x = &v.milestone;
        let number = v
            .number
            .clone()
            .unwrap_or_else(|| format!("{} (removed)", x.element));
        let rating = match v.rating {
            None => String::new(),
            Some(None) => format!("{:<14} ", "not counted"),
            Some(Some(r)) => format!("{:<14} ", r.as_str()),
        };
        out.push_str(&format!(
            "{:<18} {:<8} {}  {:<12} {rating}{}\n",
            x.code.as_str(),
            number,
            x.due.format("%Y-%m-%d"),
            x.status.as_str(),
            x.title
        ));
        // Every status it has had, oldest first: who set or changed it, when.
        for c in &v.history {
            let change = match c.previous {
                Some(p) => format!("{} → {}", p.as_str(), c.status.as_str()),
                None => c.status.as_str().to_string(),
            };
            out.push_str(&format!(
                "    {}  {change:<26} {}\n",
                c.at.format("%Y-%m-%d %H:%M"),
                c.actor
            ));
        }
    }
    write_stdout(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
