//! The decisions every backend makes the same way inside its write transaction: whether a
//! write is stale, whether it changes anything, and what it records.

use cairn_core::identity;
use chrono::{DateTime, Utc};

use crate::{
    Commit, Conflict, Credentials, Mission, MissionChange, NewAuditEntry, NewRevision, NewSession,
    NewUser, Revision, RevisionInfo, StoreError, User, UserChange, UserUpdate, Username,
    content_digest, mission_object, revision_object, user_object,
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
