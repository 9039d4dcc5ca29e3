//! The monitoring pages: a mission's status for a fiscal year (overview chart, every element
//! with its rating, every indicator with its figures), one indicator (reference sheet, chart,
//! values, corrections), and the data entry form for one period.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect};
use cairn_app::indicators::{Entry, EntryFailure};
use cairn_core::status::{ElementStatus, IndicatorStatus, Status};
use cairn_core::{ObservationKind, Period, Permission, Rating};
use cairn_render::chart::{indicator_chart, number, status_chart};
use serde::Deserialize;

use super::{
    Chrome, Form, PageError, PageResult, check_csrf, encode, render, render_status, require,
};
use crate::api::monitoring::{code, fiscal_year, reader, year};
use crate::auth::Visitor;
use crate::error::ApiError;
use crate::extract::{Params, PathParams};
use crate::state::App;

/// A rating as pages show it: a CSS class, a shape that differs per rating, and the word.
pub struct RatingView {
    pub rating: Rating,
    pub class: &'static str,
    pub symbol: &'static str,
    pub word: &'static str,
}

impl RatingView {
    pub fn new(r: Rating) -> Self {
        let (symbol, word) = match r {
            Rating::AboveTarget => ("▲", "above target"),
            Rating::OnTarget => ("●", "on target"),
            Rating::Improved => ("◆", "improved"),
            Rating::BelowTarget => ("▼", "below target"),
            Rating::NotAvailable => ("○", "not available"),
        };
        Self {
            rating: r,
            class: r.as_str(),
            symbol,
            word,
        }
    }
}

fn figure(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), number)
}

fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |a| format!("{:.0}%", a * 100.0))
}

pub struct IndicatorRow {
    pub code: String,
    pub title: String,
    pub baseline: String,
    pub target: String,
    pub actual: String,
    pub achievement: String,
    pub rating: RatingView,
}

impl IndicatorRow {
    fn new(i: &IndicatorStatus) -> Self {
        Self {
            code: i.code.clone(),
            title: i.title.clone(),
            baseline: figure(i.baseline),
            target: figure(i.target),
            actual: figure(i.actual),
            achievement: percent(i.achievement),
            rating: RatingView::new(i.rating),
        }
    }
}

/// One element of the status, flattened in document order.
pub struct ElementRow {
    pub label: String,
    pub anchor: String,
    pub title: String,
    pub depth: usize,
    pub rating: RatingView,
    pub completeness: String,
    pub indicators: Vec<IndicatorRow>,
    pub milestones: Vec<MilestoneRow>,
}

pub struct MilestoneRow {
    pub code: String,
    pub title: String,
    pub due: String,
    pub status: String,
    /// None: it does not count in the year.
    pub rating: Option<RatingView>,
}

fn rows(status: &Status) -> Vec<ElementRow> {
    fn walk(e: &ElementStatus, kind: &str, depth: usize, out: &mut Vec<ElementRow>) {
        let (label, node) = match kind {
            "goal" => (
                format!("Mission Goal {}", e.number),
                format!("goal-{}", e.number),
            ),
            "management" => (
                format!("Management Objective {}", e.number),
                format!("management-{}", e.number),
            ),
            _ => (
                format!("Objective {}", e.number),
                format!("objective-{}", e.number),
            ),
        };
        out.push(ElementRow {
            label,
            anchor: node,
            title: e.title.clone(),
            depth,
            rating: RatingView::new(e.rating),
            completeness: format!("{:.0}%", e.completeness * 100.0),
            indicators: e.indicators.iter().map(IndicatorRow::new).collect(),
            milestones: e
                .milestones
                .iter()
                .map(|m| MilestoneRow {
                    code: m.code.clone(),
                    title: m.title.clone(),
                    due: m.due.clone(),
                    status: m.status.replace('-', " "),
                    rating: m.rating.map(RatingView::new),
                })
                .collect(),
        });
        for o in &e.objectives {
            walk(o, "objective", depth + 1, out);
        }
    }
    let mut out = Vec::new();
    for g in &status.goals {
        walk(g, "goal", 1, &mut out);
    }
    for m in &status.management_objectives {
        walk(m, "management", 1, &mut out);
    }
    out
}

/// The default year's rating of every element by its anchor (`objective-1.2`), the mission's
/// under "", for the strategy page.
pub async fn status_of(
    app: &App,
    visitor: &Visitor,
    slug: &cairn_store::Slug,
) -> Result<
    (
        cairn_core::FiscalYear,
        std::collections::HashMap<String, Rating>,
    ),
    ApiError,
> {
    let sbu = visitor.may(Permission::ReadAll);
    let fy = year(app, slug, None).await?;
    let s = slug.clone();
    let st = app
        .run(move |store| cairn_app::monitoring::status(store, &s, fy, sbu))
        .await?;
    let mut out: std::collections::HashMap<String, Rating> = rows(&st)
        .into_iter()
        .map(|r| (r.anchor, r.rating.rating))
        .collect();
    out.insert(String::new(), st.rating);
    Ok((fy, out))
}

#[derive(Template)]
#[template(path = "status.html")]
struct StatusPage {
    chrome: Chrome,
    slug: String,
    fy: String,
    fy_number: i32,
    rating: RatingView,
    completeness: String,
    chart: String,
    rows: Vec<ElementRow>,
    sbu: bool,
    may_enter: bool,
    saved: Option<usize>,
    figures: Vec<FigureRow>,
}

/// A key figure of the narrative, with what tracking it would take.
pub struct FigureRow {
    pub id: String,
    pub text: String,
    pub sentence: String,
    /// Where it stands (`3.2`), empty for the priorities.
    pub element: String,
    /// The period its sentence names, empty when none.
    pub period: String,
}

fn figure_rows(strategy: &cairn_core::Strategy) -> Vec<FigureRow> {
    strategy
        .figures
        .iter()
        .enumerate()
        .map(|(i, f)| FigureRow {
            id: cairn_app::indicators::figure_id(i),
            text: f.text.clone(),
            sentence: f.sentence.clone(),
            element: match f.node {
                cairn_core::Node::Priorities => String::new(),
                ref n => cairn_ingest::tables::element_text(n),
            },
            period: match (f.fiscal_year, f.year) {
                (Some(fy), _) => fy.to_string(),
                (None, Some(y)) => y.to_string(),
                (None, None) => String::new(),
            },
        })
        .collect()
}

#[derive(Debug, Deserialize)]
pub struct StatusQuery {
    pub fy: Option<String>,
    pub saved: Option<usize>,
}

/// `/missions/{slug}/indicators?fy=2023`.
pub async fn status(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
    Params(q): Params<StatusQuery>,
) -> PageResult {
    let asked = fiscal_year(q.fy.as_deref())?;
    let (slug, sbu) = reader(&app, &visitor, path.get("slug")).await?;
    let fy = year(&app, &slug, asked).await?;
    let s = slug.clone();
    let st = app
        .run(move |store| cairn_app::monitoring::status(store, &s, fy, sbu))
        .await?;
    let figures = match app.view(&slug, None).await? {
        Some(v) => figure_rows(&v.revision.strategy),
        None => Vec::new(),
    };
    render(&StatusPage {
        chrome: Chrome::new(&visitor),
        slug: slug.to_string(),
        fy: fy.to_string(),
        fy_number: fy.year(),
        rating: RatingView::new(st.rating),
        completeness: format!("{:.0}%", st.completeness * 100.0),
        chart: status_chart(&format!("Mission {slug}, {fy}"), &st),
        rows: rows(&st),
        sbu,
        may_enter: visitor.may(Permission::EnterData),
        saved: q.saved,
        figures,
    })
}

pub struct YearRow {
    pub fy: String,
    pub baseline: String,
    pub target: String,
    pub actual: String,
    pub achievement: String,
    pub rating: RatingView,
}

pub struct ValueRow {
    pub period: String,
    pub kind: String,
    pub cell: String,
    pub value: String,
    pub source: String,
    pub note: String,
    pub set: String,
}

pub struct ChangeRow {
    pub at: String,
    pub actor: String,
    pub what: String,
    pub previous: String,
    pub value: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "indicator.html")]
struct IndicatorPage {
    chrome: Chrome,
    slug: String,
    code: String,
    title: String,
    element: String,
    element_anchor: String,
    sheet: Vec<(&'static str, String)>,
    illustrative: bool,
    chart: String,
    years: Vec<YearRow>,
    values: Vec<ValueRow>,
    changes: Vec<ChangeRow>,
    may_enter: bool,
}

fn cell_text(cell: &BTreeMap<String, String>) -> String {
    if cell.is_empty() {
        return "total".into();
    }
    cell.iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `/missions/{slug}/indicators/{code}`.
pub async fn indicator(State(app): State<App>, visitor: Visitor, path: PathParams) -> PageResult {
    let (slug, sbu) = reader(&app, &visitor, path.get("slug")).await?;
    let c = code(path.get("code"))?;
    let s = slug.clone();
    let found = app
        .run(move |st| cairn_app::indicators::detail(st, &s, &c, sbu))
        .await?;
    let Some(d) = found else {
        return Err(PageError(ApiError::not_found(format!(
            "Mission {slug} has no indicator {}.",
            path.get("code")
        ))));
    };
    let i = &d.indicator;
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    let sheet = vec![
        ("Definition", opt(&i.definition)),
        ("Unit", i.unit.to_string()),
        ("Better when it goes", i.direction.to_string()),
        ("Type", i.kind.to_string()),
        ("Measure", i.measure.to_string()),
        ("Cumulative", if i.cumulative { "yes" } else { "no" }.into()),
        ("Reporting frequency", i.frequency.to_string()),
        (
            "Disaggregations",
            if i.disaggregations.is_empty() {
                "none".into()
            } else {
                i.disaggregations.join(", ")
            },
        ),
        ("Data source", opt(&i.data_source)),
        ("Method", opt(&i.method)),
        ("Responsible office", opt(&i.responsible_office)),
        ("Marking", i.marking.to_string()),
    ];
    let (element, element_anchor) = match &d.element {
        Some(node) => (
            cairn_ingest::tables::element_text(node),
            super::missions::anchor(node),
        ),
        None => ("(no longer in the strategy)".into(), String::new()),
    };
    render(&IndicatorPage {
        chrome: Chrome::new(&visitor),
        slug: slug.to_string(),
        code: i.code.to_string(),
        title: i.title.clone(),
        element,
        element_anchor,
        illustrative: is_illustrative(i),
        sheet,
        chart: indicator_chart(&d.series),
        years: d
            .years
            .iter()
            .rev()
            .map(|y| YearRow {
                fy: y.fy.to_string(),
                baseline: figure(y.baseline),
                target: figure(y.target),
                actual: figure(y.actual),
                achievement: percent(y.achievement),
                rating: RatingView::new(y.rating),
            })
            .collect(),
        values: d
            .observations
            .iter()
            .map(|o| ValueRow {
                period: o.observation.period.to_string(),
                kind: o.observation.kind.to_string(),
                cell: cell_text(&o.observation.cell),
                value: number(o.observation.value),
                source: o.observation.source.clone().unwrap_or_default(),
                note: o.observation.note.clone().unwrap_or_default(),
                set: format!("{} by {}", o.at.format("%Y-%m-%d %H:%M UTC"), o.actor),
            })
            .collect(),
        changes: d
            .history
            .iter()
            .rev()
            .map(|c| ChangeRow {
                at: c.at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
                actor: c.actor.clone(),
                what: format!("{} {} ({})", c.period, c.kind, cell_text(&c.cell)),
                previous: figure(c.previous),
                value: number(c.value),
                reason: c.reason.clone(),
            })
            .collect(),
        may_enter: visitor.may(Permission::EnterData),
    })
}

/// Demo indicators say so in their data source (samples/README.md); pages repeat it.
fn is_illustrative(i: &cairn_core::Indicator) -> bool {
    i.data_source
        .as_deref()
        .is_some_and(|s| s.to_ascii_lowercase().contains("illustrative"))
}

/// One indicator's line of the entry form.
pub struct EntryRow {
    pub code: String,
    pub title: String,
    pub unit: String,
    pub target: String,
    pub actual: String,
    pub target_error: String,
    pub actual_error: String,
}

#[derive(Template)]
#[template(path = "data_entry.html")]
struct EntryPage {
    chrome: Chrome,
    slug: String,
    period: String,
    rows: Vec<EntryRow>,
    reason: String,
    errors: Vec<(String, String)>,
}

#[derive(Debug, Deserialize)]
pub struct PeriodQuery {
    pub period: Option<String>,
}

fn period(text: &str) -> Result<Period, ApiError> {
    text.trim().parse::<Period>().map_err(|e| {
        ApiError::bad_request("invalid-query", format!("period: {e}"))
            .with_details(serde_json::json!({ "parameter": "period" }))
    })
}

/// The form's rows for `period` with the stored totals, or what the reader typed.
async fn entry_rows(
    app: &App,
    slug: &cairn_store::Slug,
    p: Period,
    typed: Option<&BTreeMap<String, String>>,
) -> Result<Vec<EntryRow>, ApiError> {
    let s = slug.clone();
    let (indicators, observations) = app
        .run(move |st| {
            let list = cairn_app::indicators::list(st, &s, true)?;
            let obs = st.observations(&s)?;
            Ok::<_, cairn_app::monitoring::MonitoringError>((list, obs))
        })
        .await?;
    let stored = |code: &cairn_core::IndicatorCode, kind: ObservationKind| {
        observations
            .iter()
            .find(|o| {
                &o.observation.indicator == code
                    && o.observation.kind == kind
                    && o.observation.period == p
                    && o.observation.is_total()
            })
            .map(|o| number(o.observation.value))
            .unwrap_or_default()
    };
    Ok(indicators
        .iter()
        .map(|(i, _)| {
            let code = i.code.to_string();
            let field = |kind: &str, k: ObservationKind| match typed {
                Some(t) => t
                    .get(&format!("{kind}:{code}"))
                    .cloned()
                    .unwrap_or_default(),
                None => stored(&i.code, k),
            };
            EntryRow {
                target: field("target", ObservationKind::Target),
                actual: field("actual", ObservationKind::Actual),
                code: code.clone(),
                title: i.title.clone(),
                unit: i.unit.to_string(),
                target_error: String::new(),
                actual_error: String::new(),
            }
        })
        .collect())
}

/// `/missions/{slug}/data?period=FY2024`: targets and actuals of every indicator for one period.
pub async fn entry_form(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
    uri: Uri,
    Params(q): Params<PeriodQuery>,
) -> PageResult {
    if let Some(r) = require(&visitor, Permission::EnterData, &uri) {
        return Ok(r);
    }
    let (slug, _) = reader(&app, &visitor, path.get("slug")).await?;
    let p = match q.period.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(t) => period(t)?,
        None => Period::FiscalYear(year(&app, &slug, None).await?),
    };
    let rows = entry_rows(&app, &slug, p, None).await?;
    render(&EntryPage {
        chrome: Chrome::new(&visitor),
        slug: slug.to_string(),
        period: p.to_string(),
        rows,
        reason: String::new(),
        errors: Vec::new(),
    })
}

/// Saves the values that changed; on any error shows the form again with every error beside
/// its field, and writes nothing.
pub async fn entry_save(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
    uri: Uri,
    Form(fields): Form<BTreeMap<String, String>>,
) -> PageResult {
    if let Some(r) = require(&visitor, Permission::EnterData, &uri) {
        return Ok(r);
    }
    check_csrf(&visitor, fields.get("csrf").map_or("", String::as_str))?;
    let actor = visitor.signed_in()?.username.to_string();
    let (slug, _) = reader(&app, &visitor, path.get("slug")).await?;
    let p = period(fields.get("period").map_or("", String::as_str))?;
    let stored = entry_rows(&app, &slug, p, None).await?;
    // Only fields whose text changed become entries; `names[i]` is entry i's field.
    let mut entries = Vec::new();
    let mut names = Vec::new();
    for row in &stored {
        for (kind, before) in [("target", &row.target), ("actual", &row.actual)] {
            let name = format!("{kind}:{}", row.code);
            let now = fields.get(&name).map_or("", |v| v.trim());
            if now.is_empty() || now == before {
                continue;
            }
            entries.push(Entry {
                indicator: row.code.clone(),
                period: p.to_string(),
                kind: kind.to_string(),
                value: now.to_string(),
                ..Entry::default()
            });
            names.push(name);
        }
    }
    let reason = fields
        .get("reason")
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| format!("data entry for {p}"));
    let s = slug.clone();
    let r = reason.clone();
    let result = app
        .run(move |st| {
            Ok::<_, ApiError>(cairn_app::indicators::enter(
                st, &s, &entries, &actor, &r, false,
            ))
        })
        .await?;
    match result {
        Ok(summary) => {
            let fy = p.fiscal_year().map(|y| y.year().to_string());
            let to = format!(
                "/missions/{slug}/indicators?saved={}{}",
                summary.added + summary.updated,
                fy.map(|y| format!("&fy={}", encode(&y)))
                    .unwrap_or_default()
            );
            Ok(Redirect::to(&to).into_response())
        }
        Err(EntryFailure::Entries(errors)) => {
            let mut rows = entry_rows(&app, &slug, p, Some(&fields)).await?;
            let mut listed = Vec::new();
            for e in errors {
                let Some(name) = names.get(e.index) else {
                    continue;
                };
                let Some((kind, code)) = name.split_once(':') else {
                    continue;
                };
                if let Some(row) = rows.iter_mut().find(|r| r.code == code) {
                    match kind {
                        "target" => row.target_error = e.message.clone(),
                        _ => row.actual_error = e.message.clone(),
                    }
                }
                listed.push((
                    format!("{kind}-{code}"),
                    format!("{code} {kind}: {}", e.message),
                ));
            }
            render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &EntryPage {
                    chrome: Chrome::new(&visitor),
                    slug: slug.to_string(),
                    period: p.to_string(),
                    rows,
                    reason,
                    errors: listed,
                },
            )
        }
        Err(EntryFailure::Other(e)) => Err(PageError(e.into())),
    }
}

/// One row error of an uploaded CSV.
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub value: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "csv_upload.html")]
struct UploadPage {
    chrome: Chrome,
    slug: String,
    /// `indicators`, `data` or `milestones`.
    what: String,
    reason: String,
    check_only: bool,
    errors: Vec<RowError>,
    /// What the last upload did, in words.
    done: String,
}

impl UploadPage {
    fn new(visitor: &Visitor, slug: &cairn_store::Slug) -> Self {
        Self {
            chrome: Chrome::new(visitor),
            slug: slug.to_string(),
            what: "data".into(),
            reason: String::new(),
            check_only: false,
            errors: Vec::new(),
            done: String::new(),
        }
    }
}

/// `/missions/{slug}/upload`: an indicator or data CSV from the browser.
pub async fn upload_form(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
    uri: Uri,
) -> PageResult {
    if let Some(r) = require(&visitor, Permission::EnterData, &uri) {
        return Ok(r);
    }
    let (slug, _) = reader(&app, &visitor, path.get("slug")).await?;
    render(&UploadPage::new(&visitor, &slug))
}

/// Checks and (unless asked only to check) stores an uploaded CSV, all rows or none; every
/// row error is listed with its row, column and value.
pub async fn upload(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
    uri: Uri,
    headers: axum::http::HeaderMap,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> PageResult {
    if let Some(r) = require(&visitor, Permission::EnterData, &uri) {
        return Ok(r);
    }
    let fields = super::import::multipart_fields(&headers, multipart).await?;
    let text = |name: &str| {
        fields
            .get(name)
            .map(|b| String::from_utf8_lossy(b).trim().to_string())
            .unwrap_or_default()
    };
    check_csrf(&visitor, &text("csrf"))?;
    let actor = visitor.signed_in()?.username.to_string();
    let (slug, _) = reader(&app, &visitor, path.get("slug")).await?;
    let mut page = UploadPage::new(&visitor, &slug);
    page.what = match text("what").as_str() {
        w @ ("indicators" | "milestones") => w,
        _ => "data",
    }
    .into();
    page.reason = text("reason");
    page.check_only = !text("check_only").is_empty();
    let file = fields.get("file").cloned().unwrap_or_default();
    if file.is_empty() {
        page.done = "Choose a CSV file to upload.".into();
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let (what, dry, s) = (page.what.clone(), page.check_only, slug.clone());
    let reason = if page.reason.is_empty() {
        "upload".to_string()
    } else {
        page.reason.clone()
    };
    let result = app
        .run(move |st| {
            Ok::<_, ApiError>(match what.as_str() {
                "indicators" => {
                    cairn_app::monitoring::import_indicators(st, Some(&s), &file, &actor, dry)
                }
                "milestones" => {
                    cairn_app::milestones::import_milestones(st, Some(&s), &file, &actor, dry)
                }
                _ => cairn_app::monitoring::import_data(st, Some(&s), &file, &actor, &reason, dry),
            })
        })
        .await?;
    match result {
        Ok(summary) if page.check_only => {
            page.done = format!(
                "All {} row(s) are valid. Nothing was saved: untick \u{201c}Only check\u{201d} to save them.",
                summary.unchanged
            );
            render(&page)
        }
        Ok(summary) => {
            page.done = format!(
                "Saved: {} added, {} updated, {} unchanged.",
                summary.added, summary.updated, summary.unchanged
            );
            render(&page)
        }
        Err(cairn_app::monitoring::MonitoringError::Rows(rows)) => {
            page.errors = rows
                .into_iter()
                .map(|e| RowError {
                    row: e.row,
                    column: e.column.unwrap_or_default(),
                    value: e.value.unwrap_or_default(),
                    message: e.message,
                })
                .collect();
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(PageError(e.into())),
    }
}

#[derive(Debug, Deserialize)]
pub struct FigureForm {
    pub csrf: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub element: String,
    #[serde(default)]
    pub period: String,
}

/// Tracks a key figure as a context indicator, then shows it.
pub async fn track_figure(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
    uri: Uri,
    Form(f): Form<FigureForm>,
) -> PageResult {
    if let Some(r) = require(&visitor, Permission::EnterData, &uri) {
        return Ok(r);
    }
    check_csrf(&visitor, &f.csrf)?;
    let actor = visitor.signed_in()?.username.to_string();
    let (slug, _) = reader(&app, &visitor, path.get("slug")).await?;
    let given = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let code = given(&f.code).map(|c| c.parse()).transpose().map_err(
        |e: cairn_core::indicator::CodeError| ApiError::invalid_field("/code", e.to_string()),
    )?;
    let period = given(&f.period)
        .map(|p| p.parse())
        .transpose()
        .map_err(|e: cairn_core::PeriodError| ApiError::invalid_field("/period", e.to_string()))?;
    let request = cairn_app::indicators::FigureRequest {
        figure: path.get("figure").to_string(),
        code,
        title: None,
        element: given(&f.element),
        period,
        direction: cairn_core::Direction::Increase,
    };
    let s = slug.clone();
    let (indicator, _, _) = app
        .run(move |st| cairn_app::indicators::from_figure(st, &s, &request, &actor))
        .await?;
    Ok(Redirect::to(&format!(
        "/missions/{slug}/indicators/{}",
        encode(&indicator.code.to_string())
    ))
    .into_response())
}
