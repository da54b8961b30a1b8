//! `search --group-by` and `--sort` over an index of reports of several
//! meetings and years (the shipped 2017 report, the test reports of other
//! house styles, 2019 to 2026, and a report with no date), through the built
//! binary and through the library.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

mod common;
use common::{stderr, stdout};

use pagsearch::{GroupBy, Hit, Index, SearchOptions, SearchResults, Sort};
use serde_json::Value;

/// The reports indexed, and the meeting date of each (by document id).
const REPORTS: [&str; 8] = [
    "corpus/pag8-report.md",
    "tests/fixtures/reports/cop-report.md",
    "tests/fixtures/reports/inc-report.txt",
    "tests/fixtures/reports/oewg-report.txt",
    "tests/fixtures/reports/oewg-summary.md",
    "tests/fixtures/reports/pag11-report.txt",
    "tests/fixtures/reports/pag14-report.md",
    "tests/fixtures/reports/pag9-report.md",
];

/// A report that gives no date anywhere: its id is its file stem.
const UNDATED: &str = "**1. Opening of the meeting**

1. Ms. Ingrid Valtonen opened the meeting and spoke of mercury in artisanal and small-scale gold mining.

2. Mr. Tomas Brezina said that mercury waste from gold mining was a concern for the partnership.
";

/// The meeting date of each report, as `yyyy-mm-dd`; the undated report has none.
fn date_of(doc: &str) -> Option<&'static str> {
    Some(match doc {
        "PAG.8/7" => "2017-09-22",
        "OEWG.3/9" => "2019-09-09",
        "PAG.9/6" => "2019-11-22",
        "PAG.14/4" => "2023-09-14",
        "INC-NF.2/7" => "2024-06-03",
        "PAG.11/6" => "2025-03-04",
        "COP.6/21" => "2025-11-03",
        "OEWG.2/6" => "2026-05-11",
        "undated-note" => return None,
        other => panic!("unexpected report {other}"),
    })
}

/// The index, built once by the binary for all the tests.
struct Fixture {
    _dir: tempfile::TempDir,
    index_dir: PathBuf,
    index: Index,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temporary folder");
        let undated = dir.path().join("undated-note.md");
        std::fs::write(&undated, UNDATED).expect("written");
        let index_dir = dir.path().join("index");
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut args = vec![
            "index".to_string(),
            "--index".to_string(),
            index_dir.display().to_string(),
        ];
        args.extend(REPORTS.iter().map(|r| root.join(r).display().to_string()));
        args.push(undated.display().to_string());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = common::pagsearch(dir.path(), &args)
            .output()
            .expect("the binary runs");
        let log = stderr(&output);
        assert!(output.status.success(), "{log}");
        // The report without a date is named at index time, alone.
        let notes: Vec<&str> = log.lines().filter(|l| l.starts_with("note: ")).collect();
        assert_eq!(
            notes,
            [format!(
                "note: 1 file without a readable meeting or distribution date, sorted last by date: {}",
                undated.display()
            )],
            "{log}"
        );
        let index = Index::open(&index_dir).expect("index opens");
        assert_eq!(index.file_count(), 9);
        Fixture {
            _dir: dir,
            index_dir,
            index,
        }
    })
}

fn run(args: &[&str]) -> std::process::Output {
    let fixture = fixture();
    let mut all = vec!["search", "--index"];
    let dir = fixture.index_dir.display().to_string();
    all.push(&dir);
    all.extend_from_slice(args);
    common::pagsearch(fixture.index_dir.parent().expect("parent"), &all)
        .output()
        .expect("the binary runs")
}

/// The JSON lines of a search.
fn json(args: &[&str]) -> Vec<Value> {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let output = run(&all);
    assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect()
}

fn search(query: &str, options: &SearchOptions) -> SearchResults {
    fixture().index.search(query, options).expect("searched")
}

fn options(limit: usize) -> SearchOptions {
    SearchOptions {
        limit: Some(limit),
        ..SearchOptions::default()
    }
}

fn grouped(by: GroupBy, sort: Sort) -> SearchOptions {
    SearchOptions {
        group_by: Some(by),
        sort,
        ..options(1000)
    }
}

/// A hit as (document, paragraph).
fn place(hit: &Hit) -> (String, String) {
    (hit.paragraph.doc.clone(), hit.paragraph.para.clone())
}

/// The filter that selects a group's paragraphs.
fn filter(by: GroupBy, key: &str) -> String {
    match by {
        GroupBy::Doc => format!("doc:\"{key}\""),
        GroupBy::Speaker => format!("speaker:\"{key}\""),
        GroupBy::Area => format!("area:{key}"),
        GroupBy::Agenda => format!("agenda:{key}"),
        GroupBy::Meeting => unreachable!("no filter names a meeting"),
    }
}

const QUERIES: [&str; 3] = ["mercury", "mercury waste", "financing"];

#[test]
fn group_counts_and_best_hits_match_a_filter_query_per_group() {
    for query in QUERIES {
        for by in [
            GroupBy::Doc,
            GroupBy::Speaker,
            GroupBy::Area,
            GroupBy::Agenda,
        ] {
            let results = search(query, &grouped(by, Sort::Relevance));
            assert!(results.groups.len() > 1, "{query} by {by:?}");
            assert_eq!(results.groups.len(), results.hits.len());
            assert_eq!(results.group_total, results.groups.len());
            assert_eq!(results.total, search(query, &options(1)).total);
            for (group, hit) in results.groups.iter().zip(&results.hits) {
                assert_eq!(group.by, by);
                let narrowed = format!("{query} {}", filter(by, &group.key));
                let alone = search(&narrowed, &options(1));
                assert_eq!(alone.total as u64, group.count, "{narrowed}");
                assert_eq!(place(hit), place(&alone.hits[0]), "{narrowed}");
                let (score, best) = (hit.score.unwrap(), alone.hits[0].score.unwrap());
                assert!((score - best).abs() < 1e-4, "{narrowed}: {score} {best}");
            }
            // Groups by their best score.
            let scores: Vec<f32> = results.hits.iter().map(|h| h.score.unwrap()).collect();
            assert!(
                scores.windows(2).all(|w| w[0] >= w[1]),
                "{query} by {by:?}: {scores:?}"
            );
            let ranks: Vec<usize> = results.hits.iter().map(|h| h.rank).collect();
            assert_eq!(ranks, (1..=ranks.len()).collect::<Vec<_>>());
        }
    }
}

#[test]
fn speaker_area_and_agenda_groups_are_the_facet_counts() {
    for query in QUERIES {
        let facets = search(
            query,
            &SearchOptions {
                facets: true,
                ..options(1)
            },
        )
        .facets
        .expect("facets");
        for (by, expected) in [
            (GroupBy::Speaker, &facets.speaker),
            (GroupBy::Area, &facets.area),
            (GroupBy::Agenda, &facets.agenda),
        ] {
            let results = search(query, &grouped(by, Sort::Relevance));
            let counts: BTreeMap<&str, u64> = results
                .groups
                .iter()
                .map(|g| (g.key.as_str(), g.count))
                .collect();
            let expected: BTreeMap<&str, u64> =
                expected.iter().map(|(k, c)| (k.as_str(), *c)).collect();
            assert_eq!(counts, expected, "{query} by {by:?}");
        }
    }
}

#[test]
fn a_paragraph_of_two_speakers_counts_in_both_and_one_of_none_in_neither() {
    let all = search("mercury", &options(1000));
    let with_speakers: u64 = all
        .hits
        .iter()
        .map(|h| h.paragraph.speakers.len() as u64)
        .sum();
    assert!(all.hits.iter().any(|h| h.paragraph.speakers.is_empty()));
    let results = search("mercury", &grouped(GroupBy::Speaker, Sort::Relevance));
    let counted: u64 = results.groups.iter().map(|g| g.count).sum();
    assert_eq!(counted, with_speakers);
}

#[test]
fn meetings_gather_their_reports() {
    let by_doc = search("mercury", &grouped(GroupBy::Doc, Sort::Relevance));
    let by_meeting = search("mercury", &grouped(GroupBy::Meeting, Sort::Relevance));
    for group in &by_meeting.groups {
        let docs: u64 = by_doc
            .groups
            .iter()
            .filter(|d| d.key.split_once('/').map_or(d.key.as_str(), |(m, _)| m) == group.key)
            .map(|d| d.count)
            .sum();
        assert_eq!(docs, group.count, "{}", group.key);
    }
    let keys: Vec<&str> = by_meeting.groups.iter().map(|g| g.key.as_str()).collect();
    assert!(
        keys.contains(&"PAG.8") && keys.contains(&"undated-note"),
        "{keys:?}"
    );
    // One report per meeting here: the same best hits as by report.
    let places = |r: &SearchResults| r.hits.iter().map(place).collect::<Vec<_>>();
    assert_eq!(places(&by_meeting), places(&by_doc));
}

/// The dates of hits, `None` for the undated report.
fn dates(results: &SearchResults) -> Vec<Option<&'static str>> {
    results
        .hits
        .iter()
        .map(|h| date_of(&h.paragraph.doc))
        .collect()
}

/// Dated first, in `newest` or oldest order, the undated last.
fn assert_date_order(dates: &[Option<&str>], newest: bool, what: &str) {
    for pair in dates.windows(2) {
        match (pair[0], pair[1]) {
            (Some(a), Some(b)) => {
                assert!(if newest { a >= b } else { a <= b }, "{what}: {dates:?}")
            }
            (None, Some(_)) => panic!("{what}: undated before dated: {dates:?}"),
            _ => {}
        }
    }
}

#[test]
fn sorting_by_date_keeps_relevance_among_paragraphs_of_a_date() {
    for query in QUERIES {
        let relevance = search(query, &options(1000));
        for (sort, newest) in [(Sort::Newest, true), (Sort::Oldest, false)] {
            let sorted = search(
                query,
                &SearchOptions {
                    sort,
                    ..options(1000)
                },
            );
            assert_eq!(sorted.total, relevance.total);
            assert_eq!(sorted.hits.len(), relevance.hits.len());
            assert_date_order(&dates(&sorted), newest, query);
            // Ties by date: by score, as the relevance order has them.
            for pair in sorted.hits.windows(2) {
                if pair[0].paragraph.doc == pair[1].paragraph.doc {
                    assert!(pair[0].score >= pair[1].score, "{query}");
                }
            }
            let of_date = |r: &SearchResults, doc: &str| -> Vec<(String, String)> {
                r.hits
                    .iter()
                    .filter(|h| h.paragraph.doc == doc)
                    .map(place)
                    .collect()
            };
            for doc in ["PAG.8/7", "COP.6/21", "undated-note"] {
                assert_eq!(of_date(&sorted, doc), of_date(&relevance, doc), "{query}");
            }
        }
    }
    // The undated report has matches, and comes last both ways.
    for sort in [Sort::Newest, Sort::Oldest] {
        let sorted = search(
            "mercury",
            &SearchOptions {
                sort,
                ..options(1000)
            },
        );
        assert_eq!(
            sorted.hits.last().map(|h| h.paragraph.doc.as_str()),
            Some("undated-note")
        );
    }
}

#[test]
fn a_limit_keeps_the_first_by_date() {
    let all = search(
        "mercury",
        &SearchOptions {
            sort: Sort::Newest,
            ..options(1000)
        },
    );
    let five = search(
        "mercury",
        &SearchOptions {
            sort: Sort::Newest,
            ..options(5)
        },
    );
    let places = |r: &SearchResults| r.hits.iter().map(place).collect::<Vec<_>>();
    assert_eq!(places(&five), places(&all)[..5]);
    assert_eq!(dates(&five), [Some("2026-05-11"); 5]);
}

#[test]
fn filters_only_sort_by_date_then_document_order() {
    let sorted = search(
        "area:asgm",
        &SearchOptions {
            sort: Sort::Oldest,
            limit: None,
            ..SearchOptions::default()
        },
    );
    let in_order = search("area:asgm", &SearchOptions::default());
    assert!(sorted.document_order && sorted.hits.iter().all(|h| h.score.is_none()));
    assert_eq!(sorted.total, in_order.total);
    assert_eq!(sorted.hits.len(), in_order.total);
    assert_date_order(&dates(&sorted), false, "area:asgm");
    for pair in sorted.hits.windows(2) {
        if pair[0].paragraph.doc == pair[1].paragraph.doc {
            assert!(pair[0].paragraph.line < pair[1].paragraph.line);
        }
    }
}

#[test]
fn filters_only_groups_come_in_order_of_their_first_paragraph() {
    let in_order = search("area:asgm", &SearchOptions::default());
    let results = search(
        "area:asgm",
        &SearchOptions {
            group_by: Some(GroupBy::Doc),
            ..SearchOptions::default()
        },
    );
    let mut firsts: Vec<(String, String)> = Vec::new();
    for hit in &in_order.hits {
        if !firsts.iter().any(|(doc, _)| *doc == hit.paragraph.doc) {
            firsts.push(place(hit));
        }
    }
    let places: Vec<(String, String)> = results.hits.iter().map(place).collect();
    assert_eq!(places, firsts);
    assert!(results.hits.iter().all(|h| h.score.is_none()));
}

#[test]
fn groups_sorted_by_their_best_hits_date() {
    for query in QUERIES {
        for by in [GroupBy::Speaker, GroupBy::Doc, GroupBy::Area] {
            let relevance = search(query, &grouped(by, Sort::Relevance));
            let key_places = |r: &SearchResults| {
                let mut list: Vec<(String, u64, (String, String))> = r
                    .groups
                    .iter()
                    .zip(&r.hits)
                    .map(|(g, h)| (g.key.clone(), g.count, place(h)))
                    .collect();
                list.sort();
                list
            };
            for (sort, newest) in [(Sort::Newest, true), (Sort::Oldest, false)] {
                let sorted = search(query, &grouped(by, sort));
                // The same groups and best hits, in another order.
                assert_eq!(key_places(&sorted), key_places(&relevance));
                assert_date_order(&dates(&sorted), newest, query);
                for pair in sorted.hits.windows(2) {
                    if date_of(&pair[0].paragraph.doc) == date_of(&pair[1].paragraph.doc) {
                        assert!(pair[0].score >= pair[1].score, "{query} by {by:?}");
                    }
                }
            }
        }
    }
}

#[test]
fn json_lines_of_groups() {
    let lines = json(&["mercury", "--group-by", "speaker", "--limit", "4"]);
    assert_eq!(lines.len(), 4);
    let plain = json(&["mercury", "--limit", "1"]);
    for (i, line) in lines.iter().enumerate() {
        let object = line.as_object().expect("an object");
        let group = object["group"].as_object().expect("a group object");
        let keys: Vec<&str> = group.keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 3);
        assert_eq!(group["by"], "speaker");
        assert!(group["key"].is_string());
        assert!(group["count"].as_u64().unwrap() >= 1);
        assert_eq!(line["rank"], i + 1);
        assert!(line["score"].is_f64());
        // The hit's fields as ungrouped, and the group.
        let mut fields: Vec<&str> = object.keys().map(String::as_str).collect();
        fields.retain(|f| *f != "group");
        let mut expected: Vec<&str> = plain[0]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        fields.sort_unstable();
        expected.sort_unstable();
        assert_eq!(fields, expected);
        let speakers: Vec<&str> = line["speakers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        assert!(speakers.contains(&group["key"].as_str().unwrap()));
    }
    // The group comes first on its line.
    let output = run(&["--json", "mercury", "--group-by", "doc", "--limit", "1"]);
    assert!(stdout(&output).starts_with("{\"group\":{\"by\":\"doc\",\"key\":"));
    // Ungrouped lines have no group.
    assert!(plain.iter().all(|line| line.get("group").is_none()));
}

#[test]
fn json_facets_with_groups_count_every_match() {
    let lines = json(&["mercury", "--group-by", "doc", "--facets", "--limit", "2"]);
    assert_eq!(lines.len(), 3);
    let facets = lines.last().unwrap();
    let total = search("mercury", &options(1)).total;
    assert_eq!(facets["total"], total);
    let speakers = facets["facets"]["speaker"].as_object().unwrap();
    let expected = search("mercury", &grouped(GroupBy::Speaker, Sort::Relevance));
    assert_eq!(speakers.len(), expected.group_total);
}

#[test]
fn text_shows_a_header_per_group_and_the_limit_counts_groups() {
    let output = run(&[
        "mercury",
        "--group-by",
        "meeting",
        "--sort",
        "newest",
        "--limit",
        "3",
        "--color",
        "never",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let headers: Vec<&str> = text.lines().filter(|l| l.starts_with("meeting ")).collect();
    assert_eq!(headers.len(), 3, "{text}");
    // Newest meeting first: OEWG.2 (2026), then COP.6 and PAG.11 (2025).
    assert!(headers[0].starts_with("meeting OEWG.2 · "), "{text}");
    assert!(headers[1].starts_with("meeting COP.6 · "), "{text}");
    assert!(headers[2].starts_with("meeting PAG.11 · "), "{text}");
    assert!(headers[0].ends_with(" matching paragraphs"), "{text}");
    let total = search("mercury", &options(1)).total;
    let groups = search("mercury", &grouped(GroupBy::Meeting, Sort::Relevance)).group_total;
    assert!(
        text.contains(&format!(
            "3 of {groups} groups by meeting; {total} matching paragraphs"
        )),
        "{text}"
    );
    // Each header is followed by its best hit, numbered.
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().position(|l| *l == headers[1]).unwrap();
    assert!(lines[at + 1].starts_with(" 2. COP.6/21 ¶"), "{text}");
}

#[test]
fn unknown_group_or_sort_values_are_refused_with_the_choices() {
    for (flag, value, choices) in [
        (
            "--group-by",
            "colour",
            "doc, meeting, speaker, area, agenda",
        ),
        ("--sort", "date", "relevance, newest, oldest"),
    ] {
        let output = run(&["mercury", flag, value]);
        assert_eq!(output.status.code(), Some(2));
        let message = stderr(&output);
        assert!(
            message.contains(&format!("invalid value '{value}'")),
            "{message}"
        );
        assert!(message.contains(choices), "{message}");
    }
}
