//! Milestones: importing and exporting the milestone CSV (validated against what the store
//! holds, like the indicator CSV), and a mission's milestones with every status they have had.

use std::collections::HashMap;

use cairn_core::indicator::Marking;
use cairn_core::{ElementId, FiscalYear, Milestone, MilestoneCode, Node, Rating};
use cairn_ingest::tables;
use cairn_store::{MilestoneChange, PutSummary, Slug, Store};
use serde::Serialize;

use crate::monitoring::{MonitoringError, StoreKnown, put_by_mission};

/// Reads a milestone CSV and, unless `dry_run`, stores it (upserting by mission and code; a
/// new status is kept in the milestone's history with `actor`). With `only`, rows must all be
/// of that mission.
pub fn import_milestones(
    store: &dyn Store,
    only: Option<&Slug>,
    bytes: &[u8],
    actor: &str,
    dry_run: bool,
) -> Result<PutSummary, MonitoringError> {
    let rows = tables::read_milestones(bytes, &StoreKnown::new(store, only))
        .map_err(MonitoringError::Rows)?;
    put_by_mission(rows, dry_run, |mission, list| {
        store.put_milestones(mission, list, actor)
    })
}

/// The milestones of one mission (or all) in the milestone CSV format.
pub struct Export {
    pub csv: String,
    /// Milestones whose element the mission's latest revision no longer has (it was removed
    /// from the strategy): written with a blank `element`, which an import refuses until one
    /// is given.
    pub unattached: Vec<(Slug, MilestoneCode, ElementId)>,
}

/// The `element` text of each element id in a mission's latest revision.
fn numbers(store: &dyn Store, mission: &Slug) -> Result<HashMap<ElementId, Node>, MonitoringError> {
    let revision = store
        .revision(mission, None)?
        .ok_or_else(|| MonitoringError::UnknownMission(mission.to_string()))?;
    Ok(revision
        .identity
        .ids
        .into_iter()
        .map(|(node, id)| (id, node))
        .collect())
}

/// The milestones of one mission (or all), in the milestone CSV format: every one with `sbu`,
/// else the public ones.
pub fn export_milestones(
    store: &dyn Store,
    mission: Option<&Slug>,
    sbu: bool,
) -> Result<Export, MonitoringError> {
    let missions = match mission {
        Some(m) => vec![m.clone()],
        None => store.missions()?.into_iter().map(|m| m.slug).collect(),
    };
    let mut rows: Vec<(String, Milestone)> = Vec::new();
    let mut nodes: HashMap<String, HashMap<ElementId, Node>> = HashMap::new();
    let mut unattached = Vec::new();
    for m in missions {
        let mut list = store.milestones(&m)?;
        list.retain(|x| sbu || x.marking == Marking::Public);
        if list.is_empty() {
            continue;
        }
        let these = numbers(store, &m)?;
        for x in list {
            if !these.contains_key(&x.element) {
                unattached.push((m.clone(), x.code.clone(), x.element));
            }
            rows.push((m.to_string(), x));
        }
        nodes.insert(m.to_string(), these);
    }
    let csv = tables::write_milestones(&rows, |mission, id| {
        nodes
            .get(mission)
            .and_then(|n| n.get(&id))
            .map(tables::element_text)
            .unwrap_or_default()
    });
    Ok(Export { csv, unattached })
}

/// A milestone as `milestone list` shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MilestoneView {
    #[serde(flatten)]
    pub milestone: Milestone,
    /// Its element's number in the latest revision (`1.1`, `M1`); None when that revision no
    /// longer has the element.
    pub number: Option<String>,
    /// Every status it has had, oldest first.
    pub history: Vec<MilestoneChange>,
    /// Asked for a fiscal year: Cairn's rating of it for that year ([`Milestone::rating`];
    /// null when dropped, which is not counted). Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rating: Option<Option<Rating>>,
}

/// A mission's milestones by code (every one with `sbu`, else the public ones), each with its
/// element's number, its history and, given a fiscal year, its rating for that year.
pub fn list_milestones(
    store: &dyn Store,
    mission: &Slug,
    fy: Option<FiscalYear>,
    sbu: bool,
) -> Result<Vec<MilestoneView>, MonitoringError> {
    let nodes = numbers(store, mission)?;
    let mut history: HashMap<MilestoneCode, Vec<MilestoneChange>> = HashMap::new();
    for c in store.milestone_history(mission)? {
        history.entry(c.code.clone()).or_default().push(c);
    }
    Ok(store
        .milestones(mission)?
        .into_iter()
        .filter(|m| sbu || m.marking == Marking::Public)
        .map(|m| MilestoneView {
            number: nodes.get(&m.element).map(tables::element_text),
            history: history.remove(&m.code).unwrap_or_default(),
            rating: fy.map(|fy| m.rating(fy)),
            milestone: m,
        })
        .collect())
}
