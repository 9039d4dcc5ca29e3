//! Importing a document from the browser: upload or paste, read the `check` findings, then
//! save.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect};
use cairn_app::{Base, ImportError, ImportRequest};
use cairn_core::{Diagnostic, Permission, Severity, diagnostic};
use cairn_store::Slug;
use serde::Deserialize;

use super::{Chrome, Form, PageError, PageResult, check_csrf, render, render_status, require};
use crate::auth::Visitor;
use crate::error::ApiError;
use crate::state::App;

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    chrome: Chrome,
    mission: String,
    message: String,
    problem: String,
}

pub async fn form(visitor: Visitor, uri: Uri) -> PageResult {
    if let Some(r) = require(&visitor, Permission::EditStrategy, &uri) {
        return Ok(r);
    }
    render(&ImportPage {
        chrome: Chrome::new(&visitor),
        mission: String::new(),
        message: String::new(),
        problem: String::new(),
    })
}

pub struct DiagnosticRow {
    pub severity: &'static str,
    pub code: String,
    pub line: u32,
    pub message: String,
}

fn rows(d: &[Diagnostic]) -> Vec<DiagnosticRow> {
    d.iter()
        .map(|d| DiagnosticRow {
            severity: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            code: d.code.as_str().to_string(),
            line: d.line,
            message: d.message.clone(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "import_preview.html")]
struct PreviewPage {
    chrome: Chrome,
    mission: String,
    country: String,
    exists: bool,
    base: String,
    goals: usize,
    objectives: usize,
    management: usize,
    marking: String,
    diagnostics: Vec<DiagnosticRow>,
    has_errors: bool,
    text: String,
    message: String,
}

/// The fields of the import form, read from multipart.
#[derive(Default)]
struct Upload {
    csrf: String,
    mission: String,
    message: String,
    text: String,
}

/// Every field of a multipart form by name (the last of a repeated name wins), from this origin.
pub async fn multipart_fields(
    headers: &HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<std::collections::HashMap<String, axum::body::Bytes>, ApiError> {
    super::same_origin(headers)?;
    let mut m =
        multipart.map_err(|e| ApiError::new(e.status(), "unreadable-body", e.body_text()))?;
    let bad = |e: axum::extract::multipart::MultipartError| {
        ApiError::new(e.status(), "unreadable-body", e.body_text())
    };
    let mut out = std::collections::HashMap::new();
    while let Some(field) = m.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_string();
        out.insert(name, field.bytes().await.map_err(bad)?);
    }
    Ok(out)
}

fn read_upload(
    fields: std::collections::HashMap<String, axum::body::Bytes>,
) -> Result<Upload, ApiError> {
    let mut u = Upload::default();
    let mut file = String::new();
    for (name, bytes) in fields {
        let text = || String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "csrf" => u.csrf = text(),
            "mission" => u.mission = text().trim().to_string(),
            "message" => u.message = text(),
            "text" => u.text = text(),
            // The importer decodes the bytes itself (UTF-8 or Windows-1252).
            "file" if !bytes.is_empty() => {
                file = match cairn_ingest::decode::decode(&bytes) {
                    Ok(d) => d.text.into_owned(),
                    Err(e) => {
                        return Err(ApiError::invalid_field("/file", format!("the file: {e}")));
                    }
                }
            }
            _ => {}
        }
    }
    if !file.is_empty() {
        u.text = file;
    }
    Ok(u)
}

pub async fn preview(
    State(app): State<App>,
    visitor: Visitor,
    uri: Uri,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> PageResult {
    if let Some(r) = require(&visitor, Permission::EditStrategy, &uri) {
        return Ok(r);
    }
    let u = read_upload(multipart_fields(&headers, multipart).await?)?;
    check_csrf(&visitor, &u.csrf)?;
    let again = |problem: String| ImportPage {
        chrome: Chrome::new(&visitor),
        mission: u.mission.clone(),
        message: u.message.clone(),
        problem,
    };
    if u.text.trim().is_empty() {
        return render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &again("Choose a file or paste the document's text.".into()),
        );
    }
    let parsed = match cairn_ingest::parse(u.text.as_bytes()) {
        Ok(p) => p,
        Err(e) => {
            return render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &again(format!("Nothing usable was read: {e}.")),
            );
        }
    };
    let mission = if u.mission.is_empty() {
        parsed
            .strategy
            .country
            .as_deref()
            .and_then(|c| Slug::from_country(c).ok())
    } else {
        match Slug::parse(&u.mission) {
            Ok(s) => Some(s),
            Err(e) => {
                return render_status(StatusCode::UNPROCESSABLE_ENTITY, &again(e.to_string()));
            }
        }
    };
    let Some(mission) = mission else {
        return render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &again("The document names no country: give the mission's short name.".into()),
        );
    };
    let m2 = mission.clone();
    let existing = app.run(move |s| s.mission(&m2)).await?;
    let st = &parsed.strategy;
    render(&PreviewPage {
        chrome: Chrome::new(&visitor),
        mission: mission.to_string(),
        country: st.country.clone().unwrap_or_default(),
        exists: existing.is_some(),
        base: existing
            .map(|m| m.latest_rev.to_string())
            .unwrap_or_default(),
        goals: st.goals.len(),
        objectives: st.objectives().count(),
        management: st.management_objectives.len(),
        marking: st.marking.clone().unwrap_or_else(|| "none".into()),
        has_errors: diagnostic::has_errors(&parsed.diagnostics),
        diagnostics: rows(&parsed.diagnostics),
        text: u.text,
        message: if u.message.trim().is_empty() {
            "import".into()
        } else {
            u.message
        },
    })
}

#[derive(Debug, Deserialize)]
pub struct SaveForm {
    pub csrf: String,
    pub mission: String,
    /// The latest revision when the preview was made; empty for a new mission.
    pub base: String,
    pub text: String,
    pub message: String,
}

pub async fn save(
    State(app): State<App>,
    visitor: Visitor,
    uri: Uri,
    Form(f): Form<SaveForm>,
) -> PageResult {
    if let Some(r) = require(&visitor, Permission::EditStrategy, &uri) {
        return Ok(r);
    }
    check_csrf(&visitor, &f.csrf)?;
    let mission = Slug::parse(&f.mission)
        .map_err(|e| ApiError::bad_request("invalid-form", e.to_string()))?;
    let base = if f.base.is_empty() {
        None
    } else {
        Some(f.base.parse::<u32>().map_err(|_| {
            ApiError::bad_request(
                "invalid-form",
                format!("base {:?} is not a revision", f.base),
            )
        })?)
    };
    let actor = visitor
        .user
        .as_ref()
        .map(|u| u.username.to_string())
        .unwrap_or_default();
    let req_mission = mission.clone();
    let result = app
        .run(move |s| {
            Ok::<_, ApiError>(cairn_app::import::import(
                s,
                ImportRequest {
                    bytes: f.text.as_bytes(),
                    mission: Some(req_mission),
                    bureau: None,
                    message: f.message,
                    base: Base::Expect(base),
                    actor,
                },
            ))
        })
        .await?;
    match result {
        Ok(imported) => {
            app.note_latest(&mission, imported.rev);
            Ok(Redirect::to(&format!("/missions/{mission}")).into_response())
        }
        Err(ImportError::Store(cairn_store::StoreError::Conflict(c))) => {
            Err(PageError(ApiError::new(
                StatusCode::CONFLICT,
                "stale",
                format!("{c}. Import the document again to check it against the latest revision."),
            )))
        }
        Err(e) => Err(PageError(e.into())),
    }
}
