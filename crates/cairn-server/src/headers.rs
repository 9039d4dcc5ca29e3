//! What every response carries: security headers, and a structured log line per request.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// No inline script or style anywhere: every script and stylesheet is a file of ours.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// Every request: the response gets the security headers, and one log line is written.
pub async fn around(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    // The route pattern, not the raw path: it names no mission or user and bounds cardinality.
    let route = req.extensions().get::<MatchedPath>().cloned();
    let mut res = next.run(req).await;
    secure(&mut res);
    let status = res.status().as_u16();
    let micros = u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX);
    let route = route.as_ref().map_or("unmatched", MatchedPath::as_str);
    if status >= 500 {
        tracing::warn!(%method, route, status, micros, "request");
    } else {
        tracing::info!(%method, route, status, micros, "request");
    }
    res
}

fn secure(res: &mut Response) {
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        // Answers depend on who asks; shared caches must not keep them.
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-cache"),
        );
    }
}
