//! Importing a document as a mission's next revision.

use cairn_core::{Diagnostic, Strategy, diagnostic};
use cairn_ingest::IngestError;
use cairn_store::{Action, Commit, NewRevision, Slug, Store, StoreError};
use serde::Serialize;

/// What to import, and on whose behalf.
#[derive(Debug, Clone)]
pub struct ImportRequest<'a> {
    pub bytes: &'a [u8],
    /// The mission; from the document's country when None.
    pub mission: Option<Slug>,
    /// The regional bureau for a new mission; from the document's links when None.
    pub bureau: Option<String>,
    pub message: String,
    pub base: Base,
    pub actor: String,
}

/// Which revision an import writes over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// The revision the writer started from (None: the mission must not exist yet); refused
    /// when someone else wrote first.
    Expect(Option<u32>),
    /// Whatever is latest: a trusted local operator's import.
    Latest,
}

/// What an import stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Imported {
    pub mission: Slug,
    pub rev: u32,
    /// False when the content equals the latest revision (nothing stored).
    pub created: bool,
    pub diagnostics: Vec<Diagnostic>,
}

/// Why nothing was stored.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Unreadable(#[from] IngestError),
    #[error("the document has errors; nothing was stored")]
    HasErrors(Vec<Diagnostic>),
    #[error("the document names no country: name the mission")]
    NoCountry,
    #[error("{0:?} is not a regional bureau code; expected one of {codes}", codes = bureau_codes())]
    BadBureau(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ImportError {
    /// Whether the input is at fault (as opposed to the database or the machine).
    pub fn is_input_fault(&self) -> bool {
        match self {
            Self::Store(e) => e.is_input_fault(),
            _ => true,
        }
    }
}

/// The regional bureau codes, as an error message lists them.
pub fn bureau_codes() -> String {
    cairn_core::bureau::REGIONAL
        .iter()
        .map(|(c, _)| *c)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Refuses a bureau that is not a regional bureau code.
pub fn check_bureau(bureau: Option<&str>) -> Result<(), ImportError> {
    match bureau {
        Some(b) if !cairn_core::bureau::is_regional(b) => Err(ImportError::BadBureau(b.into())),
        _ => Ok(()),
    }
}

/// Parses, refuses a document with errors, and stores the rest as the next revision.
pub fn import(store: &dyn Store, req: ImportRequest<'_>) -> Result<Imported, ImportError> {
    check_bureau(req.bureau.as_deref())?;
    let parsed = cairn_ingest::parse(req.bytes)?;
    if diagnostic::has_errors(&parsed.diagnostics) {
        return Err(ImportError::HasErrors(parsed.diagnostics));
    }
    let slug = match (req.mission, &parsed.strategy.country) {
        (Some(m), _) => m,
        (None, Some(country)) => Slug::from_country(country)?,
        (None, None) => return Err(ImportError::NoCountry),
    };
    let base = match req.base {
        Base::Expect(b) => b,
        Base::Latest => store.mission(&slug)?.map(|m| m.latest_rev),
    };
    let outcome = store.commit(NewRevision {
        slug: slug.clone(),
        country: parsed.strategy.country.clone(),
        bureau: req.bureau.or_else(|| document_bureau(&parsed.strategy)),
        base,
        actor: req.actor,
        action: Action::Import,
        message: req.message,
        source: String::from_utf8_lossy(req.bytes).into_owned(),
        strategy: parsed.strategy,
    })?;
    let (rev, created) = match outcome {
        Commit::Created { rev } => (rev, true),
        Commit::NoChange { rev } => (rev, false),
    };
    Ok(Imported {
        mission: slug,
        rev,
        created,
        diagnostics: parsed.diagnostics,
    })
}

/// The regional bureau a document's links name, when they name exactly one.
pub fn document_bureau(s: &Strategy) -> Option<String> {
    let mut codes: Vec<String> = s
        .goals
        .iter()
        .flat_map(|g| {
            g.links
                .iter()
                .chain(g.objectives.iter().flat_map(|o| o.links.iter()))
        })
        .filter_map(|l| {
            l.target
                .to_string()
                .split_once("-JRS")
                .map(|(c, _)| c.to_string())
        })
        .collect();
    codes.sort();
    codes.dedup();
    (codes.len() == 1).then(|| codes.remove(0))
}
