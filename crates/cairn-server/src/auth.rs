//! Who is asking: session tokens (random, stored only as their SHA-256),
//! the CSRF token each session derives, and the [`Visitor`] every handler receives.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cairn_core::{Permission, Role};
use cairn_store::{Session, User};
use chrono::Utc;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::state::App;

/// The session cookie's name.
pub const COOKIE: &str = "cairn_session";

/// The header an API client sends the CSRF token in (forms send a `csrf` field).
pub const CSRF_HEADER: &str = "x-csrf-token";

fn random_bytes<const N: usize>() -> Result<[u8; N], ApiError> {
    cairn_app::accounts::random_bytes::<N>().map_err(ApiError::internal)
}

/// A new session token: 32 random bytes, base64url.
pub fn new_token() -> Result<String, ApiError> {
    Ok(URL_SAFE_NO_PAD.encode(random_bytes::<32>()?))
}

/// What the database keeps of a token: its SHA-256, so that a copy of the database signs no
/// one in.
pub fn token_hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

/// The CSRF token of a session: derived from its secret token, so it needs no storage and no
/// other site can compute it.
pub fn csrf_token(token: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"cairn-csrf\0");
    h.update(token.as_bytes());
    URL_SAFE_NO_PAD.encode(h.finalize())
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The session token a request's cookie carries.
pub fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty() && v.len() <= 128)
}

/// The `Set-Cookie` value that starts a session.
pub fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that ends one.
pub fn clear_cookie(secure: bool) -> String {
    format!(
        "{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}

/// Whether cookies should be Secure for this request: configured, or a TLS proxy says so.
pub fn secure(app: &App, headers: &HeaderMap) -> bool {
    app.config().secure_cookies
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// The signed-in user behind a request, if any.
#[derive(Debug, Clone, Default)]
pub struct Visitor {
    pub user: Option<User>,
    /// The session's secret token (from the cookie), for deriving its CSRF token.
    token: Option<String>,
}

impl Visitor {
    pub fn role(&self) -> Option<Role> {
        self.user
            .as_ref()
            .filter(|u| !u.must_change_password)
            .map(|u| u.role)
    }

    pub fn may(&self, p: Permission) -> bool {
        p.granted_to(self.role())
    }

    /// The user, when they hold the permission: 401 for anonymous visitors, 403 otherwise.
    pub fn require(&self, p: Permission) -> Result<&User, ApiError> {
        let Some(user) = &self.user else {
            return Err(ApiError::unauthorized());
        };
        if user.must_change_password {
            return Err(ApiError::new(
                axum::http::StatusCode::FORBIDDEN,
                "password-change-required",
                "change your one-time password first: POST /api/v1/account/password",
            ));
        }
        if !user.role.allows(p) {
            return Err(ApiError::forbidden(format!(
                "your role ({}) does not allow this",
                user.role
            )));
        }
        Ok(user)
    }

    /// The signed-in user whatever their role (for changing one's own password).
    pub fn signed_in(&self) -> Result<&User, ApiError> {
        self.user.as_ref().ok_or_else(ApiError::unauthorized)
    }

    pub fn csrf(&self) -> Option<String> {
        self.token.as_deref().map(csrf_token)
    }

    pub fn session_hash(&self) -> Option<String> {
        self.token.as_deref().map(token_hash)
    }

    /// Refuses a cookie-authenticated write whose CSRF token is missing or wrong.
    pub fn check_csrf(&self, given: Option<&str>) -> Result<(), ApiError> {
        match (self.csrf(), given) {
            (None, _) => Ok(()),
            (Some(want), Some(given)) if same(&want, given) => Ok(()),
            _ => Err(ApiError::new(
                axum::http::StatusCode::FORBIDDEN,
                "csrf",
                "missing or wrong CSRF token: send the X-CSRF-Token header that sign-in returned (forms carry it themselves)",
            )),
        }
    }
}

/// How often a session's last use is written (not on every request).
const TOUCH_EVERY: chrono::Duration = chrono::Duration::seconds(60);

impl Visitor {
    /// The visitor a fresh session belongs to (just signed in, or just changed password).
    pub fn signed_in_as(user: User, token: String) -> Self {
        Self {
            user: Some(user),
            token: Some(token),
        }
    }

    /// Who sends these headers: the session their cookie names, if it is alive.
    pub async fn from_headers(headers: &HeaderMap, app: &App) -> Result<Self, ApiError> {
        let Some(token) = cookie_token(headers) else {
            return Ok(Self::default());
        };
        let hash = token_hash(&token);
        let config = app.config().clone();
        let found: Option<(Session, User)> = app
            .run(move |s| {
                let Some((session, user)) = s.session(&hash)? else {
                    return Ok::<_, cairn_store::StoreError>(None);
                };
                let now = Utc::now();
                let idle = chrono::Duration::from_std(config.idle_timeout).unwrap_or(TOUCH_EVERY);
                let absolute =
                    chrono::Duration::from_std(config.absolute_timeout).unwrap_or(TOUCH_EVERY);
                if now - session.last_seen > idle || now - session.created_at > absolute {
                    s.end_session(&hash, "system")?;
                    return Ok(None);
                }
                // Recorded often enough that a short idle timeout cannot end a session in use.
                if now - session.last_seen > TOUCH_EVERY.min(idle / 2) {
                    s.touch_session(&hash, now)?;
                }
                Ok(Some((session, user)))
            })
            .await?;
        Ok(match found {
            Some((_, user)) => Self::signed_in_as(user, token),
            None => Self::default(),
        })
    }
}

impl FromRequestParts<App> for Visitor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        if let Some(v) = parts.extensions.get::<Visitor>() {
            return Ok(v.clone());
        }
        let visitor = Self::from_headers(&parts.headers, app).await?;
        parts.extensions.insert(visitor.clone());
        Ok(visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let a = new_token().unwrap_or_default();
        let b = new_token().unwrap_or_default();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(csrf_token(&a), csrf_token(&b));
        assert_eq!(csrf_token(&a), csrf_token(&a));
    }

    #[test]
    fn cookie_parsing() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            "a=b; cairn_session=tok; c=d"
                .parse()
                .unwrap_or_else(|_| unreachable!()),
        );
        assert_eq!(cookie_token(&h).as_deref(), Some("tok"));
        assert_eq!(cookie_token(&HeaderMap::new()), None);
    }

    #[test]
    fn csrf_is_checked_only_for_cookie_sessions() {
        let anon = Visitor::default();
        assert!(anon.check_csrf(None).is_ok());
        let v = Visitor {
            user: None,
            token: Some("t".into()),
        };
        assert!(v.check_csrf(None).is_err());
        assert!(v.check_csrf(Some("wrong")).is_err());
        assert!(v.check_csrf(Some(&csrf_token("t"))).is_ok());
    }
}
