//! Initiatives and other named strategies: acronym definitions ("President's Malaria Initiative
//! (PMI)", "Women, Peace and Security (WPS) Strategy"), well-known initiative names and
//! acronyms, and strategies named in words ("the U.S. Strategy on Countering Corruption").

use cairn_core::Target;
use cairn_core::link::kebab_name;

use super::token::Text;

/// A target read from tokens `from..to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Named {
    pub from: usize,
    pub to: usize,
    pub target: Target,
}

/// Presidential initiatives, by the acronym documents use.
const INITIATIVES: &[&str] = &[
    "PEPFAR", "PMI", "FTF", "GFSS", "GHSA", "GCC", "EPCMD", "PREPARE",
];

/// Initiative acronyms distinctive enough to read without their definition ("GCC" is also
/// the Gulf Cooperation Council, "PREPARE" a plain word in capitals).
const STANDALONE: &[&str] = &["PEPFAR", "PMI", "FTF", "GFSS", "GHSA", "EPCMD"];

/// Initiatives written out without their acronym (possessives dropped, any case).
const INITIATIVE_NAMES: &[(&[&str], &str)] = &[
    (&["feed", "the", "future"], "FTF"),
    (&["president", "malaria", "initiative"], "PMI"),
    (
        &["president", "emergency", "plan", "for", "aids", "relief"],
        "PEPFAR",
    ),
    (&["global", "health", "security", "agenda"], "GHSA"),
    (&["global", "food", "security", "strategy"], "GFSS"),
];

/// Acronyms of the frameworks, which [`super::framework`] reads.
const FRAMEWORK_CODES: &[&str] = &["JRS", "FBS", "JSP", "NSS", "INSSG", "CDCS", "ICS"];

/// Small words a long form may skip ("Feed the Future" may also spell FTF with "the").
const STOPWORDS: &[&str] = &[
    "of", "the", "for", "and", "on", "to", "in", "a", "an", "&", "with", "at", "by",
];

/// Words ending a long form that its acronym may leave out ("… Change Initiative (GCC)").
const GENERIC_TAILS: &[&str] = &["initiative", "strategy", "program", "act", "agenda", "plan"];

/// Capitalised words that start a sentence or clause rather than a strategy's name.
const NOT_NAME: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "our", "its", "their", "each", "any", "in",
    "and", "under", "with", "per", "by", "for", "of", "on", "to", "as", "from", "through", "via",
    "both", "all",
];

/// Words joining the parts of a name after "Strategy" ("Strategy on Gender Equity and Equality").
const CONNECTORS: &[&str] = &[
    "on", "for", "to", "toward", "towards", "of", "against", "and", "the", "in", "with",
];

/// The most words a strategy's name takes on either side of "Strategy".
const MAX_NAME: usize = 12;

/// Names too generic to identify a strategy alone ("Mission Strategy", "U.S. Strategy").
const GENERIC: &[&str] = &[
    "u.s.",
    "mission",
    "country",
    "regional",
    "bureau",
    "embassy",
    "integrated",
    "overall",
    "interagency",
    "post",
    "new",
    "current",
    "national",
    "security",
    "strategy",
];

/// Every initiative and named strategy of `t` not inside a `claimed` token (appending to
/// `out`, claiming what it reads).
pub(super) fn find(t: &Text, claimed: &mut [bool], out: &mut Vec<Named>) {
    definitions(t, claimed, out);
    let mut i = 0;
    while i < t.len() {
        // Initiative names and acronyms start with F, P, G or E; "Strategy" with S; all
        // capitalised.
        if !t.cap(i)
            || !matches!(t.first(i), b'f' | b'p' | b'g' | b'e' | b's')
            || claimed.get(i).copied().unwrap_or(true)
        {
            i += 1;
            continue;
        }
        let found = initiative_name(t, claimed, i)
            .or_else(|| standalone(t, i))
            .or_else(|| named_strategy(t, claimed, i));
        match found {
            Some(n) => {
                let next = n.to.max(i + 1);
                claim(claimed, n.from, n.to);
                out.push(n);
                i = next;
            }
            None => i += 1,
        }
    }
}

fn claim(claimed: &mut [bool], from: usize, to: usize) {
    for c in claimed.iter_mut().take(to).skip(from) {
        *c = true;
    }
}

fn free(claimed: &[bool], from: usize, to: usize) -> bool {
    (from..to).all(|k| !claimed.get(k).copied().unwrap_or(true))
}

fn is_acronym(w: &str) -> bool {
    (2..=10).contains(&w.len())
        && w.bytes().all(|b| b.is_ascii_alphabetic())
        && w.as_bytes()[0].is_ascii_uppercase()
        && w.bytes().filter(u8::is_ascii_uppercase).count() >= 2
}

/// "Long Form Words (ACR)" definitions.
fn definitions(t: &Text, claimed: &mut [bool], out: &mut Vec<Named>) {
    for i in 1..t.len() {
        if t.first(i - 1) != b'(' || !(t.punct(i - 1, "(") && t.punct(i + 1, ")")) {
            continue;
        }
        let Some(acr) = t.word(i).filter(|w| is_acronym(w)) else {
            continue;
        };
        if FRAMEWORK_CODES.contains(&acr) || !free(claimed, i - 1, i + 2) {
            continue;
        }
        let Some(start) = long_form(t, claimed, acr, i - 1) else {
            continue;
        };
        // "… (WPS) Strategy", "… (YALI) Initiative": the kind word follows the acronym.
        let follow = t
            .base(i + 2)
            .map(|(b, _)| b)
            .filter(|b| b.eq_ignore_ascii_case("strategy") || b.eq_ignore_ascii_case("initiative"));
        let end = if follow.is_some() { i + 3 } else { i + 2 };
        let has = |w: &str| {
            (start..i - 1).any(|k| t.base_is(k, w))
                || follow.is_some_and(|f| f.eq_ignore_ascii_case(w))
        };
        let president = (start..i - 1).any(|k| {
            t.word(k)
                .and_then(|w| w.get(..9))
                .is_some_and(|w| w.eq_ignore_ascii_case("president"))
        });
        let target = if INITIATIVES.contains(&acr) || has("initiative") || president {
            Some(Target::Initiative(acr.to_string()))
        } else if has("strategy") {
            Some(Target::Strategy(acr.to_string()))
        } else {
            None
        };
        // "U.S. Women, Peace and Security (WPS) Strategy": the text keeps "U.S.".
        let from = match start.checked_sub(1) {
            Some(p) if t.is(p, "U.S.") && free(claimed, p, start) => p,
            _ => start,
        };
        claim(claimed, from, end);
        if let Some(target) = target {
            out.push(Named {
                from,
                to: end,
                target,
            });
        }
    }
}

/// Where the long form of `acr` starts, reading back from token `end` (exclusive): each letter
/// the initial of a word (or of a part of "U.S.", "Counter-Terrorism"), small words skipped
/// (Schwartz–Hearst style). The first word may not be a small word.
fn long_form(t: &Text, claimed: &[bool], acr: &str, end: usize) -> Option<usize> {
    let mut buf = [0u8; 10];
    let n = acr.len().min(buf.len());
    for (l, b) in buf.iter_mut().zip(acr.bytes()) {
        *l = b.to_ascii_uppercase();
    }
    let letters = &buf[..n];
    let reach = (letters.len() + 5).min(letters.len() * 2) + 2;
    let mut floor = end;
    let mut words = 0;
    while floor > 0 && words < reach && end - floor < 31 {
        let p = floor - 1;
        if claimed.get(p).copied().unwrap_or(true) || (t.is_punct(p) && !t.punct(p, ",")) {
            break;
        }
        if !t.is_punct(p) {
            words += 1;
        }
        floor = p;
    }
    let mut search = LongForm {
        t,
        letters,
        end,
        floor,
        failed: [0; 11],
    };
    search.run(letters.len(), end)
}

struct LongForm<'a, 'b> {
    t: &'a Text<'b>,
    letters: &'a [u8],
    end: usize,
    floor: usize,
    /// Memo of dead ends: bit `end - q` of `failed[li]`.
    failed: [u32; 11],
}

impl LongForm<'_, '_> {
    /// Matches the first `li` letters against the words before token `q`.
    fn run(&mut self, li: usize, q: usize) -> Option<usize> {
        if li == 0 {
            return Some(q);
        }
        if q <= self.floor {
            return None;
        }
        let bit = 1u32 << (self.end - q);
        if self.failed.get(li).is_some_and(|f| f & bit != 0) {
            return None;
        }
        let found = self.step(li, q);
        if found.is_none()
            && let Some(f) = self.failed.get_mut(li)
        {
            *f |= bit;
        }
        found
    }

    fn step(&mut self, li: usize, q: usize) -> Option<usize> {
        let w = q - 1;
        if self.t.punct(w, ",") {
            return self.run(li, w);
        }
        let (b, _) = self.t.base(w)?;
        let small = STOPWORDS.iter().any(|s| b.eq_ignore_ascii_case(s));
        let mut inits = [0u8; 8];
        let n = initials(b, &mut inits);
        if n > 1
            && n <= li
            && self.letters[li - n..li] == inits[..n]
            && !(li == n && small)
            && let Some(s) = self.run(li - n, w)
        {
            return Some(s);
        }
        if n >= 1
            && inits[0] == self.letters[li - 1]
            && !(li == 1 && small)
            && let Some(s) = self.run(li - 1, w)
        {
            return Some(s);
        }
        let tail =
            li == self.letters.len() && GENERIC_TAILS.iter().any(|g| b.eq_ignore_ascii_case(g));
        if small || tail {
            return self.run(li, w);
        }
        None
    }
}

/// Upper-case initials of a word's parts ("U.S." → U S, "Counter-Terrorism" → C T).
fn initials(w: &str, out: &mut [u8; 8]) -> usize {
    let mut n = 0;
    for part in w.split(['-', '/', '.']) {
        if n == out.len() {
            break;
        }
        if let Some(c) = part.bytes().next() {
            out[n] = if c.is_ascii_alphabetic() {
                c.to_ascii_uppercase()
            } else {
                0
            };
            n += 1;
        }
    }
    n
}

/// "Feed the Future", "the President's Malaria Initiative" written out.
fn initiative_name(t: &Text, claimed: &[bool], i: usize) -> Option<Named> {
    if !t.cap(i) {
        return None;
    }
    INITIATIVE_NAMES.iter().find_map(|(words, acr)| {
        let to = i + words.len();
        let all = words.iter().enumerate().all(|(k, w)| t.base_is(i + k, w));
        (all && free(claimed, i, to)).then(|| Named {
            from: i,
            to,
            target: Target::Initiative((*acr).to_string()),
        })
    })
}

fn standalone(t: &Text, i: usize) -> Option<Named> {
    let (b, _) = t.base(i)?;
    STANDALONE.contains(&b).then(|| Named {
        from: i,
        to: i + 1,
        target: Target::Initiative(b.to_string()),
    })
}

/// A strategy named in words around a capitalised "Strategy": capitalised words before it
/// (a possessive owner such as "the White House's" is not part of the name) and, after
/// "on", "for", "to"…, capitalised words joined by small words.
fn named_strategy(t: &Text, claimed: &[bool], i: usize) -> Option<Named> {
    if t.base(i).map(|(b, _)| b) != Some("Strategy") {
        return None;
    }
    let usable = |k: usize| !claimed.get(k).copied().unwrap_or(true);
    let name_word = |k: usize| {
        usable(k) && t.cap(k) && !t.possessive(k) && !NOT_NAME.iter().any(|w| t.is(k, w))
    };
    // Names are short; the bounds keep a run of capitals from being walked again and again.
    let mut start = i;
    while start > 0 && i - start < MAX_NAME && name_word(start - 1) {
        start -= 1;
    }
    // After "Strategy on|for|to|toward|of|against": name words joined by small words. "and the" or
    // another "Strategy" starts another name.
    let mut end = i + 1;
    if t.is_any(
        end,
        &["on", "for", "to", "toward", "towards", "of", "against"],
    ) {
        let mut k = end;
        loop {
            let mut c = k;
            while usable(c)
                && t.is_any(c, CONNECTORS)
                && !(c > k && t.is(c, "the") && t.is(c - 1, "and"))
            {
                c += 1;
            }
            let mut w = c;
            while usable(w)
                && t.cap(w)
                && !t.is(w, "U.S.")
                && !t.possessive(w)
                && !t.base_is(w, "strategy")
            {
                w += 1;
            }
            if c == k || w == c || w - i > 2 * MAX_NAME {
                break;
            }
            end = w;
            k = w;
        }
    }
    let distinctive = (start..end).any(|k| t.cap(k) && !GENERIC.iter().any(|g| t.base_is(k, g)));
    if !distinctive {
        return None;
    }
    // The owner stays in the verbatim text but not in the name.
    let mut from = start;
    if start > 0 && usable(start - 1) && t.cap(start - 1) && t.possessive(start - 1) {
        from = start - 1;
        while from > 0 && start - from < 3 && name_word(from - 1) {
            from -= 1;
        }
    }
    Some(Named {
        from,
        to: end,
        target: Target::Strategy(kebab_name(t.span(start, end))),
    })
}
