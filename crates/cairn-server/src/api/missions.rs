//! Missions and their strategy revisions: read, import, edit, revert, compare, check.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cairn_app::{Base, EditRequest, ImportRequest};
use cairn_core::{Field, Node, Permission};
use cairn_store::{Commit, Mission, MissionChange, RevisionInfo, Slug};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::openapi::{
    BureauSchema, DiagnosticSchema, DiffSchema, FieldSchema, NodeSchema, RevisionStrategy, SlugPath,
};
use super::{List, Page};
use crate::auth::Visitor;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Body, IfMatch, Params, PathParams, etag};
use crate::state::{App, View};

/// A mission and its settings.
#[derive(Debug, Serialize, ToSchema)]
pub struct MissionOut {
    /// Short name used in addresses (`mali`).
    pub slug: String,
    pub country: Option<String>,
    /// Regional bureau code (`AF`).
    pub bureau: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The settings' version (their ETag).
    pub version: u32,
    /// The newest revision (the strategy's ETag).
    pub latest_rev: u32,
    /// Whether the latest revision is marked for public release.
    pub public: bool,
}

impl MissionOut {
    fn new(m: Mission, public: bool) -> Self {
        Self {
            slug: m.slug.to_string(),
            country: m.country,
            bureau: m.bureau,
            created_at: m.created_at,
            version: m.version,
            latest_rev: m.latest_rev,
            public,
        }
    }
}

/// A revision's metadata.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionOut {
    pub rev: u32,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub message: String,
}

impl From<RevisionInfo> for RevisionOut {
    fn from(r: RevisionInfo) -> Self {
        Self {
            rev: r.rev,
            at: r.at,
            actor: r.actor,
            message: r.message,
        }
    }
}

/// A mission slug from a path; one that cannot exist is simply not found.
pub fn slug(s: &str) -> Result<Slug, ApiError> {
    Slug::parse(s).map_err(|_| no_mission(s))
}

fn no_mission(s: &str) -> ApiError {
    ApiError::not_found(format!("no mission {s}"))
}

/// Whether the visitor may read a revision: public ones, or everything with `ReadAll`.
pub fn readable(view: &View, visitor: &Visitor) -> bool {
    view.public || visitor.may(Permission::ReadAll)
}

/// A revision the visitor may read; anything else is "not found", so that the existence of
/// sensitive strategies is not revealed.
pub async fn readable_view(
    app: &App,
    visitor: &Visitor,
    slug: &Slug,
    rev: Option<u32>,
) -> Result<Arc<View>, ApiError> {
    let view = app.view(slug, rev).await?;
    match (view, rev) {
        (Some(v), _) if readable(&v, visitor) => Ok(v),
        (None, Some(r))
            if app
                .view(slug, None)
                .await?
                .is_some_and(|v| readable(&v, visitor)) =>
        {
            Err(ApiError::not_found(format!(
                "mission {slug} has no revision {r}"
            )))
        }
        _ => Err(no_mission(slug.as_str())),
    }
}

/// The missions whose latest revision the visitor may read, each with whether it is public.
pub async fn visible_missions(
    app: &App,
    visitor: &Visitor,
) -> Result<Vec<(Mission, bool)>, ApiError> {
    let mut out = Vec::new();
    for m in app.run(|s| s.missions()).await? {
        if let Some(v) = app.view(&m.slug, Some(m.latest_rev)).await?
            && readable(&v, visitor)
        {
            out.push((m, v.public));
        }
    }
    Ok(out)
}

fn strategy_response(view: &View, headers: &HeaderMap) -> Response {
    let tag = etag(view.revision.rev);
    // If-None-Match compares weakly (RFC 9110 §13.1.2): W/"3" matches "3".
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .map(str::trim)
                .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == tag)
        });
    let mut res = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            view.json.clone(),
        )
            .into_response()
    };
    if let Ok(v) = HeaderValue::from_str(&tag) {
        res.headers_mut().insert(header::ETAG, v);
    }
    res
}

/// The missions the visitor may read.
#[utoipa::path(get, path = "/api/v1/missions", tag = "missions", params(Page),
    responses((status = 200, body = List<MissionOut>), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(app): State<App>,
    visitor: Visitor,
    Params(page): Params<Page>,
) -> Result<axum::Json<List<MissionOut>>, ApiError> {
    page.limit()?;
    let out = visible_missions(&app, &visitor)
        .await?
        .into_iter()
        .map(|(m, public)| MissionOut::new(m, public))
        .collect();
    Ok(axum::Json(page.cut(out)?))
}

/// The latest strategy of a mission (the `cairn show --json` shape). Its ETag is the revision.
#[utoipa::path(get, path = "/api/v1/missions/{slug}", tag = "missions",
    params(SlugPath),
    responses(
        (status = 200, body = RevisionStrategy, headers(("ETag" = String, description = "the revision, quoted"))),
        (status = 304, description = "unchanged since the If-None-Match revision"),
        (status = 404, body = ErrorBody)))]
pub async fn latest(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let s = path.get("slug").to_string();
    let view = readable_view(&app, &visitor, &slug(&s)?, None).await?;
    Ok(strategy_response(&view, &headers))
}

/// One revision of a mission's strategy.
#[utoipa::path(get, path = "/api/v1/missions/{slug}/revisions/{rev}", tag = "missions",
    params(SlugPath, ("rev" = u32, Path, minimum = 1, description = "revision number")),
    responses(
        (status = 200, body = RevisionStrategy, headers(("ETag" = String))),
        (status = 304, description = "unchanged"),
        (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn revision(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (s, rev) = (path.get("slug").to_string(), path.get("rev").to_string());
    let slug = slug(&s)?;
    let rev = parse_rev(&rev, "rev")?;
    let view = readable_view(&app, &visitor, &slug, Some(rev)).await?;
    Ok(strategy_response(&view, &headers))
}

fn parse_rev(s: &str, name: &str) -> Result<u32, ApiError> {
    // Digits only: `u32::from_str` would also take `+1`.
    let digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits
        .then(|| s.parse::<u32>().ok())
        .flatten()
        .filter(|r| *r >= 1)
        .ok_or_else(|| {
            ApiError::bad_request(
                "invalid-path",
                format!("{name} {s:?} is not a revision number: expected 1, 2, 3 …"),
            )
            .with_details(json!({ "parameter": name }))
        })
}

/// A mission's revisions, oldest first.
#[utoipa::path(get, path = "/api/v1/missions/{slug}/revisions", tag = "missions",
    params(SlugPath, Page),
    responses((status = 200, body = List<RevisionOut>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn history(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
    Params(page): Params<Page>,
) -> Result<axum::Json<List<RevisionOut>>, ApiError> {
    let s = path.get("slug").to_string();
    let slug = slug(&s)?;
    page.limit()?;
    readable_view(&app, &visitor, &slug, None).await?;
    let all = app.run(move |st| st.history(&slug)).await?;
    Ok(axum::Json(
        page.cut(all.into_iter().map(RevisionOut::from).collect())?,
    ))
}

/// A document to store as the mission's next revision.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "text": EXAMPLE_DOCUMENT, "message": "ICS as approved" }))]
pub struct ImportIn {
    /// The strategy document as text (as published: ICS text or Markdown).
    pub text: String,
    /// Why: recorded with the revision.
    pub message: Option<String>,
    /// Regional bureau code for a new mission (`AF`); from the document when absent.
    #[schema(value_type = Option<BureauSchema>)]
    pub bureau: Option<String>,
}

/// The smallest document the importer reads, for the API's examples.
pub const EXAMPLE_DOCUMENT: &str = "Integrated Country Strategy\nFOR PUBLIC RELEASE\n\nMission Goal 1: People in Examplia live in peace.\n\nMission Objective 1.1: Elections are free and fair.\n\nJustification: Why it matters.\n\nLinkages: AF JRS Objective 1.1.\n\nRisks: Unrest.\n";

/// What an import stored, with the `check` findings of the document.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportOut {
    pub mission: String,
    pub rev: u32,
    /// False when the text equals the latest revision (nothing stored).
    pub created: bool,
    #[schema(value_type = Vec<DiagnosticSchema>)]
    pub diagnostics: Vec<cairn_core::Diagnostic>,
}

fn created(rev: u32, body: impl Serialize, location: String, is_new: bool) -> Response {
    let status = if is_new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let mut res = (status, axum::Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&etag(rev)) {
        res.headers_mut().insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

pub fn csrf(visitor: &Visitor, headers: &HeaderMap) -> Result<(), ApiError> {
    visitor.check_csrf(
        headers
            .get(crate::auth::CSRF_HEADER)
            .and_then(|v| v.to_str().ok()),
    )
}

/// Imports a document as the mission's next revision; creates the mission when it does not
/// exist yet (then without If-Match). Refused with 422 when the document has errors.
#[utoipa::path(post, path = "/api/v1/missions/{slug}/revisions", tag = "missions",
    params(SlugPath,
        ("If-Match" = Option<String>, Header, description = "ETag of the latest revision you read; required when the mission exists")),
    request_body = ImportIn,
    responses(
        (status = 201, body = ImportOut, description = "stored as a new revision"),
        (status = 200, body = ImportOut, description = "equal to the latest revision: nothing stored"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 412, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn import(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
    headers: HeaderMap,
    Body(body): Body<ImportIn>,
) -> Result<Response, ApiError> {
    let s = path.get("slug").to_string();
    let user = visitor.require(Permission::EditStrategy)?.clone();
    csrf(&visitor, &headers)?;
    let slug = slug(&s)?;
    if body.text.trim().is_empty() {
        return Err(ApiError::invalid_field(
            "/text",
            "text is empty: send the document's text",
        ));
    }
    // What the body says is checked before the precondition (RFC 9110 §13.2.1: a request
    // refused for itself is refused whatever its If-Match says).
    cairn_app::import::check_bureau(body.bureau.as_deref())?;
    let s2 = slug.clone();
    let existing = app.run(move |st| st.mission(&s2)).await?;
    let if_match = IfMatch::read(&headers);
    let base = match existing {
        Some(m) => Base::Expect(Some(if_match.base(m.latest_rev, "strategy")?)),
        None if if_match == IfMatch::Absent => Base::Expect(None),
        None => {
            return Err(ApiError::new(
                StatusCode::PRECONDITION_FAILED,
                "stale",
                format!("mission {slug} does not exist: send no If-Match to create it"),
            ));
        }
    };
    let message = body
        .message
        .filter(|m| !m.trim().is_empty())
        .unwrap_or_else(|| "import".into());
    let imported = app
        .run(move |st| {
            cairn_app::import::import(
                st,
                ImportRequest {
                    bytes: body.text.as_bytes(),
                    mission: Some(slug),
                    bureau: body.bureau,
                    message,
                    base,
                    actor: user.username.to_string(),
                },
            )
        })
        .await?;
    let location = format!(
        "/api/v1/missions/{}/revisions/{}",
        imported.mission, imported.rev
    );
    let is_new = imported.created;
    let rev = imported.rev;
    app.note_latest(&imported.mission, rev);
    Ok(created(
        rev,
        ImportOut {
            mission: imported.mission.to_string(),
            rev,
            created: imported.created,
            diagnostics: imported.diagnostics,
        },
        location,
        is_new,
    ))
}

/// One field's new text.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditIn {
    /// The element: `priorities`, `goal:1`, `objective:1.2`, `management:1`.
    #[schema(value_type = NodeSchema)]
    pub node: String,
    /// `title`, `description` (goals), `justification`, `linkages`, `risks`, `priorities`.
    #[schema(value_type = FieldSchema)]
    pub field: String,
    /// The new text; paragraphs separated by blank lines. Empty removes a narrative block.
    /// Control characters other than tab, line breaks, form feed and escape have no place in a
    /// document and are refused.
    #[schema(pattern = "^[^\\x00-\\x08\\x0E-\\x1A\\x1C-\\x1F\\x7F]*$")]
    pub value: String,
    /// Why: recorded with the revision.
    pub message: String,
}

/// The control characters that make a document binary data to the importer (all below U+0020
/// but tab through carriage return and escape; and delete): an edit that put one in would
/// store a strategy that no longer reads back.
fn binary_char(c: char) -> bool {
    matches!(u32::from(c), 0..=8 | 14..=26 | 28..=31 | 0x7F)
}

/// The revision a write stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct WriteOut {
    pub mission: String,
    pub rev: u32,
    /// False when the result equals the latest revision (nothing stored).
    pub created: bool,
}

fn write_out(app: &App, slug: &Slug, commit: Commit) -> Response {
    let (rev, is_new) = match commit {
        Commit::Created { rev } => (rev, true),
        Commit::NoChange { rev } => (rev, false),
    };
    app.note_latest(slug, rev);
    created(
        rev,
        WriteOut {
            mission: slug.to_string(),
            rev,
            created: is_new,
        },
        format!("/api/v1/missions/{slug}/revisions/{rev}"),
        is_new,
    )
}

/// The latest revision a write is checked against: asked of the database, never the read
/// cache, so that another server's write is seen at once.
async fn current_rev(app: &App, visitor: &Visitor, slug: &Slug) -> Result<u32, ApiError> {
    let rev = app.latest_rev(slug).await?;
    Ok(readable_view(app, visitor, slug, rev).await?.revision.rev)
}

/// Changes one field of the strategy and stores the result as the next revision.
#[utoipa::path(post, path = "/api/v1/missions/{slug}/edits", tag = "missions",
    params(SlugPath,
        ("If-Match" = String, Header, description = "ETag of the revision you edited")),
    request_body = EditIn,
    responses(
        (status = 201, body = WriteOut), (status = 200, body = WriteOut, description = "no change"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 412, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn edit(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
    headers: HeaderMap,
    Body(body): Body<EditIn>,
) -> Result<Response, ApiError> {
    let s = path.get("slug").to_string();
    let user = visitor.require(Permission::EditStrategy)?.clone();
    csrf(&visitor, &headers)?;
    let slug = slug(&s)?;
    // As the document's pattern says: `Node::from_str` alone would also take `goal: 1 `.
    let plain = body
        .node
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b':' || b == b'.');
    let node: Node = plain
        .then(|| body.node.parse().ok())
        .flatten()
        .ok_or_else(|| {
            ApiError::invalid_field(
                "/node",
                format!(
                    "{:?} is not a node: expected priorities, goal:N, objective:N.N or management:N",
                    body.node
                ),
            )
        })?;
    let field: Field = body
        .field
        .parse()
        .map_err(|e: cairn_core::block::FieldError| {
            ApiError::invalid_field("/field", e.to_string())
        })?;
    if body.message.trim().is_empty() {
        return Err(ApiError::invalid_field(
            "/message",
            "message is empty: say why",
        ));
    }
    if let Some(c) = body.value.chars().find(|c| binary_char(*c)) {
        return Err(ApiError::invalid_field(
            "/value",
            format!(
                "value: holds the control character U+{:04X}, which a strategy document cannot hold",
                u32::from(c)
            ),
        ));
    }
    let base =
        IfMatch::read(&headers).base(current_rev(&app, &visitor, &slug).await?, "strategy")?;
    let req = EditRequest {
        mission: slug.clone(),
        base,
        node,
        field,
        value: body.value,
        message: body.message,
        actor: user.username.to_string(),
    };
    let commit = app.run(move |st| cairn_app::revise::edit(st, req)).await?;
    Ok(write_out(&app, &slug, commit))
}

/// An earlier revision to restore.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevertIn {
    /// The revision whose content becomes the next revision.
    #[schema(minimum = 1)]
    pub to: u32,
    pub message: Option<String>,
}

/// Stores an earlier revision's content as the next revision.
#[utoipa::path(post, path = "/api/v1/missions/{slug}/reverts", tag = "missions",
    params(SlugPath,
        ("If-Match" = String, Header, description = "ETag of the latest revision you read")),
    request_body = RevertIn,
    responses(
        (status = 201, body = WriteOut), (status = 200, body = WriteOut, description = "no change"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 412, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn revert(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
    headers: HeaderMap,
    Body(body): Body<RevertIn>,
) -> Result<Response, ApiError> {
    let s = path.get("slug").to_string();
    let user = visitor.require(Permission::EditStrategy)?.clone();
    csrf(&visitor, &headers)?;
    let slug = slug(&s)?;
    if body.to == 0 {
        return Err(ApiError::invalid_field(
            "/to",
            "to: 0 is not a revision: revisions count from 1",
        ));
    }
    let base =
        IfMatch::read(&headers).base(current_rev(&app, &visitor, &slug).await?, "strategy")?;
    if body.to > base {
        return Err(ApiError::invalid_field(
            "/to",
            format!(
                "to: {} is not a revision of {slug}: expected 1 to {base}",
                body.to
            ),
        ));
    }
    let to = body.to;
    let message = body
        .message
        .filter(|m| !m.trim().is_empty())
        .unwrap_or_else(|| format!("revert to revision {to}"));
    let s2 = slug.clone();
    let commit = app
        .run(move |st| {
            cairn_app::revise::revert(st, &s2, base, to, message, user.username.to_string())
        })
        .await?;
    Ok(write_out(&app, &slug, commit))
}

/// Two revisions to compare.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffParams {
    /// The older revision.
    #[param(minimum = 1)]
    pub from: u32,
    /// The newer revision.
    #[param(minimum = 1)]
    pub to: u32,
}

/// What changed between two revisions (only the changes; old and new text side by side).
#[utoipa::path(get, path = "/api/v1/missions/{slug}/diff", tag = "missions",
    params(SlugPath, DiffParams),
    responses((status = 200, body = DiffSchema), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn diff(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
    Params(p): Params<DiffParams>,
) -> Result<axum::Json<cairn_core::diff::StrategyDiff>, ApiError> {
    let s = path.get("slug").to_string();
    let slug = slug(&s)?;
    let a = readable_view(&app, &visitor, &slug, Some(p.from)).await?;
    let b = readable_view(&app, &visitor, &slug, Some(p.to)).await?;
    Ok(axum::Json(cairn_core::diff::diff(
        (&a.revision.strategy, &a.revision.identity),
        (&b.revision.strategy, &b.revision.identity),
    )))
}

/// Which revision to check.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CheckParams {
    /// The revision (the latest when absent).
    #[param(minimum = 1)]
    pub rev: Option<u32>,
}

/// The `check` findings of a stored revision (lines refer to its source text).
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckOut {
    #[schema(value_type = Vec<DiagnosticSchema>)]
    pub diagnostics: Vec<cairn_core::Diagnostic>,
}

#[utoipa::path(get, path = "/api/v1/missions/{slug}/check", tag = "missions",
    params(SlugPath, CheckParams),
    responses((status = 200, body = CheckOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn check(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
    Params(p): Params<CheckParams>,
) -> Result<axum::Json<CheckOut>, ApiError> {
    let s = path.get("slug").to_string();
    let view = readable_view(&app, &visitor, &slug(&s)?, p.rev).await?;
    let diagnostics = cairn_ingest::parse(view.revision.source.as_bytes())
        .map(|p| p.diagnostics)
        .unwrap_or_default();
    Ok(axum::Json(CheckOut { diagnostics }))
}

/// A mission's settings; the ETag is their version.
#[utoipa::path(get, path = "/api/v1/missions/{slug}/settings", tag = "missions",
    params(SlugPath),
    responses((status = 200, body = MissionOut, headers(("ETag" = String))), (status = 404, body = ErrorBody)))]
pub async fn settings(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
) -> Result<Response, ApiError> {
    let s = path.get("slug").to_string();
    let slug = slug(&s)?;
    let view = readable_view(&app, &visitor, &slug, None).await?;
    let m = app
        .run(move |st| st.mission(&slug))
        .await?
        .ok_or_else(|| no_mission(&s))?;
    let tag = etag(m.version);
    let mut res = axum::Json(MissionOut::new(m, view.public)).into_response();
    if let Ok(v) = HeaderValue::from_str(&tag) {
        res.headers_mut().insert(header::ETAG, v);
    }
    Ok(res)
}

/// New settings; absent fields keep their value.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsIn {
    pub country: Option<String>,
    /// A regional bureau code (`AF`, `EAP`, `EUR`, `NEA`, `SCA`, `WHA`).
    #[schema(value_type = Option<BureauSchema>)]
    pub bureau: Option<String>,
}

#[utoipa::path(patch, path = "/api/v1/missions/{slug}/settings", tag = "missions",
    params(SlugPath,
        ("If-Match" = String, Header, description = "ETag of the settings you read")),
    request_body = SettingsIn,
    responses(
        (status = 200, body = MissionOut, headers(("ETag" = String))),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 412, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn set_settings(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
    headers: HeaderMap,
    Body(body): Body<SettingsIn>,
) -> Result<Response, ApiError> {
    let s = path.get("slug").to_string();
    let user = visitor.require(Permission::EditStrategy)?.clone();
    csrf(&visitor, &headers)?;
    let slug = slug(&s)?;
    let view = readable_view(&app, &visitor, &slug, None).await?;
    if cairn_app::import::check_bureau(body.bureau.as_deref()).is_err() {
        return Err(ApiError::invalid_field(
            "/bureau",
            format!(
                "bureau: not a regional bureau code; expected one of {}",
                cairn_app::import::bureau_codes()
            ),
        ));
    }
    if body.country.as_deref().is_some_and(|c| c.trim().is_empty()) {
        return Err(ApiError::invalid_field("/country", "country is empty"));
    }
    let s2 = slug.clone();
    let current = app
        .run(move |st| st.mission(&s2))
        .await?
        .ok_or_else(|| no_mission(&s))?;
    let base = IfMatch::read(&headers).base(current.version, "settings")?;
    let m = app
        .run(move |st| {
            st.set_mission(MissionChange {
                slug,
                base_version: Some(base),
                country: body.country,
                bureau: body.bureau,
                actor: user.username.to_string(),
            })
        })
        .await?;
    let tag = etag(m.version);
    let mut res = axum::Json(MissionOut::new(m, view.public)).into_response();
    if let Ok(v) = HeaderValue::from_str(&tag) {
        res.headers_mut().insert(header::ETAG, v);
    }
    Ok(res)
}
