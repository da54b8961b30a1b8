//! Bad input never panics and never stops a run: each case gives units where
//! it can and a warning naming the file.

use pagsearch::report::{self, Report, Taxonomy};

fn parse(name: &str, bytes: &[u8]) -> Report {
    static TAXONOMY: std::sync::OnceLock<Taxonomy> = std::sync::OnceLock::new();
    report::parse(name, bytes, TAXONOMY.get_or_init(Taxonomy::builtin))
}

fn warnings(report: &Report) -> Vec<String> {
    report.warnings.iter().map(ToString::to_string).collect()
}

#[test]
fn empty_file() {
    let report = parse("empty.md", b"");
    assert!(report.units.is_empty());
    assert_eq!(warnings(&report), ["empty.md: empty file"]);
    assert_eq!(report.meta.id, "empty");
}

#[test]
fn binary_file() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\x1f\xf3\xffa";
    let report = parse("photo.txt", png);
    assert!(report.units.is_empty());
    assert_eq!(
        warnings(&report),
        ["photo.txt: binary content, not a text report"]
    );
}

#[test]
fn text_without_numbered_paragraphs_falls_back_to_blank_lines() {
    let text = "# Notes from the coal session\n\nMs. Sloss stated that coal plants need monitoring.\n\n\
                She added that the toolkit\nwas updated.\n\nA participant asked about cement kilns.\n";
    let report = parse("notes.md", text.as_bytes());
    let labels: Vec<&str> = report.units.iter().map(|u| u.label.as_str()).collect();
    assert_eq!(labels, ["1", "2", "3"]);
    assert_eq!(
        report.units[1].text,
        "She added that the toolkit was updated."
    );
    assert_eq!(report.speaker_names(&report.units[1]), ["Sloss"]);
    assert!(report.units[2].participant);
    assert!(report.units[0].areas.contains(&"coal".to_string()));
    assert_eq!(
        report.units[0].agenda.as_ref().unwrap().title,
        "Notes from the coal session"
    );
    assert_eq!(
        warnings(&report),
        ["notes.md:1: no numbered paragraphs found; paragraphs split at blank lines"]
    );
}

#[test]
fn duplicated_and_out_of_order_numbers_warn_with_file_and_line() {
    let text =
        "1. Opening\n\n1. First.\n\n2. Second.\n\n2. Again second.\n\n5. Fifth.\n\n3. Third.\n";
    let report = parse("messy.txt", text.as_bytes());
    let labels: Vec<&str> = report.units.iter().map(|u| u.label.as_str()).collect();
    assert_eq!(labels, ["1", "2", "2bis", "5", "3"]);
    assert_eq!(
        warnings(&report),
        [
            "messy.txt:7: duplicate paragraph number 2",
            "messy.txt:9: paragraph numbers jump from 2 to 5",
            "messy.txt:11: paragraph 3 out of order (after 5)",
        ]
    );
}

#[test]
fn invalid_utf8_in_the_middle_is_decoded_as_windows_1252() {
    let mut bytes = b"1. Opening\n\n1. Mr. M\xfcller said caf\xe9 prices rose.\n".to_vec();
    bytes.extend_from_slice(b"\n2. He added more.\n");
    let report = parse("legacy.txt", &bytes);
    assert_eq!(report.units.len(), 2);
    assert!(report.units[0].text.contains("Müller said café"));
    assert_eq!(report.speaker_names(&report.units[1]), ["Müller"]);
    assert_eq!(
        warnings(&report),
        ["legacy.txt: not valid UTF-8; decoded as Windows-1252"]
    );
}

#[test]
fn text_that_is_not_a_report_still_gives_searchable_units() {
    let report = parse("recipe.txt", b"Mix flour and water.\nBake for an hour.\n");
    assert_eq!(report.units.len(), 1);
    assert_eq!(
        report.units[0].text,
        "Mix flour and water. Bake for an hour."
    );
}

#[test]
fn whitespace_only_file() {
    let report = parse("blank.txt", b"\n\n   \n\x0c\n");
    assert!(report.units.is_empty());
    assert_eq!(warnings(&report), ["blank.txt: no paragraphs found"]);
}

#[test]
fn a_huge_single_line_is_one_unit() {
    let line = "1. Mr. Maag said mercury waste matters. ".repeat(25_000);
    let report = parse("long.txt", line.as_bytes());
    assert_eq!(report.units.len(), 1);
    assert_eq!(report.units[0].label, "1");
    assert!(report.units[0].text.len() > 900_000);
}
