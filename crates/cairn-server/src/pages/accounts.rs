//! Signing in and out, one's own password, user administration and the audit log.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use cairn_core::{Permission, Role};
use cairn_store::{UserChange, UserUpdate, Username, Verification};
use serde::Deserialize;

use super::{Chrome, Form, PageError, PageResult, check_csrf, render, render_status, require};
use crate::api::accounts::start_session;
use crate::auth::{self, Visitor};
use crate::error::ApiError;
use crate::extract::{Params, PathParams};
use crate::state::App;

#[derive(Debug, Deserialize)]
pub struct Next {
    pub next: Option<String>,
}

/// Only a path on this site (never `//host` or a scheme) may be a place to return to.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    next: String,
    username: String,
    problem: String,
}

pub async fn sign_in_form(visitor: Visitor, Params(n): Params<Next>) -> PageResult {
    render(&SignInPage {
        chrome: Chrome::new(&visitor),
        next: safe_next(n.next.as_deref()),
        username: String::new(),
        problem: String::new(),
    })
}

#[derive(Debug, Deserialize)]
pub struct SignInForm {
    pub username: String,
    pub password: String,
    pub next: Option<String>,
}

fn with_cookie(mut res: Response, cookie: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

pub async fn sign_in(
    State(app): State<App>,
    visitor: Visitor,
    headers: HeaderMap,
    Form(f): Form<SignInForm>,
) -> PageResult {
    let name = f.username.clone();
    let password = f.password;
    let user = app
        .run(move |s| cairn_app::accounts::authenticate(s, &name, &password))
        .await?;
    let Some(user) = user else {
        return render_status(
            StatusCode::UNAUTHORIZED,
            &SignInPage {
                chrome: Chrome::new(&visitor),
                next: safe_next(f.next.as_deref()),
                username: f.username,
                problem: "Wrong user name or password, or the account is disabled.".into(),
            },
        );
    };
    let must_change = user.must_change_password;
    let (token, _) = start_session(&app, user).await?;
    let to = if must_change {
        "/account/password".to_string()
    } else {
        safe_next(f.next.as_deref())
    };
    Ok(with_cookie(
        Redirect::to(&to).into_response(),
        &auth::session_cookie(&token, auth::secure(&app, &headers)),
    ))
}

#[derive(Debug, Deserialize)]
pub struct CsrfOnly {
    pub csrf: String,
}

pub async fn sign_out(
    State(app): State<App>,
    visitor: Visitor,
    headers: HeaderMap,
    Form(f): Form<CsrfOnly>,
) -> PageResult {
    check_csrf(&visitor, &f.csrf)?;
    if let (Some(hash), Some(user)) = (visitor.session_hash(), visitor.user.clone()) {
        app.run(move |s| s.end_session(&hash, user.username.as_str()))
            .await?;
    }
    Ok(with_cookie(
        Redirect::to("/").into_response(),
        &auth::clear_cookie(auth::secure(&app, &headers)),
    ))
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    chrome: Chrome,
    must_change: bool,
    problem: String,
    done: bool,
}

pub async fn password_form(visitor: Visitor, uri: Uri) -> PageResult {
    let Some(user) = &visitor.user else {
        return Ok(
            Redirect::to(&format!("/sign-in?next={}", super::encode(uri.path()))).into_response(),
        );
    };
    render(&PasswordPage {
        chrome: Chrome::new(&visitor),
        must_change: user.must_change_password,
        problem: String::new(),
        done: false,
    })
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    pub csrf: String,
    pub current: String,
    pub new: String,
    pub repeat: String,
}

pub async fn change_password(
    State(app): State<App>,
    visitor: Visitor,
    headers: HeaderMap,
    Form(f): Form<PasswordForm>,
) -> PageResult {
    let user = visitor.signed_in()?.clone();
    check_csrf(&visitor, &f.csrf)?;
    let again = |problem: &str| PasswordPage {
        chrome: Chrome::new(&visitor),
        must_change: user.must_change_password,
        problem: problem.to_string(),
        done: false,
    };
    if f.new != f.repeat {
        return render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &again("The two new passwords differ."),
        );
    }
    let name = user.username.clone();
    let changed = app
        .run(move |s| cairn_app::accounts::change_own_password(s, &name, &f.current, &f.new))
        .await;
    match changed {
        Ok(Some(user)) => {
            // Every session of the user ended with the change; this browser gets a new one.
            let (token, _) = start_session(&app, user.clone()).await?;
            let page = render(&PasswordPage {
                chrome: Chrome::new(&Visitor::signed_in_as(user, token.clone())),
                must_change: false,
                problem: String::new(),
                done: true,
            })?;
            Ok(with_cookie(
                page,
                &auth::session_cookie(&token, auth::secure(&app, &headers)),
            ))
        }
        Ok(None) => render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &again("The current password is wrong."),
        ),
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &again(&e.message))
        }
        Err(e) => Err(PageError(e)),
    }
}

pub struct UserRow {
    pub name: String,
    pub role: String,
    pub disabled: bool,
    pub must_change: bool,
    pub version: u32,
    pub is_self: bool,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    chrome: Chrome,
    users: Vec<UserRow>,
    roles: Vec<&'static str>,
    notice: String,
    otp_for: String,
    otp: String,
    problem: String,
}

async fn users_page(
    app: &App,
    visitor: &Visitor,
    notice: String,
    otp: Option<(String, String)>,
    problem: String,
) -> PageResult {
    let me = visitor
        .user
        .as_ref()
        .map(|u| u.username.to_string())
        .unwrap_or_default();
    let users = app.run(|s| s.users()).await?;
    let (otp_for, otp) = otp.unwrap_or_default();
    let status = if problem.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render_status(
        status,
        &UsersPage {
            chrome: Chrome::new(visitor),
            users: users
                .into_iter()
                .map(|u| UserRow {
                    is_self: u.username.as_str() == me,
                    name: u.username.to_string(),
                    role: u.role.to_string(),
                    disabled: u.disabled,
                    must_change: u.must_change_password,
                    version: u.version,
                })
                .collect(),
            roles: Role::ALL.iter().map(|r| r.as_str()).collect(),
            notice,
            otp_for,
            otp,
            problem,
        },
    )
}

pub async fn users(State(app): State<App>, visitor: Visitor, uri: Uri) -> PageResult {
    if let Some(r) = require(&visitor, Permission::Administer, &uri) {
        return Ok(r);
    }
    users_page(&app, &visitor, String::new(), None, String::new()).await
}

#[derive(Debug, Deserialize)]
pub struct AddForm {
    pub csrf: String,
    pub username: String,
    pub role: String,
}

pub async fn add_user(
    State(app): State<App>,
    visitor: Visitor,
    uri: Uri,
    Form(f): Form<AddForm>,
) -> PageResult {
    if let Some(r) = require(&visitor, Permission::Administer, &uri) {
        return Ok(r);
    }
    check_csrf(&visitor, &f.csrf)?;
    let name = match Username::parse(f.username.trim()) {
        Ok(n) => n,
        Err(e) => return users_page(&app, &visitor, String::new(), None, e.to_string()).await,
    };
    let role = match f.role.parse::<Role>() {
        Ok(r) => r,
        Err(e) => return users_page(&app, &visitor, String::new(), None, e.to_string()).await,
    };
    let actor = visitor
        .user
        .as_ref()
        .map(|u| u.username.to_string())
        .unwrap_or_default();
    let n2 = name.clone();
    match app
        .run(move |s| cairn_app::accounts::add_user(s, n2, role, None, actor))
        .await
    {
        Ok((user, otp)) => {
            users_page(
                &app,
                &visitor,
                format!("Added {} as {}.", user.username, user.role),
                otp.map(|o| (name.to_string(), o)),
                String::new(),
            )
            .await
        }
        Err(e) if e.status.is_client_error() => {
            users_page(&app, &visitor, String::new(), None, e.message).await
        }
        Err(e) => Err(PageError(e)),
    }
}

#[derive(Debug, Deserialize)]
pub struct ChangeForm {
    pub csrf: String,
    /// `role`, `disable`, `enable` or `reset`.
    pub action: String,
    pub role: Option<String>,
    pub version: u32,
}

pub async fn change_user(
    State(app): State<App>,
    visitor: Visitor,
    uri: Uri,
    path: PathParams,
    Form(f): Form<ChangeForm>,
) -> PageResult {
    let name = path.get("name").to_string();
    if let Some(r) = require(&visitor, Permission::Administer, &uri) {
        return Ok(r);
    }
    check_csrf(&visitor, &f.csrf)?;
    let target =
        Username::parse(&name).map_err(|_| ApiError::not_found(format!("no user {name}")))?;
    let actor = visitor
        .user
        .as_ref()
        .map(|u| u.username.to_string())
        .unwrap_or_default();
    let update = match f.action.as_str() {
        "role" => {
            let r = f.role.as_deref().unwrap_or_default();
            match r.parse::<Role>() {
                Ok(r) => Some(UserUpdate::Role(r)),
                Err(e) => {
                    return users_page(&app, &visitor, String::new(), None, e.to_string()).await;
                }
            }
        }
        "disable" => Some(UserUpdate::Disabled(true)),
        "enable" => Some(UserUpdate::Disabled(false)),
        "reset" => None,
        other => {
            return Err(PageError(ApiError::bad_request(
                "invalid-form",
                format!(
                    "form parameter action: {other:?} is not one of role, disable, enable, reset"
                ),
            )));
        }
    };
    let outcome = match update {
        Some(update) => {
            if let Err(e) = cairn_app::accounts::check_not_self(&actor, &target, &update) {
                return users_page(&app, &visitor, String::new(), None, e.to_string()).await;
            }
            let t = target.clone();
            app.run(move |s| {
                s.change_user(UserChange {
                    username: t,
                    base_version: Some(f.version),
                    update,
                    actor,
                })
            })
            .await
            .map(|u| {
                (
                    format!(
                        "{} is now {}{}.",
                        u.username,
                        u.role,
                        if u.disabled { ", disabled" } else { "" }
                    ),
                    None,
                )
            })
        }
        None => {
            let t = target.clone();
            app.run(move |s| {
                cairn_app::accounts::reset_password(s, t, Some(f.version), None, actor)
            })
            .await
            .map(|(u, otp)| {
                (
                    format!("{}'s password was reset; their sessions ended.", u.username),
                    otp.map(|o| (u.username.to_string(), o)),
                )
            })
        }
    };
    match outcome {
        Ok((notice, otp)) => users_page(&app, &visitor, notice, otp, String::new()).await,
        Err(e) if e.status.is_client_error() => {
            users_page(&app, &visitor, String::new(), None, e.message).await
        }
        Err(e) => Err(PageError(e)),
    }
}

pub struct AuditRow {
    pub seq: u64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub object: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    intact: bool,
    verdict: String,
    rows: Vec<AuditRow>,
    page: usize,
    pages: usize,
}

#[derive(Debug, Deserialize)]
pub struct AuditParams {
    pub page: Option<usize>,
}

const AUDIT_PAGE: usize = 100;

pub async fn audit(
    State(app): State<App>,
    visitor: Visitor,
    uri: Uri,
    Params(p): Params<AuditParams>,
) -> PageResult {
    if let Some(r) = require(&visitor, Permission::Administer, &uri) {
        return Ok(r);
    }
    let (entries, verification) = app
        .run(|s| Ok::<_, cairn_store::StoreError>((s.audit_log()?, cairn_store::verify(s)?)))
        .await?;
    let (intact, verdict) = match verification {
        Verification::Intact { entries, head } => (
            true,
            format!(
                "The chain of {entries} entries is intact; its head is {}.",
                head.unwrap_or_default()
            ),
        ),
        Verification::Broken(b) => (
            false,
            format!("The chain is broken at entry {}: {}", b.seq, b.reason),
        ),
    };
    let pages = entries.len().div_ceil(AUDIT_PAGE).max(1);
    let page = p.page.unwrap_or(1).clamp(1, pages);
    let rows = entries
        .into_iter()
        .rev()
        .skip((page - 1) * AUDIT_PAGE)
        .take(AUDIT_PAGE)
        .map(|e| AuditRow {
            seq: e.seq,
            at: e.at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
            actor: e.actor,
            action: e.action,
            object: e.object,
        })
        .collect();
    render(&AuditPage {
        chrome: Chrome::new(&visitor),
        intact,
        verdict,
        rows,
        page,
        pages,
    })
}
