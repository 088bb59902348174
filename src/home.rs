//! The home directory: where the snapshot, the index and the refresh lock live.

use crate::{Error, Result};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Home {
    root: PathBuf,
    /// Named by the user (`--home`, `WGREC_HOME`), not the current directory by default.
    explicit: bool,
}

impl Home {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            explicit: false,
        }
    }

    /// A home the user named: readers refuse it when it does not exist.
    pub fn named(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            explicit: true,
        }
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

    /// For readers: a home named explicitly (`--home`, `WGREC_HOME`) must be an existing folder;
    /// a typo must not quietly answer from the bundled meeting. Readers never create it.
    pub fn check_for_reading(&self) -> Result<()> {
        let explicit = self.explicit;
        match std::fs::metadata(&self.root) {
            Ok(m) if m.is_dir() => Ok(()),
            Ok(_) => Err(self.not_a_folder()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit => {
                Err(Error::input(format!(
                    "the home {} does not exist (check --home / WGREC_HOME; only `wgrec fetch` \
                     and `wgrec refresh` create a home)",
                    self.root.display()
                )))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::io(
                format!("reading the home {}", self.root.display()),
                e,
            )),
        }
    }

    /// For writers (`fetch`, `refresh`), which create a missing home: one that exists must be a
    /// folder.
    pub fn check_for_writing(&self) -> Result<()> {
        match std::fs::metadata(&self.root) {
            Ok(m) if !m.is_dir() => Err(self.not_a_folder()),
            _ => Ok(()),
        }
    }

    fn not_a_folder(&self) -> Error {
        Error::input(format!(
            "the home {} is not a folder (check --home / WGREC_HOME)",
            self.root.display()
        ))
    }
}
