//! Searches by delegation and group, through the library, on an index of a
//! small intergovernmental report.

use std::path::PathBuf;

use super::*;
use crate::report::Taxonomy;

/// A meeting where delegations speak, some on behalf of a group; Ms. Keane
/// speaks in person and names Canada without Canada speaking (¶7). The CLI
/// tests search it too.
const REPORT: &str = include_str!("../../tests/fixtures/delegations-report.md");

/// An index of [`REPORT`] in a temporary folder (kept while the index is).
fn indexed() -> (tempfile::TempDir, Index) {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("inc5-report.md");
    std::fs::write(&report, REPORT).unwrap();
    let taxonomy = Taxonomy::builtin();
    let mut index = Index::open_or_create(&dir.path().join("index"), &taxonomy).unwrap();
    let paths = [PathBuf::from(&report)];
    index.update(&paths, &taxonomy, false, &|_| {}).unwrap();
    (dir, index)
}

fn search(index: &Index, query: &str, facets: bool) -> SearchResults {
    let options = SearchOptions {
        facets,
        ..SearchOptions::default()
    };
    index
        .search(query, &options)
        .unwrap_or_else(|e| panic!("{query}: {e}"))
}

fn paras(index: &Index, query: &str) -> Vec<String> {
    search(index, query, false)
        .hits
        .into_iter()
        .map(|hit| hit.paragraph.para)
        .collect()
}

fn refusal(index: &Index, query: &str) -> String {
    match index.search(query, &SearchOptions::default()) {
        Err(Error::Query { message, .. }) => message,
        other => panic!("{query}: {other:?}"),
    }
}

#[test]
fn the_parser_tags_the_delegations() {
    let report = crate::report::parse("r.md", REPORT.as_bytes(), &Taxonomy::builtin());
    let tags: Vec<(&str, Vec<String>, Vec<String>)> = report
        .units
        .iter()
        .map(|u| {
            (
                u.label.as_str(),
                u.delegations.clone(),
                u.on_behalf_of.clone(),
            )
        })
        .collect();
    let strings = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    assert_eq!(tags.len(), 7);
    assert_eq!(
        tags[1],
        ("2", strings(&["Nigeria"]), strings(&["African States"]))
    );
    assert_eq!(tags[2], ("3", strings(&["European Union"]), Vec::new()));
    assert_eq!(tags[6], ("7", Vec::new(), Vec::new()));
}

#[test]
fn delegation_filters_match_the_name_or_any_word_of_it() {
    let (_dir, index) = indexed();
    assert_eq!(paras(&index, "delegation:Canada"), ["1", "6"]);
    assert_eq!(paras(&index, "delegation:canada"), ["1", "6"]);
    assert_eq!(paras(&index, "delegation:\"European Union\""), ["3"]);
    assert_eq!(paras(&index, "delegation:union"), ["3"]);
    // Accents folded, the whole name or a word of it.
    assert_eq!(paras(&index, "delegation:\"cote d'ivoire\""), ["5"]);
    assert_eq!(paras(&index, "delegation:cote"), ["5"]);
    assert_eq!(paras(&index, "delegation:d'Ivoire"), ["5"]);
    // `party:` is the same filter.
    assert_eq!(paras(&index, "party:Nigeria"), ["2"]);
    assert_eq!(paras(&index, "PARTY:canada -agenda:2"), ["1"]);
    assert_eq!(
        paras(&index, "delegation:canada OR party:nigeria"),
        ["1", "2", "6"]
    );
}

#[test]
fn group_filters_match_the_name_or_any_word_of_it() {
    let (_dir, index) = indexed();
    assert_eq!(paras(&index, "group:\"African States\""), ["2", "5"]);
    assert_eq!(paras(&index, "group:african"), ["2", "5"]);
    assert_eq!(paras(&index, "group:african -party:nigeria"), ["5"]);
}

#[test]
fn unknown_delegations_and_groups_are_refused_with_suggestions() {
    let (_dir, index) = indexed();
    assert_eq!(
        refusal(&index, "delegation:Canda"),
        "unknown delegation 'Canda' (did you mean 'Canada'?) at column 12"
    );
    // The alias says what it filters on.
    assert_eq!(
        refusal(&index, "party:Canda"),
        "unknown delegation 'Canda' (did you mean 'Canada'?) at column 7"
    );
    assert_eq!(
        refusal(&index, "group:Afrikan"),
        "unknown group 'Afrikan' (did you mean 'African States'?) at column 7"
    );
    // A speaker is not a delegation.
    assert!(refusal(&index, "delegation:Keane").starts_with("unknown delegation 'Keane'"));
}

#[test]
fn a_delegation_that_speaks_ranks_like_a_speaker() {
    let (_dir, index) = indexed();
    // ¶1 and ¶6, where Canada speaks, above ¶7, which only names it.
    let canada = paras(&index, "Canada");
    assert_eq!(canada.len(), 3);
    assert_eq!(canada[2], "7", "{canada:?}");
    // And with other words: Canada on mercury is ¶1.
    assert_eq!(paras(&index, "Canada mercury")[0], "1");
}

#[test]
fn hits_carry_the_delegations_and_their_groups() {
    let (_dir, index) = indexed();
    let results = search(&index, "party:nigeria", false);
    let paragraph = &results.hits[0].paragraph;
    assert_eq!(paragraph.delegations, ["Nigeria"]);
    assert_eq!(paragraph.on_behalf_of, ["African States"]);
    let json = serde_json::to_value(&results.hits[0]).unwrap();
    assert_eq!(json["delegations"], serde_json::json!(["Nigeria"]));
    assert_eq!(json["on_behalf_of"], serde_json::json!(["African States"]));
    let shown = index.document("inc5-report").unwrap();
    assert_eq!(shown[2].delegations, ["European Union"]);
    assert!(shown[3].delegations.is_empty());
}

#[test]
fn facets_count_the_delegations() {
    let (_dir, index) = indexed();
    let counts = |names: &[(&str, u64)]| -> Vec<(String, u64)> {
        names.iter().map(|(n, c)| (n.to_string(), *c)).collect()
    };
    let facets = search(&index, "group:african", true).facets.unwrap();
    assert_eq!(
        facets.delegation,
        counts(&[("Côte d'Ivoire", 1), ("Nigeria", 1)])
    );
    let totals = index.facet_totals().unwrap();
    assert_eq!(
        totals.delegation,
        counts(&[
            ("Canada", 2),
            ("Côte d'Ivoire", 1),
            ("European Union", 1),
            ("Nigeria", 1)
        ])
    );
    let overview = index.overview().unwrap();
    assert_eq!(
        overview.delegation[0],
        DelegationCount {
            name: "Canada".to_string(),
            paragraphs: 2
        }
    );
    assert_eq!(overview.delegation.len(), 4);
}

#[test]
fn the_library_reports_corrections_and_can_search_as_typed() {
    let (_dir, index) = indexed();
    let results = search(&index, "emisions", false);
    assert_eq!(
        results.corrections,
        [Correction {
            typed: "emisions".to_string(),
            searched: "emissions".to_string(),
        }]
    );
    assert!(!results.hits.is_empty());
    let as_typed = SearchOptions {
        correct_spelling: false,
        ..SearchOptions::default()
    };
    let results = index.search("emisions", &as_typed).unwrap();
    assert!(results.corrections.is_empty());
    assert!(results.hits.is_empty());
}

#[test]
fn meeting_references_are_read_in_every_form() {
    assert_eq!(meeting_reference("PAG8"), Some(("pag".to_string(), 8)));
    assert_eq!(meeting_reference("COP-1"), Some(("cop".to_string(), 1)));
    assert_eq!(meeting_reference("OEWG.2"), Some(("oewg".to_string(), 2)));
    assert_eq!(meeting_reference("pag8"), None);
    assert_eq!(meeting_reference("PAG"), None);
    assert_eq!(meeting_reference("A4"), None);
    assert_eq!(meeting_reference("CO2"), None);
    assert_eq!(meeting_reference("Item3"), None);
    assert_eq!(meeting_reference("PAG25"), None);
}
