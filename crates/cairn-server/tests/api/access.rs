//! Who may do what (PRODUCT.md §5): reading public strategies is for everyone, sensitive ones
//! for signed-in users only (and their existence is not revealed); writing strategy text is
//! for editors and up; users and the audit trail are for administrators.

use cairn_core::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{Agent, Backend, PASSWORD, Reply, SAMPLE, spawn_app};

on_both_backends!(
    sensitive_strategies_are_hidden,
    writes_need_a_role,
    route_role_table
);

/// The sample without its public-release marking.
pub fn sensitive_sample() -> String {
    let s = SAMPLE.replace("FOR PUBLIC RELEASE", "SENSITIVE BUT UNCLASSIFIED");
    assert_ne!(s, SAMPLE);
    s
}

fn slugs(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|m| m["slug"].as_str().map(str::to_string))
        .collect()
}

fn hit_missions(results: &Value) -> Vec<String> {
    let mut out: Vec<String> = results["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| h["mission"].as_str().map(str::to_string))
        .collect();
    out.sort();
    out.dedup();
    out
}

async fn sensitive_strategies_are_hidden(backend: Backend) {
    let app = spawn_app(backend).await;
    let editor = app.user("edna", Role::Editor).await;
    let viewer = app.user("vic", Role::Viewer).await;
    let anon = app.anon();

    // Anonymous visitors read the public strategy.
    assert_eq!(
        anon.get("/api/v1/missions/mali").await.ok(200)["mission"],
        "mali"
    );

    let r = editor
        .write(
            Method::POST,
            "/api/v1/missions/secret-test/revisions",
            None,
            json!({ "text": sensitive_sample(), "message": "internal draft" }),
        )
        .await;
    assert_eq!(r.ok(201)["rev"], 1, "{}", r.text);

    // Signed-in users see it.
    let s = viewer.get("/api/v1/missions/secret-test").await;
    assert_eq!(
        s.ok(200)["marking"],
        "SENSITIVE BUT UNCLASSIFIED",
        "{}",
        s.text
    );
    let list = viewer.get("/api/v1/missions").await;
    assert_eq!(slugs(list.ok(200)), ["mali", "secret-test"]);
    let secret = list.body["items"]
        .as_array()
        .and_then(|l| l.iter().find(|m| m["slug"] == "secret-test"))
        .expect("listed");
    assert_eq!(secret["public"], false);
    let r = viewer.get("/api/v1/search?q=elections").await;
    assert_eq!(
        hit_missions(r.ok(200)),
        ["mali", "secret-test"],
        "{}",
        r.text
    );

    // Anonymous visitors get "not found", exactly as for a mission that does not exist.
    let hidden = anon.get("/api/v1/missions/secret-test").await;
    hidden.error(404, "not-found");
    let absent = anon.get("/api/v1/missions/absent-test").await;
    absent.error(404, "not-found");
    assert_eq!(
        hidden.text.replace("secret-test", "X"),
        absent.text.replace("absent-test", "X"),
        "the refusal reveals nothing"
    );
    for path in [
        "/api/v1/missions/secret-test/revisions",
        "/api/v1/missions/secret-test/revisions/1",
        "/api/v1/missions/secret-test/revisions/2",
        "/api/v1/missions/secret-test/diff?from=1&to=1",
        "/api/v1/missions/secret-test/check",
        "/api/v1/missions/secret-test/settings",
    ] {
        anon.get(path).await.error(404, "not-found");
        assert_eq!(
            viewer.get(path).await.status.as_u16() / 100 == 2,
            !path.ends_with("/2"),
            "{path}"
        );
    }
    let list = anon.get("/api/v1/missions").await;
    assert_eq!(slugs(list.ok(200)), ["mali"]);
    assert_eq!(
        list.body["total"], 1,
        "the total counts only what may be read"
    );
    let r = anon.get("/api/v1/search?q=elections").await;
    assert_eq!(hit_missions(r.ok(200)), ["mali"], "{}", r.text);
    let public_total = r.body["total"].as_u64().expect("total");
    let all_total = viewer.get("/api/v1/search?q=elections").await.body["total"]
        .as_u64()
        .expect("total");
    assert_eq!(
        all_total,
        2 * public_total,
        "same text, twice the hits for a viewer"
    );

    // A write to it by an anonymous visitor says nothing either (401 before anything else).
    anon.write(
        Method::POST,
        "/api/v1/missions/secret-test/edits",
        Some("\"1\""),
        json!({ "node": "goal:1", "field": "title", "value": "x", "message": "x" }),
    )
    .await
    .error(401, "unauthenticated");
}

async fn writes_need_a_role(backend: Backend) {
    let app = spawn_app(backend).await;
    let anon = app.anon();
    let viewer = app.user("vic", Role::Viewer).await;
    let editor = app.user("edna", Role::Editor).await;
    let approver = app.user("apu", Role::Approver).await;
    let admin = app.admin().await;
    let edit = json!({
        "node": "objective:1.2",
        "field": "risks",
        "value": "Access to the north remains limited.",
        "message": "update risks",
    });
    let import = json!({ "text": SAMPLE.replacen("two government overthrows", "two coups", 1), "message": "m" });

    anon.write(
        Method::POST,
        "/api/v1/missions/mali/edits",
        Some("\"1\""),
        edit.clone(),
    )
    .await
    .error(401, "unauthenticated");
    anon.write(
        Method::POST,
        "/api/v1/missions/mali/revisions",
        Some("\"1\""),
        import.clone(),
    )
    .await
    .error(401, "unauthenticated");
    viewer
        .write(
            Method::POST,
            "/api/v1/missions/mali/edits",
            Some("\"1\""),
            edit.clone(),
        )
        .await
        .error(403, "forbidden");
    viewer
        .write(
            Method::POST,
            "/api/v1/missions/mali/revisions",
            Some("\"1\""),
            import.clone(),
        )
        .await
        .error(403, "forbidden");
    viewer
        .write(
            Method::POST,
            "/api/v1/missions/other-test/revisions",
            None,
            import.clone(),
        )
        .await
        .error(403, "forbidden");
    assert_eq!(
        anon.get("/api/v1/missions/mali").await.header("etag"),
        Some("\"1\"")
    );

    let r = editor
        .write(
            Method::POST,
            "/api/v1/missions/mali/edits",
            Some("\"1\""),
            edit.clone(),
        )
        .await;
    assert_eq!(r.ok(201)["rev"], 2, "{}", r.text);

    for who in [&editor, &approver] {
        who.get("/api/v1/users").await.error(403, "forbidden");
        who.get("/api/v1/audit").await.error(403, "forbidden");
        who.get("/api/v1/audit/verify")
            .await
            .error(403, "forbidden");
        who.post("/api/v1/users", json!({ "username": "mallory" }))
            .await
            .error(403, "forbidden");
    }
    anon.get("/api/v1/users")
        .await
        .error(401, "unauthenticated");
    anon.get("/api/v1/audit")
        .await
        .error(401, "unauthenticated");
    assert!(admin.get("/api/v1/users").await.ok(200)["items"].is_array());
    assert!(admin.get("/api/v1/audit").await.ok(200)["items"].is_array());
    assert_eq!(
        admin.get("/api/v1/audit/verify").await.ok(200)["intact"],
        true
    );
}

/// Who gets what: anonymous, viewer, editor, approver, admin.
type Row = (
    Method,
    &'static str,
    Option<&'static str>,
    Option<Value>,
    [u16; 5],
);

async fn route_role_table(backend: Backend) {
    let app = spawn_app(backend).await;
    let anon = app.anon();
    let viewer = app.user("vic", Role::Viewer).await;
    let editor = app.user("edna", Role::Editor).await;
    let approver = app.user("apu", Role::Approver).await;
    let admin = app.admin().await;
    let agents: [(&str, &Agent); 5] = [
        ("anonymous", &anon),
        ("viewer", &viewer),
        ("editor", &editor),
        ("approver", &approver),
        ("admin", &admin),
    ];
    let current = app.anon().get("/api/v1/missions/mali").await;
    let justification = current.ok(200)["goals"][0]["objectives"][0]["justification"].clone();
    assert!(justification.is_string());

    const READ: [u16; 5] = [200, 200, 200, 200, 200];
    const SIGNED_IN: [u16; 5] = [401, 200, 200, 200, 200];
    const ADMIN: [u16; 5] = [401, 403, 403, 403, 200];
    // Writes that change nothing (same text, same value, revert to the latest) answer 200.
    const EDIT: [u16; 5] = [401, 403, 200, 200, 200];
    let rows: Vec<Row> = vec![
        (Method::GET, "/api/v1/openapi.json", None, None, READ),
        (Method::GET, "/api/v1/missions", None, None, READ),
        (Method::GET, "/api/v1/missions/mali", None, None, READ),
        (
            Method::GET,
            "/api/v1/missions/mali/revisions",
            None,
            None,
            READ,
        ),
        (
            Method::GET,
            "/api/v1/missions/mali/revisions/1",
            None,
            None,
            READ,
        ),
        (
            Method::GET,
            "/api/v1/missions/mali/diff?from=1&to=1",
            None,
            None,
            READ,
        ),
        (Method::GET, "/api/v1/missions/mali/check", None, None, READ),
        (
            Method::GET,
            "/api/v1/missions/mali/settings",
            None,
            None,
            READ,
        ),
        (Method::GET, "/api/v1/search?q=mali", None, None, READ),
        (
            Method::GET,
            "/api/v1/missions/mali/indicators",
            None,
            None,
            READ,
        ),
        (
            Method::GET,
            "/api/v1/missions/mali/indicators/CTX-PIN",
            None,
            None,
            READ,
        ),
        (
            Method::GET,
            "/api/v1/missions/mali/indicators/CTX-PIN/history",
            None,
            None,
            READ,
        ),
        (
            Method::GET,
            "/api/v1/missions/mali/indicators/CTX-PIN/chart",
            None,
            None,
            READ,
        ),
        (Method::GET, "/api/v1/missions/mali/data", None, None, READ),
        (
            Method::GET,
            "/api/v1/missions/mali/status",
            None,
            None,
            READ,
        ),
        (
            Method::GET,
            "/api/v1/missions/mali/status/chart",
            None,
            None,
            READ,
        ),
        (
            Method::POST,
            "/api/v1/missions/mali/indicators",
            None,
            Some(
                json!({ "csv": "mission,element,code,title,unit,direction,frequency\nmali,1.1,X-1,T,number,increase,annual\n", "dry_run": true }),
            ),
            EDIT,
        ),
        (
            Method::GET,
            "/api/v1/missions/mali/milestones",
            None,
            None,
            READ,
        ),
        (
            Method::POST,
            "/api/v1/missions/mali/milestones",
            None,
            Some(
                json!({ "csv": "mission,element,code,title,due,status\nmali,1.1,M-X,T,2024-01-31,done\n", "dry_run": true }),
            ),
            EDIT,
        ),
        (
            Method::POST,
            "/api/v1/missions/mali/figures/f8/indicator",
            None,
            Some(json!({})),
            [401, 403, 201, 201, 201],
        ),
        (
            Method::POST,
            "/api/v1/missions/mali/data",
            None,
            Some(
                json!({ "entries": [{ "indicator": "CTX-PIN", "period": "2022", "kind": "actual", "value": 7500000 }] }),
            ),
            EDIT,
        ),
        (Method::GET, "/api/v1/documents/schema", None, None, READ),
        (
            Method::POST,
            "/api/v1/documents/read",
            None,
            Some(json!({ "text": SAMPLE })),
            SIGNED_IN,
        ),
        (Method::GET, "/api/v1/session", None, None, SIGNED_IN),
        (Method::GET, "/api/v1/users", None, None, ADMIN),
        (Method::GET, "/api/v1/users/vic", None, None, ADMIN),
        (Method::GET, "/api/v1/audit", None, None, ADMIN),
        (Method::GET, "/api/v1/audit/verify", None, None, ADMIN),
        (
            Method::POST,
            "/api/v1/missions/mali/revisions",
            Some("\"1\""),
            Some(json!({ "text": SAMPLE, "message": "same" })),
            EDIT,
        ),
        (
            Method::POST,
            "/api/v1/missions/mali/edits",
            Some("\"1\""),
            Some(
                json!({ "node": "objective:1.1", "field": "justification", "value": justification, "message": "same" }),
            ),
            EDIT,
        ),
        (
            Method::POST,
            "/api/v1/missions/mali/reverts",
            Some("\"1\""),
            Some(json!({ "to": 1 })),
            EDIT,
        ),
        (
            Method::PATCH,
            "/api/v1/missions/mali/settings",
            Some("*"),
            Some(json!({ "bureau": "AF" })),
            EDIT,
        ),
        (
            Method::POST,
            "/api/v1/users",
            None,
            Some(json!({ "username": "newcomer", "role": "viewer", "password": PASSWORD })),
            [401, 403, 403, 403, 201],
        ),
        (
            Method::PATCH,
            "/api/v1/users/newcomer",
            Some("*"),
            Some(json!({ "role": "editor" })),
            ADMIN,
        ),
        (
            Method::POST,
            "/api/v1/users/newcomer/password",
            Some("*"),
            Some(json!({ "password": "another long passphrase" })),
            ADMIN,
        ),
        (
            Method::POST,
            "/api/v1/account/password",
            None,
            Some(
                json!({ "current_password": "not my password", "new_password": "whatever it is, long" }),
            ),
            [401, 422, 422, 422, 422],
        ),
        (
            Method::POST,
            "/api/v1/session",
            None,
            Some(json!({ "username": "vic", "password": "not the password" })),
            [401, 401, 401, 401, 401],
        ),
        (Method::PUT, "/api/v1/missions", None, None, [405; 5]),
        (Method::GET, "/api/v1/no-such-route", None, None, [404; 5]),
        // Last: it ends each session.
        (
            Method::DELETE,
            "/api/v1/session",
            None,
            None,
            [401, 204, 204, 204, 204],
        ),
    ];

    let mut mismatches = Vec::new();
    for (method, path, if_match, body, expected) in &rows {
        for ((who, agent), want) in agents.iter().zip(expected) {
            let mut rb = agent.request(method.clone(), path);
            if let Some(tag) = if_match {
                rb = rb.header("if-match", *tag);
            }
            if let Some(body) = body {
                rb = rb.json(body);
            }
            let r = Reply::send(rb).await;
            if r.status.as_u16() != *want {
                mismatches.push(format!(
                    "{method} {path} as {who}: {} (expected {want}): {}",
                    r.status, r.text
                ));
            }
            if r.status.as_u16() >= 400 {
                crate::support::assert_error_shape(&r.body, &r.text);
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));

    // Nothing in the table changed the strategy.
    assert_eq!(
        app.anon().get("/api/v1/missions/mali").await.header("etag"),
        Some("\"1\"")
    );
}
