//! PDF reports: the text of every page, laid out as pdftotext lays it out
//! (pages ended by form feeds), so that the rest of the parser reads a PDF
//! like any extracted text and every unit knows its page.
//!
//! Text comes from `pdf-extract` (pure Rust, on `lopdf`). Each page is
//! extracted on its own and any panic inside the crate is caught, so a
//! damaged page costs that page only, with a warning. A file that cannot be
//! read at all — encrypted with a password, damaged beyond its cross-reference
//! table, or made of scanned images with no text layer — gives no text and a
//! note saying why.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use pdf_extract::{Document, PlainTextOutput, output_doc_page};

/// The text of a PDF and what went wrong on the way.
pub(crate) struct Extracted {
    /// Pages, each ended by `\n\x0c`; empty when nothing could be read.
    pub text: String,
    /// Problems worth a warning, in page order.
    pub notes: Vec<String>,
    /// True when the file gave no text at all (`notes` says why).
    pub unreadable: bool,
}

/// True when `bytes` are a PDF file. The header may follow a few bytes of
/// junk, as the PDF specification allows within the first kilobyte, but not a
/// line break: a text that mentions `%PDF-` further down is text.
pub(crate) fn is_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let first_line = head.split(|&b| b == b'\n').next().unwrap_or(head);
    first_line.windows(5).any(|w| w == b"%PDF-")
}

/// Extracts the text of every page of the PDF in `bytes`.
pub(crate) fn extract(bytes: &[u8]) -> Extracted {
    let unreadable = |note: String| Extracted {
        text: String::new(),
        notes: vec![note],
        unreadable: true,
    };
    let mut document = match quietly(|| Document::load_mem(bytes)) {
        Some(Ok(document)) => document,
        Some(Err(error)) => return unreadable(format!("damaged PDF, no text read ({error})")),
        None => return unreadable("damaged PDF, no text read".to_string()),
    };
    if document.is_encrypted() {
        // A file with only an owner password opens with the empty one.
        match quietly(AssertUnwindSafe(|| document.decrypt(""))) {
            Some(Ok(())) => {}
            Some(Err(pdf_extract::Error::Decryption(_))) => {
                return unreadable("encrypted PDF: its text needs a password".to_string());
            }
            Some(Err(error)) => {
                return unreadable(format!("damaged PDF, no text read ({error})"));
            }
            None => return unreadable("damaged PDF, no text read".to_string()),
        }
    }
    let page_numbers: Vec<u32> = document.get_pages().keys().copied().collect();
    if page_numbers.is_empty() {
        return unreadable("PDF without pages".to_string());
    }

    let mut text = String::with_capacity(bytes.len() / 2);
    let mut notes = Vec::new();
    let mut any_text = false;
    for (index, &number) in page_numbers.iter().enumerate() {
        let mut page = String::new();
        let done = quietly(AssertUnwindSafe(|| {
            output_doc_page(&document, &mut PlainTextOutput::new(&mut page), number)
        }));
        match done {
            Some(Ok(())) => {}
            Some(Err(error)) => {
                notes.push(format!("page {}: text not read ({error})", index + 1));
                page.clear();
            }
            None => {
                notes.push(format!("page {}: text not read (damaged page)", index + 1));
                page.clear();
            }
        }
        any_text |= append_page(&mut text, &page);
    }
    if !any_text {
        return unreadable(
            "PDF without a text layer (scanned pages?): nothing to index".to_string(),
        );
    }
    Extracted {
        text,
        notes,
        unreadable: false,
    }
}

/// Appends one page as pdftotext writes it: runs of spaces (no-break spaces
/// included) made one, blank lines at the page's start and end dropped, and
/// the page ended by a form feed, even when empty, so that page N of the text
/// is page N of the PDF. Returns whether the page had any text.
fn append_page(text: &mut String, page: &str) -> bool {
    let lines: Vec<&str> = page.lines().collect();
    let first = lines.iter().position(|l| !l.trim().is_empty());
    let last = lines.iter().rposition(|l| !l.trim().is_empty());
    if let (Some(first), Some(last)) = (first, last) {
        for line in &lines[first..=last] {
            let mut words = line.split_whitespace();
            if let Some(word) = words.next() {
                text.push_str(word);
                for word in words {
                    text.push(' ');
                    text.push_str(word);
                }
            }
            text.push('\n');
        }
    }
    text.push('\x0c');
    first.is_some()
}

thread_local! {
    /// True while this thread runs PDF code whose panics are caught.
    static CATCHING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, turning a panic into `None` without the panic message that the
/// default hook would print: a damaged PDF is a warning, not a crash report.
/// Panics elsewhere still reach the previous hook.
fn quietly<T>(f: impl FnOnce() -> T + panic::UnwindSafe) -> Option<T> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !CATCHING.with(Cell::get) {
                previous(info);
            }
        }));
    });
    CATCHING.with(|c| c.set(true));
    let result = panic::catch_unwind(f);
    CATCHING.with(|c| c.set(false));
    result.ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_laid_out_like_pdftotext() {
        let mut text = String::new();
        assert!(append_page(
            &mut text,
            "\n\n50.   She\u{a0}said  so.\n\nMore.\n\n"
        ));
        assert!(!append_page(&mut text, "  \n"));
        assert!(append_page(&mut text, "Last"));
        assert_eq!(text, "50. She said so.\n\nMore.\n\x0c\x0cLast\n\x0c");
    }

    #[test]
    fn junk_is_not_a_pdf_and_damage_is_a_note() {
        assert!(!is_pdf(b"1. Ms. Bailey opened the meeting."));
        assert!(is_pdf(b"\xEF\xBB\xBF%PDF-1.7\n"));
        assert!(!is_pdf(b"Notes\n\nA PDF file starts with %PDF-1.7.\n"));
        let damaged = extract(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n");
        assert!(damaged.unreadable);
        assert!(
            damaged.notes[0].starts_with("damaged PDF"),
            "{:?}",
            damaged.notes
        );
    }
}
