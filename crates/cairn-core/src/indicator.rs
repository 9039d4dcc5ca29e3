//! Indicators (the Performance Indicator Reference Sheet's fields, PRODUCT.md §2), their
//! observations (baselines, targets, actuals) and milestones. An indicator hangs on an element
//! by its stable id, so renumbering the strategy keeps it attached.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{Direction, ElementId, FiscalYear, Period, PeriodKind, Rating};

/// Defines a code type: 1 to 40 ASCII letters, digits, dots, hyphens or underscores, starting
/// with a letter or digit; `FromStr` refuses anything else with `$error`, which names `$what`
/// and shows `$example`.
macro_rules! code {
    ($(#[$meta:meta])* $name:ident, $(#[$error_meta:meta])* $error:ident, $what:literal, $example:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        $(#[$error_meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $error(pub String);

        impl fmt::Display for $error {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(
                    f,
                    "{:?} is not {}: expected 1 to 40 letters, digits, dots, hyphens or underscores, e.g. {}",
                    self.0, $what, $example
                )
            }
        }

        impl std::error::Error for $error {}

        impl FromStr for $name {
            type Err = $error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let ok = !s.is_empty()
                    && s.len() <= 40
                    && s.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
                    && s.as_bytes()[0].is_ascii_alphanumeric();
                if ok {
                    Ok(Self(s.to_string()))
                } else {
                    Err($error(s.to_string()))
                }
            }
        }

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        crate::serde_as_string!($name);
    };
}

code!(
    /// An indicator's code: a standard foreign-assistance code (`EG.3.2-27`) or a mission's own
    /// (`MALI-1.1-a`). Unique within a mission; the same code recurs across missions.
    IndicatorCode,
    /// Why a string is not an indicator code.
    CodeError,
    "an indicator code",
    "EG.3.2-27"
);

code!(
    /// A milestone's code (`M-ELECTIONS`): the mission's own name for it, unique within the
    /// mission, under which a re-import updates it. The same rules as an indicator's code.
    MilestoneCode,
    /// Why a string is not a milestone code.
    MilestoneCodeError,
    "a milestone code",
    "M-ELECTIONS"
);

/// Defines `FromStr`, `Display`, `ALL` and `as_str` for a closed vocabulary whose names are
/// the CSV's and the JSON's.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            pub const fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s).ok_or_else(|| {
                    let names: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    format!("{s:?} is not {}: expected {}", $what, names.join(", "))
                })
            }
        }

        crate::serde_as_string!($name);
    };
}

vocabulary!(
    /// What an indicator's values count.
    IndicatorUnit, "a unit" {
        Number => "number",
        Percent => "percent",
        Usd => "USD",
        People => "people",
        Score => "score",
    }
);

vocabulary!(
    /// Output, outcome, or context (not the mission's to move).
    IndicatorType, "an indicator type" {
        Output => "output",
        Outcome => "outcome",
        Context => "context",
    }
);

vocabulary!(
    /// How an indicator measures.
    Measure, "a measure" {
        Quantitative => "quantitative",
        Ordinal => "ordinal",
        Qualitative => "qualitative",
        Milestone => "milestone",
    }
);

vocabulary!(
    /// How often data are reported.
    Frequency, "a reporting frequency" {
        Annual => "annual",
        SemiAnnual => "semi-annual",
        Quarterly => "quarterly",
        Monthly => "monthly",
    }
);

vocabulary!(
    /// Who may read something inside Cairn.
    Marking, "a marking" {
        Public => "public",
        Sbu => "sbu",
    }
);

vocabulary!(
    /// What an observation is.
    ObservationKind, "an observation kind" {
        Baseline => "baseline",
        Target => "target",
        Actual => "actual",
    }
);

vocabulary!(
    /// Where a milestone stands.
    MilestoneStatus, "a milestone status" {
        NotStarted => "not-started",
        InProgress => "in-progress",
        Done => "done",
        Delayed => "delayed",
        Dropped => "dropped",
    }
);

/// An indicator and its reference sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub code: IndicatorCode,
    /// The element it measures, by stable id.
    pub element: ElementId,
    pub title: String,
    pub definition: Option<String>,
    pub unit: IndicatorUnit,
    pub direction: Direction,
    #[serde(rename = "type")]
    pub kind: IndicatorType,
    pub measure: Measure,
    /// Values are running totals (the latest is the total so far), not per-period flows.
    pub cumulative: bool,
    pub frequency: Frequency,
    /// Dimension names (`sex`, `age band`, `region`); an observation names a value for some.
    pub disaggregations: Vec<String>,
    pub data_source: Option<String>,
    pub method: Option<String>,
    pub responsible_office: Option<String>,
    /// Indicators are SBU unless marked public.
    pub marking: Marking,
}

/// How an indicator's values over the parts of a period make the period's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregation {
    /// Flows (people trained, dollars disbursed): the parts add up.
    Sum,
    /// Levels and running totals (percentages, scores, cumulative counts): the latest part
    /// stands for the period. Percentages are never summed.
    Latest,
}

impl Indicator {
    pub fn aggregation(&self) -> Aggregation {
        match self.unit {
            IndicatorUnit::Percent | IndicatorUnit::Score => Aggregation::Latest,
            _ if self.cumulative => Aggregation::Latest,
            _ => Aggregation::Sum,
        }
    }

    /// The value of `period` from observations of one kind (any granularity, totals only):
    /// one stated for the period itself wins; otherwise its parts are combined by
    /// [`Indicator::aggregation`] (see [`PeriodValue`]). None when nothing lies inside the period.
    pub fn value_for(&self, period: &Period, values: &[(Period, f64)]) -> Option<f64> {
        let mut value = PeriodValue::new(self.aggregation());
        let mut parts: Vec<&(Period, f64)> = Vec::new();
        for pv in values {
            if pv.0 == *period {
                value.state(pv.1);
            } else if period.contains(&pv.0) {
                parts.push(pv);
            }
        }
        parts.sort_by_key(|(p, _)| *p);
        for (p, v) in parts {
            value.add_part(p.kind(), *v);
        }
        value.value()
    }
}

/// A period's value, folded from the observations of one kind met in chronological order: the
/// value stated for the period itself wins (the first one, should there be several); otherwise
/// the parts inside it of the finest kind present (months, then quarters) combine by the
/// [`Aggregation`]. Parts of different granularity (a quarter and its months) would count
/// twice, so a finer part discards the coarser ones met before it. [`Indicator::value_for`] and
/// the [`crate::portfolio`]'s year values are both this fold.
#[derive(Debug, Clone, Copy)]
pub struct PeriodValue {
    aggregation: Aggregation,
    stated: Option<f64>,
    /// The finest kind of part met so far, and what its parts make.
    parts: Option<(u8, f64)>,
}

impl PeriodValue {
    pub fn new(aggregation: Aggregation) -> Self {
        Self {
            aggregation,
            stated: None,
            parts: None,
        }
    }

    /// The value stated for the period itself.
    pub fn state(&mut self, value: f64) {
        self.stated.get_or_insert(value);
    }

    /// The next part inside the period, in chronological order.
    pub fn add_part(&mut self, kind: PeriodKind, value: f64) {
        let fineness = fineness(kind);
        self.parts = match self.parts {
            Some((finest, _)) if fineness > finest => return,
            Some((finest, sum)) if fineness == finest => Some((
                finest,
                match self.aggregation {
                    Aggregation::Sum => sum + value,
                    Aggregation::Latest => value,
                },
            )),
            // The first part, or one finer than all before it.
            _ => Some((fineness, value)),
        };
    }

    pub fn value(&self) -> Option<f64> {
        self.stated.or(self.parts.map(|(_, v)| v))
    }
}

/// How fine a kind of period is: months, then quarters, then years.
fn fineness(kind: PeriodKind) -> u8 {
    match kind {
        PeriodKind::Month => 0,
        PeriodKind::FiscalQuarter => 1,
        PeriodKind::FiscalYear | PeriodKind::CalendarYear => 2,
    }
}

/// The baseline that stands in fiscal year `fy`: the latest of those stated for a period that
/// ends by the year's end.
pub fn baseline_for(
    fy: FiscalYear,
    baselines: impl IntoIterator<Item = (Period, f64)>,
) -> Option<f64> {
    let end = Period::FiscalYear(fy).end();
    baselines
        .into_iter()
        .filter(|(p, _)| p.end() <= end)
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, v)| v)
}

/// One data point: a baseline, target or actual of an indicator for a period, for the total
/// (no cell) or one disaggregation cell (dimension → value).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub indicator: IndicatorCode,
    pub period: Period,
    pub kind: ObservationKind,
    pub value: f64,
    /// Empty for the total.
    pub cell: BTreeMap<String, String>,
    pub source: Option<String>,
    pub note: Option<String>,
}

impl Observation {
    pub fn is_total(&self) -> bool {
        self.cell.is_empty()
    }
}

/// A dated deliverable, for objectives that resist counting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Milestone {
    pub code: MilestoneCode,
    /// The element it serves, by stable id.
    pub element: ElementId,
    pub title: String,
    pub due: NaiveDate,
    pub status: MilestoneStatus,
    /// Where it stands and why, in a line (a delay's cause, what was delivered).
    pub note: Option<String>,
    /// SBU unless marked public, like indicators.
    pub marking: Marking,
}

impl Milestone {
    /// How the milestone rates for fiscal year `fy`, judged as the year ends (September 30);
    /// None when it does not count in that year. PRODUCT.md rates numbers only; this is
    /// Cairn's own rule for dated deliverables. A milestone counts in the year it is due and,
    /// until it is done, in every later year (an overdue deliverable keeps its objective
    /// below target); it does not count before its year, nor once dropped:
    ///
    /// - due after the year: None (not yet due);
    /// - dropped: None;
    /// - done: on target in the year it was due, None in later years;
    /// - delayed, not started or in progress: below target (due by the year's end and not
    ///   done).
    pub fn rating(&self, fy: FiscalYear) -> Option<Rating> {
        if self.due > fy.end() {
            return None;
        }
        match self.status {
            MilestoneStatus::Dropped => None,
            MilestoneStatus::Done if self.due >= fy.start() => Some(Rating::OnTarget),
            MilestoneStatus::Done => None,
            MilestoneStatus::Delayed
            | MilestoneStatus::NotStarted
            | MilestoneStatus::InProgress => Some(Rating::BelowTarget),
        }
    }
}

/// The fiscal year's figures of one indicator, from its total observations: the target and
/// actual of the year, the actual of the year before (for "improved") and the latest baseline
/// up to the year's end.
pub fn year_figures(
    indicator: &Indicator,
    observations: &[Observation],
    fy: FiscalYear,
) -> (Option<f64>, crate::rating::Figures) {
    let of = |kind: ObservationKind| -> Vec<(Period, f64)> {
        observations
            .iter()
            .filter(|o| o.indicator == indicator.code && o.kind == kind && o.is_total())
            .map(|o| (o.period, o.value))
            .collect()
    };
    let year = Period::FiscalYear(fy);
    let (targets, actuals) = (of(ObservationKind::Target), of(ObservationKind::Actual));
    let baseline = baseline_for(fy, of(ObservationKind::Baseline));
    let previous = fy
        .checked_previous()
        .and_then(|p| indicator.value_for(&Period::FiscalYear(p), &actuals));
    (
        baseline,
        crate::rating::Figures {
            target: indicator.value_for(&year, &targets),
            actual: indicator.value_for(&year, &actuals),
            previous,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indicator(unit: IndicatorUnit, cumulative: bool) -> Indicator {
        Indicator {
            code: "EG.3.2-27".parse().unwrap_or_else(|e| panic!("{e}")),
            element: ElementId(3),
            title: "People trained".into(),
            definition: None,
            unit,
            direction: Direction::Increase,
            kind: IndicatorType::Output,
            measure: Measure::Quantitative,
            cumulative,
            frequency: Frequency::Quarterly,
            disaggregations: vec!["sex".into()],
            data_source: None,
            method: None,
            responsible_office: None,
            marking: Marking::Sbu,
        }
    }

    fn p(s: &str) -> Period {
        s.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn codes() {
        for ok in ["EG.3.2-27", "PS.6.2-1", "MALI_1", "x"] {
            assert!(ok.parse::<IndicatorCode>().is_ok(), "{ok}");
        }
        for bad in ["", "-EG", "EG 3", "EG/3", &"X".repeat(41)] {
            assert!(bad.parse::<IndicatorCode>().is_err(), "{bad}");
        }
    }

    #[test]
    fn milestone_codes_follow_the_indicator_rules_and_say_what_they_are() {
        assert_eq!(
            "M-ELECTIONS"
                .parse::<MilestoneCode>()
                .map(|c| c.to_string()),
            Ok("M-ELECTIONS".to_string())
        );
        let e = "M ELECTIONS".parse::<MilestoneCode>().err();
        assert_eq!(
            e.map(|e| e.to_string()).as_deref(),
            Some(
                "\"M ELECTIONS\" is not a milestone code: expected 1 to 40 letters, digits, dots, hyphens or underscores, e.g. M-ELECTIONS"
            )
        );
        let e = "EG 3".parse::<IndicatorCode>().err();
        assert_eq!(
            e.map(|e| e.to_string()).as_deref(),
            Some(
                "\"EG 3\" is not an indicator code: expected 1 to 40 letters, digits, dots, hyphens or underscores, e.g. EG.3.2-27"
            )
        );
        for bad in ["", "_M", &"M".repeat(41)] {
            assert!(bad.parse::<MilestoneCode>().is_err(), "{bad}");
        }
    }

    fn milestone(status: MilestoneStatus, due: &str) -> Milestone {
        Milestone {
            code: "M-ELECTIONS".parse().unwrap_or_else(|e| panic!("{e}")),
            element: ElementId(2),
            title: "Electoral calendar published".into(),
            due: due.parse().unwrap_or_else(|e| panic!("{due}: {e}")),
            status,
            note: None,
            marking: Marking::Sbu,
        }
    }

    #[test]
    fn a_milestone_rates_by_status_and_due_date_as_the_year_ends() {
        use MilestoneStatus::*;
        let fy = FiscalYear(2023);
        let rating = |status, due| milestone(status, due).rating(fy);
        // Done counts in the year it was due only.
        assert_eq!(rating(Done, "2022-10-01"), Some(Rating::OnTarget));
        assert_eq!(rating(Done, "2023-09-30"), Some(Rating::OnTarget));
        assert_eq!(rating(Done, "2022-09-30"), None, "done in an earlier year");
        for open in [NotStarted, InProgress, Delayed] {
            // Due in the year or before it, and not done: below target, year after year.
            assert_eq!(rating(open, "2022-10-01"), Some(Rating::BelowTarget));
            assert_eq!(rating(open, "2020-03-01"), Some(Rating::BelowTarget));
            // The boundary: September 30 is the year's last day, October 1 the next year's
            // first: not yet due, not counted.
            assert_eq!(rating(open, "2023-09-30"), Some(Rating::BelowTarget));
            assert_eq!(rating(open, "2023-10-01"), None);
            assert_eq!(
                milestone(open, "2023-10-01").rating(FiscalYear(2024)),
                Some(Rating::BelowTarget)
            );
        }
        for due in ["2021-01-15", "2023-09-30", "2025-06-01"] {
            assert_eq!(rating(Dropped, due), None, "dropped is not counted: {due}");
        }
    }

    #[test]
    fn a_milestone_is_json_with_an_iso_due_date() {
        let m = milestone(MilestoneStatus::InProgress, "2024-02-29");
        let json = serde_json::to_value(&m).unwrap_or_default();
        assert_eq!(
            (
                &json["code"],
                &json["due"],
                &json["status"],
                &json["element"]
            ),
            (
                &serde_json::json!("M-ELECTIONS"),
                &serde_json::json!("2024-02-29"),
                &serde_json::json!("in-progress"),
                &serde_json::json!("e2")
            )
        );
        let back: Milestone = serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, m);
    }

    #[test]
    fn vocabularies_read_and_print_their_names() {
        assert_eq!("USD".parse(), Ok(IndicatorUnit::Usd));
        assert_eq!("semi-annual".parse(), Ok(Frequency::SemiAnnual));
        assert_eq!(MilestoneStatus::NotStarted.to_string(), "not-started");
        let e = "usd".parse::<IndicatorUnit>().err().unwrap_or_default();
        assert_eq!(
            e,
            "\"usd\" is not a unit: expected number, percent, USD, people, score"
        );
        for k in ObservationKind::ALL {
            assert_eq!(k.as_str().parse(), Ok(*k));
        }
    }

    #[test]
    fn flows_add_up_and_levels_take_the_latest() {
        let quarters = [
            (p("FY2023Q1"), 10.0),
            (p("FY2023Q2"), 20.0),
            (p("FY2023Q3"), 30.0),
            (p("FY2023Q4"), 40.0),
        ];
        let fy = p("FY2023");
        assert_eq!(
            indicator(IndicatorUnit::People, false).value_for(&fy, &quarters),
            Some(100.0)
        );
        assert_eq!(
            indicator(IndicatorUnit::People, true).value_for(&fy, &quarters),
            Some(40.0)
        );
        assert_eq!(
            indicator(IndicatorUnit::Percent, false).value_for(&fy, &quarters),
            Some(40.0)
        );
        assert_eq!(
            indicator(IndicatorUnit::Score, false).value_for(&fy, &quarters),
            Some(40.0)
        );
        // Out of order input is put in order first.
        let shuffled = [quarters[3], quarters[0], quarters[2], quarters[1]];
        assert_eq!(
            indicator(IndicatorUnit::Percent, false).value_for(&fy, &shuffled),
            Some(40.0)
        );
    }

    #[test]
    fn a_stated_value_wins_and_parts_never_count_twice() {
        let i = indicator(IndicatorUnit::Usd, false);
        let fy = p("FY2023");
        let stated = [(p("FY2023"), 500.0), (p("FY2023Q1"), 1.0)];
        assert_eq!(i.value_for(&fy, &stated), Some(500.0));
        // A quarter and the months inside it: only the months (the finest) are summed.
        let mixed = [
            (p("FY2023Q1"), 90.0),
            (p("2022-10"), 30.0),
            (p("2022-11"), 30.0),
            (p("2022-12"), 30.0),
            (p("2023-01"), 5.0),
        ];
        assert_eq!(i.value_for(&fy, &mixed), Some(95.0));
        // Nothing inside: nothing.
        assert_eq!(i.value_for(&p("FY2024"), &mixed), None);
        // A calendar year is not inside a fiscal year.
        assert_eq!(i.value_for(&fy, &[(p("2023"), 7.0)]), None);
    }

    #[test]
    fn year_figures_take_totals_the_previous_actual_and_the_latest_baseline() {
        let i = indicator(IndicatorUnit::People, false);
        let obs = |period: &str, kind, value, cell: &[(&str, &str)]| Observation {
            indicator: i.code.clone(),
            period: p(period),
            kind,
            value,
            cell: cell
                .iter()
                .map(|(k, v)| ((*k).into(), (*v).into()))
                .collect(),
            source: None,
            note: None,
        };
        use ObservationKind::*;
        let all = [
            obs("FY2020", Baseline, 5.0, &[]),
            obs("FY2022", Baseline, 8.0, &[]),
            obs("FY2025", Baseline, 99.0, &[]),
            obs("FY2023", Target, 100.0, &[]),
            obs("FY2022Q4", Actual, 60.0, &[]),
            obs("FY2023Q1", Actual, 40.0, &[]),
            obs("FY2023Q2", Actual, 45.0, &[]),
            obs("FY2023Q2", Actual, 1000.0, &[("sex", "female")]),
        ];
        let (baseline, f) = year_figures(&i, &all, FiscalYear(2023));
        assert_eq!(baseline, Some(8.0));
        assert_eq!(
            (f.target, f.actual, f.previous),
            (Some(100.0), Some(85.0), Some(60.0))
        );
    }
}
