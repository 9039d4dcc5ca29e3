//! Indicators and observations: reads, the batch writes, and their share of dumps and loads.
//!
//! A batch of observations is one immediate transaction over four statements prepared once:
//! each row is first inserted with `ON CONFLICT DO NOTHING` (a new key, the common case of an
//! import, costs that one B-tree insertion: its first setting is its row); only a key already
//! there is read back, compared by [`plan::observation_write`] and, when its value differs,
//! corrected, with its history rows.

use std::collections::{HashMap, HashSet};
use std::fmt::Display;
use std::str::FromStr;

use cairn_core::{Indicator, IndicatorCode, Observation};
use cairn_store::audit::canonical_time;
use cairn_store::monitoring::{
    self, PeriodText, PeriodTexts, cell_text, first_setting, parse_cell, sort_history,
    sort_observations,
};
use cairn_store::plan::{self, ObservationWrite};
use cairn_store::{
    Dump, ObservationChange, PutSummary, Slug, StoreError, StoredIndicator, StoredObservation,
};
use chrono::Utc;
use rusqlite::{Connection, Row, Transaction, params};

use crate::db_err;
use crate::read::{self, corrupt, json, slug, time};
use crate::write::{self, append_audit, immediate};

/// A column holding a value's text form.
fn parsed<T>(r: &Row, i: usize, what: &str) -> rusqlite::Result<T>
where
    T: FromStr,
    T::Err: Display,
{
    let s: String = r.get(i)?;
    s.parse().map_err(|e| corrupt(what, e))
}

pub fn indicators(conn: &Connection, mission: &Slug) -> Result<Vec<Indicator>, StoreError> {
    let mut stmt = conn
        .prepare_cached("SELECT sheet FROM indicators WHERE mission = ?1 ORDER BY code")
        .map_err(db_err)?;
    let rows = stmt
        .query_map([mission.as_str()], |r| json(r, 0, "indicator"))
        .map_err(db_err)?;
    rows.collect::<Result<_, _>>().map_err(db_err)
}

fn all_indicators(conn: &Connection) -> Result<Vec<StoredIndicator>, StoreError> {
    let mut stmt = conn
        .prepare("SELECT mission, sheet FROM indicators ORDER BY mission, code")
        .map_err(db_err)?;
    let rows = stmt
        .query_map([], |r| {
            Ok(StoredIndicator {
                mission: slug(r, 0)?,
                indicator: json(r, 1, "indicator")?,
            })
        })
        .map_err(db_err)?;
    rows.collect::<Result<_, _>>().map_err(db_err)
}

fn put_indicator(
    tx: &Transaction<'_>,
    mission: &Slug,
    indicator: &Indicator,
    create: bool,
) -> Result<(), StoreError> {
    let sql = if create {
        "INSERT INTO indicators (mission, code, element, marking, sheet) VALUES (?1, ?2, ?3, ?4, ?5)"
    } else {
        "UPDATE indicators SET element = ?3, marking = ?4, sheet = ?5 WHERE mission = ?1 AND code = ?2"
    };
    let sheet = write::json(indicator)?;
    tx.prepare_cached(sql)
        .and_then(|mut stmt| {
            stmt.execute(params![
                mission.as_str(),
                indicator.code.as_str(),
                indicator.element.0,
                indicator.marking.as_str(),
                sheet,
            ])
        })
        .map_err(db_err)?;
    Ok(())
}

pub fn put_indicators(
    conn: &mut Connection,
    mission: &Slug,
    list: &[Indicator],
    actor: &str,
) -> Result<PutSummary, StoreError> {
    let tx = immediate(conn)?;
    let current = match read::mission(&tx, mission)? {
        Some(_) => Some(indicators(&tx, mission)?),
        None => None,
    };
    let decided = plan::put_indicators(mission, current, list, actor, Utc::now())?;
    for (indicator, create) in &decided.writes {
        put_indicator(&tx, mission, indicator, *create)?;
    }
    for entry in decided.audit {
        append_audit(&tx, entry)?;
    }
    tx.commit().map_err(db_err)?;
    Ok(decided.summary)
}

/// The observation columns, then `reason` (10) and `corrections` (11).
const OBSERVATION: &str =
    "SELECT mission, indicator, period, kind, cell, value, source, note, at, actor,
            reason, corrections
     FROM observations";

fn observation_row(r: &Row) -> rusqlite::Result<StoredObservation> {
    let cell: String = r.get(4)?;
    Ok(StoredObservation {
        mission: slug(r, 0)?,
        observation: Observation {
            indicator: parsed(r, 1, "indicator code")?,
            period: parsed(r, 2, "period")?,
            kind: parsed(r, 3, "observation kind")?,
            value: r.get(5)?,
            cell: parse_cell(&cell).map_err(|e| corrupt("cell", e))?,
            source: r.get(6)?,
            note: r.get(7)?,
        },
        at: time(r, 8)?,
        actor: r.get(9)?,
    })
}

/// [`monitoring::observation_order`] in SQL, but for the odd cell whose JSON text orders
/// otherwise than its map: the sort that follows then has next to nothing to do.
const IN_ORDER: &str = "indicator, period_start, period_end,
     CASE kind WHEN 'baseline' THEN 0 WHEN 'target' THEN 1 ELSE 2 END, cell <> '{}', cell";

pub fn observations(
    conn: &Connection,
    mission: &Slug,
) -> Result<Vec<StoredObservation>, StoreError> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "{OBSERVATION} WHERE mission = ?1 ORDER BY {IN_ORDER}"
        ))
        .map_err(db_err)?;
    let mut rows: Vec<StoredObservation> = stmt
        .query_map([mission.as_str()], observation_row)
        .map_err(db_err)?
        .collect::<Result<_, _>>()
        .map_err(db_err)?;
    sort_observations(&mut rows);
    Ok(rows)
}

const CHANGE: &str =
    "SELECT mission, indicator, period, kind, cell, value, previous, at, actor, reason, n
     FROM observation_history";

fn change_row(r: &Row) -> rusqlite::Result<(ObservationChange, u32)> {
    let cell: String = r.get(4)?;
    Ok((
        ObservationChange {
            mission: slug(r, 0)?,
            indicator: parsed(r, 1, "indicator code")?,
            period: parsed(r, 2, "period")?,
            kind: parsed(r, 3, "observation kind")?,
            cell: parse_cell(&cell).map_err(|e| corrupt("cell", e))?,
            value: r.get(5)?,
            previous: r.get(6)?,
            at: time(r, 7)?,
            actor: r.get(8)?,
            reason: r.get(9)?,
        },
        r.get(10)?,
    ))
}

/// An observation with why its current value was set and how many it replaced.
fn observation_setting_row(r: &Row) -> rusqlite::Result<(StoredObservation, String, u32)> {
    Ok((observation_row(r)?, r.get(10)?, r.get(11)?))
}

/// Every setting of the observations never corrected (their current value, in any order) and
/// of those corrected (their history rows matching `filter`), oldest first.
fn settings(
    conn: &Connection,
    mut never_corrected: Vec<(ObservationChange, u32)>,
    filter: &str,
    args: &[&str],
) -> Result<Vec<ObservationChange>, StoreError> {
    let mut stmt = conn
        .prepare_cached(&format!("{CHANGE} {filter}"))
        .map_err(db_err)?;
    let history = stmt
        .query_map(rusqlite::params_from_iter(args), change_row)
        .map_err(db_err)?;
    for row in history {
        never_corrected.push(row.map_err(db_err)?);
    }
    sort_history(&mut never_corrected);
    Ok(never_corrected.into_iter().map(|(c, _)| c).collect())
}

pub fn observation_history(
    conn: &Connection,
    mission: &Slug,
    indicator: &IndicatorCode,
) -> Result<Vec<ObservationChange>, StoreError> {
    let filter = "WHERE mission = ?1 AND indicator = ?2";
    let args = [mission.as_str(), indicator.as_str()];
    let mut stmt = conn
        .prepare_cached(&format!(
            "{OBSERVATION} {filter} AND corrections = 0 ORDER BY at, {IN_ORDER}"
        ))
        .map_err(db_err)?;
    let never_corrected = stmt
        .query_map(args, |r| {
            Ok((first_setting(&observation_row(r)?, r.get(10)?), 0))
        })
        .map_err(db_err)?
        .collect::<Result<_, _>>()
        .map_err(db_err)?;
    settings(conn, never_corrected, filter, &args)
}

/// Each existing mission the batch names, with its indicator codes.
fn known(
    tx: &Transaction<'_>,
    rows: &[(Slug, Observation)],
) -> Result<HashMap<Slug, HashSet<IndicatorCode>>, StoreError> {
    cairn_store::plan::known_missions(rows, |mission| {
        if read::mission(tx, mission)?.is_none() {
            return Ok(None);
        }
        let mut stmt = tx
            .prepare_cached("SELECT code FROM indicators WHERE mission = ?1")
            .map_err(db_err)?;
        let codes = stmt
            .query_map([mission.as_str()], |r| parsed(r, 0, "indicator code"))
            .map_err(db_err)?
            .collect::<Result<_, _>>()
            .map_err(db_err)?;
        Ok(Some(codes))
    })
}

const INSERT_OBSERVATION: &str = "INSERT INTO observations
         (mission, indicator, period, kind, cell, period_start, period_end, value, source, note,
          at, actor, reason, corrections)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";

const INSERT_CHANGE: &str = "INSERT INTO observation_history
         (mission, indicator, period, kind, cell, n, value, previous, at, actor, reason)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

/// What a prepared statement holds bound for the key (parameters 1 to 5: mission, indicator,
/// period, kind, cell) and, with `dates`, the period's first and last day (6, 7). Bindings
/// persist from one execution to the next, and a batch is runs of one mission, indicator,
/// period and kind: a row binds only what differs from the statement's previous row (each
/// binding of text is a copy).
struct KeyBinding<'a> {
    mission: Option<&'a Slug>,
    last: Option<&'a Observation>,
    dates: bool,
}

impl<'a> KeyBinding<'a> {
    fn new(dates: bool) -> Self {
        Self {
            mission: None,
            last: None,
            dates,
        }
    }

    fn bind(
        &mut self,
        stmt: &mut rusqlite::Statement<'_>,
        mission: &'a Slug,
        o: &'a Observation,
        p: &PeriodText,
        cell: &str,
    ) -> rusqlite::Result<()> {
        if self.mission != Some(mission) {
            stmt.raw_bind_parameter(1, mission.as_str())?;
        }
        let last = self.last;
        if last.is_none_or(|l| l.indicator != o.indicator) {
            stmt.raw_bind_parameter(2, o.indicator.as_str())?;
        }
        if last.is_none_or(|l| l.period != o.period) {
            stmt.raw_bind_parameter(3, p.text.as_str())?;
            if self.dates {
                stmt.raw_bind_parameter(6, p.start.as_str())?;
                stmt.raw_bind_parameter(7, p.end.as_str())?;
            }
        }
        if last.is_none_or(|l| l.kind != o.kind) {
            stmt.raw_bind_parameter(4, o.kind.as_str())?;
        }
        if last.is_none_or(|l| l.cell != o.cell) {
            stmt.raw_bind_parameter(5, cell)?;
        }
        self.mission = Some(mission);
        self.last = Some(o);
        Ok(())
    }
}

pub fn put_observations(
    conn: &mut Connection,
    rows: &[(Slug, Observation)],
    actor: &str,
    reason: &str,
) -> Result<PutSummary, StoreError> {
    plan::check_batch_text(actor, reason)?;
    if rows.is_empty() {
        return Ok(PutSummary::default());
    }
    let tx = immediate(conn)?;
    plan::check_observations(rows, &known(&tx, rows)?)?;
    let now = Utc::now();
    let at = canonical_time(&now);
    let mut summary = PutSummary::default();
    let mut digest = plan::DataDigest::new();
    let mut periods = PeriodTexts::default();
    {
        let mut insert = tx
            .prepare_cached(&format!("{INSERT_OBSERVATION} ON CONFLICT DO NOTHING"))
            .map_err(db_err)?;
        // The batch's own columns, bound once.
        for (i, v) in [(11, at.as_str()), (12, actor), (13, reason)] {
            insert.raw_bind_parameter(i, v).map_err(db_err)?;
        }
        insert.raw_bind_parameter(14, 0).map_err(db_err)?;
        let mut current = tx
            .prepare_cached(
                "SELECT value, corrections FROM observations
                 WHERE mission = ?1 AND indicator = ?2 AND period = ?3 AND kind = ?4 AND cell = ?5",
            )
            .map_err(db_err)?;
        // The first setting of a value corrected for the first time, copied as it stands.
        let mut keep_first = tx
            .prepare_cached(
                "INSERT INTO observation_history
                     (mission, indicator, period, kind, cell, n, value, previous, at, actor, reason)
                 SELECT mission, indicator, period, kind, cell, 0, value, NULL, at, actor, reason
                 FROM observations
                 WHERE mission = ?1 AND indicator = ?2 AND period = ?3 AND kind = ?4 AND cell = ?5",
            )
            .map_err(db_err)?;
        let mut correct = tx
            .prepare_cached(
                "UPDATE observations SET value = ?6, source = ?7, note = ?8, at = ?9, actor = ?10,
                     reason = ?11, corrections = ?12
                 WHERE mission = ?1 AND indicator = ?2 AND period = ?3 AND kind = ?4 AND cell = ?5",
            )
            .map_err(db_err)?;
        let mut history = tx.prepare_cached(INSERT_CHANGE).map_err(db_err)?;
        let (mut inserting, mut reading) = (KeyBinding::new(true), KeyBinding::new(false));
        let mut last: Option<&Observation> = None;
        let mut cell = cell_text(&rows[0].1.cell);
        for (mission, o) in rows {
            let p = periods.get(&o.period);
            if last.is_some_and(|l| l.cell != o.cell) {
                cell = cell_text(&o.cell);
            }
            let value = plan::stored_value(o.value);
            // A new key (the common case of an import) is one insertion; only a key already
            // there is read back.
            inserting
                .bind(&mut insert, mission, o, p, &cell)
                .and_then(|()| insert.raw_bind_parameter(8, value))
                .map_err(db_err)?;
            if last.is_none_or(|l| l.source != o.source) {
                insert
                    .raw_bind_parameter(9, o.source.as_deref())
                    .map_err(db_err)?;
            }
            if last.is_none_or(|l| l.note != o.note) {
                insert
                    .raw_bind_parameter(10, o.note.as_deref())
                    .map_err(db_err)?;
            }
            last = Some(o);
            let inserted = insert.raw_execute().map_err(db_err)?;
            let existing: Option<(f64, u32)> = if inserted == 1 {
                None
            } else {
                reading
                    .bind(&mut current, mission, o, p, &cell)
                    .map_err(db_err)?;
                let mut found = current.raw_query();
                let row = found.next().map_err(db_err)?.ok_or_else(|| {
                    StoreError::Database("an observation vanished while being written".into())
                })?;
                Some((row.get(0).map_err(db_err)?, row.get(1).map_err(db_err)?))
            };
            let write = plan::observation_write(existing.map(|(v, _)| v), value);
            if let (ObservationWrite::Correct { previous }, Some((_, corrections))) =
                (write, existing)
            {
                let (m, code, kind) = (mission.as_str(), o.indicator.as_str(), o.kind.as_str());
                if corrections == 0 {
                    keep_first
                        .execute(params![m, code, p.text, kind, cell])
                        .map_err(db_err)?;
                }
                let n = corrections + 1;
                history
                    .execute(params![
                        m, code, p.text, kind, cell, n, value, previous, at, actor, reason
                    ])
                    .map_err(db_err)?;
                correct
                    .execute(params![
                        m, code, p.text, kind, cell, value, o.source, o.note, at, actor, reason, n
                    ])
                    .map_err(db_err)?;
            }
            summary.count(write);
            digest.add(mission, o, &p.text, &cell, write);
        }
    }
    for entry in digest.audit(actor, now) {
        append_audit(&tx, entry)?;
    }
    tx.commit().map_err(db_err)?;
    Ok(summary)
}

pub fn integrity(conn: &Connection, problems: &mut Vec<String>) -> Result<(), StoreError> {
    let mut stmt = conn
        .prepare(cairn_store::monitoring::HISTORY_MISMATCH)
        .map_err(db_err)?;
    let rows = stmt
        .query_map([], |r| {
            Ok(format!(
                "mission {}: the history of {} {} {} {} does not end in its current value",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?
            ))
        })
        .map_err(db_err)?;
    for row in rows {
        problems.push(row.map_err(db_err)?);
    }
    Ok(())
}

/// The dump's indicators, observations and history, read in the caller's transaction.
pub fn dump_into(conn: &Connection, dump: &mut Dump) -> Result<(), StoreError> {
    dump.indicators = all_indicators(conn)?;
    let mut stmt = conn
        .prepare(&format!("{OBSERVATION} ORDER BY mission, {IN_ORDER}"))
        .map_err(db_err)?;
    let mut rows: Vec<(StoredObservation, String, u32)> = stmt
        .query_map([], observation_setting_row)
        .map_err(db_err)?
        .collect::<Result<_, _>>()
        .map_err(db_err)?;
    rows.sort_by(|a, b| monitoring::observation_order(&a.0, &b.0));
    let never_corrected = rows
        .iter()
        .filter(|(_, _, corrections)| *corrections == 0)
        .map(|(s, reason, _)| (first_setting(s, reason.clone()), 0))
        .collect();
    dump.observations = rows.into_iter().map(|(s, _, _)| s).collect();
    dump.observation_history = settings(conn, never_corrected, "", &[])?;
    Ok(())
}

/// Writes a dump's indicators, observations and history as they are, in the caller's
/// transaction (after the missions they belong to).
pub fn load_from(tx: &Transaction<'_>, dump: &Dump) -> Result<(), StoreError> {
    for i in &dump.indicators {
        put_indicator(tx, &i.mission, &i.indicator, true)?;
    }
    let mut settings = monitoring::settings_by_observation(dump);
    let mut periods = PeriodTexts::default();
    let mut insert = tx.prepare_cached(INSERT_OBSERVATION).map_err(db_err)?;
    let mut history = tx.prepare_cached(INSERT_CHANGE).map_err(db_err)?;
    for s in &dump.observations {
        let o = &s.observation;
        let p = periods.get(&o.period);
        let cell = cell_text(&o.cell);
        let (m, code, kind) = (s.mission.as_str(), o.indicator.as_str(), o.kind.as_str());
        let these = settings.take(s);
        insert
            .execute(params![
                m,
                code,
                p.text,
                kind,
                cell,
                p.start,
                p.end,
                o.value,
                o.source,
                o.note,
                canonical_time(&s.at),
                s.actor,
                these.reason(),
                these.corrections()
            ])
            .map_err(db_err)?;
        for (n, c) in these.history() {
            history
                .execute(params![
                    m,
                    code,
                    p.text,
                    kind,
                    cell,
                    n,
                    c.value,
                    c.previous,
                    canonical_time(&c.at),
                    c.actor,
                    c.reason
                ])
                .map_err(db_err)?;
        }
    }
    settings.finish()
}
