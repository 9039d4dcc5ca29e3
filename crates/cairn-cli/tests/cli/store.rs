//! Missions, revisions and the audit trail through the CLI, on a fresh SQLite file per test.

use std::path::PathBuf;

use serde_json::Value;

use crate::support::{Scratch, cairn, fixture, json_of, path_arg, seed, stderr};

/// The Mali ICS with Objective 1.2 retitled and a new objective inserted before it.
fn edited_seed(s: &Scratch) -> PathBuf {
    let text = std::fs::read_to_string(seed()).unwrap_or_else(|e| panic!("{e}"));
    let text = text.replace(
        "Objective 1.2: Mali increasingly perceives the United States as a trusted partner.",
        "Objective 1.2: Media in Mali report freely.\n\n- Justification: A free press holds power to account.\n- Linkages: Supports AF JRS Objective 3.1.\n- Risks: Journalists face threats.\n\nObjective 1.3: Mali increasingly sees the United States as a trusted partner.",
    );
    let text = text.replace(
        "Objective 1.3: Mali advances",
        "Objective 1.4: Mali advances",
    );
    let text = text.replace(
        "Objective 1.4: Improved governance",
        "Objective 1.5: Improved governance",
    );
    let text = text.replace(
        "Mission Objective 1.2: Mali increasingly perceives the United States as a trusted partner.",
        "Mission Objective 1.2: Media in Mali report freely.\n- Mission Objective 1.3: Mali increasingly sees the United States as a trusted partner.",
    );
    let text = text.replace("**Mission Objective 1.3:**", "**Mission Objective 1.4:**");
    let text = text.replace(
        "**Mission Objective 1.4:** Improved",
        "**Mission Objective 1.5:** Improved",
    );
    s.write("mali-v2.txt", &text)
}

fn without_store_fields(mut v: Value) -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(m) => {
                m.remove("id");
                m.values_mut().for_each(strip);
            }
            Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    if let Value::Object(m) = &mut v {
        m.remove("mission");
        m.remove("rev");
    }
    strip(&mut v);
    v
}

#[test]
fn import_show_history_and_no_change() {
    let s = Scratch::new();
    let seed = seed();
    let out = s.ok(&["import", path_arg(&seed), "-m", "first import"]);
    assert!(
        stderr(&out).contains("mali: stored revision 1"),
        "{}",
        stderr(&out)
    );
    let again = s.ok(&["import", path_arg(&seed)]);
    assert!(stderr(&again).contains("no change"), "{}", stderr(&again));

    let history = json_of(&s.ok(&["history", "mali", "--json"]));
    let rows = history.as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 1);
    let keys: Vec<&String> = rows[0]
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    assert_eq!(keys, ["actor", "at", "message", "rev"]);
    assert_eq!(
        (
            rows[0]["rev"].as_u64(),
            rows[0]["actor"].as_str(),
            rows[0]["message"].as_str()
        ),
        (Some(1), Some("alice"), Some("first import"))
    );

    // show --json is the parse JSON plus stable ids.
    let shown = json_of(&s.ok(&["show", "mali", "--json"]));
    assert_eq!(shown["mission"], "mali");
    assert_eq!(shown["goals"][0]["id"], "e1");
    assert!(
        shown["goals"][0]["objectives"][0]["id"]
            .as_str()
            .is_some_and(|i| i.starts_with('e'))
    );
    let parsed = json_of(&cairn(&["parse", path_arg(&seed)]));
    assert_eq!(without_store_fields(shown), parsed);

    let list = json_of(&s.ok(&["list", "--json"]));
    assert_eq!(list[0]["slug"], "mali");
    assert_eq!(list[0]["country"], "Mali");
    // The document's links name one regional bureau: the mission takes it.
    assert_eq!(list[0]["bureau"], "AF");
}

#[test]
fn ids_survive_renumbering_and_diff_shows_only_changes() {
    let s = Scratch::new();
    s.ok(&["import", path_arg(&seed())]);
    let v1 = json_of(&s.ok(&["show", "mali", "--json"]));
    let v2_file = edited_seed(&s);
    s.ok(&["import", path_arg(&v2_file), "-m", "press freedom"]);
    let v2 = json_of(&s.ok(&["show", "mali", "--json"]));
    let obj = |v: &Value, i: usize| v["goals"][0]["objectives"][i].clone();
    // Old 1.3 ("advances political and social reform") is now 1.4 and keeps its id.
    assert_eq!(obj(&v2, 3)["number"], "1.4");
    assert_eq!(obj(&v2, 3)["id"], obj(&v1, 2)["id"]);
    // Old 1.2, retitled and renumbered to 1.3, keeps its id; the new 1.2 has a new one.
    assert_eq!(obj(&v2, 2)["id"], obj(&v1, 1)["id"]);
    assert_ne!(obj(&v2, 1)["id"], obj(&v1, 1)["id"]);

    let d = json_of(&s.ok(&["diff", "mali", "1", "2", "--json"]));
    let text = d.to_string();
    assert!(text.contains("Media in Mali report freely"), "{text}");
    // Unchanged narrative appears nowhere.
    assert!(!text.contains("After two government overthrows"), "{text}");
    let human = String::from_utf8_lossy(&s.ok(&["diff", "mali", "1", "2"]).stdout).into_owned();
    assert!(human.contains("Media in Mali report freely"), "{human}");
    assert!(
        !human.contains("After two government overthrows"),
        "{human}"
    );
    assert!(!human.contains('\x1b'));
}

#[test]
fn revert_makes_a_new_revision_equal_to_an_old_one() {
    let s = Scratch::new();
    s.ok(&["import", path_arg(&seed())]);
    s.ok(&["import", path_arg(&edited_seed(&s))]);
    let out = s.ok(&["revert", "mali", "1"]);
    assert!(
        stderr(&out).contains("stored revision 3"),
        "{}",
        stderr(&out)
    );
    let r1 = without_store_fields(json_of(&s.ok(&["show", "mali", "--rev", "1", "--json"])));
    let r3 = without_store_fields(json_of(&s.ok(&["show", "mali", "--json"])));
    assert_eq!(r1, r3);
    let history = json_of(&s.ok(&["history", "mali", "--json"]));
    assert_eq!(history[2]["message"], "revert to revision 1");
}

#[test]
fn a_stale_import_is_refused_and_names_who_changed_what() {
    let s = Scratch::new();
    s.ok(&["import", path_arg(&seed())]);
    let url = s.url();
    let bob = cairn(&[
        "--db",
        &url,
        "--actor",
        "bob",
        "import",
        path_arg(&edited_seed(&s)),
        "-m",
        "bob's edit",
    ]);
    assert!(bob.status.success(), "{}", stderr(&bob));
    let late = s.run(&[
        "import",
        path_arg(&fixture("running-headers-crlf.txt")),
        "--mission",
        "mali",
        "--base",
        "1",
    ]);
    assert_eq!(late.status.code(), Some(1));
    let err = stderr(&late);
    assert!(
        err.contains("changed since revision 1")
            && err.contains("bob")
            && err.contains("bob's edit"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(
        json_of(&s.ok(&["history", "mali", "--json"]))
            .as_array()
            .map(Vec::len),
        Some(2)
    );
}

#[test]
fn mission_settings_and_the_audit_trail() {
    let s = Scratch::new();
    s.ok(&["import", path_arg(&seed())]);
    s.ok(&["mission", "set", "mali", "--bureau", "EUR"]);
    assert_eq!(json_of(&s.ok(&["list", "--json"]))[0]["bureau"], "EUR");
    let bad = s.run(&["mission", "set", "mali", "--bureau", "XX"]);
    assert_eq!(bad.status.code(), Some(2));
    let log = json_of(&s.ok(&["audit", "log", "--json"]));
    let actions: Vec<(&str, &str, &str)> = log
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["actor"].as_str().unwrap_or(""),
                e["action"].as_str().unwrap_or(""),
                e["object"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            ("alice", "import", "mission/mali/rev/1"),
            ("alice", "mission.set", "mission/mali")
        ]
    );
    let verified = s.ok(&["audit", "verify"]);
    let text = String::from_utf8_lossy(&verified.stdout).into_owned();
    assert!(text.contains("intact: 2 entries"), "{text}");
    let head = log[1]["hash"].as_str().unwrap_or_default().to_string();
    s.ok(&["audit", "verify", "--head", &head]);
    let forged = s.run(&["audit", "verify", "--head", "deadbeef"]);
    assert_eq!(forged.status.code(), Some(1));
    s.ok(&["db", "check"]);
}

#[test]
fn a_backup_restores_to_identical_show_history_and_verify() {
    let s = Scratch::new();
    s.ok(&["import", path_arg(&seed())]);
    s.ok(&["import", path_arg(&edited_seed(&s))]);
    s.ok(&["mission", "set", "mali", "--bureau", "EUR"]);
    let backup = s.path("backup.json");
    s.ok(&["db", "backup", path_arg(&backup)]);
    let target = Scratch::new();
    target.ok(&["db", "restore", path_arg(&backup)]);
    for args in [
        &["show", "mali", "--json"][..],
        &["show", "mali", "--rev", "1", "--json"],
        &["history", "mali", "--json"],
        &["audit", "log", "--json"],
        &["audit", "verify"],
        &["list", "--json"],
    ] {
        assert_eq!(
            s.ok(args).stdout,
            target.ok(args).stdout,
            "{args:?} differs after restore"
        );
    }
    // A restore over data is refused and changes nothing.
    let again = target.run(&["db", "restore", path_arg(&backup)]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("not empty"));
    let garbage = s.write("garbage.json", "{\"format\": 1, \"missions\": [");
    let out = Scratch::new().run(&["db", "restore", path_arg(&garbage)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("line 1"), "{}", stderr(&out));
}

#[test]
fn check_on_a_stored_mission_points_at_its_source_lines() {
    let s = Scratch::new();
    s.ok(&["import", path_arg(&seed())]);
    let out = s.ok(&["check", "mali", "--json"]);
    let lines: Vec<u64> = json_of(&out)["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["line"].as_u64())
        .collect();
    assert_eq!(lines, [118, 129, 166]);
    let human = String::from_utf8_lossy(&s.ok(&["check", "mali"]).stdout).into_owned();
    assert!(
        human.starts_with("mali@rev1:118: warning[title-mismatch]"),
        "{human}"
    );
}

#[test]
fn bad_databases_missions_and_revisions_get_one_line_errors() {
    let s = Scratch::new();
    let cases: Vec<(Vec<String>, i32, &str)> = vec![
        (
            vec!["--db".into(), "mysql://x".into(), "list".into()],
            2,
            "expected sqlite://",
        ),
        (
            vec![
                "--db".into(),
                "sqlite:///no/such/dir/cairn.db".into(),
                "list".into(),
            ],
            2,
            "cannot open",
        ),
        (
            vec![
                "--db".into(),
                format!("sqlite://{}", path_arg(&seed())),
                "list".into(),
            ],
            2,
            "not a database",
        ),
        (
            vec!["--db".into(), s.url(), "show".into(), "atlantis".into()],
            2,
            "no mission atlantis",
        ),
        (
            vec!["--db".into(), s.url(), "show".into(), "Not A Slug".into()],
            2,
            "not a mission slug",
        ),
    ];
    for (args, code, reason) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = cairn(&args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(reason), "{args:?}: {err}");
    }
    s.ok(&["import", path_arg(&seed())]);
    let out = s.run(&["show", "mali", "--rev", "9"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no revision 9 (revisions 1 to 1)"),
        "{}",
        stderr(&out)
    );
    let out = s.run(&["show", "niger"]);
    assert!(stderr(&out).contains("known: mali"), "{}", stderr(&out));
    // A file that does not parse: exit 1, nothing stored.
    let out = s.run(&[
        "import",
        path_arg(&fixture("not-an-ics.txt")),
        "--mission",
        "mali",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let out = s.run(&[
        "import",
        path_arg(&fixture("defects.txt")),
        "--mission",
        "mali",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("nothing was stored"));
    assert_eq!(
        json_of(&s.ok(&["history", "mali", "--json"]))
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    // The text file given as a database is untouched.
    let before = std::fs::read(seed()).unwrap_or_default();
    let _ = cairn(&["--db", &format!("sqlite://{}", path_arg(&seed())), "list"]);
    assert_eq!(std::fs::read(seed()).unwrap_or_default(), before);
}

#[test]
fn the_actor_defaults_to_the_os_user() {
    let s = Scratch::new();
    let url = s.url();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args(["--db", &url, "import", path_arg(&seed())])
        .env_remove("CAIRN_ACTOR")
        .env("USER", "fatoumata")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        json_of(&s.ok(&["history", "mali", "--json"]))[0]["actor"],
        "fatoumata"
    );
}
