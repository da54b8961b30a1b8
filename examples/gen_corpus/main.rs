//! Generates a deterministic corpus of realistic meeting reports for
//! benchmarks, built from the shipped report `corpus/pag8-report.md`.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --reports 1000 --seed 7 --out DIR [--source corpus/pag8-report.md]
//! cargo run --release --example gen_corpus -- --long-report 100 --seed 7 --out DIR
//! ```
//!
//! Writes `DIR/report-0001.md` … `DIR/report-1000.md` (numbers zero-padded to
//! the width of the count, at least four digits), creating `DIR`, and prints
//! one summary line to standard error: files written, total bytes, average KB
//! (1024 bytes) per report, seconds. `--reports` defaults to 100, `--seed` to
//! 7, `--source` to the shipped report. The same arguments give byte-identical
//! files: every random choice comes from a seeded generator (no hashing, no
//! clock), and report `i` depends only on the seed and `i`, not on how many
//! reports are asked for.
//!
//! Each report keeps the shape of the source, so the pagsearch parser reads it
//! as it reads the original:
//!
//! - the title block, with a new meeting number `k`, symbol
//!   `UNEP(Economy Division)` / `/Hg/PAG.<k>/<n>`, unique to the report
//!   (`k` cycles through 1..=40, `n` counts the cycles from 5; still split over two
//!   lines), distribution and meeting dates, venue, meeting name
//!   ("Partnership Advisory Group, Twelfth Meeting") and title;
//! - the same agenda headings (and sub-items) in the same order and markup;
//! - under each heading, paragraphs drawn with replacement from the source
//!   paragraphs of that same heading, 65%..=120% as many as in the source
//!   (so a report averages about 50 KB, the source being 54 KB), kept in
//!   source order and renumbered 1..N across the report; the
//!   paragraph followed by the unnumbered group reports ("On ASGM: …") is
//!   drawn exactly once, with its group reports after it;
//! - every person of the shipped report mapped, consistently within a
//!   report, to a person of the same gender from a fixed pool of names, in
//!   full forms ("Ms. Susan Keane", "Marianne Bailey") and short forms ("Ms.
//!   Keane", "Ms. Garcia" for "Ms. Ana Garcia Gonzales"); pronouns stay;
//! - years shifted with the meeting year, counts ("24 members") scaled by a
//!   random factor in 0.7..=1.3, the meeting number and meeting date in the
//!   text following the title block;
//! - about one numbered paragraph in twelve cut by a page break in the middle
//!   of a sentence ("…plants to\n\ncalculate their…"), besides the page
//!   breaks the source paragraphs already have.
//!
//! With `--long-report MB`, it writes one report instead, `DIR/long-report.md`,
//! of at least MB megabytes (10^6 bytes; at most a paragraph more), to measure
//! what one very large report costs: the title block of a generated report,
//! then the source's agenda over and over, each pass with its own cast of
//! people, its agenda items numbered on (1–8, 9–16, …) and the paragraphs
//! numbered on through the whole report, as a long real report is. The
//! parser reads paragraph numbers of at most four digits, so a numbered
//! paragraph joins as many drawn paragraphs of its agenda item as keep the
//! report within 9,000 of them: one for up to about 3 MB, 25 or so for
//! 100 MB (8,600 paragraphs of about 11.6 KB).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

mod generator;

use generator::{Source, generate_long_report, generate_report};

const DEFAULT_SOURCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/pag8-report.md");

/// Generate meeting reports shaped like the shipped PAG 8 report.
#[derive(Parser, Debug)]
#[command(about)]
struct Args {
    /// Number of reports to write.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
    reports: u32,
    /// Seed of the random choices; the same seed gives the same files.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Directory to write report-0001.md … into (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Write one report of this many megabytes (10^6 bytes), `long-report.md`,
    /// instead of `--reports` reports.
    #[arg(long, value_name = "MB", conflicts_with = "reports",
          value_parser = clap::value_parser!(u32).range(1..=10_000))]
    long_report: Option<u32>,
    /// The report to build from.
    #[arg(long, default_value = DEFAULT_SOURCE)]
    source: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("gen_corpus: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<(), String> {
    let started = Instant::now();
    let text = std::fs::read_to_string(&args.source)
        .map_err(|e| format!("cannot read {}: {e}", args.source.display()))?;
    let source = Source::parse(&text)?;
    std::fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    if let Some(megabytes) = args.long_report {
        let report = generate_long_report(&source, args.seed, megabytes as usize * 1_000_000);
        let path = args.out.join("long-report.md");
        write_file(&path, &report)?;
        eprintln!(
            "gen_corpus: wrote {}: {} bytes, {:.2} s",
            path.display(),
            report.len(),
            started.elapsed().as_secs_f64()
        );
        return Ok(());
    }

    let width = args.reports.to_string().len().max(4);
    let mut total_bytes = 0u64;
    for index in 1..=args.reports {
        let report = generate_report(&source, args.seed, index);
        let path = args.out.join(format!("report-{index:0width$}.md"));
        write_file(&path, &report)?;
        total_bytes += report.len() as u64;
    }

    let seconds = started.elapsed().as_secs_f64();
    let average_kb = total_bytes as f64 / f64::from(args.reports) / 1024.0;
    eprintln!(
        "gen_corpus: wrote {} files to {}: {total_bytes} bytes, {average_kb:.1} KB per report, {seconds:.2} s",
        args.reports,
        args.out.display()
    );
    Ok(())
}

fn write_file(path: &Path, contents: &str) -> Result<(), String> {
    std::fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
