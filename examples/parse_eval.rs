//! Scores the parser against hand-made gold annotation: for each
//! `NAME.gold.json` in a folder, parses the report beside it and prints units
//! found, agenda items right, and precision, recall and F1 of speakers,
//! delegations and areas; `--errors` lists every disagreement.
//!
//! Run: `cargo run --release --example parse_eval -- [--errors] [DIR]`
//! (DIR defaults to `tests/fixtures/reports`).

#[path = "../tests/gold/mod.rs"]
mod gold;

use std::path::PathBuf;

use pagsearch::report::{self, Taxonomy};

fn main() -> pagsearch::Result<()> {
    let mut show_errors = false;
    let mut dir = PathBuf::from("tests/fixtures/reports");
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--errors" => show_errors = true,
            _ => dir = PathBuf::from(arg),
        }
    }
    let mut gold_files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|source| pagsearch::Error::Read {
            path: dir.clone(),
            source,
        })?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.to_string_lossy().ends_with(".gold.json"))
        .collect();
    gold_files.sort();
    let taxonomy = Taxonomy::builtin();
    for path in gold_files {
        let gold = gold::Gold::read(&path);
        let report = report::parse_file(&dir.join(&gold.file), &taxonomy)?;
        let score = gold::score(&report, &gold);
        println!("{} ({})", gold.file, gold.style);
        print!("  {score}");
        if show_errors {
            for error in &score.errors {
                println!("    {error}");
            }
        }
    }
    Ok(())
}
