//! One error body for every 4xx and 5xx the API sends: `{"error":{"code","message","details"}}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cairn_app::{ImportError, ReviseError};
use cairn_store::StoreError;
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

/// An error as the API reports it.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub details: Value,
}

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable, machine-readable name (`not-found`, `stale`, `invalid-body`, …).
    pub code: String,
    /// One line for a person: what is wrong, where, and what was expected.
    pub message: String,
    /// Structured facts: a JSON `pointer` into the request body, the `parameter` at fault, the
    /// `diagnostics` of a refused document, the revisions written since a stale base.
    #[schema(value_type = Object, nullable = true)]
    pub details: Value,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            details: Value::Null,
        }
    }

    pub fn with_details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", message)
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "sign in first: POST /api/v1/session with a username and password",
        )
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// A body field that is present and well-formed JSON but not acceptable.
    pub fn invalid_field(pointer: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid-field", message)
            .with_details(json!({ "pointer": pointer }))
    }

    pub fn internal(what: impl std::fmt::Display) -> Self {
        tracing::error!(error = %what, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server failed; the error is in its log",
        )
    }

    pub fn body(&self) -> Value {
        json!({ "error": { "code": self.code, "message": self.message, "details": self.details } })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body())).into_response()
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match &e {
            StoreError::UnknownMission(_) | StoreError::UnknownRevision { .. } => {
                Self::not_found(e.to_string())
            }
            StoreError::UnknownUser(_) | StoreError::UnknownIndicator { .. } => {
                Self::not_found(e.to_string())
            }
            StoreError::Conflict(c) => {
                let since: Vec<Value> = c
                    .since
                    .iter()
                    .map(|r| json!({ "rev": r.rev, "at": r.at, "actor": r.actor, "message": r.message }))
                    .collect();
                Self::new(StatusCode::PRECONDITION_FAILED, "stale", e.to_string())
                    .with_details(json!({ "latest": c.latest, "since": since }))
            }
            StoreError::StaleSettings { latest, .. } | StoreError::StaleUser { latest, .. } => {
                Self::new(StatusCode::PRECONDITION_FAILED, "stale", e.to_string())
                    .with_details(json!({ "latest": latest }))
            }
            StoreError::Exists(_) => Self::new(StatusCode::CONFLICT, "exists", e.to_string()),
            StoreError::Invalid(_) => {
                Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", e.to_string())
            }
            StoreError::Unavailable { .. } => {
                tracing::error!(error = %e, "store unavailable");
                Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "the database is unavailable; try again shortly",
                )
            }
            StoreError::TooNew { .. } | StoreError::Database(_) => Self::internal(&e),
        }
    }
}

impl From<ImportError> for ApiError {
    fn from(e: ImportError) -> Self {
        match e {
            ImportError::Store(e) => e.into(),
            ImportError::HasErrors(diagnostics) => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "document-has-errors",
                "the document has errors (see details.diagnostics); nothing was stored",
            )
            .with_details(json!({ "pointer": "/text", "diagnostics": diagnostics })),
            ImportError::Unreadable(e) => Self::invalid_field("/text", e.to_string()),
            ImportError::NoCountry => Self::invalid_field("/text", e.to_string()),
            ImportError::BadBureau(_) => Self::invalid_field("/bureau", e.to_string()),
        }
    }
}

impl From<ReviseError> for ApiError {
    fn from(e: ReviseError) -> Self {
        match e {
            ReviseError::Store(e) => e.into(),
            ReviseError::UnknownMission(_) | ReviseError::UnknownRevision { .. } => {
                Self::not_found(e.to_string())
            }
            ReviseError::Edit(cairn_core::EditError::NoSuchNode(_)) => {
                Self::invalid_field("/node", e.to_string())
            }
            ReviseError::Edit(cairn_core::EditError::NoSuchField { .. }) => {
                Self::invalid_field("/field", e.to_string())
            }
            ReviseError::Edit(_) => Self::invalid_field("/value", e.to_string()),
            // The edit's value is the only thing that changed: the handler refuses the
            // characters known to do this, and anything else that does is still the value's
            // doing (logged, as the renderer and the importer disagree).
            ReviseError::Unreadable(_) => {
                tracing::warn!(error = %e, "an edit made the strategy unreadable");
                Self::invalid_field("/value", e.to_string())
            }
        }
    }
}

impl From<cairn_app::monitoring::MonitoringError> for ApiError {
    fn from(e: cairn_app::monitoring::MonitoringError) -> Self {
        use cairn_app::monitoring::MonitoringError;
        match e {
            MonitoringError::Store(e) => e.into(),
            MonitoringError::UnknownMission(_) => Self::not_found(e.to_string()),
            // The store holds what the portfolio refuses: a fault of ours, not the reader's.
            MonitoringError::Portfolio(_) => Self::internal(&e),
            MonitoringError::Rows(rows) => {
                let errors: Vec<Value> = rows
                    .iter()
                    .map(|r| json!({ "row": r.row, "column": r.column, "value": r.value, "message": r.message }))
                    .collect();
                let first = rows.first().map(ToString::to_string).unwrap_or_default();
                Self::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid-rows",
                    format!(
                        "{} row error(s), nothing was written; the first: {first}",
                        rows.len()
                    ),
                )
                .with_details(json!({ "pointer": "/csv", "errors": errors }))
            }
        }
    }
}

impl From<cairn_app::indicators::EntryFailure> for ApiError {
    fn from(e: cairn_app::indicators::EntryFailure) -> Self {
        use cairn_app::indicators::EntryFailure;
        match e {
            EntryFailure::Other(e) => e.into(),
            EntryFailure::Entries(list) => {
                let pointer = |e: &cairn_app::indicators::EntryError| match &e.field {
                    Some(f) => format!("/entries/{}/{f}", e.index),
                    None => format!("/entries/{}", e.index),
                };
                let errors: Vec<Value> = list
                    .iter()
                    .map(|e| json!({ "pointer": pointer(e), "message": e.message }))
                    .collect();
                let first = list
                    .first()
                    .map(|e| format!("{}: {}", pointer(e), e.message))
                    .unwrap_or_default();
                Self::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid-entries",
                    format!(
                        "{} entry error(s), nothing was written; the first: {first}",
                        list.len()
                    ),
                )
                .with_details(json!({
                    "pointer": list.first().map(pointer),
                    "errors": errors,
                }))
            }
        }
    }
}

impl From<cairn_app::indicators::FigureError> for ApiError {
    fn from(e: cairn_app::indicators::FigureError) -> Self {
        use cairn_app::indicators::FigureError;
        match e {
            FigureError::NoFigure { .. } => Self::not_found(e.to_string()),
            FigureError::Element(_) => Self::invalid_field("/element", e.to_string()),
            FigureError::Context(_) => Self::invalid_field("/period", e.to_string()),
            FigureError::Exists { .. } => Self::new(StatusCode::CONFLICT, "exists", e.to_string())
                .with_details(json!({ "pointer": "/code" })),
            FigureError::Other(e) => e.into(),
        }
    }
}
