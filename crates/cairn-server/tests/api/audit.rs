//! Every write leaves an audit entry naming the signed-in user, and the chain stays intact.

use cairn_core::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{Backend, PASSWORD, SAMPLE, spawn_app};

on_both_backends!(writes_are_audited_as_their_actor);

/// The entries of the trail (oldest first), as `(action, actor, object)`.
fn entries(log: &Value) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = log["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or_default().to_string();
            (s("action"), s("actor"), s("object"))
        })
        .collect();
    out.reverse();
    out
}

fn has(log: &[(String, String, String)], action: &str, actor: &str, object: &str) -> bool {
    log.iter()
        .any(|(a, b, c)| a == action && b == actor && c == object)
}

async fn writes_are_audited_as_their_actor(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin().await;
    let editor = app.user("edna", Role::Editor).await;

    // Strategy writes.
    editor
        .write(
            Method::POST,
            "/api/v1/missions/mali/edits",
            Some("\"1\""),
            json!({ "node": "goal:2", "field": "description", "value": "Security first.", "message": "shorter" }),
        )
        .await
        .ok(201);
    editor
        .write(
            Method::POST,
            "/api/v1/missions/burkina-test/revisions",
            None,
            json!({ "text": SAMPLE, "message": "new mission" }),
        )
        .await
        .ok(201);
    editor
        .write(
            Method::POST,
            "/api/v1/missions/mali/reverts",
            Some("\"2\""),
            json!({ "to": 1 }),
        )
        .await
        .ok(201);
    let settings = editor.get("/api/v1/missions/mali/settings").await;
    let tag = settings.header("etag").expect("settings ETag").to_string();
    editor
        .write(
            Method::PATCH,
            "/api/v1/missions/mali/settings",
            Some(&tag),
            json!({ "country": "Republic of Mali" }),
        )
        .await
        .ok(200);
    // Account writes.
    admin
        .post(
            "/api/v1/users",
            json!({ "username": "nina", "role": "viewer", "password": PASSWORD }),
        )
        .await
        .ok(201);
    admin
        .write(
            Method::PATCH,
            "/api/v1/users/nina",
            Some("\"1\""),
            json!({ "role": "editor" }),
        )
        .await
        .ok(200);
    app.sign_in("nina", PASSWORD).await;
    admin
        .write(
            Method::PATCH,
            "/api/v1/users/nina",
            Some("\"2\""),
            json!({ "disabled": true }),
        )
        .await
        .ok(200);
    admin
        .write(
            Method::POST,
            "/api/v1/users/nina/password",
            Some("\"3\""),
            json!({}),
        )
        .await
        .ok(200);
    editor.delete("/api/v1/session").await.ok(204);

    let r = admin.get("/api/v1/audit?limit=500").await;
    let log = entries(r.ok(200));
    assert_eq!(
        r.body["total"].as_u64(),
        Some(log.len() as u64),
        "one page holds it all"
    );
    let want = [
        ("import", "demo", "mission/mali/rev/1"),
        ("user.add", "demo", "user/admin"),
        ("session.start", "admin", "user/admin"),
        ("user.password", "test", "user/admin"),
        ("user.add", "test", "user/edna"),
        ("session.start", "edna", "user/edna"),
        ("edit", "edna", "mission/mali/rev/2"),
        ("import", "edna", "mission/burkina-test/rev/1"),
        ("revert", "edna", "mission/mali/rev/3"),
        ("mission.set", "edna", "mission/mali"),
        ("user.add", "admin", "user/nina"),
        ("user.role", "admin", "user/nina"),
        ("session.start", "nina", "user/nina"),
        ("user.disable", "admin", "user/nina"),
        ("user.password", "admin", "user/nina"),
        ("session.end", "edna", "user/edna"),
    ];
    for (action, actor, object) in want {
        assert!(
            has(&log, action, actor, object),
            "no {action} by {actor} on {object:?} in\n{log:#?}"
        );
    }
    // In the order they happened.
    let position =
        |action: &str, actor: &str| log.iter().position(|(a, b, _)| a == action && b == actor);
    assert!(position("edit", "edna") < position("import", "edna"));
    assert!(position("import", "edna") < position("revert", "edna"));
    assert!(position("user.add", "admin") < position("user.role", "admin"));
    // No entry names a secret.
    assert!(
        !r.text.contains(PASSWORD)
            && !r.text.contains(&app.admin_otp)
            && !r.text.contains("argon2")
    );
    // The trail pages newest first.
    let page = admin.get("/api/v1/audit?limit=2").await;
    let newest = page.ok(200)["items"].as_array().expect("items").clone();
    assert_eq!(newest.len(), 2);
    assert_eq!(page.body["total"].as_u64(), Some(log.len() as u64));
    assert!(
        newest[0]["seq"].as_u64() > newest[1]["seq"].as_u64(),
        "{}",
        page.text
    );

    // The chain holds.
    let v = admin.get("/api/v1/audit/verify").await;
    let v = v.ok(200);
    assert_eq!(v["intact"], true, "{v}");
    assert_eq!(
        v["entries"].as_u64(),
        Some(log.len() as u64),
        "reading is not audited: {v}"
    );
}
