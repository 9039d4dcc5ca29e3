//! Numbered references ("Goals 1, 3, and 4", "AF JRS Objectives 3.1 and 3.3", "DO1", "SpO") and
//! the framework mention each one binds to.

use cairn_core::Number;
use cairn_core::link::Element;

use super::framework::{Family, Mention};
use super::token::Text;

/// The kind of element a reference names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Goal,
    Objective,
    /// A CDCS Development Objective.
    Do,
    /// A CDCS Special Objective (never numbered).
    Spo,
}

impl Kind {
    fn fits(self, family: Family) -> bool {
        match family {
            Family::Jrs | Family::Fbs | Family::Jsp => matches!(self, Self::Goal | Self::Objective),
            Family::Cdcs => matches!(self, Self::Do | Self::Spo),
            Family::Nss | Family::Own => false,
        }
    }

    fn element(self, n: Number) -> Element {
        match self {
            Self::Goal => Element::Goal(n),
            Self::Objective => Element::Objective(n),
            Self::Do => Element::Do(n),
            Self::Spo => Element::Spo,
        }
    }
}

/// An element reference bound to a framework: `mention` indexes the mentions, `None` is this
/// mission's CDCS (a DO or SpO needs no mention to say whose it is). Tokens `from..to` are
/// the words it was read from; `pos` orders it in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Bound {
    pub pos: usize,
    pub from: usize,
    pub to: usize,
    pub mention: Option<usize>,
    pub element: Element,
}

const OBJECTIVE: &[&str] = &["objective", "objectives"];

/// Words before an element kind that make it the mission's own ("Mission Objective 1.2").
const OWN_MARKERS: &[&str] = &[
    "mission",
    "ics",
    "this",
    "these",
    "that",
    "our",
    "management",
    "embassy",
    "post",
    "same",
    "each",
];

/// Words that may stand between a framework and its element list ("JRS and its objectives",
/// "the JRS, in particular Objective 2.1").
const FILLER: &[&str] = &[
    "its",
    "in",
    "particular",
    "particularly",
    "specifically",
    "namely",
    "including",
    "especially",
    "notably",
    "through",
    "via",
    "under",
];

struct KindAt<'a> {
    kind: Kind,
    len: usize,
    /// The number glued to the kind ("DO1").
    inline: Option<&'a str>,
    own: bool,
}

fn kind_at<'a>(t: &Text<'a>, i: usize) -> Option<KindAt<'a>> {
    if !matches!(t.first(i), b'g' | b'o' | b's' | b'd' | b'm') {
        return None;
    }
    let w = t.word(i)?;
    let at = |kind, len, own| {
        Some(KindAt {
            kind,
            len,
            inline: None,
            own,
        })
    };
    let lead = [
        ("strategic", Kind::Objective, false),
        ("development", Kind::Do, false),
        ("special", Kind::Spo, false),
        ("management", Kind::Objective, true),
    ]
    .into_iter()
    .find(|(l, _, _)| w.eq_ignore_ascii_case(l));
    if let Some((_, kind, own)) = lead
        && t.is_any(i + 1, OBJECTIVE)
    {
        return at(kind, 2, own);
    }
    let (b, _) = t.base(i)?;
    let lower_is = |ws: &[&str]| ws.iter().any(|x| b.eq_ignore_ascii_case(x));
    if lower_is(&["goal", "goals"]) {
        return at(Kind::Goal, 1, false);
    }
    if lower_is(&[
        "objective",
        "objectives",
        "sub-objective",
        "sub-objectives",
        "subobjective",
        "subobjectives",
    ]) {
        return at(Kind::Objective, 1, false);
    }
    if matches!(w, "DO" | "DOs") {
        return at(Kind::Do, 1, false);
    }
    if matches!(w, "SpO" | "SPO" | "SpOs") {
        return at(Kind::Spo, 1, false);
    }
    let n = w.strip_prefix("DO")?;
    let numeric = n.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && n.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    numeric.then_some(KindAt {
        kind: Kind::Do,
        len: 1,
        inline: Some(n),
        own: false,
    })
}

/// Reads a number list starting at token `k` ("1, 3, and 4", "1.1-1.3"); returns where it ends.
fn numbers(t: &Text, mut k: usize, inline: Option<&str>, out: &mut Vec<Number>) -> usize {
    out.clear();
    match inline {
        Some(n) => push(n, out),
        None if one_item(t, k, out) => k += 1,
        None => return k,
    }
    loop {
        let mut q = k;
        if t.punct(q, ",") {
            q += 1;
        }
        let mut range = false;
        if t.is_any(q, &["and", "or", "&"]) {
            q += 1;
        } else if q == k && (t.punct(q, "\u{2013}") || t.is_any(q, &["-", "through", "to"])) {
            range = true;
            q += 1;
        }
        if q == k {
            return k;
        }
        let Some(n) = t.num(q) else { return k };
        if range {
            extend_range(n, out);
        } else {
            push(n, out);
        }
        k = q + 1;
    }
}

/// One number, or a range written as one word ("1.1-1.3"), at token `k`.
fn one_item(t: &Text, k: usize, out: &mut Vec<Number>) -> bool {
    if let Some(n) = t.num(k) {
        push(n, out);
        return true;
    }
    let Some((a, b)) = t.word(k).and_then(|w| w.split_once('-')) else {
        return false;
    };
    let (Ok(first), Ok(_)) = (Number::parse(a), Number::parse(b)) else {
        return false;
    };
    out.push(first);
    extend_range(b, out);
    true
}

fn push(s: &str, out: &mut Vec<Number>) {
    if let Ok(n) = Number::parse(s) {
        out.push(n);
    }
}

/// "1.1 through 1.3": the numbers after the last one up to `end`, when both share a parent
/// and the range is small; otherwise just `end`, as written.
fn extend_range(end: &str, out: &mut Vec<Number>) {
    let Ok(end) = Number::parse(end) else { return };
    // The parent with its dot ("1." of "1.3"; "" at top level) and the last part.
    let split = |n: &Number| -> Option<(String, u32)> {
        let s = n.as_str();
        let cut = s.rfind('.').map_or(0, |d| d + 1);
        Some((s[..cut].to_string(), s[cut..].parse().ok()?))
    };
    if let (Some((pa, la)), Some((pb, lb))) = (out.last().and_then(split), split(&end))
        && pa == pb
        && la < lb
        && lb - la <= 20
    {
        let mut buf = pa;
        for x in la + 1..lb {
            buf.truncate(pb.len());
            buf.push_str(&x.to_string());
            push(&buf, out);
        }
    }
    out.push(end);
}

/// The mention that starts at token `q`, if any.
fn starting_at(mentions: &[Mention], q: usize) -> Option<usize> {
    mentions.binary_search_by_key(&q, |m| m.start).ok()
}

fn ending_at(mentions: &[Mention], q: usize) -> Option<usize> {
    mentions.binary_search_by_key(&q, |m| m.end).ok()
}

/// "Goals 1 and 3 of the Africa Bureau's Joint Regional Strategy": the mention after `end`.
fn postfix(t: &Text, mentions: &[Mention], end: usize) -> Option<usize> {
    if !t.is_any(end, &["of", "in", "under", "from", "within"]) {
        return None;
    }
    let mut q = end + 1;
    if t.is(q, "the") {
        q += 1;
    }
    if let Some(m) = starting_at(mentions, q) {
        return Some(m);
    }
    // "of the White House's National Security Strategy": skip the owner.
    for len in 1..=3 {
        let last = q + len - 1;
        if !(q..=last).all(|k| t.cap(k)) {
            return None;
        }
        if t.possessive(last) {
            return starting_at(mentions, last + 1);
        }
    }
    None
}

/// "AF JRS Objectives 3.1", "…Strategy and its objectives 2.1": the mention before `start`.
fn prefix(t: &Text, mentions: &[Mention], start: usize) -> Option<usize> {
    let mut q = start;
    for _ in 0..=4 {
        if let Some(m) = ending_at(mentions, q) {
            return Some(m);
        }
        let p = q.checked_sub(1)?;
        let filler = t.punct(p, ",")
            || t.punct(p, ":")
            || t.is_any(p, FILLER)
            || (t.is(p, "and") && t.is(p + 1, "its"));
        if !filler {
            return None;
        }
        q = p;
    }
    None
}

/// Only list joiners between tokens `a` and `b` ("Goal 1 and Objective 1.2").
fn joined(t: &Text, a: usize, b: usize) -> bool {
    b >= a
        && b - a <= 4
        && (a..b).all(|k| t.punct(k, ",") || t.is_any(k, &["and", "or", "&", "as", "well"]))
}

struct Pending {
    kind: Kind,
    start: usize,
    numbers: Vec<Number>,
}

/// Reads every element reference of `t` and binds it to a mention (appending to `out`).
/// References to the mission's own elements and those that bind to nothing yield nothing.
pub(super) fn bind(t: &Text, mentions: &[Mention], out: &mut Vec<Bound>) {
    let mut nums = Vec::new();
    // The last reference read: (its words, its mention), for "Goal 1 and Objective 1.2".
    let mut prev: Option<((usize, usize), Option<usize>)> = None;
    let mut pending: Vec<Pending> = Vec::new();
    let mut mi = 0;
    let mut i = 0;
    while i < t.len() {
        while mi < mentions.len() && mentions[mi].end <= i {
            mi += 1;
        }
        if let Some(m) = mentions.get(mi).filter(|m| m.start <= i) {
            i = m.end;
            continue;
        }
        let Some(k) = kind_at(t, i) else {
            i += 1;
            continue;
        };
        let end = numbers(t, i + k.len, k.inline, &mut nums);
        let own = k.own
            || i.checked_sub(1)
                .and_then(|p| t.base(p))
                .is_some_and(|(b, _)| OWN_MARKERS.iter().any(|m| b.eq_ignore_ascii_case(m)));
        if own || (nums.is_empty() && k.kind != Kind::Spo) {
            prev = None;
            pending.clear();
            i = end.max(i + 1);
            continue;
        }
        let connected = prev.filter(|((_, e), _)| joined(t, *e, i));
        if connected.is_none() {
            pending.clear();
        }
        let fits = |m: &usize| mentions.get(*m).is_some_and(|x| k.kind.fits(x.family));
        let own_mention = |m: Option<usize>| {
            m.and_then(|m| mentions.get(m))
                .is_some_and(|x| x.family == Family::Own)
        };
        let post = postfix(t, mentions, end);
        let pre = prefix(t, mentions, i);
        if own_mention(post) || (post.is_none() && own_mention(pre)) {
            // "Objective 1.2 of the ICS", "ICS Goal 1": the mission's own.
            prev = None;
            pending.clear();
            i = end;
            continue;
        }
        if let Some(m) = post.filter(fits) {
            let to = mentions[m].end;
            for mut p in pending.drain(..) {
                if p.kind.fits(mentions[m].family) {
                    emit(out, p.kind, p.start, (p.start, to), Some(m), &mut p.numbers);
                }
            }
            emit(out, k.kind, i, (i, to), Some(m), &mut nums);
            prev = Some(((i, to), Some(m)));
        } else if let Some(m) = pre.filter(fits) {
            let from = mentions[m].start;
            emit(out, k.kind, i, (from, end), Some(m), &mut nums);
            prev = Some(((from, end), Some(m)));
        } else if let Some(((from, _), m)) = connected
            .and_then(|(w, m)| Some((w, m?)))
            .filter(|(_, m)| fits(m))
        {
            // The text runs from the words that named the framework.
            emit(out, k.kind, i, (from, end), Some(m), &mut nums);
            prev = Some(((from, end), Some(m)));
        } else if matches!(k.kind, Kind::Do | Kind::Spo) {
            emit(out, k.kind, i, (i, end), None, &mut nums);
            prev = Some(((i, end), None));
        } else {
            pending.push(Pending {
                kind: k.kind,
                start: i,
                numbers: std::mem::take(&mut nums),
            });
            prev = Some(((i, end), None));
        }
        i = end.max(i + 1);
    }
}

/// Appends one bound reference per number (a SpO has none), taking the numbers.
fn emit(
    out: &mut Vec<Bound>,
    kind: Kind,
    pos: usize,
    (from, to): (usize, usize),
    mention: Option<usize>,
    nums: &mut Vec<Number>,
) {
    let bound = |element| Bound {
        pos,
        from,
        to,
        mention,
        element,
    };
    if kind == Kind::Spo {
        out.push(bound(Element::Spo));
    } else {
        out.extend(nums.drain(..).map(|n| bound(kind.element(n))));
    }
}
