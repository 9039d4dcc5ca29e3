//! Indicators and their data: importing and exporting the CSV formats (validated against what
//! the store holds), and the status of a mission in a fiscal year.

use std::cell::RefCell;
use std::collections::HashMap;

use cairn_core::portfolio::{Portfolio, PortfolioError};
use cairn_core::rating::{RollUp, Scheme};
use cairn_core::status::Status;
use cairn_core::{ElementId, FiscalYear, Indicator, IndicatorCode, Observation};
use cairn_ingest::tables::{self, Known, TableError};
use cairn_store::{PutSummary, Revision, Slug, Store, StoreError};

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum MonitoringError {
    /// Rows at fault, every one of them.
    #[error("{} row error(s); nothing was written", .0.len())]
    Rows(Vec<TableError>),
    #[error("no mission {0}")]
    UnknownMission(String),
    /// The store holds what the portfolio refuses (it never should).
    #[error(transparent)]
    Portfolio(#[from] PortfolioError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl MonitoringError {
    pub fn is_input_fault(&self) -> bool {
        match self {
            Self::Store(e) => e.is_input_fault(),
            Self::Portfolio(_) => false,
            _ => true,
        }
    }
}

/// What the store holds, looked up once per mission while a file is read.
pub(crate) struct StoreKnown<'a> {
    store: &'a dyn Store,
    /// The one mission rows may name, when the import is for one (an API or page address).
    only: Option<&'a Slug>,
    revisions: RefCell<HashMap<String, Option<Revision>>>,
    indicators: RefCell<HashMap<String, Vec<Indicator>>>,
}

impl<'a> StoreKnown<'a> {
    pub(crate) fn new(store: &'a dyn Store, only: Option<&'a Slug>) -> Self {
        Self {
            store,
            only,
            revisions: RefCell::new(HashMap::new()),
            indicators: RefCell::new(HashMap::new()),
        }
    }

    fn revision(&self, mission: &str) -> Result<Revision, String> {
        if let Some(only) = self.only
            && only.as_str() != mission
        {
            return Err(format!(
                "{mission:?} is another mission: this import is for {only} only"
            ));
        }
        let mut cache = self.revisions.borrow_mut();
        let found = cache.entry(mission.to_string()).or_insert_with(|| {
            Slug::parse(mission)
                .ok()
                .and_then(|s| self.store.revision(&s, None).ok().flatten())
        });
        found
            .clone()
            .ok_or_else(|| format!("no mission {mission:?}: import its strategy first"))
    }
}

impl Known for StoreKnown<'_> {
    fn mission(&self, mission: &str) -> Result<(), String> {
        self.revision(mission).map(|_| ())
    }

    fn element(&self, mission: &str, element: &str) -> Result<ElementId, String> {
        let r = self.revision(mission)?;
        let node = tables::element_node(element)?;
        r.identity.get(&node).ok_or_else(|| {
            let known: Vec<String> = r
                .identity
                .ids
                .keys()
                .take(12)
                .map(ToString::to_string)
                .collect();
            format!(
                "mission {mission} has no {node} (it has {}…)",
                known.join(", ")
            )
        })
    }

    fn indicator(&self, mission: &str, code: &IndicatorCode) -> Result<Indicator, String> {
        self.revision(mission)?;
        let mut cache = self.indicators.borrow_mut();
        let list = match cache.get(mission) {
            Some(l) => l,
            None => {
                let slug = Slug::parse(mission).map_err(|e| e.to_string())?;
                let l = self.store.indicators(&slug).map_err(|e| e.to_string())?;
                cache.entry(mission.to_string()).or_insert(l)
            }
        };
        list.iter()
            .find(|i| &i.code == code)
            .cloned()
            .ok_or_else(|| format!("mission {mission} has no indicator {code}: import it with `cairn indicator import` first"))
    }
}

fn slug(mission: &str) -> Result<Slug, MonitoringError> {
    Slug::parse(mission).map_err(|_| MonitoringError::UnknownMission(mission.to_string()))
}

/// Stores rows read from a file one mission at a time with `put` (each mission's rows in one
/// write), or with `dry_run` only counts them (as unchanged).
pub(crate) fn put_by_mission<T>(
    rows: Vec<(String, T)>,
    dry_run: bool,
    mut put: impl FnMut(&Slug, &[T]) -> Result<PutSummary, StoreError>,
) -> Result<PutSummary, MonitoringError> {
    let mut by_mission: Vec<(String, Vec<T>)> = Vec::new();
    for (mission, thing) in rows {
        match by_mission.iter_mut().find(|(m, _)| *m == mission) {
            Some((_, list)) => list.push(thing),
            None => by_mission.push((mission, vec![thing])),
        }
    }
    let mut total = PutSummary::default();
    if dry_run {
        total.unchanged = by_mission.iter().map(|(_, l)| l.len()).sum();
        return Ok(total);
    }
    for (mission, list) in by_mission {
        let s = put(&slug(&mission)?, &list)?;
        total.added += s.added;
        total.updated += s.updated;
        total.unchanged += s.unchanged;
    }
    Ok(total)
}

/// An importer of a sheet-like CSV (indicators, milestones): the store, the one mission rows
/// may name (None: any), the file's bytes, the actor, whether only to check.
pub type Importer =
    fn(&dyn Store, Option<&Slug>, &[u8], &str, bool) -> Result<PutSummary, MonitoringError>;

/// Reads an indicator CSV and, unless `dry_run`, stores it (upserting by mission and code).
/// With `only`, rows must all be of that mission.
pub fn import_indicators(
    store: &dyn Store,
    only: Option<&Slug>,
    bytes: &[u8],
    actor: &str,
    dry_run: bool,
) -> Result<PutSummary, MonitoringError> {
    let rows = tables::read_indicators(bytes, &StoreKnown::new(store, only))
        .map_err(MonitoringError::Rows)?;
    put_by_mission(rows, dry_run, |mission, list| {
        store.put_indicators(mission, list, actor)
    })
}

/// Reads a data CSV and, unless `dry_run`, stores every row in one transaction. With `only`,
/// rows must all be of that mission.
pub fn import_data(
    store: &dyn Store,
    only: Option<&Slug>,
    bytes: &[u8],
    actor: &str,
    reason: &str,
    dry_run: bool,
) -> Result<PutSummary, MonitoringError> {
    let rows =
        tables::read_data(bytes, &StoreKnown::new(store, only)).map_err(MonitoringError::Rows)?;
    let mut typed = Vec::with_capacity(rows.len());
    for (mission, o) in rows {
        typed.push((slug(&mission)?, o));
    }
    if dry_run {
        return Ok(PutSummary {
            unchanged: typed.len(),
            ..PutSummary::default()
        });
    }
    Ok(store.put_observations(&typed, actor, reason)?)
}

/// The data of one mission (or all), in the data CSV format: of every indicator with `sbu`,
/// else of the public ones.
pub fn export_data(
    store: &dyn Store,
    mission: Option<&Slug>,
    sbu: bool,
) -> Result<String, MonitoringError> {
    let missions = match mission {
        Some(m) => vec![m.clone()],
        None => store.missions()?.into_iter().map(|m| m.slug).collect(),
    };
    let mut rows: Vec<(String, Observation)> = Vec::new();
    for m in missions {
        let shown: Vec<IndicatorCode> = store
            .indicators(&m)?
            .into_iter()
            .filter(|i| crate::indicators::visible(i, sbu))
            .map(|i| i.code)
            .collect();
        for o in store.observations(&m)? {
            if shown.contains(&o.observation.indicator) {
                rows.push((m.to_string(), o.observation));
            }
        }
    }
    Ok(tables::write_data(&rows))
}

/// Missions' strategies, indicators, data and milestones from the store, held for rating by the
/// default scheme and rule: every indicator and milestone with `sbu`, else the public ones (and
/// their data).
pub fn portfolio(
    store: &dyn Store,
    missions: &[Slug],
    sbu: bool,
) -> Result<Portfolio, MonitoringError> {
    let mut portfolio = Portfolio::new(Scheme::default(), RollUp::default());
    for mission in missions {
        let revision = store
            .revision(mission, None)?
            .ok_or_else(|| MonitoringError::UnknownMission(mission.to_string()))?;
        let mut indicators = store.indicators(mission)?;
        indicators.retain(|i| crate::indicators::visible(i, sbu));
        let shown: std::collections::HashSet<IndicatorCode> =
            indicators.iter().map(|i| i.code.clone()).collect();
        let observations = store.observations(mission)?;
        let id = portfolio.add_mission(
            mission.as_str(),
            revision.strategy,
            revision.identity,
            indicators,
            observations
                .iter()
                .map(|o| &o.observation)
                .filter(|o| shown.contains(&o.indicator)),
        )?;
        let mut milestones = store.milestones(mission)?;
        milestones.retain(|m| sbu || m.marking == cairn_core::indicator::Marking::Public);
        portfolio.set_milestones(id, milestones);
    }
    Ok(portfolio)
}

/// Where a mission stands in a fiscal year, by the default scheme and rule, over the
/// indicators the reader may see (all of them with `sbu`, else the public ones).
pub fn status(
    store: &dyn Store,
    mission: &Slug,
    fy: FiscalYear,
    sbu: bool,
) -> Result<Status, MonitoringError> {
    let portfolio = portfolio(store, std::slice::from_ref(mission), sbu)?;
    portfolio
        .mission(mission.as_str())
        .map(|m| portfolio.status(m, fy))
        .ok_or_else(|| MonitoringError::UnknownMission(mission.to_string()))
}
