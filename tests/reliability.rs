//! Messy folders, bad queries and concurrent use, run as the built binary
//! (and, for files that change under a running update, through the
//! library): indexing goes on past bad files with a warning naming each,
//! queries fail with status 2 and a pointer, and an index is never lost.
//!
//! Cases that need a file the process may not read, or an index folder it may
//! not write, drop to the `nobody` user when the tests run as root (root reads
//! and writes everything).

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

mod common;
use common::{stderr, stdout};

#[path = "../examples/gen_corpus/generator.rs"]
#[allow(dead_code)]
mod generator;

use pagsearch::report::Taxonomy;
use pagsearch::{Index, SearchOptions};

/// User and group id of `nobody` on Debian and most Unix systems.
const NOBODY: u32 = 65534;

/// A temporary folder the tests fill with reports; readable and writable by
/// `nobody` too, for the cases that run as that user.
struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        Workspace { dir }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// Writes `bytes` to `relative`, creating folders (world-writable, so
    /// that `nobody` may create an index beside them).
    fn write(&self, relative: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(relative);
        let mut folder = path.parent().unwrap();
        std::fs::create_dir_all(folder).unwrap();
        while folder != self.dir.path() {
            std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o777)).unwrap();
            folder = folder.parent().unwrap();
        }
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn shipped_report(&self, relative: &str) -> PathBuf {
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/pag8-report.md");
        self.write(relative, std::fs::read(shipped).unwrap())
    }

    fn command(&self, args: &[&str]) -> Command {
        common::pagsearch(self.dir.path(), args)
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("the binary runs")
    }

    /// Runs as `nobody` when the tests run as root, else as the current user.
    fn run_unprivileged(&self, args: &[&str]) -> Output {
        let mut command = self.command(args);
        if running_as_root(self.dir.path()) {
            command.uid(NOBODY).gid(NOBODY);
        }
        command.output().expect("the binary runs")
    }

    fn paras(&self, query: &str) -> Vec<String> {
        let output = self.run(&["search", "--json", "--limit", "100", query]);
        assert!(output.status.success(), "{query}: {}", stderr(&output));
        stdout(&output)
            .lines()
            .map(|line| {
                let hit: serde_json::Value = serde_json::from_str(line).unwrap();
                format!(
                    "{} {}",
                    hit["doc"].as_str().unwrap(),
                    hit["para"].as_str().unwrap()
                )
            })
            .collect()
    }
}

/// True when the process runs as root: files it creates belong to uid 0.
fn running_as_root(dir: &Path) -> bool {
    std::fs::metadata(dir).unwrap().uid() == 0
}

/// Deterministic bytes that look like a PNG image.
fn image_bytes(length: usize) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let mut state: u32 = 0x1234_5678;
    while bytes.len() < length {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        bytes.push(state as u8);
    }
    bytes
}

/// A short report of `count` numbered paragraphs under one agenda item, each
/// naming `word`.
fn small_report(symbol: &str, word: &str, count: usize) -> String {
    let mut text = format!("{symbol}\n\n**1. Opening of the meeting**\n\n");
    for n in 1..=count {
        text.push_str(&format!(
            "{n}. Ms. Bailey said that {word} matters to the Partnership, point {n}.\n\n"
        ));
    }
    text
}

#[test]
fn a_messy_folder_is_indexed_with_one_warning_per_skipped_file() {
    let workspace = Workspace::new();
    workspace.shipped_report("messy/pag8-report.md");
    workspace.write("messy/empty.txt", "");
    workspace.write("messy/blank.md", "\n\n   \n\x0c\n");
    workspace.write("messy/photo.txt", image_bytes(4096));
    workspace.write("messy/notes.docx", "PK\x03\x04 a word-processor file");
    // Windows-1252: "Müller" and a curly apostrophe, not valid UTF-8.
    workspace.write(
        "messy/legacy.txt",
        b"UNEP/Hg/LEG.1/1\n\n**1. Opening**\n\n1. Mr. M\xfcller said the partners\x92 wombats matter.\n\n2. Ms. Bailey agreed.\n",
    );
    workspace.write(
        "messy/shopping.txt",
        "eggs, milk and a kilo of flour\n\nremember the aardvark food\n",
    );
    workspace.write(
        "messy/numbering.md",
        "UNEP/Hg/NUM.1/1\n\n**1. Opening**\n\n1. First point on quokkas.\n\n2. Second point.\n\n2. A repeated number.\n\n5. A gap before this one.\n\n4. Out of order.\n",
    );
    // 5 MB on one line.
    workspace.write(
        "messy/one-line.txt",
        "Ms. Bailey spoke of numbats and mercury. ".repeat(5 << 20 >> 6),
    );
    // 60 folders deep.
    let deep: String = (0..60).map(|i| format!("d{i}/")).collect();
    workspace.write(
        &format!("messy/{deep}deep.md"),
        small_report("UNEP/Hg/DEEP.1/1", "bilbies", 3),
    );
    // A symbolic link loop and a link to nowhere.
    std::os::unix::fs::symlink(workspace.path("messy"), workspace.path("messy/d0/loop")).unwrap();
    std::os::unix::fs::symlink(
        workspace.path("messy/gone.md"),
        workspace.path("messy/dangling.md"),
    )
    .unwrap();
    // A file the indexing user may not read.
    let locked = workspace.write(
        "messy/locked.md",
        small_report("UNEP/Hg/LOCK.1/1", "wallabies", 2),
    );
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();

    let output = workspace.run_unprivileged(&["index", "messy"]);
    let log = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{log}");

    // One line per skipped file, naming it and saying why.
    let skipped = |path: &str, why: &str| {
        let line = format!("warning: skipped messy/{path}: {why}");
        assert_eq!(
            log.lines()
                .filter(|l| l.starts_with(&format!("warning: skipped messy/{path}:")))
                .count(),
            1,
            "{path}: {log}"
        );
        assert!(log.lines().any(|l| l == line), "{line}\n{log}");
    };
    skipped("empty.txt", "empty file");
    skipped("blank.md", "no paragraphs found");
    skipped("photo.txt", "binary content, not a text report");
    skipped("notes.docx", "not a report (.md, .txt or .pdf)");
    skipped("d0/loop", "symbolic link loop back to messy");
    skipped("dangling.md", "symbolic link to nothing");
    skipped("locked.md", "no permission to read it");
    // Fallbacks are warnings naming the file (and the line).
    for warning in [
        "warning: messy/legacy.txt: not valid UTF-8; decoded as Windows-1252",
        "warning: messy/shopping.txt:1: no numbered paragraphs found; paragraphs split at blank lines",
        "warning: messy/one-line.txt:1: no numbered paragraphs found; paragraphs split at blank lines",
    ] {
        assert!(log.lines().any(|l| l == warning), "{warning}\n{log}");
    }
    for warning in [
        "warning: messy/numbering.md:9: duplicate paragraph number 2",
        "warning: messy/numbering.md:11: paragraph numbers jump from 2 to 5",
        "warning: messy/numbering.md:13: paragraph 4 out of order (after 5)",
    ] {
        assert!(log.lines().any(|l| l == warning), "{warning}\n{log}");
    }
    assert!(
        log.contains("6 added, 0 updated, 0 removed, 0 unchanged;")
            && log.contains("7 files skipped, 4 with warnings;"),
        "{log}"
    );

    // Everything readable is searchable.
    assert_eq!(workspace.paras("muller wombats"), ["LEG.1/1 1"]);
    // Not a report: one paragraph, the lines joined.
    assert_eq!(workspace.paras("aardvark"), ["shopping 1"]);
    assert_eq!(workspace.paras("quokkas"), ["NUM.1/1 1"]);
    assert_eq!(workspace.paras("numbats"), ["one-line 1"]);
    assert_eq!(workspace.paras("bilbies").len(), 3);
    assert!(workspace.paras("wallabies").is_empty());
    assert_eq!(
        workspace.paras("area:ASGM speaker:Keane"),
        ["PAG.8/7 62", "PAG.8/7 63", "PAG.8/7 65"]
    );
}

#[test]
fn a_100_mb_report_is_indexed_and_searchable() {
    let workspace = Workspace::new();
    // 8,000 paragraphs of 12.5 KB: reports number their paragraphs with at
    // most four digits, so a report this large has long paragraphs.
    let sentence = "Ms. Bailey said that the partners had discussed mercury waste, coal combustion and artisanal gold mining at length, and that the secretariat would report on the financing of chlor-alkali conversion in due course. ";
    let mut text = String::with_capacity(101 << 20);
    text.push_str(
        "UNEP/Hg/HUGE.1/1\n\nReport of a very long meeting\n\n**1. Opening of the meeting**\n\n",
    );
    let mut n = 0;
    while text.len() < 100_000_000 {
        n += 1;
        text.push_str(&format!("{n}. Point {n}. {}\n\n", sentence.repeat(60)));
    }
    text.push_str(&format!(
        "{}. Mr. Maag closed with a word on pangolins.\n",
        n + 1
    ));
    workspace.write("corpus/huge.md", &text);
    drop(text);
    let output = workspace.run(&["index", "corpus"]);
    let log = stderr(&output);
    assert!(output.status.success(), "{log}");
    assert!(
        log.contains(&format!("{} paragraphs written", n + 1)),
        "{log}"
    );
    assert!(!log.contains("warning:"), "{log}");
    assert_eq!(
        workspace.paras("pangolins"),
        [format!("HUGE.1/1 {}", n + 1)]
    );
    assert_eq!(workspace.paras("\"point 4321\"")[0], "HUGE.1/1 4321");
    let output = workspace.run(&["show", "HUGE.1/1", &(n + 1).to_string(), "--context", "0"]);
    assert!(stdout(&output).contains("pangolins"), "{}", stderr(&output));
}

/// A long report of realistic paragraphs, past the sizes at which the
/// parser scans people again pass after pass instead of keeping every
/// paragraph's words, and at which the writer makes a report's documents
/// one at a time: every paragraph is indexed, in order, with its tags.
#[test]
fn a_long_generated_report_is_indexed_whole_and_in_order() {
    let workspace = Workspace::new();
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/pag8-report.md");
    let source = generator::Source::parse(&std::fs::read_to_string(shipped).unwrap()).unwrap();
    let text = generator::generate_long_report(&source, 7, 9_000_000);
    let path = workspace.write("corpus/long-report.md", &text);
    let report = pagsearch::report::parse(
        &path.display().to_string(),
        text.as_bytes(),
        &Taxonomy::builtin(),
    );
    drop(text);
    // Numbered on through the report, with no warning.
    assert!(report.warnings.is_empty(), "{:?}", &report.warnings[..1]);
    let numbered: Vec<u32> = report
        .units
        .iter()
        .filter_map(|unit| unit.label.parse().ok())
        .collect();
    assert!(numbered.len() > 4_000, "{} numbered", numbered.len());
    assert!(numbered.iter().zip(1..).all(|(&n, expected)| n == expected));

    let output = workspace.run(&["index", "corpus"]);
    let log = stderr(&output);
    assert!(output.status.success(), "{log}");
    assert!(
        log.contains(&format!("{} paragraphs written", report.units.len())),
        "{log}"
    );
    // The last paragraph, and the paragraphs of its agenda item and first
    // speaker, as parsed.
    let doc = &report.meta.id;
    let last = report.units.last().unwrap();
    let item = last.agenda.as_ref().unwrap().number.clone().unwrap();
    let speaker = report
        .units
        .iter()
        .rev()
        .find(|unit| unit.agenda == last.agenda && !unit.speakers.is_empty())
        .map(|unit| report.speaker_names(unit)[0].to_string())
        .unwrap();
    let expected: Vec<String> = report
        .units
        .iter()
        .filter(|unit| unit.agenda.as_ref().and_then(|a| a.number.as_ref()) == Some(&item))
        .filter(|unit| report.speaker_names(unit).contains(&speaker.as_str()))
        .map(|unit| format!("{doc} {}", unit.label))
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(
        workspace.paras(&format!("agenda:{item} speaker:\"{speaker}\"")),
        expected
    );
    let output = workspace.run(&["show", doc, &last.label, "--context", "0", "--json"]);
    let shown: serde_json::Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    assert_eq!(shown["text"].as_str(), Some(last.text.as_str()));
}

#[test]
fn the_run_fails_only_when_nothing_searchable_was_written() {
    let workspace = Workspace::new();
    // Nothing but bad files: exit 1, saying so; the index is empty.
    workspace.write("bad/empty.txt", "");
    workspace.write("bad/photo.md", image_bytes(1000));
    let output = workspace.run(&["index", "bad"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(
            "error: nothing to search: no report paragraphs found in bad (2 files skipped)"
        ),
        "{}",
        stderr(&output)
    );
    let output = workspace.run(&["search", "mercury"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("the index in index holds no paragraphs yet: add reports with `pagsearch index --index index PATH…`"),
        "{}",
        stderr(&output)
    );

    // A path that does not exist: exit 1, and no index folder is made.
    let output = workspace.run(&["index", "--index", "other", "no-such-folder"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("no such file or folder: no-such-folder"));
    assert!(!workspace.path("other").exists());

    // A missing path beside a good one: a warning, and exit 0.
    workspace.shipped_report("good/pag8-report.md");
    let output = workspace.run(&["index", "good", "no-such-folder"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("warning: skipped no-such-folder: no such file or folder"));
    assert_eq!(workspace.paras("area:ASGM speaker:Keane").len(), 3);

    // A report that becomes empty loses its paragraphs.
    workspace.write("good/pag8-report.md", "");
    let output = workspace.run(&["index", "good"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("0 added, 0 updated, 1 removed"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn bad_queries_exit_2_with_a_pointer_and_never_panic() {
    let workspace = Workspace::new();
    workspace.shipped_report("corpus/pag8-report.md");
    assert!(workspace.run(&["index"]).status.success());
    let long_query = "mercury waste ".repeat(715);
    // (query, message, caret line)
    let cases: Vec<(&str, &str, String)> = vec![
        ("\"mercury waste", "unterminated quote", "^".into()),
        (
            "mercury (coal",
            "unclosed '(' at column 9",
            format!("{}^", " ".repeat(8)),
        ),
        (
            "mercury)",
            "unexpected ')' (no '(' to close) at column 8",
            format!("{}^", " ".repeat(7)),
        ),
        ("mercury -", "dangling '-'", format!("{}^", " ".repeat(8))),
        ("OR mercury", "dangling OR", "^^".into()),
        ("mercury OR", "dangling OR", format!("{}^^", " ".repeat(8))),
        (
            "aera:ASGM",
            "unknown field 'aera' (did you mean 'area'?)",
            "^^^^".into(),
        ),
        ("speaker:", "empty value for 'speaker:'", "^".repeat(8)),
        (
            "area:gold",
            "unknown area 'gold'",
            format!("{}^^^^", " ".repeat(5)),
        ),
        (
            "speaker:Kean",
            "(did you mean 'Susan Keane'?) at column 9",
            format!("{}^^^^", " ".repeat(8)),
        ),
        ("", "empty query", "^".into()),
        ("   ", "empty query", "^".into()),
        (
            &long_query,
            "query too long: 10010 characters, at most 1000",
            format!(" {}", "^".repeat(100)),
        ),
        (
            "the of and",
            "only common words (the, of, and)",
            "^".repeat(10),
        ),
        (
            "mercury\u{7}waste",
            "control character U+0007 in the query at column 8",
            format!("{}^", " ".repeat(7)),
        ),
        (
            "mercury 🙂",
            "'🙂' has no letter or digit to search for at column 9",
            format!("{}^", " ".repeat(8)),
        ),
    ];
    for (query, message, caret) in &cases {
        let output = workspace.run(&["search", query]);
        let err = stderr(&output);
        let query: String = query.chars().take(40).collect();
        assert_eq!(output.status.code(), Some(2), "{query:?}: {err}");
        assert!(err.starts_with("error: "), "{query:?}: {err}");
        assert!(err.contains(message), "{query:?}: {err}");
        // The query (cut to a window around a long one's error) and a
        // caret line under the problem.
        assert_eq!(err.lines().last().unwrap(), caret, "{query:?}: {err}");
        assert!(!err.contains("panicked"), "{query:?}: {err}");
        assert!(stdout(&output).is_empty(), "{query:?}");
    }
    // A limit of 0 gives the counts only.
    let output = workspace.run(&["search", "--json", "--facets", "--limit", "0", "mercury"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let lines: Vec<String> = stdout(&output).lines().map(String::from).collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("{\"facets\":"), "{lines:?}");
    // A query may start with '-'.
    let output = workspace.run(&["search", "-area:asgm", "--limit", "1"]);
    assert!(output.status.success(), "{}", stderr(&output));
    // A missing index says how to build it.
    let output = workspace.run(&["search", "--index", "nowhere", "mercury"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(
            "no index in nowhere: build one with `pagsearch index --index nowhere PATH…`"
        )
    );
}

#[test]
fn a_read_only_index_can_be_searched_but_not_written() {
    let workspace = Workspace::new();
    workspace.shipped_report("corpus/pag8-report.md");
    assert!(workspace.run(&["index"]).status.success());
    let before = workspace.paras("mercury waste");
    // Readable by all, writable by none but root (who is not the searcher).
    for entry in std::fs::read_dir(workspace.path("index")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    }
    std::fs::set_permissions(
        workspace.path("index"),
        std::fs::Permissions::from_mode(0o555),
    )
    .unwrap();

    let output =
        workspace.run_unprivileged(&["search", "--json", "--limit", "100", "mercury waste"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let after: Vec<String> = stdout(&output)
        .lines()
        .map(|line| {
            let hit: serde_json::Value = serde_json::from_str(line).unwrap();
            format!(
                "{} {}",
                hit["doc"].as_str().unwrap(),
                hit["para"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(after, before);
    for args in [["facets", "speaker"], ["show", "PAG.8/7"]] {
        let mut args = args.to_vec();
        if args[0] == "show" {
            args.push("63");
        }
        let output = workspace.run_unprivileged(&args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    }
    // Writing it fails cleanly and leaves it as it was.
    workspace.write(
        "corpus/more.md",
        small_report("UNEP/Hg/MORE.1/1", "wombats", 2),
    );
    let output = workspace.run_unprivileged(&["index"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("error: cannot write the index in index: Permission denied"),
        "{}",
        stderr(&output)
    );
    std::fs::set_permissions(
        workspace.path("index"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    assert_eq!(workspace.paras("mercury waste"), before);
    assert!(workspace.paras("wombats").is_empty());
}

#[test]
fn searches_during_an_index_run_answer_from_the_last_commit() {
    let workspace = Workspace::new();
    workspace.shipped_report("corpus/pag8-report.md");
    assert!(workspace.run(&["index"]).status.success());
    // One process answers from one commit: its hits and its total together.
    let search = || {
        let output = workspace.run(&[
            "search",
            "--json",
            "--facets",
            "--limit",
            "1000",
            "mercury OR wombats",
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        let mut lines: Vec<serde_json::Value> = stdout(&output)
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        let total = lines.pop().unwrap()["total"].as_u64().unwrap();
        (lines, total)
    };
    let (before, before_total) = search();
    assert!(before_total > 0);
    for i in 0..400 {
        workspace.write(
            &format!("corpus/more-{i:03}.md"),
            small_report(&format!("UNEP/Hg/MORE.{i}/1"), "wombats", 40),
        );
    }
    let mut child = workspace
        .command(&["index"])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut searches_while_running = 0;
    while child.try_wait().unwrap().is_none() {
        let (hits, total) = search();
        // Either the last commit before the run, whole, or the run's own.
        if total == before_total {
            assert_eq!(hits, before);
            searches_while_running += 1;
        } else {
            assert_eq!(total, before_total + 16_000);
        }
    }
    assert!(child.wait().unwrap().success());
    assert!(
        searches_while_running > 0,
        "the run ended before any search"
    );
    assert_eq!(search().1, before_total + 16_000);
}

/// Files deleted or truncated after the walk found them, before they are
/// read: the update goes on, skips the vanished ones and indexes what the
/// truncated ones hold by then.
#[test]
fn files_deleted_or_truncated_during_an_update_are_skipped_or_shortened() {
    let workspace = Workspace::new();
    // Workers read ahead of the update by at most their channel's capacity;
    // files past that point are surely not read when the first one is done.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let read_ahead = 3 * workers + 2;
    let count = read_ahead + 40;
    let mut paths = Vec::new();
    for i in 0..count {
        paths.push(workspace.write(
            &format!("corpus/r{i:04}.md"),
            small_report(&format!("UNEP/Hg/R.{i}/1"), "wombats", 10),
        ));
    }
    let doomed: Vec<PathBuf> = paths[count - 20..].to_vec();
    let shortened: Vec<PathBuf> = paths[count - 40..count - 20].to_vec();
    let first = std::sync::Once::new();
    let progress = |_: pagsearch::Progress| {
        first.call_once(|| {
            for path in &doomed {
                std::fs::remove_file(path).unwrap();
            }
            for path in &shortened {
                let text = std::fs::read_to_string(path).unwrap();
                let cut = text.find("4. Ms. Bailey").unwrap();
                std::fs::write(path, &text[..cut]).unwrap();
            }
        });
    };
    let taxonomy = Taxonomy::builtin();
    let dir = workspace.path("index");
    let mut index = Index::open_or_create(&dir, &taxonomy).unwrap();
    let summary = index
        .update(&[workspace.path("corpus")], &taxonomy, false, &progress)
        .unwrap();
    assert_eq!(summary.added, count - 20);
    let vanished: Vec<&PathBuf> = summary
        .skipped
        .iter()
        .filter(|(_, why)| why == "vanished while indexing")
        .map(|(path, _)| path)
        .collect();
    assert_eq!(vanished, doomed.iter().collect::<Vec<_>>());
    assert_eq!(summary.paragraphs_total, (count - 40) * 10 + 20 * 3);
    let index = Index::open(&dir).unwrap();
    let results = index
        .search(
            "wombats",
            &SearchOptions {
                limit: Some(1),
                ..SearchOptions::default()
            },
        )
        .unwrap();
    assert_eq!(results.total, (count - 40) * 10 + 20 * 3);
}

#[test]
fn of_two_index_runs_at_once_one_is_refused_and_changes_nothing() {
    let workspace = Workspace::new();
    workspace.shipped_report("corpus/pag8-report.md");
    assert!(workspace.run(&["index"]).status.success());
    let mut reports = 0;
    let mut batch = 400;
    for _attempt in 0..4 {
        for i in reports..reports + batch {
            workspace.write(
                &format!("corpus/more-{i:04}.md"),
                small_report(&format!("UNEP/Hg/MORE.{i}/1"), "wombats", 40),
            );
        }
        reports += batch;
        let first = workspace
            .command(&["index"])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let second = workspace.run(&["index"]);
        let first = first.wait_with_output().unwrap();
        let outcomes = [&first, &second];
        let refused: Vec<&&Output> = outcomes
            .iter()
            .filter(|o| {
                o.status.code() == Some(1)
                    && stderr(o).contains(
                        "is being written by another process; try again when it has finished",
                    )
            })
            .collect();
        let succeeded = outcomes.iter().filter(|o| o.status.success()).count();
        if succeeded == 2 {
            // One finished before the other began: try with more reports.
            batch *= 2;
            continue;
        }
        assert_eq!(
            (refused.len(), succeeded),
            (1, 1),
            "{}\n{}",
            stderr(&first),
            stderr(&second)
        );
        // The refused run wrote nothing: the index holds what the other one
        // committed, every report once.
        let output = workspace.run(&["search", "--json", "--facets", "--limit", "1", "wombats"]);
        let total = stdout(&output).lines().last().unwrap().to_string();
        assert!(
            total.contains(&format!("\"total\":{}", reports * 40)),
            "{total}"
        );
        assert_eq!(
            std::fs::read_dir(workspace.path("index"))
                .unwrap()
                .filter(|e| e
                    .as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with("files-"))
                .count(),
            2,
            "this generation's file map and the previous one"
        );
        return;
    }
    panic!("every pair of index runs ran one after the other");
}

/// A disk that fills up during a run: the run fails saying the disk is full,
/// searches answer as before, and the next run needs nothing cleaned by
/// hand: the files the failed run wrote are gone when it ends. The disk is a 3 MB tmpfs, so
/// the test mounts one: it needs root, as the project's CI runs.
#[test]
fn a_run_that_fills_the_disk_leaves_nothing_for_the_next_to_trip_on() {
    let workspace = Workspace::new();
    if !running_as_root(workspace.path("").as_path()) {
        eprintln!("not run: mounting a small disk needs root");
        return;
    }
    let disk = workspace.path("disk");
    std::fs::create_dir(&disk).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=3m", "tmpfs"])
        .arg(&disk)
        .status()
        .expect("mount runs");
    assert!(
        mounted.success(),
        "cannot mount a tmpfs at {}",
        disk.display()
    );
    /// Unmounts the small disk however the test ends.
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(disk.clone());

    workspace.shipped_report("corpus/pag8-report.md");
    let index = disk.join("index").display().to_string();
    let output = workspace.run(&["index", "--index", &index, "corpus"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let search = |query: &str| {
        let output = workspace.run(&["search", "--index", &index, "--json", query]);
        assert!(output.status.success(), "{}", stderr(&output));
        stdout(&output)
    };
    let before = search("mercury waste");
    let used = |dir: &Path| -> u64 {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().metadata().unwrap().len())
            .sum()
    };
    let committed = used(&disk.join("index"));

    // Far more than 3 MB of index: words that do not repeat much.
    let mut state: u32 = 0x9e37_79b9;
    let mut word = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        format!("w{}", state % 200_000)
    };
    for i in 0..300 {
        let mut text = format!("UNEP/Hg/FULL.{i}/1\n\n**1. Opening of the meeting**\n\n");
        for n in 1..=40 {
            let words: Vec<String> = (0..60).map(|_| word()).collect();
            text.push_str(&format!("{n}. Ms. Bailey said {}.\n\n", words.join(" ")));
        }
        workspace.write(&format!("corpus/full-{i:03}.md"), text);
    }
    let output = workspace.run(&["index", "--index", &index, "corpus"]);
    assert!(!output.status.success(), "the run fit on the disk");
    assert!(
        stderr(&output).contains(&format!("the disk holding {index} is full")),
        "{}",
        stderr(&output)
    );
    // It says how much room the reports need, and what is free.
    let message = stderr(&output);
    assert!(
        message.contains("MB of reports to add need about") && message.contains("free at least"),
        "{message}"
    );
    assert_eq!(search("mercury waste"), before);
    // The failed run's files are gone already: the folder holds what the
    // commit before it holds.
    let left = used(&disk.join("index"));
    assert!(
        left <= committed + (16 << 10),
        "{left} bytes in the index folder after the failed run, {committed} before it"
    );
    // Without the new reports, the next run completes with nothing cleaned
    // by hand.
    for i in 0..300 {
        std::fs::remove_file(workspace.path(&format!("corpus/full-{i:03}.md"))).unwrap();
    }
    let output = workspace.run(&["index", "--index", &index, "corpus"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(search("mercury waste"), before);
    let after = used(&disk.join("index"));
    assert!(
        after < committed + (committed / 2).max(64 << 10),
        "{after} bytes in the index folder, {committed} before the failed run"
    );
}

/// A folder that holds other files (a typo, a home folder) is refused and
/// kept byte for byte, `--rebuild` or not; a folder with only hidden files
/// (`.gitkeep`) is taken.
#[test]
fn a_folder_of_other_files_is_never_written_into() {
    let workspace = Workspace::new();
    workspace.shipped_report("corpus/pag8-report.md");
    workspace.write("home/notes.txt", "my notes\n");
    workspace.write("home/photos/cat.png", image_bytes(4096));
    let listing = |dir: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        let mut files: Vec<(PathBuf, Vec<u8>)> = walk_files(dir)
            .into_iter()
            .map(|path| {
                let bytes = std::fs::read(&path).unwrap();
                (path, bytes)
            })
            .collect();
        files.sort();
        files
    };
    let before = listing(&workspace.path("home"));
    for args in [
        &["index", "--index", "home", "corpus"][..],
        &["index", "--rebuild", "--index", "home", "corpus"][..],
    ] {
        let output = workspace.run(args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&output).contains(
                "home holds other files and is not a pagsearch index; nothing was written"
            ),
            "{}",
            stderr(&output)
        );
        assert_eq!(listing(&workspace.path("home")), before);
    }

    workspace.write("kept/.gitkeep", "");
    let output = workspace.run(&["index", "--index", "kept", "corpus"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(workspace.path("kept/.gitkeep").exists());
}

/// Every file below `dir`.
fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk_files(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// An index damaged by a truncated, overwritten or deleted file says so,
/// names the file and gives the fix; `--rebuild` recovers without opening
/// it, and keeps the user's own files in the folder.
#[test]
fn a_damaged_index_says_so_and_rebuild_recovers() {
    let workspace = Workspace::new();
    workspace.shipped_report("corpus/pag8-report.md");
    let build = |args: &[&str]| {
        let output = workspace.run(args);
        assert!(output.status.success(), "{}", stderr(&output));
    };
    build(&["index"]);
    let search = || workspace.run(&["search", "--json", "mercury waste"]);
    let answer = stdout(&search());
    assert!(!answer.is_empty());
    workspace.write("index/notes.txt", "keep me");

    type Damage = fn(&Workspace);
    let damages: [(&str, Damage, &str); 3] = [
        (
            "overwritten meta.json",
            |w| std::fs::write(w.path("index/meta.json"), "garbage").unwrap(),
            "meta.json",
        ),
        (
            "truncated term dictionary",
            |w| {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(index_file(w, "term"))
                    .unwrap();
                file.set_len(100).unwrap();
            },
            ".term",
        ),
        (
            "deleted store",
            |w| std::fs::remove_file(index_file(w, "store")).unwrap(),
            ".store is missing",
        ),
    ];
    let check = || workspace.run(&["check"]);
    let output = check();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).starts_with("index is sound: "),
        "{}",
        stdout(&output)
    );
    for (what, damage, named) in damages {
        damage(&workspace);
        // `check` finds it, naming the file.
        let output = check();
        assert_eq!(output.status.code(), Some(1), "{what}");
        assert!(
            stdout(&output).starts_with("damaged: "),
            "{what}: {}",
            stdout(&output)
        );
        assert!(
            stdout(&output).contains(named.trim_end_matches(" is missing")),
            "{what}: {}",
            stdout(&output)
        );
        let output = search();
        assert_eq!(output.status.code(), Some(1), "{what}");
        let message = stderr(&output);
        assert!(message.contains("is damaged"), "{what}: {message}");
        assert!(message.contains(named), "{what}: {message}");
        assert!(
            message.contains("run `pagsearch index --rebuild --index index`"),
            "{what}: {message}"
        );
        build(&["index", "--rebuild"]);
        assert_eq!(stdout(&search()), answer, "{what}");
        assert!(workspace.path("index/notes.txt").exists(), "{what}");
        assert!(check().status.success(), "{what}");
    }

    // A flipped byte inside the postings: searches do not verify checksums
    // (they would read the whole index each time) and may answer from it;
    // `check` finds it.
    let postings = index_file(&workspace, "idx");
    let mut bytes = std::fs::read(&postings).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&postings, bytes).unwrap();
    let output = check();
    assert_eq!(output.status.code(), Some(1));
    let name = postings.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(
        stdout(&output),
        format!("damaged: {name}: checksum mismatch, the file is damaged\n")
    );
    assert!(
        stderr(&output)
            .contains("damaged (1 problem); run `pagsearch index --rebuild --index index`")
    );
    build(&["index", "--rebuild"]);
    assert!(check().status.success());
}

/// A file of the workspace's index with this extension.
fn index_file(workspace: &Workspace, extension: &str) -> PathBuf {
    std::fs::read_dir(workspace.path("index"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.extension().is_some_and(|e| e == extension))
        .unwrap_or_else(|| panic!("no .{extension} file in the index"))
}

/// Every kind of file of an index truncated to half, with a flipped byte in
/// its middle, and deleted, one at a time: `check` finds each damage to the
/// segments, the commit and the file map; nothing panics; a search either
/// answers as before or says the index is damaged, naming the fix; an
/// update either works or says so too; `--rebuild` recovers each time.
#[test]
fn every_kind_of_index_file_damaged_three_ways() {
    let workspace = Workspace::new();
    workspace.shipped_report("corpus/pag8-report.md");
    let pag9 = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reports/pag9-report.md");
    workspace.write("corpus/pag9-report.md", std::fs::read(pag9).unwrap());
    let run = |args: &[&str]| {
        let output = workspace.run(args);
        let message = stderr(&output);
        assert!(
            matches!(output.status.code(), Some(0 | 1)) && !message.contains("panicked"),
            "{args:?}: {:?} {message}",
            output.status.code()
        );
        output
    };
    let build = |args: &[&str]| {
        let output = run(args);
        assert!(output.status.success(), "{}", stderr(&output));
    };
    build(&["index"]);
    let query = [
        "search",
        "--json",
        "--limit",
        "50",
        "mercury waste thermometers",
    ];
    let answer = stdout(&run(&query));
    assert!(!answer.is_empty());

    // One file of each kind: the kind is the extension of a segment file,
    // or the name of the others.
    let kind_of = |name: &str| -> Option<String> {
        if name.starts_with(".tantivy-") || name == ".gitkeep" {
            return None;
        }
        if name.starts_with("files-") {
            return Some("file map".to_string());
        }
        if name.starts_with("keys-") {
            return Some("keys table".to_string());
        }
        match name.split_once('.') {
            Some((id, extension)) if id.len() == 32 => Some(format!(".{extension}")),
            _ => Some(name.to_string()),
        }
    };
    let mut kinds: std::collections::BTreeMap<String, String> = Default::default();
    for entry in std::fs::read_dir(workspace.path("index")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(kind) = kind_of(&name) {
            kinds.entry(kind).or_insert(name);
        }
    }
    for kind in [
        ".term",
        ".idx",
        ".pos",
        ".store",
        ".fast",
        ".fieldnorm",
        "meta.json",
        ".managed.json",
        "file map",
        ".pagsearch-index",
        "ordered-segments",
    ] {
        assert!(kinds.contains_key(kind), "no {kind} in {kinds:?}");
    }
    // Damage to these must be found by `check`; the others (tantivy's list
    // of the files it manages, pagsearch's marker, the list of segments in
    // document order, which is checksummed and only saves ranking work)
    // change nothing a search or an update reads from.
    let must_find = |kind: &str| {
        !matches!(
            kind,
            ".managed.json" | ".pagsearch-index" | "ordered-segments"
        )
    };

    type Damage = fn(&Path);
    let damages: [(&str, Damage); 3] = [
        ("truncated", |file| {
            let len = std::fs::metadata(file).unwrap().len();
            let handle = std::fs::OpenOptions::new().write(true).open(file).unwrap();
            handle.set_len(len / 2).unwrap();
        }),
        ("flipped", |file| {
            let mut bytes = std::fs::read(file).unwrap();
            let middle = bytes.len() / 2;
            if let Some(byte) = bytes.get_mut(middle) {
                *byte ^= 0x5a;
            }
            std::fs::write(file, bytes).unwrap();
        }),
        ("deleted", |file| std::fs::remove_file(file).unwrap()),
    ];
    let mut found = Vec::new();
    for kind in kinds.keys() {
        for (how, damage) in &damages {
            // The file of this kind in the index as it is now (a rebuild
            // names segments anew), of a segment of the last commit (files
            // of older segments can stay once tantivy's list of the files
            // it manages was lost).
            let committed = std::fs::read_to_string(workspace.path("index/meta.json"))
                .unwrap()
                .replace('-', "");
            // The file map and keys table of the last commit are those of
            // the highest generation (the ones before are kept for searches
            // still on them).
            let generation = |name: &str| -> u64 {
                name.trim_start_matches("files-")
                    .trim_start_matches("keys-")
                    .split('.')
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0)
            };
            let name = std::fs::read_dir(workspace.path("index"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|name| {
                    kind_of(name).as_deref() == Some(kind.as_str())
                        && name
                            .split_once('.')
                            .is_none_or(|(id, _)| id.len() != 32 || committed.contains(id))
                })
                .max_by_key(|name| generation(name))
                .unwrap();
            damage(&workspace.path(&format!("index/{name}")));
            let what = format!("{kind} {how}");

            let check = run(&["check"]);
            let sound = check.status.success();
            if must_find(kind) {
                assert!(!sound, "{what}: check found nothing");
            }
            if !sound {
                assert!(
                    stdout(&check).starts_with("damaged: "),
                    "{what}: {}",
                    stdout(&check)
                );
                found.push(what.clone());
            }
            let search = run(&query);
            if search.status.success() {
                // Unchecked data may be read as it is; `check` finds it.
                assert!(
                    stdout(&search) == answer || (*how == "flipped" && !sound),
                    "{what}: a different answer from an index check calls sound"
                );
            } else {
                let message = stderr(&search);
                assert!(message.contains("is damaged"), "{what}: {message}");
                assert!(
                    message.contains("pagsearch index --rebuild"),
                    "{what}: {message}"
                );
            }
            let update = run(&["index"]);
            if !update.status.success() {
                let message = stderr(&update);
                assert!(
                    message.contains("is damaged") && message.contains("pagsearch index --rebuild"),
                    "{what}: {message}"
                );
            }
            build(&["index", "--rebuild"]);
            assert_eq!(stdout(&run(&query)), answer, "{what}");
            assert!(run(&["check"]).status.success(), "{what}");
        }
    }
    eprintln!("check found: {}", found.join(", "));
}
