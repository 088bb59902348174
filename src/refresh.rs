//! Nightly refresh: fetch what changed, rebuild the index aside, swap it in, report.
//!
//! Order of work, and why each step is safe to interrupt:
//! 1. take the lock (an OS lock, gone with the process) - one refresh at a time;
//! 2. fetch with conditional requests into the snapshot (each file is replaced atomically, and a
//!    garbage agenda is never stored);
//! 3. parse the snapshot; if that fails, stop before touching the index;
//! 4. rebuild the index only if something changed or the index is stale (built aside, swapped in
//!    by the index module's atomic pointer switch);
//! 5. compare with the state the previous refresh reported, stage the new record aside, hand
//!    the report over (`refresh_and_deliver`: the CLI prints and flushes it), and only then
//!    commit the record.
//!
//! A run killed before the commit, or whose report could not be written, leaves the previous
//! state recorded, so the next run reports the same changes again: staff hear about a change at
//! least once, never zero times.
//!
//! The stages themselves are behind [`Pipeline`], so this flow is tested with failures injected
//! at each step; `app::refresh` supplies the real fetcher and index.

pub mod diff;
pub mod lock;
mod officials;
mod record;
pub mod report;

pub use officials::{OfficialPlan, Officials, notices};
pub use record::{Record, record_path};

use crate::atomic::remove_leftovers;
use crate::home::Home;
use crate::hook;
use crate::snapshot::{self, Snapshot};
use crate::{Error, Result};
use diff::State;
use lock::RefreshLock;
use report::{FetchSummary, Outcome, Report};
use std::path::{Path, PathBuf};

/// The stages refresh drives. Implemented over `fetch` and `index` by `app::refresh`.
pub trait Pipeline {
    /// The next IETF meeting, from the datatracker's meeting list.
    fn upcoming(&self) -> Result<u32>;
    /// Fetches one meeting into `snapshot_dir` with conditional requests.
    fn fetch(&self, snapshot_dir: &Path, meeting: u32) -> Result<FetchSummary>;
    /// Whether the index in service was built from exactly this snapshot.
    fn index_is_current(&self, home: &Home, snapshot: &Snapshot) -> Result<bool>;
    /// Builds a new index aside and swaps it in; on error the old one stays in service.
    fn rebuild_index(&self, home: &Home, snapshot: &Snapshot) -> Result<()>;
}

/// Which meeting to refresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Meeting(u32),
    Upcoming,
}

/// Runs one refresh. `Err` means this run switched nothing: the index `CURRENT` names and the
/// record are as before (snapshot files the fetch had already replaced stay, each whole, old or
/// new, as the fetcher guarantees). `Ok` carries the report, whose outcome says whether it was a
/// no-op, a full update or a partial one.
pub fn refresh(
    home: &Home,
    target: Target,
    pipeline: &impl Pipeline,
    officials: Option<&dyn Officials>,
) -> Result<Report> {
    refresh_and_deliver(home, target, pipeline, officials, &mut |_| Ok(()))
}

/// [`refresh`], handing the report to `deliver` (e.g. printing it) before the record is
/// committed: when `deliver` fails, the record stays as it was and the next run reports the same
/// changes again, so a report lost on its way out is never counted as told.
// Kept whole (about 90 lines, each step a call): the order of the steps is the safety argument
// of the module doc, and it reads top to bottom here.
pub fn refresh_and_deliver(
    home: &Home,
    target: Target,
    pipeline: &impl Pipeline,
    officials: Option<&dyn Officials>,
    deliver: &mut dyn FnMut(&Report) -> Result<()>,
) -> Result<Report> {
    let _lock = RefreshLock::acquire(home)?;
    hook::pause("after-lock");
    let meeting = match target {
        Target::Meeting(n) => n,
        Target::Upcoming => pipeline.upcoming()?,
    };
    // Found only now with --upcoming; checked before anything is fetched.
    if let Some(m) = officials.and_then(|o| o.meeting())
        && m != meeting
    {
        return Err(profiles_mismatch(m, meeting));
    }
    let rec_path = prepare(home, meeting)?;
    let previous = record::read(&rec_path);
    let baseline = match &previous {
        Some(r) => Some(r.state.clone()),
        // First refresh on a home that `wgrec fetch` filled: compare with what is there.
        None => record::current_state(&home.snapshot_dir(), meeting),
    };

    let (fetched, snapshot, state) = fetch_and_read(home, pipeline, meeting)?;
    let rebuild = !fetched.changed.is_empty() || !pipeline.index_is_current(home, &snapshot)?;
    if rebuild {
        hook::pause("before-index");
        pipeline.rebuild_index(home, &snapshot)?;
        hook::pause("after-index");
    }

    let changes = baseline
        .as_ref()
        .map(|b| diff::diff(b, &state))
        .unwrap_or_default();
    let old_plans = previous
        .as_ref()
        .map(|r| r.officials.clone())
        .unwrap_or_default();
    let mut problems = Vec::new();
    let plans = officials::plan(officials, home, &snapshot, meeting, &mut problems);
    let notices = plans
        .as_ref()
        .map(|p| notices(&changes.items(), p, &old_plans));
    let record = Record {
        state,
        officials: officials::to_keep(plans, old_plans),
    };
    hook::pause("before-record");
    // Staged (written and synced aside) before the report goes out, committed (renamed into
    // place) only after it was delivered.
    let staged = record::stage(previous.as_ref(), &record, &rec_path, &mut problems);

    let outcome = if !fetched.failed.is_empty() || !problems.is_empty() {
        Outcome::Partial
    } else if rebuild || !changes.is_empty() {
        Outcome::Changed
    } else {
        Outcome::NoChange
    };
    let mut report = Report {
        meeting,
        outcome,
        exit_code: outcome.exit_code(),
        first_refresh: baseline.is_none(),
        // The fetch counts compare with the snapshot, the changes with the last report: they
        // differ after a run that stored the files but was stopped before reporting.
        stored_by_earlier_run: baseline.is_some()
            && fetched.changed.is_empty()
            && !changes.is_empty(),
        fetch: fetched,
        index_rebuilt: rebuild,
        sessions: record.state.sessions.len(),
        changes,
        officials: notices,
        problems,
        timezone: record.state.timezone,
    };
    // Dropping `staged` on error removes the temp file: the old record stays.
    deliver(&report)?;
    if let Err(problem) = record::commit(staged) {
        // The report is out already; the exit code and a warning still say it was not kept.
        report.problems.push(problem);
        report.outcome = Outcome::Partial;
        report.exit_code = Outcome::Partial.exit_code();
    }
    hook::pause("after-record");
    Ok(report)
}

/// The error for a profiles file written for another meeting.
pub fn profiles_mismatch(file_meeting: u32, meeting: u32) -> Error {
    Error::input(format!(
        "the profiles file is for meeting {file_meeting}, but this refresh is of meeting \
         {meeting}; use a profiles file for meeting {meeting} (or one without `meeting`)"
    ))
}

/// Checks the home before anything changes: no link inside it (nothing is written or deleted
/// through one), leftovers of killed writers removed, the record's folder made. Returns the
/// record's path.
fn prepare(home: &Home, meeting: u32) -> Result<PathBuf> {
    let snap_dir = home.snapshot_dir();
    for dir in [
        snap_dir.clone(),
        home.index_dir(),
        home.root().join("refresh"),
    ] {
        if let Some(link) = snapshot::find_symlink(&dir) {
            return Err(snapshot::symlink_refusal(&link));
        }
    }
    remove_leftovers(&snap_dir);
    let rec_path = record_path(home, meeting);
    // Fail now, before anything changes, if the record cannot be kept.
    if let Some(dir) = rec_path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        remove_leftovers(dir);
    }
    Ok(rec_path)
}

/// Fetches the meeting and reads the snapshot back. A failed agenda download or a snapshot that
/// cannot be parsed stops the refresh here, before the index is touched.
fn fetch_and_read(
    home: &Home,
    pipeline: &impl Pipeline,
    meeting: u32,
) -> Result<(FetchSummary, Snapshot, State)> {
    let snap_dir = home.snapshot_dir();
    let fetched = pipeline.fetch(&snap_dir, meeting)?;
    hook::pause("after-fetch");
    if let Some(f) = fetched.failed.iter().find(|f| is_agenda(&f.url, meeting)) {
        return Err(Error::Http {
            url: f.url.clone(),
            detail: format!(
                "{}; the agenda could not be refreshed, the previous data stays in service",
                f.reason
            ),
        });
    }
    let snapshot = Snapshot::open(&snap_dir)?.ok_or_else(|| {
        Error::parse(
            "snapshot",
            format!("no manifest.json in {} after fetching", snap_dir.display()),
        )
    })?;
    // Parse before touching the index: a snapshot we cannot read must not be put in service.
    let data = snapshot.load_meeting(meeting)?;
    let state = State::of(&data);
    Ok((fetched, snapshot, state))
}

fn is_agenda(url: &str, meeting: u32) -> bool {
    let p = snapshot::url_path(url).unwrap_or_else(|| url.trim_start_matches('/').to_string());
    p == snapshot::agenda_data_path(meeting) || p == snapshot::agenda_json_path(meeting)
}

#[cfg(test)]
mod tests;
