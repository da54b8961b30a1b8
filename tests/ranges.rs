//! Ranges in the `year:` and `meeting:` filters (`year:2017..2020`,
//! `meeting:8..11`, open ends `year:2019..`, `meeting:..9`), run as the built
//! binary on an index of several reports:
//!
//! | report     | meeting | year |
//! |------------|---------|------|
//! | INC-NF.2/7 | 2       | 2024 |
//! | OEWG.2/6   | 2       | 2026 |
//! | OEWG.3/9   | 3       | 2019 |
//! | COP.6/21   | 6       | 2025 |
//! | PAG.8/7    | 8       | 2017 |
//! | PAG.9/6    | 9       | 2019 |
//! | PAG.11/6   | 11      | 2025 |
//! | PAG.14/4   | 14      | 2023 |

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Output;
use std::sync::LazyLock;

mod common;
use common::{stderr, stdout};

use serde_json::Value;

/// The reports indexed, from the project's folder.
const REPORTS: [&str; 8] = [
    "corpus/pag8-report.md",
    "tests/fixtures/reports/pag9-report.md",
    "tests/fixtures/reports/pag11-report.txt",
    "tests/fixtures/reports/pag14-report.md",
    "tests/fixtures/reports/cop-report.md",
    "tests/fixtures/reports/inc-report.txt",
    "tests/fixtures/reports/oewg-report.txt",
    "tests/fixtures/reports/oewg-summary.md",
];

/// A temporary folder holding `index/`, built once for every test.
static WORKSPACE: LazyLock<tempfile::TempDir> = LazyLock::new(|| {
    let dir = tempfile::tempdir().unwrap();
    let project = Path::new(env!("CARGO_MANIFEST_DIR"));
    let reports: Vec<String> = REPORTS
        .iter()
        .map(|report| project.join(report).to_string_lossy().into_owned())
        .collect();
    let mut args = vec!["index", "--index", "index"];
    args.extend(reports.iter().map(String::as_str));
    let output = common::pagsearch(dir.path(), &args).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    dir
});

fn search(query: &str) -> Output {
    common::pagsearch(
        WORKSPACE.path(),
        &[
            "search", "--index", "index", "--json", "--limit", "1000", query,
        ],
    )
    .output()
    .expect("the binary runs")
}

/// The documents of the paragraphs `query` finds.
fn docs(query: &str) -> BTreeSet<String> {
    let output = search(query);
    assert!(output.status.success(), "{query}: {}", stderr(&output));
    stdout(&output)
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).expect("JSON line"))
        .map(|hit| hit["doc"].as_str().expect("a doc").to_string())
        .collect()
}

fn set(docs: &[&str]) -> BTreeSet<String> {
    docs.iter().map(|doc| (*doc).to_string()).collect()
}

/// Asserts `query` fails with exit status 2, a message holding `message`
/// and the carets `caret` under the query.
fn assert_refused(query: &str, message: &str, caret: &str) {
    let output = search(query);
    assert_eq!(output.status.code(), Some(2), "{query}");
    let err = stderr(&output);
    assert!(err.contains(message), "{query}: {err}");
    assert!(err.lines().any(|line| line == caret), "{query}: {err}");
    assert!(stdout(&output).is_empty(), "{query}");
}

#[test]
fn a_year_range_holds_both_ends() {
    assert_eq!(
        docs("year:2017..2019"),
        set(&["PAG.8/7", "PAG.9/6", "OEWG.3/9"])
    );
    assert_eq!(
        docs("year:2019..2023"),
        set(&["PAG.9/6", "OEWG.3/9", "PAG.14/4"])
    );
    // One year as a range: that year.
    assert_eq!(docs("year:2019..2019"), set(&["PAG.9/6", "OEWG.3/9"]));
    assert_eq!(docs("year:2019..2019"), docs("year:2019"));
    // Quoted, with spaces around the dots.
    assert_eq!(docs("year:\"2024 .. 2025\""), docs("year:2024..2025"));
}

#[test]
fn a_meeting_range_holds_both_ends() {
    assert_eq!(
        docs("meeting:8..11"),
        set(&["PAG.8/7", "PAG.9/6", "PAG.11/6"])
    );
    assert_eq!(
        docs("meeting:2..3"),
        set(&["INC-NF.2/7", "OEWG.2/6", "OEWG.3/9"])
    );
}

#[test]
fn open_ends_reach_the_first_or_last_value() {
    assert_eq!(docs("year:..2018"), set(&["PAG.8/7"]));
    assert_eq!(
        docs("year:2024.."),
        set(&["INC-NF.2/7", "COP.6/21", "PAG.11/6", "OEWG.2/6"])
    );
    assert_eq!(
        docs("meeting:..6"),
        set(&["INC-NF.2/7", "OEWG.2/6", "OEWG.3/9", "COP.6/21"])
    );
    assert_eq!(docs("meeting:11.."), set(&["PAG.11/6", "PAG.14/4"]));
    // An end past every value (even past any number) holds them all.
    assert_eq!(
        docs("year:..99999999999999999999999"),
        set(&[
            "PAG.8/7",
            "PAG.9/6",
            "PAG.11/6",
            "PAG.14/4",
            "COP.6/21",
            "INC-NF.2/7",
            "OEWG.3/9",
            "OEWG.2/6",
        ])
    );
}

#[test]
fn a_range_over_a_gap_finds_the_values_on_either_side() {
    // No report of 2018, 2020, 2021 or 2022.
    assert_eq!(
        docs("year:2018..2023"),
        set(&["PAG.9/6", "OEWG.3/9", "PAG.14/4"])
    );
    // No meeting 10, 12 or 13.
    assert_eq!(docs("meeting:10..14"), set(&["PAG.11/6", "PAG.14/4"]));
}

#[test]
fn a_range_combines_with_words_filters_and_exclusion() {
    // A free word: the paragraphs holding it in those years only.
    let all = docs("mercury");
    let in_range = docs("mercury year:2017..2019");
    assert!(!in_range.is_empty() && in_range.len() < all.len());
    assert!(in_range.is_subset(&set(&["PAG.8/7", "PAG.9/6", "OEWG.3/9"])));
    // Excluded: the other years.
    let excluded = docs("mercury -year:2017..2019");
    assert!(!excluded.is_empty());
    assert!(excluded.is_disjoint(&in_range));
    assert_eq!(
        excluded.union(&in_range).cloned().collect::<BTreeSet<_>>(),
        all
    );
    // Two ranges together, and a range minus another.
    assert_eq!(
        docs("year:2019.. meeting:..9"),
        set(&["PAG.9/6", "OEWG.3/9", "COP.6/21", "INC-NF.2/7", "OEWG.2/6"])
    );
    assert_eq!(
        docs("year:2017..2025 -meeting:9..11"),
        set(&["PAG.8/7", "PAG.14/4", "COP.6/21", "INC-NF.2/7", "OEWG.3/9"])
    );
    // With OR.
    assert_eq!(
        docs("year:..2017 OR meeting:14.."),
        set(&["PAG.8/7", "PAG.14/4"])
    );
}

#[test]
fn bad_ranges_exit_2_with_a_positioned_message() {
    assert_refused(
        "year:2020..2017",
        "empty range year:2020..2017 (2020 is after 2017; write year:2017..2020) at column 6",
        "     ^^^^^^^^^^",
    );
    assert_refused(
        "year:20x..2020",
        "'20x' in year:20x..2020 is not a year (a range is year:2017..2020, year:2017.. or \
         year:..2020) at column 6",
        "     ^^^",
    );
    assert_refused(
        "mercury year:2017..20x",
        "'20x' in year:2017..20x is not a year",
        "                   ^^^",
    );
    assert_refused(
        "meeting:..",
        "meeting:.. has no end (a range is meeting:8..11, meeting:8.. or meeting:..11) at column 9",
        "        ^^",
    );
    assert_refused(
        "year:2020..2022",
        "no year in year:2020..2022 (known years: 2017, 2019, 2023, 2024, 2025, 2026) at column 6",
        "     ^^^^^^^^^^",
    );
    assert_refused(
        "meeting:12..13",
        "no meeting in meeting:12..13 (known meetings: 2, 3, 6, 8, 9, 11, 14) at column 9",
        "        ^^^^^^",
    );
    assert_refused(
        "-meeting:15..",
        "no meeting in meeting:15.. (known meetings: 2, 3, 6, 8, 9, 11, 14) at column 10",
        "         ^^^^",
    );
    assert_refused(
        "meeting:1..2..3",
        "meeting:1..2..3 has more than one '..' (a range is meeting:8..11, meeting:8.. or \
         meeting:..11) at column 9",
        "        ^^^^^^^",
    );
    assert_refused(
        "year:....",
        "year:.... has more than one '..' (a range is year:2017..2020, year:2017.. or \
         year:..2020) at column 6",
        "     ^^^^",
    );
    assert_refused(
        "meeting:PAG..9",
        "'PAG' in meeting:PAG..9 is not a meeting number",
        "        ^^^",
    );
    assert_refused(
        "year:99999999999999999999999..",
        "no year in year:99999999999999999999999..",
        "     ^^^^^^^^^^^^^^^^^^^^^^^^^",
    );
}

#[test]
fn odd_ranges_never_crash() {
    let queries = [
        "year:..",
        "year:...",
        "year:2017...2019",
        "year:-1..2",
        "year:2017..-",
        "meeting:..-..",
        "meeting:é..🦀",
        "year:18446744073709551615..18446744073709551616",
        "meeting:0..0",
        "year:\"..\"",
    ];
    for query in queries {
        let code = search(query).status.code();
        assert!(matches!(code, Some(0 | 2)), "{query}: {code:?}");
    }
}
