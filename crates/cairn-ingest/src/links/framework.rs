//! Mentions of higher frameworks: "the Africa Bureau's Joint Regional Strategy", "AF JRS",
//! "Consular Affairs' Functional Bureau Strategy", "the Interim National Security Strategy".

use std::sync::LazyLock;

use cairn_core::bureau;
use cairn_core::link::Framework;

use super::token::Text;

/// Which kind of framework a mention names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Family {
    Jrs,
    Fbs,
    Jsp,
    Nss,
    Cdcs,
    /// The mission's own strategy ("ICS"): references into it are not links.
    Own,
}

/// One mention, tokens `start..end`, with the bureau its words name (JRS, FBS).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Mention {
    pub family: Family,
    pub bureau: Option<String>,
    pub start: usize,
    pub end: usize,
}

impl Mention {
    /// The framework, once a JRS without a bureau takes the document's (when it has one).
    pub fn framework<'a>(&'a self, jrs_default: Option<&'a str>) -> Option<Fw<'a>> {
        match self.family {
            Family::Jrs => self.bureau.as_deref().or(jrs_default).map(Fw::Jrs),
            Family::Fbs => self.bureau.as_deref().map(Fw::Fbs),
            Family::Jsp => Some(Fw::Jsp),
            Family::Nss => Some(Fw::Nss),
            Family::Cdcs => Some(Fw::Cdcs),
            Family::Own => None,
        }
    }
}

/// A [`Framework`] that borrows its bureau code: compared and deduplicated before any target
/// is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Fw<'a> {
    Jrs(&'a str),
    Fbs(&'a str),
    Jsp,
    Nss,
    Cdcs,
}

impl Fw<'_> {
    pub fn framework(self) -> Framework {
        match self {
            Fw::Jrs(b) => Framework::Jrs(b.to_string()),
            Fw::Fbs(b) => Framework::Fbs(b.to_string()),
            Fw::Jsp => Framework::Jsp,
            Fw::Nss => Framework::Nss,
            Fw::Cdcs => Framework::Cdcs,
        }
    }
}

const PHRASES: &[(&[&str], Family)] = &[
    (&["joint", "regional", "strategy"], Family::Jrs),
    (&["functional", "bureau", "strategy"], Family::Fbs),
    (&["joint", "strategic", "plan"], Family::Jsp),
    (
        &["interim", "national", "security", "strategic", "guidance"],
        Family::Nss,
    ),
    (
        &["national", "security", "strategic", "guidance"],
        Family::Nss,
    ),
    (&["national", "security", "strategy"], Family::Nss),
    (
        &["country", "development", "cooperation", "strategy"],
        Family::Cdcs,
    ),
    (&["integrated", "country", "strategy"], Family::Own),
];

const CODES: &[(&str, Family)] = &[
    ("JRS", Family::Jrs),
    ("FBS", Family::Fbs),
    ("JSP", Family::Jsp),
    ("NSS", Family::Nss),
    ("INSSG", Family::Nss),
    ("CDCS", Family::Cdcs),
    ("ICS", Family::Own),
];

/// Upper-case words before "FBS" that are not bureau codes.
const NOT_BUREAUS: &[&str] = &[
    "USAID", "US", "USG", "ICS", "JRS", "JSP", "NSS", "CDCS", "FBS", "DO", "AND", "THE",
];

/// The framework keyword at `i` and how many tokens it spans.
fn keyword(t: &Text, i: usize) -> Option<(Family, usize)> {
    // Every keyword starts with one of these letters; most words are dismissed here.
    let first = t.first(i);
    if !matches!(first, b'j' | b'f' | b'n' | b'i' | b'c') {
        return None;
    }
    let (b, _) = t.base(i)?;
    if t.cap(i)
        && b.len() <= 5
        && let Some((_, f)) = CODES.iter().find(|(c, _)| *c == b)
    {
        return Some((*f, 1));
    }
    let phrases = PHRASES
        .iter()
        .filter(|(words, _)| words[0].as_bytes().first() == Some(&first));
    phrases.into_iter().find_map(|(words, family)| {
        let last = words.len() - 1;
        let all = words.iter().enumerate().all(|(k, word)| {
            if k == last {
                t.base_is(i + k, word)
            } else {
                t.is(i + k, word)
            }
        });
        all.then_some((*family, words.len()))
    })
}

/// Every framework mention of `t`, in order and without overlaps (reusing `out`).
pub(super) fn find(t: &Text, out: &mut Vec<Mention>) {
    out.clear();
    let mut i = 0;
    while i < t.len() {
        let Some((family, len)) = keyword(t, i) else {
            i += 1;
            continue;
        };
        // "Joint Regional Strategy (JRS)": the acronym repeats the mention before it.
        if len == 1
            && i > 0
            && t.punct(i - 1, "(")
            && t.punct(i + 1, ")")
            && let Some(last) = out.last_mut()
            && last.end + 1 == i
            && last.family == family
        {
            last.end = i + 2;
            i += 2;
            continue;
        }
        let floor = out.last().map_or(0, |m| m.end);
        let (start, bureau) = owner(t, family, i, len, floor);
        out.push(Mention {
            family,
            bureau,
            start,
            end: i + len,
        });
        i += len;
    }
}

/// The words before the keyword that belong to the mention: the bureau, "Interim", "USAID".
fn owner(t: &Text, family: Family, i: usize, len: usize, floor: usize) -> (usize, Option<String>) {
    if i <= floor {
        return (i, None);
    }
    let p = i - 1;
    match family {
        Family::Jrs => match regional(t, i, floor) {
            Some((s, code)) => (s, Some(code.to_string())),
            None => (i, None),
        },
        Family::Fbs => match functional(t, i, floor) {
            Some((s, code)) => (s, Some(code)),
            None => (i, None),
        },
        Family::Nss if len >= 3 && t.is(p, "interim") => (p, None),
        Family::Cdcs if t.base_is(p, "USAID") => (p, None),
        Family::Jsp
            if t.word(p).is_some_and(|w| {
                let w = w.to_ascii_lowercase();
                w.starts_with("state") && w.ends_with("usaid")
            }) =>
        {
            (p, None)
        }
        _ => (i, None),
    }
}

/// A bureau code written before the keyword ("AF JRS", "INL's FBS", "AF Bureau's JRS").
fn code_before<'a>(t: &Text<'a>, end: usize, floor: usize) -> Option<Code<'a>> {
    let mut p = end.checked_sub(1).filter(|&p| p >= floor)?;
    // "Bureau of African Affairs (AF) Joint Regional Strategy".
    if t.punct(p, ")") && p >= floor + 2 && t.punct(p - 2, "(") {
        return t.base(p - 1).map(|(code, _)| Code {
            start: p - 2,
            code,
            after_name: true,
        });
    }
    if t.base_is(p, "bureau") {
        p = p.checked_sub(1).filter(|&p| p >= floor)?;
    }
    t.base(p).map(|(code, _)| Code {
        start: p,
        code,
        after_name: false,
    })
}

/// A bureau code before a keyword; `after_name` when it follows the name in parentheses.
struct Code<'a> {
    start: usize,
    code: &'a str,
    after_name: bool,
}

/// The regional bureau named just before token `end`: a code or one of the bureau's names.
fn regional(t: &Text, end: usize, floor: usize) -> Option<(usize, &'static str)> {
    if let Some(c) = code_before(t, end, floor)
        && let Some((code, _)) = bureau::REGIONAL.iter().find(|(r, _)| *r == c.code)
    {
        let start = if c.after_name {
            longest(&REGIONAL_NAMES, t, c.start, floor).map_or(c.start, |n| n.0)
        } else {
            c.start
        };
        return Some((start, code));
    }
    longest(&REGIONAL_NAMES, t, end, floor)
}

/// The functional bureau named just before token `end`, with "Bureau of" when written.
fn functional(t: &Text, end: usize, floor: usize) -> Option<(usize, String)> {
    if let Some(c) = code_before(t, end, floor) {
        let b = c.code;
        let code = (1..=6).contains(&b.len())
            && b.bytes().all(|c| c.is_ascii_uppercase())
            && (bureau::is_functional(b) || (b.len() >= 2 && !NOT_BUREAUS.contains(&b)));
        if code {
            let start = if c.after_name {
                functional_name(t, c.start, floor).map_or(c.start, |n| n.0)
            } else {
                c.start
            };
            return Some((start, b.to_string()));
        }
    }
    functional_name(t, end, floor).map(|(s, code)| (s, code.to_string()))
}

fn functional_name(t: &Text, end: usize, floor: usize) -> Option<(usize, &'static str)> {
    let (s, code) = longest(&FUNCTIONAL_NAMES, t, end, floor)?;
    let s = if s >= floor + 2
        && t.is_any(s - 1, &["of", "for"])
        && t.is_any(s - 2, &["bureau", "office"])
    {
        s - 2
    } else {
        s
    };
    Some((s, code))
}

/// A table of bureau names (code, name), each name split into its words once.
struct Names {
    /// The code, the name's last word as written and its words from the last to the first
    /// (commas dropped).
    entries: Vec<(&'static str, &'static str, Vec<&'static str>)>,
}

impl Names {
    fn new(table: &[(&'static str, &'static str)]) -> Self {
        let entries = table
            .iter()
            .map(|&(code, name)| {
                let last = name.rsplit(' ').next().unwrap_or(name);
                let words = name
                    .rsplit(' ')
                    .map(|w| w.trim_end_matches(','))
                    .filter(|w| !w.is_empty())
                    .collect();
                (code, last, words)
            })
            .collect();
        Self { entries }
    }
}

static REGIONAL_NAMES: LazyLock<Names> = LazyLock::new(|| Names::new(bureau::REGIONAL_ALIASES));
static FUNCTIONAL_NAMES: LazyLock<Names> = LazyLock::new(|| Names::new(bureau::FUNCTIONAL));

/// The longest name in `table` ending at token `end`, with where it starts.
fn longest(table: &Names, t: &Text, end: usize, floor: usize) -> Option<(usize, &'static str)> {
    // Most names fail on their last word: compare it before walking the rest.
    let (last, _) = t.base(end.checked_sub(1).filter(|&p| p >= floor)?)?;
    let mut best: Option<(usize, &'static str)> = None;
    for (code, name_last, words) in &table.entries {
        // The first of equally long names wins.
        if name_last.eq_ignore_ascii_case(last)
            && let Some(s) = ends_with(t, end, floor, words)
            && best.is_none_or(|(b, _)| s < b)
        {
            best = Some((s, code));
        }
    }
    best
}

/// Where `words` (lower-case, last first; commas in the text are ignored) end at token `end`;
/// the last word may carry a possessive ("Africa Bureau's").
fn ends_with(t: &Text, end: usize, floor: usize, words: &[&str]) -> Option<usize> {
    let mut q = end;
    for (k, w) in words.iter().enumerate() {
        let last = k == 0;
        while !last && q > floor && t.punct(q - 1, ",") {
            q -= 1;
        }
        if q <= floor {
            return None;
        }
        let ok = if last {
            t.base_is(q - 1, w)
        } else {
            t.is(q - 1, w)
        };
        if !ok {
            return None;
        }
        q -= 1;
    }
    Some(q)
}

#[cfg(test)]
mod tests {
    use super::super::token::tokenize;
    use super::*;

    fn mentions(src: &str) -> Vec<(Family, Option<String>, String)> {
        let mut toks = Vec::new();
        tokenize(src, &mut toks);
        let t = Text { src, toks: &toks };
        let mut out = Vec::new();
        find(&t, &mut out);
        out.iter()
            .map(|m| {
                (
                    m.family,
                    m.bureau.clone(),
                    t.span(m.start, m.end).to_string(),
                )
            })
            .collect()
    }

    fn one(src: &str) -> (Family, Option<String>, String) {
        let mut all = mentions(src);
        assert_eq!(all.len(), 1, "{src}: {all:?}");
        all.remove(0)
    }

    #[test]
    fn regional_bureau_names_and_codes() {
        for (src, span) in [
            (
                "of the Africa Bureau's Joint Regional Strategy",
                "Africa Bureau's Joint Regional Strategy",
            ),
            (
                "the Africa Joint Regional Strategy goals",
                "Africa Joint Regional Strategy",
            ),
            (
                "the AF/AFR Joint Regional Strategy goals",
                "AF/AFR Joint Regional Strategy",
            ),
            (
                "to the Bureau of African Affairs Joint Regional Strategy through",
                "Bureau of African Affairs Joint Regional Strategy",
            ),
            ("via AF JRS Objectives", "AF JRS"),
            ("AF's JRS", "AF's JRS"),
            (
                "the Bureau of African Affairs (AF) Joint Regional Strategy",
                "Bureau of African Affairs (AF) Joint Regional Strategy",
            ),
        ] {
            assert_eq!(
                one(src),
                (Family::Jrs, Some("AF".into()), span.into()),
                "{src}"
            );
        }
        assert_eq!(one("the JRS").1, None);
        assert_eq!(
            one("the WHA Joint Regional Strategy").1.as_deref(),
            Some("WHA")
        );
    }

    #[test]
    fn functional_bureau_names_and_codes() {
        for (src, code, span) in [
            (
                "with Consular Affairs' Functional Bureau Strategy Goals 1",
                "CA",
                "Consular Affairs' Functional Bureau Strategy",
            ),
            (
                "the Bureau of Democracy, Human Rights, and Labor Functional Bureau Strategy objective 2.1",
                "DRL",
                "Bureau of Democracy, Human Rights, and Labor Functional Bureau Strategy",
            ),
            ("DRL FBS Goal 1", "DRL", "DRL FBS"),
            (
                "the Bureau of Consular Affairs (CA) Functional Bureau Strategy",
                "CA",
                "Bureau of Consular Affairs (CA) Functional Bureau Strategy",
            ),
            (
                "INL's Functional Bureau Strategy",
                "INL",
                "INL's Functional Bureau Strategy",
            ),
        ] {
            assert_eq!(
                one(src),
                (Family::Fbs, Some(code.into()), span.into()),
                "{src}"
            );
        }
        assert_eq!(one("the Functional Bureau Strategy").1, None);
    }

    #[test]
    fn other_frameworks_and_repeated_acronyms() {
        assert_eq!(
            one("links with the Interim National Security Strategy priority").2,
            "Interim National Security Strategy"
        );
        assert_eq!(
            one("the National Security Strategy (NSS) says").2,
            "National Security Strategy (NSS)"
        );
        assert_eq!(one("State-USAID Joint Strategic Plan").0, Family::Jsp);
        assert_eq!(one("USAID's CDCS").2, "USAID's CDCS");
        assert_eq!(one("this Integrated Country Strategy").0, Family::Own);
        assert!(mentions("the National Strategy on Gender Equity").is_empty());
    }
}
