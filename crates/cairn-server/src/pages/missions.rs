//! The mission list, a strategy as a navigable tree, its history and the differences between
//! revisions.

use askama::Template;
use axum::extract::State;
use cairn_core::diff::{BlockChange, ElementChange, WordOp, WordSegment};
use cairn_core::{ElementKind, Field, Link, Node, Objective, Permission};
use serde::Deserialize;

use axum::body::Bytes;
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};

use super::{Chrome, Form, PageError, PageResult, check_csrf, paragraphs, render, require};
use crate::api::missions::{readable_view, slug, visible_missions};
use crate::auth::Visitor;
use crate::error::ApiError;
use crate::extract::{Params, PathParams};
use crate::state::App;

pub struct MissionRow {
    pub slug: String,
    pub country: String,
    pub bureau: String,
    pub latest_rev: u32,
    pub public: bool,
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    chrome: Chrome,
    missions: Vec<MissionRow>,
}

pub async fn home(State(app): State<App>, visitor: Visitor) -> PageResult {
    let rows = visible_missions(&app, &visitor)
        .await?
        .into_iter()
        .map(|(m, public)| MissionRow {
            slug: m.slug.to_string(),
            country: m.country.unwrap_or_default(),
            bureau: m.bureau.unwrap_or_default(),
            latest_rev: m.latest_rev,
            public,
        })
        .collect();
    render(&Home {
        chrome: Chrome::new(&visitor),
        missions: rows,
    })
}

/// One narrative block of an element, as the page shows it.
pub struct BlockView {
    pub label: &'static str,
    pub field: &'static str,
    pub paragraphs: Vec<String>,
}

/// One element of the framework.
pub struct ElementView {
    /// The HTML id (`objective-1.2`) and the node (`objective:1.2`).
    pub anchor: String,
    pub node: String,
    pub label: String,
    pub title: String,
    pub depth: usize,
    pub blocks: Vec<BlockView>,
    pub links: Vec<LinkView>,
    /// Its rating in the status year (signed-in readers only).
    pub rating: Option<super::monitoring::RatingView>,
    /// Whether the next element is nested deeper, shallower (by how many levels), for the tree.
    pub opens: bool,
    pub closes: usize,
}

pub struct LinkView {
    pub target: String,
    pub relation: String,
    pub text: String,
}

fn links(list: &[Link]) -> Vec<LinkView> {
    list.iter()
        .map(|l| LinkView {
            target: l.target.to_string(),
            relation: match l.relation {
                cairn_core::Relation::Supports => "supports",
                cairn_core::Relation::Equivalent => "is",
            }
            .to_string(),
            text: l.text.clone(),
        })
        .collect()
}

fn block(field: Field, text: Option<&str>) -> Option<BlockView> {
    let text = text?;
    let label = match field {
        Field::Description => "Description",
        Field::Justification => "Justification",
        Field::Linkages => "Linkages",
        Field::Risks => "Risks",
        Field::Priorities => "Priorities",
        Field::Title => "Title",
    };
    Some(BlockView {
        label,
        field: field.as_str(),
        paragraphs: paragraphs(text),
    })
}

/// The revision a commit left latest.
pub fn commit_rev(c: cairn_store::Commit) -> u32 {
    match c {
        cairn_store::Commit::Created { rev } | cairn_store::Commit::NoChange { rev } => rev,
    }
}

pub fn anchor(node: &Node) -> String {
    node.to_string().replace(':', "-")
}

fn objective_views(o: &Objective, out: &mut Vec<ElementView>) {
    let node = Node::Objective(o.number.clone());
    out.push(ElementView {
        anchor: anchor(&node),
        node: node.to_string(),
        label: ElementKind::Objective.label(&o.number),
        title: o.title.clone(),
        depth: o.number.depth(),
        blocks: [
            block(Field::Justification, o.justification.as_deref()),
            block(Field::Linkages, o.linkages.as_deref()),
            block(Field::Risks, o.risks.as_deref()),
        ]
        .into_iter()
        .flatten()
        .collect(),
        links: links(&o.links),
        rating: None,
        opens: false,
        closes: 0,
    });
    for s in &o.sub_objectives {
        objective_views(s, out);
    }
}

/// The framework in document order, with each entry's place in the nested tree.
fn elements(s: &cairn_core::Strategy) -> Vec<ElementView> {
    let mut out = Vec::new();
    for g in &s.goals {
        let node = Node::Goal(g.number.clone());
        out.push(ElementView {
            anchor: anchor(&node),
            node: node.to_string(),
            label: format!("Mission Goal {}", g.number),
            title: g.title.clone(),
            depth: 1,
            blocks: block(Field::Description, g.description.as_deref())
                .into_iter()
                .collect(),
            links: links(&g.links),
            rating: None,
            opens: false,
            closes: 0,
        });
        for o in &g.objectives {
            objective_views(o, &mut out);
        }
    }
    for m in &s.management_objectives {
        let node = Node::Management(m.number.clone());
        out.push(ElementView {
            anchor: anchor(&node),
            node: node.to_string(),
            label: format!("Management Objective {}", m.number),
            title: m.title.clone(),
            depth: 1,
            blocks: [
                block(Field::Justification, m.justification.as_deref()),
                block(Field::Linkages, m.linkages.as_deref()),
                block(Field::Risks, m.risks.as_deref()),
            ]
            .into_iter()
            .flatten()
            .collect(),
            links: links(&m.links),
            rating: None,
            opens: false,
            closes: 0,
        });
    }
    let depths: Vec<usize> = out.iter().map(|e| e.depth).collect();
    for (i, e) in out.iter_mut().enumerate() {
        let next = depths.get(i + 1).copied().unwrap_or(1);
        e.opens = next > e.depth;
        e.closes = e.depth.saturating_sub(next);
    }
    out
}

#[derive(Template)]
#[template(path = "strategy.html")]
struct StrategyPage {
    chrome: Chrome,
    slug: String,
    country: String,
    title: String,
    marking: String,
    public: bool,
    approved: String,
    rev: u32,
    latest: bool,
    at: String,
    actor: String,
    message: String,
    priorities: Vec<String>,
    elements: Vec<ElementView>,
    may_edit: bool,
    /// The status year and the mission's rating in it (signed-in readers only: the anonymous
    /// page is shared and cached per revision, while data change between revisions).
    status: Option<(String, super::monitoring::RatingView)>,
}

#[derive(Debug, Deserialize)]
pub struct RevParam {
    pub rev: Option<u32>,
}

pub async fn strategy(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
    Params(p): Params<RevParam>,
) -> PageResult {
    let s = path.get("slug").to_string();
    let slug = slug(&s)?;
    let view = readable_view(&app, &visitor, &slug, p.rev).await?;
    // Anonymous visitors of the latest revision all get the same bytes: render them once.
    let shared = visitor.user.is_none() && p.rev.is_none();
    if shared && let Some(html) = view.anonymous_page.get() {
        return Ok(html_response(html.clone()));
    }
    let latest = match p.rev {
        None => true,
        Some(_) => app
            .view(&slug, None)
            .await?
            .is_some_and(|l| l.revision.rev == view.revision.rev),
    };
    let r = &view.revision;
    let st = &r.strategy;
    let mut elements = elements(st);
    let status = if shared || !latest {
        None
    } else {
        let (fy, status) = super::monitoring::status_of(&app, &visitor, &slug).await?;
        for e in &mut elements {
            e.rating = status
                .get(&e.anchor)
                .map(|r| super::monitoring::RatingView::new(*r));
        }
        let mission = status
            .get("")
            .copied()
            .unwrap_or(cairn_core::Rating::NotAvailable);
        Some((fy.to_string(), super::monitoring::RatingView::new(mission)))
    };
    let page = StrategyPage {
        chrome: Chrome::new(&visitor),
        slug: slug.to_string(),
        country: st.country.clone().unwrap_or_else(|| slug.to_string()),
        title: st.title.clone(),
        marking: st.marking.clone().unwrap_or_else(|| "NO MARKING".into()),
        public: view.public,
        approved: st.approved.map(|d| d.to_string()).unwrap_or_default(),
        rev: r.rev,
        latest,
        at: r.at.format("%Y-%m-%d %H:%M UTC").to_string(),
        actor: r.actor.clone(),
        message: r.message.clone(),
        priorities: st.priorities.clone(),
        elements,
        may_edit: latest && visitor.may(Permission::EditStrategy),
        status,
    };
    if !shared {
        return render(&page);
    }
    let html = Bytes::from(
        page.render()
            .map_err(|e| PageError(ApiError::internal(e)))?,
    );
    let _ = view.anonymous_page.set(html.clone());
    Ok(html_response(html))
}

fn html_response(html: Bytes) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        html,
    )
        .into_response()
}

pub struct HistoryRow {
    pub rev: u32,
    pub at: String,
    pub actor: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryPage {
    chrome: Chrome,
    slug: String,
    rows: Vec<HistoryRow>,
    latest: u32,
    may_edit: bool,
}

pub async fn history(State(app): State<App>, visitor: Visitor, path: PathParams) -> PageResult {
    let s = path.get("slug").to_string();
    let slug = slug(&s)?;
    let latest = readable_view(&app, &visitor, &slug, None)
        .await?
        .revision
        .rev;
    let s2 = slug.clone();
    let mut rows: Vec<HistoryRow> = app
        .run(move |st| st.history(&s2))
        .await?
        .into_iter()
        .map(|r| HistoryRow {
            rev: r.rev,
            at: r.at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
            actor: r.actor,
            message: r.message,
        })
        .collect();
    rows.reverse();
    let latest = rows.first().map_or(latest, |r| r.rev);
    render(&HistoryPage {
        chrome: Chrome::new(&visitor),
        slug: slug.to_string(),
        rows,
        latest,
        may_edit: visitor.may(Permission::EditStrategy),
    })
}

#[derive(Debug, Deserialize)]
pub struct RevertForm {
    pub csrf: String,
    /// The latest revision when the history was shown.
    pub base: u32,
    pub to: u32,
}

/// Restores an earlier revision's content as the next revision (the CLI's `revert`).
pub async fn revert(
    State(app): State<App>,
    visitor: Visitor,
    uri: Uri,
    path: PathParams,
    Form(f): Form<RevertForm>,
) -> PageResult {
    if let Some(r) = require(&visitor, Permission::EditStrategy, &uri) {
        return Ok(r);
    }
    check_csrf(&visitor, &f.csrf)?;
    let s = path.get("slug").to_string();
    let slug = slug(&s)?;
    readable_view(&app, &visitor, &slug, Some(f.to)).await?;
    let actor = visitor
        .user
        .as_ref()
        .map(|u| u.username.to_string())
        .unwrap_or_default();
    let s2 = slug.clone();
    let to = f.to;
    let commit = app
        .run(move |st| {
            cairn_app::revise::revert(st, &s2, f.base, to, format!("revert to revision {to}"), actor)
        })
        .await
        .map_err(|mut e| {
            if e.code == "stale" {
                e.status = axum::http::StatusCode::CONFLICT;
                e.message = format!(
                    "Someone saved a revision after you opened the history; nothing was restored. {}",
                    "Reload the history and choose again."
                );
            }
            PageError(e)
        })?;
    app.note_latest(&slug, commit_rev(commit));
    Ok(axum::response::Redirect::to(&format!("/missions/{slug}/history")).into_response())
}

/// A piece of marked-up text: unchanged, removed or added.
pub struct Piece {
    pub kind: &'static str,
    pub text: String,
}

pub fn pieces(words: &[WordSegment]) -> Vec<Piece> {
    words
        .iter()
        .map(|w| Piece {
            kind: match w.op {
                WordOp::Equal => "same",
                WordOp::Delete => "del",
                WordOp::Insert => "ins",
            },
            text: w.text.clone(),
        })
        .collect()
}

pub struct ChangeView {
    pub summary: String,
    pub pieces: Vec<Piece>,
}

pub struct BlockDiffView {
    pub heading: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub pieces: Vec<Piece>,
}

#[derive(Template)]
#[template(path = "diff.html")]
struct DiffPage {
    chrome: Chrome,
    slug: String,
    from: u32,
    to: u32,
    cover: Vec<String>,
    changes: Vec<ChangeView>,
    blocks: Vec<BlockDiffView>,
}

#[derive(Debug, Deserialize)]
pub struct DiffParams {
    pub from: u32,
    pub to: u32,
}

fn node_label(node: &Node) -> String {
    match node {
        Node::Priorities => "Chief of Mission Priorities".into(),
        Node::Goal(n) => format!("Mission Goal {n}"),
        Node::Objective(n) => ElementKind::Objective.label(n),
        Node::Management(n) => format!("Management Objective {n}"),
    }
}

fn change_view(c: &ElementChange) -> ChangeView {
    match c {
        ElementChange::Added { node, title, .. } => ChangeView {
            summary: format!("Added {}: {title}", node_label(node)),
            pieces: vec![],
        },
        ElementChange::Removed { node, title, .. } => ChangeView {
            summary: format!("Removed {}: {title}", node_label(node)),
            pieces: vec![],
        },
        ElementChange::Renumbered { from, to, .. } => ChangeView {
            summary: format!("{} is now {}", node_label(from), node_label(to)),
            pieces: vec![],
        },
        ElementChange::Retitled { node, words, .. } => ChangeView {
            summary: format!("{} retitled:", node_label(node)),
            pieces: pieces(words),
        },
    }
}

fn block_view(b: &BlockChange) -> BlockDiffView {
    BlockDiffView {
        heading: format!("{}, {}", node_label(&b.node), b.block.name()),
        old: b.old.clone(),
        new: b.new.clone(),
        pieces: pieces(&b.words),
    }
}

pub async fn diff(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
    Params(p): Params<DiffParams>,
) -> PageResult {
    let s = path.get("slug").to_string();
    let slug = slug(&s)?;
    let a = readable_view(&app, &visitor, &slug, Some(p.from)).await?;
    let b = readable_view(&app, &visitor, &slug, Some(p.to)).await?;
    let d = cairn_core::diff::diff(
        (&a.revision.strategy, &a.revision.identity),
        (&b.revision.strategy, &b.revision.identity),
    );
    render(&DiffPage {
        chrome: Chrome::new(&visitor),
        slug: slug.to_string(),
        from: p.from,
        to: p.to,
        cover: d
            .cover
            .iter()
            .map(|c| {
                format!(
                    "{:?}: {} → {}",
                    c.field,
                    c.old.as_deref().unwrap_or("(none)"),
                    c.new.as_deref().unwrap_or("(none)")
                )
                .to_lowercase()
            })
            .collect(),
        changes: d.elements.iter().map(change_view).collect(),
        blocks: d.blocks.iter().map(block_view).collect(),
    })
}
