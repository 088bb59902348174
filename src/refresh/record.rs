//! What a refresh leaves for the next one: the record of the state it put in service and the
//! officials' plans, read at the start, staged aside before the report goes out and committed
//! (renamed into place) only after it was delivered.

use super::diff::State;
use super::officials::OfficialPlan;
use crate::atomic::Staged;
use crate::home::Home;
use crate::snapshot::Snapshot;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What a refresh leaves behind for the next one: the state it put in service and the
/// officials' plans on that state. Stored at `<home>/refresh/meeting-<n>.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub state: State,
    #[serde(default)]
    pub officials: Vec<OfficialPlan>,
}

pub fn record_path(home: &Home, meeting: u32) -> PathBuf {
    home.root()
        .join("refresh")
        .join(format!("meeting-{meeting}.json"))
}

/// The record of the previous refresh; an unreadable one is treated as absent (and replaced).
pub(super) fn read(path: &Path) -> Option<Record> {
    let bytes = std::fs::read(path).ok()?;
    match serde_json::from_slice(&bytes) {
        Ok(r) => Some(r),
        Err(e) => {
            tracing::warn!("ignoring unreadable {}: {e}", path.display());
            None
        }
    }
}

/// The state of the meeting in the snapshot as it is, for a first refresh on a home that
/// `wgrec fetch` filled.
pub(super) fn current_state(snap_dir: &Path, meeting: u32) -> Option<State> {
    let snap = Snapshot::open(snap_dir).ok()??;
    match snap.load_meeting(meeting) {
        Ok(d) => Some(State::of(&d)),
        Err(Error::UnknownMeeting(..)) => None,
        Err(e) => {
            tracing::warn!("the stored agenda of meeting {meeting} cannot be read: {e}");
            None
        }
    }
}

/// Writes `record` aside when it differs from `previous`. The new data is in service already,
/// so a failure here is a problem to report (the next run reports these changes again), not a
/// failed refresh.
pub(super) fn stage(
    previous: Option<&Record>,
    record: &Record,
    path: &Path,
    problems: &mut Vec<String>,
) -> Option<Staged> {
    if previous == Some(record) {
        return None;
    }
    let bytes = serde_json::to_vec_pretty(record).expect("record serializes");
    match Staged::write(path, &bytes) {
        Ok(s) => Some(s),
        Err(e) => {
            problems.push(format!(
                "{e}; the next refresh will report these changes again"
            ));
            None
        }
    }
}

/// Renames a staged record into place. The report is out already; a failure only adds a
/// problem, returned for the report's exit code and warning.
pub(super) fn commit(staged: Option<Staged>) -> Result<(), String> {
    match staged.map(Staged::commit) {
        Some(Err(e)) => Err(format!(
            "{e}; the next refresh will report these changes again"
        )),
        _ => Ok(()),
    }
}
