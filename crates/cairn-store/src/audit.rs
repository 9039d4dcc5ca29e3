//! The audit trail: an append-only chain in which each entry's hash covers every other field
//! and the previous entry's hash, so that an edited, deleted, inserted or reordered entry
//! breaks the chain whatever was done to the database's own protections.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry of the trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub actor: String,
    /// What was done: `import`, `edit`, `revert`, `mission.set`, …
    pub action: String,
    /// What it was done to: `mission/mali/rev/3`, `mission/mali`.
    pub object: String,
    /// Digest of the object before and after (None where it did not exist).
    pub before: Option<String>,
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// An entry before the store numbers and seals it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditEntry {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Where and why the chain is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainBreak {
    /// The first entry that does not verify (or the sequence number that is missing).
    pub seq: u64,
    pub reason: String,
}

impl NewAuditEntry {
    /// Numbers the entry after `prev` (None for the first) and computes its hash.
    pub fn seal(self, prev: Option<&AuditEntry>) -> AuditEntry {
        let seq = prev.map_or(1, |p| p.seq + 1);
        let prev_hash = prev.map_or(GENESIS.to_string(), |p| p.hash.clone());
        let mut e = AuditEntry {
            seq,
            at: self.at,
            actor: self.actor,
            action: self.action,
            object: self.object,
            before: self.before,
            after: self.after,
            prev_hash,
            hash: String::new(),
        };
        e.hash = entry_hash(&e);
        e
    }
}

/// Timestamps are hashed and stored in one canonical form: RFC 3339 UTC with microseconds.
pub fn canonical_time(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// SHA-256 over every field but the hash itself, each length-prefixed so that no two
/// different entries serialize alike.
pub fn entry_hash(e: &AuditEntry) -> String {
    let mut h = Sha256::new();
    let seq = e.seq.to_string();
    let at = canonical_time(&e.at);
    let fields: [Option<&str>; 8] = [
        Some(&seq),
        Some(&at),
        Some(&e.actor),
        Some(&e.action),
        Some(&e.object),
        e.before.as_deref(),
        e.after.as_deref(),
        Some(&e.prev_hash),
    ];
    for f in fields {
        match f {
            Some(s) => {
                h.update((s.len() as u64).to_be_bytes());
                h.update(s.as_bytes());
            }
            None => h.update(u64::MAX.to_be_bytes()),
        }
    }
    format!("{:x}", h.finalize())
}

/// The first break in a trail read in `seq` order, if any.
pub fn verify_chain(entries: &[AuditEntry]) -> Option<ChainBreak> {
    let mut prev_hash = GENESIS;
    for (i, e) in entries.iter().enumerate() {
        let expected = i as u64 + 1;
        let fail = |reason: String| Some(ChainBreak { seq: e.seq, reason });
        if e.seq != expected {
            return Some(ChainBreak {
                seq: expected,
                reason: format!(
                    "entry {expected} is missing (found {} in its place): entries were deleted, inserted or renumbered",
                    e.seq
                ),
            });
        }
        if e.prev_hash != prev_hash {
            return fail(format!(
                "entry {} does not follow entry {}: its previous hash differs (entries were inserted, deleted or reordered)",
                e.seq,
                e.seq - 1
            ));
        }
        if entry_hash(e) != e.hash {
            return fail(format!(
                "entry {} was altered: its content does not match its hash",
                e.seq
            ));
        }
        prev_hash = &e.hash;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: usize) -> Vec<AuditEntry> {
        let mut out: Vec<AuditEntry> = Vec::new();
        for i in 0..n {
            let e = NewAuditEntry {
                at: DateTime::from_timestamp(1_700_000_000 + i as i64, 0).unwrap_or_default(),
                actor: "alice".into(),
                action: "import".into(),
                object: format!("mission/mali/rev/{}", i + 1),
                before: None,
                after: Some(format!("digest{i}")),
            }
            .seal(out.last());
            out.push(e);
        }
        out
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(verify_chain(&chain(5)), None);
        assert_eq!(verify_chain(&[]), None);
    }

    #[test]
    fn every_kind_of_tampering_is_named() {
        let good = chain(5);
        let mut edited = good.clone();
        edited[2].actor = "mallory".into();
        assert_eq!(verify_chain(&edited).map(|b| b.seq), Some(3));

        let mut deleted = good.clone();
        deleted.remove(1);
        assert_eq!(verify_chain(&deleted).map(|b| b.seq), Some(2));

        let mut reordered = good.clone();
        reordered.swap(1, 2);
        assert_eq!(verify_chain(&reordered).map(|b| b.seq), Some(2));

        // An inserted entry, even renumbered and re-hashed, breaks the link of the one after.
        let mut inserted = good.clone();
        let forged = NewAuditEntry {
            at: good[1].at,
            actor: "mallory".into(),
            action: "import".into(),
            object: "mission/mali/rev/9".into(),
            before: None,
            after: None,
        }
        .seal(Some(&good[1]));
        inserted.insert(2, forged);
        for (i, e) in inserted.iter_mut().enumerate().skip(3) {
            e.seq = i as u64 + 1;
        }
        assert_eq!(verify_chain(&inserted).map(|b| b.seq), Some(4));
    }
}
