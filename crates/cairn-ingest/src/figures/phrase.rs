//! Inside one sentence: year expressions ("in FY 2019", "In 2021,", "by the end of 2025") and
//! figure phrases ("$132 million", "4.8%", "five percent", "1.9 million people").

use cairn_core::Unit;

use super::words::{COMPOUND_SUBJECTS, Chunk, after_dollar_sign, is_dollar_sign, numeric, role::*};

/// What a year expression ties a figure to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum When {
    Calendar(i32),
    Fiscal(i32),
}

/// A year expression that binds: chunks `first..=last`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct YearExpr {
    pub first: usize,
    pub last: usize,
    pub when: When,
}

/// A figure phrase: chunks `first..end` (the subject, after them, is not part of the phrase).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Found {
    pub first: usize,
    pub end: usize,
    /// Byte range of the phrase as written.
    pub text: (usize, usize),
    pub value: f64,
    pub unit: Unit,
    /// Byte range of what is counted.
    pub subject: Option<(usize, usize)>,
}

/// Finds the year expressions of a sentence, each from the number that ends it. Every chunk
/// that belongs to one (bound or not, e.g. a span "FY 2019–2021") is marked in `used` so
/// that it is never read as a figure.
pub(super) fn years(ch: &[Chunk<'_>], used: &mut [bool], out: &mut Vec<YearExpr>) {
    // Chunks before `floor` belong to an expression already.
    let mut floor = 0;
    // Where the next member of a span or list of years starts, when one is open.
    let mut member_at = None;
    for last in 0..ch.len() {
        if !ch[last].trigger {
            continue;
        }
        let Some((first, when)) = year_ending_at(ch, last, floor) else {
            continue;
        };
        for u in &mut used[first..=last] {
            *u = true;
        }
        let member = member_at == Some(first);
        member_at = range_continues(ch, last);
        if !member && member_at.is_none() {
            out.push(YearExpr { first, last, when });
        }
        floor = last + 1;
    }
}

/// The year expression that ends with the number at chunk `j`, not reaching back before
/// `floor`: its first chunk and what it names. "FY2019", "FY19", "FY 2019", "(FY) 2019",
/// "fiscal year 2019", "CY 2022"; "in 2022", "by February 2022", "in early 2022", "by the
/// end of 2025", "by June 30, 2025", "as of December 2021".
fn year_ending_at(ch: &[Chunk<'_>], j: usize, floor: usize) -> Option<(usize, When)> {
    let c = &ch[j];
    if c.core.len() > 2
        && let Some((head, rest)) = c.core.split_at_checked(2)
    {
        let fiscal = head.eq_ignore_ascii_case("fy");
        if fiscal || head == "CY" {
            let rest = rest.trim_start_matches(['-', '\'', '’']);
            return year_digits(rest, fiscal).map(|y| (j, when(fiscal, y)));
        }
    }
    let before = |k: usize| (j >= floor + k).then(|| &ch[j - k]);
    if let Some(p) = before(1) {
        if p.is(FY | CY) && (p.open_ended() || p.close == b')') {
            let fiscal = p.is(FY);
            let y = year_digits(c.core, fiscal)?;
            // "fiscal year (FY) 2019"
            let spelled = p.open
                && before(2).is_some_and(|w| w.is(YEAR) && w.open_ended())
                && before(3).is_some_and(|w| w.is(FISCAL) && w.open_ended());
            return Some((if spelled { j - 3 } else { j - 1 }, when(fiscal, y)));
        }
        if p.is(YEAR) && p.open_ended() && before(2).is_some_and(|w| w.is(FISCAL) && w.open_ended())
        {
            return Some((j - 2, When::Fiscal(year_digits(c.core, true)?)));
        }
    }
    let y = year_digits(c.core, false)?;
    let mut k = j;
    // A day after its month: "June 30, 2025".
    if let (Some(d), Some(m)) = (before(1), before(2))
        && d.core.len() <= 2
        && d.core.bytes().all(|b| b.is_ascii_digit())
        && m.is(MONTH)
        && m.open_ended()
    {
        k -= 1;
    }
    let mut mods = 0;
    while k > floor {
        let w = &ch[k - 1];
        if !w.open_ended() {
            return None;
        }
        if w.is(BIND) {
            return Some((k - 1, When::Calendar(y)));
        }
        // "as of December 2021"
        if k >= floor + 2
            && w.core.eq_ignore_ascii_case("of")
            && ch[k - 2].core.eq_ignore_ascii_case("as")
            && ch[k - 2].open_ended()
        {
            return Some((k - 2, When::Calendar(y)));
        }
        if !w.is(YEAR_MOD | MONTH) || mods == 5 {
            return None;
        }
        mods += 1;
        k -= 1;
    }
    None
}

fn when(fiscal: bool, y: i32) -> When {
    if fiscal {
        When::Fiscal(y)
    } else {
        When::Calendar(y)
    }
}

/// A year written in four digits (1900–2100), or in two after "FY" ("FY19" → 2019).
fn year_digits(core: &str, two_digit: bool) -> Option<i32> {
    let b = core.as_bytes();
    if !matches!(b.len(), 2 | 4) || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let v: i32 = b.iter().fold(0, |acc, d| acc * 10 + i32::from(d - b'0'));
    match b.len() {
        4 if (1900..=2100).contains(&v) => Some(v),
        2 if two_digit => Some(2000 + v),
        _ => None,
    }
}

/// Where the next year of a span or list starts when the year at chunk `last` opens one
/// ("FY 2019–2021", "FY 2020 and FY 2021"): such years tie a figure to no single year.
fn range_continues(ch: &[Chunk<'_>], last: usize) -> Option<usize> {
    let c = &ch[last];
    let is_year = |k: usize| {
        ch.get(k).is_some_and(|w| {
            year_digits(w.core, false).is_some()
                || w.is(FY | FISCAL | CY)
                || (w.core.len() > 2
                    && w.core.split_at_checked(2).is_some_and(|(h, r)| {
                        h.eq_ignore_ascii_case("fy") && year_digits(r, true).is_some()
                    }))
        })
    };
    if c.close == b'-' {
        return is_year(last + 1).then_some(last + 1);
    }
    let joined = c.close == 0
        && ch
            .get(last + 1)
            .is_some_and(|j| j.is(JOIN) && j.open_ended());
    (joined && is_year(last + 2)).then_some(last + 2)
}

/// Whether a chunk can begin a figure phrase: a number, a dollar sign, "a" ("a million").
pub(super) fn can_start(c: &Chunk<'_>) -> bool {
    c.trigger || matches!(c.core, "a" | "A" | "USD")
}

fn is_number_like(c: &Chunk<'_>) -> bool {
    c.first_byte().is_ascii_digit() || c.first_byte() == b'$' || c.is(NUM)
}

/// Reads the figure phrase that starts at chunk `i`, if there is one.
pub(super) fn figure_at(ch: &[Chunk<'_>], used: &[bool], i: usize) -> Option<Found> {
    let n = ch.len();
    let free = |k: usize| k < n && !used[k];
    let c = &ch[i];
    // The currency before the number.
    let mut money = false;
    let mut j = i;
    let mut core = c.core;
    if is_dollar_sign(c.core) {
        if !c.open_ended() || !free(i + 1) || !ch[i + 1].first_byte().is_ascii_digit() {
            return None;
        }
        money = true;
        j = i + 1;
        core = ch[j].core;
    } else if let Some(rest) = after_dollar_sign(c.core) {
        money = true;
        core = rest;
    }
    // The second member of a range ("5–10 percent") is not a figure of its own.
    if i > 0 && ch[i - 1].close == b'-' && is_number_like(&ch[i - 1]) {
        return None;
    }

    // The number, with its scale words.
    let mut last = j;
    let mut scaled;
    let mut percent = false;
    let mut year_like = false;
    let value;
    if core.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        let num = numeric(core, money)?;
        percent = num.percent;
        year_like = num.is_year_like();
        scaled = num.scale > 0;
        let mut exp = 0u32;
        while ch[last].open_ended()
            && !percent
            && free(last + 1)
            && ch[last + 1].is(HUNDRED | SCALE)
        {
            exp += u32::from(ch[last + 1].val());
            scaled |= ch[last + 1].is(SCALE);
            last += 1;
        }
        value = num.value(exp);
    } else if !money {
        let (v, l, s) = spelled(ch, used, j)?;
        value = v as f64;
        last = l;
        scaled = s;
    } else {
        return None;
    }
    // The first member of a range.
    if ch[last].close == b'-' && ch.get(last + 1).is_some_and(is_number_like) {
        return None;
    }

    // The unit after it.
    let mut end = last;
    let mut unit = if percent { Some(Unit::Percent) } else { None };
    if unit.is_none() && ch[last].open_ended() && free(last + 1) {
        let a = &ch[last + 1];
        let b = ch
            .get(last + 2)
            .filter(|_| free(last + 2) && a.open_ended());
        if a.is(PERCENT) {
            unit = Some(Unit::Percent);
            end = last + 1;
        } else if (a.is(PER) && b.is_some_and(|b| b.is(CENT)))
            || (a.is(PERCENTAGE) && b.is_some_and(|b| b.is(POINTS)))
        {
            unit = Some(Unit::Percent);
            end = last + 2;
        } else if a.is(DOLLARS) {
            unit = Some(Unit::Usd);
            end = last + 1;
        } else if a.is(US)
            && (a.open_ended() || a.close == b'.')
            && ch.get(last + 2).is_some_and(|b| b.is(DOLLARS))
        {
            unit = Some(Unit::Usd);
            end = last + 2;
        } else if a.is(CURRENCY) || (a.is(TIME) && !money) {
            // Another currency; a duration or an age ("ten years", "17 years").
            return None;
        }
    }
    let mut subject = None;
    let unit = match (money, unit) {
        (true, Some(Unit::Percent)) => return None,
        (true, _) => Unit::Usd,
        (false, Some(u)) => u,
        (false, None) => {
            subject = if ch[end].open_ended() {
                counted_after(ch, used, end + 1)
            } else {
                None
            };
            if scaled {
                if subject.is_none() && ch[end].open_ended() {
                    subject = plural_after(ch, used, end + 1);
                }
            } else if subject.is_none() || year_like || in_reference(ch, i) || is_ratio(ch, i) {
                return None;
            }
            Unit::Count
        }
    };
    Some(Found {
        first: i,
        end: end + 1,
        text: (c.start, ch[end].end),
        value,
        unit,
        subject,
    })
}

/// A spelled-out number from chunk `j`: its value, last chunk, and whether a scale word
/// (thousand and up) was part of it. "two million", "three hundred and fifty", "a million".
fn spelled(ch: &[Chunk<'_>], used: &[bool], j: usize) -> Option<(u64, usize, bool)> {
    #[derive(PartialEq)]
    enum Prev {
        Start,
        Units,
        Tens,
        Hundred,
        Scale,
    }
    let n = ch.len();
    let mut total = 0u64;
    let mut current = 0u64;
    let mut prev = Prev::Start;
    let mut scaled = false;
    let mut k = j;
    let mut last = j;
    if ch[j].is(A) {
        // "a million", "a hundred": only before a scale word.
        if !ch[j].open_ended() || !ch.get(j + 1).is_some_and(|w| w.is(HUNDRED | SCALE)) {
            return None;
        }
        current = 1;
        prev = Prev::Units;
        k = j + 1;
    }
    while k < n && !used[k] && (k == j || ch[k - 1].open_ended()) {
        let w = &ch[k];
        if w.is(NUM) {
            let v = u64::from(w.val());
            let ok = match prev {
                Prev::Start | Prev::Hundred | Prev::Scale => true,
                // "twenty five"
                Prev::Tens => (1..=9).contains(&v),
                Prev::Units => false,
            };
            if !ok {
                break;
            }
            current = current.saturating_add(v);
            prev = if v >= 20 && v % 10 == 0 {
                Prev::Tens
            } else {
                Prev::Units
            };
        } else if w.is(HUNDRED) {
            if !matches!(prev, Prev::Units | Prev::Tens) {
                break;
            }
            current = current.saturating_mul(100);
            prev = Prev::Hundred;
        } else if w.is(SCALE) {
            if matches!(prev, Prev::Start | Prev::Scale) {
                break;
            }
            total = total.saturating_add(current.saturating_mul(10u64.pow(u32::from(w.val()))));
            current = 0;
            scaled = true;
            prev = Prev::Scale;
        } else if prev == Prev::Hundred
            && w.core.eq_ignore_ascii_case("and")
            && w.open_ended()
            && ch.get(k + 1).is_some_and(|x| x.is(NUM))
        {
            // "three hundred and fifty"
            k += 1;
            continue;
        } else {
            break;
        }
        last = k;
        k += 1;
    }
    if prev == Prev::Start {
        return None;
    }
    Some((total.saturating_add(current), last, scaled))
}

/// What a number counts, when a people or thing noun follows it within two words
/// ("3,500 refugees", "120 new schools", "1.2 million internally displaced persons").
fn counted_after(ch: &[Chunk<'_>], used: &[bool], from: usize) -> Option<(usize, usize)> {
    for k in from..(from + 3).min(ch.len()) {
        let w = &ch[k];
        if used[k] || w.open {
            return None;
        }
        if w.is(COUNTED) {
            return Some((compound_start(ch, from, k), w.end));
        }
        // "1,000 U.S. citizens"
        if w.is(US) && (w.open_ended() || w.close == b'.') {
            continue;
        }
        if !is_plain_word(w.core) || w.roles() != 0 || !w.open_ended() {
            return None;
        }
    }
    None
}

/// Where the subject ending at chunk `k` starts: earlier when it is a known compound
/// ("internally displaced persons", "metric tons").
fn compound_start(ch: &[Chunk<'_>], from: usize, k: usize) -> usize {
    for words in COMPOUND_SUBJECTS {
        let len = words.len();
        if k + 1 >= from + len
            && ch[k + 1 - len..=k]
                .iter()
                .zip(words.iter())
                .all(|(c, w)| c.core.eq_ignore_ascii_case(w))
        {
            return ch[k + 1 - len].start;
        }
    }
    ch[k].start
}

/// After a scale word, a plural noun not in the list still says what is counted ("2 million
/// Malians").
fn plural_after(ch: &[Chunk<'_>], used: &[bool], k: usize) -> Option<(usize, usize)> {
    let w = ch.get(k)?;
    let plural = w.core.len() >= 3 && w.core.ends_with('s') && !w.core.ends_with("ss");
    (!used[k] && !w.open && w.roles() == 0 && plural && is_plain_word(w.core))
        .then_some((w.start, w.end))
}

/// A word of letters (hyphens, apostrophes and non-ASCII letters allowed), no digits.
fn is_plain_word(core: &str) -> bool {
    core.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
        && core
            .bytes()
            .all(|b| b.is_ascii_alphabetic() || b == b'-' || b == b'\'' || b >= 0x80)
}

/// Whether the number at chunk `i` names an element, a grade, an age or a day rather than a
/// quantity: "Grade 5 students", "Goals 1 and 3", "COVID 19 cases", "aged 15", "May 24".
fn in_reference(ch: &[Chunk<'_>], i: usize) -> bool {
    let mut p = i;
    while p > 0 && i - p < 8 {
        p -= 1;
        let w = &ch[p];
        if w.is(MONTH) {
            return p + 1 == i;
        }
        if w.is(REF | AGE) {
            return !w.core.eq_ignore_ascii_case("no") || w.close == b'.';
        }
        if !w.open_ended() || !(is_number_like(w) || w.is(JOIN)) {
            return false;
        }
    }
    false
}

/// "one in five children", "3 out of 10 people": a ratio, not a count.
fn is_ratio(ch: &[Chunk<'_>], i: usize) -> bool {
    let word = |k: usize, s: &str| ch[k].core.eq_ignore_ascii_case(s);
    (i >= 2 && (word(i - 1, "in") || word(i - 1, "of")) && is_number_like(&ch[i - 2]))
        || (i >= 3 && word(i - 1, "of") && word(i - 2, "out") && is_number_like(&ch[i - 3]))
}
