//! The OpenAPI document describes the router: every route with its method, each with its
//! responses, and nothing the router does not serve.

use reqwest::Method;
use serde_json::Value;

use crate::support::{Backend, spawn_app};

on_both_backends!(openapi_describes_every_route, openapi_documents_element_ids);

/// The API's contract: every operation of `cairn_server::api::routes` but the document
/// itself.
pub const OPERATIONS: &[(&str, &str)] = &[
    ("post", "/api/v1/session"),
    ("get", "/api/v1/session"),
    ("delete", "/api/v1/session"),
    ("post", "/api/v1/account/password"),
    ("get", "/api/v1/users"),
    ("post", "/api/v1/users"),
    ("get", "/api/v1/users/{name}"),
    ("patch", "/api/v1/users/{name}"),
    ("post", "/api/v1/users/{name}/password"),
    ("get", "/api/v1/missions"),
    ("get", "/api/v1/missions/{slug}"),
    ("get", "/api/v1/missions/{slug}/settings"),
    ("patch", "/api/v1/missions/{slug}/settings"),
    ("get", "/api/v1/missions/{slug}/revisions"),
    ("post", "/api/v1/missions/{slug}/revisions"),
    ("get", "/api/v1/missions/{slug}/revisions/{rev}"),
    ("post", "/api/v1/missions/{slug}/edits"),
    ("post", "/api/v1/missions/{slug}/reverts"),
    ("get", "/api/v1/missions/{slug}/diff"),
    ("get", "/api/v1/missions/{slug}/check"),
    ("get", "/api/v1/missions/{slug}/indicators"),
    ("post", "/api/v1/missions/{slug}/indicators"),
    ("get", "/api/v1/missions/{slug}/indicators/{code}"),
    ("get", "/api/v1/missions/{slug}/indicators/{code}/history"),
    ("get", "/api/v1/missions/{slug}/indicators/{code}/chart"),
    ("get", "/api/v1/missions/{slug}/data"),
    ("post", "/api/v1/missions/{slug}/data"),
    ("get", "/api/v1/missions/{slug}/status"),
    ("get", "/api/v1/missions/{slug}/status/chart"),
    ("post", "/api/v1/missions/{slug}/figures/{figure}/indicator"),
    ("get", "/api/v1/missions/{slug}/milestones"),
    ("post", "/api/v1/missions/{slug}/milestones"),
    ("get", "/api/v1/search"),
    ("get", "/api/v1/audit"),
    ("get", "/api/v1/audit/verify"),
    ("post", "/api/v1/documents/read"),
    ("get", "/api/v1/documents/schema"),
];

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

async fn openapi_describes_every_route(backend: Backend) {
    let app = spawn_app(backend).await;
    let anon = app.anon();
    let r = anon.get("/api/v1/openapi.json").await;
    let doc = r.ok(200);
    assert!(
        r.header("content-type")
            .is_some_and(|c| c.starts_with("application/json"))
    );
    let version = doc["openapi"].as_str().expect("openapi version");
    assert!(version.starts_with("3.1."), "{version}");
    assert!(doc["info"]["title"].is_string());
    let paths = doc["paths"].as_object().expect("paths");

    let mut missing = Vec::new();
    for (method, path) in OPERATIONS {
        match paths.get(*path).and_then(|p| p.get(*method)) {
            None => missing.push(format!("{method} {path}")),
            Some(op) => {
                let responses = op["responses"].as_object();
                assert!(
                    responses.is_some_and(|r| !r.is_empty()),
                    "{method} {path} has no responses"
                );
                // Writes document their refusals; every error response is the one error shape.
                for (status, resp) in responses.into_iter().flatten() {
                    if status.starts_with('4') || status.starts_with('5') {
                        assert_eq!(
                            resp.pointer("/content/application~1json/schema/$ref")
                                .and_then(Value::as_str),
                            Some("#/components/schemas/ErrorBody"),
                            "{method} {path} {status}"
                        );
                    }
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "not in the OpenAPI document: {missing:?}"
    );

    // Every documented operation is one the router serves (and nothing more is documented).
    let mut documented = Vec::new();
    for (path, item) in paths {
        for method in item
            .as_object()
            .expect("path item")
            .keys()
            .filter(|m| METHODS.contains(&m.as_str()))
        {
            documented.push((method.clone(), path.clone()));
            let concrete = path
                .replace("{slug}", "mali")
                .replace("{rev}", "1")
                .replace("{code}", "CTX-PIN")
                .replace("{figure}", "f1")
                .replace("{name}", "admin");
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            let reply = crate::support::Reply::send(anon.bare(m, &concrete)).await;
            let unrouted = reply.status.as_u16() == 405 || reply.text.contains("no such API path");
            assert!(
                !unrouted,
                "{method} {path} is documented but not routed: {} {}",
                reply.status, reply.text
            );
        }
    }
    documented.sort();
    let mut contract: Vec<(String, String)> = OPERATIONS
        .iter()
        .map(|(m, p)| ((*m).to_string(), (*p).to_string()))
        .collect();
    contract.sort();
    assert_eq!(
        documented, contract,
        "the document lists exactly the contract"
    );
}

/// The strategy's elements carry the `id` that indicators, risks and diffs refer to: the
/// document says so, with the type the API sends.
async fn openapi_documents_element_ids(backend: Backend) {
    let app = spawn_app(backend).await;
    let anon = app.anon();
    let doc = anon.get("/api/v1/openapi.json").await.ok(200).clone();
    let strategy = anon.get("/api/v1/missions/mali").await.ok(200).clone();
    let sent = &strategy["goals"][0]["id"];
    assert!(sent.is_string(), "{sent}");
    let schemas = &doc["components"]["schemas"];
    for component in ["Goal", "Objective"] {
        let id = &schemas[component]["properties"]["id"];
        assert!(
            id.is_object(),
            "components.schemas.{component} does not document the id the API sends ({sent}): {}",
            schemas[component]
        );
        let id = match id["$ref"].as_str() {
            Some(r) => doc
                .pointer(r.trim_start_matches('#'))
                .unwrap_or_else(|| panic!("{r} does not resolve")),
            None => id,
        };
        assert_eq!(id["type"], "string", "{component}.id: {id}");
    }
}
