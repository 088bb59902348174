//! Output formats. Each renderer takes plain `model` values and writes text.

pub mod ics;
pub mod itinerary;
pub mod list;

/// `s` without control characters other than line breaks, carriage returns and tabs: the last
/// guard before text reaches a terminal, a report or a file (terminal escapes start with one).
pub fn without_controls(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
        .collect()
}

/// Escapes user- and data-supplied text for inline Markdown: `<`, `>` and `&` become entities
/// (no raw HTML, no smuggled entities, whatever the renderer), and the characters that would
/// start emphasis, code, links, headings, table cells or strike-through are backslash-escaped.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            '\\' | '*' | '_' | '`' | '[' | ']' | '|' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(ch);
            }
            _ => out.push(ch),
        }
    }
    out
}

/// Escapes text for Markdown but keeps the ranking's `**bold**` marks.
pub fn md_keep_bold(s: &str) -> String {
    s.split("**").map(md_escape).collect::<Vec<_>>().join("**")
}
