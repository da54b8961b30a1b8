//! The same report twice in one corpus: which files are copies or versions
//! of one report, and which one of them searches see.
//!
//! A folder often holds a report twice: its PDF and a text rendering, or a
//! draft and the final version under the same symbol. Every file is parsed
//! and stored (so that when the kept file goes, the other takes its place
//! without re-parsing), but searches see only one file of each such group;
//! the others are *set aside*, and `pagsearch index` says which and why.
//!
//! Two files belong together when
//! - they hold the same paragraphs: at least [`SAME_SHARE`] of the numbered
//!   paragraphs of the shorter one (by number and first words) are in the
//!   other, and they do not name two different symbols (a rendering that
//!   lost its symbol is known by its file stem); or
//! - they have the same document symbol (`PAG.8/7`): versions of one
//!   document, a draft and its final text.
//!
//! Two files that only share a file stem, without a symbol and with other
//! paragraphs, are different reports and both stay.
//!
//! The file kept is, in order: the latest distribution date (a final
//! version is distributed after its draft; an unknown date counts as
//! earliest), then a PDF over a markdown over a text file (the PDF has the
//! page numbers), then the first path.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::manifest::{FileEntry, FileMap};
use crate::report::Report;

/// Share of the shorter file's numbered paragraphs the other must hold for
/// the two to be one report.
const SAME_SHARE: f64 = 0.8;

/// Fewer numbered paragraphs than this say too little to call two files
/// the same report by their paragraphs.
const MIN_PARAGRAPHS: usize = 3;

/// Words of a paragraph's start that go into its fingerprint.
const FINGERPRINT_WORDS: usize = 12;

/// A paragraph start shared by more files than this is boilerplate ("The
/// meeting was opened at 10 a.m."), no sign of a copy.
const MAX_SHARING_FILES: usize = 64;

/// A file searches do not see, and why.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SetAside {
    /// The file set aside, as walked.
    pub file: String,
    /// The file searches see instead.
    pub kept: String,
    /// Why, in a sentence fragment: "the same report as …".
    pub reason: String,
}

/// Fingerprints of a report's numbered paragraphs: a hash of each one's
/// number and first words (letters and digits only, lowercase), sorted.
/// Renderings of one report agree on them; punctuation, hyphenation and page
/// breaks do not matter.
pub(crate) fn fingerprint(report: &Report) -> Vec<u32> {
    // One key buffer for all the paragraphs: parsing is the hot path.
    let mut key = String::new();
    let mut prints: Vec<u32> = report
        .units
        .iter()
        .filter(|unit| !unit.label.is_empty() && unit.label.bytes().all(|b| b.is_ascii_digit()))
        .map(|unit| {
            key.clear();
            key.push_str(&unit.label);
            for word in unit
                .text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .take(FINGERPRINT_WORDS)
            {
                key.push(' ');
                // ASCII, nearly always: lowercased a byte at a time.
                if word.is_ascii() {
                    let from = key.len();
                    key.push_str(word);
                    key[from..].make_ascii_lowercase();
                } else {
                    key.extend(word.chars().flat_map(char::to_lowercase));
                }
            }
            // The low half of a 64-bit hash: collisions between two
            // paragraphs are rare enough at a hundred paragraphs a report.
            xxhash_rust::xxh3::xxh3_64(key.as_bytes()) as u32
        })
        .collect();
    prints.sort_unstable();
    prints.dedup();
    prints
}

/// How many values two sorted lists share.
fn shared(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut count) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                count += 1;
                i += 1;
                j += 1;
            }
        }
    }
    count
}

/// Whether two files hold the same paragraphs.
fn same_paragraphs(a: &FileEntry, b: &FileEntry) -> bool {
    let shorter = a.fingerprint.len().min(b.fingerprint.len());
    shorter >= MIN_PARAGRAPHS
        && shared(&a.fingerprint, &b.fingerprint) as f64 >= SAME_SHARE * shorter as f64
}

/// Rank of a file's format in the choice of the kept file: lower is kept.
fn format_rank(path: &str) -> u8 {
    let extension = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "pdf" => 0,
        "md" => 1,
        _ => 2,
    }
}

/// Union-find over file indices.
struct Groups(Vec<usize>);

impl Groups {
    fn root(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }

    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.root(a), self.root(b));
        if a != b {
            self.0[a.max(b)] = a.min(b);
        }
    }
}

/// The files of `files` that searches do not see, by path.
pub(crate) fn set_aside(files: &FileMap) -> Vec<SetAside> {
    let entries: Vec<(&String, &FileEntry)> = files.iter().collect();
    let mut groups = Groups((0..entries.len()).collect());

    // Versions: one symbol.
    let mut by_symbol: HashMap<&str, usize> = HashMap::new();
    for (i, (_, entry)) in entries.iter().enumerate() {
        if entry.from_symbol
            && let Some(&first) = by_symbol.get(entry.doc.as_str())
        {
            groups.join(first, i);
        } else if entry.from_symbol {
            by_symbol.insert(&entry.doc, i);
        }
    }

    // Copies: the same paragraphs. Two symbols of their own name two
    // documents however alike, and one symbol is one group already: only
    // pairs with a file without a symbol are compared, and only when they
    // share a paragraph, found through the files holding each fingerprint
    // of a file without a symbol. A corpus whose files all carry symbols
    // does no work here.
    let unsymbolled: Vec<usize> = (0..entries.len())
        .filter(|&i| !entries[i].1.from_symbol)
        .collect();
    let mut holders: HashMap<u32, Vec<usize>> = unsymbolled
        .iter()
        .flat_map(|&i| entries[i].1.fingerprint.iter())
        .map(|&print| (print, Vec::new()))
        .collect();
    if !holders.is_empty() {
        for (i, (_, entry)) in entries.iter().enumerate() {
            for print in &entry.fingerprint {
                if let Some(list) = holders.get_mut(print) {
                    list.push(i);
                }
            }
        }
    }
    let mut pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
    for list in holders.values().filter(|l| l.len() <= MAX_SHARING_FILES) {
        for (k, &a) in list.iter().enumerate() {
            for &b in &list[k + 1..] {
                if !entries[a].1.from_symbol || !entries[b].1.from_symbol {
                    pairs.insert((a, b));
                }
            }
        }
    }
    for (a, b) in pairs {
        if same_paragraphs(entries[a].1, entries[b].1) {
            groups.join(a, b);
        }
    }

    // Each group keeps its preferred file.
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..entries.len() {
        let root = groups.root(i);
        members.entry(root).or_default().push(i);
    }
    let mut set_aside = Vec::new();
    for group in members.values().filter(|g| g.len() > 1) {
        let preference = |&i: &usize| {
            let (path, entry) = entries[i];
            (
                // Latest date first; none last.
                std::cmp::Reverse(entry.distributed.clone()),
                format_rank(path),
                path.clone(),
            )
        };
        let mut ordered = group.clone();
        ordered.sort_by_key(preference);
        let (kept_path, kept) = entries[ordered[0]];
        for &i in &ordered[1..] {
            let (path, entry) = entries[i];
            let earlier = matches!((&entry.distributed, &kept.distributed),
                (Some(date), Some(kept_date)) if date < kept_date);
            let reason = if earlier {
                format!(
                    "an earlier version of {} than {kept_path}, which is kept ({})",
                    entry.doc,
                    why_kept(kept_path, kept, path, entry)
                )
            } else if same_paragraphs(entry, kept) {
                format!(
                    "the same report as {kept_path}, which is kept ({})",
                    why_kept(kept_path, kept, path, entry)
                )
            } else {
                format!(
                    "another version of {} than {kept_path}, which is kept ({})",
                    entry.doc,
                    why_kept(kept_path, kept, path, entry)
                )
            };
            set_aside.push(SetAside {
                file: path.clone(),
                kept: kept_path.clone(),
                reason,
            });
        }
    }
    set_aside.sort_by(|a, b| a.file.cmp(&b.file));
    set_aside
}

/// What decided between the kept file and another.
fn why_kept(kept_path: &str, kept: &FileEntry, path: &str, entry: &FileEntry) -> String {
    if kept.distributed != entry.distributed {
        match (&kept.distributed, &entry.distributed) {
            (Some(newer), Some(older)) => format!("distributed {newer}, this one {older}"),
            (Some(date), None) => format!("it is dated {date}, this one has no date"),
            _ => "it is newer".to_string(),
        }
    } else if format_rank(kept_path) != format_rank(path) {
        if format_rank(kept_path) == 0 {
            "a PDF, with page numbers".to_string()
        } else {
            "markdown keeps headings better than plain text".to_string()
        }
    } else {
        "first by path".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(doc: &str, symbol: bool, date: Option<&str>, prints: &[u32]) -> FileEntry {
        FileEntry {
            hash: String::new(),
            seq: 0,
            doc: doc.to_string(),
            units: prints.len(),
            year: None,
            acronyms: Vec::new(),
            people: Vec::new(),
            from_symbol: symbol,
            distributed: date.map(str::to_string),
            fingerprint: prints.to_vec(),
            size: 0,
            mtime: 0,
            keys: None,
        }
    }

    fn files(list: &[(&str, FileEntry)]) -> FileMap {
        list.iter()
            .map(|(path, entry)| ((*path).to_string(), entry.clone()))
            .collect()
    }

    #[test]
    fn a_pdf_and_its_text_rendering_keep_the_pdf() {
        let prints = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        let map = files(&[
            (
                "c/r.md",
                entry("PAG.8/7", true, Some("2017-11-16"), &prints),
            ),
            (
                "c/r.pdf",
                entry("PAG.8/7", true, Some("2017-11-16"), &prints[..9]),
            ),
        ]);
        let aside = set_aside(&map);
        assert_eq!(aside.len(), 1);
        assert_eq!(aside[0].file, "c/r.md");
        assert_eq!(aside[0].kept, "c/r.pdf");
        assert!(
            aside[0].reason.contains("the same report"),
            "{}",
            aside[0].reason
        );
        assert!(aside[0].reason.contains("PDF"), "{}", aside[0].reason);
    }

    #[test]
    fn a_copy_without_its_symbol_is_found_by_its_paragraphs() {
        let prints: Vec<u32> = (1..=20).collect();
        let map = files(&[
            ("a.md", entry("PAG.8/7", true, Some("2017-11-16"), &prints)),
            ("b.txt", entry("b", false, None, &prints[2..])),
        ]);
        let aside = set_aside(&map);
        assert_eq!(aside.len(), 1);
        assert_eq!(aside[0].file, "b.txt");
    }

    #[test]
    fn a_draft_gives_way_to_the_final_version() {
        let map = files(&[
            (
                "draft.md",
                entry("PAG.8/7", true, Some("2017-10-01"), &[1, 2, 3, 4]),
            ),
            (
                "final.md",
                entry("PAG.8/7", true, Some("2017-11-16"), &[1, 5, 6, 7]),
            ),
        ]);
        let aside = set_aside(&map);
        assert_eq!(aside.len(), 1);
        assert_eq!(aside[0].file, "draft.md");
        assert!(
            aside[0].reason.contains("an earlier version"),
            "{}",
            aside[0].reason
        );
        assert!(
            aside[0].reason.contains("2017-11-16"),
            "{}",
            aside[0].reason
        );
    }

    #[test]
    fn different_reports_sharing_a_file_stem_both_stay() {
        let map = files(&[
            (
                "pag8/report.md",
                entry("report", false, None, &[1, 2, 3, 4]),
            ),
            (
                "pag9/report.md",
                entry("report", false, None, &[5, 6, 7, 8]),
            ),
        ]);
        assert!(set_aside(&map).is_empty());
    }

    #[test]
    fn two_symbols_name_two_documents_however_alike() {
        let prints: Vec<u32> = (1..=10).collect();
        let map = files(&[
            ("a.md", entry("R.1/1", true, None, &prints)),
            ("b.md", entry("R.2/1", true, None, &prints)),
        ]);
        assert!(set_aside(&map).is_empty());
    }

    #[test]
    fn reports_sharing_a_few_paragraphs_both_stay() {
        let map = files(&[
            (
                "a.md",
                entry("PAG.8/7", true, None, &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
            ),
            (
                "b.md",
                entry("PAG.9/7", true, None, &[1, 2, 3, 14, 15, 16, 17, 18]),
            ),
        ]);
        assert!(set_aside(&map).is_empty());
    }
}
