//! Commands over stored missions: import, list, show, history, diff, revert, mission settings.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use cairn_app::{Base, ImportError, ImportRequest, Imported, ReviseError};
use cairn_core::Node;
use cairn_store::{Commit, MissionChange};
use serde_json::{Value, json};

use super::{print_json, write_stdout};
use crate::args::{Global, MissionCommand};
use crate::db::{self, store_failure};
use crate::input::{self, Failure};
use crate::{check_report, names};

#[allow(clippy::too_many_arguments)]
pub fn import(
    g: &Global,
    file: &Path,
    mission: Option<String>,
    bureau: Option<String>,
    message: Option<String>,
    base: Option<u32>,
    json: bool,
) -> Result<ExitCode, Failure> {
    let bytes = input::read(file)?;
    let name = file.display().to_string();
    let mission = mission.as_deref().map(names::slug).transpose()?;
    names::check_bureau(bureau.as_deref())?;
    let store = db::open(&g.db)?;
    // The CLI is a trusted local operator: without --base it writes over the latest revision.
    let base = base.map_or(Base::Latest, |b| Base::Expect(Some(b)));
    let outcome = cairn_app::import::import(
        &*store,
        ImportRequest {
            bytes: &bytes,
            mission,
            bureau,
            message: message.unwrap_or_else(|| {
                format!(
                    "import {}",
                    file.file_name()
                        .map_or(name.clone(), |n| n.to_string_lossy().into_owned())
                )
            }),
            base,
            actor: names::actor(g.actor.as_deref()),
        },
    );
    let imported = match outcome {
        Ok(i) => i,
        Err(ImportError::HasErrors(diagnostics)) => {
            let style = check_report::Style {
                colour: std::io::stderr().is_terminal(),
            };
            for d in &diagnostics {
                eprint!("{}", check_report::format(&name, d, style));
            }
            return Err(Failure::Input(format!(
                "{name}: the document has errors (above); nothing was stored"
            )));
        }
        Err(ImportError::Unreadable(e)) => return Err(input::ingest_failure(file, &e)),
        Err(ImportError::NoCountry) => {
            return Err(Failure::Input(format!(
                "{name}: the document names no country; give --mission SLUG"
            )));
        }
        Err(ImportError::Store(e)) => return Err(store_failure(e)),
        Err(e) => return Err(Failure::Environment(e.to_string())),
    };
    let Imported {
        mission: slug,
        rev,
        created,
        diagnostics,
    } = imported;
    if json {
        print_json(
            &json!({ "mission": slug, "rev": rev, "created": created, "diagnostics": diagnostics }),
        )?;
    } else if created {
        eprintln!(
            "cairn: {slug}: stored revision {rev} ({} warning(s); cairn check {slug} lists them)",
            diagnostics.len()
        );
    } else {
        eprintln!("cairn: {slug}: no change (the content equals revision {rev})");
    }
    Ok(ExitCode::SUCCESS)
}

pub fn list(g: &Global, json: bool) -> Result<ExitCode, Failure> {
    let store = db::open(&g.db)?;
    let missions = store.missions().map_err(store_failure)?;
    if json {
        print_json(&missions)?;
    } else {
        let text: String = missions
            .iter()
            .map(|m| {
                format!(
                    "{:<16} {:<24} {:<4} revision {}\n",
                    m.slug,
                    m.country.as_deref().unwrap_or("-"),
                    m.bureau.as_deref().unwrap_or("-"),
                    m.latest_rev
                )
            })
            .collect();
        write_stdout(text.as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn show(g: &Global, mission: &str, rev: Option<u32>, json: bool) -> Result<ExitCode, Failure> {
    let store = db::open(&g.db)?;
    let r = names::revision(&*store, mission, rev)?;
    if json {
        print_json(&cairn_app::view::revision_json(&r))?;
    } else {
        let mut out = format!(
            "{} revision {} ({} by {}: {})\n",
            r.slug,
            r.rev,
            r.at.format("%Y-%m-%d %H:%M UTC"),
            r.actor,
            r.message
        );
        let id = |n: Node| {
            r.identity
                .get(&n)
                .map_or_else(|| "-".into(), |i| i.to_string())
        };
        for g in &r.strategy.goals {
            out.push_str(&format!(
                "Goal {} [{}] {}\n",
                g.number,
                id(Node::Goal(g.number.clone())),
                g.title
            ));
            for o in g.objectives.iter().flat_map(cairn_core::Objective::walk) {
                let indent = "  ".repeat(o.number.depth() - 1);
                out.push_str(&format!(
                    "{indent}Objective {} [{}] {}\n",
                    o.number,
                    id(Node::Objective(o.number.clone())),
                    o.title
                ));
            }
        }
        for m in &r.strategy.management_objectives {
            out.push_str(&format!(
                "Management Objective {} [{}] {}\n",
                m.number,
                id(Node::Management(m.number.clone())),
                m.title
            ));
        }
        write_stdout(out.as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn history(g: &Global, mission: &str, json: bool) -> Result<ExitCode, Failure> {
    let store = db::open(&g.db)?;
    let m = names::mission(&*store, mission)?;
    let revisions = store.history(&m.slug).map_err(store_failure)?;
    if json {
        let rows: Vec<Value> = revisions
            .iter()
            .map(|r| json!({ "rev": r.rev, "at": r.at.to_rfc3339(), "actor": r.actor, "message": r.message }))
            .collect();
        print_json(&rows)?;
    } else {
        let text: String = revisions
            .iter()
            .map(|r| {
                format!(
                    "{:>4}  {}  {:<16} {}\n",
                    r.rev,
                    r.at.format("%Y-%m-%d %H:%M:%S UTC"),
                    r.actor,
                    r.message
                )
            })
            .collect();
        write_stdout(text.as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn diff(
    g: &Global,
    mission: &str,
    from: u32,
    to: u32,
    json: bool,
) -> Result<ExitCode, Failure> {
    let store = db::open(&g.db)?;
    let a = names::revision(&*store, mission, Some(from))?;
    let b = names::revision(&*store, mission, Some(to))?;
    let d = cairn_core::diff::diff((&a.strategy, &a.identity), (&b.strategy, &b.identity));
    if json {
        print_json(&d)?;
    } else {
        let text = cairn_render::diff_text(&d, std::io::stdout().is_terminal());
        write_stdout(text.as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn revert(
    g: &Global,
    mission: &str,
    rev: u32,
    message: Option<String>,
) -> Result<ExitCode, Failure> {
    let store = db::open(&g.db)?;
    let m = names::mission(&*store, mission)?;
    names::revision(&*store, mission, Some(rev))?;
    let outcome = cairn_app::revise::revert(
        &*store,
        &m.slug,
        m.latest_rev,
        rev,
        message.unwrap_or_else(|| format!("revert to revision {rev}")),
        names::actor(g.actor.as_deref()),
    )
    .map_err(|e| match e {
        ReviseError::Store(e) => store_failure(e),
        e => Failure::Environment(e.to_string()),
    })?;
    match outcome {
        Commit::Created { rev: new } => eprintln!(
            "cairn: {}: stored revision {new}, equal to revision {rev}",
            m.slug
        ),
        Commit::NoChange { rev: latest } => eprintln!(
            "cairn: {}: no change (revision {latest} already equals revision {rev})",
            m.slug
        ),
    }
    Ok(ExitCode::SUCCESS)
}

pub fn mission(g: &Global, command: MissionCommand) -> Result<ExitCode, Failure> {
    let MissionCommand::Set {
        mission,
        bureau,
        country,
        base_version,
    } = command;
    if bureau.is_none() && country.is_none() {
        return Err(Failure::Environment(
            "mission set: give --bureau CODE or --country NAME".into(),
        ));
    }
    names::check_bureau(bureau.as_deref())?;
    let store = db::open(&g.db)?;
    let m = names::mission(&*store, &mission)?;
    let m = store
        .set_mission(MissionChange {
            slug: m.slug,
            base_version,
            country,
            bureau,
            actor: names::actor(g.actor.as_deref()),
        })
        .map_err(store_failure)?;
    eprintln!(
        "cairn: {}: country {}, bureau {} (settings version {})",
        m.slug,
        m.country.as_deref().unwrap_or("-"),
        m.bureau.as_deref().unwrap_or("-"),
        m.version
    );
    Ok(ExitCode::SUCCESS)
}

pub fn edit(
    g: &Global,
    mission: &str,
    node: &str,
    field: &str,
    value: Option<String>,
    message: String,
    base: Option<u32>,
) -> Result<ExitCode, Failure> {
    let node: Node = node
        .parse()
        .map_err(|e: cairn_core::figure::NodeError| Failure::Environment(e.to_string()))?;
    let field: cairn_core::Field = field
        .parse()
        .map_err(|e: cairn_core::block::FieldError| Failure::Environment(e.to_string()))?;
    let value = match value {
        Some(v) => v,
        None => std::io::read_to_string(std::io::stdin()).map_err(|e| {
            Failure::Environment(format!("cannot read the new text from stdin: {e}"))
        })?,
    };
    let store = db::open(&g.db)?;
    let m = names::mission(&*store, mission)?;
    let commit = cairn_app::revise::edit(
        &*store,
        cairn_app::EditRequest {
            mission: m.slug.clone(),
            base: base.unwrap_or(m.latest_rev),
            node,
            field,
            value,
            message,
            actor: names::actor(g.actor.as_deref()),
        },
    )
    .map_err(|e| match e {
        ReviseError::Store(e) => store_failure(e),
        e if e.is_input_fault() => Failure::Input(e.to_string()),
        e => Failure::Environment(e.to_string()),
    })?;
    match commit {
        Commit::Created { rev } => eprintln!("cairn: {}: stored revision {rev}", m.slug),
        Commit::NoChange { rev } => {
            eprintln!(
                "cairn: {}: no change (the text equals revision {rev})",
                m.slug
            )
        }
    }
    Ok(ExitCode::SUCCESS)
}
