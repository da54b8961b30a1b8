//! The same report twice in one corpus, run as the built binary: the shipped
//! report as markdown, PDF and pdftotext rendering beside the project's test
//! reports of other meetings; a draft and its final version; two different
//! reports with one file name.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::{pagsearch, stderr, stdout};

use serde_json::Value;

/// Paragraph units of the shipped report.
const PAG8_UNITS: usize = 136;

fn project(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// A temporary folder with `corpus/` holding the given project files.
fn workspace(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for file in files {
        let from = project(file);
        std::fs::copy(&from, corpus.join(from.file_name().unwrap())).unwrap();
    }
    dir
}

fn run(dir: &Path, args: &[&str]) -> Output {
    let output = pagsearch(dir, args).output().unwrap();
    assert!(
        output.status.success(),
        "pagsearch {args:?} failed: {}",
        stderr(&output)
    );
    output
}

fn index(dir: &Path) -> String {
    stderr(&run(dir, &["index"]))
}

/// (doc, para) of every hit of `query` (all of them).
fn hits(dir: &Path, query: &str) -> Vec<(String, String)> {
    let output = run(dir, &["search", query, "--json", "--limit", "10000"]);
    stdout(&output)
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .filter(|hit| hit.get("rank").is_some())
        .map(|hit| {
            (
                hit["doc"].as_str().unwrap().to_string(),
                hit["para"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Paragraph counts by document, from `facets doc --json`.
fn documents(dir: &Path) -> Vec<(String, u64, String)> {
    let output = run(dir, &["facets", "doc", "--json"]);
    let value: Value = serde_json::from_str(&stdout(&output)).unwrap();
    value["doc"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["doc"].as_str().unwrap().to_string(),
                d["paragraphs"].as_u64().unwrap(),
                d["path"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

const THREE_RENDERINGS: [&str; 6] = [
    "corpus/pag8-report.md",
    "tests/fixtures/pag8-report.pdf",
    "tests/fixtures/pag8-report.pdftotext.txt",
    "tests/fixtures/reports/pag9-report.md",
    "tests/fixtures/reports/pag11-report.txt",
    "tests/fixtures/reports/cop-report.md",
];

#[test]
fn three_renderings_of_one_report_are_indexed_once() {
    let dir = workspace(&THREE_RENDERINGS);
    let log = index(dir.path());
    let aside: Vec<&str> = log
        .lines()
        .filter(|l| l.starts_with("set aside "))
        .collect();
    assert_eq!(aside.len(), 2, "{log}");
    assert!(
        aside[0].starts_with("set aside corpus/pag8-report.md: the same report as corpus/pag8-report.pdf, which is kept (a PDF, with page numbers)"),
        "{log}"
    );
    assert!(
        aside[1].starts_with(
            "set aside corpus/pag8-report.pdftotext.txt: the same report as corpus/pag8-report.pdf"
        ),
        "{log}"
    );

    // Every hit once; the kept copy is the PDF (its hits have pages).
    for query in ["mercury waste", "area:asgm", "speaker:Keane", "financing"] {
        let found = hits(dir.path(), query);
        let unique: BTreeSet<&(String, String)> = found.iter().collect();
        assert_eq!(unique.len(), found.len(), "{query}: {found:?}");
        assert!(found.iter().any(|(doc, _)| doc == "PAG.8/7"), "{query}");
    }
    let output = run(
        dir.path(),
        &["search", "doc:PAG.8/7", "--json", "--limit", "1"],
    );
    let first: Value = serde_json::from_str(stdout(&output).lines().next().unwrap()).unwrap();
    assert!(first["page"].as_u64().is_some(), "{first}");

    // Facets count each paragraph once.
    let docs = documents(dir.path());
    let pag8: Vec<_> = docs.iter().filter(|(doc, _, _)| doc == "PAG.8/7").collect();
    assert_eq!(pag8.len(), 1, "{docs:?}");
    assert_eq!(pag8[0].1, PAG8_UNITS as u64);
    assert!(pag8[0].2.ends_with("pag8-report.pdf"), "{docs:?}");
    let output = run(
        dir.path(),
        &["search", "area:asgm", "--facets", "--json", "--limit", "0"],
    );
    let facets: Value = serde_json::from_str(stdout(&output).lines().last().unwrap()).unwrap();
    let total = facets["total"].as_u64().unwrap() as usize;
    assert_eq!(total, hits(dir.path(), "area:asgm").len());

    // `show` is never ambiguous: one paragraph 62.
    let output = run(dir.path(), &["show", "PAG.8/7", "62", "--json"]);
    let shown: Vec<Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let paragraph: Vec<&Value> = shown.iter().filter(|p| p["para"] == "62").collect();
    assert_eq!(paragraph.len(), 1, "{shown:?}");
    assert!(paragraph[0]["text"].as_str().unwrap().contains("Keane"));
    // The paragraph and one neighbour each side.
    assert_eq!(shown.len(), 3, "{shown:?}");
}

#[test]
fn when_the_kept_copy_goes_another_takes_its_place_without_reparsing() {
    let dir = workspace(&THREE_RENDERINGS);
    index(dir.path());
    let before = hits(dir.path(), "mercury waste");
    std::fs::remove_file(dir.path().join("corpus/pag8-report.pdf")).unwrap();
    let log = index(dir.path());
    assert!(log.contains("0 added, 0 updated, 1 removed"), "{log}");
    assert!(
        log.contains("set aside corpus/pag8-report.pdftotext.txt: the same report as corpus/pag8-report.md, which is kept"),
        "{log}"
    );
    let after = hits(dir.path(), "mercury waste");
    // The same paragraphs of the same report, now from the markdown.
    assert_eq!(before.len(), after.len());
    let docs = documents(dir.path());
    let pag8: Vec<_> = docs.iter().filter(|(doc, _, _)| doc == "PAG.8/7").collect();
    assert_eq!(pag8.len(), 1, "{docs:?}");
    assert!(pag8[0].2.ends_with("pag8-report.md"), "{docs:?}");
}

/// `report` with its distribution date replaced and some paragraphs
/// rewritten: a later version of the same document.
fn final_version(draft: &str) -> String {
    assert!(draft.contains("17 January 2020"));
    draft
        .replace("17 January 2020", "3 March 2020")
        .replace("mercury", "Mercury (Hg)")
        .replace("partners", "Partners")
        + "\n"
}

#[test]
fn a_draft_gives_way_to_its_final_version() {
    let dir = workspace(&["tests/fixtures/reports/pag14-report.md"]);
    let draft = std::fs::read_to_string(project("tests/fixtures/reports/pag9-report.md")).unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::write(corpus.join("pag9-draft.md"), &draft).unwrap();
    std::fs::write(corpus.join("pag9-final.md"), final_version(&draft)).unwrap();
    let log = index(dir.path());
    assert!(
        log.contains("set aside corpus/pag9-draft.md: an earlier version of PAG.9/6 than corpus/pag9-final.md, which is kept (distributed 2020-03-03, this one 2020-01-17)"),
        "{log}"
    );
    // The final version's words are found; the draft's paragraphs are not
    // there beside them.
    assert!(!hits(dir.path(), "doc:PAG.9/6 \"mercury hg\"").is_empty());
    let all = hits(dir.path(), "doc:PAG.9/6");
    let unique: BTreeSet<_> = all.iter().collect();
    assert_eq!(unique.len(), all.len());
    assert_eq!(all.len(), 49);
}

#[test]
fn two_reports_with_one_file_name_both_stay_and_show_asks_which() {
    let dir = tempfile::tempdir().unwrap();
    for (folder, source) in [
        ("pag14", "tests/fixtures/reports/pag14-report.md"),
        ("cop", "tests/fixtures/reports/cop-report.md"),
    ] {
        let text = std::fs::read_to_string(project(source)).unwrap();
        // Without a symbol, a report is known by its file stem.
        let unsymbolled: String = text
            .lines()
            .filter(|line| !line.trim().starts_with("UNEP") || line.trim().contains(' '))
            .map(|line| format!("{line}\n"))
            .collect();
        let folder = dir.path().join("corpus").join(folder);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("report.md"), unsymbolled).unwrap();
    }
    let log = index(dir.path());
    assert!(!log.contains("set aside"), "{log}");
    let docs = documents(dir.path());
    assert_eq!(
        docs.iter().filter(|(doc, _, _)| doc == "report").count(),
        2,
        "{docs:?}"
    );

    let output = pagsearch(dir.path(), &["show", "report", "3"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("'report' names 2 different reports (corpus/cop/report.md, corpus/pag14/report.md): give the file's path instead"),
        "{message}"
    );
    let output = run(
        dir.path(),
        &["show", "corpus/pag14/report.md", "3", "--json"],
    );
    assert!(stdout(&output).contains("\"para\":\"3\""));
}
