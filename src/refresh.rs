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
pub mod report;

use crate::atomic::{Staged, remove_leftovers};
use crate::home::Home;
use crate::hook;
use crate::snapshot::{self, Snapshot};
use crate::{Error, Result};
use diff::{Item, State};
use lock::RefreshLock;
use report::{FetchSummary, OfficialNotice, Outcome, Report};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
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

/// One official's itinerary, reduced to what decides whom a change concerns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficialPlan {
    pub name: String,
    /// Groups with a session in the itinerary or offered as its alternatives, plus the
    /// official's `must` groups.
    pub groups: BTreeSet<String>,
    /// Why the itinerary could not be planned (then `groups` holds the `must` groups only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// Computes every official's itinerary on the data now in service (`--profiles`). Called after
/// the swap, so its failures are reported as problems, not as a failed refresh.
pub trait Officials {
    /// The meeting the officials' file was written for, if it says; another meeting is refused.
    fn meeting(&self) -> Option<u32> {
        None
    }
    fn plans(&self, home: &Home, snapshot: &Snapshot, meeting: u32) -> Result<Vec<OfficialPlan>>;
}

/// Which meeting to refresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Meeting(u32),
    Upcoming,
}

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
    let snap_dir = home.snapshot_dir();
    // Nothing is written or deleted through a link inside the home.
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
    }
    if let Some(dir) = rec_path.parent() {
        remove_leftovers(dir);
    }
    let previous = read_record(&rec_path);
    let baseline = match &previous {
        Some(r) => Some(r.state.clone()),
        // First refresh on a home that `wgrec fetch` filled: compare with what is there.
        None => current_state(&snap_dir, meeting),
    };

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
    let plans = match officials.map(|o| o.plans(home, &snapshot, meeting)) {
        None => None,
        Some(Ok(p)) => Some(p),
        Some(Err(e)) => {
            problems.push(format!(
                "the officials' itineraries could not be planned: {e}"
            ));
            None
        }
    };
    for p in plans.iter().flatten() {
        if let Some(why) = &p.problem {
            problems.push(format!(
                "itinerary of {} could not be planned ({why}); only their must groups and \
                 previous plan were checked",
                p.name
            ));
        }
    }
    let notices = plans
        .as_ref()
        .map(|p| notices(&changes.items(), p, &old_plans));

    let record = Record {
        state,
        // Without --profiles, keep the plans we knew so a later run can still use them.
        officials: match plans {
            // An itinerary that could not be planned keeps its previous plan for next time.
            Some(p) => p
                .into_iter()
                .map(
                    |n| match (&n.problem, old_plans.iter().find(|o| o.name == n.name)) {
                        (Some(_), Some(old)) => old.clone(),
                        _ => n,
                    },
                )
                .collect(),
            None => old_plans,
        },
    };
    hook::pause("before-record");
    // Staged (written and synced aside) before the report goes out, committed (renamed into
    // place) only after it was delivered.
    let mut staged = None;
    if previous.as_ref() != Some(&record) {
        let bytes = serde_json::to_vec_pretty(&record).expect("record serializes");
        // The new data is in service already; failing here only means the next run reports
        // these changes again, so say so instead of claiming nothing happened.
        match Staged::write(&rec_path, &bytes) {
            Ok(s) => staged = Some(s),
            Err(e) => problems.push(format!(
                "{e}; the next refresh will report these changes again"
            )),
        }
    }

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
    if let Some(s) = staged
        && let Err(e) = s.commit()
    {
        // The report is out already; the exit code and a warning still say it was not kept.
        report.problems.push(format!(
            "{e}; the next refresh will report these changes again"
        ));
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

/// Which changes touch which official: a change concerns an official when its group is in their
/// itinerary now, was in it at the previous refresh (a session that moved away from them still
/// matters), or is one of their `must` groups (part of `groups`).
pub fn notices(
    items: &[Item],
    plans: &[OfficialPlan],
    previous: &[OfficialPlan],
) -> Vec<OfficialNotice> {
    plans
        .iter()
        .map(|p| {
            let before = previous.iter().find(|o| o.name == p.name);
            let concerns =
                |g: &String| p.groups.contains(g) || before.is_some_and(|b| b.groups.contains(g));
            OfficialNotice {
                name: p.name.clone(),
                changes: items
                    .iter()
                    .filter(|i| concerns(&i.group))
                    .cloned()
                    .collect(),
            }
        })
        .collect()
}

fn is_agenda(url: &str, meeting: u32) -> bool {
    let p = snapshot::url_path(url).unwrap_or_else(|| url.trim_start_matches('/').to_string());
    p == snapshot::agenda_data_path(meeting) || p == snapshot::agenda_json_path(meeting)
}

/// The record of the previous refresh; an unreadable one is treated as absent (and replaced).
fn read_record(path: &Path) -> Option<Record> {
    let bytes = std::fs::read(path).ok()?;
    match serde_json::from_slice(&bytes) {
        Ok(r) => Some(r),
        Err(e) => {
            tracing::warn!("ignoring unreadable {}: {e}", path.display());
            None
        }
    }
}

fn current_state(snap_dir: &Path, meeting: u32) -> Option<State> {
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

#[cfg(test)]
mod tests {
    use super::report::Failure;
    use super::*;
    use std::cell::{Cell, RefCell};

    const N: u32 = 121;

    /// An agenda-data body with one session per (session id, group, hour, room, status).
    fn agenda(sessions: &[(u64, &str, u32, &str, &str)]) -> Vec<u8> {
        let items: Vec<_> = sessions
            .iter()
            .map(|(sid, acr, h, room, status)| {
                serde_json::json!({
                    "sessionId": sid, "groupAcronym": acr, "groupName": acr.to_uppercase(),
                    "startDateTime": format!("2024-11-06T{h:02}:30:00+00:00"), "duration": 7200.0,
                    "room": room, "status": status, "type": "regular", "purpose": "regular",
                    "agenda": {"url": null}
                })
            })
            .collect();
        serde_json::to_vec(&serde_json::json!({
            "meeting": {"number": "121", "city": "Dublin", "timezone": "Europe/Dublin"},
            "schedule": items
        }))
        .unwrap()
    }

    /// Serves `served` as the agenda; stores it only when it differs (a 304 otherwise).
    #[derive(Default)]
    struct Fake {
        served: RefCell<Vec<u8>>,
        fetch_error: Cell<bool>,
        failed: RefCell<Vec<Failure>>,
        rebuild_error: Cell<bool>,
        built_from: RefCell<Option<String>>,
        rebuilds: Cell<usize>,
    }

    impl Pipeline for Fake {
        fn upcoming(&self) -> Result<u32> {
            Ok(N)
        }
        fn fetch(&self, dir: &Path, meeting: u32) -> Result<FetchSummary> {
            if self.fetch_error.get() {
                return Err(Error::Http {
                    url: "http://127.0.0.1/".into(),
                    detail: "connection refused".into(),
                });
            }
            let path = snapshot::agenda_data_path(meeting);
            let body = self.served.borrow().clone();
            let mut changed = vec![];
            if std::fs::read(dir.join(&path)).ok().as_ref() != Some(&body) {
                crate::atomic::write(&dir.join(&path), &body)?;
                let manifest = serde_json::json!({"version": 1, "entries": {&path: {
                    "url": "u", "status": 200, "etag": null, "last_modified": null,
                    "sha256": snapshot::sha256_hex(&body), "size": body.len(), "fetched_at": "t"}}});
                crate::atomic::write(&dir.join("manifest.json"), manifest.to_string().as_bytes())?;
                changed.push(path);
            }
            Ok(FetchSummary {
                requests: 1,
                not_modified: usize::from(changed.is_empty()),
                changed,
                failed: self.failed.borrow().clone(),
            })
        }
        fn index_is_current(&self, _: &Home, s: &Snapshot) -> Result<bool> {
            Ok(self.built_from.borrow().as_deref() == Some(&s.fingerprint()?))
        }
        fn rebuild_index(&self, _: &Home, s: &Snapshot) -> Result<()> {
            if self.rebuild_error.get() {
                return Err(Error::io(
                    "writing index",
                    std::io::Error::other("disk full"),
                ));
            }
            self.rebuilds.set(self.rebuilds.get() + 1);
            *self.built_from.borrow_mut() = Some(s.fingerprint()?);
            Ok(())
        }
    }

    fn setup() -> (tempfile::TempDir, Home, Fake) {
        let dir = tempfile::tempdir().unwrap();
        let home = Home::new(dir.path());
        let fake = Fake::default();
        *fake.served.borrow_mut() =
            agenda(&[(1, "quic", 9, "A", "sched"), (2, "tls", 13, "B", "sched")]);
        (dir, home, fake)
    }

    fn run(home: &Home, fake: &Fake) -> Result<Report> {
        refresh(home, Target::Meeting(N), fake, None)
    }

    #[test]
    fn first_run_builds_then_second_run_changes_nothing() {
        let (_d, home, fake) = setup();
        let r = run(&home, &fake).unwrap();
        assert_eq!((r.outcome, r.exit_code), (Outcome::Changed, 10));
        assert!(r.first_refresh && r.index_rebuilt);
        assert_eq!(r.sessions, 2);
        let rec = record_path(&home, N);
        let mtime = std::fs::metadata(&rec).unwrap().modified().unwrap();

        let r = run(&home, &fake).unwrap();
        assert_eq!((r.outcome, r.exit_code), (Outcome::NoChange, 0));
        assert!(!r.first_refresh && !r.index_rebuilt && r.changes.is_empty());
        assert_eq!(fake.rebuilds.get(), 1);
        assert_eq!(std::fs::metadata(&rec).unwrap().modified().unwrap(), mtime);
    }

    #[test]
    fn changes_are_reported_against_the_previous_run() {
        let (_d, home, fake) = setup();
        run(&home, &fake).unwrap();
        *fake.served.borrow_mut() = agenda(&[
            (1, "quic", 11, "A", "sched"),
            (2, "tls", 13, "B", "canceled"),
        ]);
        let r = run(&home, &fake).unwrap();
        assert_eq!(r.exit_code, 10);
        assert_eq!(r.changes.moved.len(), 1);
        assert_eq!(r.changes.cancelled.len(), 1);
        assert_eq!(r.changes.items().len(), 2);
    }

    #[test]
    fn a_failed_rebuild_keeps_the_old_record_and_the_next_run_reports_again() {
        let (_d, home, fake) = setup();
        run(&home, &fake).unwrap();
        let rec = std::fs::read(record_path(&home, N)).unwrap();
        *fake.served.borrow_mut() = agenda(&[(1, "quic", 11, "A", "sched")]);
        fake.rebuild_error.set(true);
        let e = run(&home, &fake).unwrap_err();
        assert_eq!(e.exit_code(), 1, "{e}");
        assert_eq!(std::fs::read(record_path(&home, N)).unwrap(), rec);

        // The snapshot is new now, so the fetch finds nothing; the stale index is rebuilt and the
        // changes readers have not seen yet are reported.
        fake.rebuild_error.set(false);
        let r = run(&home, &fake).unwrap();
        assert!(r.fetch.changed.is_empty() && r.index_rebuilt);
        assert_eq!((r.changes.moved.len(), r.changes.removed.len()), (1, 1));
        assert_eq!(r.exit_code, 10);
    }

    #[test]
    fn network_and_parse_failures_stop_before_the_index() {
        let (_d, home, fake) = setup();
        run(&home, &fake).unwrap();
        fake.fetch_error.set(true);
        assert_eq!(run(&home, &fake).unwrap_err().exit_code(), 1);
        fake.fetch_error.set(false);
        // A fetcher must never store such an agenda; if one did, the index is still left alone.
        *fake.served.borrow_mut() = b"{\"meeting\": {\"number\": \"121\"}}".to_vec();
        let e = run(&home, &fake).unwrap_err();
        assert!(matches!(e, Error::Parse { .. }), "{e}");
        assert_eq!(fake.rebuilds.get(), 1);
    }

    #[test]
    fn a_failed_agenda_download_is_a_failure_other_failures_are_partial() {
        let (_d, home, fake) = setup();
        run(&home, &fake).unwrap();
        *fake.failed.borrow_mut() = vec![Failure {
            url: "http://127.0.0.1:1/api/meeting/121/agenda-data".into(),
            reason: "HTTP 500".into(),
        }];
        let e = run(&home, &fake).unwrap_err();
        assert_eq!(e.exit_code(), 1);
        assert!(
            e.to_string().contains("previous data stays in service"),
            "{e}"
        );

        *fake.failed.borrow_mut() = vec![Failure {
            url: "http://127.0.0.1:1/group/tls/about/".into(),
            reason: "HTTP 500".into(),
        }];
        *fake.served.borrow_mut() = agenda(&[(1, "quic", 9, "Z", "sched")]);
        let r = run(&home, &fake).unwrap();
        assert_eq!((r.outcome, r.exit_code), (Outcome::Partial, 3));
        assert!(r.index_rebuilt);
        assert_eq!(r.changes.removed.len(), 1);
    }

    #[test]
    fn a_record_that_cannot_be_written_after_the_swap_is_a_partial_failure() {
        let (_d, home, fake) = setup();
        run(&home, &fake).unwrap();
        let rec = record_path(&home, N);
        std::fs::remove_file(&rec).unwrap();
        std::fs::create_dir_all(rec.join("blocker")).unwrap();
        *fake.served.borrow_mut() = agenda(&[(1, "quic", 9, "Z", "sched")]);
        let r = run(&home, &fake).unwrap();
        assert_eq!((r.outcome, r.exit_code), (Outcome::Partial, 3));
        assert!(r.index_rebuilt && r.fetch.failed.is_empty());
        assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
    }

    #[test]
    fn a_report_that_cannot_be_delivered_leaves_the_record_for_the_next_run() {
        let (_d, home, fake) = setup();
        run(&home, &fake).unwrap();
        let rec = record_path(&home, N);
        let before = std::fs::read(&rec).unwrap();
        *fake.served.borrow_mut() = agenda(&[(1, "quic", 9, "Z", "sched")]);
        let e = refresh_and_deliver(&home, Target::Meeting(N), &fake, None, &mut |_| {
            Err(Error::input("stdout is gone"))
        })
        .unwrap_err();
        assert!(e.to_string().contains("stdout is gone"), "{e}");
        assert_eq!(std::fs::read(&rec).unwrap(), before);
        let left = std::fs::read_dir(rec.parent().unwrap()).unwrap().count();
        assert_eq!(left, 1, "a staged record was left behind");

        let mut seen = None;
        let r = refresh_and_deliver(&home, Target::Meeting(N), &fake, None, &mut |r| {
            seen = Some(r.clone());
            Ok(())
        })
        .unwrap();
        assert_eq!(r.changes.removed.len(), 1);
        assert_eq!(seen, Some(r));
        assert_ne!(std::fs::read(&rec).unwrap(), before);
    }

    #[test]
    fn a_state_folder_that_cannot_be_made_fails_before_anything_changes() {
        let (_d, home, fake) = setup();
        std::fs::write(home.root().join("refresh"), b"not a folder").unwrap();
        assert_eq!(run(&home, &fake).unwrap_err().exit_code(), 1);
        assert!(!home.snapshot_dir().exists());
        assert_eq!(fake.rebuilds.get(), 0);
    }

    #[test]
    fn a_held_lock_refuses_at_once() {
        let (_d, home, fake) = setup();
        let _held = RefreshLock::acquire(&home).unwrap();
        let e = run(&home, &fake).unwrap_err();
        assert_eq!(e.exit_code(), 4);
        assert_eq!(fake.rebuilds.get(), 0);
    }

    #[test]
    fn officials_hear_of_changes_to_groups_in_their_plan_now_or_before() {
        use diff::Kind;
        let item = |g: &str| Item {
            kind: Kind::Moved,
            group: g.into(),
            session: None,
        };
        let plan = |n: &str, gs: &[&str]| OfficialPlan {
            name: n.into(),
            groups: gs.iter().map(|g| g.to_string()).collect(),
            problem: None,
        };
        let items = [item("quic"), item("tls"), item("lamps")];
        let now = [plan("A", &["quic"]), plan("B", &["dnsop"])];
        let before = [plan("A", &["tls"])];
        let n = notices(&items, &now, &before);
        let groups = |i: usize| {
            n[i].changes
                .iter()
                .map(|c| c.group.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(groups(0), ["quic", "tls"]);
        assert!(groups(1).is_empty());
    }
}
