//! The refresh report: what was fetched, whether the index was swapped, what changed for readers,
//! and whom to tell. Serialized as the `--format json` contract; rendered as text for cron mail.

use super::diff::{Changes, Item, SessionChange, SessionView};
use crate::error::exit;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// How the run ended, mirrored by the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Nothing fetched had changed and the index was current: nothing was rewritten.
    NoChange,
    /// New data is in service.
    Changed,
    /// Some downloads failed (whatever did arrive is in service), or the new data is in service
    /// but could not be recorded for the next report.
    Partial,
}

impl Outcome {
    pub fn exit_code(self) -> u8 {
        match self {
            Self::NoChange => exit::OK,
            Self::Changed => exit::CHANGED,
            Self::Partial => exit::PARTIAL,
        }
    }
}

/// What the fetch stage did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FetchSummary {
    /// URLs requested (conditional requests included).
    pub requests: usize,
    /// Answered `304 Not Modified` (or identical bodies): nothing written for them.
    pub not_modified: usize,
    /// URL paths whose stored body changed.
    pub changed: Vec<String>,
    pub failed: Vec<Failure>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    pub url: String,
    pub reason: String,
}

/// The changes that concern one official (from `--profiles`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficialNotice {
    pub name: String,
    pub changes: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub meeting: u32,
    pub outcome: Outcome,
    pub exit_code: u8,
    /// No earlier state of this meeting to compare with: the change lists are empty.
    pub first_refresh: bool,
    pub fetch: FetchSummary,
    /// The changes were found although this run's fetch changed no file: an earlier refresh
    /// stored the files but did not finish (killed, or its report could not be written). The
    /// fetch counts compare with the snapshot, the changes with the last reported state.
    #[serde(default)]
    pub stored_by_earlier_run: bool,
    /// A new index generation was built and swapped in.
    pub index_rebuilt: bool,
    /// Sessions on the agenda now in service.
    pub sessions: usize,
    pub changes: Changes,
    /// Present with `--profiles`: every official, with the changes that touch their itinerary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub officials: Option<Vec<OfficialNotice>>,
    /// What went wrong without stopping the refresh (besides failed downloads).
    #[serde(default)]
    pub problems: Vec<String>,
    /// The meeting's IANA zone, for the text report's times (serialised as its name).
    pub timezone: Tz,
}

impl Report {
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("report serializes") + "\n"
    }

    pub fn to_text(&self) -> String {
        let tz = self.timezone;
        let mut o = String::new();
        let f = &self.fetch;
        let headline = match self.outcome {
            Outcome::NoChange => "no change".to_string(),
            Outcome::Changed => "changes applied".to_string(),
            Outcome::Partial => format!(
                "partial failure ({} downloads failed, {} other problems)",
                f.failed.len(),
                self.problems.len()
            ),
        };
        let _ = writeln!(o, "IETF {}: {headline}", self.meeting);
        let _ = writeln!(
            o,
            "fetch: {} requests, {} not modified, {} changed, {} failed",
            f.requests,
            f.not_modified,
            f.changed.len(),
            f.failed.len()
        );
        let _ = writeln!(
            o,
            "index: {}; {} sessions in service",
            if self.index_rebuilt {
                "rebuilt and swapped in"
            } else if self.outcome == Outcome::NoChange {
                "current, nothing rewritten"
            } else {
                "unchanged"
            },
            self.sessions
        );
        if self.stored_by_earlier_run {
            let _ = writeln!(
                o,
                "note: the files had already been stored by an earlier refresh that did not finish; \
                 the changes below compare the data now in service with the last reported state"
            );
        }
        for x in &f.failed {
            let _ = writeln!(o, "failed: {} ({})", x.url, x.reason);
        }
        for p in &self.problems {
            let _ = writeln!(o, "problem: {p}");
        }
        let c = &self.changes;
        if self.first_refresh {
            let _ = writeln!(
                o,
                "\nfirst refresh of this meeting: nothing to compare with"
            );
        } else if c.is_empty() {
            let _ = writeln!(o, "\nno session, charter or agenda changes");
        }
        section(&mut o, "Added", &c.added, |s| one(s, tz));
        section(&mut o, "Removed", &c.removed, |s| one(s, tz));
        section(&mut o, "Moved", &c.moved, |x| {
            format!(
                "{} -> {}",
                one(&x.before, tz),
                slot(&x.after, tz, Some(&x.before))
            )
        });
        let status = |x: &SessionChange| {
            format!(
                "{} ({} -> {})",
                one(&x.after, tz),
                x.before.status.slug(),
                x.after.status.slug()
            )
        };
        section(&mut o, "Cancelled", &c.cancelled, status);
        section(&mut o, "Rescheduled", &c.rescheduled, status);
        section(&mut o, "Status changed", &c.status_changed, status);
        section(&mut o, "Charter changed", &c.charters_changed, |a| {
            a.clone()
        });
        section(&mut o, "Agenda posted or edited", &c.agendas_changed, |a| {
            a.clone()
        });
        if let Some(officials) = &self.officials {
            let _ = writeln!(o, "\nOfficials to tell:");
            if officials.is_empty() {
                let _ = writeln!(o, "  (no officials in the profiles file)");
            }
            for n in officials {
                let what = if n.changes.is_empty() {
                    "nothing".to_string()
                } else {
                    n.changes
                        .iter()
                        .map(|i| format!("{} {}", i.group, i.kind.label()))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let _ = writeln!(o, "  {}: {what}", n.name);
            }
        }
        o
    }
}

fn section<T>(o: &mut String, title: &str, items: &[T], line: impl Fn(&T) -> String) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n{title} ({}):", items.len());
    for it in items {
        let _ = writeln!(o, "  {}", line(it));
    }
}

/// `quic  Wed 2024-11-06 09:30-11:30  Liffey A`
fn one(s: &SessionView, tz: Tz) -> String {
    format!("{:<10} {}", s.group, slot(s, tz, None))
}

/// A session's day, time and room in the meeting's zone; the day is left out when it equals
/// `same_day_as`'s, so a move within a day reads short.
fn slot(s: &SessionView, tz: Tz, same_day_as: Option<&SessionView>) -> String {
    let local = |t: DateTime<Utc>| t.with_timezone(&tz);
    let (a, b) = (local(s.start), local(s.end));
    let day = match same_day_as {
        Some(o) if local(o.start).date_naive() == a.date_naive() => String::new(),
        _ => a.format("%a %Y-%m-%d ").to_string(),
    };
    format!(
        "{day}{}-{} {}",
        a.format("%H:%M"),
        b.format("%H:%M"),
        s.room.as_deref().unwrap_or("(no room)")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SessionStatus;
    use crate::refresh::diff::Kind;
    use chrono::TimeZone;

    fn view(group: &str, h: u32, room: &str, status: SessionStatus) -> SessionView {
        SessionView {
            id: format!("121-{group}-1"),
            session_id: None,
            group: group.into(),
            name: group.into(),
            start: Utc.with_ymd_and_hms(2024, 11, 6, h, 30, 0).unwrap(),
            end: Utc.with_ymd_and_hms(2024, 11, 6, h + 2, 0, 0).unwrap(),
            room: Some(room.into()),
            status,
        }
    }

    #[test]
    fn text_report_names_each_change_in_local_time() {
        let before = view("quic", 9, "Liffey A", SessionStatus::Scheduled);
        let after = view("quic", 13, "Liffey B", SessionStatus::Scheduled);
        let r = Report {
            meeting: 121,
            outcome: Outcome::Changed,
            exit_code: 10,
            first_refresh: false,
            stored_by_earlier_run: false,
            fetch: FetchSummary {
                requests: 5,
                not_modified: 4,
                changed: vec!["api/meeting/121/agenda-data".into()],
                failed: vec![],
            },
            index_rebuilt: true,
            sessions: 2,
            changes: Changes {
                moved: vec![SessionChange {
                    before: before.clone(),
                    after,
                }],
                charters_changed: vec!["tls".into()],
                ..Changes::default()
            },
            officials: Some(vec![OfficialNotice {
                name: "A. Minister".into(),
                changes: vec![Item {
                    kind: Kind::Moved,
                    group: "quic".into(),
                    session: Some("121-quic-1".into()),
                }],
            }]),
            problems: vec![],
            timezone: chrono_tz::Europe::Dublin,
        };
        let text = r.to_text();
        assert!(text.starts_with("IETF 121: changes applied\n"), "{text}");
        assert!(
            text.contains("quic       Wed 2024-11-06 09:30-11:00 Liffey A -> 13:30-15:00 Liffey B"),
            "{text}"
        );
        assert!(text.contains("Charter changed (1):\n  tls\n"), "{text}");
        assert!(text.contains("A. Minister: quic moved"), "{text}");
        let back: Report = serde_json::from_str(&r.to_json()).unwrap();
        assert_eq!(back, r);
    }
}
