//! Ranking on the relevance test collection (`tests/relevance/`): the
//! collection is well formed, the metrics and the baseline's queries are
//! what they claim, and pagsearch's nDCG@10 on the held-out queries is
//! neither below the plain BM25 baseline's nor more than the tolerance below
//! the figure recorded in `tests/relevance/recorded.json`.
//!
//! `cargo run --release --example relevance` prints the whole table;
//! `-- --record` rewrites the recorded figures after a deliberate change.

#[path = "relevance/mod.rs"]
mod relevance;

use relevance::{Judgment, Query};

fn collection() -> Vec<Query> {
    relevance::load(&relevance::queries_path())
        .unwrap_or_else(|problems| panic!("the collection is not valid:\n{problems}"))
}

#[test]
fn the_collection_has_its_stated_make_up() {
    let queries = collection();
    let count = |corpus: &str, split: Option<&str>| {
        queries
            .iter()
            .filter(|q| q.corpus == corpus && split.is_none_or(|s| q.split == s))
            .count()
    };
    assert!(
        count("pag8", None) >= 60,
        "at least 60 queries on the shipped report"
    );
    assert!(
        count("styles", None) >= 20,
        "at least 20 on the five test reports"
    );
    for corpus in ["pag8", "styles"] {
        let tune = count(corpus, Some("tune"));
        let heldout = count(corpus, Some("heldout"));
        assert!(
            tune.abs_diff(heldout) <= 2,
            "{corpus}: {tune} tune against {heldout} held-out queries"
        );
    }
    // Ids in order, splits alternating by id: fixed, not chosen by results.
    for (i, query) in queries.iter().enumerate() {
        assert_eq!(query.id, format!("q{:03}", i + 1));
        let split = if i % 2 == 0 { "tune" } else { "heldout" };
        assert_eq!(query.split, split, "{}", query.id);
    }
}

fn query(judgments: &[(&str, u8)]) -> Query {
    Query {
        id: "q".into(),
        corpus: "pag8".into(),
        kind: "topic".into(),
        split: "tune".into(),
        text: "x".into(),
        judgments: judgments
            .iter()
            .map(|&(para, grade)| Judgment {
                doc: "D".into(),
                para: para.into(),
                grade,
                reason: Some("r".into()),
            })
            .collect(),
    }
}

fn ranking(paras: &[&str]) -> Vec<(String, String)> {
    paras
        .iter()
        .map(|p| ("D".to_string(), p.to_string()))
        .collect()
}

#[test]
fn the_metrics_follow_their_definitions() {
    let q = query(&[("a", 2), ("b", 1), ("c", 1)]);
    let perfect = relevance::score(&q, &ranking(&["a", "b", "c"]));
    assert!((perfect.ndcg10 - 1.0).abs() < 1e-12);
    assert_eq!(perfect.mrr, 1.0);
    assert_eq!(perfect.recall10, 1.0);

    // A 1 first, the 2 third: DCG = 1 + 0 + 2/2 = 2 over the ideal
    // 2 + 1/log2(3) + 1/2.
    let s = relevance::score(&q, &ranking(&["b", "x", "a"]));
    let ideal = 2.0 + 1.0 / 3f64.log2() + 0.5;
    assert!((s.ndcg10 - 2.0 / ideal).abs() < 1e-12);
    assert!(
        (s.mrr - 1.0 / 3.0).abs() < 1e-12,
        "MRR looks for the first 2"
    );
    assert!((s.recall10 - 2.0 / 3.0).abs() < 1e-12);

    // Without any 2, MRR looks for the first 1.
    let ones = query(&[("a", 1)]);
    assert_eq!(relevance::score(&ones, &ranking(&["x", "a"])).mrr, 0.5);

    // Nothing found, and hits past the tenth do not count.
    let empty = relevance::score(&q, &[]);
    assert_eq!((empty.ndcg10, empty.mrr, empty.recall10), (0.0, 0.0, 0.0));
    let late: Vec<&str> = ["x"; 10].into_iter().chain(["a"]).collect();
    assert_eq!(relevance::score(&q, &ranking(&late)).recall10, 0.0);
}

#[test]
fn the_baseline_gets_the_free_words_only() {
    let cases = [
        (
            "financing chlor-alkali conversion",
            Some("financing chlor-alkali conversion"),
        ),
        ("speaker:Bailey funding", Some("funding")),
        ("speaker:\"Susan Keane\" area:asgm NAP", Some("NAP")),
        (
            "N'Guessan strategic framework",
            Some("N\\'Guessan strategic framework"),
        ),
        ("mercury -cement", Some("mercury -cement")),
        ("(coal OR cement) -area:waste", Some("(coal OR cement)")),
        (
            "\"mercury waste\" storage",
            Some("\"mercury waste\" storage"),
        ),
        ("area:asgm speaker:Keane", None),
    ];
    for (query, expected) in cases {
        assert_eq!(
            relevance::baseline_query(query).as_deref(),
            expected,
            "{query}"
        );
    }
}

#[test]
fn pagsearch_holds_its_heldout_ndcg() {
    let queries = collection();
    let engines = relevance::Engines::build();
    engines
        .check_judgments(&queries)
        .unwrap_or_else(|problems| panic!("the collection is not valid:\n{problems}"));
    let results = relevance::evaluate(&engines, &queries);
    let recorded = relevance::Recorded::read(&relevance::recorded_path())
        .unwrap_or_else(|e| panic!("recorded figures: {e}"));
    match relevance::check(&results, &recorded) {
        Ok(message) => eprintln!("{message}"),
        Err(failure) => panic!(
            "{failure}\n(`cargo run --release --example relevance -- --per-query` shows each query)"
        ),
    }
}
