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

/// A figure's id in a revision: its place among the strategy's figures, `f1` first (the
/// revision JSON writes it beside each figure).
pub fn figure_id(index: usize) -> String {
    format!("f{}", index + 1)
}

/// What `indicator from-figure` is asked: the figure, and what it does not say.
#[derive(Debug, Clone)]
pub struct FigureRequest {
    /// `f7` (or `7`): the figure's id in the latest revision.
    pub figure: String,
    /// None: `CTX-F7`.
    pub code: Option<IndicatorCode>,
    pub title: Option<String>,
    /// The element's number ("3.2", "M1"); None: the element the figure stands in.
    pub element: Option<String>,
    /// None: the year the sentence names.
    pub period: Option<Period>,
    pub direction: cairn_core::Direction,
}

/// Why a figure did not become an indicator (nothing was written).
#[derive(Debug, thiserror::Error)]
pub enum FigureError {
    #[error("{id:?} is not a figure of mission {mission}: its latest revision has f1 to f{count}")]
    NoFigure {
        id: String,
        mission: String,
        count: usize,
    },
    #[error("{0}")]
    Element(String),
    #[error(transparent)]
    Context(#[from] cairn_core::context::ContextError),
    #[error("mission {mission} already has a different indicator {code}: choose another code")]
    Exists { mission: String, code: String },
    #[error(transparent)]
    Other(#[from] MonitoringError),
}

impl From<cairn_store::StoreError> for FigureError {
    fn from(e: cairn_store::StoreError) -> Self {
        Self::Other(e.into())
    }
}

impl FigureError {
    pub fn is_input_fault(&self) -> bool {
        match self {
            Self::Other(e) => e.is_input_fault(),
            _ => true,
        }
    }
}

/// Turns a key figure of the latest revision into a context indicator with the figure as its
/// data point (the sentence as source). Running it again with the same choices changes
/// nothing.
pub fn from_figure(
    store: &dyn Store,
    mission: &Slug,
    req: &FigureRequest,
    actor: &str,
) -> Result<(Indicator, Observation, Node), FigureError> {
    let revision = store
        .revision(mission, None)?
        .ok_or_else(|| MonitoringError::UnknownMission(mission.to_string()))?;
    let figures = &revision.strategy.figures;
    let index = req
        .figure
        .strip_prefix('f')
        .unwrap_or(&req.figure)
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=figures.len()).contains(n))
        .map(|n| n - 1);
    let Some(figure) = index.and_then(|i| figures.get(i)) else {
        return Err(FigureError::NoFigure {
            id: req.figure.clone(),
            mission: mission.to_string(),
            count: figures.len(),
        });
    };
    let number = index.map_or(0, |i| i + 1);
    let node = match &req.element {
        Some(text) => tables::element_node(text).map_err(FigureError::Element)?,
        None if figure.node == Node::Priorities => {
            return Err(FigureError::Element(format!(
                "figure f{number} stands in the Chief of Mission priorities, which is not an \
                 element: give the element the indicator belongs to (e.g. 3 or 3.2)"
            )));
        }
        None => figure.node.clone(),
    };
    let element = revision
        .identity
        .get(&node)
        .ok_or_else(|| FigureError::Element(format!("mission {mission} has no {node}")))?;
    let code = match &req.code {
        Some(c) => c.clone(),
        None => format!("CTX-F{number}")
            .parse()
            .map_err(|e: cairn_core::indicator::CodeError| FigureError::Element(e.to_string()))?,
    };
    let marking = if revision.strategy.is_public() {
        Marking::Public
    } else {
        Marking::Sbu
    };
    let (indicator, observation) = cairn_core::context::from_figure(
        figure,
        cairn_core::context::Choices {
            code: code.clone(),
            element,
            title: req.title.clone(),
            period: req.period,
            direction: req.direction,
            marking,
        },
    )?;
    if store
        .indicators(mission)?
        .iter()
        .any(|i| i.code == code && *i != indicator)
    {
        return Err(FigureError::Exists {
            mission: mission.to_string(),
            code: code.to_string(),
        });
    }
    // Two writes: the sheet, then its data point. Everything was checked above, so only the
    // database failing between them could leave the sheet without its value; running the
    // command again completes it.
    store.put_indicators(mission, std::slice::from_ref(&indicator), actor)?;
    store.put_observations(
        &[(mission.clone(), observation.clone())],
        actor,
        &format!("from figure f{number} of revision {}", revision.rev),
    )?;
    Ok((indicator, observation, node))
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
