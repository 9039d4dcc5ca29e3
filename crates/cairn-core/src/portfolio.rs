//! Many missions' indicators and data held in memory, rated at portfolio scale: a full roll-up
//! over millions of observations, and one new observation to an updated mission rating in
//! microseconds.
//!
//! Observations are kept by series — one mission's baselines, targets or actuals of one
//! indicator in one disaggregation cell — each series two columns, period (a [`Slot`]) and
//! value, in chronological order, beside the value of every fiscal year it touches. Year values
//! are folded by [`PeriodValue`], the fold of [`Indicator::value_for`], and a mission's status is
//! the roll-up [`crate::status`] walks, reading its indicators' totals from the year values; so
//! the portfolio rates exactly as [`crate::status::status`] does (a property test holds them
//! together). Ratings are not stored: recording an observation re-folds its one series and
//! nothing else, and the next status of its mission reads the new year value.

use std::collections::{BTreeMap, HashMap};

use crate::indicator::Milestone;
use crate::indicator::{Aggregation, PeriodValue, baseline_for};
use crate::rating::{Figures, RollUp, Scheme};
use crate::status::{Status, Walk};
use crate::{
    CalendarYear, FiscalQuarter, FiscalYear, Identity, Indicator, IndicatorCode, Month,
    Observation, ObservationKind, Period, PeriodKind, Strategy,
};

/// A mission of a [`Portfolio`] (valid in the portfolio that gave it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MissionId(usize);

/// Why a mission or an observation was not taken; the portfolio is left as it was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PortfolioError {
    #[error("mission {0} is in the portfolio already")]
    DuplicateMission(String),
    #[error("mission {mission} lists indicator {code} twice")]
    DuplicateIndicator {
        mission: String,
        code: IndicatorCode,
    },
    #[error("mission {mission} has no indicator {code}")]
    UnknownIndicator {
        mission: String,
        code: IndicatorCode,
    },
    #[error("{period} is outside FY1001 to FY9999")]
    OutOfRange { period: Period },
}

/// One year's value of a series: what a `GROUP BY mission, indicator, cell, kind, fiscal year`
/// over the observations gives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct YearValue<'a> {
    pub mission: &'a str,
    pub indicator: &'a IndicatorCode,
    /// Empty for the total.
    pub cell: &'a BTreeMap<String, String>,
    pub kind: ObservationKind,
    pub year: FiscalYear,
    pub value: f64,
}

/// Missions with their strategies, indicators and observations, rated on demand.
#[derive(Debug, Clone)]
pub struct Portfolio {
    scheme: Scheme,
    rule: RollUp,
    missions: Vec<Mission>,
    names: HashMap<String, MissionId>,
    /// Interned cells; 0 is the total.
    cells: Vec<BTreeMap<String, String>>,
    cell_ids: HashMap<BTreeMap<String, String>, usize>,
    series: Vec<Series>,
    /// (mission, indicator, cell, kind) → series.
    series_ids: HashMap<(usize, usize, usize, ObservationKind), usize>,
}

#[derive(Debug, Clone)]
struct Mission {
    name: String,
    strategy: Strategy,
    identity: Identity,
    indicators: Vec<Indicator>,
    codes: HashMap<IndicatorCode, usize>,
    /// Each indicator's series of the total, by kind (baseline, target, actual).
    totals: Vec<[Option<usize>; 3]>,
    milestones: Vec<Milestone>,
}

impl Portfolio {
    pub fn new(scheme: Scheme, rule: RollUp) -> Self {
        let total = BTreeMap::new();
        Self {
            scheme,
            rule,
            missions: Vec::new(),
            names: HashMap::new(),
            cells: vec![total.clone()],
            cell_ids: HashMap::from([(total, 0)]),
            series: Vec::new(),
            series_ids: HashMap::new(),
        }
    }

    /// Adds a mission with its observations, in any order. They are keyed like the store's
    /// (indicator, period, kind, cell): of two with one key, the later stands.
    pub fn add_mission<'o>(
        &mut self,
        name: &str,
        strategy: Strategy,
        identity: Identity,
        indicators: Vec<Indicator>,
        observations: impl IntoIterator<Item = &'o Observation>,
    ) -> Result<MissionId, PortfolioError> {
        if self.names.contains_key(name) {
            return Err(PortfolioError::DuplicateMission(name.to_string()));
        }
        let mut codes = HashMap::with_capacity(indicators.len());
        for (n, i) in indicators.iter().enumerate() {
            if codes.insert(i.code.clone(), n).is_some() {
                return Err(PortfolioError::DuplicateIndicator {
                    mission: name.to_string(),
                    code: i.code.clone(),
                });
            }
        }
        let mission = Mission {
            name: name.to_string(),
            strategy,
            identity,
            totals: vec![[None; 3]; indicators.len()],
            indicators,
            codes,
            milestones: Vec::new(),
        };
        // Every observation is checked before anything changes.
        let located = observations
            .into_iter()
            .map(|o| Ok((mission.locate(o)?, o)))
            .collect::<Result<Vec<_>, PortfolioError>>()?;
        let id = MissionId(self.missions.len());
        self.missions.push(mission);
        self.names.insert(name.to_string(), id);
        let first = self.series.len();
        for ((indicator, slot), o) in located {
            let s = self.series_of(id, indicator, &o.cell, o.kind);
            self.series[s].slots.push(slot);
            self.series[s].values.push(o.value);
        }
        // A new mission's series are all new.
        for series in &mut self.series[first..] {
            series.settle();
            series.fold_years();
        }
        Ok(id)
    }

    /// Adds one observation, or corrects the value held for its key, and updates the year
    /// values it enters.
    pub fn record(&mut self, mission: MissionId, o: &Observation) -> Result<(), PortfolioError> {
        let (indicator, slot) = self.missions[mission.0].locate(o)?;
        let s = self.series_of(mission, indicator, &o.cell, o.kind);
        let series = &mut self.series[s];
        series.put(slot, o.value);
        series.fold_years();
        Ok(())
    }

    /// Recomputes every year value of every mission from the observations held: the whole
    /// aggregation a full roll-up starts from.
    pub fn roll_up(&mut self) {
        for series in &mut self.series {
            series.fold_years();
        }
    }

    /// Where a mission stands in fiscal year `fy`: [`crate::status::status`] over its
    /// observations.
    pub fn status(&self, mission: MissionId, fy: FiscalYear) -> Status {
        let m = &self.missions[mission.0];
        let year = |s: Option<usize>, fy: FiscalYear| s.and_then(|s| self.series[s].year(fy));
        let figures = |i: usize| {
            let [baseline, target, actual] = m.totals[i];
            (
                baseline.and_then(|s| baseline_for(fy, self.series[s].periods())),
                Figures {
                    target: year(target, fy),
                    actual: year(actual, fy),
                    previous: fy.checked_previous().and_then(|p| year(actual, p)),
                },
            )
        };
        Walk {
            identity: &m.identity,
            indicators: &m.indicators,
            milestones: &m.milestones,
            scheme: self.scheme,
            rule: self.rule,
            fy,
            figures: &figures,
        }
        .status(&m.strategy)
    }

    /// Gives a mission its milestones (rated with its indicators; none until given).
    pub fn set_milestones(&mut self, mission: MissionId, milestones: Vec<Milestone>) {
        if let Some(m) = self.missions.get_mut(mission.0) {
            m.milestones = milestones;
        }
    }

    /// The mission added under `name`.
    pub fn mission(&self, name: &str) -> Option<MissionId> {
        self.names.get(name).copied()
    }

    /// Every mission with its name, in the order they were added.
    pub fn missions(&self) -> impl Iterator<Item = (MissionId, &str)> {
        self.missions
            .iter()
            .enumerate()
            .map(|(n, m)| (MissionId(n), m.name.as_str()))
    }

    /// The value of every fiscal year of every series (every cell, every kind), series by
    /// series in the order they were first met, years in order.
    pub fn year_values(&self) -> impl Iterator<Item = YearValue<'_>> {
        self.series.iter().flat_map(move |s| {
            let m = &self.missions[s.mission];
            let (indicator, cell) = (&m.indicators[s.indicator].code, &self.cells[s.cell]);
            s.years.iter().map(move |&(year, value)| YearValue {
                mission: &m.name,
                indicator,
                cell,
                kind: s.kind,
                year,
                value,
            })
        })
    }

    /// The series of (mission, indicator, cell, kind), made when new.
    fn series_of(
        &mut self,
        mission: MissionId,
        indicator: usize,
        cell: &BTreeMap<String, String>,
        kind: ObservationKind,
    ) -> usize {
        let cell = match self.cell_ids.get(cell) {
            Some(&c) => c,
            None => {
                let c = self.cells.len();
                self.cells.push(cell.clone());
                self.cell_ids.insert(cell.clone(), c);
                c
            }
        };
        let next = self.series.len();
        let s = *self
            .series_ids
            .entry((mission.0, indicator, cell, kind))
            .or_insert(next);
        if s == next {
            let m = &mut self.missions[mission.0];
            if cell == 0 {
                m.totals[indicator][total_index(kind)] = Some(s);
            }
            self.series.push(Series {
                mission: mission.0,
                indicator,
                cell,
                kind,
                aggregation: m.indicators[indicator].aggregation(),
                slots: Vec::new(),
                values: Vec::new(),
                years: Vec::new(),
            });
        }
        s
    }
}

/// Where a kind's series sits in [`Mission::totals`].
fn total_index(kind: ObservationKind) -> usize {
    match kind {
        ObservationKind::Baseline => 0,
        ObservationKind::Target => 1,
        ObservationKind::Actual => 2,
    }
}

impl Mission {
    /// The observation's indicator (by index) and period, or why it cannot be taken.
    fn locate(&self, o: &Observation) -> Result<(usize, Slot), PortfolioError> {
        let indicator =
            self.codes
                .get(&o.indicator)
                .ok_or_else(|| PortfolioError::UnknownIndicator {
                    mission: self.name.clone(),
                    code: o.indicator.clone(),
                })?;
        let slot = Slot::of(o.period).ok_or(PortfolioError::OutOfRange { period: o.period })?;
        Ok((*indicator, slot))
    }
}

/// One mission's observations of one kind, of one indicator, in one cell.
#[derive(Debug, Clone)]
struct Series {
    mission: usize,
    indicator: usize,
    cell: usize,
    kind: ObservationKind,
    aggregation: Aggregation,
    /// Periods in order, one value each.
    slots: Vec<Slot>,
    values: Vec<f64>,
    /// The value of each fiscal year the observations make one for, by year.
    years: Vec<(FiscalYear, f64)>,
}

impl Series {
    /// Sets the value of a period: a new period goes in its place, a held one is replaced.
    fn put(&mut self, slot: Slot, value: f64) {
        match self.slots.binary_search(&slot) {
            Ok(i) => self.values[i] = value,
            Err(i) => {
                self.slots.insert(i, slot);
                self.values.insert(i, value);
            }
        }
    }

    /// Puts values appended in any order in period order; of two for one period, the later
    /// stands.
    fn settle(&mut self) {
        if self.slots.windows(2).all(|w| w[0] < w[1]) {
            return;
        }
        let mut points: Vec<(Slot, f64)> = self
            .slots
            .iter()
            .copied()
            .zip(self.values.iter().copied())
            .collect();
        // Stable: values for one period stay in the order they came.
        points.sort_by_key(|(slot, _)| *slot);
        self.slots.clear();
        self.values.clear();
        for (slot, value) in points {
            if self.slots.last() == Some(&slot) {
                if let Some(last) = self.values.last_mut() {
                    *last = value;
                }
            } else {
                self.slots.push(slot);
                self.values.push(value);
            }
        }
    }

    /// Folds the observations into year values. A fiscal year's periods (its months, quarters
    /// and itself) are the slots from its first month to the next year's, calendar years
    /// (which lie in two fiscal years) aside.
    fn fold_years(&mut self) {
        self.years.clear();
        let (slots, values) = (&self.slots, &self.values);
        let mut i = 0;
        while i < slots.len() {
            let Some(fy) = slots[i].fiscal_year() else {
                i += 1;
                continue;
            };
            let next = Slot::first_of(fy.0 + 1);
            let mut value = PeriodValue::new(self.aggregation);
            while i < slots.len() && slots[i] < next {
                match slots[i].kind() {
                    PeriodKind::FiscalYear => value.state(values[i]),
                    PeriodKind::CalendarYear => {}
                    kind => value.add_part(kind, values[i]),
                }
                i += 1;
            }
            if let Some(v) = value.value() {
                self.years.push((fy, v));
            }
        }
    }

    fn year(&self, fy: FiscalYear) -> Option<f64> {
        self.years
            .binary_search_by_key(&fy, |(y, _)| *y)
            .ok()
            .map(|i| self.years[i].1)
    }

    fn periods(&self) -> impl Iterator<Item = (Period, f64)> + '_ {
        self.slots
            .iter()
            .zip(&self.values)
            .filter_map(|(slot, v)| Some((slot.period()?, *v)))
    }
}

/// A period as one integer that orders as periods do (by first day, then last day): its first
/// month counted from January of year 0, times four, plus its length (0 a month, 1 a quarter,
/// 2 a year; a fiscal year starts in October, a calendar year in January).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Slot(u32);

impl Slot {
    /// None for a fiscal year outside [`FiscalYear::MIN`] ..= [`FiscalYear::MAX`] (its field is
    /// public); every other period is in range by construction.
    fn of(p: Period) -> Option<Self> {
        let (year, month, length) = match p {
            Period::Month(m) => (m.year(), m.month(), 0),
            Period::FiscalQuarter(q) => {
                let first = q.months()[0];
                (first.year(), first.month(), 1)
            }
            Period::FiscalYear(fy) => (FiscalYear::new(fy.0)?.0 - 1, 10, 2),
            Period::CalendarYear(y) => (y.year(), 1, 2),
        };
        let year = u32::try_from(year).ok()?;
        Some(Self(year * 48 + u32::from(month - 1) * 4 + length))
    }

    /// The first month of fiscal year `fy` (October of the year before), as a month's slot.
    fn first_of(fy: i32) -> Self {
        Self(u32::try_from(fy - 1).unwrap_or(0) * 48 + 9 * 4)
    }

    /// (calendar year, month 1 to 12, length)
    fn parts(self) -> (i32, u8, u32) {
        let year = i32::try_from(self.0 / 48).unwrap_or(i32::MAX);
        // Both below 12 and 4.
        let month = u8::try_from(self.0 / 4 % 12).unwrap_or(0) + 1;
        (year, month, self.0 % 4)
    }

    fn kind(self) -> PeriodKind {
        match self.parts() {
            (_, _, 0) => PeriodKind::Month,
            (_, _, 1) => PeriodKind::FiscalQuarter,
            (_, 10, _) => PeriodKind::FiscalYear,
            _ => PeriodKind::CalendarYear,
        }
    }

    /// The fiscal year that holds the period (none for a calendar year).
    fn fiscal_year(self) -> Option<FiscalYear> {
        let (year, month, _) = self.parts();
        match self.kind() {
            PeriodKind::CalendarYear => None,
            _ if month >= 10 => Some(FiscalYear(year + 1)),
            _ => Some(FiscalYear(year)),
        }
    }

    fn period(self) -> Option<Period> {
        let (year, month, _) = self.parts();
        Some(match self.kind() {
            PeriodKind::Month => Period::Month(Month::new(year, month)?),
            PeriodKind::FiscalQuarter => {
                let fy = self.fiscal_year()?;
                Period::FiscalQuarter(FiscalQuarter::new(fy, (month + 2) % 12 / 3 + 1)?)
            }
            PeriodKind::FiscalYear => Period::FiscalYear(FiscalYear::new(year + 1)?),
            PeriodKind::CalendarYear => Period::CalendarYear(CalendarYear::new(year)?),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use proptest::prelude::{Strategy as Gen, *};

    use super::*;
    use crate::indicator::IndicatorUnit;
    use crate::status::tests::{indicator, obs, strategy};
    use crate::status::{Inputs, status};
    use crate::{Direction, ElementId, Rating};

    fn portfolio() -> Portfolio {
        Portfolio::new(Scheme::default(), RollUp::Lowest)
    }

    fn p(s: &str) -> Period {
        s.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_correction_re_rates_the_mission() {
        use ObservationKind::{Actual, Target};
        let (s, identity) = strategy();
        let id = identity
            .get(&"objective:1.2".parse().unwrap_or_else(|e| panic!("{e}")))
            .unwrap_or_else(|| panic!("1.2"));
        let mut book = portfolio();
        let m = book
            .add_mission(
                "examplia",
                s,
                identity,
                vec![indicator("A", id, Direction::Increase)],
                &[
                    obs("A", "FY2023", Target, 100.0),
                    obs("A", "FY2023Q1", Actual, 30.0),
                    obs("A", "FY2023Q2", Actual, 30.0),
                ],
            )
            .unwrap_or_else(|e| panic!("{e}"));
        let rating = |book: &Portfolio| book.status(m, FiscalYear(2023)).goals[0].rating;
        assert_eq!(rating(&book), Rating::BelowTarget);
        // The year's months outrank its quarters: 50 + 45 replaces 30 + 30.
        for (period, value) in [("2022-10", 50.0), ("2023-02", 45.0)] {
            book.record(m, &obs("A", period, Actual, value))
                .unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(rating(&book), Rating::OnTarget);
        // A correction replaces the value held for its key.
        book.record(m, &obs("A", "2023-02", Actual, 80.0))
            .unwrap_or_else(|e| panic!("{e}"));
        let st = book.status(m, FiscalYear(2023));
        assert_eq!(st.goals[0].objectives[1].indicators[0].actual, Some(130.0));
        assert_eq!(st.goals[0].rating, Rating::AboveTarget);
        assert_eq!(book.mission("examplia"), Some(m));
        assert_eq!(book.missions().collect::<Vec<_>>(), [(m, "examplia")]);
    }

    #[test]
    fn refusals_leave_the_portfolio_as_it_was() {
        let (s, identity) = strategy();
        let a = || vec![indicator("A", ElementId(1), Direction::Increase)];
        let mut book = portfolio();
        let target = |code: &str, period: &str| obs(code, period, ObservationKind::Target, 1.0);
        let e = book.add_mission(
            "x",
            s.clone(),
            identity.clone(),
            a(),
            &[target("B", "FY2023")],
        );
        assert_eq!(
            e,
            Err(PortfolioError::UnknownIndicator {
                mission: "x".into(),
                code: "B".parse().unwrap_or_else(|e| panic!("{e}")),
            })
        );
        let twice = [a(), a()].concat();
        let e = book.add_mission("x", s.clone(), identity.clone(), twice, &[]);
        assert!(
            matches!(e, Err(PortfolioError::DuplicateIndicator { .. })),
            "{e:?}"
        );
        let mut far = target("A", "FY2023");
        far.period = Period::FiscalYear(FiscalYear(10_000));
        let e = book.add_mission("x", s.clone(), identity.clone(), a(), [&far]);
        assert_eq!(e, Err(PortfolioError::OutOfRange { period: far.period }));
        assert_eq!(book.missions().count(), 0);
        assert_eq!(book.year_values().count(), 0);

        let m = book
            .add_mission(
                "x",
                s.clone(),
                identity.clone(),
                a(),
                &[target("A", "FY2023")],
            )
            .unwrap_or_else(|e| panic!("{e}"));
        let e = book.add_mission("x", s, identity, a(), &[]);
        assert_eq!(e, Err(PortfolioError::DuplicateMission("x".into())));
        assert!(book.record(m, &far).is_err());
        assert!(book.record(m, &target("B", "FY2024")).is_err());
        assert_eq!(book.year_values().count(), 1);
    }

    #[test]
    fn year_values_cover_every_cell_and_kind_and_roll_up_refolds_them() {
        let (s, identity) = strategy();
        let mut female = obs("A", "2023-01", ObservationKind::Actual, 7.0);
        female.cell.insert("sex".into(), "female".into());
        let rows = [
            obs("A", "FY2023Q1", ObservationKind::Actual, 3.0),
            obs("A", "FY2023Q2", ObservationKind::Actual, 4.0),
            obs("A", "2023", ObservationKind::Baseline, 1.0),
            female,
        ];
        let mut book = portfolio();
        let ind = vec![indicator("A", ElementId(1), Direction::Increase)];
        book.add_mission("x", s, identity, ind, &rows)
            .unwrap_or_else(|e| panic!("{e}"));
        let seen = |book: &Portfolio| -> Vec<(String, usize, ObservationKind, i32, f64)> {
            book.year_values()
                .map(|v| {
                    assert_eq!((v.mission, v.indicator.as_str()), ("x", "A"));
                    (
                        v.cell.values().cloned().collect(),
                        v.cell.len(),
                        v.kind,
                        v.year.0,
                        v.value,
                    )
                })
                .collect()
        };
        // The calendar year 2023 lies in two fiscal years and makes neither's value.
        let expected = vec![
            (String::new(), 0, ObservationKind::Actual, 2023, 7.0),
            ("female".into(), 1, ObservationKind::Actual, 2023, 7.0),
        ];
        assert_eq!(seen(&book), expected);
        book.roll_up();
        assert_eq!(seen(&book), expected);
    }

    fn any_period() -> impl Gen<Value = Period> {
        let fy = || FiscalYear::MIN.0..=FiscalYear::MAX.0;
        prop_oneof![
            fy().prop_map(|y| Period::FiscalYear(FiscalYear(y))),
            (fy(), 1u8..=4).prop_filter_map("quarter", |(y, q)| {
                FiscalQuarter::new(FiscalYear(y), q).map(Period::FiscalQuarter)
            }),
            (1000..=9999, 1u8..=12)
                .prop_filter_map("month", |(y, m)| { Month::new(y, m).map(Period::Month) }),
            (CalendarYear::MIN.year()..=CalendarYear::MAX.year())
                .prop_filter_map("year", |y| CalendarYear::new(y).map(Period::CalendarYear)),
        ]
    }

    /// Periods of FY2020 to FY2024 and around them, of every kind.
    fn near_period() -> impl Gen<Value = Period> {
        prop_oneof![
            (2020..=2024).prop_map(|y| p(&format!("FY{y}"))),
            (2020..=2024, 1..=4).prop_map(|(y, q)| p(&format!("FY{y}Q{q}"))),
            (2019..=2024, 1..=12).prop_map(|(y, m)| p(&format!("{y}-{m:02}"))),
            (2019..=2024).prop_map(|y| p(&format!("{y}"))),
        ]
    }

    /// A mission's indicators (on any element of the fixture strategy, or on none of them)
    /// and observations (indices into the indicators).
    type Draw = (Vec<(u32, u8, bool)>, Vec<(usize, Period, u8, u8, f64)>);

    fn any_mission() -> impl Gen<Value = Draw> {
        let indicators = prop::collection::vec((1u32..=9, 0u8..4, any::<bool>()), 1..5);
        let value = prop_oneof![(-5i32..40).prop_map(f64::from), -1e3f64..1e3];
        let observation = (0usize..5, near_period(), 0u8..3, 0u8..3, value);
        (indicators, prop::collection::vec(observation, 0..80))
    }

    /// The indicators and observations a draw stands for.
    fn mission_of(draw: &Draw) -> (Vec<Indicator>, Vec<Observation>) {
        let (specs, rows) = draw;
        let indicators: Vec<Indicator> = specs
            .iter()
            .enumerate()
            .map(|(n, &(element, unit, decrease))| {
                let direction = if decrease {
                    Direction::Decrease
                } else {
                    Direction::Increase
                };
                let mut i = indicator(&format!("I{n}"), ElementId(element), direction);
                (i.unit, i.cumulative) = match unit {
                    0 => (IndicatorUnit::People, false),
                    1 => (IndicatorUnit::Percent, false),
                    2 => (IndicatorUnit::Usd, true),
                    _ => (IndicatorUnit::Score, false),
                };
                i
            })
            .collect();
        let observations = rows
            .iter()
            .map(|&(i, period, kind, cell, value)| {
                let code = indicators[i % indicators.len()].code.clone();
                let cell = match cell {
                    0 => BTreeMap::new(),
                    1 => BTreeMap::from([("sex".to_string(), "female".to_string())]),
                    _ => BTreeMap::from([("sex".to_string(), "male".to_string())]),
                };
                Observation {
                    indicator: code,
                    period,
                    kind: ObservationKind::ALL[usize::from(kind)],
                    value,
                    cell,
                    source: None,
                    note: None,
                }
            })
            .collect();
        (indicators, observations)
    }

    /// What the store keeps of a batch: the last value given for each key.
    fn last_per_key(rows: &[Observation]) -> Vec<Observation> {
        let mut seen = HashSet::new();
        let mut kept: Vec<Observation> = rows
            .iter()
            .rev()
            .filter(|o| seen.insert((o.indicator.clone(), o.period, o.kind, o.cell.clone())))
            .cloned()
            .collect();
        kept.reverse();
        kept
    }

    proptest! {
        #[test]
        fn slots_order_and_name_periods_as_periods_do(a in any_period(), b in any_period()) {
            let (sa, sb) = (Slot::of(a), Slot::of(b));
            let (Some(sa), Some(sb)) = (sa, sb) else {
                return Err(TestCaseError::fail(format!("{a} or {b} has no slot")));
            };
            prop_assert_eq!(sa.cmp(&sb), a.cmp(&b));
            prop_assert_eq!(sa.period(), Some(a));
            prop_assert_eq!(sa.kind(), a.kind());
            prop_assert_eq!(sa.fiscal_year(), a.fiscal_year());
            if let Some(fy) = a.fiscal_year() {
                let (first, next) = (Slot::first_of(fy.0), Slot::first_of(fy.0 + 1));
                prop_assert!(first <= sa && sa < next);
            }
        }

        /// Bulk, then one observation at a time (corrections included): the portfolio's status
        /// is `status()` over what the store would hold, and its year values are `value_for`'s.
        #[test]
        fn the_portfolio_rates_as_status_does(
            draws in prop::collection::vec((any_mission(), any::<prop::sample::Index>()), 1..4),
        ) {
            let (plan, identity) = strategy();
            let mut book = portfolio();
            let mut expected_values = HashMap::new();
            let mut missions = Vec::new();
            for (n, (draw, split)) in draws.iter().enumerate() {
                let (indicators, rows) = mission_of(draw);
                let (bulk, one_by_one) = rows.split_at(split.index(rows.len() + 1));
                let name = format!("m{n}");
                let m = book
                    .add_mission(&name, plan.clone(), identity.clone(), indicators.clone(), bulk)
                    .unwrap_or_else(|e| panic!("{e}"));
                for o in one_by_one {
                    book.record(m, o).unwrap_or_else(|e| panic!("{e}"));
                }
                let held = last_per_key(&rows);
                for i in &indicators {
                    for cell in held.iter().map(|o| &o.cell).collect::<HashSet<_>>() {
                        for kind in ObservationKind::ALL {
                            let values: Vec<(Period, f64)> = held
                                .iter()
                                .filter(|o| o.indicator == i.code && o.kind == *kind && o.cell == *cell)
                                .map(|o| (o.period, o.value))
                                .collect();
                            for y in 2019..=2025 {
                                if let Some(v) = i.value_for(&Period::FiscalYear(FiscalYear(y)), &values) {
                                    let key = (name.clone(), i.code.clone(), cell.clone(), *kind, y);
                                    expected_values.insert(key, v.to_bits());
                                }
                            }
                        }
                    }
                }
                missions.push((m, indicators, held));
            }
            let got: HashMap<_, _> = book
                .year_values()
                .map(|v| ((v.mission.to_string(), v.indicator.clone(), v.cell.clone(), v.kind, v.year.0), v.value.to_bits()))
                .collect();
            prop_assert_eq!(got.len(), book.year_values().count(), "one value per key");
            prop_assert_eq!(&got, &expected_values);
            for (m, indicators, held) in &missions {
                let inputs = Inputs {
                    identity: &identity,
                    indicators,
                    observations: held,
                    scheme: Scheme::default(),
                    rule: RollUp::Lowest,
                    milestones: &[],
                };
                for y in 2019..=2025 {
                    let fy = FiscalYear(y);
                    prop_assert_eq!(book.status(*m, fy), status(&plan, &inputs, fy));
                }
            }
            book.roll_up();
            let again: HashMap<_, _> = book
                .year_values()
                .map(|v| ((v.mission.to_string(), v.indicator.clone(), v.cell.clone(), v.kind, v.year.0), v.value.to_bits()))
                .collect();
            prop_assert_eq!(again, got);
        }
    }
}
