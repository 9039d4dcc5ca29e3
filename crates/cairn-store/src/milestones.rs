//! Milestones as the store keeps them: each mission's milestones (upserted by code, like
//! indicators) and every status each has had — the first and each change, with who and when.
//! A change of status is a correction of what was reported, so the old one is kept.

use std::collections::HashMap;

use cairn_core::{Milestone, MilestoneCode, MilestoneStatus};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{Dump, Slug, StoreError};

/// A milestone with the mission it belongs to, as a dump carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredMilestone {
    pub mission: Slug,
    pub milestone: Milestone,
}

/// A setting of a milestone's status: its first (`previous` None) or a change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MilestoneChange {
    pub mission: Slug,
    pub code: MilestoneCode,
    /// The status set.
    pub status: MilestoneStatus,
    /// The status it replaced; None for the milestone's first.
    pub previous: Option<MilestoneStatus>,
    pub at: DateTime<Utc>,
    pub actor: String,
}

/// A dump's milestone history as a load writes it: each setting with its number among its
/// milestone's settings (the dump lists each milestone's oldest first). Refuses settings of a
/// milestone the dump does not hold.
pub fn numbered_history(dump: &Dump) -> Result<Vec<(u32, &MilestoneChange)>, StoreError> {
    let mut next: HashMap<(&Slug, &MilestoneCode), u32> = dump
        .milestones
        .iter()
        .map(|s| ((&s.mission, &s.milestone.code), 0))
        .collect();
    dump.milestone_history
        .iter()
        .map(|c| match next.get_mut(&(&c.mission, &c.code)) {
            Some(n) => {
                *n += 1;
                Ok((*n - 1, c))
            }
            None => Err(StoreError::Invalid(format!(
                "the dump's milestone history names milestone {} of mission {}, which it does \
                 not hold; nothing was written",
                c.code, c.mission
            ))),
        })
        .collect()
}

/// The query both backends run in `integrity`: milestones whose history does not end in their
/// current status, has gaps, or whose settings do not each name the status before as
/// `previous`: at most 20.
pub const HISTORY_MISMATCH: &str = "SELECT m.mission, m.code
     FROM milestones m
     WHERE NOT EXISTS (SELECT 1 FROM milestone_history h
                       WHERE h.mission = m.mission AND h.code = m.code AND h.status = m.status
                         AND h.n = (SELECT MAX(x.n) FROM milestone_history x
                                    WHERE x.mission = m.mission AND x.code = m.code))
        OR (SELECT COUNT(*) FROM milestone_history h
            WHERE h.mission = m.mission AND h.code = m.code)
           <> (SELECT MAX(h.n) + 1 FROM milestone_history h
               WHERE h.mission = m.mission AND h.code = m.code)
        OR EXISTS (SELECT 1 FROM milestone_history h
                   LEFT JOIN milestone_history p
                          ON p.mission = h.mission AND p.code = h.code AND p.n = h.n - 1
                   WHERE h.mission = m.mission AND h.code = m.code
                     AND h.previous IS DISTINCT FROM p.status)
     ORDER BY 1, 2
     LIMIT 20";
