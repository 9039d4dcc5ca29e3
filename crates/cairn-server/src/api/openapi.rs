//! The OpenAPI 3.1 document, generated from the handlers' declarations. The domain's own
//! types (strategy, diagnostic, diff) already have JSON Schemas from `schemars`; they are
//! merged in as components rather than described twice.

use std::borrow::Cow;

use axum::response::IntoResponse;
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::openapi::{Ref, RefOr, Schema};
use utoipa::{OpenApi, PartialSchema, ToSchema};

use super::{accounts, audit, missions, search};

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
schemars_component!(DiffSchema, "StrategyDiff");

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
        missions::set_settings, search::search, audit::log, audit::verify
    ),
    tags(
        (name = "missions", description = "Missions and their strategy revisions"),
        (name = "search", description = "Full text across strategies"),
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
    doc
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
}
