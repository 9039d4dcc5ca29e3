//! Cairn's memory. Missions, their strategy revisions (immutable, numbered 1, 2, 3 … per
//! mission) and an append-only, hash-chained audit trail, behind one [`Store`] trait that every
//! backend implements and proves with the [`conformance`] suite.
//!
//! The trait is synchronous: SQLite is, and callers in async code (the server) run store calls
//! on blocking threads.

pub mod audit;
pub mod conformance;
pub mod plan;
mod types;

pub use audit::{AuditEntry, ChainBreak, NewAuditEntry};
pub use types::*;

/// A storage backend. Every write is one transaction that also appends its audit entry; a write
/// names the revision (or version) it was based on and is refused when someone else wrote first.
pub trait Store: Send + Sync {
    /// Creates or upgrades the schema. Refuses a database written by a newer Cairn.
    fn migrate(&self) -> Result<(), StoreError>;

    fn missions(&self) -> Result<Vec<Mission>, StoreError>;

    fn mission(&self, slug: &Slug) -> Result<Option<Mission>, StoreError>;

    /// Stores a strategy as the mission's next revision (creating the mission at its first).
    /// `base` is the revision the writer started from (None for a new mission); content equal
    /// to the latest revision is not stored again.
    fn commit(&self, new: NewRevision) -> Result<Commit, StoreError>;

    /// A revision of a mission; the latest when `rev` is None.
    fn revision(&self, slug: &Slug, rev: Option<u32>) -> Result<Option<Revision>, StoreError>;

    /// Every revision's metadata, oldest first.
    fn history(&self, slug: &Slug) -> Result<Vec<RevisionInfo>, StoreError>;

    /// Changes a mission's country or bureau; `base_version` is the version the writer read.
    fn set_mission(&self, change: MissionChange) -> Result<Mission, StoreError>;

    /// The whole audit trail, oldest first.
    fn audit_log(&self) -> Result<Vec<AuditEntry>, StoreError>;

    /// Integrity of the database itself and of its references (not the audit chain, which
    /// [`verify`] checks over [`Store::audit_log`]).
    fn integrity(&self) -> Result<Vec<String>, StoreError>;

    /// Everything the store holds, read in one consistent snapshot (writers may run meanwhile).
    fn dump(&self) -> Result<Dump, StoreError>;

    /// Loads a dump into an empty store, exactly as it was (audit entries verbatim).
    fn load(&self, dump: &Dump) -> Result<(), StoreError>;

    /// The name of the backend and where its data lives, with any password removed.
    fn describe(&self) -> String;
}

/// Checks the audit chain and that every revision and mission change has its entry.
pub fn verify(store: &dyn Store) -> Result<Verification, StoreError> {
    let entries = store.audit_log()?;
    if let Some(b) = audit::verify_chain(&entries) {
        return Ok(Verification::Broken(b));
    }
    // The chain alone cannot show that its newest entries were cut off: every revision must be
    // accounted for by an entry whose after-digest is that revision's digest.
    for m in store.missions()? {
        for info in store.history(&m.slug)? {
            let object = revision_object(&m.slug, info.rev);
            let found = entries
                .iter()
                .any(|e| e.object == object && e.after.as_deref() == Some(info.digest.as_str()));
            if !found {
                return Ok(Verification::Broken(ChainBreak {
                    seq: entries.last().map_or(0, |e| e.seq) + 1,
                    reason: format!(
                        "{object} has no audit entry with its digest: entries were deleted or the revision was altered"
                    ),
                }));
            }
        }
    }
    Ok(Verification::Intact {
        entries: entries.len(),
        head: entries.last().map(|e| e.hash.clone()),
    })
}

/// How audit entries name a revision: `mission/mali/rev/3`.
pub fn revision_object(slug: &Slug, rev: u32) -> String {
    format!("mission/{slug}/rev/{rev}")
}

/// How audit entries name a mission's settings: `mission/mali`.
pub fn mission_object(slug: &Slug) -> String {
    format!("mission/{slug}")
}
