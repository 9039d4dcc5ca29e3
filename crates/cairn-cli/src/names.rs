//! Missions and revisions named on the command line, with errors that say what exists.

use cairn_store::{Revision, Slug, Store};

use crate::db::store_failure;
use crate::input::Failure;

/// Whether an argument names a file rather than a mission (`mali` is a slug; `mali.txt`,
/// `./mali`, `docs/mali` are paths).
pub fn looks_like_path(s: &str) -> bool {
    s.contains(['/', '.', '\\'])
}

pub fn slug(s: &str) -> Result<Slug, Failure> {
    Slug::parse(s).map_err(|e| Failure::Environment(e.to_string()))
}

fn unknown_mission(store: &dyn Store, slug: &Slug) -> Failure {
    let known: Vec<String> = store
        .missions()
        .unwrap_or_default()
        .into_iter()
        .map(|m| m.slug.to_string())
        .collect();
    let known = if known.is_empty() {
        "there are none yet; cairn import FILE creates one".to_string()
    } else {
        format!("known: {}", known.join(", "))
    };
    Failure::Environment(format!(
        "no mission {slug} in {} ({known})",
        store.describe()
    ))
}

/// A stored revision (the latest when `rev` is None), or an error naming what exists.
pub fn revision(store: &dyn Store, mission: &str, rev: Option<u32>) -> Result<Revision, Failure> {
    let slug = slug(mission)?;
    let m = store
        .mission(&slug)
        .map_err(store_failure)?
        .ok_or_else(|| unknown_mission(store, &slug))?;
    store
        .revision(&slug, rev)
        .map_err(store_failure)?
        .ok_or_else(|| {
            Failure::Environment(format!(
                "mission {slug} has no revision {} (revisions 1 to {})",
                rev.unwrap_or(0),
                m.latest_rev
            ))
        })
}

/// The mission, or an error naming what exists.
pub fn mission(store: &dyn Store, mission: &str) -> Result<cairn_store::Mission, Failure> {
    let slug = slug(mission)?;
    store
        .mission(&slug)
        .map_err(store_failure)?
        .ok_or_else(|| unknown_mission(store, &slug))
}

/// Who is acting: `--actor`/`CAIRN_ACTOR`, else the OS user.
pub fn actor(given: Option<&str>) -> String {
    given
        .map(str::to_string)
        .or_else(|| {
            ["USER", "LOGNAME", "USERNAME"]
                .iter()
                .find_map(|v| std::env::var(v).ok())
        })
        .filter(|a| !a.trim().is_empty())
        .unwrap_or_else(|| "unknown".into())
}

/// A `--bureau` value must be a regional bureau code; the list in the message comes from core.
pub fn check_bureau(bureau: Option<&str>) -> Result<(), Failure> {
    match bureau {
        Some(b) if !cairn_core::bureau::is_regional(b) => {
            let codes: Vec<&str> = cairn_core::bureau::REGIONAL
                .iter()
                .map(|(c, _)| *c)
                .collect();
            Err(Failure::Environment(format!(
                "--bureau {b:?}: not a regional bureau code; expected one of {}",
                codes.join(", ")
            )))
        }
        _ => Ok(()),
    }
}
