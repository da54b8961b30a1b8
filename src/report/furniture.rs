//! Page furniture: what a page carries besides the report's text. Running
//! headers and footers, page numbers and footnotes are removed from the
//! cleaned lines before segmentation, so that they never become units or
//! part of a paragraph cut by a page break.
//!
//! Pages are known from form feeds (pdftotext, PDF extraction); in text
//! converted from a PDF without them, page-number lines standing alone mark
//! where the pages broke.

use std::collections::{HashMap, HashSet};

use super::lines::Line;

/// The `start..end` line ranges of the pages, in order.
fn page_ranges(lines: &[Line]) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut start = 0;
    while start < lines.len() {
        let page = lines[start].page;
        let end = lines[start..]
            .iter()
            .position(|l| l.page != page)
            .map_or(lines.len(), |offset| start + offset);
        ranges.push((start, end));
        start = end;
    }
    ranges
}

/// Removes running headers/footers (a line repeated at the top or bottom of
/// most pages) and bare page numbers.
pub(crate) fn drop_running_heads(lines: &mut [Line], pages: u32) {
    // The first and last two non-blank lines of every page are candidates.
    let mut candidates: Vec<(usize, String)> = Vec::new();
    for (start, end) in page_ranges(lines) {
        let non_blank: Vec<usize> = (start..end).filter(|&i| !lines[i].is_blank()).collect();
        let mut picked: Vec<usize> = non_blank.iter().take(2).copied().collect();
        picked.extend(non_blank.iter().rev().take(2).copied());
        picked.sort_unstable();
        picked.dedup();
        for i in picked {
            candidates.push((i, head_key(&lines[i].text)));
        }
    }
    // A key seen on at least half of the pages after the first is a running head.
    let mut pages_with_key: HashMap<&str, HashSet<u32>> = HashMap::new();
    for (i, key) in &candidates {
        if lines[*i].page > 1 {
            pages_with_key
                .entry(key)
                .or_default()
                .insert(lines[*i].page);
        }
    }
    let threshold = ((pages - 1) as usize).div_ceil(2).max(2);
    let repeated: HashSet<String> = pages_with_key
        .into_iter()
        .filter(|(_, seen)| seen.len() >= threshold)
        .map(|(key, _)| key.to_string())
        .collect();
    for (i, key) in candidates {
        let line = &mut lines[i];
        let running_head = line.page > 1 && repeated.contains(&key);
        if running_head || is_page_number(&line.text) {
            line.text.clear();
        }
    }
}

/// Key under which running heads compare equal: digits masked, case folded.
pub(crate) fn head_key(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_digit() {
                '#'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// "7", "- 7 -", "Page 7", "Page 7 of 12", "vii".
pub(crate) fn is_page_number(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let core = lower
        .trim_matches(|c: char| c == '-' || c == '–' || c.is_whitespace())
        .trim_start_matches("page")
        .trim();
    let core = match core.split_once(" of ") {
        Some((n, total)) if total.trim().bytes().all(|b| b.is_ascii_digit()) => n.trim(),
        _ => core,
    };
    !core.is_empty()
        && core.len() <= 5
        && (core.bytes().all(|b| b.is_ascii_digit())
            || core.bytes().all(|b| matches!(b, b'i' | b'v' | b'x')))
}

/// In a text without form feeds, a page number alone between blank lines
/// ("3", "- 3 -", "Page 3"), in increasing order through the text, ends a
/// page: it is removed, and so is a running header beside it (the report's
/// symbol or a line of its title block). Returns the number of pages.
pub(crate) fn mark_page_breaks(lines: &mut [Line]) -> u32 {
    let title_block: HashSet<String> = lines
        .iter()
        .filter(|l| !l.is_blank())
        .take(12)
        .map(|l| head_key(&l.text))
        .collect();
    let stands_alone = |lines: &[Line], i: usize| {
        (i == 0 || lines[i - 1].is_blank()) && lines.get(i + 1).is_none_or(Line::is_blank)
    };
    let mut breaks = Vec::new();
    let mut last_number = 0u32;
    for i in 0..lines.len() {
        if lines[i].is_blank() || lines[i].text.len() > 16 || !stands_alone(lines, i) {
            continue;
        }
        let Some(number) = page_number_value(&lines[i].text) else {
            continue;
        };
        // Page numbers go up; a lone "3" after "5" is something else.
        if number <= last_number || number > last_number + 30 || i < 5 {
            continue;
        }
        last_number = number;
        breaks.push(i);
    }
    let mut page = 1;
    let mut next_break = breaks.iter().peekable();
    for i in 0..lines.len() {
        if next_break.peek() == Some(&&i) {
            next_break.next();
            lines[i].text.clear();
            page += 1;
            // A running header just below or above the page number.
            for neighbour in [next_non_blank(lines, i + 1), prev_non_blank(lines, i)]
                .into_iter()
                .flatten()
            {
                let text = &lines[neighbour].text;
                let furniture = is_symbol(text) || title_block.contains(&head_key(text));
                if furniture && stands_alone(lines, neighbour) && text.len() <= 80 {
                    lines[neighbour].text.clear();
                }
            }
        }
        lines[i].page = page;
    }
    page
}

fn next_non_blank(lines: &[Line], from: usize) -> Option<usize> {
    (from..lines.len().min(from + 3)).find(|&j| !lines[j].is_blank())
}

fn prev_non_blank(lines: &[Line], before: usize) -> Option<usize> {
    (before.saturating_sub(3)..before)
        .rev()
        .find(|&j| !lines[j].is_blank())
}

/// A document symbol: "UNEP/MC/COP.6/21", "UNEP(DTIE)/Hg/PAG.11/6".
fn is_symbol(text: &str) -> bool {
    text.contains('/')
        && !text.contains(' ')
        && text.chars().any(|c| c.is_ascii_uppercase())
        && text.chars().any(|c| c.is_ascii_digit())
}

/// The number of a bare page-number line ("7", "- 7 -", "Page 7", "Page 7 of 12").
fn page_number_value(text: &str) -> Option<u32> {
    if !is_page_number(text) {
        return None;
    }
    let digits: String = text
        .split(" of ")
        .next()?
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Removes footnotes from the bottom of pages and their markers from the
/// text. A footnote starts a line with its number ("2 UNEP/MC/COP.1/Dec.3.")
/// when the text above it on the page carries that number as a marker glued
/// to a word ("Convention.2", "secretariat2"); numbers run on through the
/// report. Everything from the first footnote to the page end is furniture.
pub(crate) fn drop_footnotes(lines: &mut [Line]) {
    let mut next_note = 1u32;
    for (start, end) in page_ranges(lines) {
        let mut zone_start = None;
        for i in start..end {
            let Some(number) = footnote_number(&lines[i].text) else {
                continue;
            };
            // The first note on a page continues the report's numbering
            // (or restarts it at 1); later ones follow it.
            let expected = number == next_note || (zone_start.is_none() && number == 1);
            if !expected {
                continue;
            }
            if zone_start.is_none() {
                let Some((line, at)) = find_marker(&lines[start..i], number) else {
                    continue;
                };
                strip_marker(&mut lines[start + line], at, number);
                zone_start = Some(i);
            } else if let Some((line, at)) =
                find_marker(&lines[start..zone_start.unwrap_or(i)], number)
            {
                strip_marker(&mut lines[start + line], at, number);
            }
            next_note = number + 1;
        }
        if let Some(zone) = zone_start {
            for line in &mut lines[zone..end] {
                line.text.clear();
            }
        }
    }
}

/// "2 UNEP/MC/COP.1/Dec.3." → 2: a footnote's first line.
fn footnote_number(text: &str) -> Option<u32> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 2 || text.as_bytes().get(digits) != Some(&b' ') {
        return None;
    }
    let rest = text[digits + 1..].trim_start();
    rest.chars().next().filter(|c| !c.is_lowercase())?;
    text[..digits].parse().ok()
}

/// The last marker of note `number` in `lines`: the number glued to the end
/// of a word or after its closing punctuation. Returns (line, byte offset).
fn find_marker(lines: &[Line], number: u32) -> Option<(usize, usize)> {
    let digits = number.to_string();
    for (index, line) in lines.iter().enumerate().rev() {
        let text = &line.text;
        let found = text.rmatch_indices(digits.as_str()).find(|&(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + digits.len()..].chars().next();
            let glued = before.is_some_and(|c| {
                c.is_alphabetic() && c.is_lowercase()
                    || matches!(c, '.' | ',' | ';' | ':' | ')' | '”' | '’' | '"')
            });
            let ends =
                after.is_none_or(|c| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '.' | ')'));
            // "PAG.11" and "COP.6/21" are symbols, not markers.
            let symbol = text[..at].ends_with('.')
                && text[..at].split(' ').next_back().is_some_and(|word| {
                    word.chars().filter(|c| c.is_ascii_uppercase()).count() >= 2
                });
            glued && ends && !symbol
        });
        if let Some((at, _)) = found {
            return Some((index, at));
        }
    }
    None
}

fn strip_marker(line: &mut Line, at: usize, number: u32) {
    let len = number.to_string().len();
    line.text.replace_range(at..at + len, "");
}
