//! `wgrec serve`: the handlers in process (`tower::ServiceExt::oneshot` on the router, on the
//! bundled IETF 115 meeting), the safety layers, the JSON contract against the CLI's, the
//! subscription feed through the `ical` parser, a refresh against the loopback mock that the
//! running server follows, the policy guide at `/guide` (on the guide's two-meeting fixture,
//! against the CLI's), and the binary itself on a loopback port (fixed clock, SIGTERM).

use crate::common::{MockDt, fetch_cmd, fixtures, stdout_of, wgrec};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tower::ServiceExt;
use wgrec::home::Home;
use wgrec::serve::{self, State};

/// One home with the bundled meeting's index for every test of this binary.
fn bundled_state() -> Arc<State> {
    static S: OnceLock<(tempfile::TempDir, Arc<State>)> = OnceLock::new();
    S.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let state = State::open(Home::new(dir.path()), String::new(), &wgrec::app::no_notes)
            .expect("the bundled meeting opens");
        (dir, Arc::new(state))
    })
    .1
    .clone()
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Answer {
    fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

async fn send(app: axum::Router, req: Request<Body>) -> Answer {
    let r = app.oneshot(req).await.unwrap();
    let status = r.status();
    let headers = r.headers().clone();
    let bytes = axum::body::to_bytes(r.into_body(), 10 << 20).await.unwrap();
    Answer {
        status,
        headers,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

async fn get_on(state: Arc<State>, uri: &str) -> Answer {
    let req = Request::get(uri)
        .header(header::HOST, "wgrec.example")
        .body(Body::empty())
        .unwrap();
    send(serve::router(state), req).await
}

async fn get(uri: &str) -> Answer {
    get_on(bundled_state(), uri).await
}

const PAGES: &[(&str, &str)] = &[
    ("/", "text/html"),
    (
        "/recommend?interest=privacy&interest=routing+security",
        "text/html",
    ),
    (
        "/recommend?interest=privacy&day=2022-11-08&area=sec&tz=Asia/Tokyo",
        "text/html",
    ),
    ("/api/recommend?interest=privacy", "application/json"),
    ("/search", "text/html"),
    ("/search?q=%22route+origin%22", "text/html"),
    ("/api/search?q=quic", "application/json"),
    ("/group/privacypass", "text/html"),
    ("/group/sidrops?tz=America/New_York", "text/html"),
    ("/plan", "text/html"),
    (
        "/plan?interest=privacy&interest=human+rights&max=3&gap=10&must=hrpc",
        "text/html",
    ),
    ("/plan.md?interest=privacy", "text/markdown"),
    ("/plan.ics?interest=privacy", "text/calendar"),
    ("/calendar.ics?interest=privacy", "text/calendar"),
    ("/now", "text/html"),
    ("/now?tz=Australia/Sydney", "text/html"),
    ("/healthz", "application/json"),
];

#[tokio::test(flavor = "multi_thread")]
async fn every_page_answers_on_the_bundled_meeting_with_the_safety_headers() {
    for (uri, ctype) in PAGES {
        let a = get(uri).await;
        assert_eq!(a.status, StatusCode::OK, "{uri}: {}", a.body);
        assert!(a.header(header::CONTENT_TYPE).starts_with(ctype), "{uri}");
        let csp = a.header(header::CONTENT_SECURITY_POLICY);
        assert!(csp.contains("script-src 'self'"), "{uri}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{uri}: {csp}");
        assert!(csp.contains("default-src 'none'"), "{uri}: {csp}");
        assert_eq!(a.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff", "{uri}");
        assert_eq!(a.header(header::REFERRER_POLICY), "no-referrer", "{uri}");
        if ctype == &"text/html" {
            assert!(a.body.starts_with("<!doctype html>"), "{uri}");
            assert_no_inline_script(uri, &a.body);
        }
    }
    // The pages say what they are about.
    let home = get("/").await.body;
    for fact in ["IETF 115", "London", "Europe/London", "bundled"] {
        assert!(home.contains(fact), "home page lacks {fact:?}");
    }
    let recs = get("/recommend?interest=privacy&interest=routing+security")
        .await
        .body;
    assert!(
        recs.contains("privacypass") && recs.contains("sidrops"),
        "{recs}"
    );
    assert!(recs.contains("<mark>"), "excerpts highlight the matches");
    assert!(recs.contains("Strong matches") && recs.contains("Strong match</p>"));
    let strong_at = recs.find("Strong match</p>").unwrap();
    if let Some(possible_at) = recs.find("Possible match</p>") {
        assert!(strong_at < possible_at, "strong matches first");
    }
    assert!(recs.contains("https://datatracker.ietf.org/meeting/115/session/sidrops/"));
    let rights = get("/recommend?interest=privacy&interest=human+rights")
        .await
        .body;
    assert!(
        rights.contains("privacy; possibly human rights"),
        "{rights}"
    );
    let tokyo = get("/recommend?interest=privacy&tz=Asia/Tokyo").await.body;
    assert!(
        tokyo.contains("Asia/Tokyo (JST)") && tokyo.contains("yours"),
        "{tokyo}"
    );
    let group = get("/group/privacypass").await.body;
    assert!(group.contains("Privacy Pass") && group.contains("What it works on"));
    let plan = get("/plan?interest=privacy&interest=human+rights&max=3&gap=10&must=hrpc").await;
    assert!(
        plan.body.contains("webcal://wgrec.example/calendar.ics?"),
        "{}",
        plan.body
    );
    assert!(plan.body.contains("/plan.md?") && plan.body.contains("/plan.ics?"));
    // Under a strong match's label, the interests it only possibly serves say so.
    assert!(
        plan.body.contains("privacy; possibly human rights"),
        "{}",
        plan.body
    );
    let md = get("/plan.md?interest=privacy").await;
    assert!(
        md.header(header::CONTENT_DISPOSITION)
            .starts_with("attachment")
    );
    assert!(md.body.starts_with("# IETF 115"), "{}", md.body);
    let css = get("/static/style.css").await;
    assert!(css.body.contains("@media print"), "a print stylesheet");
    assert!(css.header(header::CACHE_CONTROL).contains("max-age"));
}

fn assert_no_inline_script(uri: &str, body: &str) {
    for (i, _) in body.match_indices("<script") {
        let tag = &body[i..i + body[i..].find('>').unwrap()];
        assert!(tag.contains(" src="), "{uri}: inline script {tag}");
    }
    assert!(!body.contains(" onclick="), "{uri}: inline handler");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_json_api_is_the_cli_contract() {
    // The CLI on a home of its own: the bundled meeting is the same data.
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let api = get_on(
        bundled_state(),
        "/api/recommend?interest=privacy&interest=routing+security&interest=digital+identity",
    )
    .await
    .json();
    let cli: Value = serde_json::from_str(&stdout_of(wgrec(home).args([
        "-q",
        "recommend",
        "--interest",
        "privacy",
        "--interest",
        "routing security",
        "--interest",
        "digital identity",
        "--format",
        "json",
    ])))
    .unwrap();
    assert_eq!(api, cli);
    let search = get("/api/search?q=quic&top=3").await.json();
    let cli: Value = serde_json::from_str(&stdout_of(
        wgrec(home).args(["-q", "search", "quic", "--top", "3", "--format", "json"]),
    ))
    .unwrap();
    assert_eq!(search, cli);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_inputs_are_answered_400_with_what_was_wrong() {
    let long = "x".repeat(201);
    let eleven = "interest=a&".repeat(11);
    let huge = "interest=ab&".repeat(800);
    let cases: Vec<(String, &str)> = vec![
        ("/recommend".into(), "give at least one interest"),
        (
            "/recommend?interest=privacy&colour=red".into(),
            "unknown parameter \"colour\"",
        ),
        (
            format!("/recommend?interest={long}"),
            "interest is too long",
        ),
        (
            format!("/recommend?{eleven}"),
            "too many values for interest",
        ),
        (format!("/recommend?{huge}"), "query string is too long"),
        (
            "/recommend?interest=a&day=tomorrow".into(),
            "not a date like",
        ),
        (
            "/recommend?interest=a&day=2030-01-01".into(),
            "not a day of IETF 115",
        ),
        (
            "/recommend?interest=a&area=zzz".into(),
            "unknown area \"zzz\"",
        ),
        (
            "/recommend?interest=a&tz=Mars/Base".into(),
            "not an IANA time zone",
        ),
        (
            "/recommend?interest=a&top=0".into(),
            "top must be a whole number from 1 to 50",
        ),
        ("/recommend?interest=a&top=1&top=2".into(), "give it once"),
        (
            "/recommend?interest=a&meeting=999".into(),
            "meeting 999 is not in the snapshot",
        ),
        ("/recommend?interest=a%00b".into(), "control character"),
        ("/search?q=NOT+quic".into(), "has no word to look for"),
        (
            "/plan?interest=privacy&max=99".into(),
            "max must be a whole number from 1 to 20",
        ),
        (
            "/plan?interest=privacy&gap=-1".into(),
            "gap must be a whole number",
        ),
        (
            "/plan?interest=privacy&must=a/b".into(),
            "not a group or area acronym",
        ),
        ("/plan.ics?max=3".into(), "give at least one interest"),
        ("/calendar.ics".into(), "give at least one interest"),
        ("/group/a%20b".into(), "not a group or area acronym"),
        ("/now?tz=Nowhere".into(), "not an IANA time zone"),
        ("/healthz?x=1".into(), "takes no parameters"),
    ];
    for (uri, msg) in &cases {
        let a = get(uri).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{uri}: {}", a.body);
        let shown = if a
            .header(header::CONTENT_TYPE)
            .starts_with("application/json")
        {
            a.json()["error"].as_str().unwrap().to_string()
        } else {
            assert!(
                a.header(header::CONTENT_TYPE).starts_with("text/html"),
                "{uri}"
            );
            a.body.clone()
        };
        assert!(
            shown.contains(&escape(msg)),
            "{uri}: expected {msg:?} in\n{shown}"
        );
    }
    // The API answers its errors as JSON.
    let a = get("/api/recommend?top=3").await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.json()["error"].as_str().unwrap().contains("interest"));
    // Unknown pages and groups are 404 pages; no path reaches the filesystem.
    for uri in [
        "/nope",
        "/group/nosuchgroup",
        "/static/../Cargo.toml",
        "/static/main.rs",
    ] {
        let a = get(uri).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(!a.body.contains("[package]"), "{uri}");
    }
}

/// Escapes as the templates do (askama writes numeric character references), to find a
/// message in a page.
fn escape(s: &str) -> String {
    s.replace('&', "&#38;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
}

#[tokio::test(flavor = "multi_thread")]
async fn script_in_an_interest_comes_back_escaped() {
    let evil = "%3Cscript%3Ealert(1)%3C%2Fscript%3E";
    for uri in [
        format!("/recommend?interest={evil}"),
        format!("/recommend?interest=privacy&interest={evil}"),
        format!("/search?q={evil}"),
        format!("/plan?interest=privacy&interest={evil}&name={evil}"),
    ] {
        let a = get(&uri).await;
        assert_eq!(a.status, StatusCode::OK, "{uri}");
        assert!(!a.body.contains("<script>alert"), "{uri}: unescaped");
        assert!(
            a.body.contains("&#60;script&#62;alert(1)&#60;"),
            "{uri}: the text is shown, escaped"
        );
        assert_no_inline_script(&uri, &a.body);
    }
    // In an error message too.
    let a = get(&format!("/recommend?interest=a&tz={evil}")).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(!a.body.contains("<script>alert") && a.body.contains("&#60;script&#62;"));
}

fn parse_ics(text: &str) -> Vec<ical::parser::ical::component::IcalEvent> {
    let mut cals = ical::IcalParser::new(BufReader::new(text.as_bytes()));
    let cal = cals
        .next()
        .expect("one calendar")
        .expect("a valid calendar");
    assert!(cals.next().is_none(), "exactly one calendar");
    let has = |name: &str| cal.properties.iter().any(|p| p.name == name);
    assert!(has("VERSION") && has("PRODID") && has("REFRESH-INTERVAL"));
    cal.events
}

fn prop(e: &ical::parser::ical::component::IcalEvent, name: &str) -> Option<String> {
    e.properties
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.clone())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_subscription_feed_parses_with_an_independent_parser() {
    let a = get("/calendar.ics?interest=privacy&interest=human+rights&max=3").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.header(header::CACHE_CONTROL), "no-cache");
    let events = parse_ics(&a.body);
    assert!(events.len() >= 3, "{}", a.body);
    for e in &events {
        let uid = prop(e, "UID").unwrap();
        assert!(uid.starts_with("115-") && uid.ends_with("@wgrec"), "{uid}");
        for p in ["DTSTART", "DTEND", "SUMMARY", "STATUS", "DTSTAMP"] {
            assert!(prop(e, p).is_some(), "{uid} lacks {p}");
        }
    }
    // The same request gives the same UIDs (a calendar updates events, never duplicates).
    let again = parse_ics(
        &get("/calendar.ics?interest=privacy&interest=human+rights&max=3")
            .await
            .body,
    );
    let uids = |ev: &[ical::parser::ical::component::IcalEvent]| {
        ev.iter()
            .map(|e| prop(e, "UID").unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(uids(&events), uids(&again));
    // The plan's download is the same calendar without the polling hints.
    let download = get("/plan.ics?interest=privacy&interest=human+rights&max=3").await;
    assert!(
        download
            .header(header::CONTENT_DISPOSITION)
            .starts_with("attachment")
    );
    assert!(!download.body.contains("REFRESH-INTERVAL"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_panicking_handler_gets_a_500_page_and_the_server_lives_on() {
    let app = serve::with_layers(
        axum::Router::new()
            .route(
                "/boom",
                axum::routing::get(|| async {
                    if true {
                        panic!("a bug in a handler");
                    }
                    "unreachable"
                }),
            )
            .route("/fine", axum::routing::get(|| async { "fine" })),
        "",
    );
    // A real loopback server: the same process keeps answering after the panic.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let (status, _, body) = http_get(addr, "/boom").await;
    assert_eq!(status, 500);
    assert!(
        body.contains("Server error") && body.contains("<!doctype html>"),
        "{body}"
    );
    assert!(
        !body.contains("a bug in a handler"),
        "no internals on the page"
    );
    let (status, _, body) = http_get(addr, "/fine").await;
    assert_eq!((status, body.as_str()), (200, "fine"));
}

/// A route that waits until released, counting the requests that reached it.
fn waiting_app(
    reached: Arc<std::sync::atomic::AtomicUsize>,
    release: Arc<tokio::sync::Semaphore>,
) -> axum::Router {
    serve::with_layers(
        axum::Router::new().route(
            "/wait",
            axum::routing::get(move || {
                let (reached, release) = (reached.clone(), release.clone());
                async move {
                    reached.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let _permit = release.acquire().await.unwrap();
                    "done"
                }
            }),
        ),
        "",
    )
}

// The clock is paused: tokio advances it whenever every task waits, so the timeout fires
// without the test waiting ten seconds, and nothing depends on how fast the machine is.
#[tokio::test(start_paused = true)]
async fn a_request_that_runs_too_long_is_answered_503_with_a_page() {
    let reached = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let never = Arc::new(tokio::sync::Semaphore::new(0));
    let app = waiting_app(reached.clone(), never);
    let a = send(app, Request::get("/wait").body(Body::empty()).unwrap()).await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(a.body.contains("too long or is too busy"), "{}", a.body);
    assert!(
        a.header(header::CONTENT_SECURITY_POLICY)
            .contains("default-src")
    );
    assert_eq!(reached.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn requests_beyond_the_in_flight_limit_wait_their_turn() {
    use std::sync::atomic::Ordering;
    let reached = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let release = Arc::new(tokio::sync::Semaphore::new(0));
    let app = waiting_app(reached.clone(), release.clone());
    let extra = 5;
    let mut tasks = Vec::new();
    for _ in 0..serve::MAX_IN_FLIGHT + extra {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            send(app, Request::get("/wait").body(Body::empty()).unwrap()).await
        }));
    }
    // Let every task run as far as it can (the paused clock moves only when all are waiting).
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(reached.load(Ordering::SeqCst), serve::MAX_IN_FLIGHT);
    release.add_permits(serve::MAX_IN_FLIGHT + extra);
    for t in tasks {
        assert_eq!(t.await.unwrap().status, StatusCode::OK);
    }
    assert_eq!(reached.load(Ordering::SeqCst), serve::MAX_IN_FLIGHT + extra);
}

#[tokio::test(flavor = "multi_thread")]
async fn bodies_and_methods_are_limited() {
    let state = bundled_state();
    let req = Request::post("/recommend?interest=privacy")
        .body(Body::from("x"))
        .unwrap();
    let a = send(serve::router(state.clone()), req).await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(a.body.contains("only answers GET"), "{}", a.body);
    let req = Request::get("/recommend?interest=privacy")
        .header(header::CONTENT_LENGTH, "100000")
        .body(Body::from(vec![b'x'; 100_000]))
        .unwrap();
    let a = send(serve::router(state), req).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", a.body);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_base_path_prefixes_every_page_and_link() {
    let dir = tempfile::tempdir().unwrap();
    let state = Arc::new(
        State::open(
            Home::new(dir.path()),
            serve::base_path("/wgrec/").unwrap(),
            &wgrec::app::no_notes,
        )
        .unwrap(),
    );
    for uri in [
        "/wgrec",
        "/wgrec/",
        "/wgrec/recommend?interest=privacy",
        "/wgrec/static/app.js",
    ] {
        assert_eq!(
            get_on(state.clone(), uri).await.status,
            StatusCode::OK,
            "{uri}"
        );
    }
    let page = get_on(state.clone(), "/wgrec/recommend?interest=privacy")
        .await
        .body;
    assert!(page.contains("href=\"/wgrec/group/privacypass\""));
    assert!(page.contains("href=\"/wgrec/static/style.css?v="));
    assert!(page.contains("action=\"/wgrec/recommend\""));
    assert!(!page.contains("href=\"/group/"));
    let a = get_on(state, "/recommend?interest=privacy").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
}

// ---- following a refresh --------------------------------------------------------------------

const AGENDA: &str = "api/meeting/121/agenda-data";

/// The mock's agenda with the given sessions (by datatracker id) cancelled.
fn agenda_cancelling(ids: &[u64]) -> Vec<u8> {
    let mut v: Value =
        serde_json::from_slice(&std::fs::read(fixtures().join("mock/dt").join(AGENDA)).unwrap())
            .unwrap();
    for s in v["schedule"].as_array_mut().unwrap() {
        if ids.contains(&s["sessionId"].as_u64().unwrap()) {
            s["status"] = "canceled".into();
        }
    }
    serde_json::to_vec_pretty(&v).unwrap()
}

fn refresh(home: &Path, mock: &MockDt) -> i32 {
    wgrec(home)
        .args([
            "-q",
            "refresh",
            "--meeting",
            "121",
            "--base-url",
            &mock.url(),
            "--rate",
            "1000",
        ])
        .output()
        .unwrap()
        .status
        .code()
        .unwrap()
}

fn status_of(
    events: &[ical::parser::ical::component::IcalEvent],
    uid_prefix: &str,
) -> Option<String> {
    events
        .iter()
        .find(|e| prop(e, "UID").is_some_and(|u| u.starts_with(uid_prefix)))
        .and_then(|e| prop(e, "STATUS"))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refresh_that_cancels_a_session_reaches_the_next_calendar_response() {
    let home = tempfile::tempdir().unwrap();
    let mock = MockDt::serve(fixtures().join("mock/dt"));
    assert_eq!(
        refresh(home.path(), &mock),
        10,
        "the first refresh stores meeting 121"
    );
    let state = Arc::new(
        State::open(Home::new(home.path()), String::new(), &wgrec::app::no_notes).unwrap(),
    );
    let feed = "/calendar.ics?interest=quic&interest=routing+security&max=4";
    let before = parse_ics(&get_on(state.clone(), feed).await.body);
    // quic meets twice and is planned once (its first session); sidrops meets once.
    assert_eq!(
        status_of(&before, "121-quic-1").as_deref(),
        Some("CONFIRMED")
    );
    assert_eq!(status_of(&before, "121-quic-2"), None);
    assert_eq!(
        status_of(&before, "121-sidrops-1").as_deref(),
        Some("CONFIRMED")
    );
    let generation = get_on(state.clone(), "/healthz").await.json()["generation"].clone();

    // quic's planned session and sidrops' only one are cancelled upstream; cron refreshes.
    mock.put(AGENDA, agenda_cancelling(&[121001, 121003]));
    assert_eq!(
        refresh(home.path(), &mock),
        10,
        "the refresh applies the change"
    );

    // The same server, not restarted: the next response is computed from the new index.
    let after = parse_ics(&get_on(state.clone(), feed).await.body);
    // The same UIDs: the calendar marks the planned sessions cancelled, and quic moves to its
    // other session.
    assert_eq!(
        status_of(&after, "121-quic-1").as_deref(),
        Some("CANCELLED")
    );
    assert_eq!(
        status_of(&after, "121-sidrops-1").as_deref(),
        Some("CANCELLED")
    );
    assert_eq!(
        status_of(&after, "121-quic-2").as_deref(),
        Some("CONFIRMED")
    );
    assert_ne!(
        get_on(state.clone(), "/healthz").await.json()["generation"],
        generation
    );
    let page = get_on(state.clone(), "/group/sidrops").await.body;
    assert!(page.contains("cancelled"), "{page}");

    // A generation that is not finished is never served: CURRENT naming a folder without its
    // metadata (what a crashed build would be) leaves the generation in service answering.
    let bogus = home.path().join("index/gen-1-deadbeef");
    std::fs::create_dir(&bogus).unwrap();
    std::fs::write(home.path().join("index/CURRENT"), "gen-1-deadbeef\n").unwrap();
    let a = get_on(state, feed).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(
        status_of(&parse_ics(&a.body), "121-quic-1").as_deref(),
        Some("CANCELLED")
    );
}

// ---- the policy guide -----------------------------------------------------------------------

/// The guide's two-meeting fixture (IETF 120 and 121) fetched from a loopback server, with
/// markup written into hrpc's description (as text, the way a datatracker page escapes it), and
/// a server state on it. One for every guide test: the guide ranks every topic, so the state's
/// cache is worth sharing.
fn guide_state() -> (&'static Path, Arc<State>) {
    static S: OnceLock<(tempfile::TempDir, Arc<State>)> = OnceLock::new();
    let (dir, state) = S.get_or_init(|| {
        let mock = MockDt::serve(fixtures().join("guide/dt"));
        let about = "group/hrpc/about/";
        let page =
            std::fs::read_to_string(fixtures().join("guide/dt").join(about).join("index.html"))
                .unwrap();
        let marked = page.replace(
            "The research group studies how",
            "The research group studies &lt;script&gt;alert(1)&lt;/script&gt; &amp; how",
        );
        assert_ne!(marked, page, "the fixture's sentence is there to mark");
        mock.put(about, marked);
        let dir = tempfile::tempdir().unwrap();
        for m in [120, 121] {
            fetch_cmd(dir.path(), &mock, m).arg("-q").assert().success();
        }
        let state = State::open(Home::new(dir.path()), String::new(), &wgrec::app::no_notes)
            .expect("the fixture opens");
        // A guide ranks every topic: a debug build on a busy machine can take longer than the
        // request timeout. The server prepares the newest meeting's guide ahead
        // (`State::warm_guides`); this test prepares the ones it asks for, in the same cache.
        let served = state.served();
        for (m, since) in [(121, None), (121, Some(120)), (120, None)] {
            served.guide(m, since).expect("the fixture has a guide");
        }
        (dir, Arc::new(state))
    });
    (dir.path(), state.clone())
}

/// The CLI's guide on the same home, as JSON.
fn cli_guide(home: &Path, args: &[&str]) -> Value {
    let out = stdout_of(
        wgrec(home)
            .args(["-q", "guide", "--format", "json"])
            .args(args),
    );
    serde_json::from_str(&out).unwrap()
}

/// `generated` is the time each was written; everything else must be the same.
fn without_time(mut v: Value) -> Value {
    v.as_object_mut().unwrap().remove("generated");
    v
}

#[tokio::test(flavor = "multi_thread")]
async fn the_guide_page_shows_the_cli_guide_inside_the_site() {
    let (home, state) = guide_state();
    let a = get_on(state.clone(), "/guide").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert!(a.header(header::CONTENT_TYPE).starts_with("text/html"));
    assert!(a.body.starts_with("<!doctype html>"));
    assert!(
        !a.header(header::CONTENT_SECURITY_POLICY)
            .contains("unsafe-inline")
    );
    assert_no_inline_script("/guide", &a.body);
    // The guide's own styles are not inlined (the CSP forbids it); the site's sheet has them.
    assert!(!a.body.contains("<style"), "no inline style");
    let doc = scraper::Html::parse_document(&a.body);
    assert!(doc.errors.is_empty(), "parse errors: {:?}", doc.errors);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let h1: Vec<String> = doc.select(&sel("h1")).map(|h| h.text().collect()).collect();
    assert_eq!(h1, ["IETF 121 policy guide"]);
    // The navigation leads here, and marks the page as current.
    let nav: Vec<_> = doc.select(&sel("nav a[aria-current=page]")).collect();
    assert_eq!(nav.len(), 1);
    assert_eq!(nav[0].value().attr("href"), Some("/guide"));
    // The same guide as the CLI's: every topic and group, each group described once.
    let cli = cli_guide(home, &["--meeting", "121"]);
    for g in cli["groups"].as_array().unwrap() {
        let acr = g["acronym"].as_str().unwrap();
        let id = format!("#g-{acr}");
        assert_eq!(doc.select(&sel(&id)).count(), 1, "{acr}");
    }
    let rows = doc.select(&sel("#glance table tbody tr")).count();
    assert_eq!(rows, cli["topics"].as_array().unwrap().len());
    for a in doc.select(&sel("main a[href^='#']")) {
        let target = a.value().attr("href").unwrap();
        assert_eq!(doc.select(&sel(target)).count(), 1, "no element {target}");
    }
    // Ids of the guide do not collide with the site's.
    assert_eq!(doc.select(&sel("#main")).count(), 1);

    // The JSON is the CLI's contract; Markdown and the one-file HTML download.
    let json = get_on(state.clone(), "/guide.json?since=120").await;
    assert_eq!(json.status, StatusCode::OK);
    assert_eq!(
        without_time(json.json()),
        without_time(cli_guide(home, &["--meeting", "121", "--since", "120"]))
    );
    let md = get_on(state.clone(), "/guide.md").await;
    assert!(
        md.header(header::CONTENT_DISPOSITION)
            .starts_with("attachment")
    );
    assert!(
        md.body.starts_with("# IETF 121 policy guide"),
        "{}",
        md.body
    );
    let file = get_on(state.clone(), "/guide.html?meeting=120").await;
    assert!(
        file.header(header::CONTENT_DISPOSITION)
            .contains("ietf120-policy-guide.html")
    );
    assert!(file.body.starts_with("<!DOCTYPE html>") && file.body.contains("@media print"));

    // With since: what is gone, and the form keeps the choice.
    let since = get_on(state.clone(), "/guide?since=120").await;
    assert_eq!(since.status, StatusCode::OK);
    assert!(since.body.contains("Gone since IETF 120"), "{}", since.body);
    assert!(
        since
            .body
            .contains("<option value=\"120\" selected>IETF 120</option>")
    );
    assert!(since.body.contains("/guide.md?since=120"));
    // An earlier meeting: its own guide, and the site's links keep to that meeting.
    let older = get_on(state, "/guide?meeting=120").await;
    assert_eq!(older.status, StatusCode::OK);
    assert!(older.body.contains("<h1>IETF 120 policy guide</h1>"));
    assert!(older.body.contains("href=\"/plan?meeting=120\""));
    assert!(
        !older.body.contains("Compare with an earlier meeting"),
        "nothing before 120"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_guide_page_escapes_the_data() {
    let (_, state) = guide_state();
    let a = get_on(state, "/guide").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(!a.body.contains("<script>alert"), "unescaped markup");
    assert!(
        a.body
            .contains("studies &lt;script&gt;alert(1)&lt;/script&gt; &amp; how"),
        "the text is shown, escaped: {}",
        a.body
    );
    assert_no_inline_script("/guide", &a.body);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_guide_requests_get_a_page_saying_what_was_wrong() {
    let (_, state) = guide_state();
    for (uri, msg) in [
        ("/guide?meeting=999", "meeting 999 is not in the snapshot"),
        ("/guide?meeting=abc", "meeting must be a meeting number"),
        (
            "/guide?since=121",
            "must be an earlier meeting than IETF 121",
        ),
        (
            "/guide?meeting=120&since=121",
            "must be an earlier meeting than IETF 120",
        ),
        ("/guide?since=119", "meeting 119 is not in the snapshot"),
        ("/guide?since=soon", "since must be a meeting number"),
        ("/guide?topic=privacy", "unknown parameter"),
        (
            "/guide.md?meeting=999",
            "meeting 999 is not in the snapshot",
        ),
    ] {
        let a = get_on(state.clone(), uri).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{uri}: {}", a.body);
        assert!(
            a.header(header::CONTENT_TYPE).starts_with("text/html"),
            "{uri}"
        );
        assert!(
            a.body.contains(&escape(msg)),
            "{uri}: expected {msg:?} in\n{}",
            a.body
        );
        assert!(a.body.contains("That request cannot be answered"), "{uri}");
    }
    let a = get_on(state, "/guide.json?meeting=999").await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.json()["error"].as_str().unwrap().contains("meeting 999"));
}

// ---- the binary ---------------------------------------------------------------------------

async fn http_get(addr: std::net::SocketAddr, path: &str) -> (u16, String, String) {
    let path = path.to_string();
    tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = String::new();
        s.read_to_string(&mut raw).unwrap();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, head.to_string(), body.to_string())
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_binary_serves_with_a_fixed_clock_and_stops_on_sigterm() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_wgrec"));
    crate::common::isolate(&mut cmd, home.path());
    let mut child = cmd
        .args(["serve", "--listen", "127.0.0.1:0"])
        // Tuesday of IETF 115, 10:00 in London: sessions are on.
        .env("WGREC_NOW", "2022-11-08T10:00:00Z")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut addr = None;
    let mut seen = String::new();
    for _ in 0..10 {
        let mut line = String::new();
        if err.read_line(&mut line).unwrap() == 0 {
            break;
        }
        seen.push_str(&line);
        if let Some(rest) = line.split("serving on http://").nth(1) {
            addr = Some(rest.split('/').next().unwrap().parse().unwrap());
            break;
        }
    }
    let addr: std::net::SocketAddr = addr.unwrap_or_else(|| panic!("no address in: {seen}"));
    assert!(seen.contains("bundled IETF 115"), "{seen}");

    let (status, _, body) = http_get(addr, "/now").await;
    assert_eq!(status, 200);
    assert!(
        body.contains("Tue 8 Nov 2022 10:00"),
        "the clock is WGREC_NOW: {body}"
    );
    assert!(body.contains("On now"), "{body}");
    let (status, head, _) = http_get(addr, "/healthz").await;
    assert_eq!(status, 200);
    assert!(
        head.to_ascii_lowercase()
            .contains("content-security-policy")
    );

    // SIGTERM: a graceful stop, exit 0.
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "stopped cleanly on SIGTERM");
}
