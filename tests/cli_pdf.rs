//! PDF reports indexed directly, run as the built binary: the shipped report's
//! PDF rendering is searched with page numbers in every hit, and PDFs that
//! cannot be read (encrypted, without a text layer, damaged) are skipped with
//! a warning naming the file and the reason while the run goes on.

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::{stderr, stdout};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn run(dir: &Path, args: &[&str]) -> Output {
    common::pagsearch(dir, args)
        .output()
        .expect("the binary runs")
}

/// A one-page PDF whose page shows `lines` in Helvetica, one under the
/// other; no lines gives a page without text, as a scanned page has.
fn simple_pdf(lines: &[&str]) -> Vec<u8> {
    let mut content = String::from("BT /F1 11 Tf 14 TL 72 720 Td\n");
    for line in lines {
        content.push_str(&format!(
            "({}) Tj T*\n",
            line.replace('(', "\\(").replace(')', "\\)")
        ));
    }
    content.push_str("ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}endstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

#[test]
fn a_pdf_report_is_searched_with_page_numbers() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("corpus")).unwrap();
    std::fs::copy(
        fixture("pag8-report.pdf"),
        dir.path().join("corpus/pag8-report.pdf"),
    )
    .unwrap();
    let output = run(dir.path(), &["index"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output)
            .contains("1 added, 0 updated, 0 removed, 0 unchanged; 136 paragraphs written"),
        "{}",
        stderr(&output)
    );
    assert!(!stderr(&output).contains("warning:"), "{}", stderr(&output));

    // The terminal header names the page.
    let output = run(dir.path(), &["search", "area:ASGM speaker:Keane"]);
    let text = stdout(&output);
    for header in ["PAG.8/7 ¶62 p.7", "PAG.8/7 ¶63 p.7", "PAG.8/7 ¶65 p.7"] {
        assert!(
            text.lines().any(|l| l.starts_with(header)),
            "{header}\n{text}"
        );
    }
    // So does the JSON, with the last page of a paragraph that runs over.
    let output = run(
        dir.path(),
        &["search", "--json", "\"the Special Programme\""],
    );
    let hits: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let hit = hits
        .iter()
        .find(|h| h["para"] == "107")
        .expect("¶107 is found");
    assert_eq!(
        (hit["page"].as_u64(), hit["page_end"].as_u64()),
        (Some(11), Some(12))
    );
    assert_eq!(hit["doc"], "PAG.8/7");
}

#[test]
fn unreadable_pdfs_are_skipped_with_the_reason_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let good = simple_pdf(&[
        "UNEP/Hg/PDF.1/1",
        "",
        "1. Opening of the meeting",
        "",
        "1. Ms. Bailey opened the meeting and spoke of wombats.",
        "2. Mr. Maag spoke of mercury waste.",
    ]);
    std::fs::write(corpus.join("good.pdf"), &good).unwrap();
    std::fs::write(corpus.join("scanned.pdf"), simple_pdf(&[])).unwrap();
    std::fs::write(corpus.join("truncated.pdf"), &good[..good.len() / 2]).unwrap();
    // A one-page PDF like `simple_pdf`'s, encrypted with a user password:
    // `qpdf --encrypt secret owner 256 -- plain.pdf encrypted.pdf`.
    std::fs::copy(fixture("encrypted.pdf"), corpus.join("encrypted.pdf")).unwrap();
    std::fs::write(
        corpus.join("renamed.pdf"),
        b"GIF89a\x01\x00\x01\x00\x00\xff\x00,",
    )
    .unwrap();

    let output = run(dir.path(), &["index"]);
    let log = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{log}");
    for line in [
        "warning: skipped corpus/encrypted.pdf: encrypted PDF: its text needs a password",
        "warning: skipped corpus/scanned.pdf: PDF without a text layer (scanned pages?): nothing to index",
        "warning: skipped corpus/renamed.pdf: binary content, not a text report",
    ] {
        assert!(log.lines().any(|l| l == line), "{line}\n{log}");
    }
    assert!(
        log.lines()
            .any(|l| l
                .starts_with("warning: skipped corpus/truncated.pdf: damaged PDF, no text read")),
        "{log}"
    );
    assert!(
        log.contains("1 added") && log.contains("4 files skipped"),
        "{log}"
    );

    let output = run(dir.path(), &["search", "--json", "wombats"]);
    let hit: serde_json::Value =
        serde_json::from_str(stdout(&output).lines().next().unwrap()).unwrap();
    assert_eq!(
        (hit["doc"].as_str(), hit["para"].as_str()),
        (Some("PDF.1/1"), Some("1"))
    );
    assert_eq!(hit["speakers"][0], "Bailey");
    assert_eq!(hit["page"], 1);
}
