//! `wgrec recommend`, `search`, `index` and `eval` through the binary: the bundled IETF 115
//! fallback, the reasons, filters, output formats, bad input, and index freshness.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::Path;

fn wgrec(home: &Path) -> Command {
    let mut c = Command::cargo_bin("wgrec").unwrap();
    c.env_remove("HOME")
        .env_remove("WGREC_HOME")
        .env_remove("RUST_LOG")
        .arg("--home")
        .arg(home);
    c
}

fn json_of(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| {
        panic!("not JSON ({e}): {}", String::from_utf8_lossy(out));
    })
}

fn groups(v: &Value) -> Vec<String> {
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["group"].as_str().unwrap().to_string())
        .collect()
}

/// The README's first command, on a fresh machine: no snapshot, no HOME.
#[test]
fn readme_command_recommends_for_ietf_115_with_reasons() {
    let home = tempfile::tempdir().unwrap();
    let out = wgrec(home.path())
        .args([
            "recommend",
            "--interest",
            "privacy",
            "--interest",
            "routing security",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("bundled IETF 115"))
        .get_output()
        .clone();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.starts_with("IETF 115"), "{table}");
    for g in ["sidrops", "privacypass", "ohai"] {
        assert!(table.contains(g), "{g} missing from:\n{table}");
    }
    assert!(table.contains("why: "), "{table}");
    assert!(table.lines().all(|l| l.chars().count() <= 100), "{table}");
    // The index was built in the home, once.
    assert!(home.path().join("index/CURRENT").is_file());

    let out = wgrec(home.path())
        .args([
            "recommend",
            "--interest",
            "privacy",
            "--interest",
            "routing security",
            "--format",
            "json",
        ])
        .assert()
        .success()
        .get_output()
        .clone();
    let v = json_of(&out.stdout);
    assert_eq!(v["meeting"], 115);
    assert_eq!(
        v["interests"],
        serde_json::json!(["privacy", "routing security"])
    );
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 10);
    let gs = groups(&v);
    // Groups a knowledgeable person names for these interests, all of which met at IETF 115:
    // privacy technologies (Privacy Pass, Oblivious HTTP, the privacy research group, privacy
    // preserving measurement) and routing security (RPKI operations, BGP, global routing ops).
    let privacy = ["privacypass", "ohai", "pearg", "ppm"];
    let routing = ["sidrops", "idr", "grow", "savnet"];
    assert!(
        privacy
            .iter()
            .filter(|g| gs.contains(&g.to_string()))
            .count()
            >= 3,
        "{gs:?}"
    );
    assert!(
        routing
            .iter()
            .filter(|g| gs.contains(&g.to_string()))
            .count()
            >= 3,
        "{gs:?}"
    );
    // Each interest gets its share: both are represented among the first four.
    let first4 = &gs[..4];
    assert!(
        first4.iter().any(|g| privacy.contains(&g.as_str())),
        "{gs:?}"
    );
    assert!(
        first4.iter().any(|g| routing.contains(&g.as_str())),
        "{gs:?}"
    );
    for (i, r) in results.iter().enumerate() {
        assert_eq!(r["rank"], i + 1);
        for key in ["group_name", "area", "is_bof", "score", "excerpt"] {
            assert!(r.get(key).is_some(), "{key} missing in {r}");
        }
        assert!(
            !r["matched_interests"].as_array().unwrap().is_empty(),
            "{r}"
        );
        assert!(!r["matched_terms"].as_array().unwrap().is_empty(), "{r}");
        assert!(!r["excerpt"].as_str().unwrap().is_empty(), "{r}");
        for s in r["sessions"].as_array().unwrap() {
            for key in ["start", "end"] {
                let t = s[key].as_str().unwrap();
                assert!(
                    chrono::DateTime::parse_from_rfc3339(t).is_ok() && t.ends_with('Z'),
                    "{t}"
                );
            }
            assert!(s["id"].as_str().unwrap().starts_with("115-"), "{s}");
            assert_ne!(s["status"], "canceled");
        }
    }
    let sidrops = results.iter().find(|r| r["group"] == "sidrops").unwrap();
    assert_eq!(
        sidrops["matched_interests"],
        serde_json::json!(["routing security"])
    );
    let terms: Vec<&str> = sidrops["matched_terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(
        terms
            .iter()
            .any(|t| t.contains("rpki") || t.contains("route origin")),
        "{terms:?}"
    );
    assert!(
        sidrops["excerpt"].as_str().unwrap().contains("**"),
        "{sidrops}"
    );
}

#[test]
fn a_group_meeting_twice_is_listed_once_with_both_sessions() {
    let home = tempfile::tempdir().unwrap();
    let out = wgrec(home.path())
        .args([
            "-q",
            "recommend",
            "--interest",
            "routing",
            "--top",
            "30",
            "--format",
            "json",
        ])
        .assert()
        .success()
        .get_output()
        .clone();
    let v = json_of(&out.stdout);
    let gs = groups(&v);
    let mut dedup = gs.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(dedup.len(), gs.len(), "{gs:?}");
    // rtgwg met twice at IETF 115 (Wednesday and Thursday).
    let rtgwg = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["group"] == "rtgwg")
        .expect("rtgwg is about routing");
    assert_eq!(rtgwg["sessions"].as_array().unwrap().len(), 2);
}

#[test]
fn filters_days_areas_groups_and_bofs() {
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| -> Value {
        let mut a = vec!["-q", "recommend", "--format", "json", "--top", "50"];
        a.extend_from_slice(args);
        json_of(
            &wgrec(home.path())
                .args(&a)
                .assert()
                .success()
                .get_output()
                .stdout,
        )
    };
    let all = run(&["--interest", "security"]);
    assert!(!all["results"].as_array().unwrap().is_empty());

    // 2022-11-07 is the Monday in London; every session listed starts that day (UTC+0).
    let monday = run(&["--interest", "security", "--day", "2022-11-07"]);
    for r in monday["results"].as_array().unwrap() {
        for s in r["sessions"].as_array().unwrap() {
            assert!(
                s["start"].as_str().unwrap().starts_with("2022-11-07"),
                "{s}"
            );
        }
    }
    assert!(groups(&monday).len() < groups(&all).len());

    let sec = run(&["--interest", "security", "--area", "sec"]);
    assert!(!sec["results"].as_array().unwrap().is_empty());
    for r in sec["results"].as_array().unwrap() {
        assert_eq!(r["area"], "sec", "{r}");
    }

    let top = groups(&all)[0].clone();
    let without = run(&["--interest", "security", "--exclude-group", &top]);
    assert!(!groups(&without).contains(&top));

    let bofs_allowed = run(&["--interest", "network", "--interest", "security"]);
    let no_bofs = run(&[
        "--interest",
        "network",
        "--interest",
        "security",
        "--no-bofs",
    ]);
    for r in no_bofs["results"].as_array().unwrap() {
        assert_eq!(r["is_bof"], false, "{r}");
    }
    assert!(
        bofs_allowed["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["is_bof"] == true),
        "the check above needs a BoF in the unfiltered list"
    );
}

#[test]
fn cancelled_sessions_are_never_recommended() {
    let home = tempfile::tempdir().unwrap();
    // The bundled agenda has three cancelled sessions; find their groups from the data itself.
    let agenda: Value = serde_json::from_slice(
        &std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/ietf115/snapshot/api/meeting/115/agenda-data"
        ))
        .unwrap(),
    )
    .unwrap();
    let cancelled: Vec<(String, String)> = agenda["schedule"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] == "canceled")
        .map(|s| {
            (
                s["groupAcronym"].as_str().unwrap().to_string(),
                s["groupName"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(!cancelled.is_empty());
    for (acr, name) in &cancelled {
        let v = json_of(
            &wgrec(home.path())
                .args(["-q", "recommend", "--format", "json", "--top", "200"])
                .args(["--interest", name, "--interest", acr])
                .assert()
                .success()
                .get_output()
                .stdout,
        );
        for r in v["results"].as_array().unwrap() {
            for s in r["sessions"].as_array().unwrap() {
                assert_ne!(s["status"], "canceled", "{r}");
            }
        }
    }
}

#[test]
fn bad_input_is_refused_clearly_without_a_panic() {
    let home = tempfile::tempdir().unwrap();
    let long = "privacy ".repeat(1250);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--interest", ""], "empty"),
        (vec!["--interest", "   "], "empty"),
        (vec!["--interest", "?!,;..."], "no words"),
        (vec!["--interest", "\""], "no words"),
        (vec!["--interest", ":"], "no words"),
        (vec!["--interest", "("], "no words"),
        (vec!["--interest", "*"], "no words"),
        (vec!["--interest", &long], "too long"),
        (
            vec!["--interest", "privacy", "--meeting", "999"],
            "meeting 999",
        ),
        (
            vec!["--interest", "privacy", "--day", "Monday"],
            "not a date",
        ),
        (vec!["--interest", "privacy", "--top", "0"], "--top"),
    ];
    for (args, msg) in cases {
        wgrec(home.path())
            .arg("recommend")
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(msg))
            .stderr(predicate::str::contains("panicked").not());
    }
    // Query syntax inside real words is just words.
    for interest in [
        "\"routing security",
        "routing:security",
        "(privacy",
        "priv*",
        "privacy AND NOT -dns",
        "title:privacy OR [1 TO 2]",
    ] {
        wgrec(home.path())
            .args([
                "-q",
                "recommend",
                "--interest",
                interest,
                "--format",
                "json",
            ])
            .assert()
            .success();
    }
}

#[test]
fn a_broken_vocabulary_file_names_the_line_and_a_good_one_extends() {
    let home = tempfile::tempdir().unwrap();
    let bad = home.path().join("bad.toml");
    std::fs::write(&bad, "[[topic]]\nname = \"x\"\nterms = [\"a\"\n").unwrap();
    wgrec(home.path())
        .args(["recommend", "--interest", "x", "--vocabulary"])
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.toml").and(predicate::str::contains("line")));

    // A private topic the built-in vocabulary does not know: the file bridges it to a group.
    let good = home.path().join("good.toml");
    std::fs::write(
        &good,
        "[[topic]]\nname = \"bus tickets\"\nterms = [\"sidrops\"]\n",
    )
    .unwrap();
    let with = json_of(
        &wgrec(home.path())
            .args([
                "-q",
                "recommend",
                "--interest",
                "bus tickets",
                "--format",
                "json",
            ])
            .arg("--vocabulary")
            .arg(&good)
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(groups(&with).first().map(String::as_str), Some("sidrops"));
}

#[test]
fn markdown_and_csv_formats() {
    let home = tempfile::tempdir().unwrap();
    let md = wgrec(home.path())
        .args([
            "-q",
            "recommend",
            "--interest",
            "security",
            "--format",
            "markdown",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let md = String::from_utf8(md).unwrap();
    assert!(md.starts_with("# IETF 115"), "{md}");
    assert!(
        md.contains("| # | Group | Name | When | Room | Why |"),
        "{md}"
    );
    assert_eq!(
        md.lines()
            .filter(|l| l.starts_with("| ") && !l.starts_with("| #"))
            .count(),
        10
    );

    let csv = wgrec(home.path())
        .args([
            "-q",
            "recommend",
            "--interest",
            "dns",
            "--format",
            "csv",
            "--top",
            "5",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let csv = String::from_utf8(csv).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "rank,group,group_name,area,is_bof,sessions,score,matched_interests,matched_terms,excerpt"
    );
    assert_eq!(lines.count(), 5);
}

#[test]
fn search_reads_syntax_leniently() {
    let home = tempfile::tempdir().unwrap();
    let out = wgrec(home.path())
        .args([
            "-q",
            "search",
            "\"route origin\" AND rpki",
            "--format",
            "json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v = json_of(&out);
    assert_eq!(groups(&v).first().map(String::as_str), Some("sidrops"));
    for text in ["\"unbalanced", "title:(", "a AND", "***", "quic"] {
        wgrec(home.path())
            .args(["-q", "search", text])
            .assert()
            .success();
    }
    wgrec(home.path())
        .args(["search", "  "])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("empty"));
}

/// Copies the bundled snapshot into a home, so the test can change it.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &p);
        } else {
            std::fs::copy(e.path(), &p).unwrap();
        }
    }
}

#[test]
fn index_is_rebuilt_when_the_snapshot_changes() {
    let home = tempfile::tempdir().unwrap();
    let snap = home.path().join("snapshot");
    copy_dir(
        Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/ietf115/snapshot"
        )),
        &snap,
    );
    wgrec(home.path())
        .arg("index")
        .assert()
        .success()
        .stderr(predicate::str::contains("159 sessions"));
    let current = home.path().join("index/CURRENT");
    let first = std::fs::read_to_string(&current).unwrap();
    // Up to date: nothing is rebuilt, and the home's snapshot is used (no bundled note).
    wgrec(home.path())
        .args(["recommend", "--interest", "quic"])
        .assert()
        .success()
        .stderr(predicate::str::contains("bundled").not());
    assert_eq!(std::fs::read_to_string(&current).unwrap(), first);
    // A changed snapshot (its manifest) makes the next command rebuild before answering.
    let manifest = snap.join("manifest.json");
    let mut m: Value = serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    m["version"] = Value::from(1);
    let text = serde_json::to_string(&m).unwrap() + "\n\n";
    std::fs::write(&manifest, text).unwrap();
    wgrec(home.path())
        .args(["-q", "recommend", "--interest", "quic"])
        .assert()
        .success();
    let second = std::fs::read_to_string(&current).unwrap();
    assert_ne!(first, second);
    // `index --force` always builds a new generation; the tracked README is never touched.
    std::fs::write(home.path().join("index/README.md"), "keep me").unwrap();
    wgrec(home.path())
        .args(["index", "--force"])
        .assert()
        .success();
    assert_ne!(std::fs::read_to_string(&current).unwrap(), second);
    assert_eq!(
        std::fs::read_to_string(home.path().join("index/README.md")).unwrap(),
        "keep me"
    );
    let gens = std::fs::read_dir(home.path().join("index"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("gen-")
        })
        .count();
    assert_eq!(gens, 2, "the live generation and the previous one");
}
