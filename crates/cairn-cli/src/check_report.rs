//! `cairn check` output for people: compiler-style lines, title differences marked word by word.

use std::fmt::Write;

use cairn_core::diagnostic::TitlePair;
use cairn_core::{Diagnostic, Severity};
use similar::{ChangeTag, TextDiff};

/// How marked differences are shown: ANSI colours on a terminal, brackets otherwise.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub colour: bool,
}

impl Style {
    fn removed(self, s: &str) -> String {
        if self.colour {
            format!("\x1b[1;31m{s}\x1b[0m")
        } else {
            format!("[-{s}-]")
        }
    }

    fn added(self, s: &str) -> String {
        if self.colour {
            format!("\x1b[1;32m{s}\x1b[0m")
        } else {
            format!("{{+{s}+}}")
        }
    }

    fn severity(self, s: Severity) -> String {
        let word = match s {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match (self.colour, s) {
            (true, Severity::Error) => format!("\x1b[1;31m{word}\x1b[0m"),
            (true, Severity::Warning) => format!("\x1b[1;33m{word}\x1b[0m"),
            (false, _) => word.to_string(),
        }
    }
}

/// One diagnostic as `path:line: severity[code]: message`, and for a title mismatch both titles
/// with the words that differ marked.
pub fn format(path: &str, d: &Diagnostic, style: Style) -> String {
    let mut out = String::new();
    let head = match &d.titles {
        Some(t) => format!(
            "title differs from the strategic framework (line {})",
            t.summary_line
        ),
        None => d.message.clone(),
    };
    let _ = writeln!(
        out,
        "{path}:{}: {}[{}]: {head}",
        d.line,
        style.severity(d.severity),
        d.code
    );
    if let Some(t) = &d.titles {
        let (summary, detail) = marked(t, style);
        let _ = writeln!(out, "    framework (line {}): {summary}", t.summary_line);
        let _ = writeln!(out, "    detail    (line {}): {detail}", d.line);
    }
    out
}

/// Both titles with the words only one of them has marked; neighbouring changed words share
/// one mark ("[-security forces-]").
fn marked(t: &TitlePair, style: Style) -> (String, String) {
    let diff = TextDiff::from_words(t.summary.as_str(), t.detail.as_str());
    let (mut old, mut new) = (Vec::new(), Vec::new());
    for change in diff.iter_all_changes() {
        let v = change.value();
        match change.tag() {
            ChangeTag::Equal => {
                old.push((false, v));
                new.push((false, v));
            }
            ChangeTag::Delete => old.push((true, v)),
            ChangeTag::Insert => new.push((true, v)),
        }
    }
    (
        join_marked(&old, |s| style.removed(s)),
        join_marked(&new, |s| style.added(s)),
    )
}

/// Concatenates pieces, wrapping each run of changed pieces (and the whitespace inside the run)
/// in one mark.
fn join_marked(pieces: &[(bool, &str)], mark: impl Fn(&str) -> String) -> String {
    let mut out = String::new();
    let mut run = String::new();
    let mut pending_space = String::new();
    for &(changed, v) in pieces {
        if changed {
            run.push_str(&pending_space);
            pending_space.clear();
            run.push_str(v);
        } else if !run.is_empty() && v.trim().is_empty() {
            // Whitespace between two changed words belongs to the run if another change follows.
            pending_space.push_str(v);
        } else {
            if !run.is_empty() {
                out.push_str(&mark(run.trim()));
                run.clear();
            }
            out.push_str(&pending_space);
            pending_space.clear();
            out.push_str(v);
        }
    }
    if !run.is_empty() {
        out.push_str(&mark(run.trim()));
    }
    out.push_str(&pending_space);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use cairn_core::Code;

    #[test]
    fn marks_only_the_words_that_differ() {
        let mut d = Diagnostic::new(Code::TitleMismatch, 129, "m");
        d.titles = Some(TitlePair {
            summary_line: 57,
            summary: "improvement in the country's business environment.".into(),
            detail: "improvement in its business environment.".into(),
        });
        let out = format("ics.txt", &d, Style { colour: false });
        assert_eq!(
            out,
            "ics.txt:129: warning[title-mismatch]: title differs from the strategic framework (line 57)\n\
             \x20   framework (line 57): improvement in [-the country's-] business environment.\n\
             \x20   detail    (line 129): improvement in {+its+} business environment.\n"
        );
    }

    #[test]
    fn plain_diagnostic_is_one_line() {
        let d = Diagnostic::new(Code::DuplicateNumber, 7, "Objective 1.1 is described twice");
        assert_eq!(
            format("a.txt", &d, Style { colour: false }),
            "a.txt:7: error[duplicate-number]: Objective 1.1 is described twice\n"
        );
    }
}
