//! Fuzzes the report parser, `pagsearch::report::parse`, on arbitrary bytes
//! (any encoding, binary, truncated), with the built-in taxonomy, then pushes
//! the report through the output stage.
//!
//! Properties checked:
//! - neither parsing nor printing panics;
//! - every speaker and mention index of a unit points into `report.people`;
//! - unit labels are unique;
//! - `paragraphs --json` output is one JSON object per unit, and each line
//!   reads back as a `Paragraph` equal to `Paragraph::new` of its unit;
//! - `paragraphs --meta` output is one JSON object;
//! - the readable listing is written without error.

#![no_main]

use std::collections::HashSet;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pagsearch::output::{write_meta_json, write_units_json, write_units_text};
use pagsearch::report::{self, Paragraph, Report, Taxonomy};

fn taxonomy() -> &'static Taxonomy {
    static TAXONOMY: OnceLock<Taxonomy> = OnceLock::new();
    TAXONOMY.get_or_init(Taxonomy::builtin)
}

fuzz_target!(|bytes: &[u8]| {
    let report = report::parse("fuzz-input.md", bytes, taxonomy());
    check_units(&report);
    check_units_json(&report);

    let mut meta = Vec::new();
    write_meta_json(&mut meta, &report).expect("write_meta_json into a Vec");
    let value: serde_json::Value =
        serde_json::from_slice(&meta).expect("write_meta_json writes valid JSON");
    assert!(value.is_object(), "write_meta_json writes an object");

    let mut listing = Vec::new();
    write_units_text(&mut listing, &report, 80).expect("write_units_text into a Vec");
});

fn check_units(report: &Report) {
    let mut labels = HashSet::new();
    for unit in &report.units {
        for &person in unit.speakers.iter().chain(&unit.mentions) {
            assert!(
                person < report.people.len(),
                "unit {} refers to person {person} of {}",
                unit.label,
                report.people.len()
            );
        }
        assert!(
            labels.insert(unit.label.as_str()),
            "duplicate unit label {:?}",
            unit.label
        );
        assert_eq!(report.speaker_names(unit).len(), unit.speakers.len());
        assert_eq!(report.mention_names(unit).len(), unit.mentions.len());
    }
}

fn check_units_json(report: &Report) {
    let mut out = Vec::new();
    write_units_json(&mut out, report).expect("write_units_json into a Vec");
    let out = std::str::from_utf8(&out).expect("write_units_json writes UTF-8");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), report.units.len(), "one JSON line per unit");
    for (line, unit) in lines.iter().zip(&report.units) {
        let read: Paragraph =
            serde_json::from_str(line).expect("each JSON line reads back as a Paragraph");
        assert_eq!(
            read,
            Paragraph::new(report, unit),
            "JSON round trip of a unit"
        );
    }
}
