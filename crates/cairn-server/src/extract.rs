//! Request parts read with errors that say where: a JSON pointer into the body, the query
//! parameter at fault, the precondition header.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, MatchedPath, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::error::ApiError;

/// A JSON request body.
pub struct Body<T>(pub T);

/// Turns serde's path into a JSON pointer (`/items/0/name`).
fn pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        out.push('/');
        match seg {
            Segment::Seq { index } => out.push_str(&index.to_string()),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                out.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            Segment::Unknown => out.push('?'),
        }
    }
    out
}

fn malformed(inner: &serde_json::Error) -> ApiError {
    ApiError::bad_request(
        "malformed-json",
        format!("the body is not valid JSON: {inner}"),
    )
    .with_details(json!({ "pointer": "", "line": inner.line(), "column": inner.column() }))
}

/// Reads a JSON body, which is always an object. Not JSON → 415; malformed → 400 with the line
/// and column; the wrong shape → 422 with a pointer to the field.
pub fn parse_json<T: DeserializeOwned>(headers: &HeaderMap, bytes: &[u8]) -> Result<T, ApiError> {
    let json_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| {
            let m = m.trim().to_ascii_lowercase();
            m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
        });
    if !json_type {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "the body must be JSON: send Content-Type: application/json",
        ));
    }
    // serde would also read a struct from an array of its fields in order (`[null, null]`);
    // the document says object, so anything else is the wrong shape.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(
            match serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
                Err(e) => malformed(&e),
                Ok(_) => ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid-body",
                    "the body must be a JSON object",
                )
                .with_details(json!({ "pointer": "" })),
            },
        );
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let at = pointer(e.path());
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() || inner.is_io() {
            malformed(&inner)
        } else {
            let place = if at.is_empty() {
                "the body".to_string()
            } else {
                at.clone()
            };
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-body",
                format!("{place}: {inner}"),
            )
            .with_details(json!({ "pointer": at }))
        }
    })
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let headers = req.headers().clone();
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too-large",
                    format!(
                        "the body is larger than the {} bytes accepted",
                        crate::BODY_LIMIT
                    ),
                )
            } else {
                ApiError::new(e.status(), "unreadable-body", e.body_text())
            }
        })?;
        parse_json(&headers, &bytes).map(Body)
    }
}

/// The parameters of a route's path (`{slug}`, `{rev}`, …) as text.
///
/// axum's own `Path` refuses a segment whose percent-escapes are not UTF-8 with a plain-text
/// 400 of its own, outside the one error shape and outside the OpenAPI document. This one
/// decodes leniently (bytes that are not UTF-8 become U+FFFD), so that every parameter reaches
/// the handler's own check and is answered as any other bad value: a slug or user name that
/// cannot exist is not found, a revision that is not a number is a 400.
#[derive(Debug, Clone, Default)]
pub struct PathParams(Vec<(String, String)>);

impl PathParams {
    /// The parameter called `name` (empty when the route has none).
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Pairs a route pattern (`/api/v1/missions/{slug}`) with a request path segment by
    /// segment. A parameter matches one whole segment, and a `/` inside a value stays escaped
    /// (`%2F`) in the path, so the segments line up.
    pub fn from_pattern(pattern: &str, path: &str) -> Self {
        Self(
            pattern
                .split('/')
                .zip(path.split('/'))
                .filter_map(|(p, v)| {
                    let name = p.strip_prefix('{')?.strip_suffix('}')?;
                    Some((
                        name.to_string(),
                        percent_encoding::percent_decode_str(v)
                            .decode_utf8_lossy()
                            .into_owned(),
                    ))
                })
                .collect(),
        )
    }
}

impl<S: Send + Sync> FromRequestParts<S> for PathParams {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let pattern = parts
            .extensions
            .get::<MatchedPath>()
            .map(|m| m.as_str().to_string())
            .unwrap_or_default();
        Ok(Self::from_pattern(&pattern, parts.uri.path()))
    }
}

/// A query string.
pub struct Params<T>(pub T);

/// Reads `a=1&b=2` (a query string or a form body); `what` names it in errors.
pub fn parse_urlencoded<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, ApiError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(bytes));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let param = e.path().to_string();
        let inner = e.into_inner();
        let message = if param == "." {
            format!("{what}: {inner}")
        } else {
            format!("{what} parameter {param}: {inner}")
        };
        ApiError::bad_request("invalid-query", message).with_details(json!({ "parameter": param }))
    })
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        parse_urlencoded(query.as_bytes(), "query").map(Params)
    }
}

/// What an `If-Match` header asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfMatch {
    Absent,
    /// `*`: whatever is current.
    Any,
    /// `"3"`: this version and no other.
    Version(u32),
    /// A tag that names no version of ours; it can never match.
    Never,
}

impl IfMatch {
    pub fn read(headers: &HeaderMap) -> Self {
        let Some(v) = headers.get(header::IF_MATCH) else {
            return Self::Absent;
        };
        let Ok(v) = v.to_str() else {
            return Self::Never;
        };
        let v = v.trim();
        if v == "*" {
            return Self::Any;
        }
        // A list may name several tags; any of ours will do.
        v.split(',')
            .filter_map(|t| {
                let t = t.trim();
                let t = t.strip_prefix("W/").unwrap_or(t);
                t.strip_prefix('"')?.strip_suffix('"')?.parse::<u32>().ok()
            })
            .next()
            .map_or(Self::Never, Self::Version)
    }

    /// The version a write is based on, given the current one: 428 when the header is absent,
    /// 412 when it names another version.
    pub fn base(self, current: u32, what: &str) -> Result<u32, ApiError> {
        match self {
            Self::Absent => Err(ApiError::new(
                StatusCode::PRECONDITION_REQUIRED,
                "precondition-required",
                format!("send If-Match with the ETag of the {what} you read (it is \"{current}\" now)"),
            )),
            Self::Any => Ok(current),
            Self::Version(v) if v == current => Ok(v),
            Self::Version(_) | Self::Never => Err(ApiError::new(
                StatusCode::PRECONDITION_FAILED,
                "stale",
                format!("the {what} changed since you read it: its ETag is \"{current}\" now; read it again"),
            )
            .with_details(json!({ "latest": current }))),
        }
    }
}

/// An ETag for a version number.
pub fn etag(version: u32) -> String {
    format!("\"{version}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap_or_else(|_| unreachable!()));
        }
        h
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Shape {
        text: String,
        items: Vec<u32>,
    }

    #[test]
    fn body_errors_point_at_the_field() {
        let h = headers(&[("content-type", "application/json")]);
        let e = parse_json::<Shape>(&h, br#"{"text": "a", "items": [1, "x"]}"#).err();
        let e = e.unwrap_or_else(|| unreachable!());
        assert_eq!(e.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e.details["pointer"], "/items/1");
        let e = parse_json::<Shape>(&h, br#"{"items": []}"#)
            .err()
            .unwrap_or_else(|| unreachable!());
        assert!(e.message.contains("text"), "{}", e.message);
        let e = parse_json::<Shape>(&h, b"{")
            .err()
            .unwrap_or_else(|| unreachable!());
        assert_eq!(
            (e.status, e.code),
            (StatusCode::BAD_REQUEST, "malformed-json")
        );
        let e = parse_json::<Shape>(&h, br#"["a", [1]]"#)
            .err()
            .unwrap_or_else(|| unreachable!());
        assert_eq!(
            (e.status, e.code),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid-body")
        );
        let e = parse_json::<Shape>(&h, b"  [1")
            .err()
            .unwrap_or_else(|| unreachable!());
        assert_eq!(e.code, "malformed-json");
        let e = parse_json::<Shape>(&HeaderMap::new(), b"{}")
            .err()
            .unwrap_or_else(|| unreachable!());
        assert_eq!(e.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }

    #[test]
    fn path_params_decode_leniently() {
        let p = PathParams::from_pattern(
            "/api/v1/missions/{slug}/revisions/{rev}",
            "/api/v1/missions/burkina%2Dfaso/revisions/%FF%2",
        );
        assert_eq!(p.get("slug"), "burkina-faso");
        assert_eq!(p.get("rev"), "\u{FFFD}%2");
        assert_eq!(p.get("other"), "");
        let p = PathParams::from_pattern("/api/v1/users/{name}", "/api/v1/users/a%2Fb%25");
        assert_eq!(p.get("name"), "a/b%");
    }

    #[test]
    fn if_match() {
        assert_eq!(IfMatch::read(&headers(&[])), IfMatch::Absent);
        assert_eq!(
            IfMatch::read(&headers(&[("if-match", "\"3\"")])),
            IfMatch::Version(3)
        );
        assert_eq!(
            IfMatch::read(&headers(&[("if-match", "W/\"3\"")])),
            IfMatch::Version(3)
        );
        assert_eq!(IfMatch::read(&headers(&[("if-match", "*")])), IfMatch::Any);
        assert_eq!(
            IfMatch::read(&headers(&[("if-match", "3")])),
            IfMatch::Never
        );
        assert_eq!(IfMatch::Version(3).base(3, "x").ok(), Some(3));
        assert_eq!(
            IfMatch::Version(2).base(3, "x").err().map(|e| e.status),
            Some(StatusCode::PRECONDITION_FAILED)
        );
        assert_eq!(
            IfMatch::Absent.base(3, "x").err().map(|e| e.status),
            Some(StatusCode::PRECONDITION_REQUIRED)
        );
    }
}
