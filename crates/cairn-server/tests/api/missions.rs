//! The strategy contract: reading missions and revisions, importing with preconditions,
//! editing, comparing, and searching what is current after every write.

use cairn_core::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{Backend, Reply, SAMPLE, spawn_app};

on_both_backends!(
    reading_missions_and_revisions,
    importing_with_preconditions,
    editing_then_diff_and_search,
    diff_names_elements_as_the_strategy_does,
    conditional_reads_compare_weakly,
    reading_a_document_without_storing_it,
);

/// The sample with one sentence changed (a valid next revision of `mali`).
pub fn changed_sample() -> String {
    let changed = SAMPLE.replacen("two government overthrows", "two military coups", 1);
    assert_ne!(changed, SAMPLE);
    changed
}

/// The sample with Objective 1.2's detail numbered 1.1 again: a duplicate number, which
/// `check` reports as an error.
pub fn duplicate_objective() -> String {
    let broken = SAMPLE.replacen("\nObjective 1.2: ", "\nObjective 1.1: ", 1);
    assert_ne!(broken, SAMPLE);
    broken
}

/// All the objectives of a strategy body, sub-objectives included.
fn objectives(strategy: &Value) -> Vec<&Value> {
    fn walk<'a>(list: &'a Value, out: &mut Vec<&'a Value>) {
        for o in list.as_array().into_iter().flatten() {
            out.push(o);
            walk(&o["sub_objectives"], out);
        }
    }
    let mut out = Vec::new();
    for g in strategy["goals"].as_array().into_iter().flatten() {
        walk(&g["objectives"], &mut out);
    }
    out
}

async fn reading_missions_and_revisions(backend: Backend) {
    let app = spawn_app(backend).await;
    let anon = app.anon();

    // The list is a page: items, total, limit, offset.
    let r = anon.get("/api/v1/missions").await;
    let list = r.ok(200);
    assert_eq!(list["total"], 1, "{}", r.text);
    assert_eq!(list["limit"], 50);
    assert_eq!(list["offset"], 0);
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["slug"], "mali");
    assert_eq!(items[0]["latest_rev"], 1);
    assert_eq!(items[0]["public"], true);
    assert_eq!(items[0]["bureau"], "AF");

    let r = anon.get("/api/v1/missions?limit=1&offset=1").await;
    let page = r.ok(200);
    assert_eq!(
        (
            page["total"].clone(),
            page["limit"].clone(),
            page["offset"].clone()
        ),
        (json!(1), json!(1), json!(1))
    );
    assert_eq!(page["items"], json!([]));

    // The latest strategy, in the `show --json` shape, tagged with its revision.
    let r = anon.get("/api/v1/missions/mali").await;
    let s = r.ok(200);
    assert_eq!(r.header("etag"), Some("\"1\""));
    assert!(
        r.header("content-type")
            .is_some_and(|c| c.starts_with("application/json"))
    );
    assert_eq!(s["mission"], "mali");
    assert_eq!(s["rev"], 1);
    assert!(s["kind"].is_string(), "kind: {}", s["kind"]);
    assert_eq!(s["country"], "Mali");
    assert_eq!(s["marking"], "FOR PUBLIC RELEASE");
    let goals = s["goals"].as_array().expect("goals");
    assert_eq!(goals.len(), 3);
    for g in goals {
        assert!(
            g["id"].as_str().is_some_and(|id| id.starts_with('e')),
            "goal without id: {g}"
        );
    }
    let objs = objectives(s);
    assert!(objs.len() >= 8, "{} objectives", objs.len());
    let mut ids: Vec<&str> = objs
        .iter()
        .map(|o| o["id"].as_str().expect("objective id"))
        .collect();
    ids.extend(goals.iter().filter_map(|g| g["id"].as_str()));
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "element ids are unique");
    assert_eq!(objs[0]["number"], "1.1");

    // Conditional reads.
    let r = app
        .client
        .get(app.url("/api/v1/missions/mali"))
        .header("if-none-match", "\"1\"")
        .send()
        .await
        .expect("request");
    assert_eq!(r.status().as_u16(), 304);
    assert_eq!(
        r.headers().get("etag").and_then(|v| v.to_str().ok()),
        Some("\"1\"")
    );
    assert!(r.text().await.expect("body").is_empty());
    let r = app
        .client
        .get(app.url("/api/v1/missions/mali"))
        .header("if-none-match", "\"7\"")
        .send()
        .await
        .expect("request");
    assert_eq!(r.status().as_u16(), 200);

    // History and single revisions.
    let r = anon.get("/api/v1/missions/mali/revisions").await;
    let h = r.ok(200);
    assert_eq!(h["total"], 1);
    assert_eq!(h["items"][0]["rev"], 1);
    assert_eq!(h["items"][0]["actor"], "demo");
    assert!(
        h["items"][0]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    assert!(h["items"][0]["at"].is_string());

    let r = anon.get("/api/v1/missions/mali/revisions/1").await;
    assert_eq!(r.ok(200)["rev"], 1);
    assert_eq!(r.header("etag"), Some("\"1\""));
    assert_eq!(r.body, s.clone(), "revision 1 is the latest strategy");

    anon.get("/api/v1/missions/mali/revisions/2")
        .await
        .error(404, "not-found");
    anon.get("/api/v1/missions/mali/revisions/0")
        .await
        .error(400, "invalid-path");
    anon.get("/api/v1/missions/mali/revisions/abc")
        .await
        .error(400, "invalid-path");
    anon.get("/api/v1/missions/nowhere/revisions")
        .await
        .error(404, "not-found");

    // The stored revision's findings.
    let r = anon.get("/api/v1/missions/mali/check").await;
    assert!(r.ok(200)["diagnostics"].is_array(), "{}", r.text);
}

async fn importing_with_preconditions(backend: Backend) {
    let app = spawn_app(backend).await;
    let editor = app.user("edna", Role::Editor).await;
    let path = "/api/v1/missions/mali/revisions";
    let changed = changed_sample();

    // A new revision over the one read.
    let r = editor
        .write(
            Method::POST,
            path,
            Some("\"1\""),
            json!({ "text": changed, "message": "fix wording" }),
        )
        .await;
    let out = r.ok(201);
    assert_eq!(out["rev"], 2);
    assert_eq!(out["created"], true);
    assert_eq!(out["mission"], "mali");
    assert!(out["diagnostics"].is_array(), "{}", r.text);
    assert_eq!(r.header("etag"), Some("\"2\""));
    assert_eq!(
        r.header("location"),
        Some("/api/v1/missions/mali/revisions/2")
    );
    let h = app.anon().get("/api/v1/missions/mali/revisions").await;
    assert_eq!(h.ok(200)["items"][1]["message"], "fix wording");
    assert_eq!(h.body["items"][1]["actor"], "edna");

    // Stale, missing and never-matching preconditions.
    let other = SAMPLE.replacen("two government overthrows", "two putsches", 1);
    let d = editor
        .write(
            Method::POST,
            path,
            Some("\"1\""),
            json!({ "text": other, "message": "late" }),
        )
        .await
        .error(412, "stale")
        .clone();
    assert_eq!(d["latest"], 2, "{d}");
    editor
        .write(
            Method::POST,
            path,
            None,
            json!({ "text": other, "message": "blind" }),
        )
        .await
        .error(428, "precondition-required");
    editor
        .write(
            Method::POST,
            path,
            Some("2"),
            json!({ "text": other, "message": "unquoted" }),
        )
        .await
        .error(412, "stale");

    // The same text again stores nothing.
    let r = editor
        .write(
            Method::POST,
            path,
            Some("\"2\""),
            json!({ "text": changed, "message": "again" }),
        )
        .await;
    let out = r.ok(200);
    assert_eq!(
        (out["rev"].clone(), out["created"].clone()),
        (json!(2), json!(false))
    );
    assert_eq!(
        app.anon().get("/api/v1/missions/mali").await.header("etag"),
        Some("\"2\"")
    );

    // A new mission needs no If-Match, and refuses one.
    let r = editor
        .write(
            Method::POST,
            "/api/v1/missions/burkina-test/revisions",
            None,
            json!({ "text": SAMPLE, "message": "first" }),
        )
        .await;
    let out = r.ok(201);
    assert_eq!(
        (out["mission"].clone(), out["rev"].clone()),
        (json!("burkina-test"), json!(1))
    );
    editor
        .write(
            Method::POST,
            "/api/v1/missions/niger-test/revisions",
            Some("\"1\""),
            json!({ "text": SAMPLE, "message": "first" }),
        )
        .await
        .error(412, "stale");
    let list = app.anon().get("/api/v1/missions").await;
    let slugs: Vec<&str> = list.ok(200)["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|m| m["slug"].as_str())
        .collect();
    assert_eq!(slugs, ["burkina-test", "mali"], "{}", list.text);
    assert_eq!(list.body["total"], 2);

    // A document with errors is refused with its diagnostics, and nothing is stored.
    let r = editor
        .write(
            Method::POST,
            path,
            Some("\"2\""),
            json!({ "text": duplicate_objective(), "message": "broken" }),
        )
        .await;
    let d = r.error(422, "document-has-errors");
    assert_eq!(d["pointer"], "/text", "{}", r.text);
    let diagnostics = d["diagnostics"].as_array().expect("diagnostics");
    assert!(
        diagnostics
            .iter()
            .any(|x| x["code"] == "duplicate-number" && x["severity"] == "error"),
        "{}",
        r.text
    );
    assert_eq!(
        app.anon().get("/api/v1/missions/mali").await.header("etag"),
        Some("\"2\"")
    );

    // Text that is not a strategy at all.
    editor
        .write(
            Method::POST,
            path,
            Some("\"2\""),
            json!({ "text": "   ", "message": "empty" }),
        )
        .await
        .error(422, "invalid-field");
}

async fn editing_then_diff_and_search(backend: Backend) {
    let app = spawn_app(backend).await;
    let editor = app.user("edna", Role::Editor).await;
    let anon = app.anon();

    // Search finds the published text, with the matching words marked.
    let r = anon.get("/api/v1/search?q=elections").await;
    let found = r.ok(200);
    assert!(
        found["total"].as_u64().is_some_and(|t| t >= 1),
        "{}",
        r.text
    );
    let hits = found["hits"].as_array().expect("hits");
    assert!(hits.iter().all(|h| h["mission"] == "mali"));
    assert!(
        hits.iter().any(|h| h["snippet"]
            .as_array()
            .is_some_and(|s| s.iter().any(|f| f["hit"] == true
                && f["text"]
                    .as_str()
                    .is_some_and(|t| t.to_lowercase().starts_with("election"))))),
        "no fragment marks the word: {}",
        r.text
    );
    let r = anon.get("/api/v1/search?q=overthrows").await;
    assert_eq!(r.ok(200)["total"], 1, "{}", r.text);
    assert_eq!(r.body["hits"][0]["node"], "objective:1.1");
    assert_eq!(r.body["hits"][0]["field"], "justification");
    assert_eq!(
        anon.get("/api/v1/search?q=zanzibarite").await.ok(200)["total"],
        0
    );

    // Editing needs the revision read.
    let edit = json!({
        "node": "objective:1.1",
        "field": "justification",
        "value": "Mali must hold free elections; zanzibarite reforms come first.",
        "message": "new justification",
    });
    editor
        .write(
            Method::POST,
            "/api/v1/missions/mali/edits",
            None,
            edit.clone(),
        )
        .await
        .error(428, "precondition-required");
    // Text the document cannot hold is the client's mistake, never a 500.
    let mut control = edit.clone();
    control["value"] = json!("before\u{0}after");
    let r = editor
        .write(
            Method::POST,
            "/api/v1/missions/mali/edits",
            Some("\"1\""),
            control,
        )
        .await;
    assert_eq!(
        r.error(422, "invalid-field")["pointer"],
        "/value",
        "{}",
        r.text
    );
    let r = editor
        .write(
            Method::POST,
            "/api/v1/missions/mali/edits",
            Some("\"1\""),
            edit.clone(),
        )
        .await;
    let out = r.ok(201);
    assert_eq!(
        (out["rev"].clone(), out["created"].clone()),
        (json!(2), json!(true))
    );
    assert_eq!(r.header("etag"), Some("\"2\""));
    editor
        .write(
            Method::POST,
            "/api/v1/missions/mali/edits",
            Some("\"1\""),
            edit.clone(),
        )
        .await
        .error(412, "stale");

    let s = anon.get("/api/v1/missions/mali").await;
    assert_eq!(s.header("etag"), Some("\"2\""));
    assert_eq!(
        objectives(s.ok(200))[0]["justification"],
        "Mali must hold free elections; zanzibarite reforms come first."
    );

    // The diff shows the one block that changed, by element id.
    let r = anon.get("/api/v1/missions/mali/diff?from=1&to=2").await;
    let d = r.ok(200);
    assert_eq!(d["cover"], json!([]), "{}", r.text);
    assert_eq!(d["elements"], json!([]), "{}", r.text);
    let blocks = d["blocks"].as_array().expect("blocks");
    assert_eq!(blocks.len(), 1, "{}", r.text);
    assert_eq!(blocks[0]["node"], "objective:1.1");
    assert_eq!(blocks[0]["block"], "justification");
    assert!(
        blocks[0]["old"]
            .as_str()
            .is_some_and(|t| t.contains("overthrows"))
    );
    assert!(
        blocks[0]["new"]
            .as_str()
            .is_some_and(|t| t.contains("zanzibarite"))
    );
    let same = anon.get("/api/v1/missions/mali/diff?from=2&to=2").await;
    assert_eq!(same.ok(200)["blocks"], json!([]));
    anon.get("/api/v1/missions/mali/diff?from=1&to=3")
        .await
        .error(404, "not-found");

    // Search follows the latest revision at once.
    let r = anon.get("/api/v1/search?q=zanzibarite").await;
    assert_eq!(r.ok(200)["total"], 1, "{}", r.text);
    let hit = &r.body["hits"][0];
    assert_eq!(
        (hit["mission"].clone(), hit["rev"].clone()),
        (json!("mali"), json!(2))
    );
    assert_eq!(
        (hit["node"].clone(), hit["field"].clone()),
        (json!("objective:1.1"), json!("justification"))
    );
    assert!(
        hit["heading"].as_str().is_some_and(|h| h.contains("1.1")),
        "{}",
        r.text
    );
    assert_eq!(
        anon.get("/api/v1/search?q=overthrows").await.ok(200)["total"],
        0
    );

    // Reverting brings the old words back, and search follows again.
    let r = editor
        .write(
            Method::POST,
            "/api/v1/missions/mali/reverts",
            Some("\"2\""),
            json!({ "to": 1 }),
        )
        .await;
    assert_eq!(r.ok(201)["rev"], 3, "{}", r.text);
    assert_eq!(
        anon.get("/api/v1/search?q=overthrows").await.ok(200)["total"],
        1
    );
    assert_eq!(
        anon.get("/api/v1/search?q=zanzibarite").await.ok(200)["total"],
        0
    );
    let s3 = anon.get("/api/v1/missions/mali").await;
    assert_eq!(
        objectives(s3.ok(200))[0]["id"],
        objectives(s.ok(200))[0]["id"],
        "ids survive a revert"
    );
}

/// A diff names each element by the id the strategy shows for it, so that a client can pair
/// the two.
async fn diff_names_elements_as_the_strategy_does(backend: Backend) {
    let app = spawn_app(backend).await;
    let editor = app.user("edna", Role::Editor).await;
    let edit = json!({
        "node": "objective:1.1",
        "field": "risks",
        "value": "Elections may slip again.",
        "message": "risks",
    });
    editor
        .write(
            Method::POST,
            "/api/v1/missions/mali/edits",
            Some("\"1\""),
            edit,
        )
        .await
        .ok(201);
    let s = app.anon().get("/api/v1/missions/mali").await;
    let id = objectives(s.ok(200))[0]["id"].clone();
    assert!(id.is_string(), "{id}");
    let r = app
        .anon()
        .get("/api/v1/missions/mali/diff?from=1&to=2")
        .await;
    let blocks = r.ok(200)["blocks"].as_array().expect("blocks").clone();
    assert_eq!(blocks.len(), 1, "{}", r.text);
    assert_eq!(blocks[0]["node"], "objective:1.1");
    assert_eq!(
        blocks[0]["id"], id,
        "the diff and the strategy name the same element differently: {}",
        r.text
    );
}

/// `If-None-Match` compares entity tags weakly (RFC 9110 §13.1.2): `W/"1"` matches `"1"`.
async fn conditional_reads_compare_weakly(backend: Backend) {
    let app = spawn_app(backend).await;
    let anon = app.anon();
    for (path, tag) in [
        ("/api/v1/missions/mali", "W/\"1\""),
        ("/api/v1/missions/mali/revisions/1", "W/\"1\""),
        ("/api/v1/missions/mali", "\"5\", W/\"1\""),
    ] {
        let r = Reply::send(anon.bare(Method::GET, path).header("if-none-match", tag)).await;
        assert_eq!(r.status.as_u16(), 304, "{path} with If-None-Match: {tag}");
    }
}

/// `POST /api/v1/documents/read` is `cairn parse` and `cairn check` over HTTP: nothing stored.
async fn reading_a_document_without_storing_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let viewer = app.user("vic", Role::Viewer).await;
    let r = viewer
        .post(
            "/api/v1/documents/read",
            json!({ "text": duplicate_objective() }),
        )
        .await;
    let out = r.ok(200);
    assert_eq!(out["strategy"]["country"], "Mali", "{}", r.text);
    let codes: Vec<&str> = out["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(codes.contains(&"duplicate-number"), "{codes:?}");
    let r = viewer
        .post(
            "/api/v1/documents/read",
            json!({ "text": "no goals in here" }),
        )
        .await;
    assert_eq!(
        r.error(422, "invalid-field")["pointer"],
        "/text",
        "{}",
        r.text
    );
    // Nothing was stored: mali is still at its first revision, and no other mission exists.
    let missions = app.anon().get("/api/v1/missions").await;
    assert_eq!(missions.ok(200)["total"], 1, "{}", missions.text);
    assert_eq!(missions.body["items"][0]["latest_rev"], 1);
    let schema = app.anon().get("/api/v1/documents/schema").await;
    assert_eq!(schema.ok(200)["title"], "Strategy", "{}", schema.text);
}
