//! From what the importer read to a strategy tree: numbering, nesting, merging the summary
//! (section 2) with the detail (sections 3–4), and the findings that arise on the way.

use std::collections::{HashMap, hash_map};

use chrono::NaiveDate;

use crate::diagnostic::TitlePair;
use crate::{
    Code, Diagnostic, ElementKind, Goal, ManagementObjective, Number, Objective, Strategy,
    StrategyKind, title,
};

/// An element heading as read, with its 1-based line in the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    pub kind: ElementKind,
    /// None when the document leaves it unnumbered ("Management Objective:").
    pub number: Option<Number>,
    pub title: String,
    pub line: u32,
}

/// An element of the detailed sections with its narrative blocks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DraftElement {
    pub heading: Option<Heading>,
    pub description: Option<String>,
    pub justification: Option<String>,
    pub linkages: Option<String>,
    pub risks: Option<String>,
}

/// A document as the importer read it, before the core decides its structure.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub kind: StrategyKind,
    pub country: Option<String>,
    pub title: String,
    pub marking: Option<String>,
    pub approved: Option<NaiveDate>,
    pub priorities: Vec<String>,
    /// Headings of the Mission Strategic Framework (section 2), in document order.
    pub summary: Vec<Heading>,
    /// Elements of sections 3–4, in document order.
    pub detail: Vec<DraftElement>,
}

/// The strategy and what was found while building it.
#[derive(Debug, Clone, PartialEq)]
pub struct Assembled {
    pub strategy: Strategy,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone)]
struct Entry {
    kind: ElementKind,
    number: Number,
    /// For objectives numbered without dots: the goal they stand under in the document.
    positional_parent: Option<Number>,
    title: String,
    line: u32,
    blocks: DraftElement,
    /// Whether the detail describes it (else only the summary lists it).
    described: bool,
}

/// Gives unnumbered headings the number their position implies; returns each heading's
/// number (taken from it) and, for undotted objective numbers, the goal above it.
fn number_headings<'a>(
    headings: impl Iterator<Item = &'a mut Heading>,
) -> Vec<(Number, Option<Number>)> {
    let mut goals = 0usize;
    let mut current_goal: Option<Number> = None;
    let mut objectives_in_goal = 0usize;
    let mut managements = 0usize;
    let mut out = Vec::new();
    for h in headings {
        match h.kind {
            ElementKind::Goal => {
                goals += 1;
                let n = h.number.take().unwrap_or_else(|| Number::nth(goals));
                current_goal = Some(n.clone());
                objectives_in_goal = 0;
                out.push((n, None));
            }
            ElementKind::Objective => {
                objectives_in_goal += 1;
                let n = match (h.number.take(), &current_goal) {
                    (Some(n), _) => n,
                    (None, Some(g)) => Number::parse(&format!("{g}.{objectives_in_goal}"))
                        .unwrap_or_else(|_| Number::nth(objectives_in_goal)),
                    (None, None) => Number::nth(objectives_in_goal),
                };
                let positional = (n.depth() == 1).then(|| current_goal.clone()).flatten();
                out.push((n, positional));
            }
            ElementKind::ManagementObjective => {
                managements += 1;
                out.push((
                    h.number.take().unwrap_or_else(|| Number::nth(managements)),
                    None,
                ));
            }
        }
    }
    out
}

/// What is known of one (kind, number): the entry for it and the line the summary lists it at.
#[derive(Default, Clone, Copy)]
struct Slot {
    entry: Option<usize>,
    summary_line: Option<u32>,
}

/// Builds the strategy tree from a draft and reports duplicate numbers, orphans, title drift
/// between summary and detail, elements never described and missing narrative fields.
pub fn assemble(draft: Draft) -> Assembled {
    let mut diags = Vec::new();
    // The detail's elements, each with its heading taken out.
    let mut headings = Vec::with_capacity(draft.detail.len());
    let mut described = Vec::with_capacity(draft.detail.len());
    for mut e in draft.detail {
        if let Some(h) = e.heading.take() {
            headings.push(h);
            described.push(e);
        }
    }
    let detail_numbers = number_headings(headings.iter_mut());
    let mut summary = draft.summary;
    let summary_numbers = number_headings(summary.iter_mut());

    let mut entries: Vec<Entry> = Vec::with_capacity(headings.len());
    let mut slots: HashMap<(ElementKind, Number), Slot> =
        HashMap::with_capacity(headings.len() + summary.len());
    for ((h, blocks), (number, positional_parent)) in
        headings.into_iter().zip(described).zip(detail_numbers)
    {
        match slots.entry((h.kind, number.clone())) {
            hash_map::Entry::Occupied(o) => {
                if let Some(first) = o.get().entry {
                    diags.push(Diagnostic::new(
                        Code::DuplicateNumber,
                        h.line,
                        format!(
                            "{} is described twice: here and at line {}",
                            h.kind.label(&number),
                            entries[first].line
                        ),
                    ));
                }
            }
            hash_map::Entry::Vacant(v) => {
                v.insert(Slot {
                    entry: Some(entries.len()),
                    summary_line: None,
                });
            }
        }
        entries.push(Entry {
            kind: h.kind,
            number,
            positional_parent,
            title: h.title,
            line: h.line,
            blocks,
            described: true,
        });
    }

    for (h, (number, positional_parent)) in summary.into_iter().zip(summary_numbers) {
        let mut slot = match slots.entry((h.kind, number)) {
            hash_map::Entry::Occupied(o) => o,
            hash_map::Entry::Vacant(v) => v.insert_entry(Slot::default()),
        };
        let Slot {
            entry,
            summary_line,
        } = *slot.get();
        slot.get_mut().summary_line = Some(h.line);
        let number = &slot.key().1;
        if let Some(first) = summary_line {
            diags.push(Diagnostic::new(
                Code::DuplicateNumber,
                h.line,
                format!(
                    "{} is listed twice in the strategic framework: here and at line {first}",
                    h.kind.label(number)
                ),
            ));
            continue;
        }
        match entry {
            Some(i) => {
                let e = &entries[i];
                if !title::same(&h.title, &e.title) {
                    let mut d = Diagnostic::new(
                        Code::TitleMismatch,
                        e.line,
                        format!(
                            "{} has another title in the strategic framework (line {}): \"{}\"; the detail says \"{}\"",
                            h.kind.label(number),
                            h.line,
                            h.title,
                            e.title
                        ),
                    );
                    d.titles = Some(TitlePair {
                        summary_line: h.line,
                        summary: h.title,
                        detail: e.title.clone(),
                    });
                    diags.push(d);
                }
            }
            None => {
                diags.push(Diagnostic::new(
                    Code::MissingDetail,
                    h.line,
                    format!(
                        "{} is listed in the strategic framework but never described",
                        h.kind.label(number)
                    ),
                ));
                let number = number.clone();
                slot.get_mut().entry = Some(entries.len());
                entries.push(Entry {
                    kind: h.kind,
                    number,
                    positional_parent,
                    title: h.title,
                    line: h.line,
                    blocks: DraftElement::default(),
                    described: false,
                });
            }
        }
    }

    let full_generation = entries
        .iter()
        .any(|e| e.described && (e.blocks.linkages.is_some() || e.blocks.risks.is_some()));
    for e in &entries {
        if e.kind == ElementKind::Goal || !e.described {
            continue;
        }
        let mut missing = Vec::new();
        if e.blocks.justification.is_none() {
            missing.push("justification");
        }
        if full_generation && e.blocks.linkages.is_none() {
            missing.push("linkages");
        }
        if full_generation && e.blocks.risks.is_none() {
            missing.push("risks");
        }
        if !missing.is_empty() {
            diags.push(Diagnostic::new(
                Code::MissingField,
                e.line,
                format!("{} has no {}", e.kind.label(&e.number), missing.join(", ")),
            ));
        }
    }

    let (goals, managements) = build_tree(entries, &mut diags);
    diags.sort_by_key(|d| d.line);
    Assembled {
        strategy: Strategy {
            kind: draft.kind,
            country: draft.country,
            title: draft.title,
            marking: draft.marking,
            approved: draft.approved,
            priorities: draft.priorities,
            goals,
            management_objectives: managements,
            figures: Vec::new(),
        },
        diagnostics: diags,
    }
}

impl Entry {
    fn objective(self) -> Objective {
        Objective {
            number: self.number,
            title: self.title,
            justification: self.blocks.justification,
            linkages: self.blocks.linkages,
            risks: self.blocks.risks,
            links: Vec::new(),
            sub_objectives: Vec::new(),
        }
    }
}

fn build_tree(
    entries: Vec<Entry>,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Goal>, Vec<ManagementObjective>) {
    // Entries are large: they are sorted by index, then taken in that order.
    // Stable: duplicates keep document order.
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| entries[a].number.cmp(&entries[b].number));
    let mut entries: Vec<Option<Entry>> = entries.into_iter().map(Some).collect();
    let mut goals: Vec<Goal> = Vec::new();
    let mut goal_at: HashMap<Number, usize> = HashMap::new();
    let mut managements = Vec::new();
    let mut objectives: Vec<usize> = Vec::new();
    for i in order {
        let Some(e) = entries[i].take_if(|e| e.kind != ElementKind::Objective) else {
            objectives.push(i);
            continue;
        };
        match e.kind {
            ElementKind::Goal => {
                goal_at.entry(e.number.clone()).or_insert(goals.len());
                goals.push(Goal {
                    number: e.number,
                    title: e.title,
                    description: e.blocks.description,
                    links: Vec::new(),
                    objectives: Vec::new(),
                });
            }
            ElementKind::ManagementObjective => managements.push(ManagementObjective {
                number: e.number,
                title: e.title,
                justification: e.blocks.justification,
                linkages: e.blocks.linkages,
                risks: e.blocks.risks,
                links: Vec::new(),
            }),
            ElementKind::Objective => {}
        }
    }
    // Shallow first, so that every parent is in place before its children. Each placed
    // objective is remembered by its path (goal index, then child indices) so that placing
    // stays linear in the number of elements.
    let depth = |i: &usize| entries[*i].as_ref().map_or(0, |e| e.number.depth());
    objectives.sort_by_key(depth);
    let mut path_of: HashMap<Number, (usize, Vec<usize>)> = HashMap::new();
    for e in objectives.into_iter().filter_map(|i| entries[i].take()) {
        let parent = e.positional_parent.clone().or_else(|| e.number.parent());
        let under_goal = e.number.depth() <= 2 || e.positional_parent.is_some();
        let place = parent.as_ref().and_then(|p| {
            if under_goal {
                goal_at.get(p).map(|&g| (g, Vec::new()))
            } else {
                path_of.get(p).cloned()
            }
        });
        match place {
            Some((g, path)) => {
                let mut list = &mut goals[g].objectives;
                for &i in &path {
                    list = &mut list[i].sub_objectives;
                }
                let mut own = path;
                own.push(list.len());
                path_of.entry(e.number.clone()).or_insert((g, own));
                // Entries arrive in number order within a depth, so pushing keeps lists sorted.
                list.push(e.objective());
            }
            None => {
                let under = parent.map_or_else(
                    || "no goal".to_string(),
                    |p| {
                        let kind = if under_goal { "goal" } else { "objective" };
                        format!("{kind} {p}, which does not exist")
                    },
                );
                diags.push(Diagnostic::new(
                    Code::OrphanObjective,
                    e.line,
                    format!(
                        "{} is numbered under {under}",
                        ElementKind::Objective.label(&e.number)
                    ),
                ));
            }
        }
    }
    (goals, managements)
}
