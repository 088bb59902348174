//! Output formats. Each renderer takes plain `model` values and writes text.

pub mod ics;
pub mod itinerary;
pub mod list;

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

/// Turns the `**bold**` marks of wrapped lines into ANSI bold (`ansi`) or removes them: a
/// terminal never shows literal `**`. A run cut by a line break goes on in the next line.
pub fn emphasis(lines: &[String], ansi: bool) -> Vec<String> {
    let mut bold = false;
    lines
        .iter()
        .map(|line| {
            let mut out = String::with_capacity(line.len() + 8);
            if ansi && bold {
                out.push_str("\x1b[1m");
            }
            for (i, part) in line.split("**").enumerate() {
                if i > 0 {
                    bold = !bold;
                    if ansi {
                        out.push_str(if bold { "\x1b[1m" } else { "\x1b[22m" });
                    }
                }
                out.push_str(part);
            }
            if ansi && bold {
                out.push_str("\x1b[22m");
            }
            out
        })
        .collect()
}

/// Whether stdout gets ANSI emphasis: a terminal, and no `NO_COLOR` (<https://no-color.org>).
pub fn ansi_stdout() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
