//! Security headers on every response: pages, the JSON API, errors, 304s.

use cairn_core::Role;
use reqwest::Method;
use serde_json::json;

use crate::support::{Backend, Reply, spawn_app};

on_both_backends!(security_headers_on_every_response);

#[track_caller]
fn assert_secure(r: &Reply, what: &str) {
    let csp = r
        .header("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no Content-Security-Policy"));
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    assert!(!csp.contains("unsafe-eval"), "{what}: {csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert!(csp.contains("default-src"), "{what}: {csp}");
    assert_eq!(
        r.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    let referrer = r
        .header("referrer-policy")
        .unwrap_or_else(|| panic!("{what}: no Referrer-Policy"));
    assert!(
        [
            "no-referrer",
            "same-origin",
            "strict-origin",
            "strict-origin-when-cross-origin"
        ]
        .contains(&referrer),
        "{what}: {referrer}"
    );
    assert!(
        r.header("cache-control").is_some(),
        "{what}: no Cache-Control"
    );
}

async fn security_headers_on_every_response(backend: Backend) {
    let app = spawn_app(backend).await;
    let anon = app.anon();
    let editor = app.user("edna", Role::Editor).await;

    let requests = vec![
        ("healthz", anon.bare(Method::GET, "/healthz")),
        ("readyz", anon.bare(Method::GET, "/readyz")),
        ("mission list", anon.bare(Method::GET, "/api/v1/missions")),
        ("strategy", anon.bare(Method::GET, "/api/v1/missions/mali")),
        (
            "304",
            anon.bare(Method::GET, "/api/v1/missions/mali").header("if-none-match", "\"1\""),
        ),
        ("openapi", anon.bare(Method::GET, "/api/v1/openapi.json")),
        ("search", anon.bare(Method::GET, "/api/v1/search?q=mali")),
        ("api 404", anon.bare(Method::GET, "/api/v1/nope")),
        ("mission 404", anon.bare(Method::GET, "/api/v1/missions/nowhere")),
        ("page 404", anon.bare(Method::GET, "/nope")),
        ("405", anon.bare(Method::PUT, "/api/v1/missions")),
        ("400", anon.bare(Method::GET, "/api/v1/missions?limit=0")),
        ("401", anon.bare(Method::GET, "/api/v1/users")),
        ("403", editor.bare(Method::GET, "/api/v1/audit")),
        ("415", editor.request(Method::POST, "/api/v1/missions/mali/edits").body("x")),
        (
            "sign-in refused",
            anon.bare(Method::POST, "/api/v1/session")
                .json(&json!({ "username": "edna", "password": "wrong password" })),
        ),
        (
            "write",
            editor
                .request(Method::POST, "/api/v1/missions/mali/edits")
                .header("if-match", "\"1\"")
                .json(&json!({ "node": "goal:1", "field": "title", "value": "Institutions grow.", "message": "m" })),
        ),
    ];
    let mut statuses = Vec::new();
    for (what, rb) in requests {
        let r = Reply::send(rb).await;
        statuses.push(r.status.as_u16());
        assert_secure(&r, what);
    }
    assert_eq!(
        statuses,
        [
            200, 200, 200, 200, 304, 200, 200, 404, 404, 404, 405, 400, 401, 403, 415, 401, 201
        ],
        "the requests answered as intended"
    );
}
