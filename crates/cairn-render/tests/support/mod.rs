//! Strategies for the render tests: a small hand-built one and a proptest generator.

use cairn_core::{Goal, ManagementObjective, Number, Objective, StrategyKind};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

fn number(text: &str) -> Number {
    Number::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn objective(number_text: &str, title: &str) -> Objective {
    Objective {
        number: number(number_text),
        title: title.into(),
        justification: None,
        linkages: None,
        risks: None,
        links: Vec::new(),
        sub_objectives: Vec::new(),
    }
}

/// A small strategy that touches every part of the layout: two goals, nested sub-objectives,
/// blocks present and absent, multi-paragraph blocks, text that needs escaping, one
/// unnumbered management objective.
pub fn small_strategy() -> cairn_core::Strategy {
    let mut o11 = objective(
        "1.1",
        "Mali lays the groundwork for a civilian-led government.",
    );
    o11.justification = Some(
        "Elections matter.\n\nRisks: a sentence that looks like a label, and *stars*, _underscores_ and <tags>."
            .into(),
    );
    o11.linkages = Some("Aligns with AF JRS Objectives 3.1 and 3.3.".into());
    o11.risks = Some("- Delays & \"extensions\" could follow.".into());
    let mut s111 = objective("1.1.1", "Voter rolls are updated (CDCS DO1)");
    s111.justification = Some("3. Not a list item; Mali's rolls are old.".into());
    let mut s1111 = objective("1.1.1.1", "Regional offices | staffed");
    s1111.risks = Some("Objective 1.1: not a heading.".into());
    s111.sub_objectives.push(s1111);
    o11.sub_objectives.push(s111);
    let o12 = objective(
        "1.2",
        "Mali perceives the United States as a trusted partner.",
    );

    cairn_core::Strategy {
        kind: StrategyKind::Ics,
        country: Some("Mali".into()),
        title: "Integrated Country Strategy".into(),
        marking: Some("FOR PUBLIC RELEASE".into()),
        approved: "2022-05-05".parse().ok(),
        priorities: vec![
            "U.S. relations with Mali are at a critical juncture.".into(),
            "# Not a heading, and $132 million in FY 2019 is 50% more.".into(),
        ],
        goals: vec![
            Goal {
                number: number("1"),
                title: "Democratic institutions are strengthened.".into(),
                description: Some("First paragraph.\n\nSecond paragraph [with brackets].".into()),
                links: Vec::new(),
                objectives: vec![o11, o12],
            },
            Goal {
                number: number("2"),
                title: "Security is enhanced.".into(),
                description: None,
                links: Vec::new(),
                objectives: Vec::new(),
            },
        ],
        management_objectives: vec![ManagementObjective {
            number: Number::one(),
            title: "Mission Mali has the resources it needs.".into(),
            justification: Some("Staffing is hard.".into()),
            linkages: None,
            risks: Some("Failure threatens the Mission.".into()),
            links: Vec::new(),
        }],
        figures: Vec::new(),
    }
}

/// Sentences the generated narrative is made of: each ends with a period, and many carry
/// characters or openings that Markdown or the importer would otherwise read as structure.
const SENTENCES: &[&str] = &[
    "U.S. relations with Mali are at a critical juncture.",
    "The United States remains the largest bilateral donor.",
    "Funding reached $132 million in FY 2019.",
    "Growth averaged 5% a year since 2014.",
    "The *so-called* roadmap stalled.",
    "Use snake_case_names and __dunder__ here.",
    "Item #3 is still open.",
    "Choose A | B | C for now.",
    "A backslash \\ and a pair \\\\ appear.",
    "Values < 5 and > 2 hold.",
    "Trade & investment grew.",
    "The entity &amp; stays literal.",
    "See [annex 2](http://example.org) for details.",
    "- not a bullet.",
    "+ not a bullet either.",
    "3. Not a list item.",
    "12) Not a list item either.",
    "Risks: these are inside a sentence.",
    "Justification: this is text, not a label.",
    "Objective 1.1: not a heading.",
    "Mission Goal 2 | not a heading either.",
    "Table of Contents: none.",
    "# Not a heading.",
    "> Not a quote.",
    "`code` is not code.",
    "~~not struck~~ text.",
    "He said \"quoted\" and 'single' words.",
    "Élections à Ségou et Kidal.",
    "Mali's 2020 coup triggered restrictions on 7031(c) grounds.",
    "Rates fell by 1.5 percent.",
    "Goal 2.",
    "Objective 1.1 is on track.",
    "Risk and mitigation: not a label.",
    "Linkage - not a label.",
    "Description: a sentence.",
    "Approved May 5, 2022.",
    "Integrated Country Strategy for Mali.",
    "Contents: a box of papers.",
    "=== is not a rule.",
    "Al-Qa'ida-linked groups spread to 3 regions.",
];

const COUNTRIES: &[&str] = &["Mali", "Niger", "Chad", "Senegal", "Ghana", "Togo"];

fn sentence() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(SENTENCES)
}

fn paragraph() -> impl Strategy<Value = String> {
    vec(sentence(), 1..4).prop_map(|s| s.join(" "))
}

fn text() -> impl Strategy<Value = String> {
    vec(paragraph(), 1..4).prop_map(|p| p.join("\n\n"))
}

fn title() -> impl Strategy<Value = String> {
    vec(sentence(), 1..3).prop_map(|s| s.join(" "))
}

/// An objective before numbering: its title, blocks and children.
#[derive(Debug, Clone)]
struct Shape {
    title: String,
    justification: Option<String>,
    linkages: Option<String>,
    risks: Option<String>,
    children: Vec<Shape>,
}

/// An objective with up to `levels` levels of sub-objectives below it.
fn shape(levels: u32) -> BoxedStrategy<Shape> {
    let children = if levels == 0 {
        Just(Vec::new()).boxed()
    } else {
        vec(shape(levels - 1), 0..3).boxed()
    };
    (
        title(),
        option::of(text()),
        option::of(text()),
        option::of(text()),
        children,
    )
        .prop_map(|(title, justification, linkages, risks, children)| Shape {
            title,
            justification,
            linkages,
            risks,
            children,
        })
        .boxed()
}

fn numbered(shape: Shape, number_text: String) -> Objective {
    let sub_objectives = shape
        .children
        .into_iter()
        .enumerate()
        .map(|(i, c)| numbered(c, format!("{number_text}.{}", i + 1)))
        .collect();
    Objective {
        number: number(&number_text),
        title: shape.title,
        justification: shape.justification,
        linkages: shape.linkages,
        risks: shape.risks,
        links: Vec::new(),
        sub_objectives,
    }
}

fn goal() -> impl Strategy<Value = (String, Option<String>, Vec<Shape>)> {
    // Objectives are number depth 2; two more levels make sub-objectives down to 1.1.1.1.
    (title(), option::of(text()), vec(shape(2), 0..5))
}

fn management() -> impl Strategy<Value = (String, Option<String>, Option<String>, Option<String>)> {
    (
        title(),
        option::of(text()),
        option::of(text()),
        option::of(text()),
    )
}

/// Random strategies: 1–4 goals with 0–4 objectives each and sub-objectives down to number
/// depth 4, 0–3 management objectives numbered 1..n, narrative from [`SENTENCES`]; no links
/// or figures (the importer derives those).
pub fn arb_strategy() -> impl Strategy<Value = cairn_core::Strategy> {
    let cover = (
        proptest::sample::select(COUNTRIES),
        option::of(Just("FOR PUBLIC RELEASE")),
        option::of((2015i32..2031, 1u32..13, 1u32..29)),
        vec(paragraph(), 1..4),
    );
    (cover, vec(goal(), 1..5), vec(management(), 0..4)).prop_map(
        |((country, marking, approved, priorities), goals, managements)| cairn_core::Strategy {
            kind: StrategyKind::Ics,
            country: Some(country.into()),
            title: StrategyKind::Ics.cover_title().into(),
            marking: marking.map(Into::into),
            approved: approved.and_then(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}").parse().ok()),
            priorities,
            goals: goals
                .into_iter()
                .enumerate()
                .map(|(i, (title, description, objectives))| Goal {
                    number: Number::nth(i + 1),
                    title,
                    description,
                    links: Vec::new(),
                    objectives: objectives
                        .into_iter()
                        .enumerate()
                        .map(|(j, o)| numbered(o, format!("{}.{}", i + 1, j + 1)))
                        .collect(),
                })
                .collect(),
            management_objectives: managements
                .into_iter()
                .enumerate()
                .map(
                    |(i, (title, justification, linkages, risks))| ManagementObjective {
                        number: Number::nth(i + 1),
                        title,
                        justification,
                        linkages,
                        risks,
                        links: Vec::new(),
                    },
                )
                .collect(),
            figures: Vec::new(),
        },
    )
}
