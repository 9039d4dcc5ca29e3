//! User administration: add, list, read with an ETag, change over the version read, reset.

use reqwest::Method;
use serde_json::json;

use crate::support::{Backend, PASSWORD, Reply, spawn_app};

on_both_backends!(managing_users);

async fn managing_users(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin().await;

    // Added without a password: a one-time password, shown once.
    let r = admin
        .post(
            "/api/v1/users",
            json!({ "username": "nina", "role": "editor" }),
        )
        .await;
    let out = r.ok(201);
    let otp = out["one_time_password"]
        .as_str()
        .expect("one_time_password")
        .to_string();
    assert!(otp.len() >= 20, "{otp}");
    assert_eq!(out["user"]["username"], "nina");
    assert_eq!(out["user"]["role"], "editor");
    assert_eq!(out["user"]["must_change_password"], true);
    assert_eq!(out["user"]["disabled"], false);
    assert_eq!(out["user"]["version"], 1);
    assert_eq!(r.header("etag"), Some("\"1\""));
    assert!(!r.text.contains("argon2"), "{}", r.text);

    // Added with a password: none to show; the role defaults to viewer.
    let r = admin
        .post(
            "/api/v1/users",
            json!({ "username": "olga", "password": PASSWORD }),
        )
        .await;
    let out = r.ok(201);
    assert!(out["one_time_password"].is_null(), "{}", r.text);
    assert_eq!(out["user"]["role"], "viewer");
    assert_eq!(out["user"]["must_change_password"], false);

    // Refusals.
    admin
        .post(
            "/api/v1/users",
            json!({ "username": "nina", "role": "viewer", "password": PASSWORD }),
        )
        .await
        .error(409, "exists");
    let r = admin
        .post("/api/v1/users", json!({ "username": "Not Valid" }))
        .await;
    assert_eq!(r.error(422, "invalid-field")["pointer"], "/username");
    let r = admin
        .post(
            "/api/v1/users",
            json!({ "username": "pat", "role": "boss" }),
        )
        .await;
    assert_eq!(r.error(422, "invalid-field")["pointer"], "/role");
    let r = admin
        .post(
            "/api/v1/users",
            json!({ "username": "pat", "password": "short" }),
        )
        .await;
    assert_eq!(r.error(422, "invalid-field")["pointer"], "/password");
    let r = admin
        .post(
            "/api/v1/users",
            json!({ "username": "pat", "password": 12 }),
        )
        .await;
    assert_eq!(r.error(422, "invalid-body")["pointer"], "/password");

    // The list, paginated.
    let r = admin.get("/api/v1/users").await;
    let list = r.ok(200);
    let names: Vec<&str> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|u| u["username"].as_str())
        .collect();
    assert_eq!(names, ["admin", "nina", "olga"], "{}", r.text);
    assert_eq!(list["total"], 3);
    let page = admin.get("/api/v1/users?limit=1&offset=2").await;
    assert_eq!(page.ok(200)["items"][0]["username"], "olga");
    assert_eq!(
        (page.body["total"].clone(), page.body["limit"].clone()),
        (json!(3), json!(1))
    );
    assert!(!r.text.contains("argon2"), "{}", r.text);

    // One user, with its ETag.
    let r = admin.get("/api/v1/users/nina").await;
    assert_eq!(r.ok(200)["username"], "nina");
    assert_eq!(r.header("etag"), Some("\"1\""));
    admin
        .get("/api/v1/users/ghost")
        .await
        .error(404, "not-found");
    admin
        .get("/api/v1/users/NOT%20A%20NAME")
        .await
        .error(404, "not-found");

    // Changing the role needs the version read.
    let patch = json!({ "role": "approver" });
    admin
        .write(Method::PATCH, "/api/v1/users/nina", None, patch.clone())
        .await
        .error(428, "precondition-required");
    let d = admin
        .write(
            Method::PATCH,
            "/api/v1/users/nina",
            Some("\"7\""),
            patch.clone(),
        )
        .await
        .error(412, "stale")
        .clone();
    assert_eq!(d["latest"], 1, "{d}");
    let r = admin
        .write(
            Method::PATCH,
            "/api/v1/users/nina",
            Some("\"1\""),
            patch.clone(),
        )
        .await;
    assert_eq!(r.ok(200)["role"], "approver", "{}", r.text);
    assert_eq!(r.body["version"], 2);
    assert_eq!(r.header("etag"), Some("\"2\""));
    admin
        .write(
            Method::PATCH,
            "/api/v1/users/nina",
            Some("\"1\""),
            json!({ "role": "viewer" }),
        )
        .await
        .error(412, "stale");
    let r = admin
        .write(
            Method::PATCH,
            "/api/v1/users/nina",
            Some("\"2\""),
            json!({}),
        )
        .await;
    r.error(422, "invalid-field");
    let r = admin
        .write(
            Method::PATCH,
            "/api/v1/users/nina",
            Some("\"2\""),
            json!({ "role": "root" }),
        )
        .await;
    assert_eq!(r.error(422, "invalid-field")["pointer"], "/role");
    admin
        .write(
            Method::PATCH,
            "/api/v1/users/ghost",
            Some("\"1\""),
            patch.clone(),
        )
        .await
        .error(404, "not-found");
    assert_eq!(
        admin.get("/api/v1/users/nina").await.header("etag"),
        Some("\"2\"")
    );

    // nina signs in with her one-time password and must change it.
    let nina = app.sign_in("nina", &otp).await;
    assert_eq!(
        nina.get("/api/v1/session").await.ok(200)["user"]["must_change_password"],
        true
    );

    // A reset: a new one-time password (needs the version read), and nina's session ends.
    let reset = "/api/v1/users/nina/password";
    admin
        .write(Method::POST, reset, None, json!({}))
        .await
        .error(428, "precondition-required");
    admin
        .write(Method::POST, reset, Some("\"1\""), json!({}))
        .await
        .error(412, "stale");
    let r = admin
        .write(
            Method::POST,
            reset,
            Some("\"2\""),
            json!({ "password": "short" }),
        )
        .await;
    assert_eq!(r.error(422, "invalid-field")["pointer"], "/password");
    let r = admin
        .write(Method::POST, reset, Some("\"2\""), json!({}))
        .await;
    let out = r.ok(200);
    let otp2 = out["one_time_password"]
        .as_str()
        .expect("a new one-time password")
        .to_string();
    assert_ne!(otp2, otp);
    assert_eq!(out["user"]["must_change_password"], true);
    assert_eq!(r.header("etag"), Some("\"3\""));
    nina.get("/api/v1/session")
        .await
        .error(401, "unauthenticated");
    let r = Reply::send(
        app.anon()
            .bare(Method::POST, "/api/v1/session")
            .json(&json!({ "username": "nina", "password": otp })),
    )
    .await;
    r.error(401, "bad-credentials");
    app.sign_in("nina", &otp2).await;

    // A reset with a password given needs no change afterwards.
    let r = admin
        .write(
            Method::POST,
            "/api/v1/users/olga/password",
            Some("\"1\""),
            json!({ "password": "a brand new passphrase" }),
        )
        .await;
    assert!(r.ok(200)["one_time_password"].is_null(), "{}", r.text);
    assert_eq!(r.body["user"]["must_change_password"], false);
    app.sign_in("olga", "a brand new passphrase").await;
}
