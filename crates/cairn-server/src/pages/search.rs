//! Search results grouped by mission, the matching words highlighted.

use askama::Template;
use axum::extract::State;
use serde::Deserialize;

use super::{Chrome, PageResult, render};
use crate::api::Page;
use crate::auth::Visitor;
use crate::extract::Params;
use crate::state::App;

#[derive(Debug, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
    pub page: Option<u32>,
}

pub struct Hit {
    pub href: String,
    pub heading: String,
    pub field: String,
    pub snippet: Vec<(bool, String)>,
}

pub struct Group {
    pub mission: String,
    pub country: String,
    pub hits: Vec<Hit>,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    q: String,
    searched: bool,
    total: u64,
    groups: Vec<Group>,
    page: u32,
    pages: u32,
    next: String,
    prev: String,
}

const PER_PAGE: u32 = 50;

pub async fn search(
    State(app): State<App>,
    visitor: Visitor,
    Params(p): Params<SearchParams>,
) -> PageResult {
    let mut chrome = Chrome::new(&visitor);
    chrome.query = p.q.clone();
    let page = p.page.unwrap_or(1).max(1);
    let searched = !cairn_store::terms(&p.q).is_empty();
    let results = if searched {
        Some(
            super::super::api::search::run(
                &app,
                &visitor,
                p.q.clone(),
                Page {
                    limit: Some(PER_PAGE),
                    offset: Some((page - 1).saturating_mul(PER_PAGE)),
                },
            )
            .await?,
        )
    } else {
        None
    };
    let mut groups: Vec<Group> = Vec::new();
    let mut total = 0;
    if let Some(r) = results {
        total = r.total;
        for h in r.hits {
            let hit = Hit {
                href: format!("/missions/{}#{}", h.mission, h.node.replace(':', "-")),
                heading: h.heading,
                field: h.field,
                snippet: h.snippet.into_iter().map(|f| (f.hit, f.text)).collect(),
            };
            match groups.iter_mut().find(|g| g.mission == h.mission.as_str()) {
                Some(g) => g.hits.push(hit),
                None => groups.push(Group {
                    mission: h.mission.to_string(),
                    country: h.country.unwrap_or_else(|| h.mission.to_string()),
                    hits: vec![hit],
                }),
            }
        }
    }
    let pages = u32::try_from(total.div_ceil(u64::from(PER_PAGE))).unwrap_or(u32::MAX);
    let q = super::encode(&p.q);
    render(&SearchPage {
        chrome,
        q: p.q,
        searched,
        total,
        groups,
        page,
        pages,
        next: format!("/search?q={q}&page={}", page + 1),
        prev: format!("/search?q={q}&page={}", page.saturating_sub(1).max(1)),
    })
}
