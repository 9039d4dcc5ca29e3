//! The behaviour every backend must show, as functions over a fresh, migrated store. A backend's
//! tests instantiate them all with [`conformance_suite!`](crate::conformance_suite).

use std::sync::{Arc, Barrier};

use cairn_core::indicator::{Frequency, IndicatorType, IndicatorUnit, Marking, Measure};
use cairn_core::{
    Direction, ElementId, Goal, Indicator, IndicatorCode, ManagementObjective, Milestone,
    MilestoneStatus, Number, Objective, Observation, ObservationKind, Period, Role, Strategy,
    StrategyKind,
};
use chrono::{DateTime, Utc};

use crate::{
    Action, Commit, MissionChange, NewRevision, NewSession, NewUser, ObservationChange, PutSummary,
    SearchQuery, SearchResults, Slug, Store, StoreError, StoredObservation, User, UserChange,
    UserUpdate, Username, Verification,
};

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

// Accounts and sessions.

fn name(s: &str) -> Username {
    Username::parse(s).unwrap_or_else(|e| panic!("{e}"))
}

fn hash_of(who: &str) -> String {
    format!("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ${who}")
}

fn new_user(who: &str, role: Role) -> NewUser {
    NewUser {
        username: name(who),
        role,
        password_hash: hash_of(who),
        must_change_password: false,
        actor: "root".into(),
    }
}

fn add_user(store: &dyn Store, who: &str, role: Role) -> User {
    store
        .add_user(new_user(who, role))
        .unwrap_or_else(|e| panic!("add {who}: {e}"))
}

fn change(who: &str, base: Option<u32>, update: UserUpdate) -> UserChange {
    UserChange {
        username: name(who),
        base_version: base,
        update,
        actor: "root".into(),
    }
}

fn change_user(store: &dyn Store, c: UserChange) -> User {
    store
        .change_user(c)
        .unwrap_or_else(|e| panic!("change: {e}"))
}

/// Whole seconds, so that the stored microsecond form reads back equal.
fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000 + seconds, 0).unwrap_or_default()
}

fn start(store: &dyn Store, token: &str, who: &str, when: i64) {
    store
        .start_session(NewSession {
            token_hash: token.into(),
            username: name(who),
            at: at(when),
        })
        .unwrap_or_else(|e| panic!("start {token}: {e}"));
}

fn session_user(store: &dyn Store, token: &str) -> Option<User> {
    store
        .session(token)
        .unwrap_or_else(|e| panic!("session {token}: {e}"))
        .map(|(_, u)| u)
}

fn audit_rows(store: &dyn Store) -> Vec<(String, String, String)> {
    store
        .audit_log()
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|e| (e.actor, e.action, e.object))
        .collect()
}

pub fn users_are_added_listed_and_read_back(store: &dyn Store) {
    assert_eq!(store.users().unwrap_or_else(|e| panic!("{e}")), []);
    let bob = add_user(store, "bob", Role::Editor);
    assert_eq!(
        (
            bob.username.as_str(),
            bob.role,
            bob.disabled,
            bob.must_change_password,
            bob.version
        ),
        ("bob", Role::Editor, false, false, 1)
    );
    let ana = store
        .add_user(NewUser {
            must_change_password: true,
            ..new_user("ana", Role::Admin)
        })
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(ana.must_change_password);
    let users = store.users().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(users, [ana.clone(), bob.clone()], "ordered by name");
    let c = store
        .credentials(&name("ana"))
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no credentials for ana"));
    assert_eq!((c.user, c.password_hash), (ana, hash_of("ana")));
    assert_eq!(store.credentials(&name("zed")).ok(), Some(None));
}

pub fn a_duplicate_user_is_refused_and_nothing_is_written(store: &dyn Store) {
    let ana = add_user(store, "ana", Role::Editor);
    let before = store.audit_log().unwrap_or_default();
    let again = NewUser {
        password_hash: hash_of("someone else"),
        ..new_user("ana", Role::Admin)
    };
    match store.add_user(again) {
        Err(e @ StoreError::Exists(_)) => {
            assert!(e.is_input_fault());
            assert!(e.to_string().contains("user ana already exists"), "{e}");
        }
        other => panic!("expected Exists, got {other:?}"),
    }
    // A password hash must be something.
    for bad in ["", "  ", "line\nbreak"] {
        assert!(
            matches!(
                store.add_user(NewUser {
                    password_hash: bad.into(),
                    ..new_user("carl", Role::Viewer)
                }),
                Err(StoreError::Invalid(_))
            ),
            "{bad:?}"
        );
    }
    assert_eq!(store.audit_log().unwrap_or_default(), before);
    assert_eq!(store.users().unwrap_or_default(), [ana]);
    assert_eq!(
        store
            .credentials(&name("ana"))
            .ok()
            .flatten()
            .map(|c| c.password_hash),
        Some(hash_of("ana"))
    );
}

pub fn user_changes_carry_versions_and_stale_ones_are_refused(store: &dyn Store) {
    add_user(store, "ana", Role::Viewer);
    let u = change_user(
        store,
        change("ana", Some(1), UserUpdate::Role(Role::Editor)),
    );
    assert_eq!((u.role, u.version), (Role::Editor, 2));
    match store.change_user(change("ana", Some(1), UserUpdate::Role(Role::Admin))) {
        Err(e @ StoreError::StaleUser { .. }) => {
            assert!(e.is_input_fault());
            let msg = e.to_string();
            assert!(
                msg.contains("ana") && msg.contains("version 1") && msg.contains("version 2"),
                "{msg}"
            );
        }
        other => panic!("expected StaleUser, got {other:?}"),
    }
    let u = change_user(store, change("ana", Some(2), UserUpdate::Disabled(true)));
    assert_eq!((u.disabled, u.version, u.role), (true, 3, Role::Editor));
    let u = change_user(store, change("ana", None, UserUpdate::Disabled(false)));
    assert_eq!((u.disabled, u.version), (false, 4));
    let u = change_user(
        store,
        change(
            "ana",
            Some(4),
            UserUpdate::Password {
                hash: hash_of("ana, again"),
                must_change: true,
            },
        ),
    );
    assert_eq!((u.must_change_password, u.version), (true, 5));
    let c = store.credentials(&name("ana")).ok().flatten();
    assert_eq!(
        c.map(|c| (c.user, c.password_hash)),
        Some((u.clone(), hash_of("ana, again")))
    );
    assert_eq!(store.users().unwrap_or_default(), [u]);
    match store.change_user(change("zed", None, UserUpdate::Disabled(true))) {
        Err(e @ StoreError::UnknownUser(_)) => assert_eq!(e.to_string(), "no user zed"),
        other => panic!("expected UnknownUser, got {other:?}"),
    }
    let log = store.audit_log().unwrap_or_default();
    let ana: Vec<_> = log.iter().filter(|e| e.object == "user/ana").collect();
    assert_eq!(
        ana.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        [
            "user.add",
            "user.role",
            "user.disable",
            "user.enable",
            "user.password"
        ]
    );
    for pair in ana.windows(2) {
        assert_eq!(pair[1].before, pair[0].after, "digests chain the versions");
        assert_ne!(pair[1].before, pair[1].after);
    }
}

pub fn disabling_or_a_new_password_ends_the_users_sessions(store: &dyn Store) {
    add_user(store, "ana", Role::Editor);
    add_user(store, "bob", Role::Editor);
    start(store, "t1", "ana", 0);
    start(store, "t2", "ana", 1);
    start(store, "t3", "bob", 2);
    // A new role keeps the sessions and shows at once.
    change_user(store, change("ana", None, UserUpdate::Role(Role::Approver)));
    assert_eq!(
        session_user(store, "t1").map(|u| u.role),
        Some(Role::Approver)
    );
    change_user(
        store,
        change(
            "ana",
            None,
            UserUpdate::Password {
                hash: hash_of("new"),
                must_change: false,
            },
        ),
    );
    assert_eq!(session_user(store, "t1"), None);
    assert_eq!(session_user(store, "t2"), None);
    assert!(session_user(store, "t3").is_some(), "bob's session stays");
    start(store, "t4", "ana", 3);
    assert!(session_user(store, "t4").is_some());
    change_user(store, change("ana", None, UserUpdate::Disabled(true)));
    assert_eq!(session_user(store, "t4"), None);
    // Deleted, not merely hidden: enabling ana again does not bring it back.
    change_user(store, change("ana", None, UserUpdate::Disabled(false)));
    assert_eq!(session_user(store, "t4"), None);
    assert!(!store.end_session("t4", "ana").unwrap_or(true));
    assert!(session_user(store, "t3").is_some());
}

pub fn sessions_start_touch_end_and_purge(store: &dyn Store) {
    let ana = add_user(store, "ana", Role::Viewer);
    start(store, "t1", "ana", 0);
    let (s, u) = store
        .session("t1")
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no session t1"));
    assert_eq!(
        (
            s.token_hash.as_str(),
            s.username.as_str(),
            s.created_at,
            s.last_seen
        ),
        ("t1", "ana", at(0), at(0))
    );
    assert_eq!(u, ana);
    let entries = store.audit_log().unwrap_or_default().len();
    store
        .touch_session("t1", at(60))
        .unwrap_or_else(|e| panic!("{e}"));
    let s = store.session("t1").ok().flatten().map(|(s, _)| s);
    assert_eq!(
        s.map(|s| (s.created_at, s.last_seen)),
        Some((at(0), at(60)))
    );
    store
        .touch_session("nope", at(60))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(session_user(store, "nope"), None);
    start(store, "t2", "ana", 10);
    start(store, "t3", "ana", 1000);
    // Idle since before 30: t2 (last seen at 10); t1 was seen at 60.
    assert_eq!(store.purge_sessions(at(30), at(0)).ok(), Some(1));
    assert_eq!(session_user(store, "t2"), None);
    assert!(session_user(store, "t1").is_some());
    // Created before 500: t1, however recently seen.
    assert_eq!(store.purge_sessions(at(0), at(500)).ok(), Some(1));
    assert_eq!(session_user(store, "t1"), None);
    assert!(session_user(store, "t3").is_some());
    assert_eq!(store.purge_sessions(at(0), at(0)).ok(), Some(0));
    // Touching and purging leave no entry; starting does.
    let log = store.audit_log().unwrap_or_default();
    assert_eq!(log.len(), entries + 2);
    assert_eq!(store.end_session("t3", "ana").ok(), Some(true));
    assert_eq!(store.end_session("t3", "ana").ok(), Some(false));
    assert_eq!(session_user(store, "t3"), None);
    assert_eq!(store.audit_log().unwrap_or_default().len(), entries + 3);
    assert!(matches!(
        store.start_session(NewSession {
            token_hash: "t9".into(),
            username: name("zed"),
            at: at(0),
        }),
        Err(StoreError::UnknownUser(_))
    ));
    assert_eq!(store.audit_log().unwrap_or_default().len(), entries + 3);
}

pub fn a_disabled_users_session_is_none(store: &dyn Store) {
    add_user(store, "ana", Role::Viewer);
    start(store, "t1", "ana", 0);
    assert!(session_user(store, "t1").is_some());
    change_user(store, change("ana", None, UserUpdate::Disabled(true)));
    assert_eq!(session_user(store, "t1"), None);
    let entries = store.audit_log().unwrap_or_default().len();
    assert!(
        store
            .start_session(NewSession {
                token_hash: "t2".into(),
                username: name("ana"),
                at: at(5),
            })
            .is_err(),
        "a disabled user cannot sign in"
    );
    assert_eq!(session_user(store, "t2"), None);
    assert_eq!(store.audit_log().unwrap_or_default().len(), entries);
    // The credentials stay readable: the caller tells a disabled account apart.
    assert_eq!(
        store
            .credentials(&name("ana"))
            .ok()
            .flatten()
            .map(|c| c.user.disabled),
        Some(true)
    );
}

pub fn account_writes_are_audited_and_the_chain_verifies(store: &dyn Store) {
    commit(
        store,
        new_revision("mali", None, strategy(&["A."]), "first"),
    );
    add_user(store, "ana", Role::Viewer);
    change_user(
        store,
        change("ana", Some(1), UserUpdate::Role(Role::Editor)),
    );
    start(store, "secret-token-hash", "ana", 0);
    store
        .touch_session("secret-token-hash", at(9))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        store.end_session("secret-token-hash", "ana").ok(),
        Some(true)
    );
    change_user(
        store,
        change(
            "ana",
            None,
            UserUpdate::Password {
                hash: hash_of("changed"),
                must_change: false,
            },
        ),
    );
    change_user(store, change("ana", None, UserUpdate::Disabled(true)));
    change_user(store, change("ana", None, UserUpdate::Disabled(false)));
    store
        .purge_sessions(at(100), at(100))
        .unwrap_or_else(|e| panic!("{e}"));
    let row = |actor: &str, action: &str, object: &str| {
        (actor.to_string(), action.to_string(), object.to_string())
    };
    assert_eq!(
        audit_rows(store),
        [
            row("alice", "import", "mission/mali/rev/1"),
            row("root", "user.add", "user/ana"),
            row("root", "user.role", "user/ana"),
            row("ana", "session.start", "user/ana"),
            row("ana", "session.end", "user/ana"),
            row("root", "user.password", "user/ana"),
            row("root", "user.disable", "user/ana"),
            row("root", "user.enable", "user/ana"),
        ]
    );
    let log = store.audit_log().unwrap_or_default();
    for e in &log {
        let text = format!("{e:?}");
        assert!(
            !text.contains("secret-token-hash") && !text.contains("argon2"),
            "a secret in the audit trail: {text}"
        );
    }
    match crate::verify(store) {
        Ok(Verification::Intact { entries, head }) => {
            assert_eq!(entries, 8);
            assert_eq!(head, log.last().map(|e| e.hash.clone()));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        store.integrity().unwrap_or_else(|e| panic!("{e}")),
        Vec::<String>::new()
    );
}

// Search.

/// A strategy with words to find: goal 1's objectives are the titles given, the priorities
/// the text given.
fn searchable(priorities: &str, objectives: &[&str]) -> Strategy {
    Strategy {
        priorities: vec![priorities.into()],
        ..strategy(objectives)
    }
}

fn search(store: &dyn Store, text: &str, public_only: bool) -> SearchResults {
    search_page(store, text, public_only, 100, 0)
}

/// How many blocks of every strategy match `text` (for the backends' own tests).
pub fn search_total(store: &dyn Store, text: &str) -> u64 {
    search_page(store, text, false, 10, 0).total
}

fn search_page(
    store: &dyn Store,
    text: &str,
    public_only: bool,
    limit: u32,
    offset: u32,
) -> SearchResults {
    store
        .search(&SearchQuery {
            text: text.into(),
            public_only,
            limit,
            offset,
        })
        .unwrap_or_else(|e| panic!("search {text:?}: {e}"))
}

/// Which blocks a search found, as `mission node field`, sorted.
fn found(r: &SearchResults) -> Vec<String> {
    let mut out: Vec<String> = r
        .hits
        .iter()
        .map(|h| format!("{} {} {}", h.mission, h.node, h.field))
        .collect();
    out.sort();
    out
}

pub fn search_finds_stemmed_words(store: &dyn Store) {
    commit(
        store,
        new_revision(
            "mali",
            None,
            searchable(
                "The election commission needs support before the vote.",
                &["Hold free and fair elections.", "Strengthen the courts."],
            ),
            "first",
        ),
    );
    let elections = search(store, "elections", false);
    assert_eq!(
        found(&elections),
        [
            "mali objective:1.1 justification",
            "mali objective:1.1 title",
            "mali priorities priorities",
        ]
    );
    assert_eq!(elections.total, 3);
    for q in ["Election", "ELECTED elections", "elect"] {
        assert_eq!(found(&search(store, q, false)), found(&elections), "{q}");
    }
    assert_eq!(
        found(&search(store, "strengthening court", false)),
        [
            "mali objective:1.2 justification",
            "mali objective:1.2 title"
        ]
    );
    // Every word must match, in one block.
    assert_eq!(
        found(&search(store, "fair courts", false)),
        Vec::<String>::new()
    );
    assert_eq!(
        found(&search(store, "fair elections", false)),
        [
            "mali objective:1.1 justification",
            "mali objective:1.1 title"
        ]
    );
    // Stop words alone, or nothing at all, find nothing.
    for q in ["", "   ", "the and of", "!!!"] {
        assert_eq!(search(store, q, false), SearchResults::empty(), "{q:?}");
    }
    let hit = elections
        .hits
        .iter()
        .find(|h| h.node == "objective:1.1" && h.field == "title")
        .unwrap_or_else(|| panic!("no title hit"));
    assert_eq!(
        (
            hit.mission.as_str(),
            hit.country.as_deref(),
            hit.rev,
            hit.heading.as_str()
        ),
        (
            "mali",
            Some("Testland"),
            1,
            "Objective 1.1: Hold free and fair elections."
        )
    );
    assert!(
        hit.snippet
            .iter()
            .any(|f| f.hit && f.text.to_lowercase() == "elections"),
        "{:?}",
        hit.snippet
    );
    assert!(
        hit.snippet
            .iter()
            .all(|f| !f.hit || f.text.to_lowercase().starts_with("elect")),
        "{:?}",
        hit.snippet
    );
    let whole: String = hit.snippet.iter().map(|f| f.text.as_str()).collect();
    assert!(whole.contains("Hold free and fair"), "{whole}");
    for h in &elections.hits {
        assert!(h.rank.is_finite());
    }
    // Best first.
    assert!(elections.hits.windows(2).all(|w| w[0].rank >= w[1].rank));
}

pub fn search_public_only_leaves_out_other_strategies(store: &dyn Store) {
    commit(
        store,
        new_revision("mali", None, strategy(&["Fair elections."]), "public"),
    );
    let mut private = strategy(&["Fair elections.", "Border security."]);
    private.marking = Some("SENSITIVE BUT UNCLASSIFIED".into());
    commit(store, new_revision("niger", None, private, "sensitive"));
    let all = search(store, "elections", false);
    assert_eq!(
        found(&all),
        [
            "mali objective:1.1 justification",
            "mali objective:1.1 title",
            "niger objective:1.1 justification",
            "niger objective:1.1 title",
        ]
    );
    assert_eq!(all.total, 4);
    let public = search(store, "elections", true);
    assert_eq!(
        found(&public),
        [
            "mali objective:1.1 justification",
            "mali objective:1.1 title"
        ]
    );
    assert_eq!(public.total, 2);
    assert_eq!(search(store, "border", false).total, 2);
    assert_eq!(search(store, "border", true), SearchResults::empty());
}

pub fn search_takes_any_text_as_words(store: &dyn Store) {
    let mut s = searchable(
        "Elections and courts.",
        &["Fair elections.", "Independent courts."],
    );
    // A document cannot forge a highlight: the markers are stripped from what is indexed.
    s.goals[0].objectives[1].justification =
        Some("Marked \u{E000}fake\u{E001} words about courts.".into());
    commit(store, new_revision("mali", None, s, "first"));
    let elections = search(store, "elections", false).total;
    assert!(elections > 0);
    for q in [
        "\"AND OR NEAR( * ^ -x:",
        "elections\"",
        "\"elections",
        "elect*",
        "title:elections",
        "text:courts",
        "{text heading}: courts",
        "NEAR(elections courts, 2)",
        "elections AND NOT courts",
        "'; DROP TABLE search; --",
        "a\0b",
        "\u{E000}elections\u{E001}",
        "ünïcödé ✓ 🙂 \u{345} ²",
        "* ^ : ( ) \" - + & | ! < > @ ~",
        &"elections ".repeat(100),
        &"x".repeat(10_000),
    ] {
        let r = store.search(&SearchQuery {
            text: q.into(),
            public_only: false,
            limit: 10,
            offset: 0,
        });
        assert!(r.is_ok(), "{q:?}: {r:?}");
    }
    assert_eq!(search(store, "NOT elections", false).total, elections);
    assert_eq!(search(store, "\"elections\"", false).total, elections);
    assert_eq!(search(store, "elections*", false).total, elections);
    let courts = search(store, "courts", false);
    for h in &courts.hits {
        for f in &h.snippet {
            assert!(
                !f.text.contains(['\u{E000}', '\u{E001}']),
                "{:?}",
                h.snippet
            );
            if f.hit {
                assert!(
                    f.text.to_lowercase().starts_with("court"),
                    "{:?}",
                    h.snippet
                );
            }
        }
    }
    assert_eq!(search(store, "fake", false).total, 1);
    assert_eq!(search(store, "markedfake", false).total, 0);
}

pub fn search_pages_through_every_match(store: &dyn Store) {
    for (i, m) in ["mali", "niger", "chad", "ghana", "benin"]
        .iter()
        .enumerate()
    {
        let title = format!("Elections number {i}.");
        commit(store, new_revision(m, None, strategy(&[&title]), "first"));
    }
    let all = search_page(store, "elections", false, 100, 0);
    assert_eq!((all.total, all.hits.len()), (10, 10));
    let mut paged = Vec::new();
    for offset in [0, 3, 6, 9] {
        let page = search_page(store, "elections", false, 3, offset);
        assert_eq!(page.total, 10);
        assert_eq!(page.hits.len(), if offset == 9 { 1 } else { 3 });
        paged.extend(page.hits);
    }
    assert_eq!(
        paged, all.hits,
        "pages follow one order, without gaps or repeats"
    );
    let past = search_page(store, "elections", false, 3, 10);
    assert_eq!((past.total, past.hits.len()), (10, 0));
    let none = search_page(store, "elections", false, 0, 0);
    assert_eq!((none.total, none.hits.len()), (10, 0));
    // Equal ranks fall back to the mission, then document order.
    let titles: Vec<String> = all
        .hits
        .iter()
        .filter(|h| h.field == "title")
        .map(|h| h.mission.to_string())
        .collect();
    let mut sorted = titles.clone();
    sorted.sort();
    if all
        .hits
        .iter()
        .filter(|h| h.field == "title")
        .all(|h| h.rank == all.hits[0].rank)
    {
        assert_eq!(titles, sorted);
    }
}

pub fn search_follows_the_latest_revision(store: &dyn Store) {
    commit(
        store,
        new_revision("mali", None, strategy(&["Fair elections."]), "first"),
    );
    commit(
        store,
        new_revision("niger", None, strategy(&["Fair elections."]), "first"),
    );
    assert_eq!(search(store, "elections", false).total, 4);
    assert_eq!(
        commit(
            store,
            new_revision("mali", Some(1), strategy(&["A referendum."]), "second")
        ),
        Commit::Created { rev: 2 }
    );
    assert_eq!(
        found(&search(store, "elections", false)),
        [
            "niger objective:1.1 justification",
            "niger objective:1.1 title"
        ]
    );
    let referendum = search(store, "referendums", false);
    assert_eq!(
        found(&referendum),
        [
            "mali objective:1.1 justification",
            "mali objective:1.1 title"
        ]
    );
    assert!(referendum.hits.iter().all(|h| h.rev == 2));
    // A commit that changes nothing leaves the index as it was.
    commit(
        store,
        new_revision("mali", Some(2), strategy(&["A referendum."]), "again"),
    );
    assert_eq!(search(store, "referendum", false), referendum);
    // A revert indexes the restored text.
    let mut revert = new_revision("mali", Some(2), strategy(&["Fair elections."]), "revert");
    revert.action = Action::Revert { to: 1 };
    commit(store, revert);
    assert_eq!(search(store, "elections", false).total, 4);
    assert_eq!(search(store, "referendum", false).total, 0);
    assert_eq!(
        store.integrity().unwrap_or_else(|e| panic!("{e}")),
        Vec::<String>::new()
    );
}

pub fn search_snippets_are_short_and_around_the_first_match(store: &dyn Store) {
    let filler = |n: usize, what: &str| -> String {
        (0..n)
            .map(|i| format!("Sentence {i} {what} about logistics and staffing."))
            .collect::<Vec<_>>()
            .join(" ")
    };
    // The first match is far into a long text, after words that share its stem's prefix.
    let long = format!(
        "{} Electricity and electrodes are not it. {} Citizens want free elections soon. {}",
        filler(40, "here"),
        filler(40, "there"),
        filler(60, "after")
    );
    let short = "Elections open the text.".to_string();
    let mut s = searchable(&long, &["Unrelated."]);
    s.goals[0].description = Some(short.clone());
    commit(store, new_revision("mali", None, s, "first"));
    let r = search(store, "elections", false);
    assert_eq!(
        found(&r),
        ["mali goal:1 description", "mali priorities priorities"]
    );
    for h in &r.hits {
        let whole: String = h.snippet.iter().map(|f| f.text.as_str()).collect();
        let original = if h.field == "priorities" {
            &long
        } else {
            &short
        };
        assert!(
            h.snippet
                .iter()
                .any(|f| f.hit && f.text.eq_ignore_ascii_case("elections")),
            "{:?}",
            h.snippet
        );
        assert!(
            whole.split_whitespace().count() <= 34,
            "too long a snippet: {whole}"
        );
        // Whole words of the text, with an ellipsis where it was cut.
        let inner = whole.trim_matches('…').trim();
        assert!(original.contains(inner), "{whole:?} is not in the text");
        assert_eq!(
            whole.starts_with('…'),
            !original.starts_with(inner),
            "{whole:?}"
        );
        assert_eq!(
            whole.ends_with('…'),
            !original.ends_with(inner),
            "{whole:?}"
        );
    }
}

/// A dump carries the accounts (not the sessions) and a load rebuilds the search index; a
/// format 1 dump, without accounts, still loads. `a` is used, `b` and `c` are empty.
pub fn dump_and_load_carry_users(a: &dyn Store, b: &dyn Store, c: &dyn Store) {
    commit(
        a,
        new_revision("mali", None, strategy(&["Fair elections."]), "first"),
    );
    add_user(a, "ana", Role::Admin);
    add_user(a, "bob", Role::Viewer);
    change_user(
        a,
        change(
            "bob",
            Some(1),
            UserUpdate::Password {
                hash: hash_of("bob2"),
                must_change: true,
            },
        ),
    );
    start(a, "t1", "ana", 0);
    let dump = a.dump().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(dump.format, crate::DUMP_FORMAT);
    assert_eq!(
        dump.users
            .iter()
            .map(|c| (c.user.username.as_str(), c.password_hash.clone()))
            .collect::<Vec<_>>(),
        [("ana", hash_of("ana")), ("bob", hash_of("bob2"))]
    );
    b.load(&dump).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(b.dump().ok(), Some(dump.clone()));
    assert_eq!(b.users().ok(), a.users().ok());
    assert_eq!(
        b.credentials(&name("bob")).ok(),
        a.credentials(&name("bob")).ok()
    );
    assert_eq!(session_user(b, "t1"), None, "sessions are not dumped");
    assert_eq!(
        found(&search(b, "elections", false)),
        found(&search(a, "elections", false))
    );
    assert_eq!(search(b, "elections", false).total, 2);
    assert!(matches!(crate::verify(b), Ok(Verification::Intact { .. })));
    assert_eq!(b.integrity().ok(), Some(Vec::new()));

    // A format 1 dump (before accounts) has no users field.
    let mut json = serde_json::to_value(&dump).unwrap_or_else(|e| panic!("{e}"));
    if let Some(o) = json.as_object_mut() {
        o.remove("users");
        o.insert("format".into(), 1.into());
    }
    let mut old: crate::Dump = serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"));
    assert!(old.users.is_empty());
    // Without the users, the account entries' accounts are missing: keep the mission's entry.
    old.audit.truncate(1);
    c.load(&old).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.users().ok(), Some(Vec::new()));
    assert_eq!(search(c, "elections", false).total, 2);
    assert!(matches!(
        crate::verify(c),
        Ok(Verification::Intact { entries: 1, .. })
    ));
}

// Indicators and observations.

/// The clock, to the microsecond as stored (this crate's chrono has no clock of its own).
fn now() -> DateTime<Utc> {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    DateTime::from_timestamp_micros(i64::try_from(since.as_micros()).unwrap_or(i64::MAX))
        .unwrap_or_default()
}

fn code(s: &str) -> IndicatorCode {
    s.parse().unwrap_or_else(|e| panic!("{e}"))
}

fn period(s: &str) -> Period {
    s.parse().unwrap_or_else(|e| panic!("{e}"))
}

/// An indicator of element `e<element>` with every optional field left empty.
pub fn indicator(code_: &str, element: u32, title: &str) -> Indicator {
    Indicator {
        code: code(code_),
        element: ElementId(element),
        title: title.into(),
        definition: None,
        unit: IndicatorUnit::People,
        direction: Direction::Increase,
        kind: IndicatorType::Output,
        measure: Measure::Quantitative,
        cumulative: false,
        frequency: Frequency::Quarterly,
        disaggregations: vec!["sex".into()],
        data_source: None,
        method: None,
        responsible_office: None,
        marking: Marking::Sbu,
    }
}

/// An observation of the total (no `cell`) or of one cell, without source or note.
pub fn observation(
    code_: &str,
    period_: &str,
    kind: ObservationKind,
    value: f64,
    cell: &[(&str, &str)],
) -> Observation {
    Observation {
        indicator: code(code_),
        period: period(period_),
        kind,
        value,
        cell: cell
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect(),
        source: None,
        note: None,
    }
}

/// Indicators EG.3.2-27 and PS.6.2-1 for `mali` (which must exist), a target and an actual,
/// and one correction so that the history has rows: what the backends' own monitoring tests
/// start from.
pub fn put_some_monitoring(store: &dyn Store) {
    use cairn_core::ObservationKind::{Actual, Target};
    let mali = Slug::parse("mali").unwrap_or_else(|e| panic!("{e}"));
    store
        .put_indicators(
            &mali,
            &[
                indicator("EG.3.2-27", 1, "People trained"),
                indicator("PS.6.2-1", 1, "Cases heard"),
            ],
            "alice",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let row = |kind, value| {
        (
            mali.clone(),
            observation("EG.3.2-27", "FY2023", kind, value, &[]),
        )
    };
    store
        .put_observations(&[row(Target, 10.0), row(Actual, 8.0)], "alice", "import")
        .unwrap_or_else(|e| panic!("{e}"));
    store
        .put_observations(&[row(Actual, 9.0)], "bob", "recount")
        .unwrap_or_else(|e| panic!("{e}"));
}

/// A mission (created by an import) with indicators of the given codes.
fn mission_with_indicators(store: &dyn Store, mission: &str, codes: &[&str]) {
    commit(
        store,
        new_revision(mission, None, strategy(&["Calm."]), "first"),
    );
    let list: Vec<Indicator> = codes
        .iter()
        .map(|c| indicator(c, 3, &format!("Indicator {c}")))
        .collect();
    store
        .put_indicators(&slug(mission), &list, "alice")
        .unwrap_or_else(|e| panic!("{e}"));
}

fn put(store: &dyn Store, rows: &[(&str, Observation)], actor: &str, reason: &str) -> PutSummary {
    try_put(store, rows, actor, reason).unwrap_or_else(|e| panic!("put: {e}"))
}

fn try_put(
    store: &dyn Store,
    rows: &[(&str, Observation)],
    actor: &str,
    reason: &str,
) -> Result<PutSummary, StoreError> {
    let rows: Vec<(Slug, Observation)> = rows.iter().map(|(m, o)| (slug(m), o.clone())).collect();
    store.put_observations(&rows, actor, reason)
}

fn summary(added: usize, updated: usize, unchanged: usize) -> PutSummary {
    PutSummary {
        added,
        updated,
        unchanged,
    }
}

fn observations(store: &dyn Store, mission: &str) -> Vec<StoredObservation> {
    store
        .observations(&slug(mission))
        .unwrap_or_else(|e| panic!("observations of {mission}: {e}"))
}

fn history(store: &dyn Store, mission: &str, code_: &str) -> Vec<ObservationChange> {
    store
        .observation_history(&slug(mission), &code(code_))
        .unwrap_or_else(|e| panic!("history of {mission} {code_}: {e}"))
}

/// History entries as (period, kind, cell, value, previous, actor, reason).
type Change = (
    String,
    ObservationKind,
    String,
    f64,
    Option<f64>,
    String,
    String,
);

fn changes(h: &[ObservationChange]) -> Vec<Change> {
    h.iter()
        .map(|c| {
            (
                c.period.to_string(),
                c.kind,
                crate::monitoring::cell_text(&c.cell).into_owned(),
                c.value,
                c.previous,
                c.actor.clone(),
                c.reason.clone(),
            )
        })
        .collect()
}

fn value_set(
    period_: &str,
    kind: ObservationKind,
    value: f64,
    previous: Option<f64>,
    actor: &str,
    reason: &str,
) -> Change {
    (
        period_.into(),
        kind,
        "{}".into(),
        value,
        previous,
        actor.into(),
        reason.into(),
    )
}

fn values(rows: &[StoredObservation]) -> Vec<(String, String, ObservationKind, f64)> {
    rows.iter()
        .map(|s| {
            let o = &s.observation;
            (
                o.indicator.to_string(),
                o.period.to_string(),
                o.kind,
                o.value,
            )
        })
        .collect()
}

pub fn indicators_are_upserted_by_code_and_audited(store: &dyn Store) {
    commit(
        store,
        new_revision("mali", None, strategy(&["Calm."]), "first"),
    );
    let mali = slug("mali");
    let a = indicator("EG.3.2-27", 3, "People trained");
    let b = indicator("DR.1-1", 2, "Elections observed");
    let s = store
        .put_indicators(&mali, &[a.clone(), b.clone()], "alice")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s, summary(2, 0, 0));
    assert_eq!(
        store.indicators(&mali).unwrap_or_else(|e| panic!("{e}")),
        [b.clone(), a.clone()],
        "by code"
    );
    // Again: one unchanged, one changed, one new.
    let b2 = Indicator {
        title: "Elections observed by citizens".into(),
        definition: Some("Counted once per election.".into()),
        marking: Marking::Public,
        disaggregations: vec!["sex".into(), "age band".into()],
        ..b.clone()
    };
    let c = indicator("MALI-1.1-a", 5, "Local budgets published");
    let s = store
        .put_indicators(&mali, &[a.clone(), b2.clone(), c.clone()], "bob")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s, summary(1, 1, 1));
    assert_eq!(
        store.indicators(&mali).unwrap_or_else(|e| panic!("{e}")),
        [b2.clone(), a.clone(), c.clone()]
    );
    let log = store.audit_log().unwrap_or_default();
    let rows: Vec<(&str, &str, &str)> = log
        .iter()
        .skip(1)
        .map(|e| (e.actor.as_str(), e.action.as_str(), e.object.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            ("alice", "indicator.add", "mission/mali/indicator/EG.3.2-27"),
            ("alice", "indicator.add", "mission/mali/indicator/DR.1-1"),
            ("bob", "indicator.update", "mission/mali/indicator/DR.1-1"),
            ("bob", "indicator.add", "mission/mali/indicator/MALI-1.1-a"),
        ]
    );
    let digest = |i: &Indicator| Some(crate::plan::indicator_digest(i));
    assert_eq!(
        (log[1].before.clone(), log[1].after.clone()),
        (None, digest(&a))
    );
    assert_eq!(
        (log[3].before.clone(), log[3].after.clone()),
        (digest(&b), digest(&b2))
    );
    assert_eq!(log[4].after, digest(&c));
    // Unchanged, all of them: nothing is written.
    let s = store
        .put_indicators(&mali, &[c, a.clone()], "carol")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s, summary(0, 0, 2));
    assert_eq!(store.audit_log().unwrap_or_default(), log);
    // An unknown mission is refused, and nothing is written.
    match store.put_indicators(&slug("nowhere"), &[a], "alice") {
        Err(StoreError::UnknownMission(m)) => assert_eq!(m.as_str(), "nowhere"),
        other => panic!("expected UnknownMission, got {other:?}"),
    }
    assert_eq!(store.indicators(&slug("nowhere")).ok(), Some(Vec::new()));
    assert_eq!(store.audit_log().unwrap_or_default(), log);
    assert!(matches!(
        crate::verify(store),
        Ok(Verification::Intact { entries: 5, .. })
    ));
    assert_eq!(store.integrity().ok(), Some(Vec::new()));
}

pub fn observations_read_back_exactly(store: &dyn Store) {
    use ObservationKind::*;
    mission_with_indicators(store, "mali", &["EG.3.2-27", "PS.6.2-1"]);
    mission_with_indicators(store, "niger", &["EG.3.2-27"]);
    let mut noted = observation(
        "PS.6.2-1",
        "FY2024",
        Target,
        0.1 + 0.2,
        &[("region", "Gao \"north\""), ("sex", "female")],
    );
    noted.source = Some("Survey, round 2".into());
    noted.note = Some("Line one.\nLine two: ünïcödé.".into());
    let rows = vec![
        observation("EG.3.2-27", "FY2023", Target, 100.0, &[]),
        observation("EG.3.2-27", "FY2023Q1", Actual, 12.5, &[]),
        observation("EG.3.2-27", "2022-11", Actual, -3.25, &[("sex", "female")]),
        observation(
            "EG.3.2-27",
            "2023",
            Baseline,
            0.1,
            &[("age band", "15-29"), ("sex", "male")],
        ),
        observation("PS.6.2-1", "FY2022Q4", Actual, 1e-9, &[]),
        noted,
        observation("PS.6.2-1", "FY2024", Target, -1_234_567.875, &[]),
        observation("PS.6.2-1", "FY1001", Baseline, 2.5e300, &[]),
        observation("PS.6.2-1", "9999-09", Actual, 5e-324, &[]),
        observation("PS.6.2-1", "9998", Actual, -0.0, &[]),
    ];
    let before = now();
    let mut batch: Vec<(&str, Observation)> = rows.iter().map(|o| ("mali", o.clone())).collect();
    batch.push((
        "niger",
        observation("EG.3.2-27", "FY2023", Target, 7.0, &[]),
    ));
    assert_eq!(
        put(store, &batch, "alice", "first import"),
        summary(11, 0, 0)
    );
    let after = now();
    let stored = observations(store, "mali");
    let mut expected: Vec<StoredObservation> = rows
        .iter()
        .map(|o| StoredObservation {
            mission: slug("mali"),
            observation: o.clone(),
            at: stored.first().map_or(before, |s| s.at),
            actor: "alice".into(),
        })
        .collect();
    crate::monitoring::sort_observations(&mut expected);
    assert_eq!(stored, expected);
    // Every bit of every value, and negative zero stored as zero.
    for (s, o) in stored.iter().zip(&expected) {
        assert_eq!(
            s.observation.value.to_bits(),
            (o.observation.value + 0.0).to_bits(),
            "{:?}",
            o.observation
        );
    }
    let at = stored.first().map(|s| s.at);
    assert!(at.is_some_and(|at| at >= before && at <= after), "{at:?}");
    assert_eq!(
        values(&observations(store, "niger")),
        [("EG.3.2-27".into(), "FY2023".into(), Target, 7.0)]
    );
    assert_eq!(observations(store, "nowhere"), []);
    assert_eq!(store.integrity().ok(), Some(Vec::new()));
}

pub fn observations_are_ordered_chronologically(store: &dyn Store) {
    use ObservationKind::*;
    mission_with_indicators(store, "mali", &["ZZ-1", "AA-1"]);
    let rows: Vec<(&str, Observation)> = [
        observation("ZZ-1", "FY2020", Baseline, 1.0, &[]),
        observation("AA-1", "FY2023", Target, 2.0, &[]),
        observation("AA-1", "FY2023Q1", Actual, 3.0, &[("sex", "female")]),
        observation("AA-1", "FY2023Q1", Actual, 4.0, &[]),
        observation("AA-1", "FY2022Q4", Actual, 5.0, &[]),
        observation("AA-1", "2022-10", Actual, 6.0, &[]),
        observation("AA-1", "FY2023Q1", Baseline, 7.0, &[]),
        observation("AA-1", "2022", Actual, 8.0, &[]),
        observation("AA-1", "FY2023Q1", Target, 9.0, &[]),
        observation("AA-1", "FY2023Q2", Actual, 10.0, &[]),
        observation("AA-1", "FY2022", Actual, 11.0, &[]),
    ]
    .into_iter()
    .map(|o| ("mali", o))
    .collect();
    put(store, &rows, "alice", "import");
    let listed: Vec<(String, String, ObservationKind, f64)> = values(&observations(store, "mali"));
    let expect = |c: &str, p: &str, k, v| (c.to_string(), p.to_string(), k, v);
    assert_eq!(
        listed,
        [
            // FY2022 starts 2021-10-01; calendar 2022 on 2022-01-01; FY2022Q4 on 2022-07-01.
            expect("AA-1", "FY2022", Actual, 11.0),
            expect("AA-1", "2022", Actual, 8.0),
            expect("AA-1", "FY2022Q4", Actual, 5.0),
            // October 2022, then the quarter and the year that begin with it.
            expect("AA-1", "2022-10", Actual, 6.0),
            expect("AA-1", "FY2023Q1", Baseline, 7.0),
            expect("AA-1", "FY2023Q1", Target, 9.0),
            expect("AA-1", "FY2023Q1", Actual, 4.0),
            expect("AA-1", "FY2023Q1", Actual, 3.0),
            expect("AA-1", "FY2023", Target, 2.0),
            expect("AA-1", "FY2023Q2", Actual, 10.0),
            expect("ZZ-1", "FY2020", Baseline, 1.0),
        ]
    );
    let cells: Vec<bool> = observations(store, "mali")
        .iter()
        .filter(|s| s.observation.period == period("FY2023Q1") && s.observation.kind == Actual)
        .map(|s| s.observation.is_total())
        .collect();
    assert_eq!(cells, [true, false], "the total before its cells");
}

pub fn a_correction_keeps_the_previous_value_in_history(store: &dyn Store) {
    use ObservationKind::*;
    mission_with_indicators(store, "mali", &["EG.3.2-27", "PS.6.2-1"]);
    let entries = store.audit_log().unwrap_or_default().len();
    let a = |p: &str, v: f64| ("mali", observation("EG.3.2-27", p, Actual, v, &[]));
    assert_eq!(
        put(
            store,
            &[a("FY2023", 10.0), a("FY2023Q1", 4.0)],
            "alice",
            "first import"
        ),
        summary(2, 0, 0)
    );
    let mut recount = a("FY2023", 12.0);
    recount.1.note = Some("recounted".into());
    assert_eq!(
        put(
            store,
            &[recount, a("FY2023Q1", 4.0)],
            "bob",
            "recount in Gao"
        ),
        summary(0, 1, 1)
    );
    let current = observations(store, "mali");
    let fy = current
        .iter()
        .find(|s| s.observation.period == period("FY2023"))
        .unwrap_or_else(|| panic!("FY2023 is missing"));
    assert_eq!(
        (
            fy.observation.value,
            fy.observation.note.as_deref(),
            fy.actor.as_str()
        ),
        (12.0, Some("recounted"), "bob")
    );
    let q1 = current
        .iter()
        .find(|s| s.observation.period == period("FY2023Q1"))
        .unwrap_or_else(|| panic!("FY2023Q1 is missing"));
    assert_eq!(q1.actor, "alice", "an unchanged value keeps who set it");
    // Back to the first value: a correction too.
    put(
        store,
        &[a("FY2023", 10.0)],
        "carol",
        "the recount was wrong",
    );
    let h = history(store, "mali", "EG.3.2-27");
    assert_eq!(
        changes(&h),
        [
            // One batch's settings in observation order: FY2023Q1 before FY2023.
            value_set("FY2023Q1", Actual, 4.0, None, "alice", "first import"),
            value_set("FY2023", Actual, 10.0, None, "alice", "first import"),
            value_set("FY2023", Actual, 12.0, Some(10.0), "bob", "recount in Gao"),
            value_set(
                "FY2023",
                Actual,
                10.0,
                Some(12.0),
                "carol",
                "the recount was wrong"
            ),
        ]
    );
    assert!(h.windows(2).all(|w| w[0].at <= w[1].at), "oldest first");
    assert!(h.iter().all(|c| c.mission.as_str() == "mali"));
    assert_eq!(
        h.last().map(|c| c.at),
        observations(store, "mali")
            .iter()
            .find(|s| s.observation.period == period("FY2023"))
            .map(|s| s.at)
    );
    assert_eq!(history(store, "mali", "PS.6.2-1"), []);
    assert_eq!(history(store, "mali", "NO-SUCH-1"), []);
    assert_eq!(history(store, "nowhere", "EG.3.2-27"), []);
    // One data.put entry per batch.
    let log = store.audit_log().unwrap_or_default();
    let puts: Vec<(&str, &str, &str, bool, bool)> = log[entries..]
        .iter()
        .map(|e| {
            (
                e.actor.as_str(),
                e.action.as_str(),
                e.object.as_str(),
                e.before.is_none(),
                e.after.is_some(),
            )
        })
        .collect();
    assert_eq!(
        puts,
        [
            ("alice", "data.put", "mission/mali/data", true, true),
            ("bob", "data.put", "mission/mali/data", true, true),
            ("carol", "data.put", "mission/mali/data", true, true),
        ]
    );
    assert!(matches!(
        crate::verify(store),
        Ok(Verification::Intact { .. })
    ));
}

pub fn unchanged_values_write_no_history(store: &dyn Store) {
    use ObservationKind::*;
    mission_with_indicators(store, "mali", &["EG.3.2-27"]);
    let rows: Vec<(&str, Observation)> = (1..=4)
        .map(|q| {
            let mut o = observation(
                "EG.3.2-27",
                &format!("FY2023Q{q}"),
                Target,
                0.25 * f64::from(q),
                &[],
            );
            o.source = Some("plan".into());
            ("mali", o)
        })
        .chain([("mali", observation("EG.3.2-27", "FY2023", Actual, 0.0, &[]))])
        .collect();
    assert_eq!(put(store, &rows, "alice", "import"), summary(5, 0, 0));
    let (current, h, log) = (
        observations(store, "mali"),
        history(store, "mali", "EG.3.2-27"),
        store.audit_log().unwrap_or_default(),
    );
    assert_eq!(h.len(), 5);
    // The same values (another source, negative zero for zero) from someone else: nothing.
    let again: Vec<(&str, Observation)> = rows
        .iter()
        .map(|(m, o)| {
            let mut o = o.clone();
            o.source = Some("someone else's copy".into());
            if o.value == 0.0 {
                o.value = -0.0;
            }
            (*m, o)
        })
        .collect();
    assert_eq!(put(store, &again, "bob", "again"), summary(0, 0, 5));
    assert_eq!(observations(store, "mali"), current);
    assert_eq!(history(store, "mali", "EG.3.2-27"), h);
    assert_eq!(
        store.audit_log().unwrap_or_default(),
        log,
        "no entry either"
    );
    // An empty batch is nothing too.
    assert_eq!(put(store, &[], "bob", "nothing"), summary(0, 0, 0));
    assert_eq!(store.audit_log().unwrap_or_default(), log);
}

pub fn a_batch_with_a_fault_writes_nothing(store: &dyn Store) {
    use ObservationKind::*;
    mission_with_indicators(store, "mali", &["EG.3.2-27"]);
    mission_with_indicators(store, "niger", &["NE-1"]);
    let ok = |p: &str, v: f64| ("mali", observation("EG.3.2-27", p, Actual, v, &[]));
    put(store, &[ok("FY2023", 1.0)], "alice", "first");
    let (current, h, log) = (
        observations(store, "mali"),
        history(store, "mali", "EG.3.2-27"),
        store.audit_log().unwrap_or_default(),
    );
    let unchanged = |what: &str| {
        assert_eq!(observations(store, "mali"), current, "{what}");
        assert_eq!(observations(store, "niger"), [], "{what}");
        assert_eq!(history(store, "mali", "EG.3.2-27"), h, "{what}");
        assert_eq!(store.audit_log().unwrap_or_default(), log, "{what}");
    };
    // A correction, a new row, then a row for an indicator the mission does not have.
    let batch = [
        ok("FY2023", 2.0),
        ok("FY2024", 5.0),
        ("niger", observation("NE-1", "FY2024", Target, 1.0, &[])),
        ("mali", observation("NOPE-1", "FY2024", Target, 3.0, &[])),
        ok("FY2025", 6.0),
    ];
    match try_put(store, &batch, "bob", "import") {
        Err(e @ StoreError::UnknownIndicator { .. }) => {
            assert!(e.is_input_fault());
            let msg = e.to_string();
            assert!(msg.contains("mali") && msg.contains("NOPE-1"), "{msg}");
            if let StoreError::UnknownIndicator { mission, code } = e {
                assert_eq!((mission.as_str(), code.as_str()), ("mali", "NOPE-1"));
            }
        }
        other => panic!("expected UnknownIndicator, got {other:?}"),
    }
    unchanged("unknown indicator");
    // Another mission's indicator is not this mission's.
    let batch = [
        ok("FY2024", 5.0),
        ("mali", observation("NE-1", "FY2024", Target, 1.0, &[])),
    ];
    assert!(matches!(
        try_put(store, &batch, "bob", "import"),
        Err(StoreError::UnknownIndicator { code, .. }) if code.as_str() == "NE-1"
    ));
    unchanged("another mission's indicator");
    // A mission that does not exist.
    let batch = [
        ok("FY2024", 5.0),
        (
            "nowhere",
            observation("EG.3.2-27", "FY2024", Target, 1.0, &[]),
        ),
    ];
    assert!(matches!(
        try_put(store, &batch, "bob", "import"),
        Err(StoreError::UnknownMission(m)) if m.as_str() == "nowhere"
    ));
    unchanged("unknown mission");
    // Values that are not numbers.
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let batch = [ok("FY2024", 5.0), ok("FY2025", bad)];
        match try_put(store, &batch, "bob", "import") {
            Err(e @ StoreError::Invalid(_)) => {
                assert!(e.to_string().contains("row 2"), "{e}");
            }
            other => panic!("expected Invalid for {bad}, got {other:?}"),
        }
        unchanged("not a number");
    }
    // Text a backend cannot store.
    let mut nul = ok("FY2024", 5.0);
    nul.1.note = Some("a\0b".into());
    assert!(matches!(
        try_put(store, &[nul], "bob", "import"),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        try_put(store, &[ok("FY2024", 5.0)], "bob", "re\0ason"),
        Err(StoreError::Invalid(_))
    ));
    unchanged("NUL");
}

pub fn batches_are_audited_once_per_mission_and_taken_in_order(store: &dyn Store) {
    use ObservationKind::*;
    mission_with_indicators(store, "mali", &["EG.3.2-27"]);
    mission_with_indicators(store, "niger", &["EG.3.2-27"]);
    let entries = store.audit_log().unwrap_or_default().len();
    let row = |m: &'static str, p: &str, v: f64| (m, observation("EG.3.2-27", p, Target, v, &[]));
    let batch = [
        row("niger", "FY2023", 1.0),
        row("mali", "FY2023", 1.0),
        row("mali", "FY2024", 2.0),
        row("niger", "FY2024", 2.0),
        row("mali", "FY2025", 3.0),
    ];
    assert_eq!(put(store, &batch, "alice", "both"), summary(5, 0, 0));
    let log = store.audit_log().unwrap_or_default();
    let new: Vec<(&str, &str)> = log[entries..]
        .iter()
        .map(|e| (e.action.as_str(), e.object.as_str()))
        .collect();
    assert_eq!(
        new,
        [
            ("data.put", "mission/mali/data"),
            ("data.put", "mission/niger/data")
        ]
    );
    // Only niger changes: only niger's entry.
    let mut second = batch.clone();
    second[3] = row("niger", "FY2024", 2.5);
    assert_eq!(put(store, &second, "bob", "fix"), summary(0, 1, 4));
    let log2 = store.audit_log().unwrap_or_default();
    assert_eq!(log2.len(), log.len() + 1);
    assert_eq!(
        log2.last().map(|e| e.object.as_str()),
        Some("mission/niger/data")
    );
    // The digest covers the batch's rows of the mission: the same rows, the same digest.
    let niger_first = log[entries + 1].after.clone();
    assert!(niger_first.is_some());
    assert_ne!(log2.last().and_then(|e| e.after.clone()), niger_first);
    // A key given twice in one batch: the second is a correction of the first.
    assert_eq!(
        put(
            store,
            &[
                row("mali", "FY2030", 1.0),
                row("mali", "FY2031", 7.0),
                row("mali", "FY2030", 2.0),
                row("mali", "FY2030", 2.0)
            ],
            "carol",
            "twice"
        ),
        summary(2, 1, 1)
    );
    let h: Vec<(String, f64, Option<f64>)> = history(store, "mali", "EG.3.2-27")
        .into_iter()
        .filter(|c| c.reason == "twice")
        .map(|c| (c.period.to_string(), c.value, c.previous))
        .collect();
    assert_eq!(
        h,
        [
            ("FY2030".to_string(), 1.0, None),
            ("FY2030".to_string(), 2.0, Some(1.0)),
            ("FY2031".to_string(), 7.0, None),
        ]
    );
    assert_eq!(
        observations(store, "mali")
            .iter()
            .find(|s| s.observation.period == period("FY2030"))
            .map(|s| s.observation.value),
        Some(2.0)
    );
    assert!(matches!(
        crate::verify(store),
        Ok(Verification::Intact { .. })
    ));
    assert_eq!(store.integrity().ok(), Some(Vec::new()));
}

/// Indicators, observations and their history survive a dump (through its JSON) and a load,
/// exactly; a format 2 dump reads with none. `a` is used, `b` is empty.
pub fn dump_and_load_carry_monitoring(a: &dyn Store, b: &dyn Store) {
    use ObservationKind::*;
    mission_with_indicators(a, "mali", &["EG.3.2-27", "PS.6.2-1"]);
    mission_with_indicators(a, "niger", &["EG.3.2-27"]);
    let rows: Vec<(&str, Observation)> = vec![
        (
            "mali",
            observation("EG.3.2-27", "FY2023", Target, 0.1 + 0.2, &[]),
        ),
        (
            "mali",
            observation(
                "EG.3.2-27",
                "FY2023Q2",
                Actual,
                -17.125,
                &[("sex", "female")],
            ),
        ),
        (
            "mali",
            observation("PS.6.2-1", "2023-01", Baseline, 1.0 / 3.0, &[]),
        ),
        (
            "niger",
            observation("EG.3.2-27", "2024", Actual, 6.02214076e23, &[]),
        ),
    ];
    put(a, &rows, "alice", "import");
    let mut fix = rows[0].clone();
    fix.1.value = 0.3;
    fix.1.source = Some("corrected plan".into());
    put(a, &[fix], "bob", "rounding");
    let dump = a.dump().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(dump.format, crate::DUMP_FORMAT);
    assert_eq!(
        (
            dump.indicators.len(),
            dump.observations.len(),
            dump.observation_history.len()
        ),
        (3, 4, 5)
    );
    // Through JSON, as `cairn db backup` writes it: every value bit for bit.
    let json = serde_json::to_string(&dump).unwrap_or_else(|e| panic!("{e}"));
    let read: crate::Dump = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read, dump);
    // History of an observation the dump does not hold is refused, and nothing is loaded.
    let mut torn = read.clone();
    torn.observations.remove(0);
    match b.load(&torn) {
        Err(e @ StoreError::Invalid(_)) => assert!(e.to_string().contains("history"), "{e}"),
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert_eq!(b.missions().ok(), Some(Vec::new()));
    b.load(&read).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(b.dump().ok(), Some(dump.clone()));
    for (m, c) in [
        ("mali", "EG.3.2-27"),
        ("mali", "PS.6.2-1"),
        ("niger", "EG.3.2-27"),
    ] {
        assert_eq!(observations(b, m), observations(a, m));
        assert_eq!(history(b, m, c), history(a, m, c));
    }
    assert_eq!(
        b.indicators(&slug("mali")).ok(),
        a.indicators(&slug("mali")).ok()
    );
    assert_eq!(crate::verify(b).ok(), crate::verify(a).ok());
    assert!(matches!(crate::verify(b), Ok(Verification::Intact { .. })));
    assert_eq!(b.integrity().ok(), Some(Vec::new()));
    // The loaded store goes on: a correction lands after the loaded history.
    let mut again = rows[1].clone();
    again.1.value = -17.0;
    assert_eq!(put(b, &[again], "carol", "later"), summary(0, 1, 0));
    let h = history(b, "mali", "EG.3.2-27");
    assert_eq!(
        h.last().map(|c| (c.value, c.previous, c.reason.as_str())),
        Some((-17.0, Some(-17.125), "later"))
    );
    assert_eq!(h.len(), 4);

    // A format 2 dump (before monitoring) has none of the three fields.
    let mut value = serde_json::to_value(&dump).unwrap_or_else(|e| panic!("{e}"));
    if let Some(o) = value.as_object_mut() {
        for field in ["indicators", "observations", "observation_history"] {
            o.remove(field);
        }
        o.insert("format".into(), 2.into());
    }
    let old: crate::Dump = serde_json::from_value(value).unwrap_or_else(|e| panic!("{e}"));
    assert!(old.indicators.is_empty() && old.observations.is_empty());
    assert!(old.observation_history.is_empty());
    assert_eq!(old.revisions, dump.revisions);
}

// Milestones.

/// A milestone of element `e<element>` without a note.
pub fn milestone(code_: &str, element: u32, due: &str, status: MilestoneStatus) -> Milestone {
    Milestone {
        code: code_.parse().unwrap_or_else(|e| panic!("{e}")),
        element: ElementId(element),
        title: format!("Milestone {code_}"),
        due: due.parse().unwrap_or_else(|e| panic!("{due}: {e}")),
        status,
        note: None,
        marking: Marking::Sbu,
    }
}

fn milestones(store: &dyn Store, mission: &str) -> Vec<Milestone> {
    store
        .milestones(&slug(mission))
        .unwrap_or_else(|e| panic!("milestones of {mission}: {e}"))
}

fn put_milestones(store: &dyn Store, mission: &str, list: &[Milestone], actor: &str) -> PutSummary {
    store
        .put_milestones(&slug(mission), list, actor)
        .unwrap_or_else(|e| panic!("put milestones: {e}"))
}

/// Status settings as (code, status, previous, actor).
fn statuses(
    store: &dyn Store,
    mission: &str,
) -> Vec<(String, MilestoneStatus, Option<MilestoneStatus>, String)> {
    store
        .milestone_history(&slug(mission))
        .unwrap_or_else(|e| panic!("milestone history of {mission}: {e}"))
        .into_iter()
        .map(|c| {
            assert_eq!(c.mission.as_str(), mission);
            (c.code.to_string(), c.status, c.previous, c.actor)
        })
        .collect()
}

pub fn milestones_are_upserted_by_code_and_their_statuses_kept(store: &dyn Store) {
    use MilestoneStatus::*;
    commit(
        store,
        new_revision("mali", None, strategy(&["Calm."]), "first"),
    );
    let calendar = milestone("M-CALENDAR", 2, "2024-02-04", InProgress);
    let ssr = milestone("M-SSR", 3, "2023-09-30", NotStarted);
    assert_eq!(
        put_milestones(store, "mali", &[ssr.clone(), calendar.clone()], "alice"),
        summary(2, 0, 0)
    );
    assert_eq!(
        milestones(store, "mali"),
        [calendar.clone(), ssr.clone()],
        "by code"
    );
    // Again: one unchanged, one whose status and note change, one new.
    let calendar2 = Milestone {
        status: Delayed,
        note: Some("Postponed by decree".into()),
        ..calendar.clone()
    };
    let coop = Milestone {
        marking: Marking::Public,
        note: Some("Tabletop exercise".into()),
        ..milestone("M-COOP", 5, "2022-10-01", Done)
    };
    assert_eq!(
        put_milestones(
            store,
            "mali",
            &[ssr.clone(), calendar2.clone(), coop.clone()],
            "bob"
        ),
        summary(1, 1, 1)
    );
    assert_eq!(
        milestones(store, "mali"),
        [calendar2.clone(), coop.clone(), ssr.clone()]
    );
    // A new title or due date is a change, audited, but not a new status.
    let ssr2 = Milestone {
        title: "Security sector review launched".into(),
        due: "2024-03-31".parse().unwrap_or_else(|e| panic!("{e}")),
        ..ssr.clone()
    };
    assert_eq!(
        put_milestones(store, "mali", std::slice::from_ref(&ssr2), "carol"),
        summary(0, 1, 0)
    );
    // A code given twice in a batch is taken in order: both changes of status are kept.
    let coop_dropped = Milestone {
        status: Dropped,
        ..coop.clone()
    };
    let coop_done = Milestone {
        note: Some("Done after all".into()),
        ..coop.clone()
    };
    assert_eq!(
        put_milestones(store, "mali", &[coop_dropped, coop_done.clone()], "dan"),
        summary(0, 2, 0)
    );
    assert_eq!(
        milestones(store, "mali"),
        [calendar2.clone(), coop_done.clone(), ssr2.clone()]
    );
    let who = |s: &str| s.to_string();
    assert_eq!(
        statuses(store, "mali"),
        [
            (who("M-CALENDAR"), InProgress, None, who("alice")),
            (who("M-CALENDAR"), Delayed, Some(InProgress), who("bob")),
            (who("M-COOP"), Done, None, who("bob")),
            (who("M-COOP"), Dropped, Some(Done), who("dan")),
            (who("M-COOP"), Done, Some(Dropped), who("dan")),
            (who("M-SSR"), NotStarted, None, who("alice")),
        ]
    );
    let log = store.audit_log().unwrap_or_default();
    let rows: Vec<(&str, &str, &str)> = log
        .iter()
        .skip(1)
        .map(|e| (e.actor.as_str(), e.action.as_str(), e.object.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            ("alice", "milestone.add", "mission/mali/milestone/M-SSR"),
            (
                "alice",
                "milestone.add",
                "mission/mali/milestone/M-CALENDAR"
            ),
            (
                "bob",
                "milestone.update",
                "mission/mali/milestone/M-CALENDAR"
            ),
            ("bob", "milestone.add", "mission/mali/milestone/M-COOP"),
            ("carol", "milestone.update", "mission/mali/milestone/M-SSR"),
            ("dan", "milestone.update", "mission/mali/milestone/M-COOP"),
            ("dan", "milestone.update", "mission/mali/milestone/M-COOP"),
        ]
    );
    let digest = |m: &Milestone| Some(crate::plan::milestone_digest(m));
    assert_eq!(
        (log[3].before.clone(), log[3].after.clone()),
        (digest(&calendar), digest(&calendar2))
    );
    assert_eq!(log[7].after, digest(&coop_done));
    // Unchanged, all of them: nothing is written.
    assert_eq!(
        put_milestones(store, "mali", &[ssr2, coop_done], "erin"),
        summary(0, 0, 2)
    );
    assert_eq!(store.audit_log().unwrap_or_default(), log);
    assert_eq!(statuses(store, "mali").len(), 6);
    // An unknown mission is refused, and nothing is written.
    match store.put_milestones(&slug("nowhere"), &[calendar], "alice") {
        Err(StoreError::UnknownMission(m)) => assert_eq!(m.as_str(), "nowhere"),
        other => panic!("expected UnknownMission, got {other:?}"),
    }
    assert_eq!(milestones(store, "nowhere"), []);
    assert_eq!(statuses(store, "nowhere"), []);
    assert_eq!(store.audit_log().unwrap_or_default(), log);
    assert!(matches!(
        crate::verify(store),
        Ok(Verification::Intact { entries: 8, .. })
    ));
    assert_eq!(store.integrity().ok(), Some(Vec::new()));
}

pub fn a_milestone_batch_with_a_fault_writes_nothing(store: &dyn Store) {
    use MilestoneStatus::*;
    commit(
        store,
        new_revision("mali", None, strategy(&["Calm."]), "first"),
    );
    let first = milestone("M-1", 2, "2024-01-31", InProgress);
    put_milestones(store, "mali", std::slice::from_ref(&first), "alice");
    let (current, h, log) = (
        milestones(store, "mali"),
        statuses(store, "mali"),
        store.audit_log().unwrap_or_default(),
    );
    let changed = Milestone {
        status: Done,
        ..first
    };
    let far = Milestone {
        due: chrono::NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap_or_default(),
        ..milestone("M-2", 2, "2024-01-31", NotStarted)
    };
    match store.put_milestones(&slug("mali"), &[changed.clone(), far], "bob") {
        Err(e @ StoreError::Invalid(_)) => {
            assert!(e.is_input_fault());
            let msg = e.to_string();
            assert!(
                msg.contains("M-2 of mission mali: the due date +10000-01-01 is outside years"),
                "{msg}"
            );
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    // An actor a backend cannot store.
    assert!(matches!(
        store.put_milestones(&slug("mali"), &[changed], "b\0b"),
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(milestones(store, "mali"), current);
    assert_eq!(statuses(store, "mali"), h);
    assert_eq!(store.audit_log().unwrap_or_default(), log);
}

/// Milestones and their statuses survive a dump (through its JSON) and a load, exactly; a
/// format 3 dump reads with none. `a` is used, `b` is empty.
pub fn dump_and_load_carry_milestones(a: &dyn Store, b: &dyn Store) {
    use MilestoneStatus::*;
    for m in ["mali", "niger"] {
        commit(a, new_revision(m, None, strategy(&["Calm."]), "first"));
    }
    let x = milestone("M-X", 2, "2024-01-31", NotStarted);
    // Any text, NUL included: it is stored inside the milestone's JSON.
    let y = Milestone {
        note: Some("Élections: \"report\"\0".into()),
        ..milestone("b.1", 3, "0999-12-31", InProgress)
    };
    put_milestones(a, "mali", &[x.clone(), y.clone()], "alice");
    put_milestones(a, "niger", std::slice::from_ref(&x), "alice");
    let x_late = Milestone {
        status: Delayed,
        ..x.clone()
    };
    put_milestones(a, "mali", std::slice::from_ref(&x_late), "bob");
    let dump = a.dump().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(dump.format, crate::DUMP_FORMAT);
    assert_eq!(
        (dump.milestones.len(), dump.milestone_history.len()),
        (3, 4)
    );
    let json = serde_json::to_string(&dump).unwrap_or_else(|e| panic!("{e}"));
    let read: crate::Dump = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read, dump);
    // History of a milestone the dump does not hold is refused, and nothing is loaded.
    let mut torn = read.clone();
    torn.milestones.retain(|m| m.mission.as_str() != "niger");
    match b.load(&torn) {
        Err(e @ StoreError::Invalid(_)) => assert!(e.to_string().contains("niger"), "{e}"),
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert_eq!(b.missions().ok(), Some(Vec::new()));
    b.load(&read).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(b.dump().ok(), Some(dump.clone()));
    for m in ["mali", "niger"] {
        assert_eq!(milestones(b, m), milestones(a, m));
        assert_eq!(
            b.milestone_history(&slug(m)).ok(),
            a.milestone_history(&slug(m)).ok()
        );
    }
    assert_eq!(crate::verify(b).ok(), crate::verify(a).ok());
    assert!(matches!(crate::verify(b), Ok(Verification::Intact { .. })));
    assert_eq!(b.integrity().ok(), Some(Vec::new()));
    // The loaded store goes on: a change of status lands after the loaded history.
    let x_done = Milestone {
        status: Done,
        ..x_late
    };
    assert_eq!(
        put_milestones(b, "mali", &[x_done], "carol"),
        summary(0, 1, 0)
    );
    let mut who = statuses(b, "mali");
    who.retain(|(code, ..)| code == "M-X");
    assert_eq!(
        who,
        [
            ("M-X".into(), NotStarted, None, "alice".into()),
            ("M-X".into(), Delayed, Some(NotStarted), "bob".into()),
            ("M-X".into(), Done, Some(Delayed), "carol".into()),
        ]
    );
    assert_eq!(b.integrity().ok(), Some(Vec::new()));

    // A format 3 dump (before milestones) has neither field.
    let mut value = serde_json::to_value(&dump).unwrap_or_else(|e| panic!("{e}"));
    if let Some(o) = value.as_object_mut() {
        for field in ["milestones", "milestone_history"] {
            o.remove(field);
        }
        o.insert("format".into(), 3.into());
    }
    let old: crate::Dump = serde_json::from_value(value).unwrap_or_else(|e| panic!("{e}"));
    assert!(old.milestones.is_empty() && old.milestone_history.is_empty());
    assert_eq!(old.revisions, dump.revisions);
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
        fn users_are_added_listed_and_read_back() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::users_are_added_listed_and_read_back(&*open());
        }
        #[test]
        fn a_duplicate_user_is_refused_and_nothing_is_written() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::a_duplicate_user_is_refused_and_nothing_is_written(&*open());
        }
        #[test]
        fn user_changes_carry_versions_and_stale_ones_are_refused() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::user_changes_carry_versions_and_stale_ones_are_refused(&*open());
        }
        #[test]
        fn disabling_or_a_new_password_ends_the_users_sessions() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::disabling_or_a_new_password_ends_the_users_sessions(&*open());
        }
        #[test]
        fn sessions_start_touch_end_and_purge() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::sessions_start_touch_end_and_purge(&*open());
        }
        #[test]
        fn a_disabled_users_session_is_none() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::a_disabled_users_session_is_none(&*open());
        }
        #[test]
        fn account_writes_are_audited_and_the_chain_verifies() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::account_writes_are_audited_and_the_chain_verifies(&*open());
        }
        #[test]
        fn search_finds_stemmed_words() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::search_finds_stemmed_words(&*open());
        }
        #[test]
        fn search_public_only_leaves_out_other_strategies() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::search_public_only_leaves_out_other_strategies(&*open());
        }
        #[test]
        fn search_takes_any_text_as_words() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::search_takes_any_text_as_words(&*open());
        }
        #[test]
        fn search_pages_through_every_match() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::search_pages_through_every_match(&*open());
        }
        #[test]
        fn search_follows_the_latest_revision() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::search_follows_the_latest_revision(&*open());
        }
        #[test]
        fn search_snippets_are_short_and_around_the_first_match() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::search_snippets_are_short_and_around_the_first_match(&*open());
        }
        #[test]
        fn dump_and_load_carry_users() {
            let (Some(a), Some(b), Some(c)) = (
                __conformance_database(),
                __conformance_database(),
                __conformance_database(),
            ) else {
                return;
            };
            $crate::conformance::dump_and_load_carry_users(&*a(), &*b(), &*c());
        }
        #[test]
        fn indicators_are_upserted_by_code_and_audited() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::indicators_are_upserted_by_code_and_audited(&*open());
        }
        #[test]
        fn observations_read_back_exactly() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::observations_read_back_exactly(&*open());
        }
        #[test]
        fn observations_are_ordered_chronologically() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::observations_are_ordered_chronologically(&*open());
        }
        #[test]
        fn a_correction_keeps_the_previous_value_in_history() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::a_correction_keeps_the_previous_value_in_history(&*open());
        }
        #[test]
        fn unchanged_values_write_no_history() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::unchanged_values_write_no_history(&*open());
        }
        #[test]
        fn a_batch_with_a_fault_writes_nothing() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::a_batch_with_a_fault_writes_nothing(&*open());
        }
        #[test]
        fn batches_are_audited_once_per_mission_and_taken_in_order() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::batches_are_audited_once_per_mission_and_taken_in_order(&*open());
        }
        #[test]
        fn dump_and_load_carry_monitoring() {
            let (Some(a), Some(b)) = (__conformance_database(), __conformance_database()) else {
                return;
            };
            $crate::conformance::dump_and_load_carry_monitoring(&*a(), &*b());
        }
        #[test]
        fn milestones_are_upserted_by_code_and_their_statuses_kept() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::milestones_are_upserted_by_code_and_their_statuses_kept(&*open());
        }
        #[test]
        fn a_milestone_batch_with_a_fault_writes_nothing() {
            let Some(open) = __conformance_database() else {
                return;
            };
            $crate::conformance::a_milestone_batch_with_a_fault_writes_nothing(&*open());
        }
        #[test]
        fn dump_and_load_carry_milestones() {
            let (Some(a), Some(b)) = (__conformance_database(), __conformance_database()) else {
                return;
            };
            $crate::conformance::dump_and_load_carry_milestones(&*a(), &*b());
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
