//! Every 4xx and 5xx body is exactly `{"error":{"code","message","details"}}`, with details
//! that point at the fault.

use cairn_core::Role;
use reqwest::Method;
use serde_json::json;

use crate::support::{Backend, Reply, spawn_app};

on_both_backends!(
    errors_have_one_shape,
    bodies_are_checked_where_they_fail,
    method_not_allowed_names_the_allowed_methods,
);

async fn errors_have_one_shape(backend: Backend) {
    let app = spawn_app(backend).await;
    let anon = app.anon();

    // 404: an unknown API path, an unknown mission, an unknown page.
    let d = anon
        .get("/api/v1/nope")
        .await
        .error(404, "not-found")
        .clone();
    assert!(d.is_null(), "{d}");
    anon.get("/api/v1/missions/nowhere")
        .await
        .error(404, "not-found");
    anon.get("/api/v1/missions/Not%20A%20Slug")
        .await
        .error(404, "not-found");
    anon.get("/api/v1/missions/nowhere/revisions/1")
        .await
        .error(404, "not-found");
    anon.get("/api/v1/missions/nowhere/diff?from=1&to=1")
        .await
        .error(404, "not-found");
    // (Pages answer in HTML; only the status is the API's business.)
    assert_eq!(anon.get("/no-such-page").await.status.as_u16(), 404);

    // 405: a method the route does not take.
    let r = Reply::send(anon.bare(Method::PUT, "/api/v1/missions")).await;
    r.error(405, "method-not-allowed");
    let r = Reply::send(anon.bare(Method::DELETE, "/api/v1/missions/mali")).await;
    r.error(405, "method-not-allowed");

    // 400: query strings that do not read.
    for (path, parameter) in [
        ("/api/v1/missions?limit=0", "limit"),
        ("/api/v1/missions?limit=501", "limit"),
        ("/api/v1/missions?limit=abc", "limit"),
        ("/api/v1/missions?offset=-1", "offset"),
        ("/api/v1/missions/mali/revisions?limit=0", "limit"),
        ("/api/v1/missions/mali/diff?from=x&to=1", "from"),
        ("/api/v1/search?q=elections&limit=0", "limit"),
    ] {
        let r = anon.get(path).await;
        let d = r.error(400, "invalid-query");
        assert_eq!(d["parameter"], parameter, "{path}: {}", r.text);
    }
    // Missing required parameters.
    anon.get("/api/v1/missions/mali/diff?from=1")
        .await
        .error(400, "invalid-query");
    anon.get("/api/v1/search").await.error(400, "invalid-query");
    let r = anon.get("/api/v1/search?q=%20%2B%2B%20").await;
    assert_eq!(r.error(400, "invalid-query")["parameter"], "q");
}

async fn bodies_are_checked_where_they_fail(backend: Backend) {
    let app = spawn_app(backend).await;
    let editor = app.user("edna", Role::Editor).await;
    let revisions = "/api/v1/missions/mali/revisions";

    // 415: not JSON.
    let r = Reply::send(
        editor
            .request(Method::POST, revisions)
            .header("if-match", "\"1\"")
            .header("content-type", "text/plain")
            .body(r#"{"text":"x"}"#),
    )
    .await;
    r.error(415, "unsupported-media-type");
    let r = Reply::send(
        editor
            .request(Method::POST, revisions)
            .header("if-match", "\"1\"")
            .body("{}"),
    )
    .await;
    r.error(415, "unsupported-media-type");

    // 400: malformed JSON, with where.
    let r = Reply::send(
        editor
            .request(Method::POST, revisions)
            .header("if-match", "\"1\"")
            .header("content-type", "application/json")
            .body(r#"{"text": "#),
    )
    .await;
    let d = r.error(400, "malformed-json");
    assert!(d["line"].is_u64() && d["column"].is_u64(), "{}", r.text);

    // 422: the wrong shape, with a pointer to the field.
    let r = editor
        .write(Method::POST, revisions, Some("\"1\""), json!({ "text": 5 }))
        .await;
    assert_eq!(
        r.error(422, "invalid-body")["pointer"],
        "/text",
        "{}",
        r.text
    );
    let r = editor
        .write(
            Method::POST,
            revisions,
            Some("\"1\""),
            json!({ "message": "no text" }),
        )
        .await;
    let d = r.error(422, "invalid-body");
    assert!(
        r.body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("text")),
        "{}",
        r.text
    );
    assert!(d["pointer"].is_string(), "{}", r.text);
    let r = editor
        .write(
            Method::POST,
            revisions,
            Some("\"1\""),
            json!({ "text": "x", "extra": true }),
        )
        .await;
    r.error(422, "invalid-body");
    let r = editor
        .write(Method::POST, revisions, Some("\"1\""), json!(["text"]))
        .await;
    r.error(422, "invalid-body");

    // 422: well-formed but unacceptable fields.
    let edits = "/api/v1/missions/mali/edits";
    let edit = |node: &str, field: &str, message: &str| json!({ "node": node, "field": field, "value": "New words.", "message": message });
    let r = editor
        .write(
            Method::POST,
            edits,
            Some("\"1\""),
            edit("nonsense", "justification", "why"),
        )
        .await;
    assert_eq!(
        r.error(422, "invalid-field")["pointer"],
        "/node",
        "{}",
        r.text
    );
    let r = editor
        .write(
            Method::POST,
            edits,
            Some("\"1\""),
            edit("objective:1.1", "colour", "why"),
        )
        .await;
    assert_eq!(
        r.error(422, "invalid-field")["pointer"],
        "/field",
        "{}",
        r.text
    );
    let r = editor
        .write(
            Method::POST,
            edits,
            Some("\"1\""),
            edit("objective:1.1", "justification", " "),
        )
        .await;
    assert_eq!(
        r.error(422, "invalid-field")["pointer"],
        "/message",
        "{}",
        r.text
    );
    let r = editor
        .write(
            Method::POST,
            edits,
            Some("\"1\""),
            edit("objective:9.9", "justification", "why"),
        )
        .await;
    assert_eq!(
        r.error(422, "invalid-field")["pointer"],
        "/node",
        "{}",
        r.text
    );
    let r = editor
        .write(
            Method::POST,
            "/api/v1/missions/mali/reverts",
            Some("\"1\""),
            json!({ "to": 5 }),
        )
        .await;
    assert_eq!(
        r.error(422, "invalid-field")["pointer"],
        "/to",
        "{}",
        r.text
    );
    let r = editor
        .write(
            Method::PATCH,
            "/api/v1/missions/mali/settings",
            Some("\"1\""),
            json!({ "bureau": "XX" }),
        )
        .await;
    assert_eq!(
        r.error(422, "invalid-field")["pointer"],
        "/bureau",
        "{}",
        r.text
    );
    let r = editor
        .write(
            Method::POST,
            revisions,
            Some("\"1\""),
            json!({ "text": crate::support::SAMPLE, "bureau": "XX" }),
        )
        .await;
    assert_eq!(
        r.error(422, "invalid-field")["pointer"],
        "/bureau",
        "{}",
        r.text
    );

    // Nothing of the above was stored.
    assert_eq!(
        app.anon().get("/api/v1/missions/mali").await.header("etag"),
        Some("\"1\"")
    );
}

/// A 405 says which methods the resource takes (RFC 9110 §15.5.6: the server MUST send
/// `Allow`).
async fn method_not_allowed_names_the_allowed_methods(backend: Backend) {
    let app = spawn_app(backend).await;
    let anon = app.anon();
    for (method, path, allowed) in [
        (Method::PUT, "/api/v1/missions", "GET"),
        (Method::DELETE, "/api/v1/missions/mali", "GET"),
        (Method::PUT, "/api/v1/session", "POST"),
    ] {
        let r = Reply::send(anon.bare(method.clone(), path)).await;
        r.error(405, "method-not-allowed");
        let allow = r.header("allow").unwrap_or_default();
        assert!(
            allow.split(',').any(|m| m.trim() == allowed),
            "{method} {path}: Allow is {allow:?}, expected it to name {allowed}"
        );
    }
}
