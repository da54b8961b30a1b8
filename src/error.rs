//! The library's error type. Every fallible public function returns
//! [`Result<T>`](Result); the CLI adds context at the edge.

use std::path::PathBuf;

/// Errors the library reports to its caller.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
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
}

/// Result alias for the library.
pub type Result<T> = std::result::Result<T, Error>;
