//! One whole search process, as a person at a terminal waits for it: the
//! built `pagsearch search` started cold (warm page cache), for keyword,
//! phrase, filter-only and acronym queries, with and without `--facets`;
//! beside it, in the same run, the same kind of process over the bare
//! tantivy index of the same paragraphs (open, parse the query, top 10,
//! fetch their text, print), which this bench runs by starting itself. The
//! three kinds of process take turns, run by run.
//!
//! Run: `cargo bench --bench process` (1,000 reports, 30 processes per
//! query). `PAGSEARCH_BENCH_REPORTS=10000` sets the corpus size,
//! `PAGSEARCH_BENCH_RUNS` the processes per query;
//! `PAGSEARCH_BENCH_QUICK=1` runs a smoke test (10 reports, 3 processes).

#[path = "common/fixture.rs"]
mod fixture;
#[path = "../examples/gen_corpus/generator.rs"]
#[allow(dead_code)]
mod generator;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use tantivy::TantivyDocument;
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::Value;

/// Set in the environment of this bench started again as the baseline
/// process: the bare index folder.
const BARE_INDEX: &str = "PAGSEARCH_BENCH_BARE_INDEX";
/// … and the query it answers.
const BARE_QUERY: &str = "PAGSEARCH_BENCH_BARE_QUERY";

fn setting(name: &str, default: usize, quick: usize) -> usize {
    match std::env::var(name).ok().and_then(|v| v.parse().ok()) {
        Some(value) => value,
        None if std::env::var_os("PAGSEARCH_BENCH_QUICK").is_some() => quick,
        None => default,
    }
}

/// The baseline process: the bare index opened, the query parsed by
/// tantivy's parser, the top 10 fetched and printed.
fn bare_search(dir: &Path, query: &str) {
    let index = tantivy::Index::open_in_dir(dir).expect("bare index");
    let text = index.schema().get_field("text").expect("text field");
    let reader = index.reader().expect("reader");
    let searcher = reader.searcher();
    let parsed = QueryParser::for_index(&index, vec![text])
        .parse_query(query)
        .expect("query");
    let top = searcher
        .search(&parsed, &TopDocs::with_limit(10).order_by_score())
        .expect("search");
    let mut out = std::io::stdout().lock();
    for (score, address) in top {
        let doc: TantivyDocument = searcher.doc(address).expect("doc");
        let text = doc.get_first(text).and_then(|v| v.as_str()).unwrap_or("");
        let _ = writeln!(out, "{score:.3} {text}");
    }
}

/// Wall time of one run of `command`, in ms.
fn run_once(mut command: Command) -> f64 {
    command.stdout(Stdio::null()).stderr(Stdio::null());
    let started = Instant::now();
    let status = command.status().expect("the process runs");
    assert!(status.success(), "{command:?} failed");
    started.elapsed().as_secs_f64() * 1e3
}

/// Median and 90th percentile wall time of `runs` runs of each command, in
/// ms. The commands take turns, run by run, so that a slower spell of the
/// machine weighs on each of them alike and their ratios hold.
fn time(runs: usize, commands: &mut [&mut dyn FnMut() -> Command]) -> Vec<(f64, f64)> {
    let mut times = vec![Vec::with_capacity(runs); commands.len()];
    for _ in 0..runs {
        for (command, times) in commands.iter_mut().zip(&mut times) {
            times.push(run_once(command()));
        }
    }
    times
        .into_iter()
        .map(|mut times| {
            times.sort_by(f64::total_cmp);
            (
                times[times.len() / 2],
                times[(times.len() * 9 / 10).min(times.len() - 1)],
            )
        })
        .collect()
}

fn main() {
    if let (Some(dir), Some(query)) = (std::env::var_os(BARE_INDEX), std::env::var(BARE_QUERY).ok())
    {
        bare_search(Path::new(&dir), &query);
        return;
    }
    let filter = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    if filter.is_some_and(|f| !"process".contains(f.as_str())) {
        return;
    }
    let reports = setting("PAGSEARCH_BENCH_REPORTS", 1000, 10);
    let runs = setting("PAGSEARCH_BENCH_RUNS", 30, 3);
    let fixture = fixture::fixture(reports as u32);
    let index = fixture.dir.path().join("index");
    let bare = fixture.dir.path().join("bare");
    let meta = std::fs::metadata(index.join("meta.json")).map_or(0, |m| m.len());
    println!(
        "process: {reports} reports ({meta} bytes of meta.json), {runs} processes per query; medians (p90) in ms"
    );

    let cases: [(&str, &str, Option<&str>); 6] = [
        (
            "keyword",
            "financing chlor-alkali conversion",
            Some("financing chlor-alkali conversion"),
        ),
        (
            "keyword",
            "mercury inventory toolkit",
            Some("mercury inventory toolkit"),
        ),
        ("phrase", "\"mercury waste\"", Some("\"mercury waste\"")),
        ("filter-only", "area:asgm agenda:3", None),
        ("acronym", "MIA", Some("MIA")),
        ("mixed", "financing agenda:3", None),
    ];
    let pagsearch = |query: &str, extra: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_pagsearch"));
        command
            .args(["search", "--limit", "10", "--color", "never", "--index"])
            .arg(&index)
            .args(extra)
            .arg(query);
        command
    };
    let me = std::env::current_exe().expect("this bench");
    for (category, query, bare_query) in cases {
        let mut plain = || pagsearch(query, &[]);
        let mut facets = || pagsearch(query, &["--facets"]);
        let mut baseline = || {
            let mut command = Command::new(&me);
            command
                .env(BARE_INDEX, &bare)
                .env(BARE_QUERY, bare_query.unwrap_or_default());
            command
        };
        let times = if bare_query.is_some() {
            time(runs, &mut [&mut plain, &mut facets, &mut baseline])
        } else {
            time(runs, &mut [&mut plain, &mut facets])
        };
        let ((plain, plain90), (facets, facets90)) = (times[0], times[1]);
        let baseline = times.get(2).map_or("—".to_string(), |(m, p)| {
            format!("{m:.2} ({p:.2}), pagsearch {:.2}×", plain / m)
        });
        println!(
            "process {category:<11} {query:<36} pagsearch {plain:.2} ({plain90:.2}), with --facets {facets:.2} ({facets90:.2}); bare tantivy {baseline}"
        );
    }
    let empty = time(runs, &mut [&mut || Command::new("true")])[0].0;
    println!("process: starting `true` takes {empty:.2} ms on this machine");
}
