//! The strategy as Markdown in the official layout, in the shape the importer reads back:
//! `#` headings for the cover, sections and elements, `**Label:** text` for narrative blocks,
//! `- ` bullets for the compact outline.

use cairn_core::{Goal, ManagementObjective, Objective, Strategy};

use crate::outline::{self, Section};

/// Renders the strategy as Markdown that parses back to the same strategy.
pub fn markdown(strategy: &Strategy) -> String {
    let mut blocks: Vec<String> = Vec::new();
    cover(strategy, &mut blocks);
    let sections = outline::sections(strategy);
    contents(&sections, &mut blocks);
    let [priorities, framework, detail, management] = &sections;

    blocks.push(section_heading(priorities));
    for text in &strategy.priorities {
        blocks.extend(outline::paragraphs(text).iter().map(|p| escape(p)));
    }

    blocks.push(section_heading(framework));
    for goal in &strategy.goals {
        summary_goal(goal, &mut blocks);
    }
    for m in &strategy.management_objectives {
        blocks.push(format!(
            "**{}:** {}",
            outline::management_label(strategy, m),
            title(&m.title)
        ));
    }

    blocks.push(section_heading(detail));
    for goal in &strategy.goals {
        detail_goal(goal, &mut blocks);
    }

    blocks.push(section_heading(management));
    for m in &strategy.management_objectives {
        detail_management(strategy, m, &mut blocks);
    }

    let mut out = blocks.join("\n\n");
    out.push('\n');
    out
}

fn cover(strategy: &Strategy, blocks: &mut Vec<String>) {
    blocks.push(format!("# {}", title(outline::cover_title(strategy))));
    if let Some(country) = strategy.country.as_deref().filter(|c| !c.trim().is_empty()) {
        blocks.push(format!("**{}**", title(&country.to_uppercase())));
    }
    if let Some(marking) = strategy.marking.as_deref().filter(|m| !m.trim().is_empty()) {
        blocks.push(format!("**{}**", title(marking)));
    }
    if let Some(date) = outline::approved_date(strategy) {
        blocks.push(format!("Approved: {date}"));
    }
}

fn contents(sections: &[Section; 4], blocks: &mut Vec<String>) {
    blocks.push("## Table of Contents".to_string());
    let entries: Vec<String> = sections
        .iter()
        .map(|s| format!("{}. {}", s.number, s.title))
        .collect();
    blocks.push(entries.join("\n"));
}

fn section_heading(section: &Section) -> String {
    format!("## {}. {}", section.number, section.title)
}

fn summary_goal(goal: &Goal, blocks: &mut Vec<String>) {
    blocks.push(format!(
        "**{}:** {}",
        outline::goal_label(goal),
        title(&goal.title)
    ));
    let mut items = Vec::new();
    for objective in &goal.objectives {
        summary_objective(objective, 0, &mut items);
    }
    if !items.is_empty() {
        blocks.push(items.join("\n"));
    }
}

/// One list item per objective, sub-objectives nested two spaces deeper per level (the
/// content column of "- " items, so CommonMark nests them).
fn summary_objective(objective: &Objective, indent: usize, items: &mut Vec<String>) {
    items.push(format!(
        "{:indent$}- **{}:** {}",
        "",
        outline::summary_objective_label(objective),
        title(&objective.title)
    ));
    for sub in &objective.sub_objectives {
        summary_objective(sub, indent + 2, items);
    }
}

fn detail_goal(goal: &Goal, blocks: &mut Vec<String>) {
    blocks.push(format!(
        "### {}: {}",
        outline::goal_label(goal),
        title(&goal.title)
    ));
    if let Some(text) = &goal.description {
        labelled("Description", text, blocks);
    }
    for objective in &goal.objectives {
        detail_objective(objective, blocks);
    }
}

fn detail_objective(objective: &Objective, blocks: &mut Vec<String>) {
    blocks.push(format!(
        "{} {}: {}",
        "#".repeat(outline::objective_level(objective)),
        outline::detail_objective_label(objective),
        title(&objective.title)
    ));
    for (label, text) in outline::objective_blocks(
        &objective.justification,
        &objective.linkages,
        &objective.risks,
    ) {
        labelled(label, text, blocks);
    }
    for sub in &objective.sub_objectives {
        detail_objective(sub, blocks);
    }
}

fn detail_management(strategy: &Strategy, m: &ManagementObjective, blocks: &mut Vec<String>) {
    blocks.push(format!(
        "### {}: {}",
        outline::management_label(strategy, m),
        title(&m.title)
    ));
    for (label, text) in outline::objective_blocks(&m.justification, &m.linkages, &m.risks) {
        labelled(label, text, blocks);
    }
}

/// "**Label:** first paragraph", then the block's further paragraphs on their own.
fn labelled(label: &str, text: &str, blocks: &mut Vec<String>) {
    let paragraphs = outline::paragraphs(text);
    let mut rest = paragraphs.iter();
    match rest.next() {
        Some(first) => blocks.push(format!("**{label}:** {}", escape(first))),
        // An empty block is still a block: keep the label so it reads back as present.
        None => blocks.push(format!("**{label}:**")),
    }
    blocks.extend(rest.map(|p| escape(p)));
}

fn title(text: &str) -> String {
    escape(&outline::one_line(text))
}

/// Words that open structure when a paragraph starts with them (optionally numbered) and a
/// ':' or '|' follows: narrative labels, element headings, the table of contents and the
/// cover's approval line (also running page furniture). Longest first, so that "Mission
/// Objective" wins over "Objective".
const STRUCTURE_WORDS: &[&str] = &[
    "Management Objective",
    "Mission Objective",
    "Table of Contents",
    "Sub-Objective",
    "Sub Objective",
    "Justification",
    "Mission Goal",
    "Description",
    "Objective",
    "Approved",
    "Linkages",
    "Risks",
    "Goal",
];

/// Characters that start a list item (or, for the importer, a bullet) at the start of a line.
const LEADING_BULLETS: &[char] = &['-', '+', '•'];

/// Escapes one paragraph (or title) of plain text so that it reads the same in any CommonMark
/// viewer and parses back to the same text with the importer, which removes `\X` escapes of
/// ASCII punctuation:
/// - inline markup everywhere: `\ * _ ` [ ] < > # | ~`, and `&` where it would start an entity
///   reference;
/// - block markers at the start: a leading `-`, `+` or `•`, and digits followed by `.` or `)`
///   and a space (an ordered list item);
/// - a paragraph that starts like structure the importer recognises ("Risks:", "Objective
///   1.2:", "Table of Contents |"): the ':' after the word and optional number becomes `\:`
///   (a '|' is escaped anyway).
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;

    if let Some(c) = rest.chars().next().filter(|c| LEADING_BULLETS.contains(c)) {
        out.push('\\');
        out.push(c);
        rest = &rest[c.len_utf8()..];
    } else if let Some(len) = ordered_marker_len(rest) {
        // "12." → "12\." : the digits stay, the delimiter is escaped.
        out.push_str(&rest[..len - 1]);
        out.push('\\');
        out.push_str(&rest[len - 1..len]);
        rest = &rest[len..];
    }

    // After a leading bullet the importer could still see a label ("- Risks: …").
    let structure_at = rest.len() - rest.trim_start().len();
    let colon = structure_colon(&rest[structure_at..]).map(|i| i + structure_at);

    for (i, c) in rest.char_indices() {
        let escaped = match c {
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|' | '~' => true,
            ':' => colon == Some(i),
            '&' => starts_entity(&rest[i + 1..]),
            _ => false,
        };
        if escaped {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Length of a leading ordered-list marker ("1." or "3)" followed by a space or the end).
fn ordered_marker_len(text: &str) -> Option<usize> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let after = &text[digits..];
    let mut chars = after.chars();
    match (chars.next(), chars.next()) {
        (Some('.' | ')'), None) => Some(digits + 1),
        (Some('.' | ')'), Some(c)) if c.is_whitespace() => Some(digits + 1),
        _ => None,
    }
}

/// Byte offset of the ':' in "Word[ number]:" at the start of `text`, when Word is one of the
/// structure words (case-insensitive).
fn structure_colon(text: &str) -> Option<usize> {
    let word = STRUCTURE_WORDS.iter().find(|w| {
        text.get(..w.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(w))
    })?;
    let mut i = word.len();
    let bytes = text.as_bytes();
    let skip_spaces = |mut i: usize| {
        while bytes.get(i).is_some_and(|b| *b == b' ' || *b == b'\t') {
            i += 1;
        }
        i
    };
    i = skip_spaces(i);
    let number_start = i;
    while bytes
        .get(i)
        .is_some_and(|b| b.is_ascii_digit() || *b == b'.')
    {
        i += 1;
    }
    // A word glued to the label ("Goals:", "Risksome:") is not the label.
    if i == word.len() && bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    if i > number_start {
        i = skip_spaces(i);
    }
    (bytes.get(i) == Some(&b':')).then_some(i)
}

/// Whether the text after an '&' would make it an entity or character reference
/// ("amp;", "#38;", "#x26;").
fn starts_entity(after: &str) -> bool {
    let body = after.strip_prefix('#').unwrap_or(after);
    let name = body.bytes().take_while(u8::is_ascii_alphanumeric).count();
    name > 0 && body.as_bytes().get(name) == Some(&b';')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_unchanged() {
        for t in [
            "U.S. assistance to Mali's people reached $132 million in FY 2019.",
            "Élections à Bamako, \"quoted\" and 'single'.",
            "AT&T and R&D stay as written; 5 - 3 = 2.",
            "Objectives 1.4 and 1.5 align. Risks: inside a sentence.",
            "Goals: plural is not a heading.",
            "1.5 percent is not a list.",
        ] {
            assert_eq!(escape(t), t);
        }
    }

    #[test]
    fn inline_markup_is_escaped() {
        assert_eq!(
            escape(r"a *b* _c_ `d` [e](f) <g> #h i|j k\l ~~m~~"),
            r"a \*b\* \_c\_ \`d\` \[e\](f) \<g\> \#h i\|j k\\l \~\~m\~\~"
        );
    }

    #[test]
    fn entity_references_are_escaped_but_bare_ampersands_are_not() {
        assert_eq!(
            escape("&amp; &#38; &#x26; & &x"),
            r"\&amp; \&#38; \&#x26; & &x"
        );
    }

    #[test]
    fn leading_block_markers_are_escaped() {
        assert_eq!(escape("- not a bullet."), r"\- not a bullet.");
        assert_eq!(escape("-based"), r"\-based");
        assert_eq!(escape("+ plus."), r"\+ plus.");
        assert_eq!(escape("• dot."), r"\• dot.");
        assert_eq!(escape("---"), r"\---");
        assert_eq!(escape("3. Not a list item."), r"3\. Not a list item.");
        assert_eq!(escape("2021) was a year."), r"2021\) was a year.");
        assert_eq!(escape("7."), r"7\.");
        assert_eq!(escape("# Heading"), r"\# Heading");
        assert_eq!(escape("> quote"), r"\> quote");
        // Only at the start.
        assert_eq!(escape("a - b + c 3. d"), "a - b + c 3. d");
    }

    #[test]
    fn structure_words_at_the_start_lose_their_colon() {
        assert_eq!(escape("Risks: none."), r"Risks\: none.");
        assert_eq!(escape("RISKS: none."), r"RISKS\: none.");
        assert_eq!(escape("justification : yes."), r"justification \: yes.");
        assert_eq!(
            escape("Objective 1.1: not a heading."),
            r"Objective 1.1\: not a heading."
        );
        assert_eq!(escape("Mission Goal 2 | x."), r"Mission Goal 2 \| x.");
        assert_eq!(escape("Sub-Objective 1.1.1: x"), r"Sub-Objective 1.1.1\: x");
        assert_eq!(
            escape("Management Objective: x"),
            r"Management Objective\: x"
        );
        assert_eq!(escape("Table of Contents: x"), r"Table of Contents\: x");
        assert_eq!(escape("Approved: May 5, 2022."), r"Approved\: May 5, 2022.");
        assert_eq!(escape("- Risks: x"), r"\- Risks\: x");
        // Only the first colon, and only at the start.
        assert_eq!(escape("Risks: a: b"), r"Risks\: a: b");
        assert_eq!(escape("The Risks: x"), "The Risks: x");
        assert_eq!(escape("Goal setting matters: x"), "Goal setting matters: x");
    }
}
