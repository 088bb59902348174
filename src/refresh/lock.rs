//! The refresh lock: one writer at a time on a home directory.
//!
//! An OS advisory lock (`flock` on Unix) on `home.lock_file()`, taken without waiting. The kernel
//! drops it when the process ends, however it ends (SIGKILL included), so a stale lock file never
//! blocks the next run; the file itself is left in place and never rewritten.

use crate::home::Home;
use crate::{Error, Result};
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

/// Held for the whole refresh; dropping it releases the lock.
#[derive(Debug)]
pub struct RefreshLock {
    _file: File,
    path: PathBuf,
}

impl RefreshLock {
    /// Takes the lock or fails at once with [`Error::Locked`] when another process holds it.
    pub fn acquire(home: &Home) -> Result<Self> {
        let root = home.root();
        std::fs::create_dir_all(root)
            .map_err(|e| Error::io(format!("creating {}", root.display()), e))?;
        let path = home.lock_file();
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(crate::snapshot::symlink_refusal(&path));
        }
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io(format!("opening lock file {}", path.display()), e))?;
        match file.try_lock() {
            Ok(()) => Ok(Self { _file: file, path }),
            Err(TryLockError::WouldBlock) => Err(Error::Locked(path)),
            Err(TryLockError::Error(e)) => Err(Error::io(format!("locking {}", path.display()), e)),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_holder_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let home = Home::new(dir.path());
        let first = RefreshLock::acquire(&home).unwrap();
        match RefreshLock::acquire(&home) {
            Err(Error::Locked(p)) => assert_eq!(p, home.lock_file()),
            other => panic!("expected Locked, got {other:?}"),
        }
        drop(first);
        RefreshLock::acquire(&home).unwrap();
    }
}
