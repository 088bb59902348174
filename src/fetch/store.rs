//! One page: a conditional request, the checks a body must pass, and the atomic store that
//! keeps the previous file whenever anything is wrong.

use super::MAX_MEETING_BYTES;
use super::http::{ACCEPT_DOCUMENT, ACCEPT_HTML, Failure, Got, Http, Validators};
use crate::snapshot::{self, Entry, Manifest};
use crate::{Result, parse};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    About,
    Document,
}

#[derive(Debug)]
pub(super) enum Outcome {
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

pub(super) fn now_stamp() -> String {
    crate::clock::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Validators for a conditional request: only when the entry has some, was fetched from `url`
/// itself (another server's ETag or date means nothing to this one, e.g. after switching
/// mirrors), and the stored file is exactly what the entry records (a missing or altered file is
/// downloaded again).
pub(super) fn validators(
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
pub(super) fn store_body(
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
pub(super) fn refreshed(old: &Entry, etag: Option<String>, last_modified: Option<String>) -> Entry {
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
pub(super) fn unusable(kind: Kind, path: &str, bytes: &[u8]) -> Option<String> {
    let result = match kind {
        Kind::About => {
            let acronym = path.split('/').nth(1).unwrap_or("");
            parse::about_page(&String::from_utf8_lossy(bytes), acronym).map(|_| ())
        }
        Kind::Document => parse::document_text(bytes).map(|_| ()),
    };
    result.err().map(|e| format!("not stored: {e}"))
}

pub(super) async fn fetch_one(
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
