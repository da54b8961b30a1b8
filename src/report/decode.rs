//! Bytes to text: byte-order marks, UTF-16, legacy Windows-1252 files and
//! binary files that are not text at all.

use std::borrow::Cow;

/// What decoding found out about the bytes, besides the text.
#[derive(Debug, Default)]
pub(crate) struct Decoded<'a> {
    /// The text, without any byte-order mark.
    pub text: Cow<'a, str>,
    /// A problem worth a warning (legacy encoding, binary content).
    pub note: Option<String>,
    /// True when the bytes are not text; `text` is then empty.
    pub binary: bool,
}

/// Decodes report bytes. Never fails: undecodable input becomes an empty text
/// with a note saying why.
pub(crate) fn decode(bytes: &[u8]) -> Decoded<'_> {
    // A byte-order mark names the encoding outright (UTF-8, UTF-16LE/BE).
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        let note = had_errors.then(|| format!("invalid {} sequences replaced", encoding.name()));
        return Decoded {
            text,
            note,
            binary: false,
        };
    }
    if looks_binary(bytes) {
        return Decoded {
            text: Cow::Borrowed(""),
            note: Some("binary content, not a text report".to_string()),
            binary: true,
        };
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Decoded {
            text: Cow::Borrowed(text),
            note: None,
            binary: false,
        },
        Err(_) => {
            // Not UTF-8: the legacy encoding of Windows office software, which
            // decodes every byte, is the usual culprit for reports.
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            Decoded {
                text,
                note: Some("not valid UTF-8; decoded as Windows-1252".to_string()),
                binary: false,
            }
        }
    }
}

/// True when the first 8 KiB hold NUL bytes or mostly control characters.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    controls * 10 > head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_utf8_bom() {
        let decoded = decode(b"\xEF\xBB\xBF1. Text.");
        assert_eq!(decoded.text, "1. Text.");
        assert!(decoded.note.is_none());
    }

    #[test]
    fn decodes_windows_1252() {
        let decoded = decode(b"\x93Quoted\x94 caf\xe9");
        assert_eq!(decoded.text, "\u{201c}Quoted\u{201d} café");
        assert!(decoded.note.unwrap().contains("Windows-1252"));
    }

    #[test]
    fn decodes_utf16() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "1. Hi.".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(&bytes).text, "1. Hi.");
    }

    #[test]
    fn flags_binary() {
        let decoded = decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
        assert!(decoded.binary);
        assert!(decoded.text.is_empty());
    }
}
