//! Search latency in process on an index of 1,000 generated reports: a fixed
//! mix of 30 realistic queries (keywords, phrases, filters, acronyms, mixed),
//! each returning its top 10 with snippets — and the same keyword queries on a
//! bare tantivy index of the same paragraph texts (one stemmed, stored text
//! field; top 10 fetched), as a baseline.
//!
//! Criterion reports each category's time for all its queries (and the
//! per-query rate), then one keyword query as it is, grouped by speaker,
//! sorted newest first and both (`one-keyword…`); after it, the bench
//! prints p50 and p95 of the per-query medians over the whole mix.
//!
//! Run: `cargo bench --bench search`. With `PAGSEARCH_BENCH_QUICK=1` it runs
//! once on 10 reports (a smoke test); `PAGSEARCH_BENCH_REPORTS=10000` sets
//! the corpus size; `PAGSEARCH_BENCH_EACH=1` also prints each query's
//! median.

#[path = "../examples/gen_corpus/generator.rs"]
#[allow(dead_code)]
mod generator;
#[path = "common/query_mix.rs"]
mod query_mix;
use query_mix::query_mix;

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pagsearch::report::Taxonomy;
use pagsearch::{GroupBy, Index, SearchOptions, Sort};
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions, Value};
use tantivy::{IndexWriter, TantivyDocument};

fn quick() -> bool {
    std::env::var_os("PAGSEARCH_BENCH_QUICK").is_some()
}

/// A generated corpus, its pagsearch index and a bare tantivy index of the
/// same paragraph texts, all in one temporary folder.
struct Fixture {
    _dir: tempfile::TempDir,
    index: Index,
    bare: tantivy::Index,
    bare_text: tantivy::schema::Field,
}

fn fixture(reports: u32) -> Fixture {
    let dir = tempfile::tempdir().expect("temporary folder");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).expect("corpus folder");
    let source_text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/pag8-report.md"),
    )
    .expect("shipped report");
    let source = generator::Source::parse(&source_text).expect("the shipped report parses");
    for i in 1..=reports {
        let report = generator::generate_report(&source, 7, i);
        std::fs::write(corpus.join(format!("report-{i:04}.md")), report).expect("written");
    }
    let taxonomy = Taxonomy::builtin();
    let mut index = Index::open_or_create(&dir.path().join("index"), &taxonomy).expect("index");
    index
        .update(std::slice::from_ref(&corpus), &taxonomy, false, &|_| {})
        .expect("indexed");

    let mut builder = Schema::builder();
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("en_stem")
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    ) | STORED;
    let bare_text = builder.add_text_field("text", options);
    let bare_dir = dir.path().join("bare");
    std::fs::create_dir(&bare_dir).expect("bare folder");
    let bare = tantivy::Index::create_in_dir(&bare_dir, builder.build()).expect("bare index");
    let mut writer: IndexWriter<TantivyDocument> = bare.writer(128 << 20).expect("writer");
    let all = index
        .search(
            "area:asgm OR -area:asgm",
            &SearchOptions {
                limit: Some(index.paragraph_count()),
                ..SearchOptions::default()
            },
        )
        .expect("every paragraph");
    for hit in &all.hits {
        let mut doc = TantivyDocument::default();
        doc.add_text(bare_text, &hit.paragraph.text);
        writer.add_document(doc).expect("added");
    }
    writer.commit().expect("committed");
    Fixture {
        _dir: dir,
        index,
        bare,
        bare_text,
    }
}

fn options() -> SearchOptions {
    SearchOptions {
        limit: Some(10),
        ..SearchOptions::default()
    }
}

fn search_latency(c: &mut Criterion) {
    let reports = match std::env::var("PAGSEARCH_BENCH_REPORTS")
        .ok()
        .and_then(|n| n.parse().ok())
    {
        Some(reports) => reports,
        None if quick() => 10,
        None => 1000,
    };
    let fixture = fixture(reports);
    let mix = query_mix(&fixture.index);
    assert_eq!(mix.iter().map(|(_, q)| q.len()).sum::<usize>(), 30);

    let mut group = c.benchmark_group(format!("search-{reports}"));
    if quick() {
        group
            .sample_size(10)
            .warm_up_time(Duration::from_millis(1))
            .measurement_time(Duration::from_millis(1));
    }
    for (category, queries) in &mix {
        group.throughput(Throughput::Elements(queries.len() as u64));
        group.bench_function(*category, |b| {
            b.iter(|| {
                for query in queries {
                    let results = fixture
                        .index
                        .search(query, &options())
                        .expect("valid query");
                    assert!(results.total > 0, "{query} finds nothing");
                }
            })
        });
    }

    // One keyword query as it is, grouped by speaker, sorted newest first,
    // and both: what grouping and sorting cost over the same matches.
    let one = "national action plans";
    let arranged = [
        ("one-keyword", None, Sort::Relevance),
        (
            "one-keyword-by-speaker",
            Some(GroupBy::Speaker),
            Sort::Relevance,
        ),
        ("one-keyword-newest", None, Sort::Newest),
        (
            "one-keyword-by-speaker-newest",
            Some(GroupBy::Speaker),
            Sort::Newest,
        ),
    ];
    group.throughput(Throughput::Elements(1));
    for (name, group_by, sort) in arranged {
        let options = SearchOptions {
            group_by,
            sort,
            ..options()
        };
        group.bench_function(name, |b| {
            b.iter(|| {
                let results = fixture.index.search(one, &options).expect("valid query");
                assert!(!results.hits.is_empty(), "{name} finds nothing");
            })
        });
    }

    // The keyword queries on bare tantivy: parse, top 10, fetch the text.
    let reader = fixture.bare.reader().expect("reader");
    let searcher = reader.searcher();
    let parser = QueryParser::for_index(&fixture.bare, vec![fixture.bare_text]);
    let keywords = &mix[0].1;
    group.throughput(Throughput::Elements(keywords.len() as u64));
    group.bench_function("tantivy-baseline-keyword", |b| {
        b.iter(|| {
            for query in keywords {
                let (query, _) = parser.parse_query_lenient(query);
                let top = searcher
                    .search(&query, &TopDocs::with_limit(10).order_by_score())
                    .expect("searched");
                for (_, address) in top {
                    let doc: TantivyDocument = searcher.doc(address).expect("stored");
                    let text = doc
                        .get_first(fixture.bare_text)
                        .and_then(|v| v.as_str())
                        .unwrap_or("");
                    std::hint::black_box(text);
                }
            }
        })
    });
    group.finish();

    // Distribution over the mix: each query's median of repeated runs.
    let runs = if quick() { 1 } else { 25 };
    let mut medians: Vec<Duration> = mix
        .iter()
        .flat_map(|(_, queries)| queries)
        .map(|query| {
            let mut times: Vec<Duration> = (0..runs)
                .map(|_| {
                    let started = Instant::now();
                    std::hint::black_box(
                        fixture
                            .index
                            .search(query, &options())
                            .expect("valid query"),
                    );
                    started.elapsed()
                })
                .collect();
            times.sort();
            if std::env::var_os("PAGSEARCH_BENCH_EACH").is_some() {
                eprintln!(
                    "{:8.3} ms  {query}",
                    times[times.len() / 2].as_secs_f64() * 1e3
                );
            }
            times[times.len() / 2]
        })
        .collect();
    medians.sort();
    let percentile = |p: usize| medians[(medians.len() * p / 100).min(medians.len() - 1)];
    println!(
        "search-{reports}: 30-query mix, per-query medians: p50 {:.3} ms, p95 {:.3} ms, max {:.3} ms",
        percentile(50).as_secs_f64() * 1e3,
        percentile(95).as_secs_f64() * 1e3,
        medians[medians.len() - 1].as_secs_f64() * 1e3
    );
}

criterion_group!(benches, search_latency);
criterion_main!(benches);
