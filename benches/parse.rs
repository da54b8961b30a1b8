//! Parsing + tagging throughput (MB/s of report text) on reports built from
//! the shipped one: the markdown report itself, its pdftotext -layout
//! rendering, and one long report made of 20 renumbered copies of its body.
//!
//! Run: `cargo bench --bench parse`. With `PAGSEARCH_BENCH_QUICK=1` each
//! input is parsed a handful of times (a smoke test).

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pagsearch::report::{self, Taxonomy};

fn read(relative: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)).expect("shipped file")
}

/// The shipped report with its body repeated `copies` times, paragraph
/// numbers continuing (133, 134, …) and agenda headings kept only once.
fn long_report(copies: u32) -> Vec<u8> {
    let text = String::from_utf8(read("corpus/pag8-report.md")).expect("UTF-8");
    let mut out = String::with_capacity(text.len() * copies as usize);
    out.push_str(&text);
    out.push('\n');
    let body_start = text.find("1. The eighth meeting").expect("first paragraph");
    for copy in 1..copies {
        for line in text[body_start..].lines() {
            if line.starts_with('#') || line.starts_with("**") {
                continue;
            }
            let digits = line.bytes().take_while(u8::is_ascii_digit).count();
            match line[digits..].strip_prefix(". ") {
                Some(rest) if digits > 0 => {
                    let n: u32 = line[..digits].parse().expect("number");
                    out.push_str(&format!("{}. {rest}", n + 132 * copy));
                }
                _ => out.push_str(line),
            }
            out.push('\n');
        }
    }
    out.into_bytes()
}

fn parse_throughput(c: &mut Criterion) {
    let taxonomy = Taxonomy::builtin();
    let inputs = [
        ("markdown", read("corpus/pag8-report.md")),
        (
            "pdftotext-layout",
            read("tests/fixtures/pag8-report.layout.txt"),
        ),
        ("long-report-20x", long_report(20)),
    ];
    let mut group = c.benchmark_group("parse");
    if std::env::var_os("PAGSEARCH_BENCH_QUICK").is_some() {
        group
            .sample_size(10)
            .warm_up_time(std::time::Duration::from_millis(1))
            .measurement_time(std::time::Duration::from_millis(1));
    }
    for (name, bytes) in &inputs {
        let units = report::parse(name, bytes, &taxonomy).units.len();
        assert!(units >= 136, "{name}: {units} units");
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(*name, |b| b.iter(|| report::parse(name, bytes, &taxonomy)));
    }
    group.finish();
}

criterion_group!(benches, parse_throughput);
criterion_main!(benches);
