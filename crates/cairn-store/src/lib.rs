//! Cairn's memory. Missions, their strategy revisions (immutable, numbered 1, 2, 3 … per
//! mission), accounts and their sessions, a full-text index of every mission's latest revision,
//! indicators with their baselines, targets and actuals (and every correction of them),
//! milestones with every status they have had, and an append-only, hash-chained audit trail, behind one [`Store`] trait that every backend
//! implements and proves with the [`conformance`] suite.
//!
//! The trait is synchronous: SQLite is, and callers in async code (the server) run store calls
//! on blocking threads.

pub mod accounts;
pub mod audit;
pub mod conformance;
pub mod milestones;
pub mod monitoring;
pub mod plan;
pub mod search;
mod types;

use cairn_core::{Indicator, IndicatorCode, Milestone, MilestoneCode, Observation};
use chrono::{DateTime, Utc};

pub use accounts::{
    Credentials, NewSession, NewUser, Session, User, UserChange, UserUpdate, Username,
};
pub use audit::{AuditEntry, ChainBreak, NewAuditEntry};
pub use milestones::{MilestoneChange, StoredMilestone};
pub use monitoring::{ObservationChange, PutSummary, StoredIndicator, StoredObservation};
pub use search::{Fragment, SearchHit, SearchQuery, SearchResults, terms};
pub use types::*;

/// A storage backend. Every write is one transaction that also appends its audit entry; a write
/// names the revision (or version) it was based on and is refused when someone else wrote first.
pub trait Store: Send + Sync {
    /// Creates or upgrades the schema. Refuses a database written by a newer Cairn.
    fn migrate(&self) -> Result<(), StoreError>;

    fn missions(&self) -> Result<Vec<Mission>, StoreError>;

    fn mission(&self, slug: &Slug) -> Result<Option<Mission>, StoreError>;

    /// Stores a strategy as the mission's next revision (creating the mission at its first).
    /// `base` is the revision the writer started from (None for a new mission); content equal
    /// to the latest revision is not stored again.
    fn commit(&self, new: NewRevision) -> Result<Commit, StoreError>;

    /// A revision of a mission; the latest when `rev` is None.
    fn revision(&self, slug: &Slug, rev: Option<u32>) -> Result<Option<Revision>, StoreError>;

    /// Every revision's metadata, oldest first.
    fn history(&self, slug: &Slug) -> Result<Vec<RevisionInfo>, StoreError>;

    /// Changes a mission's country or bureau; `base_version` is the version the writer read.
    fn set_mission(&self, change: MissionChange) -> Result<Mission, StoreError>;

    /// The whole audit trail, oldest first.
    fn audit_log(&self) -> Result<Vec<AuditEntry>, StoreError>;

    /// Integrity of the database itself and of its references (not the audit chain, which
    /// [`verify`] checks over [`Store::audit_log`]).
    fn integrity(&self) -> Result<Vec<String>, StoreError>;

    /// Everything the store holds but sessions, read in one consistent snapshot (writers may
    /// run meanwhile).
    fn dump(&self) -> Result<Dump, StoreError>;

    /// Loads a dump into an empty store, exactly as it was (audit entries verbatim), and builds
    /// the search index. Reads every dump format up to [`DUMP_FORMAT`].
    fn load(&self, dump: &Dump) -> Result<(), StoreError>;

    /// Every account, by name.
    fn users(&self) -> Result<Vec<User>, StoreError>;

    /// An account with its password hash (disabled ones too: the caller decides).
    fn credentials(&self, username: &Username) -> Result<Option<Credentials>, StoreError>;

    /// Creates an account at version 1 ([`StoreError::Exists`] when the name is taken).
    /// Audited `user.add`.
    fn add_user(&self, new: NewUser) -> Result<User, StoreError>;

    /// Changes an account's role, disabled flag or password over the version the writer read,
    /// bumping its version. Audited `user.role`, `user.disable`, `user.enable` or
    /// `user.password`; disabling and a new password end the user's sessions in the same
    /// transaction.
    fn change_user(&self, change: UserChange) -> Result<User, StoreError>;

    /// Records a sign-in (refused for an unknown or disabled user). Audited `session.start`.
    fn start_session(&self, new: NewSession) -> Result<(), StoreError>;

    /// The session with this token hash and its user; None when there is none or the user is
    /// disabled.
    fn session(&self, token_hash: &str) -> Result<Option<(Session, User)>, StoreError>;

    /// Marks a session as seen at `at`: one cheap statement, not audited.
    fn touch_session(&self, token_hash: &str, at: DateTime<Utc>) -> Result<(), StoreError>;

    /// Ends a session; audited `session.end` when it existed. Returns whether it existed.
    fn end_session(&self, token_hash: &str, actor: &str) -> Result<bool, StoreError>;

    /// Deletes the sessions idle since before `idle_since` or created before `created_since`,
    /// returning how many. Not audited: expiry is nobody's act.
    fn purge_sessions(
        &self,
        idle_since: DateTime<Utc>,
        created_since: DateTime<Utc>,
    ) -> Result<usize, StoreError>;

    /// Searches the latest revision of every mission: blocks holding every word of the query
    /// (stemmed), best first, then by mission and document order.
    fn search(&self, q: &SearchQuery) -> Result<SearchResults, StoreError>;

    /// A mission's indicators, by code (none for a mission that does not exist).
    fn indicators(&self, mission: &Slug) -> Result<Vec<Indicator>, StoreError>;

    /// Adds or replaces a mission's indicators by code, in one transaction
    /// ([`StoreError::UnknownMission`] when there is no such mission, and nothing is written).
    /// Each indicator added or changed is audited `indicator.add` or `indicator.update` (object
    /// `mission/<slug>/indicator/<code>`, after: the digest of its JSON); an unchanged one writes
    /// nothing.
    fn put_indicators(
        &self,
        mission: &Slug,
        indicators: &[Indicator],
        actor: &str,
    ) -> Result<PutSummary, StoreError>;

    /// A mission's observations with their current values, in
    /// [`monitoring::observation_order`]: by indicator, period (chronologically), kind
    /// (baseline, target, actual), then cell (the total first).
    fn observations(&self, mission: &Slug) -> Result<Vec<StoredObservation>, StoreError>;

    /// Stores a batch of observations in one transaction: all of it or, when any row is at fault
    /// (an unknown mission or indicator, a value that is not a finite number), none of it. Rows
    /// are keyed by mission, indicator, period, kind and cell and taken in order: a new key is
    /// added; a different value for a key is a correction, which replaces the current value and
    /// is kept in the history with the previous one, `actor` and `reason`; the same value is
    /// unchanged and writes nothing (its source and note stay). Every value set (added or
    /// corrected) is in the history. One `data.put` audit entry (object `mission/<slug>/data`,
    /// after: the digest of the batch's rows of the mission) per mission whose data changed.
    fn put_observations(
        &self,
        rows: &[(Slug, Observation)],
        actor: &str,
        reason: &str,
    ) -> Result<PutSummary, StoreError>;

    /// Every value set for an indicator's observations, oldest first (the settings one batch
    /// made, in [`monitoring::observation_order`], each observation's in turn): each first
    /// setting (`previous` None) and every correction; empty for an unknown mission or indicator.
    fn observation_history(
        &self,
        mission: &Slug,
        indicator: &IndicatorCode,
    ) -> Result<Vec<ObservationChange>, StoreError>;

    /// A mission's milestones, by code (none for a mission that does not exist).
    fn milestones(&self, mission: &Slug) -> Result<Vec<Milestone>, StoreError>;

    /// Adds or replaces a mission's milestones by code, in one transaction
    /// ([`StoreError::UnknownMission`] when there is no such mission, and nothing is written),
    /// as [`plan::put_milestones`] decides: each milestone added or changed is audited
    /// `milestone.add` or `milestone.update` (object `mission/<slug>/milestone/<code>`, after:
    /// the digest of its JSON); a new milestone's status and each change of status go to its
    /// history with `actor`; an unchanged one writes nothing.
    fn put_milestones(
        &self,
        mission: &Slug,
        milestones: &[Milestone],
        actor: &str,
    ) -> Result<PutSummary, StoreError>;

    /// Every status the mission's milestones have had, by code, each milestone's oldest first
    /// (empty for a mission that does not exist).
    fn milestone_history(&self, mission: &Slug) -> Result<Vec<MilestoneChange>, StoreError>;

    /// The name of the backend and where its data lives, with any password removed.
    fn describe(&self) -> String;
}

/// Checks the audit chain, that every revision has its entry, and that every account, indicator
/// and milestone is in the state its newest `user.*`, `indicator.*` or `milestone.*` entry
/// recorded (so a role, a reference sheet or a status changed behind the store's back is
/// noticed). Observations are covered by the chain only: their `data.put` entries digest whole
/// batches.
pub fn verify(store: &dyn Store) -> Result<Verification, StoreError> {
    let entries = store.audit_log()?;
    if let Some(b) = audit::verify_chain(&entries) {
        return Ok(Verification::Broken(b));
    }
    // The chain alone cannot show that its newest entries were cut off: every revision must be
    // accounted for by an entry whose after-digest is that revision's digest.
    let missions = store.missions()?;
    for m in &missions {
        for info in store.history(&m.slug)? {
            let object = revision_object(&m.slug, info.rev);
            let found = entries
                .iter()
                .any(|e| e.object == object && e.after.as_deref() == Some(info.digest.as_str()));
            if !found {
                return Ok(Verification::Broken(ChainBreak {
                    seq: entries.last().map_or(0, |e| e.seq) + 1,
                    reason: format!(
                        "{object} has no audit entry with its digest: entries were deleted or the revision was altered"
                    ),
                }));
            }
        }
    }
    let users = store
        .users()?
        .iter()
        .map(|u| (user_object(&u.username), plan::user_digest(u)))
        .collect();
    let mut indicators = Vec::new();
    let mut milestones = Vec::new();
    for m in &missions {
        for i in store.indicators(&m.slug)? {
            indicators.push((
                indicator_object(&m.slug, &i.code),
                plan::indicator_digest(&i),
            ));
        }
        for x in store.milestones(&m.slug)? {
            milestones.push((
                milestone_object(&m.slug, &x.code),
                plan::milestone_digest(&x),
            ));
        }
    }
    let checks = [
        (
            "user.",
            users,
            "account",
            "accounts are disabled, never deleted",
        ),
        (
            "indicator.",
            indicators,
            "indicator",
            "indicators are never deleted",
        ),
        (
            "milestone.",
            milestones,
            "milestone",
            "milestones are dropped, never deleted",
        ),
    ];
    for (prefix, current, noun, never) in checks {
        if let Some(b) = latest_states(&entries, prefix, current, noun, never) {
            return Ok(Verification::Broken(b));
        }
    }
    Ok(Verification::Intact {
        entries: entries.len(),
        head: entries.last().map(|e| e.hash.clone()),
    })
}

/// Whether each of `current` (object, digest of its state) is in the state its newest entry
/// whose action starts with `prefix` recorded, and whether every object such entries name
/// still exists; the first that is not, as a break after the last entry.
fn latest_states(
    entries: &[AuditEntry],
    prefix: &str,
    current: Vec<(String, String)>,
    noun: &str,
    never: &str,
) -> Option<ChainBreak> {
    let seq = entries.last().map_or(0, |e| e.seq) + 1;
    // Each object's newest entry, in one pass.
    let mut recorded: std::collections::BTreeMap<&str, Option<&str>> = Default::default();
    for e in entries.iter().filter(|e| e.action.starts_with(prefix)) {
        recorded.insert(e.object.as_str(), e.after.as_deref());
    }
    for (object, digest) in &current {
        if recorded.remove(object.as_str()) != Some(Some(digest.as_str())) {
            return Some(ChainBreak {
                seq,
                reason: format!(
                    "{object} is not in the state its last audit entry recorded: the {noun} was altered outside Cairn or entries were deleted"
                ),
            });
        }
    }
    recorded.keys().next().map(|object| ChainBreak {
        seq,
        reason: format!(
            "{object} has audit entries but no {noun}: it was deleted outside Cairn ({never})"
        ),
    })
}

/// How audit entries name a revision: `mission/mali/rev/3`.
pub fn revision_object(slug: &Slug, rev: u32) -> String {
    format!("mission/{slug}/rev/{rev}")
}

/// How audit entries name a mission's settings: `mission/mali`.
pub fn mission_object(slug: &Slug) -> String {
    format!("mission/{slug}")
}

/// How audit entries name an account: `user/ana`.
pub fn user_object(username: &Username) -> String {
    format!("user/{username}")
}

/// How audit entries name an indicator: `mission/mali/indicator/EG.3.2-27`.
pub fn indicator_object(slug: &Slug, code: &IndicatorCode) -> String {
    format!("mission/{slug}/indicator/{code}")
}

/// How audit entries name a milestone: `mission/mali/milestone/M-ELECTIONS`.
pub fn milestone_object(slug: &Slug, code: &MilestoneCode) -> String {
    format!("mission/{slug}/milestone/{code}")
}

/// How audit entries name a mission's observations: `mission/mali/data`.
pub fn data_object(slug: &Slug) -> String {
    format!("mission/{slug}/data")
}
