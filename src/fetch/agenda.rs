//! The meeting's agenda: `agenda-data`, else `agenda.json`, parsed and checked before anything
//! is written, with the shrink guard and the removal of a format the server no longer gives.

use super::http::{self, ACCEPT_JSON, Got, Http};
use super::report::FetchReport;
use super::store::{refreshed, store_body, validators};
use crate::model::Agenda;
use crate::snapshot::{self, Manifest};
use crate::{Error, Result, parse};
use std::path::Path;

/// The agenda: `agenda-data`, else (on 404) `agenda.json`. Parsed before anything is written.
/// Stays whole: one conditional request, its fallback and the sanity checks before storing.
pub(super) async fn fetch_agenda(
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
pub(super) fn check_shrink(
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
pub(super) fn drop_stale(
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
