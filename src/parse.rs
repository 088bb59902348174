//! Parsers for what the datatracker sends: the two agenda formats, group about pages, and
//! session agenda documents (Markdown, plain text or HTML). Pure functions over bytes.

use crate::model::{Agenda, GroupInfo, Meeting, Session, SessionStatus};
use crate::{Error, Result};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use scraper::{ElementRef, Html, Node, Selector};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// Parses either agenda format, telling them apart by shape. `meeting` is the number asked for;
/// it keys `agenda.json` and checks `agenda-data`.
pub fn agenda(bytes: &[u8], meeting: u32) -> Result<Agenda> {
    let v: Value = serde_json::from_slice(bytes)
        .map_err(|e| Error::parse(format!("agenda of meeting {meeting}"), e))?;
    if v.get("schedule").is_some() {
        agenda_data(&v, meeting)
    } else {
        agenda_json(&v, meeting)
    }
}

/// 1-based line of a byte offset (for messages about TOML files); bytes, so any offset is safe.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn bad(meeting: u32, detail: impl ToString) -> Error {
    Error::parse(format!("agenda of meeting {meeting}"), detail)
}

fn str_field<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn opt_string(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// `GET /api/meeting/N/agenda-data`: the JSON behind the datatracker's agenda page.
fn agenda_data(v: &Value, number: u32) -> Result<Agenda> {
    let m = v
        .get("meeting")
        .ok_or_else(|| bad(number, "no `meeting` object"))?;
    let stated: Option<u32> = match m.get("number") {
        Some(Value::String(s)) => s.parse().ok(),
        Some(Value::Number(n)) => n.as_u64().map(|n| n as u32),
        _ => None,
    };
    if let Some(s) = stated
        && s != number
    {
        return Err(bad(number, format!("the response is for meeting {s}")));
    }
    let meeting = Meeting {
        number,
        city: str_field(m, "city").to_string(),
        start_date: NaiveDate::parse_from_str(str_field(m, "startDate"), "%Y-%m-%d").ok(),
        end_date: NaiveDate::parse_from_str(str_field(m, "endDate"), "%Y-%m-%d").ok(),
        timezone: opt_string(m, "timezone").unwrap_or_else(|| "UTC".into()),
    };
    let items = v
        .get("schedule")
        .and_then(Value::as_array)
        .ok_or_else(|| bad(number, "`schedule` is not a list"))?;
    let mut raw = Vec::with_capacity(items.len());
    for (i, it) in items.iter().enumerate() {
        let acronym = opt_string(it, "groupAcronym")
            .or_else(|| opt_string(it, "acronym"))
            .ok_or_else(|| bad(number, format!("schedule item {i} has no group acronym")))?;
        let start = parse_time(str_field(it, "startDateTime")).ok_or_else(|| {
            bad(
                number,
                format!("schedule item {i} ({acronym}) has no valid startDateTime"),
            )
        })?;
        let secs = it.get("duration").and_then(Value::as_f64).unwrap_or(0.0);
        // Checked: an absurd duration from the server is a bad agenda, not a panic.
        let end = Duration::try_milliseconds((secs * 1000.0) as i64)
            .and_then(|d| start.checked_add_signed(d))
            .ok_or_else(|| {
                bad(
                    number,
                    format!("schedule item {i} ({acronym}) has a bad duration"),
                )
            })?;
        let group_name = opt_string(it, "groupName").unwrap_or_else(|| acronym.clone());
        let purpose = str_field(it, "purpose");
        raw.push(Session {
            id: String::new(),
            meeting: 0,
            session_id: it.get("sessionId").and_then(Value::as_u64),
            name: opt_string(it, "name").unwrap_or_else(|| group_name.clone()),
            group_name,
            area: it.get("groupParent").and_then(|p| opt_string(p, "acronym")),
            group_type: Some(match str_field(it, "type") {
                "regular" if purpose == "regular" || purpose.is_empty() => "wg".to_string(),
                t if !t.is_empty() => t.to_string(),
                _ => "other".to_string(),
            }),
            is_bof: it.get("isBoF").and_then(Value::as_bool).unwrap_or(false),
            start,
            end,
            room: opt_string(it, "room"),
            status: SessionStatus::from_slug(str_field(it, "status")),
            agenda_url: it.get("agenda").and_then(|a| opt_string(a, "url")),
            note: str_field(it, "note").to_string(),
            group: acronym,
        });
    }
    Ok(finish(meeting, raw, BTreeMap::new()))
}

/// `GET /meeting/N/agenda.json`: the older format, keyed by meeting number, UTC times.
fn agenda_json(v: &Value, number: u32) -> Result<Agenda> {
    let items = v
        .get(number.to_string())
        .and_then(Value::as_array)
        .ok_or_else(|| bad(number, format!("no list under key \"{number}\"")))?;
    let mut raw = Vec::new();
    let mut area_names = BTreeMap::new();
    for (i, it) in items.iter().enumerate() {
        match str_field(it, "objtype") {
            "parent" => {
                if let (Some(a), Some(d)) = (opt_string(it, "name"), opt_string(it, "description"))
                {
                    area_names.insert(a, d);
                }
            }
            "session" => {
                let g = it.get("group").unwrap_or(&Value::Null);
                let acronym = opt_string(g, "acronym")
                    .ok_or_else(|| bad(number, format!("session {i} has no group acronym")))?;
                let start = parse_time(str_field(it, "start")).ok_or_else(|| {
                    bad(
                        number,
                        format!("session {i} ({acronym}) has no valid start"),
                    )
                })?;
                let end = parse_hms(str_field(it, "duration"))
                    .and_then(|d| start.checked_add_signed(d))
                    .ok_or_else(|| {
                        bad(
                            number,
                            format!("session {i} ({acronym}) has a bad duration"),
                        )
                    })?;
                let group_name = opt_string(g, "name").unwrap_or_else(|| acronym.clone());
                raw.push(Session {
                    id: String::new(),
                    meeting: 0,
                    session_id: it.get("session_id").and_then(Value::as_u64),
                    name: opt_string(it, "name").unwrap_or_else(|| group_name.clone()),
                    group_name,
                    area: opt_string(g, "parent"),
                    group_type: opt_string(g, "type"),
                    is_bof: it.get("is_bof").and_then(Value::as_bool).unwrap_or(false)
                        || str_field(g, "state") == "bof",
                    start,
                    end,
                    room: opt_string(it, "location"),
                    status: SessionStatus::from_slug(str_field(it, "status")),
                    agenda_url: opt_string(it, "agenda"),
                    note: str_field(it, "agenda_note").to_string(),
                    group: acronym,
                });
            }
            _ => {}
        }
    }
    let meeting = Meeting {
        number,
        city: String::new(),
        start_date: None,
        end_date: None,
        // agenda.json does not carry the zone; UTC is the honest default.
        timezone: "UTC".into(),
    };
    Ok(finish(meeting, raw, area_names))
}

/// Orders sessions by time and gives each its meeting and stable key `<meeting>-<acr>-<n>`
/// (the parsers leave both blank).
fn finish(meeting: Meeting, mut raw: Vec<Session>, area_names: BTreeMap<String, String>) -> Agenda {
    raw.sort_by(|a, b| (a.start, &a.group, a.session_id).cmp(&(b.start, &b.group, b.session_id)));
    let mut seen: HashMap<String, u32> = HashMap::new();
    for s in &mut raw {
        let n = seen.entry(s.group.clone()).or_insert(0);
        *n += 1;
        s.id = format!("{}-{}-{}", meeting.number, s.group, n);
        s.meeting = meeting.number;
    }
    Agenda {
        meeting,
        sessions: raw,
        area_names,
    }
}

/// ISO-8601 with an offset or `Z` (never read as local time); a bare time is taken as UTC.
fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
        .ok()
        .map(|n| n.and_utc())
}

/// Python's `str(timedelta)`: `H:MM:SS`, optionally `N day(s), H:MM:SS`.
fn parse_hms(s: &str) -> Option<Duration> {
    let (days, rest) = match s.split_once(", ") {
        Some((d, r)) => (d.split_whitespace().next()?.parse::<i64>().ok()?, r),
        None => (0, s),
    };
    let mut parts = rest.trim().split(':');
    let h: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let sec: f64 = parts.next()?.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    // Checked: out-of-range parts are a bad duration, not a panic.
    Duration::try_days(days)?
        .checked_add(&Duration::try_hours(h)?)?
        .checked_add(&Duration::try_minutes(m)?)?
        .checked_add(&Duration::try_milliseconds((sec * 1000.0) as i64)?)
}

/// Scrapes a group about page (`/group/<acr>/about/`) for name, type, area, state and charter.
pub fn about_page(html: &str, acronym: &str) -> Result<GroupInfo> {
    let doc = Html::parse_document(html);
    let content_sel = sel("#content");
    let Some(content) = doc.select(&content_sel).next() else {
        return Err(Error::parse(
            format!("about page of {acronym}"),
            "no #content element (not a datatracker group page?)",
        ));
    };
    let mut info = GroupInfo {
        acronym: acronym.to_string(),
        ..GroupInfo::default()
    };
    for row in content.select(&sel("tbody.meta tr")) {
        let cells: Vec<ElementRef> = row.select(&sel("th, td")).collect();
        // Rows are `[type] th-label td-edit value`; the label is the th whose text is a known key.
        let Some(label_idx) = cells.iter().position(|c| {
            c.value().name() == "th"
                && matches!(
                    text_of(c).as_str(),
                    "Name" | "Acronym" | "Area" | "State" | "Type"
                )
        }) else {
            continue;
        };
        let label = text_of(&cells[label_idx]);
        let value = cells.last().map(text_of).unwrap_or_default();
        match label.as_str() {
            "Name" => {
                info.name = value;
                if label_idx > 0 {
                    info.group_type = Some(text_of(&cells[0])).filter(|t| !t.is_empty());
                }
            }
            "Area" => {
                // "Web and Internet Transport (wit)"
                if let Some((name, acr)) = value.rsplit_once('(') {
                    info.area_name = Some(name.trim().to_string()).filter(|s| !s.is_empty());
                    info.area = Some(acr.trim_end_matches(')').trim().to_string());
                } else if !value.is_empty() {
                    info.area_name = Some(value);
                }
            }
            "State" => info.state = Some(value).filter(|s| !s.is_empty()),
            _ => {}
        }
    }
    if info.name.is_empty()
        && let Some(h1) = content.select(&sel("h1")).next()
    {
        let t = text_of(&h1);
        info.name = t
            .strip_suffix(&format!("({acronym})"))
            .unwrap_or(&t)
            .trim()
            .to_string();
    }
    info.charter = charter_section(&content);
    Ok(info)
}

/// The siblings after the "Charter for ..." h2 (else "Group description") up to the next h2.
fn charter_section(content: &ElementRef) -> String {
    let h2s: Vec<ElementRef> = content.select(&sel("h2")).collect();
    let heading = h2s
        .iter()
        .find(|h| text_of(h).contains("Charter for"))
        .or_else(|| {
            h2s.iter()
                .find(|h| text_of(h).contains("Group description"))
        });
    let Some(heading) = heading else {
        return String::new();
    };
    let mut out = String::new();
    for sib in heading.next_siblings() {
        if let Some(el) = ElementRef::wrap(sib) {
            if el.value().name() == "h2" {
                break;
            }
            push_block(&mut out, &element_text(el));
        } else if let Node::Text(t) = sib.value() {
            push_block(&mut out, t.trim());
        }
    }
    out.trim().to_string()
}

fn push_block(out: &mut String, block: &str) {
    let block = block.trim();
    if !block.is_empty() {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(block);
    }
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("static selector")
}

/// Visible text of an element with whitespace folded.
fn text_of(el: &ElementRef) -> String {
    el.text()
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text of an element, keeping block boundaries as line breaks; scripts and styles dropped.
fn element_text(el: ElementRef) -> String {
    let mut out = String::new();
    walk(el, &mut out);
    out.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn walk(el: ElementRef, out: &mut String) {
    const BLOCKS: &[&str] = &[
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "br",
        "pre",
        "table",
        "section",
        "article",
        "blockquote",
        "dt",
        "dd",
    ];
    for child in el.children() {
        match child.value() {
            Node::Text(t) => {
                out.push_str(t);
                out.push(' ');
            }
            Node::Element(e) => {
                if matches!(e.name(), "script" | "style" | "nav" | "head" | "noscript") {
                    continue;
                }
                if let Some(c) = ElementRef::wrap(child) {
                    let block = BLOCKS.contains(&e.name());
                    if block {
                        out.push('\n');
                    }
                    walk(c, out);
                    if block {
                        out.push('\n');
                    }
                }
            }
            _ => {}
        }
    }
}

/// Readable text of an agenda document. HTML (by content or by its first bytes) is reduced to
/// its text; Markdown and plain text are kept as they are. Invalid UTF-8 is replaced.
pub fn document_text(bytes: &[u8]) -> String {
    let s = String::from_utf8_lossy(bytes);
    let head = s
        .trim_start()
        .get(..200)
        .unwrap_or(s.trim_start())
        .to_ascii_lowercase();
    if head.starts_with("<!doctype html") || head.starts_with("<html") || head.contains("<body") {
        html_to_text(&s)
    } else {
        s.into_owned()
    }
}

/// Text of a whole HTML page: the `#content` element when there is one, else the body.
pub fn html_to_text(html: &str) -> String {
    let doc = Html::parse_document(html);
    let root = doc
        .select(&sel("#content"))
        .next()
        .or_else(|| doc.select(&sel("body")).next())
        .unwrap_or_else(|| doc.root_element());
    element_text(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_python_timedelta_form() {
        assert_eq!(parse_hms("2:00:00"), Some(Duration::hours(2)));
        assert_eq!(parse_hms("0:30:00"), Some(Duration::minutes(30)));
        assert_eq!(parse_hms("1 day, 1:00:00"), Some(Duration::hours(25)));
        assert_eq!(parse_hms("nonsense"), None);
        // Out of range for a duration: refused, not a panic.
        assert_eq!(parse_hms("99999999999999999, 0:00:00"), None);
        assert_eq!(parse_hms("9223372036854775807:00:00"), None);
    }

    #[test]
    fn absurd_durations_are_errors_not_panics() {
        let data = |d: &str| {
            format!(
                r#"{{"meeting": {{"number": "115"}}, "schedule": [{{"groupAcronym": "x",
                "startDateTime": "2022-11-07T09:30:00Z", "duration": {d}}}]}}"#
            )
        };
        for d in ["1e300", "-1e300", "9.3e15"] {
            let err = agenda(data(d).as_bytes(), 115).unwrap_err().to_string();
            assert!(err.contains("bad duration"), "{d}: {err}");
        }
        assert!(agenda(data("3600").as_bytes(), 115).is_ok());
        let old = |d: &str| {
            format!(
                r#"{{"115": [{{"objtype": "session", "group": {{"acronym": "x"}},
                "start": "2022-11-07T09:30:00Z", "duration": "{d}"}}]}}"#
            )
        };
        for d in ["99999999999, 0:00:00", "2000000000000:00:00"] {
            let err = agenda(old(d).as_bytes(), 115).unwrap_err().to_string();
            assert!(err.contains("bad duration"), "{d}: {err}");
        }
        assert!(agenda(old("1:00:00").as_bytes(), 115).is_ok());
    }

    #[test]
    fn times_keep_their_offset() {
        let t = parse_time("2024-11-06T09:30:00+01:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2024-11-06T08:30:00+00:00");
        assert!(parse_time("2022-11-11T09:30:00Z").is_some());
    }

    #[test]
    fn html_documents_are_reduced_to_text() {
        let t = document_text(
            b"<html><body><script>x()</script><h1>Agenda</h1><p>RPKI   news</p></body></html>",
        );
        assert_eq!(t, "Agenda\nRPKI news");
        assert_eq!(document_text(b"# Agenda\n- item"), "# Agenda\n- item");
    }
}
