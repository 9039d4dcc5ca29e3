//! What the store keeps and the errors it reports.

use std::fmt;

use cairn_core::{Identity, Strategy};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::Username;
use crate::accounts::Credentials;
use crate::audit::ChainBreak;
use crate::milestones::{MilestoneChange, StoredMilestone};
use crate::monitoring::{ObservationChange, StoredIndicator, StoredObservation};

/// A mission's short name: lower-case letters, digits and hyphens (`mali`, `burkina-faso`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
    pub fn parse(s: &str) -> Result<Self, StoreError> {
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-');
        if ok {
            Ok(Self(s.to_string()))
        } else {
            Err(StoreError::Invalid(format!(
                "{s:?} is not a mission slug: expected lower-case letters, digits and hyphens, e.g. mali or burkina-faso"
            )))
        }
    }

    /// The slug a country's name suggests: "Burkina Faso" → `burkina-faso`, "Côte d'Ivoire" →
    /// `cote-divoire`.
    pub fn from_country(country: &str) -> Result<Self, StoreError> {
        let mut out = String::new();
        for c in country.chars() {
            let c = fold_accent(c).to_ascii_lowercase();
            if c.is_ascii_alphanumeric() {
                out.push(c);
            } else if (c.is_whitespace() || c == '-') && !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        Self::parse(out.trim_end_matches('-'))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'Ô' | 'Ó' | 'Ò' => 'o',
        'É' | 'È' => 'e',
        _ => c,
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Slug {
    type Error = StoreError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Slug> for String {
    fn from(s: Slug) -> Self {
        s.0
    }
}

/// A mission and its settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mission {
    pub slug: Slug,
    pub country: Option<String>,
    /// Regional bureau code (`AF`).
    pub bureau: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Increases with every change of the settings; a writer names the version it read.
    pub version: u32,
    /// The newest revision's number.
    pub latest_rev: u32,
}

/// What kind of write produced a revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Import,
    Edit,
    /// Restores an earlier revision's content; its elements get back that revision's ids.
    Revert {
        to: u32,
    },
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Import => "import",
            Self::Edit => "edit",
            Self::Revert { .. } => "revert",
        }
    }
}

/// A strategy to store as a mission's next revision.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRevision {
    pub slug: Slug,
    /// Settings for a mission created by this revision (ignored for an existing mission).
    pub country: Option<String>,
    pub bureau: Option<String>,
    /// The revision the writer started from; None when creating the mission.
    pub base: Option<u32>,
    pub actor: String,
    pub action: Action,
    pub message: String,
    /// The document as read (text), so that findings keep pointing at its lines.
    pub source: String,
    pub strategy: Strategy,
}

/// What a commit did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Commit {
    Created {
        rev: u32,
    },
    /// The content equals the latest revision's: nothing was written.
    NoChange {
        rev: u32,
    },
}

/// A stored revision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revision {
    pub slug: Slug,
    pub rev: u32,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub message: String,
    pub source: String,
    pub strategy: Strategy,
    pub identity: Identity,
    pub digest: String,
}

/// A revision's metadata, as `history` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevisionInfo {
    pub rev: u32,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub message: String,
    pub digest: String,
}

/// A change of a mission's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct MissionChange {
    pub slug: Slug,
    /// The settings version the writer read; None to take the latest (a trusted local operator).
    pub base_version: Option<u32>,
    pub country: Option<String>,
    pub bureau: Option<String>,
    pub actor: String,
}

/// Who changed what since the revision a stale writer started from.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub slug: Slug,
    pub base: Option<u32>,
    pub latest: u32,
    pub since: Vec<RevisionInfo>,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.base {
            None => write!(
                f,
                "mission {} already exists (revision {})",
                self.slug, self.latest
            )?,
            Some(b) => write!(
                f,
                "mission {} changed since revision {b}: it is at revision {}",
                self.slug, self.latest
            )?,
        }
        for r in &self.since {
            write!(
                f,
                "; rev {} by {} at {}: {:?}",
                r.rev,
                r.actor,
                r.at.to_rfc3339(),
                r.message
            )?;
        }
        write!(f, "; nothing was written")
    }
}

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no mission {0}")]
    UnknownMission(Slug),
    #[error("mission {mission} has no indicator {code}; nothing was written")]
    UnknownIndicator {
        mission: Slug,
        code: cairn_core::IndicatorCode,
    },
    #[error("mission {slug} has no revision {rev}")]
    UnknownRevision { slug: Slug, rev: u32 },
    #[error("{0}")]
    Conflict(Box<Conflict>),
    #[error(
        "mission {slug} settings changed since version {base}: they are at version {latest}, changed by {actor}; nothing was written"
    )]
    StaleSettings {
        slug: Slug,
        base: u32,
        latest: u32,
        actor: String,
    },
    #[error("{0}")]
    Exists(String),
    #[error("no user {0}")]
    UnknownUser(Username),
    #[error(
        "user {username} changed since version {base}: it is at version {latest}; nothing was written"
    )]
    StaleUser {
        username: Username,
        base: u32,
        latest: u32,
    },
    #[error(
        "the database was written by a newer Cairn (schema version {found}; this build knows up to {known}): upgrade Cairn to open it"
    )]
    TooNew { found: u32, known: u32 },
    #[error("{0}")]
    Invalid(String),
    #[error("cannot open {url}: {reason}")]
    Unavailable { url: String, reason: String },
    #[error("database error: {0}")]
    Database(String),
}

impl StoreError {
    /// Whether the writer's input is at fault (stale, invalid, already there or naming a user
    /// or indicator that does not exist), rather than the environment.
    pub fn is_input_fault(&self) -> bool {
        matches!(
            self,
            Self::Conflict(_)
                | Self::StaleSettings { .. }
                | Self::Invalid(_)
                | Self::Exists(_)
                | Self::UnknownUser(_)
                | Self::StaleUser { .. }
                | Self::UnknownIndicator { .. }
        )
    }
}

/// A logical copy of a whole store: what `cairn db backup` writes and `cairn db restore` reads.
/// The same for every backend, so a backup also moves data between them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dump {
    /// The format's version, for refusing a dump written by a newer Cairn.
    pub format: u32,
    pub missions: Vec<Mission>,
    pub revisions: Vec<Revision>,
    pub audit: Vec<crate::AuditEntry>,
    /// Accounts with their password hashes, by name (format 2; a format 1 dump has none).
    /// Sessions are not dumped: a restored store starts with everyone signed out.
    #[serde(default)]
    pub users: Vec<Credentials>,
    /// Every mission's indicators, by mission and code (format 3; earlier formats have none).
    #[serde(default)]
    pub indicators: Vec<StoredIndicator>,
    /// Every observation's current value, in [`crate::monitoring::observation_order`]
    /// (format 3).
    #[serde(default)]
    pub observations: Vec<StoredObservation>,
    /// Every value ever set, oldest first (format 3).
    #[serde(default)]
    pub observation_history: Vec<ObservationChange>,
    /// Every mission's milestones, by mission and code (format 4; earlier formats have none).
    #[serde(default)]
    pub milestones: Vec<StoredMilestone>,
    /// Every status each milestone has had, by mission and code, each oldest first (format 4).
    #[serde(default)]
    pub milestone_history: Vec<MilestoneChange>,
}

/// The dump format this build writes; it reads this one and every earlier one (1: no users;
/// 2: no indicators or observations; 3: no milestones).
pub const DUMP_FORMAT: u32 = 4;

/// The outcome of checking the audit trail.
#[derive(Debug, Clone, PartialEq)]
pub enum Verification {
    Intact {
        entries: usize,
        head: Option<String>,
    },
    Broken(ChainBreak),
}

/// The digest that identifies a revision's content: SHA-256 of the strategy's JSON.
pub fn content_digest(strategy: &Strategy) -> String {
    let json = serde_json::to_vec(strategy).unwrap_or_default();
    format!("{:x}", Sha256::digest(&json))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(Slug::parse("mali").is_ok());
        assert!(Slug::parse("burkina-faso").is_ok());
        for bad in ["", "Mali", "-mali", "mali-", "ma li", "mali/1", "../x"] {
            assert!(Slug::parse(bad).is_err(), "{bad}");
        }
        let s = |c: &str| {
            Slug::from_country(c)
                .map(|s| s.to_string())
                .unwrap_or_default()
        };
        assert_eq!(s("Mali"), "mali");
        assert_eq!(s("Burkina Faso"), "burkina-faso");
        assert_eq!(s("Côte d'Ivoire"), "cote-divoire");
        assert_eq!(s("Guinea-Bissau"), "guinea-bissau");
    }
}
