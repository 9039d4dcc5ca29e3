//! Sessions: the cookie, CSRF on cookie-authenticated writes, one-time passwords, sign-out,
//! idle expiry, and what disabling a user does.

use std::time::Duration;

use cairn_core::Role;
use cairn_server::Config;
use chrono::Utc;
use reqwest::Method;
use serde_json::json;

use crate::support::{Backend, PASSWORD, Reply, blocking, spawn_app, spawn_app_with};

on_both_backends!(
    signing_in_and_out,
    cookie_writes_need_the_csrf_token,
    one_time_password_must_be_changed_first,
    idle_sessions_end,
    sessions_expire_when_idle_or_old,
    disabling_a_user_ends_their_sessions,
);

async fn signing_in_and_out(backend: Backend) {
    let app = spawn_app(backend).await;
    app.add_user("vic", Role::Viewer);

    // Sign-in sets a cookie scripts cannot read and other sites cannot send.
    let r = Reply::send(
        app.client
            .post(app.url("/api/v1/session"))
            .json(&json!({ "username": "vic", "password": PASSWORD })),
    )
    .await;
    let body = r.ok(200);
    let csrf = body["csrf_token"].as_str().expect("csrf_token").to_string();
    assert!(csrf.len() >= 32, "{csrf}");
    assert_eq!(body["user"]["username"], "vic");
    assert_eq!(body["user"]["role"], "viewer");
    assert_eq!(body["user"]["must_change_password"], false);
    assert!(
        body["user"].get("password_hash").is_none() && !r.text.contains("argon2"),
        "{}",
        r.text
    );
    let set_cookie = r.header("set-cookie").expect("Set-Cookie").to_string();
    let attributes: Vec<String> = set_cookie
        .split(';')
        .map(|a| a.trim().to_ascii_lowercase())
        .collect();
    assert!(
        attributes[0].starts_with("cairn_session=")
            && attributes[0].len() > "cairn_session=".len() + 30,
        "{set_cookie}"
    );
    assert!(attributes.iter().any(|a| a == "httponly"), "{set_cookie}");
    assert!(
        attributes.iter().any(|a| a == "samesite=strict"),
        "{set_cookie}"
    );
    assert!(attributes.iter().any(|a| a == "path=/"), "{set_cookie}");
    assert!(
        !attributes.iter().any(|a| a == "secure"),
        "plain HTTP without secure_cookies: {set_cookie}"
    );
    let cookie = r.session_cookie().expect("session cookie");

    // The client's cookie store now carries the session.
    let r = Reply::send(app.client.get(app.url("/api/v1/session"))).await;
    assert_eq!(r.ok(200)["user"]["username"], "vic");
    assert_eq!(r.body["csrf_token"], csrf.as_str());
    // Behind a TLS proxy the cookie is Secure.
    let r = Reply::send(
        app.client
            .post(app.url("/api/v1/session"))
            .header("x-forwarded-proto", "https")
            .json(&json!({ "username": "vic", "password": PASSWORD })),
    )
    .await;
    r.ok(200);
    assert!(
        r.header("set-cookie").is_some_and(|c| c.contains("Secure")),
        "{:?}",
        r.header("set-cookie")
    );
    let second = r.session_cookie().expect("session cookie");
    assert_ne!(second, cookie, "each sign-in is a new session");

    // Wrong passwords and unknown users are refused alike.
    let wrong = app.anon().bare(Method::POST, "/api/v1/session");
    let r = Reply::send(wrong.json(&json!({ "username": "vic", "password": "not the password" })))
        .await;
    let d = r.error(401, "bad-credentials").clone();
    let r2 = Reply::send(
        app.anon()
            .bare(Method::POST, "/api/v1/session")
            .json(&json!({ "username": "nobody", "password": "not the password" })),
    )
    .await;
    r2.error(401, "bad-credentials");
    assert_eq!(r.text, r2.text);
    assert!(d.is_null());
    assert!(r.header("set-cookie").is_none());

    // Sign-out ends the session on the server, not just in the browser.
    let mut first = app.replay(&cookie);
    first.csrf = Some(csrf);
    assert_eq!(
        first.get("/api/v1/session").await.ok(200)["user"]["username"],
        "vic"
    );
    let r = first.delete("/api/v1/session").await;
    r.ok(204);
    let cleared = r.header("set-cookie").expect("the cookie is cleared");
    assert!(
        cleared.starts_with("cairn_session=;") && cleared.contains("Max-Age=0"),
        "{cleared}"
    );
    first
        .get("/api/v1/session")
        .await
        .error(401, "unauthenticated");
    // A signed-out cookie makes a visitor anonymous, not an error.
    assert_eq!(
        first.get("/api/v1/missions/mali").await.ok(200)["mission"],
        "mali"
    );
    // The other session is untouched.
    assert_eq!(
        app.replay(&second).get("/api/v1/session").await.ok(200)["user"]["username"],
        "vic"
    );
    // Anonymous visitors have nothing to sign out of.
    app.anon()
        .delete("/api/v1/session")
        .await
        .error(401, "unauthenticated");
    // A forged cookie is just anonymous.
    app.replay("cairn_session=forged-token-value")
        .get("/api/v1/session")
        .await
        .error(401, "unauthenticated");
}

async fn cookie_writes_need_the_csrf_token(backend: Backend) {
    let app = spawn_app(backend).await;
    let editor = app.user("edna", Role::Editor).await;
    let edit = json!({
        "node": "objective:1.1",
        "field": "risks",
        "value": "Elections may be postponed again.",
        "message": "risks",
    });
    let path = "/api/v1/missions/mali/edits";

    let r = Reply::send(
        editor
            .bare(Method::POST, path)
            .header("if-match", "\"1\"")
            .json(&edit),
    )
    .await;
    r.error(403, "csrf");
    let r = Reply::send(
        editor
            .bare(Method::POST, path)
            .header("if-match", "\"1\"")
            .header(
                "x-csrf-token",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            )
            .json(&edit),
    )
    .await;
    r.error(403, "csrf");
    // Another session's token is the wrong one too.
    let other = app.sign_in("edna", PASSWORD).await;
    let r = Reply::send(
        editor
            .bare(Method::POST, path)
            .header("if-match", "\"1\"")
            .header("x-csrf-token", other.csrf.as_deref().expect("token"))
            .json(&edit),
    )
    .await;
    r.error(403, "csrf");
    assert_eq!(
        app.anon().get("/api/v1/missions/mali").await.header("etag"),
        Some("\"1\"")
    );

    let r = editor.write(Method::POST, path, Some("\"1\""), edit).await;
    assert_eq!(r.ok(201)["rev"], 2, "{}", r.text);

    // Sign-out is a write too.
    Reply::send(editor.bare(Method::DELETE, "/api/v1/session"))
        .await
        .error(403, "csrf");
    assert_eq!(
        editor.get("/api/v1/session").await.ok(200)["user"]["username"],
        "edna"
    );
    editor.delete("/api/v1/session").await.ok(204);
}

async fn one_time_password_must_be_changed_first(backend: Backend) {
    let app = spawn_app(backend).await;
    let otp = app.admin_otp.clone();
    assert!(otp.len() >= 20, "{otp}");

    let admin = app.sign_in("admin", &otp).await;
    let old_cookie = admin.cookie.clone().expect("cookie");
    let me = admin.get("/api/v1/session").await;
    assert_eq!(me.ok(200)["user"]["must_change_password"], true);
    assert_eq!(me.body["user"]["role"], "admin");

    // Nothing but the password change until then; not even reading sensitive strategies.
    admin
        .get("/api/v1/users")
        .await
        .error(403, "password-change-required");
    admin
        .get("/api/v1/audit")
        .await
        .error(403, "password-change-required");
    admin
        .write(
            Method::POST,
            "/api/v1/missions/mali/edits",
            Some("\"1\""),
            json!({ "node": "goal:1", "field": "title", "value": "x", "message": "x" }),
        )
        .await
        .error(403, "password-change-required");

    let change =
        |current: &str, new: &str| json!({ "current_password": current, "new_password": new });
    let r = admin
        .post("/api/v1/account/password", change(&otp, "short"))
        .await;
    assert_eq!(
        r.error(422, "invalid-field")["pointer"],
        "/new_password",
        "{}",
        r.text
    );
    let r = admin
        .post(
            "/api/v1/account/password",
            change("not the otp at all", PASSWORD),
        )
        .await;
    assert_eq!(
        r.error(422, "invalid-field")["pointer"],
        "/current_password",
        "{}",
        r.text
    );
    Reply::send(
        admin
            .bare(Method::POST, "/api/v1/account/password")
            .json(&change(&otp, PASSWORD)),
    )
    .await
    .error(403, "csrf");

    let r = admin
        .post("/api/v1/account/password", change(&otp, PASSWORD))
        .await;
    let body = r.ok(200);
    assert_eq!(body["user"]["must_change_password"], false);
    let new_csrf = body["csrf_token"].as_str().expect("csrf").to_string();
    let new_cookie = r.session_cookie().expect("a new session cookie");
    assert_ne!(new_cookie, old_cookie);
    assert_ne!(Some(new_csrf.as_str()), admin.csrf.as_deref());

    // The old session ended with the change; the client's new cookie works.
    app.replay(&old_cookie)
        .get("/api/v1/session")
        .await
        .error(401, "unauthenticated");
    app.replay(&old_cookie)
        .get("/api/v1/users")
        .await
        .error(401, "unauthenticated");
    let users = admin.get("/api/v1/users").await;
    assert!(
        users.ok(200)["items"]
            .as_array()
            .is_some_and(|u| u.iter().any(|u| u["username"] == "admin"))
    );
    assert_eq!(
        admin.get("/api/v1/session").await.ok(200)["csrf_token"],
        new_csrf.as_str()
    );

    // The one-time password is spent.
    let r = Reply::send(
        app.anon()
            .bare(Method::POST, "/api/v1/session")
            .json(&json!({ "username": "admin", "password": otp })),
    )
    .await;
    r.error(401, "bad-credentials");
}

async fn idle_sessions_end(backend: Backend) {
    let config = Config {
        idle_timeout: Duration::ZERO,
        ..Config::default()
    };
    let app = spawn_app_with(backend, config).await;
    app.add_user("vic", Role::Viewer);
    // Signing in works; the session has been idle for longer than zero by its next use.
    let viewer = app.sign_in("vic", PASSWORD).await;
    viewer
        .get("/api/v1/session")
        .await
        .error(401, "unauthenticated");
    let cookie = viewer.cookie.clone().expect("cookie");
    app.replay(&cookie)
        .get("/api/v1/session")
        .await
        .error(401, "unauthenticated");
}

async fn disabling_a_user_ends_their_sessions(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin().await;
    let editor = app.user("edna", Role::Editor).await;
    assert_eq!(
        editor.get("/api/v1/session").await.ok(200)["user"]["username"],
        "edna"
    );

    let r = admin.get("/api/v1/users/edna").await;
    r.ok(200);
    let tag = r.header("etag").expect("ETag").to_string();
    let r = admin
        .write(
            Method::PATCH,
            "/api/v1/users/edna",
            Some(&tag),
            json!({ "disabled": true }),
        )
        .await;
    assert_eq!(r.ok(200)["disabled"], true, "{}", r.text);

    // Their session is over, and they cannot sign in again.
    editor
        .get("/api/v1/session")
        .await
        .error(401, "unauthenticated");
    editor
        .write(
            Method::POST,
            "/api/v1/missions/mali/edits",
            Some("\"1\""),
            json!({ "node": "goal:1", "field": "title", "value": "x", "message": "x" }),
        )
        .await
        .error(401, "unauthenticated");
    let r = Reply::send(
        app.anon()
            .bare(Method::POST, "/api/v1/session")
            .json(&json!({ "username": "edna", "password": PASSWORD })),
    )
    .await;
    r.error(401, "bad-credentials");

    // Enabled again, they sign in (the old session stays over).
    let tag = r_etag(&admin.get("/api/v1/users/edna").await);
    admin
        .write(
            Method::PATCH,
            "/api/v1/users/edna",
            Some(&tag),
            json!({ "disabled": false }),
        )
        .await
        .ok(200);
    editor
        .get("/api/v1/session")
        .await
        .error(401, "unauthenticated");
    app.sign_in("edna", PASSWORD).await;

    // An administrator cannot lock themselves out.
    let tag = r_etag(&admin.get("/api/v1/users/admin").await);
    admin
        .write(
            Method::PATCH,
            "/api/v1/users/admin",
            Some(&tag),
            json!({ "disabled": true }),
        )
        .await
        .error(403, "forbidden");
    admin
        .write(
            Method::PATCH,
            "/api/v1/users/admin",
            Some(&tag),
            json!({ "role": "viewer" }),
        )
        .await
        .error(403, "forbidden");
    let me = admin.get("/api/v1/users/admin").await;
    assert_eq!(
        (me.ok(200)["disabled"].clone(), me.body["role"].clone()),
        (json!(false), json!("admin"))
    );
    assert_eq!(me.header("etag"), Some(tag.as_str()), "nothing changed");
    admin.get("/api/v1/session").await.ok(200);
}

fn r_etag(r: &Reply) -> String {
    r.ok(200);
    r.header("etag").expect("ETag").to_string()
}

/// With the default limits (30 minutes idle, 12 hours in all), sessions started in the past.
async fn sessions_expire_when_idle_or_old(backend: Backend) {
    let app = spawn_app(backend).await;
    app.add_user("vic", Role::Viewer);
    let now = Utc::now();
    let minutes = chrono::Duration::minutes;
    let hours = chrono::Duration::hours;

    // Unused for 29 minutes: still on, and this use counts as activity.
    let (recent, hash) = app.start_session("vic", now - minutes(29));
    recent.get("/api/v1/session").await.ok(200);
    let (session, _) = blocking(|| app.store().session(&hash))
        .expect("read the session")
        .expect("the session is still there");
    assert!(
        Utc::now() - session.last_seen < minutes(2),
        "the use was recorded: {session:?}"
    );
    recent.get("/api/v1/session").await.ok(200);

    // Unused for 31 minutes: over, and gone from the store.
    let (idle, hash) = app.start_session("vic", now - minutes(31));
    idle.get("/api/v1/session")
        .await
        .error(401, "unauthenticated");
    assert!(
        blocking(|| app.store().session(&hash))
            .expect("read the session")
            .is_none()
    );

    // Started 13 hours ago and used a moment ago: over all the same.
    let (old, hash) = app.start_session("vic", now - hours(13));
    blocking(|| app.store().touch_session(&hash, Utc::now())).expect("touch the session");
    old.get("/api/v1/session")
        .await
        .error(401, "unauthenticated");

    // Started 11 hours ago and used a moment ago: on.
    let (long, hash) = app.start_session("vic", now - hours(11));
    blocking(|| app.store().touch_session(&hash, Utc::now())).expect("touch the session");
    long.get("/api/v1/session").await.ok(200);
}
