//! Indicators, their data and the status they roll up to: the monitoring CLI's commands over
//! HTTP. Readers see public indicators; signed-in readers (`ReadAll`) every one. Writes need
//! `EnterData` and go through the same validation as the CSV files.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cairn_app::indicators::{Detail, Entry};
use cairn_core::indicator::Indicator;
use cairn_core::{FiscalYear, IndicatorCode, Node, Permission};
use cairn_ingest::tables::element_text;
use cairn_store::{PutSummary, Slug};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::missions::{csrf, readable_view, slug};
use super::openapi::{SlugPath, StatusSchema};
use super::{List, Page};
use crate::auth::Visitor;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Body, Params, PathParams};
use crate::state::App;

/// A mission the visitor may read, and whether they see its sensitive indicators.
pub async fn reader(app: &App, visitor: &Visitor, s: &str) -> Result<(Slug, bool), ApiError> {
    let slug = slug(s)?;
    readable_view(app, visitor, &slug, None).await?;
    Ok((slug, visitor.may(Permission::ReadAll)))
}

/// An indicator code from a path; one that cannot exist is simply not found.
pub fn code(s: &str) -> Result<IndicatorCode, ApiError> {
    s.parse()
        .map_err(|_| ApiError::not_found(format!("no indicator {s}")))
}

/// The fiscal year a query names (`2023` or `FY2023`), or None.
pub fn fiscal_year(text: Option<&str>) -> Result<Option<FiscalYear>, ApiError> {
    let Some(t) = text else { return Ok(None) };
    let digits = t.strip_prefix("FY").unwrap_or(t);
    format!("FY{digits}")
        .parse::<FiscalYear>()
        .map(Some)
        .map_err(|e| {
            ApiError::bad_request("invalid-query", format!("query parameter fy: {e}"))
                .with_details(serde_json::json!({ "parameter": "fy" }))
        })
}

/// The year to show: the one asked for, else the latest with an actual, else this one.
pub async fn year(
    app: &App,
    slug: &Slug,
    asked: Option<FiscalYear>,
) -> Result<FiscalYear, ApiError> {
    if let Some(fy) = asked {
        return Ok(fy);
    }
    let today = FiscalYear::of_date(Utc::now().date_naive())
        .ok_or_else(|| ApiError::internal("today is outside the fiscal years Cairn knows"))?;
    let s = slug.clone();
    app.run(move |st| Ok::<_, ApiError>(cairn_app::indicators::default_year(st, &s, today)))
        .await
}

/// An indicator's reference sheet.
#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorOut {
    /// `EG.3.2-27` or a custom code, unique within the mission.
    pub code: String,
    /// The element it measures, numbered as in the latest revision (`1.2`, `M1`); null when the
    /// element is no longer in it.
    pub element: Option<String>,
    /// The element's stable id (`e7`), which survives renumbering.
    pub element_id: String,
    pub title: String,
    pub definition: Option<String>,
    /// `number`, `percent`, `usd`, `people`, `score`.
    pub unit: String,
    /// `increase` or `decrease`: which way is better.
    pub direction: String,
    /// `output`, `outcome` or `context`.
    #[serde(rename = "type")]
    pub kind: String,
    pub measure: String,
    pub cumulative: bool,
    pub frequency: String,
    pub disaggregations: Vec<String>,
    pub data_source: Option<String>,
    pub method: Option<String>,
    pub responsible_office: Option<String>,
    /// `public` or `sbu`.
    pub marking: String,
}

impl IndicatorOut {
    pub fn new(i: &Indicator, node: Option<&Node>) -> Self {
        Self {
            code: i.code.to_string(),
            element: node.map(element_text),
            element_id: i.element.to_string(),
            title: i.title.clone(),
            definition: i.definition.clone(),
            unit: i.unit.to_string(),
            direction: i.direction.to_string(),
            kind: i.kind.to_string(),
            measure: i.measure.to_string(),
            cumulative: i.cumulative,
            frequency: i.frequency.to_string(),
            disaggregations: i.disaggregations.clone(),
            data_source: i.data_source.clone(),
            method: i.method.clone(),
            responsible_office: i.responsible_office.clone(),
            marking: i.marking.to_string(),
        }
    }
}

/// One fiscal year of an indicator.
#[derive(Debug, Serialize, ToSchema)]
pub struct YearOut {
    /// `FY2023`.
    pub fy: String,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub actual: Option<f64>,
    /// 1.0 is exactly on target.
    pub achievement: Option<f64>,
    /// `above-target`, `on-target`, `improved`, `below-target`, `not-available`.
    pub rating: String,
}

/// One stored value.
#[derive(Debug, Serialize, ToSchema)]
pub struct ObservationOut {
    /// `FY2023`, `FY2023Q1`, `2023-01` or `2023`.
    pub period: String,
    /// `baseline`, `target` or `actual`.
    pub kind: String,
    /// Dimension → value; empty for the total.
    pub cell: BTreeMap<String, String>,
    pub value: f64,
    pub source: Option<String>,
    pub note: Option<String>,
    /// When and by whom the current value was set.
    pub at: DateTime<Utc>,
    pub actor: String,
}

/// An indicator with its figures by year and every value stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorDetailOut {
    pub indicator: IndicatorOut,
    pub years: Vec<YearOut>,
    pub observations: Vec<ObservationOut>,
}

impl IndicatorDetailOut {
    fn new(d: &Detail) -> Self {
        Self {
            indicator: IndicatorOut::new(&d.indicator, d.element.as_ref()),
            years: d
                .years
                .iter()
                .map(|y| YearOut {
                    fy: y.fy.to_string(),
                    baseline: y.baseline,
                    target: y.target,
                    actual: y.actual,
                    achievement: y.achievement,
                    rating: y.rating.as_str().to_string(),
                })
                .collect(),
            observations: d
                .observations
                .iter()
                .map(|o| ObservationOut {
                    period: o.observation.period.to_string(),
                    kind: o.observation.kind.to_string(),
                    cell: o.observation.cell.clone(),
                    value: o.observation.value,
                    source: o.observation.source.clone(),
                    note: o.observation.note.clone(),
                    at: o.at,
                    actor: o.actor.clone(),
                })
                .collect(),
        }
    }
}

/// A value set: the first one (`previous` null) or a correction.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeOut {
    pub period: String,
    pub kind: String,
    pub cell: BTreeMap<String, String>,
    pub value: f64,
    pub previous: Option<f64>,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub reason: String,
}

/// `{code}` in a path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct CodePath {
    /// The indicator's code (`EG.3.2-27`).
    pub code: String,
}

/// Which fiscal year.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// `2023` or `FY2023`; the latest year with an actual when absent.
    pub fy: Option<String>,
}

/// The indicators of a mission the visitor may see.
#[utoipa::path(get, path = "/api/v1/missions/{slug}/indicators", tag = "monitoring",
    params(SlugPath, Page),
    responses((status = 200, body = List<IndicatorOut>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
    Params(page): Params<Page>,
) -> Result<axum::Json<List<IndicatorOut>>, ApiError> {
    page.limit()?;
    let (slug, sbu) = reader(&app, &visitor, path.get("slug")).await?;
    let all = app
        .run(move |st| cairn_app::indicators::list(st, &slug, sbu))
        .await?;
    let out = all
        .iter()
        .map(|(i, n)| IndicatorOut::new(i, n.as_ref()))
        .collect();
    Ok(axum::Json(page.cut(out)?))
}

async fn load(app: &App, visitor: &Visitor, path: &PathParams) -> Result<(Slug, Detail), ApiError> {
    let (slug, sbu) = reader(app, visitor, path.get("slug")).await?;
    let c = code(path.get("code"))?;
    let s = slug.clone();
    let found = app
        .run(move |st| cairn_app::indicators::detail(st, &s, &c, sbu))
        .await?;
    match found {
        Some(d) => Ok((slug, d)),
        None => Err(ApiError::not_found(format!(
            "mission {slug} has no indicator {}",
            path.get("code")
        ))),
    }
}

/// One indicator: its reference sheet, its figures and rating by fiscal year, every value.
#[utoipa::path(get, path = "/api/v1/missions/{slug}/indicators/{code}", tag = "monitoring",
    params(SlugPath, CodePath),
    responses((status = 200, body = IndicatorDetailOut), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
) -> Result<axum::Json<IndicatorDetailOut>, ApiError> {
    let (_, d) = load(&app, &visitor, &path).await?;
    Ok(axum::Json(IndicatorDetailOut::new(&d)))
}

/// Every value set for an indicator, oldest first: first settings and corrections, with who,
/// when and why.
#[utoipa::path(get, path = "/api/v1/missions/{slug}/indicators/{code}/history", tag = "monitoring",
    params(SlugPath, CodePath, Page),
    responses((status = 200, body = List<ChangeOut>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn history(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
    Params(page): Params<Page>,
) -> Result<axum::Json<List<ChangeOut>>, ApiError> {
    page.limit()?;
    let (_, d) = load(&app, &visitor, &path).await?;
    let out = d
        .history
        .into_iter()
        .map(|c| ChangeOut {
            period: c.period.to_string(),
            kind: c.kind.to_string(),
            cell: c.cell,
            value: c.value,
            previous: c.previous,
            at: c.at,
            actor: c.actor,
            reason: c.reason,
        })
        .collect();
    Ok(axum::Json(page.cut(out)?))
}

fn svg(body: String) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("image/svg+xml; charset=utf-8"),
        )],
        body,
    )
        .into_response()
}

/// An indicator's chart: actuals against the target band by fiscal year, with the baseline;
/// its `<title>` and `<desc>` say in words everything it shows.
#[utoipa::path(get, path = "/api/v1/missions/{slug}/indicators/{code}/chart", tag = "monitoring",
    params(SlugPath, CodePath),
    responses((status = 200, content_type = "image/svg+xml", body = String), (status = 404, body = ErrorBody)))]
pub async fn chart(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
) -> Result<Response, ApiError> {
    let (_, d) = load(&app, &visitor, &path).await?;
    Ok(svg(cairn_render::chart::indicator_chart(&d.series)))
}

/// The mission's status for a fiscal year (the `cairn status --json` shape), over the
/// indicators the visitor may see.
#[utoipa::path(get, path = "/api/v1/missions/{slug}/status", tag = "monitoring",
    params(SlugPath, YearQuery),
    responses((status = 200, body = StatusSchema), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn status(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
    Params(q): Params<YearQuery>,
) -> Result<axum::Json<Value>, ApiError> {
    let asked = fiscal_year(q.fy.as_deref())?;
    let (slug, sbu) = reader(&app, &visitor, path.get("slug")).await?;
    let fy = year(&app, &slug, asked).await?;
    let st = app
        .run(move |st| {
            cairn_app::monitoring::status(st, &slug, fy, sbu)
                .map(|s| cairn_app::view::status_json(&slug, &s))
        })
        .await?;
    Ok(axum::Json(st))
}

/// The status overview chart: every goal and objective with its rating, in shapes and words.
#[utoipa::path(get, path = "/api/v1/missions/{slug}/status/chart", tag = "monitoring",
    params(SlugPath, YearQuery),
    responses((status = 200, content_type = "image/svg+xml", body = String), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn status_chart(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
    Params(q): Params<YearQuery>,
) -> Result<Response, ApiError> {
    let asked = fiscal_year(q.fy.as_deref())?;
    let (slug, sbu) = reader(&app, &visitor, path.get("slug")).await?;
    let fy = year(&app, &slug, asked).await?;
    let body = app
        .run(move |st| {
            cairn_app::monitoring::status(st, &slug, fy, sbu)
                .map(|s| cairn_render::chart::status_chart(&format!("Mission {slug}, {fy}"), &s))
        })
        .await?;
    Ok(svg(body))
}

/// The mission's data in the data CSV format (what `cairn data export --mission` writes). The
/// data of sensitive indicators needs `ReadAll`.
#[utoipa::path(get, path = "/api/v1/missions/{slug}/data", tag = "monitoring",
    params(SlugPath),
    responses((status = 200, content_type = "text/csv", body = String), (status = 404, body = ErrorBody)))]
pub async fn export(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
) -> Result<Response, ApiError> {
    let (slug, sbu) = reader(&app, &visitor, path.get("slug")).await?;
    let s = slug.clone();
    let csv = app
        .run(move |st| cairn_app::monitoring::export_data(st, Some(&s), sbu))
        .await?;
    let disposition = format!("attachment; filename=\"{slug}-data.csv\"");
    let mut res = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/csv; charset=utf-8"),
        )],
        csv,
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

/// What a batch write did.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchOut {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// True when nothing was written because the request asked only to validate.
    pub dry_run: bool,
}

impl BatchOut {
    fn new(s: PutSummary, dry_run: bool) -> Self {
        Self {
            added: s.added,
            updated: s.updated,
            unchanged: s.unchanged,
            dry_run,
        }
    }
}

/// A CSV file in the format the operation names (README), every row of this mission.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CsvIn {
    pub csv: String,
    /// Validate only.
    #[serde(default)]
    pub dry_run: bool,
}

fn writer(visitor: &Visitor, headers: &HeaderMap) -> Result<String, ApiError> {
    let user = visitor.require(Permission::EnterData)?;
    csrf(visitor, headers)?;
    Ok(user.username.to_string())
}

/// Adds or updates indicators by code. Every row is validated first; when any is at fault
/// the answer is 422 with every error (row, column, value, message) and nothing is written.
#[utoipa::path(post, path = "/api/v1/missions/{slug}/indicators", tag = "monitoring",
    params(SlugPath), request_body = CsvIn,
    responses((status = 200, body = BatchOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn put_indicators(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
    headers: HeaderMap,
    Body(body): Body<CsvIn>,
) -> Result<axum::Json<BatchOut>, ApiError> {
    csv_import(
        &app,
        &visitor,
        &path,
        &headers,
        body,
        cairn_app::monitoring::import_indicators,
    )
    .await
}

/// A CSV upload of one mission's rows through its importer.
async fn csv_import(
    app: &App,
    visitor: &Visitor,
    path: &PathParams,
    headers: &HeaderMap,
    body: CsvIn,
    import: cairn_app::monitoring::Importer,
) -> Result<axum::Json<BatchOut>, ApiError> {
    let actor = writer(visitor, headers)?;
    let (slug, _) = reader(app, visitor, path.get("slug")).await?;
    let dry = body.dry_run;
    let s = app
        .run(move |st| import(st, Some(&slug), body.csv.as_bytes(), &actor, dry))
        .await?;
    Ok(axum::Json(BatchOut::new(s, dry)))
}

/// One value to enter, as a person typed it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryIn {
    pub indicator: String,
    /// `FY2023`, `FY2023Q1`, `2023-01` or `2023`.
    pub period: String,
    /// `baseline`, `target` or `actual`.
    pub kind: String,
    /// A number, or a decimal written as a string.
    #[schema(value_type = Object)]
    pub value: Value,
    /// Dimension → value; absent or empty for the total.
    #[serde(default)]
    pub cell: BTreeMap<String, String>,
    pub source: Option<String>,
    pub note: Option<String>,
}

/// Data to store: a data CSV, or entries (exactly one of the two).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DataIn {
    /// A data CSV (README: `mission,indicator,period,kind,value`, dimension columns, `source,note`).
    pub csv: Option<String>,
    pub entries: Option<Vec<EntryIn>>,
    /// Why: kept with every correction in the history.
    pub reason: Option<String>,
    /// Validate only.
    #[serde(default)]
    pub dry_run: bool,
}

fn entry(i: usize, e: EntryIn) -> Result<Entry, ApiError> {
    let value = match e.value {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s,
        _ => {
            return Err(ApiError::invalid_field(
                &format!("/entries/{i}/value"),
                "value must be a number or a decimal written as a string",
            ));
        }
    };
    Ok(Entry {
        indicator: e.indicator,
        period: e.period,
        kind: e.kind,
        value,
        cell: e.cell,
        source: e.source.unwrap_or_default(),
        note: e.note.unwrap_or_default(),
    })
}

/// Stores data in one transaction, all or nothing. Every row or entry is validated first; a
/// value that differs from the stored one is a correction, kept in the history with the
/// previous value, the actor and the reason.
#[utoipa::path(post, path = "/api/v1/missions/{slug}/data", tag = "monitoring",
    params(SlugPath), request_body = DataIn,
    responses((status = 200, body = BatchOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn put_data(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
    headers: HeaderMap,
    Body(body): Body<DataIn>,
) -> Result<axum::Json<BatchOut>, ApiError> {
    let actor = writer(&visitor, &headers)?;
    let (slug, _) = reader(&app, &visitor, path.get("slug")).await?;
    let reason = body
        .reason
        .filter(|r| !r.trim().is_empty())
        .unwrap_or_else(|| "data entry".into());
    let dry = body.dry_run;
    let s = match (body.csv, body.entries) {
        (Some(csv), None) => {
            app.run(move |st| {
                cairn_app::monitoring::import_data(
                    st,
                    Some(&slug),
                    csv.as_bytes(),
                    &actor,
                    &reason,
                    dry,
                )
            })
            .await?
        }
        (None, Some(list)) => {
            let entries = list
                .into_iter()
                .enumerate()
                .map(|(i, e)| entry(i, e))
                .collect::<Result<Vec<_>, _>>()?;
            app.run(move |st| {
                cairn_app::indicators::enter(st, &slug, &entries, &actor, &reason, dry)
            })
            .await?
        }
        _ => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid-body",
                "send either csv (a data CSV) or entries (a list of values), not both and not neither",
            )
            .with_details(serde_json::json!({ "pointer": "" })));
        }
    };
    Ok(axum::Json(BatchOut::new(s, dry)))
}

/// What a figure does not say; every field may be left out.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FigureIn {
    /// The indicator's code (`CTX-F<n>` when absent).
    pub code: Option<String>,
    /// Made from the figure's subject and text when absent.
    pub title: Option<String>,
    /// The element's number (`3.2`, `M1`); where the figure stands when absent.
    pub element: Option<String>,
    /// The period the figure stands for; the year its sentence names when absent.
    pub period: Option<String>,
    /// `increase` (default) or `decrease`.
    pub direction: Option<String>,
}

/// `{figure}` in a path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct FigurePath {
    /// The figure's id in the latest revision (`f7`), as the strategy JSON lists it.
    pub figure: String,
}

/// Turns a key figure of the latest revision into a context indicator, the figure its data
/// point and the sentence its source (`cairn indicator from-figure`). Asking again with the
/// same choices changes nothing.
#[utoipa::path(post, path = "/api/v1/missions/{slug}/figures/{figure}/indicator", tag = "monitoring",
    params(SlugPath, FigurePath), request_body = FigureIn,
    responses((status = 201, body = IndicatorOut, headers(("Location" = String, description = "the indicator"))),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn from_figure(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
    headers: HeaderMap,
    Body(body): Body<FigureIn>,
) -> Result<Response, ApiError> {
    use cairn_app::indicators::FigureRequest;
    let actor = writer(&visitor, &headers)?;
    let (slug, _) = reader(&app, &visitor, path.get("slug")).await?;
    let code = body.code.as_deref().map(str::parse).transpose().map_err(
        |e: cairn_core::indicator::CodeError| ApiError::invalid_field("/code", e.to_string()),
    )?;
    let period =
        body.period.as_deref().map(str::parse).transpose().map_err(
            |e: cairn_core::PeriodError| ApiError::invalid_field("/period", e.to_string()),
        )?;
    let direction = body
        .direction
        .as_deref()
        .unwrap_or("increase")
        .parse()
        .map_err(|e: String| ApiError::invalid_field("/direction", e))?;
    let request = FigureRequest {
        figure: path.get("figure").to_string(),
        code,
        title: body.title,
        element: body.element,
        period,
        direction,
    };
    let s = slug.clone();
    let (indicator, _, node) = app
        .run(move |st| cairn_app::indicators::from_figure(st, &s, &request, &actor))
        .await?;
    let location = format!("/api/v1/missions/{slug}/indicators/{}", indicator.code);
    let mut res = (
        StatusCode::CREATED,
        axum::Json(IndicatorOut::new(&indicator, Some(&node))),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

/// A status a milestone has had.
#[derive(Debug, Serialize, ToSchema)]
pub struct MilestoneChangeOut {
    pub status: String,
    pub previous: Option<String>,
    pub at: DateTime<Utc>,
    pub actor: String,
}

/// A milestone: a dated deliverable for an objective that resists counting.
#[derive(Debug, Serialize, ToSchema)]
pub struct MilestoneOut {
    pub code: String,
    /// The element's number in the latest revision; null when it is no longer there.
    pub element: Option<String>,
    pub element_id: String,
    pub title: String,
    /// ISO date.
    pub due: String,
    /// `not-started`, `in-progress`, `done`, `delayed`, `dropped`.
    pub status: String,
    pub note: Option<String>,
    pub marking: String,
    /// Its rating for the year asked (README: Cairn's milestone rule); null when it does not
    /// count in that year.
    pub rating: Option<String>,
    /// Every status it has had, oldest first.
    pub history: Vec<MilestoneChangeOut>,
}

/// The milestones the visitor may see, rated for a fiscal year.
#[utoipa::path(get, path = "/api/v1/missions/{slug}/milestones", tag = "monitoring",
    params(SlugPath, YearQuery, Page),
    responses((status = 200, body = List<MilestoneOut>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn milestones(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
    Params(q): Params<YearQuery>,
    Params(page): Params<Page>,
) -> Result<axum::Json<List<MilestoneOut>>, ApiError> {
    page.limit()?;
    let asked = fiscal_year(q.fy.as_deref())?;
    let (slug, sbu) = reader(&app, &visitor, path.get("slug")).await?;
    let fy = year(&app, &slug, asked).await?;
    let list = app
        .run(move |st| cairn_app::milestones::list_milestones(st, &slug, Some(fy), sbu))
        .await?;
    let out = list
        .into_iter()
        .map(|v| MilestoneOut {
            code: v.milestone.code.to_string(),
            element: v.number,
            element_id: v.milestone.element.to_string(),
            title: v.milestone.title,
            due: v.milestone.due.to_string(),
            status: v.milestone.status.to_string(),
            note: v.milestone.note,
            marking: v.milestone.marking.to_string(),
            rating: v.rating.flatten().map(|r| r.as_str().to_string()),
            history: v
                .history
                .into_iter()
                .map(|c| MilestoneChangeOut {
                    status: c.status.to_string(),
                    previous: c.previous.map(|p| p.to_string()),
                    at: c.at,
                    actor: c.actor,
                })
                .collect(),
        })
        .collect();
    Ok(axum::Json(page.cut(out)?))
}

/// Adds or updates milestones by code from a milestone CSV; a changed status is kept in the
/// milestone's history. Every row is checked first; nothing is written when any is at fault.
#[utoipa::path(post, path = "/api/v1/missions/{slug}/milestones", tag = "monitoring",
    params(SlugPath), request_body = CsvIn,
    responses((status = 200, body = BatchOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn put_milestones(
    State(app): State<App>,
    visitor: Visitor,
    path: PathParams,
    headers: HeaderMap,
    Body(body): Body<CsvIn>,
) -> Result<axum::Json<BatchOut>, ApiError> {
    csv_import(
        &app,
        &visitor,
        &path,
        &headers,
        body,
        cairn_app::milestones::import_milestones,
    )
    .await
}
