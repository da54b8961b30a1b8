//! The `output` stage: prints parsed reports, search results, paragraphs and
//! facet lists for people (a readable listing) or for scripts (JSON). Printing
//! is kept apart from parsing and searching: these functions only read what
//! those stages return.
//!
//! The JSON of `pagsearch … --json` is a contract; see [`Paragraph`] and the
//! README. The HTTP API (`pagsearch serve`) answers with the values built
//! here ([`search_json`], [`overview_json`], [`error_json`]; a paragraph
//! in context is [`InContext`](crate::query::InContext) as it serializes), so that the API and the command line cannot drift apart.

use std::io::{self, Write};

use serde::Serialize;

use crate::error::Error;
use crate::query::{FacetCounts, Group, Hit, Overview, SearchResults};
use crate::report::{Acronym, Paragraph, Person, Report, ReportMeta};

/// The document-level record of `paragraphs --meta`.
#[derive(Debug, Serialize)]
pub struct ReportRecord<'a> {
    /// Where the report came from.
    pub source: &'a str,
    /// Title-block metadata, flattened into the object.
    #[serde(flatten)]
    pub meta: &'a ReportMeta,
    /// Number of pages, when the source marks pages.
    pub pages: Option<u32>,
    /// Number of paragraph units.
    pub units: usize,
    /// Everyone named, in order of first appearance.
    pub people: &'a [Person],
    /// Acronyms the report defines.
    pub acronyms: &'a [Acronym],
    /// Warnings about the input, as printed.
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
/// agenda item, speakers, delegations, mentions and areas above its wrapped
/// text.
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
        if let Some(delegations) = delegations_text(&unit.delegations, &unit.on_behalf_of) {
            writeln!(out, "  delegations: {delegations}")?;
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

    #[test]
    fn a_hit_header_names_the_delegations_after_the_speakers() {
        let paragraph = Paragraph {
            doc: "INC.5/7".into(),
            para: "12".into(),
            speakers: vec!["Susan Keane".into()],
            delegations: vec!["Nigeria".into(), "Canada".into()],
            on_behalf_of: vec!["African States".into()],
            areas: vec!["asgm".into()],
            ..Paragraph::default()
        };
        assert_eq!(
            hit_header(&paragraph, Style { color: false }),
            "INC.5/7 ¶12 · Susan Keane · Nigeria, Canada on behalf of African States · asgm"
        );
        let bare = Paragraph {
            delegations: Vec::new(),
            on_behalf_of: Vec::new(),
            ..paragraph.clone()
        };
        assert_eq!(
            hit_header(&bare, Style { color: false }),
            "INC.5/7 ¶12 · Susan Keane · asgm"
        );
        assert_eq!(
            delegations_text(&["Canada".into()], &[]).as_deref(),
            Some("Canada")
        );
        assert_eq!(delegations_text(&[], &[]), None);
    }

    #[test]
    fn facet_counts_name_delegations_only_when_there_are_some() {
        let mut facets = crate::query::FacetCounts {
            area: vec![("asgm".into(), 2)],
            speaker: vec![("Susan Keane".into(), 1)],
            agenda: vec![("3".into(), 2)],
            delegation: Vec::new(),
            doc: vec![("PAG.8/7".into(), 2)],
        };
        let text = |facets: &crate::query::FacetCounts| {
            let mut out = Vec::new();
            write_facet_counts_text(&mut out, facets).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(
            text(&facets),
            "areas:    asgm 2\nspeakers: Susan Keane 1\nagenda:   3 2\n"
        );
        facets.delegation = vec![("Canada".into(), 2), ("Nigeria".into(), 1)];
        assert!(text(&facets).ends_with("agenda:   3 2\ndelegations: Canada 2 · Nigeria 1\n"));
        // Reports are listed when there are several.
        facets.doc.push(("PAG.9/6".into(), 1));
        assert!(text(&facets).ends_with("\nreports:  PAG.8/7 2 · PAG.9/6 1\n"));
    }
}

// ---------------------------------------------------------------------------
// Search results

/// ANSI styles, or none.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Use ANSI colours and bold.
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// The delegations that speak and the groups they speak for: "Canada,
/// Nigeria on behalf of African States"; `None` when there are none.
fn delegations_text(delegations: &[String], on_behalf_of: &[String]) -> Option<String> {
    let mut text = delegations.join(", ");
    if !on_behalf_of.is_empty() {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str("on behalf of ");
        text.push_str(&on_behalf_of.join(", "));
    }
    (!text.is_empty()).then_some(text)
}

/// "PAG.8/7 ¶40 p.6 · 3. Review of the overall … · Susan Keane · asgm", with
/// the delegations after the speakers ("Nigeria on behalf of African States").
fn hit_header(paragraph: &Paragraph, style: Style) -> String {
    let mut parts = vec![style.paint("1", &format!("{} ¶{}", paragraph.doc, paragraph.para))];
    if let Some(page) = paragraph.page {
        match paragraph.page_end {
            Some(end) if end != page => parts[0].push_str(&format!(" p.{page}-{end}")),
            _ => parts[0].push_str(&format!(" p.{page}")),
        }
    }
    if let Some(title) = &paragraph.agenda_title {
        let number = paragraph
            .agenda_item
            .as_deref()
            .map_or(String::new(), |n| format!("{n}. "));
        parts.push(format!("{number}{}", shorten(title, 48)));
    }
    let mut speakers = paragraph.speakers.clone();
    if paragraph.participant {
        speakers.push("a participant".to_string());
    }
    if !speakers.is_empty() {
        parts.push(style.paint("36", &speakers.join(", ")));
    }
    if let Some(delegations) = delegations_text(&paragraph.delegations, &paragraph.on_behalf_of) {
        parts.push(style.paint("36", &delegations));
    }
    if !paragraph.areas.is_empty() {
        parts.push(style.paint("32", &paragraph.areas.join(", ")));
    }
    parts.join(" · ")
}

fn shorten(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
        None => text.to_string(),
    }
}

/// The snippet with its matched words highlighted (or `[…]`-free plain text).
fn snippet_text(snippet: &crate::query::Snippet, style: Style) -> String {
    let mut out = String::with_capacity(snippet.text.len() + 16);
    let mut from = 0;
    for &(start, end) in &snippet.highlights {
        if start < from || end > snippet.text.len() {
            continue;
        }
        out.push_str(&snippet.text[from..start]);
        out.push_str(&style.paint("1;33", &snippet.text[start..end]));
        from = end;
    }
    out.push_str(&snippet.text[from..]);
    out
}

/// Writes hits for people: a header line and a wrapped snippet per hit, then
/// the facet counts if asked for, then a one-line summary.
pub fn write_hits_text(
    out: &mut impl Write,
    results: &crate::query::SearchResults,
    style: Style,
    width: usize,
) -> io::Result<()> {
    if !results.corrections.is_empty() {
        let list = |pick: fn(&crate::query::Correction) -> &str| {
            results
                .corrections
                .iter()
                .map(|c| format!("\"{}\"", pick(c)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        writeln!(
            out,
            "showing results for {} (typed {}; --as-typed or quotes search it as typed)\n",
            style.paint("1", &list(|c| &c.searched)),
            list(|c| &c.typed)
        )?;
    }
    for (i, hit) in results.hits.iter().enumerate() {
        if let Some(group) = results.groups.get(i) {
            writeln!(out, "{}", group_header(group, style))?;
        }
        let rank = if results.document_order {
            String::new()
        } else {
            format!("{:>2}. ", hit.rank)
        };
        writeln!(out, "{rank}{}", hit_header(&hit.paragraph, style))?;
        // Wrap the plain snippet, then paint the highlights line by line.
        let plain = &hit.snippet;
        let mut offset = 0;
        for line in wrap(&plain.text, width.saturating_sub(6).max(20)) {
            let start = plain.text[offset..]
                .find(&line)
                .map_or(offset, |i| offset + i);
            let end = start + line.len();
            let highlights = plain
                .highlights
                .iter()
                .filter(|(s, e)| *s >= start && *e <= end)
                .map(|(s, e)| (s - start, e - start))
                .collect();
            let piece = crate::query::Snippet {
                text: line,
                highlights,
            };
            writeln!(out, "      {}", snippet_text(&piece, style))?;
            offset = end;
        }
        writeln!(out)?;
    }
    if let Some(facets) = &results.facets {
        write_facet_counts_text(out, facets)?;
        writeln!(out)?;
    }
    let shown = results.hits.len();
    let noun = if results.total == 1 {
        "paragraph"
    } else {
        "paragraphs"
    };
    if let Some(group) = results.groups.first() {
        let groups = if results.group_total == 1 {
            "group"
        } else {
            "groups"
        };
        let by = group.by.name();
        if shown < results.group_total {
            write!(out, "{shown} of {} {groups} by {by}", results.group_total)?;
        } else {
            write!(out, "{shown} {groups} by {by}")?;
        }
        writeln!(out, "; {} matching {noun}", results.total)?;
    } else if shown < results.total {
        writeln!(out, "{shown} of {} matching {noun}", results.total)?;
    } else {
        writeln!(out, "{} matching {noun}", results.total)?;
    }
    for (typed, added) in &results.expansions {
        writeln!(out, "(also searched: {added} for {typed})")?;
    }
    Ok(())
}

/// "speaker Susan Keane · 7 matching paragraphs": what a group of hits
/// shows before its best hit.
fn group_header(group: &crate::query::Group, style: Style) -> String {
    let noun = if group.count == 1 {
        "paragraph"
    } else {
        "paragraphs"
    };
    format!(
        "{} {} · {} matching {noun}",
        group.by.name(),
        style.paint("1;35", &group.key),
        group.count
    )
}

/// Writes facet counts as three lines, and a fourth of delegations when
/// any speaks.
pub fn write_facet_counts_text(
    out: &mut impl Write,
    facets: &crate::query::FacetCounts,
) -> io::Result<()> {
    let line = |counts: &[(String, u64)]| {
        counts
            .iter()
            .map(|(name, count)| format!("{name} {count}"))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    writeln!(out, "areas:    {}", line(&facets.area))?;
    writeln!(out, "speakers: {}", line(&facets.speaker))?;
    writeln!(out, "agenda:   {}", line(&facets.agenda))?;
    if !facets.delegation.is_empty() {
        writeln!(out, "delegations: {}", line(&facets.delegation))?;
    }
    // One report: the line would only repeat the total.
    if facets.doc.len() > 1 {
        writeln!(out, "reports:  {}", line(&facets.doc))?;
    }
    Ok(())
}

/// Which parts of an [`Overview`] to print: `area`, `speaker`, `agenda`,
/// `doc`, `delegation`, or all of them.
fn wanted(part: Option<&str>, name: &str) -> bool {
    part.is_none_or(|p| p == name)
}

/// An [`Overview`] (or only its `part`) as one JSON object: what
/// `pagsearch facets --json` prints.
pub fn overview_json(overview: &Overview, part: Option<&str>) -> serde_json::Value {
    let mut object = serde_json::Map::new();
    let mut add = |name: &str, value: serde_json::Value| {
        if wanted(part, name) {
            object.insert(name.to_string(), value);
        }
    };
    add("area", serde_json::json!(overview.area));
    add("speaker", serde_json::json!(overview.speaker));
    add("agenda", serde_json::json!(overview.agenda));
    add("doc", serde_json::json!(overview.doc));
    add("delegation", serde_json::json!(overview.delegation));
    serde_json::Value::Object(object)
}

/// Writes an [`Overview`] (or only its `part`) as one JSON object.
pub fn write_overview_json(
    out: &mut impl Write,
    overview: &Overview,
    part: Option<&str>,
) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &overview_json(overview, part))?;
    writeln!(out)
}

/// Writes an [`Overview`] (or only its `part`) as aligned columns.
pub fn write_overview_text(
    out: &mut impl Write,
    overview: &Overview,
    part: Option<&str>,
) -> io::Result<()> {
    if wanted(part, "area") {
        writeln!(out, "Areas")?;
        for area in &overview.area {
            writeln!(
                out,
                "  {:<16} {:>5}  {}",
                area.key, area.paragraphs, area.name
            )?;
        }
    }
    if wanted(part, "speaker") {
        writeln!(out, "Speakers")?;
        for speaker in &overview.speaker {
            let org = speaker
                .organisation
                .as_ref()
                .map_or(String::new(), |o| format!("  ({o})"));
            writeln!(out, "  {:<28} {:>5}{org}", speaker.name, speaker.paragraphs)?;
        }
    }
    // Reports without delegations (most partnership meetings) skip the
    // heading unless it is asked for.
    if wanted(part, "delegation") && (part.is_some() || !overview.delegation.is_empty()) {
        writeln!(out, "Delegations")?;
        for delegation in &overview.delegation {
            writeln!(
                out,
                "  {:<28} {:>5}",
                delegation.name, delegation.paragraphs
            )?;
        }
    }
    if wanted(part, "agenda") {
        writeln!(out, "Agenda items")?;
        for item in &overview.agenda {
            writeln!(out, "  {:<6} {:>5}", item.item, item.paragraphs)?;
        }
    }
    if wanted(part, "doc") {
        writeln!(out, "Documents")?;
        for doc in &overview.doc {
            writeln!(
                out,
                "  {:<16} {:>5}  {}",
                doc.doc,
                doc.paragraphs,
                doc.path.display()
            )?;
        }
    }
    Ok(())
}

/// One hit as a line of `pagsearch search --json` holds it: the hit's
/// fields, after its group (`"group": {"by", "key", "count"}`) when the
/// search was grouped.
#[derive(Debug, Serialize)]
pub struct HitRecord<'a> {
    /// The group whose best paragraph this hit is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<&'a Group>,
    /// The hit, flattened into the object.
    #[serde(flatten)]
    pub hit: &'a Hit,
}

/// The hits of `results` in rank order, as JSON records.
pub fn hit_records(results: &SearchResults) -> impl Iterator<Item = HitRecord<'_>> {
    results.hits.iter().enumerate().map(|(i, hit)| HitRecord {
        group: results.groups.get(i),
        hit,
    })
}

/// Facet counts as one JSON object: `{"area": {"asgm": 12, …}, "speaker":
/// {…}, "agenda": {…}, "delegation": {…}}`, each in the library's order.
pub fn facets_json(facets: &FacetCounts) -> serde_json::Value {
    let to_map = |counts: &[(String, u64)]| {
        counts
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::from(*v)))
            .collect::<serde_json::Map<_, _>>()
    };
    serde_json::json!({
        "area": to_map(&facets.area),
        "speaker": to_map(&facets.speaker),
        "agenda": to_map(&facets.agenda),
        "delegation": to_map(&facets.delegation),
        "doc": to_map(&facets.doc),
    })
}

/// The whole answer to a search as one JSON object (the HTTP API's
/// `/api/search`): `{"query", "total", "offset", "document_order", "hits",
/// "facets", "expansions", "corrections"}`, each hit exactly a line of
/// `search --json`; `"groups"` (the number of groups) when grouped;
/// `"facets"` is `null` unless asked for.
#[derive(Debug, Serialize)]
pub struct SearchAnswer<'a> {
    /// The query as given.
    pub query: &'a str,
    /// Matching paragraphs, all of them.
    pub total: usize,
    /// Hits (or groups) skipped before the first one here.
    pub offset: usize,
    /// True when the query had filters only: hits in document order.
    pub document_order: bool,
    /// The hits, in rank order.
    pub hits: Vec<HitRecord<'a>>,
    /// Counts over all matches ([`facets_json`]), when asked for.
    pub facets: Option<serde_json::Value>,
    /// Acronyms and synonyms searched besides the words typed.
    pub expansions: Vec<Expansion<'a>>,
    /// Words searched as another.
    pub corrections: &'a [crate::query::Correction],
    /// The number of groups, when grouped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<usize>,
}

/// A word sequence searched besides one typed.
#[derive(Debug, Serialize)]
pub struct Expansion<'a> {
    /// As typed.
    pub typed: &'a str,
    /// Searched too.
    pub added: &'a str,
}

/// The answer to a search of `query` whose first `offset` hits were skipped.
pub fn search_json<'a>(
    query: &'a str,
    offset: usize,
    results: &'a SearchResults,
) -> SearchAnswer<'a> {
    SearchAnswer {
        query,
        total: results.total,
        offset,
        document_order: results.document_order,
        hits: hit_records(results).collect(),
        facets: results.facets.as_ref().map(facets_json),
        expansions: results
            .expansions
            .iter()
            .map(|(typed, added)| Expansion { typed, added })
            .collect(),
        corrections: &results.corrections,
        groups: (!results.groups.is_empty() || results.group_total > 0)
            .then_some(results.group_total),
    }
}

/// An error as one JSON object (the HTTP API's errors): `{"error": {"kind",
/// "message"}}`, with the byte range (`start`, `end`) and the caret
/// `pointer` of a query error; the message is the command line's.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ErrorAnswer {
    /// The error.
    pub error: ErrorBody,
}

/// What [`ErrorAnswer`] holds.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ErrorBody {
    /// `query`, `not_found`, `no_index`, `damaged_index`, `bad_request` or
    /// `internal`.
    pub kind: &'static str,
    /// What went wrong, for people.
    pub message: String,
    /// Start of the part of the query at fault (bytes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<usize>,
    /// End of the part of the query at fault (bytes, exclusive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<usize>,
    /// The query and a caret line under the part at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

impl ErrorAnswer {
    /// An error of `kind` without a position.
    pub fn new(kind: &'static str, message: impl Into<String>) -> ErrorAnswer {
        ErrorAnswer {
            error: ErrorBody {
                kind,
                message: message.into(),
                start: None,
                end: None,
                pointer: None,
            },
        }
    }
}

/// A library error as an [`ErrorAnswer`].
pub fn error_json(error: &Error) -> ErrorAnswer {
    let kind = match error {
        Error::Query { .. } => "query",
        Error::NotFound { .. } => "not_found",
        Error::NoIndex { .. } | Error::EmptyIndex { .. } => "no_index",
        Error::DamagedIndex { .. } => "damaged_index",
        _ => "internal",
    };
    let mut answer = ErrorAnswer::new(kind, error.to_string());
    if let Error::Query {
        start,
        end,
        pointer,
        ..
    } = error
    {
        answer.error.start = Some(*start);
        answer.error.end = Some(*end);
        answer.error.pointer = Some(pointer.clone());
    }
    answer
}

/// Writes hits as JSON Lines in rank order (grouped, each with its
/// `"group": {"by", "key", "count"}` first), then `{"corrections": …}` when
/// a word was searched as another, then `{"facets": …}` if asked for.
pub fn write_hits_json(out: &mut impl Write, results: &SearchResults) -> io::Result<()> {
    for record in hit_records(results) {
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")?;
    }
    if !results.corrections.is_empty() {
        let line = serde_json::json!({ "corrections": results.corrections });
        serde_json::to_writer(&mut *out, &line)?;
        out.write_all(b"\n")?;
    }
    if let Some(facets) = &results.facets {
        let line = serde_json::json!({ "facets": facets_json(facets), "total": results.total });
        serde_json::to_writer(&mut *out, &line)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Writes paragraphs of `pagsearch show`: each in full, the asked-for one marked.
pub fn write_paragraphs_text(
    out: &mut impl Write,
    paragraphs: &[Paragraph],
    focus: usize,
    style: Style,
    width: usize,
) -> io::Result<()> {
    for (i, paragraph) in paragraphs.iter().enumerate() {
        let marker = if i == focus { "▶ " } else { "  " };
        writeln!(out, "{marker}{}", hit_header(paragraph, style))?;
        for line in wrap(&paragraph.text, width.saturating_sub(6).max(20)) {
            writeln!(out, "      {line}")?;
        }
        writeln!(out)?;
    }
    Ok(())
}
