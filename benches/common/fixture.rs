//! The corpus every search benchmark runs on: reports from the generator
//! of `examples/gen_corpus`, their pagsearch index, and a bare tantivy index
//! of the same paragraph texts (one stemmed, stored text field) as the
//! baseline.

use std::path::Path;

use pagsearch::report::Taxonomy;
use pagsearch::{Index, SearchOptions};
use tantivy::schema::{IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions};
use tantivy::{IndexWriter, TantivyDocument};

use crate::generator;

/// A generated corpus, its pagsearch index and a bare tantivy index of the
/// same paragraph texts, all in one temporary folder.
#[allow(dead_code)] // each bench uses its part
pub struct Fixture {
    /// The folder of it all, removed when the fixture is dropped.
    pub dir: tempfile::TempDir,
    /// The pagsearch index (`dir/index`).
    pub index: Index,
    /// The bare tantivy index (`dir/bare`).
    pub bare: tantivy::Index,
    /// Its one text field.
    pub bare_text: tantivy::schema::Field,
}

/// `reports` generated reports (seed 7) in `corpus/`, indexed by pagsearch in
/// `index/` and, paragraph texts only, by bare tantivy in `bare/`.
pub fn fixture(reports: u32) -> Fixture {
    let dir = tempfile::tempdir().expect("temporary folder");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).expect("corpus folder");
    let source_text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/pag8-report.md"),
    )
    .expect("shipped report");
    let source = generator::Source::parse(&source_text).expect("the shipped report parses");
    for i in 1..=reports {
        let report = generator::generate_report(&source, 7, i);
        std::fs::write(corpus.join(format!("report-{i:04}.md")), report).expect("written");
    }
    let taxonomy = Taxonomy::builtin();
    let mut index = Index::open_or_create(&dir.path().join("index"), &taxonomy).expect("index");
    index
        .update(std::slice::from_ref(&corpus), &taxonomy, false, &|_| {})
        .expect("indexed");

    let mut builder = Schema::builder();
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("en_stem")
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    ) | STORED;
    let bare_text = builder.add_text_field("text", options);
    let bare_dir = dir.path().join("bare");
    std::fs::create_dir(&bare_dir).expect("bare folder");
    let bare = tantivy::Index::create_in_dir(&bare_dir, builder.build()).expect("bare index");
    let mut writer: IndexWriter<TantivyDocument> = bare.writer(128 << 20).expect("writer");
    let all = index
        .search(
            "area:asgm OR -area:asgm",
            &SearchOptions {
                limit: Some(index.paragraph_count()),
                ..SearchOptions::default()
            },
        )
        .expect("every paragraph");
    for hit in &all.hits {
        let mut doc = TantivyDocument::default();
        doc.add_text(bare_text, &hit.paragraph.text);
        writer.add_document(doc).expect("added");
    }
    writer.commit().expect("committed");
    Fixture {
        dir,
        index,
        bare,
        bare_text,
    }
}
