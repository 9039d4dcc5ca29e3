//! Server-rendered pages. They work without JavaScript; `static/cairn.js` only adds small
//! conveniences. Every form that writes carries the session's CSRF token, and every POST from
//! another origin is refused.

mod accounts;
mod edit;
mod import;
mod missions;
mod monitoring;
mod search;

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use cairn_core::Permission;
use serde::de::DeserializeOwned;

use crate::auth::Visitor;
use crate::error::ApiError;
use crate::state::App;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/", get(missions::home))
        .route("/static/cairn.css", get(css))
        .route("/static/cairn.js", get(js))
        .route(
            "/sign-in",
            get(accounts::sign_in_form).post(accounts::sign_in),
        )
        .route("/sign-out", post(accounts::sign_out))
        .route(
            "/account/password",
            get(accounts::password_form).post(accounts::change_password),
        )
        .route("/users", get(accounts::users).post(accounts::add_user))
        .route("/users/{name}", post(accounts::change_user))
        .route("/audit", get(accounts::audit))
        .route("/search", get(search::search))
        .route("/import", get(import::form).post(import::preview))
        .route("/import/save", post(import::save))
        .route("/missions/{slug}", get(missions::strategy))
        .route("/missions/{slug}/history", get(missions::history))
        .route("/missions/{slug}/revert", post(missions::revert))
        .route("/missions/{slug}/diff", get(missions::diff))
        .route("/missions/{slug}/edit", get(edit::form).post(edit::save))
        .route("/missions/{slug}/indicators", get(monitoring::status))
        .route(
            "/missions/{slug}/indicators/{code}",
            get(monitoring::indicator),
        )
        .route(
            "/missions/{slug}/data",
            get(monitoring::entry_form).post(monitoring::entry_save),
        )
        .route(
            "/missions/{slug}/figures/{figure}",
            post(monitoring::track_figure),
        )
        .route(
            "/missions/{slug}/upload",
            get(monitoring::upload_form).post(monitoring::upload),
        )
}

const CSS: &str = include_str!("../../static/cairn.css");
const JS: &str = include_str!("../../static/cairn.js");

async fn css() -> Response {
    asset(CSS, "text/css; charset=utf-8")
}

async fn js() -> Response {
    asset(JS, "text/javascript; charset=utf-8")
}

fn asset(body: &'static str, content_type: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        body,
    )
        .into_response()
}

/// What every page's frame shows: who is signed in and what they may reach.
#[derive(Debug, Clone, Default)]
pub struct Chrome {
    pub user: Option<String>,
    pub role: Option<String>,
    pub csrf: String,
    pub may_edit: bool,
    pub is_admin: bool,
    /// The search box's text.
    pub query: String,
}

impl Chrome {
    pub fn new(v: &Visitor) -> Self {
        Self {
            user: v.user.as_ref().map(|u| u.username.to_string()),
            role: v.user.as_ref().map(|u| u.role.to_string()),
            csrf: v.csrf().unwrap_or_default(),
            may_edit: v.may(Permission::EditStrategy),
            is_admin: v.may(Permission::Administer),
            query: String::new(),
        }
    }
}

/// A page that could not be shown, rendered as HTML with the API's status and message.
#[derive(Debug)]
pub struct PageError(pub ApiError);

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        Self(e)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    status: u16,
    reason: String,
    message: String,
}

/// What an error page says, kept on the response so that [`error_chrome`] can render it again
/// with the visitor's own header.
#[derive(Debug, Clone)]
struct ErrorInfo(ApiError);

fn error_page(e: &ApiError, chrome: Chrome) -> Response {
    let page = ErrorPage {
        chrome,
        status: e.status.as_u16(),
        reason: e.status.canonical_reason().unwrap_or("Error").to_string(),
        message: e.message.clone(),
    };
    match page.render() {
        Ok(html) => (e.status, Html(html)).into_response(),
        Err(err) => ApiError::internal(err).into_response(),
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let mut res = error_page(&self.0, Chrome::default());
        res.extensions_mut().insert(ErrorInfo(self.0));
        res
    }
}

/// Error pages come from places that do not know the visitor (extractors, the fallback): this
/// renders them again with the signed-in user's header, looking the session up only then.
pub async fn error_chrome(State(app): State<App>, req: Request, next: Next) -> Response {
    // Only the cookie is kept: this runs on every request.
    let cookie = req.headers().get(header::COOKIE).cloned();
    let res = next.run(req).await;
    let Some(ErrorInfo(e)) = res.extensions().get::<ErrorInfo>().cloned() else {
        return res;
    };
    let Some(cookie) = cookie else {
        return res;
    };
    let mut headers = HeaderMap::new();
    headers.insert(header::COOKIE, cookie);
    match Visitor::from_headers(&headers, &app).await {
        Ok(v) if v.user.is_some() => error_page(&e, Chrome::new(&v)),
        _ => res,
    }
}

pub type PageResult = Result<Response, PageError>;

/// Renders a template as a 200 page.
pub fn render(t: &impl Template) -> PageResult {
    render_status(StatusCode::OK, t)
}

pub fn render_status(status: StatusCode, t: &impl Template) -> PageResult {
    t.render()
        .map(|html| (status, Html(html)).into_response())
        .map_err(|e| PageError(ApiError::internal(e)))
}

/// None when the visitor holds the permission; otherwise the response that shows the way
/// forward: anonymous visitors go to sign in, one-time-password holders to change it, others
/// get 403.
pub fn require(v: &Visitor, p: Permission, here: &Uri) -> Option<Response> {
    match v.require(p) {
        Ok(_) => None,
        Err(e) if e.code == "unauthenticated" => {
            let next = here.path_and_query().map_or("/", |p| p.as_str());
            Some(Redirect::to(&format!("/sign-in?next={}", encode(next))).into_response())
        }
        Err(e) if e.code == "password-change-required" => {
            Some(Redirect::to("/account/password").into_response())
        }
        Err(e) => Some(PageError(e).into_response()),
    }
}

/// Percent-encodes a query value.
pub fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Refuses a form posted from another origin (a second line behind SameSite cookies and the
/// CSRF token, and the only one for the sign-in form).
fn same_origin(headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return Ok(());
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let origin_host = origin.split_once("://").map_or(origin, |(_, h)| h);
    if origin == "null" || origin_host != host {
        return Err(ApiError::forbidden(format!(
            "a form from {origin} cannot write here"
        )));
    }
    Ok(())
}

/// A form body (`application/x-www-form-urlencoded`), from this origin.
pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        same_origin(req.headers())?;
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::new(e.status(), "unreadable-body", e.body_text()))?;
        Ok(Form(crate::extract::parse_urlencoded(&bytes, "form")?))
    }
}

/// A form's CSRF token must be the session's.
pub fn check_csrf(v: &Visitor, given: &str) -> Result<(), PageError> {
    v.check_csrf(Some(given)).map_err(|mut e| {
        e.message = "This form belongs to a session that has ended or changed. Go back, reload the page and try again.".into();
        PageError(e)
    })
}

/// Paragraphs of a narrative block (split at blank lines).
pub fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

pub async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return crate::api::not_found(uri).await.into_response();
    }
    PageError(ApiError::not_found(format!(
        "There is no page at {}.",
        uri.path()
    )))
    .into_response()
}

pub async fn method_not_allowed(method: Method, uri: Uri) -> Response {
    let e = crate::api::method_not_allowed(method, uri.clone()).await;
    if uri.path().starts_with("/api/") {
        e.into_response()
    } else {
        PageError(e).into_response()
    }
}
