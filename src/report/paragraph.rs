//! [`Paragraph`]: a unit flattened with its document's fields and people's
//! names — the record `paragraphs --json` prints, the index stores and search
//! hits carry.

use serde::{Deserialize, Serialize};

use super::{Report, Unit};

/// A paragraph unit with everything needed to show it on its own. Fields
/// missing from a JSON record read as empty (`null`, `[]`, `false`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Paragraph {
    /// Document id: the short symbol ("PAG.8/7") or the file stem.
    pub doc: String,
    /// Full document symbol, when known.
    pub symbol: Option<String>,
    /// Paragraph label: "14", "115.1".
    pub para: String,
    /// First and last page, when the source marks pages.
    pub page: Option<u32>,
    /// Last page (see `page`).
    pub page_end: Option<u32>,
    /// Agenda item number ("3") and title.
    pub agenda_item: Option<String>,
    /// Agenda item title.
    pub agenda_title: Option<String>,
    /// Agenda sub-item letter ("a") and title.
    pub agenda_sub_item: Option<String>,
    /// Agenda sub-item title.
    pub agenda_sub_title: Option<String>,
    /// Display names of the people who speak.
    pub speakers: Vec<String>,
    /// Display names of people named but not speaking.
    pub mentions: Vec<String>,
    /// Organisations of the speakers (and of unnamed participants who speak).
    pub orgs: Vec<String>,
    /// True when an unnamed participant speaks.
    pub participant: bool,
    /// Parties and observer organisations whose representatives speak.
    pub delegations: Vec<String>,
    /// Groups those delegations speak for ("African States").
    pub on_behalf_of: Vec<String>,
    /// Partnership area keys.
    pub areas: Vec<String>,
    /// Source line where the paragraph starts.
    pub line: usize,
    /// The whole paragraph, whitespace normalised.
    pub text: String,
}

impl Paragraph {
    /// The record of `unit` of `report`.
    pub fn new(report: &Report, unit: &Unit) -> Self {
        let agenda = unit.agenda.as_ref();
        let names = |ids: &[usize]| ids.iter().map(|&i| report.people[i].name.clone()).collect();
        Paragraph {
            doc: report.meta.id.clone(),
            symbol: report.meta.symbol.clone(),
            para: unit.label.clone(),
            page: unit.page,
            page_end: unit.page_end,
            agenda_item: agenda.and_then(|a| a.number.clone()),
            agenda_title: agenda.map(|a| a.title.clone()),
            agenda_sub_item: agenda.and_then(|a| a.sub_item.clone()),
            agenda_sub_title: agenda.and_then(|a| a.sub_title.clone()),
            speakers: names(&unit.speakers),
            mentions: names(&unit.mentions),
            orgs: unit.orgs.clone(),
            participant: unit.participant,
            delegations: unit.delegations.clone(),
            on_behalf_of: unit.on_behalf_of.clone(),
            areas: unit.areas.clone(),
            line: unit.line,
            text: unit.text.clone(),
        }
    }
}
