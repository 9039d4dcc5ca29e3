//! What both renderers share: section names, element labels, anchors and paragraph splitting,
//! so that Markdown and HTML cannot drift apart in wording.

use cairn_core::{Goal, ManagementObjective, Number, Objective, Strategy};

/// One of the four numbered sections of the published layout.
pub(crate) struct Section {
    pub number: u8,
    pub title: &'static str,
    /// Anchor of the section in the HTML page.
    pub id: &'static str,
}

/// The four sections in order; section 4 is plural when there is more than one management
/// objective, as the published documents write it.
pub(crate) fn sections(strategy: &Strategy) -> [Section; 4] {
    let management = if strategy.management_objectives.len() > 1 {
        "Management Objectives"
    } else {
        "Management Objective"
    };
    [
        Section {
            number: 1,
            title: "Chief of Mission Priorities",
            id: "chief-of-mission-priorities",
        },
        Section {
            number: 2,
            title: "Mission Strategic Framework",
            id: "mission-strategic-framework",
        },
        Section {
            number: 3,
            title: "Mission Goals and Objectives",
            id: "mission-goals-and-objectives",
        },
        Section {
            number: 4,
            title: management,
            id: "management-objectives",
        },
    ]
}

/// The cover title: the strategy's own, else the one its kind prints.
pub(crate) fn cover_title(strategy: &Strategy) -> &str {
    let title = strategy.title.trim();
    if title.is_empty() {
        strategy.kind.cover_title()
    } else {
        title
    }
}

/// The cover's approval date as printed: "May 5, 2022".
pub(crate) fn approved_date(strategy: &Strategy) -> Option<String> {
    strategy
        .approved
        .map(|d| d.format("%B %-d, %Y").to_string())
}

/// "Mission Goal 1".
pub(crate) fn goal_label(goal: &Goal) -> String {
    format!("Mission Goal {}", goal.number)
}

/// How the compact outline (section 2) names an objective: "Mission Objective 1.1",
/// "Sub-Objective 1.1.1".
pub(crate) fn summary_objective_label(objective: &Objective) -> String {
    if objective.number.depth() > 2 {
        format!("Sub-Objective {}", objective.number)
    } else {
        format!("Mission Objective {}", objective.number)
    }
}

/// How the detail (section 3) names an objective: "Objective 1.1", "Sub-Objective 1.1.1".
pub(crate) fn detail_objective_label(objective: &Objective) -> String {
    if objective.number.depth() > 2 {
        format!("Sub-Objective {}", objective.number)
    } else {
        format!("Objective {}", objective.number)
    }
}

/// "Management Objective 2", or plain "Management Objective" for a document whose single
/// management objective is number 1: that is how such documents print it, and the importer
/// numbers an unnumbered one "1".
pub(crate) fn management_label(strategy: &Strategy, m: &ManagementObjective) -> String {
    if strategy.management_objectives.len() == 1 && m.number == Number::one() {
        "Management Objective".to_string()
    } else {
        format!("Management Objective {}", m.number)
    }
}

/// Anchor of an element in the HTML page: `goal-1`, `objective-1-2-3`, `management-1`.
pub(crate) fn goal_id(goal: &Goal) -> String {
    format!("goal-{}", dashed(&goal.number))
}

pub(crate) fn objective_id(objective: &Objective) -> String {
    format!("objective-{}", dashed(&objective.number))
}

pub(crate) fn management_id(m: &ManagementObjective) -> String {
    format!("management-{}", dashed(&m.number))
}

fn dashed(number: &Number) -> String {
    number.as_str().replace('.', "-")
}

/// Heading level of an objective in the detail: objectives sit one below their goal (level 3),
/// each sub-objective level one deeper, capped at the deepest level Markdown and HTML have.
pub(crate) fn objective_level(objective: &Objective) -> usize {
    (objective.number.depth() + 2).min(6)
}

/// The narrative blocks of an objective or management objective, in print order.
pub(crate) fn objective_blocks<'a>(
    justification: &'a Option<String>,
    linkages: &'a Option<String>,
    risks: &'a Option<String>,
) -> impl Iterator<Item = (&'static str, &'a str)> {
    [
        ("Justification", justification),
        ("Linkages", linkages),
        ("Risks", risks),
    ]
    .into_iter()
    .filter_map(|(label, text)| text.as_deref().map(|t| (label, t)))
}

/// The paragraphs of a text field (separated by blank lines), each on one line: a line break
/// inside a paragraph is only a soft break, and writing it as a space keeps a following line
/// from being read as structure.
pub(crate) fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current.join(" "));
    }
    out
}

/// A title on one line: line breaks become spaces, other spacing is kept as written.
pub(crate) fn one_line(title: &str) -> String {
    title
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_split_on_blank_lines_and_join_soft_breaks() {
        assert_eq!(
            paragraphs("One.\nTwo.\n\n\n  Three.  \n\n"),
            vec!["One. Two.".to_string(), "Three.".to_string()]
        );
        assert!(paragraphs("  \n\n").is_empty());
    }

    #[test]
    fn one_line_joins_lines() {
        assert_eq!(
            one_line(" Mali\n lays  groundwork "),
            "Mali lays  groundwork"
        );
    }
}
