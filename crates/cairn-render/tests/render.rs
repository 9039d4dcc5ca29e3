//! Rendering: snapshots of both formats, well-formed HTML, and Markdown that the importer
//! reads back into the same strategy.

mod support;

use std::collections::HashSet;

use cairn_core::{ManagementObjective, Number};
use cairn_render::{html, markdown};
use proptest::prelude::*;
use quick_xml::events::Event;
use quick_xml::reader::Reader;
use support::{arb_strategy, small_strategy};

const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../samples/mali-ics-2022.txt"
);

fn seed_strategy() -> cairn_core::Strategy {
    let bytes = std::fs::read(SEED).unwrap_or_else(|e| panic!("{SEED}: {e}"));
    cairn_ingest::parse(&bytes)
        .unwrap_or_else(|e| panic!("{SEED}: {e}"))
        .strategy
}

/// What the importer makes of a strategy it reads: the same tree, with links and figures
/// derived from the narrative.
fn as_imported(strategy: &cairn_core::Strategy) -> cairn_core::Strategy {
    let mut expected = strategy.clone();
    cairn_ingest::links::resolve(&mut expected);
    expected.figures = cairn_ingest::figures::collect(&expected);
    expected
}

fn reimport(md: &str) -> cairn_core::Strategy {
    cairn_ingest::parse(md.as_bytes())
        .unwrap_or_else(|e| panic!("{e}\n{md}"))
        .strategy
}

const VOID: &[&str] = &["meta", "link", "br", "hr", "img", "input", "wbr"];

/// Checks that the page after its doctype is one well-formed XML element, that only void
/// elements are self-closed, that ids are unique and that every `#anchor` points at one.
fn assert_well_formed(page: &str) {
    let body = page
        .strip_prefix("<!DOCTYPE html>\n")
        .unwrap_or_else(|| panic!("no doctype:\n{page}"));
    let mut reader = Reader::from_str(body);
    let mut open: Vec<String> = Vec::new();
    let mut roots = 0;
    let mut ids = HashSet::new();
    let mut hrefs = Vec::new();
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("at byte {}: {e}\n{page}", reader.error_position()));
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
            assert_eq!(
                empty,
                VOID.contains(&name.as_str()),
                "<{name}> closed wrongly"
            );
            for attr in e.attributes() {
                let attr = attr.unwrap_or_else(|err| panic!("<{name}>: {err}"));
                let value = attr
                    .unescape_value()
                    .unwrap_or_else(|err| panic!("<{name}>: {err}"))
                    .into_owned();
                match attr.key.as_ref() {
                    b"id" => assert!(ids.insert(value.clone()), "duplicate id {value}"),
                    b"href" => hrefs.push(value),
                    _ => {}
                }
            }
            if open.is_empty() {
                roots += 1;
                assert_eq!(name, "html");
            }
            if !empty {
                open.push(name);
            }
        }
        match event {
            Event::End(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                assert_eq!(open.pop().as_deref(), Some(name.as_str()));
            }
            Event::Text(t) => {
                let text = t.unescape().unwrap_or_else(|e| panic!("{e}"));
                assert!(
                    !open.is_empty() || text.trim().is_empty(),
                    "text outside <html>"
                );
            }
            Event::Eof => break,
            Event::DocType(_) | Event::PI(_) | Event::Decl(_) => panic!("unexpected {event:?}"),
            _ => {}
        }
    }
    assert!(open.is_empty(), "unclosed: {open:?}");
    assert_eq!(roots, 1);
    for href in hrefs {
        let id = href
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("external link {href}"));
        assert!(ids.contains(id), "dangling anchor {href}");
    }
}

#[test]
fn markdown_of_small_strategy() {
    insta::assert_snapshot!("markdown_small", markdown(&small_strategy()));
}

#[test]
fn html_of_small_strategy() {
    insta::assert_snapshot!("html_small", html(&small_strategy()));
}

#[test]
fn html_of_small_strategy_is_well_formed() {
    assert_well_formed(&html(&small_strategy()));
}

#[test]
fn markdown_of_small_strategy_reads_back() {
    let s = small_strategy();
    assert_eq!(reimport(&markdown(&s)), as_imported(&s));
}

#[test]
fn markdown_of_seed() {
    insta::assert_snapshot!("markdown_seed", markdown(&seed_strategy()));
}

#[test]
fn html_of_seed() {
    insta::assert_snapshot!("html_seed", html(&seed_strategy()));
}

#[test]
fn html_of_seed_is_well_formed() {
    assert_well_formed(&html(&seed_strategy()));
}

#[test]
fn markdown_of_seed_reads_back() {
    let s = seed_strategy();
    assert_eq!(reimport(&markdown(&s)), as_imported(&s));
}

#[test]
fn empty_parts_keep_the_four_section_headings() {
    let mut s = small_strategy();
    s.priorities.clear();
    s.goals.clear();
    s.management_objectives.clear();
    s.country = None;
    s.marking = None;
    s.approved = None;
    let md = markdown(&s);
    for heading in [
        "## 1. Chief of Mission Priorities",
        "## 2. Mission Strategic Framework",
        "## 3. Mission Goals and Objectives",
        "## 4. Management Objective",
    ] {
        assert!(
            md.contains(&format!("\n{heading}\n")),
            "{heading} missing:\n{md}"
        );
    }
    assert!(
        !md.contains("Approved") && !md.contains("FOR PUBLIC RELEASE"),
        "{md}"
    );
    let page = html(&s);
    assert_well_formed(&page);
    assert!(page.contains("4. Management Objective</h2>"), "{page}");
}

#[test]
fn several_management_objectives_are_numbered_under_a_plural_heading() {
    let mut s = small_strategy();
    let mut second: ManagementObjective = s.management_objectives[0].clone();
    second.number = Number::nth(2);
    second.title = "Facilities are safe.".into();
    s.management_objectives.push(second);
    let md = markdown(&s);
    assert!(md.contains("\n4. Management Objectives\n"), "{md}");
    assert!(md.contains("\n## 4. Management Objectives\n"), "{md}");
    assert!(
        md.contains("\n**Management Objective 1:** Mission Mali"),
        "{md}"
    );
    assert!(
        md.contains("\n### Management Objective 2: Facilities are safe.\n"),
        "{md}"
    );
    let page = html(&s);
    assert_well_formed(&page);
    assert!(page.contains("id=\"management-2\""), "{page}");
}

#[test]
fn a_single_management_objective_numbered_other_than_one_keeps_its_number() {
    let mut s = small_strategy();
    s.management_objectives[0].number = Number::nth(2);
    let md = markdown(&s);
    assert!(md.contains("\n### Management Objective 2: "), "{md}");
}

proptest! {
    #[test]
    fn html_is_well_formed_for_any_strategy(s in arb_strategy()) {
        assert_well_formed(&html(&s));
    }

    #[test]
    fn html_is_well_formed_whatever_the_text(
        title in any::<String>(),
        country in any::<String>(),
        marking in any::<String>(),
        paragraph in any::<String>(),
    ) {
        let mut s = small_strategy();
        s.title = title.clone();
        s.country = Some(country);
        s.marking = Some(marking);
        s.priorities = vec![paragraph.clone()];
        s.goals[0].title = title;
        s.goals[0].description = Some(paragraph);
        assert_well_formed(&html(&s));
    }

    #[test]
    fn markdown_reads_back_to_the_same_strategy(s in arb_strategy()) {
        let md = markdown(&s);
        prop_assert_eq!(reimport(&md), as_imported(&s), "markdown:\n{}", md);
    }
}
