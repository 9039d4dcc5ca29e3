//! Sentence boundaries in narrative text, without breaking on abbreviations ("U.S.", "e.g.",
//! "Dr.", "No.", initials) or decimals ("4.8%").

use super::words::{NUMBER_INITIALS, completes_figure, is_number_word, is_scale_word};
use crate::swar::{HIGHS, bytes_below, letters, load, next_non_letter, splat};

/// A sentence: its trimmed byte range, and whether it may hold a figure at all (see
/// [`may_hold_figure`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Sentence {
    pub start: usize,
    pub end: usize,
    pub candidate: bool,
}

/// The sentences of `text`, in order, each with whether it is worth reading for figures.
/// Linear: boundaries are found with the search routines, then each sentence is scanned once
/// more by [`may_hold_figure`].
pub(super) fn sentences(text: &str) -> Sentences<'_> {
    Sentences {
        text,
        pos: 0,
        newline: None,
    }
}

pub(super) struct Sentences<'a> {
    text: &'a str,
    pos: usize,
    /// The first newline at or after some earlier position (the text's length when none),
    /// so that each is searched for once.
    newline: Option<usize>,
}

impl Iterator for Sentences<'_> {
    type Item = Sentence;

    fn next(&mut self) -> Option<Sentence> {
        let b = self.text.as_bytes();
        loop {
            let start = self.pos;
            if start >= b.len() {
                return None;
            }
            let end = boundary(b, start, &mut self.newline);
            self.pos = end;
            let (s, e) = trim(self.text, start, end);
            if s < e {
                let bytes = &b[s..e];
                return Some(Sentence {
                    start: s,
                    end: e,
                    candidate: may_hold_figure(bytes),
                });
            }
        }
    }
}

/// The first '.', '!', '?' or newline at or after `i`. `newline` caches the next newline
/// (see [`Sentences`]).
fn find_mark(b: &[u8], i: usize, newline: &mut Option<usize>) -> Option<usize> {
    let nl = match *newline {
        Some(nl) if nl >= i => nl,
        _ => {
            let nl = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |p| i + p);
            *newline = Some(nl);
            nl
        }
    };
    match memchr::memchr3(b'.', b'!', b'?', &b[i..nl]) {
        Some(p) => Some(i + p),
        None => (nl < b.len()).then_some(nl),
    }
}

/// How many words after a number may hold its scale, unit or counted noun ("3,500 new
/// Malian refugees", "700 U.S. dollars").
const REACH: u8 = 5;

/// Whether a sentence may hold a figure: a '$' or '%', "USD", a scale word ("million",
/// "hundred"), or a unit or counted word ("percent", "dollars", "people") within [`REACH`]
/// words after a digit or a number word. Never false for a sentence that holds one, and
/// false for most that only hold years, dates and element numbers.
///
/// Eight bytes at a time: the letters of a block give its word starts; a word is measured and
/// looked up only when it follows a number or its initial may start a number word.
pub(super) fn may_hold_figure(b: &[u8]) -> bool {
    if memchr::memchr2(b'$', b'%', b).is_some() {
        return true;
    }
    // Words that can matter when no number came before: number words and "USD".
    const INITIALS: u32 = NUMBER_INITIALS | 1 << (b'U' & 0x1F);
    let n = b.len();
    // Words still to check after the last number.
    let mut armed = 0u8;
    // A digit stood since the last word start.
    let mut digit = false;
    // 0x80 when the byte before the block is a letter.
    let mut carry = 0u64;
    let mut i = 0;
    while i < n {
        let x = load_padded(b, i);
        let letters = letters(x);
        let digits = bytes_below(x ^ splat(b'0'), 10);
        let mut starts = letters & !((letters << 8) | carry);
        carry = letters >> 56;
        // Lanes below `cursor` have been accounted for.
        let mut cursor = 0u32;
        while starts != 0 {
            let bit = starts.trailing_zeros();
            starts &= starts - 1;
            if digit || (digits != 0 && digits & lanes(cursor, bit) != 0) {
                armed = REACH;
            }
            digit = false;
            cursor = bit + 1;
            // `bit` is the top bit of the word's first byte.
            let initial = (x >> (bit - 7)) as u8 & 0x1F;
            if armed == 0 && INITIALS & (1 << initial) == 0 {
                continue;
            }
            // The word ends at the block's next non-letter, else after the block.
            let p = i + (bit / 8) as usize;
            let ends = !letters & HIGHS & !lanes(0, bit + 1);
            let end = if ends != 0 {
                i + (ends.trailing_zeros() / 8) as usize
            } else {
                next_non_letter(b, i + 8)
            };
            let w = &b[p..end];
            if w == b"USD" {
                return true;
            }
            if armed > 0 {
                armed -= 1;
                if completes_figure(w) {
                    return true;
                }
            }
            if is_number_word(w) {
                if is_scale_word(w) {
                    return true;
                }
                armed = REACH;
            }
        }
        digit |= digits != 0 && digits & lanes(cursor, 64) != 0;
        i += 8;
    }
    false
}

/// The flag bits of the lanes whose flag bit lies in `from..to` (bit positions).
fn lanes(from: u32, to: u32) -> u64 {
    let below = |k: u32| if k >= 64 { u64::MAX } else { (1u64 << k) - 1 };
    below(to) & !below(from)
}

/// Eight bytes from `b[i..]`, zero past the end.
fn load_padded(b: &[u8], i: usize) -> u64 {
    if i + 8 <= b.len() {
        return load(b, i);
    }
    let mut w = [0u8; 8];
    w[..b.len() - i].copy_from_slice(&b[i..]);
    u64::from_le_bytes(w)
}

/// Where the sentence that starts at `from` ends (exclusive): after its closing punctuation
/// and any closing quotes or brackets, at a blank line, or at the end of the text.
fn boundary(b: &[u8], from: usize, newline: &mut Option<usize>) -> usize {
    let mut i = from;
    while let Some(p) = find_mark(b, i, newline) {
        if b[p] == b'\n' {
            if blank_line_follows(b, p) {
                return p + 1;
            }
        } else if let Some(end) = ends_here(b, from, p) {
            return end;
        }
        i = p + 1;
    }
    b.len()
}

/// Whether the terminal mark at `i` ends a sentence; if so, where the sentence ends.
fn ends_here(b: &[u8], from: usize, i: usize) -> Option<usize> {
    // Closing quotes and brackets belong to the sentence they close.
    let mut k = i + 1;
    loop {
        match b.get(k) {
            Some(b'"' | b'\'' | b')' | b']') => k += 1,
            // ” ’ (E2 80 9D, E2 80 99)
            Some(0xe2)
                if b.get(k + 1) == Some(&0x80) && matches!(b.get(k + 2), Some(0x9d | 0x99)) =>
            {
                k += 3
            }
            _ => break,
        }
    }
    let Some(&next) = b.get(k) else {
        return Some(k);
    };
    // "4.8%", "e.g.,", "U.S.-Mali": no space after the mark, no boundary.
    let space = match next {
        b' ' | b'\t' | b'\n' | b'\r' => 1,
        0xc2 if b.get(k + 1) == Some(&0xa0) => 2,
        _ => return None,
    };
    let mut m = k + space;
    while m < b.len() && matches!(b[m], b' ' | b'\t' | b'\n' | b'\r') {
        m += 1;
    }
    match b.get(m) {
        None => return Some(k),
        // "Objectives 1.1, 1.2, and 3.4. as well as": a lowercase word goes on.
        Some(c) if c.is_ascii_lowercase() || matches!(c, b',' | b';' | b':' | b')') => {
            return None;
        }
        _ => {}
    }
    if b[i] == b'.' && is_abbreviation(&b[word_start(b, from, i)..i]) {
        return None;
    }
    Some(k)
}

/// The start of the word that ends at `i`.
fn word_start(b: &[u8], from: usize, i: usize) -> usize {
    let mut s = i;
    while s > from
        && !matches!(
            b[s - 1],
            b' ' | b'\t' | b'\n' | b'\r' | b'(' | b'[' | b'"' | 0xa0
        )
    {
        s -= 1;
    }
    s
}

/// A word written with a period that does not end a sentence: a known abbreviation, a single
/// capital initial ("J."), or letters separated by periods ("U.S", "e.g", "D.C").
fn is_abbreviation(word: &[u8]) -> bool {
    if word.is_empty() || word.len() > 8 {
        return false;
    }
    if word.len() == 1 {
        return word[0].is_ascii_uppercase();
    }
    if word.contains(&b'.')
        && word
            .split(|&c| c == b'.')
            .all(|seg| seg.len() == 1 && seg[0].is_ascii_alphabetic())
    {
        return true;
    }
    let mut buf = [0u8; 8];
    let low = &mut buf[..word.len()];
    for (d, s) in low.iter_mut().zip(word) {
        *d = s.to_ascii_lowercase();
    }
    matches!(
        &*low,
        b"dr"
            | b"mr"
            | b"mrs"
            | b"ms"
            | b"no"
            | b"nos"
            | b"st"
            | b"vs"
            | b"inc"
            | b"jr"
            | b"sr"
            | b"gen"
            | b"col"
            | b"lt"
            | b"sgt"
            | b"capt"
            | b"maj"
            | b"gov"
            | b"sen"
            | b"rep"
            | b"amb"
            | b"hon"
            | b"prof"
            | b"fig"
            | b"approx"
            | b"dept"
            | b"corp"
            | b"ltd"
            | b"co"
            | b"al"
            | b"cf"
            | b"ca"
            | b"vol"
            | b"pp"
            | b"para"
            | b"jan"
            | b"feb"
            | b"mar"
            | b"apr"
            | b"jun"
            | b"jul"
            | b"aug"
            | b"sep"
            | b"sept"
            | b"oct"
            | b"nov"
            | b"dec"
    )
}

/// Whether the newline at `i` is followed by a blank line (a paragraph break).
fn blank_line_follows(b: &[u8], i: usize) -> bool {
    let mut k = i + 1;
    while k < b.len() && matches!(b[k], b' ' | b'\t' | b'\r') {
        k += 1;
    }
    b.get(k) == Some(&b'\n')
}

/// `text[s..e]` without surrounding whitespace, as byte offsets.
// Kept out of line: `Sentences::next` around it is tight on registers.
#[inline(never)]
fn trim(text: &str, s: usize, e: usize) -> (usize, usize) {
    let b = text.as_bytes();
    // ASCII spaces byte by byte (those `char::is_whitespace` accepts); a non-ASCII character
    // at either end may be a Unicode space, which the general rule handles.
    let space = |c: u8| matches!(c, b' ' | b'\t'..=b'\r');
    let (mut s, mut e) = (s, e);
    while s < e && space(b[s]) {
        s += 1;
    }
    while e > s && space(b[e - 1]) {
        e -= 1;
    }
    if s < e && (b[s] >= 0x80 || b[e - 1] >= 0x80) {
        let t = &text[s..e];
        let lead = t.len() - t.trim_start().len();
        return (s + lead, s + lead + t.trim().len());
    }
    (s, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text).map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn sentences_say_whether_they_may_hold_a_figure() {
        for yes in [
            "It costs $5.",
            "It rose 4.8%.",
            "Five percent grew.",
            "Two Million.",
            "It reached twenty-five children.",
            "About 3,500 new Malian refugees.",
            "It cost 700 U.S. dollars.",
            "A grant of USD 2.3 million.",
            "Goal 1 and a hundred things.",
            "It is 12 per cent.",
        ] {
            assert!(may_hold_figure(yes.as_bytes()), "{yes}");
        }
        for no in [
            "The United States remains the largest donor.",
            "It aligns with Goals 1 and 3 of the Joint Regional Strategy and its objectives \
             1.4, 4.1, and 4.4.",
            "On January 1, 2022, the government announced it would seek a five-year extension.",
            "Prior to the 2020 coup and the COVID-19 crisis, growth was strong since 2014.",
            "It is often fifth, and one of the two goals.",
        ] {
            assert!(!may_hold_figure(no.as_bytes()), "{no}");
        }
    }

    #[test]
    fn sentence_splitting_keeps_abbreviations_together() {
        let text = "Despite turmoil, the United States remains the largest donor to Mali. U.S. \
                    bilateral assistance totaled $132 million in FY 2019. U.S. humanitarian \
                    assistance accounts for an additional $75 million.";
        assert_eq!(
            split(text),
            vec![
                "Despite turmoil, the United States remains the largest donor to Mali.",
                "U.S. bilateral assistance totaled $132 million in FY 2019.",
                "U.S. humanitarian assistance accounts for an additional $75 million.",
            ]
        );
        let text = "Shocks (e.g., climate change) matter, i.e. droughts. Dr. Traore met No. 5 \
                    and J. Smith. Attract U.S. and foreign investment. Next one!";
        assert_eq!(
            split(text),
            vec![
                "Shocks (e.g., climate change) matter, i.e. droughts.",
                "Dr. Traore met No. 5 and J. Smith.",
                "Attract U.S. and foreign investment.",
                "Next one!",
            ]
        );
    }

    #[test]
    fn sentence_splitting_keeps_decimals_and_numbered_lists() {
        let text = "The World Bank forecasts a poverty rate of 4.8% in 2022. It aligns with \
                    objectives 1.1, 1.2, and 3.4. as well as Goals 1 and 2.";
        assert_eq!(
            split(text),
            vec![
                "The World Bank forecasts a poverty rate of 4.8% in 2022.",
                "It aligns with objectives 1.1, 1.2, and 3.4. as well as Goals 1 and 2.",
            ]
        );
    }

    #[test]
    fn sentence_splitting_on_quotes_questions_and_blank_lines() {
        let text = "He said \"it is over.\" Then? Yes\n\nNew paragraph without a stop";
        assert_eq!(
            split(text),
            vec![
                "He said \"it is over.\"",
                "Then?",
                "Yes",
                "New paragraph without a stop"
            ]
        );
        assert!(split("  ").is_empty());
        assert_eq!(split("No stop at the end"), vec!["No stop at the end"]);
    }
}
