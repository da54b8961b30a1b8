//! The `report` stage: one report file in, paragraph units with their tags
//! out. A [`Report`] holds the document metadata, every paragraph unit with
//! its agenda item, speakers, mentions and partnership areas, the people and
//! acronyms of the document, and warnings about anything odd in the input.
//!
//! Parsing never fails on content: empty, binary, mis-encoded or unnumbered
//! texts give a report with warnings (and as many units as could be found).
//!
//! ```
//! use pagsearch::report::{self, Taxonomy};
//!
//! let text = "1. Opening of the meeting\n\n1. Ms. Bailey opened the meeting.\n";
//! let report = report::parse("notes.md", text.as_bytes(), &Taxonomy::builtin());
//! assert_eq!(report.units[0].label, "1");
//! assert_eq!(report.speaker_names(&report.units[0]), ["Bailey"]);
//! ```

mod acronyms;
mod areas;
mod decode;
mod furniture;
mod lines;
mod meta;
mod paragraph;
mod pdf;
mod people;
mod segment;

use std::borrow::Cow;
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

pub use acronyms::Acronym;
pub use areas::{Area, Taxonomy};
pub use meta::ReportMeta;
pub use paragraph::Paragraph;

use crate::error::{Error, Result};

/// A person named in a report, with one identity for all forms of the name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// Fullest form of the name seen, without honorific: "Ana Garcia Gonzales".
    pub name: String,
    /// Honorific as written ("Ms."), when the report gives one.
    pub title: Option<String>,
    /// Affiliation, from parentheses after the name or "from …".
    pub organisation: Option<String>,
}

/// The agenda item a unit falls under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgendaItem {
    /// Item number as written ("3"); `None` for unnumbered headings.
    pub number: Option<String>,
    /// Item title: "Review of the overall progress, …".
    pub title: String,
    /// Sub-item letter ("a") and title ("Adoption of the agenda").
    pub sub_item: Option<String>,
    /// Title of the sub-item.
    pub sub_title: Option<String>,
}

/// One paragraph unit: a numbered paragraph, or an unnumbered paragraph
/// labelled after the numbered one it follows ("115.1").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Paragraph label: "14", "115.2", "5bis" for a repeated number.
    pub label: String,
    /// The agenda item in force, if the report has headings.
    pub agenda: Option<AgendaItem>,
    /// People who speak in the unit: indices into [`Report::people`].
    pub speakers: Vec<usize>,
    /// People named but not speaking: indices into [`Report::people`].
    pub mentions: Vec<usize>,
    /// True when an unnamed participant speaks ("A participant asked …").
    pub participant: bool,
    /// Parties and observer organisations whose representatives speak in the
    /// unit ("the representative of Canada said" → "Canada").
    pub delegations: Vec<String>,
    /// Groups a delegation speaks for ("speaking on behalf of the African
    /// States" → "African States").
    pub on_behalf_of: Vec<String>,
    /// Organisations of the speakers and of unnamed participants.
    pub orgs: Vec<String>,
    /// Keys of the partnership areas, in taxonomy order.
    pub areas: Vec<String>,
    /// First and last page, when the source marks pages (form feeds).
    pub page: Option<u32>,
    /// Last page (see `page`).
    pub page_end: Option<u32>,
    /// Source line where the unit starts.
    pub line: usize,
    /// Full text, whitespace normalised, page breaks and hyphenation mended.
    pub text: String,
}

/// Something odd about the input, reported but never fatal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// The file (as given to [`parse`]).
    pub file: String,
    /// 1-based source line, when the problem has one.
    pub line: Option<usize>,
    /// What is odd.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// A parsed report.
#[derive(Debug, Clone)]
pub struct Report {
    /// Where the report came from (a path, or a name given by the caller).
    pub source: String,
    /// What the title block says.
    pub meta: ReportMeta,
    /// Paragraph units in document order.
    pub units: Vec<Unit>,
    /// Everyone named, in order of first appearance; units refer to them by index.
    pub people: Vec<Person>,
    /// Acronyms the report defines, for query expansion.
    pub acronyms: Vec<Acronym>,
    /// The number of pages, when the source marks pages.
    pub pages: Option<u32>,
    /// Everything odd about the input.
    pub warnings: Vec<Warning>,
}

impl Report {
    /// Display names of a unit's speakers.
    pub fn speaker_names(&self, unit: &Unit) -> Vec<&str> {
        unit.speakers
            .iter()
            .map(|&i| self.people[i].name.as_str())
            .collect()
    }

    /// Display names of the people a unit names without their speaking.
    pub fn mention_names(&self, unit: &Unit) -> Vec<&str> {
        unit.mentions
            .iter()
            .map(|&i| self.people[i].name.as_str())
            .collect()
    }

    /// The unit with `label`, if any.
    pub fn unit(&self, label: &str) -> Option<&Unit> {
        self.units.iter().find(|u| u.label == label)
    }
}

/// Reads and parses one report file.
pub fn parse_file(path: &Path, taxonomy: &Taxonomy) -> Result<Report> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(parse_owned(&path.display().to_string(), bytes, taxonomy))
}

/// Parses report bytes. `source` names the report in warnings and gives the
/// fallback document id (its file stem).
pub fn parse(source: &str, bytes: &[u8], taxonomy: &Taxonomy) -> Report {
    parse_bytes(source, Cow::Borrowed(bytes), taxonomy)
}

/// [`parse`] of bytes handed over: the same report, with the bytes (and
/// the text decoded from them) freed as soon as the lines are cleaned, so
/// that a large report is not held as bytes, lines and paragraphs at once.
pub fn parse_owned(source: &str, bytes: Vec<u8>, taxonomy: &Taxonomy) -> Report {
    parse_bytes(source, Cow::Owned(bytes), taxonomy)
}

/// What the text passes through, each stage dropped once the next has
/// what it needs: bytes, decoded text, cleaned lines, raw units, units.
fn parse_bytes(source: &str, bytes: Cow<'_, [u8]>, taxonomy: &Taxonomy) -> Report {
    let mut warnings = Vec::new();
    let warn = |warnings: &mut Vec<Warning>, line: Option<usize>, message: String| {
        warnings.push(Warning {
            file: source.to_string(),
            line,
            message,
        })
    };
    let stem = Path::new(source)
        .file_stem()
        .map_or_else(|| source.to_string(), |s| s.to_string_lossy().into_owned());

    // A PDF's pages, else the bytes decoded as text.
    let from_pdf = pdf::is_pdf(&bytes);
    let (text, unreadable) = if from_pdf {
        let extracted = pdf::extract(&bytes);
        for note in extracted.notes {
            warn(&mut warnings, None, note);
        }
        (Cow::Owned(extracted.text), extracted.unreadable)
    } else {
        let decoded = decode::decode(&bytes);
        if let Some(note) = decoded.note {
            warn(&mut warnings, None, note);
        }
        (decoded.text, decoded.binary)
    };
    let empty = bytes.is_empty();
    if empty {
        warn(&mut warnings, None, "empty file".to_string());
    }
    let clean = lines::clean(&text);
    drop(text);
    drop(bytes);
    let segments = segment::segment(&clean);
    for (line, message) in &segments.warnings {
        warn(&mut warnings, Some(*line), message.clone());
    }
    if segments.units.is_empty() && !empty && !unreadable {
        warn(&mut warnings, None, "no paragraphs found".to_string());
    }

    let header_lines: Vec<&str> = clean.lines[..segments.header_end]
        .iter()
        .chain(if segments.numbered {
            &[][..]
        } else {
            &clean.lines[..clean.lines.len().min(15)]
        })
        .filter(|l| !l.is_blank())
        .map(|l| l.text.as_str())
        .collect();
    let meta = meta::read(&header_lines, &stem);
    // The units hold the text from here on.
    let pages = clean.pages;
    drop(clean);

    let found = people::find(&segments.units);
    let people: Vec<Person> = found
        .persons
        .iter()
        .map(|p| Person {
            name: p.display_name(),
            title: p.title.clone(),
            organisation: p.org.clone(),
        })
        .collect();

    // Pages count when the source has them: a PDF, or text with page breaks.
    let multi_page = pages > 1 || from_pdf;
    let mut area_tagger = areas::AreaTagger::new(taxonomy);
    let mut acronyms = Vec::new();
    let units = segments
        .units
        .into_iter()
        .zip(found.units)
        .map(|(raw, unit_people)| {
            let heading = raw.agenda.map(|i| &segments.agenda[i]);
            let item = heading.map(|h| {
                (
                    h.number,
                    h.title.as_str(),
                    h.sub.as_ref().map(|(_, title)| title.as_str()),
                )
            });
            let areas = area_tagger
                .tag(&raw.text, item)
                .into_iter()
                .map(|i| taxonomy.areas()[i].key.clone())
                .collect();
            acronyms::collect(&raw.text, &mut acronyms);
            let mut orgs: Vec<String> = Vec::new();
            let speaker_orgs = unit_people
                .speakers
                .iter()
                .filter_map(|&i| people[i].organisation.clone());
            for org in speaker_orgs.chain(unit_people.participant_orgs) {
                if !orgs.contains(&org) {
                    orgs.push(org);
                }
            }
            Unit {
                label: raw.label,
                agenda: heading.map(|h| AgendaItem {
                    number: h.number.map(|n| n.to_string()),
                    title: h.title.clone(),
                    sub_item: h.sub.as_ref().map(|(label, _)| label.clone()),
                    sub_title: h.sub.as_ref().map(|(_, title)| title.clone()),
                }),
                speakers: unit_people.speakers,
                mentions: unit_people.mentions,
                participant: unit_people.participant,
                delegations: unit_people.delegations,
                on_behalf_of: unit_people.on_behalf_of,
                orgs,
                areas,
                page: multi_page.then_some(raw.first_page),
                page_end: multi_page.then_some(raw.last_page),
                line: raw.line_no,
                text: raw.text,
            }
        })
        .collect();

    Report {
        source: source.to_string(),
        meta,
        units,
        people,
        acronyms,
        pages: multi_page.then_some(pages),
        warnings,
    }
}
