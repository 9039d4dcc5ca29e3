//! Indicators and their data as the store keeps them: each mission's indicators (the reference
//! sheet, upserted by code), the current value of every observation (baseline, target or actual
//! of an indicator for a period and a disaggregation cell) and the history of every value set —
//! the first setting and each correction, with who, when and why.
//!
//! The text forms here are what both backends store, so that keys, ordering and dumps are the
//! same everywhere: a period as its canonical text with its first and last day (ISO dates, which
//! order chronologically), a cell as the JSON of its sorted map (`{}` for the total).

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use cairn_core::{Indicator, IndicatorCode, Observation, ObservationKind, Period};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{Dump, Slug, StoreError};

/// What a batch write did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PutSummary {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// An indicator with the mission it belongs to, as a dump carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredIndicator {
    pub mission: Slug,
    pub indicator: Indicator,
}

/// One observation as stored, with when and by whom its current value was set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredObservation {
    pub mission: Slug,
    pub observation: Observation,
    pub at: DateTime<Utc>,
    pub actor: String,
}

/// A setting of one observation's value: its first (`previous` None) or a correction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObservationChange {
    pub mission: Slug,
    pub indicator: IndicatorCode,
    pub period: Period,
    pub kind: ObservationKind,
    /// Empty for the total.
    pub cell: BTreeMap<String, String>,
    /// The value set.
    pub value: f64,
    /// The value it replaced; None when the observation had none before.
    pub previous: Option<f64>,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub reason: String,
}

/// The stored form of a disaggregation cell: the JSON of the sorted map (as `serde_json`
/// writes it), `{}` for the total.
pub fn cell_text(cell: &BTreeMap<String, String>) -> Cow<'static, str> {
    if cell.is_empty() {
        return Cow::Borrowed("{}");
    }
    // serde_json escapes only quotes, backslashes and control characters: text without them
    // is written as it is, without the serializer's machinery.
    let plain = |s: &str| !s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\');
    if !cell.iter().all(|(k, v)| plain(k) && plain(v)) {
        return Cow::Owned(serde_json::to_string(cell).unwrap_or_else(|_| "{}".into()));
    }
    let mut out = String::with_capacity(
        2 + cell
            .iter()
            .map(|(k, v)| k.len() + v.len() + 6)
            .sum::<usize>(),
    );
    out.push('{');
    for (i, (k, v)) in cell.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        out.push_str(k);
        out.push_str("\":\"");
        out.push_str(v);
        out.push('"');
    }
    out.push('}');
    Cow::Owned(out)
}

/// Reads a cell back from [`cell_text`]'s form.
pub fn parse_cell(text: &str) -> Result<BTreeMap<String, String>, String> {
    if text == "{}" {
        return Ok(BTreeMap::new());
    }
    serde_json::from_str(text).map_err(|e| format!("{text:?} is not a cell: {e}"))
}

/// A period's stored columns: its canonical text, first and last day (ISO 8601 dates).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodText {
    pub text: String,
    pub start: String,
    pub end: String,
}

impl PeriodText {
    pub fn of(p: &Period) -> Self {
        Self {
            text: p.to_string(),
            start: p.start().format("%Y-%m-%d").to_string(),
            end: p.end().format("%Y-%m-%d").to_string(),
        }
    }
}

/// [`PeriodText`]s computed once per period: a batch of a million rows names a few dozen.
#[derive(Debug, Default)]
pub struct PeriodTexts(HashMap<Period, PeriodText>);

impl PeriodTexts {
    pub fn get(&mut self, p: &Period) -> &PeriodText {
        self.0.entry(*p).or_insert_with(|| PeriodText::of(p))
    }
}

/// The order [`crate::Store::observations`] lists in: by mission, indicator code, period
/// (chronologically: first day, then last day, so October 2022 before FY2023Q1 before FY2023),
/// kind (baseline, target, actual), then cell (the total first).
pub fn observation_order(a: &StoredObservation, b: &StoredObservation) -> Ordering {
    fn key(s: &StoredObservation) -> (&Slug, &IndicatorCode, Period, ObservationKind) {
        let o = &s.observation;
        (&s.mission, &o.indicator, o.period, o.kind)
    }
    key(a)
        .cmp(&key(b))
        .then_with(|| a.observation.cell.cmp(&b.observation.cell))
}

/// Puts observations in [`observation_order`]; cheap on rows the database already ordered
/// nearly so.
pub fn sort_observations(rows: &mut [StoredObservation]) {
    rows.sort_by(observation_order);
}

/// The setting of an observation that was never corrected: its current value, as it was set.
pub fn first_setting(s: &StoredObservation, reason: String) -> ObservationChange {
    let o = &s.observation;
    ObservationChange {
        mission: s.mission.clone(),
        indicator: o.indicator.clone(),
        period: o.period,
        kind: o.kind,
        cell: o.cell.clone(),
        value: o.value,
        previous: None,
        at: s.at,
        actor: s.actor.clone(),
        reason,
    }
}

/// Puts settings of values (each with its number among its observation's settings: 0 the
/// first, then one per correction) oldest first: by time, then those made at the same moment
/// (by one batch) by mission and in [`observation_order`], each observation's in turn.
pub fn sort_history(rows: &mut [(ObservationChange, u32)]) {
    fn key(c: &(ObservationChange, u32)) -> impl Ord + '_ {
        let (c, n) = c;
        (
            c.at,
            &c.mission,
            &c.indicator,
            c.period,
            c.kind,
            &c.cell,
            *n,
        )
    }
    rows.sort_by(|a, b| key(a).cmp(&key(b)));
}

/// An observation's key, borrowed.
type Key<'a> = (
    &'a Slug,
    &'a IndicatorCode,
    Period,
    ObservationKind,
    &'a BTreeMap<String, String>,
);

/// A dump's history grouped by observation, for a load: what each observation's row and
/// history rows hold.
pub struct SettingsByObservation<'a> {
    by_key: HashMap<Key<'a>, Vec<&'a ObservationChange>>,
}

/// Groups a dump's history by observation, each observation's settings in order.
pub fn settings_by_observation(dump: &Dump) -> SettingsByObservation<'_> {
    let mut by_key: HashMap<Key<'_>, Vec<&ObservationChange>> = HashMap::new();
    for c in &dump.observation_history {
        by_key
            .entry((&c.mission, &c.indicator, c.period, c.kind, &c.cell))
            .or_default()
            .push(c);
    }
    SettingsByObservation { by_key }
}

impl<'a> SettingsByObservation<'a> {
    /// The settings of one of the dump's observations.
    pub fn take(&mut self, s: &'a StoredObservation) -> Settings<'a> {
        let o = &s.observation;
        let key = (&s.mission, &o.indicator, o.period, o.kind, &o.cell);
        Settings(self.by_key.remove(&key).unwrap_or_default())
    }

    /// Refuses history left over: settings of observations the dump does not hold.
    pub fn finish(self) -> Result<(), StoreError> {
        match self.by_key.keys().min() {
            None => Ok(()),
            Some((mission, code, period, kind, _)) => Err(StoreError::Invalid(format!(
                "the dump's history names {} observation(s) it does not hold, such as {mission} {code} {period} {kind}; nothing was written",
                self.by_key.len()
            ))),
        }
    }
}

/// One observation's settings, oldest first.
pub struct Settings<'a>(Vec<&'a ObservationChange>);

impl<'a> Settings<'a> {
    /// Why the current value was set (the last setting's reason).
    pub fn reason(&self) -> &'a str {
        self.0.last().map_or("", |c| c.reason.as_str())
    }

    /// How many values the current one replaced.
    pub fn corrections(&self) -> u32 {
        u32::try_from(self.0.len().saturating_sub(1)).unwrap_or(u32::MAX)
    }

    /// The history rows, numbered: every setting of a corrected observation, none of one never
    /// corrected (its row is its one setting).
    pub fn history(&self) -> impl Iterator<Item = (u32, &'a ObservationChange)> + '_ {
        let corrected = self.0.len() > 1;
        self.0
            .iter()
            .filter(move |_| corrected)
            .enumerate()
            .map(|(n, c)| (u32::try_from(n).unwrap_or(u32::MAX), *c))
    }
}

/// The query both backends run in `integrity`: observations whose history does not end in their current value, or whose count of
/// corrections differs from their history's: at most 20.
pub const HISTORY_MISMATCH: &str = "SELECT o.mission, o.indicator, o.period, o.kind, o.cell
     FROM observations o
     WHERE o.corrections > 0
       AND ((SELECT COUNT(*) FROM observation_history h
             WHERE h.mission = o.mission AND h.indicator = o.indicator AND h.period = o.period
               AND h.kind = o.kind AND h.cell = o.cell) <> o.corrections + 1
            OR NOT EXISTS (SELECT 1 FROM observation_history h
                           WHERE h.mission = o.mission AND h.indicator = o.indicator
                             AND h.period = o.period AND h.kind = o.kind AND h.cell = o.cell
                             AND h.n = o.corrections AND h.value = o.value))
     UNION
     SELECT h.mission, h.indicator, h.period, h.kind, h.cell
     FROM observation_history h
     JOIN observations o ON h.mission = o.mission AND h.indicator = o.indicator
                        AND h.period = o.period AND h.kind = o.kind AND h.cell = o.cell
     WHERE o.corrections = 0 OR h.n > o.corrections
     ORDER BY 1, 2, 3, 4, 5
     LIMIT 20";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_and_periods_have_one_stored_form() {
        let mut cell = BTreeMap::new();
        assert_eq!(cell_text(&cell), "{}");
        assert_eq!(parse_cell("{}"), Ok(BTreeMap::new()));
        cell.insert("sex".to_string(), "female".to_string());
        cell.insert("age".to_string(), "15-29 \"youth\"".to_string());
        let text = cell_text(&cell);
        assert_eq!(text, r#"{"age":"15-29 \"youth\"","sex":"female"}"#);
        assert_eq!(parse_cell(&text), Ok(cell.clone()));
        assert!(parse_cell("sex=female").is_err());
        // The plain path writes what serde_json writes.
        for (k, v) in [
            ("sex", "female"),
            ("région", "Gao/Kidal"),
            ("a b", "x\u{7f}y"),
        ] {
            let one: BTreeMap<String, String> = [(k.to_string(), v.to_string())].into();
            assert_eq!(
                cell_text(&one),
                serde_json::to_string(&one).unwrap_or_default()
            );
        }
        cell.insert("z".into(), "tab\there".into());
        assert_eq!(
            cell_text(&cell),
            serde_json::to_string(&cell).unwrap_or_default()
        );

        let p: Period = "FY2023Q1".parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            PeriodText::of(&p),
            PeriodText {
                text: "FY2023Q1".into(),
                start: "2022-10-01".into(),
                end: "2022-12-31".into()
            }
        );
        let mut texts = PeriodTexts::default();
        assert_eq!(texts.get(&p).end, "2022-12-31");
    }
}
