//! Output formats. Each renderer takes plain `model` values and writes text.

pub mod guide;
pub mod html;
pub mod ics;
pub mod itinerary;
pub mod list;
pub mod report;

/// `s` without control characters other than line breaks, carriage returns and tabs: the last
/// guard before text reaches a terminal, a report or a file (terminal escapes start with one).
pub fn without_controls(s: &str) -> String {
    if !has_controls(s) {
        return s.to_string();
    }
    s.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
        .collect()
}

/// Whether `s` holds a control character other than a line break, carriage return or tab.
fn has_controls(s: &str) -> bool {
    s.contains(|c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// ANSI bold on and off: the only escapes wgrec itself writes (terminal emphasis in tables).
pub const BOLD_ON: &str = "\x1b[1m";
pub const BOLD_OFF: &str = "\x1b[22m";

/// [`without_controls`], keeping exactly wgrec's own bold on/off sequences: the last guard for
/// a table shown on a terminal. Upstream text was stripped of escapes when it was parsed, so a
/// bold sequence here is one the table renderer wrote.
pub fn without_controls_but_bold(s: &str) -> String {
    // The bold marks start with a control character too: without any (but the kept ones),
    // nothing changes.
    if !has_controls(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if let Some(seq) = [BOLD_ON, BOLD_OFF]
            .into_iter()
            .find(|q| rest.starts_with(q))
        {
            out.push_str(seq);
            rest = &rest[seq.len()..];
            continue;
        }
        if !c.is_control() || matches!(c, '\n' | '\r' | '\t') {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// A result's matched interests, split into those it is strong for (`strong`) and those it is
/// only possibly related to (in the order they were asked).
pub fn interests_by_strength<'a>(
    matched: &'a [String],
    strong: &[String],
) -> (Vec<&'a str>, Vec<&'a str>) {
    matched
        .iter()
        .map(String::as_str)
        .partition(|i| strong.iter().any(|s| s == i))
}

/// Escapes user- and data-supplied text for inline Markdown: `<` and `>` become entities (no raw
/// HTML, whatever the renderer), an `&` that would start an entity reference becomes `&amp;`
/// (no smuggled entities; a lone one stays as written, "Deployability, & Maintainability", so the
/// text reads well as plain text too), and the characters that would start emphasis, code,
/// links, headings, table cells or strike-through are backslash-escaped.
pub fn md_escape(s: &str) -> String {
    // Every character escaped is ASCII: the runs between them are copied whole, not char by
    // char (reasons and excerpts are long and have few).
    const SIGN: [bool; 256] = {
        let mut t = [false; 256];
        let signs = b"<>&\n\r\\*_`[]|#~!";
        let mut i = 0;
        while i < signs.len() {
            t[signs[i] as usize] = true;
            i += 1;
        }
        t
    };
    let mut out = String::with_capacity(s.len() + 8);
    let mut rest = s;
    while let Some(i) = rest.bytes().position(|b| SIGN[usize::from(b)]) {
        out.push_str(&rest[..i]);
        let ch = char::from(rest.as_bytes()[i]);
        rest = &rest[i + 1..];
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' if starts_entity(rest) => out.push_str("&amp;"),
            '&' => out.push('&'),
            '\n' | '\r' => out.push(' '),
            _ => {
                out.push('\\');
                out.push(ch);
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether the text after an `&` would make it an entity reference in CommonMark: a name or a
/// decimal or hexadecimal number, then `;` ("amp;", "#38;", "#x26;").
fn starts_entity(after: &str) -> bool {
    let body = after
        .strip_prefix('#')
        .map_or(after, |n| n.strip_prefix(['x', 'X']).unwrap_or(n));
    let len = body.bytes().take_while(u8::is_ascii_alphanumeric).count();
    len > 0 && body.as_bytes().get(len) == Some(&b';')
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
                out.push_str(BOLD_ON);
            }
            for (i, part) in line.split("**").enumerate() {
                if i > 0 {
                    bold = !bold;
                    if ansi {
                        out.push_str(if bold { BOLD_ON } else { BOLD_OFF });
                    }
                }
                out.push_str(part);
            }
            if ansi && bold {
                out.push_str(BOLD_OFF);
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

#[cfg(test)]
mod guard_tests {
    use super::*;

    #[test]
    fn the_last_guard_keeps_only_our_bold() {
        let s = format!("{BOLD_ON}a{BOLD_OFF} \x1b[31mred\x1b]0;t\x07 \u{9b}2J\tok\n");
        assert_eq!(
            without_controls_but_bold(&s),
            format!("{BOLD_ON}a{BOLD_OFF} [31mred]0;t 2J\tok\n")
        );
        assert_eq!(without_controls(&s), "[1ma[22m [31mred]0;t 2J\tok\n");
    }

    #[test]
    fn markdown_escaping_copies_runs_and_escapes_each_sign() {
        // What it did char by char before it copied the runs between signs whole.
        let by_char = |s: &str| {
            let mut out = String::new();
            for (i, ch) in s.char_indices() {
                match ch {
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '&' if starts_entity(&s[i + 1..]) => out.push_str("&amp;"),
                    '\n' | '\r' => out.push(' '),
                    '\\' | '*' | '_' | '`' | '[' | ']' | '|' | '#' | '~' | '!' => {
                        out.push('\\');
                        out.push(ch);
                    }
                    _ => out.push(ch),
                }
            }
            out
        };
        for s in [
            "",
            "plain text, no signs",
            "Zoë & «co» <b>x</b>",
            "a & <b> ~~s~~ ![i](u) | #",
            "end sign!",
            "!start\r\nline\\",
            "ünï*cödé_`[]`",
            "&amp; &#38; &#x26; AT&T; & &",
        ] {
            assert_eq!(md_escape(s), by_char(s), "{s}");
        }
    }

    /// A lone `&` reads as itself in every CommonMark renderer and in plain text; one that
    /// would start an entity reference is escaped, so the text shows as written.
    #[test]
    fn only_an_ampersand_that_starts_an_entity_is_escaped() {
        assert_eq!(
            md_escape("Deployability, & Maintainability"),
            "Deployability, & Maintainability"
        );
        assert_eq!(md_escape("R&D"), "R&D");
        assert_eq!(
            md_escape("&amp; &#38; &#x26;"),
            "&amp;amp; &amp;\\#38; &amp;\\#x26;"
        );
        assert_eq!(md_escape("AT&T; &;"), "AT&amp;T; &;");
        assert_eq!(md_escape("&#; &#x;"), "&\\#; &\\#x;");
    }
}
