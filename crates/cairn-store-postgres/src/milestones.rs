//! Milestones and their statuses: reads, the upsert, and their share of integrity checks,
//! dumps and loads.

use std::collections::HashMap;

use cairn_core::{Milestone, MilestoneCode, MilestoneStatus};
use cairn_store::audit::canonical_time;
use cairn_store::milestones::{self, MilestoneChange, StoredMilestone};
use cairn_store::{Dump, PutSummary, Slug, StoreError, plan};
use chrono::Utc;
use postgres::{Client, GenericClient, Row};

use crate::read::{json, slug, time};
use crate::write::{append_audit, int, storable, write};
use crate::{Error, corrupt, read};

pub fn milestones(c: &mut impl GenericClient, mission: &Slug) -> Result<Vec<Milestone>, Error> {
    c.query(
        "SELECT sheet FROM milestones WHERE mission = $1 ORDER BY code COLLATE \"C\"",
        &[&mission.as_str()],
    )?
    .iter()
    .map(|r| json(r, 0, "milestone"))
    .collect()
}

fn put_milestone(
    tx: &mut impl GenericClient,
    mission: &Slug,
    m: &Milestone,
    create: bool,
) -> Result<(), Error> {
    let sql = if create {
        "INSERT INTO milestones (mission, code, element, due, status, marking, sheet)
         VALUES ($1, $2, $3, $4, $5, $6, $7)"
    } else {
        "UPDATE milestones SET element = $3, due = $4, status = $5, marking = $6, sheet = $7
         WHERE mission = $1 AND code = $2"
    };
    tx.execute(
        sql,
        &[
            &mission.as_str(),
            &m.code.as_str(),
            &int(m.element.0, "element id")?,
            &m.due.format("%Y-%m-%d").to_string(),
            &m.status.as_str(),
            &m.marking.as_str(),
            &crate::write::json(m)?,
        ],
    )?;
    Ok(())
}

fn put_change(tx: &mut impl GenericClient, n: u32, c: &MilestoneChange) -> Result<(), Error> {
    storable(&[("actor", Some(&c.actor))])?;
    tx.execute(
        "INSERT INTO milestone_history (mission, code, n, status, previous, at, actor)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            &c.mission.as_str(),
            &c.code.as_str(),
            &int(n, "setting number")?,
            &c.status.as_str(),
            &c.previous.map(|p| p.as_str()),
            &canonical_time(&c.at),
            &c.actor,
        ],
    )?;
    Ok(())
}

/// How many status settings each of the mission's milestones has.
fn settings(
    c: &mut impl GenericClient,
    mission: &Slug,
) -> Result<HashMap<MilestoneCode, u32>, Error> {
    c.query(
        "SELECT code, COUNT(*)::INTEGER FROM milestone_history WHERE mission = $1 GROUP BY code",
        &[&mission.as_str()],
    )?
    .iter()
    .map(|r| {
        let code: String = r.try_get(0)?;
        let n: i32 = r.try_get(1)?;
        Ok((
            code.parse()
                .map_err(|e| corrupt("milestone code", &code, e))?,
            u32::try_from(n).map_err(|e| corrupt("count", n, e))?,
        ))
    })
    .collect()
}

pub fn put_milestones(
    client: &mut Client,
    mission: &Slug,
    list: &[Milestone],
    actor: &str,
) -> Result<PutSummary, StoreError> {
    write(client, |tx| {
        let current = match read::mission(tx, mission)? {
            Some(_) => Some((milestones(tx, mission)?, settings(tx, mission)?)),
            None => None,
        };
        let decided = plan::put_milestones(mission, current, list, actor, Utc::now())?;
        for (m, create) in &decided.upsert.writes {
            put_milestone(tx, mission, m, *create)?;
        }
        for (n, change) in &decided.history {
            put_change(tx, *n, change)?;
        }
        for entry in decided.upsert.audit {
            append_audit(tx, entry)?;
        }
        Ok(decided.upsert.summary)
    })
}

const CHANGE: &str = "SELECT mission, code, status, previous, at, actor FROM milestone_history";

fn status(text: String) -> Result<MilestoneStatus, Error> {
    text.parse()
        .map_err(|e| corrupt("milestone status", &text, e))
}

fn change_row(r: &Row) -> Result<MilestoneChange, Error> {
    let code: String = r.try_get(1)?;
    Ok(MilestoneChange {
        mission: slug(r, 0)?,
        code: code
            .parse()
            .map_err(|e| corrupt("milestone code", &code, e))?,
        status: status(r.try_get(2)?)?,
        previous: r.try_get::<_, Option<String>>(3)?.map(status).transpose()?,
        at: time(r, 4)?,
        actor: r.try_get(5)?,
    })
}

pub fn milestone_history(
    c: &mut impl GenericClient,
    mission: &Slug,
) -> Result<Vec<MilestoneChange>, Error> {
    c.query(
        &format!("{CHANGE} WHERE mission = $1 ORDER BY code COLLATE \"C\", n"),
        &[&mission.as_str()],
    )?
    .iter()
    .map(change_row)
    .collect()
}

pub fn integrity(c: &mut impl GenericClient, problems: &mut Vec<String>) -> Result<(), Error> {
    for r in c.query(milestones::HISTORY_MISMATCH, &[])? {
        let (mission, code): (String, String) = (r.try_get(0)?, r.try_get(1)?);
        problems.push(format!(
            "mission {mission}: the history of milestone {code} does not end in its current status"
        ));
    }
    Ok(())
}

/// The dump's milestones and their history, read in the caller's snapshot.
pub fn dump_into(c: &mut impl GenericClient, dump: &mut Dump) -> Result<(), Error> {
    dump.milestones = c
        .query(
            "SELECT mission, sheet FROM milestones
             ORDER BY mission COLLATE \"C\", code COLLATE \"C\"",
            &[],
        )?
        .iter()
        .map(|r| {
            Ok(StoredMilestone {
                mission: slug(r, 0)?,
                milestone: json(r, 1, "milestone")?,
            })
        })
        .collect::<Result<_, Error>>()?;
    dump.milestone_history = c
        .query(
            &format!("{CHANGE} ORDER BY mission COLLATE \"C\", code COLLATE \"C\", n"),
            &[],
        )?
        .iter()
        .map(change_row)
        .collect::<Result<_, _>>()?;
    Ok(())
}

/// Writes a dump's milestones and their history as they are, in the caller's transaction
/// (after the missions they belong to).
pub fn load_from(tx: &mut impl GenericClient, dump: &Dump) -> Result<(), Error> {
    let history = milestones::numbered_history(dump)?;
    for s in &dump.milestones {
        put_milestone(tx, &s.mission, &s.milestone, true)?;
    }
    for (n, change) in history {
        put_change(tx, n, change)?;
    }
    Ok(())
}
