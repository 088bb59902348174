//! Opening the data every reader needs: the home's snapshot (or the bundled meeting when the home
//! has none) and its search index. Readers never write to the home and never fail because of
//! the index: they answer from the newest complete generation (saying so when the snapshot is
//! newer) or from an index built in memory.

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
    /// What a reader of the results should know (an index older than the snapshot, an
    /// incomplete snapshot): printed on stderr and carried in the JSON `warnings`.
    pub warnings: Vec<String>,
}

impl Data {
    /// Opens the home's snapshot (else the bundled meeting, with a note) and its index. Writes
    /// nothing to the home: see [`index::open_for_reader`].
    pub fn open(home: &Home, notes: Notes) -> Result<Self> {
        home.check_for_reading()?;
        let snapshot = open_snapshot(home, notes)?;
        let context = || format!("opening the search index in {}", home.index_dir().display());
        let opened = if snapshot.is_bundled() {
            index::open_bundled()
        } else {
            index::open_for_reader(home, &snapshot)
        }
        .map_err(|e| Error::context(context(), e))?;
        for n in &opened.notes {
            notes(n);
        }
        Ok(Self {
            snapshot,
            index: opened.index,
            warnings: opened.warnings,
        })
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
