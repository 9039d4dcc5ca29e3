//! Sentence boundaries in narrative text, without breaking on abbreviations ("U.S.", "e.g.",
//! "Dr.", "No.", initials) or decimals ("4.8%").

use super::words::is_number_word;

/// A sentence: its trimmed byte range, and whether it can hold a figure at all (a digit, a
/// dollar or percent sign, or a spelled number word such as "five" or "million").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Sentence {
    pub start: usize,
    pub end: usize,
    pub numeric: bool,
}

/// The sentences of `text`, in order. One pass over the bytes, which also tells which
/// sentences are worth reading for figures.
pub(super) fn sentences(text: &str) -> Sentences<'_> {
    Sentences { text, pos: 0 }
}

pub(super) struct Sentences<'a> {
    text: &'a str,
    pos: usize,
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
            let (end, numeric) = boundary(b, start);
            self.pos = end;
            let (s, e) = trim(self.text, start, end);
            if s < e {
                return Some(Sentence {
                    start: s,
                    end: e,
                    numeric,
                });
            }
        }
    }
}

/// Byte classes for the scan.
const STOP: u8 = 1;
const NEWLINE: u8 = 2;
const NUMERIC: u8 = 4;
const LETTER: u8 = 8;
/// A letter a number word can start with (z o t f s e n h m b).
const NUMBER_START: u8 = 16;

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        let low = b.to_ascii_lowercase();
        t[c] = match b {
            b'.' | b'!' | b'?' => STOP,
            b'\n' => NEWLINE,
            b'0'..=b'9' | b'$' | b'%' => NUMERIC,
            b'a'..=b'z' | b'A'..=b'Z' => match low {
                b'z' | b'o' | b't' | b'f' | b's' | b'e' | b'n' | b'h' | b'm' | b'b' => {
                    LETTER | NUMBER_START
                }
                _ => LETTER,
            },
            _ => 0,
        };
        c += 1;
    }
    t
};

/// Where the sentence that starts at `from` ends (exclusive) — after its closing punctuation
/// and any closing quotes or brackets, at a blank line, or at the end of the text — and
/// whether it can hold a figure.
fn boundary(b: &[u8], from: usize) -> (usize, bool) {
    let mut numeric = false;
    let mut i = from;
    while i < b.len() {
        let class = CLASS[b[i] as usize];
        if class == 0 {
            i += 1;
            continue;
        }
        if class & LETTER != 0 {
            let s = i;
            i += 1;
            while i < b.len() && CLASS[b[i] as usize] & LETTER != 0 {
                i += 1;
            }
            if !numeric && class & NUMBER_START != 0 && is_number_word(&b[s..i]) {
                numeric = true;
            }
            continue;
        }
        if class & NUMERIC != 0 {
            numeric = true;
        } else if class & STOP != 0 {
            if let Some(end) = ends_here(b, from, i) {
                return (end, numeric);
            }
        } else if blank_line_follows(b, i) {
            return (i + 1, numeric);
        }
        i += 1;
    }
    (b.len(), numeric)
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
fn trim(text: &str, s: usize, e: usize) -> (usize, usize) {
    let t = &text[s..e];
    let lead = t.len() - t.trim_start().len();
    let trail = t.trim_end().len();
    if trail <= lead {
        (s, s)
    } else {
        (s + lead, s + trail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text).map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn sentences_say_whether_they_can_hold_a_figure() {
        let text = "It is 5. It has a $ sign. Five percent. Two Million. Twenty-five. The \
                    United States remains the largest donor. It is often fifth.";
        let flags: Vec<bool> = sentences(text).map(|s| s.numeric).collect();
        assert_eq!(flags, vec![true, true, true, true, true, false, false]);
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
