//! The strategy as Markdown in the official layout, in the shape the importer reads back:
//! `#` headings for the cover, sections and elements, `**Label:** text` for narrative blocks,
//! `- ` bullets for the compact outline.

use cairn_core::{Goal, ManagementObjective, Objective, Strategy, StrategyKind};

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

/// Words that make the importer read a paragraph as structure when they open it and a
/// separator follows (':', '|', '-', or a dotted number such as "Goal 1." or "Objective 1.1"):
/// element headings, narrative labels and section names, in the spellings it accepts.
const STRUCTURE_WORDS: &[&str] = &[
    "Mission Management Objective",
    "Management Objectives",
    "Management Objective",
    "Mission Sub-Objective",
    "Mission Sub Objective",
    "Sub-Objective",
    "Sub Objective",
    "Subobjective",
    "Mission Objective",
    "Objective",
    "Mission Goals and Objectives",
    "Mission Goals & Objectives",
    "Goals and Objectives",
    "Mission Goal",
    "Goal",
    "Risks and Mitigations",
    "Risks and Mitigation",
    "Risk and Mitigation",
    "Justification",
    "Description",
    "Linkages",
    "Linkage",
    "Risks",
    "Risk",
    "Table of Contents",
    "Contents",
    "Chief of Mission Priorities",
    "Chief of Office Priorities",
    "Mission Strategic Framework",
    "Strategic Framework",
];

/// Openings the importer reads as a whole cover or furniture line when the rest looks like a
/// country or a date ("Integrated Country Strategy – Mali", "Approved May 5, 2022"): the
/// cover titles of every strategy kind, and "Approved".
fn whole_line_words() -> impl Iterator<Item = &'static str> {
    StrategyKind::ALL
        .into_iter()
        .map(StrategyKind::cover_title)
        .chain(["Approved"])
}

/// Bullet glyphs the importer strips from the start of a line when a space follows. The
/// ASCII ones are also CommonMark list markers ('*' is escaped everywhere anyway).
const LEADING_BULLETS: &[char] = &['-', '+', '•', '●', '▪', '◦', '‣', '■', '□', '➢', '➤', '·'];

/// Escapes one paragraph (or title) of plain text so that it reads the same in any CommonMark
/// viewer and parses back to the same text with the importer, which removes `\X` escapes of
/// ASCII punctuation before it looks for structure:
/// - inline markup everywhere: `\ * _ ` [ ] < > # | ~`, and `&` where it would start an entity
///   reference;
/// - block markers at the start: a leading `-` or `+`, a leading bullet glyph followed by a
///   space, digits followed by `.` or `)` and a space (an ordered list item), and a paragraph
///   made only of rule characters ("===");
/// - a paragraph that opens like structure the importer recognises: after a heading, label or
///   section word ("Risks:", "Objective 1.1:", "Goal 2.", "Table of Contents |"), the first
///   dot of a number and the separator ':', '|' or '-' are escaped; after a cover title or
///   "Approved", the first ASCII punctuation is.
///
/// What no ASCII escape can protect is left as written: a separator that is an en or em dash,
/// a bare "Goal 2", an all-capitals label followed by a space ("RISKS remain"), a paragraph
/// that is only a banner or a page number.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    let mut chars = rest.chars();
    let (first, second) = (chars.next(), chars.next());

    if let Some(c) = first.filter(|c| {
        LEADING_BULLETS.contains(c) && (c.is_ascii() || matches!(second, Some(' ' | '\t')))
    }) {
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
    let opening = rest.len() - rest.trim_start().len();
    let structural: Vec<usize> = structure_escapes(&rest[opening..])
        .into_iter()
        .map(|i| i + opening)
        .collect();
    let rule = rest
        .chars()
        .all(|c| matches!(c, '-' | '_' | '=' | '*' | ' '));

    for (i, c) in rest.char_indices() {
        let escaped = match c {
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|' | '~' => true,
            '&' => starts_entity(&rest[i + 1..]),
            '=' => rule,
            _ => structural.contains(&i),
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
    let mut after = text[digits..].chars();
    match (after.next(), after.next()) {
        (Some('.' | ')'), None) => Some(digits + 1),
        (Some('.' | ')'), Some(c)) if c.is_whitespace() => Some(digits + 1),
        _ => None,
    }
}

/// The longest of `words` that opens `text` (case-insensitive); its length. Unless `allow_glued`,
/// the word must not be glued to a following letter, digit or hyphen ("Goals",
/// "Goal-based" are prose), as the importer's headings and labels require.
fn opening_word<'a>(
    text: &str,
    words: impl Iterator<Item = &'a str>,
    allow_glued: bool,
) -> Option<usize> {
    words
        .filter(|w| {
            text.get(..w.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(w))
                && (allow_glued
                    || !text[w.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '-'))
        })
        .map(str::len)
        .max()
}

/// Byte offsets, in `text`, of the punctuation that would let the importer read the opening
/// of `text` as structure.
fn structure_escapes(text: &str) -> Vec<usize> {
    if let Some(len) = opening_word(text, whole_line_words(), true) {
        return text[len..]
            .find(|c: char| c.is_ascii_punctuation())
            .map(|i| vec![len + i])
            .unwrap_or_default();
    }
    let Some(mut i) = opening_word(text, STRUCTURE_WORDS.iter().copied(), false) else {
        return Vec::new();
    };
    let bytes = text.as_bytes();
    let skip_spaces = |mut i: usize| {
        while bytes.get(i).is_some_and(|b| *b == b' ' || *b == b'\t') {
            i += 1;
        }
        i
    };
    let mut out = Vec::new();
    i = skip_spaces(i);
    let number_start = i;
    while bytes
        .get(i)
        .is_some_and(|b| b.is_ascii_digit() || *b == b'.')
    {
        i += 1;
    }
    let number = &text[number_start..i];
    // "Goal 2. Title" and a bare "Objective 1.1" are headings without any separator; an
    // escaped first dot ends the number there and leaves nothing that separates.
    let bare = text[i..].trim().is_empty();
    if let Some(dot) = number.find('.').filter(|_| number.ends_with('.') || bare) {
        out.push(number_start + dot);
    }
    i = skip_spaces(i);
    if matches!(bytes.get(i), Some(b':' | b'|' | b'-')) {
        out.push(i);
    }
    out
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
            r"\&amp; \&\#38; \&\#x26; & &x"
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
    fn structure_words_at_the_start_lose_their_separator() {
        for (text, escaped) in [
            ("Risks: none.", r"Risks\: none."),
            ("RISKS: none.", r"RISKS\: none."),
            ("risk : yes.", r"risk \: yes."),
            ("Risks and mitigations: x", r"Risks and mitigations\: x"),
            ("Linkage - x", r"Linkage \- x"),
            ("justification : yes.", r"justification \: yes."),
            ("Description: x", r"Description\: x"),
            (
                "Objective 1.1: not a heading.",
                r"Objective 1.1\: not a heading.",
            ),
            ("Mission Goal 2 | x.", r"Mission Goal 2 \| x."),
            ("Sub-Objective 1.1.1: x", r"Sub-Objective 1.1.1\: x"),
            ("Subobjective 2 - x", r"Subobjective 2 \- x"),
            ("Management Objective: x", r"Management Objective\: x"),
            (
                "Mission Management Objective 2: x",
                r"Mission Management Objective 2\: x",
            ),
            ("Table of Contents: x", r"Table of Contents\: x"),
            ("Contents:", r"Contents\:"),
            (
                "Mission Strategic Framework:",
                r"Mission Strategic Framework\:",
            ),
            ("Goals and Objectives:", r"Goals and Objectives\:"),
            ("- Risks: x", r"\- Risks\: x"),
            // Numbered headings without a separator.
            ("Goal 2.", r"Goal 2\."),
            ("Goal 2. Next sentence.", r"Goal 2\. Next sentence."),
            ("Objective 1.1", r"Objective 1\.1"),
            ("Goal 1.: x", r"Goal 1\.\: x"),
            // Only the first separator, and only at the start.
            ("Risks: a: b", r"Risks\: a: b"),
            ("The Risks: x", "The Risks: x"),
            ("Objective 1.1 is on track.", "Objective 1.1 is on track."),
            ("Goal setting matters: x", "Goal setting matters: x"),
            ("Goals: plural.", "Goals: plural."),
            ("Goal-based: x", "Goal-based: x"),
            ("Risky times: x", "Risky times: x"),
        ] {
            assert_eq!(escape(text), escaped, "{text}");
        }
    }

    #[test]
    fn cover_and_approval_openings_lose_their_first_punctuation() {
        for (text, escaped) in [
            ("Approved: May 5, 2022.", r"Approved\: May 5, 2022."),
            ("Approved May 5, 2022.", r"Approved May 5\, 2022."),
            ("Approved 05/05/2022", r"Approved 05\/05/2022"),
            (
                "Integrated Country Strategy for Mali.",
                r"Integrated Country Strategy for Mali\.",
            ),
            (
                "Joint Regional Strategy - Africa",
                r"Joint Regional Strategy \- Africa",
            ),
            (
                "Integrated Country Strategys",
                "Integrated Country Strategys",
            ),
        ] {
            assert_eq!(escape(text), escaped, "{text}");
        }
    }

    #[test]
    fn non_ascii_bullets_are_escaped_only_where_they_would_be_bullets() {
        assert_eq!(escape("• dot."), r"\• dot.");
        assert_eq!(escape("● Risks: x"), r"\● Risks\: x");
        assert_eq!(escape("•dot."), "•dot.");
        assert_eq!(escape("•"), "•");
        assert_eq!(escape("a • b"), "a • b");
    }

    #[test]
    fn rule_lines_are_escaped() {
        assert_eq!(escape("==="), r"\=\=\=");
        assert_eq!(escape("= = ="), r"\= \= \=");
        assert_eq!(escape("a == b"), "a == b");
    }
}
