//! Opening the data every reader needs: the home's snapshot (or the bundled meeting when the home
//! has none) and its search index, built first when it is missing or older than the snapshot.

use super::Notes;
use crate::home::Home;
use crate::index::{self, SearchIndex};
use crate::snapshot::{BUNDLED_MEETING, Snapshot};
use crate::{Error, Result};

/// A snapshot and the index built from it: what recommend, search and plan read.
#[derive(Clone)]
pub struct Data {
    pub snapshot: Snapshot,
    pub index: SearchIndex,
}

impl Data {
    /// Opens the home's snapshot (else the bundled meeting, with a note) and its index.
    pub fn open(home: &Home, notes: Notes) -> Result<Self> {
        let snapshot = open_snapshot(home, notes)?;
        let index = open_index(home, &snapshot, notes)?;
        Ok(Self { snapshot, index })
    }
}

/// The home's snapshot, else the bundled one (with a note).
pub fn open_snapshot(home: &Home, notes: Notes) -> Result<Snapshot> {
    let dir = home.snapshot_dir();
    Ok(match Snapshot::open(&dir)? {
        Some(s) => s,
        None => {
            notes(&format!(
                "no snapshot in {}; using the bundled IETF {BUNDLED_MEETING} meeting (run `wgrec fetch --meeting N` for another)",
                home.root().display()
            ));
            Snapshot::bundled()
        }
    })
}

/// The index of `snap` in `home`, built first when it is missing or stale.
fn open_index(home: &Home, snap: &Snapshot, notes: Notes) -> Result<SearchIndex> {
    let context = || format!("opening the search index in {}", home.index_dir().display());
    match index::ensure(home, snap) {
        Ok(idx) => Ok(idx),
        // The bundled meeting must answer even from a read-only directory: its index is then
        // kept in a scratch folder instead.
        Err(err) if snap.is_bundled() => {
            let scratch =
                Home::new(std::env::temp_dir().join(format!("wgrec-bundled-{BUNDLED_MEETING}")));
            let idx = index::ensure(&scratch, snap).map_err(|_| Error::context(context(), err))?;
            notes(&format!(
                "{} is not writable; the bundled meeting's index is kept in {}",
                home.index_dir().display(),
                scratch.index_dir().display()
            ));
            Ok(idx)
        }
        Err(err) => Err(Error::context(context(), err)),
    }
}
