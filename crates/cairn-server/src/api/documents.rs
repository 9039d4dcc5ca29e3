//! Documents that are not stored, at parity with `cairn parse`, `cairn check FILE` and
//! `cairn schema`: read a text and say what it holds and what is wrong with it.

use cairn_core::Permission;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::openapi::{DiagnosticSchema, StrategySchema};
use crate::auth::Visitor;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Body;

/// A strategy document to read.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "text": super::missions::EXAMPLE_DOCUMENT }))]
pub struct DocumentIn {
    /// The document as text (as published: ICS text or Markdown).
    pub text: String,
}

/// What `cairn parse` prints, and the findings `cairn check` reports, for one document.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadOut {
    #[schema(value_type = StrategySchema)]
    pub strategy: cairn_core::Strategy,
    #[schema(value_type = Vec<DiagnosticSchema>)]
    pub diagnostics: Vec<cairn_core::Diagnostic>,
}

/// Reads a document without storing it: its structure and its `check` findings. Only a text
/// in which nothing usable can be read is refused (422).
#[utoipa::path(post, path = "/api/v1/documents/read", tag = "documents", request_body = DocumentIn,
    responses((status = 200, body = ReadOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn read(
    visitor: Visitor,
    Body(body): Body<DocumentIn>,
) -> Result<axum::Json<ReadOut>, ApiError> {
    // Reading costs CPU: signed-in users only.
    visitor.require(Permission::ReadAll)?;
    let parsed = tokio::task::spawn_blocking(move || cairn_ingest::parse(body.text.as_bytes()))
        .await
        .map_err(|e| ApiError::internal(format!("reading task failed: {e}")))?
        .map_err(|e| ApiError::invalid_field("/text", format!("text: {e}")))?;
    Ok(axum::Json(ReadOut {
        strategy: parsed.strategy,
        diagnostics: parsed.diagnostics,
    }))
}

/// The JSON Schema of a strategy (`cairn schema`).
#[utoipa::path(get, path = "/api/v1/documents/schema", tag = "documents",
    responses((status = 200, description = "a JSON Schema (2020-12)", content_type = "application/json", body = Object)))]
pub async fn schema() -> axum::Json<serde_json::Value> {
    axum::Json(cairn_core::strategy_schema())
}
