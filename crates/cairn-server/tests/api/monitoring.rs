//! Monitoring over HTTP: indicators and data in (CSV or entries, the same validation as the
//! CLI), status, charts, history and export out; markings decide who sees what; the pages
//! show the same and the entry form refuses what the API refuses.

use cairn_core::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{Agent, Backend, Reply, spawn_app};

on_both_backends!(
    entering_and_correcting_data,
    bad_input_is_refused_whole_with_its_place,
    sensitive_indicators_are_hidden_from_the_public,
    pages_show_status_and_take_data,
    figures_become_context_indicators,
    csv_files_upload_from_the_browser,
    milestones_are_rated_and_changed_with_history,
);

const INDICATOR_CSV: &str = "mission,element,code,title,unit,direction,frequency,disaggregations,marking\n\
    mali,1.1,TEST-1,Observers trained,people,increase,annual,sex,sbu\n";

fn codes(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| i["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The status entry of one indicator, found anywhere in the tree.
fn indicator_status<'a>(status: &'a Value, code: &str) -> Option<&'a Value> {
    fn walk<'a>(list: &'a Value, code: &str) -> Option<&'a Value> {
        for e in list.as_array().into_iter().flatten() {
            for i in e["indicators"].as_array().into_iter().flatten() {
                if i["code"] == code {
                    return Some(i);
                }
            }
            if let Some(found) = walk(&e["objectives"], code) {
                return Some(found);
            }
        }
        None
    }
    walk(&status["goals"], code).or_else(|| walk(&status["management_objectives"], code))
}

async fn define(admin: &Agent) {
    let r = admin
        .post(
            "/api/v1/missions/mali/indicators",
            json!({ "csv": INDICATOR_CSV }),
        )
        .await;
    assert_eq!(r.ok(200)["added"], 1, "{}", r.text);
}

async fn entering_and_correcting_data(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin().await;
    define(&admin).await;

    // Re-importing the same sheet changes nothing; a dry run writes nothing either.
    let r = admin
        .post(
            "/api/v1/missions/mali/indicators",
            json!({ "csv": INDICATOR_CSV, "dry_run": true }),
        )
        .await;
    assert_eq!(r.ok(200)["dry_run"], true);
    let list = admin
        .get("/api/v1/missions/mali/indicators?limit=500")
        .await;
    assert!(codes(list.ok(200)).contains(&"TEST-1".to_string()));
    let one = list.body["items"]
        .as_array()
        .and_then(|l| l.iter().find(|i| i["code"] == "TEST-1"))
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(one["element"], "1.1", "{one}");
    assert_eq!(one["disaggregations"], json!(["sex"]));
    assert_eq!(one["marking"], "sbu");

    let entries = json!({ "reason": "first report", "entries": [
        { "indicator": "TEST-1", "period": "FY2024", "kind": "target", "value": 100 },
        { "indicator": "TEST-1", "period": "FY2024Q1", "kind": "actual", "value": "40" },
        { "indicator": "TEST-1", "period": "FY2024Q2", "kind": "actual", "value": 45.5 },
        { "indicator": "TEST-1", "period": "FY2024Q2", "kind": "actual", "value": 20, "cell": { "sex": "female" } },
    ]});
    let r = admin.post("/api/v1/missions/mali/data", entries).await;
    assert_eq!(r.ok(200)["added"], 4, "{}", r.text);

    // Quarters sum to the year for a count: 85.5 against 100 is -14.5%: below target.
    let st = admin.get("/api/v1/missions/mali/status?fy=2024").await;
    let body = st.ok(200);
    assert_eq!(body["mission"], "mali");
    assert_eq!(body["period"], "FY2024");
    let i = indicator_status(body, "TEST-1")
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(i["target"], 100.0, "{i}");
    assert_eq!(i["actual"], 85.5);
    assert_eq!(i["rating"], "below-target");
    // FY2024 is also the default: the latest year with an actual.
    assert_eq!(
        admin.get("/api/v1/missions/mali/status").await.ok(200)["period"],
        "FY2024"
    );

    // A correction: +4.5 in Q2 makes 90, exactly -10%: on target (the boundary is inclusive).
    let r = admin
        .post(
            "/api/v1/missions/mali/data",
            json!({ "reason": "late field report", "entries": [
                { "indicator": "TEST-1", "period": "FY2024Q2", "kind": "actual", "value": 50 },
            ]}),
        )
        .await;
    assert_eq!(r.ok(200)["updated"], 1, "{}", r.text);
    let st = admin.get("/api/v1/missions/mali/status?fy=FY2024").await;
    let i = indicator_status(st.ok(200), "TEST-1")
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(i["actual"], 90.0);
    assert_eq!(i["rating"], "on-target");

    // The history keeps the first value and the correction with who, when and why.
    let h = admin
        .get("/api/v1/missions/mali/indicators/TEST-1/history")
        .await;
    let items = h.ok(200)["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 5, "{}", h.text);
    let last = &items[4];
    assert_eq!(last["previous"], 45.5);
    assert_eq!(last["value"], 50.0);
    assert_eq!(last["reason"], "late field report");
    assert_eq!(last["actor"], "admin");

    // The indicator: sheet, figures by year, every value.
    let d = admin.get("/api/v1/missions/mali/indicators/TEST-1").await;
    let d = d.ok(200);
    assert_eq!(d["indicator"]["title"], "Observers trained");
    assert_eq!(d["years"][0]["fy"], "FY2024");
    assert_eq!(d["years"][0]["rating"], "on-target");
    assert_eq!(d["observations"].as_array().map(Vec::len), Some(4));

    // Charts are SVG that say what they show in words.
    let c = admin
        .get("/api/v1/missions/mali/indicators/TEST-1/chart")
        .await;
    assert_eq!(c.status, 200);
    assert!(
        c.header("content-type")
            .is_some_and(|t| t.starts_with("image/svg+xml"))
    );
    assert!(
        c.text.contains("<desc") && c.text.contains("Observers trained"),
        "{}",
        c.text
    );
    let c = admin
        .get("/api/v1/missions/mali/status/chart?fy=2024")
        .await;
    assert_eq!(c.status, 200);
    assert!(
        c.text.contains("Mission rating for FY2024") && c.text.contains("Objective 1.1: "),
        "{}",
        c.text
    );

    // The export is the data CSV, which imports back unchanged.
    let e = admin.get("/api/v1/missions/mali/data").await;
    assert_eq!(e.status, 200);
    assert!(
        e.header("content-type")
            .is_some_and(|t| t.starts_with("text/csv"))
    );
    assert!(
        e.text.contains("mali,TEST-1,FY2024Q2,actual,50,"),
        "{}",
        e.text
    );
    let r = admin
        .post(
            "/api/v1/missions/mali/data",
            json!({ "csv": e.text, "reason": "round trip" }),
        )
        .await;
    let back = r.ok(200);
    assert_eq!(back["added"], 0, "{}", r.text);
    assert_eq!(back["updated"], 0);
}

async fn bad_input_is_refused_whole_with_its_place(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin().await;
    define(&admin).await;
    let before = admin.get("/api/v1/missions/mali/data").await.text;

    // Every bad entry is reported, each at its JSON pointer; the good one is not written.
    let r = admin
        .post(
            "/api/v1/missions/mali/data",
            json!({ "entries": [
                { "indicator": "TEST-1", "period": "FY2024", "kind": "target", "value": 100 },
                { "indicator": "TEST-1", "period": "FY2024", "kind": "actual", "value": "12%" },
                { "indicator": "NO-SUCH", "period": "FY2024", "kind": "actual", "value": 1 },
                { "indicator": "TEST-1", "period": "FY2024", "kind": "actual", "value": 1, "cell": { "region": "Kayes" } },
                { "indicator": "TEST-1", "period": "FY24", "kind": "actual", "value": 1 },
                { "indicator": "TEST-1", "period": "FY2024", "kind": "guess", "value": 1 },
            ]}),
        )
        .await;
    let e = r.error(422, "invalid-entries");
    let pointers: Vec<&str> = e["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x["pointer"].as_str())
        .collect();
    for want in [
        "/entries/1/value",
        "/entries/2/indicator",
        "/entries/3/cell/region",
        "/entries/4/period",
        "/entries/5/kind",
    ] {
        assert!(pointers.contains(&want), "{want} in {pointers:?}");
    }
    assert!(
        !pointers.iter().any(|p| p.starts_with("/entries/0")),
        "{pointers:?}"
    );
    assert!(
        r.body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("nothing was written"))
    );
    assert_eq!(admin.get("/api/v1/missions/mali/data").await.text, before);

    // A CSV's errors name row, column and value; another mission's row is refused.
    let csv = "mission,indicator,period,kind,value\n\
        mali,TEST-1,FY2024,target,abc\n\
        niger,TEST-1,FY2024,target,1\n";
    let r = admin
        .post("/api/v1/missions/mali/data", json!({ "csv": csv }))
        .await;
    let e = r.error(422, "invalid-rows");
    let errors = e["errors"].as_array().cloned().unwrap_or_default();
    assert!(
        errors
            .iter()
            .any(|x| x["row"] == 2 && x["column"] == "value" && x["value"] == "abc"),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|x| x["row"] == 3
            && x["column"] == "mission"
            && x["message"]
                .as_str()
                .is_some_and(|m| m.contains("for mali only"))),
        "{errors:?}"
    );
    assert_eq!(admin.get("/api/v1/missions/mali/data").await.text, before);

    // Indicator sheets too.
    let r = admin
        .post(
            "/api/v1/missions/mali/indicators",
            json!({ "csv": "mission,element,code,title,unit,direction,frequency\nmali,9.9,X-1,T,number,up,annual\n" }),
        )
        .await;
    let e = r.error(422, "invalid-rows");
    let columns: Vec<&str> = e["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x["column"].as_str())
        .collect();
    assert!(
        columns.contains(&"element") && columns.contains(&"direction"),
        "{columns:?}"
    );

    // The body's shape: exactly one of csv and entries; a value is a number or a string.
    admin
        .post("/api/v1/missions/mali/data", json!({}))
        .await
        .error(400, "invalid-body");
    admin
        .post(
            "/api/v1/missions/mali/data",
            json!({ "csv": "x", "entries": [] }),
        )
        .await
        .error(400, "invalid-body");
    let r = admin
        .post(
            "/api/v1/missions/mali/data",
            json!({ "entries": [{ "indicator": "TEST-1", "period": "FY2024", "kind": "actual", "value": true }] }),
        )
        .await;
    assert_eq!(r.error(422, "invalid-field")["pointer"], "/entries/0/value");
    // Queries and paths.
    let r = admin.get("/api/v1/missions/mali/status?fy=24").await;
    assert_eq!(r.error(400, "invalid-query")["parameter"], "fy");
    admin
        .get("/api/v1/missions/mali/indicators/NOT%20A%20CODE")
        .await
        .error(404, "not-found");
    admin
        .get("/api/v1/missions/nowhere/status")
        .await
        .error(404, "not-found");
}

async fn sensitive_indicators_are_hidden_from_the_public(backend: Backend) {
    let app = spawn_app(backend).await;
    let anon = app.anon();
    let viewer = app.user("vic", Role::Viewer).await;

    // The demo's context indicators are public; the illustrative ones are SBU.
    let public = codes(anon.get("/api/v1/missions/mali/indicators").await.ok(200));
    assert_eq!(public, ["CTX-ASSIST", "CTX-PIN"]);
    let all = codes(
        viewer
            .get("/api/v1/missions/mali/indicators?limit=500")
            .await
            .ok(200),
    );
    assert!(
        all.len() > public.len() && all.contains(&"EG.3.2-27".to_string()),
        "{all:?}"
    );

    anon.get("/api/v1/missions/mali/indicators/EG.3.2-27")
        .await
        .error(404, "not-found");
    anon.get("/api/v1/missions/mali/indicators/EG.3.2-27/history")
        .await
        .error(404, "not-found");
    viewer
        .get("/api/v1/missions/mali/indicators/EG.3.2-27")
        .await
        .ok(200);
    assert_eq!(
        anon.get("/api/v1/missions/mali/indicators/CTX-PIN")
            .await
            .ok(200)["indicator"]["marking"],
        "public"
    );

    let export = anon.get("/api/v1/missions/mali/data").await;
    assert_eq!(export.status, 200);
    assert!(
        export.text.contains("CTX-PIN") && !export.text.contains("EG.3.2-27"),
        "{}",
        export.text
    );
    let st = anon.get("/api/v1/missions/mali/status?fy=2023").await;
    assert!(indicator_status(st.ok(200), "EG.3.2-27").is_none());
    let st = viewer.get("/api/v1/missions/mali/status?fy=2023").await;
    assert!(indicator_status(st.ok(200), "EG.3.2-27").is_some());

    // Readers cannot write.
    for who in [&anon, &viewer] {
        let r = who
            .post(
                "/api/v1/missions/mali/indicators",
                json!({ "csv": INDICATOR_CSV }),
            )
            .await;
        assert!(matches!(r.status.as_u16(), 401 | 403), "{}", r.text);
    }
}

/// A form post with the agent's session, from this origin.
async fn form(agent: &Agent, path: &str, fields: &[(&str, &str)]) -> Reply {
    let body: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    Reply::send(
        agent
            .bare(Method::POST, path)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body),
    )
    .await
}

async fn pages_show_status_and_take_data(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin().await;
    let csrf = admin.csrf.clone().unwrap_or_default();

    let p = admin.get("/missions/mali/indicators?fy=2023").await;
    assert_eq!(p.status, 200, "{}", p.text);
    assert!(
        p.text.contains("<svg") && p.text.contains("Mission rating"),
        "{}",
        p.text
    );
    assert!(p.text.contains("Illustrative: "), "demo indicators say so");
    let p = admin.get("/missions/mali/indicators/EG.3.2-27").await;
    assert_eq!(p.status, 200);
    assert!(
        p.text.contains("Illustrative: this demo indicator"),
        "{}",
        p.text
    );
    assert!(p.text.contains("Corrections and history"));
    // The strategy view carries each element's rating for signed-in readers.
    let p = admin.get("/missions/mali").await;
    assert!(p.text.contains("class=\"status-line\""), "{}", p.text);
    // Anonymous readers get the public indicators only.
    let p = app.anon().get("/missions/mali/indicators/EG.3.2-27").await;
    assert_eq!(p.status, 404);
    let p = app.anon().get("/missions/mali/data").await;
    assert_eq!(p.status, 303, "the entry form needs a signed-in editor");

    // The form shows stored totals; a bad value comes back beside its field, nothing saved.
    let p = admin.get("/missions/mali/data?period=FY2025").await;
    assert_eq!(p.status, 200);
    assert!(p.text.contains("name=\"actual:EG.3.2-27\""), "{}", p.text);
    let before = admin.get("/api/v1/missions/mali/data").await.text;
    let bad = form(
        &admin,
        "/missions/mali/data",
        &[
            ("csrf", &csrf),
            ("period", "FY2025"),
            ("target:EG.3.2-27", "500"),
            ("actual:EG.3.2-27", "1,000"),
        ],
    )
    .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert!(bad.text.contains("aria-invalid=\"true\""));
    assert!(bad.text.contains("is not a number"), "{}", bad.text);
    assert!(bad.text.contains("value=\"1,000\""), "what was typed stays");
    assert_eq!(admin.get("/api/v1/missions/mali/data").await.text, before);

    // Good values are saved, and the redirect says how many.
    let good = form(
        &admin,
        "/missions/mali/data",
        &[
            ("csrf", &csrf),
            ("period", "FY2025"),
            ("target:EG.3.2-27", "500"),
            ("actual:EG.3.2-27", "1000"),
            ("reason", "typed in"),
        ],
    )
    .await;
    assert_eq!(good.status, 303, "{}", good.text);
    assert_eq!(
        good.header("location"),
        Some("/missions/mali/indicators?saved=2&fy=2025")
    );
    let st = admin.get("/api/v1/missions/mali/status?fy=2025").await;
    let i = indicator_status(st.ok(200), "EG.3.2-27")
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(i["rating"], "above-target", "{i}");
    // Without the session's token nothing is saved.
    let forged = form(
        &admin,
        "/missions/mali/data",
        &[
            ("csrf", "forged"),
            ("period", "FY2025"),
            ("actual:EG.3.2-27", "1"),
        ],
    )
    .await;
    assert_eq!(forged.status, 403);
}

async fn figures_become_context_indicators(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin().await;
    let r = admin
        .post(
            "/api/v1/missions/mali/figures/f10/indicator",
            json!({ "code": "CTX-IDP", "direction": "decrease" }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(
        r.header("location"),
        Some("/api/v1/missions/mali/indicators/CTX-IDP")
    );
    assert_eq!(r.body["element"], "3.2");
    assert_eq!(r.body["direction"], "decrease");
    let d = admin.get("/api/v1/missions/mali/indicators/CTX-IDP").await;
    assert_eq!(d.ok(200)["observations"][0]["value"], 7_500_000.0);

    admin
        .post("/api/v1/missions/mali/figures/f99/indicator", json!({}))
        .await
        .error(404, "not-found");
    let r = admin
        .post("/api/v1/missions/mali/figures/f2/indicator", json!({}))
        .await;
    assert_eq!(r.error(422, "invalid-field")["pointer"], "/element");
    let r = admin
        .post(
            "/api/v1/missions/mali/figures/f10/indicator",
            json!({ "code": "CTX-IDP", "title": "Another title" }),
        )
        .await;
    assert_eq!(r.error(409, "exists")["pointer"], "/code");
    let r = admin
        .post(
            "/api/v1/missions/mali/figures/f10/indicator",
            json!({ "period": "soon" }),
        )
        .await;
    assert_eq!(r.error(422, "invalid-field")["pointer"], "/period");

    // The status page lists the figures and tracks one from a form.
    let p = admin.get("/missions/mali/indicators").await;
    assert!(
        p.text.contains("Key figures of the narrative") && p.text.contains("f8: 1.9 million"),
        "{}",
        p.text
    );
    let csrf = admin.csrf.clone().unwrap_or_default();
    let r = form(
        &admin,
        "/missions/mali/figures/f8",
        &[
            ("csrf", &csrf),
            ("code", "CTX-DISPLACED"),
            ("element", "3.2"),
            ("period", ""),
        ],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.text);
    assert_eq!(
        r.header("location"),
        Some("/missions/mali/indicators/CTX-DISPLACED")
    );
    let r = form(
        &admin,
        "/missions/mali/figures/f2",
        &[("csrf", &csrf), ("code", "CTX-X")],
    )
    .await;
    assert_eq!(r.status, 422, "a figure in the priorities needs an element");
    assert!(r.text.contains("give the element"), "{}", r.text);
}

/// A multipart form post with the agent's session, from this origin.
async fn upload(agent: &Agent, path: &str, fields: &[(&str, &str)], file: &str) -> Reply {
    let boundary = "cairn-test-boundary-7d2f";
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"data.csv\"\r\nContent-Type: text/csv\r\n\r\n{file}\r\n--{boundary}--\r\n"
    ));
    Reply::send(
        agent
            .bare(Method::POST, path)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body),
    )
    .await
}

async fn csv_files_upload_from_the_browser(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin().await;
    let csrf = admin.csrf.clone().unwrap_or_default();
    let p = admin.get("/missions/mali/upload").await;
    assert_eq!(p.status, 200, "{}", p.text);
    let before = admin.get("/api/v1/missions/mali/data").await.text;

    // Bad rows: every error in a table, nothing saved.
    let bad = "mission,indicator,period,kind,value\nmali,EG.3.2-27,FY2026,target,lots\nmali,EG.3.2-27,FY26,actual,1\n";
    let r = upload(
        &admin,
        "/missions/mali/upload",
        &[("csrf", &csrf), ("what", "data")],
        bad,
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert!(
        r.text.contains("Nothing was saved: 2 error(s)"),
        "{}",
        r.text
    );
    assert!(r.text.contains("<code>lots</code>") && r.text.contains("<code>FY26</code>"));
    assert_eq!(admin.get("/api/v1/missions/mali/data").await.text, before);

    // Only checking saves nothing; then saving does.
    let good = "mission,indicator,period,kind,value\nmali,EG.3.2-27,FY2026,target,3000000\n";
    let r = upload(
        &admin,
        "/missions/mali/upload",
        &[("csrf", &csrf), ("what", "data"), ("check_only", "1")],
        good,
    )
    .await;
    assert_eq!(r.status, 200);
    assert!(
        r.text.contains("All 1 row(s) are valid. Nothing was saved"),
        "{}",
        r.text
    );
    assert_eq!(admin.get("/api/v1/missions/mali/data").await.text, before);
    let r = upload(
        &admin,
        "/missions/mali/upload",
        &[("csrf", &csrf), ("what", "data"), ("reason", "FY2026 plan")],
        good,
    )
    .await;
    assert!(r.text.contains("Saved: 1 added"), "{}", r.text);
    assert!(
        admin
            .get("/api/v1/missions/mali/data")
            .await
            .text
            .contains("FY2026,target,3000000")
    );

    // Indicator sheets too; a forged token is refused.
    let sheet = "mission,element,code,title,unit,direction,frequency\nmali,2.1,UP-1,Uploaded,number,increase,annual\n";
    let r = upload(
        &admin,
        "/missions/mali/upload",
        &[("csrf", &csrf), ("what", "indicators")],
        sheet,
    )
    .await;
    assert!(r.text.contains("Saved: 1 added"), "{}", r.text);
    let milestones =
        "mission,element,code,title,due,status\nmali,2.1,M-UP,Uploaded,2024-03-31,in-progress\n";
    let r = upload(
        &admin,
        "/missions/mali/upload",
        &[("csrf", &csrf), ("what", "milestones")],
        milestones,
    )
    .await;
    assert!(r.text.contains("Saved: 1 added"), "{}", r.text);
    let r = upload(
        &admin,
        "/missions/mali/upload",
        &[("csrf", "forged"), ("what", "indicators")],
        sheet,
    )
    .await;
    assert_eq!(r.status, 403);
}

async fn milestones_are_rated_and_changed_with_history(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin().await;
    // The demo milestones are SBU: anonymous readers see none.
    let anon = app.anon().get("/api/v1/missions/mali/milestones").await;
    assert_eq!(anon.ok(200)["total"], 0);
    let r = admin.get("/api/v1/missions/mali/milestones?fy=2023").await;
    let items = r.ok(200)["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 6, "{}", r.text);
    let find = |items: &[Value], code: &str| {
        items
            .iter()
            .find(|m| m["code"] == code)
            .cloned()
            .unwrap_or(Value::Null)
    };
    let observers = find(&items, "M-OBSERVERS");
    assert_eq!(observers["element"], "1.1");
    assert_eq!(observers["rating"], "below-target");
    assert_eq!(find(&items, "M-ELECTORAL-PLAN")["rating"], "on-target");
    assert_eq!(find(&items, "M-BORDER-DIALOGUE")["rating"], Value::Null);

    // Done at last: the status changes, the history keeps the old one.
    let csv = "mission,element,code,title,due,status,note\n\
        mali,1.1,M-OBSERVERS,Illustrative: domestic observer network accredited before the referendum,2023-06-15,done,Accredited in August\n";
    let r = admin
        .post("/api/v1/missions/mali/milestones", json!({ "csv": csv }))
        .await;
    assert_eq!(r.ok(200)["updated"], 1, "{}", r.text);
    let r = admin.get("/api/v1/missions/mali/milestones?fy=2023").await;
    let m = find(
        r.ok(200)["items"].as_array().map_or(&[][..], Vec::as_slice),
        "M-OBSERVERS",
    );
    assert_eq!(m["status"], "done");
    assert_eq!(m["rating"], "on-target");
    let statuses: Vec<&str> = m["history"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| h["status"].as_str())
        .collect();
    assert_eq!(statuses, ["delayed", "done"]);

    // Bad rows are refused whole, with row, column and value.
    let bad = "mission,element,code,title,due,status\nmali,1.1,M-Y,T,2023-02-30,finished\n";
    let r = admin
        .post("/api/v1/missions/mali/milestones", json!({ "csv": bad }))
        .await;
    let columns: Vec<&str> = r.error(422, "invalid-rows")["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["column"].as_str())
        .collect();
    assert!(
        columns.contains(&"due") && columns.contains(&"status"),
        "{columns:?}"
    );
}
