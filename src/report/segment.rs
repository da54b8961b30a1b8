//! Clean lines to paragraph units: tells agenda headings from numbered
//! paragraphs, rejoins paragraphs cut by page breaks, labels unnumbered
//! paragraphs, and falls back to blank-line paragraphs when a text has no
//! numbering at all.
//!
//! Two numbering sequences run through a report: agenda items (1..8) and
//! paragraphs (1..132). A line "3. Review of the overall progress" is a
//! heading when 3 is the next agenda number, it has a heading's shape (short,
//! no final period) and the next paragraph number follows it; otherwise it is
//! paragraph 3.

use std::collections::HashMap;

use super::lines::{CleanText, Line};
use crate::text::{ends_sentence, starts_lowercase};

/// One agenda heading (or sub-item heading) in force from where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AgendaHeading {
    /// Item number ("3"); `None` for unnumbered headings of fallback texts.
    pub number: Option<u32>,
    pub title: String,
    /// Sub-item letter and title, e.g. `('a', "Adoption of the agenda")`.
    pub sub: Option<(char, String)>,
}

/// A paragraph unit before tagging.
#[derive(Debug, Clone)]
pub(crate) struct RawUnit {
    pub label: String,
    /// Index into [`Segments::agenda`] of the heading in force.
    pub agenda: Option<usize>,
    pub text: String,
    pub first_page: u32,
    pub last_page: u32,
    pub line_no: usize,
}

/// The result of segmentation.
#[derive(Debug, Default)]
pub(crate) struct Segments {
    /// Lines before the first heading or paragraph: the title block.
    pub header_end: usize,
    pub agenda: Vec<AgendaHeading>,
    pub units: Vec<RawUnit>,
    /// False when the text had no numbered paragraphs (blank-line fallback).
    pub numbered: bool,
    /// `(line number, message)` for everything odd.
    pub warnings: Vec<(usize, String)>,
}

/// Splits cleaned lines into units.
pub(crate) fn segment(clean: &CleanText) -> Segments {
    let numbered = Segmenter::new(clean, true).run();
    if numbered.units.iter().any(|u| !u.label.contains('.')) {
        return numbered;
    }
    let mut fallback = Segmenter::new(clean, false).run();
    if !fallback.units.is_empty() {
        fallback.warnings.insert(
            0,
            (
                1,
                "no numbered paragraphs found; paragraphs split at blank lines".to_string(),
            ),
        );
    }
    fallback
}

/// A line that starts with a number: "14. The floor…", or "14." alone with the
/// text on the next line (pdftotext does that).
struct NumberedLine<'a> {
    number: u32,
    rest: &'a str,
    /// Index of the line that holds `rest`.
    rest_line: usize,
}

struct Segmenter<'a> {
    lines: &'a [Line],
    full_width: usize,
    numbered_mode: bool,
    out: Segments,
    expected_agenda: u32,
    expected_para: u32,
    /// How often each paragraph number was seen (duplicates get "bis", …).
    seen: HashMap<u32, u32>,
    /// The unit that following text lines extend, if any.
    open_unit: Option<usize>,
    /// Label of the last numbered paragraph and how many unnumbered units followed it.
    last_numbered: Option<String>,
    unnumbered_after: u32,
    /// Index of the previous non-blank line.
    prev: Option<usize>,
    started: bool,
}

impl<'a> Segmenter<'a> {
    fn new(clean: &'a CleanText, numbered_mode: bool) -> Self {
        Segmenter {
            lines: &clean.lines,
            full_width: clean.full_width,
            numbered_mode,
            out: Segments {
                numbered: numbered_mode,
                ..Segments::default()
            },
            expected_agenda: 1,
            expected_para: 1,
            seen: HashMap::new(),
            open_unit: None,
            last_numbered: None,
            unnumbered_after: 0,
            prev: None,
            started: false,
        }
    }

    fn next_non_blank(&self, from: usize) -> Option<usize> {
        (from..self.lines.len()).find(|&i| !self.lines[i].is_blank())
    }

    fn run(mut self) -> Segments {
        let mut i = 0;
        while let Some(idx) = self.next_non_blank(i) {
            i = self.step(idx);
        }
        if !self.started {
            self.out.header_end = self.lines.len();
        }
        self.out
    }

    /// Handles the line at `idx`; returns the index to continue from.
    fn step(&mut self, idx: usize) -> usize {
        let line = &self.lines[idx];
        let after_break = match self.prev {
            None => true,
            Some(p) => p + 1 < idx || self.lines[p].page != line.page,
        };
        let prev_ends = self.prev.is_none_or(|p| ends_sentence(&self.lines[p].text));
        let at_start = after_break || prev_ends || self.open_unit.is_none();

        if self.numbered_mode {
            if let Some(numbered) = self.numbered_line(idx) {
                if let Some(next) = self.try_agenda_heading(idx, &numbered, at_start) {
                    return next;
                }
                if self.try_paragraph(idx, &numbered, at_start) {
                    self.prev = Some(numbered.rest_line);
                    return numbered.rest_line + 1;
                }
            }
            if let Some(next) = self.try_sub_heading(idx, at_start) {
                return next;
            }
        } else if line.heading_markup {
            self.close_unit();
            self.start();
            self.out.agenda.push(AgendaHeading {
                number: None,
                title: line.text.clone(),
                sub: None,
            });
            self.prev = Some(idx);
            return idx + 1;
        }
        self.text_line(idx, after_break);
        self.prev = Some(idx);
        idx + 1
    }

    fn numbered_line(&self, idx: usize) -> Option<NumberedLine<'a>> {
        let lines = self.lines;
        let text = lines[idx].text.as_str();
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 4 || text.as_bytes().get(digits) != Some(&b'.') {
            return None;
        }
        let number: u32 = text[..digits].parse().ok()?;
        let after = &text[digits + 1..];
        if after.is_empty() {
            let rest_line = self.next_non_blank(idx + 1)?;
            return Some(NumberedLine {
                number,
                rest: lines[rest_line].text.as_str(),
                rest_line,
            });
        }
        let rest = after.strip_prefix(' ')?.trim_start();
        Some(NumberedLine {
            number,
            rest,
            rest_line: idx,
        })
    }

    /// Accepts an agenda heading; returns the index after its title lines.
    fn try_agenda_heading(
        &mut self,
        idx: usize,
        numbered: &NumberedLine<'_>,
        at_start: bool,
    ) -> Option<usize> {
        let markup = self.lines[idx].heading_markup;
        let n = numbered.number;
        let last = self.expected_agenda - 1;
        let number_fits = n == self.expected_agenda || (markup && n > last && n <= last + 3);
        if !number_fits || !(at_start || markup) || !crate::text::starts_uppercase(numbered.rest) {
            return None;
        }
        // The title may wrap over a few lines.
        let mut title = numbered.rest.to_string();
        let mut end = numbered.rest_line;
        while let Some(next) = self.adjacent(end) {
            let text = &self.lines[next].text;
            if title.len() + text.len() > 200
                || ends_sentence(&title)
                || self.numbered_line(next).is_some()
                || sub_item(text).is_some()
            {
                break;
            }
            title.push(' ');
            title.push_str(text);
            end = next;
        }
        if title.len() > 200 || title.ends_with('.') {
            return None;
        }
        if !markup {
            // What follows must be the next paragraph (the same number when
            // the two sequences meet) or a sub-item heading.
            let after = self.next_non_blank(end + 1)?;
            let follows = match self.numbered_line(after) {
                Some(next) if n == self.expected_para => next.number == n,
                Some(next) => {
                    next.number >= self.expected_para && next.number <= self.expected_para + 5
                }
                None => sub_item(&self.lines[after].text).is_some(),
            };
            if !follows {
                return None;
            }
        }
        if n != self.expected_agenda {
            self.warn(idx, format!("agenda item {n} follows item {last}"));
        }
        self.close_unit();
        self.start();
        self.out.agenda.push(AgendaHeading {
            number: Some(n),
            title,
            sub: None,
        });
        self.expected_agenda = n + 1;
        self.prev = Some(end);
        Some(end + 1)
    }

    /// Accepts "(a) Adoption of the agenda" inside an agenda item.
    fn try_sub_heading(&mut self, idx: usize, at_start: bool) -> Option<usize> {
        let line = &self.lines[idx];
        let (letter, title) = sub_item(&line.text)?;
        let item = self.out.agenda.last()?.clone();
        if !(at_start || line.heading_markup) || title.len() > 150 || title.ends_with('.') {
            return None;
        }
        if !line.heading_markup {
            let after = self.next_non_blank(idx + 1)?;
            let next = self.numbered_line(after)?;
            if next.number < self.expected_para || next.number > self.expected_para + 5 {
                return None;
            }
        }
        self.close_unit();
        self.out.agenda.push(AgendaHeading {
            sub: Some((letter, title.to_string())),
            ..item
        });
        self.prev = Some(idx);
        Some(idx + 1)
    }

    /// Accepts a numbered paragraph start.
    fn try_paragraph(&mut self, idx: usize, numbered: &NumberedLine<'_>, at_start: bool) -> bool {
        let n = numbered.number;
        if numbered.rest.is_empty() || starts_lowercase(numbered.rest) || n == 0 {
            return false;
        }
        if n != self.expected_para {
            // Off-sequence numbers count only where a paragraph can start.
            if !at_start || n > self.expected_para + 50 {
                return false;
            }
            let message = if self.seen.contains_key(&n) {
                format!("duplicate paragraph number {n}")
            } else if n < self.expected_para {
                format!(
                    "paragraph {n} out of order (after {})",
                    self.expected_para - 1
                )
            } else if self.expected_para == 1 {
                format!("paragraph numbering starts at {n}")
            } else {
                format!(
                    "paragraph numbers jump from {} to {n}",
                    self.expected_para - 1
                )
            };
            self.warn(idx, message);
        }
        let count = self.seen.entry(n).or_insert(0);
        *count += 1;
        let label = match *count {
            1 => n.to_string(),
            2 => format!("{n}bis"),
            3 => format!("{n}ter"),
            k => format!("{n}x{k}"),
        };
        self.expected_para = self.expected_para.max(n + 1);
        self.close_unit();
        self.start();
        self.last_numbered = Some(label.clone());
        self.unnumbered_after = 0;
        self.open(label, numbered.rest.to_string(), idx);
        self.extend_page(numbered.rest_line);
        true
    }

    /// A line of running text: continues the open unit, or starts an
    /// unnumbered one.
    fn text_line(&mut self, idx: usize, after_break: bool) {
        let line = &self.lines[idx];
        if let Some(unit) = self.open_unit {
            let prev = self.prev.map(|p| &self.lines[p]);
            if self.continues(prev, line, after_break) {
                let glue = prev.is_some_and(|p| p.glue_next);
                let text = &mut self.out.units[unit].text;
                if !glue {
                    text.push(' ');
                }
                text.push_str(&line.text);
                self.extend_page(idx);
                return;
            }
        } else if !self.started && self.numbered_mode {
            // Still in the title block.
            return;
        }
        self.start();
        self.close_unit();
        let label = match (&self.last_numbered, self.numbered_mode) {
            (Some(base), true) => {
                self.unnumbered_after += 1;
                format!("{base}.{}", self.unnumbered_after)
            }
            (None, true) => {
                self.unnumbered_after += 1;
                format!("0.{}", self.unnumbered_after)
            }
            (_, false) => (self.out.units.len() + 1).to_string(),
        };
        self.open(label, line.text.clone(), idx);
    }

    /// Does `line` continue the open unit whose last line is `prev`?
    fn continues(&self, prev: Option<&Line>, line: &Line, after_break: bool) -> bool {
        let Some(prev) = prev else { return false };
        if prev.glue_next || starts_lowercase(&line.text) || !ends_sentence(&prev.text) {
            return true;
        }
        let page_break = prev.page != line.page;
        let blank_between = after_break && !page_break;
        if blank_between {
            return false;
        }
        // Hard-wrapped text: a full line before a page break or line end means
        // the paragraph goes on; a paragraph's last line falls short. Too few
        // long lines to tell a full line: lines run on.
        self.full_width < 30 || prev.text.chars().count() * 100 >= self.full_width * 85
    }

    /// The next non-blank line if it directly follows `idx` on the same page.
    fn adjacent(&self, idx: usize) -> Option<usize> {
        let next = idx + 1;
        let line = self.lines.get(next)?;
        (!line.is_blank() && line.page == self.lines[idx].page).then_some(next)
    }

    fn start(&mut self) {
        if !self.started {
            self.started = true;
            self.out.header_end = self.prev.map_or(0, |p| p + 1);
        }
    }

    fn open(&mut self, label: String, text: String, idx: usize) {
        let line = &self.lines[idx];
        self.out.units.push(RawUnit {
            label,
            agenda: self.out.agenda.len().checked_sub(1),
            text,
            first_page: line.page,
            last_page: line.page,
            line_no: line.line_no,
        });
        self.open_unit = Some(self.out.units.len() - 1);
    }

    fn extend_page(&mut self, idx: usize) {
        if let Some(unit) = self.open_unit {
            self.out.units[unit].last_page = self.lines[idx].page;
        }
    }

    fn close_unit(&mut self) {
        self.open_unit = None;
    }

    fn warn(&mut self, idx: usize, message: String) {
        self.out.warnings.push((self.lines[idx].line_no, message));
    }
}

/// "(a) Adoption of the agenda" → `('a', "Adoption of the agenda")`.
fn sub_item(text: &str) -> Option<(char, &str)> {
    let bytes = text.as_bytes();
    if bytes.len() < 5 || bytes[0] != b'(' || bytes[2] != b')' || bytes[3] != b' ' {
        return None;
    }
    let letter = bytes[1] as char;
    let title = text[4..].trim_start();
    (letter.is_ascii_lowercase() && crate::text::starts_uppercase(title)).then_some((letter, title))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::lines::clean;

    fn labels(text: &str) -> Vec<String> {
        segment(&clean(text))
            .units
            .into_iter()
            .map(|u| u.label)
            .collect()
    }

    #[test]
    fn heading_and_paragraph_with_the_same_number() {
        let segments = segment(&clean(
            "Title\n\n1. Opening of the meeting\n\n1. The meeting opened.\n\n2. Mr. X spoke.\n",
        ));
        assert_eq!(segments.agenda[0].title, "Opening of the meeting");
        let labels: Vec<&str> = segments.units.iter().map(|u| u.label.as_str()).collect();
        assert_eq!(labels, ["1", "2"]);
        assert_eq!(segments.header_end, 1);
    }

    #[test]
    fn rejoins_page_broken_paragraph_and_labels_unnumbered() {
        let text = "1. Item\n\n1. First.\n\n2. Cut across\n\npages here.\n\nOn ASGM: a group.\n\nOn coal: another.\n\n3. Next.\n";
        assert_eq!(labels(text), ["1", "2", "2.1", "2.2", "3"]);
    }

    #[test]
    fn detached_numbers_and_wrapped_headings() {
        let text = "Report\n1. Opening\n1.\nThe meeting\nopened.\n2. Organizational matters of the\nmeeting\n(a) Adoption\n2.\nAgreed.\n";
        let segments = segment(&clean(text));
        assert_eq!(
            segments.agenda[1].title,
            "Organizational matters of the meeting"
        );
        assert_eq!(segments.agenda[2].sub, Some(('a', "Adoption".to_string())));
        assert_eq!(segments.units[0].text, "The meeting opened.");
        assert_eq!(segments.units[1].agenda, Some(2));
    }

    #[test]
    fn duplicate_and_out_of_order_numbers_warn() {
        let segments = segment(&clean("1. A.\n\n2. B.\n\n2. C.\n\n4. D.\n\n3. E.\n"));
        let labels: Vec<&str> = segments.units.iter().map(|u| u.label.as_str()).collect();
        assert_eq!(labels, ["1", "2", "2bis", "4", "3"]);
        assert_eq!(segments.warnings.len(), 3);
    }

    #[test]
    fn falls_back_to_blank_line_paragraphs() {
        let segments = segment(&clean("# Notes\n\nSome text here.\n\nMore text.\n"));
        assert!(!segments.numbered);
        let labels: Vec<&str> = segments.units.iter().map(|u| u.label.as_str()).collect();
        assert_eq!(labels, ["1", "2"]);
        assert_eq!(segments.agenda[0].title, "Notes");
    }
}
