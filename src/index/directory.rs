//! The directory an index is read through: tantivy's memory-mapped directory,
//! made able to search an index the user may not write to (a read-only
//! mount, a folder without write permission, a colleague's index).
//!
//! Everything is passed to [`MmapDirectory`] but one thing. Opening a
//! searcher takes tantivy's meta lock, so that a writer's garbage collection
//! cannot delete segment files while they are being opened; tantivy opens the
//! lock file for writing, which fails in a read-only folder. There the lock
//! file is opened for reading instead and locked all the same (`flock` needs
//! no write access), so a search of a read-only index that someone else is
//! writing stays safe. When even that file is missing, no writer has ever
//! collected garbage in the folder, and the searcher opens without a lock.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::OpenWriteError;
use tantivy::directory::error::{DeleteError, LockError, OpenDirectoryError, OpenReadError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, META_LOCK, MmapDirectory, WatchCallback,
    WatchHandle, WritePtr,
};

/// A [`MmapDirectory`] whose meta lock also works in a read-only folder.
#[derive(Debug, Clone)]
pub(crate) struct IndexDirectory {
    mmap: MmapDirectory,
    root: PathBuf,
}

impl IndexDirectory {
    /// Opens the index folder `root`.
    pub fn open(root: &Path) -> Result<Self, OpenDirectoryError> {
        Ok(IndexDirectory {
            mmap: MmapDirectory::open(root)?,
            root: root.to_path_buf(),
        })
    }
}

/// Holds the shared-folder meta lock until dropped (closing the file
/// releases the `flock`).
struct ReadOnlyLock {
    _file: Option<File>,
}

impl Directory for IndexDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.mmap.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.mmap.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.mmap.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.mmap.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.mmap.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.mmap.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.mmap.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.mmap.acquire_lock(lock) {
            Err(LockError::IoError(error))
                if lock.filepath == META_LOCK.filepath && is_read_only(&error) =>
            {
                read_only_meta_lock(&self.root.join(&lock.filepath))
            }
            other => other,
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.mmap.watch(watch_callback)
    }
}

/// True when `error` says the folder (or the lock file) may not be written.
fn is_read_only(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
    )
}

/// The meta lock taken through a read-only handle on the lock file.
fn read_only_meta_lock(path: &Path) -> Result<DirectoryLock, LockError> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            return Ok(DirectoryLock::from(Box::new(ReadOnlyLock { _file: None })));
        }
        Err(error) => return Err(LockError::wrap_io_error(error)),
    };
    // Blocking, as tantivy's meta lock is: a writer holds it only while it
    // lists the files to delete.
    file.lock().map_err(LockError::wrap_io_error)?;
    Ok(DirectoryLock::from(Box::new(ReadOnlyLock {
        _file: Some(file),
    })))
}
