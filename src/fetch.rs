//! Fetches one meeting from the datatracker (or a mirror of it) into the on-disk snapshot: the
//! agenda (`agenda-data`, falling back to `agenda.json`), every group's about page and every
//! session agenda document, politely (rate limit, bounded concurrency, conditional requests,
//! retries with backoff) and without ever damaging what is already stored.
//!
//! Rules the rest of wgrec relies on:
//! * the agenda is parsed in memory before it is written: a garbage answer stores nothing;
//! * a 304, or a 200 with the stored bytes, leaves the file untouched, and the manifest is only
//!   rewritten when an entry changed (`fetched_at` is when the stored body was downloaded, so it
//!   moves only with the body);
//! * only `200` bodies are stored; a failed URL keeps its previous file and manifest entry;
//! * absolute datatracker URLs (`http(s)://datatracker.ietf.org/...`) are mapped onto the base URL;
//!   agenda links on any other host are skipped with a warning, as are links that are not meeting
//!   materials paths (`meeting/<n>/materials/...`) and unsafe group acronyms;
//! * every body is parsed before it is stored, whatever its kind: an agenda that breaks the sanity
//!   rules (`parse::check_agenda`), an about page without a group name, a page nested too deep,
//!   a body shorter than its `Content-Length` are failed downloads, and the previous file stays;
//! * an agenda that would shrink the stored schedule by more than half, or to nothing, is held
//!   back unless `accept_shrink` is set;
//! * robots.txt is read once per run and obeyed: a disallowed URL is skipped (not a failure), and
//!   a `Crawl-delay` is honoured as written; when the pages would not fit in the run's time
//!   limit at that pace, the run stops before them with a clear error;
//! * the whole run has a deadline (`--max-time`), and a circuit breaker stops it early when the
//!   server stops answering (both: an error, the stored copies kept);
//! * redirects are followed (at most 5) only on the base URL's host (or, for the real
//!   datatracker, to www.ietf.org); anywhere else is a failure;
//! * the stored agenda is the one this run got: when it falls back to `agenda.json`, a stored
//!   `agenda-data` of the same meeting is removed, so readers never see a stale agenda.
//!
//! Test hooks (environment): `WGREC_BACKOFF_MS` sets the first retry delay (default 1000 ms) and
//! `WGREC_MAX_WAIT_MS` the longest single wait (default 60000 ms), so tests need not sleep long.

mod http;
pub mod robots;

use crate::model::Agenda;
use crate::snapshot::{self, Entry, Manifest};
use crate::{Error, Result, parse};
use http::{ACCEPT_DOCUMENT, ACCEPT_HTML, ACCEPT_JSON, Failure, Got, Http, Validators};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub const DEFAULT_BASE_URL: &str = "https://datatracker.ietf.org";
/// The host whose absolute URLs in the data are mapped onto the base URL.
pub const DATATRACKER_HOST: &str = "datatracker.ietf.org";
/// The other host redirects may lead to when the base URL is the real datatracker.
pub const WWW_HOST: &str = "www.ietf.org";
pub const BACKOFF_ENV: &str = "WGREC_BACKOFF_MS";
/// Default `--max-time`: 25 minutes, inside the documented systemd `TimeoutStartSec=30min`.
pub const DEFAULT_MAX_TIME_SECS: u64 = 25 * 60;
/// Most bytes of about pages and agenda documents stored for one meeting in one run.
pub const MAX_MEETING_BYTES: u64 = 64 << 20;
pub const MAX_WAIT_ENV: &str = "WGREC_MAX_WAIT_MS";

/// `wgrec/<version> (+<project URL>)`: tells the datatracker's operators who is calling.
pub fn user_agent() -> String {
    format!(
        "wgrec/{} (+{})",
        env!("CARGO_PKG_VERSION"),
        env!("CARGO_PKG_REPOSITORY")
    )
}

/// How to talk to the server. `From<&NetArgs>` gives the command-line values.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Server root, e.g. `https://datatracker.ietf.org` or `http://127.0.0.1:8765`.
    pub base_url: String,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Requests started per second, at most (retries included).
    pub rate: f64,
    /// Whole-request timeout (connect, headers and body).
    pub timeout: Duration,
    /// Largest body accepted, in bytes.
    pub max_body: u64,
    /// Attempts per URL, the first included.
    pub max_attempts: u32,
    pub user_agent: String,
    /// Draw an `indicatif` bar on stderr.
    pub progress: bool,
    /// First retry delay; doubles with each attempt, with jitter.
    pub backoff_base: Duration,
    /// Longest single wait; a `Retry-After` above it makes the URL fail instead.
    pub max_wait: Duration,
    /// When the whole run (every request, retries and waits included) must be over.
    pub deadline: Option<std::time::Instant>,
    /// Store an agenda even when it shrinks the stored schedule by more than half, or to zero.
    pub accept_shrink: bool,
}

impl Default for FetchOptions {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.into(),
            concurrency: 2,
            rate: 5.0,
            timeout: Duration::from_secs(30),
            max_body: 20 * 1024 * 1024,
            max_attempts: 5,
            user_agent: user_agent(),
            progress: false,
            backoff_base: Duration::from_millis(1000),
            max_wait: Duration::from_secs(60),
            deadline: None,
            accept_shrink: false,
        }
    }
}

impl FetchOptions {
    /// Applies the hooks that shorten the backoff waits (`WGREC_BACKOFF_MS`,
    /// `WGREC_MAX_WAIT_MS`, in milliseconds) when they are set; tests rely on them.
    pub fn with_env_overrides(mut self) -> Self {
        let env_ms = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_millis)
        };
        if let Some(d) = env_ms(BACKOFF_ENV) {
            self.backoff_base = d;
        }
        if let Some(d) = env_ms(MAX_WAIT_ENV) {
            self.max_wait = d;
        }
        self
    }
}

/// The slowest `--rate` accepted: one request per 1000 s.
const MIN_RATE: f64 = 0.001;

impl FetchOptions {
    fn check(&self) -> Result<()> {
        // A floor, so the spacing between requests (1/rate) stays a sane duration.
        if !(self.rate.is_finite() && self.rate >= MIN_RATE) {
            return Err(Error::input(format!(
                "--rate must be a positive number of requests per second (at least {MIN_RATE}), not {}",
                self.rate
            )));
        }
        if self.concurrency == 0 {
            return Err(Error::input("--concurrency must be at least 1"));
        }
        if self.timeout.is_zero() {
            return Err(Error::input("--timeout must be at least 1 second"));
        }
        match reqwest::Url::parse(&self.base_url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(()),
            _ => Err(Error::input(format!(
                "--base-url must be an http(s) URL, not {:?}",
                self.base_url
            ))),
        }
    }
}

/// What one `fetch` did. Serialised as the `--format json` summary.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FetchReport {
    pub meeting: u32,
    pub base_url: String,
    /// What robots.txt said (`none (404): everything allowed`, `group *: 1 disallow ...`).
    pub robots: String,
    /// URL path of the stored agenda (`api/meeting/N/agenda-data` or `meeting/N/agenda.json`).
    pub agenda: String,
    pub sessions: usize,
    /// About pages wanted (groups with a session) and stored or confirmed current.
    pub about_pages: usize,
    pub about_pages_ok: usize,
    /// Agenda documents wanted (distinct links) and stored or confirmed current.
    pub documents: usize,
    pub documents_ok: usize,
    /// HTTP requests sent, retries and the agenda-data -> agenda.json fallback included.
    pub requests: u64,
    /// URLs answered `200` (stored or identical) and `304`.
    pub ok: usize,
    pub not_modified: usize,
    /// Body bytes received.
    pub bytes: u64,
    /// Seconds.
    #[serde(serialize_with = "as_secs")]
    pub elapsed: Duration,
    /// (URL, reason) of every URL that failed; their previous copies were kept.
    pub failures: Vec<(String, String)>,
    /// (URL, reason) of links that were deliberately not fetched.
    pub skipped: Vec<(String, String)>,
    /// URL paths whose stored body changed (new, different or removed).
    pub changed: Vec<String>,
    /// URL paths removed from the snapshot (a stale agenda-data after a fallback).
    pub removed: Vec<String>,
    /// Whether `manifest.json` was rewritten.
    pub manifest_written: bool,
}

fn as_secs<S: serde::Serializer>(d: &Duration, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_f64((d.as_secs_f64() * 1000.0).round() / 1000.0)
}

impl FetchReport {
    /// The error that makes the command exit with `exit::PARTIAL`, when some URLs failed.
    pub fn partial_error(&self) -> Option<Error> {
        (!self.failures.is_empty()).then(|| Error::Partial {
            failed: self.failures.clone(),
            total: 1 + self.about_pages + self.documents,
        })
    }
}

impl fmt::Display for FetchReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "meeting {}: {} sessions; agenda {}; {}/{} about pages; {}/{} agenda documents",
            self.meeting,
            self.sessions,
            self.agenda,
            self.about_pages_ok,
            self.about_pages,
            self.documents_ok,
            self.documents
        )?;
        write!(
            f,
            "{} requests: {} ok (200), {} not modified (304), {} errors; {} skipped; \
             {} received in {:.1} s; {} files changed",
            self.requests,
            self.ok,
            self.not_modified,
            self.failures.len(),
            self.skipped.len(),
            human_bytes(self.bytes),
            self.elapsed.as_secs_f64(),
            self.changed.len()
        )?;
        write!(f, "\nrobots.txt: {}", self.robots)
    }
}

fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 20 => format!("{:.1} MiB", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.1} KiB", n as f64 / 1024.0),
        n => format!("{n} bytes"),
    }
}

/// Where a link found in the data points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// A path on the datatracker (or on the configured server), without leading `/`.
    Path(String),
    /// Another host: not fetched.
    Foreign(String),
    Invalid,
}

/// Maps a link from the data onto the configured server: root-relative paths and
/// `http(s)://datatracker.ietf.org/...` become paths; so do links that already point at the base
/// URL (a mirror's own links).
pub fn map_link(link: &str, base_url: &str) -> Link {
    let link = link.trim();
    if link.starts_with('/') && !link.starts_with("//") {
        return snapshot::url_path(link).map_or(Link::Invalid, Link::Path);
    }
    let Ok(u) = reqwest::Url::parse(link) else {
        return Link::Invalid;
    };
    if !matches!(u.scheme(), "http" | "https") {
        return Link::Invalid;
    }
    let Some(host) = u.host_str() else {
        return Link::Invalid;
    };
    let path = u.path();
    if host.eq_ignore_ascii_case(DATATRACKER_HOST) && u.port().is_none() {
        return snapshot::url_path(path).map_or(Link::Invalid, Link::Path);
    }
    if let Ok(b) = reqwest::Url::parse(base_url)
        && b.scheme() == u.scheme()
        && b.host_str() == Some(host)
        && b.port_or_known_default() == u.port_or_known_default()
    {
        let prefix = b.path().trim_end_matches('/');
        if let Some(rest) = path.strip_prefix(prefix)
            && rest.starts_with('/')
        {
            return snapshot::url_path(rest).map_or(Link::Invalid, Link::Path);
        }
    }
    Link::Foreign(host.to_string())
}

/// Session agenda documents live under `meeting/<n>/materials/`; nothing else is fetched from an
/// agenda link, so the data cannot aim a download at the agenda, an about page or the manifest.
pub(crate) fn is_materials_path(p: &str) -> bool {
    let segs: Vec<&str> = p.split('/').collect();
    segs.len() >= 4
        && segs[0] == "meeting"
        && !segs[1].is_empty()
        && segs[2] == "materials"
        && segs[3..].iter().all(|s| !s.is_empty())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    About,
    Document,
}

#[derive(Debug)]
enum Outcome {
    /// `200`: `changed` when the stored bytes differ from the new ones.
    Stored {
        entry: Entry,
        changed: bool,
    },
    NotModified {
        entry: Entry,
    },
    Failed(String),
}

fn now_stamp() -> String {
    crate::clock::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Validators for a conditional request: only when the entry has some, was fetched from `url`
/// itself (another server's ETag or date means nothing to this one, e.g. after switching
/// mirrors), and the stored file is exactly what the entry records (a missing or altered file is
/// downloaded again).
fn validators(
    dir: &Path,
    manifest: &Manifest,
    path: &str,
    url: &str,
) -> Option<(Entry, Validators)> {
    let entry = manifest.entries.get(path)?;
    if entry.etag.is_none() && entry.last_modified.is_none() {
        return None;
    }
    if entry.url != url {
        tracing::info!(
            "{path}: stored copy came from {}; fetching it whole from {url}",
            entry.url
        );
        return None;
    }
    let file = snapshot::store_file(dir, path).ok()?;
    let stored = std::fs::read(file).ok()?;
    if stored.len() as u64 != entry.size || snapshot::sha256_hex(&stored) != entry.sha256 {
        tracing::info!("{path}: stored copy differs from the manifest; fetching it whole");
        return None;
    }
    Some((
        entry.clone(),
        Validators {
            etag: entry.etag.clone(),
            last_modified: entry.last_modified.clone(),
        },
    ))
}

/// Stores a `200` body and builds its manifest entry.
fn store_body(
    dir: &Path,
    path: &str,
    url: &str,
    bytes: &[u8],
    etag: Option<String>,
    last_modified: Option<String>,
    old: Option<&Entry>,
) -> Result<(Entry, bool)> {
    let changed = snapshot::store(dir, path, bytes)?;
    let sha256 = snapshot::sha256_hex(bytes);
    // The same body as recorded keeps its download time, even when a damaged file was repaired.
    let fetched_at = match old {
        Some(o) if o.sha256 == sha256 => o.fetched_at.clone(),
        _ => now_stamp(),
    };
    Ok((
        Entry {
            url: url.to_string(),
            status: 200,
            etag,
            last_modified,
            sha256,
            size: bytes.len() as u64,
            fetched_at,
        },
        changed,
    ))
}

/// A 304 keeps the entry; new validators, when the server sends them, replace the old ones.
fn refreshed(old: &Entry, etag: Option<String>, last_modified: Option<String>) -> Entry {
    let mut e = old.clone();
    if etag.is_some() {
        e.etag = etag;
    }
    if last_modified.is_some() {
        e.last_modified = last_modified;
    }
    e
}

/// Why a body of this kind cannot be stored (it does not parse into something sane), if so.
fn unusable(kind: Kind, path: &str, bytes: &[u8]) -> Option<String> {
    let result = match kind {
        Kind::About => {
            let acronym = path.split('/').nth(1).unwrap_or("");
            parse::about_page(&String::from_utf8_lossy(bytes), acronym).map(|_| ())
        }
        Kind::Document => parse::document_text(bytes).map(|_| ()),
    };
    result.err().map(|e| format!("not stored: {e}"))
}

async fn fetch_one(
    http: &Http,
    dir: &Path,
    path: &str,
    kind: Kind,
    manifest: &Manifest,
    budget: &std::sync::atomic::AtomicU64,
) -> Outcome {
    let url = http.url(path);
    if let Err(e) = snapshot::store_file(dir, path) {
        return Outcome::Failed(e.to_string());
    }
    let accept = match kind {
        Kind::About => ACCEPT_HTML,
        Kind::Document => ACCEPT_DOCUMENT,
    };
    let cond = validators(dir, manifest, path, &url);
    match http.get(path, accept, cond.as_ref().map(|c| &c.1)).await {
        Ok(Got::Body {
            bytes,
            etag,
            last_modified,
        }) => {
            if let Some(why) = unusable(kind, path, &bytes) {
                return Outcome::Failed(why);
            }
            let spent = budget.fetch_add(bytes.len() as u64, std::sync::atomic::Ordering::Relaxed);
            if spent + bytes.len() as u64 > MAX_MEETING_BYTES {
                return Outcome::Failed(format!(
                    "not stored: the meeting's pages exceed {} MiB in total",
                    MAX_MEETING_BYTES >> 20
                ));
            }
            let old = manifest.entries.get(path);
            match store_body(dir, path, &url, &bytes, etag, last_modified, old) {
                Ok((entry, changed)) => Outcome::Stored { entry, changed },
                Err(e) => Outcome::Failed(format!("cannot store it: {e}")),
            }
        }
        Ok(Got::NotModified {
            etag,
            last_modified,
        }) => match cond {
            Some((old, _)) => Outcome::NotModified {
                entry: refreshed(&old, etag, last_modified),
            },
            None => Outcome::Failed("304 Not Modified to an unconditional request".into()),
        },
        Err(Failure { reason, .. }) => Outcome::Failed(reason),
    }
}

/// The agenda: `agenda-data`, else (on 404) `agenda.json`. Parsed before anything is written.
async fn fetch_agenda(
    http: &Http,
    dir: &Path,
    manifest: &mut Manifest,
    report: &mut FetchReport,
    meeting: u32,
    accept_shrink: bool,
) -> Result<Agenda> {
    let paths = [
        snapshot::agenda_data_path(meeting),
        snapshot::agenda_json_path(meeting),
    ];
    // What the earlier formats answered, named in the error when the last one fails too.
    let mut tried: Vec<String> = Vec::new();
    let also = |tried: &[String]| {
        if tried.is_empty() {
            String::new()
        } else {
            format!("; also tried {}", tried.join(", "))
        }
    };
    for (i, path) in paths.iter().enumerate() {
        let url = http.url(path);
        let last = i + 1 == paths.len();
        if let Some(rule) = http.disallowed(path) {
            let why = http::disallowed_reason(&rule);
            if last {
                return Err(Error::Http {
                    url,
                    detail: format!("{why} (nothing was stored){}", also(&tried)),
                });
            }
            tracing::info!("{url}: {why}; trying the older agenda.json");
            tried.push(format!("{url} ({why})"));
            report.skipped.push((url, why));
            continue;
        }
        let cond = validators(dir, manifest, path, &url);
        let unusable = |e: Error| match e {
            Error::Parse { what, detail } => Error::Parse {
                what: format!("{what} from {url}"),
                detail: format!("{detail} (nothing was stored)"),
            },
            other => other,
        };
        match http
            .get(path, ACCEPT_JSON, cond.as_ref().map(|c| &c.1))
            .await
        {
            Ok(Got::Body {
                bytes,
                etag,
                last_modified,
            }) => {
                let agenda = parse::agenda(&bytes, meeting).map_err(unusable)?;
                if !accept_shrink {
                    check_shrink(dir, manifest, &paths, &agenda, &url)?;
                }
                let (entry, changed) = store_body(
                    dir,
                    path,
                    &url,
                    &bytes,
                    etag,
                    last_modified,
                    manifest.entries.get(path.as_str()),
                )?;
                report.ok += 1;
                if changed {
                    report.changed.push(path.clone());
                }
                manifest.entries.insert(path.clone(), entry);
                drop_stale(dir, manifest, report, &paths[..i])?;
                report.agenda = path.clone();
                return Ok(agenda);
            }
            Ok(Got::NotModified {
                etag,
                last_modified,
            }) => {
                let Some((old, _)) = cond else {
                    return Err(Error::Http {
                        url,
                        detail: "304 Not Modified to an unconditional request".into(),
                    });
                };
                let file = snapshot::store_file(dir, path)?;
                let bytes = std::fs::read(&file)
                    .map_err(|e| Error::io(format!("reading {}", file.display()), e))?;
                let agenda = parse::agenda(&bytes, meeting)?;
                report.not_modified += 1;
                manifest
                    .entries
                    .insert(path.clone(), refreshed(&old, etag, last_modified));
                drop_stale(dir, manifest, report, &paths[..i])?;
                report.agenda = path.clone();
                return Ok(agenda);
            }
            Err(f) if f.status == Some(404) && !last => {
                tracing::info!("{url}: 404, trying the older agenda.json");
                tried.push(format!("{url} ({})", f.reason));
            }
            Err(f) => {
                return Err(Error::Http {
                    url,
                    detail: format!("{} (nothing was stored){}", f.reason, also(&tried)),
                });
            }
        }
    }
    // Not reached: the last path always returns above.
    Err(Error::Http {
        url: http.url(&paths[paths.len() - 1]),
        detail: "no agenda".into(),
    })
}

/// Holds back an agenda whose schedule is empty, or less than half the one stored (either
/// format): more likely a broken answer than a real change. `--accept-shrink` lets it through.
fn check_shrink(
    dir: &Path,
    manifest: &Manifest,
    paths: &[String],
    agenda: &Agenda,
    url: &str,
) -> Result<()> {
    let meeting = agenda.meeting.number;
    let previous = paths
        .iter()
        .filter(|p| manifest.entries.contains_key(p.as_str()))
        .filter_map(|p| std::fs::read(snapshot::store_file(dir, p).ok()?).ok())
        .find_map(|b| parse::agenda(&b, meeting).ok())
        .map_or(0, |a| a.sessions.len());
    let now = agenda.sessions.len();
    let why = if now == 0 {
        Some("it lists no sessions at all".to_string())
    } else if now * 2 < previous {
        Some(format!(
            "it lists {now} sessions where the stored agenda has {previous} (it shrinks by more than half)"
        ))
    } else {
        None
    };
    match why {
        Some(why) => Err(Error::Http {
            url: url.to_string(),
            detail: format!(
                "agenda held back: {why}; the stored agenda stays (nothing was stored). If the \
                 meeting really shrank, run again with --accept-shrink"
            ),
        }),
        None => Ok(()),
    }
}

/// After a fallback, the preferred agenda formats the server no longer gives (`stale`) are
/// removed, file first, so a reader can never pick up an agenda older than the one just stored.
/// The manifest entry goes with the manifest saved at the end of the run.
fn drop_stale(
    dir: &Path,
    manifest: &mut Manifest,
    report: &mut FetchReport,
    stale: &[String],
) -> Result<()> {
    for p in stale {
        let had_file = snapshot::remove(dir, p)?;
        let had_entry = manifest.entries.remove(p).is_some();
        if had_file || had_entry {
            tracing::info!("{p}: no longer served; removed the stored copy");
            report.removed.push(p.clone());
            report.changed.push(p.clone());
        }
    }
    Ok(())
}

/// Fetches meeting `meeting` into `snapshot_dir` (created when missing). Errors only when the
/// agenda cannot be had or the options are unusable; failed about pages and documents are listed
/// in `FetchReport::failures` (see `FetchReport::partial_error`).
pub async fn fetch_meeting(
    opts: &FetchOptions,
    snapshot_dir: &Path,
    meeting: u32,
) -> Result<FetchReport> {
    opts.check()?;
    let started = Instant::now();
    let mut http = Http::new(opts)?;
    let robots = http.load_robots().await;
    let http = Arc::new(http);
    let old_manifest = match Manifest::load(snapshot_dir) {
        Ok(m) => m,
        Err(e) => {
            tracing::warn!("{e}; starting a new manifest (stored files are kept)");
            Manifest::new()
        }
    };
    let mut manifest = old_manifest.clone();
    let mut report = FetchReport {
        meeting,
        base_url: opts.base_url.clone(),
        robots,
        ..FetchReport::default()
    };

    if let Some(link) = snapshot::find_symlink(snapshot_dir) {
        return Err(snapshot::symlink_refusal(&link));
    }
    let agenda = match fetch_agenda(
        &http,
        snapshot_dir,
        &mut manifest,
        &mut report,
        meeting,
        opts.accept_shrink,
    )
    .await
    {
        Ok(a) => a,
        Err(e) => return Err(stopped(&http, opts, e)),
    };
    report.sessions = agenda.sessions.len();

    // What to fetch, each URL path once, in a stable order.
    let mut targets: BTreeMap<String, Kind> = BTreeMap::new();
    let groups: BTreeSet<&str> = agenda.sessions.iter().map(|s| s.group.as_str()).collect();
    for g in groups {
        match snapshot::about_path(g) {
            Ok(p) => match http.disallowed(&p) {
                Some(rule) => report
                    .skipped
                    .push((http.url(&p), http::disallowed_reason(&rule))),
                None => {
                    targets.insert(p, Kind::About);
                }
            },
            Err(e) => report.skipped.push((format!("group {g:?}"), e.to_string())),
        }
    }
    report.about_pages = targets.len();
    let mut links = BTreeSet::new();
    for s in &agenda.sessions {
        if let Some(u) = &s.agenda_url {
            links.insert(u.as_str());
        }
    }
    for link in links {
        match map_link(link, &opts.base_url) {
            Link::Path(p) if !is_materials_path(&p) => report
                .skipped
                .push((link.to_string(), "not a meeting materials path".into())),
            Link::Path(p) => match snapshot::store_file(snapshot_dir, &p) {
                Ok(_) => match http.disallowed(&p) {
                    Some(rule) => report
                        .skipped
                        .push((link.to_string(), http::disallowed_reason(&rule))),
                    None => {
                        targets.entry(p).or_insert(Kind::Document);
                    }
                },
                Err(e) => report.skipped.push((link.to_string(), e.to_string())),
            },
            Link::Foreign(h) => report
                .skipped
                .push((link.to_string(), format!("{h} is not the datatracker"))),
            Link::Invalid => report
                .skipped
                .push((link.to_string(), "not an http(s) link".into())),
        }
    }
    report.documents = targets.values().filter(|k| **k == Kind::Document).count();
    for (what, why) in &report.skipped {
        tracing::warn!("skipped {what}: {why}");
    }
    // At the pace robots.txt asks for, would the pages fit in the time left? If not, say so
    // now rather than be killed half-way (by the deadline, or by systemd's own timeout).
    if let Some(left) = http.time_left() {
        let need = http
            .interval()
            .saturating_mul(u32::try_from(targets.len()).unwrap_or(u32::MAX));
        if need > left {
            report.manifest_written = manifest.save(snapshot_dir)?;
            let (url, who) = if http.paced_by_robots() {
                (http.url("robots.txt"), "it asks for")
            } else {
                (opts.base_url.clone(), "--rate allows one request per")
            };
            return Err(Error::Http {
                url,
                detail: format!(
                    "{who} {} between requests: the {} pages of meeting {meeting} would \
                     take {}, more than the {} left of the run's time limit (--max-time); \
                     stopped before them (the agenda was stored, the pages' previous copies \
                     are kept)",
                    human_duration(http.interval()),
                    targets.len(),
                    human_duration(need),
                    human_duration(left),
                ),
            });
        }
    }

    let bar = if opts.progress {
        let b = indicatif::ProgressBar::with_draw_target(
            Some(targets.len() as u64),
            indicatif::ProgressDrawTarget::stderr(),
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} meeting {msg} [{bar:30}] {pos}/{len} ({elapsed})",
        ) {
            b.set_style(style.progress_chars("=> "));
        }
        b.set_message(meeting.to_string());
        b
    } else {
        indicatif::ProgressBar::hidden()
    };

    let limit = Arc::new(tokio::sync::Semaphore::new(opts.concurrency));
    let shared_manifest = Arc::new(manifest.clone());
    let dir: Arc<Path> = Arc::from(snapshot_dir);
    let budget = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for (path, kind) in &targets {
        let (http, limit, m, dir, budget) = (
            http.clone(),
            limit.clone(),
            shared_manifest.clone(),
            dir.clone(),
            budget.clone(),
        );
        let (path, kind) = (path.clone(), *kind);
        tasks.spawn(async move {
            let _permit = limit.acquire_owned().await;
            let outcome = fetch_one(&http, &dir, &path, kind, &m, &budget).await;
            (path, kind, outcome)
        });
    }
    let mut results = Vec::with_capacity(targets.len());
    while let Some(joined) = tasks.join_next().await {
        bar.inc(1);
        match joined {
            Ok(r) => results.push(r),
            Err(e) => {
                return Err(Error::io(
                    "a download task failed",
                    std::io::Error::other(e),
                ));
            }
        }
    }
    bar.finish_and_clear();
    results.sort_by(|a, b| a.0.cmp(&b.0));

    for (path, kind, outcome) in results {
        let good = match outcome {
            Outcome::Stored { entry, changed } => {
                report.ok += 1;
                if changed {
                    report.changed.push(path.clone());
                }
                manifest.entries.insert(path, entry);
                true
            }
            Outcome::NotModified { entry } => {
                report.not_modified += 1;
                manifest.entries.insert(path, entry);
                true
            }
            Outcome::Failed(reason) => {
                report.failures.push((http.url(&path), reason));
                false
            }
        };
        if good {
            match kind {
                Kind::About => report.about_pages_ok += 1,
                Kind::Document => report.documents_ok += 1,
            }
        }
    }

    report.manifest_written = manifest.save(snapshot_dir)?;
    report.requests = http.requests();
    report.bytes = http.bytes();
    report.elapsed = started.elapsed();
    if http.tripped() || http.out_of_time() {
        let why = if http.tripped() {
            format!(
                "the server stopped answering ({} requests in a row got no response)",
                http::BREAKER_LIMIT
            )
        } else {
            "the run's time limit (--max-time) was reached".to_string()
        };
        return Err(Error::Http {
            url: opts.base_url.clone(),
            detail: format!(
                "{why}; stopped early: {} of {} pages were not fetched. Every page keeps its \
                 previously stored copy",
                report.failures.len(),
                targets.len()
            ),
        });
    }
    Ok(report)
}

/// The error for a run that stopped at the agenda: a tripped breaker or the deadline say so.
fn stopped(http: &Http, opts: &FetchOptions, e: Error) -> Error {
    if http.tripped() {
        Error::Http {
            url: opts.base_url.clone(),
            detail: format!("the server stopped answering; nothing was changed ({e})"),
        }
    } else if http.out_of_time() {
        Error::Http {
            url: opts.base_url.clone(),
            detail: format!(
                "the run's time limit (--max-time) was reached; nothing was changed ({e})"
            ),
        }
    } else {
        e
    }
}

/// `1.5 s`, `12 min`, `3.2 h`, `forever` for a readable budget message.
fn human_duration(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1e9 {
        "practically forever".into()
    } else if s >= 3600.0 {
        format!("{:.1} h", s / 3600.0)
    } else if s >= 120.0 {
        format!("{:.0} min", s / 60.0)
    } else {
        format!("{s:.1} s")
    }
}

/// The number of the next IETF meeting (or the one under way): the lowest numeric meeting in
/// `/meeting/upcoming.json`, else (that URL failing or listing no IETF meeting) the first
/// `type=ietf` meeting from a week ago on in the Tastypie meeting list.
pub async fn upcoming_meeting(opts: &FetchOptions) -> Result<u32> {
    opts.check()?;
    let mut http = Http::new(opts)?;
    http.load_robots().await;
    let since = (crate::clock::now() - chrono::Duration::days(7)).format("%Y-%m-%d");
    let list = format!(
        "api/v1/meeting/meeting/?type=ietf&date__gte={since}&order_by=date&limit=1&format=json"
    );
    // Each source in turn; the error names every URL tried and what it answered.
    type Pick = fn(&serde_json::Value) -> Option<u32>;
    let sources: [(&str, Pick); 2] = [
        ("meeting/upcoming.json", lowest_meeting),
        (&list, |v| lowest_meeting(v.get("objects")?)),
    ];
    let mut tried = Vec::new();
    for (path, pick) in sources {
        let url = http.url(path);
        let why = match http.get(path, ACCEPT_JSON, None).await {
            Ok(Got::Body { bytes, .. }) => {
                match serde_json::from_slice::<serde_json::Value>(&bytes) {
                    Ok(v) => match pick(&v) {
                        Some(n) => return Ok(n),
                        None => "no upcoming IETF meeting listed".to_string(),
                    },
                    Err(e) => format!("not JSON: {e}"),
                }
            }
            Ok(Got::NotModified { .. }) => "unexpected 304".to_string(),
            Err(f) => f.reason,
        };
        tracing::info!("{url}: {why}");
        tried.push(format!("{url}: {why}"));
    }
    Err(Error::Http {
        url: "the datatracker's meeting lists".into(),
        detail: format!(
            "the upcoming meeting could not be found (tried {})",
            tried.join("; then ")
        ),
    })
}

/// Lowest numeric meeting number in `{"121": {...}, ...}` or `[{"number": "121"}, ...]`;
/// interim meetings (`interim-2024-quic-01`) are not numeric and are ignored.
fn lowest_meeting(v: &serde_json::Value) -> Option<u32> {
    let numbers: Vec<u32> = match v {
        serde_json::Value::Object(m) => m.keys().filter_map(|k| k.parse().ok()).collect(),
        serde_json::Value::Array(a) => a
            .iter()
            .filter_map(|o| match o.get("number")? {
                serde_json::Value::String(s) => s.parse().ok(),
                serde_json::Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    numbers.into_iter().min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_map_onto_the_base_url() {
        let base = "http://127.0.0.1:8765";
        assert_eq!(
            map_link(
                "https://datatracker.ietf.org/meeting/121/materials/agenda-121-quic",
                base
            ),
            Link::Path("meeting/121/materials/agenda-121-quic".into())
        );
        assert_eq!(
            map_link(
                "http://datatracker.ietf.org/meeting/1/materials/a?x=1",
                base
            ),
            Link::Path("meeting/1/materials/a".into())
        );
        assert_eq!(
            map_link("/meeting/121/materials/agenda-121-quic", base),
            Link::Path("meeting/121/materials/agenda-121-quic".into())
        );
        assert_eq!(
            map_link("http://127.0.0.1:8765/meeting/121/materials/x", base),
            Link::Path("meeting/121/materials/x".into())
        );
        assert_eq!(
            map_link(
                "http://127.0.0.1:8765/mirror/meeting/1/materials/x",
                "http://127.0.0.1:8765/mirror/"
            ),
            Link::Path("meeting/1/materials/x".into())
        );
        assert_eq!(
            map_link("https://www.ietf.org/proceedings/121/agenda/a.md", base),
            Link::Foreign("www.ietf.org".into())
        );
        assert_eq!(
            map_link("ftp://datatracker.ietf.org/x", base),
            Link::Invalid
        );
        assert_eq!(map_link("not a url", base), Link::Invalid);
        // `..` is resolved by URL parsing, so it can never climb out of the path.
        assert_eq!(
            map_link(
                "https://datatracker.ietf.org/meeting/../../../etc/passwd",
                base
            ),
            Link::Path("etc/passwd".into())
        );
    }

    #[test]
    fn only_materials_paths_are_documents() {
        assert!(is_materials_path("meeting/121/materials/agenda-121-quic"));
        assert!(!is_materials_path("meeting/121/agenda.json"));
        assert!(!is_materials_path("api/meeting/121/agenda-data"));
        assert!(!is_materials_path("manifest.json"));
        assert!(!is_materials_path("meeting/121/materials/"));
    }

    #[test]
    fn upcoming_meeting_from_either_shape() {
        let v: serde_json::Value = serde_json::from_str(
            r#"{"interim-2026-quic-01": {"date": "2026-01-02"}, "126": {"date": "2026-07-18"}, "125": {"date": "2026-03-14"}}"#,
        )
        .unwrap();
        assert_eq!(lowest_meeting(&v), Some(125));
        let v: serde_json::Value =
            serde_json::from_str(r#"[{"number": "124"}, {"number": 123}]"#).unwrap();
        assert_eq!(lowest_meeting(&v), Some(123));
        assert_eq!(lowest_meeting(&serde_json::json!({})), None);
    }
}
