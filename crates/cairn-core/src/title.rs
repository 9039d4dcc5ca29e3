//! When two titles of one element count as the same.

/// The form in which titles are compared: whitespace collapsed, the first letter's case,
/// trailing punctuation and punctuation before a parenthesis ("areas. (CDCS DO2)") ignored.
pub fn comparable(title: &str) -> String {
    let mut words: Vec<String> = title.split_whitespace().map(str::to_string).collect();
    // "areas. (CDCS DO2)" and "areas (CDCS DO2)" say the same.
    for i in 1..words.len() {
        if words[i].starts_with('(') {
            let prev = &mut words[i - 1];
            while prev.ends_with(is_trailing_punct) {
                prev.pop();
            }
        }
    }
    let mut s = words.join(" ");
    while s.ends_with(is_trailing_punct) {
        s.pop();
    }
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => s,
    }
}

fn is_trailing_punct(c: char) -> bool {
    matches!(c, '.' | ',' | ';' | ':' | '!' | '?')
}

/// Whether the summary and the detail give the same title.
pub fn same(a: &str, b: &str) -> bool {
    comparable(a) == comparable(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_space_and_first_letter_do_not_count() {
        assert!(same(
            "Solidify gains in targeted areas. (CDCS DO2)",
            "Solidify gains in targeted areas (CDCS DO2)"
        ));
        assert!(same(
            "attract U.S. and foreign investment.",
            "attract U.S. and foreign investment"
        ));
        assert!(same("Mali  lays\tgroundwork", "mali lays groundwork"));
    }

    #[test]
    fn words_do_count() {
        assert!(!same(
            "improvement in the country's business",
            "improvement in its business"
        ));
        assert!(!same("Mali Lays", "Mali lays"));
    }
}
