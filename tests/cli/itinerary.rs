//! `wgrec itinerary`: the exact planner, the Markdown/ICS/JSON/table outputs and profiles runs,
//! through the library (synthetic plans) and through the binary against the bundled IETF 115
//! meeting with an empty temp home and a fixed clock.

use crate::common::{result_for, stdout_of};
use assert_cmd::Command;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use ical::parser::ical::component::IcalEvent;
use std::collections::BTreeSet;
use std::path::Path;
use wgrec::model::{SessionRef, SessionStatus};
use wgrec::plan::{self, Candidate, PlanRequest};
use wgrec::render::ics;

const NOW: &str = "2022-11-01T08:00:00Z";

fn at(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2022, 11, day, h, m, 0).unwrap()
}

#[allow(clippy::too_many_arguments)]
fn cand(
    id: &str,
    group: &str,
    name: &str,
    day: u32,
    from: (u32, u32),
    to: (u32, u32),
    score: f32,
    room: &str,
) -> Candidate {
    Candidate {
        meeting: 115,
        group: group.into(),
        group_name: name.into(),
        area: Some("sec".into()),
        is_bof: false,
        session: SessionRef {
            id: id.into(),
            start: at(day, from.0, from.1),
            end: at(day, to.0, to.1),
            room: Some(room.into()),
            status: SessionStatus::Scheduled,
        },
        url: plan::session_url(115, group),
        score,
        matched_interests: vec!["privacy".into()],
        strong_interests: vec!["privacy".into()],
        matched_terms: vec!["privacy".into(), "data protection".into()],
        reason: "Works on measurement without tracking people, at scale".into(),
        excerpt: String::new(),
        strength: wgrec::model::Strength::Strong,
    }
}

/// The mimi BoF on Monday morning.
fn mimi_bof(score: f32, room: &str) -> Candidate {
    let mut c = cand(
        "115-mimi-1",
        "mimi",
        "More Instant Messaging Interop",
        7,
        (9, 30),
        (11, 30),
        score,
        room,
    );
    c.is_bof = true;
    c
}

/// apn's cancelled Monday session (in Richmond 2).
fn cancelled_apn(from: (u32, u32), to: (u32, u32), score: f32) -> Candidate {
    let mut c = cand(
        "115-apn-1",
        "apn",
        "Application-aware Networking",
        7,
        from,
        to,
        score,
        "Richmond 2",
    );
    c.session.status = SessionStatus::Cancelled;
    c
}

/// A request for IETF 115 on the given November 2022 days, London time, no gap or exclusions.
fn request(days: &[u32], max_per_day: usize, must: &[&str]) -> PlanRequest {
    PlanRequest {
        include_possible: false,
        meeting: 115,
        days: days
            .iter()
            .map(|d| NaiveDate::from_ymd_opt(2022, 11, *d).unwrap())
            .collect(),
        max_per_day,
        gap_minutes: 0,
        must: must.iter().map(|g| g.to_string()).collect(),
        exclude: vec![],
        timezone: chrono_tz::Europe::London,
    }
}

/// Parses an ICS text with the `ical` crate (not the code that wrote it).
fn parse_ics(text: &str) -> Vec<IcalEvent> {
    let mut cals = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let cal = cals.next().expect("one calendar").expect("valid calendar");
    assert!(cals.next().is_none(), "exactly one calendar");
    let prop = |name: &str| {
        cal.properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
    };
    assert_eq!(prop("VERSION").as_deref(), Some("2.0"));
    assert!(prop("PRODID").is_some_and(|p| p.contains("wgrec")));
    assert_eq!(prop("CALSCALE").as_deref(), Some("GREGORIAN"));
    cal.events
}

fn prop(e: &IcalEvent, name: &str) -> Option<String> {
    e.properties
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.clone())
}

/// RFC 5545 TEXT unescaping, for comparing parsed values with the plan.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn utc(s: &str) -> DateTime<Utc> {
    assert!(s.ends_with('Z'), "not UTC: {s}");
    Utc.from_utc_datetime(
        &chrono::NaiveDateTime::parse_from_str(s, "%Y%m%dT%H%M%SZ").expect("UTC date-time"),
    )
}

/// Framing checks every writer must pass: CRLF only, at most 75 octets a line.
fn check_framing(text: &str) {
    assert!(text.ends_with("\r\n"));
    assert!(!text.replace("\r\n", "").contains('\n'), "bare LF");
    for line in text.split_terminator("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
}

#[test]
fn ics_of_a_synthetic_plan_parses_with_an_independent_parser() {
    let mut bof = mimi_bof(7.5, "Kensington 1, Ground floor; east wing");
    bof.reason = "matches messaging; \"interop\" of encrypted chat\\apps, Überblick — 😀 long enough to be folded more than once because descriptions run long".into();
    let other = cand(
        "115-ppm-1",
        "ppm",
        "Privacy Preserving Measurement",
        7,
        (13, 0),
        (14, 0),
        5.0,
        "Richmond 4",
    );
    let gone = cancelled_apn((15, 0), (16, 0), 3.0);
    let req = request(&[7], 4, &["apn"]);
    let cands = vec![bof.clone(), other.clone(), gone.clone()];
    let it = plan::plan(&cands, &req).unwrap();
    let stamp = at(1, 8, 0);
    let text = ics::itinerary(&it, Some("Ada, Example; Jr."), stamp);
    check_framing(&text);
    let events = parse_ics(&text);
    assert_eq!(events.len(), 3, "two planned sessions and one cancelled");
    for (e, c) in events.iter().zip([&bof, &other, &gone]) {
        // Per official: the same session in another official's calendar is another event.
        assert_eq!(
            prop(e, "UID").unwrap(),
            format!("{}.ada-example-jr@wgrec", c.session.id)
        );
        assert_eq!(utc(&prop(e, "DTSTAMP").unwrap()), stamp);
        assert_eq!(utc(&prop(e, "DTSTART").unwrap()), c.session.start);
        assert_eq!(utc(&prop(e, "DTEND").unwrap()), c.session.end);
        assert_eq!(prop(e, "URL").unwrap(), c.url);
        assert_eq!(
            unescape(&prop(e, "LOCATION").unwrap()),
            c.session.room.clone().unwrap()
        );
        let summary = unescape(&prop(e, "SUMMARY").unwrap());
        assert!(summary.contains(&c.group), "{summary}");
        assert_eq!(summary.starts_with("[BoF] "), c.is_bof, "{summary}");
        let status = prop(e, "STATUS").unwrap();
        let expect = if c.session.status.is_cancelled() {
            "CANCELLED"
        } else {
            "CONFIRMED"
        };
        assert_eq!(status, expect);
        let desc = unescape(&prop(e, "DESCRIPTION").unwrap());
        assert!(desc.contains(&c.reason), "{desc:?} lacks {:?}", c.reason);
        assert!(desc.contains(&c.url));
    }
    // The cancelled one carries a higher SEQUENCE so it wins over an imported confirmed copy.
    assert_eq!(prop(&events[2], "SEQUENCE").as_deref(), Some("1"));
    assert_eq!(prop(&events[0], "SEQUENCE").as_deref(), Some("0"));
    // Raw escaping of the special characters in the room.
    assert!(text.contains("LOCATION:Kensington 1\\, Ground floor\\; east wing\r\n"));
}

// ---------------------------------------------------------------------------------------------
// Through the binary, against the bundled IETF 115 meeting.

/// The common isolated `wgrec`, on the fixed clock and quiet.
fn wgrec(home: &Path) -> Command {
    let mut c = wgrec_loud(home);
    c.arg("--quiet");
    c
}

/// The same without `--quiet`, so notes on stderr can be checked.
fn wgrec_loud(home: &Path) -> Command {
    let mut c = crate::common::wgrec(home);
    c.env("WGREC_NOW", NOW);
    c
}

/// Privacy interests over the four main days of IETF 115.
const PRIVACY_MON_THU: [&str; 6] = [
    "--interest",
    "privacy",
    "--from",
    "2022-11-07",
    "--to",
    "2022-11-10",
];

fn json_plan(home: &Path, extra: &[&str]) -> serde_json::Value {
    let mut c = wgrec(home);
    c.args(["itinerary", "--format", "json"]).args(extra);
    serde_json::from_str(&stdout_of(&mut c)).unwrap()
}

struct Chosen {
    group: String,
    id: String,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    date: String,
}

fn chosen(v: &serde_json::Value) -> Vec<Chosen> {
    let mut out = Vec::new();
    for d in v["days"].as_array().unwrap() {
        for s in d["slots"].as_array().unwrap() {
            // A slot is strong exactly when it is strong for one of the interests it serves.
            let list = |k: &str| s[k].as_array().unwrap().clone();
            let strong = list("strong_interests");
            assert!(
                strong.iter().all(|i| list("matched_interests").contains(i)),
                "{s}"
            );
            assert_eq!(s["strength"] == "strong", !strong.is_empty(), "{s}");
            let t = |k: &str| {
                DateTime::parse_from_rfc3339(s["session"][k].as_str().unwrap())
                    .unwrap()
                    .with_timezone(&Utc)
            };
            out.push(Chosen {
                group: s["group"].as_str().unwrap().to_string(),
                id: s["session"]["id"].as_str().unwrap().to_string(),
                start: t("start"),
                end: t("end"),
                date: d["date"].as_str().unwrap().to_string(),
            });
        }
    }
    out
}

#[test]
fn ics_for_ietf_115_parses_and_every_event_matches_the_plan() {
    let home = tempfile::tempdir().unwrap();
    let args = PRIVACY_MON_THU;
    let plan = json_plan(home.path(), &args);
    let want = chosen(&plan);
    assert!(want.len() >= 4, "a plan over four days: {}", want.len());
    let ics_text = stdout_of(
        wgrec(home.path())
            .arg("itinerary")
            .args(args)
            .args(["--format", "ics"]),
    );
    check_framing(&ics_text);
    let events = parse_ics(&ics_text);
    let confirmed: Vec<&IcalEvent> = events
        .iter()
        .filter(|e| prop(e, "STATUS").as_deref() == Some("CONFIRMED"))
        .collect();
    assert_eq!(confirmed.len(), want.len());
    let mut uids = BTreeSet::new();
    for e in &events {
        let uid = prop(e, "UID").unwrap();
        assert!(uids.insert(uid.clone()), "duplicate UID {uid}");
        assert_eq!(
            utc(&prop(e, "DTSTAMP").unwrap()).to_rfc3339(),
            "2022-11-01T08:00:00+00:00"
        );
        assert!(prop(e, "LOCATION").is_some_and(|l| !l.is_empty()));
        assert!(
            prop(e, "URL")
                .unwrap()
                .starts_with("https://datatracker.ietf.org/meeting/115/session/")
        );
        assert!(prop(e, "DESCRIPTION").is_some_and(|d| !d.is_empty()));
    }
    for (e, c) in confirmed.iter().zip(&want) {
        assert_eq!(prop(e, "UID").unwrap(), format!("{}@wgrec", c.id));
        assert_eq!(utc(&prop(e, "DTSTART").unwrap()), c.start);
        assert_eq!(utc(&prop(e, "DTEND").unwrap()), c.end);
        assert!(unescape(&prop(e, "SUMMARY").unwrap()).contains(&c.group));
        assert_eq!(
            prop(e, "URL").unwrap(),
            format!(
                "https://datatracker.ietf.org/meeting/115/session/{}/",
                c.group
            )
        );
    }
    // Same clock, same data: byte-identical output, so re-imports update rather than duplicate.
    let again = stdout_of(
        wgrec(home.path())
            .arg("itinerary")
            .args(args)
            .args(["--format", "ics"]),
    );
    assert_eq!(again, ics_text);
}

#[test]
fn plans_respect_days_limit_gap_and_overlaps() {
    let home = tempfile::tempdir().unwrap();
    let v = json_plan(
        home.path(),
        &[
            "--interest",
            "privacy",
            "--interest",
            "routing security",
            "--interest",
            "internet of things",
            "--day",
            "2022-11-08",
            "--day",
            "2022-11-10",
            "--max-per-day",
            "2",
            "--gap",
            "15",
            "--exclude-group",
            "SIDROPS",
        ],
    );
    let c = chosen(&v);
    assert!(!c.is_empty());
    assert!(
        c.iter().all(|c| c.group != "sidrops"),
        "excluded group planned"
    );
    let days: BTreeSet<&str> = c.iter().map(|c| c.date.as_str()).collect();
    assert!(
        days.iter()
            .all(|d| ["2022-11-08", "2022-11-10"].contains(d)),
        "{days:?}"
    );
    for d in &days {
        let mut on: Vec<&Chosen> = c.iter().filter(|x| x.date == *d).collect();
        assert!(on.len() <= 2, "{d}: {}", on.len());
        on.sort_by_key(|x| x.start);
        for w in on.windows(2) {
            assert!(
                w[0].end + chrono::Duration::minutes(15) <= w[1].start,
                "overlap on {d}"
            );
        }
    }
    let groups: BTreeSet<&str> = c.iter().map(|c| c.group.as_str()).collect();
    assert_eq!(groups.len(), c.len(), "a group is planned once");
    // Swap candidates: at most three, unplanned groups, overlapping their slot, best first.
    let mut listed = 0;
    for d in v["days"].as_array().unwrap() {
        for s in d["slots"].as_array().unwrap() {
            let alts = s["alternatives"].as_array().unwrap();
            assert!(alts.len() <= 3);
            let t = |x: &serde_json::Value, k: &str| x["session"][k].as_str().unwrap().to_string();
            let mut last = f64::INFINITY;
            for a in alts {
                listed += 1;
                assert!(!groups.contains(a["group"].as_str().unwrap()));
                assert!(t(a, "start") < t(s, "end") && t(s, "start") < t(a, "end"));
                let score = a["score"].as_f64().unwrap();
                // Not necessarily below the chosen one: the exact plan may pass over a better
                // session that would block two others.
                assert!(score <= last);
                last = score;
            }
        }
    }
    assert!(listed > 0, "no alternatives at all");
    assert_eq!(v["timezone"], "Europe/London");
    assert_eq!(v["generated"], "2022-11-01T08:00:00Z");
}

#[test]
fn exact_plan_is_never_worse_than_greedy_on_the_real_agenda() {
    // Greedy by score over the same recommendations (the algorithm the issue rules out) never
    // beats the planner. (Whether it is strictly worse on the real agenda depends on the
    // ranking's scores; the hand-worked cases above and in `plan.rs` show that it can be.)
    let home = tempfile::tempdir().unwrap();
    for (interests, k) in [
        (vec!["routing"], 1),
        (vec!["identity"], 2),
        (vec!["privacy"], 3),
        (vec!["routing security", "dns"], 3),
        (vec!["human rights", "internet of things", "encryption"], 4),
    ] {
        let mut args: Vec<String> = Vec::new();
        for i in &interests {
            args.extend(["--interest".to_string(), i.to_string()]);
        }
        let k_text = k.to_string();
        let mut plan_args: Vec<&str> = args.iter().map(String::as_str).collect();
        plan_args.extend([
            "--from",
            "2022-11-07",
            "--to",
            "2022-11-10",
            "--max-per-day",
            &k_text,
        ]);
        let planned = json_plan(home.path(), &plan_args);
        let total = planned["total_score"].as_f64().unwrap();
        let mut rc = wgrec(home.path());
        rc.arg("recommend").args(&args);
        rc.args(["--top", "1000", "--format", "json"]);
        let recs: serde_json::Value = serde_json::from_str(&stdout_of(&mut rc)).unwrap();
        let greedy = greedy_total(&recs, k, ("2022-11-07", "2022-11-10"));
        assert!(
            total + 1e-6 >= greedy,
            "{interests:?}: plan {total} < greedy {greedy}"
        );
    }
}

/// Greedy by score: take the best remaining session that fits (no overlap, day limit, group
/// once, days given as UTC dates: London is on UTC in November and March).
fn greedy_total(recs: &serde_json::Value, k: usize, days: (&str, &str)) -> f64 {
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let (first, last) = (d(days.0), d(days.1));
    let mut all = Vec::new();
    // By default a plan fills only with strong matches: greedy gets the same candidates.
    for r in recs["results"].as_array().unwrap() {
        if r["strength"] != "strong" {
            continue;
        }
        for s in r["sessions"].as_array().unwrap() {
            if s["status"] != "sched" {
                continue;
            }
            let t = |k: &str| {
                DateTime::parse_from_rfc3339(s[k].as_str().unwrap())
                    .unwrap()
                    .with_timezone(&Utc)
            };
            let (start, end) = (t("start"), t("end"));
            let day = start.date_naive();
            if day < first || day > last {
                continue;
            }
            all.push((
                r["score"].as_f64().unwrap(),
                r["group"].as_str().unwrap().to_string(),
                start,
                end,
            ));
        }
    }
    all.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut taken: Vec<(f64, String, DateTime<Utc>, DateTime<Utc>)> = Vec::new();
    for c in all {
        let fits = taken
            .iter()
            .all(|t| t.1 != c.1 && (t.3 <= c.2 || c.3 <= t.2))
            && taken
                .iter()
                .filter(|t| t.2.date_naive() == c.2.date_naive())
                .count()
                < k;
        if fits {
            taken.push(c);
        }
    }
    taken.iter().map(|t| t.0).sum()
}

#[test]
fn markdown_reads_like_a_document() {
    let home = tempfile::tempdir().unwrap();
    let md = stdout_of(wgrec(home.path()).args([
        "itinerary",
        "--interest",
        "privacy",
        "--interest",
        "human rights",
        "--from",
        "2022-11-07",
        "--to",
        "2022-11-10",
        "--max-per-day",
        "2",
        "--must",
        "gaia",
        "--name",
        "Ada Example",
    ]));
    assert!(md.starts_with("# IETF 115 itinerary for Ada Example\n"));
    for day in [
        "Monday 7 November 2022",
        "Tuesday 8 November 2022",
        "Wednesday 9 November 2022",
        "Thursday 10 November 2022",
    ] {
        assert!(
            md.contains(&format!("\n## {day}\n")),
            "no heading for {day}"
        );
    }
    assert!(md.contains("Europe/London (GMT)"));
    assert!(md.contains("- **Room:** "));
    assert!(md.contains("- **Match:** strong match for "));
    // A group strong for one interest is not called strong for another it only matches: the
    // oblivious-HTTP group is strong for privacy and possibly related to human rights.
    assert!(md.contains(
        "· Oblivious HTTP Application Intermediation (ohai)\n\n- **Match:** strong match for \
         privacy; possible match for human rights\n"
    ));
    assert!(md.contains("- **Why it matters:** "));
    assert!(md.contains("<https://datatracker.ietf.org/meeting/115/session/gaia/>"));
    insta::assert_snapshot!("markdown_privacy_human_rights", md);
}

#[test]
fn another_zone_shifts_times_and_names_both_zones() {
    let home = tempfile::tempdir().unwrap();
    let args = [
        "itinerary",
        "--interest",
        "privacy",
        "--day",
        "2022-11-08",
        "--format",
        "table",
    ];
    let london = stdout_of(wgrec(home.path()).args(args));
    let ny = stdout_of(
        wgrec(home.path())
            .args(args)
            .args(["--tz", "America/New_York"]),
    );
    assert!(
        london.contains("Europe/London (GMT), the meeting's local time"),
        "{london}"
    );
    assert!(
        ny.contains(
            "Times are in America/New_York (EST); the meeting itself runs on Europe/London (GMT)"
        ),
        "{ny}"
    );
    // London is 5 hours ahead of New York in November 2022: the first time moves by 5 hours.
    let first_time = |t: &str| -> u32 {
        let row = t.lines().nth(1).unwrap();
        let hhmm = row.split_whitespace().nth(3).unwrap();
        hhmm[..2].parse().unwrap()
    };
    assert_eq!(first_time(&london), first_time(&ny) + 5, "{london}\n{ny}");
    wgrec(home.path())
        .args(args)
        .args(["--tz", "Mars/Olympus"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not an IANA time zone"));
}

#[test]
fn must_groups_are_included_or_explained() {
    let home = tempfile::tempdir().unwrap();
    // sidrops meets Thursday 10 November only; hrpc on Friday; apn's Monday session is cancelled.
    // Not quiet: the warning about hrpc is checked.
    let out = crate::common::wgrec(home.path())
        .env("WGREC_NOW", NOW)
        .arg("itinerary")
        .args(PRIVACY_MON_THU)
        .args([
            "--must", "sidrops", "--must", "hrpc", "--must", "apn", "--format", "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let must = |g: &str| {
        v["must"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["group"] == g)
            .unwrap()
            .clone()
    };
    assert_eq!(must("sidrops")["included"], true);
    assert!(chosen(&v).iter().any(|c| c.group == "sidrops"));
    assert_eq!(must("hrpc")["included"], false);
    assert!(
        must("hrpc")["problem"]
            .as_str()
            .unwrap()
            .contains("outside the chosen days")
    );
    assert!(
        must("apn")["problem"]
            .as_str()
            .unwrap()
            .contains("cancelled")
    );
    assert!(
        stderr.contains("warning: hrpc meets only on Fri 11 Nov"),
        "{stderr}"
    );
    // The cancelled must session goes into the calendar as cancelled.
    let ics_text = stdout_of(
        wgrec(home.path())
            .arg("itinerary")
            .args(PRIVACY_MON_THU)
            .args(["--must", "apn", "--format", "ics"]),
    );
    let events = parse_ics(&ics_text);
    let apn = events
        .iter()
        .find(|e| prop(e, "UID").is_some_and(|u| u.starts_with("115-apn-")))
        .expect("apn event");
    assert_eq!(prop(apn, "STATUS").as_deref(), Some("CANCELLED"));
}

#[test]
fn bad_arguments_are_refused() {
    let home = tempfile::tempdir().unwrap();
    for (args, msg) in [
        (
            vec!["--interest", "privacy", "--day", "2022-12-01"],
            "is not a day of IETF 115",
        ),
        (
            vec!["--interest", "privacy", "--day", "monday"],
            "is not a date",
        ),
        (
            vec!["--interest", "privacy", "--max-per-day", "0"],
            "0 is not in 1..=20",
        ),
        (
            vec![
                "--interest",
                "privacy",
                "--must",
                "tls",
                "--exclude-group",
                "tls",
            ],
            "both a must and excluded",
        ),
        (vec!["--day", "2022-11-07"], "--interest"),
    ] {
        wgrec(home.path())
            .arg("itinerary")
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(msg));
    }
}

// ---------------------------------------------------------------------------------------------
// Profiles.

fn example_profiles() -> std::path::PathBuf {
    crate::common::fixtures().join("profiles.example.toml")
}

/// `wgrec itinerary --profiles <profiles> --out <out>`.
fn profiles_cmd(home: &Path, profiles: &Path, out: &Path) -> Command {
    let mut c = wgrec(home);
    c.arg("itinerary")
        .arg("--profiles")
        .arg(profiles)
        .arg("--out")
        .arg(out);
    c
}

#[test]
fn profiles_write_one_plan_and_calendar_per_official_and_an_index() {
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("plans");
    let listed = stdout_of(&mut profiles_cmd(home.path(), &example_profiles(), &out));
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "ada-example.ics",
            "ada-example.md",
            "bruno-muster.ics",
            "bruno-muster.md",
            "chidi-sample.ics",
            "chidi-sample.md",
            "index.md"
        ]
    );
    assert_eq!(listed.lines().count(), 7);
    let index = std::fs::read_to_string(out.join("index.md")).unwrap();
    for n in ["Ada Example", "Bruno Muster", "Chidi Sample"] {
        assert!(index.contains(n));
    }
    let bruno = std::fs::read_to_string(out.join("bruno-muster.md")).unwrap();
    assert!(bruno.starts_with("# IETF 115 itinerary for Bruno Muster\n"));
    assert!(bruno.contains("America/New_York"));
    assert!(bruno.contains("## Tuesday 8 November 2022") && !bruno.contains("## Monday"));
    for f in ["ada-example.ics", "bruno-muster.ics", "chidi-sample.ics"] {
        let text = std::fs::read_to_string(out.join(f)).unwrap();
        check_framing(&text);
        assert!(!parse_ics(&text).is_empty(), "{f}");
    }
    // A second run replaces the set it wrote before.
    stdout_of(&mut profiles_cmd(home.path(), &example_profiles(), &out));
    assert_eq!(
        std::fs::read_to_string(out.join("index.md")).unwrap(),
        index
    );
}

#[test]
fn a_bad_profiles_file_names_the_line_and_writes_nothing() {
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("plans");
    let bad = home.path().join("bad.toml");
    let cases = [
        (
            "[[official]]\nname = \"A\"\ninterests = [\"privacy\"]\n\n[[official]]\nname = \"B\"\ninterests = [\"dns\"]\ndays = [\"2022-11-07\", \"2022-11-31\"]\n",
            ":8: official \"B\": \"2022-11-31\" is not a date",
        ),
        (
            "[[official]]\nname = \"A\"\ninterests = [\"privacy\"]\nmax_per_day = \"three\"\n",
            ":4: ",
        ),
        (
            "[[official]]\nname = \"A\"\ninterests = [\"privacy\"]\n\n[[official]]\nname = \"B\"\ninterests = [\"dns\"]\nfrom = \"2022-12-01\"\nto = \"2022-12-02\"\n",
            ":8: official \"B\": 2022-12-01 to 2022-12-02 has no day of IETF 115",
        ),
    ];
    for (text, msg) in cases {
        std::fs::write(&bad, text).unwrap();
        profiles_cmd(home.path(), &bad, &out)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(msg));
        assert!(!out.exists(), "nothing may be written for a bad file");
        let leftovers: Vec<_> = std::fs::read_dir(home.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("plans"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
    // A directory with someone else's files is not replaced.
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    profiles_cmd(home.path(), &example_profiles(), &out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("did not write"));
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "mine"
    );
}

// ---------------------------------------------------------------------------------------------
// The hand-worked case through the binary, on a tiny meeting written into the temp home.

/// Writes meeting 900 (one day, three groups) into `<home>/snapshot`. `groups` is
/// (acronym, name, description, start, end) with times on 2030-03-04 UTC (London in winter).
fn tiny_meeting(home: &Path, groups: &[(&str, &str, &str, &str, &str)]) {
    let fixtures = crate::common::fixtures().join("ietf115/snapshot");
    let template = std::fs::read_to_string(fixtures.join("group/ppm/about/index.html")).unwrap();
    let old_desc = {
        let a = template.find("<p>Develops").unwrap();
        let b = a + template[a..].find("</p>").unwrap();
        template[a..b + 4].to_string()
    };
    let snap = home.join("snapshot");
    let mut entries = serde_json::Map::new();
    let mut entry = |path: &str, body: &[u8]| {
        let file = if path.ends_with('/') {
            snap.join(path).join("index.html")
        } else {
            snap.join(path)
        };
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, body).unwrap();
        entries.insert(
            path.to_string(),
            serde_json::json!({
                "url": format!("https://datatracker.ietf.org/{path}"),
                "status": 200, "etag": null, "last_modified": null,
                "sha256": "0", "size": body.len(), "fetched_at": "2030-03-01T00:00:00Z"
            }),
        );
    };
    let mut schedule = Vec::new();
    for (i, (acr, name, desc, start, end)) in groups.iter().enumerate() {
        let page = template
            .replace("Privacy Preserving Measurement", name)
            .replace("ppm", acr)
            .replace(&old_desc, &format!("<p>{desc}</p>"));
        entry(&format!("group/{acr}/about/"), page.as_bytes());
        let t = |hm: &str| format!("2030-03-04T{hm}:00+00:00");
        let secs = (DateTime::parse_from_rfc3339(&t(end)).unwrap()
            - DateTime::parse_from_rfc3339(&t(start)).unwrap())
        .num_seconds();
        schedule.push(serde_json::json!({
            "id": 1000 + i, "sessionId": 2000 + i, "room": format!("Room {}", i + 1),
            "location": {"name": "Floor 1", "short": ""}, "acronym": acr, "duration": secs,
            "name": "", "startDateTime": t(start), "status": "sched", "type": "regular",
            "purpose": "regular", "isBoF": false, "isProposed": false, "groupAcronym": acr,
            "groupName": name, "groupParent": {"acronym": "sec"}, "note": "",
            "agenda": {}, "orderInMeeting": i + 1
        }));
    }
    let agenda = serde_json::json!({
        "meeting": {"number": "900", "city": "Testville", "startDate": "2030-03-04",
                    "endDate": "2030-03-04", "timezone": "Europe/London"},
        "schedule": schedule
    });
    entry("api/meeting/900/agenda-data", agenda.to_string().as_bytes());
    let manifest = serde_json::json!({"version": 1, "entries": entries});
    std::fs::write(snap.join("manifest.json"), manifest.to_string()).unwrap();
}

#[test]
fn greedy_loses_the_hand_worked_case_through_the_binary() {
    // A (09:00-11:00) matches both interests moderately, B (09:00-10:00) only the first and C
    // (10:00-11:00) only the second, each strongly. A scores highest alone, so greedy takes A;
    // B and C together score more, and the planner takes them.
    let home = tempfile::tempdir().unwrap();
    tiny_meeting(
        home.path(),
        &[
            (
                "alfa",
                "Telescope and Harmonica",
                "Coordinates telescope and harmonica work.",
                "09:00",
                "11:00",
            ),
            (
                "bravo",
                "Telescope Operations",
                "Telescope operations: telescope mounts and telescope optics.",
                "09:00",
                "10:00",
            ),
            (
                "charlie",
                "Harmonica Operations",
                "Harmonica operations: harmonica reeds and harmonica tuning.",
                "10:00",
                "11:00",
            ),
        ],
    );
    let interests = ["--interest", "telescope", "--interest", "harmonica"];
    let recs: serde_json::Value = serde_json::from_str(&stdout_of(
        wgrec(home.path())
            .arg("recommend")
            .args(interests)
            .args(["--format", "json"]),
    ))
    .unwrap();
    let score = |g: &str| result_for(&recs, g)["score"].as_f64().unwrap();
    let (a, b, c) = (score("alfa"), score("bravo"), score("charlie"));
    // The shape of the hand-worked case: A beats each of B and C, but not both.
    assert!(a > b && a > c && a < b + c, "scores a={a} b={b} c={c}");
    assert!(
        (greedy_total(&recs, 4, ("2030-03-04", "2030-03-04")) - a).abs() < 1e-6,
        "greedy takes A alone"
    );
    let plan = json_plan(
        home.path(),
        &[interests.as_slice(), &["--day", "2030-03-04"]].concat(),
    );
    let picked: Vec<String> = chosen(&plan).into_iter().map(|c| c.group).collect();
    assert_eq!(picked, ["bravo", "charlie"]);
    assert!((plan["total_score"].as_f64().unwrap() - (b + c)).abs() < 1e-5);
    let alts = &plan["days"][0]["slots"][0]["alternatives"];
    assert_eq!(alts[0]["group"], "alfa", "A is offered as the swap");
}

#[test]
fn markdown_layout_on_a_synthetic_plan() {
    // Every part of the document on fixed data (independent of the ranking): a must slot, a BoF,
    // swap candidates, a group meeting twice, a cancelled must group, an unplannable must, and
    // times shown in another zone where one crosses midnight.
    let mut bof = mimi_bof(2.5, "Kensington 1");
    bof.matched_terms = vec!["messaging".into(), "interoperability".into()];
    bof.reason = "Privacy: works on letting different messaging apps talk to each other".into();
    bof.excerpt = "On the agenda: **Messaging interoperability** requirements.".into();
    let alt = cand(
        "115-ppm-1",
        "ppm",
        "Privacy Preserving Measurement",
        7,
        (10, 0),
        (11, 0),
        1.5,
        "Richmond 4",
    );
    let twice_a = cand(
        "115-ohai-1",
        "ohai",
        "Oblivious HTTP Application Intermediation",
        8,
        (13, 0),
        (14, 30),
        2.0,
        "Richmond 1",
    );
    let twice_b = cand(
        "115-ohai-2",
        "ohai",
        "Oblivious HTTP Application Intermediation",
        8,
        (15, 0),
        (16, 0),
        2.0,
        "Richmond 2",
    );
    let mut must = cand(
        "115-gaia-1",
        "gaia",
        "Global Access to the Internet for All",
        8,
        (23, 0),
        (23, 45),
        0.0,
        "Richmond 3",
    );
    must.matched_interests.clear();
    must.matched_terms.clear();
    must.reason = "on the must-attend list".into();
    let cancelled = cancelled_apn((13, 0), (15, 0), 0.0);
    let req = request(&[7, 8], 3, &["gaia", "apn", "hrpc"]);
    let it = plan::plan(&[bof, alt, twice_a, twice_b, must, cancelled], &req).unwrap();
    let interests = vec!["messaging".to_string(), "privacy".to_string()];
    let view = wgrec::render::itinerary::View {
        name: Some("Ada *Example*"),
        interests: &interests,
        city: Some("London"),
        display_tz: chrono_tz::Asia::Tokyo,
        generated: at(1, 8, 0),
    };
    insta::assert_snapshot!(
        "markdown_synthetic",
        wgrec::render::itinerary::markdown(&it, &view)
    );
    insta::assert_snapshot!(
        "table_synthetic",
        wgrec::render::itinerary::table(&it, &view)
    );
}

// ---------------------------------------------------------------------------------------------
// QA findings (one test per finding; none depends on the exact ranking).

fn two_day_plan() -> plan::Itinerary {
    let c = vec![
        cand(
            "115-ppm-1",
            "ppm",
            "PPM",
            7,
            (9, 30),
            (11, 30),
            2.0,
            "Richmond 4",
        ),
        cand(
            "115-add-1",
            "add",
            "ADD",
            8,
            (13, 0),
            (14, 30),
            1.0,
            "Richmond 1",
        ),
    ];
    let req = PlanRequest {
        include_possible: false,
        meeting: 115,
        days: vec![
            NaiveDate::from_ymd_opt(2022, 11, 7).unwrap(),
            NaiveDate::from_ymd_opt(2022, 11, 8).unwrap(),
        ],
        max_per_day: 3,
        gap_minutes: 0,
        must: vec![],
        exclude: vec![],
        timezone: chrono_tz::Europe::London,
    };
    plan::plan(&c, &req).unwrap()
}

fn uids(text: &str) -> BTreeSet<String> {
    parse_ics(text)
        .iter()
        .map(|e| prop(e, "UID").unwrap())
        .collect()
}

#[test]
fn ics_uids_are_per_official_and_stable_across_runs() {
    let it = two_day_plan();
    let stamp = at(1, 8, 0);
    let none = uids(&ics::itinerary(&it, None, stamp));
    assert_eq!(
        none,
        BTreeSet::from(["115-add-1@wgrec".to_string(), "115-ppm-1@wgrec".to_string()])
    );
    let ada = uids(&ics::itinerary(&it, Some("Ada Example"), stamp));
    assert!(ada.contains("115-add-1.ada-example@wgrec"), "{ada:?}");
    let zoe = uids(&ics::itinerary(&it, Some("Zoë Ñ"), stamp));
    assert!(zoe.contains("115-add-1.zoe-n@wgrec"), "{zoe:?}");
    // Two names in a non-Latin script still get distinct UIDs.
    let li = uids(&ics::itinerary(&it, Some("李雷"), stamp));
    let han = uids(&ics::itinerary(&it, Some("韩梅梅"), stamp));
    for (a, b) in [(&ada, &zoe), (&ada, &none), (&li, &han), (&li, &none)] {
        assert!(a.is_disjoint(b), "{a:?} vs {b:?}");
    }
    // Re-importing the same official's plan (a later run) updates: the same UIDs.
    let later = uids(&ics::itinerary(&it, Some("Ada Example"), at(3, 8, 0)));
    assert_eq!(ada, later);
    assert_eq!(li, uids(&ics::itinerary(&it, Some("李雷"), at(3, 8, 0))));
}

#[test]
fn profiles_calendars_do_not_share_uids() {
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("plans");
    let mut run = wgrec(home.path());
    run.arg("itinerary")
        .arg("--profiles")
        .arg(example_profiles())
        .arg("--out")
        .arg(&out);
    stdout_of(&mut run);
    let mut seen: Vec<BTreeSet<String>> = Vec::new();
    for e in std::fs::read_dir(&out).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "ics") {
            seen.push(uids(&std::fs::read_to_string(&p).unwrap()));
        }
    }
    assert!(seen.len() >= 3, "{seen:?}");
    for (i, a) in seen.iter().enumerate() {
        assert!(!a.is_empty());
        for b in &seen[i + 1..] {
            assert!(a.is_disjoint(b), "shared UIDs: {:?}", a.intersection(b));
        }
    }
}

#[test]
fn cli_limits_match_the_profiles_file() {
    let home = tempfile::tempdir().unwrap();
    for (flag, value) in [
        ("--max-per-day", "0"),
        ("--max-per-day", "21"),
        ("--max-per-day", "1000"),
        ("--gap", "241"),
        ("--gap", "100000"),
        ("--gap", "-1"),
    ] {
        wgrec(home.path())
            .args([
                "itinerary",
                "--interest",
                "privacy",
                &format!("{flag}={value}"),
            ])
            .assert()
            .code(2)
            .stderr(predicates::str::contains(flag));
    }
    // The largest values the profiles file allows are accepted.
    let v = json_plan(
        home.path(),
        &[
            "--interest",
            "privacy",
            "--day",
            "2022-11-08",
            "--max-per-day",
            "20",
            "--gap",
            "240",
        ],
    );
    assert_eq!(v["days"].as_array().unwrap().len(), 1);
}

#[test]
fn a_range_wider_than_the_meeting_is_clamped_and_one_outside_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let mut c = wgrec_loud(home.path());
    c.args(["itinerary", "--interest", "privacy", "--format", "json"])
        .args(["--from", "2022-11-01", "--to", "2022-11-30"]);
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let days: Vec<&str> = v["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["date"].as_str().unwrap())
        .collect();
    // Cut to the meeting (5-11 November), then to its session days: the weekend's hackathon
    // and registration days are not part of a plan.
    assert_eq!(days.first(), Some(&"2022-11-07"));
    assert_eq!(days.last(), Some(&"2022-11-11"));
    assert_eq!(days.len(), 5);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("note: 2022-11-01 to 2022-11-30 reaches beyond IETF 115"),
        "{err}"
    );
    wgrec(home.path())
        .args(["itinerary", "--interest", "privacy"])
        .args(["--from", "2022-12-01", "--to", "2022-12-05"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "has no day of IETF 115; its days are 2022-11-05 to 2022-11-11",
        ));
    let help = stdout_of(wgrec(home.path()).args(["itinerary", "--help"]));
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(help.contains("give --to with it"), "{help}");
    assert!(help.contains("give --from with it"), "{help}");
}

#[test]
fn an_empty_plan_says_so() {
    let home = tempfile::tempdir().unwrap();
    // No privacy session on the Saturday (hackathon day) of IETF 115.
    let empty = ["itinerary", "--interest", "privacy", "--day", "2022-11-05"];
    let v = json_plan(home.path(), &empty[1..]);
    assert!(v["days"][0]["slots"].as_array().unwrap().is_empty());
    for (format, sentence) in [
        (
            "table",
            "Nothing on the chosen days is mainly about these interests.",
        ),
        (
            "markdown",
            "Nothing on the chosen days is mainly about these interests, so no session is planned.",
        ),
    ] {
        let out = wgrec_loud(home.path())
            .args(empty)
            .args(["--format", format])
            .output()
            .unwrap();
        assert!(out.status.success());
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(stdout.contains(sentence), "{format}: {stdout}");
        assert!(!stdout.contains("DAY  TIME"), "{stdout}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("note: no session matches the interests on Sat 5 Nov (IETF 115)"),
            "{err}"
        );
    }
    // --quiet silences the note, not the data.
    let out = wgrec(home.path()).args(empty).output().unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_session_past_midnight_in_the_shown_zone_says_when_it_ends() {
    let it = two_day_plan();
    let interests = vec!["privacy".to_string()];
    let view = wgrec::render::itinerary::View {
        name: None,
        interests: &interests,
        city: Some("London"),
        // UTC+14: ppm 09:30-11:30 UTC on the 7th is 23:30-01:30, Mon 7 to Tue 8 Nov; add
        // 13:00-14:30 UTC on the 8th is 03:00-04:30 on Wed 9 Nov.
        display_tz: chrono_tz::Pacific::Kiritimati,
        generated: at(1, 8, 0),
    };
    let table = wgrec::render::itinerary::table(&it, &view);
    assert!(table.contains("23:30–01:30 (ends Tue 8 Nov)"), "{table}");
    assert!(table.contains("03:00–04:30 (Wed 9 Nov)"), "{table}");
    let md = wgrec::render::itinerary::markdown(&it, &view);
    assert!(
        md.contains("### 23:30–01:30 (ends Tue 8 Nov) · PPM\n"),
        "{md}"
    );
    // Through the binary: every row whose end reads earlier than its start names the end's day.
    let home = tempfile::tempdir().unwrap();
    let text = stdout_of(wgrec(home.path()).args([
        "itinerary",
        "--interest",
        "privacy",
        "--tz",
        "Pacific/Kiritimati",
        "--day",
        "2022-11-09",
        "--format",
        "table",
    ]));
    // (A plan of up to four sessions fills the 09:30 London slot, 23:30 in Kiritimati.)
    let mut crossing = 0;
    for line in text.lines().filter(|l| l.contains('–')) {
        let t = line
            .split("  ")
            .map(str::trim)
            .find(|c| c.contains('–'))
            .unwrap();
        let (s, rest) = t.split_once('–').unwrap();
        if rest[..5] < *s {
            crossing += 1;
            assert!(rest.contains("(ends "), "{line}");
        }
    }
    assert!(crossing > 0, "no session crosses midnight: {text}");
}

#[test]
fn markdown_escapes_html_and_structure_in_user_and_data_text() {
    let home = tempfile::tempdir().unwrap();
    let md = stdout_of(wgrec(home.path()).args([
        "itinerary",
        "--interest",
        "oauth | <b>x</b>",
        "--name",
        "<i>Zoë</i> & co",
        "--day",
        "2022-11-08",
    ]));
    assert!(!md.contains("<b>") && !md.contains("<i>"), "{md}");
    assert!(
        md.starts_with("# IETF 115 itinerary for &lt;i&gt;Zoë&lt;/i&gt; & co\n"),
        "{md}"
    );
    assert!(
        md.contains("Interests: oauth \\| &lt;b&gt;x&lt;/b&gt;."),
        "{md}"
    );
    assert_eq!(
        wgrec::render::md_escape("a & <b> ~~s~~ ![i](u) | #"),
        "a & &lt;b&gt; \\~\\~s\\~\\~ \\!\\[i\\](u) \\| \\#"
    );
}

#[test]
fn the_intro_lists_days_that_are_not_contiguous() {
    let home = tempfile::tempdir().unwrap();
    let intro = |days: &[&str]| {
        let mut c = wgrec(home.path());
        c.args(["itinerary", "--interest", "privacy"]);
        for d in days {
            c.args(["--day", d]);
        }
        stdout_of(&mut c).lines().nth(2).unwrap().to_string()
    };
    let gap = intro(&["2022-11-08", "2022-11-10"]);
    assert!(
        gap.starts_with("London, Tuesday 8 November and Thursday 10 November 2022. "),
        "{gap}"
    );
    let three = intro(&["2022-11-07", "2022-11-09", "2022-11-11"]);
    assert!(
        three.starts_with(
            "London, Monday 7 November, Wednesday 9 November and Friday 11 November 2022. "
        ),
        "{three}"
    );
    let run = intro(&["2022-11-08", "2022-11-09", "2022-11-10"]);
    assert!(
        run.starts_with("London, Tuesday 8 November to Thursday 10 November 2022. "),
        "{run}"
    );
}

#[test]
fn out_and_format_follow_profiles() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("plans");
    // --out without --profiles, with or without interests.
    wgrec(home.path())
        .args(["itinerary", "--interest", "privacy", "--out"])
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--profiles"));
    wgrec(home.path())
        .args(["itinerary", "--out"])
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--profiles"));
    // An explicit --format with --profiles is refused rather than ignored.
    wgrec(home.path())
        .args(["itinerary", "--format", "json", "--profiles"])
        .arg(example_profiles())
        .arg("--out")
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--format"));
    assert!(!dir.exists(), "nothing written");
    let help = stdout_of(wgrec(home.path()).args(["itinerary", "--help"]));
    let flat = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("--format does not apply"), "{help}");
    // --vocabulary has a help line.
    let vocab = help
        .lines()
        .find(|l| l.trim_start().starts_with("--vocabulary"))
        .unwrap();
    assert!(vocab.contains("Extra vocabulary file"), "{vocab}");
}

// ---- Issue 10: one rule for bad input ----

#[test]
fn unknown_must_and_exclude_groups_are_refused_naming_them() {
    let home = tempfile::tempdir().unwrap();
    for (flag, typo, meant) in [
        ("--must", "hrpcc", "hrpc"),
        ("--exclude-group", "sidrop", "sidrops"),
    ] {
        let out = wgrec(home.path())
            .args(["itinerary", "--interest", "privacy", flag, typo])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(&format!("{typo:?}")), "{stderr}");
        assert!(
            stderr.contains(&format!("did you mean {meant}")),
            "{stderr}"
        );
        assert!(stderr.contains("IETF 115"), "{stderr}");
        assert!(out.stdout.is_empty());
    }
    // In a profiles file: the file, the official's line and name, and nothing written.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    std::fs::write(
        &file,
        "meeting = 115\n\n[[official]]\nname = \"A. Minister\"\ninterests = [\"privacy\"]\n\n\
         [[official]]\nname = \"B. Deputy\"\ninterests = [\"dns\"]\nexclude = [\"dnsopp\"]\n",
    )
    .unwrap();
    let out_dir = dir.path().join("out");
    let out = profiles_cmd(home.path(), &file, &out_dir).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("{}:7: official \"B. Deputy\"", file.display())),
        "{stderr}"
    );
    assert!(
        stderr.contains("\"dnsopp\" (did you mean dnsop?)"),
        "{stderr}"
    );
    assert!(!out_dir.exists());
}

#[test]
fn a_missing_profiles_file_is_bad_input_as_everywhere() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = profiles_cmd(
        home.path(),
        &dir.path().join("missing.toml"),
        &dir.path().join("out"),
    )
    .output()
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot read profiles file"), "{stderr}");
}

#[test]
fn profile_warnings_name_the_official_and_line() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    // gaia meets on Monday only; this official attends Tuesday.
    std::fs::write(
        &file,
        "meeting = 115\n\n[[official]]\nname = \"C. Envoy\"\ninterests = [\"privacy\"]\n\
         days = [\"2022-11-08\"]\nmust = [\"gaia\"]\n",
    )
    .unwrap();
    let out = wgrec_loud(home.path())
        .arg("itinerary")
        .arg("--profiles")
        .arg(&file)
        .arg("--out")
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let warning = stderr
        .lines()
        .find(|l| l.starts_with("warning: "))
        .unwrap_or_else(|| panic!("no warning: {stderr}"));
    assert!(
        warning.contains(&format!("{}:3: official \"C. Envoy\": ", file.display())),
        "{warning}"
    );
    assert!(warning.contains("gaia"), "{warning}");
}

#[test]
fn a_relevant_group_whose_every_session_was_cancelled_is_listed_as_not_held() {
    // IETF 115's jwp BoF (digital credentials) was cancelled: the ranking never lists it, the
    // plan names its session as not held, with the reason a held session would get.
    let home = tempfile::tempdir().unwrap();
    let interest = ["--interest", "digital identity"];
    let mut rc = wgrec(home.path());
    rc.args(["recommend", "--top", "1000", "--format", "json"])
        .args(interest);
    let recs: serde_json::Value = serde_json::from_str(&stdout_of(&mut rc)).unwrap();
    let results = recs["results"].as_array().unwrap();
    assert!(!results.is_empty() && !results.iter().any(|r| r["group"] == "jwp"));
    let v = json_plan(home.path(), &interest);
    let jwp: Vec<&serde_json::Value> = v["not_held"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["group"] == "jwp")
        .collect();
    assert_eq!(jwp.len(), 1, "{:#}", v["not_held"]);
    assert_eq!(jwp[0]["session"]["status"], "canceled");
    assert_eq!(jwp[0]["strength"], "strong");
    assert!(
        jwp[0]["reason"]
            .as_str()
            .unwrap()
            .contains("JSON Web Proofs")
    );
    assert!(!chosen(&v).iter().any(|c| c.group == "jwp"));
}
