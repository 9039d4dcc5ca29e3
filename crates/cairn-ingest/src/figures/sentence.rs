//! Sentence boundaries in narrative text, without breaking on abbreviations ("U.S.", "e.g.",
//! "Dr.", "No.", initials) or decimals ("4.8%").

/// The sentences of `text` as trimmed byte ranges, in order. One pass over the bytes.
pub(super) fn sentences(text: &str) -> Sentences<'_> {
    Sentences { text, pos: 0 }
}

pub(super) struct Sentences<'a> {
    text: &'a str,
    pos: usize,
}

impl Iterator for Sentences<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let b = self.text.as_bytes();
        loop {
            let start = self.pos;
            if start >= b.len() {
                return None;
            }
            let end = boundary(b, start);
            self.pos = end;
            let (s, e) = trim(self.text, start, end);
            if s < e {
                return Some((s, e));
            }
        }
    }
}

/// Where the sentence that starts at `from` ends (exclusive): after its closing punctuation
/// and any closing quotes or brackets, or at a blank line, or at the end of the text.
fn boundary(b: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < b.len() {
        match b[i] {
            b'.' | b'!' | b'?' => {
                if let Some(end) = ends_here(b, from, i) {
                    return end;
                }
            }
            b'\n' if blank_line_follows(b, i) => return i + 1,
            _ => {}
        }
        i += 1;
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
        sentences(text).map(|(s, e)| &text[s..e]).collect()
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
