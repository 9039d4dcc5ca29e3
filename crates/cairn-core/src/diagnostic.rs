//! Findings about a strategy document, as `cairn check` reports them.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How serious a finding is: any error makes `check` exit 1.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// What kind of finding it is (PRODUCT.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// Two elements of one kind carry the same number.
    DuplicateNumber,
    /// An objective numbered under a goal (or objective) that does not exist.
    OrphanObjective,
    /// Nothing usable could be read.
    UnreadableInput,
    /// The summary and the detail give an element different titles.
    TitleMismatch,
    /// Listed in the summary, never described.
    MissingDetail,
    /// No justification, linkages or risks where the generation has them.
    MissingField,
    /// The input was not UTF-8 and was read as Windows-1252.
    LegacyEncoding,
}

impl Code {
    /// The severity every finding of this code has.
    pub fn severity(self) -> Severity {
        match self {
            Self::DuplicateNumber | Self::OrphanObjective | Self::UnreadableInput => {
                Severity::Error
            }
            Self::TitleMismatch
            | Self::MissingDetail
            | Self::MissingField
            | Self::LegacyEncoding => Severity::Warning,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::DuplicateNumber => "duplicate-number",
            Self::OrphanObjective => "orphan-objective",
            Self::UnreadableInput => "unreadable-input",
            Self::TitleMismatch => "title-mismatch",
            Self::MissingDetail => "missing-detail",
            Self::MissingField => "missing-field",
            Self::LegacyEncoding => "legacy-encoding",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding, located at a 1-based line of the input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    /// The line of the heading of the element concerned: its heading in the detailed section
    /// when it has one.
    pub line: u32,
    pub message: String,
    /// For a title mismatch: both titles, so that a reader can see the difference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub titles: Option<TitlePair>,
}

/// The two titles a title mismatch compares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TitlePair {
    pub summary_line: u32,
    pub summary: String,
    pub detail: String,
}

impl Diagnostic {
    pub fn new(code: Code, line: u32, message: impl Into<String>) -> Self {
        Self {
            severity: code.severity(),
            code,
            line,
            message: message.into(),
            titles: None,
        }
    }
}

/// Whether any finding is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}
