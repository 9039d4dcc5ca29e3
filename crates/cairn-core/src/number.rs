//! Dotted element numbers ("1", "1.1", "1.1.1") and the rules that relate them.

use std::cmp::Ordering;
use std::fmt;

use schemars::JsonSchema;

/// A dotted element number. Each part is a positive decimal integer; the number of parts is
/// the depth (1 for a goal, 2 for an objective, 3+ for sub-objectives).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Number(String);

/// Why a string is not an element number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{value:?} is not an element number: expected dotted positive integers such as 1, 1.2 or 1.2.3"
)]
pub struct NumberError {
    pub value: String,
}

impl Number {
    /// Parses "1", "1.2", "1.2.3"; a trailing dot ("1.") is tolerated as written in headings.
    pub fn parse(text: &str) -> Result<Self, NumberError> {
        // Headings hand over digits and dots: trimming is then a no-op.
        let plain = text.bytes().all(|b| b.is_ascii_digit() || b == b'.');
        let t = if plain { text } else { text.trim() }.trim_end_matches('.');
        // One pass: every part one to four digits, not all zeros; note a leading zero.
        let (mut ok, mut len, mut nonzero, mut padded) = (true, 0, false, false);
        for &b in t.as_bytes() {
            if b == b'.' {
                ok &= nonzero;
                (len, nonzero) = (0, false);
            } else if b.is_ascii_digit() {
                padded |= len == 0 && b == b'0';
                nonzero |= b != b'0';
                len += 1;
                ok &= len <= 4;
            } else {
                ok = false;
            }
        }
        if ok && nonzero {
            // Normalise "01" to "1" so that numbering compares by value.
            let norm = if padded {
                t.split('.')
                    .map(|p| p.trim_start_matches('0'))
                    .collect::<Vec<_>>()
                    .join(".")
            } else {
                t.to_string()
            };
            Ok(Self(norm))
        } else {
            Err(NumberError {
                value: text.to_string(),
            })
        }
    }

    /// The first number, "1", for a document's single unnumbered management objective.
    pub fn one() -> Self {
        Self("1".into())
    }

    /// The n-th number at top level (1-based).
    pub fn nth(n: usize) -> Self {
        Self(n.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// How many dotted parts the number has.
    pub fn depth(&self) -> usize {
        self.0.bytes().filter(|&b| b == b'.').count() + 1
    }

    /// The number of the element this one sits under ("1.2.3" → "1.2"); none at top level.
    pub fn parent(&self) -> Option<Number> {
        self.0.rsplit_once('.').map(|(p, _)| Number(p.to_string()))
    }

    /// Whether `self` is a direct child of `parent`.
    pub fn is_child_of(&self, parent: &Number) -> bool {
        self.parent().as_ref() == Some(parent)
    }

    fn parts(&self) -> impl Iterator<Item = u32> + '_ {
        // The parts are digits only (see `parse`): folded by hand, which sorting calls often.
        self.0.as_bytes().split(|&b| b == b'.').map(|p| {
            p.iter()
                .try_fold(0u32, |v, &d| {
                    d.is_ascii_digit()
                        .then(|| v.checked_mul(10)?.checked_add(u32::from(d - b'0')))
                        .flatten()
                })
                .unwrap_or(0)
        })
    }
}

impl std::str::FromStr for Number {
    type Err = NumberError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Ord for Number {
    /// Numeric, part by part: 1.2 < 1.10 < 2.
    fn cmp(&self, other: &Self) -> Ordering {
        if self.0 == other.0 {
            return Ordering::Equal;
        }
        self.parts().cmp(other.parts())
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

crate::serde_as_string!(Number);

impl JsonSchema for Number {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Number".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[1-9][0-9]*(\\.[1-9][0-9]*)*$",
            "description": "Dotted element number: 1, 1.2, 1.2.3"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_dotted_numbers_and_rejects_others() {
        assert_eq!(Number::parse("1.2").map(|n| n.depth()), Ok(2));
        assert_eq!(Number::parse("3.").map(|n| n.to_string()), Ok("3".into()));
        assert_eq!(
            Number::parse("01.02").map(|n| n.to_string()),
            Ok("1.2".into())
        );
        for bad in ["", "0", "1..2", "a", "1.x", "1.0", "-1", "12345"] {
            assert!(Number::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn parent_and_order() {
        let n = |s| Number::parse(s).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(n("1.2.3").parent(), Some(n("1.2")));
        assert_eq!(n("1").parent(), None);
        assert!(n("1.2").is_child_of(&n("1")));
        assert!(!n("1.2.3").is_child_of(&n("1")));
        assert!(n("1.2") < n("1.10"));
        assert!(n("1.10") < n("2"));
        assert!(n("1") < n("1.1"));
    }

    proptest! {
        #[test]
        fn display_parse_round_trip(parts in proptest::collection::vec(1u32..9999, 1..5)) {
            let s = parts.iter().map(u32::to_string).collect::<Vec<_>>().join(".");
            let n = Number::parse(&s).unwrap_or_else(|e| panic!("{e}"));
            prop_assert_eq!(n.to_string(), s);
            prop_assert_eq!(n.depth(), parts.len());
        }
    }
}
