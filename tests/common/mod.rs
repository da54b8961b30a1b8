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

/// `pagsearch serve --addr 127.0.0.1:0 EXTRA…` started in `dir`: the
/// running server and its base URL (`http://127.0.0.1:PORT`), read from the
/// first line it prints. Its standard error stays piped, for the test to read.
pub fn start_server(dir: &Path, extra: &[&str]) -> (std::process::Child, String) {
    use std::io::{BufRead, BufReader, Read};
    let mut args = vec!["serve", "--addr", "127.0.0.1:0"];
    args.extend_from_slice(extra);
    let mut child = pagsearch(dir, &args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("piped"))
        .read_line(&mut line)
        .expect("the server prints its address");
    let Some(at) = line.find("http://") else {
        let mut err = String::new();
        let _ = child.stderr.take().expect("piped").read_to_string(&mut err);
        let _ = child.kill();
        panic!("no URL in {line:?}; stderr: {err}");
    };
    let base = line[at..]
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .trim_end_matches('/')
        .to_string();
    (child, base)
}

/// `text` as a value of a URL's query string: letters, digits and `-._~`
/// kept, every other byte percent-encoded.
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
