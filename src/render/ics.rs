//! Itineraries as iCalendar (RFC 5545), written by hand: CRLF line ends, lines folded at 75
//! octets on UTF-8 character boundaries, TEXT values escaped, times in UTC.
//!
//! Each session has a stable UID (`<session key>@wgrec`, the key being `<meeting>-<group>-<n>`;
//! `<session key>.<official>@wgrec` when the plan names an official), so importing a newer plan
//! updates the events instead of duplicating them, and two officials' calendars imported into
//! one staff calendar keep their own events. Chosen sessions are
//! `STATUS:CONFIRMED`; cancelled sessions the plan knows about (a must group's or a relevant
//! group's) are written as `STATUS:CANCELLED` with a higher `SEQUENCE`, so a calendar holding the
//! earlier, confirmed version marks it cancelled on re-import. Rescheduled sessions are left out:
//! the data holds only their old time.

use crate::plan::{self, Candidate, Itinerary};
use chrono::{DateTime, Utc};
use std::fmt::Write;

/// Longest content line, in octets, without the CRLF (RFC 5545 section 3.1).
const MAX_OCTETS: usize = 75;

/// The calendar for one itinerary. `name` titles the calendar; `stamp` is DTSTAMP (use
/// `crate::clock::now()` so `WGREC_NOW` fixes it).
pub fn itinerary(it: &Itinerary, name: Option<&str>, stamp: DateTime<Utc>) -> String {
    let mut out = String::new();
    let title = match name {
        Some(n) => format!("IETF {} itinerary: {n}", it.meeting),
        None => format!("IETF {} itinerary", it.meeting),
    };
    for line in [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        format!("PRODID:-//wgrec//wgrec {}//EN", env!("CARGO_PKG_VERSION")),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!("X-WR-CALNAME:{}", escape_text(&title)),
    ] {
        push_line(&mut out, &line);
    }
    let mut events: Vec<(&Candidate, String, bool)> = it
        .slots()
        .map(|s| {
            let mut why = describe(&s.chosen);
            if !s.alternatives.is_empty() {
                let alts: Vec<String> = s
                    .alternatives
                    .iter()
                    .map(|a| format!("{} ({:.2})", a.group, a.score))
                    .collect();
                let _ = write!(why, "\nAlternatives in this slot: {}", alts.join(", "));
            }
            (&s.chosen, why, false)
        })
        .collect();
    for c in it
        .not_held
        .iter()
        .filter(|c| c.session.status.is_cancelled())
    {
        let why = format!("Cancelled. {}", describe(c));
        events.push((c, why, true));
    }
    events.sort_by(|a, b| {
        a.0.session
            .start
            .cmp(&b.0.session.start)
            .then_with(|| a.0.session.id.cmp(&b.0.session.id))
    });
    for (c, why, cancelled) in events {
        event(&mut out, c, name, &why, cancelled, stamp);
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

/// How often a subscribed calendar is asked to poll the feed.
pub const REFRESH_HOURS: u32 = 6;

/// `calendar` as a subscription feed: it asks clients to poll every [`REFRESH_HOURS`] hours
/// (RFC 7986 `REFRESH-INTERVAL`, and the `X-PUBLISHED-TTL` older clients read).
pub fn subscription(calendar: String) -> String {
    let marker = "METHOD:PUBLISH\r\n";
    match calendar.find(marker) {
        Some(i) => {
            let at = i + marker.len();
            format!(
                "{}REFRESH-INTERVAL;VALUE=DURATION:PT{REFRESH_HOURS}H\r\nX-PUBLISHED-TTL:PT{REFRESH_HOURS}H\r\n{}",
                &calendar[..at],
                &calendar[at..]
            )
        }
        None => calendar,
    }
}

fn describe(c: &Candidate) -> String {
    let mut s = String::new();
    if !c.matched_interests.is_empty() {
        let _ = write!(s, "Matches {}", c.matched_interests.join(", "));
        if !c.matched_terms.is_empty() {
            let _ = write!(s, " (via {})", c.matched_terms.join(", "));
        }
        s.push_str(". ");
    }
    s.push_str(&plan::plain(&c.reason));
    let _ = write!(s, "\nSession page: {}", c.url);
    s.trim_start().to_string()
}

/// The summary line: `[BoF] ` marker, acronym and name.
pub fn summary(c: &Candidate) -> String {
    let bof = if c.is_bof { "[BoF] " } else { "" };
    if c.group_name.is_empty() || c.group_name.eq_ignore_ascii_case(&c.group) {
        format!("{bof}{}", c.group)
    } else {
        format!("{bof}{}: {}", c.group, c.group_name)
    }
}

/// The stable UID of a session in the plan of `official` (if named): the same session in two
/// officials' calendars gets two UIDs, the same official's re-planned session the same one.
pub fn uid(c: &Candidate, official: Option<&str>) -> String {
    match official.map(str::trim).filter(|n| !n.is_empty()) {
        None => format!("{}@wgrec", c.session.id),
        Some(n) => format!("{}.{}@wgrec", c.session.id, official_key(n)),
    }
}

/// The official's part of a UID: the file-name slug, or, for a name with no Latin letter or
/// digit (whose slug would be a position-dependent `official-<n>`), a hash of the name.
fn official_key(name: &str) -> String {
    let stem = crate::slug::stem(name);
    if !stem.is_empty() {
        return stem;
    }
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(name.as_bytes());
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("h{hex}")
}

fn event(
    out: &mut String,
    c: &Candidate,
    official: Option<&str>,
    why: &str,
    cancelled: bool,
    stamp: DateTime<Utc>,
) {
    let utc = |t: DateTime<Utc>| t.format("%Y%m%dT%H%M%SZ").to_string();
    let mut lines = vec![
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}", escape_text(&uid(c, official))),
        format!("DTSTAMP:{}", utc(stamp)),
        format!("DTSTART:{}", utc(c.session.start)),
        format!("DTEND:{}", utc(c.session.end)),
        format!("SUMMARY:{}", escape_text(&summary(c))),
    ];
    if let Some(room) = c.session.room.as_deref().filter(|r| !r.is_empty()) {
        lines.push(format!("LOCATION:{}", escape_text(room)));
    }
    lines.push(format!("URL:{}", c.url));
    lines.push(format!("DESCRIPTION:{}", escape_text(why)));
    if c.is_bof {
        lines.push("CATEGORIES:BoF".to_string());
    }
    // A cancellation must win over the confirmed copy already in a calendar.
    lines.push(format!("SEQUENCE:{}", u8::from(cancelled)));
    lines.push(format!(
        "STATUS:{}",
        if cancelled { "CANCELLED" } else { "CONFIRMED" }
    ));
    lines.push("TRANSP:OPAQUE".to_string());
    lines.push("END:VEVENT".to_string());
    for l in lines {
        push_line(out, &l);
    }
}

/// Escapes a TEXT value: backslash, semicolon, comma and newline (RFC 5545 section 3.3.11).
/// Carriage returns and other control characters are dropped; they are not allowed in TEXT.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded, with CRLF.
fn push_line(out: &mut String, line: &str) {
    out.push_str(&fold(line));
}

/// Folds a content line into pieces of at most 75 octets (the first) and 1 + 74 octets (the
/// continuations, which start with a space), never splitting a UTF-8 character. A piece is not
/// allowed to end in a space where that can be avoided, because some parsers trim folded lines.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut rest = line;
    let mut first = true;
    loop {
        let room = if first { MAX_OCTETS } else { MAX_OCTETS - 1 };
        if !first {
            out.push(' ');
        }
        if rest.len() <= room {
            out.push_str(rest);
            out.push_str("\r\n");
            return out;
        }
        let mut cut = room;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        // Back off over trailing blanks, keeping at least one character in the piece.
        let mut c = cut;
        while c > 0 && rest[..c].ends_with(' ') {
            c -= 1;
            while !rest.is_char_boundary(c) {
                c -= 1;
            }
        }
        if c > 0 {
            cut = c;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n");
        rest = &rest[cut..];
        first = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let line = format!("DESCRIPTION:{}", "é€😀 x".repeat(40));
        let folded = fold(&line);
        for piece in folded.split_terminator("\r\n") {
            assert!(piece.len() <= 75, "{} octets: {piece:?}", piece.len());
            assert!(!piece.trim_start().is_empty());
        }
        // Unfolding (drop CRLF + one space) restores the line exactly.
        assert_eq!(folded.trim_end_matches("\r\n").replace("\r\n ", ""), line);
        assert_eq!(fold("SHORT:x"), "SHORT:x\r\n");
        let exact = "X".repeat(75);
        assert_eq!(fold(&exact), format!("{exact}\r\n"));
        assert_eq!(
            fold(&"X".repeat(76)),
            format!("{}\r\n X\r\n", "X".repeat(75))
        );
    }

    #[test]
    fn a_subscription_asks_to_be_polled() {
        let cal = "BEGIN:VCALENDAR\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:x\r\nEND:VCALENDAR\r\n";
        assert_eq!(
            subscription(cal.to_string()),
            "BEGIN:VCALENDAR\r\nMETHOD:PUBLISH\r\nREFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n\
             X-PUBLISHED-TTL:PT6H\r\nX-WR-CALNAME:x\r\nEND:VCALENDAR\r\n"
        );
    }

    #[test]
    fn escapes_text() {
        assert_eq!(
            escape_text("a\\b;c,d\ne\r"),
            "a\\\\b\\;c\\,d\\ne".to_string()
        );
    }
}
