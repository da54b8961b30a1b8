//! The help, shell completions and manual pages of the built binary: the
//! query syntax in `search --help` (not in `-h`), `completions SHELL` and
//! `man [COMMAND]`, all made from the same clap definitions.

use std::process::Output;

mod common;
use common::{stderr, stdout};

/// The commands every completion script and the manual page must name.
const COMMANDS: [&str; 8] = [
    "index",
    "search",
    "show",
    "facets",
    "check",
    "paragraphs",
    "completions",
    "man",
];

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

#[test]
fn bash_completions_name_the_commands() {
    let script = success(&["completions", "bash"]);
    assert!(script.contains("_pagsearch()"), "{script}");
    assert!(script.contains("complete -F _pagsearch"), "{script}");
    for command in COMMANDS {
        assert!(script.contains(command), "{command} missing");
    }
    // Options and values come along: `search --group-by`, the shells.
    assert!(script.contains("--group-by"));
    assert!(script.contains("powershell"));
}

#[test]
fn completions_for_every_shell() {
    let expected = [
        ("zsh", "#compdef pagsearch"),
        ("fish", "complete -c pagsearch"),
        ("elvish", "edit:completion:arg-completer[pagsearch]"),
        ("powershell", "Register-ArgumentCompleter"),
    ];
    for (shell, marker) in expected {
        let script = success(&["completions", shell]);
        assert!(script.contains(marker), "{shell}: {script}");
        assert!(script.contains("paragraphs"), "{shell}");
    }
}

#[test]
fn an_unknown_shell_is_refused() {
    let output = run(&["completions", "tcsh"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout(&output), "");
    let message = stderr(&output);
    assert!(message.contains("invalid value 'tcsh'"), "{message}");
    assert!(message.contains("bash"), "{message}");
    assert!(message.contains("zsh"), "{message}");

    let output = run(&["completions"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("<SHELL>"), "{}", stderr(&output));
}

#[test]
fn man_page_is_roff_naming_the_commands() {
    let page = success(&["man"]);
    assert!(page.starts_with(".TH") || page.starts_with(".ie"), "{page}");
    assert!(page.contains(".TH pagsearch 1"), "{page}");
    assert!(page.contains(".SH NAME"));
    assert!(page.contains(".SH SYNOPSIS"));
    for command in COMMANDS {
        assert!(
            page.contains(&format!("pagsearch\\-{command}(1)")),
            "{command} missing"
        );
    }
    // clap's own `help` command has no page.
    assert!(!page.contains("pagsearch\\-help"));
    // The query syntax, lines kept as they are, before the version.
    let syntax = page.find(".SH \"QUERY SYNTAX\"\n.nf\n").expect("syntax");
    assert!(syntax < page.find(".SH VERSION").expect("version"));
    assert!(page.contains("year:2017..2020"));
    assert!(page.contains("\\-cement"));
    // Examples copy as typed: straight quotes.
    assert!(page.contains("pagsearch search \\*(Aqarea:ASGM speaker:Keane\\*(Aq"));
}

#[test]
fn man_page_of_a_command() {
    let page = success(&["man", "search"]);
    assert!(page.contains(".TH pagsearch-search 1"), "{page}");
    assert!(page.contains("\\-\\-as\\-typed"));
    assert!(page.contains(".SH \"QUERY SYNTAX\""));
    // Only once: not also as clap_mangen's run-together EXTRA section.
    assert!(!page.contains(".SH EXTRA"));
    let range = "year:2017..2020";
    let in_syntax = pagsearch::query::SYNTAX.matches(range).count();
    assert_eq!(page.matches(range).count(), in_syntax, "{page}");

    let page = success(&["man", "index"]);
    assert!(page.contains(".TH pagsearch-index 1"), "{page}");
    assert!(page.contains("\\-\\-rebuild"));
    assert!(!page.contains("QUERY SYNTAX"));

    let output = run(&["man", "serach"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("no such command"), "{message}");
    assert!(message.contains("search"), "{message}");
}
