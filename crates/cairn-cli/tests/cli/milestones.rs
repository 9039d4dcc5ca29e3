//! `cairn milestone import|export|list` from the outside, with the illustrative
//! samples/demo-milestones.csv on the Mali ICS.

use serde_json::Value;

use crate::support::{Scratch, cairn, json_of, path_arg, repo, seed, stderr};

fn demo() -> std::path::PathBuf {
    repo("samples/demo-milestones.csv")
}

/// The Mali ICS, imported.
fn mali() -> Scratch {
    let s = Scratch::new();
    s.ok(&["import", path_arg(&seed())]);
    s
}

/// The Mali ICS with the demo milestones.
fn with_milestones() -> Scratch {
    let s = mali();
    let out = s.ok(&["milestone", "import", path_arg(&demo())]);
    assert!(
        stderr(&out).contains("milestones: 6 added, 0 updated, 0 unchanged"),
        "{}",
        stderr(&out)
    );
    s
}

fn listed(s: &Scratch, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["milestone", "list", "mali", "--json"];
    args.extend_from_slice(extra);
    json_of(&s.ok(&args))
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("not an array"))
}

fn find<'a>(list: &'a [Value], code: &str) -> &'a Value {
    list.iter()
        .find(|m| m["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {list:?}"))
}

/// The export of mali with only the header: nothing was written.
fn nothing_written(s: &Scratch) {
    let export = s.ok(&["milestone", "export", "--mission", "mali"]);
    assert_eq!(
        String::from_utf8_lossy(&export.stdout),
        "mission,element,code,title,due,status,note,marking\n"
    );
}

#[test]
fn the_demo_milestones_import_once_and_list_with_their_ratings() {
    let s = with_milestones();
    let again = s.ok(&["milestone", "import", path_arg(&demo())]);
    assert!(
        stderr(&again).contains("0 added, 0 updated, 6 unchanged"),
        "{}",
        stderr(&again)
    );
    let list = listed(&s, &["--fy", "2023"]);
    let codes: Vec<&str> = list.iter().filter_map(|m| m["code"].as_str()).collect();
    assert_eq!(
        codes,
        [
            "M-AMERICAN-SPACE",
            "M-BORDER-DIALOGUE",
            "M-COOP-DRILL",
            "M-CSO-CONSULT",
            "M-ELECTORAL-PLAN",
            "M-OBSERVERS"
        ],
        "by code"
    );
    // Cairn's rule for FY2023 (Oct 1 2022 – Sep 30 2023): done in its year is on target,
    // delayed and overdue (due by Sep 30, not done) below; due after the year or dropped: not
    // counted.
    for (code, number, rating) in [
        ("M-ELECTORAL-PLAN", "1.1", Value::from("on-target")),
        ("M-OBSERVERS", "1.1", Value::from("below-target")),
        ("M-CSO-CONSULT", "1.3", Value::from("below-target")),
        ("M-BORDER-DIALOGUE", "2.2", Value::Null),
        ("M-COOP-DRILL", "M1", Value::from("on-target")),
        ("M-AMERICAN-SPACE", "1.2", Value::Null),
    ] {
        let m = find(&list, code);
        assert_eq!(
            (&m["number"], &m["rating"]),
            (&Value::from(number), &rating),
            "{m}"
        );
    }
    let m = find(&list, "M-CSO-CONSULT");
    assert_eq!(
        (&m["due"], &m["status"], &m["marking"]),
        (
            &Value::from("2023-09-30"),
            &Value::from("in-progress"),
            &Value::from("sbu")
        )
    );
    assert!(
        m["title"]
            .as_str()
            .is_some_and(|t| t.starts_with("Illustrative:"))
    );
    let history = m["history"].as_array().cloned().unwrap_or_default();
    assert_eq!(history.len(), 1, "{m}");
    assert_eq!(
        (
            &history[0]["status"],
            &history[0]["previous"],
            &history[0]["actor"]
        ),
        (
            &Value::from("in-progress"),
            &Value::Null,
            &Value::from("alice")
        )
    );
    // A year later the milestone due in FY2024 is overdue too; without --fy there is no rating.
    let fy24 = listed(&s, &["--fy", "2024"]);
    assert_eq!(find(&fy24, "M-BORDER-DIALOGUE")["rating"], "below-target");
    // Done in FY2023, it does not count again in FY2024; the delayed one still does.
    assert_eq!(find(&fy24, "M-ELECTORAL-PLAN")["rating"], Value::Null);
    assert_eq!(find(&fy24, "M-OBSERVERS")["rating"], "below-target");
    assert!(
        find(&listed(&s, &[]), "M-OBSERVERS")
            .get("rating")
            .is_none()
    );
    // The text form: one line per milestone, then its statuses.
    let text =
        String::from_utf8_lossy(&s.ok(&["milestone", "list", "mali", "--fy", "2023"]).stdout)
            .into_owned();
    let line = text
        .lines()
        .find(|l| l.starts_with("M-AMERICAN-SPACE"))
        .unwrap_or_default();
    assert!(
        line.contains("1.2") && line.contains("2023-12-31 ") && line.contains("not counted"),
        "{text}"
    );
}

#[test]
fn a_status_change_is_kept_with_who_and_when_and_audited() {
    let s = with_milestones();
    let fix = s.write(
        "fix.csv",
        "mission,element,code,title,due,status,note\n\
         mali,1.1,M-OBSERVERS,Illustrative: domestic observer network accredited before the \
         referendum,2023-06-15,done,Accredited in August\n",
    );
    let url = s.url();
    let out = cairn(&[
        "--db",
        &url,
        "--actor",
        "bob",
        "milestone",
        "import",
        path_arg(&fix),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("0 added, 1 updated, 0 unchanged"),
        "{}",
        stderr(&out)
    );
    let list = listed(&s, &["--fy", "2023"]);
    let m = find(&list, "M-OBSERVERS");
    assert_eq!(
        (&m["status"], &m["note"], &m["rating"]),
        (
            &Value::from("done"),
            &Value::from("Accredited in August"),
            &Value::from("on-target")
        )
    );
    let history: Vec<(Value, Value, Value)> = m["history"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            (
                c["status"].clone(),
                c["previous"].clone(),
                c["actor"].clone(),
            )
        })
        .collect();
    assert_eq!(
        history,
        [
            ("delayed".into(), Value::Null, "alice".into()),
            ("done".into(), "delayed".into(), "bob".into()),
        ]
    );
    let text = String::from_utf8_lossy(&s.ok(&["milestone", "list", "mali"]).stdout).into_owned();
    assert!(
        text.lines()
            .any(|l| l.contains("delayed → done") && l.ends_with("bob")),
        "{text}"
    );
    // Each write is audited with its actor, and the trail verifies.
    let log = json_of(&s.ok(&["audit", "log", "--json"]));
    let entries: Vec<(&str, &str)> = log
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["object"] == "mission/mali/milestone/M-OBSERVERS")
        .filter_map(|e| Some((e["action"].as_str()?, e["actor"].as_str()?)))
        .collect();
    assert_eq!(
        entries,
        [("milestone.add", "alice"), ("milestone.update", "bob")]
    );
    s.ok(&["audit", "verify"]);
    s.ok(&["db", "check"]);
}

#[test]
fn export_writes_the_import_format_and_reads_back_unchanged() {
    let s = with_milestones();
    let exported = s.path("milestones.csv");
    s.ok(&[
        "milestone",
        "export",
        "--mission",
        "mali",
        "-o",
        path_arg(&exported),
    ]);
    let text = std::fs::read_to_string(&exported).unwrap_or_else(|e| panic!("{e}"));
    // The sample has every column in the export's order: the same lines, by code.
    let sample = std::fs::read_to_string(demo()).unwrap_or_else(|e| panic!("{e}"));
    let sorted = |t: &str| {
        let mut lines: Vec<String> = t.lines().map(str::to_string).collect();
        lines[1..].sort();
        lines
    };
    assert_eq!(sorted(&text), sorted(&sample));
    let back = s.ok(&["milestone", "import", path_arg(&exported)]);
    assert!(
        stderr(&back).contains("0 added, 0 updated, 6 unchanged"),
        "{}",
        stderr(&back)
    );
    // Without --mission, every mission's; to stdout.
    let all = s.ok(&["milestone", "export"]);
    assert_eq!(String::from_utf8_lossy(&all.stdout), text);
}

#[test]
fn renumbering_the_strategy_keeps_milestones_attached() {
    let s = with_milestones();
    let renumbered = s.write(
        "renumbered.txt",
        &std::fs::read_to_string(seed())
            .unwrap_or_else(|e| panic!("{e}"))
            .replace("Mission Objective 1.3:", "Mission Objective 1.5:")
            .replace("\nObjective 1.3:", "\nObjective 1.5:"),
    );
    s.ok(&["import", path_arg(&renumbered), "-m", "1.3 is now 1.5"]);
    let m = find(&listed(&s, &[]), "M-CSO-CONSULT").clone();
    assert_eq!(m["number"], "1.5", "{m}");
    let export = String::from_utf8_lossy(&s.ok(&["milestone", "export"]).stdout).into_owned();
    assert!(export.contains("\nmali,1.5,M-CSO-CONSULT,"), "{export}");

    // An element removed from the strategy: its milestones stay, listed by id, exported with
    // a blank element and a warning.
    let removed = s.write(
        "removed.txt",
        &std::fs::read_to_string(&renumbered)
            .unwrap_or_else(|e| panic!("{e}"))
            .lines()
            .filter(|l| !l.contains("Objective 2.2:"))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    s.ok(&["import", path_arg(&removed), "-m", "no 2.2"]);
    let m = find(&listed(&s, &[]), "M-BORDER-DIALOGUE").clone();
    assert_eq!(
        (&m["number"], &m["element"]),
        (&Value::Null, &Value::from("e8"))
    );
    let out = s.ok(&["milestone", "export"]);
    assert!(
        stderr(&out).contains(
            "milestone M-BORDER-DIALOGUE of mission mali is attached to element e8, which the \
             latest revision no longer has"
        ),
        "{}",
        stderr(&out)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("\nmali,,M-BORDER-DIALOGUE,"),
        "blank element"
    );
}

#[test]
fn dry_run_checks_and_writes_nothing() {
    let s = mali();
    let out = s.ok(&["milestone", "import", "--dry-run", path_arg(&demo())]);
    assert!(
        stderr(&out).contains("milestones: 6 row(s) valid; nothing written (--dry-run)"),
        "{}",
        stderr(&out)
    );
    nothing_written(&s);
    assert_eq!(listed(&s, &[]), Vec::<Value>::new());
}

/// Imports `csv`, which must be refused with exit 1, every `want` in its messages, and nothing
/// written.
fn refused(csv: &str, wants: &[&str]) {
    let s = mali();
    let bad = s.write("bad.csv", csv);
    let out = s.run(&["milestone", "import", path_arg(&bad)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    for want in wants {
        assert!(err.contains(want), "{want:?} not in {err}");
    }
    assert!(err.contains("; nothing was written"), "{err}");
    assert!(out.stdout.is_empty());
    nothing_written(&s);
}

const HEADER: &str = "mission,element,code,title,due,status\n";
const GOOD: &str = "mali,1.1,M-GOOD,A good row,2024-01-31,done\n";

#[test]
fn an_unknown_mission_is_refused() {
    refused(
        &format!("{HEADER}{GOOD}narnia,1,M-1,T,2024-01-31,done\n"),
        &["bad.csv: row 3, column mission: no mission \"narnia\""],
    );
}

#[test]
fn an_unknown_element_is_refused() {
    refused(
        &format!("{HEADER}{GOOD}mali,4.1,M-1,T,2024-01-31,done\n"),
        &["bad.csv: row 3, column element: mission mali has no objective:4.1"],
    );
    refused(
        &format!("{HEADER}mali,Goal 1,M-1,T,2024-01-31,done\n"),
        &["row 2, column element: \"Goal 1\" is not an element"],
    );
}

#[test]
fn a_bad_code_is_refused() {
    refused(
        &format!("{HEADER}{GOOD}mali,1,M 1,T,2024-01-31,done\n"),
        &["row 3, column code: \"M 1\" is not a milestone code"],
    );
}

#[test]
fn a_code_given_twice_is_refused() {
    refused(
        &format!("{HEADER}{GOOD}mali,1.2,M-GOOD,Again,2025-01-31,done\n"),
        &["row 3, column code: milestone M-GOOD of mission mali is already defined in row 2"],
    );
}

#[test]
fn a_bad_due_date_is_refused() {
    refused(
        &format!("{HEADER}{GOOD}mali,1,M-1,T,31/01/2024,done\nmali,1,M-2,T,2023-02-29,done\n"),
        &[
            "row 3, column due: \"31/01/2024\" is not a date",
            "row 4, column due: \"2023-02-29\" is not a date: 2023-02 has no day 29",
        ],
    );
}

#[test]
fn a_bad_status_is_refused() {
    refused(
        &format!("{HEADER}{GOOD}mali,1,M-1,T,2024-01-31,finished\n"),
        &[
            "row 3, column status: \"finished\" is not a milestone status: expected not-started, \
             in-progress, done, delayed, dropped",
        ],
    );
}

#[test]
fn a_bad_marking_is_refused() {
    refused(
        "mission,element,code,title,due,status,marking\n\
         mali,1,M-1,T,2024-01-31,done,secret\n",
        &["row 2, column marking: \"secret\" is not a marking: expected public, sbu"],
    );
}

#[test]
fn an_empty_required_cell_is_refused() {
    refused(
        &format!("{HEADER}{GOOD}mali,1,M-1,,2024-01-31,done\n"),
        &["row 3, column title: the cell is empty: expected the milestone's title"],
    );
}

#[test]
fn bad_columns_are_refused() {
    refused(
        &format!("mission,element,code,title,due,status,owner\n{GOOD}"),
        &["row 1, column owner: \"owner\" is not a column of the milestone CSV"],
    );
    refused(
        &format!("mission,element,code,title,status\n{GOOD}"),
        &["row 1, column due: the required column \"due\" is missing"],
    );
    refused(
        &format!("{HEADER}{GOOD}mali,1,M-1,T\n"),
        &["row 3: the row has 4 cells but the header has 6 columns"],
    );
}

/// Every error of a file is listed, in row order, and its good rows are not written either.
#[test]
fn one_bad_row_writes_nothing_and_every_error_is_listed() {
    refused(
        &format!(
            "{HEADER}{GOOD}mali,9,M-2,T,2024-01-31,done\n{}mali,1,M-3,T,2024-13-01,started\n",
            GOOD.replace("M-GOOD", "M-GOOD-2")
        ),
        &[
            "row 3, column element",
            "row 5, column due",
            "row 5, column status",
            "bad.csv: 3 error(s) (above); nothing was written",
        ],
    );
}

#[test]
fn an_unknown_mission_to_list_or_export_is_a_usage_error() {
    let s = mali();
    for args in [
        &["milestone", "list", "nowhere"][..],
        &["milestone", "export", "--mission", "nowhere"],
    ] {
        let out = s.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).contains("no mission nowhere"),
            "{}",
            stderr(&out)
        );
    }
    let out = s.run(&["milestone", "list", "mali", "--fy", "99"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn milestones_take_part_in_the_status_of_their_element() {
    let s = with_milestones();
    let st = json_of(&s.ok(&["status", "mali", "--fy", "2023", "--json"]));
    let o11 = &st["goals"][0]["objectives"][0];
    assert_eq!(o11["number"], "1.1");
    let codes: Vec<&str> = o11["milestones"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["code"].as_str())
        .collect();
    assert_eq!(codes, ["M-ELECTORAL-PLAN", "M-OBSERVERS"]);
    // No indicators here: the milestones alone rate 1.1 (done and delayed: below).
    assert_eq!(o11["rating"], "below-target");
    assert_eq!(o11["completeness"], 1.0);
    // The dropped one is listed without a rating and takes no part.
    let o12 = &st["goals"][0]["objectives"][1];
    assert_eq!(o12["milestones"][0]["rating"], Value::Null);
    assert_eq!(o12["rating"], "not-available");
    let text =
        String::from_utf8_lossy(&s.ok(&["status", "mali", "--fy", "2023"]).stdout).into_owned();
    assert!(
        text.contains("M-OBSERVERS") && text.contains("due 2023-06-15 (delayed)"),
        "{text}"
    );
}
