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

#[path = "common/fixture.rs"]
mod fixture;
#[path = "../examples/gen_corpus/generator.rs"]
#[allow(dead_code)]
mod generator;
#[path = "common/query_mix.rs"]
mod query_mix;
use fixture::fixture;
use query_mix::query_mix;

use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pagsearch::{GroupBy, SearchOptions, Sort};
use tantivy::TantivyDocument;
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::Value;

fn quick() -> bool {
    std::env::var_os("PAGSEARCH_BENCH_QUICK").is_some()
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
