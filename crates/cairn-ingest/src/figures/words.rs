//! The words of a sentence as the figure reader sees them: chunks between spaces with their
//! surrounding punctuation stripped, each classified on first use against the small
//! vocabulary that figures and year expressions need; the reading of written numbers
//! ("3,500", "4.8%", "$5M"); and the word tests the sentence filter uses.

use std::cell::Cell;
use std::sync::OnceLock;

use crate::swar::{bytes_below, load, splat, zero_bytes};

/// Role flags of a chunk (a chunk can have several: "through" binds a year and joins a range).
pub(super) mod role {
    /// A spelled-out number below one hundred ("five", "twenty-five"); the value is in `val`.
    pub const NUM: u32 = 1 << 0;
    /// "hundred".
    pub const HUNDRED: u32 = 1 << 1;
    /// "thousand", "million", "billion", "trillion"; the power of ten is in `val`.
    pub const SCALE: u32 = 1 << 2;
    /// The article "a" ("a million people").
    pub const A: u32 = 1 << 3;
    /// "percent", "%".
    pub const PERCENT: u32 = 1 << 4;
    /// "per" (of "per cent").
    pub const PER: u32 = 1 << 5;
    /// "cent".
    pub const CENT: u32 = 1 << 6;
    /// "percentage" (of "percentage points").
    pub const PERCENTAGE: u32 = 1 << 7;
    /// "point", "points".
    pub const POINTS: u32 = 1 << 8;
    /// "dollar", "dollars", "USD".
    pub const DOLLARS: u32 = 1 << 9;
    /// "US", "U.S." (of "U.S. dollars").
    pub const US: u32 = 1 << 10;
    /// "FY".
    pub const FY: u32 = 1 << 11;
    /// "fiscal".
    pub const FISCAL: u32 = 1 << 12;
    /// "year" (singular).
    pub const YEAR: u32 = 1 << 13;
    /// "CY" (calendar year).
    pub const CY: u32 = 1 << 14;
    /// A preposition that ties what it governs to a year: "in", "for", "by", "during", ….
    pub const BIND: u32 = 1 << 15;
    /// A word that may stand between a binding preposition and its year ("in early 2022",
    /// "by the end of 2025", "in calendar year 2022").
    pub const YEAR_MOD: u32 = 1 << 16;
    /// A month name.
    pub const MONTH: u32 = 1 << 17;
    /// A unit of time: a number before it is a duration or an age.
    pub const TIME: u32 = 1 << 18;
    /// A word naming a numbered thing: the number after it is an identifier ("Goal 1",
    /// "Section 7008", "Grade 5").
    pub const REF: u32 = 1 << 19;
    /// "age", "aged", "ages".
    pub const AGE: u32 = 1 << 20;
    /// A word that continues a list or range of numbers: "and", "or", "to", "through".
    pub const JOIN: u32 = 1 << 21;
    /// A function word: it ends the search for what a number counts.
    pub const STOP: u32 = 1 << 22;
    /// A people or thing noun that a bare number counts ("refugees", "schools").
    pub const COUNTED: u32 = 1 << 23;
    /// A currency other than the dollar ("CFA francs", "euros"): not a figure Cairn reads.
    pub const CURRENCY: u32 = 1 << 24;
}

/// One whitespace-delimited piece of a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Chunk<'a> {
    /// The piece without opening and closing punctuation ("2022" of "2022),").
    pub core: &'a str,
    /// Byte offset of `core` in the text.
    pub start: usize,
    /// Byte offset just past `core` in the text.
    pub end: usize,
    /// The first closing punctuation stripped after the core (`b','`, `b'.'`, `b')'`, …);
    /// `b'-'` when a dash follows; 0 when none.
    pub close: u8,
    /// Opening punctuation stood before the core ("(FY)").
    pub open: bool,
    /// The chunk is or holds a number: a digit, a dollar sign, a number word.
    pub trigger: bool,
    /// [`role`] flags and value, looked up on first use.
    class: Cell<Option<(u32, u8)>>,
}

impl Chunk<'_> {
    fn class(&self) -> (u32, u8) {
        if let Some(c) = self.class.get() {
            return c;
        }
        let c = classify(self.core);
        self.class.set(Some(c));
        c
    }

    /// The [`role`] flags.
    pub fn roles(&self) -> u32 {
        self.class().0
    }

    /// The number of a [`role::NUM`] word, the power of ten of a [`role::SCALE`] word.
    pub fn val(&self) -> u8 {
        self.class().1
    }

    pub fn is(&self, roles: u32) -> bool {
        self.roles() & roles != 0
    }

    /// Whether a phrase may run on past this chunk (no punctuation closes it).
    pub fn open_ended(&self) -> bool {
        self.close == 0 || self.close == b'\''
    }

    pub fn first_byte(&self) -> u8 {
        self.core.as_bytes().first().copied().unwrap_or(0)
    }
}

/// Splits `text[from..to]` into chunks, appending them to `out`. A chunk is looked up in the
/// lexicon only when the reader asks what it is (most never are).
pub(super) fn chunks<'a>(text: &'a str, from: usize, to: usize, out: &mut Vec<Chunk<'a>>) {
    let b = text.as_bytes();
    let mut i = from;
    while i < to {
        match separator(b, i, to) {
            Sep::Space(n) => {
                i += n;
                continue;
            }
            Sep::Dash(n) => {
                mark_dash(out);
                i += n;
                continue;
            }
            Sep::No => {}
        }
        let s = i;
        i = next_separator(b, i + 1, to);
        while i < to && matches!(separator(b, i, to), Sep::No) {
            i = next_separator(b, i + 1, to);
        }
        push(text, s, i, out);
    }
}

enum Sep {
    No,
    Space(usize),
    Dash(usize),
}

/// Whitespace (ASCII spaces and controls, no-break, thin and narrow no-break spaces) and en
/// and em dashes.
fn separator(b: &[u8], i: usize, to: usize) -> Sep {
    match b[i] {
        0..=0x20 => Sep::Space(1),
        0xc2 if i + 1 < to && b[i + 1] == 0xa0 => Sep::Space(2),
        0xe2 if i + 2 < to && b[i + 1] == 0x80 => match b[i + 2] {
            0x93 | 0x94 => Sep::Dash(3),
            0x80..=0x8a | 0xaf => Sep::Space(3),
            _ => Sep::No,
        },
        _ => Sep::No,
    }
}

fn mark_dash(out: &mut [Chunk<'_>]) {
    if let Some(last) = out.last_mut()
        && last.close == 0
    {
        last.close = b'-';
    }
}

/// Strips the punctuation around `text[s..e]`, notes whether the core holds a number, and
/// appends it.
fn push<'a>(text: &'a str, mut s: usize, mut e: usize, out: &mut Vec<Chunk<'a>>) {
    let b = text.as_bytes();
    let mut open = false;
    loop {
        if s >= e {
            break;
        }
        match b[s] {
            b'(' | b'[' | b'{' | b'"' | b'\'' => {
                open = true;
                s += 1;
            }
            b'*' | b'_' | b'\\' => s += 1,
            0xe2 if s + 2 < e && b[s + 1] == 0x80 && matches!(b[s + 2], 0x98 | 0x9c) => {
                open = true;
                s += 3;
            }
            _ => break,
        }
    }
    let mut close = 0u8;
    loop {
        if e <= s {
            break;
        }
        let c = b[e - 1];
        let (n, mark) = match c {
            b',' | b';' | b':' | b')' | b']' | b'}' | b'.' | b'!' | b'?' | b'"' => (1, c),
            b'\'' => (1, b'\''),
            b'*' | b'_' => (1, 0),
            // ” and ’ (E2 80 9D, E2 80 99), … (E2 80 A6)
            _ if e >= s + 3 && b[e - 3] == 0xe2 && b[e - 2] == 0x80 => match c {
                0x9d => (3, b'"'),
                0x99 => (3, b'\''),
                0xa6 => (3, b'.'),
                _ => break,
            },
            _ => break,
        };
        e -= n;
        // The leftmost mark wins: "2022)." closes with ')'.
        if mark != 0 {
            close = mark;
        }
    }
    if s >= e {
        // Punctuation standing alone (" , ", " ) ") closes the chunk before.
        if close != 0 {
            mark_close(out, close);
        }
        return;
    }
    let core = &text[s..e];
    if core == "-" || core == "--" {
        mark_dash(out);
        return;
    }
    let trigger = is_trigger(core.as_bytes());
    out.push(Chunk {
        core,
        start: s,
        end: e,
        close,
        open,
        trigger,
        class: Cell::new(None),
    });
}

fn mark_close(out: &mut [Chunk<'_>], close: u8) {
    if let Some(last) = out.last_mut()
        && last.close == 0
    {
        last.close = close;
    }
}

/// The first byte in `i..to` that may separate chunks: ASCII space or control, or the lead
/// byte of a wide space or dash (0xC2, 0xE2); `to` when none.
fn next_separator(b: &[u8], mut i: usize, to: usize) -> usize {
    while i + 8 <= to {
        let x = load(b, i);
        let m = bytes_below(x, 0x21) | zero_bytes(x ^ splat(0xc2)) | zero_bytes(x ^ splat(0xe2));
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    (i..to)
        .find(|&k| b[k] <= 0x20 || b[k] == 0xc2 || b[k] == 0xe2)
        .unwrap_or(to)
}

/// Whether a chunk is or holds a number: a digit or a dollar sign anywhere ("FY2019",
/// "US$5"), or a number word, alone or hyphenated ("twenty-five", "five-year").
fn is_trigger(cb: &[u8]) -> bool {
    // Chunks are short: a plain loop beats assembling eight-byte blocks.
    if cb.iter().any(|&c| c.is_ascii_digit() || c == b'$') {
        return true;
    }
    // Words are turned away by their first two letters before the hyphen is looked for.
    let (Some(&a), Some(&b)) = (cb.first(), cb.get(1)) else {
        return false;
    };
    if !may_start_number_word(a, b) {
        return false;
    }
    let word = cb.iter().position(|&c| c == b'-').map_or(cb, |d| &cb[..d]);
    is_number_word(word)
}

/// The roles of a word that, within reach after a number, make it a figure.
const COMPLETES: u32 = {
    use role::*;
    HUNDRED | SCALE | PERCENT | PER | PERCENTAGE | DOLLARS | COUNTED
};

/// A word that, within reach after a number, may make it a figure: a scale, a unit, or a
/// counted noun.
pub(super) fn completes_figure(w: &[u8]) -> bool {
    // Most words are turned away by their first two letters and length, without a lookup.
    if let (Some(&a), Some(&b)) = (w.first(), w.get(1))
        && a.is_ascii_alphabetic()
        && b.is_ascii_alphabetic()
        && w.len() < 32
        && COMPLETING_SHAPES[usize::from((a | 0x20) - b'a') * 26 + usize::from((b | 0x20) - b'a')]
            & (1 << w.len())
            == 0
    {
        return false;
    }
    lookup(w).0 & COMPLETES != 0
}

/// For each pair of first letters, the lengths (as bits) of the words of [`VOCABULARY`] made
/// of letters that have a role in [`COMPLETES`] (any entry of them: a superset).
static COMPLETING_SHAPES: [u32; 26 * 26] = {
    let mut t = [0u32; 26 * 26];
    let mut e = 0;
    while e < VOCABULARY.len() {
        let (words, roles, _) = VOCABULARY[e];
        let w = words.as_bytes();
        let mut start = 0;
        while start < w.len() {
            let mut end = start;
            let mut letters = true;
            while end < w.len() && w[end] != b' ' {
                letters &= w[end].is_ascii_lowercase();
                end += 1;
            }
            let len = end - start;
            if roles & COMPLETES != 0 && letters && len >= 2 && len < 32 {
                t[(w[start] - b'a') as usize * 26 + (w[start + 1] - b'a') as usize] |= 1 << len;
            }
            start = end + 1;
        }
        e += 1;
    }
    t
};

/// "hundred", "thousand", "million", "billion", "trillion", in any case.
pub(super) fn is_scale_word(w: &[u8]) -> bool {
    lookup(w).0 & (role::HUNDRED | role::SCALE) != 0
}

/// A number or scale word ("five", "twenty", "hundred", "million"), in any case.
pub(super) fn is_number_word(w: &[u8]) -> bool {
    // Most words are turned away by their first two letters and length, without a lookup.
    let (Some(&first), Some(&second), true) = (w.first(), w.get(1), w.len() <= 9) else {
        return false;
    };
    number_shapes(first, second) & (1 << w.len()) != 0
        && lookup(w).0 & (role::NUM | role::HUNDRED | role::SCALE) != 0
}

/// The letters that begin a number word, as bits `1 << (letter & 0x1F)` (either case): a
/// first test that needs no second letter.
pub(super) const NUMBER_INITIALS: u32 = {
    let mut m = 0u32;
    let mut i = 0;
    while i < NUMBER_WORDS.len() + SCALE_WORDS.len() {
        let w = if i < NUMBER_WORDS.len() {
            NUMBER_WORDS[i].as_bytes()
        } else {
            SCALE_WORDS[i - NUMBER_WORDS.len()].as_bytes()
        };
        m |= 1 << (w[0] & 0x1F);
        i += 1;
    }
    m
};

/// Whether a word beginning with these two letters may be a number word.
fn may_start_number_word(first: u8, second: u8) -> bool {
    number_shapes(first, second) != 0
}

/// The lengths (as bits) of the number words that begin with these two letters, any case.
fn number_shapes(first: u8, second: u8) -> u16 {
    let (a, b) = (first | 0x20, second | 0x20);
    if !a.is_ascii_lowercase() || !b.is_ascii_lowercase() {
        return 0;
    }
    NUMBER_SHAPES[usize::from(a - b'a') * 26 + usize::from(b - b'a')]
}

/// For each pair of first letters, the lengths (as bits) of the number words that begin so.
static NUMBER_SHAPES: [u16; 26 * 26] = {
    let mut t = [0u16; 26 * 26];
    // The number words, then the scales.
    let mut i = 0;
    while i < NUMBER_WORDS.len() + SCALE_WORDS.len() {
        let w = if i < NUMBER_WORDS.len() {
            NUMBER_WORDS[i].as_bytes()
        } else {
            SCALE_WORDS[i - NUMBER_WORDS.len()].as_bytes()
        };
        t[(w[0] - b'a') as usize * 26 + (w[1] - b'a') as usize] |= 1 << w.len();
        i += 1;
    }
    t
};

/// Words that multiply the number before them.
const SCALE_WORDS: [&str; 5] = ["hundred", "thousand", "million", "billion", "trillion"];
/// The roles of a chunk's core, and its value for numbers and scales.
fn classify(core: &str) -> (u32, u8) {
    let bytes = core.as_bytes();
    if bytes.first().is_none_or(|b| b.is_ascii_digit()) {
        return (0, 0);
    }
    let hit = lookup(bytes);
    if hit.0 != 0 {
        return hit;
    }
    // "twenty-five"; any other hyphenated word ("five-year") is an adjective.
    if let Some(dash) = bytes.iter().position(|&c| c == b'-')
        && let ((role::NUM, t), (role::NUM, u)) =
            (lookup(&bytes[..dash]), lookup(&bytes[dash + 1..]))
        && t >= 20
        && t % 10 == 0
        && (1..=9).contains(&u)
    {
        return (role::NUM, t + u);
    }
    (0, 0)
}

/// The longest word the lexicon holds.
const MAX_WORD: usize = 16;
/// Slots of the lexicon table (a power of two, well above the number of words).
const SLOTS: usize = 2048;

/// The lexicon: open addressing over words packed, lowercase, into a `u128`.
struct Lexicon {
    slots: Vec<(u128, u32, u8)>,
}

/// A word (up to [`MAX_WORD`] bytes) lowercased and packed into one integer; 0 when too long
/// or empty.
fn key(word: &[u8]) -> u128 {
    if word.is_empty() || word.len() > MAX_WORD {
        return 0;
    }
    let mut buf = [0u8; MAX_WORD];
    for (d, s) in buf.iter_mut().zip(word) {
        *d = s.to_ascii_lowercase();
    }
    u128::from_le_bytes(buf)
}

fn slot(key: u128) -> usize {
    let h = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
    (h.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - SLOTS.trailing_zeros())) as usize
}

/// The roles and value of a word, in any case; `(0, 0)` when the lexicon does not hold it.
fn lookup(word: &[u8]) -> (u32, u8) {
    let k = key(word);
    if k == 0 {
        return (0, 0);
    }
    let slots = &lexicon().slots;
    let mut i = slot(k);
    loop {
        let (sk, roles, val) = slots[i];
        if sk == k {
            return (roles, val);
        }
        if sk == 0 {
            return (0, 0);
        }
        i = (i + 1) & (SLOTS - 1);
    }
}

/// The vocabulary, built once.
fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut lex = Lexicon {
            slots: vec![(0, 0, 0); SLOTS],
        };
        let mut insert = |word: &str, roles: u32, val: u8| {
            let k = key(word.as_bytes());
            debug_assert!(k != 0, "{word}");
            let mut i = slot(k);
            while lex.slots[i].0 != 0 && lex.slots[i].0 != k {
                i = (i + 1) & (SLOTS - 1);
            }
            // A word listed twice keeps its first entry.
            if lex.slots[i].0 == 0 {
                lex.slots[i] = (k, roles, val);
            }
        };
        for (value, word) in NUMBER_WORDS.iter().enumerate() {
            let value = if value < 20 { value } else { (value - 18) * 10 };
            insert(word, role::NUM, value as u8);
        }
        for &(words, roles, val) in VOCABULARY {
            for w in words.split_ascii_whitespace() {
                insert(w, roles, val);
            }
        }
        lex
    })
}

/// "zero" … "nineteen", then the tens "twenty" … "ninety".
const NUMBER_WORDS: [&str; 28] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
];

/// Words (space-separated, lowercase) with their roles and value. A word listed twice keeps
/// its first entry.
const VOCABULARY: &[(&str, u32, u8)] = {
    use role::*;
    &[
        ("hundred", HUNDRED, 2),
        ("thousand", SCALE, 3),
        ("million mn", SCALE, 6),
        ("billion bn", SCALE, 9),
        ("trillion", SCALE, 12),
        ("%", PERCENT, 0),
        ("a", A | STOP, 0),
        ("percent", PERCENT, 0),
        ("per", PER | STOP, 0),
        ("cent", CENT, 0),
        ("percentage", PERCENTAGE, 0),
        ("point points", POINTS, 0),
        ("dollar dollars usd", DOLLARS, 0),
        ("us u.s u.s.a", US | STOP, 0),
        ("fy", FY, 0),
        ("fiscal", FISCAL, 0),
        ("year", YEAR | TIME | YEAR_MOD, 0),
        ("cy", CY, 0),
        ("calendar", YEAR_MOD, 0),
        ("in for by during throughout until till", BIND | STOP, 0),
        ("through", BIND | JOIN | STOP, 0),
        (
            "early mid late end beginning start spring summer fall autumn winter half quarter \
             first second third fourth",
            YEAR_MOD,
            0,
        ),
        ("the of", YEAR_MOD | STOP, 0),
        (
            "january february march april may june july august september october november \
             december jan feb mar apr jun jul aug sep sept oct nov dec",
            MONTH | STOP,
            0,
        ),
        (
            "years month months day days week weeks decade decades hour hours minute minutes \
             century centuries quarters semester semesters yr yrs mos old",
            TIME,
            0,
        ),
        (
            "goal goals objective objectives sub-objective sub-objectives subobjective \
             subobjectives do dos ir irs sub-ir sub-irs spo section sections article articles \
             chapter chapters paragraph paragraphs annex appendix table figure page pages \
             resolution resolutions phase phases tier level step part title pillar priority \
             indicator grade grades class category type version round wave stage item items \
             rule number nos no covid sdg sdgs #",
            REF,
            0,
        ),
        ("age ages aged", AGE, 0),
        (
            "and or & and/or nor to between under over from",
            JOIN | STOP,
            0,
        ),
        (
            "an with at on but than as that which who whom whose were was are is be been being \
             will would might can could should must shall has have had this these those its \
             their our his her it they we into since across about around among each every not \
             out up down off via while when where if so did does also only such there here then \
             what all both either neither some any against within without toward towards upon \
             including like unlike after before annually respectively alone total overall",
            STOP,
            0,
        ),
        (
            "people persons individuals children women men girls boys youth youths adolescents \
             infants adults refugees migrants returnees idps households families students \
             pupils teachers farmers herders beneficiaries civilians troops soldiers officers \
             personnel staff employees workers deaths cases patients victims casualties \
             fatalities schools clinics hospitals facilities centers centres jobs villages \
             communities tons tonnes hectares acres kilometers kilometres doses meals loans \
             businesses enterprises firms residents citizens voters inhabitants visitors \
             travelers applicants participants trainees graduates members americans nationals \
             visas peacekeepers combatants survivors orphans mothers newborns babies \
             vaccinations wells latrines classrooms livestock cattle animals nets bednets",
            COUNTED,
            0,
        ),
        (
            "francs franc cfa fcfa xof euros euro eur pounds yuan rupees",
            CURRENCY,
            0,
        ),
    ]
};

/// Compound subjects, longest first: "internally displaced persons" rather than "persons".
pub(super) const COMPOUND_SUBJECTS: &[&[&str]] = &[
    &["community", "health", "workers"],
    &["internally", "displaced", "persons"],
    &["internally", "displaced", "people"],
    &["displaced", "persons"],
    &["displaced", "people"],
    &["health", "facilities"],
    &["health", "centers"],
    &["health", "centres"],
    &["health", "workers"],
    &["metric", "tons"],
    &["metric", "tonnes"],
    &["mosquito", "nets"],
];

/// A number as written in digits: "3,500", "4.8", "4.8%", "5M" (the last only after a dollar
/// sign). The value is `mantissa × 10^(−frac)`, kept exact so that "1.9 million" is 1900000.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Numeric {
    pub mantissa: u64,
    /// Digits after the decimal point.
    pub frac: u8,
    /// Digits before the decimal point.
    pub int_digits: u8,
    /// Thousands separators were written.
    pub grouped: bool,
    /// A "%" was attached.
    pub percent: bool,
    /// Power of ten of an attached scale letter ("5M" → 6); 0 when none.
    pub scale: u8,
}

impl Numeric {
    /// The value times `10^exp`, exact whenever the result is an integer below 2^53.
    pub fn value(&self, exp: u32) -> f64 {
        let exp = exp + u32::from(self.scale);
        let frac = u32::from(self.frac);
        let m = self.mantissa as f64;
        if exp >= frac {
            m * 10f64.powi((exp - frac) as i32)
        } else {
            m / 10f64.powi((frac - exp) as i32)
        }
    }

    /// Reads like a calendar year: four digits, no separators or decimals, 1900–2100.
    pub fn is_year_like(&self) -> bool {
        self.int_digits == 4
            && self.frac == 0
            && !self.grouped
            && !self.percent
            && self.scale == 0
            && (1900..=2100).contains(&self.mantissa)
    }
}

/// Reads `core` as a number in digits; `money` allows scale letters ("$5M", "$1.2bn").
pub(super) fn numeric(core: &str, money: bool) -> Option<Numeric> {
    let b = core.as_bytes();
    let mut n = Numeric {
        mantissa: 0,
        frac: 0,
        int_digits: 0,
        grouped: false,
        percent: false,
        scale: 0,
    };
    let mut i = 0;
    let mut digits = 0u32;
    let mut group = 0u32; // digits since the last comma, when grouped
    let mut in_frac = false;
    while i < b.len() {
        let c = b[i];
        match c {
            b'0'..=b'9' => {
                digits += 1;
                if digits > 18 {
                    return None;
                }
                n.mantissa = n.mantissa * 10 + u64::from(c - b'0');
                if in_frac {
                    n.frac += 1;
                } else {
                    n.int_digits += 1;
                    group += 1;
                }
            }
            b',' if !in_frac
                && n.int_digits > 0
                && (!n.grouped || group == 3)
                && (n.grouped || group <= 3)
                && b.get(i + 1).is_some_and(u8::is_ascii_digit) =>
            {
                n.grouped = true;
                group = 0;
            }
            b'.' if !in_frac
                && n.int_digits > 0
                && b.get(i + 1).is_some_and(u8::is_ascii_digit) =>
            {
                in_frac = true;
            }
            _ => break,
        }
        i += 1;
    }
    if digits == 0 || (n.grouped && group != 3) {
        return None;
    }
    match &b[i..] {
        b"" => {}
        b"%" => n.percent = true,
        b"K" | b"k" if money => n.scale = 3,
        b"M" | b"m" | b"MM" | b"mn" if money => n.scale = 6,
        b"B" | b"b" | b"bn" if money => n.scale = 9,
        _ => return None,
    }
    Some(n)
}

/// The rest of `core` after a dollar sign written before the number ("$5", "US$5", "USD5").
pub(super) fn after_dollar_sign(core: &str) -> Option<&str> {
    ["$", "US$", "USD"]
        .iter()
        .find_map(|p| core.strip_prefix(p))
        .filter(|rest| rest.as_bytes().first().is_some_and(u8::is_ascii_digit))
}

/// A dollar sign standing alone before the number ("US$ 5 million", "USD 2.3 million").
pub(super) fn is_dollar_sign(core: &str) -> bool {
    matches!(core, "$" | "US$" | "USD")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cores(text: &str) -> Vec<(&str, u8)> {
        let mut out = Vec::new();
        chunks(text, 0, text.len(), &mut out);
        out.iter().map(|c| (c.core, c.close)).collect()
    }

    #[test]
    fn chunks_strip_punctuation_and_keep_offsets() {
        let text = "(FY) 2019, \\$132 million; “U.S.” 4.8%. 2019–2021";
        let mut out = Vec::new();
        chunks(text, 0, text.len(), &mut out);
        for c in &out {
            assert_eq!(&text[c.start..c.end], c.core);
        }
        assert_eq!(
            cores(text),
            vec![
                ("FY", b')'),
                ("2019", b','),
                ("$132", 0),
                ("million", b';'),
                ("U.S", b'.'),
                ("4.8%", b'.'),
                ("2019", b'-'),
                ("2021", 0),
            ]
        );
        assert!(out[0].open);
    }

    #[test]
    fn classify_spelled_numbers() {
        assert_eq!(classify("five"), (role::NUM, 5));
        assert_eq!(classify("Ninety-nine"), (role::NUM, 99));
        assert_eq!(classify("million"), (role::SCALE, 6));
        assert_eq!(classify("five-year").0 & role::NUM, 0);
        assert_eq!(classify("first").0 & role::NUM, 0);
        assert_eq!(classify("PERCENT"), (role::PERCENT, 0));
        assert_eq!(classify("%"), (role::PERCENT, 0));
    }

    #[test]
    fn triggers() {
        for yes in [
            "5",
            "FY2019",
            "US$5",
            "$",
            "five",
            "Twenty-five",
            "five-year",
            "COVID-19",
        ] {
            assert!(is_trigger(yes.as_bytes()), "{yes}");
        }
        for no in [
            "the",
            "",
            "x",
            "thirteenth",
            "percent",
            "U.S",
            "dollars-worth",
        ] {
            assert!(!is_trigger(no.as_bytes()), "{no}");
        }
    }

    #[test]
    fn number_words_in_any_case() {
        for yes in ["five", "Two", "MILLION", "hundred", "ninety", "zero"] {
            assert!(is_number_word(yes.as_bytes()), "{yes}");
        }
        for no in ["fifth", "often", "the", "", "twenty-five", "millions"] {
            assert!(!is_number_word(no.as_bytes()), "{no}");
        }
    }

    #[test]
    fn numeric_forms() {
        let n = numeric("3,500", false).unwrap_or_else(|| panic!("3,500"));
        assert_eq!(n.value(0), 3500.0);
        let n = numeric("1.9", false).unwrap_or_else(|| panic!("1.9"));
        assert_eq!(n.value(6), 1_900_000.0);
        let n = numeric("4.8%", false).unwrap_or_else(|| panic!("4.8%"));
        assert!(n.percent);
        assert_eq!(n.value(0), 4.8);
        let n = numeric("1.2B", true).unwrap_or_else(|| panic!("1.2B"));
        assert_eq!(n.value(0), 1.2e9);
        assert_eq!(numeric("5M", false), None);
        for bad in [
            "1.1.1", "COVID-19", "18-month", "1st", "3,50", "1,2345", "10-15",
        ] {
            assert_eq!(numeric(bad, true), None, "{bad}");
        }
        assert!(numeric("2015", false).is_some_and(|n| n.is_year_like()));
        assert!(!numeric("2,015", false).is_some_and(|n| n.is_year_like()));
    }
}
