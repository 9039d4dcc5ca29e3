//! How a stored revision reads from outside: the JSON `show --json` prints and the API serves.

use cairn_core::status::Status;
use cairn_core::{Identity, Node, Number, Strategy};
use cairn_store::{Revision, Slug};
use serde_json::{Value, json};

/// The strategy's JSON (as `parse` prints it) with each element's stable `id`, plus the
/// mission and revision it comes from.
pub fn revision_json(r: &Revision) -> Value {
    let mut v = with_ids(&r.strategy, &r.identity);
    v["mission"] = json!(r.slug);
    v["rev"] = json!(r.rev);
    v
}

/// A mission's status as `cairn status --json` prints it and the API serves it.
pub fn status_json(mission: &Slug, st: &Status) -> Value {
    let mut v = serde_json::to_value(st).unwrap_or(Value::Null);
    v["mission"] = json!(mission);
    v
}

/// The strategy's JSON with each element's stable `id` added.
pub fn with_ids(strategy: &Strategy, identity: &Identity) -> Value {
    let mut v = serde_json::to_value(strategy).unwrap_or(Value::Null);
    let id = |node: Node| identity.get(&node).map(|i| i.to_string());
    let number = |e: &Value| e["number"].as_str().and_then(|n| Number::parse(n).ok());
    fn objectives(list: &mut Value, id: &dyn Fn(Node) -> Option<String>) {
        for o in list.as_array_mut().into_iter().flatten() {
            if let Some(n) = o["number"].as_str().and_then(|n| Number::parse(n).ok()) {
                o["id"] = json!(id(Node::Objective(n)));
            }
            objectives(&mut o["sub_objectives"], id);
        }
    }
    for g in v["goals"].as_array_mut().into_iter().flatten() {
        if let Some(n) = number(g) {
            g["id"] = json!(id(Node::Goal(n)));
        }
        objectives(&mut g["objectives"], &id);
    }
    for (i, f) in v["figures"]
        .as_array_mut()
        .into_iter()
        .flatten()
        .enumerate()
    {
        f["id"] = json!(crate::indicators::figure_id(i));
    }
    for m in v["management_objectives"]
        .as_array_mut()
        .into_iter()
        .flatten()
    {
        if let Some(n) = number(m) {
            m["id"] = json!(id(Node::Management(n)));
        }
    }
    v
}
