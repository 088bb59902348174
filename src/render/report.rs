//! Text forms of the run reports: `wgrec fetch`'s summary, `wgrec refresh`'s cron-mail report
//! and `wgrec eval`'s table. The data types stay with their stages (`fetch::FetchReport`,
//! `refresh::report::Report`, `eval::Report`); this module only formats them.

use crate::eval::Report as EvalReport;
use crate::fetch::FetchReport;
use crate::refresh::diff::{SessionChange, SessionView};
use crate::refresh::report::{OfficialNotice, Outcome, Report};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::fmt::Write;

/// `wgrec fetch`'s text summary: three lines, no final line break.
pub fn fetch(r: &FetchReport) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "meeting {}: {} sessions; agenda {}; {}/{} about pages; {}/{} agenda documents",
        r.meeting,
        r.sessions,
        r.agenda,
        r.about_pages_ok,
        r.about_pages,
        r.documents_ok,
        r.documents
    );
    let _ = write!(
        o,
        "{} requests: {} ok (200), {} not modified (304), {} errors; {} skipped; \
         {} received in {:.1} s; {} files changed",
        r.requests,
        r.ok,
        r.not_modified,
        r.failures.len(),
        r.skipped.len(),
        human_bytes(r.bytes),
        r.elapsed.as_secs_f64(),
        r.changed.len()
    );
    let _ = write!(o, "\nrobots.txt: {}", r.robots);
    o
}

fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 20 => format!("{:.1} MiB", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.1} KiB", n as f64 / 1024.0),
        n => format!("{n} bytes"),
    }
}

/// `wgrec refresh`'s text report, for cron mail: the outcome, fetch and index lines, problems,
/// then each kind of change with times in the meeting's zone, then whom to tell.
pub fn refresh(r: &Report) -> String {
    let mut o = String::new();
    let f = &r.fetch;
    let headline = match r.outcome {
        Outcome::NoChange => "no change".to_string(),
        Outcome::Changed => "changes applied".to_string(),
        Outcome::Partial => format!(
            "partial failure ({} downloads failed, {} other problems)",
            f.failed.len(),
            r.problems.len()
        ),
    };
    let _ = writeln!(o, "IETF {}: {headline}", r.meeting);
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
        if r.index_rebuilt {
            "rebuilt and swapped in"
        } else if r.outcome == Outcome::NoChange {
            "current, nothing rewritten"
        } else {
            "unchanged"
        },
        r.sessions
    );
    if r.stored_by_earlier_run {
        let _ = writeln!(
            o,
            "note: the files had already been stored by an earlier refresh that did not finish; \
             the changes below compare the data now in service with the last reported state"
        );
    }
    for x in &f.failed {
        let _ = writeln!(o, "failed: {} ({})", x.url, x.reason);
    }
    for p in &r.problems {
        let _ = writeln!(o, "problem: {p}");
    }
    changes(&mut o, r);
    if let Some(officials) = &r.officials {
        to_tell(&mut o, officials);
    }
    o
}

/// The change lists, one section per kind, times in the meeting's zone.
fn changes(o: &mut String, r: &Report) {
    let (c, tz) = (&r.changes, r.timezone);
    if r.first_refresh {
        let _ = writeln!(
            o,
            "\nfirst refresh of this meeting: nothing to compare with"
        );
    } else if c.is_empty() {
        let _ = writeln!(o, "\nno session, charter or agenda changes");
    }
    section(o, "Added", &c.added, |s| one(s, tz));
    section(o, "Removed", &c.removed, |s| one(s, tz));
    section(o, "Moved", &c.moved, |x| {
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
    section(o, "Cancelled", &c.cancelled, status);
    section(o, "Rescheduled", &c.rescheduled, status);
    section(o, "Status changed", &c.status_changed, status);
    section(o, "Charter changed", &c.charters_changed, |a| a.clone());
    section(o, "Agenda posted or edited", &c.agendas_changed, |a| {
        a.clone()
    });
}

/// Each official (`--profiles`) with the changes that concern them.
fn to_tell(o: &mut String, officials: &[OfficialNotice]) {
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

/// The report as a Markdown table (readable as plain text too).
pub fn eval(r: &EvalReport) -> String {
    let k = r.k;
    let mut s = format!(
        "| judgement | query | rel | wgrec R@{k} | nDCG@{k} | MRR | bm25 R@{k} | nDCG@{k} | MRR |\n|---|---|---|---|---|---|---|---|---|\n"
    );
    for row in &r.rows {
        s.push_str(&format!(
            "| {} | {} | {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |\n",
            row.id,
            row.query,
            row.relevant,
            row.wgrec.recall,
            row.wgrec.ndcg + 0.0,
            row.wgrec.mrr,
            row.bm25.recall,
            row.bm25.ndcg + 0.0,
            row.bm25.mrr
        ));
    }
    s.push_str(&format!(
        "| **overall** ({} judgements) | | | **{:.3}** | **{:.3}** | **{:.3}** | {:.3} | {:.3} | {:.3} |\n",
        r.rows.len(),
        r.wgrec.recall,
        r.wgrec.ndcg,
        r.wgrec.mrr,
        r.bm25.recall,
        r.bm25.ndcg,
        r.bm25.mrr
    ));
    if !r.rows.is_empty() {
        s.push_str(&format!(
            "\nStrong tier: {:.3} of the strong results in the top {k} are judged relevant \
             (mean over {} judgements; {} with no strong result in the top {k}).\n",
            r.strong_precision,
            r.rows.len() - r.strong_empty,
            r.strong_empty
        ));
    }
    if let Some(g) = &r.graded {
        s.push_str(&format!(
            "\nGraded judgements, {} lists:\n\n| tier | P@5 | R2@10 | graded nDCG@10 | false@5 | empty lists | unjudged in top 10 |\n|---|---|---|---|---|---|---|\n",
            g.strong.lists
        ));
        for (name, p) in [("strong", &g.strong), ("all results", &g.all)] {
            s.push_str(&format!(
                "| {name} | {:.3} | {:.3} | {:.3} | {} | {} | {} |\n",
                p.p5, p.r2_10, p.ndcg10, p.false5, p.empty, p.unjudged10
            ));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SessionStatus;
    use crate::refresh::diff::{Changes, Item, Kind};
    use crate::refresh::report::FetchSummary;
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
        let text = refresh(&r);
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
