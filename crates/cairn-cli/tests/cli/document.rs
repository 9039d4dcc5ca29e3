//! Commands over documents (parse, check, render, schema) from the outside, as a user's
//! tooling would run them. `acceptance/` holds copies of the shared acceptance expectations;
//! [`mali_parse_contract`] and [`mali_check_contract`] assert every point they state.

use std::path::Path;

use serde_json::Value;

use crate::support::{cairn, fixture, json_of, path_arg, seed};

fn expectation(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cli/acceptance")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn str_of(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

fn all_objectives(doc: &Value) -> Vec<&Value> {
    fn walk<'a>(o: &'a Value, out: &mut Vec<&'a Value>) {
        out.push(o);
        for s in o["sub_objectives"].as_array().into_iter().flatten() {
            walk(s, out);
        }
    }
    let mut out = Vec::new();
    for g in doc["goals"].as_array().into_iter().flatten() {
        for o in g["objectives"].as_array().into_iter().flatten() {
            walk(o, &mut out);
        }
    }
    out
}

/// The element a holder names: "1.1" (objective), "goal:2", "management:1" (1-based index).
fn holder<'a>(doc: &'a Value, name: &str) -> Option<&'a Value> {
    if let Some(n) = name.strip_prefix("goal:") {
        return doc["goals"]
            .as_array()?
            .iter()
            .find(|g| str_of(&g["number"]) == n);
    }
    if let Some(i) = name.strip_prefix("management:") {
        let i: usize = i.parse().ok()?;
        return doc["management_objectives"]
            .as_array()?
            .get(i.checked_sub(1)?);
    }
    all_objectives(doc)
        .into_iter()
        .find(|o| str_of(&o["number"]) == name)
}

/// A text field by path: "priorities", "goal:1.description", "objective:1.2.linkages",
/// "management:1.risks".
fn field(doc: &Value, path: &str) -> Option<String> {
    if path == "priorities" {
        let paras: Vec<&str> = doc["priorities"].as_array()?.iter().map(str_of).collect();
        return Some(paras.join("\n\n"));
    }
    let (kind, rest) = path.split_once(':')?;
    let (num, name) = match kind {
        "objective" => rest.rsplit_once('.')?,
        _ => rest.split_once('.')?,
    };
    let h = match kind {
        "objective" => holder(doc, num)?,
        _ => holder(doc, &format!("{kind}:{num}"))?,
    };
    Some(str_of(&h[name]).to_string())
}

fn targets(doc: &Value, name: &str) -> Vec<(String, String)> {
    holder(doc, name)
        .and_then(|h| h["links"].as_array())
        .into_iter()
        .flatten()
        .map(|l| {
            (
                str_of(&l["target"]).to_string(),
                str_of(&l["relation"]).to_string(),
            )
        })
        .collect()
}

#[test]
fn mali_parse_contract() {
    let out = cairn(&["parse", path_arg(&seed())]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = json_of(&out);
    let exp = expectation("mali-ics.expect.json");
    let mut fails: Vec<String> = Vec::new();
    let mut check = |ok: bool, what: String| {
        if !ok {
            fails.push(what);
        }
    };
    check(
        str_of(&doc["country"]).eq_ignore_ascii_case(str_of(&exp["country"])),
        "country".into(),
    );
    check(
        str_of(&doc["marking"]) == str_of(&exp["marking"]),
        "marking".into(),
    );
    check(
        doc["goals"].as_array().map(Vec::len) == exp["goals"].as_u64().map(|n| n as usize),
        "goal count".into(),
    );
    let objectives: Vec<&str> = doc["goals"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|g| g["objectives"].as_array().into_iter().flatten())
        .map(|o| str_of(&o["number"]))
        .collect();
    let want: Vec<&str> = exp["objectives"]
        .as_array()
        .into_iter()
        .flatten()
        .map(str_of)
        .collect();
    check(objectives == want, format!("objectives {objectives:?}"));
    let subs = all_objectives(&doc).len() - objectives.len();
    check(
        subs == exp["sub_objectives"].as_array().map_or(0, Vec::len),
        "sub-objectives".into(),
    );
    check(
        doc["management_objectives"].as_array().map(Vec::len)
            == exp["management"].as_u64().map(|n| n as usize),
        "management count".into(),
    );
    for (path, subs) in exp["contains"].as_object().into_iter().flatten() {
        let text = field(&doc, path).map(|t| norm(&t)).unwrap_or_default();
        for s in subs.as_array().into_iter().flatten() {
            check(text.contains(str_of(s)), format!("{path} lacks {s}"));
        }
    }
    for (path, subs) in exp["not_contains"].as_object().into_iter().flatten() {
        let text = field(&doc, path).map(|t| norm(&t)).unwrap_or_default();
        check(!text.is_empty(), format!("{path} is empty"));
        for s in subs.as_array().into_iter().flatten() {
            check(!text.contains(str_of(s)), format!("{path} contains {s}"));
        }
    }
    for (name, want) in exp["links"].as_object().into_iter().flatten() {
        let got: Vec<String> = targets(&doc, name).into_iter().map(|(t, _)| t).collect();
        for t in want.as_array().into_iter().flatten() {
            check(
                got.iter().any(|g| g == str_of(t)),
                format!("{name} lacks {t} (has {got:?})"),
            );
        }
    }
    for (name, want) in exp["links_absent"].as_object().into_iter().flatten() {
        let got: Vec<String> = targets(&doc, name).into_iter().map(|(t, _)| t).collect();
        for t in want.as_array().into_iter().flatten() {
            check(
                !got.iter().any(|g| g == str_of(t)),
                format!("{name} has {t}"),
            );
        }
    }
    for (name, by_prefix) in exp["links_exact"].as_object().into_iter().flatten() {
        let got: Vec<String> = targets(&doc, name).into_iter().map(|(t, _)| t).collect();
        for (prefix, want) in by_prefix.as_object().into_iter().flatten() {
            let mut have: Vec<&str> = got
                .iter()
                .map(String::as_str)
                .filter(|t| t.starts_with(prefix.as_str()))
                .collect();
            let mut want: Vec<&str> = want.as_array().into_iter().flatten().map(str_of).collect();
            have.sort_unstable();
            have.dedup();
            want.sort_unstable();
            check(
                have == want,
                format!("{name} {prefix}* links {have:?} != {want:?}"),
            );
        }
    }
    for (name, rels) in exp["relations"].as_object().into_iter().flatten() {
        let got = targets(&doc, name);
        for (t, rel) in rels.as_object().into_iter().flatten() {
            let have = got.iter().find(|(g, _)| g == t).map(|(_, r)| r.as_str());
            check(
                have == Some(str_of(rel)),
                format!("{name} {t} relation {have:?}"),
            );
        }
    }
    let figures = doc["figures"].as_array().cloned().unwrap_or_default();
    for want in exp["figures"].as_array().into_iter().flatten() {
        let value = want["value"].as_f64().unwrap_or(f64::NAN);
        let found = figures.iter().any(|f| {
            let v = f["value"].as_f64().unwrap_or(f64::NAN);
            (v - value).abs() <= 1e-6 * value.abs().max(1.0)
                && str_of(&f["unit"]).eq_ignore_ascii_case(str_of(&want["unit"]))
                && f["node"] == want["node"]
                && (want.get("fiscal_year").is_none() || f["fiscal_year"] == want["fiscal_year"])
                && (want.get("year").is_none() || f["year"] == want["year"])
        });
        check(found, format!("no figure {want}"));
    }
    assert!(
        fails.is_empty(),
        "parse contract falls short:\n{}",
        fails.join("\n")
    );
}

#[test]
fn mali_check_contract() {
    let out = cairn(&["check", path_arg(&seed()), "--json"]);
    let exp = expectation("mali-ics.check.json");
    assert_eq!(
        !out.status.success(),
        exp["exit_nonzero"].as_bool().unwrap_or(false),
        "exit status {:?}",
        out.status
    );
    let diags = json_of(&out)["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let near = |d: &Value, line: u64| d["line"].as_u64().is_some_and(|l| l.abs_diff(line) <= 1);
    for (code, groups) in exp["codes_at"].as_object().into_iter().flatten() {
        for options in groups.as_array().into_iter().flatten() {
            let lines: Vec<u64> = options
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_u64)
                .collect();
            assert!(
                diags
                    .iter()
                    .any(|d| str_of(&d["code"]) == code && lines.iter().any(|&l| near(d, l))),
                "no {code} at {lines:?}: {diags:?}"
            );
        }
    }
    for (code, lines) in exp["codes_not_at"].as_object().into_iter().flatten() {
        for l in lines
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_u64)
        {
            assert!(
                !diags
                    .iter()
                    .any(|d| str_of(&d["code"]) == code && near(d, l)),
                "spurious {code} at {l}"
            );
        }
    }
    for (code, max) in exp["max_count"].as_object().into_iter().flatten() {
        let n = diags.iter().filter(|d| str_of(&d["code"]) == code).count() as u64;
        assert!(n <= max.as_u64().unwrap_or(0), "{n} {code} diagnostics");
    }
    // Exactly the three real mismatches, and none where only punctuation differs (3.1, 3.3).
    let mismatches: Vec<u64> = diags
        .iter()
        .filter(|d| d["code"] == "title-mismatch")
        .filter_map(|d| d["line"].as_u64())
        .collect();
    assert_eq!(mismatches, [118, 129, 166]);
}

#[test]
fn check_prints_compiler_style_lines_with_the_difference_marked() {
    let out = cairn(&["check", path_arg(&seed())]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let first = text.lines().next().unwrap_or_default();
    assert!(
        first.ends_with("mali-ics-2022.txt:118: warning[title-mismatch]: title differs from the strategic framework (line 55)"),
        "{first}"
    );
    assert!(text.contains("[-the country's-]"), "{text}");
    assert!(text.contains("{+its+}"), "{text}");
    // Not a terminal: no colour codes.
    assert!(!text.contains('\x1b'));
}

#[test]
fn check_exits_1_on_errors_and_reports_each_at_its_line() {
    let out = cairn(&["check", path_arg(&fixture("defects.txt")), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let diags = json_of(&out)["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let got: Vec<(String, String, u64)> = diags
        .iter()
        .map(|d| {
            (
                str_of(&d["severity"]).to_string(),
                str_of(&d["code"]).to_string(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let want = [
        ("warning", "missing-detail", 16),
        ("error", "duplicate-number", 30),
        ("warning", "title-mismatch", 36),
        ("warning", "missing-field", 36),
        ("error", "orphan-objective", 41),
    ];
    let want: Vec<(String, String, u64)> = want
        .iter()
        .map(|(s, c, l)| (s.to_string(), c.to_string(), *l))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn bad_input_gets_one_line_errors_and_the_right_exit_code() {
    let dir = std::env::temp_dir().join(format!("cairn-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let empty = dir.join("empty.txt");
    let binary = dir.join("binary.bin");
    std::fs::write(&empty, b"").unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\x00\x00").unwrap_or_else(|e| panic!("{e}"));
    let missing = dir.join("missing.txt");
    let cases: [(&Path, i32, &str); 5] = [
        (&empty, 1, "the input is empty"),
        (&binary, 1, "binary data"),
        (&fixture("not-an-ics.txt"), 1, "no mission goals found"),
        (&missing, 2, "No such file or directory"),
        (&dir, 2, "it is a directory"),
    ];
    for (path, code, reason) in cases {
        for cmd in ["parse", "render"] {
            let mut args = vec![cmd, path_arg(path)];
            if cmd == "render" {
                args.extend(["--format", "md"]);
            }
            let out = cairn(&args);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(code), "{cmd} {path:?}: {err}");
            assert_eq!(
                err.lines().count(),
                1,
                "{cmd} {path:?}: one line expected: {err}"
            );
            assert!(
                err.contains(path_arg(path)) && err.contains(reason),
                "{cmd}: {err}"
            );
            assert!(!err.contains("panicked"));
            assert!(out.stdout.is_empty(), "{cmd} {path:?} wrote to stdout");
        }
    }
    // check reports unreadable content as a diagnostic, environment failures as errors.
    let out = cairn(&["check", path_arg(&binary), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_of(&out)["diagnostics"][0]["code"], "unreadable-input");
    assert_eq!(cairn(&["check", path_arg(&missing)]).status.code(), Some(2));
    // Usage errors exit 2.
    assert_eq!(cairn(&["render", path_arg(&seed())]).status.code(), Some(2));
    assert_eq!(
        cairn(&["render", path_arg(&seed()), "--format", "docx"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(cairn(&["frobnicate"]).status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn render_writes_markdown_that_parses_back_to_the_same_strategy() {
    let dir = std::env::temp_dir().join(format!("cairn-render-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let md = dir.join("mali.md");
    let out = cairn(&[
        "render",
        path_arg(&seed()),
        "--format",
        "md",
        "-o",
        path_arg(&md),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    let original = json_of(&cairn(&["parse", path_arg(&seed())]));
    let again = json_of(&cairn(&["parse", path_arg(&md)]));
    assert_eq!(original, again);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn render_html_is_one_standalone_page() {
    let out = cairn(&["render", path_arg(&seed()), "--format", "html", "--public"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = String::from_utf8_lossy(&out.stdout);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    for external in ["<script", "<link ", "src=\"http", "href=\"http"] {
        assert!(!html.contains(external), "page loads {external}");
    }
    assert!(html.contains("FOR PUBLIC RELEASE"));
}

#[test]
fn public_render_refuses_a_document_not_marked_for_release() {
    let dir = std::env::temp_dir().join(format!("cairn-public-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let sbu = dir.join("sbu.txt");
    std::fs::write(
        &sbu,
        "SENSITIVE BUT UNCLASSIFIED\n\nMission Goal 1: Peace.\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let target = dir.join("out.html");
    let out = cairn(&[
        "render",
        path_arg(&sbu),
        "--format",
        "html",
        "--public",
        "-o",
        path_arg(&target),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not FOR PUBLIC RELEASE"));
    assert!(!target.exists(), "a refused render must write nothing");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn pdf_is_refused_as_not_built() {
    let out = cairn(&["render", path_arg(&seed()), "--format", "pdf"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("PDF"));
}

#[test]
fn schema_describes_the_parse_output() {
    let schema = json_of(&cairn(&["schema"]));
    let props = &schema["properties"];
    for key in [
        "kind",
        "country",
        "title",
        "marking",
        "approved",
        "priorities",
        "goals",
        "management_objectives",
        "figures",
    ] {
        assert!(props.get(key).is_some(), "schema lacks {key}");
    }
    assert!(schema["$defs"].get("Objective").is_some());
}

#[test]
fn windows_1252_parses_with_a_warning_on_stderr() {
    let out = cairn(&["parse", path_arg(&fixture("windows-1252.txt"))]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Windows-1252"));
    assert_eq!(json_of(&out)["country"], "Côte Testland");
}
