//! Renders ranked lists (`recommend`, `search`) as a table, Markdown, CSV or the JSON contract.
//!
//! Times are shown in the meeting's local zone in table/Markdown/CSV and as RFC 3339 UTC in JSON.
//! Excerpts carry `**bold**` around matching words in JSON, CSV and Markdown; the terminal table
//! shows them in ANSI bold on a terminal (unless NO_COLOR) and plain otherwise, never as `**`.

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
    // The line's length in characters, kept as it grows.
    let mut chars = 0;
    for w in s.split_whitespace() {
        let n = w.chars().count();
        if !line.is_empty() && chars + 1 + n > width {
            lines.push(std::mem::take(&mut line));
            chars = 0;
        }
        if !line.is_empty() {
            line.push(' ');
            chars += 1;
        }
        line.push_str(w);
        chars += n;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// How the terminal table shows emphasis and detail.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// Bold as ANSI escapes (a terminal without NO_COLOR); otherwise no emphasis at all.
    pub ansi: bool,
    /// Show the matched terms (`-v`).
    pub details: bool,
}

/// The group as people know it: full name, then the acronym.
pub fn group_title(name: &str, acronym: &str) -> String {
    if name.is_empty() {
        acronym.to_string()
    } else if name.eq_ignore_ascii_case(acronym) {
        name.to_string()
    } else {
        format!("{name} ({acronym})")
    }
}

pub fn table(recs: &Recommendations, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let tz = recs.timezone;
    writeln!(
        out,
        "IETF {} - times in {} - {}",
        recs.meeting,
        recs.timezone,
        recs.interests.join(" | ")
    )?;
    for n in &recs.notes {
        for l in wrap(n, TABLE_WIDTH) {
            writeln!(out, "{l}")?;
        }
    }
    if recs.results.is_empty() {
        if recs.notes.is_empty() {
            writeln!(out, "No matching sessions.")?;
        }
        return Ok(());
    }
    writeln!(
        out,
        "{:>3}  {:<12} {:<36} {:<22} ROOM",
        "#", "GROUP", "NAME", "WHEN"
    )?;
    let indent = " ".repeat(5);
    let width = TABLE_WIDTH - indent.len();
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
        let reason = if r.reason.is_empty() {
            why(r)
        } else {
            r.reason.clone()
        };
        for l in wrap(&format!("{}: {reason}", r.strength.label()), width) {
            writeln!(out, "{indent}{l}")?;
        }
        let excerpt = super::beyond_reason(&r.reason, &r.excerpt);
        if !excerpt.is_empty() {
            let lines = wrap(&format!("\"{excerpt}\""), width);
            for l in super::emphasis(&lines, style.ansi) {
                writeln!(out, "{indent}{l}")?;
            }
        }
        if style.details {
            for l in wrap(&format!("matched: {}", why(r)), width) {
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
    let tz = recs.timezone;
    writeln!(
        out,
        "# IETF {}: sessions for {}\n",
        recs.meeting,
        md_cell(&recs.interests.join("; "))
    )?;
    writeln!(out, "Times in {}.\n", recs.timezone)?;
    for n in &recs.notes {
        writeln!(out, "{}\n", md_cell(n))?;
    }
    if recs.results.is_empty() {
        if recs.notes.is_empty() {
            writeln!(out, "No matching sessions.")?;
        }
        return Ok(());
    }
    writeln!(out, "| # | Group | When | Room | Match | Why |")?;
    writeln!(out, "|---|---|---|---|---|---|")?;
    for r in &recs.results {
        let when: Vec<String> = r.sessions.iter().map(|s| when(s, tz)).collect();
        let rooms: Vec<&str> = r
            .sessions
            .iter()
            .map(|s| s.room.as_deref().unwrap_or("-"))
            .collect();
        let bof = if r.is_bof { " (BoF)" } else { "" };
        let reason = if r.reason.is_empty() {
            why(r)
        } else {
            r.reason.clone()
        };
        let mut cell = md_cell(&reason);
        let excerpt = super::beyond_reason(&r.reason, &r.excerpt);
        if !excerpt.is_empty() {
            cell.push_str("<br>");
            cell.push_str(&md_keep_bold(&excerpt));
        }
        writeln!(
            out,
            "| {} | {}{} | {} | {} | {} | {} |",
            r.rank,
            md_cell(&group_title(&r.group_name, &r.group)),
            bof,
            when.iter()
                .map(|w| md_cell(w))
                .collect::<Vec<_>>()
                .join("<br>"),
            rooms
                .iter()
                .map(|w| md_cell(w))
                .collect::<Vec<_>>()
                .join("<br>"),
            r.strength.label(),
            cell
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
    let tz = recs.timezone;
    writeln!(
        out,
        "rank,group,group_name,area,is_bof,sessions,score,matched_interests,matched_terms,excerpt,strength,reason"
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
            r.strength.as_str().to_string(),
            r.reason.clone(),
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
    fn terminal_emphasis_is_ansi_or_nothing_never_stars() {
        let lines = vec!["a **b c".to_string(), "d** e **f**".to_string()];
        assert_eq!(
            super::super::emphasis(&lines, false),
            vec!["a b c", "d e f"]
        );
        assert_eq!(
            super::super::emphasis(&lines, true),
            vec![
                "a \x1b[1mb c\x1b[22m",
                "\x1b[1md\x1b[22m e \x1b[1mf\x1b[22m"
            ]
        );
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
