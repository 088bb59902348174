//! Itineraries as Markdown (the document staff send), JSON (the documented contract) and a
//! plain table for the terminal, plus the index page of a profiles run.

use super::{interests_by_strength, md_escape, md_keep_bold};
use crate::model::Strength;
use crate::plan::{Candidate, Itinerary, Slot};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use std::fmt::Write;

/// What the renderers need besides the plan itself.
#[derive(Debug, Clone)]
pub struct View<'a> {
    /// The official's name, for the title.
    pub name: Option<&'a str>,
    pub interests: &'a [String],
    /// The meeting's city, when known.
    pub city: Option<&'a str>,
    /// Zone the times are shown in (the meeting's unless `--tz`).
    pub display_tz: Tz,
    /// "Generated" time (from `crate::clock::now()`).
    pub generated: DateTime<Utc>,
}

/// `09:30–11:30`, with the date added when the shown zone puts the start on another day than
/// the meeting's calendar does (`03:00–04:30 (Thu 10 Nov)`), and the end's date when the
/// session runs past midnight in the shown zone (`23:30–01:30 (ends Thu 10 Nov)`).
fn span(c: &Candidate, it: &Itinerary, v: &View) -> String {
    let s = c.session.start.with_timezone(&v.display_tz);
    let e = c.session.end.with_timezone(&v.display_tz);
    let meeting_day = c.session.start.with_timezone(&it.timezone).date_naive();
    let mut out = format!("{}–{}", s.format("%H:%M"), e.format("%H:%M"));
    let mut days = Vec::new();
    if s.date_naive() != meeting_day {
        days.push(s.format("%a %-d %b").to_string());
    }
    if e.date_naive() != s.date_naive() {
        days.push(format!("ends {}", e.format("%a %-d %b")));
    }
    if !days.is_empty() {
        let _ = write!(out, " ({})", days.join(", "));
    }
    out
}

/// Zone name plus its abbreviation during the meeting, e.g. `Europe/London (GMT)`.
fn zone_label(tz: Tz, at: DateTime<Utc>) -> String {
    let abbr = at.with_timezone(&tz).format("%Z").to_string();
    if abbr.is_empty() || abbr == tz.name() {
        tz.name().to_string()
    } else {
        format!("{} ({abbr})", tz.name())
    }
}

fn first_time(it: &Itinerary) -> Option<DateTime<Utc>> {
    it.slots().map(|s| s.chosen.session.start).min()
}

fn zone_sentence(it: &Itinerary, v: &View) -> String {
    let at = first_time(it).unwrap_or(v.generated);
    let meeting = it.timezone;
    if v.display_tz == meeting {
        format!(
            "Times are in {}, the meeting's local time.",
            zone_label(meeting, at)
        )
    } else {
        format!(
            "Times are in {}; the meeting itself runs on {}.",
            zone_label(v.display_tz, at),
            zone_label(meeting, at)
        )
    }
}

fn title(it: &Itinerary, v: &View) -> String {
    match v.name {
        Some(n) => format!("IETF {} itinerary for {}", it.meeting, md_escape(n)),
        None => format!("IETF {} itinerary", it.meeting),
    }
}

/// The group as people know it: full name, then the acronym (and BoF).
fn group_label(c: &Candidate) -> String {
    let mut s = md_escape(&super::list::group_title(&c.group_name, &c.group));
    if c.is_bof {
        s.push_str(" [BoF]");
    }
    s
}

/// The chosen days for the intro: `Tuesday 8 November 2022. `, a range
/// (`Monday 7 November to Wednesday 9 November 2022. `) when the days run on without a gap, else
/// a list (`Tuesday 8 November and Thursday 10 November 2022. `).
fn days_phrase(it: &Itinerary) -> String {
    let days: Vec<chrono::NaiveDate> = it.days.iter().map(|d| d.date).collect();
    let (Some(a), Some(b)) = (days.first(), days.last()) else {
        return String::new();
    };
    let contiguous = days.windows(2).all(|w| w[0].succ_opt() == Some(w[1]));
    let long = |d: &chrono::NaiveDate| d.format("%A %-d %B").to_string();
    if a == b {
        format!("{}. ", a.format("%A %-d %B %Y"))
    } else if contiguous {
        format!("{} to {} {}. ", long(a), long(b), b.format("%Y"))
    } else {
        let head: Vec<String> = days[..days.len() - 1].iter().map(long).collect();
        format!("{} and {} {}. ", head.join(", "), long(b), b.format("%Y"))
    }
}

/// "strong match for privacy", "strong match for privacy; possible match for AI", "possible
/// match for AI", "on the must-attend list": a group strong for one interest is not called
/// strong for the others it matches.
fn match_words(c: &Candidate) -> String {
    if c.matched_interests.is_empty() {
        return "on the must-attend list".to_string();
    }
    let (strong, possible) = interests_by_strength(&c.matched_interests, &c.strong_interests);
    let list = |v: Vec<&str>| {
        v.iter()
            .map(|i| md_escape(i))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (strong, possible) = (list(strong), list(possible));
    let (s, p) = (Strength::Strong.label(), Strength::Possible.label());
    match (strong.is_empty(), possible.is_empty()) {
        (false, true) => format!("{s} for {strong}"),
        (false, false) => format!("{s} for {strong}; {p} for {possible}"),
        _ => format!("{p} for {possible}"),
    }
}

fn slot_markdown(out: &mut String, s: &Slot, it: &Itinerary, v: &View) {
    let c = &s.chosen;
    let must = if s.must { " · must attend" } else { "" };
    let _ = writeln!(out, "### {} · {}{must}\n", span(c, it, v), group_label(c));
    let room = c.session.room.as_deref().unwrap_or("room not announced");
    let _ = writeln!(out, "- **Match:** {}", match_words(c));
    let _ = writeln!(out, "- **Room:** {}", md_escape(room));
    if !c.reason.is_empty() {
        let _ = writeln!(out, "- **Why it matters:** {}", md_escape(&c.reason));
    }
    let excerpt = super::beyond_reason(&c.reason, &c.excerpt);
    if !excerpt.is_empty() {
        let _ = writeln!(out, "- **In brief:** {}", md_keep_bold(&excerpt));
    }
    let _ = writeln!(out, "- **Session page:** <{}>", c.url);
    if !s.alternatives.is_empty() {
        let alts: Vec<String> = s
            .alternatives
            .iter()
            .map(|a| {
                let room = a.session.room.as_deref().unwrap_or("room not announced");
                format!(
                    "{} ({}, {}, {})",
                    group_label(a),
                    span(a, it, v),
                    md_escape(room),
                    a.strength.label()
                )
            })
            .collect();
        let _ = writeln!(out, "- **To swap:** {}", alts.join("; "));
    }
    if !s.also_meets.is_empty() {
        let other: Vec<String> = s
            .also_meets
            .iter()
            .map(|r| {
                let t = r.start.with_timezone(&v.display_tz);
                format!(
                    "{}–{}",
                    t.format("%a %-d %b %H:%M"),
                    r.end.with_timezone(&v.display_tz).format("%H:%M")
                )
            })
            .collect();
        let _ = writeln!(out, "- **Also meets:** {} (planned once)", other.join(", "));
    }
    out.push('\n');
}

/// The Markdown document for one official.
/// Stays whole: the document top to bottom, as it reads.
pub fn markdown(it: &Itinerary, v: &View) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", title(it, v));
    let mut intro = String::new();
    if let Some(city) = v.city.filter(|c| !c.is_empty()) {
        let _ = write!(intro, "{}, ", md_escape(city));
    }
    let _ = write!(intro, "{}", days_phrase(it));
    let _ = writeln!(out, "{intro}{}\n", zone_sentence(it, v));
    if it.slots().next().is_none() {
        let _ = writeln!(
            out,
            "Nothing on the chosen days is mainly about these interests, so no session is planned.\n"
        );
    }
    if !v.interests.is_empty() {
        let ints: Vec<String> = v.interests.iter().map(|i| md_escape(i)).collect();
        let _ = writeln!(out, "Interests: {}.\n", ints.join("; "));
    }
    for n in &it.notes {
        let _ = writeln!(out, "{}\n", md_escape(n));
    }
    let missing: Vec<_> = it.must.iter().filter(|m| !m.included).collect();
    if !missing.is_empty() {
        let _ = writeln!(out, "**Not in this plan although requested:**\n");
        for m in missing {
            let _ = writeln!(
                out,
                "- {}",
                md_escape(m.problem.as_deref().unwrap_or(&m.group))
            );
        }
        out.push('\n');
    }
    for d in &it.days {
        let _ = writeln!(out, "## {}\n", d.date.format("%A %-d %B %Y"));
        if d.slots.is_empty() {
            let _ = writeln!(
                out,
                "Nothing on this day is mainly about these interests.\n"
            );
        }
        for s in &d.slots {
            slot_markdown(&mut out, s, it, v);
        }
    }
    not_held_markdown(&mut out, it, v);
    if_time_allows_markdown(&mut out, it, v);
    let _ = writeln!(
        out,
        "---\n\n{} session{} planned. Generated by wgrec on {} from the IETF {} agenda.",
        it.slots().count(),
        if it.slots().count() == 1 { "" } else { "s" },
        v.generated.format("%Y-%m-%d %H:%M UTC"),
        it.meeting
    );
    out
}

/// The `Not held` section: relevant sessions cancelled or moved out of the agenda.
fn not_held_markdown(out: &mut String, it: &Itinerary, v: &View) {
    if it.not_held.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Not held\n");
    for c in &it.not_held {
        let how = if c.session.status.is_cancelled() {
            "cancelled"
        } else {
            "rescheduled; the new time is not in the agenda data"
        };
        let day = c
            .session
            .start
            .with_timezone(&v.display_tz)
            .format("%a %-d %b");
        let _ = writeln!(
            out,
            "- {day} {}: {} — {how} (<{}>)",
            span(c, it, v),
            group_label(c),
            c.url
        );
    }
    out.push('\n');
}

/// The `If time allows` section: possible matches that clash with nothing planned.
fn if_time_allows_markdown(out: &mut String, it: &Itinerary, v: &View) {
    if it.if_time_allows.is_empty() {
        return;
    }
    let _ = writeln!(out, "## If time allows\n");
    let _ = writeln!(
        out,
        "Possible matches that clash with nothing planned: related, worth a look.\n"
    );
    for c in &it.if_time_allows {
        let day = c
            .session
            .start
            .with_timezone(&v.display_tz)
            .format("%a %-d %b");
        let room = c.session.room.as_deref().unwrap_or("room not announced");
        let _ = write!(
            out,
            "- {day} {} · {}, {}",
            span(c, it, v),
            group_label(c),
            md_escape(room)
        );
        if !c.reason.is_empty() {
            let _ = write!(out, ": {}", md_escape(&c.reason));
        }
        out.push('\n');
    }
    out.push('\n');
}

#[derive(Serialize)]
struct JsonPlan<'a> {
    meeting: u32,
    name: Option<&'a str>,
    interests: &'a [String],
    timezone: &'a str,
    display_timezone: &'a str,
    generated: String,
    total_score: f64,
    days: &'a [crate::plan::DayPlan],
    must: &'a [crate::plan::MustOutcome],
    not_held: &'a [Candidate],
    if_time_allows: &'a [Candidate],
    notes: &'a [String],
}

/// The `--format json` contract: see the README (times are UTC RFC 3339; `timezone` names the
/// meeting's zone).
pub fn json(it: &Itinerary, v: &View) -> String {
    let doc = JsonPlan {
        meeting: it.meeting,
        name: v.name,
        interests: v.interests,
        timezone: it.timezone.name(),
        display_timezone: v.display_tz.name(),
        generated: v
            .generated
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        total_score: it.total_score,
        days: &it.days,
        must: &it.must,
        not_held: &it.not_held,
        if_time_allows: &it.if_time_allows,
        notes: &it.notes,
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

/// A fixed-width table for the terminal; a sentence instead of a bare header when nothing matched.
pub fn table(it: &Itinerary, v: &View) -> String {
    let mut rows: Vec<[String; 6]> = vec![[
        "DAY".into(),
        "TIME".into(),
        "ROOM".into(),
        "GROUP".into(),
        "MATCH".into(),
        "WHY".into(),
    ]];
    for d in &it.days {
        for s in &d.slots {
            let c = &s.chosen;
            let mut group = c.group.clone();
            if c.is_bof {
                group.push_str(" [BoF]");
            }
            if s.must {
                group.push_str(" *");
            }
            let mut why = c.matched_interests.join(", ");
            if why.is_empty() {
                why = "must attend".into();
            }
            rows.push([
                d.date.format("%a %-d %b").to_string(),
                span(c, it, v),
                c.session.room.clone().unwrap_or_default(),
                group,
                c.strength.as_str().to_string(),
                why,
            ]);
        }
    }
    let mut widths = [0usize; 6];
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    if rows.len() == 1 {
        out.push_str("Nothing on the chosen days is mainly about these interests.\n");
        rows.clear();
    }
    for r in &rows {
        let mut line = String::new();
        for (i, cell) in r.iter().enumerate() {
            if i + 1 == r.len() {
                line.push_str(cell);
            } else {
                let pad = widths[i] - cell.chars().count();
                let _ = write!(line, "{cell}{}  ", " ".repeat(pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let _ = writeln!(out, "{}", zone_sentence(it, v));
    for m in it.must.iter().filter(|m| !m.included) {
        let _ = writeln!(
            out,
            "not planned: {}",
            m.problem.as_deref().unwrap_or(&m.group)
        );
    }
    out
}

/// One line of the profiles index page.
#[derive(Debug, Clone)]
pub struct IndexEntry {
    pub name: String,
    pub markdown_file: String,
    pub ics_file: String,
    pub sessions: usize,
    pub days: usize,
    pub must_missing: usize,
}

/// The index page of a profiles run.
pub fn index(meeting: u32, entries: &[IndexEntry], generated: DateTime<Utc>) -> String {
    let mut out = format!("# IETF {meeting} itineraries\n\n");
    out.push_str("| Official | Plan | Calendar | Sessions | Days | Must groups not planned |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    for e in entries {
        let _ = writeln!(
            out,
            "| {} | [{}]({}) | [{}]({}) | {} | {} | {} |",
            md_escape(&e.name),
            e.markdown_file,
            e.markdown_file,
            e.ics_file,
            e.ics_file,
            e.sessions,
            e.days,
            e.must_missing
        );
    }
    let _ = writeln!(
        out,
        "\nGenerated by wgrec on {}.",
        generated.format("%Y-%m-%d %H:%M UTC")
    );
    out
}
