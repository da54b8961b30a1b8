//! The default index out of date with `corpus/`: a search says so in one
//! line with the command that updates it, and answers from the index as it
//! is. Run as the built binary in a fresh project folder, and through the
//! library's `Index::changes`.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, SystemTime};

mod common;
use common::{stderr, stdout};
use pagsearch::Index;
use pagsearch::report::Taxonomy;

/// A fresh project: `corpus/` holding a copy of the shipped report.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("corpus")).unwrap();
        let project = Project { dir };
        project.copy("corpus/pag8-report.md", "corpus/pag8-report.md");
        project
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// Copies the project's `from` to `to`, dated an hour ago (as a report
    /// saved a while before it is indexed).
    fn copy(&self, from: &str, to: &str) {
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join(from);
        std::fs::copy(source, self.path(to)).unwrap();
        set_age(&self.path(to), 3600);
    }

    fn run(&self, args: &[&str]) -> Output {
        let output = common::pagsearch(self.dir.path(), args)
            .output()
            .expect("the binary runs");
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        output
    }

    /// The out-of-date lines a command printed.
    fn notices(&self, args: &[&str]) -> Vec<String> {
        stderr(&self.run(args))
            .lines()
            .filter(|line| line.contains("out of date"))
            .map(str::to_string)
            .collect()
    }

    /// The documents of the hits of a search.
    fn docs(&self, query: &str) -> Vec<String> {
        let output = self.run(&["search", "--json", "--limit", "1000", query]);
        let mut docs: Vec<String> = stdout(&output)
            .lines()
            .filter_map(|line| {
                let hit: serde_json::Value = serde_json::from_str(line).unwrap();
                hit["doc"].as_str().map(str::to_string)
            })
            .collect();
        docs.dedup();
        docs
    }
}

/// Dates a file `seconds` ago.
fn set_age(path: &Path, seconds: u64) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - Duration::from_secs(seconds))
        .unwrap();
}

/// The notice for these counts.
fn notice(added: usize, changed: usize, removed: usize) -> Vec<String> {
    vec![format!(
        "index/ is out of date with corpus/ ({added} added, {changed} changed, {removed} removed): run `pagsearch index` to update it"
    )]
}

#[test]
fn a_search_says_once_when_corpus_changed_since_the_index_was_updated() {
    let project = Project::new();
    // First use: the index is built, and is up to date.
    let output = project.run(&["search", "mercury"]);
    assert!(
        stderr(&output).contains("No index yet"),
        "{}",
        stderr(&output)
    );
    assert!(!stderr(&output).contains("out of date"));
    assert!(project.notices(&["search", "mercury"]).is_empty());

    // A report added: said once by search, show and facets, which answer
    // from the index as it is.
    project.copy(
        "tests/fixtures/reports/pag9-report.md",
        "corpus/pag9-report.md",
    );
    for args in [
        &["search", "Wendt"][..],
        &["search", "--json", "--facets", "Wendt"],
        &["show", "PAG.8/7", "63"],
        &["facets", "doc"],
    ] {
        assert_eq!(project.notices(args), notice(1, 0, 0), "{args:?}");
    }
    assert!(!project.docs("Wendt").contains(&"PAG.9/6".to_string()));
    // `pagsearch index`, as the notice says: found, and no more notice.
    project.run(&["index"]);
    assert!(project.notices(&["search", "Wendt"]).is_empty());
    assert!(project.docs("Wendt").contains(&"PAG.9/6".to_string()));

    // A report changed.
    let report = project.path("corpus/pag8-report.md");
    let mut text = std::fs::read_to_string(&report).unwrap();
    text.push_str("\n\n133. Mr. Cuna thanked the quokka delegation.\n");
    std::fs::write(&report, &text).unwrap();
    assert_eq!(project.notices(&["search", "quokka"]), notice(0, 1, 0));
    assert!(project.docs("quokka").is_empty());
    project.run(&["index"]);
    assert_eq!(project.docs("quokka"), ["PAG.8/7"]);

    // A report touched, or written again the same: not a change.
    set_age(&report, 60);
    std::fs::write(&report, &text).unwrap();
    assert!(project.notices(&["search", "quokka"]).is_empty());

    // A report removed.
    std::fs::remove_file(project.path("corpus/pag9-report.md")).unwrap();
    assert_eq!(project.notices(&["search", "Wendt"]), notice(0, 0, 1));
    project.run(&["index"]);
    assert!(project.notices(&["search", "Wendt"]).is_empty());

    // All three at once.
    project.copy(
        "tests/fixtures/reports/pag14-report.md",
        "corpus/pag14-report.md",
    );
    project.copy("tests/fixtures/reports/cop-report.md", "corpus/cop.md");
    std::fs::write(&report, text.replace("quokka", "wombat")).unwrap();
    project.run(&["index"]);
    project.copy("tests/fixtures/reports/pag9-report.md", "corpus/new.md");
    std::fs::write(&report, &text).unwrap();
    std::fs::remove_file(project.path("corpus/cop.md")).unwrap();
    assert_eq!(project.notices(&["search", "mercury"]), notice(1, 1, 1));
}

#[test]
fn a_file_the_index_skipped_is_new_only_until_indexed_again() {
    let project = Project::new();
    project.run(&["search", "mercury"]);
    std::fs::write(project.path("corpus/empty.md"), "").unwrap();
    std::fs::write(project.path("corpus/notes.png"), "not a report").unwrap();
    assert_eq!(project.notices(&["search", "mercury"]), notice(1, 0, 0));
    let output = project.run(&["index"]);
    assert!(stderr(&output).contains("warning: skipped corpus/empty.md"));
    assert!(project.notices(&["search", "mercury"]).is_empty());
    // Once it holds a report, it is new again.
    project.copy("tests/fixtures/reports/pag9-report.md", "corpus/empty.md");
    assert_eq!(project.notices(&["search", "mercury"]), notice(1, 0, 0));
}

#[test]
fn no_notice_for_an_index_given_with_index_nor_one_built_from_other_folders() {
    let project = Project::new();
    project.run(&["index", "--index", "other"]);
    project.copy(
        "tests/fixtures/reports/pag9-report.md",
        "corpus/pag9-report.md",
    );
    assert!(
        project
            .notices(&["search", "--index", "other", "mercury"])
            .is_empty()
    );
    // The default index built from another folder than corpus/.
    std::fs::create_dir(project.path("elsewhere")).unwrap();
    project.copy(
        "tests/fixtures/reports/pag14-report.md",
        "elsewhere/pag14-report.md",
    );
    project.run(&["index", "elsewhere"]);
    assert!(project.notices(&["search", "mercury"]).is_empty());
}

#[test]
fn a_search_never_writes_nor_fails_for_the_check() {
    let project = Project::new();
    project.run(&["search", "mercury"]);
    project.copy(
        "tests/fixtures/reports/pag9-report.md",
        "corpus/pag9-report.md",
    );
    let listing = || {
        let mut names: Vec<(String, u64)> = std::fs::read_dir(project.path("index"))
            .unwrap()
            .map(|entry| {
                let entry = entry.unwrap();
                let name = entry.file_name().to_string_lossy().into_owned();
                (name, entry.metadata().unwrap().len())
            })
            .collect();
        names.sort();
        names
    };
    let before = listing();
    assert_eq!(project.notices(&["search", "mercury"]), notice(1, 0, 0));
    assert_eq!(
        listing(),
        before,
        "the stale search left the index as it was"
    );
    // A file map that cannot be read: no notice, and the search answers.
    for (name, _) in &before {
        if name.starts_with("files-") {
            std::fs::remove_file(project.path("index").join(name)).unwrap();
        }
    }
    let output = project.run(&["search", "--json", "mercury"]);
    assert!(!stderr(&output).contains("out of date"));
    assert!(!stdout(&output).is_empty());
}

#[test]
fn changes_lists_files_added_changed_and_removed() {
    let project = Project::new();
    let corpus = project.path("corpus");
    let roots = [corpus.clone()];
    let taxonomy = Taxonomy::builtin();
    // Each update from a freshly opened index, as each `pagsearch index` run.
    let update = || {
        let mut index = Index::open_or_create(&project.path("index"), &taxonomy).unwrap();
        index
            .update(&roots, &taxonomy, false, &|_| {})
            .unwrap_or_else(|e| panic!("update: {e}"));
        index
    };
    let index = update();
    let changes = index.changes(&roots).unwrap();
    assert!(changes.is_empty(), "{changes:?}");
    assert_eq!(changes.indexed, 1);
    // Another folder holds nothing the index knows.
    let elsewhere = [project.path("elsewhere")];
    assert_eq!(index.changes(&elsewhere).unwrap().indexed, 0);

    let added = corpus.join("pag9.md");
    let report = corpus.join("pag8-report.md");
    project.copy("tests/fixtures/reports/pag9-report.md", "corpus/pag9.md");
    let changes = index.changes(&roots).unwrap();
    assert_eq!(changes.added, std::slice::from_ref(&added));
    assert!(changes.changed.is_empty() && changes.removed.is_empty());
    let index = update();

    // Touched: unchanged. Edited at the same size: changed.
    set_age(&report, 10);
    assert!(index.changes(&roots).unwrap().is_empty());
    let mut bytes = std::fs::read(&report).unwrap();
    let at = bytes.len() - 2;
    bytes[at] = if bytes[at] == b'x' { b'y' } else { b'x' };
    std::fs::write(&report, &bytes).unwrap();
    std::fs::remove_file(&added).unwrap();
    let changes = index.changes(&roots).unwrap();
    assert_eq!(changes.changed, [report]);
    assert_eq!(changes.removed, [added]);
    assert!(changes.added.is_empty());
    assert_eq!(changes.indexed, 2);
    assert!(update().changes(&roots).unwrap().is_empty());
}
