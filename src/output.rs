//! The `output` stage: prints parsed reports for people (a readable listing)
//! or for scripts (JSON Lines). Printing is kept apart from parsing: these
//! functions only read a [`Report`].
//!
//! The JSON Lines schema of `pagsearch paragraphs --json` is a contract; see
//! [`Paragraph`] and the README.

use std::io::{self, Write};

use serde::Serialize;

use crate::report::{Acronym, Paragraph, Person, Report, ReportMeta};

/// The document-level record of `paragraphs --meta`.
#[derive(Debug, Serialize)]
pub struct ReportRecord<'a> {
    pub source: &'a str,
    #[serde(flatten)]
    pub meta: &'a ReportMeta,
    pub pages: Option<u32>,
    pub units: usize,
    pub people: &'a [Person],
    pub acronyms: &'a [Acronym],
    pub warnings: Vec<String>,
}

/// Writes every unit as one JSON object per line.
pub fn write_units_json(out: &mut impl Write, report: &Report) -> io::Result<()> {
    for unit in &report.units {
        serde_json::to_writer(&mut *out, &Paragraph::new(report, unit))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Writes the document metadata, people and acronyms as one JSON object.
pub fn write_meta_json(out: &mut impl Write, report: &Report) -> io::Result<()> {
    let record = ReportRecord {
        source: &report.source,
        meta: &report.meta,
        pages: report.pages,
        units: report.units.len(),
        people: &report.people,
        acronyms: &report.acronyms,
        warnings: report.warnings.iter().map(ToString::to_string).collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &record)?;
    out.write_all(b"\n")
}

/// Writes a readable listing: a document header, then each unit with its
/// agenda item, speakers, mentions and areas above its wrapped text.
pub fn write_units_text(out: &mut impl Write, report: &Report, width: usize) -> io::Result<()> {
    let meta = &report.meta;
    writeln!(out, "{}  {}", meta.id, meta.title.as_deref().unwrap_or(""))?;
    let details: Vec<String> = [
        meta.symbol.clone(),
        meta.meeting_name.clone(),
        meta.venue.clone(),
        meta.meeting_date.clone(),
        Some(format!("{} paragraphs", report.units.len())),
    ]
    .into_iter()
    .flatten()
    .collect();
    writeln!(out, "{}", details.join(" · "))?;
    let mut current_item = None;
    for unit in &report.units {
        writeln!(out)?;
        if unit.agenda.as_ref() != current_item {
            current_item = unit.agenda.as_ref();
            if let Some(item) = current_item {
                let number = item
                    .number
                    .as_deref()
                    .map_or(String::new(), |n| format!("{n}. "));
                write!(out, "== {number}{}", item.title)?;
                if let (Some(letter), Some(title)) = (&item.sub_item, &item.sub_title) {
                    write!(out, " / ({letter}) {title}")?;
                }
                writeln!(out, "\n")?;
            }
        }
        write!(out, "{} ¶{}", meta.id, unit.label)?;
        if let Some(page) = unit.page {
            match unit.page_end {
                Some(end) if end != page => write!(out, "  p.{page}-{end}")?,
                _ => write!(out, "  p.{page}")?,
            }
        }
        writeln!(out)?;
        let speakers: Vec<String> = unit
            .speakers
            .iter()
            .map(|&i| {
                let person = &report.people[i];
                match &person.organisation {
                    Some(org) => format!("{} ({org})", person.name),
                    None => person.name.clone(),
                }
            })
            .chain(
                unit.participant
                    .then(|| "an unnamed participant".to_string()),
            )
            .collect();
        if !speakers.is_empty() {
            writeln!(out, "  speakers: {}", speakers.join(", "))?;
        }
        let mentions = report.mention_names(unit);
        if !mentions.is_empty() {
            writeln!(out, "  mentions: {}", mentions.join(", "))?;
        }
        if !unit.areas.is_empty() {
            writeln!(out, "  areas: {}", unit.areas.join(", "))?;
        }
        for line in wrap(&unit.text, width.saturating_sub(4).max(20)) {
            writeln!(out, "    {line}")?;
        }
    }
    Ok(())
}

/// Greedy word wrap at `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_chars = 0;
    for word in text.split_whitespace() {
        let word_chars = word.chars().count();
        if line_chars > 0 && line_chars + 1 + word_chars > width {
            lines.push(std::mem::take(&mut line));
            line_chars = 0;
        }
        if line_chars > 0 {
            line.push(' ');
            line_chars += 1;
        }
        line.push_str(word);
        line_chars += word_chars;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_width() {
        assert_eq!(wrap("aa bb cc dd", 5), ["aa bb", "cc dd"]);
        assert_eq!(wrap("", 5), Vec::<String>::new());
    }
}
