//! Milestones and their statuses: reads, the upsert, and their share of integrity checks,
//! dumps and loads.

use std::collections::HashMap;

use cairn_core::{Milestone, MilestoneCode};
use cairn_store::audit::canonical_time;
use cairn_store::milestones::{self, MilestoneChange, StoredMilestone};
use cairn_store::{Dump, PutSummary, Slug, StoreError, plan};
use chrono::Utc;
use rusqlite::{Connection, Row, Transaction, params};

use crate::db_err;
use crate::read::{self, corrupt, json, slug, time};
use crate::write::{self, append_audit, immediate};

pub fn milestones(conn: &Connection, mission: &Slug) -> Result<Vec<Milestone>, StoreError> {
    let mut stmt = conn
        .prepare_cached("SELECT sheet FROM milestones WHERE mission = ?1 ORDER BY code")
        .map_err(db_err)?;
    let rows = stmt
        .query_map([mission.as_str()], |r| json(r, 0, "milestone"))
        .map_err(db_err)?;
    rows.collect::<Result<_, _>>().map_err(db_err)
}

fn put_milestone(
    tx: &Transaction<'_>,
    mission: &Slug,
    m: &Milestone,
    create: bool,
) -> Result<(), StoreError> {
    let sql = if create {
        "INSERT INTO milestones (mission, code, element, due, status, marking, sheet)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    } else {
        "UPDATE milestones SET element = ?3, due = ?4, status = ?5, marking = ?6, sheet = ?7
         WHERE mission = ?1 AND code = ?2"
    };
    let sheet = write::json(m)?;
    tx.prepare_cached(sql)
        .and_then(|mut stmt| {
            stmt.execute(params![
                mission.as_str(),
                m.code.as_str(),
                m.element.0,
                m.due.format("%Y-%m-%d").to_string(),
                m.status.as_str(),
                m.marking.as_str(),
                sheet,
            ])
        })
        .map_err(db_err)?;
    Ok(())
}

fn put_change(tx: &Transaction<'_>, n: u32, c: &MilestoneChange) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO milestone_history (mission, code, n, status, previous, at, actor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            c.mission.as_str(),
            c.code.as_str(),
            n,
            c.status.as_str(),
            c.previous.map(|p| p.as_str()),
            canonical_time(&c.at),
            c.actor,
        ])
    })
    .map_err(db_err)?;
    Ok(())
}

pub fn put_milestones(
    conn: &mut Connection,
    mission: &Slug,
    list: &[Milestone],
    actor: &str,
) -> Result<PutSummary, StoreError> {
    let tx = immediate(conn)?;
    let current = match read::mission(&tx, mission)? {
        Some(_) => Some((milestones(&tx, mission)?, settings(&tx, mission)?)),
        None => None,
    };
    let decided = plan::put_milestones(mission, current, list, actor, Utc::now())?;
    for (m, create) in &decided.upsert.writes {
        put_milestone(&tx, mission, m, *create)?;
    }
    for (n, change) in &decided.history {
        put_change(&tx, *n, change)?;
    }
    for entry in decided.upsert.audit {
        append_audit(&tx, entry)?;
    }
    tx.commit().map_err(db_err)?;
    Ok(decided.upsert.summary)
}

/// How many status settings each of the mission's milestones has.
fn settings(conn: &Connection, mission: &Slug) -> Result<HashMap<MilestoneCode, u32>, StoreError> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT code, COUNT(*) FROM milestone_history WHERE mission = ?1 GROUP BY code",
        )
        .map_err(db_err)?;
    let rows = stmt
        .query_map([mission.as_str()], |r| {
            let code: String = r.get(0)?;
            Ok((
                code.parse().map_err(|e| corrupt("milestone code", e))?,
                r.get(1)?,
            ))
        })
        .map_err(db_err)?;
    rows.collect::<Result<_, _>>().map_err(db_err)
}

const CHANGE: &str = "SELECT mission, code, status, previous, at, actor FROM milestone_history";

fn change_row(r: &Row) -> rusqlite::Result<MilestoneChange> {
    let previous: Option<String> = r.get(3)?;
    Ok(MilestoneChange {
        mission: slug(r, 0)?,
        code: r
            .get::<_, String>(1)?
            .parse()
            .map_err(|e| corrupt("milestone code", e))?,
        status: r
            .get::<_, String>(2)?
            .parse()
            .map_err(|e| corrupt("milestone status", e))?,
        previous: previous
            .map(|p| p.parse())
            .transpose()
            .map_err(|e| corrupt("milestone status", e))?,
        at: time(r, 4)?,
        actor: r.get(5)?,
    })
}

pub fn milestone_history(
    conn: &Connection,
    mission: &Slug,
) -> Result<Vec<MilestoneChange>, StoreError> {
    let mut stmt = conn
        .prepare_cached(&format!("{CHANGE} WHERE mission = ?1 ORDER BY code, n"))
        .map_err(db_err)?;
    let rows = stmt
        .query_map([mission.as_str()], change_row)
        .map_err(db_err)?;
    rows.collect::<Result<_, _>>().map_err(db_err)
}

pub fn integrity(conn: &Connection, problems: &mut Vec<String>) -> Result<(), StoreError> {
    let mut stmt = conn.prepare(milestones::HISTORY_MISMATCH).map_err(db_err)?;
    let rows = stmt
        .query_map([], |r| {
            Ok(format!(
                "mission {}: the history of milestone {} does not end in its current status",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?
            ))
        })
        .map_err(db_err)?;
    for row in rows {
        problems.push(row.map_err(db_err)?);
    }
    Ok(())
}

/// The dump's milestones and their history, read in the caller's transaction.
pub fn dump_into(conn: &Connection, dump: &mut Dump) -> Result<(), StoreError> {
    let mut stmt = conn
        .prepare("SELECT mission, sheet FROM milestones ORDER BY mission, code")
        .map_err(db_err)?;
    dump.milestones = stmt
        .query_map([], |r| {
            Ok(StoredMilestone {
                mission: slug(r, 0)?,
                milestone: json(r, 1, "milestone")?,
            })
        })
        .map_err(db_err)?
        .collect::<Result<_, _>>()
        .map_err(db_err)?;
    let mut stmt = conn
        .prepare(&format!("{CHANGE} ORDER BY mission, code, n"))
        .map_err(db_err)?;
    dump.milestone_history = stmt
        .query_map([], change_row)
        .map_err(db_err)?
        .collect::<Result<_, _>>()
        .map_err(db_err)?;
    Ok(())
}

/// Writes a dump's milestones and their history as they are, in the caller's transaction
/// (after the missions they belong to).
pub fn load_from(tx: &Transaction<'_>, dump: &Dump) -> Result<(), StoreError> {
    let history = milestones::numbered_history(dump)?;
    for s in &dump.milestones {
        put_milestone(tx, &s.mission, &s.milestone, true)?;
    }
    for (n, change) in history {
        put_change(tx, n, change)?;
    }
    Ok(())
}
