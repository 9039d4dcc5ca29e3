//! Indicators and observations: reads, the batch writes, and their share of dumps and loads.
//!
//! A batch of observations is one write transaction (queued on the audit lock like every
//! other) that works through the rows in chunks of [`CHUNK`], three statements each, whatever
//! the chunk's size: one reads the current setting of every key of the chunk (arrays unnested,
//! one index lookup per key), [`plan::observation_write`] decides each row in order, then one
//! multi-row `INSERT` adds the new keys, one multi-row `UPDATE` corrects the others and one
//! multi-row `INSERT` appends the history of those corrected.

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
use postgres::{Client, GenericClient, Row};

use crate::read::{json, slug, time};
use crate::write::{append_audit, int, write};
use crate::{Error, corrupt, read};

/// Rows per round trip: large enough that the trip costs little per row, small enough that
/// the arrays stay a few megabytes.
const CHUNK: usize = 10_000;

/// A column holding a value's text form.
fn parsed<T>(r: &Row, i: usize, what: &str) -> Result<T, Error>
where
    T: FromStr,
    T::Err: Display,
{
    let s: String = r.try_get(i)?;
    s.parse().map_err(|e| corrupt(what, &s, e))
}

fn cell(r: &Row, i: usize) -> Result<std::collections::BTreeMap<String, String>, Error> {
    let s: String = r.try_get(i)?;
    parse_cell(&s).map_err(|e| corrupt("cell", &s, e))
}

pub fn indicators(c: &mut impl GenericClient, mission: &Slug) -> Result<Vec<Indicator>, Error> {
    c.query(
        "SELECT sheet FROM indicators WHERE mission = $1 ORDER BY code COLLATE \"C\"",
        &[&mission.as_str()],
    )?
    .iter()
    .map(|r| json(r, 0, "indicator"))
    .collect()
}

fn all_indicators(c: &mut impl GenericClient) -> Result<Vec<StoredIndicator>, Error> {
    c.query(
        "SELECT mission, sheet FROM indicators ORDER BY mission COLLATE \"C\", code COLLATE \"C\"",
        &[],
    )?
    .iter()
    .map(|r| {
        Ok(StoredIndicator {
            mission: slug(r, 0)?,
            indicator: json(r, 1, "indicator")?,
        })
    })
    .collect()
}

fn put_indicator(
    tx: &mut impl GenericClient,
    mission: &Slug,
    indicator: &Indicator,
    create: bool,
) -> Result<(), Error> {
    let sql = if create {
        "INSERT INTO indicators (mission, code, element, marking, sheet) VALUES ($1, $2, $3, $4, $5)"
    } else {
        "UPDATE indicators SET element = $3, marking = $4, sheet = $5 WHERE mission = $1 AND code = $2"
    };
    tx.execute(
        sql,
        &[
            &mission.as_str(),
            &indicator.code.as_str(),
            &int(indicator.element.0, "element id")?,
            &indicator.marking.as_str(),
            &crate::write::json(indicator)?,
        ],
    )?;
    Ok(())
}

pub fn put_indicators(
    client: &mut Client,
    mission: &Slug,
    list: &[Indicator],
    actor: &str,
) -> Result<PutSummary, StoreError> {
    write(client, |tx| {
        let current = match read::mission(tx, mission)? {
            Some(_) => Some(indicators(tx, mission)?),
            None => None,
        };
        let decided = plan::put_indicators(mission, current, list, actor, Utc::now())?;
        for (indicator, create) in &decided.writes {
            put_indicator(tx, mission, indicator, *create)?;
        }
        for entry in decided.audit {
            append_audit(tx, entry)?;
        }
        Ok(decided.summary)
    })
}

/// The observation columns, then `reason` (10) and `corrections` (11).
const OBSERVATION: &str =
    "SELECT mission, indicator, period, kind, cell, value, source, note, at, actor,
            reason, corrections
     FROM observations";

fn observation_row(r: &Row) -> Result<StoredObservation, Error> {
    Ok(StoredObservation {
        mission: slug(r, 0)?,
        observation: Observation {
            indicator: parsed(r, 1, "indicator code")?,
            period: parsed(r, 2, "period")?,
            kind: parsed(r, 3, "observation kind")?,
            value: r.try_get(5)?,
            cell: cell(r, 4)?,
            source: r.try_get(6)?,
            note: r.try_get(7)?,
        },
        at: time(r, 8)?,
        actor: r.try_get(9)?,
    })
}

/// [`cairn_store::monitoring::observation_order`] in SQL, but for the odd cell whose JSON text
/// orders otherwise than its map: the sort that follows then has next to nothing to do.
const IN_ORDER: &str =
    "indicator COLLATE \"C\", period_start COLLATE \"C\", period_end COLLATE \"C\",
     CASE kind WHEN 'baseline' THEN 0 WHEN 'target' THEN 1 ELSE 2 END, cell <> '{}',
     cell COLLATE \"C\"";

pub fn observations(
    c: &mut impl GenericClient,
    mission: &Slug,
) -> Result<Vec<StoredObservation>, Error> {
    let mut rows = c
        .query(
            &format!("{OBSERVATION} WHERE mission = $1 ORDER BY {IN_ORDER}"),
            &[&mission.as_str()],
        )?
        .iter()
        .map(observation_row)
        .collect::<Result<Vec<_>, _>>()?;
    sort_observations(&mut rows);
    Ok(rows)
}

const CHANGE: &str =
    "SELECT mission, indicator, period, kind, cell, value, previous, at, actor, reason, n
     FROM observation_history";

fn change_row(r: &Row) -> Result<(ObservationChange, u32), Error> {
    let n: i32 = r.try_get(10)?;
    Ok((
        ObservationChange {
            mission: slug(r, 0)?,
            indicator: parsed(r, 1, "indicator code")?,
            period: parsed(r, 2, "period")?,
            kind: parsed(r, 3, "observation kind")?,
            cell: cell(r, 4)?,
            value: r.try_get(5)?,
            previous: r.try_get(6)?,
            at: time(r, 7)?,
            actor: r.try_get(8)?,
            reason: r.try_get(9)?,
        },
        u32::try_from(n).map_err(|e| corrupt("setting number", n, e))?,
    ))
}

/// Every setting of the observations never corrected (their current value, in any order) and
/// of those corrected (their history rows matching `filter`), oldest first.
fn settings(
    c: &mut impl GenericClient,
    mut never_corrected: Vec<(ObservationChange, u32)>,
    filter: &str,
    args: &[&(dyn postgres::types::ToSql + Sync)],
) -> Result<Vec<ObservationChange>, Error> {
    for r in c.query(&format!("{CHANGE} {filter}"), args)? {
        never_corrected.push(change_row(&r)?);
    }
    sort_history(&mut never_corrected);
    Ok(never_corrected.into_iter().map(|(c, _)| c).collect())
}

pub fn observation_history(
    c: &mut impl GenericClient,
    mission: &Slug,
    indicator: &IndicatorCode,
) -> Result<Vec<ObservationChange>, Error> {
    let filter = "WHERE mission = $1 AND indicator = $2";
    let args: [&(dyn postgres::types::ToSql + Sync); 2] = [&mission.as_str(), &indicator.as_str()];
    let never_corrected = c
        .query(
            &format!(
                "{OBSERVATION} {filter} AND corrections = 0 ORDER BY at COLLATE \"C\", {IN_ORDER}"
            ),
            &args,
        )?
        .iter()
        .map(|r| Ok((first_setting(&observation_row(r)?, r.try_get(10)?), 0)))
        .collect::<Result<_, Error>>()?;
    settings(c, never_corrected, filter, &args)
}

/// Each existing mission the batch names, with its indicator codes.
fn known(
    tx: &mut impl GenericClient,
    rows: &[(Slug, Observation)],
) -> Result<HashMap<Slug, HashSet<IndicatorCode>>, Error> {
    cairn_store::plan::known_missions(rows, |mission| {
        if read::mission(tx, mission)?.is_none() {
            return Ok(None);
        }
        let codes = tx
            .query(
                "SELECT code FROM indicators WHERE mission = $1",
                &[&mission.as_str()],
            )?
            .iter()
            .map(|r| parsed(r, 0, "indicator code"))
            .collect::<Result<_, _>>()?;
        Ok(Some(codes))
    })
}

/// The observations to write, column by column, as the unnest statements take them.
#[derive(Default)]
struct Columns<'a> {
    missions: Vec<&'a str>,
    indicators: Vec<&'a str>,
    periods: Vec<String>,
    kinds: Vec<&'static str>,
    cells: Vec<String>,
    starts: Vec<String>,
    ends: Vec<String>,
    values: Vec<f64>,
    sources: Vec<Option<&'a str>>,
    notes: Vec<Option<&'a str>>,
    ats: Vec<String>,
    actors: Vec<&'a str>,
    reasons: Vec<&'a str>,
    corrections: Vec<i32>,
}

/// One observation's row.
struct Setting<'a> {
    at: String,
    actor: &'a str,
    reason: &'a str,
    corrections: i32,
}

impl<'a> Columns<'a> {
    fn with_capacity(n: usize) -> Self {
        Self {
            missions: Vec::with_capacity(n),
            indicators: Vec::with_capacity(n),
            periods: Vec::with_capacity(n),
            kinds: Vec::with_capacity(n),
            cells: Vec::with_capacity(n),
            starts: Vec::with_capacity(n),
            ends: Vec::with_capacity(n),
            values: Vec::with_capacity(n),
            sources: Vec::with_capacity(n),
            notes: Vec::with_capacity(n),
            ats: Vec::with_capacity(n),
            actors: Vec::with_capacity(n),
            reasons: Vec::with_capacity(n),
            corrections: Vec::with_capacity(n),
        }
    }

    fn push(
        &mut self,
        mission: &'a Slug,
        o: &'a Observation,
        p: &PeriodText,
        cell: String,
        value: f64,
        setting: Setting<'a>,
    ) {
        self.missions.push(mission.as_str());
        self.indicators.push(o.indicator.as_str());
        self.periods.push(p.text.clone());
        self.kinds.push(o.kind.as_str());
        self.cells.push(cell);
        self.starts.push(p.start.clone());
        self.ends.push(p.end.clone());
        self.values.push(value);
        self.sources.push(o.source.as_deref());
        self.notes.push(o.note.as_deref());
        self.ats.push(setting.at);
        self.actors.push(setting.actor);
        self.reasons.push(setting.reason);
        self.corrections.push(setting.corrections);
    }

    fn len(&self) -> usize {
        self.missions.len()
    }

    /// Inserts the rows (new keys, all of them).
    fn insert(&self, tx: &mut impl GenericClient) -> Result<(), Error> {
        if self.missions.is_empty() {
            return Ok(());
        }
        tx.execute(
            "INSERT INTO observations
                 (mission, indicator, period, kind, cell, period_start, period_end, value, source,
                  note, at, actor, reason, corrections)
             SELECT * FROM unnest($1::TEXT[], $2::TEXT[], $3::TEXT[], $4::TEXT[], $5::TEXT[],
                                  $6::TEXT[], $7::TEXT[], $8::FLOAT8[], $9::TEXT[], $10::TEXT[],
                                  $11::TEXT[], $12::TEXT[], $13::TEXT[], $14::INTEGER[])",
            &[
                &self.missions,
                &self.indicators,
                &self.periods,
                &self.kinds,
                &self.cells,
                &self.starts,
                &self.ends,
                &self.values,
                &self.sources,
                &self.notes,
                &self.ats,
                &self.actors,
                &self.reasons,
                &self.corrections,
            ],
        )?;
        Ok(())
    }

    /// Replaces the setting of keys that are there (each once).
    fn update(&self, tx: &mut impl GenericClient) -> Result<(), Error> {
        if self.missions.is_empty() {
            return Ok(());
        }
        tx.execute(
            "UPDATE observations o
             SET value = u.value, source = u.source, note = u.note, at = u.at, actor = u.actor,
                 reason = u.reason, corrections = u.corrections
             FROM unnest($1::TEXT[], $2::TEXT[], $3::TEXT[], $4::TEXT[], $5::TEXT[],
                         $6::FLOAT8[], $7::TEXT[], $8::TEXT[], $9::TEXT[], $10::TEXT[],
                         $11::TEXT[], $12::INTEGER[])
                  AS u (mission, indicator, period, kind, cell, value, source, note, at, actor,
                        reason, corrections)
             WHERE o.mission = u.mission AND o.indicator = u.indicator AND o.period = u.period
               AND o.kind = u.kind AND o.cell = u.cell",
            &[
                &self.missions,
                &self.indicators,
                &self.periods,
                &self.kinds,
                &self.cells,
                &self.values,
                &self.sources,
                &self.notes,
                &self.ats,
                &self.actors,
                &self.reasons,
                &self.corrections,
            ],
        )?;
        Ok(())
    }
}

/// History rows, column by column.
#[derive(Default)]
struct Changes<'a> {
    missions: Vec<&'a str>,
    indicators: Vec<&'a str>,
    periods: Vec<String>,
    kinds: Vec<&'static str>,
    cells: Vec<String>,
    ns: Vec<i32>,
    values: Vec<f64>,
    previous: Vec<Option<f64>>,
    ats: Vec<String>,
    actors: Vec<String>,
    reasons: Vec<String>,
}

impl<'a> Changes<'a> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        mission: &'a str,
        indicator: &'a str,
        period: &str,
        kind: &'static str,
        cell: &str,
        n: i32,
        value: f64,
        previous: Option<f64>,
        at: &str,
        actor: &str,
        reason: &str,
    ) {
        self.missions.push(mission);
        self.indicators.push(indicator);
        self.periods.push(period.to_string());
        self.kinds.push(kind);
        self.cells.push(cell.to_string());
        self.ns.push(n);
        self.values.push(value);
        self.previous.push(previous);
        self.ats.push(at.to_string());
        self.actors.push(actor.to_string());
        self.reasons.push(reason.to_string());
    }

    fn insert(&self, tx: &mut impl GenericClient) -> Result<(), Error> {
        if self.missions.is_empty() {
            return Ok(());
        }
        tx.execute(
            "INSERT INTO observation_history
                 (mission, indicator, period, kind, cell, n, value, previous, at, actor, reason)
             SELECT * FROM unnest($1::TEXT[], $2::TEXT[], $3::TEXT[], $4::TEXT[], $5::TEXT[],
                                  $6::INTEGER[], $7::FLOAT8[], $8::FLOAT8[], $9::TEXT[], $10::TEXT[],
                                  $11::TEXT[])",
            &[
                &self.missions,
                &self.indicators,
                &self.periods,
                &self.kinds,
                &self.cells,
                &self.ns,
                &self.values,
                &self.previous,
                &self.ats,
                &self.actors,
                &self.reasons,
            ],
        )?;
        Ok(())
    }
}

/// What a batch has done so far.
struct Batch {
    summary: PutSummary,
    digest: plan::DataDigest,
    periods: PeriodTexts,
}

/// An observation's key as stored: mission, indicator, period, kind, cell.
type KeyText<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str);

/// A key's setting as the database holds it.
struct Current {
    value: f64,
    at: String,
    actor: String,
    reason: String,
    corrections: i32,
}

/// One chunk of a batch: read the current settings of its keys, decide each row in order,
/// write the rows added or corrected and the history of those corrected.
fn put_chunk(
    tx: &mut impl GenericClient,
    chunk: &[(Slug, Observation)],
    at: &str,
    actor: &str,
    reason: &str,
    batch: &mut Batch,
) -> Result<(), Error> {
    let n = chunk.len();
    let cells: Vec<String> = chunk
        .iter()
        .map(|(_, o)| cell_text(&o.cell).into_owned())
        .collect();
    let periods: Vec<String> = chunk
        .iter()
        .map(|(_, o)| batch.periods.get(&o.period).text.clone())
        .collect();
    let missions: Vec<&str> = chunk.iter().map(|(m, _)| m.as_str()).collect();
    let codes: Vec<&str> = chunk.iter().map(|(_, o)| o.indicator.as_str()).collect();
    let kinds: Vec<&str> = chunk.iter().map(|(_, o)| o.kind.as_str()).collect();
    // LIMIT 1 keeps the lateral subquery a subquery: one primary-key lookup per key, whatever
    // the planner thinks of the table's size.
    let current: Vec<Option<Current>> = tx
        .query(
            "SELECT o.value, o.at, o.actor, o.reason, o.corrections
             FROM unnest($1::TEXT[], $2::TEXT[], $3::TEXT[], $4::TEXT[], $5::TEXT[])
                  WITH ORDINALITY AS k (mission, indicator, period, kind, cell, i)
             LEFT JOIN LATERAL (
                 SELECT value, at, actor, reason, corrections FROM observations o
                 WHERE o.mission = k.mission AND o.indicator = k.indicator
                   AND o.period = k.period AND o.kind = k.kind AND o.cell = k.cell
                 LIMIT 1
             ) o ON TRUE
             ORDER BY k.i",
            &[&missions, &codes, &periods, &kinds, &cells],
        )?
        .iter()
        .map(|r| {
            let value: Option<f64> = r.try_get(0)?;
            Ok(match value {
                None => None,
                Some(value) => Some(Current {
                    value,
                    at: r.try_get(1)?,
                    actor: r.try_get(2)?,
                    reason: r.try_get(3)?,
                    corrections: r.try_get(4)?,
                }),
            })
        })
        .collect::<Result<_, Error>>()?;
    if current.len() != n {
        return Err(Error::Store(StoreError::Database(format!(
            "read {} current values for {n} rows",
            current.len()
        ))));
    }
    // New keys are inserted, keys already there updated: the read above is current, as every
    // writer holds the audit lock.
    let mut adds = Columns::with_capacity(n);
    let mut fixes = Columns::default();
    let mut changes = Changes::default();
    // Keys written earlier in this chunk, by where they are (true: among `adds`): a key given
    // twice sees what its earlier row set.
    let mut written: HashMap<KeyText<'_>, (bool, usize)> = HashMap::new();
    for (i, (mission, o)) in chunk.iter().enumerate() {
        let key = (
            missions[i],
            codes[i],
            periods[i].as_str(),
            kinds[i],
            cells[i].as_str(),
        );
        let slot = written.get(&key).copied();
        let existing: Option<(f64, i32)> = match slot {
            Some((true, j)) => Some((adds.values[j], adds.corrections[j])),
            Some((false, j)) => Some((fixes.values[j], fixes.corrections[j])),
            None => current[i].as_ref().map(|c| (c.value, c.corrections)),
        };
        let value = plan::stored_value(o.value);
        let write = plan::observation_write(existing.map(|(v, _)| v), value);
        batch.summary.count(write);
        batch.digest.add(mission, o, key.2, key.4, write);
        let corrections = match (write, existing) {
            (ObservationWrite::Unchanged, _) => continue,
            (ObservationWrite::Correct { previous }, Some((current_value, corrections))) => {
                if corrections == 0 {
                    // The first correction keeps the first value in the history first: as
                    // this batch set it, or as the row holds it.
                    let (first_at, first_actor, first_reason) = match (slot, &current[i]) {
                        (None, Some(c)) => (c.at.as_str(), c.actor.as_str(), c.reason.as_str()),
                        _ => (at, actor, reason),
                    };
                    changes.push(
                        key.0,
                        key.1,
                        key.2,
                        key.3,
                        key.4,
                        0,
                        current_value,
                        None,
                        first_at,
                        first_actor,
                        first_reason,
                    );
                }
                changes.push(
                    key.0,
                    key.1,
                    key.2,
                    key.3,
                    key.4,
                    corrections + 1,
                    value,
                    Some(previous),
                    at,
                    actor,
                    reason,
                );
                corrections + 1
            }
            _ => 0,
        };
        match slot {
            Some((add, j)) => {
                let columns = if add { &mut adds } else { &mut fixes };
                columns.values[j] = value;
                columns.sources[j] = o.source.as_deref();
                columns.notes[j] = o.note.as_deref();
                columns.corrections[j] = corrections;
            }
            None => {
                let add = current[i].is_none();
                let columns = if add { &mut adds } else { &mut fixes };
                written.insert(key, (add, columns.len()));
                columns.push(
                    mission,
                    o,
                    batch.periods.get(&o.period),
                    cells[i].clone(),
                    value,
                    Setting {
                        at: at.to_string(),
                        actor,
                        reason,
                        corrections,
                    },
                );
            }
        }
    }
    adds.insert(tx)?;
    fixes.update(tx)?;
    changes.insert(tx)
}

pub fn put_observations(
    client: &mut Client,
    rows: &[(Slug, Observation)],
    actor: &str,
    reason: &str,
) -> Result<PutSummary, StoreError> {
    plan::check_batch_text(actor, reason)?;
    if rows.is_empty() {
        return Ok(PutSummary::default());
    }
    write(client, |tx| {
        plan::check_observations(rows, &known(tx, rows)?)?;
        let now = Utc::now();
        let at = canonical_time(&now);
        let mut batch = Batch {
            summary: PutSummary::default(),
            digest: plan::DataDigest::new(),
            periods: PeriodTexts::default(),
        };
        for chunk in rows.chunks(CHUNK) {
            put_chunk(tx, chunk, &at, actor, reason, &mut batch)?;
        }
        for entry in batch.digest.audit(actor, now) {
            append_audit(tx, entry)?;
        }
        Ok(batch.summary)
    })
}

pub fn integrity(c: &mut impl GenericClient, problems: &mut Vec<String>) -> Result<(), Error> {
    for r in c.query(cairn_store::monitoring::HISTORY_MISMATCH, &[])? {
        let (mission, indicator, period, kind, cell): (String, String, String, String, String) = (
            r.try_get(0)?,
            r.try_get(1)?,
            r.try_get(2)?,
            r.try_get(3)?,
            r.try_get(4)?,
        );
        problems.push(format!(
            "mission {mission}: the history of {indicator} {period} {kind} {cell} does not end in its current value"
        ));
    }
    Ok(())
}

/// The dump's indicators, observations and history, read in the caller's snapshot.
pub fn dump_into(c: &mut impl GenericClient, dump: &mut Dump) -> Result<(), Error> {
    dump.indicators = all_indicators(c)?;
    let mut rows = c
        .query(
            &format!("{OBSERVATION} ORDER BY mission COLLATE \"C\", {IN_ORDER}"),
            &[],
        )?
        .iter()
        .map(|r| {
            let corrections: i32 = r.try_get(11)?;
            Ok((
                observation_row(r)?,
                r.try_get::<_, String>(10)?,
                corrections,
            ))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    rows.sort_by(|a, b| monitoring::observation_order(&a.0, &b.0));
    let never_corrected = rows
        .iter()
        .filter(|(_, _, corrections)| *corrections == 0)
        .map(|(s, reason, _)| (first_setting(s, reason.clone()), 0))
        .collect();
    dump.observations = rows.into_iter().map(|(s, _, _)| s).collect();
    dump.observation_history = settings(c, never_corrected, "", &[])?;
    Ok(())
}

/// Writes a dump's indicators, observations and history as they are, in the caller's
/// transaction (after the missions they belong to), a chunk of rows per statement.
pub fn load_from(tx: &mut impl GenericClient, dump: &Dump) -> Result<(), Error> {
    for i in &dump.indicators {
        put_indicator(tx, &i.mission, &i.indicator, true)?;
    }
    let mut settings = monitoring::settings_by_observation(dump);
    let mut periods = PeriodTexts::default();
    for chunk in dump.observations.chunks(CHUNK) {
        let mut columns = Columns::with_capacity(chunk.len());
        let mut changes = Changes::default();
        for s in chunk {
            let o = &s.observation;
            let these = settings.take(s);
            let p = periods.get(&o.period);
            let cell = cell_text(&o.cell).into_owned();
            for (n, c) in these.history() {
                changes.push(
                    s.mission.as_str(),
                    o.indicator.as_str(),
                    &p.text,
                    o.kind.as_str(),
                    &cell,
                    int(n, "setting number")?,
                    c.value,
                    c.previous,
                    &canonical_time(&c.at),
                    &c.actor,
                    &c.reason,
                );
            }
            columns.push(
                &s.mission,
                o,
                p,
                cell,
                o.value,
                Setting {
                    at: canonical_time(&s.at),
                    actor: &s.actor,
                    reason: these.reason(),
                    corrections: int(these.corrections(), "number of corrections")?,
                },
            );
        }
        columns.insert(tx)?;
        changes.insert(tx)?;
    }
    settings.finish().map_err(Error::Store)
}
