//! The relevance test collection and its evaluation, shared by
//! `tests/relevance.rs` (the regression check) and `examples/relevance.rs`
//! (the table). `tests/relevance/README.md` describes the collection.
//!
//! Each corpus is indexed twice in a temporary folder: by pagsearch through
//! the library, and by a plain BM25 baseline built with bare tantivy (one
//! text field, tantivy's `en_stem` analyzer, default BM25, tantivy's query
//! parser with OR semantics) over the very paragraphs pagsearch's own parser
//! gives. Both engines answer every query with their top 10, which are
//! scored against the graded judgments: nDCG@10, MRR and Recall@10.

#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use pagsearch::query::Node;
use pagsearch::report::{self, Paragraph, Taxonomy};
use pagsearch::{Index, SearchOptions};
use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{Field, Value};
use tantivy::schema::{IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions};
use tantivy::{IndexWriter, TantivyDocument};

/// Hits scored per query.
pub const DEPTH: usize = 10;

/// The two splits, in the order tables show them.
pub const SPLITS: [&str; 2] = ["tune", "heldout"];

/// The corpora: name and the report files that make it, relative to the
/// crate root.
pub const CORPORA: [(&str, &[&str]); 2] = [
    ("pag8", &["corpus/pag8-report.md"]),
    (
        "styles",
        &[
            "tests/fixtures/reports/pag11-report.txt",
            "tests/fixtures/reports/cop-report.md",
            "tests/fixtures/reports/oewg-summary.md",
            "tests/fixtures/reports/pag14-report.md",
            "tests/fixtures/reports/inc-report.txt",
        ],
    ),
];

/// The crate root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The collection file.
pub fn queries_path() -> PathBuf {
    root().join("tests/relevance/queries.json")
}

/// The figures recorded for the regression check.
pub fn recorded_path() -> PathBuf {
    root().join("tests/relevance/recorded.json")
}

/// The collection file: `{"version": 1, "queries": [...]}`.
#[derive(Debug, Deserialize)]
pub struct Collection {
    pub version: u32,
    pub queries: Vec<Query>,
}

/// One query with its judgments.
#[derive(Debug, Clone, Deserialize)]
pub struct Query {
    /// `q001`, …
    pub id: String,
    /// `pag8` or `styles`.
    pub corpus: String,
    /// What kind of query it is (`topic`, `acronym`, `person`, …).
    pub kind: String,
    /// `tune` or `heldout`.
    pub split: String,
    /// The query as a user types it, in pagsearch syntax.
    pub text: String,
    /// Every paragraph that deserves a grade; unlisted ones are 0.
    pub judgments: Vec<Judgment>,
}

/// A graded paragraph.
#[derive(Debug, Clone, Deserialize)]
pub struct Judgment {
    /// Document id as pagsearch returns it (`PAG.8/7`).
    pub doc: String,
    /// Paragraph label as pagsearch returns it (`115.2`).
    pub para: String,
    /// 2: answers the query; 1: related.
    pub grade: u8,
    /// Why a 2 answers (required for 2s).
    #[serde(default)]
    pub reason: Option<String>,
}

impl Query {
    /// The grade of a paragraph: 0 when unjudged.
    pub fn grade(&self, doc: &str, para: &str) -> u8 {
        self.judgments
            .iter()
            .find(|j| j.doc == doc && j.para == para)
            .map_or(0, |j| j.grade)
    }
}

/// Reads the collection and checks its shape: unique ids, known corpora and
/// splits, grades 1 or 2, a reason for every 2, no paragraph judged twice in
/// a query. Whether the judged paragraphs exist is checked by
/// [`Engines::check_judgments`].
pub fn load(path: &Path) -> Result<Vec<Query>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let collection: Collection =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    if collection.version != 1 {
        return Err(format!("unknown collection version {}", collection.version));
    }
    let mut ids = HashSet::new();
    let mut problems = Vec::new();
    for query in &collection.queries {
        let id = &query.id;
        if !ids.insert(id.clone()) {
            problems.push(format!("{id}: duplicate id"));
        }
        if !CORPORA.iter().any(|(name, _)| *name == query.corpus) {
            problems.push(format!("{id}: unknown corpus {:?}", query.corpus));
        }
        if !SPLITS.contains(&query.split.as_str()) {
            problems.push(format!("{id}: unknown split {:?}", query.split));
        }
        if query.text.trim().is_empty() || query.kind.trim().is_empty() {
            problems.push(format!("{id}: empty text or kind"));
        }
        if !query.judgments.iter().any(|j| j.grade >= 1) {
            problems.push(format!("{id}: no judged paragraph"));
        }
        let mut seen = HashSet::new();
        for j in &query.judgments {
            if !seen.insert((&j.doc, &j.para)) {
                problems.push(format!("{id}: {} ¶{} judged twice", j.doc, j.para));
            }
            if !(1..=2).contains(&j.grade) {
                problems.push(format!("{id}: {} ¶{} grade {}", j.doc, j.para, j.grade));
            }
            if j.grade == 2 && j.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
                problems.push(format!("{id}: {} ¶{} is a 2 without reason", j.doc, j.para));
            }
        }
    }
    if problems.is_empty() {
        Ok(collection.queries)
    } else {
        Err(problems.join("\n"))
    }
}

/// The plain BM25 baseline: bare tantivy over the paragraph texts.
pub struct Baseline {
    index: tantivy::Index,
    reader: tantivy::IndexReader,
    text: Field,
    doc: Field,
    para: Field,
}

impl Baseline {
    /// Indexes `paragraphs`: the text with tantivy's `en_stem` analyzer
    /// (SimpleTokenizer, RemoveLongFilter, LowerCaser, English Stemmer), doc
    /// and para stored to name the hits.
    fn build(paragraphs: &[Paragraph]) -> tantivy::Result<Baseline> {
        let mut builder = Schema::builder();
        let text_options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("en_stem")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let text = builder.add_text_field("text", text_options);
        let doc = builder.add_text_field("doc", STRING | STORED);
        let para = builder.add_text_field("para", STRING | STORED);
        let index = tantivy::Index::create_in_ram(builder.build());
        let mut writer: IndexWriter<TantivyDocument> =
            index.writer_with_num_threads(1, 50 << 20)?;
        for paragraph in paragraphs {
            let mut document = TantivyDocument::default();
            document.add_text(text, &paragraph.text);
            document.add_text(doc, &paragraph.doc);
            document.add_text(para, &paragraph.para);
            writer.add_document(document)?;
        }
        writer.commit()?;
        let reader = index.reader()?;
        Ok(Baseline {
            index,
            reader,
            text,
            doc,
            para,
        })
    }

    /// The top [`DEPTH`] paragraphs for the free words of `query`, as
    /// (doc, para); none when the query has no free words.
    pub fn search(&self, query: &str) -> Vec<(String, String)> {
        let Some(text) = baseline_query(query) else {
            return Vec::new();
        };
        let parser = QueryParser::for_index(&self.index, vec![self.text]);
        let parsed = parser
            .parse_query(&text)
            .unwrap_or_else(|e| panic!("baseline query {text:?} (from {query:?}): {e}"));
        let searcher = self.reader.searcher();
        let top = searcher
            .search(&parsed, &TopDocs::with_limit(DEPTH).order_by_score())
            .expect("baseline search");
        top.into_iter()
            .map(|(_, address)| {
                let document: TantivyDocument = searcher.doc(address).expect("stored document");
                let get = |field| {
                    document
                        .get_first(field)
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_string()
                };
                (get(self.doc), get(self.para))
            })
            .collect()
    }
}

/// The baseline's form of a pagsearch query: its free words and phrases
/// with their operators (`-x`, `OR`, `AND`, grouping), filters (`speaker:X`)
/// left out, and the characters tantivy's query parser treats as syntax
/// escaped inside words. `None` when nothing is left.
pub fn baseline_query(query: &str) -> Option<String> {
    let node = pagsearch::query::parse(query)
        .unwrap_or_else(|e| panic!("pagsearch refuses {query:?}: {e}"));
    free_words(&node, true)
}

fn free_words(node: &Node, top: bool) -> Option<String> {
    let group = |children: &[Node], joiner: &str| {
        let kept: Vec<String> = children
            .iter()
            .filter_map(|child| free_words(child, false))
            .collect();
        match kept.len() {
            0 => None,
            1 => kept.into_iter().next(),
            _ if top => Some(kept.join(joiner)),
            _ => Some(format!("({})", kept.join(joiner))),
        }
    };
    match node {
        Node::Word { text, .. } => Some(escape_word(text)),
        Node::Phrase { text, .. } => {
            let words: String = text.chars().filter(|c| *c != '"').collect();
            (!words.trim().is_empty()).then(|| format!("\"{words}\""))
        }
        Node::Field { .. } => None,
        Node::Not { node, .. } => free_words(node, false).map(|inner| format!("-{inner}")),
        Node::Seq(children) => group(children, " "),
        Node::And(children) => group(children, " AND "),
        Node::Or(children) => group(children, " OR "),
    }
}

/// Escapes the characters of tantivy's query grammar inside a word, and a
/// leading `-` or `+` (an operator there).
fn escape_word(word: &str) -> String {
    const SYNTAX: &[char] = &[
        '+', '^', '`', ':', '{', '}', '"', '\'', '[', ']', '(', ')', '!', '\\', '*', '~',
    ];
    let mut out = String::with_capacity(word.len() + 4);
    for (i, c) in word.chars().enumerate() {
        if SYNTAX.contains(&c) || (i == 0 && c == '-') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// One corpus indexed by both engines.
pub struct Built {
    pub index: Index,
    pub baseline: Baseline,
    /// Every paragraph of the corpus, as pagsearch's parser gives it.
    pub paragraphs: Vec<Paragraph>,
}

/// Every corpus indexed by both engines, in a temporary folder.
pub struct Engines {
    _dir: tempfile::TempDir,
    pub corpora: BTreeMap<String, Built>,
}

impl Engines {
    /// Copies each corpus's reports into a folder of its own, indexes it with
    /// pagsearch, parses the same copies with the `report` module and
    /// indexes their paragraphs in the baseline.
    pub fn build() -> Engines {
        let dir = tempfile::tempdir().expect("temporary folder");
        let taxonomy = Taxonomy::builtin();
        let mut corpora = BTreeMap::new();
        for (name, files) in CORPORA {
            let reports = dir.path().join(name).join("reports");
            std::fs::create_dir_all(&reports).expect("corpus folder");
            let mut index = Index::open_or_create(&dir.path().join(name).join("index"), &taxonomy)
                .expect("pagsearch index");
            let mut paragraphs = Vec::new();
            for file in files {
                let source = root().join(file);
                let copy = reports.join(source.file_name().expect("file name"));
                std::fs::copy(&source, &copy)
                    .unwrap_or_else(|e| panic!("{}: {e}", source.display()));
                // One file per update, in a fixed order: a report's place in
                // document order (which breaks ties between equal scores) is
                // the order in which the index receives it, and one update
                // of several files receives them as its parse workers finish.
                index
                    .update(std::slice::from_ref(&reports), &taxonomy, false, &|_| {})
                    .expect("indexed");
                let parsed = report::parse_file(&copy, &taxonomy).expect("readable report");
                paragraphs.extend(parsed.units.iter().map(|u| Paragraph::new(&parsed, u)));
            }
            assert_eq!(
                index.paragraph_count(),
                paragraphs.len(),
                "{name}: pagsearch and the baseline see the same paragraphs"
            );
            let baseline = Baseline::build(&paragraphs).expect("baseline index");
            corpora.insert(
                name.to_string(),
                Built {
                    index,
                    baseline,
                    paragraphs,
                },
            );
        }
        Engines { _dir: dir, corpora }
    }

    fn corpus(&self, name: &str) -> &Built {
        self.corpora
            .get(name)
            .unwrap_or_else(|| panic!("unknown corpus {name}"))
    }

    /// Judgments naming a paragraph its corpus does not have.
    pub fn check_judgments(&self, queries: &[Query]) -> Result<(), String> {
        let mut problems = Vec::new();
        for query in queries {
            let built = self.corpus(&query.corpus);
            let known: HashSet<(&str, &str)> = built
                .paragraphs
                .iter()
                .map(|p| (p.doc.as_str(), p.para.as_str()))
                .collect();
            for j in &query.judgments {
                if !known.contains(&(j.doc.as_str(), j.para.as_str())) {
                    problems.push(format!(
                        "{}: no paragraph {} ¶{} in corpus {}",
                        query.id, j.doc, j.para, query.corpus
                    ));
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("\n"))
        }
    }

    /// pagsearch's top [`DEPTH`] for the query, as (doc, para).
    pub fn pagsearch(&self, query: &Query) -> Vec<(String, String)> {
        let options = SearchOptions {
            limit: Some(DEPTH),
            ..SearchOptions::default()
        };
        let results = self
            .corpus(&query.corpus)
            .index
            .search(&query.text, &options)
            .unwrap_or_else(|e| panic!("{}: {e}", query.id));
        results
            .hits
            .into_iter()
            .map(|hit| (hit.paragraph.doc, hit.paragraph.para))
            .collect()
    }

    /// The baseline's top [`DEPTH`] for the query, as (doc, para).
    pub fn baseline(&self, query: &Query) -> Vec<(String, String)> {
        self.corpus(&query.corpus).baseline.search(&query.text)
    }
}

/// The figures of one ranking, or the mean over several.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// nDCG@10 with gains 2 and 1 and a log2(rank + 1) discount; the ideal
    /// ranking is the judged paragraphs, best first.
    pub ndcg10: f64,
    /// 1 / rank of the first hit of the target grade within the top 10 (0
    /// when none): grade 2 when the query has any 2, else grade 1.
    pub mrr: f64,
    /// Share of the paragraphs graded 1 or 2 found in the top 10.
    pub recall10: f64,
}

/// Scores `ranking` (best first) against the judgments of `query`.
pub fn score(query: &Query, ranking: &[(String, String)]) -> Scores {
    let ranking = &ranking[..ranking.len().min(DEPTH)];
    let grades: Vec<u8> = ranking
        .iter()
        .map(|(doc, para)| query.grade(doc, para))
        .collect();
    let discount = |i: usize| 1.0 / ((i + 2) as f64).log2();
    let dcg = grades
        .iter()
        .enumerate()
        .fold(0.0, |sum, (i, &g)| sum + f64::from(g) * discount(i));
    let mut ideal: Vec<u8> = query.judgments.iter().map(|j| j.grade).collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg = ideal
        .iter()
        .take(DEPTH)
        .enumerate()
        .fold(0.0, |sum, (i, &g)| sum + f64::from(g) * discount(i));
    let target = if ideal.first() == Some(&2) { 2 } else { 1 };
    let mrr = grades
        .iter()
        .position(|&g| g >= target)
        .map_or(0.0, |i| 1.0 / (i + 1) as f64);
    let relevant = query.judgments.iter().filter(|j| j.grade >= 1).count();
    let found = grades.iter().filter(|&&g| g >= 1).count();
    Scores {
        ndcg10: if idcg > 0.0 { dcg / idcg } else { 0.0 },
        mrr,
        recall10: if relevant > 0 {
            found as f64 / relevant as f64
        } else {
            0.0
        },
    }
}

/// Both engines' figures on one query.
#[derive(Debug, Clone)]
pub struct QueryResult {
    pub query: Query,
    pub pagsearch: Scores,
    pub baseline: Scores,
    pub pagsearch_hits: Vec<(String, String)>,
    pub baseline_hits: Vec<(String, String)>,
}

/// Runs every query on both engines.
pub fn evaluate(engines: &Engines, queries: &[Query]) -> Vec<QueryResult> {
    queries
        .iter()
        .map(|query| {
            let pagsearch_hits = engines.pagsearch(query);
            let baseline_hits = engines.baseline(query);
            QueryResult {
                query: query.clone(),
                pagsearch: score(query, &pagsearch_hits),
                baseline: score(query, &baseline_hits),
                pagsearch_hits,
                baseline_hits,
            }
        })
        .collect()
}

/// Means over a set of queries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub queries: usize,
    pub pagsearch: Scores,
    pub baseline: Scores,
}

/// The mean figures of the results `keep` selects.
pub fn summarize(results: &[QueryResult], keep: impl Fn(&Query) -> bool) -> Summary {
    let chosen: Vec<&QueryResult> = results.iter().filter(|r| keep(&r.query)).collect();
    let n = chosen.len();
    let mean = |get: &dyn Fn(&QueryResult) -> Scores| {
        if n == 0 {
            return Scores::default();
        }
        let mut total = Scores::default();
        for result in &chosen {
            let s = get(result);
            total.ndcg10 += s.ndcg10;
            total.mrr += s.mrr;
            total.recall10 += s.recall10;
        }
        Scores {
            ndcg10: total.ndcg10 / n as f64,
            mrr: total.mrr / n as f64,
            recall10: total.recall10 / n as f64,
        }
    };
    Summary {
        queries: n,
        pagsearch: mean(&|r| r.pagsearch),
        baseline: mean(&|r| r.baseline),
    }
}

/// Figures by split: `tune`, `heldout` and `all`.
pub fn by_split(results: &[QueryResult]) -> BTreeMap<String, Summary> {
    let mut out = BTreeMap::new();
    for split in SPLITS {
        out.insert(split.to_string(), summarize(results, |q| q.split == split));
    }
    out.insert("all".to_string(), summarize(results, |_| true));
    out
}

/// The figures the regression check compares with.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Recorded {
    /// How far pagsearch's held-out nDCG@10 may fall below the recorded one.
    pub tolerance: f64,
    /// Figures by split (`tune`, `heldout`, `all`), rounded to 4 places.
    pub splits: BTreeMap<String, Summary>,
}

impl Recorded {
    pub fn read(path: &Path) -> Result<Recorded, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Today's figures, rounded, with `tolerance`.
    pub fn from_results(results: &[QueryResult], tolerance: f64) -> Recorded {
        let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
        let round_scores = |s: Scores| Scores {
            ndcg10: round(s.ndcg10),
            mrr: round(s.mrr),
            recall10: round(s.recall10),
        };
        let splits = by_split(results)
            .into_iter()
            .map(|(split, s)| {
                (
                    split,
                    Summary {
                        queries: s.queries,
                        pagsearch: round_scores(s.pagsearch),
                        baseline: round_scores(s.baseline),
                    },
                )
            })
            .collect();
        Recorded { tolerance, splits }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("serializable") + "\n"
    }
}

/// The regression check: pagsearch's nDCG@10 on the held-out queries must
/// not be below the baseline's, nor more than the tolerance below the
/// recorded figure. `Err` says which failed and by how much.
pub fn check(results: &[QueryResult], recorded: &Recorded) -> Result<String, String> {
    let heldout = summarize(results, |q| q.split == "heldout");
    let ours = heldout.pagsearch.ndcg10;
    let theirs = heldout.baseline.ndcg10;
    let floor = recorded
        .splits
        .get("heldout")
        .map(|s| s.pagsearch.ndcg10)
        .ok_or("recorded figures have no heldout split")?;
    let mut failures = Vec::new();
    if ours < theirs {
        failures.push(format!(
            "pagsearch nDCG@10 {ours:.4} on the held-out queries is below the baseline's {theirs:.4}"
        ));
    }
    if ours < floor - recorded.tolerance {
        failures.push(format!(
            "pagsearch nDCG@10 {ours:.4} on the held-out queries is more than {} below the recorded {floor:.4}",
            recorded.tolerance
        ));
    }
    if failures.is_empty() {
        Ok(format!(
            "held-out nDCG@10: pagsearch {ours:.4}, baseline {theirs:.4}, recorded {floor:.4} (tolerance {})",
            recorded.tolerance
        ))
    } else {
        Err(failures.join("\n"))
    }
}

/// The table of figures by engine and split.
pub fn table(splits: &BTreeMap<String, Summary>, order: &[&str]) -> String {
    let mut out = String::new();
    writeln!(
        out,
        "{:<10} {:<8} {:>7} {:>8} {:>6} {:>6}",
        "engine", "split", "queries", "nDCG@10", "MRR", "R@10"
    )
    .unwrap();
    for engine in ["pagsearch", "baseline"] {
        for &split in order {
            let Some(summary) = splits.get(split) else {
                continue;
            };
            let s = if engine == "pagsearch" {
                summary.pagsearch
            } else {
                summary.baseline
            };
            writeln!(
                out,
                "{engine:<10} {split:<8} {:>7} {:>8.3} {:>6.3} {:>6.3}",
                summary.queries, s.ndcg10, s.mrr, s.recall10
            )
            .unwrap();
        }
    }
    out
}

/// nDCG@10 of both engines by a grouping of the queries (corpus, kind).
pub fn breakdown(results: &[QueryResult], key: impl Fn(&Query) -> String) -> String {
    let mut groups: Vec<String> = results.iter().map(|r| key(&r.query)).collect();
    groups.sort();
    groups.dedup();
    let mut out = String::new();
    writeln!(
        out,
        "{:<12} {:>7} {:>10} {:>10}",
        "", "queries", "pagsearch", "baseline"
    )
    .unwrap();
    let counts: HashMap<String, usize> = groups
        .iter()
        .map(|g| {
            (
                g.clone(),
                results.iter().filter(|r| &key(&r.query) == g).count(),
            )
        })
        .collect();
    for group in &groups {
        let s = summarize(results, |q| &key(q) == group);
        writeln!(
            out,
            "{group:<12} {:>7} {:>10.3} {:>10.3}",
            counts[group], s.pagsearch.ndcg10, s.baseline.ndcg10
        )
        .unwrap();
    }
    out
}
