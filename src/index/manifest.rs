//! The manifest: which files an index holds (with their content hash), the
//! taxonomy it was tagged with, and each file's acronyms and people. It is
//! stored as the payload of the tantivy commit, so it changes atomically with
//! the paragraphs it describes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::report::{Acronym, Area, Person};

/// Version of the schema and manifest layout; an index written with another
/// version must be rebuilt.
pub(crate) const SCHEMA_VERSION: u32 = 1;

/// What the index knows about one source file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct FileEntry {
    /// xxh3-128 of the file's bytes, hex.
    pub hash: String,
    /// Sequence number giving the file's place in document order.
    pub seq: u64,
    /// Document id of the report.
    pub doc: String,
    pub units: usize,
    /// Meeting year (or distribution year).
    pub year: Option<u64>,
    #[serde(default)]
    pub acronyms: Vec<Acronym>,
    #[serde(default)]
    pub people: Vec<Person>,
}

/// The commit payload.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct Manifest {
    pub version: u32,
    pub next_seq: u64,
    /// The partnership areas units were tagged with.
    pub areas: Vec<Area>,
    /// By path, as walked.
    pub files: BTreeMap<String, FileEntry>,
}

impl Manifest {
    pub fn new(areas: Vec<Area>) -> Self {
        Manifest {
            version: SCHEMA_VERSION,
            next_seq: 0,
            areas,
            files: BTreeMap::new(),
        }
    }

    /// Total paragraphs of all files.
    pub fn paragraphs(&self) -> usize {
        self.files.values().map(|f| f.units).sum()
    }
}

/// Content hash of a file, as stored in [`FileEntry::hash`].
pub(crate) fn content_hash(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}
