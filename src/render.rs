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
    // Read as bytes (a whole itinerary passes here), 32 at a time with no early exit so that the
    // test compiles to vector instructions: the control characters are U+0000-U+001F and
    // U+007F-U+009F, the last written 0xC2 0x80-0x9F in UTF-8 (0xC2 also starts "·", "©" and
    // the no-break space, which the slower check tells apart).
    let b = s.as_bytes();
    let suspect =
        |x: u8| (x < 0x20 && !matches!(x, b'\n' | b'\r' | b'\t')) || x == 0x7f || x == 0xc2;
    let control_at = |i: usize| {
        let x = b[i];
        x != 0xc2 || b.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n))
    };
    b.chunks(32).enumerate().any(|(c, chunk)| {
        chunk.iter().fold(false, |m, &x| m | suspect(x))
            && (0..chunk.len()).any(|i| suspect(chunk[i]) && control_at(c * 32 + i))
    })
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

/// The excerpt less what the reason beside it already quotes: its leading sentences or agenda
/// items that the reason holds word for word are left out, and a sentence the reason quotes
/// only up to its cut ("…") goes on from there (it completes the reason); empty when nothing is
/// left. Whole sentences left after the quoted ones are shown only when they hold a matched
/// word (bold): a quote beside a reason is there to show more of the evidence, and a charter's
/// next sentence may be about something else entirely ("Forward secrecy: ..." after the
/// reason's post-quantum item). A reader is not shown one sentence twice. Bold marks are kept.
pub fn beyond_reason(reason: &str, excerpt: &str) -> String {
    match after_reason(reason, excerpt) {
        Beyond::Whole => excerpt.to_string(),
        Beyond::Completes(rest) => rest,
        Beyond::After(rest) if rest.contains("**") => rest,
        Beyond::After(_) => String::new(),
    }
}

/// What of an excerpt is left beside a reason.
enum Beyond {
    /// The reason quotes none of it.
    Whole,
    /// The rest of the sentence the reason cut short, and what follows (may be empty).
    Completes(String),
    /// The sentences or items after those the reason quotes (may be empty).
    After(String),
}

/// [`beyond_reason`]'s cut: what is left of the excerpt once the reason's sentences are out.
fn after_reason(reason: &str, excerpt: &str) -> Beyond {
    const TAIL_WORTH_QUOTING: usize = 60;
    const AGENDA: &str = "On the agenda: ";
    let (lead, body) = match excerpt.strip_prefix(AGENDA) {
        Some(body) => (AGENDA, body),
        None => ("", excerpt),
    };
    // (ASCII case only: byte offsets stay those of the excerpt.)
    let reason = reason.trim_end().to_ascii_lowercase();
    // A piece ends at a sentence's or an agenda item's end followed by a space, or at the end.
    let ends: Vec<usize> = (body.match_indices(['.', ';', '…']))
        .map(|(i, m)| i + m.len())
        .filter(|&e| body[e..].starts_with(' '))
        .chain([body.len()])
        .collect();
    // A piece as the reason would hold it: plain, lower case, without its end marks.
    let core = |piece: &str| {
        let piece = crate::plan::plain(piece);
        (piece.trim().trim_matches(['.', ';', '…', ' '])).to_ascii_lowercase()
    };
    // Whether the reason quotes a piece.
    let quoted = |piece: &str| {
        let core = core(piece);
        // (Or quoted without its heading, which the reason leaves out when it is the interest
        // itself, `rank::text::after_own_heading`, or without the word tying it to the sentence
        // before, `rank::text::without_connective`.)
        let holds = |rest: &str| rest.len() >= 20 && reason.contains(rest);
        !core.is_empty()
            && (reason.contains(&core)
                || core.split_once(": ").is_some_and(|(_, rest)| holds(rest))
                || crate::rank::text::without_connective(&core).is_some_and(holds))
    };
    let (mut from, mut open) = (0, None);
    for &end in &ends {
        if end <= from {
            continue;
        }
        if !quoted(&body[from..end]) {
            open = Some(end);
            break;
        }
        from = end;
    }
    // Nor a last sentence the reason quotes, after the one the excerpt brought to explain it
    // ("Many network topologies lead to ... For example, proxying enables ..."), nor a last
    // agenda item that is the line the reason quotes. (The line itself, from its start: a
    // short item, "FreeDo KEM in IKEv2", may be named inside another line the reason quotes.)
    let quoted_last = |piece: &str| match lead {
        "" => quoted(piece),
        _ => {
            let core = core(piece);
            !core.is_empty()
                && reason.contains(&format!("{}{core}", crate::rank::text::ON_THE_AGENDA))
        }
    };
    let mut to = body.len();
    for pair in ends.windows(2).rev() {
        let [start, end] = [pair[0], pair[1]];
        if start < from || end != to || !quoted_last(&body[start..end]) {
            break;
        }
        to = start;
    }
    // The reason cut this piece short: the quote goes on from the words the reason ends with.
    let cut = open.and_then(|end| {
        let shown = reason.strip_suffix('…')?.trim_end();
        let tail_from = shown.char_indices().rev().nth(39).map_or(0, |(i, _)| i);
        // (Within the quote: not back into the reason's head or across a " … " gap.)
        let tail = &shown[tail_from..];
        let tail = [": ", "… "]
            .iter()
            .filter_map(|sep| tail.rfind(sep).map(|i| i + sep.len()))
            .max()
            .map_or(tail, |i| &tail[i..]);
        (tail.len() >= 20).then_some(())?;
        let (plain, at) = unmarked(&body[from..end]);
        let p = plain.to_ascii_lowercase().find(tail)? + tail.len();
        (p < plain.len()).then(|| from + at[p])
    });
    if let Some(c) = cut {
        // A few words that end the sentence add nothing worth a quote of their own.
        let rest = body[c..].trim_start();
        if crate::plan::plain(rest).chars().count() < TAIL_WORTH_QUOTING {
            return Beyond::Completes(String::new());
        }
        // A bold run the cut falls in is opened again.
        let bold = if body[..c].matches("**").count() % 2 == 1 {
            "**"
        } else {
            ""
        };
        return Beyond::Completes(format!("{lead}…{bold}{rest}"));
    }
    // (Agenda items are joined by "; ": the one left last ends the quote.)
    let rest = match body[from..to].trim().strip_suffix(';') {
        Some(items) => crate::rank::text::end_sentence(items),
        None => body[from..to].trim().to_string(),
    };
    match (from, rest.is_empty()) {
        (0, _) if to == body.len() => Beyond::Whole,
        (_, true) => Beyond::After(String::new()),
        // (Agenda items are joined by "; ", and a list item written as text opens with "- ":
        // the rest starts after them.)
        _ => {
            let rest = rest.trim_start_matches([';', ' ']);
            Beyond::After(format!("{lead}{}", rest.strip_prefix("- ").unwrap_or(rest)))
        }
    }
}

/// `s` without its `**` marks, and for each byte of that (and its end) the offset in `s`.
fn unmarked(s: &str) -> (String, Vec<usize>) {
    let (mut plain, mut at) = (
        String::with_capacity(s.len()),
        Vec::with_capacity(s.len() + 1),
    );
    let mut i = 0;
    while i < s.len() {
        if s[i..].starts_with("**") {
            i += 2;
            continue;
        }
        let ch = s[i..].chars().next().unwrap_or(' ');
        plain.push(ch);
        at.extend((0..ch.len_utf8()).map(|k| i + k));
        i += ch.len_utf8();
    }
    at.push(s.len());
    (plain, at)
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
mod beyond_reason_tests {
    use super::beyond_reason;

    #[test]
    fn what_the_reason_quotes_is_not_quoted_again() {
        let reason = "Privacy: the vCon working group is about passing conversational data.";
        // The reason's sentence opens the excerpt: the rest is shown.
        assert_eq!(
            beyond_reason(
                reason,
                "The vCon working group is about passing **conversational data**. Such **data** is kept."
            ),
            "Such **data** is kept."
        );
        assert_eq!(
            beyond_reason(
                reason,
                "The vCon working group is about passing conversational data. - Kept **data**"
            ),
            "Kept **data**"
        );
        // What is left holds none of the matched words: it shows nothing more of them.
        assert_eq!(
            beyond_reason(
                reason,
                "The vCon working group is about passing **conversational data**. Such is life."
            ),
            ""
        );
        // Nor a last sentence the reason quotes, after one brought to explain it (here without
        // the tie word the reason left out).
        assert_eq!(
            beyond_reason(
                reason,
                "Data is **kept**. For example, the vCon working group is about passing conversational data."
            ),
            "Data is **kept**."
        );
        // Nothing else: nothing is shown.
        assert_eq!(
            beyond_reason(
                reason,
                "The vCon working group is about passing conversational data."
            ),
            ""
        );
        // Agenda items the reason quotes are left out, the others stay on the agenda.
        let reason = "Censorship: on the agenda at this meeting: Understanding Routing-Induced \
                      Censorship Changes Globally - A. Author (20 min).";
        assert_eq!(
            beyond_reason(
                reason,
                "On the agenda: Understanding Routing-Induced **Censorship** Changes…; Other **censorship** talk."
            ),
            "On the agenda: Other **censorship** talk."
        );
        // Last as well as first: the line the reason quotes, from its start; an item the
        // reason's line only names stays.
        assert_eq!(
            beyond_reason(
                reason,
                "On the agenda: Other **censorship** talk; Understanding Routing-Induced **Censorship** Changes…"
            ),
            "On the agenda: Other **censorship** talk."
        );
        assert_eq!(
            beyond_reason(
                reason,
                "On the agenda: Other **censorship** talk; Routing-Induced **Censorship** Changes."
            ),
            "On the agenda: Other **censorship** talk; Routing-Induced **Censorship** Changes."
        );
        // A list item the reason quotes without its heading (the interest itself) is quoted.
        assert_eq!(
            beyond_reason(
                "Post-quantum cryptography: the addition of post-quantum algorithms for signing.",
                "**Post-Quantum Cryptography** (PQC): The addition of **post-quantum** algorithms \
                 for signing."
            ),
            ""
        );
        // So is a sentence the reason quotes without the word tying it to the one before.
        assert_eq!(
            beyond_reason(
                "Video: when networks enforce rate-limiters, applications struggle to adapt.",
                "However, when networks enforce rate-limiters, applications struggle to adapt."
            ),
            ""
        );
        // A reason that quotes something else leaves the excerpt whole.
        let other = "It develops tokens. More.";
        assert_eq!(beyond_reason("Privacy: a group for tokens.", other), other);
        // One that cuts the excerpt's sentence short: the quote goes on from the cut, inside
        // a bold run too.
        let cut = "Privacy: it develops anonymous tokens for the…";
        let more = " More that the reason does not say, long enough to quote.";
        assert_eq!(
            beyond_reason(
                cut,
                &format!("It develops anonymous tokens for the web.{more}")
            ),
            format!("…web.{more}")
        );
        assert_eq!(
            beyond_reason(
                cut,
                &format!("It develops **anonymous tokens for the web**.{more}")
            ),
            format!("…**web**.{more}")
        );
        // The rest of a sentence the reason cut short completes the reason, matched words
        // or not.
        let plain = " More that the reason does not say, long enough to quote.";
        assert_eq!(
            beyond_reason(
                cut,
                &format!("It develops anonymous tokens for the web.{plain}")
            ),
            format!("…web.{plain}")
        );
        // Only the sentence's last few words: no quote.
        assert_eq!(
            beyond_reason(cut, "It develops anonymous tokens for the web."),
            ""
        );
        // A cut that leaves too little to find goes unmatched: the excerpt stays whole.
        let short = "Privacy: it develops…";
        assert_eq!(beyond_reason(short, other), other);
    }
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
    fn controls_are_found_byte_wise_as_char_wise() {
        let by_char =
            |s: &str| s.contains(|c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
        for c in (0..0x800u32)
            .chain([0x2028, 0xfeff, 0x1f600])
            .filter_map(char::from_u32)
        {
            // (Also where a character straddles two blocks of 32 bytes, and in the second.)
            let pad = "a".repeat(31);
            for s in [
                format!("{c}"),
                format!("é{c}x"),
                format!("ab\n{c}"),
                format!("{pad}{c}"),
                format!("{pad}\n\n{c}{pad}"),
            ] {
                assert_eq!(has_controls(&s), by_char(&s), "{:?}", c);
            }
        }
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
