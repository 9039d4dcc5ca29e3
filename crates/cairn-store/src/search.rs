//! Full-text search over the latest revision of every mission.
//!
//! Each backend keeps an index with one row per [`Strategy::blocks`] block of each mission's
//! latest revision, rewritten in the transaction of every commit (and rebuilt by `migrate` and
//! `load`), and matches the user's words with English stemming: SQLite with FTS5 (`porter
//! unicode61 remove_diacritics 2`), PostgreSQL with `to_tsvector('english', …)`. What the
//! backends share lives here: which words a query asks for ([`terms`], [`match_terms`]), what
//! a row holds ([`index_rows`]) and how a highlighted snippet becomes [`Fragment`]s.
//!
//! The two stemmers are not the same algorithm (Porter and Snowball English), so rare words
//! may conflate differently; both agree on plain English words and their inflections. English
//! stop words are dropped from queries on both (PostgreSQL ignores them, FTS5 would not).

use cairn_core::Strategy;
use serde::{Deserialize, Serialize};

use crate::Slug;

/// A search request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchQuery {
    /// What the user typed: only its words count ([`terms`]); any syntax is ignored.
    pub text: String,
    /// Only strategies marked for public release (anonymous visitors).
    pub public_only: bool,
    pub limit: u32,
    pub offset: u32,
}

/// A page of hits and how many there are in all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    /// Every matching block, for pagination.
    pub total: u64,
    pub hits: Vec<SearchHit>,
}

impl SearchResults {
    pub fn empty() -> Self {
        Self {
            total: 0,
            hits: Vec::new(),
        }
    }
}

/// One matching block of a mission's latest revision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    pub mission: Slug,
    pub country: Option<String>,
    pub rev: u32,
    /// The element, as `Node` prints it: `objective:1.2`, `priorities`.
    pub node: String,
    /// The field, as `Field::as_str` names it: `title`, `justification`.
    pub field: String,
    /// The element as a reader names it: "Objective 1.2: Strengthen …".
    pub heading: String,
    /// Text around the first match, about 30 words, split into matched and other pieces.
    pub snippet: Vec<Fragment>,
    /// Higher is better; comparable only within one result set of one backend.
    pub rank: f64,
}

/// A piece of a snippet: the UI highlights the pieces with `hit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fragment {
    pub text: String,
    pub hit: bool,
}

/// Marks the start of a matched word in a backend's snippet (a private-use character).
pub const MARK_START: char = '\u{E000}';
/// Marks the end of a matched word.
pub const MARK_END: char = '\u{E001}';
/// How many words a snippet holds at most.
pub const SNIPPET_WORDS: u32 = 30;

/// At most this many words of a query count.
pub const MAX_TERMS: usize = 16;
/// A word is cut to this many characters.
pub const MAX_TERM_CHARS: usize = 64;

/// The user's words: the text split on anything not alphanumeric, lower-cased, empty pieces
/// dropped; at most [`MAX_TERMS`] of them, each at most [`MAX_TERM_CHARS`] characters.
pub fn terms(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(MAX_TERMS)
        .map(|w| w.to_lowercase().chars().take(MAX_TERM_CHARS).collect())
        .collect()
}

/// The words both backends search for: [`terms`] without English stop words. Empty means the
/// query finds nothing (and no backend runs it).
pub fn match_terms(text: &str) -> Vec<String> {
    terms(text)
        .into_iter()
        .filter(|t| !is_stop_word(t))
        .collect()
}

/// PostgreSQL's English stop words (`english.stop`, the Snowball list), which
/// `to_tsvector('english', …)` leaves out of the index and `plainto_tsquery` out of a query.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "did",
    "do",
    "does",
    "doing",
    "don",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "s",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "t",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

fn is_stop_word(t: &str) -> bool {
    STOP_WORDS.binary_search(&t).is_ok()
}

/// One row of the search index, as every backend stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexRow {
    /// The block's place in document order (0, 1, 2 …).
    pub ord: u32,
    /// `Node` as it prints.
    pub node: String,
    pub field: &'static str,
    pub heading: String,
    /// The text, [`clean`]ed.
    pub text: String,
}

/// The index rows of a strategy: one per block, in document order.
pub fn index_rows(strategy: &Strategy) -> Vec<IndexRow> {
    strategy
        .blocks()
        .into_iter()
        .enumerate()
        .map(|(i, b)| IndexRow {
            ord: u32::try_from(i).unwrap_or(u32::MAX),
            node: b.node.to_string(),
            field: b.field.as_str(),
            heading: clean(&b.heading),
            text: clean(&b.text),
        })
        .collect()
}

/// Text as the index stores it: without the snippet markers (so that a document cannot forge
/// a highlight) and without NUL characters (which PostgreSQL text cannot hold).
pub fn clean(text: &str) -> String {
    text.chars()
        .filter(|&c| c != MARK_START && c != MARK_END && c != '\0')
        .collect()
}

/// Splits a snippet whose matched words the backend wrapped in [`MARK_START`] … [`MARK_END`]
/// into fragments; adjacent pieces of one kind are merged and empty ones dropped.
pub fn fragments(marked: &str) -> Vec<Fragment> {
    let mut out: Vec<Fragment> = Vec::new();
    let mut push = |text: &str, hit: bool| {
        if text.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.hit == hit => last.text.push_str(text),
            _ => out.push(Fragment {
                text: text.to_string(),
                hit,
            }),
        }
    };
    let mut hit = false;
    let mut start = 0;
    for (i, c) in marked.char_indices() {
        if c == MARK_START || c == MARK_END {
            push(&marked[start..i], hit);
            hit = c == MARK_START;
            start = i + c.len_utf8();
        }
    }
    push(&marked[start..], hit);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_the_users_words() {
        assert_eq!(
            terms("Free, fair ELECTIONS!"),
            ["free", "fair", "elections"]
        );
        assert_eq!(terms("\"AND OR NEAR( * ^ -x:"), ["and", "or", "near", "x"]);
        assert_eq!(terms("  ...  "), Vec::<String>::new());
        assert_eq!(terms("Côte d'Ivoire 2022"), ["côte", "d", "ivoire", "2022"]);
        let many = (0..40)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(terms(&many).len(), MAX_TERMS);
        assert_eq!(terms(&many)[15], "w15");
        let long = "x".repeat(100);
        assert_eq!(terms(&long), ["x".repeat(64)]);
        assert_eq!(
            terms(&format!("{}é", "a".repeat(63))),
            [format!("{}é", "a".repeat(63))]
        );
    }

    #[test]
    fn stop_words_are_sorted_and_dropped() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(STOP_WORDS.len(), 127);
        assert_eq!(match_terms("The peace of the region"), ["peace", "region"]);
        assert!(match_terms("the and of").is_empty());
    }

    #[test]
    fn snippets_split_into_fragments() {
        let f = |t: &str, hit| Fragment {
            text: t.into(),
            hit,
        };
        assert_eq!(
            fragments("Free and \u{E000}fair\u{E001} \u{E000}elections\u{E001}."),
            [
                f("Free and ", false),
                f("fair", true),
                f(" ", false),
                f("elections", true),
                f(".", false)
            ]
        );
        assert_eq!(
            fragments("\u{E000}a\u{E001}\u{E000}b\u{E001}"),
            [f("ab", true)]
        );
        assert_eq!(fragments("plain"), [f("plain", false)]);
        assert_eq!(fragments(""), Vec::<Fragment>::new());
        assert_eq!(clean("a\u{E000}b\u{E001}c\0d"), "abcd");
    }
}
