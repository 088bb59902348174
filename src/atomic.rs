//! Atomic file writes, one way for the whole crate: write a temp file next to the destination,
//! fsync it, rename it into place. A reader sees the old file or the new one, never half of one.
//!
//! Temp names are `.<name>.tmp-<pid>-<random>` in the destination's folder (same file system, so
//! the rename is atomic); [`remove_leftovers`] knows the pattern and removes what a killed writer
//! left, but only when that process is gone.

use crate::{Error, Result};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically, creating its folder first.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    Staged::write(path, bytes)?.commit()
}

/// A file written and synced next to its destination under a temp name, renamed into place by
/// [`Staged::commit`]; removed when dropped uncommitted. For a write that must wait for
/// something else to succeed first (refresh commits its record only after the report is out).
pub struct Staged {
    tmp: PathBuf,
    dest: PathBuf,
    done: bool,
}

impl Staged {
    /// Writes and syncs the temp file; the destination's folder must exist.
    pub fn write(dest: &Path, bytes: &[u8]) -> Result<Self> {
        let staged = Self {
            tmp: sibling(dest, "tmp", &tag()),
            dest: dest.to_path_buf(),
            done: false,
        };
        (|| {
            let mut f = std::fs::File::create(&staged.tmp)?;
            f.write_all(bytes)?;
            f.sync_all()
        })()
        .map_err(|e| Error::io(format!("writing {}", dest.display()), e))?;
        Ok(staged)
    }

    /// Renames the temp file into place.
    pub fn commit(mut self) -> Result<()> {
        std::fs::rename(&self.tmp, &self.dest)
            .map_err(|e| Error::io(format!("writing {}", self.dest.display()), e))?;
        self.done = true;
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// The directory variant: fills a fresh folder next to `dest` with `files` (name, bytes), each
/// synced, then swaps it into place: a reader sees the old set or the new set, never a mix. A
/// folder already at `dest` is renamed aside first (and removed once the new one is in place,
/// or renamed back if the swap fails); on any error `dest` is as it was. Two renames, so not
/// one atomic step: a crash between them leaves `dest` missing and the old set beside it under
/// `.<name>.old-<pid>-<random>`.
pub fn replace_dir<'a>(
    dest: &Path,
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> std::io::Result<()> {
    let tag = tag();
    let tmp = sibling(dest, "tmp", &tag);
    let old = sibling(dest, "old", &tag);
    let result = (|| {
        std::fs::create_dir(&tmp)?;
        for (name, body) in files {
            let mut f = std::fs::File::create(tmp.join(name))?;
            f.write_all(body)?;
            f.sync_all()?;
        }
        if dest.exists() {
            std::fs::rename(dest, &old)?;
            if let Err(e) = std::fs::rename(&tmp, dest) {
                // Put the previous set back.
                let _ = std::fs::rename(&old, dest);
                return Err(e);
            }
            std::fs::remove_dir_all(&old)
        } else {
            std::fs::rename(&tmp, dest)
        }
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

fn tag() -> String {
    format!("{}-{}", std::process::id(), fastrand::u64(..))
}

/// `.<name>.<kind>-<tag>` in `dest`'s folder.
fn sibling(dest: &Path, kind: &str, tag: &str) -> PathBuf {
    let dir = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = dest.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    dir.join(format!(".{name}.{kind}-{tag}"))
}

/// Removes, under `dir`, temp files that a killed writer left (`.<name>.tmp-<pid>-<n>`), but only
/// those of processes that are gone.
pub fn remove_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            remove_leftovers(&path);
            continue;
        }
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        let pid = name
            .strip_prefix('.')
            .and_then(|n| n.rsplit_once(".tmp-"))
            .and_then(|(_, rest)| rest.split('-').next())
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(pid) = pid
            && !process_alive(pid)
        {
            match std::fs::remove_file(&path) {
                Ok(()) => tracing::info!("removed leftover {}", path.display()),
                Err(err) => tracing::warn!("cannot remove leftover {}: {err}", path.display()),
            }
        }
    }
}

/// Whether a process still runs; where that cannot be told, assume it does (keep the file).
fn process_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftovers_of_dead_writers_are_removed_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("group/quic/about");
        std::fs::create_dir_all(&sub).unwrap();
        // pid 0 is never a user process; our own pid is alive.
        let dead = sub.join(".index.html.tmp-0-42");
        let live = sub.join(format!(".index.html.tmp-{}-7", std::process::id()));
        let keep = sub.join("index.html");
        for p in [&dead, &live, &keep] {
            std::fs::write(p, b"x").unwrap();
        }
        remove_leftovers(dir.path());
        assert!(!dead.exists() && live.exists() && keep.exists());
    }

    #[test]
    fn a_staged_file_lands_only_when_committed() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("record.json");
        drop(Staged::write(&dest, b"one").unwrap());
        assert!(!dest.exists());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "temp file left"
        );
        Staged::write(&dest, b"two").unwrap().commit().unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"two");
        write(&dest, b"three").unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"three");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_folder_is_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        replace_dir(&out, [("a", &b"1"[..]), ("b", &b"2"[..])]).unwrap();
        replace_dir(&out, [("c", &b"3"[..])]).unwrap();
        let names: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, ["c"]);
        // A file that cannot be made leaves the previous set in place, and no temp folder.
        assert!(replace_dir(&out, [("no/such/dir", &b"x"[..])]).is_err());
        assert!(out.join("c").exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
