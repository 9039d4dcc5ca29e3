//! One line at a time: markup removed, then classified as page furniture, a section or element
//! heading, a labelled block, a bullet or plain text.
//!
//! Backslash escapes (`\:`, `\*`, `\$`) are kept out of classification by masking the escaped
//! character into the Private Use Area until [`unmask`] turns it back, so that `Risks\: …`
//! written by the renderer stays text.

use std::borrow::Cow;
use std::sync::LazyLock;

use cairn_core::{ElementKind, Number, StrategyKind};
use chrono::NaiveDate;

/// The fixed sections of an ICS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Contents,
    Priorities,
    Framework,
    Detail,
    Management,
}

/// The narrative blocks an element can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Description,
    Justification,
    Linkages,
    Risks,
}

/// What a line is.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind<'a> {
    Blank,
    /// Running headers and footers, page numbers, rules, table separators.
    Furniture,
    /// A marking banner ("FOR PUBLIC RELEASE"), as printed.
    Banner(String),
    Approved(Option<NaiveDate>),
    /// "Integrated Country Strategy", with the country when the same line names it
    /// ("Integrated Country Strategy – Mali"); `text` is the line as read.
    CoverTitle {
        kind: StrategyKind,
        country: Option<String>,
        text: String,
    },
    /// A section heading; `listed` when it carries a page number or dot leaders (a contents
    /// entry).
    Section {
        section: Section,
        listed: bool,
    },
    Heading {
        kind: ElementKind,
        number: Option<Number>,
        title: String,
    },
    Label {
        label: Label,
        text: String,
    },
    Bullet(Cow<'a, str>),
    Text(Cow<'a, str>),
}

const MASK_BASE: u32 = 0xE000;

/// Turns masked escapes back into the characters they stand for.
pub fn unmask(mut s: String) -> String {
    unmask_from(&mut s, 0);
    s
}

/// [`unmask`] for the part of `s` from byte `from` on.
pub fn unmask_from(s: &mut String, from: usize) {
    // Masked characters are U+E000..U+E07F: EE 80 xx or EE 81 xx in UTF-8, standing for the
    // ASCII character whose code is the low bits of those two bytes. Only they are rewritten.
    let b = s.as_bytes();
    let masked = |p: &usize| matches!(b.get(p + 1), Some(0x80 | 0x81));
    let mut at = memchr::memchr_iter(0xEE, &b[from..])
        .map(|p| from + p)
        .filter(masked);
    let Some(first) = at.next() else {
        return;
    };
    let mut out = String::with_capacity(s.len() - first);
    let mut done = first;
    for p in std::iter::once(first).chain(at) {
        out.push_str(&s[done..p]);
        out.push(char::from(((b[p + 1] & 0x3F) << 6) | (b[p + 2] & 0x3F)));
        done = p + 3;
    }
    out.push_str(&s[done..]);
    s.truncate(first);
    s.push_str(&out);
}

/// The character a masked escape stands for; any other character as it is.
pub fn unmask_char(c: char) -> char {
    let v = c as u32;
    if (MASK_BASE..MASK_BASE + 0x80).contains(&v) {
        char::from_u32(v - MASK_BASE).unwrap_or(c)
    } else {
        c
    }
}

fn is_bullet_glyph(c: char) -> bool {
    matches!(
        c,
        '-' | '•'
            | '●'
            | '▪'
            | '*'
            | '◦'
            | '‣'
            | '■'
            | '□'
            | '➢'
            | '➤'
            | '–'
            | '·'
            | '+'
            | 'o'
    )
}

/// Strips Markdown heading marks, a bullet and table pipes; reports what it removed.
struct Stripped<'a> {
    rest: &'a str,
    bullet: bool,
    heading_mark: bool,
    cells: bool,
}

/// `line` is trimmed; so is what it returns.
fn strip_structure(line: &str) -> Stripped<'_> {
    let mut rest = line;
    let mut heading_mark = false;
    let hashes = rest.bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&hashes) && rest[hashes..].starts_with([' ', '\t']) {
        rest = rest[hashes..].trim_start();
        heading_mark = true;
    }
    let mut bullet = false;
    let mut chars = rest.chars();
    if let (Some(c), Some(next)) = (chars.next(), chars.next()) {
        // "**Bold**" is not a bullet; "* item" is.
        if is_bullet_glyph(c) && (next == ' ' || next == '\t') {
            rest = rest[c.len_utf8()..].trim_start();
            bullet = true;
        }
    }
    let mut cells = false;
    if let Some(inner) = rest.strip_prefix('|') {
        rest = inner.trim_end().strip_suffix('|').unwrap_or(inner).trim();
        cells = true;
    }
    Stripped {
        rest,
        bullet,
        heading_mark,
        cells,
    }
}

/// Removes emphasis markers and masks backslash escapes.
fn clean(s: &str) -> (Cow<'_, str>, bool) {
    let starts_bold = s.starts_with("**") || s.starts_with("__");
    let b = s.as_bytes();
    let special = |from: usize| memchr::memchr3(b'\\', b'*', b'_', &b[from..]).map(|p| from + p);
    let Some(first) = special(0) else {
        return (Cow::Borrowed(s), false);
    };
    // The text between markers is copied as it is; all three markers are ASCII.
    let mut out = String::with_capacity(s.len());
    let mut done = 0;
    let mut at = Some(first);
    while let Some(k) = at {
        out.push_str(&s[done..k]);
        done = k + 1;
        match b[k] {
            b'\\' => match s[k + 1..].chars().next() {
                Some(n) if n.is_ascii_punctuation() => {
                    out.push(char::from_u32(MASK_BASE + n as u32).unwrap_or(n));
                    done += 1;
                }
                // "\• item": bullets were stripped before this, so the glyph is plain text.
                Some(n) if !n.is_ascii() && is_bullet_glyph(n) => {
                    out.push(n);
                    done += n.len_utf8();
                }
                _ => out.push('\\'),
            },
            b'*' => {}
            b'_' if b.get(k + 1) == Some(&b'_') => done += 1,
            _ => out.push('_'),
        }
        at = special(done);
    }
    out.push_str(&s[done..]);
    (Cow::Owned(out), starts_bold)
}

/// Classifies one line of input.
pub fn classify(raw: &str) -> Kind<'_> {
    let line = raw.trim();
    if line.is_empty() {
        return Kind::Blank;
    }
    let st = strip_structure(line);
    if st.cells && is_table_rule(st.rest) {
        return Kind::Furniture;
    }
    let (text, starts_bold) = clean(st.rest);
    // `st.rest` is trimmed: only removing markup can leave space at the ends.
    let t = match &text {
        Cow::Borrowed(b) => b,
        Cow::Owned(o) => o.trim(),
    };
    if t.is_empty() || is_rule(t) {
        return Kind::Furniture;
    }
    if let Some(k) = furniture(t) {
        return k;
    }
    let opens = OPENS[usize::from(t.as_bytes()[0])];
    if let Some((section, listed)) = section(t, opens) {
        return Kind::Section { section, listed };
    }
    if opens & OPENS_HEADING != 0
        && let Some(k) = heading(t)
    {
        return k;
    }
    if opens & OPENS_LABEL != 0
        && let Some(k) = label(t, starts_bold)
    {
        return k;
    }
    if opens & OPENS_COVER != 0
        && let Some(k) = cover_title(t)
    {
        return k;
    }
    // Plain prose is by far the commonest line: it stays borrowed from the input.
    let t = if st.cells {
        Cow::Owned(t.replace(" | ", " "))
    } else {
        match text {
            Cow::Borrowed(b) => Cow::Borrowed(b),
            Cow::Owned(ref o) => Cow::Owned(o.trim().to_string()),
        }
    };
    if st.bullet && !st.heading_mark {
        Kind::Bullet(t)
    } else {
        Kind::Text(t)
    }
}

fn is_rule(t: &str) -> bool {
    t.len() >= 3 && t.chars().all(|c| matches!(c, '-' | '_' | '=' | '*' | ' '))
}

fn is_table_rule(t: &str) -> bool {
    t.chars().all(|c| matches!(c, '-' | ':' | '|' | ' '))
}

const BANNERS: &[&str] = &[
    "FOR PUBLIC RELEASE",
    "SENSITIVE BUT UNCLASSIFIED",
    "UNCLASSIFIED",
    "SBU",
];

/// Searchers for the banners, built once: every short line is searched for them.
static BANNER_FINDERS: LazyLock<Vec<memchr::memmem::Finder<'static>>> =
    LazyLock::new(|| BANNERS.iter().map(memchr::memmem::Finder::new).collect());

/// Page furniture: banners, approval lines, page numbers.
fn furniture(t: &str) -> Option<Kind<'static>> {
    for b in BANNERS {
        if t.eq_ignore_ascii_case(b) {
            return Some(Kind::Banner(t.to_string()));
        }
    }
    if let Some(rest) = strip_prefix_ci(t, "approved") {
        let rest = rest.trim_start_matches([':', ' ', '\t']).trim();
        let date = parse_date(rest);
        if date.is_some() || rest.is_empty() {
            return Some(Kind::Approved(date));
        }
    }
    // Footers are short; prose is not searched for them.
    if t.len() > 80 {
        return None;
    }
    if t.len() <= 24 && is_page_number(t) {
        return Some(Kind::Furniture);
    }
    // A footer that strings several pieces together ("FOR PUBLIC RELEASE | Page 3 of 14").
    // Footers print their banner in capitals; prose that merely mentions one is left alone.
    // Such a footer holds nothing but capitals, separators and a page number: most lines fail
    // on one of their first bytes. Every banner holds "UB", "UN" or "BU": a second test.
    let b = t.as_bytes();
    if !b.iter().all(|&c| FOOTER_BYTES[usize::from(c)]) {
        return None;
    }
    let capital_u =
        |i: usize| matches!(b.get(i + 1), Some(b'B' | b'N')) || (i > 0 && b[i - 1] == b'B');
    if !memchr::memchr_iter(b'U', b).any(capital_u) {
        return None;
    }
    if !BANNER_FINDERS
        .iter()
        .any(|f| f.find(t.as_bytes()).is_some())
    {
        return None;
    }
    let mut rest = t.to_string();
    for b in BANNERS {
        if let Some(i) = rest.find(b) {
            rest.replace_range(i..i + b.len(), " ");
        }
    }
    let rest = rest.trim_matches(|c: char| c.is_whitespace() || matches!(c, '|' | '-' | '–'));
    (rest.is_empty() || is_page_number(rest)).then_some(Kind::Furniture)
}

/// The bytes a footer of banners and a page number can hold: capitals, digits, whitespace,
/// '|', '-', the letters of "page" and "of" in lower case, and any non-ASCII byte ('–' and the
/// Unicode spaces).
static FOOTER_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_uppercase()
            || b.is_ascii_digit()
            || matches!(
                b,
                b' ' | b'\t'..=b'\r' | b'|' | b'-' | b'p' | b'a' | b'g' | b'e' | b'o' | b'f'
            )
            || b >= 0x80;
        c += 1;
    }
    t
};

/// "12", "Page 3", "Page 3 of 14", "- 3 -", "3 | Page".
fn is_page_number(t: &str) -> bool {
    if t.len() > 24 {
        return false;
    }
    let t = t.trim_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | '|'));
    // It starts with a number or "Page" and ends with a number or "Page".
    let (Some(a), Some(z)) = (t.as_bytes().first(), t.as_bytes().last()) else {
        return false;
    };
    if !(a.is_ascii_digit() || a.eq_ignore_ascii_case(&b'p'))
        || !(z.is_ascii_digit() || z.eq_ignore_ascii_case(&b'e'))
    {
        return false;
    }
    // At most four words; more is not a page number.
    let mut words = [""; 4];
    let mut n = 0;
    for w in t.split_whitespace() {
        if n == words.len() {
            return false;
        }
        words[n] = w;
        n += 1;
    }
    let num = |w: &str| !w.is_empty() && w.len() <= 4 && w.bytes().all(|b| b.is_ascii_digit());
    match &words[..n] {
        [n] => num(n),
        [p, n] | [n, p] if p.eq_ignore_ascii_case("page") => num(n),
        [p, n, of, m] => {
            p.eq_ignore_ascii_case("page") && num(n) && of.eq_ignore_ascii_case("of") && num(m)
        }
        _ => false,
    }
}

/// Dates as covers print them: "May 5, 2022", "05/05/2022", "5 May 2022", "2022-05-05".
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim().trim_end_matches('.');
    [
        "%B %d, %Y",
        "%b %d, %Y",
        "%B %d %Y",
        "%m/%d/%Y",
        "%d %B %Y",
        "%Y-%m-%d",
    ]
    .iter()
    .find_map(|f| NaiveDate::parse_from_str(s, f).ok())
}

const SECTIONS: &[(&str, Section)] = &[
    ("table of contents", Section::Contents),
    ("contents", Section::Contents),
    ("chief of mission priorities", Section::Priorities),
    ("chief of office priorities", Section::Priorities),
    ("mission strategic framework", Section::Framework),
    ("strategic framework", Section::Framework),
    ("mission goals and objectives", Section::Detail),
    ("mission goals & objectives", Section::Detail),
    ("goals and objectives", Section::Detail),
    ("management objectives", Section::Management),
    ("management objective", Section::Management),
];

/// "1. Chief of Mission Priorities", "4.\tManagement Objective\t14" (a contents entry).
fn section(t: &str, opens: u8) -> Option<(Section, bool)> {
    if t.len() > 90 || !(t.starts_with(|c: char| c.is_ascii_digit()) || opens & OPENS_SECTION != 0)
    {
        return None;
    }
    let mut s = t;
    let lead = s.bytes().take_while(u8::is_ascii_digit).count();
    if lead > 0 && lead <= 2 {
        s = s[lead..].trim_start_matches(['.', ')']).trim_start();
    }
    // A trailing page number, after a tab, dot leaders or spaces, marks a contents entry.
    let body = s.trim_end_matches(|c: char| c.is_ascii_digit());
    let listed = body.len() < s.len() && body.ends_with([' ', '\t', '.', '…']);
    let body = if listed {
        body.trim_end_matches(|c: char| c.is_whitespace() || c == '.' || c == '…')
    } else {
        s
    };
    let body = body.trim().trim_end_matches(':');
    SECTIONS
        .iter()
        .find(|(name, _)| body.eq_ignore_ascii_case(name))
        .map(|&(_, sec)| (sec, listed || body.contains('\t')))
}

const HEADINGS: &[(&str, ElementKind)] = &[
    (
        "mission management objective",
        ElementKind::ManagementObjective,
    ),
    ("management objective", ElementKind::ManagementObjective),
    ("mission sub-objective", ElementKind::Objective),
    ("mission sub objective", ElementKind::Objective),
    ("sub-objective", ElementKind::Objective),
    ("sub objective", ElementKind::Objective),
    ("subobjective", ElementKind::Objective),
    ("mission objective", ElementKind::Objective),
    ("objective", ElementKind::Objective),
    ("mission goal", ElementKind::Goal),
    ("goal", ElementKind::Goal),
];

/// "Mission Goal 1: title", "Objective 1.1 | title", "Sub-Objective 1.1.1 – title",
/// "Management Objective: title", "Mission Goal 2" (title on the next line).
fn heading(t: &str) -> Option<Kind<'static>> {
    let (kind, rest) = HEADINGS
        .iter()
        .filter(same_initial(t))
        .find_map(|(word, kind)| {
            strip_prefix_ci(t, word)
                .filter(|r| !r.starts_with(|c: char| c.is_alphanumeric() || c == '-'))
                .map(|r| (*kind, r))
        })?;
    let rest = rest.trim_start();
    let digits = rest
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b'.')
        .count();
    let (number_text, after) = rest.split_at(digits);
    let number = if number_text.is_empty() {
        None
    } else {
        Some(Number::parse(number_text).ok()?)
    };
    let after = after.trim_start();
    let title = if after.is_empty() {
        // A bare "Objective" line is prose, a bare "Objective 1.1" a heading.
        if number.is_none() && kind != ElementKind::ManagementObjective {
            return None;
        }
        ""
    } else if let Some(r) = after.strip_prefix([':', '|', '–', '—']) {
        r
    } else if let Some(r) = after.strip_prefix("- ") {
        r
    } else if number_text.ends_with('.') && number.is_some() {
        // "Goal 1. Title": the dot was the separator.
        after
    } else {
        return None;
    };
    Some(Kind::Heading {
        kind,
        number,
        title: title.trim().to_string(),
    })
}

const LABELS: &[(&str, Label)] = &[
    ("risks and mitigations", Label::Risks),
    ("risks and mitigation", Label::Risks),
    ("risk and mitigation", Label::Risks),
    ("justification", Label::Justification),
    ("description", Label::Description),
    ("linkages", Label::Linkages),
    ("linkage", Label::Linkages),
    ("risks", Label::Risks),
    ("risk", Label::Risks),
];

/// "Justification: …", "LINKAGES | …", "**Risks** …", "Description" alone.
fn label(t: &str, starts_bold: bool) -> Option<Kind<'static>> {
    LABELS
        .iter()
        .filter(same_initial(t))
        .find_map(|&(word, label)| {
            let rest = strip_prefix_ci(t, word)?;
            let text = if rest.trim().is_empty() {
                ""
            } else if let Some(r) = rest.trim_start().strip_prefix([':', '|', '–', '—']) {
                r
            } else if rest.starts_with(char::is_whitespace)
                && (starts_bold || t[..word.len()].bytes().all(|b| !b.is_ascii_lowercase()))
            {
                rest
            } else {
                return None;
            };
            Some(Kind::Label {
                label,
                text: text.trim().to_string(),
            })
        })
}

/// The cover's document title, alone or with the country ("Integrated Country Strategy – Mali").
fn cover_title(t: &str) -> Option<Kind<'static>> {
    StrategyKind::ALL.into_iter().find_map(|k| {
        let after = strip_prefix_ci(t, k.cover_title())?;
        let rest = after.trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, ':' | '–' | '—' | '-' | '|' | ',')
        });
        let cover = |country| {
            Some(Kind::CoverTitle {
                kind: k,
                country,
                text: t.to_string(),
            })
        };
        // The country follows a separator or stands in capitals; a sentence that merely starts
        // with a strategy's name ("National Security Strategy priority of …") is prose.
        let country_like = rest.len() < 60
            && rest
                .chars()
                .all(|c| c.is_alphabetic() || " '’-.".contains(c))
            && (after.trim_start().len() > rest.len() || is_country_caps(rest));
        if rest.is_empty() {
            cover(None)
        } else if country_like {
            cover(Some(rest.trim().to_string()))
        } else {
            None
        }
    })
}

/// A country as the cover prints it in capitals, as a name: "BURKINA FASO" → "Burkina Faso",
/// "COTE D'IVOIRE" → "Cote d'Ivoire", "BOSNIA AND HERZEGOVINA" → "Bosnia and Herzegovina".
pub fn country_name(caps: &str) -> String {
    let mut out = String::with_capacity(caps.len());
    for (i, word) in caps.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let lower = word.to_lowercase();
        if i > 0 && matches!(lower.as_str(), "and" | "of" | "the") {
            out.push_str(&lower);
            continue;
        }
        let mut upper_next = true;
        for c in lower.chars() {
            if upper_next {
                out.extend(c.to_uppercase());
            } else {
                out.push(c);
            }
            upper_next = c == '-';
        }
        // "D'Ivoire": the elided article stays lower-case, the name after it capitalised.
        if let Some(pos) = out.rfind(['\'', '’'])
            && out[..pos].ends_with(['D', 'd', 'L', 'l'])
            && pos >= 1
            && out[..pos - 1].ends_with(char::is_whitespace)
        {
            let (head, tail) = out.split_at(pos + 1);
            let tail_cap: String = {
                let mut cs = tail.chars();
                cs.next()
                    .map(|f| f.to_uppercase().chain(cs).collect())
                    .unwrap_or_default()
            };
            let head = format!("{}{}", &head[..pos - 1], head[pos - 1..].to_lowercase());
            out = head + &tail_cap;
        }
    }
    out
}

/// Whether a line could be the cover's country: letters in capitals.
pub fn is_country_caps(t: &str) -> bool {
    t.len() < 60
        && t.chars().any(char::is_alphabetic)
        && t.chars().all(|c| c.is_alphabetic() || " '’-".contains(c))
        && !t.chars().any(char::is_lowercase)
}

const OPENS_SECTION: u8 = 1;
const OPENS_HEADING: u8 = 2;
const OPENS_LABEL: u8 = 4;
const OPENS_COVER: u8 = 8;

/// For each first byte of a line, which tables have a word starting with it (in either case):
/// a cheap test that spares most lines the tables' prefix comparisons.
static OPENS: [u8; 256] = {
    const fn mark<T>(mut t: [u8; 256], table: &[(&str, T)], flag: u8) -> [u8; 256] {
        let mut i = 0;
        while i < table.len() {
            let c = table[i].0.as_bytes()[0];
            t[c.to_ascii_lowercase() as usize] |= flag;
            t[c.to_ascii_uppercase() as usize] |= flag;
            i += 1;
        }
        t
    }
    let mut t = mark([0; 256], SECTIONS, OPENS_SECTION);
    t = mark(t, HEADINGS, OPENS_HEADING);
    t = mark(t, LABELS, OPENS_LABEL);
    let mut k = 0;
    while k < StrategyKind::ALL.len() {
        let c = StrategyKind::ALL[k].cover_title().as_bytes()[0];
        t[c.to_ascii_lowercase() as usize] |= OPENS_COVER;
        t[c.to_ascii_uppercase() as usize] |= OPENS_COVER;
        k += 1;
    }
    t
};

/// A filter for the entries of a table (lower-case words) that start with `t`'s first letter.
fn same_initial<T>(t: &str) -> impl Fn(&&(&str, T)) -> bool {
    let first = t.as_bytes().first().map(u8::to_ascii_lowercase);
    move |(w, _)| w.as_bytes().first().copied() == first
}

#[inline]
fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    // Most lines fail on the first letter; checking it first keeps classification cheap.
    let (Some(a), Some(b)) = (s.as_bytes().first(), prefix.as_bytes().first()) else {
        return prefix.is_empty().then_some(s);
    };
    if !a.eq_ignore_ascii_case(b) {
        return None;
    }
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading_of(s: &str) -> Option<(ElementKind, Option<String>, String)> {
        match classify(s) {
            Kind::Heading {
                kind,
                number,
                title,
            } => Some((kind, number.map(|n| n.to_string()), title)),
            _ => None,
        }
    }

    #[test]
    fn headings_in_every_layout() {
        use ElementKind::*;
        let g = |n: &str, t: &str| Some((Goal, Some(n.to_string()), t.to_string()));
        assert_eq!(
            heading_of("Mission Goal 1: Mali thrives."),
            g("1", "Mali thrives.")
        );
        assert_eq!(heading_of("**Mission Goal 2:** Peace"), g("2", "Peace"));
        assert_eq!(heading_of("### Mission Goal 3 | Trade"), g("3", "Trade"));
        assert_eq!(heading_of("| Mission Goal 4 | Health |"), g("4", "Health"));
        assert_eq!(heading_of("Goal 5 – Water"), g("5", "Water"));
        assert_eq!(heading_of("Mission Goal 6"), g("6", ""));
        assert_eq!(
            heading_of("- **Mission Objective 1.3:** Reform"),
            Some((Objective, Some("1.3".into()), "Reform".into()))
        );
        assert_eq!(
            heading_of("Sub-Objective 1.1.2: Courts"),
            Some((Objective, Some("1.1.2".into()), "Courts".into()))
        );
        assert_eq!(
            heading_of("Management Objective: Staff"),
            Some((ManagementObjective, None, "Staff".into()))
        );
        assert_eq!(
            heading_of("MANAGEMENT OBJECTIVE 2: Facilities"),
            Some((ManagementObjective, Some("2".into()), "Facilities".into()))
        );
    }

    #[test]
    fn prose_that_starts_like_a_heading_is_text() {
        for s in [
            "Mission Objective 1.2 aligns directly with Goals 1 and 3",
            "Goals 1 and 3 of the strategy",
            "Objective-driven work continues.",
            "Objectives matter.",
            "Objective\\: this is escaped",
        ] {
            assert!(
                matches!(classify(s), Kind::Text(_)),
                "{s} → {:?}",
                classify(s)
            );
        }
    }

    #[test]
    fn labels_in_every_layout() {
        let l = |s: &str| match classify(s) {
            Kind::Label { label, text } => Some((label, text)),
            _ => None,
        };
        use Label::*;
        assert_eq!(
            l("- Justification: Because."),
            Some((Justification, "Because.".into()))
        );
        assert_eq!(l("• **Risks:** Many."), Some((Risks, "Many.".into())));
        assert_eq!(l("● LINKAGES: JRS."), Some((Linkages, "JRS.".into())));
        assert_eq!(l("Description | Text"), Some((Description, "Text".into())));
        assert_eq!(l("| Risks | Text |"), Some((Risks, "Text".into())));
        assert_eq!(
            l("justification: lower"),
            Some((Justification, "lower".into()))
        );
        assert_eq!(
            l("**Justification** bold without colon"),
            Some((Justification, "bold without colon".into()))
        );
        assert_eq!(
            l("JUSTIFICATION Caps without colon"),
            Some((Justification, "Caps without colon".into()))
        );
        assert_eq!(l("Risks"), Some((Risks, String::new())));
        assert_eq!(
            l("Risks and Mitigation: Plan."),
            Some((Risks, "Plan.".into()))
        );
        assert_eq!(l("Risks remain high."), None);
        assert_eq!(l("Risky business."), None);
        assert_eq!(l("Risks\\: escaped"), None);
    }

    #[test]
    fn furniture_is_recognised() {
        for s in [
            "FOR PUBLIC RELEASE",
            "Page 3 of 14",
            "12",
            "- 4 -",
            "Page 7",
            "---",
            "|---|:--|",
        ] {
            assert!(
                matches!(classify(s), Kind::Furniture | Kind::Banner(_)),
                "{s} → {:?}",
                classify(s)
            );
        }
        assert_eq!(
            classify("FOR PUBLIC RELEASE | Page 3 of 14"),
            Kind::Furniture
        );
        assert_eq!(
            classify("Approved: May 5, 2022"),
            Kind::Approved(NaiveDate::from_ymd_opt(2022, 5, 5))
        );
        assert_eq!(
            classify("Approved: 05/05/2022"),
            Kind::Approved(NaiveDate::from_ymd_opt(2022, 5, 5))
        );
        assert!(matches!(classify("In 2022, 12 people"), Kind::Text(_)));
    }

    #[test]
    fn sections_and_contents_entries() {
        let s = |t: &str| match classify(t) {
            Kind::Section { section, listed } => Some((section, listed)),
            _ => None,
        };
        assert_eq!(
            s("1. Chief of Mission Priorities"),
            Some((Section::Priorities, false))
        );
        assert_eq!(
            s("1.\tChief of Mission Priorities\t1"),
            Some((Section::Priorities, true))
        );
        assert_eq!(
            s("Mission Strategic Framework ........ 4"),
            Some((Section::Framework, true))
        );
        assert_eq!(
            s("## 3. Mission Goals and Objectives"),
            Some((Section::Detail, false))
        );
        assert_eq!(
            s("4. Management Objectives"),
            Some((Section::Management, false))
        );
        assert_eq!(s("Table of Contents"), Some((Section::Contents, false)));
        assert_eq!(
            s("2. Chief of Office Priorities"),
            Some((Section::Priorities, false))
        );
    }

    #[test]
    fn bullets_and_markup() {
        for glyph in ["-", "•", "●", "o", "▪", "*"] {
            assert_eq!(
                classify(&format!("{glyph} item here")),
                Kind::Bullet("item here".into())
            );
        }
        assert_eq!(classify("**bold** text"), Kind::Text("bold text".into()));
        assert_eq!(
            unmask(match classify("costs \\$132 million") {
                Kind::Text(t) => t.into_owned(),
                k => panic!("{k:?}"),
            }),
            "costs $132 million"
        );
    }

    #[test]
    fn cover_title_and_country() {
        assert_eq!(
            classify("Integrated Country Strategy"),
            Kind::CoverTitle {
                kind: StrategyKind::Ics,
                country: None,
                text: "Integrated Country Strategy".into()
            }
        );
        assert_eq!(
            classify("Integrated Country Strategy – Mali"),
            Kind::CoverTitle {
                kind: StrategyKind::Ics,
                country: Some("Mali".into()),
                text: "Integrated Country Strategy – Mali".into()
            }
        );
        assert_eq!(
            classify("INTEGRATED COUNTRY STRATEGY MALI"),
            Kind::CoverTitle {
                kind: StrategyKind::Ics,
                country: Some("MALI".into()),
                text: "INTEGRATED COUNTRY STRATEGY MALI".into()
            }
        );
        // A wrapped sentence that starts with a strategy's name is prose.
        assert_eq!(
            classify("National Security Strategy priority of helping African nations"),
            Kind::Text("National Security Strategy priority of helping African nations".into())
        );
        assert_eq!(country_name("MALI"), "Mali");
        assert_eq!(country_name("BURKINA FASO"), "Burkina Faso");
        assert_eq!(country_name("COTE D'IVOIRE"), "Cote d'Ivoire");
        assert_eq!(
            country_name("BOSNIA AND HERZEGOVINA"),
            "Bosnia and Herzegovina"
        );
        assert_eq!(country_name("GUINEA-BISSAU"), "Guinea-Bissau");
        assert!(is_country_caps("MALI"));
        assert!(!is_country_caps("Mali"));
    }
}
