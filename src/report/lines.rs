//! Decoded text to clean lines: line ends, form-feed page breaks, running
//! headers and page numbers, ligatures, markdown markup and words hyphenated
//! across line ends. Everything later works on these [`Line`]s.

use std::collections::HashSet;

use super::furniture;

/// One cleaned source line. Blank lines are kept (with empty `text`): they
/// separate blocks.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    /// The line's text, trimmed, markup removed, inner whitespace squashed.
    pub text: String,
    /// 1-based page number (pages are separated by form feeds).
    pub page: u32,
    /// 1-based line number in the source file.
    pub line_no: usize,
    /// The line was marked up as a heading (`#`, or bold from end to end).
    pub heading_markup: bool,
    /// The next non-blank line continues a word hyphenated across the line
    /// end: join without a space.
    pub glue_next: bool,
}

impl Line {
    pub fn is_blank(&self) -> bool {
        self.text.is_empty()
    }
}

/// The cleaned lines of a report, and how many pages it has.
pub(crate) struct CleanText {
    pub lines: Vec<Line>,
    pub pages: u32,
    /// The width (in characters) of a full line of running text: hard-wrapped
    /// text has most lines near it, and a paragraph's last line falls short.
    pub full_width: usize,
}

/// Splits `text` into cleaned lines.
pub(crate) fn clean(text: &str) -> CleanText {
    let mut lines = Vec::with_capacity(text.len() / 60 + 1);
    let mut page = 1u32;
    for (index, raw) in text.split('\n').enumerate() {
        let line_no = index + 1;
        // A form feed starts a new page; pdftotext puts it at the start of the
        // next page's first line (or alone on the last line).
        let mut pieces = raw.split('\x0c');
        if let Some(first) = pieces.next() {
            lines.push(clean_line(first, page, line_no));
        }
        for piece in pieces {
            page += 1;
            lines.push(clean_line(piece, page, line_no));
        }
    }
    // A form feed after the last page opens no new page.
    let page = lines
        .iter()
        .filter(|l| !l.is_blank())
        .map(|l| l.page)
        .max()
        .unwrap_or(1);
    let page = if page > 1 {
        furniture::drop_running_heads(&mut lines, page);
        furniture::drop_footnotes(&mut lines);
        page
    } else {
        // Text converted from a PDF without form feeds: page numbers on lines
        // of their own still mark where the pages broke.
        furniture::mark_page_breaks(&mut lines)
    };
    mend_hyphenation(&mut lines);
    let full_width = full_width(&lines);
    CleanText {
        lines,
        pages: page,
        full_width,
    }
}

/// The 75th percentile of the lengths of lines with text.
fn full_width(lines: &[Line]) -> usize {
    let mut widths: Vec<usize> = lines
        .iter()
        .filter(|l| !l.is_blank())
        .map(|l| l.text.chars().count())
        .collect();
    if widths.is_empty() {
        return 0;
    }
    let rank = widths.len() * 3 / 4;
    *widths.select_nth_unstable(rank).1
}

/// Cleans one physical line.
fn clean_line(raw: &str, page: u32, line_no: usize) -> Line {
    let raw = raw.strip_suffix('\r').unwrap_or(raw);
    let mut heading_markup = false;
    let mut body = raw.trim();

    // Markdown block markup: horizontal rules, ATX headings.
    if body.len() >= 3
        && (body.bytes().all(|b| b == b'-')
            || body.bytes().all(|b| b == b'*')
            || body.bytes().all(|b| b == b'_')
            || body.bytes().all(|b| b == b'='))
    {
        body = "";
    }
    // A pandoc footnote ("[^1]: The list of participants …") is no text.
    if body.starts_with("[^") && body.contains("]:") {
        body = "";
    }
    let hashes = body.bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&hashes) && body[hashes..].starts_with(' ') {
        heading_markup = true;
        body = body[hashes..].trim_start();
    }
    if body.len() > 4 && body.starts_with("**") && body.ends_with("**") {
        heading_markup = true;
    }

    // Its marker ("2025.[^1]") goes too.
    let without_notes;
    if body.contains("[^") {
        without_notes = strip_note_markers(body);
        body = &without_notes;
    }
    let text = if is_plain(body) {
        body.to_string()
    } else {
        normalise_chars(body)
    };
    Line {
        text,
        page,
        line_no,
        heading_markup,
        glue_next: false,
    }
}

/// `2025.[^1]` → `2025.`.
fn strip_note_markers(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find("[^") {
        out.push_str(&rest[..at]);
        match rest[at..].find(']') {
            Some(close) => rest = &rest[at + close + 1..],
            None => {
                out.push_str(&rest[at..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether a line needs no normalising: printable ASCII without emphasis
/// markup or escapes, words apart by single spaces (most lines of a report).
fn is_plain(body: &str) -> bool {
    // Without branches per byte: a line is read whole either way.
    let mut plain = true;
    let mut after_space = true;
    for &b in body.as_bytes() {
        let space = b == b' ';
        plain &= plain_byte(b) | (space & !after_space);
        after_space = space;
    }
    plain & (!after_space | body.is_empty())
}

/// A byte copied as it is: printable ASCII, not emphasis (`*`, `_`) nor an
/// escape (`\\`). Without branches, for the loops over every byte.
fn plain_byte(b: u8) -> bool {
    b.is_ascii_graphic() & (b != b'*') & (b != b'_') & (b != b'\\')
}

/// Replaces ligatures and odd spaces, drops emphasis markup and markdown
/// escapes, squashes whitespace.
fn normalise_chars(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut last_space = true;
    let bytes = body.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // Most of a line is plain ASCII text: copied a run at a time.
        // Single spaces between plain characters go with them.
        let mut end = at;
        while end < bytes.len() {
            if plain_byte(bytes[end]) {
                end += 1;
            } else if bytes[end] == b' '
                && end > at
                && bytes.get(end + 1).is_some_and(|&next| plain_byte(next))
            {
                end += 2;
            } else {
                break;
            }
        }
        if end > at {
            out.push_str(&body[at..end]);
            last_space = false;
            at = end;
            continue;
        }
        let mut chars = body[at..].chars().peekable();
        let Some(ch) = chars.next() else { break };
        at += ch.len_utf8();
        let replacement: &str = match ch {
            'ﬀ' => "ff",
            'ﬁ' => "fi",
            'ﬂ' => "fl",
            'ﬃ' => "ffi",
            'ﬄ' => "ffl",
            'ﬅ' | 'ﬆ' => "st",
            '*' => "",
            '_' if chars.peek() == Some(&'_') || last_space => "",
            '\\' => match chars.peek() {
                Some(next) if next.is_ascii_punctuation() => "",
                _ => "\\",
            },
            // Soft hyphens only matter at a line end, handled below.
            // A soft hyphen matters only at a line end (a discretionary break).
            '\u{ad}' if chars.peek().is_some() => "",
            '\u{ad}' => "\u{ad}",
            // Typesetters hyphenate with U+2010: keep it at a line end, as a
            // discretionary break, and read it as "-" elsewhere.
            '\u{2010}' | '\u{2011}' if chars.peek().is_some() => "-",
            '\u{2010}' | '\u{2011}' => "\u{ad}",
            c if c.is_whitespace() => " ",
            _ => {
                out.push(ch);
                last_space = false;
                continue;
            }
        };
        for r in replacement.chars() {
            if r == ' ' {
                if !last_space {
                    out.push(' ');
                }
                last_space = true;
            } else {
                out.push(r);
                last_space = false;
            }
        }
    }
    // Closing emphasis can leave an underscore run at the end.
    while out.ends_with('_') || out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Joins words hyphenated across line ends ("mer-" + "cury"). The hyphen is
/// kept when the document spells the word with a hyphen elsewhere
/// ("chlor-alkali") and dropped otherwise.
fn mend_hyphenation(lines: &mut [Line]) {
    let mut breaks: Vec<(usize, usize, bool)> = Vec::new();
    for i in 0..lines.len() {
        let text = &lines[i].text;
        // "UNEP(ED)/Hg/" + "PAG.8/6": a path or symbol split after a slash.
        if text.ends_with('/') && lines.get(i + 1).is_some_and(|l| !l.is_blank()) {
            lines[i].glue_next = true;
            continue;
        }
        let (before, discretionary) = match text.strip_suffix('\u{ad}') {
            Some(before) => (before, true),
            None => match text.strip_suffix('-') {
                Some(before) => (before, false),
                None => continue,
            },
        };
        if !before.chars().next_back().is_some_and(char::is_alphabetic) {
            if discretionary {
                // Not a word break: the hyphen goes, and so does a space
                // before it ("Keane ‐"), leaving the line trimmed.
                let kept = before.trim_end().len();
                lines[i].text.truncate(kept);
            }
            continue;
        }
        // The continuation: the next non-blank line, directly below or on the
        // next page.
        let Some(j) = (i + 1..lines.len()).find(|&j| !lines[j].is_blank()) else {
            continue;
        };
        if j > i + 1 && lines[j].page == lines[i].page {
            continue;
        }
        if lines[j].text.starts_with(|c: char| c.is_alphabetic()) {
            breaks.push((i, j, discretionary));
        }
    }
    if breaks.is_empty() {
        return;
    }
    // The spellings each break could stand for, looked up in the document.
    let mut spellings: Vec<(String, String)> = Vec::with_capacity(breaks.len());
    for &(i, j, discretionary) in &breaks {
        let before = &lines[i].text[..lines[i].text.len() - if discretionary { 2 } else { 1 }];
        let head = trailing_word(before);
        let tail = leading_word(&lines[j].text);
        spellings.push((
            format!("{head}-{tail}").to_lowercase(),
            format!("{head}{tail}").to_lowercase(),
        ));
    }
    // Hyphenated spellings need only the document's hyphenated words; joined
    // spellings are looked up only where they can change the decision.
    let hyphenated_found = Vocabulary::of(lines, spellings.iter().map(|(h, _)| h));
    let joined_wanted = breaks
        .iter()
        .zip(&spellings)
        .filter(|((_, _, discretionary), (h, _))| !discretionary || hyphenated_found.contains(h))
        .map(|(_, (_, joined))| joined);
    let joined_found = Vocabulary::of(lines, joined_wanted);
    for (&(i, j, discretionary), (hyphenated_form, joined_form)) in breaks.iter().zip(&spellings) {
        let before = &lines[i].text[..lines[i].text.len() - if discretionary { 2 } else { 1 }];
        let head = trailing_word(before);
        let tail = leading_word(&lines[j].text);
        let hyphenated = hyphenated_found.contains(hyphenated_form);
        let joined = joined_found.contains(joined_form);
        let split_acronym = is_upper_word(head) && is_upper_word(tail);
        // A discretionary hyphen ("en‐" + "hanced") goes unless the document
        // spells the word with a hyphen; a hard hyphen ("cross-" + "cutting",
        // "Chlor-" + "Alkali") stays unless it spells the word without one.
        let keep_hyphen = if discretionary || split_acronym {
            hyphenated && !joined
        } else {
            !joined || hyphenated
        };
        let continues_word =
            tail.starts_with(char::is_lowercase) || split_acronym || !discretionary;
        let text = &mut lines[i].text;
        text.pop();
        if keep_hyphen || !continues_word {
            text.push('-');
        }
        lines[i].glue_next = continues_word || keep_hyphen;
    }
    // Discretionary hyphens that were not at a word break read as "-".
    for line in lines.iter_mut() {
        if line.text.ends_with('\u{ad}') {
            line.text.pop();
            line.text.push('-');
        }
    }
}

/// "UNI", "TAR": a fragment of an acronym split at a line end.
fn is_upper_word(word: &str) -> bool {
    word.len() >= 2 && word.chars().all(|c| c.is_uppercase())
}

fn trailing_word(text: &str) -> &str {
    let start = text
        .rfind(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map_or(0, |i| {
            i + text[i..].chars().next().map_or(1, char::len_utf8)
        });
    &text[start..]
}

fn leading_word(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '-'))
        .unwrap_or(text.len());
    &text[..end]
}

/// Which of a few wanted spellings occur as words of a document, for the
/// hyphenation decision.
struct Vocabulary(HashSet<String>);

impl Vocabulary {
    fn of<'w>(lines: &[Line], wanted: impl Iterator<Item = &'w String>) -> Self {
        let wanted: HashSet<&[u8], FnvBuild> = wanted.map(|w| w.as_bytes()).collect();
        if wanted.is_empty() {
            return Vocabulary(HashSet::new());
        }
        // When every wanted spelling has a hyphen, only lines with one matter.
        let hyphens_only = wanted.iter().all(|w| w.contains(&b'-'));
        // A cheap filter first: which initial letters occur at which lengths.
        let mut initials = [0u32; 64];
        for word in &wanted {
            if let (Some(slot), Some(first)) = (initials.get_mut(word.len()), word.first()) {
                *slot |= 1 << (first & 31);
            }
        }
        // Words are runs of ASCII letters, digits and hyphens (a spelling
        // with other letters is never found, and the hyphen then stays).
        let mut found = HashSet::new();
        let mut lower = Vec::new();
        for line in lines {
            if hyphens_only && !line.text.contains('-') {
                continue;
            }
            let words = line
                .text
                .as_bytes()
                .split(|b| !(b.is_ascii_alphanumeric() || *b == b'-'));
            for word in words {
                let word = word.strip_prefix(b"-").unwrap_or(word);
                let word = word.strip_suffix(b"-").unwrap_or(word);
                if hyphens_only && !word.contains(&b'-') {
                    continue;
                }
                let Some(&first) = word.first() else { continue };
                let mask = initials.get(word.len()).copied().unwrap_or(0);
                if mask & (1 << (first.to_ascii_lowercase() & 31)) == 0 {
                    continue;
                }
                lower.clear();
                lower.extend(word.iter().map(u8::to_ascii_lowercase));
                if wanted.contains(lower.as_slice()) {
                    found.insert(String::from_utf8_lossy(&lower).into_owned());
                }
            }
        }
        Vocabulary(found)
    }

    fn contains(&self, word: &str) -> bool {
        self.0.contains(word)
    }
}

/// FNV-1a: a fast hash for the short words looked up above.
#[derive(Default)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

type FnvBuild = std::hash::BuildHasherDefault<Fnv>;

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(clean: &CleanText) -> Vec<&str> {
        clean.lines.iter().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn strips_markdown_and_ligatures() {
        let clean = clean("## **2. Organizational matters**\r\nthe ﬁnal *tour de table*\n---");
        assert_eq!(
            texts(&clean),
            ["2. Organizational matters", "the final tour de table", ""]
        );
        assert!(clean.lines[0].heading_markup);
    }

    #[test]
    fn drops_running_heads_and_page_numbers() {
        let text = "UNEP/X/1\nFirst page text.\n1\n\x0cUNEP/X/1\nSecond page text\n2\n\x0cUNEP/X/1\nThird.\n3\n";
        let clean = clean(text);
        assert_eq!(clean.pages, 3);
        let kept: Vec<&str> = texts(&clean)
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect();
        assert_eq!(
            kept,
            ["UNEP/X/1", "First page text.", "Second page text", "Third."]
        );
    }

    #[test]
    fn mends_hyphenation() {
        // U+2010 at a line end is a typesetter's break; ASCII "-" is a real hyphen.
        let clean = clean(
            "the mer\u{2010}\ncury and chlor\u{2010}\nalkali plants; chlor-alkali and cross-\ncutting, Chlor-\nAlkali",
        );
        let texts = texts(&clean);
        assert_eq!(
            texts,
            [
                "the mer",
                "cury and chlor-",
                "alkali plants; chlor-alkali and cross-",
                "cutting, Chlor-",
                "Alkali"
            ]
        );
        assert!(clean.lines.iter().take(4).all(|l| l.glue_next));
    }

    #[test]
    fn glues_symbols_split_after_a_slash() {
        let clean = clean("document UNEP(ED)/Hg/\nPAG.8/6.");
        assert!(clean.lines[0].glue_next);
    }
}
