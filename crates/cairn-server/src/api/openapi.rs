//! The OpenAPI 3.1 document, generated from the handlers' declarations. The domain's own
//! types (strategy, diagnostic, diff) already have JSON Schemas from `schemars`; they are
//! merged in as components rather than described twice.

use std::borrow::Cow;

use axum::response::IntoResponse;
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::openapi::{Ref, RefOr, Schema};
use utoipa::{IntoParams, OpenApi, PartialSchema, ToSchema};

use super::{accounts, audit, documents, missions, monitoring, search};

/// A component whose schema comes from `schemars` (merged in by [`document`]).
macro_rules! schemars_component {
    ($marker:ident, $name:literal) => {
        #[doc = concat!("The `", $name, "` schema (from the domain's JSON Schema).")]
        pub struct $marker;

        impl PartialSchema for $marker {
            fn schema() -> RefOr<Schema> {
                RefOr::Ref(Ref::from_schema_name($name))
            }
        }

        impl ToSchema for $marker {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }
        }
    };
}

schemars_component!(RevisionStrategy, "RevisionStrategy");
schemars_component!(DiagnosticSchema, "Diagnostic");
schemars_component!(StrategySchema, "Strategy");
schemars_component!(DiffSchema, "StrategyDiff");
schemars_component!(NodeSchema, "Node");
schemars_component!(RoleSchema, "Role");
schemars_component!(FieldSchema, "FieldName");
schemars_component!(BureauSchema, "BureauCode");
schemars_component!(StatusSchema, "Status");

/// `{slug}` in a path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct SlugPath {
    /// The mission's short name (`mali`, `burkina-faso`); a slug that cannot exist is not
    /// found.
    #[param(pattern = "^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$")]
    pub slug: String,
}

/// `{name}` in a path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct UserPath {
    /// The user name; one that cannot exist is not found.
    #[param(pattern = "^[a-z0-9][a-z0-9._-]{0,63}$")]
    pub name: String,
}

/// One page of search results.
#[derive(Serialize, ToSchema)]
#[schema(as = SearchResults)]
pub struct SearchSchema {
    /// How many blocks match in all.
    pub total: u64,
    pub hits: Vec<HitSchema>,
}

/// A block of text that matches.
#[derive(Serialize, ToSchema)]
#[schema(as = SearchHit)]
pub struct HitSchema {
    pub mission: String,
    pub country: Option<String>,
    pub rev: u32,
    /// `priorities`, `goal:1`, `objective:1.2`, `management:1`.
    pub node: String,
    /// `title`, `description`, `justification`, `linkages`, `risks`, `priorities`.
    pub field: String,
    /// The element as a reader names it.
    pub heading: String,
    /// The text around the match, in pieces; `hit` pieces are the matching words.
    pub snippet: Vec<FragmentSchema>,
    pub rank: f64,
}

#[derive(Serialize, ToSchema)]
#[schema(as = Fragment)]
pub struct FragmentSchema {
    pub text: String,
    pub hit: bool,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Cairn",
        description = "Integrated Country Strategies as living, measurable plans. Errors are always `{\"error\":{\"code\",\"message\",\"details\"}}`. Writes made with the session cookie send the `X-CSRF-Token` that sign-in returns; writes to an existing resource send `If-Match` with its ETag (412 when stale, 428 when missing).",
        license(name = "Apache-2.0")
    ),
    paths(
        accounts::sign_in, accounts::current, accounts::sign_out, accounts::change_password,
        accounts::list, accounts::add, accounts::get, accounts::update, accounts::reset,
        missions::list, missions::latest, missions::history, missions::revision, missions::import,
        missions::edit, missions::revert, missions::diff, missions::check, missions::settings,
        missions::set_settings, monitoring::list, monitoring::put_indicators, monitoring::get,
        monitoring::history, monitoring::chart, monitoring::export, monitoring::put_data,
        monitoring::status, monitoring::status_chart, monitoring::from_figure, monitoring::milestones,
        monitoring::put_milestones, search::search, audit::log, audit::verify, documents::read,
        documents::schema
    ),
    tags(
        (name = "missions", description = "Missions and their strategy revisions"),
        (name = "monitoring", description = "Indicators, their data, ratings and charts"),
        (name = "search", description = "Full text across strategies"),
        (name = "documents", description = "Reading a document without storing it"),
        (name = "accounts", description = "Sessions and users"),
        (name = "audit", description = "The hash-chained audit trail")
    )
)]
struct ApiDoc;

/// Moves a schemars schema's `$defs` into `components.schemas` and points its references
/// there.
fn merge(components: &mut serde_json::Map<String, Value>, name: &str, mut schema: Value) {
    fn rewrite(v: &mut Value) {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get_mut("$ref")
                    && let Some(def) = r.strip_prefix("#/$defs/")
                {
                    *r = format!("#/components/schemas/{def}");
                }
                map.values_mut().for_each(rewrite);
            }
            Value::Array(list) => list.iter_mut().for_each(rewrite),
            _ => {}
        }
    }
    rewrite(&mut schema);
    if let Some(obj) = schema.as_object_mut() {
        obj.remove("$schema");
        if let Some(Value::Object(defs)) = obj.remove("$defs") {
            for (k, v) in defs {
                components.insert(k, v);
            }
        }
    }
    components.insert(name.to_string(), schema);
}

/// The whole document as JSON.
pub fn document() -> Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or(Value::Null);
    if let Some(components) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        let schema = |s: schemars::Schema| serde_json::to_value(s).unwrap_or(Value::Null);
        merge(components, "Strategy", cairn_core::strategy_schema());
        merge(
            components,
            "Diagnostic",
            schema(schemars::schema_for!(cairn_core::Diagnostic)),
        );
        merge(
            components,
            "StrategyDiff",
            schema(schemars::schema_for!(cairn_core::diff::StrategyDiff)),
        );
        merge(
            components,
            "Status",
            schema(schemars::schema_for!(cairn_core::status::Status)),
        );
        merge(
            components,
            "Role",
            schema(schemars::schema_for!(cairn_core::Role)),
        );
        let fields: Vec<&str> = cairn_core::Field::ALL.iter().map(|f| f.as_str()).collect();
        components.insert(
            "FieldName".into(),
            json!({ "description": "A narrative field of an element.", "type": "string", "enum": fields }),
        );
        let bureaus: Vec<&str> = cairn_core::bureau::REGIONAL
            .iter()
            .map(|(c, _)| *c)
            .collect();
        components.insert(
            "BureauCode".into(),
            json!({ "description": "A regional bureau's code.", "type": "string", "enum": bureaus }),
        );
        // A stored strategy's figures carry their id (`f1`, …), which `from_figure` takes.
        if let Some(props) = components
            .get_mut("Figure")
            .and_then(|s| s.get_mut("properties"))
            .and_then(Value::as_object_mut)
        {
            props.insert(
                "id".into(),
                json!({ "type": "string", "description": "The figure's id in its revision (f1 first)." }),
            );
        }
        // A stored strategy's elements carry their stable id (`cairn_app::view::with_ids`).
        for element in ["Goal", "Objective", "ManagementObjective"] {
            if let Some(props) = components
                .get_mut(element)
                .and_then(|s| s.get_mut("properties"))
                .and_then(Value::as_object_mut)
            {
                props.insert(
                    "id".into(),
                    json!({ "$ref": "#/components/schemas/ElementId" }),
                );
            }
        }
        components.insert(
            "RevisionStrategy".into(),
            json!({
                "description": "A stored strategy: the `cairn parse` shape, each element with its stable `id`, and the mission and revision it comes from.",
                "allOf": [
                    { "$ref": "#/components/schemas/Strategy" },
                    {
                        "type": "object",
                        "required": ["mission", "rev"],
                        "properties": {
                            "mission": { "type": "string" },
                            "rev": { "type": "integer", "minimum": 1 }
                        }
                    }
                ]
            }),
        );
    }
    widen_u32(&mut doc);
    if let Some(paths) = doc.pointer_mut("/paths").and_then(Value::as_object_mut) {
        for op in paths
            .values_mut()
            .filter_map(Value::as_object_mut)
            .flat_map(|item| item.values_mut())
        {
            declare_too_large(op);
        }
    }
    doc
}

/// utoipa writes Rust's `u32` as `{"type": "integer", "format": "int32", "minimum": 0}`, but
/// `int32` is a signed 32-bit integer (at most 2³¹−1), while the API takes and gives the whole
/// `u32` range. Every such schema without a maximum of its own becomes `int64` with the
/// maximum of a `u32`, so that clients (and fuzzers) know where the range really ends.
fn widen_u32(v: &mut Value) {
    match v {
        Value::Object(map) => {
            let integer = match map.get("type") {
                Some(Value::String(t)) => t == "integer",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "integer"),
                _ => false,
            };
            if integer
                && map.get("format").and_then(Value::as_str) == Some("int32")
                && map
                    .get("minimum")
                    .and_then(Value::as_f64)
                    .is_some_and(|m| m >= 0.0)
                && !map.contains_key("maximum")
            {
                map.insert("format".into(), json!("int64"));
                map.insert("maximum".into(), json!(u32::MAX));
            }
            map.values_mut().for_each(widen_u32);
        }
        Value::Array(list) => list.iter_mut().for_each(widen_u32),
        _ => {}
    }
}

/// Every operation that reads a body refuses one over [`crate::BODY_LIMIT`] with 413 (in the
/// one error shape, before the handler runs).
fn declare_too_large(op: &mut Value) {
    if op.get("requestBody").is_none() {
        return;
    }
    if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
        responses.entry("413").or_insert_with(|| {
            json!({
                "description": "the body is larger than the server accepts",
                "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ErrorBody" } } }
            })
        });
    }
}

pub async fn serve() -> impl IntoResponse {
    static DOC: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    axum::Json(DOC.get_or_init(document).clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reference_resolves() {
        let doc = document();
        assert_eq!(
            doc["openapi"].as_str().map(|v| v.starts_with("3.1")),
            Some(true)
        );
        let mut refs = Vec::new();
        fn collect(v: &Value, out: &mut Vec<String>) {
            match v {
                Value::Object(m) => {
                    if let Some(Value::String(r)) = m.get("$ref") {
                        out.push(r.clone());
                    }
                    m.values().for_each(|v| collect(v, out));
                }
                Value::Array(l) => l.iter().for_each(|v| collect(v, out)),
                _ => {}
            }
        }
        collect(&doc, &mut refs);
        assert!(!refs.is_empty());
        for r in refs {
            let pointer = r.trim_start_matches('#');
            assert!(doc.pointer(pointer).is_some(), "{r} does not resolve");
        }
    }

    #[test]
    fn every_operation_declares_its_responses() {
        let doc = document();
        let paths = doc["paths"].as_object().cloned().unwrap_or_default();
        assert!(paths.len() >= 15, "{}", paths.len());
        for (path, item) in paths {
            for (method, op) in item.as_object().cloned().unwrap_or_default() {
                assert!(
                    op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                    "{method} {path}"
                );
            }
        }
    }

    #[test]
    fn u32_is_declared_with_its_whole_range() {
        let doc = document();
        let offset = doc["paths"]["/api/v1/missions"]["get"]["parameters"]
            .as_array()
            .and_then(|ps| ps.iter().find(|p| p["name"] == "offset"))
            .map(|p| p["schema"].clone())
            .unwrap_or_default();
        assert_eq!(offset["format"], "int64", "{offset}");
        assert_eq!(offset["maximum"], u32::MAX, "{offset}");
        // An explicit maximum stays as declared.
        let limit = doc["paths"]["/api/v1/missions"]["get"]["parameters"]
            .as_array()
            .and_then(|ps| ps.iter().find(|p| p["name"] == "limit"))
            .map(|p| p["schema"].clone())
            .unwrap_or_default();
        assert_eq!(limit["maximum"], 500, "{limit}");
    }

    #[test]
    fn every_operation_with_a_body_declares_413_and_415() {
        let doc = document();
        let paths = doc["paths"].as_object().cloned().unwrap_or_default();
        let mut with_body = 0;
        for (path, item) in paths {
            for (method, op) in item.as_object().cloned().unwrap_or_default() {
                if op.get("requestBody").is_some() {
                    with_body += 1;
                    for status in ["413", "415"] {
                        assert!(
                            op["responses"].get(status).is_some(),
                            "{method} {path}: {status}"
                        );
                    }
                }
            }
        }
        assert!(with_body >= 9, "{with_body}");
    }

    #[test]
    fn enumerations_match_the_domain() {
        let doc = document();
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["Role"]["enum"].as_array().map(Vec::len), Some(4));
        for f in cairn_core::Field::ALL {
            assert!(
                schemas["FieldName"]["enum"]
                    .as_array()
                    .is_some_and(|e| e.iter().any(|v| v == f.as_str())),
                "{}",
                f.as_str()
            );
        }
        assert!(
            schemas["BureauCode"]["enum"]
                .as_array()
                .is_some_and(|e| e.iter().any(|v| v == "AF"))
        );
    }
}
