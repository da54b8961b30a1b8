//! Fuzzes a full search, `pagsearch::Index::search`, on arbitrary UTF-8
//! queries (other inputs are skipped), against one index per process built
//! from the shipped report `corpus/pag8-report.md` in a temporary directory.
//!
//! Properties checked:
//! - searching never panics;
//! - the result is `Ok` or an `Error::Query` (whose `start..end` lies within
//!   the query, on character boundaries); any other error is a bug;
//! - `hits.len() <= total` and `hits.len() <= limit`; ranks run 1, 2, …;
//! - facets are present, as asked for;
//! - every snippet highlight is a byte range within the snippet text, on
//!   character boundaries.

#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pagsearch::report::Taxonomy;
use pagsearch::{Error, Index, SearchOptions, SearchResults};

/// The index the queries run against, and the temporary directory holding it.
struct Fixture {
    index: Index,
    _dir: tempfile::TempDir,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let report = Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus/pag8-report.md");
        let dir = tempfile::Builder::new()
            .prefix("pagsearch-fuzz-index-")
            .tempdir()
            .expect("create a temporary directory");
        let taxonomy = Taxonomy::builtin();
        let mut index = Index::open_or_create(dir.path(), &taxonomy).expect("create the index");
        let summary = index
            .update(&[PathBuf::from(&report)], &taxonomy, false, &|_| {})
            .expect("index the shipped report");
        drop(index);
        let index = Index::open(dir.path()).expect("reopen the index");
        assert!(
            index.paragraph_count() > 0,
            "no paragraphs indexed from {}: {summary:?}",
            report.display()
        );
        Fixture { index, _dir: dir }
    })
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(query) = std::str::from_utf8(bytes) else {
        return;
    };
    // The limit (0 to 12) varies with the input while inputs stay plain
    // query text that the seeds and the dictionary can shape.
    let limit = query.len() % 13;
    let options = SearchOptions {
        limit: Some(limit),
        facets: true,
        ..Default::default()
    };
    match fixture().index.search(query, &options) {
        Ok(results) => check_results(&results, limit),
        Err(Error::Query { start, end, .. }) => {
            assert!(
                start <= end
                    && end <= query.len()
                    && query.is_char_boundary(start)
                    && query.is_char_boundary(end),
                "error span {start}..{end} not within the query on character boundaries"
            );
        }
        Err(other) => panic!("search failed with a non-query error: {other:?}"),
    }
});

fn check_results(results: &SearchResults, limit: usize) {
    let hits = &results.hits;
    assert!(
        hits.len() <= results.total,
        "{} hits of {} matches",
        hits.len(),
        results.total
    );
    assert!(hits.len() <= limit, "{} hits for limit {limit}", hits.len());
    assert!(results.facets.is_some(), "facets asked for but missing");
    for (position, hit) in hits.iter().enumerate() {
        assert_eq!(hit.rank, position + 1, "rank of hit {position}");
        let text = &hit.snippet.text;
        for &(start, end) in &hit.snippet.highlights {
            assert!(
                start <= end
                    && end <= text.len()
                    && text.is_char_boundary(start)
                    && text.is_char_boundary(end),
                "highlight {start}..{end} outside snippet {text:?}"
            );
        }
    }
}
