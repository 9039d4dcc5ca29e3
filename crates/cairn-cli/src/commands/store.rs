//! Commands over stored missions: import, list, show, history, diff, revert, mission settings.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use cairn_core::{Identity, Node, Strategy, diagnostic};
use cairn_store::{Action, Commit, MissionChange, NewRevision, Slug};
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
    let parsed = input::parse_bytes(file, &bytes)?;
    let name = file.display().to_string();
    if diagnostic::has_errors(&parsed.diagnostics) {
        let style = check_report::Style {
            colour: std::io::stderr().is_terminal(),
        };
        for d in &parsed.diagnostics {
            eprint!("{}", check_report::format(&name, d, style));
        }
        return Err(Failure::Input(format!(
            "{name}: the document has errors (above); nothing was stored"
        )));
    }
    let slug = match (&mission, &parsed.strategy.country) {
        (Some(m), _) => names::slug(m)?,
        (None, Some(country)) => Slug::from_country(country).map_err(store_failure)?,
        (None, None) => {
            return Err(Failure::Input(format!(
                "{name}: the document names no country; give --mission SLUG"
            )));
        }
    };
    names::check_bureau(bureau.as_deref())?;
    let store = db::open(&g.db)?;
    let base = match base {
        Some(b) => Some(b),
        None => store
            .mission(&slug)
            .map_err(store_failure)?
            .map(|m| m.latest_rev),
    };
    let source = String::from_utf8_lossy(&bytes).into_owned();
    let outcome = store
        .commit(NewRevision {
            slug: slug.clone(),
            country: parsed.strategy.country.clone(),
            bureau: bureau.or_else(|| document_bureau(&parsed.strategy)),
            base,
            actor: names::actor(g.actor.as_deref()),
            action: Action::Import,
            message: message.unwrap_or_else(|| {
                format!(
                    "import {}",
                    file.file_name()
                        .map_or(name.clone(), |n| n.to_string_lossy().into_owned())
                )
            }),
            source,
            strategy: parsed.strategy,
        })
        .map_err(store_failure)?;
    let (rev, created) = match outcome {
        Commit::Created { rev } => (rev, true),
        Commit::NoChange { rev } => (rev, false),
    };
    if json {
        print_json(
            &json!({ "mission": slug, "rev": rev, "created": created, "diagnostics": parsed.diagnostics }),
        )?;
    } else if created {
        eprintln!(
            "cairn: {slug}: stored revision {rev} ({} warning(s); cairn check {slug} lists them)",
            parsed.diagnostics.len()
        );
    } else {
        eprintln!("cairn: {slug}: no change (the content equals revision {rev})");
    }
    Ok(ExitCode::SUCCESS)
}

/// The regional bureau a document's links name, when they name exactly one.
fn document_bureau(s: &Strategy) -> Option<String> {
    let mut codes: Vec<String> = s
        .goals
        .iter()
        .flat_map(|g| {
            g.links
                .iter()
                .chain(g.objectives.iter().flat_map(|o| o.links.iter()))
        })
        .filter_map(|l| {
            l.target
                .to_string()
                .split_once("-JRS")
                .map(|(c, _)| c.to_string())
        })
        .collect();
    codes.sort();
    codes.dedup();
    (codes.len() == 1).then(|| codes.remove(0))
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

/// The strategy's JSON (as `parse` prints it) with each element's stable `id` added.
fn with_ids(strategy: &Strategy, identity: &Identity) -> Value {
    let mut v = serde_json::to_value(strategy).unwrap_or(Value::Null);
    let id = |node: Node| identity.get(&node).map(|i| i.to_string());
    fn objectives(list: &mut Value, id: &dyn Fn(Node) -> Option<String>) {
        for o in list.as_array_mut().into_iter().flatten() {
            if let Some(n) = o["number"]
                .as_str()
                .and_then(|n| cairn_core::Number::parse(n).ok())
            {
                o["id"] = json!(id(Node::Objective(n)));
            }
            objectives(&mut o["sub_objectives"], id);
        }
    }
    for g in v["goals"].as_array_mut().into_iter().flatten() {
        if let Some(n) = g["number"]
            .as_str()
            .and_then(|n| cairn_core::Number::parse(n).ok())
        {
            g["id"] = json!(id(Node::Goal(n)));
        }
        objectives(&mut g["objectives"], &id);
    }
    for m in v["management_objectives"]
        .as_array_mut()
        .into_iter()
        .flatten()
    {
        if let Some(n) = m["number"]
            .as_str()
            .and_then(|n| cairn_core::Number::parse(n).ok())
        {
            m["id"] = json!(id(Node::Management(n)));
        }
    }
    v
}

pub fn show(g: &Global, mission: &str, rev: Option<u32>, json: bool) -> Result<ExitCode, Failure> {
    let store = db::open(&g.db)?;
    let r = names::revision(&*store, mission, rev)?;
    if json {
        let mut v = with_ids(&r.strategy, &r.identity);
        v["mission"] = json!(r.slug);
        v["rev"] = json!(r.rev);
        print_json(&v)?;
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
    let old = names::revision(&*store, mission, Some(rev))?;
    let outcome = store
        .commit(NewRevision {
            slug: m.slug.clone(),
            country: None,
            bureau: None,
            base: Some(m.latest_rev),
            actor: names::actor(g.actor.as_deref()),
            action: Action::Revert { to: rev },
            message: message.unwrap_or_else(|| format!("revert to revision {rev}")),
            source: old.source,
            strategy: old.strategy,
        })
        .map_err(store_failure)?;
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
