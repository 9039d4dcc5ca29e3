//! Accounts and sessions: who may sign in, with which role, and the sessions they hold.
//!
//! The store never sees a password: callers hash it (argon2id) and hand over the PHC string,
//! and sessions are stored by the hash of their token. Audit entries record a digest of a
//! user's non-secret state ([`crate::plan::user_digest`]), never a hash or a token.

use std::fmt;

use cairn_core::Role;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::StoreError;

/// A user name: 1–64 characters of `a-z 0-9 . _ -`, starting with a letter or a digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

impl Username {
    pub fn parse(s: &str) -> Result<Self, StoreError> {
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.bytes().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
            })
            && s.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit());
        if ok {
            Ok(Self(s.to_string()))
        } else {
            Err(StoreError::Invalid(format!(
                "{s:?} is not a user name: expected 1 to 64 lower-case letters, digits, dots, underscores and hyphens, starting with a letter or digit, e.g. ana or j.smith"
            )))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Username {
    type Error = StoreError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Username> for String {
    fn from(u: Username) -> Self {
        u.0
    }
}

/// An account, without its secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub username: Username,
    pub role: Role,
    /// A disabled user cannot sign in and holds no sessions.
    pub disabled: bool,
    /// The password was set by someone else and must be changed at the next sign-in.
    pub must_change_password: bool,
    pub created_at: DateTime<Utc>,
    /// Increases with every change; a writer names the version it read.
    pub version: u32,
}

/// An account with its password hash: what signing in checks, and what a dump carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Credentials {
    pub user: User,
    /// An opaque PHC string (argon2id) made by the caller.
    pub password_hash: String,
}

/// An account to create.
#[derive(Debug, Clone, PartialEq)]
pub struct NewUser {
    pub username: Username,
    pub role: Role,
    pub password_hash: String,
    pub must_change_password: bool,
    /// Who creates it.
    pub actor: String,
}

/// One change to an account.
#[derive(Debug, Clone, PartialEq)]
pub enum UserUpdate {
    Role(Role),
    /// Disabling also ends every session of the user.
    Disabled(bool),
    /// A new password hash; also ends every session of the user.
    Password {
        hash: String,
        must_change: bool,
    },
}

/// A change to an account, made over the version the writer read.
#[derive(Debug, Clone, PartialEq)]
pub struct UserChange {
    pub username: Username,
    /// The version the writer read; None to take the latest (a trusted local operator).
    pub base_version: Option<u32>,
    pub update: UserUpdate,
    pub actor: String,
}

/// A session to record at sign-in.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSession {
    /// The hash of the session token (the token itself stays with the client).
    pub token_hash: String,
    pub username: Username,
    pub at: DateTime<Utc>,
}

/// A signed-in session.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub token_hash: String,
    pub username: Username,
    pub created_at: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        for good in ["ana", "j.smith", "a", "0day", "x_y-z.1", &"a".repeat(64)] {
            assert_eq!(
                Username::parse(good).map(|u| u.to_string()).ok().as_deref(),
                Some(good)
            );
        }
        for bad in [
            "",
            "Ana",
            ".ana",
            "_ana",
            "-ana",
            "an a",
            "ana/1",
            "ana@x",
            "é",
            &"a".repeat(65),
        ] {
            assert!(
                matches!(Username::parse(bad), Err(StoreError::Invalid(_))),
                "{bad}"
            );
        }
        let json = serde_json::to_string(&Username::parse("ana").ok()).unwrap_or_default();
        assert_eq!(json, "\"ana\"");
        assert!(serde_json::from_str::<Username>("\"Ana\"").is_err());
    }
}
