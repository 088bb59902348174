//! Downloading one meeting into the home's snapshot, as the only writer of that home.

use crate::fetch::{self, FetchOptions, FetchReport};
use crate::home::Home;
use crate::refresh::lock::RefreshLock;
use crate::{Error, Result};

/// Fetches `meeting` into `<home>/snapshot`. Holds the home's lock for the whole run: a fetch and
/// a refresh (or two fetches) on one home would interleave their files and manifests. Failed
/// URLs are in the report (`FetchReport::partial_error`); an `Err` means nothing was stored.
pub fn fetch(home: &Home, opts: &FetchOptions, meeting: u32) -> Result<FetchReport> {
    let _lock = RefreshLock::acquire(home)?;
    let dir = home.snapshot_dir();
    super::runtime()?
        .block_on(fetch::fetch_meeting(opts, &dir, meeting))
        .map_err(|e| Error::context(format!("fetching meeting {meeting} failed"), e))
}
