//! The `pagsearch` command line: wires clap to the library, nothing more.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use pagsearch::output;
use pagsearch::report::{self, Taxonomy};

#[derive(Parser)]
#[command(
    name = "pagsearch",
    version,
    about = "Search UN-style meeting reports: who said what, under which agenda item, about which partnership area"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the paragraph units of one report with their tags.
    Paragraphs {
        /// The report file (markdown or text extracted from PDF).
        file: PathBuf,
        /// JSON Lines output, one unit per line.
        #[arg(long)]
        json: bool,
        /// Print the document metadata, people and acronyms (JSON) instead of units.
        #[arg(long)]
        meta: bool,
        /// Partnership-area taxonomy file (TOML or JSON) replacing the built-in one.
        #[arg(long, value_name = "FILE")]
        taxonomy: Option<PathBuf>,
        /// Wrap text at this many columns (readable output).
        #[arg(long, default_value_t = 100)]
        width: usize,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // A closed pipe (`pagsearch … | head`) is not an error.
            if err
                .downcast_ref::<io::Error>()
                .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Paragraphs {
            file,
            json,
            meta,
            taxonomy,
            width,
        } => {
            let taxonomy = match taxonomy {
                Some(path) => Taxonomy::from_file(&path)?,
                None => Taxonomy::builtin(),
            };
            let report = report::parse_file(&file, &taxonomy)
                .with_context(|| format!("cannot parse {}", file.display()))?;
            for warning in &report.warnings {
                eprintln!("warning: {warning}");
            }
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            if meta {
                output::write_meta_json(&mut out, &report)?;
            } else if json {
                output::write_units_json(&mut out, &report)?;
            } else {
                output::write_units_text(&mut out, &report, width)?;
            }
            out.flush()?;
            Ok(())
        }
    }
}
