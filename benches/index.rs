//! Indexing throughput, end to end (walk, read, parse, tag, write, commit),
//! in MB/s of report text, on 100 and 1,000 generated reports — and, in the
//! same group, a baseline that indexes the very same paragraph texts into a
//! bare tantivy index (one stemmed text field, nothing else), so the cost of
//! everything pagsearch adds is a ratio measured in one run.
//!
//! A second group indexes PDF reports end to end (text extraction included),
//! in MB/s of PDF: 50 copies of the shipped report's PDF rendering.
//!
//! Beside them, `parse-only` reads and parses the same reports with one
//! thread a core, as `pagsearch index`'s parse workers do, and writes nothing: the part of
//! pagsearch's time that no index layout can save, set against the
//! baseline's whole time.
//!
//! Run: `cargo bench --bench index`. With `PAGSEARCH_BENCH_QUICK=1` it runs
//! once on 10 reports and 2 PDFs (a smoke test);
//! `PAGSEARCH_BENCH_REPORTS=10000` runs the first group on that many
//! reports only.

#[path = "../examples/gen_corpus/generator.rs"]
#[allow(dead_code)]
mod generator;

use std::path::{Path, PathBuf};

use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{
    BatchSize, BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main,
};
use pagsearch::report::{self, Taxonomy};
use pagsearch::{Index, UpdateSummary};
use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::{IndexWriter, TantivyDocument};

/// Writer memory budget of the baseline, the same as pagsearch's.
const BUDGET: usize = 128 << 20;

fn quick() -> bool {
    std::env::var_os("PAGSEARCH_BENCH_QUICK").is_some()
}

/// Writes `reports` generated reports into a new temporary folder.
fn generate(reports: u32) -> (tempfile::TempDir, u64) {
    let source_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/pag8-report.md");
    let text = std::fs::read_to_string(source_path).expect("shipped report");
    let source = generator::Source::parse(&text).expect("the shipped report parses");
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut bytes = 0;
    for index in 1..=reports {
        let report = generator::generate_report(&source, 7, index);
        bytes += report.len() as u64;
        std::fs::write(dir.path().join(format!("report-{index:04}.md")), report).expect("written");
    }
    (dir, bytes)
}

/// The report files of `corpus`, in name order.
fn report_files(corpus: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus)
        .expect("corpus")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
}

/// The paragraph texts pagsearch extracts from the corpus.
fn paragraph_texts(corpus: &Path) -> Vec<String> {
    let taxonomy = Taxonomy::builtin();
    let mut texts = Vec::new();
    for file in report_files(corpus) {
        let report = report::parse_file(&file, &taxonomy).expect("readable");
        texts.extend(report.units.into_iter().map(|u| u.text));
    }
    texts
}

/// Reads and parses every report of `corpus` with one thread a core, as
/// the indexer's parse workers do, and keeps nothing: the number of units.
fn parse_only(corpus: &Path) -> usize {
    let files = report_files(corpus);
    let taxonomy = Taxonomy::builtin();
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut units = 0;
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(file) = files.get(i) else {
                            return units;
                        };
                        units += report::parse_file(file, &taxonomy)
                            .expect("readable")
                            .units
                            .len();
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("parse worker"))
            .sum()
    })
}

/// A group of 10 samples a benchmark (one, at once, in quick mode).
fn bench_group<'c>(c: &'c mut Criterion, name: &str) -> BenchmarkGroup<'c, WallTime> {
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    if quick() {
        group
            .warm_up_time(Duration::from_millis(1))
            .measurement_time(Duration::from_millis(1));
    }
    group
}

/// pagsearch end to end: a new index in `dir` with every report of `corpus`.
fn index_corpus(dir: &Path, corpus: &Path) -> UpdateSummary {
    let taxonomy = Taxonomy::builtin();
    let mut index = Index::open_or_create(dir, &taxonomy).expect("index");
    index
        .update(&[corpus.to_path_buf()], &taxonomy, false, &|_| {})
        .expect("indexed")
}

fn index_throughput(c: &mut Criterion) {
    let sizes: Vec<u32> = match std::env::var("PAGSEARCH_BENCH_REPORTS")
        .ok()
        .and_then(|n| n.parse().ok())
    {
        Some(reports) => vec![reports],
        None if quick() => vec![10],
        None => vec![100, 1000],
    };
    let mut group = bench_group(c, "index");
    for reports in sizes {
        let (corpus, bytes) = generate(reports);
        let texts = paragraph_texts(corpus.path());
        group.throughput(Throughput::Bytes(bytes));

        group.bench_function(format!("pagsearch/{reports}"), |b| {
            b.iter_batched(
                || tempfile::tempdir().expect("index folder"),
                |dir| {
                    let summary = index_corpus(dir.path(), corpus.path());
                    assert_eq!(summary.added, reports as usize);
                    dir
                },
                BatchSize::PerIteration,
            );
        });

        group.bench_function(format!("parse-only/{reports}"), |b| {
            b.iter(|| {
                let units = parse_only(corpus.path());
                assert_eq!(units, texts.len());
            });
        });

        group.bench_function(format!("tantivy-baseline/{reports}"), |b| {
            b.iter_batched(
                || tempfile::tempdir().expect("index folder"),
                |dir| {
                    let mut builder = Schema::builder();
                    // tantivy's own English stemming analyzer, with positions.
                    let options = TextOptions::default().set_indexing_options(
                        TextFieldIndexing::default()
                            .set_tokenizer("en_stem")
                            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
                    );
                    let text = builder.add_text_field("text", options);
                    let index =
                        tantivy::Index::create_in_dir(dir.path(), builder.build()).expect("index");
                    let mut writer: IndexWriter<TantivyDocument> =
                        index.writer(BUDGET).expect("writer");
                    for paragraph in &texts {
                        let mut doc = TantivyDocument::default();
                        doc.add_text(text, paragraph);
                        writer.add_document(doc).expect("added");
                    }
                    writer.commit().expect("committed");
                    writer.wait_merging_threads().expect("merged");
                    dir
                },
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

fn index_pdf_throughput(c: &mut Criterion) {
    let copies = if quick() { 2 } else { 50 };
    let pdf =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pag8-report.pdf"))
            .expect("the PDF fixture");
    let corpus = tempfile::tempdir().expect("temporary folder");
    for copy in 1..=copies {
        std::fs::write(corpus.path().join(format!("report-{copy:03}.pdf")), &pdf).expect("written");
    }
    let mut group = bench_group(c, "index-pdf");
    group.throughput(Throughput::Bytes((pdf.len() * copies) as u64));
    group.bench_function(format!("pagsearch/{copies}"), |b| {
        b.iter_batched(
            || tempfile::tempdir().expect("index folder"),
            |dir| {
                let summary = index_corpus(dir.path(), corpus.path());
                // Copies of one report: every one parsed and written,
                // searches see one.
                assert_eq!(summary.paragraphs_written, 136 * copies);
                assert_eq!(summary.paragraphs_total, 136);
                assert_eq!(summary.set_aside.len(), copies - 1);
                dir
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group!(benches, index_throughput, index_pdf_throughput);
criterion_main!(benches);
