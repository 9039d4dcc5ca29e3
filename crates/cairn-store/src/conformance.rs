//! The behaviour every backend must show, as functions over a fresh, migrated store. A backend's
//! tests instantiate them all with [`conformance_suite!`](crate::conformance_suite).

use std::sync::{Arc, Barrier};

use cairn_core::{Goal, ManagementObjective, Number, Objective, Strategy, StrategyKind};

use crate::{Action, Commit, MissionChange, NewRevision, Slug, Store, StoreError, Verification};

fn number(s: &str) -> Number {
    Number::parse(s).unwrap_or_else(|e| panic!("{e}"))
}

fn objective(n: &str, title: &str) -> Objective {
    Objective {
        number: number(n),
        title: title.into(),
        justification: Some(format!("Why {title}.")),
        linkages: None,
        risks: None,
        links: Vec::new(),
        sub_objectives: Vec::new(),
    }
}

/// A small strategy whose goal 1 has the given objective titles (numbered 1.1, 1.2, …).
pub fn strategy(objectives: &[&str]) -> Strategy {
    Strategy {
        kind: StrategyKind::Ics,
        country: Some("Testland".into()),
        title: "Integrated Country Strategy".into(),
        marking: Some("FOR PUBLIC RELEASE".into()),
        approved: None,
        priorities: vec!["Testland matters.".into()],
        goals: vec![Goal {
            number: number("1"),
            title: "Peace.".into(),
            description: None,
            links: Vec::new(),
            objectives: objectives
                .iter()
                .enumerate()
                .map(|(i, t)| objective(&format!("1.{}", i + 1), t))
                .collect(),
        }],
        management_objectives: vec![ManagementObjective {
            number: number("1"),
            title: "Staff.".into(),
            justification: None,
            linkages: None,
            risks: None,
            links: Vec::new(),
        }],
        figures: Vec::new(),
    }
}

fn slug(s: &str) -> Slug {
    Slug::parse(s).unwrap_or_else(|e| panic!("{e}"))
}

fn new_revision(s: &str, base: Option<u32>, strategy: Strategy, message: &str) -> NewRevision {
    NewRevision {
        slug: slug(s),
        country: Some("Testland".into()),
        bureau: Some("AF".into()),
        base,
        actor: "alice".into(),
        action: Action::Import,
        message: message.into(),
        source: format!("source of {message}"),
        strategy,
    }
}

fn commit(store: &dyn Store, new: NewRevision) -> Commit {
    store.commit(new).unwrap_or_else(|e| panic!("commit: {e}"))
}

pub fn first_import_creates_the_mission_at_revision_1(store: &dyn Store) {
    let s = strategy(&["Calm."]);
    assert_eq!(
        commit(store, new_revision("mali", None, s.clone(), "first")),
        Commit::Created { rev: 1 }
    );
    let m = store
        .mission(&slug("mali"))
        .unwrap_or_else(|e| panic!("{e}"));
    let m = m.unwrap_or_else(|| panic!("mission not stored"));
    assert_eq!(
        (m.latest_rev, m.country.as_deref(), m.bureau.as_deref()),
        (1, Some("Testland"), Some("AF"))
    );
    let r = store
        .revision(&slug("mali"), None)
        .unwrap_or_else(|e| panic!("{e}"));
    let r = r.unwrap_or_else(|| panic!("no latest revision"));
    assert_eq!(
        (r.rev, r.actor.as_str(), r.message.as_str()),
        (1, "alice", "first")
    );
    assert_eq!(r.strategy, s);
    assert_eq!(r.source, "source of first");
    assert_eq!(r.digest, crate::content_digest(&s));
    assert_eq!(store.missions().unwrap_or_default().len(), 1);
}

pub fn revisions_are_numbered_per_mission(store: &dyn Store) {
    commit(store, new_revision("mali", None, strategy(&["A."]), "m1"));
    commit(store, new_revision("niger", None, strategy(&["A."]), "n1"));
    assert_eq!(
        commit(
            store,
            new_revision("mali", Some(1), strategy(&["B."]), "m2")
        ),
        Commit::Created { rev: 2 }
    );
    assert_eq!(
        commit(
            store,
            new_revision("mali", Some(2), strategy(&["C."]), "m3")
        ),
        Commit::Created { rev: 3 }
    );
    let h = store.history(&slug("mali")).unwrap_or_default();
    let revs: Vec<(u32, &str)> = h.iter().map(|r| (r.rev, r.message.as_str())).collect();
    assert_eq!(revs, [(1, "m1"), (2, "m2"), (3, "m3")]);
    assert_eq!(store.history(&slug("niger")).unwrap_or_default().len(), 1);
    let old = store
        .revision(&slug("mali"), Some(2))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(old.map(|r| r.strategy), Some(strategy(&["B."])));
}

pub fn identical_content_is_no_change(store: &dyn Store) {
    commit(
        store,
        new_revision("mali", None, strategy(&["A."]), "first"),
    );
    let again = commit(
        store,
        new_revision("mali", Some(1), strategy(&["A."]), "again"),
    );
    assert_eq!(again, Commit::NoChange { rev: 1 });
    assert_eq!(store.history(&slug("mali")).unwrap_or_default().len(), 1);
    assert_eq!(store.audit_log().unwrap_or_default().len(), 1);
}

pub fn a_stale_write_is_refused_and_says_who_wrote_since(store: &dyn Store) {
    commit(
        store,
        new_revision("mali", None, strategy(&["A."]), "first"),
    );
    let mut bob = new_revision("mali", Some(1), strategy(&["B."]), "bob's");
    bob.actor = "bob".into();
    commit(store, bob);
    match store.commit(new_revision("mali", Some(1), strategy(&["C."]), "alice's")) {
        Err(StoreError::Conflict(c)) => {
            assert_eq!((c.base, c.latest), (Some(1), 2));
            assert_eq!(
                c.since
                    .iter()
                    .map(|r| (r.rev, r.actor.as_str()))
                    .collect::<Vec<_>>(),
                [(2, "bob")]
            );
            let msg = StoreError::Conflict(c).to_string();
            assert!(msg.contains("bob") && msg.contains("revision 1"), "{msg}");
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    // Creating a mission that exists is stale too.
    assert!(matches!(
        store.commit(new_revision("mali", None, strategy(&["D."]), "again")),
        Err(StoreError::Conflict(_))
    ));
    // A base that does not exist yet is refused, not taken as the latest.
    assert!(
        store
            .commit(new_revision("mali", Some(7), strategy(&["E."]), "future"))
            .is_err()
    );
    assert_eq!(store.history(&slug("mali")).unwrap_or_default().len(), 2);
}

pub fn unknown_missions_and_revisions(store: &dyn Store) {
    assert_eq!(store.mission(&slug("nowhere")).ok().flatten(), None);
    assert!(matches!(
        store.revision(&slug("nowhere"), None),
        Ok(None) | Err(StoreError::UnknownMission(_))
    ));
    commit(
        store,
        new_revision("mali", None, strategy(&["A."]), "first"),
    );
    assert!(matches!(
        store.revision(&slug("mali"), Some(9)),
        Ok(None) | Err(StoreError::UnknownRevision { .. })
    ));
    assert!(matches!(
        store.commit(new_revision("nowhere", Some(1), strategy(&["A."]), "x")),
        Err(StoreError::UnknownMission(_) | StoreError::Conflict(_))
    ));
}

pub fn identity_follows_renumbered_elements(store: &dyn Store) {
    commit(
        store,
        new_revision("mali", None, strategy(&["Calm.", "Courts."]), "first"),
    );
    let r1 = store
        .revision(&slug("mali"), Some(1))
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("rev 1"));
    // A new objective is inserted first: "Calm." becomes 1.2, "Courts." 1.3.
    commit(
        store,
        new_revision(
            "mali",
            Some(1),
            strategy(&["Media.", "Calm.", "Courts."]),
            "insert",
        ),
    );
    let r2 = store
        .revision(&slug("mali"), Some(2))
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("rev 2"));
    let id = |r: &crate::Revision, n: &str| r.identity.get(&cairn_core::Node::Objective(number(n)));
    assert_eq!(id(&r2, "1.2"), id(&r1, "1.1"));
    assert_eq!(id(&r2, "1.3"), id(&r1, "1.2"));
    assert!(
        id(&r2, "1.1").is_some()
            && id(&r2, "1.1") != id(&r1, "1.1")
            && id(&r2, "1.1") != id(&r1, "1.2")
    );
}

pub fn a_revert_brings_back_the_restored_revisions_ids(store: &dyn Store) {
    commit(
        store,
        new_revision("mali", None, strategy(&["Calm.", "Courts."]), "first"),
    );
    commit(
        store,
        new_revision("mali", Some(1), strategy(&["Calm."]), "drop courts"),
    );
    commit(
        store,
        new_revision("mali", Some(2), strategy(&["Calm.", "Media."]), "add media"),
    );
    let mut revert = new_revision(
        "mali",
        Some(3),
        strategy(&["Calm.", "Courts."]),
        "back to 1",
    );
    revert.action = Action::Revert { to: 1 };
    commit(store, revert);
    let rev = |n| {
        store
            .revision(&slug("mali"), Some(n))
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("rev {n}"))
    };
    let (r1, r3, r4) = (rev(1), rev(3), rev(4));
    let courts = cairn_core::Node::Objective(number("1.2"));
    // "Courts." comes back with its old id; the id "Media." had is not handed out again.
    assert_eq!(r4.identity.get(&courts), r1.identity.get(&courts));
    assert_ne!(r4.identity.get(&courts), r3.identity.get(&courts));
    assert!(r4.identity.next_free() >= r3.identity.next_free());
}

pub fn mission_settings_change_with_a_version(store: &dyn Store) {
    commit(
        store,
        new_revision("mali", None, strategy(&["A."]), "first"),
    );
    let m = store
        .mission(&slug("mali"))
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("mission"));
    let change = |base, bureau: &str| MissionChange {
        slug: slug("mali"),
        base_version: base,
        country: None,
        bureau: Some(bureau.into()),
        actor: "carol".into(),
    };
    let m2 = store
        .set_mission(change(Some(m.version), "EUR"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (m2.bureau.as_deref(), m2.country.as_deref(), m2.version),
        (Some("EUR"), Some("Testland"), m.version + 1)
    );
    assert!(matches!(
        store.set_mission(change(Some(m.version), "NEA")),
        Err(StoreError::StaleSettings { .. })
    ));
    let log = store.audit_log().unwrap_or_default();
    let last = log.last().unwrap_or_else(|| panic!("no audit entry"));
    assert_eq!(
        (
            last.actor.as_str(),
            last.action.as_str(),
            last.object.as_str()
        ),
        ("carol", "mission.set", "mission/mali")
    );
    assert!(matches!(
        store.set_mission(MissionChange {
            slug: slug("nowhere"),
            ..change(None, "AF")
        }),
        Err(StoreError::UnknownMission(_))
    ));
}

pub fn every_write_is_audited_and_the_chain_verifies(store: &dyn Store) {
    commit(
        store,
        new_revision("mali", None, strategy(&["A."]), "first"),
    );
    commit(
        store,
        new_revision("mali", Some(1), strategy(&["B."]), "second"),
    );
    let mut revert = new_revision("mali", Some(2), strategy(&["A."]), "revert to 1");
    revert.action = Action::Revert { to: 1 };
    revert.actor = "bob".into();
    assert_eq!(commit(store, revert), Commit::Created { rev: 3 });
    let log = store.audit_log().unwrap_or_default();
    let rows: Vec<(u64, &str, &str, &str)> = log
        .iter()
        .map(|e| {
            (
                e.seq,
                e.actor.as_str(),
                e.action.as_str(),
                e.object.as_str(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (1, "alice", "import", "mission/mali/rev/1"),
            (2, "alice", "import", "mission/mali/rev/2"),
            (3, "bob", "revert", "mission/mali/rev/3"),
        ]
    );
    // Before and after digests chain the revisions.
    assert_eq!(log[1].before, log[0].after);
    assert_eq!(
        log[2].after, log[0].after,
        "a revert restores the same content"
    );
    match crate::verify(store) {
        Ok(Verification::Intact { entries, head }) => {
            assert_eq!(entries, 3);
            assert_eq!(head.as_deref(), Some(log[2].hash.as_str()));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        store.integrity().unwrap_or_else(|e| panic!("{e}")),
        Vec::<String>::new()
    );
}

/// Writers racing from the same base: exactly one wins, the rest are refused, nothing is lost.
pub fn concurrent_writers_lose_nothing(make: &dyn Fn() -> Box<dyn Store>) {
    let first = make();
    commit(
        &*first,
        new_revision("mali", None, strategy(&["A."]), "first"),
    );
    let writers = 4;
    let barrier = Arc::new(Barrier::new(writers));
    let outcomes: Vec<Result<Commit, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..writers)
            .map(|i| {
                let barrier = Arc::clone(&barrier);
                let store = make();
                scope.spawn(move || {
                    barrier.wait();
                    store
                        .commit(new_revision(
                            "mali",
                            Some(1),
                            strategy(&[&format!("Writer {i}.")]),
                            &format!("w{i}"),
                        ))
                        .map_err(|e| e.to_string())
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err("panicked".into())))
            .collect()
    });
    let won = outcomes
        .iter()
        .filter(|o| matches!(o, Ok(Commit::Created { rev: 2 })))
        .count();
    assert_eq!(won, 1, "{outcomes:?}");
    for o in &outcomes {
        if let Err(e) = o {
            assert!(e.contains("changed since revision 1"), "{e}");
        }
    }
    // Each loser retries from the latest revision: every write lands.
    for i in 0..writers - 1 {
        let latest = first
            .mission(&slug("mali"))
            .ok()
            .flatten()
            .map(|m| m.latest_rev);
        commit(
            &*first,
            new_revision("mali", latest, strategy(&[&format!("Retry {i}.")]), "retry"),
        );
    }
    assert_eq!(
        first.history(&slug("mali")).unwrap_or_default().len(),
        1 + writers
    );
    assert!(matches!(
        crate::verify(&*first),
        Ok(Verification::Intact { .. })
    ));
}

/// The writer half of the crash test, run in a child process: commits revisions of mission
/// `mali` forever, printing each revision's number once its commit has returned.
pub fn write_forever(store: &dyn Store) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    for i in 0.. {
        let latest = store
            .mission(&slug("mali"))
            .ok()
            .flatten()
            .map(|m| m.latest_rev);
        let new = new_revision(
            "mali",
            latest,
            strategy(&[&format!("Write {i}.")]),
            "crash test",
        );
        if let Ok(Commit::Created { rev }) = store.commit(new) {
            let _ = writeln!(out, "{rev}");
            let _ = out.flush();
        }
    }
}

/// The killer half: starts `spawn()` (a child running [`write_forever`] with its stdout piped)
/// `rounds` times and SIGKILLs it after 0 to 4 acknowledged writes, so that the kill lands at a
/// varied point of the next one. After each kill, every acknowledged revision must be there and
/// the database whole; at the end the audit chain must verify.
pub fn kill_writers(
    rounds: u32,
    spawn: &dyn Fn() -> std::process::Child,
    open: &dyn Fn() -> Box<dyn Store>,
) {
    use std::io::{BufRead, BufReader};
    let mut acknowledged = 0u32;
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    for round in 0..rounds {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let after = seed % 5;
        let mut child = spawn();
        let stdout = child
            .stdout
            .take()
            .unwrap_or_else(|| panic!("the writer's stdout is not piped"));
        let mut lines = BufReader::new(stdout).lines();
        let mut seen = 0;
        while seen < after {
            match lines.next() {
                Some(Ok(l)) => {
                    if let Ok(rev) = l.trim().parse::<u32>() {
                        acknowledged = acknowledged.max(rev);
                        seen += 1;
                    }
                }
                _ => break,
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        let store = open();
        let latest = store
            .mission(&slug("mali"))
            .ok()
            .flatten()
            .map_or(0, |m| m.latest_rev);
        assert!(
            latest >= acknowledged,
            "round {round}: revision {acknowledged} was acknowledged, {latest} survived"
        );
        assert_eq!(
            store.integrity().unwrap_or_else(|e| panic!("{e}")),
            Vec::<String>::new(),
            "round {round}"
        );
    }
    let store = open();
    assert!(matches!(
        crate::verify(&*store),
        Ok(Verification::Intact { .. })
    ));
    assert!(store.history(&slug("mali")).unwrap_or_default().len() as u32 >= acknowledged);
    assert!(
        acknowledged >= rounds,
        "too few writes acknowledged to prove anything: {acknowledged}"
    );
}

/// Instantiates every conformance test for a backend. `$database` is a closure giving, for each
/// test, `Some(open)` where `open()` returns a store over one fresh, migrated database (every
/// call the same database), or `None` when the backend is not available here (the test then
/// passes having printed why).
#[macro_export]
macro_rules! conformance_suite {
    ($database:expr) => {
        fn __conformance_database() -> Option<impl Fn() -> Box<dyn $crate::Store>> {
            ($database)()
        }
        #[test]
        fn first_import_creates_the_mission_at_revision_1() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::first_import_creates_the_mission_at_revision_1(&*open());
        }
        #[test]
        fn revisions_are_numbered_per_mission() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::revisions_are_numbered_per_mission(&*open());
        }
        #[test]
        fn identical_content_is_no_change() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::identical_content_is_no_change(&*open());
        }
        #[test]
        fn a_stale_write_is_refused_and_says_who_wrote_since() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::a_stale_write_is_refused_and_says_who_wrote_since(&*open());
        }
        #[test]
        fn unknown_missions_and_revisions() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::unknown_missions_and_revisions(&*open());
        }
        #[test]
        fn identity_follows_renumbered_elements() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::identity_follows_renumbered_elements(&*open());
        }
        #[test]
        fn a_revert_brings_back_the_restored_revisions_ids() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::a_revert_brings_back_the_restored_revisions_ids(&*open());
        }
        #[test]
        fn mission_settings_change_with_a_version() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::mission_settings_change_with_a_version(&*open());
        }
        #[test]
        fn every_write_is_audited_and_the_chain_verifies() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::every_write_is_audited_and_the_chain_verifies(&*open());
        }
        #[test]
        fn concurrent_writers_lose_nothing() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::concurrent_writers_lose_nothing(&open);
        }
    };
}
