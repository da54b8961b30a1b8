//! The `index` stage: a tantivy index of paragraph units — creating and
//! opening it, and bringing it up to date with a set of report files.
//!
//! Updates are incremental: files whose content hash is unchanged are left
//! alone, changed files are re-parsed, files gone from the walked folders lose
//! their paragraphs. Every update ends in one tantivy commit carrying the
//! summary of the index as its payload, so an interrupted update
//! leaves the previous index intact, and the writer lock keeps a second
//! writer out.
//!
//! Reports are parsed on every core while tantivy's threads index; what is
//! on its way between them is bounded in bytes, not in reports or
//! documents (`flow`), and a large report's paragraphs go to tantivy one
//! at a time, so that one very large report is held about once. Reports
//! reach tantivy in file order, so that each new segment holds its
//! paragraphs in document order; the segments that do are listed for
//! ranking (`ordered-segments`).

mod check;
mod directory;
mod duplicates;
mod flow;
pub(crate) mod manifest;
pub(crate) mod schema;
mod stemmer;

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use tantivy::directory::error::{LockError, OpenReadError};
use tantivy::index::SegmentId;
use tantivy::indexer::NoMergePolicy;
use tantivy::{IndexReader, IndexWriter, TantivyDocument, TantivyError, Term};

use flow::{CloseOnDrop, CloseOnPanic, Counted, Gauge};

use crate::error::{Error, Result};
use crate::report::{self, Taxonomy, Warning};
use directory::IndexDirectory;
use manifest::{FileEntry, FileMap, SCHEMA_VERSION, Summary, content_hash};
use schema::Fields;

pub use crate::error::SpaceNeeded;
pub use check::{CheckReport, check};
pub use duplicates::SetAside;

/// File extensions taken as reports.
const REPORT_EXTENSIONS: [&str; 3] = ["md", "txt", "pdf"];

/// The file that marks a folder as a pagsearch index, written when the
/// index is created: a damaged index is still known as one by it, and a
/// folder without it is never written into unless empty.
const MARKER: &str = ".pagsearch-index";
const MARKER_TEXT: &str = "This folder is a pagsearch index. Rebuild it with `pagsearch index --rebuild --index <this folder>`.\n";

/// Whether `dir` holds a pagsearch index, damaged or not: its marker, or
/// (an index written before the marker) a commit whose payload is a
/// pagsearch summary.
pub fn is_index_folder(dir: &Path) -> bool {
    if dir.join(MARKER).is_file() {
        return true;
    }
    let Ok(meta) = std::fs::read(dir.join("meta.json")) else {
        return false;
    };
    let payload = serde_json::from_slice::<serde_json::Value>(&meta)
        .ok()
        .and_then(|meta| meta.get("payload")?.as_str().map(str::to_string));
    payload
        .and_then(|payload| serde_json::from_str::<serde_json::Value>(&payload).ok())
        .is_some_and(|summary| {
            summary.get("version").is_some() && summary.get("generation").is_some()
        })
}

/// Memory budget of the tantivy writer (shared by its threads).
const WRITER_BUDGET: usize = 128 << 20;

/// A writer lock found taken is tried this many more times, this far apart
/// (see [`Index::open_writer`]): 100 ms in all.
const LOCK_TRIES: u32 = 20;
const LOCK_RETRY_PAUSE: std::time::Duration = std::time::Duration::from_millis(5);

/// A pagsearch index in a directory.
pub struct Index {
    pub(crate) index: tantivy::Index,
    pub(crate) fields: Fields,
    pub(crate) dir: PathBuf,
    /// The commit payload: what searches need besides the paragraphs.
    pub(crate) summary: Summary,
    /// Opened on the first search.
    pub(crate) reader: std::sync::OnceLock<tantivy::IndexReader>,
    /// The taxonomy's synonym groups, analysed on the first search that
    /// needs them.
    pub(crate) synonyms: std::sync::OnceLock<Vec<Vec<crate::query::SynonymEntry>>>,
    /// The taxonomy of the summary, built on the first search.
    taxonomy: std::sync::OnceLock<Taxonomy>,
    /// The reports' names and each file's keys, read on first use.
    keys: std::sync::OnceLock<manifest::KeysTable>,
    /// The segments whose paragraphs run in document order, read on the
    /// first ranked search.
    ordered_segments: std::sync::OnceLock<std::sync::Arc<HashSet<SegmentId>>>,
}

/// What [`Index::update`] did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UpdateSummary {
    /// Files indexed for the first time.
    pub added: usize,
    /// Files whose content changed, re-indexed.
    pub updated: usize,
    /// Files gone from the walked folders, their paragraphs dropped.
    pub removed: usize,
    /// Files left as they were.
    pub unchanged: usize,
    /// Paths not indexed and why (not a report, unreadable, …).
    pub skipped: Vec<(PathBuf, String)>,
    /// Warnings about the content of indexed files.
    pub warnings: Vec<Warning>,
    /// Paragraphs written by this update.
    pub paragraphs_written: usize,
    /// Paragraphs in the index after the update (those searches see).
    pub paragraphs_total: usize,
    /// Files indexed by this update whose meeting and distribution dates
    /// could not be read: they sort last by date.
    pub undated: Vec<String>,
    /// Files under the walked paths that searches do not see, being copies
    /// or earlier versions of a report another file holds.
    pub set_aside: Vec<SetAside>,
    /// Wall-clock seconds.
    pub seconds: f64,
}

impl UpdateSummary {
    /// Indexed files that gave at least one warning.
    pub fn files_with_warnings(&self) -> usize {
        self.warnings
            .iter()
            .map(|w| w.file.as_str())
            .collect::<BTreeSet<_>>()
            .len()
    }
}

/// A report in the index.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DocumentInfo {
    /// Document id ("PAG.8/7").
    pub doc: String,
    /// Source file, as walked.
    pub path: PathBuf,
    /// Paragraph units indexed from it.
    pub paragraphs: usize,
    /// Meeting (or distribution) year.
    pub year: Option<u64>,
}

/// Report files that differ from what the index holds: what
/// [`Index::changes`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Report files the index has never seen.
    pub added: Vec<PathBuf>,
    /// Indexed files whose content changed (or that can no longer be read).
    pub changed: Vec<PathBuf>,
    /// Indexed files that are gone.
    pub removed: Vec<PathBuf>,
    /// Files the index held under the paths checked, before these changes.
    pub indexed: usize,
}

impl Changes {
    /// True when the index is up to date with the paths checked.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

/// Progress of an update, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Files examined so far.
    pub done: usize,
    /// Files to examine.
    pub total: usize,
}

impl Index {
    /// Opens the index in `dir`.
    pub fn open(dir: &Path) -> Result<Index> {
        if !dir.join("meta.json").is_file() {
            return Err(Error::NoIndex {
                dir: dir.to_path_buf(),
            });
        }
        let directory = IndexDirectory::open(dir).map_err(|e| index_error(dir, e))?;
        let index = tantivy::Index::open(directory).map_err(|e| open_error(dir, e))?;
        let (schema, fields) = schema::build();
        if index.schema() != schema {
            return Err(Error::IncompatibleIndex {
                dir: dir.to_path_buf(),
                reason: "different schema".to_string(),
            });
        }
        schema::register_analyzers(&index);
        let (summary, reader) = open_snapshot(&index, dir)?;
        Ok(Index {
            index,
            fields,
            dir: dir.to_path_buf(),
            summary,
            reader: std::sync::OnceLock::from(reader),
            synonyms: std::sync::OnceLock::new(),
            taxonomy: std::sync::OnceLock::new(),
            keys: std::sync::OnceLock::new(),
            ordered_segments: std::sync::OnceLock::new(),
        })
    }

    /// Opens the index in `dir`, creating an empty one (and the directory)
    /// when there is none. `taxonomy` is what a new index tags areas with.
    pub fn open_or_create(dir: &Path, taxonomy: &Taxonomy) -> Result<Index> {
        if dir.join("meta.json").is_file() {
            return Index::open(dir);
        }
        // A folder of other files (a typo, a home folder) is not written
        // into. Hidden files (".gitkeep") do not count.
        let foreign = std::fs::read_dir(dir).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|entry| !entry.file_name().to_string_lossy().starts_with('.'))
        });
        if foreign && !is_index_folder(dir) {
            return Err(Error::NotAnIndex {
                dir: dir.to_path_buf(),
            });
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::IndexNotWritable {
            dir: dir.to_path_buf(),
            reason: e.to_string(),
        })?;
        std::fs::write(dir.join(MARKER), MARKER_TEXT).map_err(|e| Error::IndexNotWritable {
            dir: dir.to_path_buf(),
            reason: e.to_string(),
        })?;
        let (schema, fields) = schema::build();
        // Stored records repeat much (titles, names): zstd over 32 KiB blocks
        // keeps the store small; a hit decompresses one block.
        let settings = tantivy::IndexSettings {
            docstore_compression: tantivy::store::Compressor::Zstd(
                tantivy::store::ZstdCompressor::default(),
            ),
            docstore_blocksize: 32 << 10,
            ..tantivy::IndexSettings::default()
        };
        let index = tantivy::Index::builder()
            .schema(schema)
            .settings(settings)
            .create_in_dir(dir)
            .map_err(|e| index_error(dir, e))?;
        schema::register_analyzers(&index);
        Ok(Index {
            index,
            fields,
            dir: dir.to_path_buf(),
            summary: Summary::new(taxonomy),
            reader: std::sync::OnceLock::new(),
            synonyms: std::sync::OnceLock::new(),
            taxonomy: std::sync::OnceLock::new(),
            keys: std::sync::OnceLock::new(),
            ordered_segments: std::sync::OnceLock::new(),
        })
    }

    /// The directory of the index.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Number of paragraphs in the index.
    pub fn paragraph_count(&self) -> usize {
        self.summary.paragraphs
    }

    /// Number of report files in the index.
    pub fn file_count(&self) -> usize {
        self.summary.files
    }

    /// The reports in the index, in document order.
    pub fn documents(&self) -> Result<Vec<DocumentInfo>> {
        let files = self.files()?;
        let hidden: BTreeSet<&str> = self
            .summary
            .set_aside
            .iter()
            .map(|aside| aside.file.as_str())
            .collect();
        let mut entries: Vec<(&String, &FileEntry)> = files
            .iter()
            .filter(|(path, _)| !hidden.contains(path.as_str()))
            .collect();
        entries.sort_by_key(|(_, entry)| entry.seq);
        Ok(entries
            .into_iter()
            .map(|(path, entry)| DocumentInfo {
                doc: entry.doc.clone(),
                path: PathBuf::from(path),
                paragraphs: entry.units,
                year: entry.year,
            })
            .collect())
    }

    /// Everyone named in the indexed reports, once each (the first
    /// organisation given wins), sorted by name.
    pub fn people(&self) -> &[crate::report::Person] {
        &self.summary.people
    }

    /// The taxonomy the index's areas were tagged with.
    pub fn taxonomy(&self) -> Result<Taxonomy> {
        self.taxonomy_ref().cloned()
    }

    /// The taxonomy the index's areas were tagged with, built once.
    pub(crate) fn taxonomy_ref(&self) -> Result<&Taxonomy> {
        if let Some(taxonomy) = self.taxonomy.get() {
            return Ok(taxonomy);
        }
        let built = Taxonomy::new(self.summary.areas.clone(), Path::new("<index>"))?
            .with_synonyms(self.summary.synonyms.clone());
        Ok(self.taxonomy.get_or_init(|| built))
    }

    pub(crate) fn files(&self) -> Result<FileMap> {
        // The summary's version was checked when the index opened: a file
        // map that does not read is damaged, not another version's.
        manifest::read_files(&self.dir, &self.summary).map_err(|e| Error::DamagedIndex {
            dir: self.dir.clone(),
            detail: format!("{}: {e}", self.summary.files_name()),
        })
    }

    /// The reports' ids (sorted) and each file's keys by sequence number:
    /// in memory in the process that wrote them, else read from the keys
    /// table once.
    pub(crate) fn keys(&self) -> Result<(&[String], &[manifest::SeqKeys])> {
        if !self.summary.docs.is_empty() || self.summary.paragraphs == 0 {
            return Ok((&self.summary.docs, &self.summary.by_seq));
        }
        let table = match self.keys.get() {
            Some(table) => table,
            None => {
                let table = manifest::read_keys(&self.dir, &self.summary).map_err(|e| {
                    Error::DamagedIndex {
                        dir: self.dir.clone(),
                        detail: format!(
                            "the keys table of generation {}: {e}",
                            self.summary.generation
                        ),
                    }
                })?;
                self.keys.get_or_init(|| table)
            }
        };
        Ok((&table.docs, &table.by_seq))
    }

    /// The report files under `paths` (walked as [`Index::update`] walks
    /// them) added, changed or removed since the index was last updated.
    /// A file whose size and modification time are those recorded is taken
    /// as unchanged without being read; any other is read and its content
    /// hash compared, so a file touched but not edited is unchanged. Files
    /// an update skipped (empty, binary, scanned) are not new until they
    /// change.
    pub fn changes(&self, paths: &[PathBuf]) -> Result<Changes> {
        // What the check needs of each file, not its people and acronyms.
        #[derive(serde::Deserialize)]
        struct Recorded {
            hash: String,
            #[serde(default)]
            size: u64,
            #[serde(default)]
            mtime: u64,
        }
        let files: std::collections::BTreeMap<String, Recorded> =
            manifest::read_files(&self.dir, &self.summary).map_err(|e| {
                Error::IncompatibleIndex {
                    dir: self.dir.clone(),
                    reason: format!("unreadable file map {}: {e}", self.summary.files_name()),
                }
            })?;
        let mut changes = Changes {
            indexed: files.keys().filter(|key| under_any(key, paths)).count(),
            ..Changes::default()
        };
        let candidates = walk(paths, &mut Vec::new());
        for candidate in &candidates {
            let stamp = std::fs::metadata(&candidate.path)
                .ok()
                .map(|m| file_stamp(&m));
            match files.get(&candidate.key) {
                Some(entry) => {
                    if entry.mtime != 0 && stamp == Some((entry.size, entry.mtime)) {
                        continue;
                    }
                    let same = std::fs::read(&candidate.path)
                        .is_ok_and(|bytes| content_hash(&bytes) == entry.hash);
                    if !same {
                        changes.changed.push(candidate.path.clone());
                    }
                }
                None => {
                    if stamp.is_none() || self.summary.skipped.get(&candidate.key) != stamp.as_ref()
                    {
                        changes.added.push(candidate.path.clone());
                    }
                }
            }
        }
        let seen: BTreeSet<&str> = candidates.iter().map(|c| c.key.as_str()).collect();
        changes.removed = files
            .keys()
            .filter(|key| !seen.contains(key.as_str()) && under_any(key, paths))
            .map(PathBuf::from)
            .collect();
        Ok(changes)
    }

    /// Brings the index up to date with the report files under `paths`
    /// (files or folders, walked recursively without following symlinks).
    /// With `rebuild`, everything is re-indexed from scratch (tagged with
    /// `taxonomy`); otherwise the index's own taxonomy is used.
    pub fn update(
        &mut self,
        paths: &[PathBuf],
        taxonomy: &Taxonomy,
        rebuild: bool,
        progress: &dyn Fn(Progress),
    ) -> Result<UpdateSummary> {
        let started = Instant::now();
        let mut writer = self.open_writer()?;
        // Files an earlier run wrote and never committed (it failed: a full
        // disk, a kill) go first, so that they cannot make this run fail too.
        writer
            .garbage_collect_files()
            .wait()
            .map_err(|e| index_error(&self.dir, e))?;
        // No merges while the run writes: a merge still running after a
        // failure would write files after they were cleaned up. Segments are
        // merged after the commit instead (see `write_update`).
        writer.set_merge_policy(Box::new(NoMergePolicy));
        let error = match self.write_update(&mut writer, paths, taxonomy, rebuild, progress) {
            Ok((summary, summary_next)) => {
                return self.finish_update(writer, summary, summary_next, paths, started);
            }
            Err(error) => error,
        };
        // A failed run: whether the disk is full is asked of the disk
        // itself (the engine's own error may only say that a thread
        // failed), before the run's files are removed, which frees it.
        let full = disk_is_full(&self.dir);
        // Dropping the writer joins its indexing threads, but a commit that
        // failed has already let go of those it had not joined when the
        // first failure came back: they finish the segment they hold,
        // writing its files, and only then can the run's files be removed
        // for good. With no merges, nothing else of this run writes.
        drop(writer);
        wait_for_indexing_threads();
        if let Ok(writer) = self.index.writer::<TantivyDocument>(WRITER_BUDGET) {
            let _ = writer.garbage_collect_files().wait();
        }
        // And the file map it wrote for a commit that did not happen.
        manifest::remove_stale_files(&self.dir, &self.summary);
        if !full {
            return Err(error);
        }
        // What the reports to add would need, and what the disk has.
        let adding = self.changes(paths).ok().map(|changes| {
            changes
                .added
                .iter()
                .chain(&changes.changed)
                .filter_map(|path| std::fs::metadata(path).ok())
                .map(|meta| meta.len())
                .sum::<u64>()
        });
        Err(Error::DiskFull {
            dir: self.dir.clone(),
            space: SpaceNeeded {
                free: fs4::available_space(&self.dir).ok(),
                adding: adding.filter(|&bytes| bytes > 0),
            },
        })
    }

    /// [`Index::update`], without the cleaning up after a failure.
    fn write_update(
        &mut self,
        writer: &mut IndexWriter<Counted>,
        paths: &[PathBuf],
        taxonomy: &Taxonomy,
        rebuild: bool,
        progress: &dyn Fn(Progress),
    ) -> Result<(UpdateSummary, Summary)> {
        let mut summary = UpdateSummary::default();
        let mut summary_next = self.summary.clone();
        let mut files = if rebuild {
            FileMap::new()
        } else {
            self.files()?
        };
        let taxonomy = if rebuild {
            writer
                .delete_all_documents()
                .map_err(|e| index_error(&self.dir, e))?;
            summary_next = Summary {
                generation: self.summary.generation,
                ..Summary::new(taxonomy)
            };
            taxonomy.clone()
        } else {
            self.taxonomy()?
        };

        let candidates = walk(paths, &mut summary.skipped);
        // Files under the walked roots that are gone lose their paragraphs.
        let seen: BTreeSet<&str> = candidates.iter().map(|c| c.key.as_str()).collect();
        let gone: Vec<String> = files
            .keys()
            .filter(|key| !seen.contains(key.as_str()) && under_any(key, paths))
            .cloned()
            .collect();
        for key in gone {
            writer.delete_term(Term::from_field_text(self.fields.path, &key));
            files.remove(&key);
            summary.removed += 1;
        }
        summary_next
            .skipped
            .retain(|key, _| seen.contains(key.as_str()) || !under_any(key, paths));

        // Parse on every core while tantivy's threads index. What is on its
        // way to tantivy is bounded in bytes (see `flow`): the reports a
        // worker holds or sends, and the documents tantivy has queued.
        let total = candidates.len();
        // The next file to parse. Files are taken, and their bytes counted,
        // in this order under one lock, and the writer adds them in the same
        // order: it never waits for a file whose worker waits for bytes a
        // later file holds.
        let next = Mutex::new(0usize);
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
        let (sender, receiver) = mpsc::sync_channel::<(usize, usize, Parsed)>(workers * 2);
        let reports_in_flight = Gauge::new(flow::REPORT_BYTES_IN_FLIGHT);
        // Files taken and not yet added, counted too: a worker that runs
        // ahead of one parsing a slow file waits rather than piling up
        // parsed reports the writer cannot add yet.
        let reports_ahead = Gauge::new(3 * workers);
        let documents_in_flight = std::sync::Arc::new(Gauge::new(flow::DOCUMENT_BYTES_IN_FLIGHT));
        // A new file's place in document order follows the walk (sorted),
        // not which worker finishes first: the same folder indexes the same
        // way every time, ties in ranking included.
        let first_seq = summary_next.next_seq;
        let fields = self.fields;
        // Content hashes of the indexed files, for the workers to compare.
        let known: std::collections::HashMap<String, String> = files
            .iter()
            .map(|(key, entry)| (key.clone(), entry.hash.clone()))
            .collect();
        let known = &known;
        std::thread::scope(|scope| -> Result<()> {
            let (reports_in_flight, reports_ahead) = (&reports_in_flight, &reports_ahead);
            for _ in 0..workers {
                let sender = sender.clone();
                let (next, candidates, taxonomy) = (&next, &candidates, &taxonomy);
                scope.spawn(move || {
                    let _stop_all = (CloseOnPanic(reports_in_flight), CloseOnPanic(reports_ahead));
                    loop {
                        let mut turn = next.lock().unwrap_or_else(PoisonError::into_inner);
                        let i = *turn;
                        let Some(candidate) = candidates.get(i) else {
                            break;
                        };
                        *turn += 1;
                        if !reports_ahead.acquire(1) {
                            break;
                        }
                        // Looked at before it is read: a change while it is
                        // read leaves the older time recorded, and the next
                        // check reads it again.
                        let stamp = std::fs::metadata(&candidate.path)
                            .ok()
                            .map(|m| file_stamp(&m));
                        let size = stamp.map_or(0, |(size, _)| size);
                        let size = usize::try_from(size).unwrap_or(usize::MAX);
                        if !reports_in_flight.acquire(size) {
                            break;
                        }
                        drop(turn);
                        let parsed = parse_candidate(candidate, stamp, known, taxonomy, &fields);
                        if sender.send((i, size, parsed)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(sender);
            // However this loop ends, no worker is left waiting.
            let _close = (CloseOnDrop(reports_in_flight), CloseOnDrop(reports_ahead));
            let add = |position: usize, seq: u64, mut doc: TantivyDocument| -> Result<()> {
                doc.add_u64(fields.order, schema::order(seq, position));
                writer
                    .add_document(Counted::new(doc, &documents_in_flight))
                    .map_err(|e| index_error(&self.dir, e))?;
                Ok(())
            };
            // Reports in file order (the order of `order`): each of
            // tantivy's segments then holds its paragraphs in document
            // order, which ranking uses (see `ordered_segments`). One that
            // arrives early waits here; its bytes stay counted.
            let mut early: std::collections::BTreeMap<usize, (usize, Parsed)> =
                std::collections::BTreeMap::new();
            let mut in_order = 0;
            let mut done = 0;
            let mut arrivals = receiver.into_iter();
            loop {
                let (i, size, parsed) = match early.remove(&in_order) {
                    Some((size, parsed)) => (in_order, size, parsed),
                    None => match arrivals.next() {
                        Some((i, size, parsed)) if i != in_order => {
                            early.insert(i, (size, parsed));
                            continue;
                        }
                        Some(arrived) => arrived,
                        // All sent. Reports left waiting mean a worker died
                        // before sending the one they wait for: the update
                        // fails with its panic.
                        None => break,
                    },
                };
                in_order = i + 1;
                done += 1;
                progress(Progress { done, total });
                match parsed {
                    Parsed::Unchanged { key, stamp } => {
                        // Touched but not edited: the new time saves reading
                        // it again.
                        if let Some(entry) = files.get_mut(&key) {
                            (entry.size, entry.mtime) = stamp;
                        }
                        summary.unchanged += 1;
                    }
                    Parsed::Skipped {
                        key,
                        path,
                        reason,
                        stamp,
                    } => {
                        match stamp {
                            Some(stamp) => summary_next.skipped.insert(key.clone(), stamp),
                            None => summary_next.skipped.remove(&key),
                        };
                        if files.remove(&key).is_some() {
                            writer.delete_term(Term::from_field_text(self.fields.path, &key));
                            summary.removed += 1;
                        }
                        summary.skipped.push((path, reason));
                    }
                    Parsed::Report(report) => {
                        summary_next.skipped.remove(&report.key);
                        let entry = files.get(&report.key);
                        if entry.is_some() {
                            writer
                                .delete_term(Term::from_field_text(self.fields.path, &report.key));
                            summary.updated += 1;
                        } else {
                            summary.added += 1;
                        }
                        let seq = match entry {
                            Some(old) if !rebuild => old.seq,
                            _ => {
                                let seq = first_seq + i as u64 + 1;
                                summary_next.next_seq = summary_next.next_seq.max(seq);
                                seq
                            }
                        };
                        summary.paragraphs_written += report.entry.units;
                        match report.documents {
                            Documents::Made(documents) => {
                                for (position, doc) in documents.into_iter().enumerate() {
                                    add(position, seq, doc)?;
                                }
                            }
                            Documents::ToMake { mut parsed, stem } => {
                                // Each paragraph's text goes as its document
                                // is made.
                                let units = std::mem::take(&mut parsed.units);
                                let mut handed = 0;
                                for (position, unit) in units.into_iter().enumerate() {
                                    let doc = schema::document(
                                        &fields,
                                        &parsed,
                                        &unit,
                                        &report.key,
                                        &stem,
                                    );
                                    handed += unit.text.len();
                                    drop(unit);
                                    add(position, seq, doc)?;
                                    if handed >= flow::DOCUMENT_BYTES_IN_FLIGHT {
                                        flow::give_back_freed_memory();
                                        handed = 0;
                                    }
                                }
                            }
                        }
                        summary.warnings.extend(report.warnings);
                        // Dated when its keys hold a meeting or distribution date.
                        let dated = report.entry.keys.as_ref().is_some_and(|k| k.date.is_some());
                        if !dated {
                            summary.undated.push(report.key.clone());
                        }
                        let entry = FileEntry {
                            seq,
                            ..report.entry
                        };
                        files.insert(report.key, entry);
                    }
                }
                reports_in_flight.release(size);
                reports_ahead.release(1);
            }
            Ok(())
        })?;

        // The new file map first, then the commit that names it.
        summary_next.generation += 1;
        summary_next.describe(&files);
        manifest::write_files(&self.dir, &summary_next, &files)
            .map_err(|e| index_error(&self.dir, e))?;
        manifest::write_keys(&self.dir, &summary_next).map_err(|e| index_error(&self.dir, e))?;
        let payload = manifest::payload_of(&summary_next).map_err(|e| index_error(&self.dir, e))?;
        // Merging resumes with the commit: tantivy considers the committed
        // segments for merges once it is durable.
        writer.set_merge_policy(Box::new(flow::BoundedMerges::in_document_order(
            self.index.clone(),
        )));
        let mut commit = writer
            .prepare_commit()
            .map_err(|e| index_error(&self.dir, e))?;
        commit.set_payload(&payload);
        commit.commit().map_err(|e| index_error(&self.dir, e))?;
        Ok((summary, summary_next))
    }

    /// After the commit of [`Index::write_update`]: the merges, the old
    /// file maps, and what searches and the caller are told.
    fn finish_update(
        &mut self,
        writer: IndexWriter<Counted>,
        mut summary: UpdateSummary,
        summary_next: Summary,
        paths: &[PathBuf],
        started: Instant,
    ) -> Result<UpdateSummary> {
        // A merge that fails (a disk full by then) leaves the committed
        // segments as they were, unmerged, which is a sound index: the files
        // it wrote are removed, and the update stands.
        if writer.wait_merging_threads().is_err()
            && let Ok(writer) = self.index.writer::<TantivyDocument>(WRITER_BUDGET)
        {
            let _ = writer.garbage_collect_files().wait();
        }
        manifest::remove_stale_files(&self.dir, &summary_next);
        // Best effort: without the list, ranking reads more.
        if let Ok(ordered) = ordered_segments(&self.index) {
            let _ = manifest::write_ordered_segments(&self.dir, &ordered);
        }
        // A marker lost since the index was made is written again: it is
        // what lets `--rebuild` clear the folder once meta.json is gone.
        if !self.dir.join(MARKER).is_file() {
            let _ = std::fs::write(self.dir.join(MARKER), MARKER_TEXT);
        }
        self.summary = summary_next;
        // Searches after the update see the new commit.
        self.reader = std::sync::OnceLock::new();
        self.synonyms = std::sync::OnceLock::new();
        self.taxonomy = std::sync::OnceLock::new();
        self.keys = std::sync::OnceLock::new();
        self.ordered_segments = std::sync::OnceLock::new();
        summary.paragraphs_total = self.summary.paragraphs;
        summary.set_aside = self
            .summary
            .set_aside
            .iter()
            .filter(|aside| under_any(&aside.file, paths))
            .cloned()
            .collect();
        summary.skipped.sort();
        summary.undated.sort();
        // Files in path order, each file's warnings in line order.
        summary.warnings.sort_by(|a, b| a.file.cmp(&b.file));
        summary.seconds = started.elapsed().as_secs_f64();
        Ok(summary)
    }

    /// The segments whose paragraphs run in document order (see
    /// [`ordered_segments`]), as the last update listed them.
    pub(crate) fn ordered_segments(&self) -> std::sync::Arc<HashSet<SegmentId>> {
        self.ordered_segments
            .get_or_init(|| std::sync::Arc::new(manifest::read_ordered_segments(&self.dir)))
            .clone()
    }

    /// The index writer, which holds the folder's writer lock.
    ///
    /// A lock found taken is tried again for a moment before the index is
    /// called busy: a process that another thread of this program starts
    /// holds an inherited copy of the lock file until it runs its own
    /// program, so a lock just released can look taken for that long (a
    /// thread starting processes in a loop made 2,747 of 3,000 immediate
    /// reopenings fail). Another `pagsearch index` holds it far longer.
    fn open_writer(&self) -> Result<IndexWriter<Counted>> {
        let mut tries = 0;
        loop {
            match self.index.writer(WRITER_BUDGET) {
                Ok(writer) => return Ok(writer),
                Err(TantivyError::LockFailure(LockError::LockBusy, _)) if tries < LOCK_TRIES => {
                    tries += 1;
                    std::thread::sleep(LOCK_RETRY_PAUSE);
                }
                Err(error) => return Err(self.writer_error(error)),
            }
        }
    }

    fn writer_error(&self, error: TantivyError) -> Error {
        match error {
            TantivyError::LockFailure(LockError::LockBusy, _) => Error::IndexBusy {
                dir: self.dir.clone(),
            },
            TantivyError::LockFailure(LockError::IoError(io), _)
                if matches!(
                    io.kind(),
                    std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
                ) =>
            {
                Error::IndexNotWritable {
                    dir: self.dir.clone(),
                    reason: io.to_string(),
                }
            }
            other => index_error(&self.dir, other),
        }
    }
}

/// A report file found by the walk.
struct Candidate {
    path: PathBuf,
    /// The path as stored in the index.
    key: String,
}

/// What a worker made of a candidate.
enum Parsed {
    /// The content indexed, with the file's size and modification time now.
    Unchanged {
        key: String,
        stamp: (u64, u64),
    },
    /// Not indexed: unreadable, vanished, or nothing in it to search. Any
    /// paragraphs it had in the index are dropped.
    Skipped {
        key: String,
        path: PathBuf,
        reason: String,
        /// Size and modification time, when the file could be looked at.
        stamp: Option<(u64, u64)>,
    },
    Report(Box<ParsedReport>),
}

struct ParsedReport {
    key: String,
    entry: FileEntry,
    documents: Documents,
    warnings: Vec<Warning>,
}

/// Unit text above which a report's documents are made by the writer, one
/// at a time as it hands them to tantivy, rather than all at once by the
/// worker that parsed it: a large report is then held about once, as its
/// units, instead of as units and documents (each document holds the text
/// twice, indexed and in the stored record).
const MADE_BY_WORKER_BYTES: usize = 4 << 20;

/// A parsed report's documents, in unit order.
enum Documents {
    /// Made by the worker.
    Made(Vec<TantivyDocument>),
    /// To be made from the report's units, with the file stem it is known by.
    ToMake {
        parsed: Box<report::Report>,
        stem: String,
    },
}

/// Reads and parses `candidate`, whose size and modification time were
/// `stamp` just before.
fn parse_candidate(
    candidate: &Candidate,
    stamp: Option<(u64, u64)>,
    known: &std::collections::HashMap<String, String>,
    taxonomy: &Taxonomy,
    fields: &Fields,
) -> Parsed {
    let skip = |reason: String| Parsed::Skipped {
        key: candidate.key.clone(),
        path: candidate.path.clone(),
        reason,
        stamp,
    };
    let bytes = match std::fs::read(&candidate.path) {
        Ok(bytes) => bytes,
        Err(e) => return skip(unreadable_reason(&e)),
    };
    // A time so recent that the file could still change within it, unseen
    // (file systems keep times to a tick, some to 1 or 2 s), is not kept.
    let (size, mtime) = stamp.unwrap_or((0, 0));
    let now = file_time(std::time::SystemTime::now());
    let mtime = if mtime.saturating_add(RECENT_NANOS) > now {
        0
    } else {
        mtime
    };
    let hash = content_hash(&bytes);
    if known
        .get(&candidate.key)
        .is_some_and(|known_hash| *known_hash == hash)
    {
        return Parsed::Unchanged {
            key: candidate.key.clone(),
            stamp: (size, mtime),
        };
    }
    let mut report = report::parse_owned(&candidate.key, bytes, taxonomy);
    if report.units.is_empty() {
        // Empty, blank or binary: the parser said why.
        let why: Vec<&str> = report.warnings.iter().map(|w| w.message.as_str()).collect();
        return skip(if why.is_empty() {
            "no paragraphs found".to_string()
        } else {
            why.join("; ")
        });
    }
    let stem = candidate
        .path
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let entry = FileEntry {
        hash,
        seq: 0,
        doc: report.meta.id.clone(),
        units: report.units.len(),
        year: report.meta.year(),
        acronyms: report.acronyms.clone(),
        people: report.people.clone(),
        from_symbol: report.meta.symbol.is_some(),
        distributed: report
            .meta
            .distribution_date
            .clone()
            .or_else(|| report.meta.meeting_date.clone()),
        fingerprint: duplicates::fingerprint(&report),
        size,
        mtime,
        keys: Some(manifest::FileKeys::of(&report.meta)),
    };
    let warnings = std::mem::take(&mut report.warnings);
    let text_bytes: usize = report.units.iter().map(|unit| unit.text.len()).sum();
    let documents = if text_bytes <= MADE_BY_WORKER_BYTES {
        Documents::Made(
            report
                .units
                .iter()
                .map(|unit| schema::document(fields, &report, unit, &candidate.key, &stem))
                .collect(),
        )
    } else {
        // Its lines are gone; its units are what is left of it.
        flow::give_back_freed_memory();
        Documents::ToMake {
            parsed: Box::new(report),
            stem,
        }
    };
    Parsed::Report(Box::new(ParsedReport {
        key: candidate.key.clone(),
        entry,
        documents,
        warnings,
    }))
}

/// Modification times closer to the present than this are not recorded.
const RECENT_NANOS: u64 = 3_000_000_000;

/// A file's size and modification time (nanoseconds since 1970, 0 if
/// unknown), as recorded in the file map.
fn file_stamp(metadata: &std::fs::Metadata) -> (u64, u64) {
    let mtime = metadata.modified().map_or(0, file_time);
    (metadata.len(), mtime)
}

/// Nanoseconds since 1970 (0 before, or past the year 2554).
fn file_time(time: std::time::SystemTime) -> u64 {
    time.duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| u64::try_from(d.as_nanos()).ok())
        .unwrap_or(0)
}

/// Why a walked file could not be read, in a few words.
fn unreadable_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "vanished while indexing".to_string(),
        std::io::ErrorKind::PermissionDenied => "no permission to read it".to_string(),
        _ => format!("unreadable: {error}"),
    }
}

/// Report files under `paths`, sorted, without duplicates. Symbolic links
/// are followed; a link that loops back to a folder above it, or leads
/// nowhere, is skipped with a note.
fn walk(paths: &[PathBuf], skipped: &mut Vec<(PathBuf, String)>) -> Vec<Candidate> {
    let mut found = BTreeSet::new();
    for root in paths {
        if !root.exists() {
            skipped.push((root.clone(), "no such file or folder".to_string()));
            continue;
        }
        for entry in walkdir::WalkDir::new(root).follow_links(true) {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    let path = e.path().map_or_else(|| root.clone(), Path::to_path_buf);
                    let reason = match (e.loop_ancestor(), e.io_error()) {
                        (Some(ancestor), _) => {
                            format!("symbolic link loop back to {}", ancestor.display())
                        }
                        (None, Some(io))
                            if io.kind() == std::io::ErrorKind::NotFound && path.is_symlink() =>
                        {
                            "symbolic link to nothing".to_string()
                        }
                        (None, Some(io)) => unreadable_reason(io),
                        (None, None) => e.to_string(),
                    };
                    skipped.push((path, reason));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry.into_path();
            let is_report = path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| REPORT_EXTENSIONS.iter().any(|r| e.eq_ignore_ascii_case(r)));
            if is_report {
                found.insert(path);
            } else {
                skipped.push((path, "not a report (.md, .txt or .pdf)".to_string()));
            }
        }
    }
    found
        .into_iter()
        .map(|path| Candidate {
            key: path.to_string_lossy().into_owned(),
            path,
        })
        .collect()
}

/// True when the stored path `key` lies under one of the walked roots.
fn under_any(key: &str, roots: &[PathBuf]) -> bool {
    let path = Path::new(key);
    roots.iter().any(|root| path.starts_with(root))
}

/// The summary and a reader of one and the same commit. A writer may commit
/// between the reading of `meta.json` for the summary and the opening of the
/// segments; then both are read again, so that a search never mixes two
/// commits and answers from the last one.
fn open_snapshot(index: &tantivy::Index, dir: &Path) -> Result<(Summary, IndexReader)> {
    const ATTEMPTS: usize = 20;
    for _ in 0..ATTEMPTS {
        let metas = index.load_metas().map_err(|e| open_error(dir, e))?;
        let reader = open_reader(index, dir)?;
        let mut committed: Vec<(SegmentId, u32)> = metas
            .segments
            .iter()
            .map(|segment| (segment.id(), segment.num_deleted_docs()))
            .collect();
        let mut opened: Vec<(SegmentId, u32)> = reader
            .searcher()
            .segment_readers()
            .iter()
            .map(|segment| (segment.segment_id(), segment.num_deleted_docs()))
            .collect();
        committed.sort();
        opened.sort();
        if committed == opened {
            return Ok((read_summary(metas.payload, dir)?, reader));
        }
    }
    Err(index_error(
        dir,
        "the index kept changing while it was being opened",
    ))
}

/// A reader of the index's last commit, reloaded only by reopening.
/// The searchable segments whose paragraphs run in document order: `order`
/// rises with the document id. Ranking breaks a tie there by the id, without
/// reading `order`. A new segment is in order, as reports reach tantivy in
/// file order; one merged from segments whose reports interleave, or one
/// holding an edited report (which keeps its place), is not.
fn ordered_segments(index: &tantivy::Index) -> tantivy::Result<Vec<SegmentId>> {
    let mut ordered = Vec::new();
    for segment in index.searchable_segments()? {
        if in_document_order(&tantivy::SegmentReader::open(&segment)?)? {
            ordered.push(segment.id());
        }
    }
    Ok(ordered)
}

/// Whether `order` rises with the document id in the segment of `reader`.
pub(crate) fn in_document_order(reader: &tantivy::SegmentReader) -> tantivy::Result<bool> {
    let order = schema::order_column(reader)?;
    let mut values = vec![0u64; reader.max_doc() as usize];
    order.get_range(0, &mut values);
    Ok(values.windows(2).all(|pair| pair[0] < pair[1]))
}

pub(crate) fn open_reader(index: &tantivy::Index, dir: &Path) -> Result<IndexReader> {
    index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()
        .map_err(|e: TantivyError| open_error(dir, e))
}

pub(crate) fn read_summary(payload: Option<String>, dir: &Path) -> Result<Summary> {
    let Some(payload) = payload else {
        return Err(Error::IncompatibleIndex {
            dir: dir.to_path_buf(),
            reason: "no summary".to_string(),
        });
    };
    // Check the version before the layout it promises.
    #[derive(serde::Deserialize)]
    struct Versioned {
        version: u32,
    }
    let version = serde_json::from_str::<Versioned>(&payload).map_or(0, |v| v.version);
    if version != SCHEMA_VERSION {
        return Err(Error::IncompatibleIndex {
            dir: dir.to_path_buf(),
            reason: format!("index version {version}, this pagsearch writes {SCHEMA_VERSION}"),
        });
    }
    serde_json::from_str(&payload).map_err(|e| Error::IncompatibleIndex {
        dir: dir.to_path_buf(),
        reason: format!("unreadable summary: {e}"),
    })
}

/// Waits, at most a minute, until no indexing thread of tantivy runs in
/// this process (they are named `thrd-tantivy-index…`; Linux lists threads
/// and their names under `/proc/self/task`, elsewhere this returns at
/// once). Only a failed update waits here; another index being written by
/// the same process makes it wait for that one too.
fn wait_for_indexing_threads() {
    let running = || {
        std::fs::read_dir("/proc/self/task").is_ok_and(|tasks| {
            tasks.flatten().any(|task| {
                std::fs::read_to_string(task.path().join("comm"))
                    .is_ok_and(|name| name.starts_with("thrd-tantivy-in"))
            })
        })
    };
    let deadline = Instant::now() + std::time::Duration::from_secs(60);
    while running() && Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// Whether the disk holding `dir` has no room for another megabyte: a
/// probe file is written and removed.
fn disk_is_full(dir: &Path) -> bool {
    let probe = dir.join(".pagsearch-space-probe");
    let written = std::fs::write(&probe, vec![0u8; 1 << 20]);
    let _ = std::fs::remove_file(&probe);
    matches!(written, Err(e) if e.kind() == std::io::ErrorKind::StorageFull
        || e.raw_os_error() == Some(28))
}

/// An error of tantivy's while opening the index: damage (a corrupted or
/// truncated file) says so, with the fix.
fn open_error(dir: &Path, error: TantivyError) -> Error {
    index_error(dir, error)
}

/// The damage a tantivy error shows, if any: corrupted or truncated data, a
/// file missing.
fn damage(dir: &Path, error: &TantivyError) -> Option<Error> {
    let detail = match error {
        // Its Debug form names the file: "Data corruption (in file …): …".
        TantivyError::DataCorruption(corruption) => format!("{corruption:?}"),
        TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath }) => {
            format!("{}: {io_error}", filepath.display())
        }
        TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(file)) => {
            format!("{} is missing", file.display())
        }
        // A stored paragraph that does not deserialize.
        TantivyError::DeserializeError(error) => format!("the stored paragraphs (.store): {error}"),
        // Data that does not decode: tantivy says InvalidData or
        // UnexpectedEof, zstd's errors on the stored paragraphs come as
        // Other ("Data corruption detected", "Destination buffer is too
        // small").
        TantivyError::IoError(io)
            if matches!(
                io.kind(),
                std::io::ErrorKind::InvalidData
                    | std::io::ErrorKind::UnexpectedEof
                    | std::io::ErrorKind::Other
            ) =>
        {
            format!("data that does not decode: {io}")
        }
        _ => return None,
    };
    Some(Error::DamagedIndex {
        dir: dir.to_path_buf(),
        detail,
    })
}

/// An error of the engine (or of what the index stage reads and writes
/// beside it): a tantivy error that shows damage is [`Error::DamagedIndex`],
/// with the fix, wherever it comes up: opening, searching, updating,
/// committing.
pub(crate) fn index_error(dir: &Path, error: impl std::fmt::Display + 'static) -> Error {
    let any: &dyn std::any::Any = &error;
    if let Some(engine) = any.downcast_ref::<TantivyError>()
        && let Some(damage) = damage(dir, engine)
    {
        return damage;
    }
    Error::Index {
        dir: dir.to_path_buf(),
        message: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The writer lock taken again right after it was let go, while another
    /// thread starts processes: a child's inherited copy of the lock file
    /// does not make the index look busy.
    #[test]
    fn the_writer_lock_is_not_busy_because_the_program_starts_processes() {
        let dir = tempfile::tempdir().unwrap();
        let index = Index::open_or_create(dir.path(), &Taxonomy::builtin()).unwrap();
        let stop = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let _ = std::process::Command::new("true").status();
                }
            });
            let outcome = (0..300).try_for_each(|_| index.open_writer().map(drop));
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            outcome.unwrap();
        });
    }

    /// Reports reach tantivy in file order, whichever worker parses faster:
    /// every segment holds its paragraphs in document order, and the update
    /// lists them all for ranking.
    #[test]
    fn segments_hold_paragraphs_in_document_order_and_are_listed() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir(&corpus).unwrap();
        // Reports of very different sizes, so that the workers finish out of
        // turn.
        let sources = [
            "corpus/pag8-report.md",
            "tests/fixtures/delegations-report.md",
            "tests/fixtures/reports/cop-report.md",
            "tests/fixtures/reports/oewg-report.txt",
            "tests/fixtures/reports/pag14-report.md",
        ];
        for copy in 0..8 {
            for (i, source) in sources.iter().enumerate() {
                let text = std::fs::read_to_string(root.join(source)).unwrap();
                let name = format!("r{copy}-{i}.{}", source.rsplit('.').next().unwrap());
                std::fs::write(corpus.join(name), format!("{text}\n\nCopy {copy}.\n")).unwrap();
            }
        }
        let taxonomy = Taxonomy::builtin();
        let mut index = Index::open_or_create(&dir.path().join("index"), &taxonomy).unwrap();
        index.update(&[corpus], &taxonomy, false, &|_| {}).unwrap();

        let searcher = open_reader(&index.index, &index.dir).unwrap().searcher();
        assert!(searcher.num_docs() > 1_000);
        let listed = index.ordered_segments();
        for segment in searcher.segment_readers() {
            let order = segment
                .fast_fields()
                .u64("order")
                .unwrap()
                .first_or_default_col(0);
            let values: Vec<u64> = (0..segment.max_doc())
                .map(|doc| order.get_val(doc))
                .collect();
            assert!(values.windows(2).all(|pair| pair[0] < pair[1]));
            assert!(listed.contains(&segment.segment_id()));
        }
        assert_eq!(listed.len(), searcher.segment_readers().len());
    }
}
