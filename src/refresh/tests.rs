//! The refresh flow with failures injected at each step, over a fake pipeline.

use super::diff::Item;
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
