//! The index a server answers from, reopened when `pagsearch index` commits
//! a new version of it, so that a running server never needs a restart.
//!
//! Every commit rewrites the index's `meta.json` (tantivy writes it to a
//! temporary file and renames it over the old one), so its modification
//! time and size, read with one `stat` per request, tell when to reopen.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::SystemTime;

use crate::error::Result;
use crate::index::{DocumentInfo, Index};

/// What identifies one committed version of the index.
type Stamp = Option<(SystemTime, u64)>;

fn stamp_of(dir: &Path) -> Stamp {
    let meta = std::fs::metadata(dir.join("meta.json")).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// One opened version of the index, with what the page needs of it
/// besides searches.
pub struct Snapshot {
    /// The opened index.
    pub index: Index,
    /// Its reports, read on first use.
    documents: OnceLock<Vec<DocumentInfo>>,
    /// Paragraph counts over the whole index (the start page's sidebar),
    /// counted on first use: a version of the index never changes.
    totals: OnceLock<crate::query::FacetCounts>,
}

impl Snapshot {
    /// The reports searches see, in document order (read once per version).
    pub fn documents(&self) -> Result<&[DocumentInfo]> {
        if let Some(documents) = self.documents.get() {
            return Ok(documents);
        }
        let documents = self.index.documents()?;
        Ok(self.documents.get_or_init(|| documents))
    }

    /// Paragraph counts by area, speaker, agenda item, delegation and
    /// report over the whole index, counted once per version.
    pub fn facet_totals(&self) -> Result<&crate::query::FacetCounts> {
        if let Some(totals) = self.totals.get() {
            return Ok(totals);
        }
        let totals = self.index.facet_totals()?;
        Ok(self.totals.get_or_init(|| totals))
    }

    /// The report whose id (or path, as indexed) is `doc`.
    pub fn find_document(&self, doc: &str) -> Result<Option<&DocumentInfo>> {
        let documents = self.documents()?;
        Ok(documents
            .iter()
            .find(|d| d.doc == doc)
            .or_else(|| documents.iter().find(|d| d.path.to_str() == Some(doc))))
    }
}

/// The index of a server: the latest committed version, shared by the
/// requests in flight.
pub struct IndexHandle {
    dir: PathBuf,
    current: RwLock<(Stamp, Arc<Snapshot>)>,
}

impl IndexHandle {
    /// Opens the index in `dir`.
    pub fn open(dir: &Path) -> Result<IndexHandle> {
        let stamp = stamp_of(dir);
        let snapshot = Arc::new(Snapshot {
            index: Index::open(dir)?,
            documents: OnceLock::new(),
            totals: OnceLock::new(),
        });
        Ok(IndexHandle {
            dir: dir.to_path_buf(),
            current: RwLock::new((stamp, snapshot)),
        })
    }

    /// The directory of the index.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The latest committed version of the index. When a new one cannot be
    /// opened (a half-copied folder), the version already open goes on
    /// answering and the next request tries again.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        let stamp = stamp_of(&self.dir);
        {
            let current = self.current.read().unwrap_or_else(|e| e.into_inner());
            if current.0 == stamp {
                return Arc::clone(&current.1);
            }
        }
        let mut current = self.current.write().unwrap_or_else(|e| e.into_inner());
        if current.0 != stamp
            && let Ok(index) = Index::open(&self.dir)
        {
            *current = (
                stamp,
                Arc::new(Snapshot {
                    index,
                    documents: OnceLock::new(),
                    totals: OnceLock::new(),
                }),
            );
        }
        Arc::clone(&current.1)
    }
}
