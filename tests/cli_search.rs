//! `pagsearch index`, `search`, `show` and `facets`, run as the built binary
//! on copies of the shipped corpus (or of a report of a meeting where
//! delegations speak) in temporary folders.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::{stderr, stdout};

use serde_json::Value;

/// A temporary working folder holding `corpus/` (a copy of the shipped
/// report) and, once built, `index/`.
struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Self {
        Workspace::with_report("corpus/pag8-report.md")
    }

    /// A workspace whose `corpus/` holds `tests/fixtures/delegations-report.md`:
    /// delegations speak, some on behalf of the African States.
    fn with_delegations() -> Self {
        Workspace::with_report("tests/fixtures/delegations-report.md")
    }

    /// A workspace whose `corpus/` holds a copy of the project's `report`.
    fn with_report(report: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("corpus")).unwrap();
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join(report);
        let name = shipped.file_name().unwrap();
        std::fs::copy(&shipped, dir.path().join("corpus").join(name)).unwrap();
        Workspace { dir }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn run(&self, args: &[&str]) -> Output {
        // Colour is decided by the flags the tests pass.
        common::pagsearch(self.dir.path(), args)
            .env_remove("NO_COLOR")
            .output()
            .expect("the binary runs")
    }

    /// Runs a search with `--json` and returns the hit lines (and the
    /// facets line, if any, last).
    fn search_json(&self, query: &str, extra: &[&str]) -> Vec<Value> {
        let mut args = vec!["search", "--json", query];
        args.extend_from_slice(extra);
        let output = self.run(&args);
        assert!(output.status.success(), "{query}: {}", stderr(&output));
        stdout(&output)
            .lines()
            .map(|line| serde_json::from_str(line).expect("JSON line"))
            .collect()
    }

    fn paras(&self, query: &str, extra: &[&str]) -> Vec<String> {
        self.search_json(query, extra)
            .iter()
            .filter(|hit| hit.get("para").is_some())
            .map(|hit| hit["para"].as_str().unwrap().to_string())
            .collect()
    }
}

#[test]
fn first_search_builds_the_index_and_finds_keane_on_asgm() {
    let workspace = Workspace::new();
    assert!(!workspace.path("index/meta.json").exists());
    let output = workspace.run(&["search", "area:ASGM speaker:Keane"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("first use"));
    assert!(workspace.path("index/meta.json").exists());
    let text = stdout(&output);
    // A filter-only query lists every match in document order.
    let headers: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("PAG.8/7 ¶"))
        .collect();
    assert_eq!(headers.len(), 3, "{text}");
    assert!(headers[0].starts_with("PAG.8/7 ¶62 · 3. Review of the overall progress"));
    assert!(
        headers
            .iter()
            .all(|h| h.contains("Susan Keane") && h.ends_with("asgm"))
    );
    assert!(text.ends_with("3 matching paragraphs\n"));

    // Case- and accent-insensitive values, full names, key prefixes.
    for query in [
        "area:asgm speaker:keane",
        "area:\"artisanal and small-scale gold mining\" speaker:\"Susan Keane\"",
        "area:ASG speaker:KEANE",
    ] {
        assert_eq!(workspace.paras(query, &[]), ["62", "63", "65"], "{query}");
    }
    assert_eq!(workspace.paras("speaker:garcía", &[]), ["51"]);
}

#[test]
fn ranked_search_puts_the_best_paragraph_first() {
    let workspace = Workspace::new();
    let hits = workspace.search_json("financing chlor-alkali conversion agenda:3", &[]);
    assert!(!hits.is_empty());
    assert!(hits.len() <= 10);
    for hit in &hits {
        assert_eq!(hit["agenda_item"], "3");
    }
    let top: Vec<&str> = hits
        .iter()
        .take(3)
        .map(|h| h["para"].as_str().unwrap())
        .collect();
    assert!(
        top.contains(&"40"),
        "¶40 speaks of financing conversion: {top:?}"
    );
    // Scores never increase down the list.
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    // A natural-language question still finds the chair's paragraphs.
    let hits = workspace.paras("who chaired the meeting", &["--limit", "5"]);
    assert_eq!(hits.len(), 5);
    // A speaker's name counts as a field: where Mr. Tanaka speaks ranks
    // above ¶53, which only introduces him.
    let mut tanaka = workspace.paras("Tanaka", &["--limit", "4"]);
    assert_eq!(tanaka.pop().as_deref(), Some("53"));
    tanaka.sort();
    assert_eq!(tanaka, ["54", "55", "57"]);
}

#[test]
fn common_words_beside_others_rank_but_do_not_match_alone() {
    let workspace = Workspace::new();
    let total = |query: &str| {
        let output = workspace.run(&["search", "--limit", "0", query]);
        assert!(output.status.success(), "{query}: {}", stderr(&output));
        stdout(&output).trim().to_string()
    };
    // "the" is in all 136 paragraphs; it no longer makes every one a match,
    // nor does the question word "who".
    assert_eq!(total("chaired meeting"), "0 of 31 matching paragraphs");
    assert_eq!(total("who chaired the meeting"), total("chaired meeting"));
    assert_eq!(total("who chaired meeting"), total("chaired meeting"));
    assert_eq!(total("it mercury"), total("mercury"));
    // The index is lowercase: "IT" is the same common word, as when alone.
    assert_eq!(total("IT mercury"), total("mercury"));
    let alone = workspace.run(&["search", "IT"]);
    assert_eq!(alone.status.code(), Some(2));
    assert!(stderr(&alone).contains("only common words (IT)"));
}

#[test]
fn filters_select_without_changing_scores() {
    let workspace = Workspace::new();
    let scores = |query: &str| -> Vec<(String, f64)> {
        workspace
            .search_json(query, &["--limit", "200"])
            .iter()
            .map(|hit| {
                let para = hit["para"].as_str().unwrap().to_string();
                (para, hit["score"].as_f64().unwrap())
            })
            .collect()
    };
    let everywhere = scores("financing conversion");
    for filtered in [
        "financing conversion agenda:3",
        "financing conversion area:chlor-alkali",
    ] {
        let hits = scores(filtered);
        assert!(hits.len() >= 2, "{filtered}: {hits:?}");
        assert!(hits.len() < everywhere.len());
        // The same paragraphs in the same order with the same scores as
        // without the filter.
        let expected: Vec<&(String, f64)> = everywhere
            .iter()
            .filter(|(para, _)| hits.iter().any(|(p, _)| p == para))
            .collect();
        assert_eq!(hits.iter().collect::<Vec<_>>(), expected, "{filtered}");
    }
}

#[test]
fn phrases_match_words_in_order() {
    let workspace = Workspace::new();
    let phrase_hits = workspace.search_json("\"mercury waste\"", &["--limit", "100"]);
    let word_hits = workspace.search_json("mercury waste", &["--limit", "200"]);
    assert!(!phrase_hits.is_empty());
    assert!(phrase_hits.len() < word_hits.len());
    for hit in &phrase_hits {
        let text = hit["text"].as_str().unwrap().to_lowercase();
        assert!(
            text.contains("mercury waste"),
            "¶{} has no phrase",
            hit["para"]
        );
    }
    // Paragraphs with the words together outrank those with them apart.
    let top = word_hits[0]["text"].as_str().unwrap().to_lowercase();
    assert!(top.contains("mercury waste"));
}

#[test]
fn exclusions_remove_matches() {
    let workspace = Workspace::new();
    let waste = workspace.paras("area:waste", &[]);
    let waste_and_cement = workspace.paras("area:waste area:cement", &[]);
    let waste_not_cement = workspace.paras("area:waste -area:cement", &[]);
    assert!(!waste_and_cement.is_empty());
    assert_eq!(waste_not_cement.len(), waste.len() - waste_and_cement.len());
    assert!(
        waste_not_cement
            .iter()
            .all(|p| !waste_and_cement.contains(p))
    );
    let without_cement = workspace.search_json("\"mercury waste\" -cement", &["--limit", "100"]);
    assert!(!without_cement.is_empty());
    for hit in without_cement {
        assert!(
            !hit["text"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("cement")
        );
    }
    // OR and parentheses.
    let either = workspace.paras("(area:coal OR area:cement) AND speaker:Fonta", &[]);
    assert_eq!(either, ["25", "26", "27", "28", "29"]);
}

#[test]
fn acronyms_expand_both_ways() {
    let workspace = Workspace::new();
    // A second report that names the assessments only in full.
    std::fs::write(
        workspace.path("corpus/pag9-notes.md"),
        "**1. Opening of the meeting**\n\n1. Ms. Keane presented the Minamata Initial Assessments completed in Ghana.\n",
    )
    .unwrap();
    // "MIA" finds the long form, defined as "(MIAs)" in the shipped report.
    let hits = workspace.search_json("MIA", &["--limit", "50"]);
    assert!(
        hits.iter().any(|h| h["doc"] == "pag9-notes"),
        "the long form is found"
    );
    assert!(
        hits.iter().any(|h| h["para"] == "74"),
        "the acronym is found"
    );
    // The long form finds paragraphs that only use the acronym (¶74).
    let hits = workspace.paras("Minamata Initial Assessment", &["--limit", "50"]);
    assert!(hits.contains(&"74".to_string()));
    let output = workspace.run(&["search", "MIA", "--limit", "1"]);
    assert!(stdout(&output).contains("(also searched: Minamata Initial Assessments for MIA)"));
}

#[test]
fn misspelt_words_are_corrected_with_a_notice() {
    let workspace = Workspace::new();
    // "finacing": no paragraph holds it; "financing" is one edit away.
    let output = workspace.run(&["search", "finacing", "--color", "never"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.starts_with("showing results for \"financing\" (typed \"finacing\""),
        "{text}"
    );
    assert_eq!(
        workspace.paras("finacing", &[]),
        workspace.paras("financing", &[])
    );
    // A misspelling that stems apart from its word ("comunication" stems to
    // "comun", "communication" to "communic") is corrected too.
    let hits = workspace.search_json("comunication", &[]);
    let corrections = hits.last().unwrap();
    assert_eq!(
        corrections["corrections"],
        serde_json::json!([{"typed": "comunication", "searched": "communication"}])
    );
    assert!(hits.len() > 1, "hits before the corrections line");
    // As typed: with --as-typed, or in quotes.
    let output = workspace.run(&["search", "finacing", "--as-typed"]);
    assert!(stdout(&output).contains("0 matching paragraphs"));
    let output = workspace.run(&["search", "\"finacing\""]);
    assert!(!stdout(&output).contains("showing results for"));
    // A word the reports hold is never corrected, nor a known name.
    let output = workspace.run(&["search", "Keane financing"]);
    assert!(!stdout(&output).contains("showing results for"));
}

#[test]
fn words_typed_apart_or_together_find_each_other() {
    let workspace = Workspace::new();
    std::fs::write(
        workspace.path("corpus/pag9-notes.md"),
        "**1. Opening of the meeting**\n\n1. Ms. Keane said the payback period of the \
         new sphygmo-manometers was short.\n",
    )
    .unwrap();
    // Two words typed apart find them apart (the shipped report's ¶45) and
    // the word written whole.
    let hits = workspace.search_json("pay back", &[]);
    let found: Vec<(&str, &str)> = hits
        .iter()
        .map(|h| (h["doc"].as_str().unwrap(), h["para"].as_str().unwrap()))
        .collect();
    assert!(found.contains(&("PAG.8/7", "45")), "{found:?}");
    assert!(found.contains(&("pag9-notes", "1")), "{found:?}");
    // A word typed whole finds it written in two parts, without a correction.
    let hits = workspace.search_json("sphygmomanometers", &[]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0]["doc"], "pag9-notes");
}

#[test]
fn synonyms_and_meeting_references_widen_the_search() {
    let workspace = Workspace::new();
    // The report writes "stabilization"; "stabilisation" finds it too.
    let output = workspace.run(&["search", "stabilisation", "--limit", "3"]);
    let text = stdout(&output);
    assert!(
        text.contains("(also searched: stabilization for stabilisation)"),
        "{text}"
    );
    assert_eq!(
        workspace.paras("stabilisation", &[]),
        workspace.paras("stabilization", &[])
    );
    // "PAG8" also finds "the eighth meeting".
    let output = workspace.run(&["search", "PAG8", "--limit", "20"]);
    assert!(stdout(&output).contains("(also searched: eighth meeting for PAG8)"));
    assert!(
        workspace
            .paras("PAG8", &["--limit", "20"])
            .contains(&"1".to_string())
    );
    // "who" is a question word, not the World Health Organization.
    let output = workspace.run(&["search", "who chaired the meeting"]);
    assert!(!stdout(&output).contains("World Health Organization"));
    // Inside quotes a word is searched alone: no synonym.
    let output = workspace.run(&["search", "\"mercury waste\""]);
    assert!(!stdout(&output).contains("also searched"));
}

#[test]
fn json_hits_follow_the_schema() {
    let workspace = Workspace::new();
    let lines = workspace.search_json("mercury inventory toolkit", &["--limit", "5", "--facets"]);
    let (facets, hits) = lines.split_last().unwrap();
    assert_eq!(hits.len(), 5);
    for (i, hit) in hits.iter().enumerate() {
        assert_eq!(hit["rank"], i + 1);
        assert!(hit["score"].as_f64().unwrap() > 0.0);
        for field in ["doc", "para", "agenda_item", "agenda_title", "text"] {
            assert!(hit[field].is_string(), "{field}");
        }
        for field in common::ARRAY_FIELDS {
            assert!(hit[field].is_array(), "{field}");
        }
        assert!(hit["participant"].is_boolean());
        let snippet = hit["snippet"]["text"].as_str().unwrap();
        let highlights = hit["snippet"]["highlights"].as_array().unwrap();
        assert!(!highlights.is_empty());
        for range in highlights {
            let (start, end) = (
                range[0].as_u64().unwrap() as usize,
                range[1].as_u64().unwrap() as usize,
            );
            let word = snippet[start..end].to_lowercase();
            assert!(
                ["mercury", "inventory", "toolkit"]
                    .iter()
                    .any(|w| word.starts_with(w)),
                "{word}"
            );
        }
    }
    // The facets line counts all matches, not only the five shown.
    for field in ["area", "speaker", "agenda", "delegation"] {
        assert!(facets["facets"][field].is_object(), "{field}");
    }
    let total = facets["total"].as_u64().unwrap();
    assert!(total > 5);
    let agenda_sum: u64 = facets["facets"]["agenda"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(agenda_sum, total, "every paragraph has one agenda item");
}

#[test]
fn facet_counts_add_up() {
    let workspace = Workspace::new();
    let lines = workspace.search_json("area:ASGM", &["--facets"]);
    let (facets, hits) = lines.split_last().unwrap();
    let total = facets["total"].as_u64().unwrap();
    assert_eq!(hits.len() as u64, total);
    assert_eq!(facets["facets"]["area"]["asgm"], total);
    let speakers = &facets["facets"]["speaker"];
    assert_eq!(speakers["Susan Keane"], 3);
    let counted: u64 = hits
        .iter()
        .filter(|h| {
            h["speakers"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s == "Jerome Stucki")
        })
        .count() as u64;
    assert_eq!(speakers["Jerome Stucki"], counted);
}

#[test]
fn incremental_reindex_after_edit_add_and_delete() {
    let workspace = Workspace::new();
    let index = |args: &[&str]| {
        let mut all = vec!["index"];
        all.extend_from_slice(args);
        let output = workspace.run(&all);
        assert!(output.status.success(), "{}", stderr(&output));
        stderr(&output)
    };
    assert!(index(&[]).contains(
        "1 added, 0 updated, 0 removed, 0 unchanged; 136 paragraphs written, 136 in the index"
    ));
    assert!(index(&[]).contains(
        "0 added, 0 updated, 0 removed, 1 unchanged; 0 paragraphs written, 136 in the index"
    ));

    // Edit: a new paragraph at the end.
    let report = workspace.path("corpus/pag8-report.md");
    let mut text = std::fs::read_to_string(&report).unwrap();
    text.push_str("\n\n133. Mr. Cuna thanked the quokka delegation.\n");
    std::fs::write(&report, text).unwrap();
    assert!(index(&[]).contains(
        "0 added, 1 updated, 0 removed, 0 unchanged; 137 paragraphs written, 137 in the index"
    ));
    assert_eq!(workspace.paras("quokka", &[]), ["133"]);

    // Add a file.
    std::fs::write(
        workspace.path("corpus/extra.txt"),
        "1. Item\n\n1. Ms. Bailey spoke of wombats.\n",
    )
    .unwrap();
    assert!(index(&[]).contains(
        "1 added, 0 updated, 0 removed, 1 unchanged; 1 paragraphs written, 138 in the index"
    ));
    assert_eq!(workspace.paras("wombats", &[]), ["1"]);

    // Delete it again.
    std::fs::remove_file(workspace.path("corpus/extra.txt")).unwrap();
    assert!(index(&[]).contains(
        "0 added, 0 updated, 1 removed, 1 unchanged; 0 paragraphs written, 137 in the index"
    ));
    assert!(workspace.paras("wombats", &[]).is_empty());

    // Not a report: skipped with a warning.
    std::fs::write(workspace.path("corpus/photo.png"), b"\x89PNG").unwrap();
    assert!(index(&[]).contains("warning: skipped corpus/photo.png: not a report"));

    // --rebuild starts over.
    assert!(index(&["--rebuild"]).contains(
        "1 added, 0 updated, 0 removed, 0 unchanged; 137 paragraphs written, 137 in the index"
    ));
}

#[test]
fn bad_queries_exit_2_with_a_positioned_message() {
    let workspace = Workspace::new();
    assert!(workspace.run(&["index"]).status.success());
    let cases: [(&str, &str, &str); 7] = [
        (
            "aera:ASGM",
            "unknown field 'aera' (did you mean 'area'?) at column 1",
            "^^^^",
        ),
        ("mercury (coal", "unclosed '(' at column 9", "        ^"),
        ("\"mercury waste", "unterminated quote", "^"),
        ("area:gold", "unknown area 'gold'", "     ^^^^"),
        (
            "speaker:Kean",
            "unknown speaker 'Kean' (did you mean 'Susan Keane'?) at column 9",
            "        ^^^^",
        ),
        // The alias says which field it filters on.
        (
            "party:Canada",
            "unknown delegation 'Canada'",
            "      ^^^^^^",
        ),
        ("group:Asian", "unknown group 'Asian'", "      ^^^^^"),
    ];
    for (query, message, caret) in cases {
        let output = workspace.run(&["search", query]);
        assert_eq!(output.status.code(), Some(2), "{query}");
        let err = stderr(&output);
        assert!(err.contains(message), "{query}: {err}");
        assert!(err.lines().any(|l| l == caret), "{query}: {err}");
        assert!(stdout(&output).is_empty());
    }
}

#[test]
fn show_prints_a_paragraph_with_its_neighbours() {
    let workspace = Workspace::new();
    let output = workspace.run(&["show", "PAG.8/7", "63", "--context", "1", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let paras: Vec<String> = stdout(&output)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["para"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(paras, ["62", "63", "64"]);
    // The file stem names the document too.
    let output = workspace.run(&["show", "pag8-report", "115.2", "--context", "0"]);
    let text = stdout(&output);
    assert!(text.starts_with("▶ PAG.8/7 ¶115.2"), "{text}");
    assert!(text.contains("On the fate and transport area:"));
    let output = workspace.run(&["show", "PAG.8/7", "999"]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("has no paragraph 999"));
}

#[test]
fn facets_lists_areas_speakers_items_and_documents() {
    let workspace = Workspace::new();
    let output = workspace.run(&["facets", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let facets: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(facets["area"].as_array().unwrap().len(), 8);
    let keane = facets["speaker"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Susan Keane")
        .unwrap();
    assert_eq!(keane["organisation"], "Natural Resources Defense Council");
    assert_eq!(keane["paragraphs"], 3);
    assert_eq!(facets["agenda"].as_array().unwrap().len(), 8);
    assert_eq!(facets["doc"][0]["doc"], "PAG.8/7");
    assert_eq!(facets["doc"][0]["paragraphs"], 136);
    assert!(facets["delegation"].is_array());
    // Only the delegations, asked for by name.
    let output = workspace.run(&["facets", "delegation", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let facets: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let keys: Vec<&String> = facets.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["delegation"]);
}

#[test]
fn colour_follows_the_flags() {
    let workspace = Workspace::new();
    let plain = workspace.run(&["search", "Keane", "--color", "never"]);
    assert!(!stdout(&plain).contains('\x1b'));
    let coloured = workspace.run(&["search", "Keane", "--color", "always"]);
    assert!(stdout(&coloured).contains("\x1b[1;33mKeane\x1b[0m"));
    // Piped output without --color is plain.
    let piped = workspace.run(&["search", "Keane"]);
    assert!(!stdout(&piped).contains('\x1b'));
}

#[test]
fn ties_keep_document_order() {
    let workspace = Workspace::new();
    std::fs::write(
        workspace.path("corpus/ties.md"),
        "**1. Opening**\n\n1. The quokka spoke.\n\n2. The quokka spoke.\n\n3. The quokka spoke.\n",
    )
    .unwrap();
    let hits = workspace.search_json("quokka", &[]);
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] == w[1]), "{scores:?}");
    let paras: Vec<&str> = hits.iter().map(|h| h["para"].as_str().unwrap()).collect();
    assert_eq!(paras, ["1", "2", "3"]);
}

#[test]
fn a_custom_taxonomy_tags_the_index() {
    let workspace = Workspace::new();
    std::fs::write(
        workspace.path("gold.toml"),
        "[[area]]\nkey = \"gold\"\nname = \"Gold\"\naliases = [\"ASGM\", \"gold mining\"]\n",
    )
    .unwrap();
    let output = workspace.run(&["index", "--taxonomy", "gold.toml"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        workspace
            .paras("area:gold", &[])
            .contains(&"59".to_string())
    );
    // Aliases name the area too; the built-in areas are gone.
    assert_eq!(
        workspace.paras("area:asgm", &[]),
        workspace.paras("area:gold", &[])
    );
    let output = workspace.run(&["search", "area:coal"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("unknown area 'coal'"));
    // Another taxonomy needs --rebuild.
    let output = workspace.run(&["index", "--taxonomy", "gold.toml"]);
    assert!(output.status.success());
    std::fs::write(
        workspace.path("other.toml"),
        "[[area]]\nkey = \"x\"\nname = \"X\"\n",
    )
    .unwrap();
    let output = workspace.run(&["index", "--taxonomy", "other.toml"]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("add --rebuild"));
    let output = workspace.run(&["index", "--taxonomy", "other.toml", "--rebuild"]);
    assert!(output.status.success());
}

#[test]
fn a_second_writer_is_refused_and_searches_still_work() {
    let workspace = Workspace::new();
    assert!(workspace.run(&["index"]).status.success());
    // Hold the index's writer lock as a running `pagsearch index` does.
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(workspace.path("index/.tantivy-writer.lock"))
        .unwrap();
    lock.try_lock().unwrap();
    std::fs::write(
        workspace.path("corpus/more.md"),
        "1. Item\n\n1. Ms. Bailey spoke of wombats.\n",
    )
    .unwrap();
    let output = workspace.run(&["index"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("is being written by another process"),
        "{}",
        stderr(&output)
    );
    // Readers answer from the last commit meanwhile.
    assert_eq!(
        workspace.paras("area:ASGM speaker:Keane", &[]),
        ["62", "63", "65"]
    );
    assert!(workspace.paras("wombats", &[]).is_empty());
    lock.unlock().unwrap();
    assert!(workspace.run(&["index"]).status.success());
    assert_eq!(workspace.paras("wombats", &[]), ["1"]);
}

#[test]
fn an_incompatible_index_asks_for_a_rebuild() {
    let workspace = Workspace::new();
    assert!(workspace.run(&["index"]).status.success());
    let meta = workspace.path("index/meta.json");
    let text = std::fs::read_to_string(&meta).unwrap();
    assert!(text.contains("\\\"version\\\":6"));
    std::fs::write(
        &meta,
        text.replace("\\\"version\\\":6", "\\\"version\\\":5"),
    )
    .unwrap();
    let output = workspace.run(&["search", "mercury"]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains("incompatible version of pagsearch"),
        "{message}"
    );
    assert!(message.contains("pagsearch index --rebuild"), "{message}");
    // A file of the user's in the index folder survives the rebuild.
    std::fs::write(workspace.path("index/notes.txt"), "keep me").unwrap();
    let output = workspace.run(&["index", "--rebuild"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(workspace.path("index/notes.txt").exists());
    assert_eq!(
        workspace.paras("area:ASGM speaker:Keane", &[]),
        ["62", "63", "65"]
    );
}

#[test]
fn the_walk_survives_symlink_loops_and_nested_folders() {
    let workspace = Workspace::new();
    let deep = workspace.path("corpus/a/b/c/d");
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(
        deep.join("deep.md"),
        "1. Item\n\n1. Ms. Bailey spoke of wombats.\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(workspace.path("corpus"), workspace.path("corpus/a/loop")).unwrap();
    let output = workspace.run(&["index"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("2 added"), "{}", stderr(&output));
    assert_eq!(workspace.paras("wombats", &[]), ["1"]);
}

#[test]
fn searching_a_missing_index_says_how_to_build_it() {
    let workspace = Workspace::new();
    let output = workspace.run(&["search", "--index", "elsewhere", "mercury"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("no index in elsewhere"), "{message}");
    assert!(
        message.contains("pagsearch index --index elsewhere"),
        "{message}"
    );
}

#[test]
fn a_huge_limit_is_capped_at_the_matches() {
    let workspace = Workspace::new();
    let hits = workspace.paras("Keane", &["--limit", "18446744073709551615"]);
    assert!(!hits.is_empty() && hits.len() < 20);
}

#[test]
fn an_index_killed_midway_leaves_the_previous_index_intact() {
    let workspace = Workspace::new();
    assert!(workspace.run(&["index"]).status.success());
    let before = workspace.search_json("mercury waste", &["--limit", "1000"]);
    let report = std::fs::read_to_string(workspace.path("corpus/pag8-report.md")).unwrap();
    // Enough new reports that the run is still going when it is killed;
    // more if it was not.
    let mut copies = 100;
    let killed = loop {
        for i in 0..copies {
            std::fs::write(workspace.path(&format!("corpus/copy-{i:04}.md")), &report).unwrap();
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_pagsearch"))
            .arg("index")
            .current_dir(workspace.path(""))
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(150));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            child.wait().unwrap();
            break true;
        }
        if copies >= 1600 {
            break false;
        }
        // It finished first: start again from the one-report index.
        assert!(
            workspace
                .run(&["index", "--rebuild", "corpus/pag8-report.md"])
                .status
                .success()
        );
        for i in 0..copies {
            std::fs::remove_file(workspace.path(&format!("corpus/copy-{i:04}.md"))).unwrap();
        }
        let output = workspace.run(&["index"]);
        assert!(output.status.success());
        copies *= 2;
    };
    assert!(killed, "indexing {copies} reports never outlasted 150 ms");
    // The next search answers exactly as before the interrupted run.
    assert_eq!(
        workspace.search_json("mercury waste", &["--limit", "1000"]),
        before
    );
    // The next index completes.
    let output = workspace.run(&["index"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(&format!("{copies} added")),
        "{}",
        stderr(&output)
    );
}

// ---------------------------------------------------------------------------
// Delegations. The report parser does not tag them yet: these tests run once
// it does (`cargo test -- --ignored`). The library's own tests
// (`src/query/tests.rs`) search the same report tagged by hand.

#[test]
fn delegation_party_and_group_filters_find_who_speaks() {
    let workspace = Workspace::with_delegations();
    assert_eq!(workspace.paras("delegation:Canada", &[]), ["1", "6"]);
    assert_eq!(workspace.paras("party:canada", &[]), ["1", "6"]);
    assert_eq!(workspace.paras("delegation:\"European Union\"", &[]), ["3"]);
    assert_eq!(workspace.paras("delegation:union", &[]), ["3"]);
    assert_eq!(workspace.paras("delegation:\"cote d'ivoire\"", &[]), ["5"]);
    assert_eq!(workspace.paras("group:\"African States\"", &[]), ["2", "5"]);
    assert_eq!(workspace.paras("group:african -party:nigeria", &[]), ["5"]);
    // Where Canada speaks ranks above where it is only named (¶7).
    let canada = workspace.paras("Canada", &[]);
    assert_eq!(canada.last().map(String::as_str), Some("7"), "{canada:?}");
}

#[test]
fn hits_show_the_delegations_and_their_groups() {
    let workspace = Workspace::with_delegations();
    let output = workspace.run(&["search", "party:Nigeria", "--color", "never"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.starts_with(
            "delegations-report ¶2 · 1. Opening of the meeting · Nigeria on behalf of African States"
        ),
        "{text}"
    );
    let hits = workspace.search_json("party:Nigeria", &[]);
    assert_eq!(hits[0]["delegations"], serde_json::json!(["Nigeria"]));
    assert_eq!(
        hits[0]["on_behalf_of"],
        serde_json::json!(["African States"])
    );
}

#[test]
fn facets_count_the_delegations() {
    let workspace = Workspace::with_delegations();
    let lines = workspace.search_json("group:african", &["--facets"]);
    let facets = &lines.last().unwrap()["facets"];
    assert_eq!(
        facets["delegation"],
        serde_json::json!({"Côte d'Ivoire": 1, "Nigeria": 1})
    );
    let output = workspace.run(&["search", "group:african", "--facets"]);
    assert!(
        stdout(&output).contains("\ndelegations: Côte d'Ivoire 1 · Nigeria 1\n"),
        "{}",
        stdout(&output)
    );
    let output = workspace.run(&["facets", "--json"]);
    let overview: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(
        overview["delegation"][0],
        serde_json::json!({"name": "Canada", "paragraphs": 2})
    );
    assert_eq!(overview["delegation"].as_array().unwrap().len(), 4);
    let output = workspace.run(&["facets", "delegation"]);
    let text = stdout(&output);
    assert!(text.starts_with("Delegations\n  Canada "), "{text}");
}

#[test]
fn unknown_delegations_suggest_the_known_ones() {
    let workspace = Workspace::with_delegations();
    assert!(workspace.run(&["index"]).status.success());
    for (query, message, caret) in [
        (
            "party:Canda",
            "error: unknown delegation 'Canda' (did you mean 'Canada'?) at column 7",
            "      ^^^^^",
        ),
        (
            "group:Afrikan",
            "error: unknown group 'Afrikan' (did you mean 'African States'?) at column 7",
            "      ^^^^^^^",
        ),
    ] {
        let output = workspace.run(&["search", query]);
        assert_eq!(output.status.code(), Some(2), "{query}");
        let err = stderr(&output);
        assert!(err.lines().any(|l| l == message), "{query}: {err}");
        assert!(err.lines().any(|l| l == caret), "{query}: {err}");
    }
}
