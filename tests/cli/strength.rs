//! Strong and possible matches, plain reasons, clean excerpts and honest empties, through the
//! binary: on a synthetic meeting (fixtures/synthetic, served on 127.0.0.1) whose groups each
//! stand for one case, and on the bundled IETF 115 meeting.

use crate::common::{MockDt, fetch_cmd, fixtures, result_for, shared, stdout_of, wgrec};
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

/// The groups a ranking calls strong, best first.
fn strong_of(v: &Value) -> Vec<String> {
    strengths(v)
        .into_iter()
        .filter(|(_, s)| s == "strong")
        .map(|(g, _)| g)
        .collect()
}

/// The issue's synthetic case: the interest only in a document title, only in a generic word of
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
    assert!(
        csv.lines().next().unwrap().ends_with(",strength,reason"),
        "{csv}"
    );
    assert_eq!(csv.matches(",strong,").count(), 1, "{csv}");
    assert_eq!(csv.matches(",possible,").count(), 2, "{csv}");
    // Markdown says it in words in its own column.
    assert!(
        md.contains("| Match |") && md.contains("| strong match |"),
        "{md}"
    );
}

/// JSON of `wgrec -q itinerary <args> --format json`.
fn plan_json(home: &Path, args: &[&str]) -> Value {
    let mut all = vec!["itinerary"];
    all.extend_from_slice(args);
    all.extend(["--format", "json"]);
    json_run(home, &all)
}

fn slots(v: &Value) -> Vec<&Value> {
    v["days"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["slots"].as_array().unwrap())
        .collect()
}

/// IETF 115, privacy + encryption: by default only strong sessions are planned; possible ones
/// are offered as swaps and "if time allows"; `--include-possible` fills more slots.
#[test]
fn plans_fill_with_strong_matches_and_offer_possible_ones() {
    let home = tempfile::tempdir().unwrap();
    let args = ["--interest", "privacy", "--interest", "encryption"];
    let v = plan_json(home.path(), &args);
    let planned = slots(&v);
    assert!(planned.len() >= 5, "{v}");
    for s in &planned {
        assert_eq!(s["strength"], "strong", "{s}");
    }
    let alternatives: Vec<&Value> = planned
        .iter()
        .flat_map(|s| s["alternatives"].as_array().unwrap())
        .collect();
    assert!(
        alternatives.iter().any(|a| a["strength"] == "possible"),
        "no possible alternative: {alternatives:?}"
    );
    for x in v["if_time_allows"].as_array().unwrap() {
        assert_eq!(x["strength"], "possible", "{x}");
    }
    // Only the meeting's session days (Monday 7 to Friday 11 November), not the weekend.
    let days: Vec<&str> = v["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["date"].as_str().unwrap())
        .collect();
    assert_eq!(days.first(), Some(&"2022-11-07"), "{days:?}");
    assert_eq!(days.len(), 5, "{days:?}");

    let mut more = args.to_vec();
    more.push("--include-possible");
    let w = plan_json(home.path(), &more);
    let filled = slots(&w);
    assert!(
        filled.len() > planned.len(),
        "{} vs {}",
        filled.len(),
        planned.len()
    );
    assert!(filled.iter().any(|s| s["strength"] == "possible"), "{w}");
}

/// A plan whose day has nothing strong says so once for that day; its possible matches are
/// listed "if time allows"; days without sessions are not listed.
#[test]
fn a_day_with_nothing_strong_says_so_once() {
    let home = synthetic_home();
    let md = stdout_of(wgrec(home.path()).args(["-q", "itinerary", "--interest", "multipath"]));
    // Sessions are held Monday 4 to Wednesday 6 March; the meeting runs Saturday to Friday.
    for day in ["Saturday", "Sunday", "Thursday", "Friday"] {
        assert!(!md.contains(&format!("## {day}")), "{day} listed: {md}");
    }
    let monday = md
        .split("## Monday 4 March 2030")
        .nth(1)
        .unwrap()
        .split("\n## ")
        .next()
        .unwrap();
    assert_eq!(
        monday
            .matches("Nothing on this day is mainly about these interests.")
            .count(),
        1,
        "{md}"
    );
    assert!(md.contains("Multipath Transport (mpath)"), "{md}");
    let later = md
        .split("## If time allows")
        .nth(1)
        .unwrap_or_else(|| panic!("{md}"));
    assert!(later.contains("Time Protocols (tempo)"), "{md}");
    assert!(!md.contains("relevance"), "{md}");
}

/// The excerpt cases: a URL and a draft name holding the matched words, nested bold, stop
/// words, and an agenda written in Markdown and HTML come out clean.
#[test]
fn excerpts_come_out_clean() {
    let home = synthetic_home();
    let excerpt_of = |interest: &[&str], group: &str| -> String {
        let mut args = vec!["recommend"];
        for i in interest {
            args.extend(["--interest", i]);
        }
        args.extend(["--format", "json"]);
        let v = json_run(home.path(), &args);
        result_for(&v, group)["excerpt"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // Prose first: the charter, whose second sentence holds a URL and a draft name.
    let e = excerpt_of(&["multipath", "5G"], "mpath");
    assert!(e.starts_with("Works on **multipath** transport"), "{e}");
    assert!(e.contains("**5G"), "{e}");
    assert!(
        e.contains(" https://example.org/multipath/5g-notes "),
        "{e}"
    );
    assert!(e.contains(" draft-ietf-mpath-5g-slices"), "{e}");
    assert!(
        !e.contains("****") && e.matches("**").count() % 2 == 0,
        "{e}"
    );
    // Stop words are never bold, even when the person typed them.
    let e = excerpt_of(&["multipath to and from 5G"], "mpath");
    for stop in ["**to**", "**and**", "**at**", "**the**"] {
        assert!(!e.contains(stop), "{e}");
    }
    // Only the agenda holds "selection": its Markdown (nested bold, a code fence, an escaped
    // heading, HTML) is reduced to text, and the draft name stays plain.
    let e = excerpt_of(&["selection"], "mpath");
    assert!(e.starts_with("On the agenda: "), "{e}");
    assert!(
        e.contains("5G Network Slice **selection** for multipath"),
        "{e}"
    );
    assert!(e.contains("(draft-ietf-mpath-5g-slices)"), "{e}");
    for bad in ["****", "\\#", "```", "<b>", "<a ", "config example"] {
        assert!(!e.contains(bad), "{bad} in {e}");
    }
    let e = excerpt_of(&["scheduling packets"], "mpath");
    assert!(
        e.contains("**Scheduling packets** to the 5G and the Wi-Fi path"),
        "{e}"
    );
}

/// The text a CommonMark parser reads out of `md`, and whether it met code or HTML.
fn commonmark_text(md: &str) -> (String, Vec<String>) {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut text = String::new();
    let mut odd = Vec::new();
    for ev in Parser::new(md) {
        match ev {
            Event::Text(t) => {
                text.push_str(&t);
                text.push('\n');
            }
            Event::Code(c) => odd.push(format!("code: {c}")),
            Event::Html(h) | Event::InlineHtml(h) => odd.push(format!("html: {h}")),
            Event::Start(Tag::CodeBlock(_)) => odd.push("code block".into()),
            _ => {}
        }
    }
    (text, odd)
}

/// The itinerary Markdown, read by a CommonMark parser, has no stray `*`, backslash escapes,
/// code or HTML: on the synthetic meeting's agenda cases and on IETF 115.
#[test]
fn itinerary_markdown_reads_clean_in_a_commonmark_parser() {
    let synthetic = synthetic_home();
    let bundled = tempfile::tempdir().unwrap();
    let runs: [(&Path, &[&str]); 3] = [
        (
            synthetic.path(),
            &[
                "--interest",
                "selection",
                "--interest",
                "multipath",
                "--include-possible",
            ],
        ),
        (
            synthetic.path(),
            &["--interest", "DNS abuse", "--interest", "5G"],
        ),
        (
            bundled.path(),
            &["--interest", "privacy", "--interest", "encryption"],
        ),
    ];
    for (home, args) in runs {
        let md = stdout_of(wgrec(home).arg("-q").arg("itinerary").args(args));
        let (text, odd) = commonmark_text(&md);
        assert!(odd.is_empty(), "{odd:?} in\n{md}");
        for bad in ["*", "\\", "```"] {
            assert!(!text.contains(bad), "{bad:?} in the text of\n{md}");
        }
        assert!(text.contains("Match:"), "{md}");
        // No unexplained numbers: no scores.
        assert!(!md.contains("relevance") && !md.contains("score"), "{md}");
    }
}

/// "privcy" suggests "privacy"; an interest with no strong match prints the plain note and
/// exits 0; a word in another language is told that interests are matched in English.
#[test]
fn honest_empties_and_suggestions() {
    let home = tempfile::tempdir().unwrap();
    let v = json_run(
        home.path(),
        &["recommend", "--interest", "privcy", "--format", "json"],
    );
    assert_eq!(v["suggestions"][0]["word"], "privcy", "{v}");
    assert_eq!(v["suggestions"][0]["did_you_mean"][0], "privacy", "{v}");
    let table = stdout_of(wgrec(home.path()).args(["-q", "recommend", "--interest", "privcy"]));
    assert!(table.contains("did you mean \"privacy\"?"), "{table}");

    // Something is related, nothing is about it: the note, then the possible matches.
    let interest = "radio spectrum management";
    let v = json_run(
        home.path(),
        &["recommend", "--interest", interest, "--format", "json"],
    );
    assert_eq!(v["no_strong_match"][0], interest, "{v}");
    let results = v["results"].as_array().unwrap();
    assert!(!results.is_empty(), "{v}");
    assert!(results.iter().all(|r| r["strength"] == "possible"), "{v}");
    let out = wgrec(home.path())
        .args(["-q", "recommend", "--interest", interest])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("Nothing at IETF 115 is mainly about \"radio spectrum management\""),
        "{table}"
    );
    let md = stdout_of(wgrec(home.path()).args([
        "-q",
        "recommend",
        "--interest",
        interest,
        "--format",
        "markdown",
    ]));
    assert!(md.contains("Nothing at IETF 115 is mainly about"), "{md}");

    let table =
        stdout_of(wgrec(home.path()).args(["-q", "recommend", "--interest", "Datenschutz"]));
    assert!(
        table.contains("Interests are matched in English"),
        "{table}"
    );
    // A known English word that is simply absent gets no spelling guess.
    let v = json_run(
        home.path(),
        &[
            "recommend",
            "--interest",
            "routing security",
            "--format",
            "json",
        ],
    );
    assert!(v["suggestions"].as_array().unwrap().is_empty(), "{v}");
    assert!(v["no_strong_match"].as_array().unwrap().is_empty(), "{v}");

    // Quotation marks round a phrase, a habit from web search, change nothing, and a note
    // never doubles them.
    let quoted = json_run(
        home.path(),
        &[
            "recommend",
            "--interest",
            "\"routing security\"",
            "--format",
            "json",
        ],
    );
    assert_eq!(quoted["results"], v["results"]);
    assert_eq!(quoted["interests"], v["interests"]);
    let table = stdout_of(wgrec(home.path()).args(["-q", "recommend", "--interest", "\"qzxv"]));
    assert!(table.contains("matches \"qzxv\"."), "{table}");
    let table =
        stdout_of(wgrec(home.path()).args(["-q", "recommend", "--interest", "a \"qzxv\" word"]));
    assert!(table.contains("\u{201C}a \"qzxv\" word\u{201D}"), "{table}");
    assert!(!table.contains("\"\""), "{table}");
}

/// On a terminal the table shows emphasis in ANSI bold, and with NO_COLOR none; never `**`.
#[test]
fn terminal_emphasis_is_ansi_or_nothing() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: no `script` to give wgrec a terminal");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_wgrec");
    let run = |no_color: bool| -> String {
        let mut c = std::process::Command::new("script");
        crate::common::isolate(&mut c, home.path());
        c.env_remove("NO_COLOR");
        if no_color {
            c.env("NO_COLOR", "1");
        }
        let out = c
            .args(["-qec"])
            .arg(format!("{bin} -q recommend --interest privacy --top 3"))
            .arg("/dev/null")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let tty = run(false);
    assert!(tty.contains("\x1b[1m"), "{tty:?}");
    assert!(!tty.contains("**"), "{tty}");
    let plain = run(true);
    assert!(
        !plain.contains('\x1b') && !plain.contains("**"),
        "{plain:?}"
    );
}

/// Words that mean something else in IETF texts are not evidence: "minors" (how people ask
/// about children online) is not TCPM's "minor" revisions, and "identifier", a word every
/// protocol uses, does not make the UUID revision group a digital identity group; an interest
/// that names two topics needs both. The bundled IETF 115 meeting has all these groups.
#[test]
fn false_friends_do_not_make_a_group_strong() {
    let home = tempfile::tempdir().unwrap();
    let strong_for = |interest: &str| -> Vec<String> {
        let v = json_run(
            home.path(),
            &["recommend", "--interest", interest, "--format", "json"],
        );
        strong_of(&v)
    };
    assert_eq!(strong_for("minors"), Vec::<String>::new());
    // "web security" names the web's protocols and security: a web protocol group whose work is
    // not about security is not strong for it, a security group working on the web is.
    let web = strong_for("web security");
    assert!(
        web.contains(&"tls".to_string()) && web.contains(&"oauth".to_string()),
        "{web:?}"
    );
    for g in ["webtrans", "httpapi", "moq"] {
        assert!(!web.contains(&g.to_string()), "{g}: {web:?}");
    }
    let identity = strong_for("digital identity");
    assert!(identity.contains(&"scim".to_string()), "{identity:?}");
    assert!(!identity.contains(&"uuidrev".to_string()), "{identity:?}");
    // Messaging interoperability is not content moderation: nothing at IETF 115 is about
    // misinformation.
    assert_eq!(strong_for("misinformation"), Vec::<String>::new());
    // Open-source software is not how standards are made: the IETF's process groups are not
    // about it.
    assert_eq!(strong_for("open source"), Vec::<String>::new());
    // Layering, a principle of the internet's architecture, stems to "layer": the link layers of
    // 6LoWPAN and Transport Layer Security are not about that principle.
    let architecture = strong_for("internet architecture");
    assert!(
        architecture.contains(&"panrg".to_string()),
        "{architecture:?}"
    );
    for g in ["tls", "6lo", "alto"] {
        assert!(
            !architecture.contains(&g.to_string()),
            "{g}: {architecture:?}"
        );
    }
    // The wireless group for aviation (RAW) stays strong for drones and aviation by its name,
    // though "raw" is no term of the topic: as a word it is raw keys and raw data elsewhere.
    let drones = strong_for("drones and aviation");
    assert!(drones.contains(&"raw".to_string()), "{drones:?}");
    // "Timing" stems to "time", which every schedule uses: time-variant routing is about links
    // that come and go on a timetable, not about keeping clocks in step.
    let v = json_run(
        home.path(),
        &[
            "recommend",
            "--interest",
            "time synchronisation",
            "--format",
            "json",
        ],
    );
    let listed: Vec<String> = strengths(&v).into_iter().map(|(g, _)| g).collect();
    assert_eq!(strong_of(&v), ["ntp"], "{listed:?}");
    assert!(!listed.contains(&"tvr".to_string()), "{listed:?}");
    // Likewise "controller" of traffic engineering (SDN controllers) stems to "control":
    // congestion control is not traffic engineering.
    let v = json_run(
        home.path(),
        &[
            "recommend",
            "--interest",
            "traffic engineering",
            "--format",
            "json",
        ],
    );
    let listed: Vec<String> = strengths(&v).into_iter().map(|(g, _)| g).collect();
    assert!(listed.contains(&"teas".to_string()), "{listed:?}");
    assert!(!listed.contains(&"iccrg".to_string()), "{listed:?}");
}

/// A home holding one meeting of the eval mirror, fetched from a loopback server.
fn mirror_home(meeting: u32) -> tempfile::TempDir {
    let mock = MockDt::serve(shared().join("data/eval-mirror"));
    let home = tempfile::tempdir().unwrap();
    fetch_cmd(home.path(), &mock, meeting)
        .arg("-q")
        .assert()
        .success();
    home
}

/// `recommend --format json` for one interest at `meeting`, the first `top` groups.
fn mirror_recommend(home: &Path, meeting: u32, interest: &str, top: usize) -> Value {
    let (meeting, top) = (meeting.to_string(), top.to_string());
    json_run(
        home,
        &[
            "recommend",
            "--meeting",
            &meeting,
            "--interest",
            interest,
            "--top",
            &top,
            "--format",
            "json",
        ],
    )
}

/// An umbrella interest's home groups can score below thirty others ("internet public policy"
/// at IETF 119 from the eval mirror: the IAB and the standards research group): strength is
/// decided for every candidate, so they come first in the default list of ten, and wgrec never
/// says that nothing is about an interest when something is.
#[test]
fn strong_groups_low_in_the_scores_still_come_first() {
    let home = mirror_home(119);
    let ask = |top| mirror_recommend(home.path(), 119, "internet public policy", top);
    let all = ask(500);
    let strong = strong_of(&all);
    assert!(!strong.is_empty(), "{all}");
    let ten = ask(10);
    assert_eq!(ten["no_strong_match"], serde_json::json!([]), "{ten}");
    let first: Vec<String> = strengths(&ten)
        .into_iter()
        .take(strong.len())
        .map(|(g, _)| g)
        .collect();
    assert_eq!(first, strong);
}

/// A topic's `include` names narrower topics, not neighbouring ones: time synchronisation and
/// routing security are not kinds of disaster resilience, so their home groups are not strong
/// for it at IETF 121 (eval mirror) by their acronyms alone.
#[test]
fn a_neighbouring_topics_home_groups_are_not_strong_by_their_acronym() {
    let home = mirror_home(121);
    let v = mirror_recommend(home.path(), 121, "disaster resilience", 500);
    for (g, s) in strengths(&v) {
        if ["ntp", "sidrops", "savnet"].contains(&g.as_str()) {
            assert_eq!(s, "possible", "{g}");
        }
    }
}

/// An interest that names two topics needs both: a group that is home to a topic one of them
/// takes in speaks for that part only (at IETF 121, eval mirror: the registries' and network
/// management groups are not about "domain name system operations", nor routing security's
/// groups about "multicast routing"); a named topic that takes in another named one adds no
/// part of its own ("domain name registration data" is registration data, not every DNS group);
/// a group named by the person's phrase is about it; a topic's neighbour is not one of its
/// parts, nor a word routing texts use in another sense evidence.
#[test]
fn every_topic_an_interest_names_must_be_the_groups_work() {
    let home = mirror_home(121);
    let strong = |interest: &str| strong_of(&mirror_recommend(home.path(), 121, interest, 500));
    let check = |interest: &str, yes: &[&str], no: &[&str]| {
        let got = strong(interest);
        for g in yes {
            assert!(got.iter().any(|x| x == g), "{interest}: {g} in {got:?}");
        }
        for g in no {
            assert!(!got.iter().any(|x| x == g), "{interest}: {g} in {got:?}");
        }
    };
    check(
        "domain name system operations",
        &["dnsop"],
        &["regext", "rpp", "nmrg", "netmod", "anima", "ippm"],
    );
    check(
        "multicast routing",
        &["pim", "mboned", "bier"],
        &["sidrops", "savnet", "bess", "teas"],
    );
    check(
        "domain name registration data",
        &["regext", "rpp"],
        &["deleg", "dnsop"],
    );
    // A topic takes in its kinds, not its neighbours: authenticating callers (STIR, home of
    // "spam and fraud") is not moderating content, and spam is only a related word there.
    check("content moderation", &[], &["stir"]);
    check("spam and fraud", &["stir"], &[]);
    // "Flooding" in a link-state routing agenda is how routers share their maps, not an attack.
    check("denial of service", &["savnet"], &["lsr"]);
    // Quality-of-service mechanisms are traffic engineering, not network neutrality.
    check("network neutrality", &["scone"], &["tsvwg"]);
    // A group whose whole name is a term is a home group, as one whose acronym is ("Adaptive
    // DNS Discovery"; "add" is an English word, so only the name says it).
    check("encrypted dns", &["add"], &[]);
    // A person who writes a group's acronym asks about that group's work on the rest.
    check("oauth tokens", &["oauth"], &[]);
    check("suit firmware", &["suit"], &[]);
    // Words that narrow a topic are part of the question. "Encrypted client hello" is one
    // thing (the agenda calls it ECH), not encryption at large: the messaging-security group is
    // about encryption but not about it. "Time-variant routing" is not link-state routing.
    check(
        "encrypted client hello",
        &["tls"],
        &["mls", "ipsecme", "openpgp", "cose", "jose"],
    );
    check("time-variant routing", &["tvr"], &["lsr"]);
    // "Children's privacy" is privacy and online safety: the JSON signing group is about
    // privacy (unlinkable credentials), and its selective disclosure, a kind of digital
    // credential that online safety takes in, does not speak for children.
    check("privacy", &["jose"], &[]);
    check("children's privacy", &[], &["jose"]);
    // "Web accessibility" is accessibility, not the web with one word on captions: the media
    // group's charter is on browsers and caching.
    check("web accessibility", &[], &["moq", "httpbis"]);
    // BGP is how networks interconnect and also how providers run VPNs: the word alone is
    // no evidence of interconnection (the provider-VPN group's name and charter hold it).
    check(
        "internet exchange and interconnection",
        &["grow"],
        &["bess"],
    );
    // No group works on passkeys; the login groups are not about them.
    check("passkeys", &[], &["emu", "oauth", "ace"]);
    // Nor on cross-border data flows, one question within data protection, not all of it.
    check(
        "cross-border data flows",
        &[],
        &["vcon", "jose", "spice", "stir"],
    );
    // An umbrella topic named with one of its kinds is a part of its own: "ai regulation"
    // asks about governing AI (the IAB's open meeting on its AI-control workshop), not about
    // the network-management research group's machine learning.
    check("ai regulation", &["iabopen"], &["nmrg"]);
    // A registrar is who acts on DNS abuse, not the abuse itself: the provisioning group's
    // charter on registries and registrars is not about it.
    check("dns abuse", &[], &["rpp", "regext"]);
    // Video calls are real-time communication, not content delivery.
    check("video calls", &["wish", "avtcore"], &["cdni", "mops"]);
    // A group's acronym narrows a topic even where the topic knows it: "masque vpn" is the
    // MASQUE group's proxying, not provider VPNs or IPsec. And a named group answers a topic's
    // words through the topic's evidence, however common the word ("privacy").
    check("masque vpn", &["masque"], &["bess", "ipsecme"]);
    check("tls privacy", &["tls"], &["ohai", "pearg", "add"]);
    check("post-quantum cryptography in tls", &["tls"], &[]);
    // A person names a group by its acronym as written, whatever it stems to ("lamps" is no
    // lamp), and by its acronym with a word of its name, however common the word ("green
    // networking": Getting Ready for Energy-Efficient Networking). "Core network" still names
    // nothing: the constrained-RESTful group's name has no network in it.
    check("lamps certificates", &["lamps"], &["acme", "stir"]);
    // CATS is not the media groups' Common Access Token ("CAT"), which Snowball stems alike.
    check("cats edge computing", &["cats"], &["mops"]);
    check("green networking", &["green"], &["nmrg", "ivy"]);
    check("core network", &[], &["core"]);
    // Certificates are the certificate topic: the PKIX group is strong for them. QUIC is one
    // transport protocol, not transport at large: the TCP and transport-area groups are not
    // about it.
    check("certificates", &["lamps", "acme"], &[]);
    check("quic", &["quic", "masque", "moq"], &["tsvwg", "tcpm"]);
    check("tcp", &["tcpm"], &["quic", "moq", "masque"]);
    check("segment routing", &["spring"], &["ccamp", "rift"]);
    // Nothing at IETF 121 is about SD-WAN, one product of traffic engineering among many.
    check("sd-wan", &[], &["teas", "pce"]);
    // AI crawlers are crawlers, not AI at large: nothing at IETF 121 is about them, though
    // the network management research group works on AI.
    check("ai crawlers", &[], &["nmrg"]);
    check("ai", &["nmrg"], &[]);
    // The Oblivious HTTP group's charter predates its name and never says it; its name and
    // its agenda do.
    check("oblivious http", &["ohai"], &[]);
    // Peering and interconnection between networks, not attesting peers or interconnected
    // sensors: the words stem to ones every protocol uses.
    check(
        "internet exchange points",
        &["grow"],
        &["rats", "roll", "lake"],
    );
    check("peering", &["grow"], &["rats", "lake"]);
    // Diversity among people who make standards, not among IoT data models ("unneeded
    // diversity between ... standards development organizations").
    check("diversity", &["iabopen"], &["asdf"]);
    // Firmware updates and device onboarding are not health care; encapsulating packets is not
    // a VPN.
    check("healthcare", &[], &["suit", "iotops"]);
    check("vpn", &["masque", "ipsecme"], &["bier"]);
    // Groups that build for all IoT are not smart-city groups, nor deterministic networking a
    // vehicles group; raw public keys are not the RAW working group's wireless.
    check("smart cities", &[], &["schc", "roll", "asdf"]);
    check("vehicles and transportation", &[], &["detnet"]);
    check("industrial networks", &["detnet"], &["lake"]);
    // A topic said head first is the same topic: location privacy is the unwanted-tracker
    // group's work, not privacy at large.
    check(
        "privacy of location data",
        &["dult"],
        &["ohai", "pearg", "add"],
    );
    // IoT security is security and the IoT: the firmware-update group, not every group that
    // builds for constrained devices. A charter "well suited" to something is no SUIT.
    check("iot security", &["suit"], &["schc", "roll", "6lo", "core"]);
    check("security for iot devices", &["suit"], &["ntp", "schc"]);
    // A narrowing word counts where the texts speak of the topic: the human rights group
    // mentions telecoms, but not its regulation.
    check("telecom regulation", &[], &["hrpc"]);
    // DNSSEC signs DNS answers, encrypted DNS hides the questions: DNS security is the DNS
    // operations group's DNSSEC work, not only the encrypted-DNS discovery group.
    check("dnssec", &["dnsop"], &[]);
    check("dns security", &["dnsop"], &[]);
    // The same said in full and head first: not security and the DNS as two topics, which
    // made TLS and the security area's meeting strong.
    check(
        "security of the domain name system",
        &["dnsop"],
        &["tls", "saag", "alldispatch"],
    );
    // End-to-end encryption is the kind only the people communicating can undo: messaging
    // and e-mail encryption, not every transport or tunnel that encrypts (it had been an alias
    // of encryption at large).
    check(
        "end-to-end encryption",
        &["mls", "mimi", "openpgp"],
        &["ipsecme", "tls", "masque", "moq", "jose"],
    );
    check("encryption in messaging", &["mimi", "mls"], &["ipsecme"]);
    // A word people ask a topic by takes that topic with it: multilingual domain names are
    // internationalized names, not the DNS at large, nor "time zones" or data
    // "normalization" in a research group's agenda.
    check(
        "multilingual domain names",
        &["regext"],
        &["dnsop", "rpp", "deleg", "rasprg"],
    );
    // Phishing is one thing within e-mail security, not the topic: the e-mail encryption
    // groups are not about it.
    check("phishing", &[], &["openpgp", "lamps"]);
    // A question is asked about its middle; a topic said head first may take an article.
    check(
        "what is happening with quic?",
        &["quic", "masque", "moq"],
        &[],
    );
    check("governance of the internet", &["iabopen"], &[]);
}

/// A reason quotes what the match rests on (IETF 121 on the eval mirror): a group strong by
/// this meeting's agenda while its charter never names the interest (the firmware-update group
/// for encryption) quotes the agenda; one strong by its acronym alone, with no description and
/// no agenda line but a heading with its name (the security area's meeting), says the match
/// comes from the vocabulary instead of giving a bare topic name or quoting the heading.
#[test]
fn a_reason_quotes_what_the_match_rests_on() {
    let home = mirror_home(121);
    // The reason `group` is given for `interest`, and whether it is a strong match.
    let reason = |interest: &str, group: &str| -> (String, bool) {
        let v = mirror_recommend(home.path(), 121, interest, 30);
        let r = result_for(&v, group);
        (
            r["reason"].as_str().unwrap().to_string(),
            r["strength"] == "strong",
        )
    };
    // The reason of a group that must be a strong match.
    let strong_reason = |interest: &str, group: &str| -> String {
        let (r, strong) = reason(interest, group);
        assert!(strong, "{group} is not strong for {interest}: {r}");
        r
    };
    // A strong match whose reason quotes `has` and not `lacks`.
    let quotes = |interest: &str, group: &str, has: &str, lacks: &str| {
        let r = strong_reason(interest, group);
        assert!(r.contains(has) && !r.contains(lacks), "{group}: {r}");
    };
    let suit = strong_reason("encryption", "suit");
    assert!(
        suit.starts_with("Encryption: on the agenda at this meeting: "),
        "{suit}"
    );
    // MASQUE is a home group of privacy's relays; the charter sentence with most of the
    // vocabulary's words only names the group ("collectively known as MASQUE"), so the reason
    // quotes the one that says why a proxy is about privacy.
    let masque = strong_reason("privacy", "masque");
    assert!(
        masque.starts_with("Privacy: ") && masque.contains("improve client privacy"),
        "{masque}"
    );
    // The post-quantum group has no description; its agenda, wrapped whole in a Markdown
    // fence, is read and quoted.
    let pquip = strong_reason("post-quantum cryptography", "pquip");
    assert!(
        pquip.starts_with("Post-quantum cryptography: on the agenda at this meeting: ")
            && pquip.contains("post-quantum cryptography (PQC)"),
        "{pquip}"
    );
    // References are for engineers: neither the reason nor the excerpt keeps EAP's "[RFC 3748]".
    let v = mirror_recommend(home.path(), 121, "digital identity", 30);
    let emu = result_for(&v, "emu");
    for field in ["reason", "excerpt"] {
        let t = emu[field].as_str().unwrap();
        assert!(
            t.contains("Authentication** Protocol (**EAP**) is") || t.contains("Protocol (EAP) is"),
            "{t}"
        );
        assert!(!t.contains("[RFC"), "{t}");
    }
    // The mirror stores SAVNET's charter cut off mid-sentence: a reason quoting that last
    // sentence says it goes on, and does not end it with a period.
    let (savnet, _) = reason("cybersecurity", "savnet");
    assert!(
        savnet.ends_with("threat model of the proposed…"),
        "{savnet}"
    );
    // SCONE's sentence with most of the interest's words opens "this mechanism", which the
    // reader cannot see: the quote is the one that says what the mechanism is.
    quotes(
        "congestion control and performance",
        "scone",
        "a mechanism for network elements",
        "this mechanism",
    );
    // MASQUE's sentence naming CONNECT-UDP and CONNECT-IP ends "to enable this functionality":
    // the reason for VPNs quotes the one that says what the proxying is for.
    quotes(
        "vpn and proxies",
        "masque",
        "(such as a VPN)",
        "this functionality",
    );
    // OHAI is strong for anonymity by its name ("Oblivious HTTP"), which its description never
    // repeats: the description's opening says what the group is for, not an agenda line about
    // how relays buffer a draft's chunks.
    quotes(
        "anonymity",
        "ohai",
        "associated with client identity",
        "on the agenda",
    );
    // OpenPGP's charter, crawled into one line, runs a Markdown heading ("## Security
    // improvements") into its list: the quote is the list item, from its start to its end,
    // without the item's heading when that is the interest itself (not "Post-quantum
    // cryptography: Post-Quantum Cryptography (PQC): The addition ...").
    let openpgp = strong_reason("post-quantum cryptography", "openpgp");
    assert!(
        openpgp.starts_with("Post-quantum cryptography: the addition and facilitation of ")
            && openpgp.ends_with("as initial input)."),
        "{openpgp}"
    );
    // LAMPS is a home group of post-quantum cryptography by its acronym, and neither its name
    // nor its charter says anything else of it; its agenda does, and is quoted, not the
    // charter's opening on how it adopts updates.
    let lamps = strong_reason("post-quantum cryptography", "lamps");
    assert!(
        lamps.starts_with("Post-quantum cryptography: on the agenda at this meeting: ")
            && !lamps.contains("known constituency"),
        "{lamps}"
    );
    // The security area's open meeting has no description, and the topic's word is only in
    // its agenda's heading, its own name: nothing to quote.
    let saag = strong_reason("cybersecurity", "saag");
    assert!(
        saag.starts_with("Cybersecurity (")
            && saag.contains("a group wgrec's vocabulary lists for this topic")
            && saag.contains("no description"),
        "{saag}"
    );
    // Nor is a charter sentence or agenda line of the group's name and labels only
    // ("intarea Meeting Minutes"); a page that put each line of its charter in a paragraph of
    // its own is read as its sentences (intarea's first is quoted whole, not from "for
    // discussing"), and a list whose items continue one sentence is read as that sentence
    // (maprg's, cut at a word, not at its first item's comma).
    let (intarea, _) = reason("ipv6 deployment", "intarea");
    assert!(
        intarea.contains(
            "the Internet Area Working Group (INTAREA WG) acts primarily as a forum for discussing"
        ) && !intarea.contains("Meeting Minutes"),
        "{intarea}"
    );
    let (maprg, _) = reason("network management", "maprg");
    assert!(
        maprg.contains("network operations, collaborations to share data") && maprg.ends_with('…'),
        "{maprg}"
    );
    // A narrowed interest is explained by what speaks of the narrowing words: TLS's agenda
    // line on ECH, not its charter's sentence on encryption at large.
    let tls = strong_reason("encrypted client hello", "tls");
    assert!(
        tls.starts_with("Encrypted client hello: on the agenda at this meeting: ")
            && tls.contains("ECH"),
        "{tls}"
    );
    // An agenda "line" that is a session summary's whole paragraph is cut as a charter
    // sentence is (200 characters, README "Plain reasons").
    let prefix = "Encrypted client hello: on the agenda at this meeting: ";
    assert!(tls.chars().count() <= prefix.len() + 201, "{tls}");
    // The group's own acronym narrows nothing in its own texts: TLS for "tls privacy" quotes
    // its sentence on privacy, not its opening one: the charter's list item on tracking, read
    // as a sentence of its own though the crawl ran the list into one line.
    let tls = strong_reason("tls privacy", "tls");
    assert!(
        tls.starts_with("TLS privacy: identify and mitigate")
            && tls.contains("user tracking or fingerprinting")
            && !tls.contains("1996"),
        "{tls}"
    );
    // The privacy research group is a home of the censorship topic, and its agenda's heading
    // ("... (PEARG) Agenda - IETF 121") holds its acronym; the talk on censorship explains it.
    let pearg = strong_reason("internet shutdowns", "pearg");
    assert!(
        pearg.starts_with("Internet shutdowns: on the agenda at this meeting: ")
            && pearg.contains("Censorship")
            && !pearg.contains("IETF 121"),
        "{pearg}"
    );
    // Its excerpt is that talk too: its own acronym in the heading chooses nothing.
    let v = mirror_recommend(home.path(), 121, "censorship", 30);
    let field = |group: &str, f: &str| result_for(&v, group)[f].as_str().unwrap().to_string();
    let excerpt = field("pearg", "excerpt");
    assert!(
        excerpt.starts_with("On the agenda: Understanding Routing-Induced **Censorship**")
            && !excerpt.contains("PEARG"),
        "{excerpt}"
    );
    // The IRTF's open meeting names censorship only at the end of its summary's long first
    // sentence: the quote keeps the sentence's opening and its end, and leaves out between.
    let irtfopen = field("irtfopen", "reason");
    assert!(
        irtfopen.starts_with("Censorship: on the agenda at this meeting: The IRTF Open meeting")
            && irtfopen.contains(" … ")
            && irtfopen.ends_with("carbon-aware routing and censorship circumvention techniques."),
        "{irtfopen}"
    );
    // The human rights group is a home of censorship by the vocabulary alone: its texts at
    // this meeting never use the topic's words, and its reason says what the match rests on.
    let hrpc = field("hrpc", "reason");
    assert_eq!(result_for(&v, "hrpc")["strength"], "strong");
    assert!(
        hrpc.contains("): a group wgrec's vocabulary lists for this topic; the research group"),
        "{hrpc}"
    );
    // A reason stands on its own. MASQUE for anonymity: no sentence shows the topic, and the
    // one chosen for the vocabulary's words ("... to enable this functionality") leans on the
    // one before it, so the description's opening is quoted, with the gloss.
    let masque = strong_reason("anonymity", "masque");
    assert!(
        masque.starts_with("Anonymity (") && !masque.contains("this functionality"),
        "{masque}"
    );
    // RATS for cybersecurity: a long sentence opening with a concession is quoted from its
    // main clause, not cut inside the concession.
    quotes(
        "cybersecurity",
        "rats",
        "): there is no interoperable way",
        "while domain",
    );
    // EMU for authentication: the charter's "[RFC 3748]" is left out.
    let (emu, _) = reason("authentication", "emu");
    assert!(
        emu.contains("the Extensible Authentication Protocol (EAP) is a"),
        "{emu}"
    );
    // SPICE for digital identity: the only sentence that shows the topic opens "These
    // credentials ...", which the reader cannot place; the description's opening, with the
    // gloss, says what the group works on.
    let spice = strong_reason("digital identity", "spice");
    assert!(
        spice.starts_with("Digital identity (")
            && spice.contains("a digital credential expresses claims")
            && !spice.contains("these credentials"),
        "{spice}"
    );
    // HRPC for internet governance: the sentence quoted opens "Moreover", a tie to a sentence
    // the reader does not see; the reason leaves it out.
    quotes(
        "internet governance and public policy",
        "hrpc",
        "governance and public policy: it is widely accepted that technical design",
        "oreover",
    );
    // A cut is not made inside brackets it opened: TLS's emphasis on encrypting the SNI ends at
    // "ALPN", not "(Application-Layer…".
    quotes("encryption", "tls", "such as ALPN…", "(Application-Layer");
    // A question in the charter ("Does the lock interact with an authorization server ...?")
    // holds the interest's words but says nothing of the group's work: the first sentence that
    // shows the interest and states something does.
    quotes(
        "authentication",
        "ace",
        "authentication and authorization questions also arise",
        "?",
    );
    // CCAMP's sentence with the most of traffic engineering's words counts the TEAS working
    // group among them; the sentence on its own work says it plainer.
    quotes(
        "traffic engineering",
        "ccamp",
        "the working group develops extensions to core Traffic Engineering protocols",
        "TEAS",
    );
    // The only line of CBOR's minutes that shows DNSSEC is an action item: the reason says so,
    // not that it was on the agenda.
    let (cbor, strong) = reason("dnssec", "cbor");
    assert!(!strong, "{cbor}");
    assert!(
        cbor.contains(": an action item at this meeting: Martina to discuss")
            && !cbor.contains("Action Item"),
        "{cbor}"
    );
}

/// A quote that would open by pointing at what the reader cannot see ("Such protocols ...", "It
/// will focus on ...", "However, if ...") brings the sentence it points to, when both fit (IETF
/// 121, eval mirror); one whose sentence before points elsewhere itself stays alone, less its
/// tie word.
#[test]
fn an_excerpt_brings_the_sentence_it_leans_on() {
    let home = mirror_home(121);
    let excerpt = |interest: &str, group: &str| -> String {
        let v = mirror_recommend(home.path(), 121, interest, 30);
        let e = result_for(&v, group)["excerpt"].as_str().unwrap();
        e.replace("**", "")
    };
    // (What the quote opens with, and what it goes on to.)
    let opens = |interest: &str, group: &str, first: &str, then: &str| {
        let e = excerpt(interest, group);
        assert!(e.starts_with(first) && e.contains(then), "{group}: {e}");
    };
    opens(
        "internet of things",
        "iotops",
        "The IETF has been working on",
        ". Such protocols and Working Groups include CoAP",
    );
    opens(
        "ipv6 transition",
        "v6ops",
        "The V6OPS Working Group (WG) facilitates",
        ". It will focus on both",
    );
    opens(
        "privacy-preserving data analysis",
        "ohai",
        "Encryption ensures that the proxy",
        ". However, if the proxy and server collude",
    );
    // HRPC's sentence before its "Moreover ..." speaks of "these characteristics": no better,
    // so the quote is the sentence alone, without the tie word, as in reasons.
    opens(
        "censorship",
        "hrpc",
        "It is widely accepted",
        "human rights",
    );
}

/// An excerpt shows what the match rests on: a sentence holding one word of a longer interest
/// ("cryptography" of "post-quantum cryptography") gives way to the lines that hold the
/// interest or its topic's terms; and a name with a slash ("S/MIME") is bold as a word.
#[test]
fn an_excerpt_shows_the_interest_not_one_of_its_words() {
    let home = mirror_home(121);
    let excerpt = |interest: &str, group: &str| -> String {
        let v = mirror_recommend(home.path(), 121, interest, 30);
        result_for(&v, group)["excerpt"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // JOSE's charter speaks of the "applied cryptography community" (anonymous credentials);
    // its agenda, of post-quantum algorithms.
    let jose = excerpt("post-quantum cryptography", "jose");
    assert!(
        jose.starts_with("On the agenda: ")
            && jose.to_lowercase().contains("**post-quantum**")
            && !jose.contains("anonymous credentials"),
        "{jose}"
    );
    // IDR's charter opening holds "routing" only; its agenda, RPKI and BGPsec.
    let idr = excerpt("routing security", "idr");
    assert!(idr.contains("**RPKI**"), "{idr}");
    let lamps = excerpt("email security", "lamps");
    assert!(lamps.contains("**S/MIME**"), "{lamps}");
}

/// A vocabulary word is evidence in its own sense only: "industrial" stems like "industries",
/// and the media operations group's charter speaks of industries that deliver media (IETF 119,
/// eval mirror). Deterministic networking is the industrial networks' group. And a term inside
/// a topic's own name narrows nothing: "ip address" (a term of number resources) is part of
/// "ip address spoofing", and the source-address-validation group's texts need not say it
/// beside the topic's words. "Connectivity" stems like the "connected paths" of every routing
/// charter, and a multicast group's agenda on router redundancy and failure recovery is not
/// about the internet's resilience as a policy matter.
#[test]
fn a_word_in_another_sense_is_no_evidence() {
    let home = mirror_home(119);
    let strong = |interest: &str| strong_of(&mirror_recommend(home.path(), 119, interest, 500));
    let industrial = strong("industrial networks");
    assert!(industrial.contains(&"detnet".to_string()), "{industrial:?}");
    assert!(!industrial.contains(&"mops".to_string()), "{industrial:?}");
    let spoofing = strong("ip address spoofing");
    assert!(spoofing.contains(&"savnet".to_string()), "{spoofing:?}");
    let rural = strong("rural connectivity");
    assert!(rural.contains(&"gaia".to_string()), "{rural:?}");
    // (The MAC-randomization group's agenda names broadband once, in the "Wireless Broadband
    // Alliance": no broadband work.)
    for g in ["tvr", "dtn", "dmm", "v6ops", "madinas"] {
        assert!(!rural.contains(&g.to_string()), "{g}: {rural:?}");
    }
    let resilience = strong("internet resilience");
    assert!(!resilience.contains(&"bier".to_string()), "{resilience:?}");
    // Every group listed for `interest` (strong or possible): holds each of `yes`, none of `no`.
    let lists = |interest: &str, yes: &[&str], no: &[&str]| {
        let v = mirror_recommend(home.path(), 119, interest, 500);
        let listed: Vec<String> = strengths(&v).into_iter().map(|(g, _)| g).collect();
        for g in yes {
            assert!(
                listed.iter().any(|x| x == g),
                "{interest}: {g} in {listed:?}"
            );
        }
        for g in no {
            assert!(
                !listed.iter().any(|x| x == g),
                "{interest}: {g} in {listed:?}"
            );
        }
    };
    // "Filtering" in routing texts is of routes, prefixes and spoofed packets, not of what
    // people may read: it is no longer a term of censorship, so the inter-domain routing,
    // traffic engineering, source-address and IPv6 operations groups are not even possible
    // matches for it; TLS (encrypted client hello) still is.
    lists("censorship", &["tls"], &["idr", "teas", "savnet", "v6ops"]);
    // Nor are groups whose texts say "raw" (raw public keys, raw data) possible matches for
    // drones and aviation.
    lists("drones and aviation", &[], &["lake", "moq", "6lo"]);
    // A "report" is a chair's, a status or a finding in most IETF texts, not a report of abuse:
    // only "abuse report" and its kin are evidence for abuse reporting.
    lists(
        "abuse reporting",
        &["regext"],
        &["avtcore", "suit", "grow", "irtfopen"],
    );
    // Research networks carry science's data; the Internet Research Task Force is where
    // research on the internet is discussed: its open meeting and its research groups are not
    // about those networks.
    lists(
        "research and science networks",
        &[],
        &["irtfopen", "iccrg", "maprg", "qirg"],
    );
    // BGP FlowSpec's "packet content filter" is no content filtering of the kind moderation and
    // child safety mean.
    lists("content moderation", &[], &["idr"]);
    lists("online safety", &[], &["idr"]);
}

/// `search` ranks by the text's own words but judges a plain question as `recommend` judges
/// what it asks about (IETF 121, eval mirror): the groups it calls strong for "where is
/// post-quantum cryptography discussed this week?" are strong for the topic in `recommend`,
/// the post-quantum group among them, and its reason names the topic, not the question. A
/// text with search syntax is judged on its own words.
#[test]
fn a_question_searched_is_judged_as_recommend_judges_it() {
    let home = mirror_home(121);
    let question = "where is post-quantum cryptography discussed this week?";
    let args = [
        "search",
        "--meeting",
        "121",
        "--top",
        "30",
        "--format",
        "json",
    ];
    let v = json_run(home.path(), &[&args[..], &[question]].concat());
    let searched = strong_of(&v);
    let topic = strong_of(&mirror_recommend(
        home.path(),
        121,
        "post-quantum cryptography",
        500,
    ));
    assert!(searched.contains(&"pquip".to_string()), "{searched:?}");
    for g in &searched {
        assert!(topic.contains(g), "{g}: {searched:?} vs {topic:?}");
    }
    assert!(v["notes"].as_array().unwrap().is_empty(), "{v}");
    let pquip = result_for(&v, "pquip");
    let reason = pquip["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("Post-quantum cryptography: "),
        "{reason}"
    );
    assert_eq!(pquip["strong_interests"][0], question);
    // Quoted, the words are a phrase to find, judged as written.
    let quoted = json_run(
        home.path(),
        &[&args[..], &["\"post-quantum cryptography\" AND pqc"]].concat(),
    );
    for r in quoted["results"].as_array().unwrap() {
        let reason = r["reason"].as_str().unwrap();
        assert!(
            !reason.starts_with("Post-quantum cryptography: "),
            "{reason}"
        );
    }
}
