//! Parsers for what the datatracker sends: the two agenda formats, group about pages, and
//! session agenda documents (Markdown, plain text or HTML). Pure functions over bytes.
//!
//! Nothing from upstream is trusted: every text is stripped of control characters (so no
//! terminal escape reaches a table, a report or a file), HTML nested deeper than [`MAX_DEPTH`]
//! is refused before it is parsed (the tree walk is iterative anyway), and an agenda must pass
//! the sanity rules of [`check_agenda`] (documented in docs/fetch.md).

use crate::model::{Agenda, GroupInfo, Meeting, Session, SessionStatus};
use crate::{Error, Result};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use scraper::{ElementRef, Html, Node, Selector};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// Most sessions an agenda may list. Real meetings have a few hundred; far more is a broken or
/// hostile answer that would cost memory and time in every later step.
pub const MAX_SESSIONS: usize = 5_000;
/// Deepest HTML element nesting accepted. Real pages nest a few dozen deep.
pub const MAX_DEPTH: usize = 512;
/// Longest text kept from one page or document (bytes); the rest is cut.
pub const MAX_TEXT: usize = 1 << 20;
/// How far (in years) a session may lie from its meeting's year.
const YEAR_SLACK: i32 = 1;

/// Parses either agenda format, telling them apart by shape, and checks it with
/// [`check_agenda`]. `meeting` is the number asked for; it keys `agenda.json` and must be the
/// number `agenda-data` states.
pub fn agenda(bytes: &[u8], meeting: u32) -> Result<Agenda> {
    let v: Value = serde_json::from_slice(bytes)
        .map_err(|e| Error::parse(format!("agenda of meeting {meeting}"), e))?;
    let a = if v.get("schedule").is_some() {
        agenda_data(&v, meeting)?
    } else {
        agenda_json(&v, meeting)?
    };
    check_agenda(&a)?;
    Ok(a)
}

/// The sanity rules every agenda must pass before it is stored or used (besides an IANA time
/// zone, which [`agenda`] checks as it reads the meeting: the type holds only real zones):
/// every session longer than zero and shorter than 24 hours, every session within a year of
/// the meeting's own year (the stated start date, else the sessions' median), and a plausible
/// year at all. An agenda that breaks one is a failed download, not data.
pub fn check_agenda(a: &Agenda) -> Result<()> {
    let n = a.meeting.number;
    let day = Duration::hours(24);
    for s in &a.sessions {
        let d = s.end - s.start;
        if d <= Duration::zero() || d >= day {
            return Err(bad(
                n,
                format!(
                    "session {} ({}) lasts {} minutes; a session lasts more than 0 and less than 24 hours",
                    s.id,
                    s.group,
                    d.num_minutes()
                ),
            ));
        }
    }
    use chrono::Datelike;
    let mut years: Vec<i32> = a.sessions.iter().map(|s| s.start.year()).collect();
    years.sort_unstable();
    let reference = a
        .meeting
        .start_date
        .map(|d| d.year())
        .or_else(|| years.get(years.len() / 2).copied());
    if let Some(y) = reference {
        // The first IETF met in 1986; a meeting more than ten years ahead is not planned yet.
        let latest = crate::clock::now().year() + 10;
        if !(1986..=latest).contains(&y) {
            return Err(bad(n, format!("the meeting's year {y} is not plausible")));
        }
        if let Some(s) = a
            .sessions
            .iter()
            .find(|s| (s.start.year() - y).abs() > YEAR_SLACK)
        {
            return Err(bad(
                n,
                format!(
                    "session {} ({}) is in {}, far from the meeting's year {y}",
                    s.id,
                    s.group,
                    s.start.year()
                ),
            ));
        }
    }
    Ok(())
}

/// `s` on one line with every control character (C0, DEL, C1: terminal escapes among them)
/// removed; tabs and line breaks become spaces.
pub fn clean_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\t' | '\n' | '\r') {
            out.push(' ');
        } else if !c.is_control() {
            out.push(c);
        }
    }
    out
}

/// `s` with every control character removed except line breaks (`\n`); tabs become spaces and
/// `\r\n` becomes `\n`.
pub fn clean_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Whether `s` holds a control character other than a line break or a tab.
pub fn has_controls(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\t'))
}

/// Cuts `s` to at most `max` bytes, on a character boundary.
fn cap(mut s: String, max: usize) -> String {
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
    s
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

/// A string field, trimmed and stripped of control characters; `None` when empty.
fn opt_string(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(|s| cap(clean_line(s), 4096).trim().to_string())
        .filter(|s| !s.is_empty())
}

/// `GET /api/meeting/N/agenda-data`: the JSON behind the datatracker's agenda page.
fn agenda_data(v: &Value, number: u32) -> Result<Agenda> {
    let m = v
        .get("meeting")
        .ok_or_else(|| bad(number, "no `meeting` object"))?;
    // Exactly the number asked for, compared as written: `2^40+121` is not 121.
    let stated: Option<String> = match m.get("number") {
        Some(Value::String(s)) => Some(s.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        None | Some(Value::Null) => None,
        Some(other) => Some(other.to_string()),
    };
    if let Some(s) = stated
        && s != number.to_string()
    {
        return Err(bad(
            number,
            format!("the response is for meeting {:?}", clean_line(&s)),
        ));
    }
    let items = v
        .get("schedule")
        .and_then(Value::as_array)
        .ok_or_else(|| bad(number, "`schedule` is not a list"))?;
    too_many(number, items.len())?;
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
                t if !t.is_empty() => clean_line(t),
                _ => "other".to_string(),
            }),
            is_bof: it.get("isBoF").and_then(Value::as_bool).unwrap_or(false),
            start,
            end,
            room: opt_string(it, "room"),
            status: SessionStatus::from_slug(&clean_line(str_field(it, "status"))),
            agenda_url: it.get("agenda").and_then(|a| opt_string(a, "url")),
            note: cap(clean_text(str_field(it, "note")), MAX_TEXT),
            group: acronym,
        });
    }
    let meeting = Meeting {
        number,
        city: opt_string(m, "city").unwrap_or_default(),
        start_date: NaiveDate::parse_from_str(str_field(m, "startDate"), "%Y-%m-%d").ok(),
        end_date: NaiveDate::parse_from_str(str_field(m, "endDate"), "%Y-%m-%d").ok(),
        // Refused after the schedule's own checks and before the other sanity rules.
        timezone: zone(m, number)?,
    };
    Ok(finish(meeting, raw, BTreeMap::new()))
}

/// The meeting's zone: the one place it is parsed. An unknown name is a bad agenda; no zone at
/// all is UTC.
fn zone(m: &Value, number: u32) -> Result<Tz> {
    match opt_string(m, "timezone") {
        None => Ok(Tz::UTC),
        Some(z) => z
            .parse()
            .map_err(|_| bad(number, format!("{z:?} is not an IANA time zone"))),
    }
}

/// `GET /meeting/N/agenda.json`: the older format, keyed by meeting number, UTC times.
fn agenda_json(v: &Value, number: u32) -> Result<Agenda> {
    let items = v
        .get(number.to_string())
        .and_then(Value::as_array)
        .ok_or_else(|| bad(number, format!("no list under key \"{number}\"")))?;
    let sessions = items
        .iter()
        .filter(|it| str_field(it, "objtype") == "session")
        .count();
    too_many(number, sessions)?;
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
                    status: SessionStatus::from_slug(&clean_line(str_field(it, "status"))),
                    agenda_url: opt_string(it, "agenda"),
                    note: cap(clean_text(str_field(it, "agenda_note")), MAX_TEXT),
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
        timezone: Tz::UTC,
    };
    Ok(finish(meeting, raw, area_names))
}

fn too_many(meeting: u32, n: usize) -> Result<()> {
    if n > MAX_SESSIONS {
        return Err(bad(
            meeting,
            format!("it lists {n} sessions, more than the {MAX_SESSIONS} a meeting may have"),
        ));
    }
    Ok(())
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
/// A page that is not a datatracker group page (no `#content`, no group name), or that is
/// nested deeper than [`MAX_DEPTH`], is an error.
pub fn about_page(html: &str, acronym: &str) -> Result<GroupInfo> {
    let what = || format!("about page of {}", clean_line(acronym));
    check_depth(html).map_err(|e| Error::parse(what(), e))?;
    let doc = Html::parse_document(html);
    let content_sel = sel("#content");
    let Some(content) = doc.select(&content_sel).next() else {
        return Err(Error::parse(
            what(),
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
    if info.name.is_empty() {
        return Err(Error::parse(
            what(),
            "no group name on it (an empty or broken page)",
        ));
    }
    let charter = headings_apart(&charter_section(&content), &info.name, acronym);
    info.charter = cap(charter, MAX_TEXT);
    Ok(info)
}

/// Words that open a sentence after a run-in heading ("# Goals The group will ...").
const OPENERS: &[&str] = &["The", "This", "A", "An", "To", "In", "Our", "It", "We"];

/// Words a charter's section headings open with ("Background and Motivation").
const HEADING_WORDS: &[&str] = &[
    "charter",
    "background",
    "introduction",
    "motivation",
    "overview",
    "objective",
    "objectives",
    "description",
    "problem",
    "scope",
    "goal",
    "goals",
    "purpose",
    "summary",
];

/// Words that may end a heading's title besides [`HEADING_WORDS`] ("Charter for SAVNET Working
/// Group", "Background and Problem Space").
const HEADING_ENDS: &[&str] = &["group", "wg", "rg", "space", "statement"];

/// Small words inside a heading's title.
const CONNECTORS: &[&str] = &["for", "of", "and", "&", "the"];

/// How far into a line a run-in heading may reach, in words.
const HEADING_REACH: usize = 10;

/// `text` with each heading that lost its line break put back on a line of its own, so that a
/// sentence does not open with it: crawled charters run headings into their text ("Charter The
/// Crypto Forum Research Group (CFRG) is ...", "Media OPerationS WG Charter Internet- and ...",
/// "... stored. # Goals The group will ..."). See [`run_in_heading`].
pub fn headings_apart(text: &str, name: &str, acronym: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.split('\n') {
        if !out.is_empty() {
            out.push('\n');
        }
        // A Markdown heading after a sentence's end starts a line of its own, and so does a
        // list item ("... input). - **Forward secrecy**: ...").
        let mut rest = line;
        while let Some(at) = [". #", "? #", "! #", ": #"]
            .iter()
            .filter_map(|m| rest.find(m))
            .chain(run_in_item(rest))
            .min()
        {
            push_apart(&mut out, &rest[..=at], name, acronym);
            out.push('\n');
            rest = &rest[at + 2..];
        }
        push_apart(&mut out, rest, name, acronym);
    }
    out
}

/// Where the period is that ends a sentence followed by a list item run into the text (". - "
/// before a capital or emphasis): [`headings_apart`] breaks the line after it.
fn run_in_item(text: &str) -> Option<usize> {
    text.match_indices(". - ")
        .map(|(at, m)| (at, &text[at + m.len()..]))
        .find(|(_, after)| after.starts_with(|c: char| c.is_uppercase() || c == '*'))
        .map(|(at, _)| at)
}

fn push_apart(out: &mut String, line: &str, name: &str, acronym: &str) {
    // A link to where the text was drafted, run in the same way ("[https://github.com/...]
    // Introduction ..."), goes on a line of its own before the heading.
    let line = match line
        .strip_prefix("[http")
        .and_then(|rest| rest.split_once("] "))
    {
        Some((link, rest)) => {
            out.push_str("[http");
            out.push_str(link);
            out.push_str("]\n");
            rest.trim_start()
        }
        None => line,
    };
    match run_in_heading(line, name, acronym) {
        Some((heading, sentence)) => {
            out.push_str(heading);
            out.push('\n');
            out.push_str(sentence);
        }
        None => out.push_str(line),
    }
}

/// Where a line opens with a heading run into its first sentence: `(heading, sentence)`.
/// - The group's own title, then "working group", "WG", "research group" or "charter":
///   "Network Time Protocols working group Accurate, precise ...".
/// - A Markdown heading ("#") or a heading word ([`HEADING_WORDS`]), its title running on through
///   capitalised words and [`CONNECTORS`]: the sentence starts at the first of [`OPENERS`]
///   ("Background and Problem Space The DNS ..."), else right after the title's last
///   [`HEADING_WORDS`] or [`HEADING_ENDS`] word ("Charter for SAVNET Working Group Source
///   address validation ...", "# Background Public keys ..."), provided a capitalised word
///   starts it and a lower-case word follows within [`HEADING_REACH`] words.
///
/// A line that only is a heading, or a sentence that merely opens with such a word
/// ("Background material will be collected"), is `None`.
pub fn run_in_heading<'a>(line: &'a str, name: &str, acronym: &str) -> Option<(&'a str, &'a str)> {
    // Markdown's "#" marks, alone or on the first word, belong to the heading.
    let words: Vec<(usize, &str)> = line
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - line.as_ptr() as usize, w))
        .skip_while(|(_, w)| w.chars().all(|c| c == '#'))
        .take(HEADING_REACH + 1)
        .collect();
    let bare = |w: &str| {
        w.trim_start_matches('#')
            .trim_end_matches([':', '.'])
            .to_lowercase()
    };
    let capital = |w: &str| !w.starts_with(|c: char| c.is_lowercase());
    let split = |i: usize| -> Option<(&'a str, &'a str)> {
        let (at, w) = *words.get(i)?;
        let heading = line[..at].trim_end();
        let lower_follows = words[i + 1..]
            .iter()
            .any(|(_, w)| w.starts_with(|c: char| c.is_lowercase()));
        // "SIDR Operations Working Group (SIDROPS WG) is ...": a title with its acronym after it
        // is the sentence's subject, not a heading.
        (i > 0
            && capital(w)
            && !w.starts_with('(')
            && lower_follows
            && !heading.trim_matches('#').trim().is_empty())
        .then(|| (heading, &line[at..]))
    };
    // The group's own title and what kind of group it is.
    let title: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
    let lower: Vec<String> = words.iter().map(|(_, w)| bare(w)).collect();
    let after_title = if !title.is_empty() && lower.starts_with(&title) {
        Some(title.len())
    } else if !acronym.is_empty() && lower.first().is_some_and(|w| *w == acronym.to_lowercase()) {
        Some(1)
    } else {
        None
    };
    if let Some(mut i) = after_title {
        let kinds: &[&[&str]] = &[
            &["working", "group"],
            &["research", "group"],
            &["wg"],
            &["rg"],
            &["proposed", "charter"],
            &["charter"],
        ];
        let start = i;
        while let Some(k) = kinds
            .iter()
            .find(|k| lower.get(i..i + k.len()).is_some_and(|w| w == **k))
        {
            i += k.len();
        }
        if i > start {
            return split(i);
        }
    }
    let marked = line.trim_start().starts_with('#');
    if !marked && !HEADING_WORDS.contains(&lower.first()?.as_str()) {
        return None;
    }
    // A Markdown heading whose list lost its line breaks ends at the first item's marker
    // ("## Security improvements - **Post-Quantum Cryptography**: ...").
    if marked {
        let item = words
            .iter()
            .position(|(_, w)| matches!(*w, "-" | "*" | "+"));
        if let Some(i) =
            item.filter(|&i| i > 0 && words.get(i + 1).is_some_and(|(_, w)| capital(w)))
        {
            return split(i);
        }
    }
    let mut end = 0;
    for (i, (_, w)) in words.iter().enumerate().skip(1) {
        if OPENERS.contains(w) {
            return split(i);
        }
        let l = &lower[i];
        if HEADING_WORDS.contains(&l.as_str()) || HEADING_ENDS.contains(&l.as_str()) {
            end = i;
        } else if !capital(w) && !CONNECTORS.contains(&l.as_str()) {
            break;
        }
    }
    split(end + 1)
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
            push_block(&mut out, &clean_line(t));
        }
        if out.len() > MAX_TEXT {
            break;
        }
    }
    out.trim().to_string()
}

fn push_block(out: &mut String, block: &str) {
    let block = block.trim();
    if !block.is_empty() {
        append_block(out, block, "\n\n");
    }
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("static selector")
}

/// Visible text of an element with whitespace folded and control characters removed.
fn text_of(el: &ElementRef) -> String {
    let mut out = String::new();
    for t in el.text() {
        for w in t.split_whitespace() {
            if out.len() > MAX_TEXT {
                break;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(w);
        }
    }
    clean_line(&out).trim().to_string()
}

/// Elements that end a line of text.
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

/// Elements whose content is not text a reader sees.
fn hidden(name: &str) -> bool {
    matches!(name, "script" | "style" | "nav" | "head" | "noscript")
}

/// Text of an element, keeping block boundaries as line breaks; scripts and styles dropped. A
/// line break inside a text node is white space, as a browser shows it (charters come
/// hard-wrapped inside `<li>` and `<p>`: their lines are not sentences), except inside `<pre>`
/// and after a heading-length line ([`push_unwrapped`]).
/// The tree is walked with an explicit traversal, never by recursion, so no nesting depth can
/// exhaust the stack.
fn element_text(el: ElementRef) -> String {
    use ego_tree::iter::Edge;
    let mut out = String::new();
    // Depth inside a hidden element (0: visible), and inside `<pre>`.
    let mut hiding = 0usize;
    let mut pre = 0usize;
    for edge in el.traverse() {
        if out.len() > MAX_TEXT {
            break;
        }
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) if node.id() != el.id() => {
                    if hiding > 0 || hidden(e.name()) {
                        hiding += 1;
                    } else if BLOCKS.contains(&e.name()) {
                        out.push('\n');
                    }
                    pre += usize::from(e.name() == "pre");
                }
                Node::Text(t) if hiding == 0 => {
                    if pre > 0 {
                        out.push_str(t);
                    } else {
                        push_unwrapped(&mut out, t);
                    }
                    out.push(' ');
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(e) = node.value()
                    && node.id() != el.id()
                {
                    if hiding > 0 {
                        hiding -= 1;
                    } else if BLOCKS.contains(&e.name()) {
                        out.push('\n');
                    }
                    pre -= usize::from(e.name() == "pre" && pre > 0);
                }
            }
        }
    }
    let out = cap(out, MAX_TEXT);
    let lines = out
        .lines()
        .map(|l| clean_line(&l.split_whitespace().collect::<Vec<_>>().join(" ")))
        .filter(|l| !l.is_empty());
    join_wrapped_blocks(lines)
}

/// A block this long that ends without punctuation, followed by one that starts in lower
/// case, is one hard-wrapped line of a paragraph that a page split into a block per line (an
/// about page with a `<p>` for every 72-column line of its charter).
const WRAPPED_BLOCK_CHARS: usize = 50;

/// Whether `next` continues the last line of `text` ([`WRAPPED_BLOCK_CHARS`]).
fn continues(text: &str, next: &str) -> bool {
    let last = text.rsplit('\n').next().unwrap_or_default();
    last.chars().count() >= WRAPPED_BLOCK_CHARS
        && !last.ends_with(['.', '!', '?', ':', ';'])
        && next.starts_with(|c: char| c.is_ascii_lowercase())
}

/// Appends `block` after `sep`, or after a space where it continues a wrapped line.
fn append_block(out: &mut String, block: &str, sep: &str) {
    if continues(out, block) {
        out.push(' ');
    } else if !out.is_empty() {
        out.push_str(sep);
    }
    out.push_str(block);
}

/// The lines of an element's text, one per block, with such wrapped lines rejoined.
fn join_wrapped_blocks(lines: impl Iterator<Item = String>) -> String {
    let mut out = String::new();
    for line in lines {
        append_block(&mut out, &line, "\n");
    }
    out
}

/// A line this short that ends at a line break is a heading or a label ("Charter",
/// "** Membership"), not a hard-wrapped line of prose (those run to 60-80 characters).
const HEADING_CHARS: usize = 30;

/// Appends a text node's text with its line breaks as white space (hard wraps), except after a
/// line short enough to be a heading ([`HEADING_CHARS`]) and before a list item written as
/// text ("- Revision of RFC 7642"): a scope of work listed in a charter's paragraph is a list,
/// not one long sentence.
fn push_unwrapped(out: &mut String, text: &str) {
    for (i, piece) in text.split('\n').enumerate() {
        if i > 0 {
            let line = out.rsplit('\n').next().unwrap_or("").trim();
            let mut marker = piece.trim_start().chars();
            let item =
                matches!(marker.next(), Some('-' | '*' | '\u{2022}')) && marker.next() == Some(' ');
            out.push(if item || line.chars().count() < HEADING_CHARS {
                '\n'
            } else {
                ' '
            });
        }
        out.push_str(piece);
    }
}

/// Refuses HTML nested deeper than [`MAX_DEPTH`], before the HTML parser sees it (a parser
/// spends time per level on every tag, so a 100,000-deep page is slow even before any walk).
/// A cheap tag scanner: end tags close back to the nearest open element of that name (an end
/// tag for nothing open is ignored, as browsers do); void elements and elements whose end tag
/// may be left out never count; comments, doctypes and raw text (`script`, `style`, ...) are
/// skipped. Cost: linear in the input times at most `MAX_DEPTH`.
pub fn check_depth(html: &str) -> std::result::Result<(), String> {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "keygen", "command", "basefont", "bgsound", "frame",
    ];
    const OPTIONAL_END: &[&str] = &[
        "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "tbody", "thead", "tfoot",
        "colgroup", "rb", "rt", "rp", "rtc", "html", "head", "body", "caption",
    ];
    const RAW: &[&str] = &[
        "script",
        "style",
        "textarea",
        "title",
        "xmp",
        "noscript",
        "plaintext",
    ];
    let b = html.as_bytes();
    let mut stack: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        i += off + 1;
        if b[i..].starts_with(b"!--") {
            i = match html[i..].find("-->") {
                Some(j) => i + j + 3,
                None => b.len(),
            };
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        let name_start = if closing { i + 1 } else { i };
        let name_len = b[name_start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-' || **c == b':')
            .count();
        if name_len == 0 || !b[name_start].is_ascii_alphabetic() {
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let tag_end = match b[name_start..].iter().position(|&c| c == b'>') {
            Some(j) => name_start + j,
            None => b.len(),
        };
        let self_closing = tag_end > 0 && b.get(tag_end - 1) == Some(&b'/');
        i = (tag_end + 1).min(b.len());
        if closing {
            if let Some(pos) = stack.iter().rposition(|n| *n == name) {
                stack.truncate(pos);
            }
            continue;
        }
        if RAW.contains(&name.as_str()) {
            let end = format!("</{name}");
            let lower = &html[i..];
            // Skip to the matching end tag, compared without regard to case.
            i = match lower
                .as_bytes()
                .windows(end.len())
                .position(|w| w.eq_ignore_ascii_case(end.as_bytes()))
            {
                Some(j) => i + j,
                None => b.len(),
            };
            continue;
        }
        if self_closing || VOID.contains(&name.as_str()) || OPTIONAL_END.contains(&name.as_str()) {
            continue;
        }
        stack.push(name);
        if stack.len() > MAX_DEPTH {
            return Err(format!(
                "its elements are nested more than {MAX_DEPTH} deep (a broken or hostile page)"
            ));
        }
    }
    Ok(())
}

/// Readable text of an agenda document. HTML (by content or by its first bytes) is reduced to
/// its text; Markdown and plain text are kept as they are. Invalid UTF-8 is replaced, control
/// characters are removed and the text is cut at [`MAX_TEXT`] bytes. HTML nested deeper than
/// [`MAX_DEPTH`] is an error.
pub fn document_text(bytes: &[u8]) -> Result<String> {
    let s = String::from_utf8_lossy(bytes);
    let head = s
        .trim_start()
        .get(..200)
        .unwrap_or(s.trim_start())
        .to_ascii_lowercase();
    if head.starts_with("<!doctype html") || head.starts_with("<html") || head.contains("<body") {
        html_to_text(&s)
    } else {
        let bytes = &bytes[..bytes.len().min(MAX_TEXT)];
        Ok(clean_text(&String::from_utf8_lossy(bytes)))
    }
}

/// Text of a whole HTML page: the `#content` element when there is one, else the body.
pub fn html_to_text(html: &str) -> Result<String> {
    check_depth(html).map_err(|e| Error::parse("an HTML document", e))?;
    let doc = Html::parse_document(html);
    let root = doc
        .select(&sel("#content"))
        .next()
        .or_else(|| doc.select(&sel("body")).next())
        .unwrap_or_else(|| doc.root_element());
    Ok(element_text(root))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_run_into_a_charter_are_put_on_their_own_line() {
        let apart = |t: &str| headings_apart(t, "Widget Exchange Protocols", "wxp");
        // A heading word, its title, then the first of the sentence's usual openers.
        assert_eq!(
            apart("Charter The Widget Exchange group writes the protocol."),
            "Charter\nThe Widget Exchange group writes the protocol."
        );
        assert_eq!(
            apart("# Background and Problem Space In many networks widgets get lost."),
            "# Background and Problem Space\nIn many networks widgets get lost."
        );
        // Without an opener: right after the title's last heading word, or its "Group".
        assert_eq!(
            apart("#Background and Motivation Widget traffic keeps growing."),
            "#Background and Motivation\nWidget traffic keeps growing."
        );
        assert_eq!(
            apart("Charter for WXP Working Group Lost widgets are a known problem."),
            "Charter for WXP Working Group\nLost widgets are a known problem."
        );
        assert_eq!(
            apart("# Background Widget keys are often checked by hand."),
            "# Background\nWidget keys are often checked by hand."
        );
        // The group's own title and kind ("working group", "WG", "charter").
        assert_eq!(
            apart("Widget Exchange Protocols working group Reliable widgets matter to all."),
            "Widget Exchange Protocols working group\nReliable widgets matter to all."
        );
        assert_eq!(
            apart("WXP WG Charter Internet- and LAN-delivered widgets are common."),
            "WXP WG Charter\nInternet- and LAN-delivered widgets are common."
        );
        // A link run into the start goes on its own line, then the heading is split.
        assert_eq!(
            apart("[https://example.org/wxp.md] Introduction and Overview The WXP group is new."),
            "[https://example.org/wxp.md]\nIntroduction and Overview\nThe WXP group is new."
        );
        // A Markdown heading after a sentence's end starts its own line, then is split.
        assert_eq!(
            apart("Widgets are stored. # Goals The group will define a format."),
            "Widgets are stored.\n# Goals\nThe group will define a format."
        );
        // A Markdown heading ends where its list's first item starts.
        assert_eq!(
            apart(
                "## Security improvements - **Post-Quantum**: new algorithms. - **Forward secrecy**: more."
            ),
            "## Security improvements\n- **Post-Quantum**: new algorithms.\n- **Forward secrecy**: more."
        );
        // Left alone: a sentence that opens with a heading word, a heading on its own, a
        // title without a kind word.
        for t in [
            "Background material will be collected by the group.",
            "Goals of this WG are modest.",
            "Background and Motivation",
            "Widget Exchange Protocols Are Useful in many places.",
            "The WXP working group Charter is short.",
            "Widget Exchange Protocols Working Group (WXP WG) is responsible for widgets.",
        ] {
            assert_eq!(apart(t), t, "{t}");
        }
    }

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
        )
        .unwrap();
        assert_eq!(t, "Agenda\nRPKI news");
        assert_eq!(
            document_text(b"# Agenda\n- item").unwrap(),
            "# Agenda\n- item"
        );
    }

    fn about(body: &str) -> String {
        format!(
            "<html><body><div id=\"content\"><h1>Privacy Pass (privacypass)</h1>\
             <h2>Charter for Working Group</h2>{body}</div></body></html>"
        )
    }

    #[test]
    fn hard_wrapped_charters_read_as_paragraphs() {
        // As the datatracker serves many charters: plain text wrapped at 80 columns inside
        // list items and paragraphs, a heading on a line of its own.
        let page = about(
            "<ul><li>Charter\nThe group works on tokens that a client\nredeems without being \
             linked to its\nearlier visits. It also studies\nhow servers use them.</li></ul>\
             <p>The scope of work for the group is:\n- Revise the token format to carry\n  \
             a key\n* Publish a deployment guide</p>\
             <pre>Milestones\nDone   Adopt the architecture\nLater  Publish it</pre>",
        );
        let info = about_page(&page, "privacypass").unwrap();
        let lines: Vec<&str> = info.charter.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(
            lines,
            vec![
                "Charter",
                "The group works on tokens that a client redeems without being linked to its \
                 earlier visits. It also studies how servers use them.",
                "The scope of work for the group is:",
                "- Revise the token format to carry a key",
                "* Publish a deployment guide",
                "Milestones",
                "Done Adopt the architecture",
                "Later Publish it",
            ]
        );
    }

    #[test]
    fn a_charter_with_a_paragraph_per_line_reads_as_its_sentences() {
        // As an about page may serve a charter: every 72-column line in a `<p>` of its own.
        // Lines that end a sentence, short ones and list items stay apart.
        let page = about(
            "<p>The Privacy Pass Working Group (PRIVACYPASS WG) acts primarily as a forum</p>\
             <p>for tokens that a client redeems without being linked to its earlier</p>\
             <p>visits.</p><p>New work must satisfy the following conditions</p>\
             <p>the group agrees.</p><ul><li>a list item that runs long and has no period</li>\
             <li>another one</li></ul>",
        );
        let info = about_page(&page, "privacypass").unwrap();
        let lines: Vec<&str> = info.charter.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(
            lines,
            vec![
                "The Privacy Pass Working Group (PRIVACYPASS WG) acts primarily as a forum for \
                 tokens that a client redeems without being linked to its earlier visits.",
                "New work must satisfy the following conditions",
                "the group agrees.",
                "a list item that runs long and has no period",
                "another one",
            ]
        );
    }

    #[test]
    fn a_page_nested_100000_deep_is_refused_fast_not_a_stack_overflow() {
        let deep_b = about(&"<b>".repeat(100_000));
        let e = about_page(&deep_b, "privacypass").unwrap_err().to_string();
        assert!(e.contains("nested more than 512 deep"), "{e}");
        let deep_div = format!("<html><body>{}x</body></html>", "<div>".repeat(100_000));
        assert!(document_text(deep_div.as_bytes()).is_err());
        // End tags for nothing open do not hide the nesting.
        let tricky = about(&"<b></x>".repeat(100_000));
        assert!(about_page(&tricky, "privacypass").is_err());
        // Real nesting well within the limit, closed properly, is fine however long.
        let wide = about(&"<p><b>rpki</b> <i>aspa</i></p>".repeat(20_000));
        let info = about_page(&wide, "privacypass").unwrap();
        assert!(
            info.charter.starts_with("rpki aspa"),
            "{}",
            &info.charter[..40]
        );
        // 400 deep: accepted and walked without recursion.
        let ok = about(&format!(
            "{}deep text{}",
            "<div>".repeat(400),
            "</div>".repeat(400)
        ));
        assert_eq!(about_page(&ok, "privacypass").unwrap().charter, "deep text");
    }

    #[test]
    fn empty_or_nameless_about_pages_are_refused() {
        assert!(about_page("", "quic").is_err());
        assert!(
            about_page(
                "<html><body><div id=\"content\"></div></body></html>",
                "quic"
            )
            .is_err()
        );
        assert!(about_page(&about("<p>x</p>"), "privacypass").is_ok());
    }

    #[test]
    fn control_characters_never_survive() {
        let page = about("<p>Escape \u{1b}[31mred\u{1b}[0m and \u{9b}2J bell\u{7}</p>")
            .replace("Privacy Pass", "Privacy\u{1b}]0;owned\u{7} Pass");
        let info = about_page(&page, "privacypass").unwrap();
        assert!(
            !has_controls(&info.name) && !has_controls(&info.charter),
            "{info:?}"
        );
        assert_eq!(info.name, "Privacy]0;owned Pass");
        let doc = document_text("# Agenda\r\n\u{1b}[2J- item\u{0}\n".as_bytes()).unwrap();
        assert_eq!(doc, "# Agenda\n[2J- item\n");
        let a = agenda(
            &data_with(|it| {
                it["room"] = "Room \u{1b}[5m1".into();
                it["groupName"] = "Q\u{1b}UIC".into();
                it["note"] = "joint\u{1b}\twith x".into();
            }),
            121,
        )
        .unwrap();
        let s = &a.sessions[0];
        assert_eq!(s.room.as_deref(), Some("Room [5m1"));
        assert_eq!(s.group_name, "QUIC");
        assert_eq!(s.note, "joint with x");
    }

    /// A one-session agenda-data body for meeting 121, edited by `f`.
    fn data_with(f: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
        let mut v = serde_json::json!({
            "meeting": {"number": "121", "timezone": "Europe/Dublin", "startDate": "2024-11-02"},
            "schedule": [{"groupAcronym": "quic", "startDateTime": "2024-11-04T09:30:00Z",
                          "duration": 3600}]
        });
        f(&mut v["schedule"][0]);
        serde_json::to_vec(&v).unwrap()
    }

    #[test]
    fn agenda_sanity_rules() {
        assert!(agenda(&data_with(|_| {}), 121).is_ok());
        let refused = |body: Vec<u8>, what: &str| {
            let e = agenda(&body, 121).unwrap_err().to_string();
            assert!(e.contains(what), "{what}: {e}");
        };
        refused(
            data_with(|it| it["duration"] = (-3600).into()),
            "lasts -60 minutes",
        );
        refused(data_with(|it| it["duration"] = 0.into()), "lasts 0 minutes");
        refused(
            data_with(|it| it["duration"] = 86400.into()),
            "less than 24 hours",
        );
        refused(
            data_with(|it| it["startDateTime"] = "9999-11-04T09:30:00Z".into()),
            "far from the meeting's year 2024",
        );
        refused(
            data_with(|it| it["startDateTime"] = "0000-11-04T09:30:00Z".into()),
            "far from the meeting's year",
        );
        let zone = |z: &str, n: serde_json::Value| {
            let mut v: serde_json::Value = serde_json::from_slice(&data_with(|_| {})).unwrap();
            v["meeting"]["timezone"] = z.into();
            v["meeting"]["number"] = n;
            serde_json::to_vec(&v).unwrap()
        };
        refused(
            zone("../../etc/passwd", "121".into()),
            "not an IANA time zone",
        );
        refused(
            zone("Europe/Dublin", "1099511627897".into()),
            "\"1099511627897\"",
        );
        refused(
            zone("Europe/Dublin", 1_099_511_627_897u64.into()),
            "1099511627897",
        );
        refused(zone("Europe/Dublin", "0121".into()), "\"0121\"");
        assert!(agenda(&zone("Europe/Dublin", 121.into()), 121).is_ok());
        // Too many sessions: refused before any of them is built.
        let mut v: serde_json::Value = serde_json::from_slice(&data_with(|_| {})).unwrap();
        let one = v["schedule"][0].clone();
        v["schedule"] = serde_json::Value::Array(vec![one; MAX_SESSIONS + 1]);
        refused(serde_json::to_vec(&v).unwrap(), "more than the 5000");
        // agenda.json: no meeting date, so the sessions' median year is the reference.
        let old = |starts: &[&str]| {
            let items: Vec<_> = starts
                .iter()
                .map(|s| {
                    serde_json::json!({"objtype": "session", "group": {"acronym": "x"},
                    "start": s, "duration": "1:00:00"})
                })
                .collect();
            serde_json::to_vec(&serde_json::json!({"110": items})).unwrap()
        };
        assert!(agenda(&old(&["2021-03-08T12:00:00Z", "2021-03-09T12:00:00Z"]), 110).is_ok());
        let e = agenda(
            &old(&[
                "2021-03-08T12:00:00Z",
                "2021-03-09T12:00:00Z",
                "1970-01-01T00:00:00Z",
            ]),
            110,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("in 1970"), "{e}");
    }
}
