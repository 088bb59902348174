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

mod agenda;
mod http;
mod options;
mod report;
pub mod robots;
mod store;
mod targets;

pub use options::{FetchOptions, user_agent};
pub use report::FetchReport;
pub use targets::{Link, map_link};

use agenda::fetch_agenda;
use report::human_duration;
use store::{Kind, Outcome, fetch_one};
pub(crate) use targets::is_materials_path;

use crate::snapshot::{self, Manifest};
use crate::{Error, Result};
use http::{ACCEPT_JSON, Got, Http};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

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

/// Fetches meeting `meeting` into `snapshot_dir` (created when missing). Errors only when the
/// agenda cannot be had or the options are unusable; failed about pages and documents are listed
/// in `FetchReport::failures` (see `FetchReport::partial_error`).
/// Stays whole: the fetch's steps in order (robots, agenda, pages, documents, manifest).
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

    let targets = targets::collect(&agenda, &http, &opts.base_url, snapshot_dir, &mut report);
    report.documents = targets.values().filter(|k| **k == Kind::Document).count();
    for (what, why) in &report.skipped {
        tracing::warn!("skipped {what}: {why}");
    }
    if let Err(e) = check_pace(&http, &opts.base_url, targets.len(), meeting) {
        report.manifest_written = manifest.save(snapshot_dir)?;
        return Err(e);
    }

    let results = download(&http, opts, meeting, &targets, &manifest, snapshot_dir).await?;

    record(results, &http, &mut manifest, &mut report);
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

/// Downloads every target, at most `opts.concurrency` at a time (the client's rate limit and
/// retries apply to each), with a progress bar when asked; results sorted by path.
async fn download(
    http: &Arc<Http>,
    opts: &FetchOptions,
    meeting: u32,
    targets: &BTreeMap<String, Kind>,
    manifest: &Manifest,
    snapshot_dir: &Path,
) -> Result<Vec<(String, Kind, Outcome)>> {
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
    for (path, kind) in targets {
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
    Ok(results)
}

/// Enters each download's outcome in the manifest and the report.
fn record(
    results: Vec<(String, Kind, Outcome)>,
    http: &Http,
    manifest: &mut Manifest,
    report: &mut FetchReport,
) {
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
}

/// At the pace robots.txt (or `--rate`) asks for, would `pages` requests fit in the run's time left? If
/// not, say so now rather than be killed half-way (by the deadline, or by systemd's timeout).
fn check_pace(http: &Http, base_url: &str, pages: usize, meeting: u32) -> Result<()> {
    if let Some(left) = http.time_left() {
        let need = http
            .interval()
            .saturating_mul(u32::try_from(pages).unwrap_or(u32::MAX));
        if need > left {
            let (url, who) = if http.paced_by_robots() {
                (http.url("robots.txt"), "it asks for")
            } else {
                (base_url.to_string(), "--rate allows one request per")
            };
            return Err(Error::Http {
                url,
                detail: format!(
                    "{who} {} between requests: the {} pages of meeting {meeting} would \
                     take {}, more than the {} left of the run's time limit (--max-time); \
                     stopped before them (the agenda was stored, the pages' previous copies \
                     are kept)",
                    human_duration(http.interval()),
                    pages,
                    human_duration(need),
                    human_duration(left),
                ),
            });
        }
    }
    Ok(())
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
