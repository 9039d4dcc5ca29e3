//! The audit trail, for administrators.

use axum::extract::State;
use cairn_core::Permission;
use cairn_store::{AuditEntry, Verification};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::{List, Page};
use crate::auth::Visitor;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Params;
use crate::state::App;

/// One entry of the trail.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditOut {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub actor: String,
    /// `import`, `edit`, `revert`, `mission.set`, `user.add`, `session.start`, …
    pub action: String,
    /// `mission/mali/rev/3`, `user/ana`, …
    pub object: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub hash: String,
}

impl From<AuditEntry> for AuditOut {
    fn from(e: AuditEntry) -> Self {
        Self {
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            action: e.action,
            object: e.object,
            before: e.before,
            after: e.after,
            hash: e.hash,
        }
    }
}

/// The trail, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(Page),
    responses((status = 200, body = List<AuditOut>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn log(
    State(app): State<App>,
    visitor: Visitor,
    Params(page): Params<Page>,
) -> Result<axum::Json<List<AuditOut>>, ApiError> {
    visitor.require(Permission::Administer)?;
    page.limit()?;
    let mut entries = app.run(|s| s.audit_log()).await?;
    entries.reverse();
    Ok(axum::Json(
        page.cut(entries.into_iter().map(AuditOut::from).collect())?,
    ))
}

/// Whether the chain is intact.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerifyOut {
    pub intact: bool,
    pub entries: Option<usize>,
    /// The newest entry's hash (keep it elsewhere to detect truncation later).
    pub head: Option<String>,
    /// Where the chain breaks, when it does.
    pub broken_at: Option<u64>,
    pub reason: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit",
    responses((status = 200, body = VerifyOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn verify(
    State(app): State<App>,
    visitor: Visitor,
) -> Result<axum::Json<VerifyOut>, ApiError> {
    visitor.require(Permission::Administer)?;
    let v = app.run(cairn_store::verify).await?;
    Ok(axum::Json(match v {
        Verification::Intact { entries, head } => VerifyOut {
            intact: true,
            entries: Some(entries),
            head,
            broken_at: None,
            reason: None,
        },
        Verification::Broken(b) => VerifyOut {
            intact: false,
            entries: None,
            head: None,
            broken_at: Some(b.seq),
            reason: Some(b.reason),
        },
    }))
}
