//! When two titles of one element count as the same.

/// The form in which titles are compared: whitespace collapsed, the first letter's case,
/// trailing punctuation and punctuation before a parenthesis ("areas. (CDCS DO2)") ignored.
pub fn comparable(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut add = |word: &str| {
        // "areas. (CDCS DO2)" and "areas (CDCS DO2)" say the same.
        if word.starts_with('(') {
            trim_trailing_punct(&mut out);
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    };
    if title.is_ascii() {
        // The same words, read byte by byte (ASCII whitespace as `char::is_whitespace` has it).
        let b = title.as_bytes();
        let space = |c: u8| matches!(c, b' ' | b'\t'..=b'\r');
        let mut i = 0;
        while i < b.len() {
            let start = i;
            while i < b.len() && !space(b[i]) {
                i += 1;
            }
            if start < i {
                add(&title[start..i]);
            }
            i += 1;
        }
    } else {
        title.split_whitespace().for_each(&mut add);
    }
    trim_trailing_punct(&mut out);
    match out.chars().next() {
        Some(first) if first.is_ascii() => {
            out[..1].make_ascii_lowercase();
            out
        }
        Some(first) if !first.is_lowercase() => {
            let rest = out.split_off(first.len_utf8());
            let mut lowered: String = first.to_lowercase().collect();
            lowered.push_str(&rest);
            lowered
        }
        _ => out,
    }
}

fn trim_trailing_punct(s: &mut String) {
    while s.ends_with(is_trailing_punct) {
        s.pop();
    }
}

fn is_trailing_punct(c: char) -> bool {
    matches!(c, '.' | ',' | ';' | ':' | '!' | '?')
}

/// Whether the summary and the detail give the same title.
pub fn same(a: &str, b: &str) -> bool {
    // Most documents repeat the title verbatim: no need to build the comparable forms.
    a == b || comparable(a) == comparable(b)
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
