//! `wgrec serve` in a real browser: headless Chromium driven over WebDriver (chromedriver,
//! started here on a free loopback port) with fantoccini, against the server running in this
//! process on the bundled IETF 115 meeting. What a visitor does: type two interests and read
//! the results with their reasons, open a group, build a plan, change the time zone, download
//! the calendar; keyboard only; a phone-wide window; the policy guide (on the guide's
//! two-meeting fixture) from the navigation, its links and its comparison form. Screenshots go to
//! `target/screenshots/` for people to look at.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver` (`.ci/run` installs them).

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use wgrec::home::Home;
use wgrec::serve::{self, State};

/// Only guards against a hung browser; no assertion depends on how long anything takes.
const GUARD: Duration = Duration::from_secs(60);

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

fn screenshots() -> PathBuf {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The server on a loopback port, for the life of the test.
struct Site {
    url: String,
    _home: tempfile::TempDir,
}

async fn site() -> Site {
    let home = tempfile::tempdir().unwrap();
    let state = Arc::new(
        State::open(Home::new(home.path()), String::new(), &wgrec::app::no_notes).unwrap(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, serve::router(state)).await });
    Site {
        url: format!("http://{addr}"),
        _home: home,
    }
}

/// chromedriver plus one browser session; both end when dropped.
struct Browser {
    client: Option<Client>,
    driver: Child,
    downloads: tempfile::TempDir,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Browser {
    async fn start(width: u32, height: u32) -> Self {
        assert!(
            Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists(),
            "the browser tests need {CHROMIUM} and {CHROMEDRIVER} (apt-get install chromium chromium-driver)"
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < GUARD, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let downloads = tempfile::tempdir().unwrap();
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                    "--hide-scrollbars",
                    format!("--user-data-dir={}", profile.path().display()),
                    format!("--window-size={width},{height}"),
                ],
                "prefs": {
                    "download.default_directory": downloads.path().display().to_string(),
                    "download.prompt_for_download": false,
                    "download.directory_upgrade": true,
                },
            }),
        );
        // Starting Chromium on a loaded two-core machine fails now and then (the driver gives
        // up waiting for it): a new session is tried twice more before the test fails.
        let mut attempt = 1;
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => break client,
                Err(e) if attempt < 3 => {
                    eprintln!("browser session, attempt {attempt}: {e}; trying again");
                    attempt += 1;
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                Err(e) => panic!("a browser session: {e}"),
            }
        };
        client.set_window_size(width, height).await.unwrap();
        Self {
            client: Some(client),
            driver,
            downloads,
            _profile: profile,
        }
    }

    fn c(&self) -> &Client {
        self.client.as_ref().unwrap()
    }

    async fn close(mut self) {
        if let Some(c) = self.client.take() {
            let _ = c.close().await;
        }
    }

    async fn shot(&self, name: &str) {
        let png = self.c().screenshot().await.unwrap();
        std::fs::write(screenshots().join(format!("{name}.png")), png).unwrap();
    }

    async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        match self
            .c()
            .wait()
            .at_most(GUARD)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(e) => e,
            // Where the browser was, and what it showed, say why (a rare failure under load
            // is otherwise a bare timeout).
            Err(e) => {
                let url = self.c().current_url().await.map(|u| u.to_string());
                let png = self.c().screenshot().await;
                if let Ok(png) = png {
                    let _ = std::fs::write(screenshots().join("failed-wait.png"), png);
                }
                panic!("no {css} at {url:?}: {e} (screenshot: target/screenshots/failed-wait.png)")
            }
        }
    }

    async fn texts(&self, css: &str) -> Vec<String> {
        let mut out = Vec::new();
        for e in self.c().find_all(Locator::Css(css)).await.unwrap() {
            out.push(e.text().await.unwrap());
        }
        out
    }

    async fn js(&self, script: &str) -> Value {
        self.c().execute(script, vec![]).await.unwrap()
    }

    async fn press(&self, key: Key) {
        let k: char = key.into();
        let actions = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: k })
            .then(KeyAction::Up { value: k });
        self.c().perform_actions(actions).await.unwrap();
    }

    async fn type_text(&self, text: &str) {
        let mut actions = KeyActions::new("keyboard".into());
        for ch in text.chars() {
            actions = actions
                .then(KeyAction::Down { value: ch })
                .then(KeyAction::Up { value: ch });
        }
        self.c().perform_actions(actions).await.unwrap();
    }

    /// `document.activeElement` described as `tag#id.class`, and whether it sits in `#results`.
    async fn focus(&self) -> (String, bool) {
        let v = self
            .js(
                "const e = document.activeElement; \
                 return [e.tagName.toLowerCase() + (e.id ? '#' + e.id : ''), !!e.closest('#results')];",
            )
            .await;
        (
            v[0].as_str().unwrap_or("").to_string(),
            v[1].as_bool().unwrap_or(false),
        )
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_visitor_gets_results_opens_a_group_plans_and_downloads_the_calendar() {
    let site = site().await;
    let b = Browser::start(1280, 1000).await;
    b.c().goto(&format!("{}/", site.url)).await.unwrap();
    assert!(b.c().title().await.unwrap().contains("IETF 115"));
    b.shot("home-desktop").await;

    // Two interests, typed, then submitted.
    b.wait_for("#interest-1")
        .await
        .send_keys("privacy")
        .await
        .unwrap();
    b.wait_for("#interest-2")
        .await
        .send_keys("routing security")
        .await
        .unwrap();
    b.wait_for("form.ask button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    b.wait_for("ol.results li.result").await;
    let heading = b.wait_for("main h1").await.text().await.unwrap();
    assert!(
        heading.contains("privacy") && heading.contains("routing security"),
        "{heading}"
    );
    let results = b.texts("ol.results li.result").await;
    assert!(results.len() >= 4, "{results:?}");
    // Strong matches come first, say so in words, and give a plain reason.
    let strength = b.texts("ol.results li.result .strength").await;
    assert_eq!(strength.len(), results.len(), "{strength:?}");
    assert_eq!(strength[0], "Strong match", "{strength:?}");
    let strong = strength.iter().take_while(|s| *s == "Strong match").count();
    assert!(
        strong >= 2,
        "at least one strong match per interest: {strength:?}"
    );
    assert!(
        strength[strong..].iter().all(|s| s == "Possible match"),
        "strong first: {strength:?}"
    );
    let reasons = b.texts("ol.results li.result.strong .reason").await;
    assert_eq!(reasons.len(), strong, "every strong match has a reason");
    assert!(reasons.iter().all(|r| r.len() > 20), "{reasons:?}");
    // Every result says why: the interests it matches and the words that matched.
    let why = b.texts("ol.results li.result .why").await;
    assert_eq!(why.len(), results.len(), "{why:?}");
    assert!(why.iter().all(|w| w.starts_with("Matches")), "{why:?}");
    assert!(why.iter().any(|w| w.contains("privacy")));
    assert!(why.iter().any(|w| w.contains("routing security")));
    let groups = b.texts("ol.results li.result h3 a").await;
    assert!(groups.contains(&"sidrops".to_string()), "{groups:?}");
    b.shot("results-desktop").await;

    // Open a group.
    let first = groups[0].clone();
    b.wait_for("ol.results li.result h3 a")
        .await
        .click()
        .await
        .unwrap();
    let h1 = b.wait_for("main h1").await.text().await.unwrap();
    assert!(h1.starts_with(&first), "{h1}");
    let sections = b.texts("main h2").await;
    assert!(
        sections.iter().any(|s| s == "What it works on"),
        "{sections:?}"
    );
    assert!(!b.texts("ul.sessions li").await.is_empty());
    b.shot("group").await;

    // Back to the results, and on to a plan of them.
    b.c().back().await.unwrap();
    b.wait_for("p.actions a.button")
        .await
        .click()
        .await
        .unwrap();
    b.wait_for("li.slot").await;
    let slots = b.texts("li.slot").await;
    assert!(!slots.is_empty());
    let plan_heading = b.wait_for("main h1").await.text().await.unwrap();
    assert!(plan_heading.contains("itinerary"), "{plan_heading}");
    b.shot("plan").await;

    // Change the time zone: the plan shows the viewer's times next to London's.
    let zones_before = b.wait_for("p.zones").await.text().await.unwrap();
    assert!(!zones_before.contains("Tokyo"));
    let tz = b.wait_for("#tz").await;
    tz.clear().await.unwrap();
    tz.send_keys("Asia/Tokyo").await.unwrap();
    b.wait_for("section.again button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    b.wait_for("li.slot .when-viewer").await;
    let zones_after = b.wait_for("p.zones").await.text().await.unwrap();
    assert!(zones_after.contains("Asia/Tokyo (JST)"), "{zones_after}");
    let viewer = b.texts("li.slot .when-viewer").await;
    assert_eq!(viewer.len(), b.texts("li.slot").await.len());
    b.shot("plan-tokyo").await;

    // The ICS link downloads a calendar.
    let link = b.wait_for("a[href*='/plan.ics?']").await;
    link.click().await.unwrap();
    let started = Instant::now();
    let file = loop {
        let found = std::fs::read_dir(b.downloads.path())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "ics"));
        if let Some(f) = found {
            break f;
        }
        assert!(started.elapsed() < GUARD, "no calendar was downloaded");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
    let cal = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()))
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(
        cal.events.len(),
        slots.len(),
        "one event per planned session"
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_keyboard_alone_reaches_the_form_and_the_results() {
    let site = site().await;
    let b = Browser::start(1280, 1000).await;
    b.c().goto(&format!("{}/", site.url)).await.unwrap();
    b.wait_for("#interest-1").await;
    // Tab from the top of the page to the first interest field.
    let mut presses = 0;
    while b.focus().await.0 != "input#interest-1" {
        b.press(Key::Tab).await;
        presses += 1;
        assert!(presses <= 15, "Tab never reached the interest field");
    }
    b.type_text("privacy").await;
    b.press(Key::Tab).await;
    assert_eq!(b.focus().await.0, "input#interest-2");
    b.type_text("routing security").await;
    b.press(Key::Enter).await;
    b.wait_for("ol.results li.result").await;
    // Tab on to the first result's link.
    let mut presses = 0;
    loop {
        b.press(Key::Tab).await;
        presses += 1;
        let (what, in_results) = b.focus().await;
        if in_results {
            assert!(
                what.starts_with('a'),
                "a link in the results has focus: {what}"
            );
            break;
        }
        assert!(presses <= 25, "Tab never reached the results (at {what})");
    }
    b.shot("keyboard-results").await;
    // Enter follows the focused link.
    b.press(Key::Enter).await;
    b.wait_for("main h1").await;
    assert!(
        b.c()
            .current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/group/")
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn at_phone_width_no_page_scrolls_sideways() {
    let site = site().await;
    let b = Browser::start(390, 844).await;
    let pages = [
        ("phone-home", "/"),
        (
            "phone-results",
            "/recommend?interest=privacy&interest=routing+security&tz=America/Los_Angeles",
        ),
        ("phone-group", "/group/privacypass"),
        (
            "phone-plan",
            "/plan?interest=privacy&interest=human+rights&tz=Asia/Tokyo",
        ),
        ("phone-search", "/search?q=%22route+origin%22"),
        ("phone-now", "/now"),
    ];
    for (name, path) in pages {
        b.c().goto(&format!("{}{path}", site.url)).await.unwrap();
        b.wait_for("main h1").await;
        let v = b
            .js("return [window.innerWidth, document.documentElement.scrollWidth, document.body.scrollWidth];")
            .await;
        let (inner, doc, body) = (
            v[0].as_u64().unwrap(),
            v[1].as_u64().unwrap(),
            v[2].as_u64().unwrap(),
        );
        assert!(inner <= 400, "the window is phone-wide: {inner}");
        assert!(
            doc <= inner && body <= inner,
            "{path}: content {doc}/{body} px wide in a {inner} px window"
        );
        b.shot(name).await;
    }
    b.close().await;
}

/// The server on the guide's two-meeting fixture (IETF 120 and 121, fetched from a loopback
/// mock), with IETF 121's guides (alone and compared with 120) prepared ahead, as `wgrec serve`
/// prepares the newest one: a debug build may take longer than the request timeout to build one
/// on a busy machine.
async fn guide_site() -> Site {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().to_path_buf();
    let state = tokio::task::spawn_blocking(move || {
        let mock = crate::common::MockDt::serve(crate::common::fixtures().join("guide/dt"));
        for m in [120, 121] {
            crate::common::fetch_cmd(&path, &mock, m)
                .arg("-q")
                .assert()
                .success();
        }
        let state = State::open(Home::new(&path), String::new(), &wgrec::app::no_notes).unwrap();
        let served = state.served();
        served.guide(121, None).unwrap();
        served.guide(121, Some(120)).unwrap();
        Arc::new(state)
    })
    .await
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, serve::router(state)).await });
    Site {
        url: format!("http://{addr}"),
        _home: home,
    }
}

/// `/guide` at phone width: reached from the navigation, styled by the site's sheet (no inline
/// style is needed, none is blocked), an "at a glance" link lands on its group, nothing scrolls
/// sideways, and the comparison form works as a plain GET form.
#[tokio::test(flavor = "multi_thread")]
async fn the_policy_guide_reads_on_a_phone_and_compares_meetings() {
    let site = guide_site().await;
    let b = Browser::start(390, 844).await;
    b.c().goto(&format!("{}/", site.url)).await.unwrap();
    b.wait_for("main h1").await;
    let nav = b
        .c()
        .find(Locator::Css("nav a[href='/guide']"))
        .await
        .expect("the navigation links the guide");
    nav.click().await.unwrap();
    // The guide's page, not the start page the click left.
    b.wait_for("#glance").await;
    let h1 = b.wait_for("main h1").await;
    assert_eq!(h1.text().await.unwrap(), "IETF 121 policy guide");
    assert!(
        b.c()
            .current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/guide")
    );
    let topics = b.texts("#glance tbody td:first-child").await;
    assert!(topics.iter().any(|t| t == "Human rights"), "{topics:?}");
    // The site's sheet styles the guide's table.
    let collapse = b
        .js("return getComputedStyle(document.querySelector('table.glance')).borderCollapse;")
        .await;
    assert_eq!(collapse, "collapse");
    let v = b
        .js("return [window.innerWidth, document.documentElement.scrollWidth];")
        .await;
    assert!(
        v[1].as_u64().unwrap() <= v[0].as_u64().unwrap(),
        "the guide scrolls sideways at phone width: {v}"
    );
    b.shot("guide-phone").await;

    // A group in the table leads to its description further down.
    b.c()
        .find(Locator::Css("#glance a[href='#g-hrpc']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let at = b
        .js(
            "const r = document.getElementById('g-hrpc').getBoundingClientRect(); \
             return [location.hash, window.scrollY, r.top];",
        )
        .await;
    assert_eq!(at[0], "#g-hrpc");
    assert!(at[1].as_f64().unwrap() > 0.0, "the page scrolled: {at}");
    assert!(
        at[2].as_f64().unwrap().abs() < 50.0,
        "hrpc at the top: {at}"
    );

    // Compare with IETF 120 through the form (a GET form: no script needed).
    let since = b.wait_for("select#since").await;
    since.select_by_value("120").await.unwrap();
    b.c()
        .find(Locator::Css("form.ask button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The new page, not the one the click left: its form keeps the choice.
    b.wait_for("select#since option[value='120'][selected]")
        .await;
    let url = b.c().current_url().await.unwrap();
    assert_eq!(url.query(), Some("since=120"));
    let notable = b.texts("#notable p").await.join("\n");
    assert!(notable.contains("Gone since IETF 120"), "{notable}");
    b.shot("guide-since").await;
    b.close().await;
}
