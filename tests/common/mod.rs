//! What the tests that run the built binary share: the command and the
//! reading of its output. Each test file is its own crate and uses a part.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// The fields of a JSON paragraph (`paragraphs --json`, a `search --json`
/// hit) that are arrays of strings.
pub const ARRAY_FIELDS: [&str; 6] = [
    "speakers",
    "mentions",
    "areas",
    "orgs",
    "delegations",
    "on_behalf_of",
];

/// `pagsearch ARGS` run in `dir`, without colour, 100 columns wide.
pub fn pagsearch(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pagsearch"));
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100");
    command
}

/// Standard output, which must be UTF-8.
pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

/// Standard error.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
