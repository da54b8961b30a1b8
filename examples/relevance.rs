//! Measures pagsearch's ranking on the relevance test collection
//! (`tests/relevance/queries.json`, described in `tests/relevance/README.md`)
//! against a plain BM25 baseline of bare tantivy over the same paragraphs:
//! nDCG@10, MRR and Recall@10 on the tune and held-out halves.
//!
//! Run: `cargo run --release --example relevance -- [--per-query]
//! [--split tune|heldout] [--json] [--check] [--record]`
//!
//! - `--per-query`: each query's figures for both engines, then the table;
//! - `--hits`: with `--per-query`, each engine's top 10 under its query,
//!   with their grades;
//! - `--split S`: only the queries of split S;
//! - `--json`: one JSON line of the figures by split instead of the tables;
//! - `--check`: exits 1 when pagsearch's held-out nDCG@10 is below the
//!   baseline's or more than the tolerance below the recorded figure
//!   (`tests/relevance/recorded.json`), as `tests/relevance.rs` does;
//! - `--record`: writes today's figures to `tests/relevance/recorded.json`.

#[path = "../tests/relevance/mod.rs"]
mod relevance;

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut per_query = false;
    let mut hits = false;
    let mut json = false;
    let mut run_check = false;
    let mut record = false;
    let mut split: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--per-query" => per_query = true,
            "--hits" => hits = true,
            "--json" => json = true,
            "--check" => run_check = true,
            "--record" => record = true,
            "--split" => match args.next() {
                Some(s) if relevance::SPLITS.contains(&s.as_str()) => split = Some(s),
                other => {
                    eprintln!("--split takes tune or heldout, not {other:?}");
                    return ExitCode::from(2);
                }
            },
            other => {
                eprintln!(
                    "unknown argument {other:?}; usage: relevance [--per-query [--hits]] [--split tune|heldout] [--json] [--check] [--record]"
                );
                return ExitCode::from(2);
            }
        }
    }

    let queries = match relevance::load(&relevance::queries_path()) {
        Ok(queries) => queries,
        Err(problems) => {
            eprintln!("the collection is not valid:\n{problems}");
            return ExitCode::FAILURE;
        }
    };
    let engines = relevance::Engines::build();
    if let Err(problems) = engines.check_judgments(&queries) {
        eprintln!("the collection is not valid:\n{problems}");
        return ExitCode::FAILURE;
    }
    let all = relevance::evaluate(&engines, &queries);
    let results: Vec<relevance::QueryResult> = all
        .iter()
        .filter(|r| split.as_deref().is_none_or(|s| r.query.split == s))
        .cloned()
        .collect();

    if json {
        // Rounded to 4 places, as in tests/relevance/recorded.json.
        let summary: std::collections::BTreeMap<_, _> =
            relevance::Recorded::from_results(&results, 0.02)
                .splits
                .into_iter()
                .filter(|(set, s)| s.queries > 0 && (split.is_none() || set != "all"))
                .collect();
        println!("{}", serde_json::to_string(&summary).expect("serializable"));
    } else {
        if per_query {
            println!(
                "{:<5} {:<8} {:<7} {:<12} {:>20}   {:>20}   query",
                "id", "split", "corpus", "kind", "pagsearch nDCG MRR R", "baseline nDCG MRR R"
            );
            for r in &results {
                let (p, b) = (r.pagsearch, r.baseline);
                println!(
                    "{:<5} {:<8} {:<7} {:<12} {:>6.3} {:>6.3} {:>6.3}   {:>6.3} {:>6.3} {:>6.3}   {}",
                    r.query.id,
                    r.query.split,
                    r.query.corpus,
                    r.query.kind,
                    p.ndcg10,
                    p.mrr,
                    p.recall10,
                    b.ndcg10,
                    b.mrr,
                    b.recall10,
                    r.query.text
                );
                if hits {
                    for (engine, ranking) in [
                        ("pagsearch", &r.pagsearch_hits),
                        ("baseline", &r.baseline_hits),
                    ] {
                        let shown: Vec<String> = ranking
                            .iter()
                            .map(|(doc, para)| {
                                let grade = r.query.grade(doc, para);
                                if r.query.corpus == "pag8" {
                                    format!("{para}={grade}")
                                } else {
                                    format!("{doc}¶{para}={grade}")
                                }
                            })
                            .collect();
                        println!("      {engine:<10} {}", shown.join(" "));
                    }
                }
            }
            println!();
        }
        let judged: usize = results.iter().map(|r| r.query.judgments.len()).sum();
        let count = |corpus: &str| results.iter().filter(|r| r.query.corpus == corpus).count();
        println!(
            "{} queries ({} pag8, {} styles), {judged} judgments; top {} per query",
            results.len(),
            count("pag8"),
            count("styles"),
            relevance::DEPTH
        );
        println!();
        let order: Vec<&str> = match &split {
            Some(s) => vec![s.as_str()],
            None => vec!["tune", "heldout", "all"],
        };
        print!(
            "{}",
            relevance::table(&relevance::by_split(&results), &order)
        );
        println!();
        println!("nDCG@10 by corpus");
        print!("{}", relevance::breakdown(&results, |q| q.corpus.clone()));
        println!();
        println!("nDCG@10 by corpus and split");
        print!(
            "{}",
            relevance::breakdown(&results, |q| format!("{} {}", q.corpus, q.split))
        );
        println!();
        println!("nDCG@10 by kind");
        print!("{}", relevance::breakdown(&results, |q| q.kind.clone()));
    }

    if record {
        let recorded = relevance::Recorded::from_results(&all, 0.02);
        let path = relevance::recorded_path();
        if let Err(e) = std::fs::write(&path, recorded.to_json()) {
            eprintln!("{}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        eprintln!("figures written to {}", path.display());
    }
    if run_check {
        let recorded = match relevance::Recorded::read(&relevance::recorded_path()) {
            Ok(recorded) => recorded,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        };
        match relevance::check(&all, &recorded) {
            Ok(message) => eprintln!("check passed: {message}"),
            Err(message) => {
                eprintln!("check failed: {message}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
