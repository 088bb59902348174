//! The home directory: where the snapshot, the index and the refresh lock live.

use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Home {
    root: PathBuf,
}

impl Home {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Raw datatracker responses, laid out as a mirror of the URL paths.
    pub fn snapshot_dir(&self) -> PathBuf {
        self.root.join("snapshot")
    }

    /// The tantivy index (generations plus a pointer to the live one).
    pub fn index_dir(&self) -> PathBuf {
        self.root.join("index")
    }

    /// Held by `refresh` and `fetch` for their whole run so that two refreshes never interleave.
    pub fn lock_file(&self) -> PathBuf {
        self.root.join(".wgrec.lock")
    }
}
