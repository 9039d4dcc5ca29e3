//! Every layout the importer must read (PRODUCT.md §2), one fixture each, asserted in full
//! where the layout matters.

use cairn_core::{Code, Goal, Objective, Strategy, StrategyKind};
use cairn_ingest::{IngestError, Parsed, parse};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn parsed(name: &str) -> Parsed {
    parse(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn goal<'a>(s: &'a Strategy, n: &str) -> &'a Goal {
    s.goals
        .iter()
        .find(|g| g.number.as_str() == n)
        .unwrap_or_else(|| panic!("no goal {n}"))
}

fn objective<'a>(s: &'a Strategy, n: &str) -> &'a Objective {
    s.objectives()
        .find(|o| o.number.as_str() == n)
        .unwrap_or_else(|| panic!("no objective {n}"))
}

fn numbers(s: &Strategy) -> Vec<&str> {
    s.objectives().map(|o| o.number.as_str()).collect()
}

fn codes(p: &Parsed) -> Vec<(Code, u32)> {
    p.diagnostics.iter().map(|d| (d.code, d.line)).collect()
}

#[test]
fn running_headers_inside_paragraphs_and_crlf() {
    let bytes = fixture("running-headers-crlf.txt");
    assert!(
        bytes.windows(2).any(|w| w == b"\r\n"),
        "fixture must be CRLF"
    );
    let p = parsed("running-headers-crlf.txt");
    let s = &p.strategy;
    assert_eq!(s.country.as_deref(), Some("Republic of Testland"));
    // Two banners on the cover: the release marking is the one that governs publication.
    assert_eq!(s.marking.as_deref(), Some("FOR PUBLIC RELEASE"));
    assert_eq!(
        s.approved.map(|d| d.to_string()).as_deref(),
        Some("2022-03-14")
    );
    assert_eq!(
        s.priorities,
        [
            "Our mission advances three priorities. The first is a stable democracy in which citizens trust their institutions and vote freely.",
            "The second priority is shared prosperity. U.S. assistance totaled $48.5 million in FY 2021, and the mission expects growth across every region of the country.",
        ]
    );
    assert_eq!(
        goal(s, "1").description.as_deref(),
        Some(
            "Democracy underpins every other goal. This goal supports the Western Hemisphere Affairs Joint Regional Strategy goals 1 and 2."
        )
    );
    // A wrapped bullet line and a page break that turned the rest of a sentence into a bullet.
    assert_eq!(
        objective(s, "1.1").justification.as_deref(),
        Some(
            "Testland holds national elections in 2024, and roughly 4 million people are registered to vote."
        )
    );
    assert_eq!(
        objective(s, "1.2").justification.as_deref(),
        Some(
            "Judicial independence is uneven across the provinces, and case backlogs exceed two years."
        )
    );
    assert_eq!(numbers(s), ["1.1", "1.2", "2.1"]);
    assert_eq!(s.management_objectives.len(), 1);
    assert_eq!(codes(&p), []);
    let text = serde_json::to_string(s).unwrap_or_default();
    for furniture in [
        "Page ",
        "Approved",
        "UNCLASSIFIED",
        "\\r",
        "FOR PUBLIC RELEASE\",",
    ] {
        assert_eq!(
            text.matches(furniture).count(),
            usize::from(furniture == "FOR PUBLIC RELEASE\","),
            "{furniture} leaked into the text"
        );
    }
}

#[test]
fn table_layout_with_cells_and_pipes() {
    let p = parsed("table-layout.txt");
    let s = &p.strategy;
    assert_eq!(s.goals.len(), 1);
    assert_eq!(goal(s, "1").title, "Security cooperation deepens.");
    assert_eq!(
        goal(s, "1").description.as_deref(),
        Some("Security underpins the partnership and supports AF JRS Goal 2.")
    );
    assert_eq!(numbers(s), ["1.1", "1.2"]);
    let o = objective(s, "1.2");
    assert_eq!(o.title, "Maritime security improves.");
    assert_eq!(
        o.justification.as_deref(),
        Some("Piracy has risen since 2019.")
    );
    assert_eq!(
        o.linkages.as_deref(),
        Some("Supports AF JRS Objective 2.3.")
    );
    assert_eq!(
        o.risks.as_deref(),
        Some("Vessels are scarce; partners will share patrols.")
    );
    let m = &s.management_objectives[0];
    assert_eq!(m.number.as_str(), "1");
    assert_eq!(m.title, "Staffing gaps are closed.");
    assert_eq!(
        m.justification.as_deref(),
        Some("Vacancies exceed 20 percent.")
    );
    assert_eq!(codes(&p), []);
}

#[test]
fn markdown_with_sub_objectives_and_numbered_management_objectives() {
    let p = parsed("sub-objectives.md");
    let s = &p.strategy;
    assert_eq!(s.country.as_deref(), Some("South Testland"));
    assert_eq!(
        s.approved.map(|d| d.to_string()).as_deref(),
        Some("2022-09-30")
    );
    // Bold markers and the escaped dollar sign are gone; the text is plain.
    assert_eq!(
        s.priorities,
        [
            "South Testland is a democracy with a growing economy; U.S. assistance was $25 million in FY2022."
        ]
    );
    assert_eq!(numbers(s), ["1.1", "1.1.1", "1.1.2", "1.2"]);
    let o = objective(s, "1.1");
    assert_eq!(o.sub_objectives.len(), 2);
    assert_eq!(
        o.justification.as_deref(),
        Some("Child mortality is 90 per 1,000 live births.")
    );
    let sub = objective(s, "1.1.2");
    assert_eq!(sub.title, "Clinics are staffed.");
    assert_eq!(
        sub.justification.as_deref(),
        Some("Rural clinics lack nurses.")
    );
    assert_eq!(
        sub.risks.as_deref(),
        Some("Attrition to cities; housing incentives help.")
    );
    assert_eq!(
        objective(s, "1.2").linkages.as_deref(),
        Some("Supports the President's Malaria Initiative (PMI).")
    );
    let ms: Vec<(&str, &str)> = s
        .management_objectives
        .iter()
        .map(|m| (m.number.as_str(), m.title.as_str()))
        .collect();
    assert_eq!(
        ms,
        [
            ("1", "Facilities are modernised."),
            ("2", "Staff are retained.")
        ]
    );
    assert_eq!(codes(&p), []);
}

#[test]
fn generation_2018_needs_only_justifications() {
    let p = parsed("generation-2018.txt");
    let s = &p.strategy;
    assert!(!s.has_linkages_and_risks());
    assert_eq!(numbers(s), ["1.1", "1.2"]);
    assert_eq!(s.priorities, ["East Testland is emerging from conflict."]);
    assert_eq!(
        s.management_objectives[0].title,
        "The mission is right-sized."
    );
    // Only the objective without a justification is reported; no linkages/risks demanded.
    assert_eq!(codes(&p), [(Code::MissingField, 27)]);
    assert!(
        p.diagnostics[0]
            .message
            .contains("Objective 1.2 has no justification")
    );
}

#[test]
fn windows_1252_is_read_with_a_warning() {
    let p = parsed("windows-1252.txt");
    let s = &p.strategy;
    assert_eq!(s.country.as_deref(), Some("Côte Testland"));
    assert_eq!(
        s.priorities,
        ["Côte Testland\u{2019}s \u{201c}new era\u{201d} has begun."]
    );
    assert_eq!(codes(&p), [(Code::LegacyEncoding, 1)]);
}

#[test]
fn defects_are_diagnosed_at_the_detail_heading() {
    let p = parsed("defects.txt");
    assert_eq!(
        codes(&p),
        [
            (Code::MissingDetail, 16),
            (Code::DuplicateNumber, 30),
            (Code::TitleMismatch, 36),
            (Code::MissingField, 36),
            (Code::OrphanObjective, 41),
        ]
    );
    let mismatch = &p.diagnostics[2];
    assert!(mismatch.message.contains("line 15"), "{}", mismatch.message);
    let titles = mismatch
        .titles
        .as_ref()
        .map(|t| (t.summary.as_str(), t.detail.as_str()));
    assert_eq!(
        titles,
        Some((
            "Courts decide cases promptly.",
            "Courts decide cases quickly."
        ))
    );
    // The summary-only objective is kept with its framework title; the orphan cannot be placed.
    assert_eq!(numbers(&p.strategy), ["1.1", "1.1", "1.2", "1.3"]);
}

#[test]
fn refuses_only_what_has_nothing_usable() {
    assert_eq!(parse(&fixture("not-an-ics.txt")), Err(IngestError::NoGoals));
    assert_eq!(parse(b""), Err(IngestError::Empty));
    assert_eq!(parse(b"\n \r\n"), Err(IngestError::Empty));
    assert!(matches!(
        parse(b"\x7fELF\x02\x01\x01\x00"),
        Err(IngestError::Binary { .. })
    ));
    assert_eq!(
        parse(b"Mission Goal\nObjectives matter."),
        Err(IngestError::NoGoals)
    );
}

#[test]
fn a_bare_draft_without_cover_or_sections_still_reads() {
    let p = parse(b"Mission Goal 1: Peace.\n\nObjective 1.1: Calm.\nJustification: Because.\n")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.strategy.kind, StrategyKind::Ics);
    assert_eq!(p.strategy.country, None);
    assert_eq!(p.strategy.marking, None);
    assert_eq!(
        objective(&p.strategy, "1.1").justification.as_deref(),
        Some("Because.")
    );
}

#[test]
fn a_15_megabyte_document_parses() {
    let seed = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../samples/mali-ics-2022.txt"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&seed);
    let (head, detail) = text
        .split_once("3. Mission Goals and Objectives")
        .unwrap_or_default();
    let mut big = String::with_capacity(15 << 20);
    big.push_str(head);
    big.push_str("3. Mission Goals and Objectives");
    let mut goal = 0;
    while big.len() < 15 << 20 {
        goal += 1;
        // Renumber the seed's three goals so that every block is distinct.
        let block = detail
            .split("4. Management Objective")
            .next()
            .unwrap_or_default()
            .replace(
                "Mission Goal 1:",
                &format!("Mission Goal {}:", goal * 3 - 2),
            )
            .replace(
                "Mission Goal 2:",
                &format!("Mission Goal {}:", goal * 3 - 1),
            )
            .replace("Mission Goal 3:", &format!("Mission Goal {}:", goal * 3))
            .replace("Objective 1.", &format!("Objective {}.", goal * 3 - 2))
            .replace("Objective 2.", &format!("Objective {}.", goal * 3 - 1))
            .replace("Objective 3.", &format!("Objective {}.", goal * 3));
        big.push_str(&block);
    }
    let p = parse(big.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.strategy.goals.len(), goal * 3);
    assert_eq!(p.strategy.objectives().count(), goal * 9);
}

#[test]
fn a_wrapped_line_that_starts_with_a_strategy_name_is_prose() {
    let doc = "Integrated Country Strategy\n\nMALI\n\n3. Mission Goals and Objectives\n\n\
        Mission Goal 1: Security.\n\nDescription: The work advances the Interim\n\
        National Security Strategy priority of helping African nations combat violent\n\
        extremism.\n\nIntegrated Country Strategy\n\nObjective 1.1: Borders.\n\nJustification: Because.\n";
    let p = parse(doc.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        goal(&p.strategy, "1").description.as_deref(),
        Some(
            "The work advances the Interim National Security Strategy priority of helping African nations combat violent extremism."
        )
    );
    // The repeated cover line is a running header, not text.
    assert_eq!(
        objective(&p.strategy, "1.1").justification.as_deref(),
        Some("Because.")
    );
    assert_eq!(p.strategy.objectives().count(), 1);
}
