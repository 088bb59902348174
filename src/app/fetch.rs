//! Downloading one meeting into the home's snapshot, as the only writer of that home.

use crate::fetch::{self, FetchOptions, FetchReport};
use crate::home::Home;
use crate::refresh::lock::RefreshLock;
use crate::{Error, Result};

/// Fetches `meeting` into `<home>/snapshot`. Holds the home's lock for the whole run: a fetch and
/// a refresh (or two fetches) on one home would interleave their files and manifests. Failed
/// URLs are in the report (`FetchReport::partial_error`); an `Err` means nothing was stored.
/// The home's index is brought up to date afterwards (still under the lock), so readers, which
/// never write, find one.
pub fn fetch(home: &Home, opts: &FetchOptions, meeting: u32) -> Result<FetchReport> {
    home.check_for_writing()?;
    let _lock = RefreshLock::acquire(home)?;
    let dir = home.snapshot_dir();
    let report = super::runtime()?
        .block_on(fetch::fetch_meeting(opts, &dir, meeting))
        .map_err(|e| Error::context(format!("fetching meeting {meeting} failed"), e))?;
    index_after_fetch(home, &dir);
    Ok(report)
}

/// Builds the home's index when the snapshot changed; a failure only warns (readers then build
/// one in memory and say so).
fn index_after_fetch(home: &Home, dir: &std::path::Path) {
    let Ok(Some(snap)) = crate::snapshot::Snapshot::open(dir) else {
        return;
    };
    if crate::index::is_fresh(home, &snap).unwrap_or(false) {
        return;
    }
    if let Err(e) = crate::index::rebuild(home, &snap) {
        tracing::warn!("the search index could not be built: {e}");
    }
}
