//! The parser on the shipped report of the eighth Partnership Advisory Group
//! meeting: its real paragraphs, agenda items, speakers, areas and metadata,
//! and the same results from pdftotext renderings of the report.

use std::path::{Path, PathBuf};

use pagsearch::report::{self, Report, Taxonomy, Unit};

fn path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn parse(relative: &str) -> Report {
    report::parse_file(&path(relative), &Taxonomy::builtin()).expect("readable fixture")
}

fn markdown() -> Report {
    parse("corpus/pag8-report.md")
}

fn unit<'r>(report: &'r Report, label: &str) -> &'r Unit {
    report
        .unit(label)
        .unwrap_or_else(|| panic!("no unit {label}"))
}

fn speakers<'r>(report: &'r Report, label: &str) -> Vec<&'r str> {
    report.speaker_names(unit(report, label))
}

fn mentions<'r>(report: &'r Report, label: &str) -> Vec<&'r str> {
    report.mention_names(unit(report, label))
}

/// The paragraph number a label belongs to ("115.2" → 115).
fn number(label: &str) -> u32 {
    label.split('.').next().unwrap().parse().unwrap()
}

#[test]
fn has_136_units_with_the_right_labels() {
    let report = markdown();
    let labels: Vec<&str> = report.units.iter().map(|u| u.label.as_str()).collect();
    let mut expected: Vec<String> = (1..=115).map(|n| n.to_string()).collect();
    expected.extend((1..=4).map(|k| format!("115.{k}")));
    expected.extend((116..=132).map(|n| n.to_string()));
    assert_eq!(labels, expected);
    assert_eq!(report.units.len(), 136);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
}

#[test]
fn page_broken_paragraphs_are_whole() {
    let report = markdown();
    let cases = [
        (
            "14",
            "coal-fired plants to calculate their mercury emissions), the conduction of country studies, among others.",
        ),
        (
            "40",
            "He highlighted financing as one of the major challenges",
        ),
        (
            "56",
            "use this concept and, possibly, provide guidance on its implementation. Lastly, a participant asked",
        ),
        (
            "81",
            "Sound Management of Chemicals (IOMC) group on mercury",
        ),
        (
            "104",
            "the Process Optimization Guidance for coal-fired plants. She also added",
        ),
        (
            "115.4",
            "lessons learned from other Conventions and to advertise the co-benefit effects",
        ),
    ];
    for (label, joined) in cases {
        let text = &unit(&report, label).text;
        assert!(text.contains(joined), "¶{label} not rejoined: {text}");
    }
    assert!(
        unit(&report, "115.4")
            .text
            .ends_with("in-kind contributions by Partners.")
    );
    assert!(
        unit(&report, "115.4")
            .text
            .starts_with("On coal emissions and cement areas:")
    );
}

#[test]
fn every_unit_has_the_right_agenda_item() {
    let report = markdown();
    for unit in &report.units {
        let n = number(&unit.label);
        let (item, sub) = match n {
            1..=8 => ("1", None),
            9 => ("2", Some("a")),
            10..=12 => ("2", Some("b")),
            13..=65 => ("3", None),
            66..=78 => ("4", None),
            79..=102 => ("5", None),
            103..=125 => ("6", None),
            126..=131 => ("7", None),
            _ => ("8", None),
        };
        let agenda = unit.agenda.as_ref().expect("every unit is under an item");
        assert_eq!(agenda.number.as_deref(), Some(item), "¶{}", unit.label);
        assert_eq!(agenda.sub_item.as_deref(), sub, "¶{}", unit.label);
    }
    let titles = [
        ("1", "Opening of the meeting", None),
        (
            "9",
            "Organizational matters",
            Some("Adoption of the agenda"),
        ),
        ("10", "Organizational matters", Some("Organization of work")),
        (
            "13",
            "Review of the overall progress, focusing on revised priority actions in light of the Minamata Convention",
            None,
        ),
        (
            "115.3",
            "Role and Strategy of the Partnership with Minamata Convention Entry into Force",
            None,
        ),
        ("132", "Closure of the meeting", None),
    ];
    for (label, title, sub_title) in titles {
        let agenda = unit(&report, label).agenda.as_ref().unwrap();
        assert_eq!(agenda.title, title);
        assert_eq!(agenda.sub_title.as_deref(), sub_title);
    }
}

#[test]
fn pronouns_resolve_to_the_right_person() {
    let report = markdown();
    // "He reported that he and Ms. Bailey …" after Mr. Cuna spoke.
    assert_eq!(speakers(&report, "7"), ["Mitch Cuna"]);
    // "He also said …" after Mr. Pirrone.
    assert_eq!(speakers(&report, "21"), ["Nicola Pirrone"]);
    // "He then proceeded to invite …": Mr. Cuna, not the men he thanked in ¶47.
    assert_eq!(speakers(&report, "48"), ["Mitch Cuna"]);
    // "The floor was then given to Ms. Jacqueline Alvarez … She expressed …"
    assert_eq!(speakers(&report, "108"), ["Jacqueline Alvarez"]);
    // "Regarding COP1, he informed …"
    assert_eq!(speakers(&report, "131"), ["Jacob Duer"]);
    assert_eq!(speakers(&report, "63"), ["Susan Keane"]);
    // "A participant from WCC added … He mentioned …": the participant, not Mr. Ankrah.
    assert!(speakers(&report, "45").is_empty());
}

#[test]
fn several_speakers_in_one_paragraph() {
    let report = markdown();
    assert_eq!(speakers(&report, "18"), ["Lesley Sloss", "Jakob Maag"]);
    assert_eq!(speakers(&report, "29"), ["Philippe Fonta", "Jakob Maag"]);
    assert_eq!(speakers(&report, "36"), ["Michael Bender", "Jakob Maag"]);
    assert_eq!(speakers(&report, "80"), ["Marianne Bailey", "Mitch Cuna"]);
    // "Mr. Fernando Lugris … was then invited by Mr. Cuna … Mr. Lugris expressed"
    assert_eq!(speakers(&report, "124"), ["Mitch Cuna", "Fernando Lugris"]);
}

#[test]
fn invited_people_are_mentions_not_speakers() {
    let report = markdown();
    assert_eq!(speakers(&report, "58"), ["Mitch Cuna"]);
    assert_eq!(
        mentions(&report, "58"),
        ["Susan Keane", "Ludovic Bernaudat", "Jerome Stucki"]
    );
    assert_eq!(speakers(&report, "11"), ["Mitch Cuna"]);
    assert_eq!(mentions(&report, "11"), ["Desiree Narvaez"]);
    assert!(speakers(&report, "99").is_empty());
    assert_eq!(mentions(&report, "99"), ["Jerome Stucki"]);
    assert_eq!(mentions(&report, "24"), ["Philippe Fonta"]);
    // Thanked, awarded, possessive: named, not speaking.
    assert_eq!(
        mentions(&report, "47"),
        ["Rodges Ankrah", "Riccardo Savigliano"]
    );
    assert!(speakers(&report, "127").is_empty());
    assert_eq!(mentions(&report, "127"), ["Jacob Duer", "Fernando Lugris"]);
    // "the activities highlighted by Mr. Stucki": an earlier speech, cited.
    assert_eq!(speakers(&report, "62"), ["Susan Keane"]);
    assert_eq!(mentions(&report, "62"), ["Jerome Stucki"]);
}

#[test]
fn unnamed_participants_are_flagged() {
    let report = markdown();
    for label in [
        "18", "27", "29", "36", "45", "52", "56", "65", "74", "76", "87", "110", "113", "118",
        "120", "122", "123",
    ] {
        assert!(
            unit(&report, label).participant,
            "¶{label} should flag a participant"
        );
    }
    for label in ["1", "2", "28", "58", "62", "99", "115.1"] {
        assert!(
            !unit(&report, label).participant,
            "¶{label} has no unnamed speaker"
        );
    }
    assert_eq!(unit(&report, "45").orgs, ["WCC"]);
}

#[test]
fn one_identity_per_person_with_organisation() {
    let report = markdown();
    let mut names: Vec<&str> = report.people.iter().map(|p| p.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "Achim Halpaap",
            "Ana Garcia Gonzales",
            "David Evers",
            "Desiree Narvaez",
            "Eisaku Toda",
            "Fernando Lugris",
            "Jacob Duer",
            "Jacqueline Alvarez",
            "Jakob Maag",
            "Jerome Stucki",
            "Judith Torres",
            "Kenneth Davis",
            "Lesley Sloss",
            "Ludovic Bernaudat",
            "Marianne Bailey",
            "Masaru Tanaka",
            "Melissa Lim",
            "Michael Bender",
            "Mitch Cuna",
            "Nicola Pirrone",
            "Peter Nelson",
            "Philippe Fonta",
            "Riccardo Savigliano",
            "Rodges Ankrah",
            "Susan Keane",
            "Thomas Groeneveld",
        ]
    );
    // "Ms. Garcia" and "Mr. Maag" are the people introduced in full earlier.
    assert_eq!(speakers(&report, "51"), ["Ana Garcia Gonzales"]);
    assert_eq!(speakers(&report, "93"), ["Jakob Maag"]);
    let org = |name: &str| {
        report
            .people
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.organisation.as_deref())
    };
    assert_eq!(org("Jakob Maag"), Some("UNITAR"));
    assert_eq!(
        org("Susan Keane"),
        Some("Natural Resources Defense Council")
    );
    assert_eq!(org("Ana Garcia Gonzales"), Some("Government of Spain"));
    assert_eq!(org("Jacqueline Alvarez"), Some("UN Environment"));
    assert_eq!(
        org("Marianne Bailey"),
        Some("US Environment Protection Agency")
    );
}

#[test]
fn keane_speaks_on_asgm() {
    let report = markdown();
    let keane: Vec<&str> = report
        .units
        .iter()
        .filter(|u| report.speaker_names(u).contains(&"Susan Keane"))
        .map(|u| u.label.as_str())
        .collect();
    assert_eq!(keane, ["62", "63", "65"]);
    for label in keane {
        assert!(unit(&report, label).areas.contains(&"asgm".to_string()));
    }
}

#[test]
fn area_report_blocks_are_tagged() {
    let report = markdown();
    let blocks = [
        ("coal", 14..=18),
        ("fate-transport", 19..=23),
        ("cement", 24..=29),
        ("products", 30..=38),
        ("chlor-alkali", 39..=47),
        ("supply-storage", 48..=52),
        ("waste", 53..=57),
        ("asgm", 58..=65),
    ];
    for unit in report
        .units
        .iter()
        .filter(|u| (13..=66).contains(&number(&u.label)))
    {
        let n = number(&unit.label);
        for (area, block) in &blocks {
            let tagged = unit.areas.iter().any(|a| a == area);
            if block.contains(&n) {
                assert!(tagged, "¶{n} lies in the {area} block: {:?}", unit.areas);
            }
        }
    }
    // Blocks end where the next begins and at the next agenda item.
    assert!(!unit(&report, "30").areas.contains(&"cement".to_string()));
    assert!(unit(&report, "13").areas.is_empty());
    assert!(unit(&report, "66").areas.is_empty());
    let areas = |label: &str| unit(&report, label).areas.clone();
    assert_eq!(areas("115.1"), ["asgm"]);
    assert_eq!(areas("115.2"), ["fate-transport"]);
    assert_eq!(
        areas("115.3"),
        ["products", "chlor-alkali", "supply-storage", "waste"]
    );
    assert!(areas("115.4").starts_with(&["coal".to_string(), "cement".to_string()]));
}

#[test]
fn reads_metadata_and_acronyms() {
    let report = markdown();
    let meta = &report.meta;
    assert_eq!(
        meta.symbol.as_deref(),
        Some("UNEP(Economy Division)/Hg/PAG.8/7")
    );
    assert_eq!(meta.id, "PAG.8/7");
    assert_eq!(meta.meeting_number, Some(8));
    assert_eq!(
        meta.meeting_name.as_deref(),
        Some("Partnership Advisory Group, Eighth Meeting")
    );
    assert_eq!(meta.venue.as_deref(), Some("Geneva, Switzerland"));
    assert_eq!(meta.meeting_date.as_deref(), Some("2017-09-22"));
    assert_eq!(meta.distribution_date.as_deref(), Some("2017-11-16"));
    assert_eq!(
        meta.title.as_deref(),
        Some("Draft Report of the Eight Meeting of the Global Mercury Partnership Advisory Group")
    );
    let long = |short: &str| {
        report
            .acronyms
            .iter()
            .find(|a| a.short == short)
            .map(|a| a.long.as_str())
    };
    assert_eq!(long("MIA"), Some("Minamata Initial Assessments"));
    assert_eq!(long("NAP"), Some("National Action Plans"));
    assert_eq!(long("ASGM"), Some("artisanal and small-scale gold mining"));
    assert_eq!(
        long("UNITAR"),
        Some("United Nations Institute for Training and Research")
    );
    assert_eq!(
        long("IOMC"),
        Some("Inter-Organization Programme for the Sound Management of Chemicals")
    );
    assert_eq!(long("PAG"), Some("Partnership Advisory Group"));
    assert_eq!(long("ZMWW"), None);
}

/// The fields of a unit that must not depend on how the report was rendered.
#[derive(Debug, PartialEq)]
struct Tags<'r> {
    label: &'r str,
    item: Option<&'r str>,
    speakers: Vec<&'r str>,
    mentions: Vec<&'r str>,
    participant: bool,
    areas: &'r [String],
}

fn tags(report: &Report) -> Vec<Tags<'_>> {
    report
        .units
        .iter()
        .map(|u| Tags {
            label: &u.label,
            item: u.agenda.as_ref().and_then(|a| a.number.as_deref()),
            speakers: report.speaker_names(u),
            mentions: report.mention_names(u),
            participant: u.participant,
            areas: &u.areas,
        })
        .collect()
}

#[test]
fn pdftotext_renderings_give_the_same_units() {
    let markdown = markdown();
    for fixture in [
        "tests/fixtures/pag8-report.pdftotext.txt",
        "tests/fixtures/pag8-report.layout.txt",
        "tests/fixtures/pag8-report.pdf",
    ] {
        let rendered = parse(fixture);
        assert_eq!(tags(&rendered), tags(&markdown), "{fixture}");
        assert_eq!(rendered.meta, markdown.meta, "{fixture}");
        assert_eq!(rendered.pages, Some(16));
        // Page breaks, running heads and page numbers are gone; the text reads on.
        let text = &unit(&rendered, "107").text;
        assert!(
            text.contains("the Special Programme. She added that the Secretariat"),
            "{fixture}: {text}"
        );
        assert_eq!(
            (unit(&rendered, "107").page, unit(&rendered, "107").page_end),
            (Some(11), Some(12))
        );
        assert!(
            rendered
                .units
                .iter()
                .all(|u| !u.text.contains("UNEP(Economy Division)"))
        );
        // Ligatures and typesetter hyphenation are mended.
        assert!(
            unit(&rendered, "2")
                .text
                .contains("that contributed to the entry into force")
        );
        assert!(
            unit(&rendered, "2")
                .text
                .contains("to define the strategic role")
        );
    }
    // -layout keeps hard hyphens at line ends, so its text matches the markdown.
    let layout = parse("tests/fixtures/pag8-report.layout.txt");
    let normalise = |t: &str| t.replace(['“', '”'], "\"").replace('’', "'");
    for (a, b) in markdown.units.iter().zip(&layout.units) {
        assert_eq!(normalise(&a.text), normalise(&b.text), "¶{}", a.label);
    }
}

/// The PDF read directly: the same units as the markdown, word for word, and
/// the same pages as pdftotext finds.
#[test]
fn the_pdf_gives_the_markdown_units_with_their_pages() {
    let markdown = markdown();
    let pdf = parse("tests/fixtures/pag8-report.pdf");
    assert!(pdf.warnings.is_empty(), "{:?}", pdf.warnings);
    let normalise = |t: &str| t.replace(['“', '”'], "\"").replace('’', "'");
    for (a, b) in markdown.units.iter().zip(&pdf.units) {
        assert_eq!(normalise(&a.text), normalise(&b.text), "¶{}", a.label);
    }
    let pdftotext = parse("tests/fixtures/pag8-report.pdftotext.txt");
    let pages = |r: &Report| -> Vec<(Option<u32>, Option<u32>)> {
        r.units.iter().map(|u| (u.page, u.page_end)).collect()
    };
    assert_eq!(pages(&pdf), pages(&pdftotext));
    let span = |label: &str| (unit(&pdf, label).page, unit(&pdf, label).page_end);
    assert_eq!(span("1"), (Some(1), Some(1)));
    assert_eq!(span("63"), (Some(7), Some(7)));
    assert_eq!(span("131"), (Some(15), Some(16)));
    assert_eq!(pdf.pages, Some(16));
}

#[test]
fn encodings_and_line_ends_do_not_change_the_result() {
    let original = std::fs::read_to_string(path("corpus/pag8-report.md")).unwrap();
    let markdown = markdown();
    let taxonomy = Taxonomy::builtin();

    let crlf_bom = format!("\u{feff}{}", original.replace('\n', "\r\n"));
    let from_crlf = report::parse("pag8-crlf.md", crlf_bom.as_bytes(), &taxonomy);
    assert_eq!(tags(&from_crlf), tags(&markdown));
    assert!(from_crlf.warnings.is_empty());

    let (cp1252, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&original);
    assert!(!unmappable);
    let from_cp1252 = report::parse("pag8-cp1252.md", &cp1252, &taxonomy);
    assert_eq!(tags(&from_cp1252), tags(&markdown));
    assert_eq!(from_cp1252.units[6].text, markdown.units[6].text);
    assert_eq!(from_cp1252.warnings.len(), 1);
    assert!(
        from_cp1252.warnings[0]
            .to_string()
            .starts_with("pag8-cp1252.md: ")
    );
    assert!(from_cp1252.warnings[0].message.contains("Windows-1252"));
}
