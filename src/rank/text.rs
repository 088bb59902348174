//! Clean text for people: charters and agendas reduced to prose (Markdown and HTML stripped),
//! excerpts cut at sentence boundaries with only whole matched content words in `**bold**`, and
//! the one plain sentence that says why a group matters for an interest.
//!
//! Highlighting never marks a stop word on its own, never reaches inside a URL, a draft name or
//! another identifier (`draft-ietf-quic-multipath`, `example.org/5g`), never nests, and marks a
//! matched phrase as one run (`**route origin validation**`).

/// Longest excerpt, in characters, before a sentence is cut.
pub const EXCERPT_CHARS: usize = 240;
/// The longest a quote's first sentence, or the sentences it needs before it, may run.
const EXCERPT_MAX: usize = EXCERPT_CHARS + 60;
/// How a reason quoting this meeting's agenda introduces the line it quotes.
pub const ON_THE_AGENDA: &str = "on the agenda at this meeting: ";
/// How a reason quoting a minutes' action item introduces what it asks.
pub const AN_ACTION_ITEM: &str = "an action item at this meeting: ";
/// Longest reason sentence, in characters (the interest's label and gloss come on top).
pub const REASON_CHARS: usize = 200;

/// Words that are never highlighted alone.
const STOP: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "how", "in", "into", "is",
    "it", "its", "of", "on", "or", "that", "the", "their", "this", "to", "with", "via", "not",
    "no", "can", "will", "may", "all", "any", "we", "our",
];

/// Fenced blocks whose info string names one of these hold prose, not code: agendas written
/// by a tool often come wrapped whole in "```markdown", closed or not.
const PROSE_FENCES: &[&str] = &["markdown", "md", "text", "txt", "plain"];

/// Markdown and HTML reduced to plain lines of prose: code blocks dropped (a fence marked as
/// Markdown or text is read), headings, list markers, emphasis, links, escapes, tags and
/// entities removed. Lines stay lines.
pub fn clean(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    // The open prose fence's marker, and the open code fence's (inside the prose one or not).
    let (mut prose, mut code): (Option<&str>, Option<&str>) = (None, None);
    for line in text.lines() {
        let t = line.trim();
        let fence = (t.starts_with("```") || t.starts_with("~~~")).then(|| {
            let info = t[3..].trim_start_matches(&t[..1]).trim();
            (&t[..3], info.to_ascii_lowercase())
        });
        if let Some(c) = code {
            // Only a bare fence closes a block; "```json" inside one is its text.
            if fence
                .as_ref()
                .is_some_and(|(m, info)| *m == c && info.is_empty())
            {
                code = None;
            }
            continue;
        }
        if let Some((marker, info)) = fence {
            match prose {
                Some(p) if p == marker && info.is_empty() => prose = None,
                None if PROSE_FENCES.contains(&info.as_str()) => prose = Some(marker),
                // A code block, at the top or inside a prose fence ("```json" in a Markdown
                // agenda): dropped.
                _ => code = Some(marker),
            }
            continue;
        }
        // Indented code is rare in agendas; a rule line says nothing.
        if t.len() >= 3 && t.chars().all(|c| matches!(c, '-' | '*' | '_' | '=' | ' ')) {
            continue;
        }
        let mut l = t.trim_start_matches('>').trim_start();
        l = l.trim_start_matches('#').trim_start();
        // List markers: "- ", "* ", "+ ", "1. ", "1) ".
        for m in ["- ", "* ", "+ "] {
            if let Some(rest) = l.strip_prefix(m) {
                l = rest;
            }
        }
        let digits = l.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && digits < 4 {
            let rest = &l[digits..];
            if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
                l = r;
            }
        }
        let l = inline(l);
        let l = l.split_whitespace().collect::<Vec<_>>().join(" ");
        let l = run_in_list(l);
        if !l.is_empty() {
            out.push(l);
        }
    }
    out.join("\n")
}

/// A list whose line breaks were lost, run into the sentence that opens it with a colon ("the
/// topics in development are: - DHCPv6 Failover - DHCPv6 Load Balancing"), as one line that
/// reads: "are: DHCPv6 Failover; DHCPv6 Load Balancing". Only after such a colon, and only a
/// dash before a capital, is taken for an item's marker: elsewhere a spaced dash is prose.
fn run_in_list(line: String) -> String {
    let is_item = |after: &str| after.starts_with(|c: char| c.is_uppercase());
    let Some(open) = line
        .match_indices(": - ")
        .find(|(at, m)| is_item(&line[at + m.len()..]))
        .map(|(at, _)| at)
    else {
        return line;
    };
    let (head, items) = line.split_at(open + ": - ".len());
    let mut out = String::with_capacity(line.len());
    out.push_str(&head[..open + 2]);
    let mut rest = items;
    while let Some(at) = rest
        .match_indices(" - ")
        .find(|(at, m)| is_item(&rest[at + m.len()..]))
        .map(|(at, _)| at)
    {
        out.push_str(rest[..at].trim_end_matches([',', ';']));
        out.push_str("; ");
        rest = &rest[at + " - ".len()..];
    }
    out.push_str(rest);
    out
}

/// Inline Markdown and HTML to text.
/// Stays whole: one character scanner with its states (code, links, emphasis, tags).
fn inline(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if chars.get(i + 1).is_some_and(|n| n.is_ascii_punctuation()) => {
                out.push(chars[i + 1]);
                i += 2;
                continue;
            }
            '<' if chars
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == '/' || *n == '!') =>
            {
                // A tag (or an autolink, whose address is kept as text).
                if let Some(end) = chars[i..].iter().position(|x| *x == '>') {
                    let inner: String = chars[i + 1..i + end].iter().collect();
                    if inner.contains("://") && !inner.contains(' ') {
                        out.push_str(&inner);
                    } else {
                        out.push(' ');
                    }
                    i += end + 1;
                    continue;
                }
            }
            '&' => {
                let rest: String = chars[i..chars.len().min(i + 8)].iter().collect();
                let mut done = false;
                for (ent, rep) in [
                    ("&amp;", "&"),
                    ("&lt;", "<"),
                    ("&gt;", ">"),
                    ("&quot;", "\""),
                    ("&#39;", "'"),
                    ("&nbsp;", " "),
                ] {
                    if rest.starts_with(ent) {
                        out.push_str(rep);
                        i += ent.chars().count();
                        done = true;
                        break;
                    }
                }
                if done {
                    continue;
                }
            }
            '!' if chars.get(i + 1) == Some(&'[') => {
                i += 1;
                continue;
            }
            '[' => {
                // [text](url) -> text
                if let Some(close) = chars[i..].iter().position(|x| *x == ']')
                    && chars.get(i + close + 1) == Some(&'(')
                    && let Some(end) = chars[i + close..].iter().position(|x| *x == ')')
                {
                    out.extend(&chars[i + 1..i + close]);
                    i += close + end + 1;
                    continue;
                }
            }
            '*' | '`' | '~' => {
                i += 1;
                continue;
            }
            '_' => {
                // Emphasis, not the underscore inside an identifier (AS_SET).
                let before = i > 0 && chars[i - 1].is_alphanumeric();
                let after = chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
                if !(before && after) {
                    i += 1;
                    continue;
                }
            }
            '|' => {
                out.push(' ');
                i += 1;
                continue;
            }
            _ => {}
        }
        out.push(c);
        i += 1;
    }
    out
}

/// A URL, an e-mail address, a draft or RFC name, a file or another identifier: never bold.
fn is_identifier(core: &str) -> bool {
    // Every sign below needs one of these characters or an "rfc" start: most words have none.
    if !core.contains(['/', '\\', '@', '_', '=', '#', ':', '.', '-'])
        && !core.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("rfc"))
    {
        return false;
    }
    let lower = core.to_lowercase();
    let inner_dot = core
        .char_indices()
        .any(|(i, c)| c == '.' && i > 0 && i + 1 < core.len());
    // A name written with one slash between two short parts ("S/MIME", "TCP/IP", "HTTP/3") is
    // a word, not a path.
    let slash_word = core.split_once('/').is_some_and(|(a, b)| {
        let part =
            |p: &str| (1..=6).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric());
        part(a) && part(b) && a.chars().any(|c| c.is_ascii_alphabetic())
    });
    lower.contains("://")
        || lower.starts_with("www.")
        || lower.starts_with("draft-")
        || lower.contains("-ietf-")
        || lower.contains("-irtf-")
        || core.contains(['\\', '@', '_', '=', '#', ':'])
        || (core.contains('/') && !slash_word)
        || inner_dot
        || (lower.starts_with("rfc")
            && lower[3..].chars().all(|c| c.is_ascii_digit())
            && core.len() > 3)
}

struct Chunk<'a> {
    lead: &'a str,
    core: &'a str,
    trail: &'a str,
}

fn chunks(text: &str) -> Vec<Chunk<'_>> {
    text.split(' ')
        .map(|w| {
            let start = w.find(char::is_alphanumeric).unwrap_or(w.len());
            let end = w.rfind(char::is_alphanumeric).map_or(start, |i| {
                i + w[i..].chars().next().map_or(1, char::len_utf8)
            });
            let end = end.max(start);
            Chunk {
                lead: &w[..start],
                core: &w[start..end],
                trail: &w[end..],
            }
        })
        .collect()
}

/// How [`marks`] reads a unit followed by "Working Group", "WG" or "RG".
#[derive(Clone, Copy)]
pub(super) enum Titles<'a> {
    /// As any other match (a reason's cut keeps whatever it matched).
    Match,
    /// As no match, unless one of its words is the group's own (these words of its name and
    /// acronym, any case: "the DNS Operations Working Group" is DNSOP's own title). The cell
    /// is set when a match was passed over so.
    OthersSayNothing(&'a [String], &'a std::cell::Cell<bool>),
}

/// Which chunks of `text` (split at spaces) a unit covers exactly, unit by unit. `known`: the
/// text's stems as the analyzer cut it, used word for word when they line up with the chunks'
/// words (the analyzer splits at the same characters; a word it dropped breaks the line-up).
fn marks<S: AsRef<str>, U: AsRef<[String]>>(
    cs: &[Chunk],
    units: &[U],
    stem: &dyn Fn(&str) -> Vec<String>,
    for_bold: bool,
    known: Option<&[S]>,
    titles: Titles,
) -> (Vec<bool>, usize) {
    let counts: Vec<usize> = cs.iter().map(|c| alnum_words(c.core).count()).collect();
    let mut known = known
        .filter(|k| counts.iter().sum::<usize>() == k.len())
        .map(|k| k.iter());
    // Flat tokens: (chunk, stem, first of its chunk, last of its chunk).
    // Known stems are borrowed, not copied: a sentence's words are many.
    let mut toks: Vec<(usize, std::borrow::Cow<str>, bool, bool)> = Vec::new();
    for (ci, c) in cs.iter().enumerate() {
        if c.core.is_empty() || (for_bold && is_identifier(c.core)) {
            // An identifier breaks any phrase running through it.
            toks.push((ci, "".into(), true, true));
            if let (Some(k), n @ 1..) = (known.as_mut(), counts[ci]) {
                k.nth(n - 1);
            }
            continue;
        }
        let n = counts[ci];
        let words = alnum_words(c.core);
        for (k, w) in words.enumerate() {
            let st = match known.as_mut().and_then(Iterator::next) {
                Some(st) => st.as_ref().into(),
                None => stem(w).into_iter().next().unwrap_or_default().into(),
            };
            toks.push((ci, st, k == 0, k + 1 == n));
        }
    }
    // A match that is another group's title ("the S/MIME Working Groups have been closed")
    // names that group; it says nothing of the topic. (The group's own title, "The Inter-Domain
    // Routing Working Group is chartered ...", says what it works on.)
    let titles_group = |from: usize, after: usize| {
        let Titles::OthersSayNothing(own, passed_over) = titles else {
            return false;
        };
        let next = |k: usize| toks.get(after + k).map(|t| t.1.as_ref());
        let title = matches!(next(0), Some("wg" | "rg"))
            || (matches!(next(0), Some("work" | "working" | "research"))
                && matches!(next(1), Some("group" | "groups")));
        // (Read as written: this is rare, and the group's words need no analyzer.)
        let own_word = |ci: usize| {
            alnum_words(cs[ci].core).any(|w| own.iter().any(|o| o.eq_ignore_ascii_case(w)))
        };
        let other = title && !toks[from..after].iter().any(|t| own_word(t.0));
        if other {
            passed_over.set(true);
        }
        other
    };
    let mut marked = vec![false; cs.len()];
    let mut distinct = 0;
    // Every unit is looked for at every word: a word's key tells most words apart at once.
    let keys: Vec<u64> = toks.iter().map(|t| stem_key(&t.1)).collect();
    for u in units {
        let u = u.as_ref();
        if u.is_empty() || u.iter().any(String::is_empty) {
            continue;
        }
        let first = stem_key(&u[0]);
        let mut hit = false;
        for i in 0..toks.len().saturating_sub(u.len() - 1) {
            if keys[i] != first {
                continue;
            }
            let span = &toks[i..i + u.len()];
            if span.iter().zip(u).all(|(t, s)| t.1 == *s)
                && span[0].2
                && span[u.len() - 1].3
                && !titles_group(i, i + u.len())
            {
                if u.len() == 1 {
                    let word = cs[span[0].0].core.to_lowercase();
                    if STOP.contains(&word.as_str()) || word.chars().count() < 2 {
                        continue;
                    }
                }
                hit = true;
                for t in span {
                    marked[t.0] = true;
                }
            }
        }
        distinct += usize::from(hit);
    }
    (marked, distinct)
}

/// A stem's length and first bytes in one number: equal stems have equal keys.
fn stem_key(stem: &str) -> u64 {
    let b = stem.as_bytes();
    let mut head = [0u8; 8];
    let n = b.len().min(7);
    head[..n].copy_from_slice(&b[..n]);
    head[7] = b.len().min(255) as u8;
    u64::from_le_bytes(head)
}

/// `text` (one line) with the whole chunks that matched a unit in `**bold**`, one run per
/// stretch of adjacent matches.
pub fn highlight(text: &str, units: &[Vec<String>], stem: &dyn Fn(&str) -> Vec<String>) -> String {
    highlight_known::<&str>(text, units, stem, None, Titles::Match)
}

/// [`highlight`] with the text's stems when known (see [`marks`]).
fn highlight_known<S: AsRef<str>>(
    text: &str,
    units: &[Vec<String>],
    stem: &dyn Fn(&str) -> Vec<String>,
    known: Option<&[S]>,
    titles: Titles,
) -> String {
    let cs = chunks(text);
    let (marked, _) = marks(&cs, units, stem, true, known, titles);
    let mut out = String::with_capacity(text.len() + 16);
    let mut open = false;
    for (i, c) in cs.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(c.lead);
        if marked[i] && !open {
            out.push_str("**");
            open = true;
        }
        out.push_str(c.core);
        // A run goes on only into the next matched chunk with no punctuation between.
        let next_joins = marked[i]
            && c.trail.is_empty()
            && cs
                .get(i + 1)
                .is_some_and(|n| n.lead.is_empty() && !n.core.is_empty())
            && marked.get(i + 1) == Some(&true);
        if open && !next_joins {
            out.push_str("**");
            open = false;
        }
        out.push_str(c.trail);
    }
    out
}

/// How many distinct units a sentence holds (for choosing the excerpt).
fn weight<S: AsRef<str>>(
    text: &str,
    units: &[Vec<String>],
    stem: &dyn Fn(&str) -> Vec<String>,
    known: Option<&[S]>,
    titles: Titles,
) -> usize {
    marks(&chunks(text), units, stem, false, known, titles).1
}

/// Whether `sentence` holds units only as another group's title ("the S/MIME Working Groups";
/// `own`: the group's own words, as in [`Titles`]). `stems`: the sentence's stems, joined by
/// spaces.
pub(super) fn only_in_titles<U: AsRef<[String]>>(
    (sentence, stems): (&str, &str),
    units: &[U],
    stem: &dyn Fn(&str) -> Vec<String>,
    own: &[String],
) -> bool {
    // Cheap first, on the stems: a unit found anywhere but before a title settles it (most
    // sentences).
    if !TITLE_STEMS.iter().any(|t| stems.contains(t)) {
        return false;
    }
    let mut found = false;
    for u in units {
        let u = u.as_ref();
        let joined;
        let phrase = match u {
            [one] => one.as_str(),
            _ => {
                joined = u.join(" ");
                joined.as_str()
            }
        };
        if phrase.is_empty() {
            continue;
        }
        for (i, _) in stems.match_indices(phrase) {
            let end = i + phrase.len();
            let whole = (i == 0 || stems.as_bytes()[i - 1] == b' ')
                && stems.as_bytes().get(end).is_none_or(|&b| b == b' ');
            if !whole {
                continue;
            }
            if !TITLE_STEMS.iter().any(|t| stems[end..].starts_with(t)) {
                return false;
            }
            found = true;
        }
    }
    if !found {
        return false;
    }
    // Every match is before a title: whether one is the group's own, as marks reads them.
    held_beyond_titles((sentence, stems), units, stem, own) == 0
}

/// How many units `sentence` holds beyond other groups' titles, when it holds some only as
/// titles ("... done jointly with the TEAS working group"): `None` when its titles take none
/// (most sentences: no title at all, checked first on the stems). `stems`: the sentence's
/// stems, joined by spaces; `own` as in [`Titles`].
pub(super) fn beyond_titles<U: AsRef<[String]>>(
    sentence: (&str, &str),
    units: &[U],
    stem: &dyn Fn(&str) -> Vec<String>,
    own: &[String],
) -> Option<usize> {
    if !TITLE_STEMS.iter().any(|t| sentence.1.contains(t)) {
        return None;
    }
    let all = count_in(sentence, units, stem, Titles::Match);
    let beyond = held_beyond_titles(sentence, units, stem, own);
    (beyond < all).then_some(beyond)
}

/// How many units `sentence` holds, other groups' titles left out (all it holds when it names
/// no other group).
pub(super) fn held_beyond_titles<U: AsRef<[String]>>(
    sentence: (&str, &str),
    units: &[U],
    stem: &dyn Fn(&str) -> Vec<String>,
    own: &[String],
) -> usize {
    let passed_over = std::cell::Cell::new(false);
    let others = Titles::OthersSayNothing(own, &passed_over);
    count_in(sentence, units, stem, others)
}

/// How many units `sentence` holds as `titles` reads them, its known `stems` word for word.
fn count_in<U: AsRef<[String]>>(
    (sentence, stems): (&str, &str),
    units: &[U],
    stem: &dyn Fn(&str) -> Vec<String>,
    titles: Titles,
) -> usize {
    let known: Vec<&str> = words_of(stems).collect();
    marks(
        &chunks(sentence),
        units,
        stem,
        false,
        Some(&known[..]),
        titles,
    )
    .1
}

/// A group's title after its name, as stems ("the TEAS working group": "teas work group").
const TITLE_STEMS: &[&str] = &[" work group", " research group", " wg", " rg"];

/// Cuts `s` at a word boundary to at most `max` characters, with `…`.
pub fn cut_words(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max).collect();
    if let Some(i) = t.rfind(' ') {
        t.truncate(i);
    }
    // Not inside brackets it opened: "... such as ALPN (Application-Layer…" reads as broken,
    // "... such as ALPN…" does not. (Unless that would leave less than half.)
    if let Some(open) = unclosed_paren(&t).filter(|&o| o >= max / 2) {
        t.truncate(open);
    }
    trail_off(&t)
}

/// The position of the first bracket `t` opens and leaves open, if any.
fn unclosed_paren(t: &str) -> Option<usize> {
    let (mut depth, mut outer) = (0usize, 0);
    for (i, b) in t.bytes().enumerate() {
        match b {
            b'(' if depth == 0 => (depth, outer) = (1, i),
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    (depth > 0).then_some(outer)
}

/// Whether a sentence leans on the ones before it for its meaning: "this functionality",
/// "these techniques", "such use cases", "the above properties", "the topics below". "This
/// working group", "this document" and "such as" stand on their own.
pub fn refers_back(sentence: &str) -> bool {
    // Cheap first: most sentences hold no pointing word at all ("This", "THIS", "these", ...;
    // a word in mixed case inside, "tHis", is not read as one).
    const PIECES: &[&str] = &[
        "his",
        "hese",
        "hose",
        "uch",
        "bove",
        "elow",
        "mentioned",
        "HIS",
        "HESE",
        "HOSE",
        "UCH",
        "BOVE",
        "ELOW",
        "MENTIONED",
    ];
    if !PIECES.iter().any(|p| sentence.contains(p)) {
        return false;
    }
    let mut last: Option<&str> = None;
    for w in alnum_words(sentence) {
        if last.is_some_and(|l| points_back(l, w)) {
            return true;
        }
        last = Some(w);
    }
    last.is_some_and(|w| is_one_of(&["this", "these", "above", "below"], w))
}

fn is_one_of(list: &[&str], x: &str) -> bool {
    list.iter().any(|l| l.eq_ignore_ascii_case(x))
}

/// Whether `word` then `next` point back ("these techniques"), as [`refers_back`] reads them.
fn points_back(word: &str, next: &str) -> bool {
    const POINTS: &[&str] = &["this", "these", "those", "such", "above", "aforementioned"];
    const OWN: &[&str] = &[
        "as",
        "working",
        "group",
        "wg",
        "research",
        "rg",
        "charter",
        "document",
        "documents",
        "meeting",
        "session",
        "area",
        "ietf",
        "irtf",
    ];
    // "those defining RPC", "those used by ...": the sentence says which.
    let defined_here =
        word.eq_ignore_ascii_case("those") && (next.ends_with("ing") || next.ends_with("ed"));
    // "such a technique": which one, the sentences before said.
    let such_a = word.eq_ignore_ascii_case("such") && is_one_of(&["a", "an"], next);
    such_a
        || (is_one_of(POINTS, word)
            && !is_one_of(OWN, next)
            && !is_one_of(STOP, next)
            && !defined_here)
}

/// Whether a sentence opens or ends by pointing back: "It will ...", "These credentials ...",
/// "Such topics include ...", "... to enable this functionality." ("This working group ..." and
/// "Such as ..." do not, as for [`refers_back`]). Quoted alone it reads as a fragment, where
/// one that points back in passing ("..., where such paths can provide bounds") does not.
pub fn leans_back(sentence: &str) -> bool {
    let mut words = alnum_words(sentence);
    let first = words.next().unwrap_or("");
    let second = words.next().unwrap_or("");
    // "Or being able to ...": the rest of the sentence before; "In these cases, ...": a
    // preposition, then what points back.
    const JOINS: &[&str] = &["or", "and", "but", "nor"];
    const PREPOSITIONS: &[&str] = &["in", "for", "to", "under", "with", "by", "from", "of"];
    let opens = is_one_of(&["it", "its", "they", "their"], first)
        || is_one_of(JOINS, first)
        || points_back(first, second)
        || (is_one_of(PREPOSITIONS, first) && points_back(second, words.next().unwrap_or("")));
    // Or ends so: "... to enable this functionality." (Not "... compute paths, and manage
    // those paths": the sentence itself says which.)
    let mut last = (sentence.rsplit(|c: char| !c.is_alphanumeric())).filter(|w| !w.is_empty());
    let (end, before) = (last.next().unwrap_or(""), last.next().unwrap_or(""));
    opens || (points_back(before, end) && !last.any(|w| w.eq_ignore_ascii_case(end)))
}

/// `s` with its first letter in upper case ("When networks ..." for "when networks ...").
pub fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Whether a sentence is a question ("Does the lock interact with an authorization server
/// ...?"): it asks what the texts around it answer.
pub fn asks(sentence: &str) -> bool {
    sentence.trim_end().ends_with('?')
}

/// An agenda line without its item number or time slot ("04 - MPLS MSD YANG data model",
/// "15 min - The IP Geolocation HTTP Client Hint", "09:50 - 10:00 A Data Manifest", "09:45 5m
/// MASQUE signaling"): in a reason they are noise.
pub fn without_item_number(line: &str) -> &str {
    fn digits(s: &str) -> usize {
        s.bytes().take_while(u8::is_ascii_digit).count()
    }
    // "09:45": a clock time, its hour one or two digits.
    fn clock(s: &str) -> Option<&str> {
        let h = digits(s);
        let m = s[h..].strip_prefix(':').map_or(0, digits);
        ((1..=2).contains(&h) && m == 2).then(|| &s[h + 3..])
    }
    fn dash(s: &str) -> Option<&str> {
        ["- ", "\u{2013} ", "\u{2014} "]
            .iter()
            .find_map(|d| s.strip_prefix(d))
            .map(str::trim_start)
    }
    fn duration(s: &str) -> Option<&str> {
        let n = digits(s);
        let unit = ["minutes", "mins", "min", "m"].iter().find_map(|u| {
            s[n..]
                .trim_start()
                .strip_prefix(u)
                .filter(|r| r.starts_with(' '))
        });
        unit.filter(|_| (1..=3).contains(&n)).map(str::trim_start)
    }
    // "5.2. ", "3.2) ", "4. ": numbers of one to three digits joined by dots, then a dot or
    // a parenthesis and a space.
    fn outline(s: &str) -> Option<&str> {
        let mut at = 0;
        loop {
            let n = digits(&s[at..]);
            if !(1..=3).contains(&n) {
                return None;
            }
            at += n;
            match &s.as_bytes()[at..] {
                [b'.' | b')', b' ', ..] => return Some(s[at + 2..].trim_start()),
                [b'.', b'0'..=b'9', ..] => at += 1,
                _ => return None,
            }
        }
    }
    let t = line.trim_start();
    let rest = match clock(t) {
        // A slot says itself: a range, a length or a dash may follow, and then the item.
        Some(rest) => {
            let rest = rest.trim_start();
            let rest = dash(rest).and_then(clock).map_or(rest, str::trim_start);
            let rest = duration(rest).unwrap_or(rest);
            Some(dash(rest).unwrap_or(rest))
        }
        // A number is an item's only with a dash after it (or its length's), as an outline's
        // number ending in "." or ")", as a slide file's prefix ("07_BGP Flowspec") or before
        // an article ("7 The JSON format"): "3 drafts - ..." is a count.
        None if (1..=3).contains(&digits(t)) => {
            let after = &t[digits(t)..];
            let rest = after.trim_start();
            let slide = after
                .strip_prefix('_')
                .filter(|r| r.starts_with(char::is_alphabetic));
            let article = ["The ", "A ", "An "]
                .iter()
                .any(|a| rest.starts_with(a) && after.len() > rest.len());
            let rest = duration(t).unwrap_or(rest);
            dash(rest)
                .or_else(|| outline(t))
                .or(slide)
                .or(article.then_some(rest))
        }
        None => None,
    };
    rest.filter(|r| !r.is_empty()).unwrap_or(line)
}

/// `s` without its bracketed references to RFCs and Internet-Drafts ("the Extensible
/// Authentication Protocol (EAP) [RFC 3748] is ..."; "[RFC4949]", "[RFC 8279, RFC 8296]",
/// "[I-D.ietf-mls-protocol]") and its bare web addresses ("... the WebTransport API
/// https://wicg.github.io/web-transport." ends "API."), each with the space before it.
pub fn without_citations(s: String) -> String {
    const OPENS: [&str; 2] = ["[RFC", "[I-D."];
    let s = without_urls(s);
    if !OPENS.iter().any(|o| s.contains(o)) {
        return s;
    }
    let cited = |inside: &str| match inside.strip_prefix("I-D.") {
        Some(name) => !name.is_empty() && !name.contains(char::is_whitespace),
        None => inside.split([',', ' ']).all(|w| {
            w.is_empty()
                || w.trim_start_matches("RFC")
                    .bytes()
                    .all(|b| b.is_ascii_digit())
        }),
    };
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(i) = OPENS.iter().filter_map(|o| rest.find(o)).min() {
        let end = rest[i..].find(']').map(|j| i + j);
        let Some(e) = end.filter(|&e| cited(&rest[i + 1..e])) else {
            out.push_str(&rest[..i + 1]);
            rest = &rest[i + 1..];
            continue;
        };
        out.push_str(rest[..i].strip_suffix(' ').unwrap_or(&rest[..i]));
        rest = &rest[e + 1..];
    }
    out.push_str(rest);
    out
}

/// `s` without the web addresses that close a clause ("... API https://example.org/api." ends
/// "API.") or stand in brackets ("(https://...)"), keeping the punctuation after one. One that
/// the sentence goes on from ("See https://... and ...") is its object, and stays.
fn without_urls(s: String) -> String {
    if !s.contains("://") {
        return s;
    }
    let mut out = String::with_capacity(s.len());
    for word in s.split(' ') {
        let bare = word.trim_start_matches(['(', '<']);
        let bracketed = bare.len() < word.len();
        let kept = word.trim_end_matches(['.', ',', ';', ':', ')', '>']);
        let after = &word[kept.len()..];
        if (bare.starts_with("http://") || bare.starts_with("https://"))
            && (bracketed || !after.is_empty())
        {
            let after = if bracketed {
                after.trim_start_matches([')', '>'])
            } else {
                after
            };
            out.push_str(after);
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A sentence too long for `max` that opens with a concession ("While such mechanisms exist,
/// there is no interoperable way ...") from its main clause on: cut at `max`, the concession
/// alone would be all a reader sees, and it says the opposite of the sentence's point. The
/// main clause starts after the first comma followed by a word that opens one ("there",
/// "it", "we" ...), not a list's next item; without one the sentence is left whole.
pub fn past_concession(s: &str, max: usize) -> &str {
    const CONCEDES: &[&str] = &["while", "although", "though", "whereas", "even though"];
    const OPENS: &[&str] = &[
        "there", "it", "they", "we", "this", "these", "no", "none", "its", "their", "he", "she",
    ];
    // Whether `text` opens with the word (or words) `w`.
    let opens = |text: &str, w: &str| after_opening(text, w).is_some_and(|r| r.starts_with(' '));
    if s.chars().count() <= max || !CONCEDES.iter().any(|w| opens(s, w)) {
        return s;
    }
    s.match_indices(", ")
        .map(|(i, _)| &s[i + 2..])
        .find(|rest| OPENS.iter().any(|w| opens(rest, w)))
        .unwrap_or(s)
}

/// What follows `prefix` in `text` when `text` opens with it, in any ASCII case ("However, ..."
/// opens with "however"); the rest may go on within the same word.
fn after_opening<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    text.get(..prefix.len())
        .filter(|h| h.eq_ignore_ascii_case(prefix))
        .map(|_| &text[prefix.len()..])
}

/// `t` ending in `…`, where the text it was taken from goes on: not after a sentence's own
/// period ("…." or ".…") or a function word ("... certificates. The…").
pub fn trail_off(t: &str) -> String {
    let mut t = t.trim_end_matches([',', ';', ':', ' ', '(', '-', '.']);
    while let Some((head, last)) = t.rsplit_once(' ')
        && leads_on(last)
    {
        t = head.trim_end_matches([',', ';', ':', ' ', '(', '-', '.']);
    }
    format!("{t}…")
}

/// Whether a text cut after `word` leaves it hanging: a function word or one that leads on
/// ("such", "including"). ("not" and "no" do not: without them the words left would say the
/// opposite.)
fn leads_on(word: &str) -> bool {
    const LEADS_ON: &[&str] = &[
        "about",
        "between",
        "both",
        "due",
        "each",
        "including",
        "like",
        "other",
        "such",
        "than",
        "which",
        "who",
        "whose",
        "whether",
        "within",
    ];
    (STOP.iter().chain(LEADS_ON))
        .any(|w| !matches!(*w, "not" | "no") && word.eq_ignore_ascii_case(w))
}

/// `s` cut to at most `max` characters so that what shows the interest (the first place a unit
/// matches) stays in: cut at the end when it falls within the first `max` characters, else its
/// own sentence; when that is too long too, the sentence's opening words, `…`, and its end from
/// a few words before the match. A summary paragraph that names the interest in the last clause
/// of a long sentence is quoted there, not cut before it. `known`: the text's stems when known
/// (see [`marks`]).
pub(super) fn cut_showing<S: AsRef<str>, U: AsRef<[String]>>(
    s: &str,
    units: &[U],
    stem: &dyn Fn(&str) -> Vec<String>,
    known: Option<&[S]>,
    max: usize,
) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    // Most quotes show the interest early: their ordinary cut's stems hold a unit whole (a
    // lookup of each unit's first stem among them) before the text is read word by word.
    let cut = cut_words(s, max);
    if let Some(k) = known.filter(|k| word_count(s) == k.len()) {
        let kept: Vec<&str> = k[..word_count(&cut).min(k.len())]
            .iter()
            .map(AsRef::as_ref)
            .collect();
        let mut sorted = kept.clone();
        sorted.sort_unstable();
        let starts = |u: &[String]| sorted.binary_search(&u[0].as_str()).is_ok();
        let holds = |u: &U| {
            let u = u.as_ref();
            !u.is_empty()
                && starts(u)
                && kept
                    .windows(u.len())
                    .any(|w| w.iter().zip(u).all(|(a, b)| *a == b))
        };
        if units.iter().any(holds) {
            return cut;
        }
    }
    let cs = chunks(s);
    let (marked, _) = marks(&cs, units, stem, false, known, Titles::Match);
    let Some(first) = marked.iter().position(|&m| m) else {
        return cut_words(s, max);
    };
    // Chunks are split at single spaces: chunk `k` starts after the `k` chunks before it and
    // their spaces.
    let start_of = |k: usize| {
        cs[..k]
            .iter()
            .map(|c| c.lead.len() + c.core.len() + c.trail.len() + 1)
            .sum::<usize>()
    };
    let len = |from: usize, to: usize| s[from..to].chars().count();
    // (Not "(e.g.": a period after an abbreviation written with dots ends no sentence.)
    let ends = |k: usize| {
        let c = &cs[k];
        c.trail.ends_with(['?', '!', ';'])
            || (c.trail.ends_with('.') && !super::strength::dotted(c.core))
    };
    let end = start_of(first) + cs[first].lead.len() + cs[first].core.len();
    // Inside the ordinary cut, which keeps every word that ends before its last character.
    if len(0, end) + 2 <= max {
        return cut_words(s, max);
    }
    let sentence = (0..first).rev().find(|&k| ends(k)).map_or(0, |k| k + 1);
    let opening = start_of(sentence);
    let stop = (first..cs.len())
        .find(|&k| ends(k))
        .map_or(s.len(), |k| start_of(k + 1) - 1);
    if len(opening, stop) <= max {
        return s[opening..stop].to_string();
    }
    // The sentence's opening words say what it is about: `HEAD` characters of them or more,
    // when the cut is long enough to hold them too. Then its end from a few words before the
    // match, itself cut when long.
    const HEAD: usize = 60;
    let with_head = max >= 2 * HEAD;
    let room = if with_head {
        max - HEAD - 3
    } else {
        max.saturating_sub(1)
    };
    let before = |words: usize| (first.saturating_sub(words).max(sentence)..=first).map(start_of);
    let (from, tail) = match before(6).find(|&b| len(b, stop) <= room) {
        Some(b) => (b, s[b..stop].to_string()),
        None => {
            let b = before(4)
                .find(|&b| len(b, end) + 2 <= room)
                .unwrap_or_else(|| start_of(first));
            (b, cut_words(&s[b..stop], room))
        }
    };
    if from <= opening {
        return tail;
    }
    if !with_head {
        return format!("…{tail}");
    }
    let budget = max - tail.chars().count() - 3;
    // Nothing between the opening and the end to leave out: the sentence, cut at its end.
    if len(opening, from) <= budget {
        return cut_words(&s[opening..], max);
    }
    let head = cut_words(&s[opening..from], budget);
    let head = head.trim_end_matches(['…', ',', ';', ':', ' ']);
    format!("{head} … {tail}")
}

/// How many runs of letters and digits `text` has ([`alnum_words`]), counted byte by byte when
/// it is ASCII (most charters and agendas): this is asked of every sentence an excerpt or a
/// reason weighs.
pub(super) fn word_count(text: &str) -> usize {
    if !text.is_ascii() {
        return alnum_words(text).count();
    }
    let mut n = 0;
    let mut inside = false;
    for b in text.bytes() {
        let alnum = b.is_ascii_alphanumeric();
        n += usize::from(alnum && !inside);
        inside = alnum;
    }
    n
}

/// The runs of letters and digits of `text`, as written: the words [`marks`] lines stems up
/// with.
pub(super) fn alnum_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Whether a piece whose words stem to `stems` (joined by spaces) may hold one of the units:
/// each word of a unit must be among them (cheap; [`weight`] then reads the piece word by
/// word).
fn may_hold<S: AsRef<str>>(stems: Option<&S>, units: &[Vec<String>]) -> bool {
    stems.is_none_or(|p| {
        let p = p.as_ref();
        units.iter().any(|u| u.iter().all(|s| has_word(p, s)))
    })
}

/// Whether words joined by spaces (stems, or a text's [`runs`]) hold the word (found by
/// substring search, then checked to be whole).
pub(super) fn has_word(stems: &str, word: &str) -> bool {
    !word.is_empty()
        && stems.match_indices(word).any(|(i, _)| {
            (i == 0 || stems.as_bytes()[i - 1] == b' ')
                && stems
                    .as_bytes()
                    .get(i + word.len())
                    .is_none_or(|&b| b == b' ')
        })
}

/// Whether `word` is one of `runs` (made by [`runs`]: sorted, each once): a binary search over
/// the words in place, not a scan of the text (ranking asks this of every unit's label for
/// every session it shows).
pub(super) fn has_run(runs: &str, word: &str) -> bool {
    let b = runs.as_bytes();
    // Word starts in [lo, hi) are still candidates; `lo` is always a word's start.
    let (mut lo, mut hi) = (0, b.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let start = b[lo..mid]
            .iter()
            .rposition(|&c| c == b' ')
            .map_or(lo, |p| lo + p + 1);
        let end = b[start..]
            .iter()
            .position(|&c| c == b' ')
            .map_or(b.len(), |p| start + p);
        match runs[start..end].cmp(word) {
            std::cmp::Ordering::Equal => return !word.is_empty(),
            std::cmp::Ordering::Less => lo = end + 1,
            std::cmp::Ordering::Greater => hi = start,
        }
    }
    false
}

/// A text's runs of letters and digits, each once, sorted, joined by spaces.
pub(super) fn runs(text: &str) -> String {
    let mut runs: Vec<&str> = alnum_words(text).collect();
    runs.sort_unstable();
    runs.dedup();
    runs.join(" ")
}

/// The words of stems joined by spaces.
pub(super) fn words_of(stems: &str) -> impl Iterator<Item = &str> {
    stems.split(' ').filter(|w| !w.is_empty())
}

/// The excerpt: prose first. `tiers` are the matched units from the most telling to all of
/// them, each taking in the one before (the interest's own phrase and its topics' terms; then
/// the rest of the evidence itself, a single word of a longer interest; then any, related words
/// included). For the first tier with a match: the charter sentence holding the most of its
/// units, with the sentences after it while they fit; else the agenda lines that hold them;
/// else the charter's opening. Matched whole words (all units) in `**bold**`. `charter_stems`
/// and `agenda_stems`, parallel to the pieces, are their stems where known (a piece with them
/// is read only when it may hold a unit).
pub fn excerpt<S: AsRef<str> + Clone>(
    charter: &[S],
    agenda: &[S],
    tiers: &[&[Vec<String>]],
    stem: &dyn Fn(&str) -> Vec<String>,
    (charter_stems, agenda_stems): (&[S], &[S]),
    own: &[String],
) -> String {
    let units: &[Vec<String>] = tiers.last().copied().unwrap_or_default();
    fn split<S: AsRef<str>>(s: &S) -> Vec<&str> {
        words_of(s.as_ref()).collect()
    }
    // The piece with the most distinct units (the first of equals), weighing as few as
    // possible: a piece's count of units found in its stems is at least its weight when the
    // stems line up with its words (as [`marks`] reads them), so pieces are weighed from the
    // highest such bound down, until no bound can beat the best weight found.
    // (`ruling_out`: weigh only the sentences that say what the group will not do, else only
    // the others.)
    let best =
        |pieces: &[S], stems: &[S], units: &[Vec<String>], ruling_out: bool, titles: Titles<'_>| {
            // Each unit as its stems joined by spaces: found whole in a piece's stems, it may
            // count.
            let phrases: Vec<String> = units.iter().map(|u| u.join(" ")).collect();
            let mut bounds: Vec<(usize, usize)> = Vec::new();
            for (i, p) in pieces.iter().enumerate() {
                if !may_hold(stems.get(i), units) {
                    continue;
                }
                let bound = match stems.get(i).map(AsRef::as_ref) {
                    Some(st) if word_count(p.as_ref()) == words_of(st).count() => phrases
                        .iter()
                        .filter(|u| !u.is_empty() && has_word(st, u))
                        .count(),
                    _ => usize::MAX,
                };
                if bound > 0 {
                    bounds.push((bound, i));
                }
            }
            bounds.sort_by_key(|&(bound, i)| (std::cmp::Reverse(bound), i));
            let mut best: Option<(usize, usize)> = None;
            for (bound, i) in bounds {
                if let Some((bw, bi)) = best
                    && (bound < bw || (bound == bw && i > bi))
                {
                    continue;
                }
                if rules_out(pieces[i].as_ref()) != ruling_out {
                    continue;
                }
                let w = weight(
                    pieces[i].as_ref(),
                    units,
                    stem,
                    stems.get(i).map(split).as_deref(),
                    titles,
                );
                if w > 0 && best.is_none_or(|(bw, bi)| w > bw || (w == bw && i < bi)) {
                    best = Some((w, i));
                }
            }
            best.map(|b: (usize, usize)| b.1)
        };
    // The passage, and its stems when every piece in it is whole and of known stems.
    fn passage<'p, S: AsRef<str>>(
        pieces: &[S],
        stems: &'p [S],
        chosen: usize,
    ) -> (String, Option<Vec<&'p str>>) {
        let from = quote_start(pieces, chosen);
        // A tie word with nothing before it to tie to goes, as it does from reasons ("However,
        // when networks ..." quoted as "When networks ...").
        let untied = (from == chosen)
            .then(|| without_connective(pieces[chosen].as_ref()))
            .flatten();
        let whole: std::borrow::Cow<str> = match (untied, &pieces[from..=chosen]) {
            (Some(rest), _) => capitalised(rest).into(),
            (None, [one]) => one.as_ref().into(),
            (None, more) => (more.iter().map(AsRef::as_ref))
                .collect::<Vec<_>>()
                .join(" ")
                .into(),
        };
        let mut out = cut_words(&whole, EXCERPT_MAX);
        let mut known = (stems.get(from..=chosen))
            .filter(|_| out == whole)
            .map(|s| match s {
                [one] => {
                    let mut k = split(one);
                    // (Less the tie word's.)
                    if let Some(rest) = untied {
                        let tie = word_count(pieces[chosen].as_ref()) - word_count(rest);
                        k.drain(..tie.min(k.len()));
                    }
                    k
                }
                more => more.iter().flat_map(|s| words_of(s.as_ref())).collect(),
            });
        let mut last = chosen;
        for (i, p) in pieces.iter().enumerate().skip(chosen + 1) {
            let p = p.as_ref();
            // After a list item (no sentence end) the next one would run on: "... and Fastfed
            // Updates to"; after a lead-in ("is:") one item reads on; after a sentence, only
            // another sentence, not a heading ("... digital wallet. Goal"), and a lead-in only
            // with its first item (ending on "... such that:" promises what is not there).
            let sentence = |s: &str| s.ends_with(['.', '!', '?', ':']);
            let with_item = match pieces.get(i + 1) {
                Some(item) if p.trim_end().ends_with(':') => 1 + item.as_ref().chars().count(),
                _ => 0,
            };
            if out.chars().count() + 1 + p.chars().count() + with_item > EXCERPT_CHARS
                || !(out.ends_with(':') || (sentence(&out) && sentence(p.trim_end())))
            {
                break;
            }
            out.push(' ');
            out.push_str(p);
            last = i;
            known = known.zip(stems.get(i)).map(|(mut k, s)| {
                k.extend(words_of(s.as_ref()));
                k
            });
        }
        // A passage that runs to the end of a text stored cut off mid-sentence says so (its
        // stems, where known, kept for the words left).
        if last + 1 == pieces.len() && stops_short(&out) {
            out = trail_off(&out);
            known = known.map(|mut k| {
                k.truncate(word_count(&out));
                k
            });
        }
        (out, known)
    }
    // A charter sentence that holds only a related word ("signatures", for post-quantum
    // cryptography), or only one word of the interest ("cryptography"), gives way to the
    // agenda lines that hold the evidence itself.
    // (Each tier is a part of the next: as long, it is the same, and one pass does.)
    let passes = || {
        (tiers.iter().copied().enumerate())
            .filter(|&(i, t)| !t.is_empty() && tiers.get(i + 1).is_none_or(|n| n.len() != t.len()))
            .map(|(_, t)| t)
    };
    // The best charter passage for `choose`, in bold.
    let from_charter = |choose: &[Vec<String>], ruling_out: bool, titles: Titles<'_>| {
        best(charter, charter_stems, choose, ruling_out, titles).map(|i| {
            let (text, known) = passage(charter, charter_stems, i);
            highlight_known(&text, units, stem, known.as_deref(), titles)
        })
    };
    // Another group's title ("the S/MIME Working Groups") chooses only when nothing else does.
    let find = |titles: Titles<'_>| -> Option<String> {
        for choose in passes() {
            if let Some(quote) = from_charter(choose, false, titles) {
                return Some(quote);
            }
            let lines: Vec<(&str, Option<Vec<&str>>)> = agenda
                .iter()
                .enumerate()
                .map(|(i, l)| (l.as_ref(), agenda_stems.get(i)))
                .filter(|(l, known)| {
                    may_hold(*known, choose)
                        && weight(l, choose, stem, known.map(split).as_deref(), titles) > 0
                })
                .map(|(l, known)| (l, known.map(split)))
                .take(3)
                .collect();
            if !lines.is_empty() {
                // Each line cut where it keeps its match (a session summary names it late).
                let items: Vec<String> = lines
                    .iter()
                    .map(|(l, known)| {
                        let l = cut_showing(l, choose, stem, known.as_deref(), 90);
                        l.trim_end_matches(['.', ';', ':']).to_string()
                    })
                    .collect();
                let quote = format!("On the agenda: {}", end_sentence(&items.join("; ")));
                return Some(highlight_known::<&str>(&quote, units, stem, None, titles));
            }
        }
        // A sentence that names the interest only to rule it out ("Key management ... is out of
        // scope") shows it last: it says what the group does not do.
        passes().find_map(|choose| from_charter(choose, true, titles))
    };
    // (Read again only when a title was passed over: most texts find nothing either way.)
    let passed_over = std::cell::Cell::new(false);
    let found = find(Titles::OthersSayNothing(own, &passed_over))
        .or_else(|| passed_over.get().then(|| find(Titles::Match)).flatten());
    if let Some(found) = found {
        return found;
    }
    if charter.is_empty() {
        return String::new();
    }
    passage(charter, &[], 0).0
}

/// Where a quote of the piece `chosen` starts: at the pieces before it that it needs, when
/// they fit in an excerpt and the first of them stands on its own. A sentence that points back,
/// at its start or in passing, or opens with a tie word ("These were used to define ...",
/// "Emblems presented in such ways ...", "However, if the proxy and server collude, ...")
/// needs the whole sentence before it; a list item in lower case ("a procedure for enabling a
/// client ...") needs its lead-in ("The OAuth 2.0 protocol suite already includes"). Quoted
/// alone, they point at words the reader never sees.
fn quote_start<S: AsRef<str>>(pieces: &[S], chosen: usize) -> usize {
    let (mut from, mut len) = (chosen, pieces[chosen].as_ref().chars().count());
    loop {
        let this = pieces[from].as_ref();
        // Whether it points at words before it (read only when it can matter: a sentence
        // cannot lean on a heading, nor the text's first on anything).
        let points = || refers_back(this) || leans_back(this) || without_connective(this).is_some();
        let before = from.checked_sub(1);
        let prev = before.map(|b| pieces[b].as_ref());
        let ends = |p: &str, marks: &[char]| p.trim_end().ends_with(marks);
        let sentence_before = prev.is_some_and(|p| ends(p, &['.', '!', '?']));
        let lead_in = prev.is_some() && !sentence_before && this.starts_with(char::is_lowercase);
        let leans = || prev.is_some_and(|p| ends(p, &['.', '!', '?', ':'])) && points();
        let Some(before) = before.filter(|_| lead_in || leans()) else {
            // (Not back to a piece that still points before it, at nothing that can come with
            // it: the chosen one is quoted alone.)
            return if from == chosen || points() {
                chosen
            } else {
                from
            };
        };
        let more = pieces[before].as_ref().chars().count();
        len += 1 + more;
        // (A short lead-in comes even when its item is then cut: "... includes a procedure
        // for ...…" says what the item is part of.)
        if len > EXCERPT_MAX && !(lead_in && more <= EXCERPT_CHARS / 2) {
            return chosen;
        }
        from = before;
    }
}

/// Whether a sentence says what a group will not do or leaves out of its scope.
pub fn rules_out(sentence: &str) -> bool {
    const RULING_OUT: &[&str] = &[
        "will not ",
        "won't ",
        "out of scope",
        "out-of-scope",
        "outside the scope",
        "outside of the scope",
        "not in scope",
        "not in the scope",
        "not within the scope",
        "not be in scope",
        "is not chartered",
        "are not chartered",
        "non-goal",
    ];
    // (Not what other groups leave out: "topics that are not in scope of an existing working
    // group" is what this one takes on. Nor "will not only ... but also".)
    const NOT_RULING_OUT: &[&str] = &["of an existing", "of any existing", "of another", "only"];
    // Cheap first: most sentences hold none of these pieces of the phrases (read for every
    // sentence an excerpt weighs).
    if !["cope", "not ", "n't ", "oal", "NOT"]
        .iter()
        .any(|p| sentence.contains(p))
    {
        return false;
    }
    let s = sentence.to_ascii_lowercase();
    RULING_OUT.iter().any(|p| {
        s.match_indices(p).any(|(i, _)| {
            let rest = s[i + p.len()..].trim_start();
            !NOT_RULING_OUT.iter().any(|n| rest.starts_with(n))
        })
    })
}

/// Whether a quote that runs to the end of a stored text stops mid-sentence there (the text was
/// stored cut off): it neither ends as a sentence does nor says so with "…" already.
pub fn stops_short(s: &str) -> bool {
    !s.ends_with('…') && !ends_whole(s)
}

/// Whether `s` ends as a sentence or a bracketed or quoted one does, not cut off mid-way.
pub fn ends_whole(s: &str) -> bool {
    s.trim_end()
        .ends_with(['.', '!', '?', ')', '"', '\u{201d}'])
}

/// `s` ending as a sentence: a period unless it ends with one, another sentence end or `…`.
pub fn end_sentence(s: &str) -> String {
    if s.ends_with(['.', '?', '!', '…']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

/// The rest of a quoted sentence that opens with the interest itself as its heading
/// ("Post-Quantum Cryptography (PQC): The addition of ..." for post-quantum cryptography): the
/// reason names the interest already, and "Post-quantum cryptography: Post-Quantum Cryptography
/// (PQC): ..." reads as a stutter. `None` when the heading is anything else.
pub fn after_own_heading<'a>(sentence: &'a str, interest: &str) -> Option<&'a str> {
    let (heading, rest) = sentence.split_once(':')?;
    // "Post-Quantum Cryptography (PQC)" is the interest asked as either.
    let (name, short) = match heading.trim_end().strip_suffix(')') {
        Some(h) => h.rsplit_once('(').unwrap_or((heading, "")),
        None => (heading, ""),
    };
    let rest = rest.trim_start();
    let is_interest = |h: &str| {
        let lower = |s| alnum_words(s).map(str::to_lowercase);
        !h.trim().is_empty() && lower(h).eq(lower(interest))
    };
    (!rest.is_empty() && (is_interest(name) || is_interest(short))).then_some(rest)
}

/// The rest of a sentence that opens with a word tying it to the one before ("Moreover it is
/// widely accepted that ...", "However, when networks ..."): quoted alone, the tie points at
/// nothing. `None` when it opens otherwise, or with a phrase that goes on ("In addition to
/// its use for browsing, ...", "However the data is collected, ...").
pub fn without_connective(sentence: &str) -> Option<&str> {
    // Ties that need their comma to be one; those after them never open anything else.
    const WITH_COMMA: &[&str] = &[
        "however",
        "in addition",
        "also",
        "nevertheless",
        "nonetheless",
        "indeed",
        "likewise",
        "similarly",
        "besides",
        "for example",
        "for instance",
        "in particular",
    ];
    const ALONE: &[&str] = &["moreover", "furthermore", "additionally"];
    let s = sentence.trim_start();
    let opens = |w: &str| after_opening(s, w);
    let rest = (WITH_COMMA.iter())
        .find_map(|w| opens(w).and_then(|r| r.strip_prefix(',')))
        .or_else(|| {
            (ALONE.iter())
                .find_map(|w| opens(w).filter(|r| r.starts_with([',', ' '])))
                .map(|r| r.strip_prefix(',').unwrap_or(r))
        })?
        .trim_start();
    rest.starts_with(char::is_alphanumeric).then_some(rest)
}

/// A quoted sentence ending as one: cut at a comma or introducing a list, it ends with a
/// period instead (never ",." or ":."); cut after a word that leads on to what was left out
/// ("... the current state of affairs by:"), it trails off ("... the current state of
/// affairs…"), as "by." reads as broken.
pub fn end_quoted(s: &str) -> String {
    let body = s.trim_end_matches([',', ';', ':', ' ']);
    let cut = body.len() < s.trim_end().len();
    let last = body.rsplit(' ').next().unwrap_or("");
    if cut && leads_on(last) {
        trail_off(body)
    } else {
        end_sentence(body)
    }
}

/// A sentence fit to follow "Interest: ": trimmed, cut to [`REASON_CHARS`], its first letter
/// lower-cased when it starts an ordinary word ("Develops" -> "develops"; not "IPsec",
/// "OpenPGP" or "Post-Quantum", whose other capitals say they are names, nor the first of a
/// capitalised pair, "Data Centers have ...", "Use Case 1", which the text writes as a title).
pub fn clause(sentence: &str) -> String {
    const LEADS: &[&str] = &[
        "a", "an", "the", "this", "these", "that", "those", "our", "its", "their", "in", "on",
        "at", "for", "with", "to", "of", "as", "by", "from", "each", "every", "some", "many",
        "most", "all", "no", "one", "two", "both",
    ];
    let s = cut_words(sentence.trim(), REASON_CHARS);
    let mut cs = s.chars();
    let mut words = s.split_whitespace();
    let first_word = words.next().unwrap_or("");
    let second = words.next().unwrap_or("");
    let second = second.trim_end_matches(|c: char| !c.is_alphanumeric());
    let mut second_cs = second.chars();
    // (Not after an article or a verb's "-s": "The Extensible ...", "Develops Oblivious ...".)
    let titled = !is_one_of(LEADS, first_word)
        && !first_word.ends_with('s')
        && second_cs.next().is_some_and(char::is_uppercase)
        && second.len() >= 2
        && second_cs.all(char::is_lowercase);
    match (cs.next(), cs.next()) {
        // ("A" alone is the article: "a multi-decade research activity ...".)
        (Some(a), Some(b))
            if a.is_uppercase()
                && !titled
                && (b.is_lowercase() || first_word == "A")
                && !first_word.chars().skip(1).any(char::is_uppercase) =>
        {
            let mut out: String = a.to_lowercase().collect();
            out.push_str(&s[a.len_utf8()..]);
            out
        }
        _ => s,
    }
}

/// Acronyms as they are written, shown so in labels and titles however the person typed them
/// ("ipv6" is "IPv6", "tls" is "TLS").
pub const ACRONYMS: &[&str] = &[
    "DNS", "DNSSEC", "IP", "IPv6", "IPv4", "AI", "VPN", "IoT", "Wi-Fi", "CDN", "BGP", "TLS",
    "QUIC", "HTTP", "RPKI", "PQC", "IETF", "IRTF", "PKI", "ISP", "IXP", "SBOM", "CSAM", "MFA",
    "EAP", "ECH", "GDPR", "RDAP", "IANA", "ICANN", "NAT",
];

/// The interest as written, with the [`ACRONYMS`] as they are written and the group's own (`group`, as the
/// first word: "IDR bgp" is the person naming the group) in capitals: "TLS privacy", not "tls
/// privacy".
pub fn with_acronyms(interest: &str, group: &str) -> String {
    let words: Vec<String> = interest
        .split(' ')
        .enumerate()
        .map(|(i, w)| {
            if let Some(a) = ACRONYMS.iter().find(|a| a.eq_ignore_ascii_case(w)) {
                a.to_string()
            } else if i == 0 && w.eq_ignore_ascii_case(group) {
                w.to_uppercase()
            } else {
                w.to_string()
            }
        })
        .collect();
    words.join(" ")
}

/// The interest as a label at the start of a sentence: [`with_acronyms`], first letter upper
/// case.
pub fn label(interest: &str, group: &str) -> String {
    let s = with_acronyms(interest, group);
    let mut cs = s.chars();
    match cs.next() {
        Some(a) => a.to_uppercase().chain(cs).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem(w: &str) -> Vec<String> {
        let w = w.to_lowercase();
        vec![w.strip_suffix('s').unwrap_or(&w).to_string()]
    }

    fn u(s: &str) -> Vec<String> {
        s.split(' ').flat_map(stem).collect()
    }

    #[test]
    fn markdown_and_html_become_prose() {
        let md = "# Title (mpath)\n\n\\# not a heading\n\n1. ****5G Network Slice** selection**\n```\ncode 5g\n```\n- <b>Bold</b> and <a href=\"https://x/5g\">5G</a> &amp; [link](https://y)\n---\n| a | b |";
        let c = clean(md);
        assert_eq!(
            c,
            "Title (mpath)\n# not a heading\n5G Network Slice selection\nBold and 5G & link\na b"
        );
        assert!(!c.contains("code"));
    }

    #[test]
    fn a_cut_ends_in_one_ellipsis_and_a_sentence_in_one_mark() {
        assert_eq!(cut_words("Input. Then more words", 9), "Input…");
        assert_eq!(cut_words("Short.", 9), "Short.");
        // Not inside brackets it opened, unless that leaves less than half.
        assert_eq!(
            cut_words(
                "Extensions such as ALPN (Application-Layer Protocol Negotiation)",
                45
            ),
            "Extensions such as ALPN…"
        );
        assert_eq!(
            cut_words("ALPN (Application-Layer Protocol Negotiation)", 30),
            "ALPN (Application-Layer…"
        );
        assert!(rules_out(
            "Key management is out of scope for the working group."
        ));
        assert!(rules_out(
            "The WG will not innovate in terms of cryptography."
        ));
        assert!(!rules_out(
            "Topics that are not in scope of an existing working group."
        ));
        assert!(!rules_out("It will not only define X but also Y."));
        // Not on a function word; "not" stays.
        let s = "It provisions certificates. The rest of the text";
        assert_eq!(cut_words(s, 32), "It provisions certificates…");
        assert_eq!(
            cut_words("Keys for the web are not in scope", 26),
            "Keys for the web are not…"
        );
        assert_eq!(end_sentence("cut here…"), "cut here…");
        assert_eq!(end_sentence("whole"), "whole.");
        assert_eq!(end_sentence("asked?"), "asked?");
        assert_eq!(end_quoted("items of a list,"), "items of a list.");
        assert_eq!(end_quoted("as follows: "), "as follows.");
        assert_eq!(end_quoted("cut here…"), "cut here…");
    }

    #[test]
    fn a_cut_keeps_what_shows_the_interest() {
        let cut = |s: &str, unit: &str, max: usize| {
            cut_showing::<&str, _>(s, &[u(unit)], &stem, None, max)
        };
        let summary = "The open meeting had updates on activities, retiring contributors and \
                       prize winners. Talks were on carbon-aware routing and censorship \
                       circumvention techniques.";
        // Early enough: cut at the end as any sentence is.
        assert_eq!(cut(summary, "activities", 60), cut_words(summary, 60));
        // Past the cut: from its own sentence.
        assert_eq!(
            cut(summary, "censorship", 100),
            "Talks were on carbon-aware routing and censorship circumvention techniques."
        );
        // A sentence too long to hold it: from a few words before it, after an ellipsis.
        assert_eq!(
            cut(summary, "circumvention", 40),
            "…censorship circumvention techniques."
        );
        let long = "The meeting had updates on activities, retiring contributors, prize \
                    winners and talks on carbon-aware routing and censorship circumvention. \
                    A new group was proposed.";
        assert_eq!(
            cut(long, "censorship", 80),
            "…and talks on carbon-aware routing and censorship circumvention."
        );
        // With room, the sentence's opening words say what it is about.
        assert_eq!(
            cut(long, "censorship", 120),
            "The meeting had updates on activities, retiring contributors … on carbon-aware \
             routing and censorship circumvention."
        );
        // An abbreviation's period ends no sentence: the quote does not stop at "(e.g.".
        let noted = "Dan: the intent is to get rid of shaping through adaptive bitrates. The \
                     solution would go with user consent (e.g. budget subscriptions). Next.";
        assert_eq!(
            cut(noted, "consent", 90),
            "The solution would go with user consent (e.g. budget subscriptions)."
        );
        // Short text, or nothing that shows: unchanged, or cut at the end.
        assert_eq!(cut("Short.", "short", 10), "Short.");
        assert_eq!(cut(summary, "absent", 30), cut_words(summary, 30));
        // Whatever the word and the length, the cut fits and keeps the word when it can.
        let text = format!("{long}  Two  spaces, «ünïcode» words; and {summary}");
        for w in alnum_words(&text) {
            for max in (20..=240).step_by(4) {
                let c = cut(&text, w, max);
                assert!(c.chars().count() <= max, "{w} {max}: {c}");
                // (A word inside a hyphenated one is no match: only whole ones are checked.)
                let (lower, w) = (text.to_lowercase(), w.to_lowercase());
                let whole = lower.matches(&w).count()
                    == chunks(&lower).iter().filter(|c| c.core == w).count();
                if max >= 40 && whole && w.len() > 3 && text.chars().count() > max {
                    let first = lower.find(&w).unwrap();
                    let fits = lower[..first + w.len()].chars().count() + 2 <= max;
                    assert!(fits || c.to_lowercase().contains(&w), "{w} {max}: {c}");
                }
            }
        }
    }

    #[test]
    fn words_are_counted_alike_in_ascii_and_not() {
        for t in [
            "",
            " ",
            "one",
            "two words",
            "  lead, trail. ",
            "draft-ietf-quic-v2 at rfc9000!",
            "Zoë's «naïve» 5G café",
            "a_b c-d e.f",
        ] {
            assert_eq!(word_count(t), alnum_words(t).count(), "{t}");
        }
    }

    #[test]
    fn a_label_keeps_acronyms_in_capitals() {
        assert_eq!(label("privacy", "ohai"), "Privacy");
        assert_eq!(label("tls privacy", "tls"), "TLS privacy");
        assert_eq!(
            label("post-quantum cryptography in tls", "pquip"),
            "Post-quantum cryptography in TLS"
        );
        assert_eq!(label("idr bgp", "idr"), "IDR BGP");
        assert_eq!(label("web pki", "acme"), "Web PKI");
        assert_eq!(label("ipv6 deployment", "v6ops"), "IPv6 deployment");
        assert_eq!(label("wi-fi and iot", "x"), "Wi-Fi and IoT");
        // The group's acronym counts as the first word only: the person named the group.
        assert_eq!(label("green networking", "green"), "GREEN networking");
        assert_eq!(label("going green", "green"), "Going green");
        assert_eq!(label("", "x"), "");
    }

    #[test]
    fn a_fence_marked_as_markdown_holds_prose() {
        // Agendas written by a tool come wrapped whole in a Markdown fence, sometimes never
        // closed: their text is the agenda, not code.
        let wrapped =
            "```markdown\n# TLS\n* **ECH:** encrypted client hello\n```\n```json\n{\"a\": 1}\n```";
        assert_eq!(clean(wrapped), "TLS\nECH: encrypted client hello");
        let open = "```Markdown\n## Summary\nRoute leaks were discussed.";
        assert_eq!(clean(open), "Summary\nRoute leaks were discussed.");
        // An unmarked fence is still code, and so is a marked one inside the prose fence.
        assert_eq!(clean("x\n```\ncode\n```\ny"), "x\ny");
        // A list run into the sentence that opens it reads as one sentence; a dash in prose
        // stays.
        assert_eq!(
            clean("Work items are: - DHCPv6 Failover - DHCPv6 Load Balancing, - Other issues"),
            "Work items are: DHCPv6 Failover; DHCPv6 Load Balancing; Other issues"
        );
        for prose in ["Keys - Rotated often - Matter.", "Goals: - see below"] {
            assert_eq!(clean(prose), prose);
        }
        let nested = "```markdown\nA\n```json\n{}\n```\nB\n```\n~~~\n```json\n~~~\nC";
        assert_eq!(clean(nested), "A\nB\nC");
    }

    #[test]
    fn highlights_whole_words_never_inside_identifiers_or_stop_words() {
        let units = vec![
            u("multipath"),
            u("5g"),
            u("to"),
            u("and"),
            u("route origin validation"),
        ];
        let h = highlight(
            "Multipath to 5G and draft-ietf-quic-multipath at https://example.org/multipath/5g, with route origin validation.",
            &units,
            &stem,
        );
        assert_eq!(
            h,
            "**Multipath** to **5G** and draft-ietf-quic-multipath at https://example.org/multipath/5g, with **route origin validation**."
        );
        // Adjacent matches form one run, never nested; punctuation ends a run.
        let h = highlight("5G multipath, 5G (multipath)", &units, &stem);
        assert_eq!(h, "**5G multipath**, **5G** (**multipath**)");
        // A unit matching only part of a hyphenated word is not bold.
        assert_eq!(highlight("multipath-ish", &units, &stem), "multipath-ish");
        // A name with one slash between short parts is a word; a path is not. (The analyzer
        // cuts "TCP/IP" as "tcp ip".)
        let tcpip = vec![u("tcp ip"), u("multipath")];
        assert_eq!(
            highlight("TCP/IP and multipath/5g/x at a/multipath", &tcpip, &stem),
            "**TCP/IP** and multipath/5g/x at a/multipath"
        );
        // Another group's title names that group, not the topic; the group's own says what it
        // works on.
        let t = "The Multipath Working Groups and 5G WG: multipath";
        let own = ["5g".to_string()];
        let cell = std::cell::Cell::new(false);
        let others = Titles::OthersSayNothing(&own, &cell);
        let h = highlight_known::<&str>(t, &units, &stem, None, others);
        assert_eq!(
            h,
            "The Multipath Working Groups and **5G** WG: **multipath**"
        );
        assert_eq!(
            weight::<&str>("the Multipath WG", &units, &stem, None, others),
            0
        );
    }

    #[test]
    fn a_sentence_holding_the_interest_only_as_another_groups_title_says_nothing() {
        let units = vec![u("multipath"), u("5g")];
        let none: [String; 0] = [];
        // (Stems as the analyzer cuts them: "Working" is "work".)
        let closed = (
            "The Multipath Working Groups have been closed.",
            "the multipath work group have been closed",
        );
        assert!(only_in_titles(closed, &units, &stem, &none));
        // The group's own title says what it works on.
        let own = ["multipath".to_string()];
        assert!(!only_in_titles(closed, &units, &stem, &own));
        // One match outside a title is enough; so is a sentence with no title at all.
        let also = (
            "The Multipath WG meets; 5G is next.",
            "the multipath wg meet 5g is next",
        );
        assert!(!only_in_titles(also, &units, &stem, &none));
        let plain = ("Multipath over 5G.", "multipath over 5g");
        assert!(!only_in_titles(plain, &units, &stem, &none));
        // Nothing matched at all is not "only in titles"; neither is an empty unit.
        let other = ("The QUIC Working Group.", "the quic work group");
        assert!(!only_in_titles(other, &units, &stem, &none));
        assert!(!only_in_titles(
            other,
            &[Vec::<String>::new()],
            &stem,
            &none
        ));
        // What a sentence holds beyond other groups' titles, when the titles take some.
        assert_eq!(beyond_titles(also, &units, &stem, &none), Some(1));
        assert_eq!(beyond_titles(closed, &units, &stem, &none), Some(0));
        assert_eq!(beyond_titles(closed, &units, &stem, &own), None);
        assert_eq!(beyond_titles(plain, &units, &stem, &none), None);
        assert_eq!(held_beyond_titles(plain, &units, &stem, &none), 2);
        assert_eq!(held_beyond_titles(also, &units, &stem, &none), 1);
        assert_eq!(held_beyond_titles(closed, &units, &stem, &own), 1);
    }

    #[test]
    fn known_stems_mark_what_stemming_each_word_marks() {
        let units = vec![u("multipath"), u("5g"), u("route origin validation")];
        let never = |_: &str| -> Vec<String> { panic!("a known stem was stemmed again") };
        for t in [
            "Multipath to 5G and draft-ietf-quic-multipath at https://example.org/multipath/5g, with route origin validation.",
            "5G multipath, 5G (multipath) -- route-origin validation",
        ] {
            let known: Vec<String> = t
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .flat_map(stem)
                .collect();
            let h = highlight(t, &units, &stem);
            let known = Some(&known[..]);
            assert_eq!(highlight_known(t, &units, &never, known, Titles::Match), h);
            let w = weight::<&str>(t, &units, &stem, None, Titles::Match);
            assert_eq!(weight(t, &units, &never, known, Titles::Match), w);
        }
    }

    #[test]
    fn a_quote_that_ends_a_text_stored_cut_off_says_so() {
        let units = vec![u("revocation")];
        let quote = |charter: &[&str], stems: bool| {
            let charter: Vec<String> = charter.iter().map(|c| c.to_string()).collect();
            let known: Vec<String> = charter.iter().map(|c| u(c).join(" ")).collect();
            let known = if stems { &known[..] } else { &[] };
            excerpt(&charter, &[], &[&units], &stem, (known, &[]), &[])
        };
        for stems in [false, true] {
            // The stored charter stops mid-sentence: the quote trails off, not on "the".
            assert_eq!(
                quote(&["It does things.", "Revocation data made by the"], stems),
                "**Revocation** data made…"
            );
            // A whole last sentence, and a list item with more after it, are as written.
            assert_eq!(
                quote(&["It does things.", "Revocation is covered."], stems),
                "**Revocation** is covered."
            );
            assert_eq!(
                quote(&["Revocation lists", "Other items"], stems),
                "**Revocation** lists"
            );
        }
    }

    #[test]
    fn a_quote_brings_the_sentence_it_leans_on() {
        let units = vec![u("privacy")];
        let quote = |charter: &[&str]| {
            let charter: Vec<String> = charter.iter().map(|s| s.to_string()).collect();
            excerpt(&charter, &[], &[&units], &stem, (&[], &[]), &[])
        };
        let leaning = "These protect privacy online.";
        // A pointer or a tie word brings the whole sentence before.
        assert_eq!(
            quote(&["Works on tokens.", leaning]),
            "Works on tokens. These protect **privacy** online."
        );
        assert_eq!(
            quote(&[
                "Proxies hide addresses.",
                "However, collusion defeats privacy."
            ]),
            "Proxies hide addresses. However, collusion defeats **privacy**."
        );
        assert_eq!(
            quote(&["Works on tokens.", "Tokens of this kind protect privacy."]),
            "Works on tokens. Tokens of this kind protect **privacy**."
        );
        // Back as far as needed, while it fits.
        assert_eq!(
            quote(&["Works on tokens.", "It signs them.", leaning]),
            "Works on tokens. It signs them. These protect **privacy** online."
        );
        // A list item in lower case brings its lead-in.
        assert_eq!(
            quote(&[
                "The suite includes",
                "a way to keep privacy,",
                "a way to sign."
            ]),
            "The suite includes a way to keep **privacy**,"
        );
        // Alone when the sentence before points elsewhere too, leans back from the text's
        // start, is a heading, or would not fit beside it.
        assert_eq!(quote(&["Such tokens matter.", leaning]), leaning_bold());
        assert_eq!(quote(&["It signs tokens.", leaning]), leaning_bold());
        assert_eq!(quote(&["Goals", leaning]), leaning_bold());
        // A tie word with nothing to tie to goes.
        assert_eq!(
            quote(&["Goals", "However, collusion defeats privacy."]),
            "Collusion defeats **privacy**."
        );
        let long = format!("{}.", ["word"; 60].join(" "));
        assert_eq!(quote(&[&long, leaning]), leaning_bold());
        // A lead-in after the quoted sentence comes only with its first item.
        let item = format!("{}.", ["item"; 45].join(" "));
        let lead_in = "The group will work on:";
        assert_eq!(
            quote(&["Tokens protect privacy.", lead_in, &item]),
            "Tokens protect **privacy**."
        );
        assert_eq!(
            quote(&["Tokens protect privacy.", lead_in, "signing."]),
            "Tokens protect **privacy**. The group will work on: signing."
        );
        // (The quote of `leaning` alone.)
        fn leaning_bold() -> &'static str {
            "These protect **privacy** online."
        }
    }

    #[test]
    fn excerpts_prefer_prose_and_cut_at_sentences() {
        let units = vec![u("privacy")];
        let charter = vec![
            "Works on tokens.".to_string(),
            "Tokens protect privacy online.".to_string(),
            "More.".to_string(),
        ];
        let e = excerpt(
            &charter,
            &["privacy talk".into()],
            &[&units],
            &stem,
            (&[], &[]),
            &[],
        );
        assert_eq!(e, "Tokens protect **privacy** online. More.");
        // Known stems only skip pieces that cannot hold a unit: the same excerpt.
        let stems: Vec<String> = charter.iter().map(|c| u(c).join(" ")).collect();
        let with = excerpt(
            &charter,
            &["privacy talk".into()],
            &[&units],
            &stem,
            (&stems, &[]),
            &[],
        );
        assert_eq!(with, e);
        let e = excerpt::<String>(
            &[],
            &["Chairs".into(), "Privacy talk".into()],
            &[&units],
            &stem,
            (&[], &[]),
            &[],
        );
        assert_eq!(e, "On the agenda: **Privacy** talk.");
        // A charter sentence with only a related word ("signatures") gives way to the agenda
        // line with the evidence itself; with no such line it is quoted.
        let (strong, all) = (vec![u("kyber")], vec![u("kyber"), u("signatures")]);
        let charter = ["It defines signatures.".to_string()];
        let agenda = ["Chairs".to_string(), "Kyber in certificates".to_string()];
        let e = excerpt(&charter, &agenda, &[&strong, &all], &stem, (&[], &[]), &[]);
        assert_eq!(e, "On the agenda: **Kyber** in certificates.");
        let e = excerpt(
            &charter,
            &agenda[..1],
            &[&strong, &all],
            &stem,
            (&[], &[]),
            &[],
        );
        assert_eq!(e, "It defines **signatures**.");
        // A sentence that rules the interest out shows it only when nothing else does.
        let charter = [
            "Kyber is out of scope.".to_string(),
            "Uses signatures.".into(),
        ];
        let e = excerpt(&charter, &agenda, &[&strong, &all], &stem, (&[], &[]), &[]);
        assert_eq!(e, "On the agenda: **Kyber** in certificates.");
        let e = excerpt(
            &charter[..1],
            &agenda[..1],
            &[&strong, &all],
            &stem,
            (&[], &[]),
            &[],
        );
        assert_eq!(e, "**Kyber** is out of scope.");
        // A list item is quoted alone: the next item would run on from it; a lead-in ("is:")
        // takes one item.
        let list: Vec<String> = [
            "Its scope is:",
            "Privacy tokens",
            "Deployment advice",
            "More privacy.",
            "Goal",
            "Tokens.",
        ]
        .map(String::from)
        .to_vec();
        let quote = |from: usize| excerpt(&list[from..], &[], &[&units], &stem, (&[], &[]), &[]);
        assert_eq!(quote(1), "**Privacy** tokens");
        let units = vec![u("scope")];
        let lead = excerpt(&list, &[], &[&units], &stem, (&[], &[]), &[]);
        assert_eq!(lead, "Its **scope** is: Privacy tokens");
        // After a sentence, a heading does not follow it into the quote.
        assert_eq!(quote(3), "More **privacy**.");
        assert_eq!(clause("Develops IPsec."), "develops IPsec.");
        assert_eq!(clause("IPsec for all."), "IPsec for all.");
        // A first word with other capitals is a name, kept as written.
        assert_eq!(clause("OpenPGP signs mail."), "OpenPGP signs mail.");
        assert_eq!(clause("Post-Quantum keys."), "Post-Quantum keys.");
        assert_eq!(clause("The OpenPGP group."), "the OpenPGP group.");
        // "A" alone is the article; "I" and "A1" are not ordinary words.
        assert_eq!(clause("A group for keys."), "a group for keys.");
        assert_eq!(clause("I think so."), "I think so.");
        assert_eq!(clause("A1 paper."), "A1 paper.");
        // A capitalised pair is written as a title; after an article or a verb it is not.
        assert_eq!(
            clause("Data Centers have grown."),
            "Data Centers have grown."
        );
        assert_eq!(
            clause("The Extensible protocol."),
            "the Extensible protocol."
        );
        assert_eq!(
            clause("Develops Oblivious HTTP."),
            "develops Oblivious HTTP."
        );
        assert_eq!(clause("Define AS_PATH rules."), "define AS_PATH rules.");
    }

    /// What a reason quotes must not lean on what the reader cannot see: the sentences before
    /// it, a list cut off, an item number, a reference, a concession without its point.
    #[test]
    fn a_reason_stands_on_its_own() {
        assert!(refers_back(
            "The group specified X to enable this functionality."
        ));
        assert!(refers_back("Work items with the above properties."));
        assert!(refers_back("It works on the topics listed below."));
        assert!(refers_back(
            "Emblems presented in such ways are called digital emblems."
        ));
        assert!(!refers_back("This working group develops X, such as Y."));
        assert_eq!(
            after_own_heading(
                "Post-Quantum Cryptography (PQC): The addition of algorithms.",
                "post-quantum cryptography"
            ),
            Some("The addition of algorithms.")
        );
        assert_eq!(
            after_own_heading("Privacy: the group studies it.", "privacy"),
            Some("the group studies it.")
        );
        assert_eq!(
            after_own_heading("Privacy is studied: here.", "privacy"),
            None
        );
        assert_eq!(after_own_heading("Goals: privacy.", "privacy"), None);
        // "those" with a participle says itself which.
        assert!(!refers_back(
            "It maintains components, such as those defining RPC."
        ));
        assert!(refers_back("It maintains those components."));
        assert!(!refers_back(
            "The CATS working group is chartered to steer traffic."
        ));
        assert!(leans_back("It will also coordinate with ICCRG."));
        assert!(leans_back("These credentials can be stored in a wallet."));
        assert!(leans_back("Such topics include address space issues."));
        assert!(!leans_back("This WG aims to establish a mechanism."));
        assert!(leans_back("Known as MASQUE, to enable this functionality."));
        assert!(!leans_back("X enables this functionality for clients."));
        assert!(!leans_back(
            "Paths where such paths can provide bounds on latency."
        ));
        assert!(!leans_back(
            "The group computes paths and manages those paths."
        ));
        // The rest of a sentence before; a preposition, then what points back.
        assert!(leans_back("Or being able to refer to conversations."));
        assert!(leans_back("In these cases, the entity wants aggregates."));
        assert!(!leans_back(
            "In this working group, the entity wants aggregates."
        ));
        assert!(!leans_back("Order matters for the calls here."));
        assert!(refers_back("CDDL is such a description technique."));
        // A tie to the sentence before goes; a phrase that goes on stays.
        assert_eq!(
            without_connective("Moreover it is widely accepted that X."),
            Some("it is widely accepted that X.")
        );
        assert_eq!(
            without_connective("However, when networks limit rates, apps struggle."),
            Some("when networks limit rates, apps struggle.")
        );
        assert_eq!(
            without_connective("In addition, the group maintains X."),
            Some("the group maintains X.")
        );
        assert_eq!(
            without_connective("In addition to browsing, HTTP is used."),
            None
        );
        assert_eq!(
            without_connective("However the data is collected, X."),
            None
        );
        // An example ties its sentence to the one it illustrates.
        assert_eq!(
            without_connective("For example, proxying hides addresses."),
            Some("proxying hides addresses.")
        );
        assert_eq!(without_connective("For example the lock asks."), None);
        assert_eq!(
            without_connective("In particular, mDNS is used on one link."),
            Some("mDNS is used on one link.")
        );
        assert_eq!(without_connective("In particular cases, X."), None);
        assert_eq!(without_connective("Howeverish words."), None);
        assert_eq!(without_connective("Also in scope are X."), None);
        // A sentence cut before its list ends as one, unless a word was left hanging.
        assert_eq!(end_quoted("It develops tools:"), "It develops tools.");
        assert_eq!(
            end_quoted("It documents the state of affairs by:"),
            "It documents the state of affairs…"
        );
        assert_eq!(
            end_quoted("Tokens are redeemed by clients, such that:"),
            "Tokens are redeemed by clients…"
        );
        assert_eq!(
            end_quoted("It maintains TCP and extends it."),
            "It maintains TCP and extends it."
        );
        // (line, without its item number or time slot)
        for (line, item) in [
            ("04 - MPLS data model", "MPLS data model"),
            ("15 min - Client Hint", "Client Hint"),
            ("5 mins \u{2013} Status", "Status"),
            ("2024 - a year", "2024 - a year"),
            ("3 drafts - status", "3 drafts - status"),
            ("5G - slicing", "5G - slicing"),
            ("09:50 - 10:00 A Data Manifest", "A Data Manifest"),
            ("09:45 5m MASQUE signaling", "MASQUE signaling"),
            ("9:00 \u{2013} Welcome", "Welcome"),
            ("14:30", "14:30"),
            ("5.2. AI based agents", "AI based agents"),
            ("3.2) Carbon use case.", "Carbon use case."),
            ("4. Status", "Status"),
            ("1.3 million users", "1.3 million users"),
            ("2.0 is out", "2.0 is out"),
            ("10:3 notes", "10:3 notes"),
            ("07_BGP Flowspec", "BGP Flowspec"),
            ("7 The JSON format", "The JSON format"),
            ("7_ x", "7_ x"),
            ("2 WGs adopted it", "2 WGs adopted it"),
            ("3 Apples", "3 Apples"),
        ] {
            assert_eq!(without_item_number(line), item, "{line}");
        }
        assert_eq!(
            without_citations(String::from(
                "EAP [RFC 3748] is used. BIER [RFC8279, RFC 8296] too [RFCs]."
            )),
            "EAP is used. BIER too [RFCs]."
        );
        assert_eq!(
            without_citations(String::from("monitoring [RFC 7258], is")),
            "monitoring, is"
        );
        assert_eq!(without_citations(String::from("a [RFC")), "a [RFC");
        assert_eq!(
            without_citations(String::from(
                "the API https://example.org/api. Read it (https://example.org) today."
            )),
            "the API. Read it today."
        );
        let object = "See https://example.org/notes and the draft.";
        assert_eq!(without_citations(String::from(object)), object);
        assert_eq!(
            without_citations(String::from(
                "MLS [I-D.ietf-mls-protocol] and [I-D. x] and [RFC editor] and [I-D.]"
            )),
            "MLS and [I-D. x] and [RFC editor] and [I-D.]"
        );
        // A long concession gives way to the main clause; a short one, or a list, stays.
        let long = "While mechanisms such as A, B, and C exist, there is no way to compare them.";
        assert_eq!(
            past_concession(long, 40),
            "there is no way to compare them."
        );
        assert_eq!(past_concession(long, 200), long);
        let list = "While A, the B, and C exist (and more), none of that is new here at all.";
        assert_eq!(
            past_concession(list, 40),
            "none of that is new here at all."
        );
        let none = "While A, B and C exist, work goes on.";
        assert_eq!(past_concession(none, 20), none);
        assert_eq!(past_concession("Whiletrue, it is.", 5), "Whiletrue, it is.");
    }
}
