//! `pagsearch check`: whether every file of an index is whole, and whether
//! pagsearch's own records agree with the segments.
//!
//! Searches do not verify checksums (that would read the whole index on
//! every search); this does, once, when asked. It never opens the index
//! for writing and never changes a file.

use std::path::{Path, PathBuf};

use tantivy::index::SegmentComponent;

use super::directory::IndexDirectory;
use super::manifest::{self, Summary};
use super::{is_index_folder, read_summary};
use crate::error::{Error, Result};

/// What `check` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// Segments the last commit names.
    pub segments: usize,
    /// Segment files whose checksum was verified.
    pub files_checked: usize,
    /// Paragraphs the segments hold (set-aside copies included).
    pub paragraphs: u64,
    /// What is damaged or does not agree, one line each, naming the file.
    pub problems: Vec<String>,
}

impl CheckReport {
    /// True when nothing is damaged.
    pub fn is_sound(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The segment files every segment of a pagsearch index has.
const COMPONENTS: [SegmentComponent; 6] = [
    SegmentComponent::Postings,
    SegmentComponent::Positions,
    SegmentComponent::Terms,
    SegmentComponent::Store,
    SegmentComponent::FastFields,
    SegmentComponent::FieldNorms,
];

/// Verifies the index in `dir`: each segment file present and matching its
/// checksum, the commit's summary and the file map readable, and the
/// paragraphs they count equal to the segments' documents.
pub fn check(dir: &Path) -> Result<CheckReport> {
    let mut report = CheckReport::default();
    if !dir.join("meta.json").is_file() {
        if is_index_folder(dir) {
            report
                .problems
                .push("meta.json is missing: no commit to read".to_string());
            return Ok(report);
        }
        return Err(Error::NoIndex {
            dir: dir.to_path_buf(),
        });
    }
    let opened = IndexDirectory::open(dir)
        .map_err(|e| e.to_string())
        .and_then(|directory| tantivy::Index::open(directory).map_err(|e| e.to_string()));
    let index = match opened {
        Ok(index) => index,
        Err(message) => {
            report.problems.push(format!("meta.json: {message}"));
            return Ok(report);
        }
    };
    let metas = match index.load_metas() {
        Ok(metas) => metas,
        Err(e) => {
            report.problems.push(format!("meta.json: {e}"));
            return Ok(report);
        }
    };
    report.segments = metas.segments.len();

    // Every file each segment needs, present.
    let mut missing = false;
    for segment in &metas.segments {
        report.paragraphs += u64::from(segment.num_docs());
        let mut components = COMPONENTS.to_vec();
        if segment.has_deletes() {
            components.push(SegmentComponent::Delete);
        }
        for component in components {
            let path: PathBuf = segment.relative_path(component);
            if !dir.join(&path).is_file() {
                report
                    .problems
                    .push(format!("{} is missing", path.display()));
                missing = true;
            }
        }
    }
    // Their checksums (tantivy keeps one in each file's footer).
    if !missing {
        match index.validate_checksum() {
            Ok(damaged) => {
                report.files_checked = metas
                    .segments
                    .iter()
                    .map(|s| COMPONENTS.len() + usize::from(s.has_deletes()))
                    .sum();
                let mut damaged: Vec<PathBuf> = damaged.into_iter().collect();
                damaged.sort();
                report.problems.extend(damaged.iter().map(|path| {
                    format!("{}: checksum mismatch, the file is damaged", path.display())
                }));
            }
            Err(e) => report.problems.push(format!("checksums: {e}")),
        }
    }

    // pagsearch's records: the summary, the file map, their counts.
    // The schema is pagsearch's (a changed field name reads as another
    // schema), and the summary its checksum says.
    if index.schema() != super::schema::build().0 {
        report
            .problems
            .push("meta.json: the schema is not the one pagsearch writes".to_string());
    }
    if metas.payload.as_deref().and_then(manifest::payload_intact) == Some(false) {
        report
            .problems
            .push("meta.json: the summary does not match its checksum".to_string());
    }
    let summary = match read_summary(metas.payload.clone(), dir) {
        Ok(summary) => summary,
        Err(e) => {
            report.problems.push(format!("meta.json (summary): {e}"));
            return Ok(report);
        }
    };
    let files: manifest::FileMap = match manifest::read_files(dir, &summary) {
        Ok(files) => files,
        Err(e) => {
            report
                .problems
                .push(format!("{}: unreadable: {e}", summary.files_name()));
            return Ok(report);
        }
    };
    let units: u64 = files.values().map(|entry| entry.units as u64).sum();
    if units != report.paragraphs {
        report.problems.push(format!(
            "{} counts {units} paragraphs, the segments hold {}",
            summary.files_name(),
            report.paragraphs
        ));
    }
    let keys = match manifest::read_keys(dir, &summary) {
        Ok(keys) => keys,
        Err(e) => {
            report.problems.push(format!(
                "the keys table of generation {}: unreadable: {e}",
                summary.generation
            ));
            return Ok(report);
        }
    };
    let mut described = Summary { ..summary.clone() };
    described.describe(&files);
    if described.paragraphs != summary.paragraphs || described.docs != keys.docs {
        report.problems.push(format!(
            "the commit's summary ({} paragraphs, {} documents) does not agree with {} ({} paragraphs, {} documents)",
            summary.paragraphs,
            keys.docs.len(),
            summary.files_name(),
            described.paragraphs,
            described.docs.len()
        ));
    }
    if described.by_seq != keys.by_seq {
        report.problems.push(format!(
            "the keys table of generation {} does not agree with {}",
            summary.generation,
            summary.files_name()
        ));
    }
    Ok(report)
}
