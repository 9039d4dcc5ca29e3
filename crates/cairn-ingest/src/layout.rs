//! Lines → the document's layout: cover facts, sections, element headings and their labelled
//! blocks. Paragraphs broken by a page (a sentence cut off, its rest after the footer, even
//! turned into a bullet) are joined again here.

use std::collections::HashSet;
use std::sync::LazyLock;

use cairn_core::{Draft, DraftElement, ElementKind, Heading, Number, StrategyKind};

use crate::lines::{self, Kind, Label, Section};

/// A paragraph being gathered from consecutive lines. Its text (a heading's title) is
/// gathered in one buffer that every paragraph reuses.
#[derive(Debug, Clone, PartialEq)]
enum Para {
    Heading {
        kind: ElementKind,
        number: Option<Number>,
    },
    Label(Label),
    Bullet,
    Text,
}

/// Whether text ends a sentence (so what follows a break starts a new paragraph).
fn ends_sentence(t: &str) -> bool {
    let t = t.trim_end_matches(['"', '\'', '”', '’', ')', ']', ' ']);
    t.chars()
        .next_back()
        .is_some_and(|c| matches!(lines::unmask_char(c), '.' | '!' | '?' | ':' | ';'))
}

fn starts_lowercase(t: &str) -> bool {
    t.chars().next().is_some_and(char::is_lowercase)
}

/// Appends a wrapped line: a hyphen at the break joins without a space ("civilian-\nled").
fn push_line(buf: &mut String, line: &str) {
    let line = line.trim();
    if line.is_empty() {
        return;
    }
    let hyphen_break = buf.ends_with('-') && buf[..buf.len() - 1].ends_with(char::is_alphanumeric);
    if !buf.is_empty() && !hyphen_break {
        buf.push(' ');
    }
    buf.push_str(line);
}

/// Collapses runs of whitespace and turns masked escapes back into characters.
fn finish(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    finish_into(&mut out, t);
    out
}

/// [`finish`], appending to `out`.
fn finish_into(out: &mut String, t: &str) {
    let b = t.as_bytes();
    let ascii = is_printable_ascii(b);
    let from = out.len();
    let tidy = if ascii {
        is_tidy_ascii(b)
    } else {
        is_tidy_unicode(b)
    };
    if tidy {
        out.push_str(t);
    } else {
        for (i, w) in t.split_whitespace().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(w);
        }
    }
    // Masked escapes are not ASCII: printable ASCII holds none.
    if !ascii {
        lines::unmask_from(out, from);
    }
}

static DOUBLE_SPACE: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new("  "));

/// Whether text is printable ASCII, in blocks the compiler can vectorise (every paragraph goes
/// through it).
fn is_printable_ascii(b: &[u8]) -> bool {
    !b.chunks(32).any(|ch| {
        ch.iter()
            .fold(false, |acc, &c| acc | !(0x20..0x7F).contains(&c))
    })
}

/// Whether printable ASCII needs no whitespace collapsing: no leading, trailing or double space.
fn is_tidy_ascii(b: &[u8]) -> bool {
    b.first() != Some(&b' ') && b.last() != Some(&b' ') && DOUBLE_SPACE.find(b).is_none()
}

/// Whether text needs no whitespace collapsing (what `finish` decides through the two below).
#[cfg(test)]
fn is_tidy(b: &[u8]) -> bool {
    if is_printable_ascii(b) {
        is_tidy_ascii(b)
    } else {
        is_tidy_unicode(b)
    }
}

/// Whether other text needs no whitespace collapsing: no leading, trailing or double space, no
/// control character and no Unicode space.
fn is_tidy_unicode(b: &[u8]) -> bool {
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') || DOUBLE_SPACE.find(b).is_some() {
        return false;
    }
    // Control characters, in blocks the compiler can vectorise.
    if b.chunks(32)
        .any(|ch| ch.iter().fold(false, |acc, &c| acc | (c < 0x20)))
    {
        return false;
    }
    // Unicode spaces: each starts with one of four bytes, looked for with the search routines.
    let space_at = |i: usize| match b[i] {
        // U+0085, U+00A0
        0xC2 => matches!(b.get(i + 1), Some(0x85 | 0xA0)),
        // U+1680
        0xE1 => b.get(i + 1..i + 3) == Some(&[0x9A, 0x80]),
        // U+2000–U+200A, U+2028, U+2029, U+202F, U+205F
        0xE2 => matches!(
            (b.get(i + 1), b.get(i + 2)),
            (Some(0x80), Some(0x80..=0x8A | 0xA8 | 0xA9 | 0xAF)) | (Some(0x81), Some(0x9F))
        ),
        // U+3000
        0xE3 => b.get(i + 1..i + 3) == Some(&[0x80, 0x80]),
        _ => false,
    };
    !memchr::memchr3_iter(0xC2, 0xE1, 0xE2, b).any(space_at)
        && !memchr::memchr_iter(0xE3, b).any(space_at)
}

/// Where in the document the reader is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Cover,
    Contents,
    Priorities,
    Framework,
    Detail,
}

struct Reader {
    place: Place,
    seen_section: bool,
    kind: Option<StrategyKind>,
    /// The cover's title line, which running headers repeat.
    cover_text: Option<String>,
    country: Option<String>,
    /// Banners in the order seen.
    banners: Vec<String>,
    approved: Option<chrono::NaiveDate>,
    contents_listed: Vec<Section>,
    priorities: Vec<String>,
    summary: Vec<Heading>,
    /// What the summary lists, to notice when a document without a "3." heading starts over.
    listed: HashSet<(ElementKind, Number)>,
    detail: Vec<DraftElement>,
    /// The block of the current detail element that narrative goes to.
    block: Option<Label>,
    /// A heading whose title is still to come on the next lines.
    awaiting_title: bool,
}

impl Reader {
    fn new() -> Self {
        Self {
            place: Place::Cover,
            seen_section: false,
            kind: None,
            cover_text: None,
            country: None,
            banners: Vec::new(),
            approved: None,
            contents_listed: Vec::new(),
            priorities: Vec::new(),
            summary: Vec::new(),
            listed: HashSet::new(),
            detail: Vec::new(),
            block: None,
            awaiting_title: false,
        }
    }

    fn enter(&mut self, section: Section) {
        self.seen_section = true;
        self.block = None;
        self.awaiting_title = false;
        self.place = match section {
            Section::Contents => Place::Contents,
            Section::Priorities => Place::Priorities,
            Section::Framework => Place::Framework,
            Section::Detail | Section::Management => Place::Detail,
        };
    }

    /// Takes one finished paragraph with its `text` that began at `line`.
    fn take(&mut self, para: Para, text: &str, line: u32) {
        if self.awaiting_title {
            if matches!(para, Para::Text | Para::Bullet) {
                let t = finish(text);
                self.set_last_title(t);
                self.awaiting_title = false;
                return;
            }
            self.awaiting_title = false;
        }
        match para {
            Para::Heading { kind, number } => self.heading(kind, number, text, line),
            Para::Label(label) => {
                if self.place == Place::Detail && !self.detail.is_empty() {
                    self.block = Some(label);
                    self.append(text);
                } else if self.place == Place::Priorities {
                    self.priorities.push(finish(text));
                }
            }
            Para::Bullet | Para::Text => match self.place {
                Place::Priorities => {
                    let t = finish(text);
                    if !t.is_empty() {
                        self.priorities.push(t);
                    }
                }
                Place::Detail => self.append(text),
                Place::Cover | Place::Contents | Place::Framework => {}
            },
        }
    }

    fn heading(&mut self, kind: ElementKind, number: Option<Number>, title: &str, line: u32) {
        // A document without a "3." heading: the second listing of an element starts the detail.
        // (A first listing is remembered at once: the summary lists it.)
        if self.place == Place::Framework
            && let Some(n) = &number
            && !self.listed.insert((kind, n.clone()))
        {
            self.place = Place::Detail;
        }
        if matches!(
            self.place,
            Place::Cover | Place::Contents | Place::Priorities
        ) {
            // Headings before any framework: a draft that starts at its goals.
            self.place = Place::Detail;
        }
        let title = finish(title);
        self.awaiting_title = title.is_empty();
        let h = Heading {
            kind,
            number,
            title,
            line,
        };
        if self.place == Place::Framework {
            self.summary.push(h);
        } else {
            self.block = None;
            self.detail.push(DraftElement {
                heading: Some(h),
                ..DraftElement::default()
            });
        }
    }

    fn set_last_title(&mut self, title: String) {
        let h = if self.place == Place::Framework {
            self.summary.last_mut()
        } else {
            self.detail.last_mut().and_then(|e| e.heading.as_mut())
        };
        if let Some(h) = h {
            h.title = title;
        }
    }

    /// Adds a paragraph to the current block of the current detail element. Unlabelled
    /// narrative under a goal is its description, under an objective its justification.
    fn append(&mut self, text: &str) {
        let Some(e) = self.detail.last_mut() else {
            return;
        };
        let Some(kind) = e.heading.as_ref().map(|h| h.kind) else {
            return;
        };
        let label = self.block.unwrap_or(if kind == ElementKind::Goal {
            Label::Description
        } else {
            Label::Justification
        });
        self.block = Some(label);
        let slot = match label {
            Label::Description => &mut e.description,
            Label::Justification => &mut e.justification,
            Label::Linkages => &mut e.linkages,
            Label::Risks => &mut e.risks,
        };
        match slot {
            Some(existing) => {
                let len = existing.len();
                existing.push_str("\n\n");
                finish_into(existing, text);
                // An empty paragraph adds nothing.
                if existing.len() == len + 2 {
                    existing.truncate(len);
                }
            }
            None => *slot = Some(finish(text)),
        }
        // An empty label ("Risks" alone on its line) is filled by what follows.
        if slot.as_deref() == Some("") {
            *slot = None;
        }
    }

    fn cover_line(&mut self, kind: &Kind) {
        match kind {
            Kind::CoverTitle {
                kind: k,
                country,
                text,
            } if self.kind.is_none() => {
                self.kind = Some(*k);
                self.cover_text = Some(text.clone());
                if let Some(c) = country {
                    self.country = Some(if lines::is_country_caps(c) {
                        lines::country_name(c)
                    } else {
                        c.clone()
                    });
                }
            }
            Kind::Text(t) | Kind::Bullet(t)
                if self.place == Place::Cover
                    && self.country.is_none()
                    && self.kind.is_some()
                    && lines::is_country_caps(t) =>
            {
                self.country = Some(lines::country_name(&lines::unmask(t.to_string())));
            }
            _ => {}
        }
    }
}

/// Reads the layout of a decoded document into a draft for the core to assemble.
pub fn read(text: &str) -> Draft {
    let mut r = Reader::new();
    let mut pending: Option<(Para, u32)> = None;
    // The pending paragraph's text.
    let mut buf = String::new();
    // A blank line (or page furniture after one) since the pending paragraph's last line.
    let mut gap = false;
    // `text.split('\n')`, with the crate's faster search for the line ends.
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain([text.len()]);
    let mut start = 0;
    for (i, end) in ends.enumerate() {
        let raw = &text[start..end];
        start = end + 1;
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let kind = lines::classify(raw);
        match &kind {
            Kind::Blank => {
                gap = true;
                continue;
            }
            Kind::Furniture => continue,
            Kind::Banner(b) => {
                if !r.banners.contains(b) {
                    r.banners.push(b.clone());
                }
                continue;
            }
            Kind::Approved(d) => {
                r.approved = r.approved.or(*d);
                continue;
            }
            _ => {}
        }
        let kind = match kind {
            Kind::CoverTitle { .. } if !r.seen_section && r.kind.is_none() => {
                r.cover_line(&kind);
                continue;
            }
            // A running header repeats the cover's title line; other lines that merely start
            // with a strategy's name are prose.
            Kind::CoverTitle { text, .. } => {
                if r.cover_text
                    .as_deref()
                    .is_some_and(|c| c.eq_ignore_ascii_case(&text))
                {
                    continue;
                }
                Kind::Text(text.into())
            }
            other => {
                if !r.seen_section {
                    r.cover_line(&other);
                }
                other
            }
        };
        if r.place == Place::Contents {
            if let Kind::Section { section, listed } = kind {
                if listed || !r.contents_listed.contains(&section) {
                    r.contents_listed.push(section);
                    continue;
                }
            } else if is_contents_entry(raw) {
                continue;
            }
        }
        // `buf` holds the pending paragraph's text (a heading's title).
        let continues = |p: &Para| -> bool {
            match (&kind, p) {
                (Kind::Text(t), Para::Heading { .. }) => {
                    !gap && !buf.is_empty() && (!ends_sentence(&buf) || starts_lowercase(t))
                }
                (Kind::Text(_), Para::Label(_) | Para::Bullet | Para::Text) => {
                    !gap || !ends_sentence(&buf)
                }
                // A page break that turned a sentence's rest into a bullet.
                (Kind::Bullet(t), Para::Label(_) | Para::Bullet | Para::Text) => {
                    gap && !ends_sentence(&buf) && starts_lowercase(t)
                }
                _ => false,
            }
        };
        if let Some((p, _)) = &pending
            && continues(p)
        {
            if let Kind::Text(t) | Kind::Bullet(t) = &kind {
                push_line(&mut buf, t);
            }
            gap = false;
            continue;
        }
        if let Some((p, l)) = pending.take() {
            r.take(p, &buf, l);
            buf.clear();
        }
        gap = false;
        let para = match kind {
            // Taken at once: the lines that follow are read in the new section's terms.
            Kind::Section { section, .. } => {
                r.enter(section);
                continue;
            }
            Kind::Heading {
                kind,
                number,
                title,
            } => {
                buf.push_str(&title);
                Para::Heading { kind, number }
            }
            Kind::Label { label, text } => {
                buf.push_str(&text);
                Para::Label(label)
            }
            Kind::Bullet(t) => {
                buf.push_str(&t);
                Para::Bullet
            }
            Kind::Text(t) => {
                buf.push_str(&t);
                Para::Text
            }
            Kind::Blank
            | Kind::Furniture
            | Kind::Banner(_)
            | Kind::Approved(_)
            | Kind::CoverTitle { .. } => continue,
        };
        pending = Some((para, line_no));
    }
    if let Some((p, l)) = pending.take() {
        r.take(p, &buf, l);
    }
    let marking = r
        .banners
        .iter()
        .find(|b| b.eq_ignore_ascii_case("FOR PUBLIC RELEASE"))
        .or(r.banners.first())
        .cloned();
    let kind = r.kind.unwrap_or(StrategyKind::Ics);
    Draft {
        kind,
        country: r.country,
        title: kind.cover_title().to_string(),
        marking,
        approved: r.approved,
        priorities: r.priorities,
        summary: r.summary,
        detail: r.detail,
    }
}

/// A contents line of any other kind: text followed by dot leaders or a tab and a page number.
fn is_contents_entry(raw: &str) -> bool {
    let t = raw.trim_end();
    let body = t.trim_end_matches(|c: char| c.is_ascii_digit());
    body.len() < t.len() && (body.ends_with('\t') || body.ends_with("..") || body.ends_with('…'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn tidy_means_nothing_to_collapse(s in "\\PC{0,40}") {
            let collapsed = s.split_whitespace().collect::<Vec<_>>().join(" ");
            // Printable text (no control characters): tidy exactly when collapsing changes nothing.
            prop_assert_eq!(is_tidy(s.as_bytes()), collapsed == s);
            prop_assert_eq!(lines::unmask(finish(&s)), lines::unmask(collapsed));
        }
    }

    #[test]
    fn tidy_text_is_recognised_exactly() {
        for s in ["plain text", "Mali\u{2019}s \u{201c}goal\u{201d}", "a", ""] {
            assert!(is_tidy(s.as_bytes()), "{s:?}");
        }
        for s in [
            " lead",
            "trail ",
            "two  spaces",
            "tab\there",
            "line\nbreak",
            "nb\u{a0}sp",
            "em\u{2003}space",
            "ideo\u{3000}graphic",
            "ogham\u{1680}mark",
            "narrow\u{202f}nbsp",
        ] {
            assert!(!is_tidy(s.as_bytes()), "{s:?}");
        }
        // The slow path agrees with the fast one on what tidy text becomes.
        for s in ["x\u{a0}y", "x \u{2009} y", "  x\t y  "] {
            assert_eq!(
                finish(s),
                s.split_whitespace().collect::<Vec<_>>().join(" ")
            );
        }
    }
}
