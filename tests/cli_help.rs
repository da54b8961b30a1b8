//! The help of the built binary: the query syntax in `search --help`, not
//! in `-h`.

use std::process::Output;

mod common;
use common::{stderr, stdout};

/// `pagsearch ARGS`, run where there is no index nor corpus: none of these
/// commands may need one.
fn run(args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    common::pagsearch(dir.path(), args)
        .output()
        .expect("the binary runs")
}

/// Standard output of a run that must succeed, with nothing on standard
/// error.
fn success(args: &[&str]) -> String {
    let output = run(args);
    assert!(
        output.status.success(),
        "{args:?}: {:?}\n{}",
        output.status,
        stderr(&output)
    );
    assert_eq!(stderr(&output), "", "{args:?}");
    stdout(&output)
}

#[test]
fn search_help_explains_the_query_syntax() {
    let help = success(&["search", "--help"]);
    assert!(help.contains("Query syntax:"), "{help}");
    // The same text as the library's, whole.
    assert!(help.contains(pagsearch::query::SYNTAX), "{help}");
    for needle in [
        "area:",
        "speaker:",
        "delegation:",
        "party:",
        "group:",
        "agenda:",
        "doc:",
        "meeting:",
        "year:",
        "org:",
        "year:2017..2020",
        "meeting:8..11",
        "-cement",
        " OR ",
        " AND ",
        "\"mercury waste\"",
        "--as-typed",
        "document order",
        "MIA",
    ] {
        assert!(help.contains(needle), "{needle} missing from search --help");
    }
    // No escape codes when the output is no terminal.
    assert!(!help.contains('\u{1b}'));
    // The about line no longer sends people to a README they may not have.
    assert!(!help.contains("README"));
}

#[test]
fn search_short_help_stays_short() {
    let short = success(&["search", "-h"]);
    assert!(!short.contains("Query syntax"), "{short}");
    assert!(!short.contains("year:2017..2020"), "{short}");
    assert!(short.contains("--help"), "{short}");
    let long = success(&["search", "--help"]);
    assert!(
        short.lines().count() * 3 < long.lines().count(),
        "-h: {} lines, --help: {}",
        short.lines().count(),
        long.lines().count()
    );
}

#[test]
fn help_of_the_other_commands_has_no_query_syntax() {
    for args in [&["--help"][..], &["index", "--help"], &["show", "--help"]] {
        let help = success(args);
        assert!(!help.contains("Query syntax"), "{args:?}");
    }
    // The list of commands says where the syntax is.
    assert!(success(&["--help"]).contains("explains the query syntax"));
}
