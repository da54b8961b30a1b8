//! The tantivy schema of a pagsearch index, its text analyzers, and the
//! conversion of a parsed unit into a tantivy document.
//!
//! One tantivy document per paragraph unit. Ranked text fields use an English
//! stemming analyzer; facet values are indexed folded (lowercase, accents
//! removed) so `speaker:keane` and `speaker:Keane` match alike, and again as
//! tantivy facets for counting.

use tantivy::schema::{
    FAST, Facet, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
    TokenizerManager,
};
use tantivy::{Index, TantivyDocument};

use super::stemmer::MemoStemmer;
use crate::report::{Paragraph, Report};
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
    /// Document id, symbol and file stem ([`KEYWORD`]), for `doc:`.
    pub doc_key: Field,
    /// Document order: file sequence number << 20 | unit index.
    pub order: Field,
    /// Paragraph text ([`ENGLISH`], positions for phrases).
    pub text: Field,
    /// Speaker display names ([`NAMES`]): ranked with the text.
    pub speaker_names: Field,
    /// Agenda item title ([`ENGLISH`]): ranked, and `agenda:` by title words.
    pub agenda_title: Field,
    /// Folded speaker names and each of their parts, for `speaker:`.
    pub speaker_key: Field,
    /// Area keys, for `area:`.
    pub area: Field,
    /// Agenda item number ("3"), for `agenda:3`.
    pub agenda_num: Field,
    /// Meeting number ("8"), for `meeting:8`.
    pub meeting_num: Field,
    /// Meeting name ([`ENGLISH`]), for `meeting:` by words.
    pub meeting_name: Field,
    /// Meeting year (distribution year when the meeting date is unknown).
    pub year: Field,
    /// Organisations of speakers ([`NAMES`]), for `org:`.
    pub org: Field,
    /// Facets counted by `--facets`: `/area/<key>`, `/speaker/<name>`, `/agenda/<n>`.
    pub area_facet: Field,
    pub speaker_facet: Field,
    pub agenda_facet: Field,
    /// The [`Paragraph`] as JSON: what a hit shows.
    pub record: Field,
}

fn text_options(analyzer: &str, positions: bool) -> TextOptions {
    let record = if positions {
        IndexRecordOption::WithFreqsAndPositions
    } else {
        IndexRecordOption::Basic
    };
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(record),
    )
}

/// Builds the schema and its field handles.
pub(crate) fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let fields = Fields {
        path: builder.add_text_field("path", STRING),
        doc_key: builder.add_text_field("doc_key", text_options(KEYWORD, false)),
        order: builder.add_u64_field("order", FAST),
        text: builder.add_text_field("text", text_options(ENGLISH, true)),
        speaker_names: builder.add_text_field("speaker_names", text_options(NAMES, true)),
        agenda_title: builder.add_text_field("agenda_title", text_options(ENGLISH, true)),
        speaker_key: builder.add_text_field("speaker_key", text_options(KEYWORD, false)),
        area: builder.add_text_field("area", STRING),
        agenda_num: builder.add_text_field("agenda_num", STRING),
        meeting_num: builder.add_text_field("meeting_num", STRING),
        meeting_name: builder.add_text_field("meeting_name", text_options(ENGLISH, true)),
        year: builder.add_u64_field("year", INDEXED),
        org: builder.add_text_field("org", text_options(NAMES, true)),
        area_facet: builder.add_facet_field("area_facet", FacetOptions::default()),
        speaker_facet: builder.add_facet_field("speaker_facet", FacetOptions::default()),
        agenda_facet: builder.add_facet_field("agenda_facet", FacetOptions::default()),
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

/// The tantivy documents of a parsed report, in unit order (without their
/// `order`, which depends on the file's place in the index).
pub(crate) fn documents(
    fields: &Fields,
    report: &Report,
    path: &str,
    stem: &str,
) -> Vec<TantivyDocument> {
    let meta = &report.meta;
    let year = meta.year();
    report
        .units
        .iter()
        .map(|unit| {
            let paragraph = Paragraph::new(report, unit);
            let mut doc = TantivyDocument::default();
            doc.add_text(fields.path, path);
            doc.add_text(fields.doc_key, &meta.id);
            doc.add_text(fields.doc_key, stem);
            if let Some(symbol) = &meta.symbol {
                doc.add_text(fields.doc_key, symbol);
            }
            doc.add_text(fields.text, &paragraph.text);
            for name in &paragraph.speakers {
                doc.add_text(fields.speaker_names, name);
                doc.add_text(fields.speaker_key, name);
                for part in name.split(' ') {
                    doc.add_text(fields.speaker_key, part);
                }
                doc.add_facet(
                    fields.speaker_facet,
                    Facet::from_path(["speaker", name.as_str()]),
                );
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
            if let Some(year) = year {
                doc.add_u64(fields.year, year);
            }
            for org in &paragraph.orgs {
                doc.add_text(fields.org, org);
            }
            let record = serde_json::to_string(&paragraph).unwrap_or_default();
            doc.add_text(fields.record, record);
            doc
        })
        .collect()
}

/// The `order` of the unit at `position` of the file with sequence number
/// `seq`: files in index order, units in report order.
pub(crate) fn order(seq: u64, position: usize) -> u64 {
    (seq << 20) | (position as u64).min(0xF_FFFF)
}

/// The folded form under which `speaker:` and `doc:` values are indexed.
pub(crate) fn keyword(value: &str) -> String {
    fold(value.trim())
}
