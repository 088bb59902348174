//! `wgrec fetch` end to end against a datatracker stand-in on 127.0.0.1 (`common::MockDt`):
//! what is stored, conditional re-fetches, retries, failures that damage nothing, size cap,
//! hostile data, the agenda.json fallback, the real IETF 108-115 agenda.json files and the
//! IETF 119-121 evaluation mirror.

use crate::common::{MockDt, Reply, fetch_cmd, fixtures, shared, tree, wgrec};
use predicates::prelude::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;
use wgrec::snapshot::{Manifest, Snapshot};

const UA_PREFIX: &str = concat!("wgrec/", env!("CARGO_PKG_VERSION"), " (+https://");

fn mock_root() -> PathBuf {
    fixtures().join("mock/dt")
}

fn snap(home: &Path) -> PathBuf {
    home.join("snapshot")
}

/// What a fetch left in `home`, besides the (empty) lock file every fetch takes.
fn stored(home: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut t = tree(home);
    t.remove(".wgrec.lock");
    t
}

/// Runs a fetch with `--format json` and returns the summary (whatever the exit code).
fn fetch_json(home: &Path, mock: &MockDt, meeting: u32, extra: &[&str]) -> (Value, i32, String) {
    let out = fetch_cmd(home, mock, meeting)
        .args(["--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(-1);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("no JSON summary ({e}); exit {code}; stderr:\n{stderr}"));
    (v, code, stderr)
}

/// Runs a fetch with `--format json`; the summary is `Null` when the run failed before one.
fn fetch_json_or_failure(
    home: &Path,
    mock: &MockDt,
    meeting: u32,
    extra: &[&str],
) -> (Value, i32, String) {
    let out = fetch_cmd(home, mock, meeting)
        .args(["--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(-1);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (
        serde_json::from_slice(&out.stdout).unwrap_or(Value::Null),
        code,
        stderr,
    )
}

/// The mock meeting 121: what a full fetch must store, with the bytes it must store.
const MOCK_121_PATHS: &[&str] = &[
    "api/meeting/121/agenda-data",
    "group/deepspace/about/",
    "group/hrpc/about/",
    "group/pearg/about/",
    "group/quic/about/",
    "group/scim/about/",
    "group/sidrops/about/",
    "meeting/121/materials/agenda-121-deepspace",
    "meeting/121/materials/agenda-121-hrpc",
    "meeting/121/materials/agenda-121-pearg",
    "meeting/121/materials/agenda-121-quic",
    "meeting/121/materials/agenda-121-sidrops",
];

fn file_of(root: &Path, url_path: &str) -> PathBuf {
    root.join(wgrec::snapshot::relative_file(url_path).unwrap())
}

/// A home holding a good fetch of the mock meeting 121, with the mock that served it.
fn fetched_121() -> (MockDt, tempfile::TempDir, PathBuf) {
    let mock = MockDt::serve(mock_root());
    let home = tempfile::tempdir().unwrap();
    let s = snap(home.path());
    assert_eq!(fetch_json(home.path(), &mock, 121, &[]).1, 0);
    (mock, home, s)
}

/// Modification times of the stored meeting-121 files and the manifest, in a fixed order.
fn mtimes_121(s: &Path) -> Vec<std::time::SystemTime> {
    MOCK_121_PATHS
        .iter()
        .map(|p| file_of(s, p))
        .chain([s.join("manifest.json")])
        .map(|f| std::fs::metadata(f).unwrap().modified().unwrap())
        .collect()
}

#[test]
fn full_fetch_stores_agenda_about_pages_and_documents() {
    let mock = MockDt::serve(mock_root());
    let home = tempfile::tempdir().unwrap();
    let (v, code, stderr) = fetch_json(home.path(), &mock, 121, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(v["sessions"], 7);
    assert_eq!(v["agenda"], "api/meeting/121/agenda-data");
    assert_eq!(v["about_pages"], 6);
    assert_eq!(v["about_pages_ok"], 6);
    // Two quic sessions share one agenda; the cancelled scim session has none.
    assert_eq!(v["documents"], 5);
    assert_eq!(v["documents_ok"], 5);
    assert_eq!(v["ok"], 12);
    assert_eq!(v["not_modified"], 0);
    // The 12 URLs, plus robots.txt first (the mock has none: 404, everything allowed).
    assert_eq!(v["requests"], 13);
    assert_eq!(v["robots"], "none (404): everything allowed");
    assert_eq!(mock.requests()[0].path, "robots.txt");
    assert_eq!(mock.requests_for("robots.txt").len(), 1);
    assert_eq!(mock.requests().len(), 13);
    assert_eq!(v["failures"].as_array().unwrap().len(), 0);
    assert_eq!(v["changed"].as_array().unwrap().len(), 12);
    assert!(v["manifest_written"].as_bool().unwrap());

    let s = snap(home.path());
    let manifest = Manifest::load(&s).unwrap();
    for p in MOCK_121_PATHS {
        let stored = std::fs::read(file_of(&s, p)).unwrap_or_else(|_| panic!("{p} not stored"));
        let served = std::fs::read(file_of(&mock_root(), p)).unwrap();
        assert_eq!(stored, served, "{p}");
        let e = &manifest.entries[*p];
        assert_eq!(e.url, format!("{}/{p}", mock.url()));
        assert_eq!(e.status, 200);
        assert_eq!(e.size, served.len() as u64);
        assert_eq!(e.sha256, wgrec::snapshot::sha256_hex(&served));
        assert_eq!(
            e.etag.as_deref(),
            Some(crate::common::etag_of(&served).as_str())
        );
        assert_eq!(
            e.last_modified.as_deref(),
            Some(crate::common::LAST_MODIFIED)
        );
        assert!(e.fetched_at.ends_with('Z'));
    }
    assert_eq!(manifest.entries.len(), MOCK_121_PATHS.len());

    // Politeness headers.
    for r in mock.requests() {
        let ua = r.header("user-agent").unwrap_or("");
        assert!(ua.starts_with(UA_PREFIX), "{ua}");
        assert!(
            !r.is_conditional(),
            "first fetch of {} was conditional",
            r.path
        );
    }
    let doc = &mock.requests_for("meeting/121/materials/agenda-121-quic")[0];
    assert_eq!(
        doc.header("accept"),
        Some("text/markdown, text/plain;q=0.9, */*;q=0.1")
    );

    // What was stored is a usable snapshot.
    let m = Snapshot::open(&s)
        .unwrap()
        .unwrap()
        .load_meeting(121)
        .unwrap();
    assert_eq!(m.groups.len(), 6);
    assert_eq!(m.groups["quic"].area.as_deref(), Some("wit"));
    assert!(m.groups["deepspace"].charter.contains("long delays"));
    assert_eq!(m.agenda_texts.len(), 5);
}

#[test]
fn text_summary_and_quiet_and_verbose() {
    let mock = MockDt::serve(mock_root());
    let home = tempfile::tempdir().unwrap();
    fetch_cmd(home.path(), &mock, 121)
        .arg("-q")
        .assert()
        .success()
        .stderr("")
        .stdout(predicate::str::contains("meeting 121: 7 sessions"))
        .stdout(predicate::str::contains(
            "6/6 about pages; 5/5 agenda documents",
        ))
        .stdout(predicate::str::contains(
            "13 requests: 12 ok (200), 0 not modified (304), 0 errors",
        ))
        .stdout(predicate::str::contains(
            "\nrobots.txt: none (404): everything allowed",
        ))
        .stdout(predicate::str::contains("12 files changed"));
    mock.script(
        "group/quic/about/",
        vec![Reply::status(503).retry_after("0")],
    );
    fetch_cmd(home.path(), &mock, 121)
        .arg("-v")
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "HTTP 503 Service Unavailable; retry 1/4",
        ));
}

#[test]
fn second_fetch_sends_only_conditional_requests_and_rewrites_nothing() {
    let mock = MockDt::serve(mock_root());
    let home = tempfile::tempdir().unwrap();
    let s = snap(home.path());
    let (_, code, stderr) = fetch_json(home.path(), &mock, 121, &[]);
    assert_eq!(code, 0, "{stderr}");
    let before = tree(&s);
    let mtimes = mtimes_121(&s);
    std::thread::sleep(Duration::from_millis(20));
    mock.reset_log();

    let (v, code, stderr) = fetch_json(home.path(), &mock, 121, &[]);
    assert_eq!(code, 0, "{stderr}");
    // robots.txt is asked for once per run, plainly (it is not stored, so there is nothing to
    // be conditional on); every other request is conditional and answered 304.
    let (robots, reqs): (Vec<_>, Vec<_>) = mock
        .requests()
        .into_iter()
        .partition(|r| r.path == "robots.txt");
    assert_eq!(robots.len(), 1);
    assert_eq!(robots[0].status, 404);
    assert_eq!(v["requests"], 1 + MOCK_121_PATHS.len());
    assert_eq!(reqs.len(), MOCK_121_PATHS.len());
    for r in &reqs {
        assert!(r.is_conditional(), "{} was not conditional", r.path);
        assert!(r.header("if-none-match").is_some());
        assert_eq!(
            r.header("if-modified-since"),
            Some(crate::common::LAST_MODIFIED)
        );
        assert_eq!(r.status, 304, "{}", r.path);
    }
    assert_eq!(mock.bodies_sent(), 0);
    assert_eq!(v["not_modified"], 12);
    assert_eq!(v["ok"], 0);
    assert_eq!(v["bytes"], 0);
    assert_eq!(v["changed"].as_array().unwrap().len(), 0);
    assert!(!v["manifest_written"].as_bool().unwrap());
    assert_eq!(tree(&s), before);
    let after = mtimes_121(&s);
    assert_eq!(mtimes, after, "a no-change fetch touched files");

    // One document changes upstream: only it is downloaded and rewritten.
    mock.reset_log();
    mock.put(
        "meeting/121/materials/agenda-121-quic",
        "# QUIC at IETF 121\n\nRevised mock agenda.\n",
    );
    let (v, code, _) = fetch_json(home.path(), &mock, 121, &[]);
    assert_eq!(code, 0);
    assert_eq!(mock.bodies_sent(), 1);
    assert_eq!(
        v["changed"],
        serde_json::json!(["meeting/121/materials/agenda-121-quic"])
    );
    assert!(v["manifest_written"].as_bool().unwrap());
    assert_eq!(
        std::fs::read_to_string(file_of(&s, "meeting/121/materials/agenda-121-quic")).unwrap(),
        "# QUIC at IETF 121\n\nRevised mock agenda.\n"
    );
}

#[test]
fn a_damaged_or_missing_stored_file_is_fetched_whole_again() {
    let (mock, home, s) = fetched_121();
    let before = tree(&s);
    std::fs::write(file_of(&s, "api/meeting/121/agenda-data"), b"{damaged").unwrap();
    std::fs::remove_file(file_of(&s, "group/hrpc/about/")).unwrap();
    mock.reset_log();
    let (v, code, stderr) = fetch_json(home.path(), &mock, 121, &[]);
    assert_eq!(code, 0, "{stderr}");
    for p in ["api/meeting/121/agenda-data", "group/hrpc/about/"] {
        let r = &mock.requests_for(p)[0];
        assert!(!r.is_conditional(), "{p}");
        assert_eq!(r.status, 200);
    }
    assert_eq!(mock.bodies_sent(), 2);
    assert_eq!(v["changed"].as_array().unwrap().len(), 2);
    // Same bodies as recorded: the manifest keeps their download times and is not rewritten.
    assert!(!v["manifest_written"].as_bool().unwrap());
    assert_eq!(tree(&s), before);
}

#[test]
fn identical_200_without_validators_rewrites_nothing() {
    // A server that ignores conditional requests: same bytes again must not touch any file.
    let (mock, home, s) = fetched_121();
    let before = tree(&s);
    let body = std::fs::read(file_of(&mock_root(), "group/quic/about/")).unwrap();
    mock.always("group/quic/about/", Reply::ok(body));
    let (v, code, _) = fetch_json(home.path(), &mock, 121, &[]);
    assert_eq!(code, 0);
    assert_eq!(v["ok"], 1);
    assert_eq!(v["changed"].as_array().unwrap().len(), 0);
    // The answer had no validators: the manifest records that, and nothing else changes.
    let m = Manifest::load(&s).unwrap();
    assert_eq!(m.entries["group/quic/about/"].etag, None);
    let after = tree(&s);
    for (k, b) in &before {
        if k != "manifest.json" {
            assert_eq!(after.get(k), Some(b), "{k}");
        }
    }
}

#[test]
fn rate_limits_and_bursts_of_503_are_retried_then_succeed() {
    let mock = MockDt::serve(mock_root());
    let home = tempfile::tempdir().unwrap();
    let soon = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(1));
    mock.script(
        "api/meeting/121/agenda-data",
        vec![
            Reply::status(429).retry_after("0"),
            Reply::status(429).retry_after(&soon),
        ],
    );
    mock.script(
        "group/hrpc/about/",
        vec![
            Reply::status(503),
            Reply::status(503).retry_after("1"),
            Reply::status(502),
        ],
    );
    mock.script(
        "meeting/121/materials/agenda-121-pearg",
        vec![Reply::status(408), Reply::status(500)],
    );
    let (v, code, stderr) = fetch_json(home.path(), &mock, 121, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(mock.requests_for("api/meeting/121/agenda-data").len(), 3);
    assert_eq!(mock.requests_for("group/hrpc/about/").len(), 4);
    assert_eq!(
        mock.requests_for("meeting/121/materials/agenda-121-pearg")
            .len(),
        3
    );
    // robots.txt + 12 URLs + the retries.
    assert_eq!(v["requests"], 1 + 12 + 2 + 3 + 2);
    assert_eq!(v["ok"], 12);
    for p in MOCK_121_PATHS {
        assert_eq!(
            std::fs::read(file_of(&snap(home.path()), p)).unwrap(),
            std::fs::read(file_of(&mock_root(), p)).unwrap(),
            "{p}"
        );
    }
}

#[test]
fn retry_after_beyond_the_cap_and_attempt_limit_give_up() {
    let mock = MockDt::serve(mock_root());
    let home = tempfile::tempdir().unwrap();
    mock.always("group/quic/about/", Reply::status(429).retry_after("120"));
    mock.always("group/sidrops/about/", Reply::status(503));
    let out = fetch_cmd(home.path(), &mock, 121)
        .args(["--max-attempts", "3"])
        .env("WGREC_MAX_WAIT_MS", "2000")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "failed: {}/group/quic/about/: HTTP 429 Too Many Requests; the server asked to wait 120 s",
            mock.url()
        )),
        "{stderr}"
    );
    // It gave up at once rather than hammering or waiting two minutes.
    assert_eq!(mock.requests_for("group/quic/about/").len(), 1);
    assert_eq!(mock.requests_for("group/sidrops/about/").len(), 3);
    assert!(stderr.contains("gave up after 3 attempts"), "{stderr}");
}

#[test]
fn permanent_500_on_one_about_page_is_reported_and_the_rest_stored() {
    // First a good fetch, so there is a previous copy to protect.
    let (mock, home, s) = fetched_121();
    let old_page = std::fs::read(file_of(&s, "group/sidrops/about/")).unwrap();
    let old_entry = Manifest::load(&s).unwrap().entries["group/sidrops/about/"].clone();

    mock.always("group/sidrops/about/", Reply::status(500));
    mock.always("meeting/121/materials/agenda-121-hrpc", Reply::status(404));
    mock.put(
        "group/quic/about/",
        "<html><body><div id=\"content\"><h1>QUIC (quic)</h1></div></body></html>",
    );
    mock.reset_log();
    let out = fetch_cmd(home.path(), &mock, 121)
        .args(["--max-attempts", "4"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "partial failure exit code");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("5/6 about pages; 4/5 agenda documents"),
        "{stdout}"
    );
    assert!(stdout.contains("2 errors"), "{stdout}");
    let failed: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("failed: "))
        .collect();
    assert_eq!(
        failed,
        vec![
            format!(
                "failed: {}/group/sidrops/about/: HTTP 500 Internal Server Error (gave up after 4 attempts)",
                mock.url()
            )
            .as_str(),
            format!(
                "failed: {}/meeting/121/materials/agenda-121-hrpc: HTTP 404 Not Found",
                mock.url()
            )
            .as_str(),
        ]
    );
    assert!(
        stderr.contains("error: 2 of 12 downloads failed"),
        "{stderr}"
    );
    // 500 is retried, 404 is not.
    assert_eq!(mock.requests_for("group/sidrops/about/").len(), 4);
    assert_eq!(
        mock.requests_for("meeting/121/materials/agenda-121-hrpc")
            .len(),
        1
    );
    // The error bodies were not stored; the previous copies and entries are intact.
    assert_eq!(
        std::fs::read(file_of(&s, "group/sidrops/about/")).unwrap(),
        old_page
    );
    let m = Manifest::load(&s).unwrap();
    assert_eq!(m.entries["group/sidrops/about/"], old_entry);
    assert!(file_of(&s, "meeting/121/materials/agenda-121-hrpc").is_file());
    // Everything else went through, including the changed quic page.
    assert!(
        std::fs::read_to_string(file_of(&s, "group/quic/about/"))
            .unwrap()
            .contains("<h1>QUIC (quic)</h1></div>")
    );
}

#[test]
fn failures_on_a_fresh_home_store_nothing_for_that_url() {
    let mock = MockDt::serve(mock_root());
    let home = tempfile::tempdir().unwrap();
    mock.always("group/pearg/about/", Reply::status(500));
    let (v, code, _) = fetch_json(home.path(), &mock, 121, &["--max-attempts", "2"]);
    assert_eq!(code, 3);
    assert_eq!(v["failures"].as_array().unwrap().len(), 1);
    let s = snap(home.path());
    assert!(!file_of(&s, "group/pearg/about/").exists());
    assert!(
        !Manifest::load(&s)
            .unwrap()
            .entries
            .contains_key("group/pearg/about/")
    );
    assert!(file_of(&s, "group/hrpc/about/").is_file());
}

#[test]
fn truncated_or_garbage_agenda_is_an_error_and_keeps_the_previous_snapshot() {
    let (mock, home, s) = fetched_121();
    let before = tree(&s);
    let good = std::fs::read(file_of(&mock_root(), "api/meeting/121/agenda-data")).unwrap();

    let garbage: Vec<Vec<u8>> = vec![
        good[..good.len() / 2].to_vec(),
        b"<html><body>Service temporarily down</body></html>".to_vec(),
        b"{\"meeting\": {\"number\": \"121\"}, \"schedule\": [{\"groupAcronym\": \"quic\"}]}"
            .to_vec(),
        b"{\"meeting\": {\"number\": \"120\"}, \"schedule\": []}".to_vec(),
        Vec::new(),
    ];
    for body in garbage {
        mock.always("api/meeting/121/agenda-data", Reply::ok(body.clone()));
        let out = fetch_cmd(home.path(), &mock, 121).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&body)
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("fetching meeting 121 failed"), "{stderr}");
        assert!(
            stderr.contains("cannot parse agenda of meeting 121 from"),
            "{stderr}"
        );
        assert!(stderr.contains("nothing was stored"), "{stderr}");
        assert!(out.stdout.is_empty());
        assert_eq!(tree(&s), before, "the snapshot changed");
    }

    // Same on a fresh home: nothing at all is written.
    let fresh = tempfile::tempdir().unwrap();
    mock.always("api/meeting/121/agenda-data", Reply::ok(&good[..100]));
    fetch_cmd(fresh.path(), &mock, 121).assert().code(1);
    assert!(stored(fresh.path()).is_empty());

    // An agenda that cannot be had at all is a failure with its URL.
    mock.always("api/meeting/121/agenda-data", Reply::status(403));
    fetch_cmd(home.path(), &mock, 121)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "request to {}/api/meeting/121/agenda-data failed: HTTP 403 Forbidden",
            mock.url()
        )));
    assert_eq!(tree(&s), before);
}

#[test]
fn oversized_bodies_are_refused() {
    let mock = MockDt::serve(mock_root());
    let home = tempfile::tempdir().unwrap();
    let big = format!(
        "<html><body><div id=\"content\">{}</div></body></html>",
        "x".repeat(100_000)
    );
    mock.always("group/quic/about/", Reply::ok(big.clone()));
    // No Content-Length: the cap must hold while streaming too.
    mock.always("group/hrpc/about/", Reply::ok(big).without_length());
    let (v, code, stderr) = fetch_json(home.path(), &mock, 121, &["--max-body", "50000"]);
    assert_eq!(code, 3, "{stderr}");
    let failures: Vec<String> = v["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {}", f[0].as_str().unwrap(), f[1].as_str().unwrap()))
        .collect();
    assert_eq!(failures.len(), 2, "{failures:?}");
    for f in &failures {
        assert!(f.contains("body too large"), "{f}");
        assert!(f.contains("the limit is 50000 bytes"), "{f}");
    }
    // Refused bodies are not retried (the answer would be the same).
    assert_eq!(mock.requests_for("group/quic/about/").len(), 1);
    let s = snap(home.path());
    assert!(!file_of(&s, "group/quic/about/").exists());
    assert!(!file_of(&s, "group/hrpc/about/").exists());
    assert!(file_of(&s, "group/sidrops/about/").is_file());

    // An oversized agenda stops the fetch before anything is stored.
    let fresh = tempfile::tempdir().unwrap();
    fetch_cmd(fresh.path(), &mock, 121)
        .args(["--max-body", "1000"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("body too large"));
    assert!(stored(fresh.path()).is_empty());
}

#[test]
fn hostile_names_and_links_write_nothing_outside_the_snapshot() {
    let mock = MockDt::empty();
    let outer = tempfile::tempdir().unwrap();
    let home = outer.path().join("a/b/home");
    std::fs::create_dir_all(&home).unwrap();
    let item = |acr: &str, url: &str| {
        serde_json::json!({
            "sessionId": 1, "groupAcronym": acr, "groupName": "x", "groupParent": {},
            "startDateTime": "2024-11-04T09:30:00+00:00", "duration": 3600, "status": "sched",
            "type": "regular", "purpose": "regular", "isBoF": false, "agenda": {"url": url}
        })
    };
    let agenda = serde_json::json!({
        "meeting": {"number": "121", "timezone": "Europe/Dublin"},
        "schedule": [
            item("../../x", "https://datatracker.ietf.org/meeting/121/materials/../../../../../x"),
            item("..", "https://datatracker.ietf.org/manifest.json"),
            item("ok", "https://datatracker.ietf.org/meeting/121/materials/%2e%2e%2f%2e%2e%2fy"),
            item("a/b", "https://evil.example/meeting/121/materials/agenda-121-x"),
            item(".hidden", "https://datatracker.ietf.org/api/meeting/121/agenda-data"),
            item("ok2", "file:///etc/passwd"),
            item("ok3", "https://datatracker.ietf.org/meeting/121/materials/.x/y"),
        ]
    });
    mock.put(
        "api/meeting/121/agenda-data",
        serde_json::to_vec(&agenda).unwrap(),
    );
    for g in ["ok", "ok2", "ok3"] {
        mock.put(
            &format!("group/{g}/about/"),
            "<html><body><div id=\"content\"><h1>Ok</h1></div></body></html>",
        );
    }
    mock.put(
        "meeting/121/materials/%2e%2e%2f%2e%2e%2fy",
        "# harmless name\n",
    );
    let (v, code, stderr) = fetch_json(&home, &mock, 121, &[]);
    assert_eq!(code, 0, "{stderr}");
    let skipped: Vec<String> = v["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s[0].as_str().unwrap().to_string())
        .collect();
    // 4 unsafe acronyms, 6 links that are foreign, not http(s) or not materials paths.
    assert_eq!(skipped.len(), 10, "{skipped:?}");
    assert!(stderr.contains("skipped"), "warnings: {stderr}");

    // Every file that exists anywhere under the outer folder is inside the snapshot.
    for f in tree(outer.path()).keys() {
        assert!(
            f.starts_with("a/b/home/snapshot/")
                || f.starts_with("a/b/home/index/")
                || f == "a/b/home/.wgrec.lock",
            "written outside: {f}"
        );
    }
    let files: BTreeSet<String> = tree(&snap(&home)).into_keys().collect();
    assert_eq!(
        files,
        [
            "api/meeting/121/agenda-data",
            "group/ok/about/index.html",
            "group/ok2/about/index.html",
            "group/ok3/about/index.html",
            "manifest.json",
            "meeting/121/materials/%2e%2e%2f%2e%2e%2fy",
        ]
        .into_iter()
        .map(String::from)
        .collect()
    );
    // The manifest is a manifest, and no request went to a refused path.
    Manifest::load(&snap(&home)).unwrap();
    for r in mock.requests() {
        assert!(!r.path.contains("x/about"), "{}", r.path);
        assert_ne!(r.path, "manifest.json");
    }
}

#[test]
fn older_meetings_fall_back_to_agenda_json() {
    let mock = MockDt::serve(mock_root());
    let home = tempfile::tempdir().unwrap();
    let (v, code, stderr) = fetch_json(home.path(), &mock, 110, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(v["agenda"], "meeting/110/agenda.json");
    assert_eq!(v["sessions"], 3);
    assert_eq!(v["about_pages_ok"], 3);
    assert_eq!(v["documents_ok"], 2);
    // The 404 of agenda-data counts as a request, not as an error (the first 1 is robots.txt).
    assert_eq!(v["requests"], 1 + 1 + 1 + 3 + 2);
    assert_eq!(
        mock.requests_for("api/meeting/110/agenda-data")[0].status,
        404
    );
    let s = snap(home.path());
    assert!(!file_of(&s, "api/meeting/110/agenda-data").exists());
    assert!(file_of(&s, "meeting/110/materials/agenda-110-quic-01").is_file());
    let m = Snapshot::open(&s)
        .unwrap()
        .unwrap()
        .load_meeting(110)
        .unwrap();
    assert_eq!(m.agenda.sessions.len(), 3);
    assert_eq!(m.agenda_texts.len(), 2);
    // A second run is conditional for agenda.json too.
    mock.reset_log();
    let (v, _, _) = fetch_json(home.path(), &mock, 110, &[]);
    assert_eq!(v["not_modified"], 6);
    assert_eq!(mock.bodies_sent(), 0);
}

#[test]
fn a_timed_out_request_is_retried() {
    let mock = MockDt::serve(mock_root());
    let home = tempfile::tempdir().unwrap();
    mock.script(
        "group/scim/about/",
        vec![Reply::ok("slow").delay(Duration::from_millis(2500))],
    );
    let (v, code, stderr) = fetch_json(home.path(), &mock, 121, &["--timeout", "1"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(mock.requests_for("group/scim/about/").len(), 2);
    assert_eq!(v["ok"], 12);
    let stored = std::fs::read(file_of(&snap(home.path()), "group/scim/about/")).unwrap();
    assert_eq!(
        stored,
        std::fs::read(file_of(&mock_root(), "group/scim/about/")).unwrap()
    );
}

#[test]
fn concurrency_is_bounded() {
    // Eleven slow pages: a fetcher that honours the limit and uses it has exactly k in flight
    // at its peak; a serial one would show 1.
    for k in [1usize, 2, 4] {
        let mock = MockDt::serve(mock_root());
        for p in &MOCK_121_PATHS[1..] {
            let body = std::fs::read(file_of(&mock_root(), p)).unwrap();
            mock.always(p, Reply::ok(body).delay(Duration::from_millis(60)));
        }
        let home = tempfile::tempdir().unwrap();
        let (_, code, _) = fetch_json(home.path(), &mock, 121, &["--concurrency", &k.to_string()]);
        assert_eq!(code, 0);
        assert_eq!(
            mock.peak_in_flight(),
            k,
            "peak in flight with --concurrency {k}"
        );
    }
}

#[test]
fn bad_options_are_usage_errors() {
    let home = tempfile::tempdir().unwrap();
    wgrec(home.path())
        .args([
            "fetch",
            "--meeting",
            "121",
            "--base-url",
            "ftp://x",
            "--rate",
            "5",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--base-url must be an http(s) URL",
        ));
    for rate in ["0", "1e-30"] {
        wgrec(home.path())
            .args(["fetch", "--meeting", "121", "--rate", rate])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--rate must be a positive number"))
            .stderr(predicate::str::contains("panicked").not());
    }
    assert!(stored(home.path()).is_empty());
}

#[tokio::test]
async fn upcoming_meeting_from_the_list_or_the_api() {
    let mock = MockDt::serve(mock_root());
    let opts = wgrec::fetch::FetchOptions {
        base_url: mock.url(),
        rate: 1000.0,
        backoff_base: Duration::from_millis(5),
        ..Default::default()
    };
    assert_eq!(wgrec::fetch::upcoming_meeting(&opts).await.unwrap(), 121);

    let api = MockDt::empty();
    api.always("meeting/upcoming.json", Reply::status(404));
    api.put(
        "api/v1/meeting/meeting/",
        r#"{"meta": {"limit": 1, "next": null, "offset": 0, "total_count": 1},
            "objects": [{"number": "122", "type": "/api/v1/name/meetingtypename/ietf/", "date": "2025-03-15"}]}"#,
    );
    let opts = wgrec::fetch::FetchOptions {
        base_url: api.url(),
        ..opts
    };
    assert_eq!(wgrec::fetch::upcoming_meeting(&opts).await.unwrap(), 122);
    let list = api.requests_for("api/v1/meeting/meeting/");
    assert_eq!(list.len(), 1);

    let none = MockDt::empty();
    let opts = wgrec::fetch::FetchOptions {
        base_url: none.url(),
        ..opts
    };
    let err = wgrec::fetch::upcoming_meeting(&opts).await.unwrap_err();
    assert!(err.to_string().contains("HTTP 404"), "{err}");
}

/// Counts, per meeting, straight from the JSON (independently of the parser).
struct Expected {
    sessions: usize,
    cancelled: usize,
    rescheduled: usize,
    bofs: BTreeSet<String>,
}

fn expected(v: &Value, n: u32) -> Expected {
    let items: Vec<&Value> = v[n.to_string()]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["objtype"] == "session")
        .collect();
    Expected {
        sessions: items.len(),
        cancelled: items.iter().filter(|i| i["status"] == "canceled").count(),
        rescheduled: items.iter().filter(|i| i["status"] == "resched").count(),
        bofs: items
            .iter()
            .filter(|i| i["is_bof"] == true)
            .map(|i| i["group"]["acronym"].as_str().unwrap().to_string())
            .collect(),
    }
}

#[test]
fn real_agenda_json_of_ietf_108_to_115_parses() {
    let dir = shared().join("data/raw/github-pusateri__IETFNext-docs/docs");
    let mut seen = 0;
    for n in 108..=115u32 {
        let path = dir.join(format!("agenda_{n}.json"));
        if n == 114 && !path.exists() {
            continue; // 114 was not saved
        }
        let bytes = std::fs::read(&path).unwrap();
        let raw: Value = serde_json::from_slice(&bytes).unwrap();
        let want = expected(&raw, n);
        let agenda = wgrec::parse::agenda(&bytes, n).unwrap();
        assert_eq!(agenda.sessions.len(), want.sessions, "IETF {n}");
        let cancelled = agenda
            .sessions
            .iter()
            .filter(|s| s.status == wgrec::model::SessionStatus::Cancelled)
            .count();
        assert_eq!(cancelled, want.cancelled, "IETF {n} cancelled");
        assert!(
            agenda
                .sessions
                .iter()
                .filter(|s| s.status.is_cancelled())
                .count()
                >= cancelled
        );
        let resched = agenda
            .sessions
            .iter()
            .filter(|s| s.status == wgrec::model::SessionStatus::Rescheduled)
            .count();
        assert_eq!(resched, want.rescheduled, "IETF {n} rescheduled");
        let bofs: BTreeSet<String> = agenda
            .sessions
            .iter()
            .filter(|s| s.is_bof)
            .map(|s| s.group.clone())
            .collect();
        assert_eq!(bofs, want.bofs, "IETF {n} BoFs");
        assert!(agenda.sessions.iter().all(|s| s.end > s.start));
        seen += 1;
    }
    assert_eq!(seen, 7);

    // Known sessions, UTC start times as published.
    let check = |n: u32, acr: &str, start: &str, end: &str| {
        let bytes = std::fs::read(dir.join(format!("agenda_{n}.json"))).unwrap();
        let a = wgrec::parse::agenda(&bytes, n).unwrap();
        let s = a
            .sessions
            .iter()
            .find(|s| s.group == acr && s.start.to_rfc3339() == start)
            .unwrap_or_else(|| panic!("IETF {n}: no {acr} session at {start}"));
        assert_eq!(s.end.to_rfc3339(), end, "IETF {n} {acr}");
        s.clone()
    };
    let satp = check(
        115,
        "satp",
        "2022-11-10T13:00:00+00:00",
        "2022-11-10T15:00:00+00:00",
    );
    assert!(satp.is_bof);
    assert_eq!(satp.area.as_deref(), Some("sec"));
    let i2nsf = check(
        115,
        "i2nsf",
        "2022-11-11T12:00:00+00:00",
        "2022-11-11T13:30:00+00:00",
    );
    assert_eq!(i2nsf.status, wgrec::model::SessionStatus::Rescheduled);
    let bess = check(
        111,
        "bess",
        "2021-07-26T23:00:00+00:00",
        "2021-07-27T01:00:00+00:00",
    );
    assert_eq!(bess.status, wgrec::model::SessionStatus::Rescheduled);
    check(
        110,
        "sec",
        "2021-03-02T18:00:00+00:00",
        "2021-03-02T19:00:00+00:00",
    );
}

#[test]
fn the_real_ietf_115_agenda_json_fetches_through_the_fallback() {
    let raw = shared().join("data/raw/github-pusateri__IETFNext-docs/docs/agenda_115.json");
    let mock = MockDt::serve(fixtures().join("ietf115/snapshot"));
    mock.always("api/meeting/115/agenda-data", Reply::status(404));
    mock.put("meeting/115/agenda.json", std::fs::read(&raw).unwrap());
    let home = tempfile::tempdir().unwrap();
    let (v, code, stderr) = fetch_json(home.path(), &mock, 115, &["--concurrency", "4"]);
    assert_eq!(v["agenda"], "meeting/115/agenda.json", "{stderr}");
    assert_eq!(v["sessions"], 159);
    // The bundled snapshot has every group's about page...
    assert_eq!(v["about_pages_ok"], v["about_pages"]);
    assert_eq!(v["about_pages"], 126);
    // ...but only versionless agenda names, while agenda.json links carry the revision
    // (`agenda-115-satp-03`): each of those is a reported 404, the rest is stored.
    assert_eq!(code, 3);
    assert_eq!(v["documents_ok"], 0);
    let failures = v["failures"].as_array().unwrap();
    assert_eq!(failures.len() as u64, v["documents"].as_u64().unwrap());
    assert!(failures.iter().all(|f| f[1] == "HTTP 404 Not Found"
        && f[0].as_str().unwrap().contains("/materials/agenda-115-")));
    assert!(file_of(&snap(home.path()), "group/satp/about/").is_file());
}

#[test]
fn a_meeting_the_server_does_not_know_is_a_clear_error() {
    let mock = MockDt::serve(mock_root());
    let home = tempfile::tempdir().unwrap();
    fetch_cmd(home.path(), &mock, 99)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(format!(
            "request to {}/meeting/99/agenda.json failed: HTTP 404 Not Found (nothing was stored)",
            mock.url()
        )));
    // robots.txt, agenda-data, agenda.json.
    assert_eq!(mock.requests().len(), 3);
    assert!(stored(home.path()).is_empty());
}

#[test]
fn the_bundled_ietf_115_snapshot_fetches_whole() {
    // The bundled snapshot follows the layout, so a server over it is a datatracker stand-in.
    let root = fixtures().join("ietf115/snapshot");
    let mock = MockDt::serve(&root);
    let home = tempfile::tempdir().unwrap();
    let (v, code, stderr) = fetch_json(home.path(), &mock, 115, &["--concurrency", "4"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(v["sessions"], 159);
    assert_eq!(v["about_pages_ok"], 126);
    assert_eq!(v["documents_ok"], 124);
    let stored = tree(&snap(home.path()));
    for (f, bytes) in tree(&root) {
        if f != "manifest.json" {
            assert_eq!(stored.get(&f), Some(&bytes), "{f}");
        }
    }
}

#[test]
fn the_eval_mirror_fetches_whole() {
    let root = shared().join("data/eval-mirror");
    let mock = MockDt::serve(&root);
    let home = tempfile::tempdir().unwrap();
    let s = snap(home.path());
    for (n, sessions) in [(121u32, 127u64), (120, 128), (119, 117)] {
        let agenda: Value = serde_json::from_slice(
            &std::fs::read(root.join(format!("api/meeting/{n}/agenda-data"))).unwrap(),
        )
        .unwrap();
        let items = agenda["schedule"].as_array().unwrap();
        let groups: BTreeSet<&str> = items
            .iter()
            .map(|i| i["groupAcronym"].as_str().unwrap())
            .collect();
        let docs: BTreeSet<&str> = items
            .iter()
            .filter_map(|i| i["agenda"]["url"].as_str())
            .collect();
        let (v, code, stderr) = fetch_json(home.path(), &mock, n, &["--concurrency", "4"]);
        assert_eq!(code, 0, "IETF {n}: {stderr}");
        assert_eq!(v["sessions"], sessions);
        assert_eq!(v["about_pages_ok"], groups.len() as u64, "IETF {n}");
        assert_eq!(v["documents_ok"], docs.len() as u64, "IETF {n}");
        for acr in &groups {
            let p = format!("group/{acr}/about/");
            assert_eq!(
                std::fs::read(file_of(&s, &p)).unwrap(),
                std::fs::read(file_of(&root, &p)).unwrap(),
                "{p}"
            );
        }
        for url in &docs {
            let p = wgrec::snapshot::url_path(url).unwrap();
            assert_eq!(
                std::fs::read(file_of(&s, &p)).unwrap(),
                std::fs::read(file_of(&root, &p)).unwrap(),
                "{p}"
            );
        }
        eprintln!(
            "eval mirror IETF {n}: {} sessions, {} about pages, {} agenda documents stored",
            v["sessions"], v["about_pages_ok"], v["documents_ok"]
        );
    }
    let m = Snapshot::open(&s).unwrap().unwrap();
    assert_eq!(m.meetings().unwrap(), vec![119, 120, 121]);
    assert_eq!(m.load_meeting(121).unwrap().agenda.sessions.len(), 127);
}

#[test]
fn robots_txt_disallow_skips_about_pages_without_failing() {
    let mock = MockDt::serve(mock_root());
    mock.put(
        "robots.txt",
        "User-agent: *\nDisallow: /group/\nCrawl-delay: 0.01\n",
    );
    let home = tempfile::tempdir().unwrap();
    let (v, code, stderr) = fetch_json(home.path(), &mock, 121, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        v["robots"],
        "group *: 1 disallow and 0 allow rules, crawl-delay 0.01 s"
    );
    // Not one request under /group/; the 6 about pages are listed as skipped, with the reason.
    assert!(
        mock.requests()
            .iter()
            .all(|r| !r.path.starts_with("group/")),
        "{:?}",
        mock.requests().iter().map(|r| &r.path).collect::<Vec<_>>()
    );
    let skipped = v["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 6, "{skipped:?}");
    for s in skipped {
        assert!(s[0].as_str().unwrap().contains("/group/"), "{s}");
        assert_eq!(s[1], "disallowed by robots.txt (Disallow: /group/)");
    }
    assert_eq!(v["failures"].as_array().unwrap().len(), 0);
    assert_eq!(v["about_pages_ok"], 0);
    assert_eq!(v["documents_ok"], 5);
    assert_eq!(v["requests"], 1 + 1 + 5);
    assert!(!file_of(&snap(home.path()), "group/quic/about/").exists());
    assert!(stderr.contains("disallowed by robots.txt"), "{stderr}");
}

#[test]
fn robots_txt_group_for_wgrec_wins_and_disallowing_the_agenda_is_an_error() {
    let mock = MockDt::serve(mock_root());
    // Everyone else is shut out; wgrec only loses one document.
    mock.put(
        "robots.txt",
        "User-agent: *\nDisallow: /\n\nUser-agent: wgrec\nDisallow: /meeting/121/materials/agenda-121-quic\n",
    );
    let home = tempfile::tempdir().unwrap();
    let (v, code, stderr) = fetch_json(home.path(), &mock, 121, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(v["about_pages_ok"], 6);
    assert_eq!(v["documents_ok"], 4);
    assert_eq!(v["skipped"].as_array().unwrap().len(), 1);
    assert!(
        mock.requests_for("meeting/121/materials/agenda-121-quic")
            .is_empty()
    );

    // robots.txt shutting wgrec out of both agenda URLs: exit 1, nothing stored, nothing asked.
    let mock = MockDt::serve(mock_root());
    mock.put("robots.txt", "User-agent: *\nDisallow: /\n");
    let fresh = tempfile::tempdir().unwrap();
    fetch_cmd(fresh.path(), &mock, 121)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "request to {}/meeting/121/agenda.json failed: disallowed by robots.txt (Disallow: /) (nothing was stored)",
            mock.url()
        )));
    let paths: Vec<String> = mock.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, vec!["robots.txt"]);
    assert!(stored(fresh.path()).is_empty());
}

#[test]
fn robots_txt_errors_do_not_block_the_run() {
    let mock = MockDt::serve(mock_root());
    mock.always("robots.txt", Reply::status(503));
    let home = tempfile::tempdir().unwrap();
    let (v, code, stderr) = fetch_json(home.path(), &mock, 121, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        v["robots"],
        "unavailable (HTTP 503 Service Unavailable): everything allowed"
    );
    // Asked once, not retried, and everything else went through.
    assert_eq!(mock.requests_for("robots.txt").len(), 1);
    assert_eq!(v["ok"], 12);
    assert_eq!(v["failures"].as_array().unwrap().len(), 0);
    assert!(
        stderr.contains("treating everything as allowed"),
        "{stderr}"
    );

    // A robots.txt slower than the timeout: given up on once, everything allowed (its
    // `Disallow: /` never arrived).
    let mock = MockDt::serve(mock_root());
    mock.always(
        "robots.txt",
        Reply::ok("User-agent: *\nDisallow: /\n").delay(Duration::from_millis(1500)),
    );
    let home = tempfile::tempdir().unwrap();
    let (v, code, stderr) = fetch_json(home.path(), &mock, 121, &["--timeout", "1"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(v["robots"], "unavailable (timed out): everything allowed");
    assert_eq!(mock.requests_for("robots.txt").len(), 1);
    assert_eq!(v["ok"], 12);
}

#[test]
fn redirects_are_followed_only_on_the_same_host_and_at_most_five() {
    let mock = MockDt::serve(mock_root());
    let other = MockDt::serve(mock_root());
    let about = std::fs::read(file_of(&mock_root(), "group/quic/about/")).unwrap();
    // Same server, another path: followed, stored under the URL that was asked for.
    mock.always("group/quic/about/", Reply::redirect("/moved/quic-about/"));
    mock.put("moved/quic-about/", about.clone());
    // Same address, another port: a different server, refused.
    mock.always(
        "group/hrpc/about/",
        Reply::redirect(&format!("{}/group/hrpc/about/", other.url())),
    );
    // Another host name for the same server: refused too.
    let port = mock.url().rsplit(':').next().unwrap().to_string();
    mock.always(
        "group/pearg/about/",
        Reply::redirect(&format!("http://localhost:{port}/group/pearg/about/")),
    );
    // A loop: given up after 5 redirects.
    mock.always(
        "meeting/121/materials/agenda-121-hrpc",
        Reply::redirect("/meeting/121/materials/agenda-121-hrpc"),
    );
    let home = tempfile::tempdir().unwrap();
    let (v, code, stderr) = fetch_json(home.path(), &mock, 121, &[]);
    assert_eq!(code, 3, "{stderr}");

    let s = snap(home.path());
    assert_eq!(
        std::fs::read(file_of(&s, "group/quic/about/")).unwrap(),
        about
    );
    assert_eq!(mock.requests_for("moved/quic-about/").len(), 1);

    let mut failures: Vec<(String, String)> = v["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f[0].as_str().unwrap().to_string(),
                f[1].as_str().unwrap().to_string(),
            )
        })
        .collect();
    failures.sort();
    assert_eq!(failures.len(), 3, "{failures:?}");
    let (hrpc, pearg, lp) = (&failures[0], &failures[1], &failures[2]);
    assert_eq!(hrpc.0, format!("{}/group/hrpc/about/", mock.url()));
    assert!(
        hrpc.1.contains(&format!(
            "redirect to {}/group/hrpc/about/ refused: it leaves {}",
            other.url(),
            mock.url()
        )),
        "{}",
        hrpc.1
    );
    assert_eq!(pearg.0, format!("{}/group/pearg/about/", mock.url()));
    assert!(
        pearg.1.contains("redirect to http://localhost:"),
        "{}",
        pearg.1
    );
    assert!(
        lp.0.ends_with("/meeting/121/materials/agenda-121-hrpc"),
        "{lp:?}"
    );
    assert!(lp.1.contains("more than 5 redirects"), "{}", lp.1);
    // The first request and 5 followed redirects; the other server was never contacted;
    // refused redirects are not retried.
    assert_eq!(
        mock.requests_for("meeting/121/materials/agenda-121-hrpc")
            .len(),
        6
    );
    assert!(other.requests().is_empty());
    assert_eq!(mock.requests_for("group/hrpc/about/").len(), 1);
    assert_eq!(mock.requests_for("group/pearg/about/").len(), 1);
    // Followed redirects count as requests: what the summary says is what the server saw.
    assert_eq!(v["requests"], mock.requests().len() as u64);
    // Nothing was stored for the failed URLs.
    assert!(!file_of(&s, "group/hrpc/about/").exists());
    assert!(!file_of(&s, "group/pearg/about/").exists());
}

#[test]
fn a_fallback_to_agenda_json_removes_the_stale_agenda_data() {
    let (mock, home, s) = fetched_121();
    let open = || Snapshot::open(&s).unwrap().unwrap();
    assert_eq!(open().load_meeting(121).unwrap().agenda.sessions.len(), 7);

    // The server drops agenda-data and serves an agenda.json with a different schedule.
    let mut older: Value = serde_json::from_slice(
        &std::fs::read(mock_root().join("meeting/110/agenda.json")).unwrap(),
    )
    .unwrap();
    let items = older.as_object_mut().unwrap().remove("110").unwrap();
    let agenda_json = serde_json::to_vec(&serde_json::json!({ "121": items })).unwrap();
    mock.always("api/meeting/121/agenda-data", Reply::status(404));
    mock.put("meeting/121/agenda.json", agenda_json.clone());
    // 3 sessions where 7 were: held back unless accepted.
    let (_, code, _) = fetch_json_or_failure(home.path(), &mock, 121, &[]);
    assert_eq!(code, 1);
    let (v, code, stderr) = fetch_json(home.path(), &mock, 121, &["--accept-shrink"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(v["agenda"], "meeting/121/agenda.json");
    assert_eq!(
        v["removed"],
        serde_json::json!(["api/meeting/121/agenda-data"])
    );
    assert!(
        v["changed"]
            .as_array()
            .unwrap()
            .contains(&Value::from("api/meeting/121/agenda-data"))
    );
    assert!(v["manifest_written"].as_bool().unwrap());
    assert!(!file_of(&s, "api/meeting/121/agenda-data").exists());
    let m = Manifest::load(&s).unwrap();
    assert!(!m.entries.contains_key("api/meeting/121/agenda-data"));
    assert!(m.entries.contains_key("meeting/121/agenda.json"));
    // Readers now get the schedule the server gives today, not the old one.
    let loaded = open().load_meeting(121).unwrap();
    assert_eq!(
        loaded.agenda,
        wgrec::parse::agenda(&agenda_json, 121).unwrap()
    );
    assert_eq!(loaded.agenda.sessions.len(), 3);
    assert_eq!(open().meetings().unwrap(), vec![121]);

    // A second run with the same answers removes and rewrites nothing.
    let before = tree(&s);
    let (v, code, _) = fetch_json(home.path(), &mock, 121, &[]);
    assert_eq!(code, 0);
    assert_eq!(v["removed"].as_array().unwrap().len(), 0);
    assert_eq!(v["changed"].as_array().unwrap().len(), 0);
    assert!(!v["manifest_written"].as_bool().unwrap());
    assert_eq!(tree(&s), before);

    // agenda-data comes back: it is fetched whole and preferred again.
    mock.clear_faults();
    mock.reset_log();
    let (v, code, _) = fetch_json(home.path(), &mock, 121, &[]);
    assert_eq!(code, 0);
    assert_eq!(v["agenda"], "api/meeting/121/agenda-data");
    assert!(!mock.requests_for("api/meeting/121/agenda-data")[0].is_conditional());
    assert_eq!(open().load_meeting(121).unwrap().agenda.sessions.len(), 7);
}

#[test]
fn a_fetch_refuses_at_once_while_a_refresh_holds_the_lock() {
    let mock = MockDt::serve(mock_root());
    let home = tempfile::tempdir().unwrap();
    // Held by this test process, as a running refresh would hold it.
    let lock = std::fs::File::create(home.path().join(".wgrec.lock")).unwrap();
    lock.try_lock().unwrap();
    fetch_cmd(home.path(), &mock, 121)
        .assert()
        .code(4)
        .stdout("")
        .stderr(
            predicate::str::contains("another refresh is running")
                .and(predicate::str::contains("or a fetch")),
        );
    assert!(mock.requests().is_empty(), "a locked-out fetch fetched");
    assert!(!snap(home.path()).exists());
    drop(lock);
    fetch_cmd(home.path(), &mock, 121).assert().code(0);
}

#[test]
fn a_missing_agenda_error_names_both_formats_tried() {
    let mock = MockDt::serve(mock_root());
    let home = tempfile::tempdir().unwrap();
    let base = format!("{}/nonexistent", mock.url());
    let out = wgrec(home.path())
        .args([
            "fetch",
            "--meeting",
            "121",
            "--base-url",
            &base,
            "--rate",
            "1000",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{base}/meeting/121/agenda.json")),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "also tried {base}/api/meeting/121/agenda-data (HTTP 404"
        )),
        "{err}"
    );
}

#[test]
fn a_new_mirror_gets_unconditional_requests_not_the_old_servers_validators() {
    let old = MockDt::serve(mock_root());
    let home = tempfile::tempdir().unwrap();
    fetch_cmd(home.path(), &old, 121).assert().code(0);

    let new = MockDt::serve(mock_root());
    let (v, code, err) = fetch_json(home.path(), &new, 121, &[]);
    assert_eq!(code, 0, "{err}");
    let seen: Vec<_> = new
        .requests()
        .into_iter()
        .filter(|s| s.path != "robots.txt")
        .collect();
    assert_eq!(seen.len(), MOCK_121_PATHS.len());
    assert!(
        seen.iter().all(|s| !s.is_conditional() && s.status == 200),
        "{seen:?}"
    );
    assert_eq!(v["not_modified"], 0);
    // Same bodies from the new server: nothing changed on disk.
    assert_eq!(v["changed"].as_array().unwrap().len(), 0, "{v}");
    let m = Manifest::load(&snap(home.path())).unwrap();
    assert!(m.entries.values().all(|e| e.url.starts_with(&new.url())));

    // From now on the new server's own validators are used.
    new.reset_log();
    let (v, code, _) = fetch_json(home.path(), &new, 121, &[]);
    assert_eq!(code, 0);
    assert_eq!(v["not_modified"], MOCK_121_PATHS.len());
}

// ---- Issue 10: nothing from upstream is trusted ----

/// `<b>` 100,000 times: a 300 KB page nested 100,000 deep.
fn deep_page() -> Vec<u8> {
    format!(
        "<html><body><div id=\"content\"><h1>QUIC (quic)</h1>{}</div></body></html>",
        "<b>".repeat(100_000)
    )
    .into_bytes()
}

/// Runs a reader (`recommend`, JSON) on `home`; it must succeed. Returns the groups listed.
fn recommend_groups(home: &Path, interest: &str) -> Vec<String> {
    let out = wgrec(home)
        .args(["recommend", "--interest", interest, "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "recommend failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["group"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_100000_deep_page_is_a_failed_download_and_the_previous_one_stays() {
    let (mock, home, s) = fetched_121();
    let before = tree(&s);
    mock.put("group/quic/about/", deep_page());
    mock.put(
        "meeting/121/materials/agenda-121-sidrops",
        format!("<html><body>{}</body></html>", "<div>".repeat(100_000)),
    );
    let (v, code, stderr) = fetch_json(home.path(), &mock, 121, &[]);
    assert_eq!(code, 3, "{stderr}");
    let failures: Vec<(String, String)> = v["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f[0].as_str().unwrap().into(), f[1].as_str().unwrap().into()))
        .collect();
    assert_eq!(failures.len(), 2, "{failures:?}");
    for (url, why) in &failures {
        assert!(
            url.ends_with("group/quic/about/") || url.ends_with("agenda-121-sidrops"),
            "{url}"
        );
        assert!(why.contains("nested more than 512 deep"), "{why}");
        assert!(why.starts_with("not stored"), "{why}");
    }
    assert_eq!(tree(&s), before, "the previous pages stay");
    assert!(recommend_groups(home.path(), "quic").contains(&"quic".to_string()));
}

#[test]
fn empty_and_truncated_about_pages_are_refused_and_the_previous_ones_stay() {
    let (mock, home, s) = fetched_121();
    let before = tree(&s);
    // An empty 200, and a body shorter than its Content-Length (every attempt).
    mock.always("group/hrpc/about/", Reply::ok(""));
    let good = std::fs::read(file_of(&mock_root(), "group/sidrops/about/")).unwrap();
    mock.always(
        "group/sidrops/about/",
        Reply::ok(good[..good.len() / 2].to_vec())
            .without_length()
            .header("Content-Length", &good.len().to_string()),
    );
    let (v, code, stderr) = fetch_json(home.path(), &mock, 121, &["--max-attempts", "2"]);
    assert_eq!(code, 3, "{stderr}");
    let reasons: Vec<String> = v["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {}", f[0], f[1]))
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(
        reasons[0].contains("hrpc") && reasons[0].contains("no #content element"),
        "{reasons:?}"
    );
    assert!(reasons[1].contains("sidrops"), "{reasons:?}");
    assert_eq!(tree(&s), before, "the previous pages stay");
    // The charter is still there for readers.
    let m = Snapshot::open(&s)
        .unwrap()
        .unwrap()
        .load_meeting(121)
        .unwrap();
    assert!(!m.groups["hrpc"].charter.is_empty());
}

/// The mock's agenda for meeting 121, edited by `f`.
fn agenda_121_with(f: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut v: Value = serde_json::from_slice(
        &std::fs::read(file_of(&mock_root(), "api/meeting/121/agenda-data")).unwrap(),
    )
    .unwrap();
    f(&mut v);
    serde_json::to_vec(&v).unwrap()
}

#[test]
fn insane_agendas_are_refused_with_a_clear_message_and_the_previous_one_served() {
    let (mock, home, s) = fetched_121();
    let before = tree(&s);
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (
            agenda_121_with(|v| v["schedule"] = serde_json::json!([])),
            "it lists no sessions at all",
        ),
        (
            agenda_121_with(|v| {
                let one = v["schedule"][0].clone();
                v["schedule"] = serde_json::json!([one]);
            }),
            "it lists 1 sessions where the stored agenda has 7",
        ),
        (
            agenda_121_with(|v| v["schedule"][0]["duration"] = Value::from(-3600)),
            "lasts -60 minutes",
        ),
        (
            agenda_121_with(|v| v["schedule"][1]["startDateTime"] = "9999-11-04T09:30:00Z".into()),
            "is in 9999, far from the meeting's year 2024",
        ),
        (
            agenda_121_with(|v| v["meeting"]["timezone"] = "../../etc/passwd".into()),
            "\"../../etc/passwd\" is not an IANA time zone",
        ),
        (
            agenda_121_with(|v| v["meeting"]["number"] = "1099511627897".into()),
            "the response is for meeting \"1099511627897\"",
        ),
    ];
    for (body, why) in cases {
        mock.always("api/meeting/121/agenda-data", Reply::ok(body));
        let out = fetch_cmd(home.path(), &mock, 121).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{why}: {stderr}");
        assert!(stderr.contains(why), "{why}: {stderr}");
        assert!(stderr.contains("nothing was stored"), "{stderr}");
        assert_eq!(tree(&s), before, "{why}: the snapshot changed");
        assert!(recommend_groups(home.path(), "quic").contains(&"quic".to_string()));
    }
    // A real shrink can be accepted on purpose.
    mock.always(
        "api/meeting/121/agenda-data",
        Reply::ok(agenda_121_with(|v| {
            let one = v["schedule"][0].clone();
            v["schedule"] = serde_json::json!([one]);
        })),
    );
    let (v, code, stderr) = fetch_json(home.path(), &mock, 121, &["--accept-shrink"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(v["sessions"], 1);
}

#[test]
fn a_server_that_dies_mid_fetch_trips_the_breaker_and_keeps_the_snapshot() {
    let (mock, home, s) = fetched_121();
    let before = tree(&s);
    // The new agenda arrives (a changed room), then the server stops answering.
    let changed = agenda_121_with(|v| v["schedule"][0]["room"] = "Liffey Z".into());
    mock.put("api/meeting/121/agenda-data", changed.clone());
    mock.reset_log();
    mock.die_after(2);
    let out = fetch_cmd(home.path(), &mock, 121)
        .args(["--max-attempts", "5"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("the server stopped answering"), "{stderr}");
    assert!(
        stderr.contains("Every page keeps its previously stored copy"),
        "{stderr}"
    );
    assert!(
        !stderr.lines().any(|l| l.starts_with("failed: ")),
        "no per-URL flood: {stderr}"
    );
    // It stopped within the breaker's limit (plus what was already in flight), instead of
    // trying every URL five times.
    let unanswered = mock.requests().iter().filter(|r| r.status == 0).count();
    assert!(
        unanswered <= 6 + 2,
        "{unanswered} requests after the server died"
    );
    // What was stored is whole: the new agenda, every other file as before.
    let after = tree(&s);
    for (path, bytes) in &before {
        if path == "api/meeting/121/agenda-data" {
            assert_eq!(after[path], changed);
        } else if path != "manifest.json" {
            assert_eq!(&after[path], bytes, "{path}");
        }
    }
    Snapshot::open(&s)
        .unwrap()
        .unwrap()
        .load_meeting(121)
        .unwrap();
}

#[test]
fn a_connection_closed_without_a_response_is_retried() {
    let mock = MockDt::serve(mock_root());
    let home = tempfile::tempdir().unwrap();
    mock.script("group/quic/about/", vec![Reply::hang_up()]);
    let (v, code, stderr) = fetch_json(home.path(), &mock, 121, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(v["about_pages_ok"], 6);
    assert_eq!(mock.requests_for("group/quic/about/").len(), 2);
}

#[test]
fn a_refused_redirect_names_its_target() {
    let mock = MockDt::serve(mock_root());
    let home = tempfile::tempdir().unwrap();
    mock.always("group/quic/about/", Reply::redirect("file:///etc/passwd"));
    mock.always(
        "group/hrpc/about/",
        Reply::redirect("https://evil.example/steal"),
    );
    let (v, code, _) = fetch_json(home.path(), &mock, 121, &[]);
    assert_eq!(code, 3);
    let text = v["failures"].to_string();
    assert!(text.contains("file:///etc/passwd"), "{text}");
    assert!(text.contains("https://evil.example/steal"), "{text}");
}

#[test]
fn a_symlinked_folder_in_the_snapshot_is_refused_and_nothing_is_written_outside() {
    let (mock, home, s) = fetched_121();
    let outside = tempfile::tempdir().unwrap();
    // `snapshot/group` now leads outside the home.
    copy_tree(&s.join("group"), outside.path());
    std::fs::remove_dir_all(s.join("group")).unwrap();
    std::os::unix::fs::symlink(outside.path(), s.join("group")).unwrap();
    let before_outside = tree(outside.path());
    mock.put(
        "group/quic/about/",
        "<html><body><div id=\"content\"><h1>QUIC v2 (quic)</h1></div></body></html>",
    );
    let out = fetch_cmd(home.path(), &mock, 121).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("is a symbolic link"), "{stderr}");
    assert!(stderr.contains("snapshot/group"), "{stderr}");
    assert_eq!(
        tree(outside.path()),
        before_outside,
        "written through the link"
    );
    // A symlinked index folder is refused by the writer too, and its target left alone.
    std::fs::remove_file(s.join("group")).unwrap();
    std::fs::create_dir(s.join("group")).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::create_dir(elsewhere.path().join("gen-1-deadbeef")).unwrap();
    std::fs::remove_dir_all(home.path().join("index")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), home.path().join("index")).unwrap();
    let out = wgrec(home.path())
        .args(["index", "--force"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("is a symbolic link"), "{stderr}");
    assert!(elsewhere.path().join("gen-1-deadbeef").is_dir());
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 1);
}

fn copy_tree(from: &Path, to: &Path) {
    for (rel, bytes) in tree(from) {
        let p = to.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

#[test]
fn a_crawl_delay_that_does_not_fit_the_time_limit_stops_clearly() {
    let (mock, home, s) = fetched_121();
    let before = tree(&s);
    mock.put("robots.txt", "User-agent: *\nCrawl-delay: 1e300\n");
    mock.reset_log();
    let out = fetch_cmd(home.path(), &mock, 121).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("between requests"), "{stderr}");
    assert!(stderr.contains("--max-time"), "{stderr}");
    // Only robots.txt and the agenda were asked for; no page was.
    assert_eq!(mock.requests().len(), 2, "{:?}", mock.requests());
    assert_eq!(tree(&s), before);
}

#[test]
fn the_time_limit_stops_a_slow_run_and_keeps_the_stored_copies() {
    let (mock, home, s) = fetched_121();
    let before = tree(&s);
    // Every page stalls longer than the whole run may last.
    for p in MOCK_121_PATHS.iter().filter(|p| p.starts_with("group/")) {
        mock.always(p, Reply::ok("slow").delay(Duration::from_secs(4)));
    }
    let out = fetch_cmd(home.path(), &mock, 121)
        .args(["--max-time", "2", "--concurrency", "1"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("time limit (--max-time) was reached"),
        "{stderr}"
    );
    for p in MOCK_121_PATHS.iter().filter(|p| p.starts_with("group/")) {
        let f = file_of(&s, p);
        let rel = f.strip_prefix(&s).unwrap().to_string_lossy().to_string();
        assert_eq!(std::fs::read(&f).unwrap(), before[&rel], "{p}");
    }
}

#[test]
fn a_home_that_is_a_file_is_refused_by_fetch() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("home");
    std::fs::write(&file, "x").unwrap();
    let mock = MockDt::serve(mock_root());
    let out = fetch_cmd(&file, &mock, 121).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("is not a folder"), "{stderr}");
    assert!(mock.requests().is_empty());
}

#[test]
fn recommend_warns_when_the_snapshot_is_incomplete() {
    let mock = MockDt::serve(mock_root());
    let home = tempfile::tempdir().unwrap();
    mock.always("group/pearg/about/", Reply::status(404));
    mock.always("meeting/121/materials/agenda-121-hrpc", Reply::status(404));
    let (_, code, _) = fetch_json(home.path(), &mock, 121, &[]);
    assert_eq!(code, 3);
    let out = wgrec(home.path())
        .args(["recommend", "--interest", "privacy", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let expected = "the snapshot of IETF 121 is incomplete: 1 of 6 group pages and 1 of 5 \
                    session agendas are missing";
    assert!(stderr.contains(&format!("warning: {expected}")), "{stderr}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let warnings = v["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{v}");
    assert!(warnings[0].as_str().unwrap().starts_with(expected), "{v}");
    // Complete again: no warning.
    mock.clear_faults();
    assert_eq!(fetch_json(home.path(), &mock, 121, &[]).1, 0);
    let v: Value = serde_json::from_slice(
        &wgrec(home.path())
            .args(["recommend", "--interest", "privacy", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(v["warnings"], serde_json::json!([]));
}
