//! The tantivy schema of a pagsearch index, its text analyzers, and the
//! conversion of a parsed unit into a tantivy document.
//!
//! One tantivy document per paragraph unit. Ranked text fields use an English
//! stemming analyzer; facet values are indexed folded (lowercase, accents
//! removed) so `speaker:keane` and `speaker:Keane` match alike, and again as
//! tantivy facets for counting. Who speaks (people and delegations) is ranked
//! with the text as well as filtered on.

use tantivy::schema::{
    FAST, Facet, FacetOptions, Field, IndexRecordOption, NumericOptions, STORED, Schema,
    TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
    TokenizerManager,
};
use tantivy::{Index, TantivyDocument};

use super::stemmer::MemoStemmer;
use crate::report::{Paragraph, Report, Unit};
use crate::text::fold;

/// English words: split on non-alphanumerics, lowercased, accents folded, stemmed.
pub(crate) const ENGLISH: &str = "pag_en";
/// Names and organisations: like [`ENGLISH`] without stemming.
pub(crate) const NAMES: &str = "pag_names";
/// Whole values (document ids): one lowercase, accent-folded token.
pub(crate) const KEYWORD: &str = "pag_keyword";

/// Field handles of the schema.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    /// Source file path, as walked: deletes a file's paragraphs on update.
    pub path: Field,
    /// Document id, symbol, file stem and path ([`KEYWORD`]), for `doc:`.
    pub doc_key: Field,
    /// Document order: file sequence number << 20 | unit index.
    pub order: Field,
    /// Paragraph text ([`ENGLISH`], positions for phrases).
    pub text: Field,
    /// Who speaks ([`NAMES`]): the speakers' display names and the
    /// delegations; ranked with the text.
    pub speaking_names: Field,
    /// Agenda item title ([`ENGLISH`], no positions): ranked, and `agenda:`
    /// by title words.
    pub agenda_title: Field,
    /// Folded speaker names and each of their parts, for `speaker:`.
    pub speaker_key: Field,
    /// Folded delegation names and each of their words, for `delegation:`.
    pub delegation_key: Field,
    /// Folded names of the groups delegations speak for and each of their
    /// words, for `group:`.
    pub group_key: Field,
    /// Area keys, for `area:`.
    pub area: Field,
    /// Agenda item number ("3"), for `agenda:3`.
    pub agenda_num: Field,
    /// Meeting number ("8"), for `meeting:8`.
    pub meeting_num: Field,
    /// Meeting name ([`ENGLISH`], no positions), for `meeting:` by words.
    pub meeting_name: Field,
    /// Meeting year (distribution year when the meeting date is unknown).
    pub year: Field,
    /// Organisations of speakers ([`NAMES`]), for `org:`.
    pub org: Field,
    /// Facets counted by `--facets`: `/area/<key>`, `/speaker/<name>`,
    /// `/agenda/<n>`, `/delegation/<name>`.
    pub area_facet: Field,
    pub speaker_facet: Field,
    pub agenda_facet: Field,
    pub delegation_facet: Field,
    /// `/group/<name>`: the groups' names as given, for `group:` suggestions.
    pub group_facet: Field,
    /// The [`Paragraph`] as JSON: what a hit shows.
    pub record: Field,
}

/// What a text field records for each token.
#[derive(Clone, Copy)]
enum Record {
    /// Which paragraphs hold the token: enough for a filter.
    Docs,
    /// And how often: BM25 ranking.
    Freqs,
    /// And where: phrases.
    Positions,
}

/// A text field analysed with `analyzer`. Only ranked fields keep field
/// norms (a byte per paragraph each): BM25 needs them, filters do not.
fn text_options(analyzer: &str, record: Record, ranked: bool) -> TextOptions {
    let record = match record {
        Record::Docs => IndexRecordOption::Basic,
        Record::Freqs => IndexRecordOption::WithFreqs,
        Record::Positions => IndexRecordOption::WithFreqsAndPositions,
    };
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(record)
            .set_fieldnorms(ranked),
    )
}

/// The fast field of each paragraph's place in document order: the file's
/// sequence number in the high bits (see [`seq_of`]).
pub(crate) const ORDER: &str = "order";

/// The `order` column of a segment, one value a paragraph.
pub(crate) fn order_column(
    reader: &tantivy::SegmentReader,
) -> tantivy::Result<std::sync::Arc<dyn tantivy::columnar::ColumnValues<u64>>> {
    Ok(reader.fast_fields().u64(ORDER)?.first_or_default_col(0))
}

/// Builds the schema and its field handles.
pub(crate) fn build() -> (Schema, Fields) {
    use Record::{Docs, Freqs, Positions};
    let mut builder = Schema::builder();
    let fields = Fields {
        path: builder.add_text_field("path", text_options("raw", Docs, false)),
        doc_key: builder.add_text_field("doc_key", text_options(KEYWORD, Docs, false)),
        order: builder.add_u64_field(ORDER, FAST),
        text: builder.add_text_field("text", text_options(ENGLISH, Positions, true)),
        speaking_names: builder
            .add_text_field("speaking_names", text_options(NAMES, Positions, true)),
        // Ranked by its words, not as a phrase: no positions.
        agenda_title: builder.add_text_field("agenda_title", text_options(ENGLISH, Freqs, true)),
        speaker_key: builder.add_text_field("speaker_key", text_options(KEYWORD, Docs, false)),
        delegation_key: builder
            .add_text_field("delegation_key", text_options(KEYWORD, Docs, false)),
        group_key: builder.add_text_field("group_key", text_options(KEYWORD, Docs, false)),
        area: builder.add_text_field("area", text_options("raw", Docs, false)),
        agenda_num: builder.add_text_field("agenda_num", text_options("raw", Docs, false)),
        meeting_num: builder.add_text_field("meeting_num", text_options("raw", Docs, false)),
        meeting_name: builder.add_text_field("meeting_name", text_options(ENGLISH, Docs, false)),
        year: builder.add_u64_field("year", NumericOptions::default().set_indexed()),
        // `org:"…"` is a phrase.
        org: builder.add_text_field("org", text_options(NAMES, Positions, false)),
        area_facet: builder.add_facet_field("area_facet", FacetOptions::default()),
        speaker_facet: builder.add_facet_field("speaker_facet", FacetOptions::default()),
        agenda_facet: builder.add_facet_field("agenda_facet", FacetOptions::default()),
        delegation_facet: builder.add_facet_field("delegation_facet", FacetOptions::default()),
        group_facet: builder.add_facet_field("group_facet", FacetOptions::default()),
        record: builder.add_text_field("record", STORED),
    };
    (builder.build(), fields)
}

/// Registers the analyzers on an opened or created index (tantivy does not
/// persist them).
pub(crate) fn register_analyzers(index: &Index) {
    register(index.tokenizers());
}

fn register(manager: &TokenizerManager) {
    manager.register(
        ENGLISH,
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(MemoStemmer)
            .build(),
    );
    manager.register(
        NAMES,
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );
    manager.register(
        KEYWORD,
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );
}

/// The tantivy document of `unit` of a parsed report (without its
/// `order`, which depends on the file's place in the index).
pub(crate) fn document(
    fields: &Fields,
    report: &Report,
    unit: &Unit,
    path: &str,
    stem: &str,
) -> TantivyDocument {
    let meta = &report.meta;
    let paragraph = Paragraph::new(report, unit);
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.path, path);
    doc.add_text(fields.doc_key, &meta.id);
    doc.add_text(fields.doc_key, stem);
    // The file's path too: two reports with one file stem.
    doc.add_text(fields.doc_key, path);
    if let Some(symbol) = &meta.symbol {
        doc.add_text(fields.doc_key, symbol);
    }
    doc.add_text(fields.text, &paragraph.text);
    add_names(
        &mut doc,
        &paragraph.speakers,
        (fields.speaker_key, fields.speaker_facet),
        "speaker",
    );
    add_names(
        &mut doc,
        &paragraph.delegations,
        (fields.delegation_key, fields.delegation_facet),
        "delegation",
    );
    add_names(
        &mut doc,
        &paragraph.on_behalf_of,
        (fields.group_key, fields.group_facet),
        "group",
    );
    // Who speaks is ranked with the text.
    for name in paragraph.speakers.iter().chain(&paragraph.delegations) {
        doc.add_text(fields.speaking_names, name);
    }
    for area in &paragraph.areas {
        doc.add_text(fields.area, area);
        doc.add_facet(fields.area_facet, Facet::from_path(["area", area.as_str()]));
    }
    if let Some(title) = &paragraph.agenda_title {
        doc.add_text(fields.agenda_title, title);
    }
    if let Some(number) = &paragraph.agenda_item {
        doc.add_text(fields.agenda_num, number);
        doc.add_facet(
            fields.agenda_facet,
            Facet::from_path(["agenda", number.as_str()]),
        );
    }
    if let Some(number) = meta.meeting_number {
        doc.add_text(fields.meeting_num, number.to_string());
    }
    if let Some(name) = &meta.meeting_name {
        doc.add_text(fields.meeting_name, name);
    }
    if let Some(year) = meta.year() {
        doc.add_u64(fields.year, year);
    }
    for org in &paragraph.orgs {
        doc.add_text(fields.org, org);
    }
    doc.add_text(fields.record, record_json(&paragraph));
    doc
}

/// Indexes `names` for a filter, in the keyword field of `fields` under
/// each of their [`name_keys`], and in its facet field as `/<root>/<name>`.
fn add_names(doc: &mut TantivyDocument, names: &[String], fields: (Field, Field), root: &str) {
    let (key, facet) = fields;
    for name in names {
        for word in name_keys(name) {
            doc.add_text(key, word);
        }
        doc.add_facet(facet, Facet::from_path([root, name.as_str()]));
    }
}

/// What a name is indexed under for filters, so that a filter matches the
/// full name or any word of it (`speaker:Keane`, `delegation:"European
/// Union"`, `delegation:union`): the name, then each word of a name of
/// several words, without brackets or commas around it (`Bolivia (Plurinational State of)` → `Bolivia`,
/// `Plurinational`, `State`, `of`).
fn name_keys(name: &str) -> impl Iterator<Item = &str> {
    let words = name
        .split(' ')
        .map(|word| word.trim_matches(|c: char| matches!(c, '(' | ')' | ',')))
        .filter(move |word| !word.is_empty() && *word != name);
    std::iter::once(name).chain(words)
}

/// The stored form of a [`Paragraph`]: its JSON without the empty fields
/// (`null`, `[]`, `false`), which are a sixth of a record's compressed size.
#[derive(serde::Serialize)]
struct StoredRecord<'a> {
    doc: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    symbol: &'a Option<String>,
    para: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: &'a Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page_end: &'a Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    agenda_item: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    agenda_title: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    agenda_sub_item: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    agenda_sub_title: &'a Option<String>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    speakers: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    mentions: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    orgs: &'a [String],
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    participant: bool,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    delegations: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    on_behalf_of: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    areas: &'a [String],
    line: usize,
    text: &'a str,
}

/// The record stored for `paragraph`; [`record_from_json`] reads it back.
pub(crate) fn record_json(paragraph: &Paragraph) -> String {
    let record = StoredRecord {
        doc: &paragraph.doc,
        symbol: &paragraph.symbol,
        para: &paragraph.para,
        page: &paragraph.page,
        page_end: &paragraph.page_end,
        agenda_item: &paragraph.agenda_item,
        agenda_title: &paragraph.agenda_title,
        agenda_sub_item: &paragraph.agenda_sub_item,
        agenda_sub_title: &paragraph.agenda_sub_title,
        speakers: &paragraph.speakers,
        mentions: &paragraph.mentions,
        orgs: &paragraph.orgs,
        participant: paragraph.participant,
        delegations: &paragraph.delegations,
        on_behalf_of: &paragraph.on_behalf_of,
        areas: &paragraph.areas,
        line: paragraph.line,
        text: &paragraph.text,
    };
    serde_json::to_string(&record).unwrap_or_default()
}

/// The [`Paragraph`] of a stored record.
pub(crate) fn record_from_json(record: &str) -> serde_json::Result<Paragraph> {
    serde_json::from_str(record)
}

/// The `order` of the unit at `position` of the file with sequence number
/// `seq`: files in index order, units in report order.
pub(crate) fn order(seq: u64, position: usize) -> u64 {
    (seq << 20) | (position as u64).min(0xF_FFFF)
}

/// The file sequence number of an [`order`] value.
pub(crate) fn seq_of(order: u64) -> u64 {
    order >> 20
}

/// The folded form under which `speaker:`, `delegation:`, `group:` and
/// `doc:` values are indexed.
pub(crate) fn keyword(value: &str) -> String {
    fold(value.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Taxonomy, parse};

    fn full_paragraph() -> Paragraph {
        let text = |s: &str| Some(s.to_string());
        Paragraph {
            doc: "PAG.8/7".into(),
            symbol: text("UNEP(Economy Division)/Hg/PAG.8/7"),
            para: "107".into(),
            page: Some(11),
            page_end: Some(12),
            agenda_item: text("5"),
            agenda_title: text("Partnership areas"),
            agenda_sub_item: text("a"),
            agenda_sub_title: text("Waste"),
            speakers: vec!["Susan Keane".into()],
            mentions: vec!["Achim Halpaap".into()],
            orgs: vec!["NRDC".into()],
            participant: true,
            delegations: vec!["Canada".into(), "Nigeria".into()],
            on_behalf_of: vec!["African States".into()],
            areas: vec!["asgm".into()],
            line: 240,
            text: "Ms. Keane reported on ASGM.".into(),
        }
    }

    #[test]
    fn a_stored_record_reads_back_as_the_paragraph() {
        let full = full_paragraph();
        assert_eq!(record_from_json(&record_json(&full)).unwrap(), full);
        let bytes = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/pag8-report.md"),
        )
        .unwrap();
        let report = parse("pag8-report.md", &bytes, &Taxonomy::builtin());
        assert_eq!(report.units.len(), 136);
        for unit in &report.units {
            let paragraph = Paragraph::new(&report, unit);
            assert_eq!(
                record_from_json(&record_json(&paragraph)).unwrap(),
                paragraph
            );
        }
    }

    #[test]
    fn the_record_has_every_field_of_the_paragraph() {
        // A field added to `Paragraph` but not to `StoredRecord` would be
        // lost from the index: the keys must be the same.
        let keys = |json: &str| -> Vec<String> {
            let value: serde_json::Value = serde_json::from_str(json).unwrap();
            value.as_object().unwrap().keys().cloned().collect()
        };
        let full = full_paragraph();
        assert_eq!(
            keys(&record_json(&full)),
            keys(&serde_json::to_string(&full).unwrap())
        );
    }

    #[test]
    fn names_are_indexed_whole_and_by_word() {
        let keys = |name| name_keys(name).collect::<Vec<_>>();
        assert_eq!(keys("Susan Keane"), ["Susan Keane", "Susan", "Keane"]);
        assert_eq!(keys("Canada"), ["Canada"]);
        assert_eq!(
            keys("Bolivia (Plurinational State of)"),
            [
                "Bolivia (Plurinational State of)",
                "Bolivia",
                "Plurinational",
                "State",
                "of"
            ]
        );
    }

    #[test]
    fn empty_fields_are_left_out_of_the_record() {
        let bare = Paragraph {
            doc: "PAG.8/7".into(),
            para: "1".into(),
            line: 3,
            text: "Opening.".into(),
            ..Paragraph::default()
        };
        let json = record_json(&bare);
        assert_eq!(
            json,
            r#"{"doc":"PAG.8/7","para":"1","line":3,"text":"Opening."}"#
        );
        assert_eq!(record_from_json(&json).unwrap(), bare);
    }
}
