//! Where the links found in the data point, and which of them wgrec may download.

use super::DATATRACKER_HOST;
use super::http::{self, Http};
use super::report::FetchReport;
use super::store::Kind;
use crate::model::Agenda;
use crate::snapshot;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

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

/// What to fetch for `agenda`, each URL path once, in a stable order: every group's about page
/// and every agenda document the data links to. What is refused (robots.txt, unsafe names, other
/// hosts, paths that are not meeting materials) goes to `report.skipped` with the reason.
pub(super) fn collect(
    agenda: &Agenda,
    http: &Http,
    base_url: &str,
    snapshot_dir: &Path,
    report: &mut FetchReport,
) -> BTreeMap<String, Kind> {
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
        match map_link(link, base_url) {
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
    targets
}
