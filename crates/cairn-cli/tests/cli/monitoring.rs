//! `cairn indicator import`, `cairn data import|export|history` and `cairn status` from the
//! outside, with the illustrative demo files in samples/.

use crate::support::{Scratch, json_of, path_arg, repo, seed, stderr};

fn with_indicators() -> Scratch {
    let s = Scratch::new();
    s.ok(&["import", path_arg(&seed())]);
    let out = s.ok(&[
        "indicator",
        "import",
        path_arg(&repo("samples/demo-indicators.csv")),
    ]);
    assert!(stderr(&out).contains("22 added"), "{}", stderr(&out));
    s
}

#[test]
fn data_imports_once_and_rates_the_mission() {
    let s = with_indicators();
    let data = repo("samples/demo-data.csv");
    let out = s.ok(&["data", "import", path_arg(&data)]);
    assert!(
        stderr(&out).contains("152 added, 0 updated, 0 unchanged"),
        "{}",
        stderr(&out)
    );
    let again = s.ok(&["data", "import", path_arg(&data)]);
    assert!(
        stderr(&again).contains("0 added, 0 updated, 152 unchanged"),
        "{}",
        stderr(&again)
    );

    let st = json_of(&s.ok(&["status", "mali", "--fy", "2023", "--json"]));
    assert_eq!(
        (st["mission"].as_str(), st["period"].as_str()),
        (Some("mali"), Some("FY2023"))
    );
    assert_eq!(st["rating"], "below-target");
    let objective = |n: &str| {
        st["goals"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|g| g["objectives"].as_array().into_iter().flatten())
            .find(|o| o["number"] == n)
            .cloned()
            .unwrap_or_else(|| panic!("no objective {n}"))
    };
    // Quarterly flows add up to the year: 90 + 120 + 110 + 130 = 450 against 400: above.
    let o21 = objective("2.1");
    assert_eq!(o21["indicators"][0]["actual"], 450.0);
    assert_eq!(o21["rating"], "above-target");
    // Decrease is better: 305 incidents against a target of 280 is within 10%.
    assert_eq!(objective("2.2")["rating"], "on-target");
    // Below its target but better than FY2022's 30,000: improved; the context indicator without
    // a target and the indicator that starts in FY2024 are not rated: a third is complete.
    let o32 = objective("3.2");
    assert_eq!(o32["rating"], "improved");
    assert!(
        (o32["completeness"].as_f64().unwrap_or_default() - 1.0 / 3.0).abs() < 1e-12,
        "{o32}"
    );
    // A year without data is not available anywhere.
    let empty = json_of(&s.ok(&["status", "mali", "--fy", "2030", "--json"]));
    assert_eq!(
        (empty["rating"].as_str(), empty["completeness"].as_f64()),
        (Some("not-available"), Some(0.0))
    );
}

#[test]
fn a_bad_row_writes_nothing_and_every_error_names_its_place() {
    let s = with_indicators();
    let bad = s.write(
        "bad.csv",
        "mission,indicator,period,kind,value\n\
         mali,PS.1.1-1,FY2023,target,400\n\
         mali,PS.1.1-1,2023-13,actual,5\n\
         mali,NO-SUCH,FY2023,actual,5\n\
         mali,PS.1.1-1,FY2023,actual,\"1,000\"\n",
    );
    let out = s.run(&["data", "import", path_arg(&bad)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    for want in [
        "row 3, column period: \"2023-13\"",
        "row 4, column indicator: mission mali has no indicator NO-SUCH",
        "row 5, column value: \"1,000\"",
        "3 error(s) (above); nothing was written",
    ] {
        assert!(err.contains(want), "{want} not in {err}");
    }
    // Nothing at all was written, not even the good first row.
    let export = s.ok(&["data", "export", "--mission", "mali"]);
    assert_eq!(
        String::from_utf8_lossy(&export.stdout).lines().count(),
        1,
        "only the header"
    );
    // --dry-run checks without writing.
    let good = s.write(
        "good.csv",
        "mission,indicator,period,kind,value\nmali,PS.1.1-1,FY2023,target,400\n",
    );
    let dry = s.ok(&["data", "import", "--dry-run", path_arg(&good)]);
    assert!(
        stderr(&dry).contains("1 row(s) valid; nothing written"),
        "{}",
        stderr(&dry)
    );
    let export = s.ok(&["data", "export"]);
    assert_eq!(String::from_utf8_lossy(&export.stdout).lines().count(), 1);
}

#[test]
fn a_correction_keeps_the_previous_value_and_export_reads_back() {
    let s = with_indicators();
    s.ok(&["data", "import", path_arg(&repo("samples/demo-data.csv"))]);
    let fix = s.write(
        "fix.csv",
        "mission,indicator,period,kind,value\nmali,HL.8.2-2,FY2023,actual,43500\n",
    );
    let out = s.ok(&[
        "data",
        "import",
        path_arg(&fix),
        "-m",
        "late report from the implementing partner",
    ]);
    assert!(
        stderr(&out).contains("0 added, 1 updated"),
        "{}",
        stderr(&out)
    );
    let history = json_of(&s.ok(&["data", "history", "mali", "HL.8.2-2", "--json"]));
    let fy23: Vec<&serde_json::Value> = history
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["period"] == "FY2023" && c["kind"] == "actual")
        .collect();
    assert_eq!(fy23.len(), 2, "{history}");
    assert_eq!(
        (fy23[1]["previous"].as_f64(), fy23[1]["value"].as_f64()),
        (Some(41000.0), Some(43500.0))
    );
    assert_eq!(fy23[1]["actor"], "alice");
    assert_eq!(
        fy23[1]["reason"],
        "late report from the implementing partner"
    );

    // What export writes, import reads back as unchanged.
    let exported = s.path("export.csv");
    s.ok(&[
        "data",
        "export",
        "--mission",
        "mali",
        "-o",
        path_arg(&exported),
    ]);
    let back = s.ok(&["data", "import", path_arg(&exported)]);
    assert!(
        stderr(&back).contains("0 added, 0 updated, 152 unchanged"),
        "{}",
        stderr(&back)
    );
    // The correction is audited with its actor.
    let log = json_of(&s.ok(&["audit", "log", "--json"]));
    assert!(
        log.as_array()
            .into_iter()
            .flatten()
            .any(|e| e["action"] == "data.put" && e["actor"] == "alice"),
        "{log}"
    );
}

#[test]
fn status_needs_a_fiscal_year_and_a_known_mission() {
    let s = with_indicators();
    let out = s.run(&["status", "mali"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--fy 2023"), "{}", stderr(&out));
    let out = s.run(&["status", "nowhere", "--fy", "2023"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no mission nowhere"),
        "{}",
        stderr(&out)
    );
    let out = s.run(&["status", "mali", "--fy", "99"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_key_figure_becomes_a_context_indicator() {
    let s = Scratch::new();
    s.ok(&["import", path_arg(&seed())]);
    // The revision JSON names each figure by its id.
    let shown = json_of(&s.ok(&["show", "mali", "--json"]));
    let f8 = &shown["figures"][7];
    assert_eq!(
        (f8["id"].as_str(), f8["text"].as_str()),
        (Some("f8"), Some("1.9 million"))
    );

    let made = json_of(&s.ok(&["indicator", "from-figure", "mali", "f8", "--json"]));
    assert_eq!(made["indicator"]["code"], "CTX-F8");
    assert_eq!(made["indicator"]["type"], "context");
    assert_eq!(made["indicator"]["unit"], "people");
    assert_eq!(
        made["indicator"]["marking"], "public",
        "the ICS is for public release"
    );
    assert_eq!(made["observation"]["period"], "2022");
    assert_eq!(made["observation"]["value"], 1_900_000.0);
    assert!(
        made["observation"]["source"]
            .as_str()
            .is_some_and(|s| s.contains("1.9 million")),
        "the sentence is the source: {made}"
    );
    // Again with the same choices: nothing changes; with others under the same code: refused.
    s.ok(&["indicator", "from-figure", "mali", "f8"]);
    let history = json_of(&s.ok(&["data", "history", "mali", "CTX-F8", "--json"]));
    assert_eq!(history.as_array().map(Vec::len), Some(1), "{history}");
    let clash = s.run(&["indicator", "from-figure", "mali", "f8", "--title", "Other"]);
    assert_eq!(clash.status.code(), Some(1));
    assert!(stderr(&clash).contains("already has a different indicator CTX-F8"));

    // A figure in the priorities needs an element; one without a year needs a period.
    let out = s.run(&["indicator", "from-figure", "mali", "f2"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("give the element"),
        "{}",
        stderr(&out)
    );
    let made = json_of(&s.ok(&[
        "indicator",
        "from-figure",
        "mali",
        "f2",
        "--element",
        "3",
        "--code",
        "CTX-ASSIST-FY19",
        "--json",
    ]));
    assert_eq!(made["observation"]["period"], "FY2019");
    assert_eq!(made["indicator"]["unit"], "USD");
    let out = s.run(&["indicator", "from-figure", "mali", "f1", "--element", "3"]);
    assert!(stderr(&out).contains("names no year"), "{}", stderr(&out));
    s.ok(&[
        "indicator",
        "from-figure",
        "mali",
        "f1",
        "--element",
        "3",
        "--period",
        "FY2021",
    ]);
    // Unknown figures and bad arguments.
    let out = s.run(&["indicator", "from-figure", "mali", "f99"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("f1 to f12"), "{}", stderr(&out));
    let out = s.run(&[
        "indicator",
        "from-figure",
        "mali",
        "f8",
        "--period",
        "FY20x",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--period"), "{}", stderr(&out));
}
