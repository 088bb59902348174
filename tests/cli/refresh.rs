//! `wgrec refresh` through the binary against the loopback mock datatracker (`common::MockDt`,
//! serving `fixtures/mock/dt`): the no-change run, a run with changes, the lock, failures,
//! SIGKILL at each pause point, readers running alongside, and `--upcoming`.

use crate::common::{MockDt, Reply, fixtures, tree, wgrec};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, SystemTime};

const AGENDA: &str = "api/meeting/121/agenda-data";
const SIDROPS_ABOUT: &str = "group/sidrops/about/";
/// A wait that only guards against a hung test; no test depends on how long anything takes.
const GUARD: Duration = Duration::from_secs(120);

fn mock() -> MockDt {
    MockDt::serve(fixtures().join("mock/dt"))
}

fn refresh_args(mock: &MockDt) -> Vec<String> {
    refresh_args_as(mock, "json")
}

fn refresh_args_as(mock: &MockDt, format: &str) -> Vec<String> {
    [
        "refresh",
        "--meeting",
        "121",
        "--base-url",
        &mock.url(),
        "--rate",
        "1000",
        "--max-attempts",
        "2",
        "--format",
        format,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

struct Run {
    code: i32,
    report: Value,
    stdout: String,
    stderr: String,
}

fn refresh(home: &Path, mock: &MockDt) -> Run {
    let out = wgrec(home).args(refresh_args(mock)).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    Run {
        code: out.status.code().expect("exited, not killed"),
        report: serde_json::from_str(&stdout).unwrap_or(Value::Null),
        stdout,
        stderr: String::from_utf8_lossy(&out.stderr).to_string(),
    }
}

/// The same refresh with the text report; returns the exit code and stdout.
fn refresh_text(home: &Path, mock: &MockDt) -> (i32, String) {
    let out = wgrec(home)
        .args(refresh_args_as(mock, "text"))
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).to_string(),
    )
}

/// `recommend` must answer with results; returns its JSON.
fn recommend(home: &Path) -> Value {
    let out = wgrec(home)
        .args([
            "recommend",
            "--interest",
            "transport",
            "--meeting",
            "121",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "recommend failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("recommend prints JSON");
    assert!(
        v["results"].as_array().is_some_and(|r| !r.is_empty()),
        "recommend answered without results: {v}"
    );
    v
}

/// Size and modification time of every file under the home except the lock file.
fn stat_tree(home: &Path) -> BTreeMap<PathBuf, (u64, SystemTime)> {
    fn walk(d: &Path, out: &mut BTreeMap<PathBuf, (u64, SystemTime)>) {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            let p = e.path();
            let m = e.metadata().unwrap();
            if m.is_dir() {
                walk(&p, out);
            } else if p.file_name().unwrap() != ".wgrec.lock" {
                out.insert(p, (m.len(), m.modified().unwrap()));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(home, &mut out);
    out
}

fn current_index(home: &Path) -> String {
    std::fs::read_to_string(home.join("index/CURRENT")).unwrap()
}

/// What a refresh put in service: the snapshot's files, the live index, an answer.
struct InService {
    snapshot: BTreeMap<String, Vec<u8>>,
    index: String,
    answer: Value,
}

/// A first refresh into an empty home (exit 10: new data), and what it put in service.
fn first_refresh(home: &Path, mock: &MockDt) -> InService {
    assert_eq!(refresh(home, mock).code, 10);
    InService {
        snapshot: tree(&home.join("snapshot")),
        index: current_index(home),
        answer: recommend(home),
    }
}

/// `wgrec refresh --upcoming` against the mock, plus `extra` arguments.
fn refresh_upcoming(home: &Path, mock: &MockDt, extra: &[&str]) -> std::process::Output {
    wgrec(home)
        .args(["refresh", "--upcoming", "--base-url", &mock.url()])
        .args(["--rate", "1000"])
        .args(extra)
        .output()
        .unwrap()
}

/// The fixture agenda with three changes: quic's second session moved (day and room), sidrops
/// cancelled, hrpc rescheduled.
fn agenda_v2() -> Vec<u8> {
    agenda_v2_with_room("Liffey A")
}

/// [`agenda_v2`] with quic's moved session in `room`.
fn agenda_v2_with_room(room: &str) -> Vec<u8> {
    let mut v: Value =
        serde_json::from_slice(&std::fs::read(fixtures().join("mock/dt").join(AGENDA)).unwrap())
            .unwrap();
    for s in v["schedule"].as_array_mut().unwrap() {
        match s["sessionId"].as_u64().unwrap() {
            121002 => {
                s["startDateTime"] = "2024-11-08T10:00:00+00:00".into();
                s["room"] = room.into();
            }
            121003 => s["status"] = "canceled".into(),
            121004 => s["status"] = "resched".into(),
            _ => {}
        }
    }
    serde_json::to_vec_pretty(&v).unwrap()
}

/// The fixture agenda with only quic's second session moved to another room (`room`).
fn agenda_room(room: &str) -> Vec<u8> {
    let mut v: Value =
        serde_json::from_slice(&std::fs::read(fixtures().join("mock/dt").join(AGENDA)).unwrap())
            .unwrap();
    for s in v["schedule"].as_array_mut().unwrap() {
        if s["sessionId"] == 121002 {
            s["room"] = room.into();
        }
    }
    serde_json::to_vec_pretty(&v).unwrap()
}

/// sidrops' about page with one more charter paragraph.
fn sidrops_about_v2() -> Vec<u8> {
    let page = std::fs::read_to_string(
        fixtures()
            .join("mock/dt")
            .join(SIDROPS_ABOUT)
            .join("index.html"),
    )
    .unwrap();
    let marker = "<h2 class=\"mt-3\">Milestones</h2>";
    assert!(page.contains(marker), "fixture changed shape");
    page.replace(
        marker,
        &format!("<p>A paragraph added by a charter revision in this test.</p>\n{marker}"),
    )
    .into_bytes()
}

/// The rooms of quic's sessions in a `recommend` answer, in time order.
fn quic_rooms(recs: &Value) -> Vec<String> {
    let quic = recs["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == "quic")
        .unwrap_or_else(|| panic!("quic is not recommended for transport: {recs}"));
    quic["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["room"].as_str().unwrap_or("").to_string())
        .collect()
}

fn ids(v: &Value, kind: &str) -> Vec<String> {
    v["changes"][kind]
        .as_array()
        .unwrap_or_else(|| panic!("no changes.{kind} in {v}"))
        .iter()
        .map(|c| {
            c.get("after")
                .unwrap_or(c)
                .get("id")
                .and_then(Value::as_str)
                .map_or_else(|| c.as_str().unwrap().to_string(), str::to_string)
        })
        .collect()
}

fn change_count(v: &Value) -> usize {
    v["changes"]
        .as_object()
        .unwrap()
        .values()
        .map(|l| l.as_array().unwrap().len())
        .sum()
}

#[test]
fn no_change_refresh_sends_only_conditional_requests_and_rewrites_nothing() {
    let home = tempfile::tempdir().unwrap();
    let mock = mock();
    let first = refresh(home.path(), &mock);
    assert_eq!(first.code, 10, "{}", first.stderr);
    assert_eq!(first.report["outcome"], "changed");
    assert_eq!(first.report["first_refresh"], true);
    assert_eq!(first.report["index_rebuilt"], true);
    let first_requests = mock.requests().len();
    assert!(first_requests > 1);
    recommend(home.path());

    let before = stat_tree(home.path());
    let index_before = current_index(home.path());
    mock.reset_log();
    let second = refresh(home.path(), &mock);
    assert_eq!(second.code, 0, "{}", second.stderr);
    let r = &second.report;
    assert_eq!(r["outcome"], "no_change");
    assert_eq!(r["exit_code"], 0);
    assert_eq!(r["index_rebuilt"], false);
    assert_eq!(r["first_refresh"], false);
    assert_eq!(change_count(r), 0);
    let seen = mock.requests();
    // The same URLs as the first run. robots.txt is read once per run with a plain GET (the
    // mock has none: 404, no body); every data URL is conditional and answered 304.
    assert_eq!(seen.len(), first_requests);
    assert_eq!(r["fetch"]["requests"], seen.len());
    let (robots, data): (Vec<_>, Vec<_>) = seen.iter().partition(|s| s.path == "robots.txt");
    assert_eq!(robots.len(), 1);
    assert_eq!(robots[0].status, 404);
    assert_eq!(r["fetch"]["not_modified"], data.len());
    for s in &data {
        assert!(s.is_conditional(), "{} was not conditional", s.path);
        assert_eq!(s.status, 304, "{}", s.path);
    }
    assert_eq!(mock.bodies_sent(), 0);
    assert_eq!(stat_tree(home.path()), before, "a file was rewritten");
    assert_eq!(current_index(home.path()), index_before);

    // The text report says so in words.
    let (code, text) = refresh_text(home.path(), &mock);
    assert_eq!(code, 0);
    assert!(text.starts_with("IETF 121: no change\n"), "{text}");
    assert!(text.contains("index: current, nothing rewritten"), "{text}");
    eprintln!(
        "no-change run: {} requests: robots.txt + {} conditional (all 304), 0 bodies",
        seen.len(),
        data.len()
    );
}

#[test]
fn changes_are_reported_exactly_and_put_in_service() {
    let home = tempfile::tempdir().unwrap();
    let mock = mock();
    assert_eq!(refresh(home.path(), &mock).code, 10);
    let index_before = current_index(home.path());

    mock.put(AGENDA, agenda_v2());
    mock.put(SIDROPS_ABOUT, sidrops_about_v2());
    mock.reset_log();
    let run = refresh(home.path(), &mock);
    assert_eq!(run.code, 10, "{}", run.stderr);
    let r = &run.report;
    assert_eq!(r["outcome"], "changed");
    assert_eq!(r["index_rebuilt"], true);
    assert_eq!(ids(r, "moved"), ["121-quic-2"]);
    assert_eq!(ids(r, "cancelled"), ["121-sidrops-1"]);
    assert_eq!(ids(r, "rescheduled"), ["121-hrpc-1"]);
    assert_eq!(ids(r, "charters_changed"), ["sidrops"]);
    assert_eq!(change_count(r), 4, "nothing else: {r}");
    let mut changed: Vec<_> = r["fetch"]["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    changed.sort_unstable();
    assert_eq!(changed, [AGENDA, SIDROPS_ABOUT]);
    // Two changed URLs, two bodies; the rest answered 304.
    assert_eq!(mock.bodies_sent(), 2);
    assert_ne!(current_index(home.path()), index_before);

    // Readers now see the new data.
    assert_eq!(
        quic_rooms(&recommend(home.path())),
        ["Liffey Hall 2", "Liffey A"]
    );
}

#[test]
fn a_second_refresh_exits_4_at_once_while_the_lock_is_held() {
    let home = tempfile::tempdir().unwrap();
    let mock = mock();
    // Held by this test process, as another refresh would hold it.
    let lock = std::fs::File::create(home.path().join(".wgrec.lock")).unwrap();
    lock.try_lock().unwrap();
    let run = refresh(home.path(), &mock);
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert!(
        run.stderr.contains("another refresh is running"),
        "{}",
        run.stderr
    );
    // No report, only the JSON failure object (see a_failed_json_refresh_still_prints_...).
    assert_eq!(run.report["outcome"], "failed", "{}", run.stdout);
    assert!(run.report.get("meeting").is_none(), "{}", run.stdout);
    assert!(mock.requests().is_empty(), "a locked-out refresh fetched");
    drop(lock);

    // A real refresh holding the lock (paused right after taking it).
    let (mut first, markers) =
        spawn_refresh(home.path(), &mock, &[("WGREC_TEST_PAUSE", "after-lock")]);
    wait_for(&markers, "paused at after-lock");
    let second = refresh(home.path(), &mock);
    assert_eq!(second.code, 4, "{}", second.stderr);
    first.kill().unwrap();
    first.wait().unwrap();
    // Killed, it released the lock with its life.
    assert_eq!(refresh(home.path(), &mock).code, 10);
}

#[test]
fn failures_leave_the_previous_snapshot_and_index_in_service() {
    let home = tempfile::tempdir().unwrap();
    let mock = mock();
    let served = first_refresh(home.path(), &mock);

    let cases: [(&str, Reply); 3] = [
        (
            "garbage agenda",
            Reply::ok(&b"<html>maintenance</html>"[..]),
        ),
        ("agenda answers 500", Reply::status(500)),
        (
            "agenda for another meeting",
            Reply::ok(
                String::from_utf8(agenda_v2())
                    .unwrap()
                    .replace("\"number\": \"121\"", "\"number\": \"122\""),
            ),
        ),
    ];
    for (what, reply) in cases {
        mock.always(AGENDA, reply);
        let run = refresh(home.path(), &mock);
        assert_eq!(run.code, 1, "{what}: {}", run.stderr);
        assert!(run.stderr.contains("error:"), "{what}: {}", run.stderr);
        assert_eq!(
            tree(&home.path().join("snapshot")),
            served.snapshot,
            "{what}"
        );
        assert_eq!(current_index(home.path()), served.index, "{what}");
        assert_eq!(recommend(home.path()), served.answer, "{what}");
        mock.clear_faults();
    }

    // The server is down altogether.
    let gone = mock.url();
    drop(mock);
    let out = wgrec(home.path())
        .args([
            "refresh",
            "--meeting",
            "121",
            "--base-url",
            &gone,
            "--max-attempts",
            "1",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(tree(&home.path().join("snapshot")), served.snapshot);
    assert_eq!(recommend(home.path()), served.answer);

    // Disk: the state folder cannot be created (a file is in the way).
    let mock = self::mock();
    mock.put(AGENDA, agenda_v2());
    std::fs::remove_dir_all(home.path().join("refresh")).unwrap();
    std::fs::write(home.path().join("refresh"), b"in the way").unwrap();
    let run = refresh(home.path(), &mock);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("refresh"), "{}", run.stderr);
    assert_eq!(tree(&home.path().join("snapshot")), served.snapshot);
    assert_eq!(current_index(home.path()), served.index);
    assert!(mock.requests().is_empty());
}

#[test]
fn a_failed_about_page_is_a_partial_failure_and_the_rest_is_applied() {
    let home = tempfile::tempdir().unwrap();
    let mock = mock();
    assert_eq!(refresh(home.path(), &mock).code, 10);
    mock.put(AGENDA, agenda_v2());
    mock.put(SIDROPS_ABOUT, sidrops_about_v2());
    mock.always(SIDROPS_ABOUT, Reply::status(503));
    let run = refresh(home.path(), &mock);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let r = &run.report;
    assert_eq!(r["outcome"], "partial");
    let failed = r["fetch"]["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 1, "{r}");
    assert!(failed[0]["url"].as_str().unwrap().ends_with(SIDROPS_ABOUT));
    assert_eq!(r["index_rebuilt"], true);
    assert_eq!(ids(r, "moved"), ["121-quic-2"]);
    assert!(ids(r, "charters_changed").is_empty(), "old page kept");
    recommend(home.path());

    // Once the page is back, the charter change arrives.
    mock.clear_faults();
    let run = refresh(home.path(), &mock);
    assert_eq!(run.code, 10, "{}", run.stderr);
    assert_eq!(ids(&run.report, "charters_changed"), ["sidrops"]);
    assert_eq!(change_count(&run.report), 1);
}

/// `wgrec refresh` as a child process whose stderr lines arrive on the receiver.
fn spawn_refresh(home: &Path, mock: &MockDt, env: &[(&str, &str)]) -> (Child, Receiver<String>) {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_wgrec"));
    crate::common::isolate(&mut c, home)
        .args(refresh_args(mock))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (k, v) in env {
        c.env(k, v);
    }
    let mut child = c.spawn().unwrap();
    let err = child.stderr.take().unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

fn wait_for(rx: &Receiver<String>, marker: &str) {
    loop {
        match rx.recv_timeout(GUARD) {
            Ok(line) if line == marker => return,
            Ok(_) => {}
            Err(e) => panic!("never saw {marker:?}: {e}"),
        }
    }
}

#[test]
fn a_refresh_killed_at_any_point_leaves_an_index_that_answers() {
    let home = tempfile::tempdir().unwrap();
    let mock = mock();
    assert_eq!(refresh(home.path(), &mock).code, 10);
    let points = [
        "after-lock",
        "after-fetch",
        "before-index",
        "mid-index-build",
        "before-swap",
        "after-index",
        "before-record",
        "after-record",
    ];
    for (i, point) in points.iter().enumerate() {
        // Each round moves quic's second session to a new room.
        let room = format!("Room {i}");
        mock.put(AGENDA, agenda_room(&room));
        let (mut child, markers) =
            spawn_refresh(home.path(), &mock, &[("WGREC_TEST_PAUSE", point)]);
        wait_for(&markers, &format!("paused at {point}"));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        recommend(home.path());

        // The lock went with the process, and the move is reported exactly once more, unless
        // the killed run had already recorded it.
        let run = refresh(home.path(), &mock);
        if *point == "after-record" {
            assert_eq!(run.code, 0, "{point}: {}", run.stderr);
        } else {
            assert_eq!(run.code, 10, "{point}: {}", run.stderr);
            assert_eq!(ids(&run.report, "moved"), ["121-quic-2"], "{point}");
            assert_eq!(
                run.report["changes"]["moved"][0]["after"]["room"], room,
                "{point}"
            );
        }
        recommend(home.path());
    }

    // Killed in the middle of the downloads: one about page is still on its way.
    mock.put(AGENDA, agenda_v2());
    mock.put(SIDROPS_ABOUT, sidrops_about_v2());
    mock.script(
        SIDROPS_ABOUT,
        vec![Reply::ok(sidrops_about_v2()).delay(GUARD)],
    );
    let (mut child, _markers) = spawn_refresh(home.path(), &mock, &[]);
    let start = std::time::Instant::now();
    while mock.requests_for(SIDROPS_ABOUT).is_empty() {
        assert!(
            start.elapsed() < GUARD,
            "the refresh never asked for the page"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    recommend(home.path());
    mock.clear_faults();
    let run = refresh(home.path(), &mock);
    assert_eq!(run.code, 10, "{}", run.stderr);
    assert_eq!(ids(&run.report, "charters_changed"), ["sidrops"]);
    assert_eq!(ids(&run.report, "cancelled"), ["121-sidrops-1"]);
    recommend(home.path());
    // Nothing half-written is left in the snapshot.
    let leftovers: Vec<_> = tree(&home.path().join("snapshot"))
        .into_keys()
        .filter(|k| k.contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // Finished generations that were never swapped in (killed before the swap) are gone: only
    // the live one and the previous one (late readers) stay.
    let finished = std::fs::read_dir(home.path().join("index"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("wgrec.json").is_file())
        .count();
    assert!(finished <= 2, "{finished} finished generations left");
}

#[test]
fn readers_are_never_blocked_or_broken_by_a_refresh() {
    let home = tempfile::tempdir().unwrap();
    let mock = mock();
    assert_eq!(refresh(home.path(), &mock).code, 10);
    mock.put(AGENDA, agenda_v2());
    mock.put(SIDROPS_ABOUT, sidrops_about_v2());
    // Held a moment at two points (then it carries on), so readers surely meet it there.
    let (mut child, markers) = spawn_refresh(
        home.path(),
        &mock,
        &[
            ("WGREC_TEST_PAUSE", "after-fetch,after-index"),
            ("WGREC_TEST_PAUSE_MS", "1500"),
        ],
    );
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let (home, done) = (home.path().to_path_buf(), done.clone());
        std::thread::spawn(move || {
            let mut n = 0;
            while n < 200 && !done.load(std::sync::atomic::Ordering::SeqCst) {
                recommend(&home);
                n += 1;
            }
            n
        })
    };
    // New snapshot files, old index: readers still answer.
    wait_for(&markers, "paused at after-fetch");
    recommend(home.path());
    // New index swapped in, record not yet written: readers answer from the new index.
    wait_for(&markers, "paused at after-index");
    assert_eq!(
        quic_rooms(&recommend(home.path())),
        ["Liffey Hall 2", "Liffey A"]
    );
    let status = child.wait().unwrap();
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(status.code(), Some(10));
    let n = reader.join().expect("a reader failed");
    assert!(n >= 1);
    eprintln!("{n} recommend runs in the loop during the refresh, all with results");
}

#[test]
fn upcoming_refreshes_the_next_meeting_from_the_meeting_list() {
    let home = tempfile::tempdir().unwrap();
    let mock = mock();
    let out = refresh_upcoming(home.path(), &mock, &["--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(10),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["meeting"], 121);
    assert_eq!(mock.requests_for("meeting/upcoming.json").len(), 1);
    assert!(!mock.requests_for(AGENDA).is_empty());
    recommend(home.path());

    // Nothing changed: the meeting list is asked for again (a plain GET, one small body), and
    // robots.txt (404 here); every other request is conditional and answered 304.
    mock.reset_log();
    let out = refresh_upcoming(home.path(), &mock, &[]);
    assert_eq!(out.status.code(), Some(0));
    let seen = mock.requests();
    let plain =
        |s: &&crate::common::Seen| s.path == "meeting/upcoming.json" || s.path == "robots.txt";
    let (list, rest): (Vec<_>, Vec<_>) = seen.iter().partition(plain);
    assert_eq!(list.len(), 2, "{list:?}");
    assert!(rest.len() > 1);
    assert!(rest.iter().all(|s| s.is_conditional() && s.status == 304));
    assert_eq!(mock.bodies_sent(), 1);
}

#[test]
fn meeting_and_upcoming_are_exclusive_and_one_is_required() {
    let home = tempfile::tempdir().unwrap();
    for args in [
        &["refresh"][..],
        &["refresh", "--meeting", "121", "--upcoming"][..],
    ] {
        let out = wgrec(home.path()).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

const PROFILES: &str = r#"
meeting = 121

[[official]]
name = "Ada Example"
interests = ["transport"]

[[official]]
name = "Bruno Muster"
interests = ["routing security"]
must = ["sidrops"]

[[official]]
name = "Chidi Sample"
interests = ["human rights"]

[[official]]
name = "Dana Placeholder"
interests = ["deep space"]

[[official]]
name = "Eve Instance"
interests = ["transport protocols"]
"#;

/// Official name -> "group kind" items of the report's `officials`.
fn notices(r: &Value) -> BTreeMap<String, Vec<String>> {
    r["officials"]
        .as_array()
        .unwrap_or_else(|| panic!("no officials in {r}"))
        .iter()
        .map(|o| {
            let items = o["changes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    format!(
                        "{} {}",
                        c["group"].as_str().unwrap(),
                        c["kind"].as_str().unwrap()
                    )
                })
                .collect();
            (o["name"].as_str().unwrap().to_string(), items)
        })
        .collect()
}

#[test]
fn with_profiles_the_report_says_whom_each_change_concerns() {
    let home = tempfile::tempdir().unwrap();
    let profiles = home.path().join("officials.toml");
    std::fs::write(&profiles, PROFILES).unwrap();
    let mock = mock();
    let with_profiles = |mock: &MockDt| {
        let out = wgrec(home.path())
            .args(refresh_args(mock))
            .arg("--profiles")
            .arg(&profiles)
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        (
            out.status.code().unwrap(),
            report,
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (code, r, err) = with_profiles(&mock);
    assert_eq!(code, 10, "{err}");
    let none: Vec<String> = vec![];
    assert_eq!(
        notices(&r),
        BTreeMap::from([
            ("Ada Example".to_string(), none.clone()),
            ("Bruno Muster".to_string(), none.clone()),
            ("Chidi Sample".to_string(), none.clone()),
            ("Dana Placeholder".to_string(), none.clone()),
            ("Eve Instance".to_string(), none.clone()),
        ])
    );

    mock.put(AGENDA, agenda_v2());
    mock.put(SIDROPS_ABOUT, sidrops_about_v2());
    let (code, r, err) = with_profiles(&mock);
    assert_eq!(code, 10, "{err}");
    assert_eq!(
        notices(&r),
        BTreeMap::from([
            // quic is only a possible match for "transport" (one mention in its charter): it is
            // not in Ada's plan nor offered as a swap, so its move is not Ada's news.
            ("Ada Example".to_string(), none.clone()),
            (
                "Bruno Muster".to_string(),
                vec![
                    "sidrops cancelled".to_string(),
                    "sidrops charter_changed".to_string()
                ]
            ),
            (
                "Chidi Sample".to_string(),
                vec!["hrpc rescheduled".to_string()]
            ),
            ("Dana Placeholder".to_string(), none),
            // For "transport protocols" quic is strong and planned on Monday; its Thursday
            // session moved: still quic's news.
            ("Eve Instance".to_string(), vec!["quic moved".to_string()]),
        ])
    );
    assert!(r["problems"].as_array().unwrap().is_empty(), "{r}");
}

#[test]
fn a_bad_profiles_file_is_refused_before_anything_is_fetched() {
    let home = tempfile::tempdir().unwrap();
    let profiles = home.path().join("officials.toml");
    std::fs::write(&profiles, "[[official]]\nname = \"No Interests\"\n").unwrap();
    let mock = mock();
    let out = wgrec(home.path())
        .args(refresh_args(&mock))
        .arg("--profiles")
        .arg(&profiles)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("officials.toml:"), "{err}");
    assert!(mock.requests().is_empty());
    assert!(!home.path().join("snapshot").exists());

    let out = wgrec(home.path())
        .args(refresh_args(&mock))
        .arg("--profiles")
        .arg(home.path().join("missing.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(mock.requests().is_empty());
}

#[test]
fn the_text_report_as_cron_mails_it() {
    let home = tempfile::tempdir().unwrap();
    let profiles = home.path().join("officials.toml");
    std::fs::write(&profiles, PROFILES).unwrap();
    let mock = mock();
    let text = |mock: &MockDt| {
        let out = wgrec(home.path())
            .args(refresh_args_as(mock, "text"))
            .arg("--profiles")
            .arg(&profiles)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stdout).to_string(),
        )
    };
    assert_eq!(text(&mock).0, 10);
    mock.put(AGENDA, agenda_v2());
    mock.put(SIDROPS_ABOUT, sidrops_about_v2());
    let (code, report) = text(&mock);
    assert_eq!(code, 10);
    insta::assert_snapshot!("text_report_with_profiles", report);
}

/// `wgrec refresh` with files limited to 512 bytes (`ulimit -f 1`, SIGXFSZ ignored): every
/// larger write fails with EFBIG, as on a full disk.
fn refresh_on_full_disk(home: &Path, mock: &MockDt) -> (i32, String) {
    let out = crate::common::isolate(&mut std::process::Command::new("sh"), home)
        .arg("-c")
        .arg(r#"trap "" XFSZ; ulimit -f 1; exec "$0" "$@""#)
        .arg(env!("CARGO_BIN_EXE_wgrec"))
        .args(refresh_args(mock))
        .output()
        .unwrap();
    (
        out.status.code().expect("exited, not killed"),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn a_full_disk_while_storing_or_indexing_leaves_the_previous_data_in_service() {
    let home = tempfile::tempdir().unwrap();
    let mock = mock();
    let served = first_refresh(home.path(), &mock);

    // Storing the new agenda fails.
    mock.put(AGENDA, agenda_v2());
    let (code, err) = refresh_on_full_disk(home.path(), &mock);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("File too large"), "{err}");
    assert_eq!(tree(&home.path().join("snapshot")), served.snapshot);
    assert_eq!(current_index(home.path()), served.index);
    assert_eq!(recommend(home.path()), served.answer);

    // The snapshot is new (a refresh was killed after its fetch), so the next one only has to
    // build the index, and that fails.
    let (mut child, markers) =
        spawn_refresh(home.path(), &mock, &[("WGREC_TEST_PAUSE", "after-fetch")]);
    wait_for(&markers, "paused at after-fetch");
    child.kill().unwrap();
    child.wait().unwrap();
    let generations = |home: &Path| {
        let mut v: Vec<_> = std::fs::read_dir(home.join("index"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n.starts_with("gen-"))
            .collect();
        v.sort();
        v
    };
    let before = generations(home.path());
    let (code, err) = refresh_on_full_disk(home.path(), &mock);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("index"), "{err}");
    assert_eq!(
        current_index(home.path()),
        served.index,
        "CURRENT was switched"
    );
    assert_eq!(
        generations(home.path()),
        before,
        "a half-built generation was left"
    );

    // With room again, the same changes are applied and reported.
    let run = refresh(home.path(), &mock);
    assert_eq!(run.code, 10, "{}", run.stderr);
    assert_eq!(ids(&run.report, "moved"), ["121-quic-2"]);
    assert_eq!(ids(&run.report, "cancelled"), ["121-sidrops-1"]);
    recommend(home.path());
}

/// The record the last completed refresh left for meeting 121.
fn record_bytes(home: &Path) -> Vec<u8> {
    std::fs::read(home.join("refresh/meeting-121.json")).unwrap()
}

#[test]
fn a_report_that_cannot_be_written_is_not_recorded_and_comes_again() {
    let full = Path::new("/dev/full");
    if !full.exists() {
        eprintln!("no /dev/full here; skipped");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let mock = mock();
    assert_eq!(refresh(home.path(), &mock).code, 10);
    let record = record_bytes(home.path());

    mock.put(AGENDA, agenda_room("Liffey Z"));
    for format in ["text", "json"] {
        // assert_cmd captures stdout; a plain Command can hand it the failing file.
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_wgrec"));
        let out = crate::common::isolate(&mut c, home.path())
            .args(refresh_args_as(&mock, format))
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(full).unwrap())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{format}: {err}");
        assert!(err.contains("writing the report"), "{format}: {err}");
        assert_eq!(record_bytes(home.path()), record, "{format}");
    }
    // No temp record left behind either.
    let names: Vec<_> = std::fs::read_dir(home.path().join("refresh"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["meeting-121.json"]);

    // The next run that can write its report tells of the move, then it is recorded.
    let run = refresh(home.path(), &mock);
    assert_eq!(run.code, 10, "{}", run.stderr);
    assert_eq!(ids(&run.report, "moved"), ["121-quic-2"]);
    assert_ne!(record_bytes(home.path()), record);
    assert_eq!(refresh(home.path(), &mock).code, 0);
}

#[test]
fn a_profiles_file_for_another_meeting_is_refused_before_any_request() {
    let home = tempfile::tempdir().unwrap();
    let mock = mock();
    let example = fixtures().join("profiles.example.toml");
    let out = wgrec(home.path())
        .args(refresh_args(&mock))
        .arg("--profiles")
        .arg(&example)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("115") && err.contains("121"), "{err}");
    assert!(mock.requests().is_empty());
    assert!(!home.path().join("snapshot").exists());

    // With --upcoming the meeting is known after the meeting list only: still nothing else.
    let out = wgrec(home.path())
        .args([
            "refresh",
            "--upcoming",
            "--base-url",
            &mock.url(),
            "--rate",
            "1000",
        ])
        .arg("--profiles")
        .arg(&example)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("115") && err.contains("121"), "{err}");
    assert!(mock.requests_for(AGENDA).is_empty());
    assert!(!home.path().join("snapshot").exists());

    // Without `meeting` the file is fine.
    let profiles = home.path().join("officials.toml");
    std::fs::write(&profiles, PROFILES.replace("meeting = 121", "")).unwrap();
    let out = wgrec(home.path())
        .args(refresh_args(&mock))
        .arg("--profiles")
        .arg(&profiles)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(10),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn upcoming_errors_name_every_url_tried() {
    let home = tempfile::tempdir().unwrap();
    let mock = MockDt::empty();
    let out = wgrec(home.path())
        .args([
            "refresh",
            "--upcoming",
            "--base-url",
            &mock.url(),
            "--rate",
            "1000",
        ])
        .args(["--max-attempts", "1"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("{}/meeting/upcoming.json: HTTP 404", mock.url())),
        "{err}"
    );
    assert!(
        err.contains(&format!("{}/api/v1/meeting/meeting/?type=ietf", mock.url())),
        "{err}"
    );
}

#[test]
fn a_failed_json_refresh_still_prints_a_json_outcome() {
    let home = tempfile::tempdir().unwrap();
    let mock = mock();
    mock.always(AGENDA, Reply::status(500));
    let run = refresh(home.path(), &mock);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.report["outcome"], "failed", "{}", run.stdout);
    assert_eq!(run.report["exit_code"], 1);
    let why = run.report["error"].as_str().unwrap();
    assert!(why.contains(AGENDA) && why.contains("HTTP 500"), "{why}");

    // Locked out: the same object, with the lock's exit code.
    let lock = std::fs::File::create(home.path().join(".wgrec.lock")).unwrap();
    lock.try_lock().unwrap();
    let run = refresh(home.path(), &mock);
    assert_eq!(run.code, 4);
    assert_eq!(run.report["outcome"], "failed", "{}", run.stdout);
    assert_eq!(run.report["exit_code"], 4);
}

#[test]
fn after_a_killed_run_the_text_report_says_why_nothing_was_fetched_but_changes_apply() {
    let home = tempfile::tempdir().unwrap();
    let mock = mock();
    assert_eq!(refresh(home.path(), &mock).code, 10);
    mock.put(AGENDA, agenda_room("Liffey Z"));
    let (mut child, markers) =
        spawn_refresh(home.path(), &mock, &[("WGREC_TEST_PAUSE", "after-fetch")]);
    wait_for(&markers, "paused at after-fetch");
    child.kill().unwrap();
    child.wait().unwrap();

    // The same run's JSON says so too (a record-keeping twin: a second home, same history).
    let twin = tempfile::tempdir().unwrap();
    copy_tree(home.path(), twin.path());
    let run = refresh(twin.path(), &mock);
    assert_eq!(run.code, 10, "{}", run.stderr);
    assert_eq!(run.report["stored_by_earlier_run"], true, "{}", run.stdout);
    assert_eq!(ids(&run.report, "moved"), ["121-quic-2"]);

    let (code, text) = refresh_text(home.path(), &mock);
    assert_eq!(code, 10, "{text}");
    assert!(text.contains(", 0 changed, 0 failed"), "{text}");
    assert!(
        text.contains("already been stored by an earlier refresh that did not finish"),
        "{text}"
    );
    assert!(text.contains("Moved (1):"), "{text}");
    // An ordinary run with new files does not carry the note.
    mock.put(AGENDA, agenda_room("Liffey Y"));
    let run = refresh(home.path(), &mock);
    assert_eq!(run.code, 10, "{}", run.stderr);
    assert_eq!(run.report["stored_by_earlier_run"], false);
    mock.put(AGENDA, agenda_room("Liffey X"));
    let (code, text) = refresh_text(home.path(), &mock);
    assert_eq!(code, 10, "{text}");
    assert!(!text.contains("did not finish"), "{text}");
}

/// Copies a home (files only; the index pointer and generations are plain files too).
fn copy_tree(from: &Path, to: &Path) {
    for (rel, bytes) in tree(from) {
        let p = to.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

#[test]
fn neither_meeting_nor_upcoming_names_both_in_the_error() {
    let home = tempfile::tempdir().unwrap();
    let out = wgrec(home.path()).arg("refresh").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--meeting") && err.contains("--upcoming"),
        "{err}"
    );
}

// ---- Issue 10: nothing from upstream is trusted ----

#[test]
fn etag_churn_with_identical_bodies_changes_nothing_and_rebuilds_nothing() {
    let home = tempfile::tempdir().unwrap();
    let mock = mock();
    let served = first_refresh(home.path(), &mock);
    let stats = stat_tree(&home.path().join("index"));
    // Every URL answers 200 with the same bytes as before but a new ETag, twice over.
    let root = fixtures().join("mock/dt");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(home.path().join("snapshot/manifest.json")).unwrap())
            .unwrap();
    let paths: Vec<String> = manifest["entries"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    for round in 0..2 {
        for p in &paths {
            let rel = wgrec::snapshot::relative_file(p).unwrap();
            let body = std::fs::read(root.join(rel)).unwrap();
            mock.always(
                p,
                Reply::ok(body).header("ETag", &format!("\"churn-{round}-{p}\"")),
            );
        }
        let r = refresh(home.path(), &mock);
        assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
        assert_eq!(r.report["outcome"], "no_change");
        assert_eq!(r.report["index_rebuilt"], false);
        assert_eq!(r.report["fetch"]["changed"], serde_json::json!([]));
    }
    assert_eq!(current_index(home.path()), served.index);
    assert_eq!(
        stat_tree(&home.path().join("index")),
        stats,
        "nothing rebuilt"
    );
    // The bodies are as they were; only the manifest learnt the new validators.
    let without_manifest = |mut t: BTreeMap<String, Vec<u8>>| {
        t.remove("manifest.json");
        t
    };
    assert_eq!(
        without_manifest(tree(&home.path().join("snapshot"))),
        without_manifest(served.snapshot)
    );
}

#[test]
fn a_100000_deep_page_fails_in_refresh_and_the_previous_page_and_index_serve() {
    let home = tempfile::tempdir().unwrap();
    let mock = mock();
    let served = first_refresh(home.path(), &mock);
    let deep = format!(
        "<html><body><div id=\"content\"><h1>SIDR Operations (sidrops)</h1>{}</div></body></html>",
        "<b>".repeat(100_000)
    );
    mock.put(SIDROPS_ABOUT, deep);
    let r = refresh(home.path(), &mock);
    // JSON mode prints the report with the failure; partial: the rest is in service.
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(r.report["outcome"], "partial");
    let failed = &r.report["fetch"]["failed"];
    assert_eq!(failed.as_array().unwrap().len(), 1, "{failed}");
    assert!(
        failed[0]["url"].as_str().unwrap().ends_with(SIDROPS_ABOUT),
        "{failed}"
    );
    assert!(
        failed[0]["reason"]
            .as_str()
            .unwrap()
            .contains("nested more than 512 deep"),
        "{failed}"
    );
    assert_eq!(tree(&home.path().join("snapshot")), served.snapshot);
    assert_eq!(recommend(home.path())["results"], served.answer["results"]);
    // The agenda itself nested absurdly deep: a JSON parse error, the failure object.
    mock.put(AGENDA, "[".repeat(100_000));
    let r = refresh(home.path(), &mock);
    assert_eq!(r.code, 1);
    assert_eq!(r.report["outcome"], "failed");
    assert!(
        r.report["error"]
            .as_str()
            .unwrap()
            .contains("nothing was stored"),
        "{}",
        r.report
    );
    recommend(home.path());
}

#[test]
fn escape_bytes_in_a_room_and_a_group_name_never_reach_stdout_or_the_report() {
    let home = tempfile::tempdir().unwrap();
    let mock = mock();
    first_refresh(home.path(), &mock);
    let esc_room = agenda_room("Liffey \u{1b}[2J\u{1b}]0;pwned\u{7}B");
    mock.put(AGENDA, esc_room);
    let about = std::fs::read_to_string(fixtures().join("mock/dt/group/quic/about/index.html"))
        .unwrap()
        .replace("QUIC", "QU\u{1b}[31mIC\u{9b}0m");
    mock.put("group/quic/about/", about);
    let (code, report) = refresh_text(home.path(), &mock);
    assert_eq!(code, 10, "{report}");
    assert!(report.contains("Liffey [2J]0;pwnedB"), "{report}");
    let stdout = |args: &[&str]| {
        String::from_utf8(wgrec(home.path()).args(args).output().unwrap().stdout).unwrap()
    };
    for out in [
        report,
        stdout(&["recommend", "--interest", "quic", "--meeting", "121"]),
        stdout(&["recommend", "--interest", "quic", "--format", "markdown"]),
        stdout(&["itinerary", "--interest", "quic", "--format", "table"]),
    ] {
        assert!(out.contains("quic"), "{out}");
        assert!(
            !out.chars().any(|c| c.is_control() && c != '\n'),
            "a control character reached the output: {out:?}"
        );
    }
}
