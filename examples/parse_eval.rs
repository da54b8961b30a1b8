//! Scores the parser against hand-made gold annotation: for each
//! `NAME.gold.json` in a folder, parses the report beside it and prints units
//! found, agenda items right, and precision, recall and F1 of speakers,
//! delegations and areas; `--errors` lists every disagreement. Then scores
//! the area tags of the shipped report against their annotation
//! (`tests/fixtures/pag8-areas.json`, or `--areas FILE`; its `file` is read
//! from the working directory): precision, recall and F1 over (unit, area)
//! pairs, in all and per area.
//!
//! Run: `cargo run --release --example parse_eval -- [--errors] [--areas FILE] [DIR]`
//! (DIR defaults to `tests/fixtures/reports`).

#[path = "../tests/gold/mod.rs"]
mod gold;

use std::path::{Path, PathBuf};

use pagsearch::report::{self, Report, Taxonomy};

fn main() -> pagsearch::Result<()> {
    let mut show_errors = false;
    let mut dir = PathBuf::from("tests/fixtures/reports");
    let mut areas_file = PathBuf::from("tests/fixtures/pag8-areas.json");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--errors" => show_errors = true,
            "--areas" => areas_file = args.next().map(PathBuf::from).unwrap_or(areas_file),
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
    score_areas(&areas_file, &taxonomy, show_errors)
}

/// Scores a report's area tags against an annotation that holds only areas,
/// with the gold scoring: the pairs of all areas, then of each area alone.
fn score_areas(path: &Path, taxonomy: &Taxonomy, show_errors: bool) -> pagsearch::Result<()> {
    let gold = gold::Gold::read(path);
    let report = report::parse_file(Path::new(&gold.file), taxonomy)?;
    let score = gold::score(&report, &gold);
    let counts = score.areas;
    println!("{} areas against {}", gold.file, path.display());
    print_counts("all", &counts);
    for area in taxonomy.areas() {
        let only = |areas: &[String]| -> Vec<String> {
            areas.iter().filter(|a| **a == area.key).cloned().collect()
        };
        let mut one_report: Report = report.clone();
        for unit in &mut one_report.units {
            unit.areas = only(&unit.areas);
        }
        let one_gold = gold::Gold {
            units: gold
                .units
                .iter()
                .map(|u| gold::GoldUnit {
                    label: u.label.clone(),
                    agenda: None,
                    agenda_title: None,
                    sub_item: None,
                    speakers: Vec::new(),
                    delegations: Vec::new(),
                    on_behalf_of: Vec::new(),
                    areas: only(&u.areas),
                    starts_with: String::new(),
                    ends_with: String::new(),
                })
                .collect(),
            file: gold.file.clone(),
            style: String::new(),
            furniture: Vec::new(),
        };
        print_counts(&area.key, &gold::score(&one_report, &one_gold).areas);
    }
    if show_errors {
        // The annotation holds areas only: its other disagreements are noise.
        for error in score.errors.iter().filter(|e| e.contains(": areas ")) {
            println!("    {error}");
        }
    }
    Ok(())
}

fn print_counts(name: &str, counts: &gold::Counts) {
    println!("  {name:<15} {counts}");
}
