//! The parser on reports in other house styles (`tests/fixtures/reports/`):
//! every report against its hand-made gold (units, agenda items, speakers,
//! delegations, areas, page furniture), then the cases each style is there
//! for, one by one.

mod gold;

use std::path::{Path, PathBuf};

use pagsearch::report::{self, Report, Taxonomy, Unit};

fn reports_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reports")
}

fn parse(file: &str) -> Report {
    report::parse_file(&reports_dir().join(file), &Taxonomy::builtin()).expect("readable fixture")
}

fn unit<'r>(report: &'r Report, label: &str) -> &'r Unit {
    report
        .unit(label)
        .unwrap_or_else(|| panic!("no unit {label}"))
}

fn speakers<'r>(report: &'r Report, label: &str) -> Vec<&'r str> {
    report.speaker_names(unit(report, label))
}

#[test]
fn every_report_matches_its_gold() {
    let mut gold_files: Vec<PathBuf> = std::fs::read_dir(reports_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.to_string_lossy().ends_with(".gold.json"))
        .collect();
    gold_files.sort();
    assert!(gold_files.len() >= 5, "the test reports are missing");
    let mut failures = Vec::new();
    for path in &gold_files {
        let gold = gold::Gold::read(path);
        let report = parse(&gold.file);
        let score = gold::score(&report, &gold);
        let checks = [
            ("units found", score.found_units == score.gold_units),
            ("no spurious unit", score.spurious.is_empty()),
            ("agenda items", score.agenda_right == score.found_units),
            ("agenda titles", score.title_right == score.titles_judged),
            ("whole texts", score.text_right == score.found_units),
            ("no page furniture", score.furniture_leaks.is_empty()),
            ("speakers F1 ≥ 0.95", score.speakers.f1() >= 0.95),
            ("delegations F1 ≥ 0.95", score.delegations.f1() >= 0.95),
            ("groups F1 ≥ 0.95", score.on_behalf_of.f1() >= 0.95),
            ("areas F1 ≥ 0.85", score.areas.f1() >= 0.85),
        ];
        for (what, ok) in checks {
            if !ok {
                failures.push(format!(
                    "{}: {what}\n{score}{}",
                    gold.file,
                    score.errors.join("\n")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn roman_items_lettered_sub_items_and_a_third_level() {
    let report = parse("pag11-report.txt");
    // "III. Reports …" → "A. Progress on priority actions" → "2. Coal combustion".
    let agenda = unit(&report, "14").agenda.as_ref().unwrap();
    assert_eq!(agenda.number.as_deref(), Some("3"));
    assert_eq!(agenda.sub_item.as_deref(), Some("a"));
    // A heading wrapped over two lines, whole.
    let agenda = unit(&report, "32").agenda.as_ref().unwrap();
    assert_eq!(agenda.number.as_deref(), Some("4"));
    assert!(
        agenda
            .title
            .ends_with("secretariat of the Minamata Convention on Mercury")
    );
    // The annex is labelled apart and under no item.
    let annex = unit(&report, "annexI.1");
    assert!(annex.agenda.is_none());
}

#[test]
fn page_furniture_and_footnotes_stay_out_of_the_text() {
    let report = parse("pag11-report.txt");
    for unit in &report.units {
        assert!(!unit.text.contains("UNEP/Hg/PAG.11/6"), "¶{}", unit.label);
    }
    // The marker "amendment.1" loses its footnote number.
    assert!(unit(&report, "6").text.ends_with("without amendment."));
    // Cut by a page break with a hyphen: "implemen-" + "tation".
    assert!(unit(&report, "23").text.contains("implementation"));
}

#[test]
fn the_chair_changes_hands() {
    let report = parse("pag11-report.txt");
    assert_eq!(speakers(&report, "7"), ["Karin Lindqvist"]);
    // "In the absence of Ms. Lindqvist …, Mr. N'Guessan chaired the session."
    assert_eq!(speakers(&report, "32"), ["Jean-Baptiste N'Guessan"]);
    let cop = parse("cop-report.md");
    // The Vice-President presides, then the President resumes the chair.
    assert_eq!(speakers(&cop, "32"), ["Ana María da Silva Ferreira"]);
    assert_eq!(speakers(&cop, "40"), ["Karel van der Berg"]);
}

#[test]
fn delegations_speak_and_speak_for_groups() {
    let report = parse("cop-report.md");
    let nigeria = report
        .units
        .iter()
        .find(|u| u.delegations == ["Nigeria"])
        .expect("Nigeria speaks");
    assert_eq!(nigeria.on_behalf_of, ["African States"]);
    assert!(report.speaker_names(nigeria).is_empty());
    // Japan speaks; Norway, whose proposal it welcomes, does not.
    assert_eq!(unit(&report, "19").delegations, ["Japan"]);
    let inc = parse("inc-report.txt");
    assert_eq!(
        unit(&inc, "8").delegations,
        ["Ghana", "Peru", "Philippines", "European Union"]
    );
}

#[test]
fn people_in_every_form() {
    let oewg = parse("oewg-summary.md");
    // Two Mensahs told apart by title and first name.
    assert_eq!(speakers(&oewg, "15"), ["Paul Mensah", "Efua Mensah"]);
    // A full name without title speaks.
    assert_eq!(speakers(&oewg, "18"), ["Li Wenjing"]);
    // "the co-chairs proposed": both.
    assert_eq!(speakers(&oewg, "7"), ["Amara Okonkwo", "Lars Eriksson"]);
    let pag11 = parse("pag11-report.txt");
    // Particles and a pronoun in the next paragraph.
    assert_eq!(
        speakers(&pag11, "12"),
        ["Ana María de los Santos", "Kwabena Osei-Tutu"]
    );
}

#[test]
fn topics_outside_the_areas_get_none() {
    let report = parse("pag11-report.txt");
    for label in ["29", "30"] {
        assert!(unit(&report, label).areas.is_empty(), "¶{label}");
    }
}

#[test]
fn co_chairs_of_a_contact_group_do_not_chair_the_meeting() {
    let oewg = parse("oewg-report.txt");
    // "Ms. A (Ghana), one of the two Co-Chairs …, the other being Mr. B".
    assert_eq!(speakers(&oewg, "2"), ["Abena Osei-Bonsu", "Nils Åkerström"]);
    // A contact group "co-chaired by" two others leaves the meeting's
    // Co-Chairs in office; "Mr. B presided over the meeting" makes him
    // "the Co-Chair", until "Ms. A resumed the chair".
    assert_eq!(speakers(&oewg, "22"), ["Nils Åkerström"]);
    assert_eq!(speakers(&oewg, "32"), ["Abena Osei-Bonsu"]);
    assert_eq!(
        speakers(&oewg, "40"),
        ["Abena Osei-Bonsu", "Nils Åkerström"]
    );
}

#[test]
fn observers_speak_and_earlier_proposals_are_mentions() {
    let oewg = parse("oewg-report.txt");
    assert_eq!(
        unit(&oewg, "27").delegations,
        ["Zero Mercury Working Group"]
    );
    // "The representative of Antigua and Barbuda, recalling the proposal
    // made by the representative of Jamaica at the second meeting …, said".
    assert_eq!(unit(&oewg, "19").delegations, ["Antigua and Barbuda"]);
    assert_eq!(unit(&oewg, "12").on_behalf_of, ["group of countries"]);
}

#[test]
fn dashed_item_headings_affiliations_and_action_blocks() {
    let pag9 = parse("pag9-report.md");
    // "**Agenda Item 3 – Review of …**", wrapped over two lines.
    let item3 = unit(&pag9, "12").agenda.as_ref().unwrap();
    assert_eq!(item3.number.as_deref(), Some("3"));
    assert!(
        item3
            .title
            .ends_with("eighth meeting of the Partnership Advisory Group")
    );
    // "Ms. X of the secretariat presented …".
    assert_eq!(speakers(&pag9, "10"), ["Wanjiru Kamau-Ndegwa"]);
    // "## Annex: Action items": one unit per "Action:" block, no areas
    // carried from one block to the next.
    let blocks: Vec<&str> = pag9
        .units
        .iter()
        .filter(|u| u.label.starts_with("annex."))
        .map(|u| u.label.as_str())
        .collect();
    assert_eq!(blocks.len(), 6);
    assert_eq!(unit(&pag9, "annex.5").areas, ["chlor-alkali"]);
}
