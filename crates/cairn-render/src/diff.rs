//! A readable plain-text report of a [`StrategyDiff`]: one line per changed cover fact and per
//! element change, then every changed block with its old and new text one above the other and
//! the words that differ marked.

use std::borrow::Cow;
use std::fmt::Write as _;

use cairn_core::diff::{
    BlockChange, CoverChange, CoverField, ElementChange, StrategyDiff, WordOp, WordSegment,
};
use cairn_core::{ElementKind, Node};

/// Unchanged words kept on each side of a change inside a block; longer unchanged stretches
/// are shortened to "…".
const CONTEXT: usize = 10;

/// The report of a diff. Lines:
///
/// - `~ approved: 2022-03-01 → 2023-05-04` for a changed cover fact (`(none)` for an absent one);
/// - `+ Objective 2.3 (e12): title` added, `- Objective 1.4 (e7): title` removed,
///   `~ Objective 1.2 → 1.3 (e5)` renumbered, `~ Objective 1.1 (e4) retitled: old → new`
///   retitled (removed words marked in the old title, added words in the new);
/// - after a blank line, for each changed block a header (`Objective 1.3 (e5) justification:`)
///   and the old text on a `  - ` line above the new text on a `  + ` line (a block that
///   appeared or disappeared has only one of them).
///
/// Removed words are marked `[-…-]` and added words `{+…+}`, or red and green with `colour`;
/// neighbouring changed words share one mark. Unchanged stretches of more than 2 × 10 words
/// inside a block are shortened to their first and last 10 words around "…". An empty diff
/// reads "no changes".
pub fn diff_text(d: &StrategyDiff, colour: bool) -> String {
    let style = Style { colour };
    if d.is_empty() {
        return "no changes\n".into();
    }
    let mut out = String::new();
    for c in &d.cover {
        cover_line(&mut out, c);
    }
    for c in &d.elements {
        element_line(&mut out, c, style);
    }
    for b in &d.blocks {
        if !out.is_empty() {
            out.push('\n');
        }
        block_lines(&mut out, b, style);
    }
    out
}

#[derive(Clone, Copy)]
struct Style {
    colour: bool,
}

impl Style {
    fn mark(self, op: WordOp, text: &str) -> String {
        match (op, self.colour) {
            (WordOp::Delete, false) => format!("[-{text}-]"),
            (WordOp::Insert, false) => format!("{{+{text}+}}"),
            (WordOp::Delete, true) => format!("\x1b[31m{text}\x1b[0m"),
            (WordOp::Insert, true) => format!("\x1b[32m{text}\x1b[0m"),
            (WordOp::Equal, _) => text.to_string(),
        }
    }

    /// The sign that opens a line: `+`, `-` or `~`, coloured when asked.
    fn sign(self, sign: char) -> String {
        match (sign, self.colour) {
            ('+', true) => "\x1b[32m+\x1b[0m".into(),
            ('-', true) => "\x1b[31m-\x1b[0m".into(),
            _ => sign.to_string(),
        }
    }
}

/// "Goal 1", "Objective 1.2", "Sub-Objective 1.2.1", "Management Objective 1".
fn label(node: &Node) -> String {
    match node {
        Node::Priorities => "Chief of Mission Priorities".into(),
        Node::Goal(n) => ElementKind::Goal.label(n),
        Node::Objective(n) => ElementKind::Objective.label(n),
        Node::Management(n) => ElementKind::ManagementObjective.label(n),
    }
}

fn cover_line(out: &mut String, c: &CoverChange) {
    let field = match c.field {
        CoverField::Kind => "kind",
        CoverField::Country => "country",
        CoverField::Title => "title",
        CoverField::Marking => "marking",
        CoverField::Approved => "approved",
    };
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
    let _ = writeln!(out, "~ {field}: {} → {}", show(&c.old), show(&c.new));
}

fn element_line(out: &mut String, c: &ElementChange, style: Style) {
    match c {
        ElementChange::Added { id, node, title } => {
            let _ = writeln!(out, "{} {} ({id}): {title}", style.sign('+'), label(node));
        }
        ElementChange::Removed { id, node, title } => {
            let _ = writeln!(out, "{} {} ({id}): {title}", style.sign('-'), label(node));
        }
        ElementChange::Renumbered { id, from, to } => {
            let (from_label, to_label) = (label(from), label(to));
            // "Objective 1.2 → 1.3", but "Sub-Objective 1.2.1 → Objective 1.3".
            let same_kind =
                from_label.rsplit_once(' ').map(|p| p.0) == to_label.rsplit_once(' ').map(|p| p.0);
            let to_text = match to {
                Node::Goal(n) | Node::Objective(n) | Node::Management(n) if same_kind => {
                    n.to_string()
                }
                _ => to_label,
            };
            let _ = writeln!(out, "~ {from_label} → {to_text} ({id})");
        }
        ElementChange::Retitled {
            id,
            node,
            old,
            new,
            words,
        } => {
            let words = or_whole(words, Some(old), Some(new));
            let _ = writeln!(
                out,
                "~ {} ({id}) retitled: {} → {}",
                label(node),
                side(&words, WordOp::Delete, style, false),
                side(&words, WordOp::Insert, style, false)
            );
        }
    }
}

fn block_lines(out: &mut String, b: &BlockChange, style: Style) {
    let header = match (b.id, &b.node) {
        (None, node) | (_, node @ Node::Priorities) => format!("{}:", label(node)),
        (Some(id), node) => format!("{} ({id}) {}:", label(node), b.block.name()),
    };
    let _ = writeln!(out, "{header}");
    // Paragraphs (separated by a blank line in the text) go on lines of their own.
    let indent = |text: String| {
        text.split('\n')
            .filter(|l| !l.trim().is_empty())
            .collect::<Vec<_>>()
            .join("\n    ")
    };
    let words = or_whole(&b.words, b.old.as_deref(), b.new.as_deref());
    if b.old.is_some() {
        let line = side(&words, WordOp::Delete, style, true);
        let _ = writeln!(out, "  {} {}", style.sign('-'), indent(line));
    }
    if b.new.is_some() {
        let line = side(&words, WordOp::Insert, style, true);
        let _ = writeln!(out, "  {} {}", style.sign('+'), indent(line));
    }
}

/// The word diff as given, or (when a diff arrives without one) the whole old text deleted
/// and the whole new text inserted.
fn or_whole<'w>(
    words: &'w [WordSegment],
    old: Option<&str>,
    new: Option<&str>,
) -> Cow<'w, [WordSegment]> {
    if !words.is_empty()
        || (old.unwrap_or_default().is_empty() && new.unwrap_or_default().is_empty())
    {
        return Cow::Borrowed(words);
    }
    let whole = |op, text: Option<&str>| {
        text.filter(|t| !t.is_empty()).map(|t| WordSegment {
            op,
            text: t.to_string(),
        })
    };
    Cow::Owned(
        whole(WordOp::Delete, old)
            .into_iter()
            .chain(whole(WordOp::Insert, new))
            .collect(),
    )
}

/// One side of a word diff: the old text (`keep` = delete) or the new (`keep` = insert), its
/// own changed words marked. A run of changed words with only whitespace between them is one
/// mark; whitespace at the edges of a run stays outside the mark.
fn side(words: &[WordSegment], keep: WordOp, style: Style, elide: bool) -> String {
    let last = words.len().saturating_sub(1);
    let pieces: Vec<(bool, Cow<str>)> = words
        .iter()
        .enumerate()
        .filter(|(_, w)| w.op == WordOp::Equal || w.op == keep)
        .map(|(i, w)| {
            if w.op != WordOp::Equal {
                (true, Cow::Borrowed(w.text.as_str()))
            } else if elide {
                (false, shorten(&w.text, i == 0, i == last))
            } else {
                (false, Cow::Borrowed(w.text.as_str()))
            }
        })
        .collect();

    let mut out = String::new();
    let mut run = String::new();
    let mut gap = String::new();
    let flush = |out: &mut String, run: &mut String| {
        if run.is_empty() {
            return;
        }
        let core = run.trim();
        let lead = &run[..run.len() - run.trim_start().len()];
        let trail = &run[run.trim_end().len()..];
        out.push_str(lead);
        if !core.is_empty() {
            out.push_str(&style.mark(keep, core));
        }
        out.push_str(trail);
        run.clear();
    };
    for (changed, text) in &pieces {
        if *changed {
            run.push_str(&gap);
            gap.clear();
            run.push_str(text);
        } else if !run.is_empty() && text.trim().is_empty() {
            // Whitespace between two changes joins them if another change follows.
            gap.push_str(text);
        } else {
            flush(&mut out, &mut run);
            out.push_str(&gap);
            gap.clear();
            out.push_str(text);
        }
    }
    flush(&mut out, &mut run);
    out.push_str(&gap);
    out
}

/// An unchanged stretch with more than 2 × [`CONTEXT`] words keeps only the words next to
/// the changes: its last words when it opens the block, its first when it closes it, both
/// around "…" in between.
fn shorten(text: &str, first: bool, last: bool) -> Cow<'_, str> {
    let spans: Vec<(usize, usize)> = word_spans(text);
    let n = spans.len();
    if n <= 2 * CONTEXT || (first && last) {
        return Cow::Borrowed(text);
    }
    let head = &text[..spans[CONTEXT - 1].1];
    let tail = &text[spans[n - CONTEXT].0..];
    Cow::Owned(if first {
        format!("… {tail}")
    } else if last {
        format!("{head} …")
    } else {
        format!("{head} … {tail}")
    })
}

/// Byte ranges of the words (runs without whitespace) of a text.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use cairn_core::ElementId;
    use cairn_core::diff::{Block, words};

    fn node(s: &str) -> Node {
        s.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    fn block(
        id: Option<u32>,
        at: &str,
        b: Block,
        old: Option<&str>,
        new: Option<&str>,
    ) -> BlockChange {
        BlockChange {
            id: id.map(ElementId),
            node: node(at),
            block: b,
            old: old.map(Into::into),
            new: new.map(Into::into),
            words: words(old.unwrap_or_default(), new.unwrap_or_default()),
        }
    }

    #[test]
    fn empty_diff_says_so() {
        assert_eq!(diff_text(&StrategyDiff::default(), false), "no changes\n");
    }

    #[test]
    fn one_line_per_element_change() {
        let d = StrategyDiff {
            cover: vec![CoverChange {
                field: CoverField::Approved,
                old: Some("2022-03-01".into()),
                new: None,
            }],
            elements: vec![
                ElementChange::Removed {
                    id: ElementId(7),
                    node: node("objective:1.4"),
                    title: "Reduce corruption".into(),
                },
                ElementChange::Added {
                    id: ElementId(12),
                    node: node("objective:2.3"),
                    title: "Expand access to electricity".into(),
                },
                ElementChange::Renumbered {
                    id: ElementId(5),
                    from: node("objective:1.2"),
                    to: node("objective:1.3"),
                },
                ElementChange::Renumbered {
                    id: ElementId(9),
                    from: node("objective:1.2.1"),
                    to: node("objective:1.4"),
                },
                ElementChange::Renumbered {
                    id: ElementId(10),
                    from: node("management:1"),
                    to: node("management:2"),
                },
                ElementChange::Retitled {
                    id: ElementId(4),
                    node: node("objective:1.1"),
                    old: "Strengthen the Malian security forces".into(),
                    new: "Strengthen and professionalize the Malian army".into(),
                    words: words(
                        "Strengthen the Malian security forces",
                        "Strengthen and professionalize the Malian army",
                    ),
                },
            ],
            blocks: Vec::new(),
        };
        assert_eq!(
            diff_text(&d, false),
            "~ approved: 2022-03-01 → (none)\n\
             - Objective 1.4 (e7): Reduce corruption\n\
             + Objective 2.3 (e12): Expand access to electricity\n\
             ~ Objective 1.2 → 1.3 (e5)\n\
             ~ Sub-Objective 1.2.1 → Objective 1.4 (e9)\n\
             ~ Management Objective 1 → 2 (e10)\n\
             ~ Objective 1.1 (e4) retitled: Strengthen the Malian [-security forces-] → \
             Strengthen {+and professionalize+} the Malian {+army+}\n"
        );
    }

    #[test]
    fn blocks_show_old_above_new_with_shared_marks() {
        let d = StrategyDiff {
            blocks: vec![
                block(
                    Some(3),
                    "objective:1.2",
                    Block::Justification,
                    Some("The accord frames a fragile peace today."),
                    Some("The accord still frames a durable lasting peace today."),
                ),
                block(
                    None,
                    "priorities",
                    Block::Priorities,
                    Some("Peace."),
                    Some("Peace and growth."),
                ),
                block(
                    Some(5),
                    "goal:2",
                    Block::Description,
                    None,
                    Some("Growth for all."),
                ),
            ],
            ..StrategyDiff::default()
        };
        assert_eq!(
            diff_text(&d, false),
            "Objective 1.2 (e3) justification:\n  \
             - The accord frames a [-fragile-] peace today.\n  \
             + The accord {+still+} frames a {+durable lasting+} peace today.\n\
             \n\
             Chief of Mission Priorities:\n  \
             - [-Peace.-]\n  \
             + {+Peace and growth.+}\n\
             \n\
             Goal 2 (e5) description:\n  \
             + {+Growth for all.+}\n"
        );
    }

    #[test]
    fn neighbouring_replaced_words_share_one_mark() {
        let w = words("one two three four five", "one six seven four five");
        assert_eq!(
            side(&w, WordOp::Delete, Style { colour: false }, true),
            "one [-two three-] four five"
        );
        assert_eq!(
            side(&w, WordOp::Insert, Style { colour: false }, true),
            "one {+six seven+} four five"
        );
    }

    #[test]
    fn colour_uses_red_and_green_instead_of_marks() {
        let d = StrategyDiff {
            blocks: vec![block(
                Some(1),
                "goal:1",
                Block::Description,
                Some("a fragile peace"),
                Some("a durable peace"),
            )],
            ..StrategyDiff::default()
        };
        let text = diff_text(&d, true);
        assert!(text.contains("a \x1b[31mfragile\x1b[0m peace"), "{text:?}");
        assert!(text.contains("a \x1b[32mdurable\x1b[0m peace"), "{text:?}");
        assert!(!text.contains("[-") && !text.contains("{+"));
    }

    #[test]
    fn long_unchanged_stretches_are_shortened() {
        let words_of =
            |r: std::ops::Range<u32>| r.map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ");
        let old = format!(
            "{} old {} old {}",
            words_of(0..30),
            words_of(30..60),
            words_of(60..65)
        );
        let new = format!(
            "{} new {} new {}",
            words_of(0..30),
            words_of(30..60),
            words_of(60..65)
        );
        let d = StrategyDiff {
            blocks: vec![block(
                Some(2),
                "objective:1.1",
                Block::Risks,
                Some(&old),
                Some(&new),
            )],
            ..StrategyDiff::default()
        };
        let text = diff_text(&d, false);
        // Opening stretch: its last words; middle: both ends; a short closing one: whole.
        assert!(text.contains("  - … w20 w21"), "{text}");
        assert!(text.contains("w29 [-old-] w30"), "{text}");
        assert!(text.contains("w39 … w50"), "{text}");
        assert!(text.contains("w59 {+new+} w60 w61 w62 w63 w64\n"), "{text}");
        assert!(!text.contains("w40"), "{text}");
        assert!(!text.contains("w19 "), "{text}");
    }

    #[test]
    fn a_diff_without_word_lists_shows_whole_texts() {
        let mut d = StrategyDiff {
            blocks: vec![block(
                Some(1),
                "goal:1",
                Block::Description,
                Some("Old."),
                Some("New."),
            )],
            elements: vec![ElementChange::Retitled {
                id: ElementId(1),
                node: node("goal:1"),
                old: "Peace".into(),
                new: "Security".into(),
                words: Vec::new(),
            }],
            ..StrategyDiff::default()
        };
        d.blocks[0].words.clear();
        assert_eq!(
            diff_text(&d, false),
            "~ Goal 1 (e1) retitled: [-Peace-] → {+Security+}\n\
             \n\
             Goal 1 (e1) description:\n  \
             - [-Old.-]\n  \
             + {+New.+}\n"
        );
    }

    #[test]
    fn paragraphs_stay_indented() {
        let d = StrategyDiff {
            blocks: vec![block(
                Some(2),
                "management:1",
                Block::Linkages,
                Some("First.\n\nSecond."),
                Some("First.\n\nSecond and third."),
            )],
            ..StrategyDiff::default()
        };
        assert_eq!(
            diff_text(&d, false),
            "Management Objective 1 (e2) linkages:\n  \
             - First.\n    [-Second.-]\n  \
             + First.\n    {+Second and third.+}\n"
        );
    }
}

#[cfg(test)]
mod sample {
    use cairn_core::identity::carry;

    #[test]
    fn mali_revision_report() {
        let parsed = cairn_ingest::parse(include_bytes!("../../../samples/mali-ics-2022.txt"))
            .unwrap_or_else(|e| panic!("{e}"));
        let a = parsed.strategy;
        let mut b = a.clone();
        let g = &mut b.goals[0];
        let mut inserted = g.objectives[0].clone();
        inserted.title = "Protect civilians in conflict zones".into();
        inserted.justification = Some("New objective.".into());
        inserted.linkages = None;
        inserted.risks = None;
        inserted.sub_objectives.clear();
        g.objectives.insert(0, inserted);
        for (i, o) in g.objectives.iter_mut().enumerate() {
            o.number = format!("1.{}", i + 1)
                .parse()
                .unwrap_or_else(|e| panic!("{e:?}"));
        }
        b.goals[1].objectives[0].title = b.goals[1].objectives[0].title.replace("and", "and also");
        if let Some(j) = b.goals[1].objectives[0].justification.as_mut() {
            *j = j.replacen("the", "THE", 1);
        }
        b.management_objectives.pop();
        let ia = carry(None, &a);
        let ib = carry(Some((&a, &ia)), &b);
        let d = cairn_core::diff::diff((&a, &ia), (&b, &ib));
        let text = super::diff_text(&d, false);
        let fresh = ia.next_free();
        for line in [
            format!("+ Objective 1.1 ({fresh}): Protect civilians in conflict zones\n"),
            "~ Objective 1.1 → 1.2 (e2)\n".into(),
            "~ Objective 1.4 → 1.5 (e5)\n".into(),
            "- Management Objective 1 (e13): To ensure Mission Mali".into(),
            "trustworthiness, and {+also+} transparency.\n".into(),
            "Objective 2.1 (e7) justification:\n".into(),
            "as well as [-the-] stability".into(),
            "as well as {+THE+} stability".into(),
            format!("Objective 1.1 ({fresh}) justification:\n  + {{+New objective.+}}\n"),
        ] {
            assert!(text.contains(&line), "{line:?} not in\n{text}");
        }
        // Only what changed: nothing of goal 1 or of the unchanged objectives' text.
        assert!(!text.contains(&a.goals[0].title), "{text}");
        assert!(!text.contains("Objective 1.2 (e2) justification"), "{text}");
        assert!(!text.contains("Goal"), "{text}");
    }
}
