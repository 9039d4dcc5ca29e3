//! The JSON API under `/api/v1`. Every operation is declared to utoipa next to its handler, so
//! the OpenAPI document is generated from this code.

pub mod accounts;
mod audit;
mod documents;
pub mod missions;
pub mod monitoring;
pub mod openapi;
pub mod search;

use axum::Router;
use axum::http::{Method, StatusCode, Uri};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;
use crate::state::App;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi::serve))
        .route(
            "/api/v1/session",
            get(accounts::current)
                .post(accounts::sign_in)
                .delete(accounts::sign_out),
        )
        .route("/api/v1/account/password", post(accounts::change_password))
        .route("/api/v1/users", get(accounts::list).post(accounts::add))
        .route(
            "/api/v1/users/{name}",
            get(accounts::get).patch(accounts::update),
        )
        .route("/api/v1/users/{name}/password", post(accounts::reset))
        .route("/api/v1/missions", get(missions::list))
        .route("/api/v1/missions/{slug}", get(missions::latest))
        .route(
            "/api/v1/missions/{slug}/settings",
            get(missions::settings).patch(missions::set_settings),
        )
        .route(
            "/api/v1/missions/{slug}/revisions",
            get(missions::history).post(missions::import),
        )
        .route(
            "/api/v1/missions/{slug}/revisions/{rev}",
            get(missions::revision),
        )
        .route("/api/v1/missions/{slug}/edits", post(missions::edit))
        .route("/api/v1/missions/{slug}/reverts", post(missions::revert))
        .route("/api/v1/missions/{slug}/diff", get(missions::diff))
        .route("/api/v1/missions/{slug}/check", get(missions::check))
        .route(
            "/api/v1/missions/{slug}/indicators",
            get(monitoring::list).post(monitoring::put_indicators),
        )
        .route(
            "/api/v1/missions/{slug}/indicators/{code}",
            get(monitoring::get),
        )
        .route(
            "/api/v1/missions/{slug}/indicators/{code}/history",
            get(monitoring::history),
        )
        .route(
            "/api/v1/missions/{slug}/indicators/{code}/chart",
            get(monitoring::chart),
        )
        .route(
            "/api/v1/missions/{slug}/data",
            get(monitoring::export).post(monitoring::put_data),
        )
        .route(
            "/api/v1/missions/{slug}/figures/{figure}/indicator",
            post(monitoring::from_figure),
        )
        .route(
            "/api/v1/missions/{slug}/milestones",
            get(monitoring::milestones).post(monitoring::put_milestones),
        )
        .route("/api/v1/missions/{slug}/status", get(monitoring::status))
        .route(
            "/api/v1/missions/{slug}/status/chart",
            get(monitoring::status_chart),
        )
        .route("/api/v1/search", get(search::search))
        .route("/api/v1/documents/read", post(documents::read))
        .route("/api/v1/documents/schema", get(documents::schema))
        .route("/api/v1/audit", get(audit::log))
        .route("/api/v1/audit/verify", get(audit::verify))
}

/// Unknown paths under /api answer in the one error shape.
pub async fn not_found(uri: Uri) -> ApiError {
    ApiError::not_found(format!("no such API path: {}", uri.path()))
}

pub async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method-not-allowed",
        format!("{} does not accept {method}", uri.path()),
    )
}

/// Which slice of a list to return.
#[derive(Debug, Clone, Copy, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Page {
    /// How many items (1–500; 50 when absent).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// How many to skip.
    #[param(minimum = 0)]
    pub offset: Option<u32>,
}

/// The most one page holds.
pub const MAX_LIMIT: u32 = 500;

impl Page {
    pub fn limit(&self) -> Result<u32, ApiError> {
        match self.limit {
            None => Ok(50),
            Some(l) if (1..=MAX_LIMIT).contains(&l) => Ok(l),
            Some(l) => Err(ApiError::bad_request(
                "invalid-query",
                format!("query parameter limit: {l} is out of range; expected 1 to {MAX_LIMIT}"),
            )
            .with_details(serde_json::json!({ "parameter": "limit" }))),
        }
    }

    pub fn offset(&self) -> u32 {
        self.offset.unwrap_or(0)
    }

    /// Cuts a whole list to this page.
    pub fn cut<T>(&self, all: Vec<T>) -> Result<List<T>, ApiError> {
        let limit = self.limit()?;
        let offset = self.offset();
        let total = all.len() as u64;
        let items = all
            .into_iter()
            .skip(offset as usize)
            .take(limit as usize)
            .collect();
        Ok(List {
            items,
            total,
            limit,
            offset,
        })
    }
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct List<T> {
    pub items: Vec<T>,
    /// How many items there are in all.
    pub total: u64,
    pub limit: u32,
    pub offset: u32,
}
