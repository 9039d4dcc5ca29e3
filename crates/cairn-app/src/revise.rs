//! Changing a stored strategy: editing one field, reverting to an earlier revision.

use cairn_core::{EditError, Field, Node};
use cairn_store::{Action, Commit, NewRevision, Slug, Store, StoreError};

/// One field's new text, written over the revision the editor read.
#[derive(Debug, Clone)]
pub struct EditRequest {
    pub mission: Slug,
    /// The revision the editor read: the edit applies to it, and is refused when it is no
    /// longer the latest.
    pub base: u32,
    pub node: Node,
    pub field: Field,
    pub value: String,
    pub message: String,
    pub actor: String,
}

/// Why a revision was not stored.
#[derive(Debug, thiserror::Error)]
pub enum ReviseError {
    #[error("no mission {0}")]
    UnknownMission(Slug),
    #[error("mission {mission} has no revision {rev}")]
    UnknownRevision { mission: Slug, rev: u32 },
    #[error(transparent)]
    Edit(#[from] EditError),
    #[error("the edited strategy does not read back: {0}")]
    Unreadable(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ReviseError {
    pub fn is_input_fault(&self) -> bool {
        match self {
            Self::Store(e) => e.is_input_fault(),
            Self::Unreadable(_) => false,
            _ => true,
        }
    }
}

/// Stores the base revision with one field changed. The stored source becomes the strategy's
/// Markdown, read back by the importer so that links and figures follow the new text and
/// `check` lines point into that source.
pub fn edit(store: &dyn Store, req: EditRequest) -> Result<Commit, ReviseError> {
    let base = store
        .revision(&req.mission, Some(req.base))?
        .ok_or_else(|| missing(store, &req.mission, req.base))?;
    let mut strategy = base.strategy;
    strategy.set_field(&req.node, req.field, &req.value)?;
    let source = cairn_render::markdown(&strategy);
    let parsed = cairn_ingest::parse(source.as_bytes())
        .map_err(|e| ReviseError::Unreadable(e.to_string()))?;
    Ok(store.commit(NewRevision {
        slug: req.mission,
        country: None,
        bureau: None,
        base: Some(req.base),
        actor: req.actor,
        action: Action::Edit,
        message: req.message,
        source,
        strategy: parsed.strategy,
    })?)
}

/// Stores an earlier revision's content as the next revision (its elements keep their ids).
pub fn revert(
    store: &dyn Store,
    mission: &Slug,
    base: u32,
    to: u32,
    message: String,
    actor: String,
) -> Result<Commit, ReviseError> {
    let old = store
        .revision(mission, Some(to))?
        .ok_or_else(|| missing(store, mission, to))?;
    Ok(store.commit(NewRevision {
        slug: mission.clone(),
        country: None,
        bureau: None,
        base: Some(base),
        actor,
        action: Action::Revert { to },
        message,
        source: old.source,
        strategy: old.strategy,
    })?)
}

fn missing(store: &dyn Store, mission: &Slug, rev: u32) -> ReviseError {
    match store.mission(mission) {
        Ok(Some(_)) => ReviseError::UnknownRevision {
            mission: mission.clone(),
            rev,
        },
        _ => ReviseError::UnknownMission(mission.clone()),
    }
}
