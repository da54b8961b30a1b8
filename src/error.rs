//! The library's error type. Every fallible public function returns
//! [`Result<T>`](Result); the CLI adds context at the edge.

use std::path::PathBuf;

/// Errors the library reports to its caller.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read.
    #[error("cannot read {path}")]
    Read {
        /// The file that failed.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// A partnership-area taxonomy file is malformed.
    #[error("invalid taxonomy {path}: {reason}")]
    Taxonomy {
        /// The taxonomy file (`<built-in>` for the default one).
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// No index exists in the directory.
    #[error("no index in {dir}: build one with `pagsearch index --index {dir} PATH…`")]
    NoIndex {
        /// The index directory.
        dir: PathBuf,
    },
    /// The index exists but holds no paragraphs.
    #[error(
        "the index in {dir} holds no paragraphs yet: add reports with `pagsearch index --index {dir} PATH…`"
    )]
    EmptyIndex {
        /// The index directory.
        dir: PathBuf,
    },
    /// The index folder may not be written (read-only mount, permissions).
    #[error("cannot write the index in {dir}: {reason}")]
    IndexNotWritable {
        /// The index directory.
        dir: PathBuf,
        /// What the system said.
        reason: String,
    },
    /// Another process holds the index's writer lock.
    #[error(
        "the index in {dir} is being written by another process; try again when it has finished"
    )]
    IndexBusy {
        /// The index directory.
        dir: PathBuf,
    },
    /// The index was written by an incompatible version of pagsearch.
    #[error(
        "the index in {dir} was written by an incompatible version of pagsearch ({reason}); run `pagsearch index --rebuild`"
    )]
    IncompatibleIndex {
        /// The index directory.
        dir: PathBuf,
        /// What does not match.
        reason: String,
    },
    /// The index folder holds other files and no pagsearch index: nothing
    /// is written into it.
    #[error(
        "{dir} holds other files and is not a pagsearch index; nothing was written: give an empty or new folder to --index"
    )]
    NotAnIndex {
        /// The folder given.
        dir: PathBuf,
    },
    /// The disk filled up during an update.
    #[error(
        "the disk holding {dir} is full: the update stopped, the index answers as before and the files this run wrote were removed; {space}"
    )]
    DiskFull {
        /// The index directory.
        dir: PathBuf,
        /// How much room the update needs, as far as it is known.
        space: SpaceNeeded,
    },
    /// A file of the index is damaged (truncated, overwritten, unreadable).
    #[error(
        "the index in {dir} is damaged ({detail}); run `pagsearch index --rebuild --index {dir}` to build it again from the reports"
    )]
    DamagedIndex {
        /// The index directory.
        dir: PathBuf,
        /// What is damaged, in the engine's words (names the file).
        detail: String,
    },
    /// The search engine failed (I/O on the index, …).
    #[error("index error in {dir}: {message}")]
    Index {
        /// The index directory.
        dir: PathBuf,
        /// The engine's message.
        message: String,
    },
    /// A document or paragraph asked for by name that the index does not
    /// hold.
    #[error("{message}")]
    NotFound {
        /// What was not found, with the nearest known names.
        message: String,
    },
    /// The server could not listen on its address, or stopped on an I/O
    /// error.
    #[error(
        "cannot serve on {addr}: {reason} (is another server using it? give another address with --addr HOST:PORT)"
    )]
    Serve {
        /// The address asked for.
        addr: String,
        /// What the system said.
        reason: String,
    },
    /// The query is not valid; `start..end` (byte offsets) is where.
    #[error("{message}")]
    Query {
        /// What is wrong, ending with the column.
        message: String,
        /// Byte offsets of the offending part of the query.
        start: usize,
        /// End of the offending part (exclusive).
        end: usize,
        /// The query and a caret line under the offending part.
        pointer: String,
    },
}

/// The room an update that filled the disk would need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpaceNeeded {
    /// Bytes free on the disk after the failed run's files were removed.
    pub free: Option<u64>,
    /// Bytes of the report files the update adds or changes.
    pub adding: Option<u64>,
}

impl SpaceNeeded {
    /// Room an update needs for `adding` bytes of reports: their index
    /// (about 0.8 of the text; a PDF's file is larger than its text), and as
    /// much again while tantivy merges segments after the commit, which
    /// rewrites them before the old ones go.
    pub fn needed(&self) -> Option<u64> {
        self.adding.map(|bytes| bytes / 10 * 16)
    }
}

/// "3.4 MB", "820 KB", "512 bytes".
fn size_text(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} bytes"),
        1_000..1_000_000 => format!("{:.0} KB", bytes as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", bytes as f64 / 1e6),
        _ => format!("{:.2} GB", bytes as f64 / 1e9),
    }
}

impl std::fmt::Display for SpaceNeeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.needed(), self.adding, self.free) {
            (Some(needed), Some(adding), Some(free)) => write!(
                f,
                "the {} of reports to add need about {} free while they are indexed and {} is free: free at least {} more on that disk (or give --index a folder on another) and run it again",
                size_text(adding),
                size_text(needed),
                size_text(free),
                size_text(needed.saturating_sub(free).max(1 << 20))
            ),
            (Some(needed), Some(adding), None) => write!(
                f,
                "the {} of reports to add need about {} free while they are indexed: free that much on that disk (or give --index a folder on another) and run it again",
                size_text(adding),
                size_text(needed)
            ),
            _ => write!(
                f,
                "free some space on that disk (an update needs about 1.6 times the size of the reports it adds) and run it again"
            ),
        }
    }
}

impl Error {
    /// True for errors caused by the query text (the CLI exits with status 2).
    pub fn is_query_error(&self) -> bool {
        matches!(self, Error::Query { .. })
    }
}

/// Result alias for the library.
pub type Result<T> = std::result::Result<T, Error>;
