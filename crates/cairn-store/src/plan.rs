//! The decisions every backend makes the same way inside its write transaction: whether a
//! write is stale, whether it changes anything, and what it records.

use cairn_core::identity;
use chrono::{DateTime, Utc};

use crate::{
    Commit, Conflict, Mission, MissionChange, NewAuditEntry, NewRevision, Revision, RevisionInfo,
    StoreError, content_digest, mission_object, revision_object,
};

/// What a commit writes, decided from what the transaction read.
#[derive(Debug, Clone, PartialEq)]
pub enum CommitPlan {
    NoChange {
        rev: u32,
    },
    Write {
        /// The mission row after the write.
        mission: Box<Mission>,
        /// True when the mission is created by this write.
        create: bool,
        revision: Box<Revision>,
        audit: NewAuditEntry,
    },
}

impl CommitPlan {
    pub fn outcome(&self) -> Commit {
        match self {
            Self::NoChange { rev } => Commit::NoChange { rev: *rev },
            Self::Write { revision, .. } => Commit::Created { rev: revision.rev },
        }
    }
}

/// Decides a commit. `mission` and `latest` are the rows as the transaction sees them,
/// `restored` the revision a revert brings back; `since` lists the revisions after a stale
/// base, for the conflict report.
pub fn commit(
    new: NewRevision,
    mission: Option<Mission>,
    latest: Option<&Revision>,
    restored: Option<&Revision>,
    since: impl FnOnce(u32) -> Result<Vec<RevisionInfo>, StoreError>,
    now: DateTime<Utc>,
) -> Result<CommitPlan, StoreError> {
    let latest_rev = mission.as_ref().map_or(0, |m| m.latest_rev);
    match (&mission, new.base) {
        (None, Some(_)) => return Err(StoreError::UnknownMission(new.slug)),
        (Some(_), base) if base != Some(latest_rev) => {
            let since = match base {
                Some(b) if b < latest_rev => since(b)?,
                Some(b) => {
                    return Err(StoreError::Invalid(format!(
                        "mission {} has no revision {b} to build on (it is at revision {latest_rev})",
                        new.slug
                    )));
                }
                None => Vec::new(),
            };
            return Err(StoreError::Conflict(Box::new(Conflict {
                slug: new.slug,
                base,
                latest: latest_rev,
                since,
            })));
        }
        _ => {}
    }
    let digest = content_digest(&new.strategy);
    if let Some(l) = latest
        && l.digest == digest
    {
        return Ok(CommitPlan::NoChange { rev: l.rev });
    }
    let rev = latest_rev + 1;
    // A revert continues the restored revision's elements, so what was attached to them comes
    // back; ids handed out since stay retired.
    let continues = restored.or(latest);
    let mut identity =
        identity::carry(continues.map(|l| (&l.strategy, &l.identity)), &new.strategy);
    if let Some(l) = latest {
        identity.next = identity.next.max(l.identity.next_free().0);
    }
    let create = mission.is_none();
    let mission = match mission {
        Some(m) => Mission {
            latest_rev: rev,
            ..m
        },
        None => Mission {
            slug: new.slug.clone(),
            country: new.country.clone().or_else(|| new.strategy.country.clone()),
            bureau: new.bureau.clone(),
            created_at: now,
            version: 1,
            latest_rev: rev,
        },
    };
    let audit = NewAuditEntry {
        at: now,
        actor: new.actor.clone(),
        action: new.action.as_str().to_string(),
        object: revision_object(&new.slug, rev),
        before: latest.map(|l| l.digest.clone()),
        after: Some(digest.clone()),
    };
    Ok(CommitPlan::Write {
        mission: Box::new(mission),
        create,
        revision: Box::new(Revision {
            slug: new.slug,
            rev,
            at: now,
            actor: new.actor,
            message: new.message,
            source: new.source,
            strategy: new.strategy,
            identity,
            digest,
        }),
        audit,
    })
}

/// Decides a change of settings: the mission after it and its audit entry.
pub fn mission_change(
    change: MissionChange,
    current: Option<Mission>,
    last_actor: impl FnOnce() -> String,
    now: DateTime<Utc>,
) -> Result<(Mission, NewAuditEntry), StoreError> {
    let current = current.ok_or_else(|| StoreError::UnknownMission(change.slug.clone()))?;
    if let Some(base) = change.base_version
        && base != current.version
    {
        return Err(StoreError::StaleSettings {
            slug: change.slug,
            base,
            latest: current.version,
            actor: last_actor(),
        });
    }
    let before = settings_digest(&current);
    let next = Mission {
        country: change.country.or(current.country.clone()),
        bureau: change.bureau.or(current.bureau.clone()),
        version: current.version + 1,
        ..current
    };
    let audit = NewAuditEntry {
        at: now,
        actor: change.actor,
        action: "mission.set".into(),
        object: mission_object(&next.slug),
        before: Some(before),
        after: Some(settings_digest(&next)),
    };
    Ok((next, audit))
}

/// The digest of a mission's settings, as its audit entries record them.
pub fn settings_digest(m: &Mission) -> String {
    use sha2::{Digest, Sha256};
    let text = format!(
        "{}\u{1f}{}\u{1f}{}",
        m.slug,
        m.country.as_deref().unwrap_or(""),
        m.bureau.as_deref().unwrap_or("")
    );
    format!("{:x}", Sha256::digest(text.as_bytes()))
}
