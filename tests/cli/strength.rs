//! Strong and possible matches, plain reasons, clean excerpts and honest empties, through the
//! binary: on a synthetic meeting (fixtures/synthetic, served on 127.0.0.1) whose groups each
//! stand for one case, and on the bundled IETF 115 meeting.

use crate::common::{MockDt, fetch_cmd, fixtures, stdout_of, wgrec};
use serde_json::Value;
use std::path::Path;

/// A home holding the synthetic meeting 990, fetched from the mock datatracker.
fn synthetic_home() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let mock = MockDt::serve(fixtures().join("synthetic/dt"));
    fetch_cmd(home.path(), &mock, 990)
        .arg("-q")
        .assert()
        .success();
    home
}

fn json_run(home: &Path, args: &[&str]) -> Value {
    let out = stdout_of(wgrec(home).arg("-q").args(args));
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

/// (group, strength) of every result, in order.
fn strengths(v: &Value) -> Vec<(String, String)> {
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["group"].as_str().unwrap().to_string(),
                r["strength"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The synthetic case: the interest only in a document title, only in a generic word of
/// a group's name, and in a charter: possible, possible, strong; strong comes first.
#[test]
fn title_only_and_name_word_only_are_possible_the_charter_is_strong() {
    let home = synthetic_home();
    let v = json_run(
        home.path(),
        &["recommend", "--interest", "DNS abuse", "--format", "json"],
    );
    let got = strengths(&v);
    let of = |g: &str| {
        got.iter()
            .find(|(x, _)| x == g)
            .map(|(_, s)| s.as_str())
            .unwrap_or_else(|| panic!("{g} not listed: {got:?}"))
    };
    assert_eq!(of("sigops"), "possible", "{got:?}");
    assert_eq!(of("dnsdisc"), "possible", "{got:?}");
    assert_eq!(of("dam"), "strong", "{got:?}");
    assert_eq!(got[0].0, "dam", "strong results come first: {got:?}");
    // Ranks follow the shown order.
    for (i, r) in v["results"].as_array().unwrap().iter().enumerate() {
        assert_eq!(r["rank"], i + 1);
    }
    assert_eq!(v["results"][0]["strong_interests"][0], "DNS abuse");

    // `search` says the same of the same text.
    let v = json_run(home.path(), &["search", "DNS abuse", "--format", "json"]);
    let got = strengths(&v);
    assert_eq!(got[0], ("dam".to_string(), "strong".to_string()), "{got:?}");
    assert!(got.iter().skip(1).all(|(_, s)| s == "possible"), "{got:?}");
}

/// Every result of every format carries its strength (JSON field, words in the others).
#[test]
fn strength_in_every_format() {
    let home = synthetic_home();
    let args = ["recommend", "--interest", "DNS abuse", "--format"];
    let v = json_run(home.path(), &[&args[..], &["json"]].concat());
    for r in v["results"].as_array().unwrap() {
        let s = r["strength"].as_str().unwrap();
        assert!(s == "strong" || s == "possible", "{r}");
    }
    let run = |format: &str| stdout_of(wgrec(home.path()).arg("-q").args(args).arg(format));
    let table = run("table");
    assert!(table.contains("strong match"), "{table}");
    assert!(table.contains("possible match"), "{table}");
    let md = run("markdown");
    assert!(md.contains("strong"), "{md}");
    assert!(md.contains("possible"), "{md}");
    let csv = run("csv");
    assert!(csv.lines().next().unwrap().ends_with(",strength"), "{csv}");
    assert_eq!(
        csv.lines().filter(|l| l.ends_with(",strong")).count(),
        1,
        "{csv}"
    );
}
