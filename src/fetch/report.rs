//! What one fetch did: the `--format json` summary (its text form: `render::report::fetch`).

use crate::Error;
use serde::Serialize;
use std::time::Duration;

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

/// `1.5 s`, `12 min`, `3.2 h`, `forever` for a readable budget message.
pub(super) fn human_duration(d: Duration) -> String {
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
