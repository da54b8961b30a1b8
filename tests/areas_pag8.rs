//! The area tags of the shipped report against their annotation
//! (`tests/fixtures/pag8-areas.json`), scored with the gold scoring: precision
//! and recall over (unit, area) pairs stay at the figures measured when the
//! annotation was made (0.922 and 0.979), less 0.02.

mod gold;

use std::path::Path;

use pagsearch::report::{self, Taxonomy};

#[test]
fn area_tags_agree_with_the_annotation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let gold = gold::Gold::read(&root.join("tests/fixtures/pag8-areas.json"));
    let report =
        report::parse_file(&root.join(&gold.file), &Taxonomy::builtin()).expect("readable report");
    let score = gold::score(&report, &gold);
    assert_eq!(score.found_units, 136, "{:?}", score.missing);
    let areas = score.areas;
    let disagreements: Vec<&String> = score
        .errors
        .iter()
        .filter(|e| e.contains(": areas "))
        .collect();
    assert!(
        areas.precision() >= 0.902,
        "precision {:.3}: {disagreements:#?}",
        areas.precision()
    );
    assert!(
        areas.recall() >= 0.959,
        "recall {:.3}: {disagreements:#?}",
        areas.recall()
    );
}
