//! Signing in and out, one's own password, and user administration.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cairn_app::AccountError;
use cairn_core::{Permission, Role};
use cairn_store::{NewSession, User, UserChange, UserUpdate, Username};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::openapi::{RoleSchema, UserPath};
use super::{List, Page};
use crate::auth::{self, Visitor};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Body, IfMatch, Params, PathParams, etag};
use crate::state::App;

impl From<AccountError> for ApiError {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::Store(e) => e.into(),
            AccountError::WeakPassword(m) => ApiError::invalid_field("/password", m),
            AccountError::SelfLockout(m) => ApiError::forbidden(m),
            e => ApiError::internal(e),
        }
    }
}

/// A user account (never its password).
#[derive(Debug, Serialize, ToSchema)]
pub struct UserOut {
    pub username: String,
    #[schema(value_type = RoleSchema)]
    pub role: Role,
    pub disabled: bool,
    /// Signed in with a one-time password that must be changed before anything else.
    pub must_change_password: bool,
    pub created_at: DateTime<Utc>,
    /// The account's version (its ETag).
    pub version: u32,
}

impl From<User> for UserOut {
    fn from(u: User) -> Self {
        Self {
            username: u.username.to_string(),
            role: u.role,
            disabled: u.disabled,
            must_change_password: u.must_change_password,
            created_at: u.created_at,
            version: u.version,
        }
    }
}

/// Who is signed in, and the token to send as `X-CSRF-Token` with every write.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionOut {
    pub user: UserOut,
    pub csrf_token: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    pub username: String,
    pub password: String,
}

/// Starts a session and returns the CSRF token to send with each write made with its cookie.
pub async fn start_session(app: &App, user: User) -> Result<(String, String), ApiError> {
    let token = auth::new_token()?;
    let new = NewSession {
        token_hash: auth::token_hash(&token),
        username: user.username.clone(),
        at: Utc::now(),
    };
    app.run(move |s| s.start_session(new)).await?;
    let csrf = auth::csrf_token(&token);
    Ok((token, csrf))
}

/// Signs in: sets the session cookie (HttpOnly, SameSite=Strict).
#[utoipa::path(post, path = "/api/v1/session", tag = "accounts", request_body = SignIn,
    responses((status = 200, body = SessionOut, headers(("Set-Cookie" = String))),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn sign_in(
    State(app): State<App>,
    headers: HeaderMap,
    Body(body): Body<SignIn>,
) -> Result<Response, ApiError> {
    let SignIn { username, password } = body;
    let name = username.clone();
    let user = app
        .run(move |s| cairn_app::accounts::authenticate(s, &name, &password))
        .await?;
    let Some(user) = user else {
        tracing::info!(user = %username.chars().take(64).collect::<String>(), "sign-in refused");
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "bad-credentials",
            "wrong user name or password, or the account is disabled",
        ));
    };
    let (token, csrf) = start_session(&app, user.clone()).await?;
    let cookie = auth::session_cookie(&token, auth::secure(&app, &headers));
    let mut res = axum::Json(SessionOut {
        user: user.into(),
        csrf_token: csrf,
    })
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(res)
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/session", tag = "accounts",
    responses((status = 200, body = SessionOut), (status = 401, body = ErrorBody)))]
pub async fn current(visitor: Visitor) -> Result<axum::Json<SessionOut>, ApiError> {
    let user = visitor.signed_in()?.clone();
    Ok(axum::Json(SessionOut {
        user: user.into(),
        csrf_token: visitor.csrf().unwrap_or_default(),
    }))
}

fn csrf_header(headers: &HeaderMap) -> Option<&str> {
    headers.get(auth::CSRF_HEADER).and_then(|v| v.to_str().ok())
}

/// Signs out: ends the session and clears the cookie.
#[utoipa::path(delete, path = "/api/v1/session", tag = "accounts",
    responses((status = 204, description = "signed out"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn sign_out(
    State(app): State<App>,
    visitor: Visitor,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let user = visitor.signed_in()?.clone();
    visitor.check_csrf(csrf_header(&headers))?;
    if let Some(hash) = visitor.session_hash() {
        app.run(move |s| s.end_session(&hash, user.username.as_str()))
            .await?;
    }
    let mut res = StatusCode::NO_CONTENT.into_response();
    if let Ok(v) = HeaderValue::from_str(&auth::clear_cookie(auth::secure(&app, &headers))) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(res)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    /// At least 12 characters, at most 1024 bytes, not the user name.
    #[schema(min_length = 12)]
    pub new_password: String,
}

/// Changes one's own password (required first after a one-time password). Ends every session
/// of the user and starts a new one for this client.
#[utoipa::path(post, path = "/api/v1/account/password", tag = "accounts", request_body = PasswordChange,
    responses((status = 200, body = SessionOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn change_password(
    State(app): State<App>,
    visitor: Visitor,
    headers: HeaderMap,
    Body(body): Body<PasswordChange>,
) -> Result<Response, ApiError> {
    let user = visitor.signed_in()?.clone();
    visitor.check_csrf(csrf_header(&headers))?;
    let name = user.username.clone();
    let changed = app
        .run(move |s| {
            cairn_app::accounts::change_own_password(
                s,
                &name,
                &body.current_password,
                &body.new_password,
            )
        })
        .await
        .map_err(|e| match e.code {
            "invalid-field" => ApiError::invalid_field("/new_password", e.message),
            _ => e,
        })?;
    let Some(user) = changed else {
        return Err(ApiError::invalid_field(
            "/current_password",
            "the current password is wrong",
        ));
    };
    let (token, csrf) = start_session(&app, user.clone()).await?;
    let mut res = axum::Json(SessionOut {
        user: user.into(),
        csrf_token: csrf,
    })
    .into_response();
    let cookie = auth::session_cookie(&token, auth::secure(&app, &headers));
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(res)
}

/// Every user account.
#[utoipa::path(get, path = "/api/v1/users", tag = "accounts", params(Page),
    responses((status = 200, body = List<UserOut>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(app): State<App>,
    visitor: Visitor,
    Params(page): Params<Page>,
) -> Result<axum::Json<List<UserOut>>, ApiError> {
    visitor.require(Permission::Administer)?;
    page.limit()?;
    let users = app.run(|s| s.users()).await?;
    Ok(axum::Json(
        page.cut(users.into_iter().map(UserOut::from).collect())?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserIn {
    /// 1–64 characters: a–z, 0–9, `.`, `_`, `-`, starting with a letter or digit.
    #[schema(pattern = "^[a-z0-9][a-z0-9._-]{0,63}$")]
    pub username: String,
    /// `viewer` (the default), `editor`, `approver` or `admin`.
    #[schema(value_type = Option<RoleSchema>)]
    pub role: Option<String>,
    /// Without one, a one-time password is made and returned once. At least 12 characters,
    /// at most 1024 bytes, not the user name.
    #[schema(min_length = 12)]
    pub password: Option<String>,
}

/// A new account, and its one-time password when none was given.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewUserOut {
    pub user: UserOut,
    pub one_time_password: Option<String>,
}

fn username(s: &str, pointer: &str) -> Result<Username, ApiError> {
    Username::parse(s).map_err(|e| ApiError::invalid_field(pointer, e.to_string()))
}

fn role(s: &str, pointer: &str) -> Result<Role, ApiError> {
    s.parse::<Role>()
        .map_err(|e| ApiError::invalid_field(pointer, e.to_string()))
}

fn with_etag(version: u32, body: impl Serialize, status: StatusCode) -> Response {
    let mut res = (status, axum::Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&etag(version)) {
        res.headers_mut().insert(header::ETAG, v);
    }
    res
}

/// Adds a user.
#[utoipa::path(post, path = "/api/v1/users", tag = "accounts", request_body = NewUserIn,
    responses((status = 201, body = NewUserOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn add(
    State(app): State<App>,
    visitor: Visitor,
    headers: HeaderMap,
    Body(body): Body<NewUserIn>,
) -> Result<Response, ApiError> {
    let admin = visitor.require(Permission::Administer)?.clone();
    visitor.check_csrf(csrf_header(&headers))?;
    let name = username(&body.username, "/username")?;
    let role = match &body.role {
        Some(r) => role(r, "/role")?,
        None => Role::Viewer,
    };
    let (user, otp) = app
        .run(move |s| {
            cairn_app::accounts::add_user(s, name, role, body.password, admin.username.to_string())
        })
        .await?;
    let version = user.version;
    Ok(with_etag(
        version,
        NewUserOut {
            user: user.into(),
            one_time_password: otp,
        },
        StatusCode::CREATED,
    ))
}

async fn find(app: &App, name: Username) -> Result<User, ApiError> {
    let shown = name.to_string();
    app.run(move |s| s.credentials(&name))
        .await?
        .map(|c| c.user)
        .ok_or_else(|| ApiError::not_found(format!("no user {shown}")))
}

fn path_user(s: &str) -> Result<Username, ApiError> {
    Username::parse(s).map_err(|_| ApiError::not_found(format!("no user {s}")))
}

/// One account; its ETag is its version.
#[utoipa::path(get, path = "/api/v1/users/{name}", tag = "accounts",
    params(UserPath),
    responses((status = 200, body = UserOut, headers(("ETag" = String))), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
) -> Result<Response, ApiError> {
    let name = path.get("name").to_string();
    visitor.require(Permission::Administer)?;
    let user = find(&app, path_user(&name)?).await?;
    Ok(with_etag(user.version, UserOut::from(user), StatusCode::OK))
}

/// Changes to an account; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    #[schema(value_type = Option<RoleSchema>)]
    pub role: Option<String>,
    pub disabled: Option<bool>,
}

/// Changes a user's role or disables (enables) the account. Disabling ends their sessions.
#[utoipa::path(patch, path = "/api/v1/users/{name}", tag = "accounts",
    params(UserPath,
        ("If-Match" = String, Header, description = "ETag of the account you read")),
    request_body = UserPatch,
    responses((status = 200, body = UserOut, headers(("ETag" = String))), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 412, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 428, body = ErrorBody)))]
pub async fn update(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
    headers: HeaderMap,
    Body(body): Body<UserPatch>,
) -> Result<Response, ApiError> {
    let name = path.get("name").to_string();
    let admin = visitor.require(Permission::Administer)?.clone();
    visitor.check_csrf(csrf_header(&headers))?;
    let mut updates = Vec::new();
    if let Some(r) = &body.role {
        updates.push(UserUpdate::Role(role(r, "/role")?));
    }
    if let Some(d) = body.disabled {
        updates.push(UserUpdate::Disabled(d));
    }
    if updates.is_empty() {
        return Err(ApiError::invalid_field(
            "",
            "nothing to change: send role or disabled",
        ));
    }
    let target = path_user(&name)?;
    let user = find(&app, target.clone()).await?;
    let mut version = IfMatch::read(&headers).base(user.version, "account")?;
    for u in &updates {
        cairn_app::accounts::check_not_self(admin.username.as_str(), &target, u)?;
    }
    let actor = admin.username.to_string();
    let user = app
        .run(move |s| {
            let mut last = None;
            for update in updates {
                let u = s.change_user(UserChange {
                    username: target.clone(),
                    base_version: Some(version),
                    update,
                    actor: actor.clone(),
                })?;
                version = u.version;
                last = Some(u);
            }
            Ok::<_, cairn_store::StoreError>(last)
        })
        .await?
        .ok_or_else(|| ApiError::internal("no update applied"))?;
    Ok(with_etag(user.version, UserOut::from(user), StatusCode::OK))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetIn {
    /// The new password; without one a one-time password is made and returned once. At least
    /// 12 characters, at most 1024 bytes, not the user name.
    #[schema(min_length = 12)]
    pub password: Option<String>,
}

/// Sets a new password for a user (ends their sessions).
#[utoipa::path(post, path = "/api/v1/users/{name}/password", tag = "accounts",
    params(UserPath,
        ("If-Match" = String, Header, description = "ETag of the account you read")),
    request_body = ResetIn,
    responses((status = 200, body = NewUserOut, headers(("ETag" = String))), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 412, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 428, body = ErrorBody)))]
pub async fn reset(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
    headers: HeaderMap,
    Body(body): Body<ResetIn>,
) -> Result<Response, ApiError> {
    let name = path.get("name").to_string();
    let admin = visitor.require(Permission::Administer)?.clone();
    visitor.check_csrf(csrf_header(&headers))?;
    let target = path_user(&name)?;
    let user = find(&app, target.clone()).await?;
    // The body is judged before the precondition (RFC 9110 §13.2.1).
    if let Some(problem) = body
        .password
        .as_deref()
        .and_then(|p| cairn_app::accounts::password_problem(target.as_str(), p))
    {
        return Err(ApiError::invalid_field("/password", problem));
    }
    let base = IfMatch::read(&headers).base(user.version, "account")?;
    let (user, otp) = app
        .run(move |s| {
            cairn_app::accounts::reset_password(
                s,
                target,
                Some(base),
                body.password,
                admin.username.to_string(),
            )
        })
        .await?;
    Ok(with_etag(
        user.version,
        NewUserOut {
            user: user.into(),
            one_time_password: otp,
        },
        StatusCode::OK,
    ))
}
