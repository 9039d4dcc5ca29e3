//! The decisions every backend makes the same way inside its write transaction: whether a
//! write is stale, whether it changes anything, and what it records — for revisions, mission
//! settings, accounts and sessions, indicators, observations and milestones.

use std::collections::{BTreeMap, HashMap, HashSet};

use cairn_core::{
    Indicator, IndicatorCode, Milestone, MilestoneCode, Observation, Period, identity,
};
use chrono::{DateTime, Utc};

use crate::milestones::MilestoneChange;
use crate::{
    Commit, Conflict, Credentials, Mission, MissionChange, NewAuditEntry, NewRevision, NewSession,
    NewUser, PutSummary, Revision, RevisionInfo, Slug, StoreError, User, UserChange, UserUpdate,
    Username, content_digest, data_object, indicator_object, milestone_object, mission_object,
    revision_object, user_object,
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

/// The digest of a user's non-secret state (name, role, disabled, must-change, version), as its
/// audit entries record it. The password hash never enters it.
pub fn user_digest(u: &User) -> String {
    use sha2::{Digest, Sha256};
    let text = format!(
        "{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
        u.username, u.role, u.disabled, u.must_change_password, u.version
    );
    format!("{:x}", Sha256::digest(text.as_bytes()))
}

/// A password hash is opaque, but it must be something: one line of printable text.
fn check_hash(hash: &str) -> Result<(), StoreError> {
    if hash.trim().is_empty() || hash.chars().any(char::is_control) || hash.len() > 4096 {
        return Err(StoreError::Invalid(
            "a password hash must be one non-empty line of printable text (a PHC string); nothing was written".into(),
        ));
    }
    Ok(())
}

/// Decides the creation of an account: the stored credentials and the audit entry. `exists`
/// says whether the name is taken.
pub fn add_user(
    new: NewUser,
    exists: bool,
    now: DateTime<Utc>,
) -> Result<(Credentials, NewAuditEntry), StoreError> {
    if exists {
        return Err(StoreError::Exists(format!(
            "user {} already exists; nothing was written",
            new.username
        )));
    }
    check_hash(&new.password_hash)?;
    let user = User {
        username: new.username,
        role: new.role,
        disabled: false,
        must_change_password: new.must_change_password,
        // As stored (microseconds), so that the user returned equals the user read back.
        created_at: chrono::SubsecRound::trunc_subsecs(now, 6),
        version: 1,
    };
    let audit = NewAuditEntry {
        at: now,
        actor: new.actor,
        action: "user.add".into(),
        object: user_object(&user.username),
        before: None,
        after: Some(user_digest(&user)),
    };
    Ok((
        Credentials {
            user,
            password_hash: new.password_hash,
        },
        audit,
    ))
}

/// What a change to an account writes.
#[derive(Debug, Clone, PartialEq)]
pub struct UserChangePlan {
    /// The account after the change.
    pub credentials: Credentials,
    pub audit: NewAuditEntry,
    /// Whether every session of the user ends with it (disabled, or a new password).
    pub end_sessions: bool,
}

/// Decides a change to an account from its current row.
pub fn user_change(
    change: UserChange,
    current: Option<Credentials>,
    now: DateTime<Utc>,
) -> Result<UserChangePlan, StoreError> {
    let current = current.ok_or_else(|| StoreError::UnknownUser(change.username.clone()))?;
    if let Some(base) = change.base_version
        && base != current.user.version
    {
        return Err(StoreError::StaleUser {
            username: change.username,
            base,
            latest: current.user.version,
        });
    }
    let before = user_digest(&current.user);
    let mut next = current;
    next.user.version += 1;
    let (action, end_sessions) = match change.update {
        UserUpdate::Role(role) => {
            next.user.role = role;
            ("user.role", false)
        }
        UserUpdate::Disabled(disabled) => {
            next.user.disabled = disabled;
            if disabled {
                ("user.disable", true)
            } else {
                ("user.enable", false)
            }
        }
        UserUpdate::Password { hash, must_change } => {
            check_hash(&hash)?;
            next.password_hash = hash;
            next.user.must_change_password = must_change;
            ("user.password", true)
        }
    };
    let audit = NewAuditEntry {
        at: now,
        actor: change.actor,
        action: action.into(),
        object: user_object(&next.user.username),
        before: Some(before),
        after: Some(user_digest(&next.user)),
    };
    Ok(UserChangePlan {
        credentials: next,
        audit,
        end_sessions,
    })
}

/// Decides a sign-in: refused for an unknown or disabled user. The entry names the user, never
/// the token.
pub fn session_start(
    new: &NewSession,
    user: Option<&User>,
    now: DateTime<Utc>,
) -> Result<NewAuditEntry, StoreError> {
    match user {
        None => Err(StoreError::UnknownUser(new.username.clone())),
        Some(u) if u.disabled => Err(StoreError::Invalid(format!(
            "user {} is disabled; no session was started",
            u.username
        ))),
        Some(_) => Ok(NewAuditEntry {
            at: now,
            actor: new.username.to_string(),
            action: "session.start".into(),
            object: user_object(&new.username),
            before: None,
            after: None,
        }),
    }
}

/// The entry of a sign-out (or of ending someone's session).
pub fn session_end(username: &Username, actor: &str, now: DateTime<Utc>) -> NewAuditEntry {
    NewAuditEntry {
        at: now,
        actor: actor.to_string(),
        action: "session.end".into(),
        object: user_object(username),
        before: None,
        after: None,
    }
}

// Indicators and observations.

/// The digest of a stored thing as its audit entries record it: SHA-256 of its JSON (what the
/// store keeps).
fn json_digest(value: &impl serde::Serialize) -> String {
    use sha2::{Digest, Sha256};
    let json = serde_json::to_vec(value).unwrap_or_default();
    format!("{:x}", Sha256::digest(&json))
}

/// The digest of an indicator as its audit entries record it.
pub fn indicator_digest(indicator: &Indicator) -> String {
    json_digest(indicator)
}

/// The digest of a milestone as its audit entries record it.
pub fn milestone_digest(milestone: &Milestone) -> String {
    json_digest(milestone)
}

/// What an upsert by code (of indicators or milestones) writes.
#[derive(Debug, Clone, PartialEq)]
pub struct UpsertPlan<T> {
    /// Each thing to store, and whether it is new (else it replaces the stored one).
    pub writes: Vec<(T, bool)>,
    /// One entry per thing added or changed, in the order given.
    pub audit: Vec<NewAuditEntry>,
    pub summary: PutSummary,
}

/// What an upsert of indicators writes.
pub type IndicatorPlan = UpsertPlan<Indicator>;

/// Something a mission keeps by code, upserted and audited one by one.
trait Coded: serde::Serialize + Clone {
    type Code: Eq + std::hash::Hash + Clone;
    /// The audit actions' prefix: `indicator` → `indicator.add`, `indicator.update`.
    const KIND: &'static str;
    fn code(&self) -> &Self::Code;
    /// How audit entries name it.
    fn object(&self, mission: &Slug) -> String;
}

impl Coded for Indicator {
    type Code = IndicatorCode;
    const KIND: &'static str = "indicator";
    fn code(&self) -> &IndicatorCode {
        &self.code
    }
    fn object(&self, mission: &Slug) -> String {
        indicator_object(mission, &self.code)
    }
}

impl Coded for Milestone {
    type Code = MilestoneCode;
    const KIND: &'static str = "milestone";
    fn code(&self) -> &MilestoneCode {
        &self.code
    }
    fn object(&self, mission: &Slug) -> String {
        milestone_object(mission, &self.code)
    }
}

/// Decides an upsert by code from what the mission holds. The batch is taken in order, so a
/// code given twice is added, then updated; unchanged things write nothing. `changed` is told
/// of each addition (`before` None) and change, in order.
fn upsert<T: Coded>(
    mission: &Slug,
    current: Vec<T>,
    things: &[T],
    actor: &str,
    now: DateTime<Utc>,
    mut changed: impl FnMut(Option<&T>, &T),
) -> UpsertPlan<T> {
    let mut held: HashMap<T::Code, (T, String)> = current
        .into_iter()
        .map(|t| {
            let digest = json_digest(&t);
            (t.code().clone(), (t, digest))
        })
        .collect();
    let mut plan: UpsertPlan<T> = UpsertPlan {
        writes: Vec::new(),
        audit: Vec::new(),
        summary: PutSummary::default(),
    };
    for thing in things {
        let digest = json_digest(thing);
        let before = held.insert(thing.code().clone(), (thing.clone(), digest.clone()));
        if before.as_ref().map(|(_, d)| d.as_str()) == Some(digest.as_str()) {
            plan.summary.unchanged += 1;
            continue;
        }
        changed(before.as_ref().map(|(t, _)| t), thing);
        let create = before.is_none();
        if create {
            plan.summary.added += 1;
        } else {
            plan.summary.updated += 1;
        }
        plan.audit.push(NewAuditEntry {
            at: now,
            actor: actor.to_string(),
            action: format!("{}.{}", T::KIND, if create { "add" } else { "update" }),
            object: thing.object(mission),
            before: before.map(|(_, d)| d),
            after: Some(digest),
        });
        // A code given twice is written once, as it ends up.
        match plan
            .writes
            .iter_mut()
            .find(|(w, _)| w.code() == thing.code())
        {
            Some(w) => w.0 = thing.clone(),
            None => plan.writes.push((thing.clone(), create)),
        }
    }
    plan
}

/// Decides an upsert of a mission's indicators by code from what the mission holds (`current`,
/// None when there is no such mission). The batch is taken in order, so a code given twice is
/// added, then updated. Unchanged indicators write nothing.
pub fn put_indicators(
    mission: &Slug,
    current: Option<Vec<Indicator>>,
    indicators: &[Indicator],
    actor: &str,
    now: DateTime<Utc>,
) -> Result<IndicatorPlan, StoreError> {
    let current = current.ok_or_else(|| StoreError::UnknownMission(mission.clone()))?;
    check_batch_text(actor, "")?;
    Ok(upsert(mission, current, indicators, actor, now, |_, _| {}))
}

/// What an upsert of milestones writes: the milestones, and each status they take.
#[derive(Debug, Clone, PartialEq)]
pub struct MilestonePlan {
    pub upsert: UpsertPlan<Milestone>,
    /// Status settings to append, each with its number among its milestone's settings (0 for
    /// a new milestone's first).
    pub history: Vec<(u32, MilestoneChange)>,
}

/// Decides an upsert of a mission's milestones by code, like [`put_indicators`], from the
/// mission's milestones and how many status settings each has (`current`, None when there is
/// no such mission). A new milestone's status and every change of status are appended to the
/// history with `actor` and `now`; changes of other fields are audited only. Refuses a
/// milestone due outside years 0000 to 9999 (a CSV could not say it).
pub fn put_milestones(
    mission: &Slug,
    current: Option<(Vec<Milestone>, HashMap<MilestoneCode, u32>)>,
    milestones: &[Milestone],
    actor: &str,
    now: DateTime<Utc>,
) -> Result<MilestonePlan, StoreError> {
    let (current, mut settings) =
        current.ok_or_else(|| StoreError::UnknownMission(mission.clone()))?;
    check_batch_text(actor, "")?;
    // Title and note are stored inside the milestone's JSON, where any character is escaped.
    if let Some(m) = milestones
        .iter()
        .find(|m| !(0..=9999).contains(&chrono::Datelike::year(&m.due)))
    {
        return Err(StoreError::Invalid(format!(
            "milestone {} of mission {mission}: the due date {} is outside years 0000 to 9999; \
             nothing was written",
            m.code, m.due
        )));
    }
    let mut history = Vec::new();
    let upsert = upsert(mission, current, milestones, actor, now, |before, after| {
        let previous = before.map(|b| b.status);
        if previous == Some(after.status) {
            return;
        }
        let n = settings.entry(after.code.clone()).or_insert(0);
        history.push((
            *n,
            MilestoneChange {
                mission: mission.clone(),
                code: after.code.clone(),
                status: after.status,
                previous,
                at: now,
                actor: actor.to_string(),
            },
        ));
        *n += 1;
    });
    Ok(MilestonePlan { upsert, history })
}

/// Checks a batch of observations before anything is written: every row's mission exists
/// (`known` holds each existing mission named by the batch, with its indicator codes) and has
/// the row's indicator; values are finite; periods are in range; text holds no NUL character
/// (which PostgreSQL cannot store). The first row at fault is reported, by its 1-based number.
pub fn check_observations(
    rows: &[(Slug, Observation)],
    known: &HashMap<Slug, HashSet<IndicatorCode>>,
) -> Result<(), StoreError> {
    // Rows come in runs of one mission and indicator, and name few periods: check each once.
    let mut last: Option<(&Slug, &IndicatorCode)> = None;
    let mut periods: HashSet<Period> = HashSet::new();
    for (i, (mission, o)) in rows.iter().enumerate() {
        if last != Some((mission, &o.indicator)) {
            let codes = known
                .get(mission)
                .ok_or_else(|| StoreError::UnknownMission(mission.clone()))?;
            if !codes.contains(&o.indicator) {
                return Err(StoreError::UnknownIndicator {
                    mission: mission.clone(),
                    code: o.indicator.clone(),
                });
            }
            last = Some((mission, &o.indicator));
        }
        let row = i + 1;
        let invalid = |what: String| {
            Err(StoreError::Invalid(format!(
                "row {row} ({mission} {} {} {}): {what}; nothing was written",
                o.indicator, o.period, o.kind
            )))
        };
        if !o.value.is_finite() {
            return invalid(format!("the value {} is not a finite number", o.value));
        }
        if !periods.contains(&o.period) {
            if o.period.to_string().parse::<Period>().ok() != Some(o.period) {
                return invalid(format!(
                    "the period {} is outside FY1001 to FY9999",
                    o.period
                ));
            }
            periods.insert(o.period);
        }
        let texts = o
            .cell
            .iter()
            .flat_map(|(k, v)| [k.as_str(), v.as_str()])
            .chain(o.source.as_deref())
            .chain(o.note.as_deref());
        for text in texts {
            if text.contains('\0') {
                return invalid(format!(
                    "{text:?} contains a NUL character (\\0), which cannot be stored"
                ));
            }
        }
    }
    Ok(())
}

/// Checks the actor and reason of a batch (no NUL characters, which PostgreSQL cannot store).
pub fn check_batch_text(actor: &str, reason: &str) -> Result<(), StoreError> {
    for (what, text) in [("actor", actor), ("reason", reason)] {
        if text.contains('\0') {
            return Err(StoreError::Invalid(format!(
                "the {what} contains a NUL character (\\0), which cannot be stored; nothing was written"
            )));
        }
    }
    Ok(())
}

/// The value as stored: negative zero is zero (SQLite would read it back so).
pub fn stored_value(value: f64) -> f64 {
    value + 0.0
}

/// What one row of a batch does to its observation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ObservationWrite {
    /// A new key: stored, with a history entry without a previous value.
    Add,
    /// A different value: replaces the current one, with a history entry naming it.
    Correct { previous: f64 },
    /// The same value: nothing is written (its source and note stay as they were).
    Unchanged,
}

/// Decides one row from the key's current value (None when there is none).
pub fn observation_write(current: Option<f64>, value: f64) -> ObservationWrite {
    match current {
        None => ObservationWrite::Add,
        Some(c) if c == stored_value(value) => ObservationWrite::Unchanged,
        Some(previous) => ObservationWrite::Correct { previous },
    }
}

impl PutSummary {
    /// Counts one row's outcome.
    pub fn count(&mut self, write: ObservationWrite) {
        match write {
            ObservationWrite::Add => self.added += 1,
            ObservationWrite::Correct { .. } => self.updated += 1,
            ObservationWrite::Unchanged => self.unchanged += 1,
        }
    }
}

/// The audit side of a batch of observations: a running digest of each mission's rows (all of
/// them, in the order given), and whether any of them changed something.
#[derive(Default)]
pub struct DataDigest {
    missions: BTreeMap<Slug, (sha2::Sha256, bool)>,
}

impl DataDigest {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one row: its key in stored form, value, source and note, each length-prefixed.
    pub fn add(
        &mut self,
        mission: &Slug,
        o: &Observation,
        period: &str,
        cell: &str,
        write: ObservationWrite,
    ) {
        use sha2::Digest;
        let entry = match self.missions.get_mut(mission) {
            Some(e) => e,
            None => self
                .missions
                .entry(mission.clone())
                .or_insert_with(|| (sha2::Sha256::new(), false)),
        };
        let h = &mut entry.0;
        let fields: [Option<&[u8]>; 7] = [
            Some(o.indicator.as_str().as_bytes()),
            Some(period.as_bytes()),
            Some(o.kind.as_str().as_bytes()),
            Some(cell.as_bytes()),
            Some(&stored_value(o.value).to_bits().to_be_bytes()),
            o.source.as_deref().map(str::as_bytes),
            o.note.as_deref().map(str::as_bytes),
        ];
        for f in fields {
            match f {
                Some(b) => {
                    h.update((b.len() as u64).to_be_bytes());
                    h.update(b);
                }
                None => h.update(u64::MAX.to_be_bytes()),
            }
        }
        entry.1 |= write != ObservationWrite::Unchanged;
    }

    /// One `data.put` entry per mission whose data the batch changed, by mission.
    pub fn audit(self, actor: &str, now: DateTime<Utc>) -> Vec<NewAuditEntry> {
        use sha2::Digest;
        self.missions
            .into_iter()
            .filter(|(_, (_, changed))| *changed)
            .map(|(mission, (h, _))| NewAuditEntry {
                at: now,
                actor: actor.to_string(),
                action: "data.put".into(),
                object: data_object(&mission),
                before: None,
                after: Some(format!("{:x}", h.finalize())),
            })
            .collect()
    }
}
/// Each existing mission a batch names, with its indicator codes. `codes_of` asks the backend
/// for one mission's codes (None when the mission does not exist) and is called once per
/// mission, however often the batch names it.
pub fn known_missions<E>(
    rows: &[(Slug, Observation)],
    mut codes_of: impl FnMut(&Slug) -> Result<Option<HashSet<IndicatorCode>>, E>,
) -> Result<HashMap<Slug, HashSet<IndicatorCode>>, E> {
    let mut known: HashMap<Slug, HashSet<IndicatorCode>> = HashMap::new();
    let mut missing: HashSet<&Slug> = HashSet::new();
    let mut last: Option<&Slug> = None;
    for (mission, _) in rows {
        let seen =
            last == Some(mission) || known.contains_key(mission) || missing.contains(mission);
        last = Some(mission);
        if seen {
            continue;
        }
        match codes_of(mission)? {
            Some(codes) => {
                known.insert(mission.clone(), codes);
            }
            None => {
                missing.insert(mission);
            }
        }
    }
    Ok(known)
}
