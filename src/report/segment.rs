//! Clean lines to paragraph units: tells agenda headings from numbered
//! paragraphs, rejoins paragraphs cut by page breaks, labels unnumbered
//! paragraphs, and falls back to blank-line paragraphs when a text has no
//! numbering at all.
//!
//! Headings form the report's own outline. Each kind of label ("I." roman,
//! "A." capital letter, "(a)", "Item 3.", "3.") takes the outline level at
//! which it first appears: in one report "**1. …**" is the agenda item and
//! "(a)" its sub-item, in another "I." is the item, "A." the sub-item and
//! "1." a third level. The agenda item of a unit is the level-1 heading in
//! force, its sub-item the level-2 one.
//!
//! Paragraph numbers run through the report as a sequence of their own. A
//! line "3. Review of the overall progress" is a heading when 3 is the next
//! number of its outline level, it has a heading's shape (short, no final
//! period) and the next paragraph number follows it; otherwise it is
//! paragraph 3. An "Annex" line starts the annex: its paragraphs are
//! labelled "annexI.3" and belong to no agenda item.

use std::collections::HashMap;

use super::lines::{CleanText, Line};
use crate::text::{ends_sentence, starts_lowercase};

/// One agenda heading (or sub-item heading) in force from where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AgendaHeading {
    /// Item number ("3"); `None` for unnumbered headings of fallback texts.
    pub number: Option<u32>,
    pub title: String,
    /// Sub-item label and title, e.g. `("a", "Adoption of the agenda")`.
    pub sub: Option<(String, String)>,
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
    /// The label kinds of the outline, shallowest first.
    levels: Vec<LabelKind>,
    /// Per level: the next expected number, and the heading in force
    /// (label, title).
    expected_at: Vec<u32>,
    outline: Vec<Option<(String, String)>>,
    /// Some heading carries a label: headings with markup alone are then
    /// sub-headings, not agenda items.
    labelled_headings: bool,
    /// Inside an annex: the label prefix of its units ("annexI").
    annex: Option<String>,
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
            levels: Vec::new(),
            expected_at: Vec::new(),
            outline: Vec::new(),
            labelled_headings: clean.lines.iter().any(|l| {
                !l.is_blank()
                    && (l.heading_markup
                        || matches!(
                            label_kinds(&l.text).first(),
                            Some((LabelKind::Roman | LabelKind::Item, ..))
                        ))
                    && !label_kinds(&l.text).is_empty()
            }),
            annex: None,
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
            if let Some(next) = self.try_annex(idx, at_start) {
                return next;
            }
            if let Some(next) = self.try_heading(idx, at_start) {
                return next;
            }
            if let Some(numbered) = self.numbered_line(idx)
                && self.try_paragraph(idx, &numbered, at_start)
            {
                self.prev = Some(numbered.rest_line);
                return numbered.rest_line + 1;
            }
            if let Some(next) = self.try_bare_heading(idx, after_break, prev_ends) {
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

    /// Accepts a labelled heading ("III. …", "A. …", "(a) …", "Item 3. …",
    /// "3. …") at the outline level of its label kind; returns the index
    /// after its title lines.
    fn try_heading(&mut self, idx: usize, at_start: bool) -> Option<usize> {
        let markup = self.lines[idx].heading_markup;
        if !(at_start || markup) {
            return None;
        }
        let text = self.lines[idx].text.as_str();
        for (kind, n, rest) in label_kinds(text) {
            // "14." alone, its text on the next line (pdftotext).
            let (rest, rest_line) = if rest.is_empty() {
                let next = self.next_non_blank(idx + 1)?;
                (self.lines[next].text.as_str(), next)
            } else {
                (rest, idx)
            };
            let level = self.levels.iter().position(|&k| k == kind);
            if level.is_none() && self.levels.len() >= 3 {
                continue;
            }
            let expected = level.map_or(1, |l| self.expected_at[l]);
            let last = expected - 1;
            let loose = markup || !matches!(kind, LabelKind::Digit);
            let number_fits = n == expected || (loose && n > last && n <= last + 3);
            if !number_fits || !crate::text::starts_uppercase(rest) {
                continue;
            }
            let Some((title, end)) = self.heading_title(rest, rest_line) else {
                continue;
            };
            let needs_follower = !markup
                && matches!(
                    kind,
                    LabelKind::Digit | LabelKind::Letter | LabelKind::Paren
                );
            if needs_follower && !self.followed_by_body(kind, n, end) {
                continue;
            }
            self.accept_heading(idx, kind, level, n, title);
            self.prev = Some(end);
            return Some(end + 1);
        }
        None
    }

    /// The title starting with `first` on line `line`, with the lines it
    /// wraps onto, and the last line; `None` when it is no heading's title.
    fn heading_title(&self, first: &str, line: usize) -> Option<(String, usize)> {
        let mut title = first.to_string();
        let mut end = line;
        while let Some(next) = self.adjacent(end) {
            let text = &self.lines[next].text;
            if title.len() + text.len() > 200
                || ends_sentence(&title)
                || self.numbered_line(next).is_some()
                || !label_kinds(text).is_empty()
            {
                break;
            }
            title.push(' ');
            title.push_str(text);
            end = next;
        }
        let ends_like_text = title.ends_with(['.', ';', ',']);
        (title.len() <= 200 && !ends_like_text).then_some((title, end))
    }

    /// Whether what follows a plain-line heading of `kind` numbered `n`
    /// ending at `end` is the body it heads: the next paragraph (the same
    /// number when the two sequences meet) or a deeper heading.
    fn followed_by_body(&self, kind: LabelKind, n: u32, end: usize) -> bool {
        let Some(after) = self.next_non_blank(end + 1) else {
            return false;
        };
        let expected = self.expected_para;
        match self.numbered_line(after) {
            Some(next) if kind == LabelKind::Digit && n == expected => next.number == n,
            Some(next) if next.number >= expected && next.number <= expected + 5 => true,
            _ => {
                let text = &self.lines[after].text;
                label_kinds(text).iter().any(|&(k, _, _)| k != kind)
                    && !ends_sentence(text)
                    && text.len() <= 200
            }
        }
    }

    /// Puts a heading in force at its level (a new level when its kind is new).
    fn accept_heading(
        &mut self,
        idx: usize,
        kind: LabelKind,
        level: Option<usize>,
        n: u32,
        title: String,
    ) {
        let level = level.unwrap_or_else(|| {
            self.levels.push(kind);
            self.expected_at.push(1);
            self.outline.push(None);
            self.levels.len() - 1
        });
        let expected = self.expected_at[level];
        if n != expected && level == 0 && self.annex.is_none() {
            self.warn(
                idx,
                format!("agenda item {n} follows item {}", expected - 1),
            );
        }
        self.expected_at[level] = n + 1;
        self.outline[level] = Some((label_text(kind, n), title));
        for deeper in level + 1..self.levels.len() {
            self.expected_at[deeper] = 1;
            self.outline[deeper] = None;
        }
        self.close_unit();
        self.start();
        if level >= 2 || self.annex.is_some() {
            return;
        }
        let item = self.outline[0].clone();
        let sub = self.outline.get(1).cloned().flatten();
        self.out.agenda.push(AgendaHeading {
            number: item.as_ref().and_then(|(label, _)| label.parse().ok()),
            title: item.map(|(_, title)| title).unwrap_or_default(),
            sub,
        });
    }

    /// A heading without a label: a line marked up as a heading, or a
    /// single short line standing alone that does not end like a sentence
    /// ("Recommendations of the breakout groups"). Never a unit; an agenda
    /// item (without number) only when no heading of the report has a label.
    fn try_bare_heading(
        &mut self,
        idx: usize,
        after_break: bool,
        prev_ends: bool,
    ) -> Option<usize> {
        let line = &self.lines[idx];
        let alone = after_break && self.adjacent(idx).is_none();
        let shaped = line.text.chars().count() <= 120
            && !ends_sentence(&line.text)
            && !line.text.ends_with(',')
            && crate::text::starts_uppercase(&line.text);
        let closed = prev_ends || self.open_unit.is_none();
        if !shaped || !(line.heading_markup || (alone && closed)) || !self.started {
            return None;
        }
        if line.heading_markup && !closed && !alone {
            return None;
        }
        self.close_unit();
        if line.heading_markup && !self.labelled_headings && self.annex.is_none() {
            self.out.agenda.push(AgendaHeading {
                number: None,
                title: line.text.clone(),
                sub: None,
            });
        }
        self.prev = Some(idx);
        Some(idx + 1)
    }

    /// "Annex", "Annex I", "ANNEX II": the annex starts; its paragraphs are
    /// numbered afresh and labelled with it.
    fn try_annex(&mut self, idx: usize, at_start: bool) -> Option<usize> {
        if !at_start || self.out.units.is_empty() {
            return None;
        }
        let text = self.lines[idx].text.trim_end_matches('.');
        let mut words = text.split(' ').peekable();
        let mut first = words.next()?;
        // "Annex: Action items", "Annex II – Summary", "ANNEX I. Participants":
        // a title may follow the label after a separator.
        let separated = |word: &mut &str| match word.strip_suffix([':', '.']) {
            Some(bare) => {
                *word = bare;
                true
            }
            None => false,
        };
        let mut titled = separated(&mut first);
        if !(first.eq_ignore_ascii_case("annex") || first.eq_ignore_ascii_case("appendix")) {
            return None;
        }
        let mut tag = "";
        if !titled
            && let Some(&next) = words.peek()
            && !matches!(next, "–" | "—" | "-")
        {
            tag = next;
            words.next();
            titled = separated(&mut tag);
        }
        if !titled && words.peek().is_some_and(|w| matches!(*w, "–" | "—" | "-")) {
            words.next();
            titled = true;
        }
        let tag_ok = tag.len() <= 5
            && tag
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        let title_ok = if titled {
            words
                .peek()
                .is_some_and(|w| crate::text::starts_uppercase(w))
        } else {
            words.next().is_none()
        };
        if !tag_ok || !title_ok || !crate::text::starts_uppercase(first) {
            return None;
        }
        self.close_unit();
        self.start();
        self.annex = Some(format!("annex{tag}"));
        self.expected_para = 1;
        self.seen.clear();
        self.last_numbered = None;
        self.unnumbered_after = 0;
        self.levels.clear();
        self.expected_at.clear();
        self.outline.clear();
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
        let number = match &self.annex {
            Some(prefix) => format!("{prefix}.{n}"),
            None => n.to_string(),
        };
        let label = match *count {
            1 => number,
            2 => format!("{number}bis"),
            3 => format!("{number}ter"),
            k => format!("{number}x{k}"),
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
                let base = self.annex.as_deref().unwrap_or("0");
                format!("{base}.{}", self.unnumbered_after)
            }
            (_, false) => (self.out.units.len() + 1).to_string(),
        };
        self.open(label, line.text.clone(), idx);
    }

    /// Does `line` continue the open unit whose last line is `prev`?
    fn continues(&self, prev: Option<&Line>, line: &Line, after_break: bool) -> bool {
        let Some(prev) = prev else { return false };
        // Blocks of one shape set apart by blank lines ("Action: …",
        // "Responsible: …", "Deadline: …" in a list of action items): a line
        // that opens with the block's first label starts the next block.
        if after_break
            && prev.page == line.page
            && let Some(label) = block_label(&line.text)
            && self
                .open_unit
                .is_some_and(|unit| block_label(&self.out.units[unit].text) == Some(label))
        {
            return false;
        }
        if prev.glue_next || starts_lowercase(&line.text) || !ends_sentence(&prev.text) {
            return true;
        }
        // A lettered list belongs to the paragraph that introduces it, even
        // when blank lines set its items apart.
        if is_list_item(&line.text) && introduces_item(&prev.text) {
            return true;
        }
        // A group report's lead-in ("On financing: …") starts a block of
        // its own, even with no blank line before it.
        if is_lead_in(&line.text) {
            return false;
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
            agenda: match self.annex {
                Some(_) => None,
                None => self.out.agenda.len().checked_sub(1),
            },
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
        // A unit grown line by line has up to twice the room it needs;
        // given back now, the room serves the next units.
        if let Some(unit) = self.open_unit.take() {
            self.out.units[unit].text.shrink_to_fit();
        }
    }

    fn warn(&mut self, idx: usize, message: String) {
        self.out.warnings.push((self.lines[idx].line_no, message));
    }
}

/// "(a) To request …", "(ii) …": an item of a lettered or numbered list.
fn is_list_item(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('(') else {
        return false;
    };
    rest.find(')').is_some_and(|close| {
        close > 0
            && close <= 4
            && rest[..close]
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    })
}

/// A line after which a list item goes on: "… agreed:", "… threshold;",
/// "…; and".
fn introduces_item(text: &str) -> bool {
    text.ends_with(':') || text.ends_with(';') || text.ends_with("; and") || text.ends_with("; or")
}

/// "On financing: …", "On the waste management area: …": a line that opens
/// a group report.
fn is_lead_in(text: &str) -> bool {
    let Some(rest) = text.strip_prefix("On ") else {
        return false;
    };
    rest.find(':')
        .is_some_and(|colon| colon <= 80 && !rest[..colon].contains(['.', ';', ',']))
}

/// The label a block opens with: "Action" for "Action: Submit the plans";
/// one to three capitalised words before a colon.
fn block_label(text: &str) -> Option<&str> {
    // Only the first 41 bytes can hold it: a unit's whole text is not read.
    let colon = text
        .bytes()
        .take(41)
        .position(|b| b == b':')
        .filter(|&c| c > 0)?;
    let label = &text[..colon];
    let words = label.split(' ').count();
    let shaped = words <= 3
        && crate::text::starts_uppercase(label)
        && label
            .chars()
            .all(|c| c.is_alphabetic() || c == ' ' || c == '-');
    shaped.then_some(label)
}

/// The kinds of heading label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LabelKind {
    /// "IV. Partnership business plan"
    Roman,
    /// "A. Adoption of the agenda"
    Letter,
    /// "(a) Adoption of the agenda"
    Paren,
    /// "Item 3. Technical matters", "Agenda item 3: …"
    Item,
    /// "3. Review of the overall progress"
    Digit,
}

/// The labels `text` may start with, as (kind, number, rest of the line):
/// "IV. Title" → roman 4; "C. Title" → roman 100 and letter 3; "(b) Title"
/// → paren 2; "Item 3. Title" → item 3; "3. Title" → digit 3.
fn label_kinds(text: &str) -> Vec<(LabelKind, u32, &str)> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    if let Some(rest) = text.strip_prefix('(') {
        let close = rest.find(')').filter(|&c| c == 1);
        if let Some(close) = close {
            let letter = rest.as_bytes()[0];
            let after = &rest[close + 1..];
            if letter.is_ascii_lowercase() && after.starts_with(' ') {
                found.push((
                    LabelKind::Paren,
                    u32::from(letter - b'a') + 1,
                    after.trim_start(),
                ));
            }
        }
        return found;
    }
    let item_words = ["agenda item ", "item "].into_iter().find(|w| {
        bytes
            .get(..w.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(w.as_bytes()))
    });
    if let Some(word) = item_words {
        let after = &text[word.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && digits <= 2 {
            let rest = after[digits..]
                .strip_prefix(['.', ':'])
                .unwrap_or(&after[digits..]);
            // "Agenda Item 3 – Review …": a dash may part number and title.
            let titled = rest.trim_start();
            let titled = titled
                .strip_prefix(['–', '—', '-'])
                .filter(|after_dash| after_dash.starts_with(' '))
                .map_or(titled, str::trim_start);
            if rest.starts_with(' ')
                && let Ok(n) = after[..digits].parse()
            {
                found.push((LabelKind::Item, n, titled));
            }
        }
        return found;
    }
    let head = bytes
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if head == 0 || head > 6 || bytes.get(head) != Some(&b'.') {
        return found;
    }
    let after = &text[head + 1..];
    let rest = if after.is_empty() {
        after
    } else if let Some(rest) = after.strip_prefix(' ') {
        rest.trim_start()
    } else {
        return found;
    };
    let label = &text[..head];
    if label.bytes().all(|b| b.is_ascii_digit()) {
        if head <= 4
            && let Ok(n) = label.parse()
        {
            found.push((LabelKind::Digit, n, rest));
        }
        return found;
    }
    if rest.is_empty() {
        return found;
    }
    if let Some(n) = roman_value(label) {
        found.push((LabelKind::Roman, n, rest));
    }
    if head == 1 && bytes[0].is_ascii_uppercase() {
        found.push((LabelKind::Letter, u32::from(bytes[0] - b'A') + 1, rest));
    }
    found
}

/// The value of a roman numeral up to 39 ("XXXIX"), written canonically.
fn roman_value(label: &str) -> Option<u32> {
    const TENS: [&str; 4] = ["", "X", "XX", "XXX"];
    const UNITS: [&str; 10] = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"];
    for (t, tens) in TENS.iter().enumerate().rev() {
        if let Some(rest) = label.strip_prefix(tens)
            && let Some(u) = UNITS.iter().position(|&u| u == rest)
        {
            let value = (t * 10 + u) as u32;
            return (value > 0).then_some(value);
        }
    }
    None
}

/// How a level's label is shown: the number of an agenda item ("4"), the
/// letter of a sub-item ("a").
fn label_text(kind: LabelKind, n: u32) -> String {
    match kind {
        LabelKind::Letter | LabelKind::Paren if n <= 26 => {
            char::from(b'a' + (n - 1) as u8).to_string()
        }
        _ => n.to_string(),
    }
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
        assert_eq!(
            segments.agenda[2].sub,
            Some(("a".to_string(), "Adoption".to_string()))
        );
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

    /// (label, agenda number, sub-item) of every unit.
    fn outline(text: &str) -> Vec<(String, Option<u32>, Option<String>)> {
        let segments = segment(&clean(text));
        segments
            .units
            .iter()
            .map(|u| {
                let heading = u.agenda.map(|i| &segments.agenda[i]);
                (
                    u.label.clone(),
                    heading.and_then(|h| h.number),
                    heading.and_then(|h| h.sub.as_ref().map(|(l, _)| l.clone())),
                )
            })
            .collect()
    }

    #[test]
    fn dashed_item_headings_and_a_titled_annex_of_blocks() {
        let text = "Report\n\n**Agenda Item 1 – Opening**\n\n1. Opened.\n\n\
            **Agenda Item 2 — Closure**\n\n2. Closed.\n\n## Annex: Action items\n\n\
            Action: Write the plan  \nDeadline: May 2020\n\n\
            Action: Send the plan  \nDeadline: June 2020\n";
        let got = outline(text);
        let labels: Vec<&str> = got.iter().map(|(l, ..)| l.as_str()).collect();
        assert_eq!(labels, ["1", "2", "annex.1", "annex.2"]);
        assert_eq!(got[1].1, Some(2));
        assert_eq!(got[2].1, None);
    }

    #[test]
    fn roman_items_lettered_sub_items_and_a_numbered_third_level() {
        let text = "Report\n\nI. Opening of the meeting\n\n1. The meeting opened.\n\n\
            II. Organizational matters\n\nA. Adoption of the agenda\n\n2. Adopted.\n\n\
            B. Reports of the areas\n\n1. Gold mining\n\n3. Ms. X reported.\n\n\
            2. Coal combustion\n\n4. Mr. Y reported.\n\nIII. Closure of the\nmeeting\n\n5. Closed.\n";
        let want = [
            ("1", Some(1), None),
            ("2", Some(2), Some("a")),
            ("3", Some(2), Some("b")),
            ("4", Some(2), Some("b")),
            ("5", Some(3), None),
        ];
        let got = outline(text);
        let got: Vec<(&str, Option<u32>, Option<&str>)> = got
            .iter()
            .map(|(l, n, s)| (l.as_str(), *n, s.as_deref()))
            .collect();
        assert_eq!(got, want);
        let segments = segment(&clean(text));
        assert_eq!(
            segments.agenda.last().unwrap().title,
            "Closure of the meeting"
        );
    }

    #[test]
    fn item_headings_and_a_bare_heading_before_them() {
        let text = "Title\n\n**Introduction**\n\n1. Background.\n\n**Item 1. Opening**\n\n2. Opened.\n\n\
            *(a) Thresholds*\n\n3. Discussed.\n";
        let got = outline(text);
        assert_eq!(got[0], ("1".to_string(), None, None));
        assert_eq!(got[1], ("2".to_string(), Some(1), None));
        assert_eq!(got[2], ("3".to_string(), Some(1), Some("a".to_string())));
    }

    #[test]
    fn annex_paragraphs_are_labelled_with_the_annex() {
        let text = "I. Closure\n\n1. Closed.\n\n2. Done.\n\nAnnex I\n\nRecommendations of the groups\n\n\
            1. First recommendation.\n\n2. Second one.\n";
        let got = outline(text);
        let labels: Vec<&str> = got.iter().map(|(l, ..)| l.as_str()).collect();
        assert_eq!(labels, ["1", "2", "annexI.1", "annexI.2"]);
        assert_eq!(got[2].1, None);
    }

    #[test]
    fn lead_ins_start_units_and_lists_stay_in_their_paragraph() {
        let text = "1. Item\n\n1. The groups reported as follows.\nOn financing: funds were short.\n\n\
            2. The meeting agreed:\n\n(a) To do one thing;\n\n(b) To do another.\n\n3. Next.\n";
        assert_eq!(labels(text), ["1", "1.1", "2", "3"]);
    }
}
