//! The importer: bytes of a published strategy → Cairn's model.
//!
//! Stages, each a module: [`decode`] (bytes → text), [`lines`] (page furniture, bullets,
//! markup), [`layout`] (sections, headings, labelled blocks, page-break repair), then the core's
//! `assemble` builds the tree, and [`links`] and [`figures`] read the narrative.

pub mod decode;
pub mod figures;
pub mod layout;
pub mod lines;
pub mod links;
mod swar;
pub mod tables;

use cairn_core::{Code, Diagnostic, Strategy};

/// A document read into the model, with what was noticed on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub strategy: Strategy,
    pub diagnostics: Vec<Diagnostic>,
}

/// Why nothing usable could be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IngestError {
    #[error("the input is empty")]
    Empty,
    #[error("the input is binary data, not text (byte {offset} is {byte:#04x})")]
    Binary { offset: usize, byte: u8 },
    #[error("no mission goals found")]
    NoGoals,
}

/// Reads a strategy document. Fails only when nothing usable is there; everything else is
/// left to the diagnostics.
pub fn parse(bytes: &[u8]) -> Result<Parsed, IngestError> {
    let decoded = decode::decode(bytes)?;
    let draft = layout::read(&decoded.text);
    if draft.detail.is_empty() && draft.summary.is_empty() {
        return Err(IngestError::NoGoals);
    }
    let assembled = cairn_core::assemble(draft);
    let mut strategy = assembled.strategy;
    if strategy.goals.is_empty() {
        return Err(IngestError::NoGoals);
    }
    links::resolve(&mut strategy);
    strategy.figures = figures::collect(&strategy);
    let mut diagnostics = assembled.diagnostics;
    if decoded.legacy {
        diagnostics.insert(
            0,
            Diagnostic::new(
                Code::LegacyEncoding,
                1,
                "the input is not UTF-8; it was read as Windows-1252",
            ),
        );
    }
    Ok(Parsed {
        strategy,
        diagnostics,
    })
}
