//! Full-text search across the strategies the visitor may read.

use axum::extract::State;
use cairn_core::Permission;
use cairn_store::{SearchQuery, SearchResults};
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;

use super::Page;
use super::openapi::SearchSchema;
use crate::auth::Visitor;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Params;
use crate::state::App;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words to find (every word must match; English stemming: "elections" finds "election").
    pub q: String,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    #[param(minimum = 0)]
    pub offset: Option<u32>,
}

/// Runs a search for a visitor: anonymous visitors see public strategies only.
pub async fn run(
    app: &App,
    visitor: &Visitor,
    text: String,
    page: Page,
) -> Result<SearchResults, ApiError> {
    if cairn_store::terms(&text).is_empty() {
        return Err(ApiError::bad_request(
            "invalid-query",
            "query parameter q: give at least one word to search for",
        )
        .with_details(json!({ "parameter": "q" })));
    }
    let q = SearchQuery {
        text,
        public_only: !visitor.may(Permission::ReadAll),
        limit: page.limit()?,
        offset: page.offset(),
    };
    app.run(move |s| s.search(&q)).await
}

/// Blocks of text (titles and every narrative block) that contain every word, best first,
/// with the matching words marked in each snippet.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchParams),
    responses((status = 200, body = SearchSchema), (status = 400, body = ErrorBody)))]
pub async fn search(
    State(app): State<App>,
    visitor: Visitor,
    Params(p): Params<SearchParams>,
) -> Result<axum::Json<SearchResults>, ApiError> {
    let page = Page {
        limit: p.limit,
        offset: p.offset,
    };
    Ok(axum::Json(run(&app, &visitor, p.q, page).await?))
}
