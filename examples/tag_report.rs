//! Parse one report and list who speaks about artisanal and small-scale gold
//! mining: the smallest useful program on top of `pagsearch::report`.
//!
//! Run: `cargo run --example tag_report -- corpus/pag8-report.md`

use std::path::PathBuf;

use pagsearch::report::{self, Taxonomy};

fn main() -> pagsearch::Result<()> {
    let path = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("corpus/pag8-report.md"), PathBuf::from);
    // The built-in taxonomy knows the eight partnership areas.
    let taxonomy = Taxonomy::builtin();
    // Parsing never fails on content; problems become `report.warnings`.
    let report = report::parse_file(&path, &taxonomy)?;
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    for unit in &report.units {
        if unit.areas.iter().any(|area| area == "asgm") {
            println!(
                "{} ¶{}: {:?}",
                report.meta.id,
                unit.label,
                report.speaker_names(unit)
            );
        }
    }
    Ok(())
}
