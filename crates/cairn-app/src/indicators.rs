//! One indicator as its page and API show it (reference sheet, values by fiscal year with their
//! ratings, every value stored, the correction history, the chart's series), and data entered
//! a few values at a time rather than as a file.
//!
//! Entries (the API's JSON, the web form) are written as data-CSV rows and read by the same
//! validation as an imported file, so every route accepts and refuses exactly the same values
//! with the same messages; only where an error is reported differs (an entry and field instead
//! of a row and column).

use std::collections::{BTreeMap, BTreeSet};

use cairn_core::indicator::{Marking, year_figures};
use cairn_core::rating::Scheme;
use cairn_core::{
    FiscalYear, Identity, Indicator, IndicatorCode, Node, Observation, ObservationKind, Period,
    Rating,
};
use cairn_ingest::tables::{self, TableError};
use cairn_render::chart::Series;
use cairn_store::{ObservationChange, PutSummary, Slug, Store, StoredObservation};

use crate::monitoring::{MonitoringError, import_data};

/// Whether a reader sees an indicator: sensitive ones only with `sbu` (PRODUCT.md §2: indicators
/// are SBU unless marked public).
pub fn visible(indicator: &Indicator, sbu: bool) -> bool {
    sbu || indicator.marking == Marking::Public
}

/// The element an id stands for in one revision (None: not in it, e.g. removed since).
pub fn element_of(identity: &Identity, indicator: &Indicator) -> Option<Node> {
    identity
        .ids
        .iter()
        .find(|(_, id)| **id == indicator.element)
        .map(|(node, _)| node.clone())
}

/// A mission's indicators the reader may see, each with its element in the latest revision.
pub fn list(
    store: &dyn Store,
    mission: &Slug,
    sbu: bool,
) -> Result<Vec<(Indicator, Option<Node>)>, MonitoringError> {
    let revision = store
        .revision(mission, None)?
        .ok_or_else(|| MonitoringError::UnknownMission(mission.to_string()))?;
    Ok(store
        .indicators(mission)?
        .into_iter()
        .filter(|i| visible(i, sbu))
        .map(|i| {
            let node = element_of(&revision.identity, &i);
            (i, node)
        })
        .collect())
}

/// One fiscal year of an indicator: its figures and how they rate.
#[derive(Debug, Clone, PartialEq)]
pub struct Year {
    pub fy: FiscalYear,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub actual: Option<f64>,
    pub achievement: Option<f64>,
    pub rating: Rating,
}

/// Everything about one indicator.
#[derive(Debug, Clone)]
pub struct Detail {
    pub indicator: Indicator,
    pub element: Option<Node>,
    /// Every fiscal year any of its values falls in, oldest first.
    pub years: Vec<Year>,
    pub observations: Vec<StoredObservation>,
    /// Every value set, oldest first.
    pub history: Vec<ObservationChange>,
    pub series: Series,
}

/// The indicator `code` of a mission, or None when there is none the reader may see.
pub fn detail(
    store: &dyn Store,
    mission: &Slug,
    code: &IndicatorCode,
    sbu: bool,
) -> Result<Option<Detail>, MonitoringError> {
    let Some((indicator, element)) = list(store, mission, sbu)?
        .into_iter()
        .find(|(i, _)| &i.code == code)
    else {
        return Ok(None);
    };
    let observations: Vec<StoredObservation> = store
        .observations(mission)?
        .into_iter()
        .filter(|o| &o.observation.indicator == code)
        .collect();
    let history = store.observation_history(mission, code)?;
    let plain: Vec<Observation> = observations.iter().map(|o| o.observation.clone()).collect();
    let scheme = Scheme::default();
    let years: Vec<Year> = fiscal_years(&plain)
        .into_iter()
        .map(|fy| {
            let (baseline, figures) = year_figures(&indicator, &plain, fy);
            let a = scheme.assess(indicator.direction, figures);
            Year {
                fy,
                baseline,
                target: figures.target,
                actual: figures.actual,
                achievement: a.achievement,
                rating: a.rating,
            }
        })
        .collect();
    let series = Series {
        title: indicator.title.clone(),
        unit: indicator.unit.to_string(),
        direction: indicator.direction,
        baseline: years.iter().rev().find_map(|y| y.baseline),
        targets: years
            .iter()
            .filter_map(|y| Some((Period::FiscalYear(y.fy), y.target?)))
            .collect(),
        actuals: years
            .iter()
            .filter_map(|y| Some((Period::FiscalYear(y.fy), y.actual?)))
            .collect(),
        scheme,
    };
    Ok(Some(Detail {
        indicator,
        element,
        years,
        observations,
        history,
        series,
    }))
}

/// The fiscal years the targets and actuals fall in, oldest first (a baseline alone does not
/// open a year).
fn fiscal_years(observations: &[Observation]) -> Vec<FiscalYear> {
    observations
        .iter()
        .filter(|o| o.kind != ObservationKind::Baseline)
        .filter_map(|o| o.period.fiscal_year())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// The year a mission's pages open on: the latest with an actual, else the one `today` is in.
pub fn default_year(store: &dyn Store, mission: &Slug, today: FiscalYear) -> FiscalYear {
    store
        .observations(mission)
        .ok()
        .and_then(|all| {
            all.iter()
                .filter(|o| o.observation.kind == ObservationKind::Actual)
                .filter_map(|o| o.observation.period.fiscal_year())
                .max()
        })
        .unwrap_or(today)
}

/// One value entered, as the reader typed it (validated like a CSV cell).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entry {
    pub indicator: String,
    pub period: String,
    pub kind: String,
    pub value: String,
    /// Dimension → value; empty for the total.
    pub cell: BTreeMap<String, String>,
    pub source: String,
    pub note: String,
}

/// What is wrong with one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryError {
    /// Its place in the list, from 0.
    pub index: usize,
    /// `indicator`, `period`, `kind`, `value`, `source`, `note`, or `cell/<dimension>`; None
    /// when the whole entry is at fault (a duplicate).
    pub field: Option<String>,
    pub message: String,
}

/// Why entries wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum EntryFailure {
    #[error("{} entry error(s); nothing was written", .0.len())]
    Entries(Vec<EntryError>),
    #[error(transparent)]
    Other(#[from] MonitoringError),
}

const COLUMNS: [&str; 5] = ["mission", "indicator", "period", "kind", "value"];

/// Validates entries for one mission and, unless `dry_run`, stores them all in one transaction
/// (or none).
pub fn enter(
    store: &dyn Store,
    mission: &Slug,
    entries: &[Entry],
    actor: &str,
    reason: &str,
    dry_run: bool,
) -> Result<PutSummary, EntryFailure> {
    if entries.is_empty() {
        return Ok(PutSummary::default());
    }
    let dimensions: BTreeSet<&str> = entries
        .iter()
        .flat_map(|e| e.cell.keys().map(String::as_str))
        .collect();
    let header: Vec<String> = COLUMNS
        .iter()
        .chain(&dimensions)
        .chain(&["source", "note"])
        .map(|s| (*s).to_string())
        .collect();
    let records = entries.iter().map(|e| {
        let mut r = vec![
            mission.to_string(),
            e.indicator.clone(),
            e.period.clone(),
            e.kind.clone(),
            e.value.clone(),
        ];
        r.extend(
            dimensions
                .iter()
                .map(|d| e.cell.get(*d).cloned().unwrap_or_default()),
        );
        r.push(e.source.clone());
        r.push(e.note.clone());
        r
    });
    let csv = tables::write_rows(std::iter::once(header).chain(records));
    match import_data(store, Some(mission), csv.as_bytes(), actor, reason, dry_run) {
        Ok(s) => Ok(s),
        Err(MonitoringError::Rows(rows)) => Err(EntryFailure::Entries(
            rows.iter().map(entry_error).collect(),
        )),
        Err(e) => Err(e.into()),
    }
}

/// A data-CSV error as the entry it came from: row 2 is entry 0; a dimension column is a cell.
fn entry_error(e: &TableError) -> EntryError {
    let field = e.column.as_deref().map(|c| {
        if COLUMNS.contains(&c) || c == "source" || c == "note" {
            c.to_string()
        } else {
            format!("cell/{c}")
        }
    });
    EntryError {
        index: e.row.saturating_sub(2),
        field,
        message: e.message.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_errors_become_entry_errors() {
        let e = |row, column: Option<&str>| TableError {
            row,
            column: column.map(str::to_string),
            value: None,
            message: "m".into(),
        };
        assert_eq!(entry_error(&e(2, Some("value"))).index, 0);
        assert_eq!(
            entry_error(&e(4, Some("value"))).field.as_deref(),
            Some("value")
        );
        assert_eq!(
            entry_error(&e(3, Some("sex"))).field.as_deref(),
            Some("cell/sex")
        );
        assert_eq!(entry_error(&e(3, None)).field, None);
    }
}
