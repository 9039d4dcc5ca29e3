//! Editing one field of a strategy, and the conflict page when someone saved first.

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect};
use cairn_app::EditRequest;
use cairn_core::{Field, Node, Permission};
use serde::Deserialize;

use super::missions::{Piece, anchor, commit_rev, pieces};
use super::{Chrome, Form, PageError, PageResult, check_csrf, render, render_status, require};
use crate::api::missions::{readable_view, slug};
use crate::auth::Visitor;
use crate::error::ApiError;
use crate::extract::{Params, PathParams};
use crate::state::App;

#[derive(Debug, Deserialize)]
pub struct Target {
    pub node: String,
    pub field: String,
    pub rev: Option<u32>,
}

fn parse_target(node: &str, field: &str) -> Result<(Node, Field), ApiError> {
    let node: Node = node.parse().map_err(|e: cairn_core::figure::NodeError| {
        ApiError::bad_request("invalid-query", e.to_string())
    })?;
    let field: Field = field.parse().map_err(|e: cairn_core::block::FieldError| {
        ApiError::bad_request("invalid-query", e.to_string())
    })?;
    Ok((node, field))
}

#[derive(Template)]
#[template(path = "edit.html")]
struct EditPage {
    chrome: Chrome,
    slug: String,
    node: String,
    field: String,
    what: String,
    anchor: String,
    base: u32,
    value: String,
    message: String,
    title_field: bool,
    problem: String,
}

fn what(node: &Node, field: Field) -> String {
    let element = match node {
        Node::Priorities => "the Chief of Mission Priorities".to_string(),
        Node::Goal(n) => format!("Mission Goal {n}"),
        Node::Objective(n) => cairn_core::ElementKind::Objective.label(n),
        Node::Management(n) => format!("Management Objective {n}"),
    };
    match field {
        Field::Priorities => element,
        f => format!("the {f} of {element}"),
    }
}

pub async fn form(
    State(app): State<App>,
    visitor: Visitor,
    uri: Uri,
    path: PathParams,
    Params(t): Params<Target>,
) -> PageResult {
    let s = path.get("slug").to_string();
    if let Some(r) = require(&visitor, Permission::EditStrategy, &uri) {
        return Ok(r);
    }
    let slug = slug(&s)?;
    let (node, field) = parse_target(&t.node, &t.field)?;
    let view = readable_view(&app, &visitor, &slug, t.rev).await?;
    let value = view
        .revision
        .strategy
        .field(&node, field)
        .map_err(|e| ApiError::not_found(e.to_string()))?
        .unwrap_or_default();
    render(&EditPage {
        chrome: Chrome::new(&visitor),
        slug: slug.to_string(),
        what: what(&node, field),
        anchor: anchor(&node),
        node: node.to_string(),
        field: field.to_string(),
        base: view.revision.rev,
        value,
        message: String::new(),
        title_field: field == Field::Title,
        problem: String::new(),
    })
}

#[derive(Debug, Deserialize)]
pub struct EditForm {
    pub csrf: String,
    pub node: String,
    pub field: String,
    pub base: u32,
    pub value: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "conflict.html")]
struct ConflictPage {
    chrome: Chrome,
    slug: String,
    node: String,
    field: String,
    what: String,
    base: u32,
    latest: u32,
    since: Vec<(u32, String, String, String)>,
    theirs: String,
    yours: String,
    message: String,
    pieces: Vec<Piece>,
}

pub async fn save(
    State(app): State<App>,
    visitor: Visitor,
    uri: Uri,
    path: PathParams,
    Form(f): Form<EditForm>,
) -> PageResult {
    let s = path.get("slug").to_string();
    if let Some(r) = require(&visitor, Permission::EditStrategy, &uri) {
        return Ok(r);
    }
    check_csrf(&visitor, &f.csrf)?;
    let slug = slug(&s)?;
    let (node, field) = parse_target(&f.node, &f.field)?;
    let actor = visitor
        .user
        .as_ref()
        .map(|u| u.username.to_string())
        .unwrap_or_default();
    let page = |problem: String| EditPage {
        chrome: Chrome::new(&visitor),
        slug: slug.to_string(),
        what: what(&node, field),
        anchor: anchor(&node),
        node: node.to_string(),
        field: field.to_string(),
        base: f.base,
        value: f.value.clone(),
        message: f.message.clone(),
        title_field: field == Field::Title,
        problem,
    };
    if f.message.trim().is_empty() {
        return render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page("Say why in the revision message.".into()),
        );
    }
    let req = EditRequest {
        mission: slug.clone(),
        base: f.base,
        node: node.clone(),
        field,
        value: f.value.clone(),
        message: f.message.clone(),
        actor,
    };
    match app.run(move |st| cairn_app::revise::edit(st, req)).await {
        Ok(commit) => {
            app.note_latest(&slug, commit_rev(commit));
            Ok(Redirect::to(&format!("/missions/{slug}#{}", anchor(&node))).into_response())
        }
        Err(e) if e.code == "stale" => {
            // Someone wrote first, perhaps through another server: ask the database.
            app.latest_rev(&slug).await?;
            let latest = readable_view(&app, &visitor, &slug, None).await?;
            let theirs = latest
                .revision
                .strategy
                .field(&node, field)
                .ok()
                .flatten()
                .unwrap_or_default();
            let s2 = slug.clone();
            let since = app
                .run(move |st| st.history(&s2))
                .await?
                .into_iter()
                .filter(|r| r.rev > f.base)
                .map(|r| {
                    (
                        r.rev,
                        r.at.format("%Y-%m-%d %H:%M UTC").to_string(),
                        r.actor,
                        r.message,
                    )
                })
                .collect();
            let words = cairn_core::diff::words(&theirs, f.value.trim());
            render_status(
                StatusCode::CONFLICT,
                &ConflictPage {
                    chrome: Chrome::new(&visitor),
                    slug: slug.to_string(),
                    node: node.to_string(),
                    field: field.to_string(),
                    what: what(&node, field),
                    base: f.base,
                    latest: latest.revision.rev,
                    since,
                    theirs,
                    yours: f.value,
                    message: f.message,
                    pieces: pieces(&words),
                },
            )
        }
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page(e.message))
        }
        Err(e) => Err(PageError(e)),
    }
}
