//! Who may do what: roles and the permissions each one carries (PRODUCT.md §5). The table is
//! the specification; adapters ask [`Role::allows`] and never re-state it.

use std::fmt;
use std::str::FromStr;

/// A role, from least to most trusted. Each role holds every permission of the roles below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Viewer,
    Editor,
    Approver,
    Admin,
}

/// Something a request wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Public strategies and their public content: everyone, signed in or not.
    ReadPublic,
    /// Everything in scope, sensitive but unclassified included.
    ReadAll,
    /// Import, edit strategy text, revert.
    EditStrategy,
    /// Define indicators and targets, enter and correct data.
    EnterData,
    /// Draft and submit reviews, update risks.
    DraftReviews,
    /// Approve or return reviews (never one's own), change markings.
    Approve,
    /// Manage users and grants, read the audit trail.
    Administer,
}

impl Permission {
    pub const ALL: [Self; 7] = [
        Self::ReadPublic,
        Self::ReadAll,
        Self::EditStrategy,
        Self::EnterData,
        Self::DraftReviews,
        Self::Approve,
        Self::Administer,
    ];

    /// The least role that holds the permission; None when anonymous visitors hold it.
    pub const fn least_role(self) -> Option<Role> {
        match self {
            Self::ReadPublic => None,
            Self::ReadAll => Some(Role::Viewer),
            Self::EditStrategy | Self::EnterData | Self::DraftReviews => Some(Role::Editor),
            Self::Approve => Some(Role::Approver),
            Self::Administer => Some(Role::Admin),
        }
    }

    /// Whether a visitor with `role` (None: anonymous) holds the permission.
    pub fn granted_to(self, role: Option<Role>) -> bool {
        match self.least_role() {
            None => true,
            Some(least) => role.is_some_and(|r| r >= least),
        }
    }
}

impl Role {
    pub const ALL: [Self; 4] = [Self::Viewer, Self::Editor, Self::Approver, Self::Admin];

    pub fn allows(self, p: Permission) -> bool {
        p.granted_to(Some(self))
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Editor => "editor",
            Self::Approver => "approver",
            Self::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a string is not a role.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a role: expected viewer, editor, approver or admin")]
pub struct RoleError(pub String);

impl FromStr for Role {
    type Err = RoleError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| RoleError(s.to_string()))
    }
}

crate::serde_as_string!(Role);

impl schemars::JsonSchema for Role {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Role".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "enum": ["viewer", "editor", "approver", "admin"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Permission::*;

    /// PRODUCT.md §5, row by row: anonymous, viewer, editor, approver, admin.
    #[test]
    fn the_table() {
        let table = [
            (ReadPublic, [true, true, true, true, true]),
            (ReadAll, [false, true, true, true, true]),
            (EditStrategy, [false, false, true, true, true]),
            (EnterData, [false, false, true, true, true]),
            (DraftReviews, [false, false, true, true, true]),
            (Approve, [false, false, false, true, true]),
            (Administer, [false, false, false, false, true]),
        ];
        assert_eq!(table.len(), Permission::ALL.len());
        for (p, row) in table {
            let who = [
                None,
                Some(Role::Viewer),
                Some(Role::Editor),
                Some(Role::Approver),
                Some(Role::Admin),
            ];
            for (role, want) in who.into_iter().zip(row) {
                assert_eq!(p.granted_to(role), want, "{p:?} for {role:?}");
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>(), Ok(r));
        }
        assert!("root".parse::<Role>().is_err());
        assert!("Admin".parse::<Role>().is_err());
    }
}
