//! Bytes → text: UTF-8 (with or without BOM), else Windows-1252; binary data refused.

use std::borrow::Cow;

use crate::IngestError;

/// Decoded text (borrowed from the input when it is UTF-8 with LF line ends) and whether it had
/// to be read as Windows-1252.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub legacy: bool,
}

/// Decodes the input and normalises line endings (CRLF and lone CR become LF).
pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>, IngestError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(IngestError::Empty);
    }
    // Checked in blocks the compiler can vectorise; the exact place only when there is one.
    let suspect = bytes
        .chunks(64)
        .any(|ch| ch.iter().fold(false, |acc, &b| acc | is_binary_byte(b)));
    if let Some(offset) = suspect
        .then(|| bytes.iter().position(|&b| is_binary_byte(b)))
        .flatten()
    {
        return Err(IngestError::Binary {
            offset,
            byte: bytes[offset],
        });
    }
    let (text, legacy) = match std::str::from_utf8(bytes) {
        Ok(t) => (Cow::Borrowed(t), false),
        Err(_) => (
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0,
            true,
        ),
    };
    let text = if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        text
    };
    Ok(Decoded { text, legacy })
}

/// Control bytes that never occur in a text document (tab, LF, CR and form feed do).
fn is_binary_byte(b: u8) -> bool {
    // All below 0x20 but tab through CR (9–13) and ESC (27); and DEL. Written as ranges, which
    // the compiler turns into vector compares.
    b < 9 || (14..=26).contains(&b) || (28..=31).contains(&b) || b == 0x7F
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_bom_and_crlf() {
        let d = decode(b"\xEF\xBB\xBFa\r\nb\rc\n").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.text, "a\nb\nc\n");
        assert!(!d.legacy);
    }

    #[test]
    fn windows_1252_is_read_and_flagged() {
        let d = decode(b"Mali\x92s \x93goal\x94").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.text, "Mali\u{2019}s \u{201c}goal\u{201d}");
        assert!(d.legacy);
    }

    #[test]
    fn empty_and_binary_are_refused() {
        assert_eq!(decode(b""), Err(IngestError::Empty));
        assert_eq!(decode(b" \n\t\n"), Err(IngestError::Empty));
        assert_eq!(
            decode(b"PK\x03\x04zip"),
            Err(IngestError::Binary { offset: 2, byte: 3 })
        );
    }
}
