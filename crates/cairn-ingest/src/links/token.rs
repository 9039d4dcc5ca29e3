//! Words, numbers and punctuation of a narrative text, as byte spans into it.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Word,
    /// Digits and inner dots: "1", "3.1".
    Num,
    Punct,
}

/// One token, `src[start..end]`, with what the readers ask of every token worked out once.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tok {
    pub start: usize,
    pub end: usize,
    /// End of the word without its possessive ending ("Bureau's" → "Bureau").
    pub base_end: usize,
    pub kind: Kind,
    /// The first byte, ASCII-lowercased: a cheap filter before comparing words.
    pub first: u8,
    pub cap: bool,
    pub possessive: bool,
}

const SPACE: u8 = 0;
const PUNCT: u8 = 1;
const WORD: u8 = 2;
/// A lead byte of a character that may be a space or a mark (U+00A0, “, —): decode it.
const DECODE: u8 = 3;

/// Class of each byte. Other non-ASCII bytes belong to letters, or continue a character.
const CLASSES: [u8; 256] = {
    let mut t = [WORD; 256];
    let mut c = 0;
    while c < 0x80 {
        if (c as u8).is_ascii_whitespace() || c < 0x20 || c == 0x7F {
            t[c] = SPACE;
        }
        c += 1;
    }
    let punct = b",;:()[]{}!?\"*";
    let mut k = 0;
    while k < punct.len() {
        t[punct[k] as usize] = PUNCT;
        k += 1;
    }
    t[0xC2] = DECODE;
    t[0xE1] = DECODE;
    t[0xE2] = DECODE;
    t[0xE3] = DECODE;
    t
};

fn class(c: char) -> u8 {
    match c {
        '\u{201C}' | '\u{201D}' | '\u{2018}' | '\u{2014}' | '\u{2013}' | '\u{2026}'
        | '\u{2022}' | '\u{AB}' | '\u{BB}' | '\u{B7}' => PUNCT,
        c if c.is_whitespace() => SPACE,
        _ => WORD,
    }
}

/// The class of the character at byte `i` and its length in bytes (1 for a letter's bytes,
/// which words step through one at a time).
fn class_at(src: &str, i: usize) -> (u8, usize) {
    let cls = src
        .as_bytes()
        .get(i)
        .map_or(SPACE, |&b| CLASSES[usize::from(b)]);
    if cls != DECODE {
        return (cls, 1);
    }
    match src.get(i..).and_then(|s| s.chars().next()) {
        Some(c) => (class(c), c.len_utf8()),
        None => (WORD, 1),
    }
}

/// Splits `src` into tokens (reusing `out`). Dots stay inside words and numbers ("U.S.", "3.1");
/// a sentence's final dot becomes its own token so that "3.4." reads as the number 3.4.
pub(super) fn tokenize(src: &str, out: &mut Vec<Tok>) {
    out.clear();
    let bytes = src.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let (cls, len) = class_at(src, i);
        match cls {
            SPACE => i += len,
            PUNCT => {
                out.push(Tok {
                    start: i,
                    end: i + len,
                    base_end: i + len,
                    kind: Kind::Punct,
                    first: bytes[i],
                    cap: false,
                    possessive: false,
                });
                i += len;
            }
            _ => {
                let start = i;
                i += len;
                loop {
                    let (cls, len) = match bytes.get(i) {
                        Some(&b) if CLASSES[usize::from(b)] == WORD => (WORD, 1),
                        Some(_) => class_at(src, i),
                        None => break,
                    };
                    if cls != WORD {
                        break;
                    }
                    i += len;
                }
                push_word(src, start, i, out);
            }
        }
    }
}

// Words are read as bytes: every mark they are cut at is ASCII.
fn push_word(src: &str, start: usize, end: usize, out: &mut Vec<Tok>) {
    let w = &src.as_bytes()[start..end];
    let keep = if w.last() == Some(&b'.') && !is_abbreviation(w) {
        w.iter().rposition(|&c| c != b'.').map_or(0, |p| p + 1)
    } else {
        w.len()
    };
    if keep > 0 {
        let body = &w[..keep];
        let first = body[0];
        let num = first.is_ascii_digit()
            && body.iter().all(|&b| b.is_ascii_digit() || b == b'.')
            && !body.windows(2).any(|p| p == b"..");
        let (base_len, possessive) = base_len(body);
        out.push(Tok {
            start,
            end: start + keep,
            base_end: start + base_len,
            kind: if num { Kind::Num } else { Kind::Word },
            first: first.to_ascii_lowercase(),
            cap: if first < 0x80 {
                first.is_ascii_uppercase()
            } else {
                src[start..].chars().next().is_some_and(char::is_uppercase)
            },
            possessive,
        });
    }
    for d in start + keep..end {
        out.push(Tok {
            start: d,
            end: d + 1,
            base_end: d + 1,
            kind: Kind::Punct,
            first: b'.',
            cap: false,
            possessive: false,
        });
    }
}

/// "U.S.", "e.g.": dotted segments of one or two letters, whose last dot is not a full stop.
fn is_abbreviation(w: &[u8]) -> bool {
    let body = &w[..w.len() - 1];
    body.contains(&b'.')
        && body
            .split(|&c| c == b'.')
            .all(|p| (1..=2).contains(&p.len()) && p.iter().all(u8::is_ascii_alphabetic))
}

/// A word without its possessive ending, and whether it had one ("Bureau's", "Affairs'").
#[cfg(test)]
pub(super) fn base(w: &str) -> (&str, bool) {
    let (len, possessive) = base_len(w.as_bytes());
    (&w[..len], possessive)
}

/// The length of a word without its possessive ending, and whether it had one.
fn base_len(b: &[u8]) -> (usize, bool) {
    const RIGHT_QUOTE: &[u8] = "\u{2019}".as_bytes();
    // "Affairs'" / "Affairs’", else "Bureau's" / "Bureau’s".
    let quote_end = match b.last() {
        Some(b's' | b'S') => b.len() - 1,
        _ => b.len(),
    };
    let head = &b[..quote_end];
    let cut = if head.ends_with(b"'") {
        quote_end - 1
    } else if head.ends_with(RIGHT_QUOTE) {
        quote_end - RIGHT_QUOTE.len()
    } else {
        return (b.len(), false);
    };
    // The quote starts a character, so the stem ends at a character boundary.
    if cut > 0 {
        (cut, true)
    } else {
        (b.len(), false)
    }
}

/// A tokenized text with the questions the readers ask of it. Indices out of range answer
/// "no", so callers can look ahead and behind without bounds checks.
#[derive(Clone, Copy)]
pub(super) struct Text<'a> {
    pub src: &'a str,
    pub toks: &'a [Tok],
}

impl<'a> Text<'a> {
    pub fn len(&self) -> usize {
        self.toks.len()
    }

    fn raw(&self, i: usize, kind: Kind) -> Option<&'a str> {
        self.toks
            .get(i)
            .filter(|t| t.kind == kind)
            .and_then(|t| self.src.get(t.start..t.end))
    }

    pub fn word(&self, i: usize) -> Option<&'a str> {
        self.raw(i, Kind::Word)
    }

    pub fn num(&self, i: usize) -> Option<&'a str> {
        self.raw(i, Kind::Num)
    }

    pub fn punct(&self, i: usize, p: &str) -> bool {
        self.raw(i, Kind::Punct) == Some(p)
    }

    pub fn is_punct(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == Kind::Punct)
    }

    /// The word at `i` equals `w`, ignoring ASCII case.
    pub fn is(&self, i: usize, w: &str) -> bool {
        self.word(i).is_some_and(|x| x.eq_ignore_ascii_case(w))
    }

    pub fn is_any(&self, i: usize, ws: &[&str]) -> bool {
        self.word(i)
            .is_some_and(|x| ws.iter().any(|w| x.eq_ignore_ascii_case(w)))
    }

    pub fn base(&self, i: usize) -> Option<(&'a str, bool)> {
        let t = self.toks.get(i).filter(|t| t.kind == Kind::Word)?;
        Some((self.src.get(t.start..t.base_end)?, t.possessive))
    }

    /// The first byte of token `i`, ASCII-lowercased (0 past the end).
    pub fn first(&self, i: usize) -> u8 {
        self.toks.get(i).map_or(0, |t| t.first)
    }

    /// The word at `i`, possessive dropped, equals `w` ignoring ASCII case.
    pub fn base_is(&self, i: usize, w: &str) -> bool {
        self.base(i).is_some_and(|(b, _)| b.eq_ignore_ascii_case(w))
    }

    pub fn possessive(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.possessive)
    }

    /// A word starting with a capital letter.
    pub fn cap(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.cap)
    }

    /// The source text from token `a` to token `b` (exclusive), verbatim.
    pub fn span(&self, a: usize, b: usize) -> &'a str {
        match (
            self.toks.get(a),
            b.checked_sub(1).and_then(|l| self.toks.get(l)),
        ) {
            (Some(x), Some(y)) if x.start <= y.end => self.src.get(x.start..y.end).unwrap_or(""),
            _ => "",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(src: &str) -> Vec<(&str, Kind)> {
        let mut toks = Vec::new();
        tokenize(src, &mut toks);
        toks.iter()
            .map(|t| (&src[t.start..t.end], t.kind))
            .collect()
    }

    #[test]
    fn splits_sentence_dots_but_keeps_abbreviations() {
        let got = words("AF JRS Objectives 1.1, and 3.4. as well as U.S. Strategy.");
        let want = [
            ("AF", Kind::Word),
            ("JRS", Kind::Word),
            ("Objectives", Kind::Word),
            ("1.1", Kind::Num),
            (",", Kind::Punct),
            ("and", Kind::Word),
            ("3.4", Kind::Num),
            (".", Kind::Punct),
            ("as", Kind::Word),
            ("well", Kind::Word),
            ("as", Kind::Word),
            ("U.S.", Kind::Word),
            ("Strategy", Kind::Word),
            (".", Kind::Punct),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn keeps_possessives_and_slashes_in_words() {
        let got = words("Consular Affairs' AF/AFR (WPS) “quoted” — Bureau’s");
        let texts: Vec<&str> = got.iter().map(|(w, _)| *w).collect();
        assert_eq!(
            texts,
            [
                "Consular",
                "Affairs'",
                "AF/AFR",
                "(",
                "WPS",
                ")",
                "“",
                "quoted",
                "”",
                "—",
                "Bureau’s"
            ]
        );
        assert_eq!(base("Bureau’s"), ("Bureau", true));
        assert_eq!(base("its"), ("its", false));
    }
}
