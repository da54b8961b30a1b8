//! Index a folder of reports and search it from Rust: the library behind
//! `pagsearch index` and `pagsearch search`.
//!
//! Run: `cargo run --example search -- "area:ASGM speaker:Keane"`

use std::path::{Path, PathBuf};

use pagsearch::report::Taxonomy;
use pagsearch::{Index, SearchOptions};

fn main() -> pagsearch::Result<()> {
    let query = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "financing chlor-alkali conversion".to_string());

    // Open the index in this folder, or create it; then bring it up to date
    // with the reports in corpus/ (only changed files are parsed again).
    let dir = Path::new("target/example-index");
    let mut index = Index::open_or_create(dir, &Taxonomy::builtin())?;
    let summary = index.update(
        &[PathBuf::from("corpus")],
        &Taxonomy::builtin(),
        false,
        &|_| {},
    )?;
    eprintln!(
        "{} paragraphs indexed ({} files unchanged)",
        summary.paragraphs_total, summary.unchanged
    );

    // Search: ranked hits for free words, document order for filters only.
    let options = SearchOptions {
        limit: Some(5),
        facets: true,
        ..SearchOptions::default()
    };
    let results = index.search(&query, &options)?;
    for hit in &results.hits {
        let paragraph = &hit.paragraph;
        println!(
            "{} ¶{} [{}] {:?} {:?}",
            paragraph.doc,
            paragraph.para,
            paragraph.agenda_item.as_deref().unwrap_or("-"),
            paragraph.speakers,
            paragraph.areas
        );
        println!("    {}", hit.snippet.text);
    }
    if let Some(facets) = &results.facets {
        println!("{} matches; by area: {:?}", results.total, facets.area);
    }
    Ok(())
}
