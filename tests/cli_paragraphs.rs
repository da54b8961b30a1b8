//! `pagsearch paragraphs`, run as the built binary.

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::{stderr, stdout};

fn pagsearch(args: &[&str]) -> Output {
    common::pagsearch(Path::new(env!("CARGO_MANIFEST_DIR")), args)
        .output()
        .expect("the binary runs")
}

fn report() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/pag8-report.md")
}

#[test]
fn json_lines_follow_the_documented_schema() {
    let output = pagsearch(&["paragraphs", report().to_str().unwrap(), "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let lines: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is a JSON object"))
        .collect();
    assert_eq!(lines.len(), 136);
    for unit in &lines {
        for field in ["doc", "para", "agenda_item", "agenda_title", "text"] {
            assert!(unit[field].is_string(), "{field} in {unit}");
        }
        for field in common::ARRAY_FIELDS {
            assert!(unit[field].is_array(), "{field} in {unit}");
        }
        assert!(unit["participant"].is_boolean());
        assert_eq!(unit["doc"], "PAG.8/7");
        assert_eq!(unit["symbol"], "UNEP(Economy Division)/Hg/PAG.8/7");
    }
    let keane = lines.iter().find(|u| u["para"] == "63").unwrap();
    assert_eq!(keane["speakers"], serde_json::json!(["Susan Keane"]));
    assert_eq!(keane["areas"], serde_json::json!(["asgm"]));
    assert_eq!(keane["agenda_item"], "3");
    assert_eq!(
        keane["orgs"],
        serde_json::json!(["Natural Resources Defense Council"])
    );
    let sub = lines.iter().find(|u| u["para"] == "9").unwrap();
    assert_eq!(sub["agenda_sub_item"], "a");
    assert_eq!(sub["agenda_sub_title"], "Adoption of the agenda");
    let group = lines.iter().find(|u| u["para"] == "115.2").unwrap();
    assert!(
        group["text"]
            .as_str()
            .unwrap()
            .starts_with("On the fate and transport area:")
    );
}

#[test]
fn pages_come_from_pdftotext_form_feeds() {
    let output = pagsearch(&[
        "paragraphs",
        "tests/fixtures/pag8-report.pdftotext.txt",
        "--json",
    ]);
    assert!(output.status.success());
    let unit: serde_json::Value = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|u| u["para"] == "107")
        .unwrap();
    assert_eq!(
        (unit["page"].as_u64(), unit["page_end"].as_u64()),
        (Some(11), Some(12))
    );
}

#[test]
fn readable_output_shows_items_speakers_and_areas() {
    let output = pagsearch(&["paragraphs", report().to_str().unwrap()]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(text.starts_with("PAG.8/7  Draft Report of the Eight Meeting"));
    assert!(text.contains("== 2. Organizational matters / (a) Adoption of the agenda"));
    let para_58 = text.split("PAG.8/7 ¶58\n").nth(1).unwrap();
    let header: Vec<&str> = para_58.lines().take(3).collect();
    assert_eq!(
        header,
        [
            "  speakers: Mitch Cuna (Philippines)",
            "  mentions: Susan Keane, Ludovic Bernaudat, Jerome Stucki",
            "  areas: asgm",
        ]
    );
}

#[test]
fn delegations_and_their_groups_are_listed() {
    let report = "tests/fixtures/delegations-report.md";
    let output = pagsearch(&["paragraphs", report]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let para_2 = text.split("delegations-report ¶2\n").nth(1).unwrap();
    assert_eq!(
        para_2.lines().next(),
        Some("  delegations: Nigeria on behalf of African States")
    );
    let output = pagsearch(&["paragraphs", report, "--json"]);
    let units: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let tags: Vec<(&serde_json::Value, &serde_json::Value)> = units
        .iter()
        .map(|u| (&u["delegations"], &u["on_behalf_of"]))
        .collect();
    let json = |names: &[&str]| serde_json::json!(names);
    assert_eq!(
        tags.iter().map(|(d, _)| (*d).clone()).collect::<Vec<_>>(),
        [
            json(&["Canada"]),
            json(&["Nigeria"]),
            json(&["European Union"]),
            json(&[]),
            json(&["Côte d'Ivoire"]),
            json(&["Canada"]),
            json(&[]),
        ]
    );
    assert_eq!(*tags[1].1, json(&["African States"]));
    assert_eq!(*tags[4].1, json(&["African States"]));
    assert_eq!(*tags[0].1, json(&[]));
}

#[test]
fn metadata_lists_people_and_acronyms() {
    let output = pagsearch(&["paragraphs", report().to_str().unwrap(), "--meta"]);
    assert!(output.status.success());
    let meta: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(meta["id"], "PAG.8/7");
    assert_eq!(meta["meeting_date"], "2017-09-22");
    assert_eq!(meta["units"], 136);
    assert_eq!(meta["people"][0]["name"], "Achim Halpaap");
    assert!(
        meta["acronyms"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["short"] == "MIA")
    );
}

#[test]
fn a_missing_file_is_an_error_naming_it() {
    let output = pagsearch(&["paragraphs", "no-such-report.md"]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(message.contains("no-such-report.md"), "{message}");
    assert!(!message.contains("panicked"));
}

#[test]
fn bad_files_warn_and_exit_zero() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("scan.txt");
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let output = pagsearch(&["paragraphs", binary.to_str().unwrap(), "--json"]);
    assert!(output.status.success());
    assert!(stdout(&output).is_empty());
    assert!(
        stderr(&output).contains("scan.txt: binary content"),
        "{}",
        stderr(&output)
    );

    let messy = dir.path().join("messy.md");
    std::fs::write(&messy, "1. A.\n\n1. B.\n").unwrap();
    let output = pagsearch(&["paragraphs", messy.to_str().unwrap(), "--json"]);
    assert!(output.status.success());
    assert_eq!(stdout(&output).lines().count(), 2);
    assert!(stderr(&output).contains("messy.md:3: duplicate paragraph number 1"));
}

#[test]
fn a_custom_taxonomy_replaces_the_built_in_one() {
    let dir = tempfile::tempdir().unwrap();
    let taxonomy = dir.path().join("areas.json");
    std::fs::write(
        &taxonomy,
        r#"{"areas": [{"key": "gold", "name": "Gold", "aliases": ["ASGM", "gold mining"]},
                      {"key": "outreach", "name": "Communication", "aliases": ["website"]}]}"#,
    )
    .unwrap();
    let output = pagsearch(&[
        "paragraphs",
        report().to_str().unwrap(),
        "--json",
        "--taxonomy",
        taxonomy.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let units: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let areas = |para: &str| units.iter().find(|u| u["para"] == para).unwrap()["areas"].clone();
    assert_eq!(areas("59"), serde_json::json!(["gold"]));
    assert_eq!(areas("69"), serde_json::json!(["outreach"]));
    assert_eq!(areas("14"), serde_json::json!([]));

    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, "[[area]]\nname = \"no key\"\n").unwrap();
    let output = pagsearch(&[
        "paragraphs",
        report().to_str().unwrap(),
        "--taxonomy",
        broken.to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("invalid taxonomy"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("broken.toml"));
}
