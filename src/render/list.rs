//! Renders ranked lists (`recommend`, `search`) as a table, Markdown, CSV or the JSON contract.
//!
//! Times are shown in the meeting's local zone in table/Markdown/CSV and as RFC 3339 UTC in JSON.
//! Excerpts carry `**bold**` around matching words in every format.

use super::{md_escape, md_keep_bold};
use crate::model::{Recommendation, Recommendations, SessionRef};
use chrono_tz::Tz;
use std::io::{self, Write};

/// Width the table is laid out for.
pub const TABLE_WIDTH: usize = 100;

pub fn json(recs: &Recommendations, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, recs).map_err(io::Error::other)?;
    writeln!(out)
}

fn tz(recs: &Recommendations) -> Tz {
    recs.timezone.parse().unwrap_or(chrono_tz::UTC)
}

/// `Mon 07 Nov 09:30-11:30` in the meeting's zone.
pub fn when(s: &SessionRef, tz: Tz) -> String {
    let a = s.start.with_timezone(&tz);
    let b = s.end.with_timezone(&tz);
    format!("{}-{}", a.format("%a %d %b %H:%M"), b.format("%H:%M"))
}

fn why(r: &Recommendation) -> String {
    let mut s = r.matched_interests.join("; ");
    if !r.matched_terms.is_empty() {
        if !s.is_empty() {
            s.push_str(": ");
        }
        s.push_str(&r.matched_terms.join(", "));
    }
    s
}

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('~');
        t
    }
}

/// Greedy word wrap to `width` columns.
fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for w in s.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + w.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(w);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

pub fn table(recs: &Recommendations, out: &mut dyn Write) -> io::Result<()> {
    let tz = tz(recs);
    writeln!(
        out,
        "IETF {} - times in {} - {}",
        recs.meeting,
        recs.timezone,
        recs.interests.join(" | ")
    )?;
    if recs.results.is_empty() {
        return writeln!(out, "No matching sessions.");
    }
    writeln!(
        out,
        "{:>3}  {:<12} {:<36} {:<22} ROOM",
        "#", "GROUP", "NAME", "WHEN"
    )?;
    let indent = " ".repeat(5);
    for r in &recs.results {
        let mut group = r.group.clone();
        if r.is_bof {
            group.push_str(" (BoF)");
        }
        for (i, s) in r.sessions.iter().enumerate() {
            let (rank, g, name) = if i == 0 {
                (r.rank.to_string(), cut(&group, 12), cut(&r.group_name, 36))
            } else {
                (String::new(), String::new(), String::new())
            };
            writeln!(
                out,
                "{rank:>3}  {g:<12} {name:<36} {:<22} {}",
                when(s, tz),
                cut(s.room.as_deref().unwrap_or("-"), 22)
            )?;
        }
        for l in wrap(&format!("why: {}", why(r)), TABLE_WIDTH - indent.len()) {
            writeln!(out, "{indent}{l}")?;
        }
        if !r.excerpt.is_empty() {
            for l in wrap(&format!("\"{}\"", r.excerpt), TABLE_WIDTH - indent.len()) {
                writeln!(out, "{indent}{l}")?;
            }
        }
    }
    Ok(())
}

/// A Markdown table cell: escaped like every Markdown wgrec writes, on one line.
fn md_cell(s: &str) -> String {
    md_escape(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn markdown(recs: &Recommendations, out: &mut dyn Write) -> io::Result<()> {
    let tz = tz(recs);
    writeln!(
        out,
        "# IETF {}: sessions for {}\n",
        recs.meeting,
        md_cell(&recs.interests.join("; "))
    )?;
    writeln!(out, "Times in {}.\n", recs.timezone)?;
    if recs.results.is_empty() {
        return writeln!(out, "No matching sessions.");
    }
    writeln!(out, "| # | Group | Name | When | Room | Why |")?;
    writeln!(out, "|---|---|---|---|---|---|")?;
    for r in &recs.results {
        let when: Vec<String> = r.sessions.iter().map(|s| when(s, tz)).collect();
        let rooms: Vec<&str> = r
            .sessions
            .iter()
            .map(|s| s.room.as_deref().unwrap_or("-"))
            .collect();
        let bof = if r.is_bof { " (BoF)" } else { "" };
        writeln!(
            out,
            "| {} | {}{} | {} | {} | {} | {}<br>{} |",
            r.rank,
            md_cell(&r.group),
            bof,
            md_cell(&r.group_name),
            when.iter()
                .map(|w| md_cell(w))
                .collect::<Vec<_>>()
                .join("<br>"),
            rooms
                .iter()
                .map(|w| md_cell(w))
                .collect::<Vec<_>>()
                .join("<br>"),
            md_cell(&why(r)),
            md_keep_bold(&r.excerpt)
        )?;
    }
    Ok(())
}

/// RFC 4180 field: quoted when it holds a comma, quote or line break.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn csv(recs: &Recommendations, out: &mut dyn Write) -> io::Result<()> {
    let tz = tz(recs);
    writeln!(
        out,
        "rank,group,group_name,area,is_bof,sessions,score,matched_interests,matched_terms,excerpt"
    )?;
    for r in &recs.results {
        let sessions: Vec<String> = r
            .sessions
            .iter()
            .map(|s| format!("{} {}", when(s, tz), s.room.as_deref().unwrap_or("-")))
            .collect();
        let row = [
            r.rank.to_string(),
            r.group.clone(),
            r.group_name.clone(),
            r.area.clone().unwrap_or_default(),
            r.is_bof.to_string(),
            sessions.join("; "),
            r.score.to_string(),
            r.matched_interests.join("; "),
            r.matched_terms.join("; "),
            r.excerpt.clone(),
        ];
        let row: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
        writeln!(out, "{}", row.join(","))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_it() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn markdown_cells_escape_pipes() {
        assert_eq!(md_cell("a | b\nc"), "a \\| b c");
        assert_eq!(
            md_cell("<b>x</b> [l](u)"),
            "&lt;b&gt;x&lt;/b&gt; \\[l\\](u)"
        );
    }
}
