//! Strength: is a group's own work about an interest (`strong`), or only related (`possible`)?
//!
//! Ranking finds every group whose texts share words with an interest; many of those share a
//! word and nothing more (a talk title, a word of the group's name, a word most charters use).
//! Strength asks a stricter question of the group's statement of purpose, its charter or
//! description, read sentence by sentence:
//!
//! - Only *specific* evidence counts: the person's own phrase (or their single word), the terms
//!   of the vocabulary topics the interest names, and a sentence holding every content word of
//!   the interest. A single word found in more than [`Thresholds::generic`] of the index's
//!   sessions is generic ("network", "security", "protocol") and never counts.
//! - Words of the group's name or of its session agendas (document titles) count only where
//!   the charter agrees: they can confirm the charter, never stand in for it.
//! - A group is strong when its acronym is the interest or one of the topic's terms (the
//!   vocabulary names the groups that are a topic's home), or when its charter shows the
//!   interest (a) in its opening sentence, the statement of purpose, backed by a second piece
//!   of evidence (another specific term, a second mention, the group's name or an agenda), or (b) through
//!   at least two distinct specific terms in a share of its sentences (how much of the text is
//!   about the interest), or (c) in both its name and at least two mentions in the charter.
//!
//! Everything else that ranking returns is `possible`. The decision is a pure function of the
//! texts, tested below on hand-made cases.

use crate::model::Strength;

/// The knobs of the decision (shares are fractions of 1).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Thresholds {
    /// A single word in more than this share of the index's sessions is generic.
    pub generic: f32,
    /// Share of a charter's sentences that must carry specific evidence for rule (b).
    pub share: f32,
}

/// The person's own word or phrase is generic only when most sessions (more than this share)
/// hold it: it is what they asked for.
pub const OWN_GENERIC: f32 = 0.5;

/// A topic that takes in more narrower topics than this is an umbrella: the home groups of
/// those narrower topics are not, by their acronym alone, about it.
pub const UMBRELLA: usize = 5;

pub const THRESHOLDS: Thresholds = Thresholds {
    generic: 0.1,
    share: 0.15,
};

impl Default for Thresholds {
    fn default() -> Self {
        THRESHOLDS
    }
}

/// A word (or a text) of a group, borrowed from the index's digest when it comes from there.
pub(crate) type Word<'a> = std::borrow::Cow<'a, str>;

/// A group's texts, as stemmed words.
#[derive(Debug, Clone, Default)]
pub(crate) struct GroupText<'a> {
    pub acronym: String,
    /// The group's name.
    pub name: Vec<Word<'a>>,
    /// The charter or description, one entry per sentence.
    pub charter: Vec<Vec<Word<'a>>>,
    /// Session agendas (document titles, agenda items), one entry per line, all sessions.
    pub agenda: Vec<Vec<Word<'a>>>,
    /// The charter's sentences and the agenda's lines as people read them (for excerpts and
    /// reasons), parallel to `charter` and `agenda`.
    pub charter_text: Vec<Word<'a>>,
    pub agenda_text: Vec<Word<'a>>,
    /// Every stem of the name, charter and agenda, when computed ([`GroupText::index`]): a
    /// unit none of whose words the group uses is not looked for sentence by sentence. Held as
    /// hashes ([`word_hash`]): a collision only means a unit is looked for in vain.
    pub words: Option<WordSet>,
}

/// Hashes of words ([`word_hash`]), which need no hashing again.
pub(crate) type WordSet =
    std::collections::HashSet<u64, std::hash::BuildHasherDefault<PassThrough>>;

/// The hasher of a [`WordSet`]: its keys are hashes already.
#[derive(Default)]
pub(crate) struct PassThrough(u64);

impl std::hash::Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys go in; other input folds in byte by byte all the same.
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

impl GroupText<'_> {
    /// Fills [`GroupText::words`].
    pub fn index(mut self) -> Self {
        let all = self.charter.iter().chain(&self.agenda).chain([&self.name]);
        self.words = Some(all.flatten().map(|w| word_hash(w)).collect());
        self
    }
}

/// FNV-1a of a word: cheap, and a set of them needs no copies of the words.
pub(crate) fn word_hash(w: &str) -> u64 {
    w.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// What strength may count: a specific unit of the interest.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Evidence {
    /// As the person or the vocabulary wrote it (for `-vv`).
    pub label: String,
    /// Stemmed words of the unit (a phrase when several).
    pub stems: Vec<String>,
    /// Lower-cased words as written joined by `-` (for the acronym).
    pub acronym: String,
    /// A word or phrase most sessions contain: never counts.
    pub generic: bool,
    pub role: Role,
}

/// What a piece of evidence speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum Role {
    /// The person's own phrase, or their single word: the whole interest.
    Own,
    /// The name, an alias or a term of the `n`-th vocabulary topic the interest names: the part
    /// of the interest that topic covers.
    Part(usize),
    /// A term of a narrower topic a matched topic takes in: counts only next to evidence for
    /// the interest itself.
    Support,
}

/// What strength reads for one interest.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Interest {
    pub evidence: Vec<Evidence>,
    /// How many vocabulary topics the interest names (each must find support).
    pub parts: usize,
    /// The content words of an interest of several words: a sentence holding all of them
    /// counts as the interest's own phrase. Empty for a single word.
    pub all_words: Vec<String>,
}

/// What the decision saw, for `-vv` and for tuning the mechanism as a whole.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Features {
    /// The acronym is the interest or a term of a topic it names (or of a narrower topic
    /// one of them takes in), and the charter supports every other part of the interest.
    pub acronym: bool,
    /// The charter (or, for a group without one, its agendas) read sentence by sentence.
    pub charter: Reading,
    /// The session agendas read line by line (items, document titles).
    pub agenda: Reading,
    /// The group's name holds a unit the charter has too.
    pub name_agrees: bool,
    /// The session agendas hold a unit the charter has too.
    pub agenda_agrees: bool,
}

/// Evidence in one text, read in pieces (sentences or agenda lines).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Reading {
    /// Every part of the interest is supported.
    pub covered: bool,
    /// Distinct specific units found.
    pub units: usize,
    /// Their occurrences.
    pub mentions: usize,
    /// Pieces holding evidence, and all pieces.
    pub with: usize,
    pub pieces: usize,
    /// The first piece (the statement of purpose) holds evidence.
    pub lead: bool,
    /// The piece with the most evidence (for the reason).
    pub best: Option<usize>,
    /// The units found (for `-vv`).
    pub found: Vec<String>,
    /// Their stems (for agreement between texts).
    stems: Vec<Vec<String>>,
}

impl Reading {
    fn share(&self) -> f32 {
        if self.pieces == 0 {
            0.0
        } else {
            self.with as f32 / self.pieces as f32
        }
    }
}

fn count(hay: &[Word], needle: &[String]) -> usize {
    if needle.is_empty() || hay.len() < needle.len() {
        return 0;
    }
    hay.windows(needle.len())
        .filter(|w| w.iter().zip(needle).all(|(a, b)| a == b))
        .count()
}

/// Whether a piece holds the word.
fn has(piece: &[Word], word: &str) -> bool {
    piece.iter().any(|w| w == word)
}

/// Reads `pieces` for the interest.
/// Stays whole: the counts per sentence and the rules that read them belong together.
fn read(
    pieces: &[Vec<Word>],
    words: Option<&WordSet>,
    interest: &Interest,
    acronym: Option<Role>,
) -> Reading {
    let mut r = Reading {
        pieces: pieces.len(),
        ..Reading::default()
    };
    let specific: Vec<&Evidence> = interest.evidence.iter().filter(|u| !u.generic).collect();
    // A unit with a word the group never uses counts 0 everywhere: only the others are
    // counted, into one flat table (piece by piece, a column per such unit).
    let used: Vec<usize> = (0..specific.len())
        .filter(|&u| {
            words.is_none_or(|w| specific[u].stems.iter().all(|s| w.contains(&word_hash(s))))
        })
        .collect();
    let cols = used.len();
    let mut table = vec![0usize; pieces.len() * cols];
    for (p, piece) in pieces.iter().enumerate() {
        for (c, &u) in used.iter().enumerate() {
            table[p * cols + c] = count(piece, &specific[u].stems);
        }
    }
    let all_words = &interest.all_words;
    let all_in: Vec<bool> = pieces
        .iter()
        .map(|p| all_words.len() > 1 && all_words.iter().all(|w| has(p, w)))
        .collect();
    let all_seen = all_in.iter().any(|x| *x);
    let mut found = vec![false; specific.len()];
    for (c, &u) in used.iter().enumerate() {
        found[u] = (0..pieces.len()).any(|p| table[p * cols + c] > 0);
    }
    let own = all_seen
        || specific
            .iter()
            .zip(&found)
            .any(|(u, x)| *x && u.role == Role::Own);
    let part = |p: usize| {
        specific
            .iter()
            .zip(&found)
            .any(|(u, x)| *x && u.role == Role::Part(p))
    };
    // The group's acronym stands for what names it: the whole interest (its own word, or a
    // narrower topic's home group) or the part of the interest its topic covers.
    let whole = own || matches!(acronym, Some(Role::Own | Role::Support));
    r.covered = whole
        || (interest.parts > 0
            && (0..interest.parts).all(|p| part(p) || acronym == Some(Role::Part(p))));
    // Narrower topics' terms count only where the person's own words (or the group's acronym)
    // are there too: a vocabulary word alone must not open the door to a whole other topic.
    let own_words = whole || acronym.is_some();
    let counts = |u: &Evidence| u.role != Role::Support || own_words;
    let mut best: Option<(usize, usize)> = None;
    for i in 0..pieces.len() {
        let mut here: usize = used
            .iter()
            .enumerate()
            .filter(|&(_, &u)| counts(specific[u]))
            .map(|(c, _)| table[i * cols + c])
            .sum();
        if all_in[i] && here == 0 {
            here = 1;
        }
        r.mentions += here;
        if here > 0 {
            r.with += 1;
            r.lead |= i == 0;
            if best.is_none_or(|(n, _)| here > n) {
                best = Some((here, i));
            }
        }
    }
    r.best = best.map(|b| b.1);
    let counted: Vec<&Evidence> = specific
        .iter()
        .zip(&found)
        .filter(|(u, x)| **x && counts(u))
        .map(|(u, _)| *u)
        .collect();
    r.found = counted.iter().map(|u| u.label.clone()).collect();
    r.stems = counted.iter().map(|u| u.stems.clone()).collect();
    if all_seen {
        r.stems.push(all_words.clone());
    }
    r.units = counted.len() + usize::from(all_seen);
    r
}

/// Measures the evidence of `text` for one interest.
pub(crate) fn features(text: &GroupText<'_>, interest: &Interest) -> Features {
    // The strongest role the acronym plays (own word, then a topic's term, then a narrower
    // topic's term).
    let acronym = interest
        .evidence
        .iter()
        .filter(|u| !u.acronym.is_empty() && u.acronym == text.acronym)
        .map(|u| u.role)
        .min_by_key(|r| match r {
            Role::Own => 0,
            Role::Part(_) => 1,
            Role::Support => 2,
        });
    // A group without a charter or description is known only by its agendas.
    let charter = if text.charter.is_empty() {
        &text.agenda
    } else {
        &text.charter
    };
    // A narrower topic's home group stands for the interest only where its texts also show
    // the interest itself (the person's words, or a named topic's own words), however
    // briefly: "dult" for privacy, not "mimi" (a messaging group) for online safety. A group
    // with no description to read keeps what its acronym says.
    let acronym = match acronym {
        Some(Role::Support) if !text.charter.is_empty() => {
            let name = [text.name.clone()];
            let shown = |pieces: &[Vec<Word>]| pieces.iter().any(|p| shows(interest, p));
            (shown(charter) || shown(&text.agenda) || shown(&name)).then_some(Role::Support)
        }
        other => other,
    };
    let c = read(charter, text.words.as_ref(), interest, acronym);
    let a = read(&text.agenda, text.words.as_ref(), interest, acronym);
    let in_all = |hay: &[Vec<Word>], needle: &[String]| {
        if needle.len() > 1 && interest.all_words == needle {
            hay.iter().any(|p| needle.iter().all(|w| has(p, w)))
        } else {
            hay.iter().any(|p| count(p, needle) > 0)
        }
    };
    let name = [text.name.clone()];
    Features {
        acronym: acronym.is_some() && c.covered,
        name_agrees: c.stems.iter().any(|u| in_all(&name, u)),
        agenda_agrees: c.stems.iter().any(|u| in_all(&text.agenda, u)),
        charter: c,
        agenda: a,
    }
}

/// Whether a sentence (stemmed) shows the interest itself: the person's words, or a topic's
/// name, alias or term.
pub(crate) fn shows(interest: &Interest, sentence: &[Word]) -> bool {
    (interest.all_words.len() > 1 && interest.all_words.iter().all(|w| has(sentence, w)))
        || interest
            .evidence
            .iter()
            .any(|u| u.role != Role::Support && !u.generic && count(sentence, &u.stems) > 0)
}

/// The decision rules of the module doc.
pub(crate) fn decide(f: &Features, t: &Thresholds) -> Strength {
    let c = &f.charter;
    let purpose = c.lead
        && c.units >= 1
        && (c.units >= 2 || c.mentions >= 2 || f.name_agrees || f.agenda_agrees);
    let share_of_text = c.units >= 2 && c.with >= 2 && c.share() >= t.share;
    let name_and_charter = f.name_agrees && c.mentions >= 2;
    // The meeting's own agenda: several items about the interest, a fair share of them.
    let a = &f.agenda;
    let agenda = a.covered && a.units >= 2 && a.with >= 2 && a.share() >= t.share;
    let strong =
        f.acronym || (c.covered && (purpose || share_of_text || name_and_charter)) || agenda;
    if strong {
        Strength::Strong
    } else {
        Strength::Possible
    }
}

/// Splits prose into sentences: at `.`, `?` or `!` followed by a space and an upper-case
/// letter or digit, and at line breaks that end a block (charters come as paragraphs and
/// list items). A period after a number, a lower-case letter or an abbreviation with dots
/// ("1.", "e.g.") does not end one.
pub(crate) fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for block in text.split('\n') {
        let block = block.trim();
        if block.is_empty() {
            continue;
        }
        let chars: Vec<(usize, char)> = block.char_indices().collect();
        let mut from = 0;
        for (k, &(i, c)) in chars.iter().enumerate() {
            if !matches!(c, '.' | '?' | '!') {
                continue;
            }
            let next = chars.get(k + 1).map(|x| x.1);
            let after = chars.get(k + 2).map(|x| x.1);
            if next != Some(' ') || !after.is_some_and(|a| a.is_uppercase() || a.is_ascii_digit()) {
                continue;
            }
            // "e.g. X", "i.e. Y", "Fig. 2", "1. Item": abbreviations, not sentence ends.
            let word_start = block[..i]
                .rfind(|ch: char| ch.is_whitespace())
                .map_or(0, |p| p + 1);
            let word = &block[word_start..i];
            let numeral = !word.is_empty() && word.chars().all(|ch| ch.is_ascii_digit());
            let letter = word.chars().count() == 1 && word.chars().all(char::is_lowercase);
            if c == '.' && (numeral || letter || word.contains('.')) {
                continue;
            }
            let s = block[from..=i].trim();
            if !s.is_empty() {
                out.push(s.to_string());
            }
            from = i + 1;
        }
        let rest = block[from..].trim();
        if !rest.is_empty() {
            out.push(rest.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    fn ev(s: &str) -> Evidence {
        Evidence {
            label: s.into(),
            stems: st(s),
            acronym: s.replace(' ', "-"),
            generic: false,
            role: Role::Own,
        }
    }

    fn one(units: &[Evidence]) -> Interest {
        Interest {
            evidence: units.to_vec(),
            parts: 0,
            all_words: Vec::new(),
        }
    }

    fn words(s: &str) -> Vec<Word<'static>> {
        st(s).into_iter().map(Word::Owned).collect()
    }

    fn text(acronym: &str, name: &str, charter: &[&str], agenda: &str) -> GroupText<'static> {
        GroupText {
            acronym: acronym.into(),
            name: words(name),
            charter: charter.iter().map(|s| words(s)).collect(),
            agenda: agenda
                .split('|')
                .map(words)
                .filter(|l| !l.is_empty())
                .collect(),
            ..GroupText::default()
        }
    }

    fn strength(t: &GroupText, units: &[Evidence]) -> Strength {
        decide(&features(t, &one(units)), &THRESHOLDS)
    }

    #[test]
    fn a_word_only_in_a_title_or_the_name_is_possible() {
        let units = [ev("spectrum")];
        let title = text(
            "pq",
            "post quantum",
            &["we work on signatur"],
            "hybrid spectrum",
        );
        assert_eq!(strength(&title, &units), Strength::Possible);
        let name = text("so", "spectrum oper", &["we run network"], "");
        assert_eq!(strength(&name, &units), Strength::Possible);
        let charter = text(
            "rs",
            "radio share",
            &[
                "defin how spectrum is share",
                "other thing",
                "spectrum databas too",
            ],
            "",
        );
        assert_eq!(strength(&charter, &units), Strength::Strong);
    }

    #[test]
    fn one_passing_mention_is_possible_and_generic_words_never_count() {
        let units = [ev("privaci"), ev("oblivi http")];
        let passing = text(
            "x",
            "x",
            &[
                "transport",
                "more",
                "more",
                "it consid privaci",
                "more",
                "more",
            ],
            "",
        );
        assert_eq!(strength(&passing, &units), Strength::Possible);
        let mut generic = ev("network");
        generic.generic = true;
        let t = text("n", "network", &["network network network"], "");
        assert_eq!(strength(&t, &[generic]), Strength::Possible);
        // The vocabulary's home group is strong by its acronym.
        let home = text("oblivious-http", "x", &["y"], "");
        let mut unit = ev("oblivi http");
        unit.acronym = "oblivious-http".into();
        assert_eq!(strength(&home, &[unit]), Strength::Strong);
        // Purpose plus a second piece of evidence.
        let lead = text(
            "o",
            "o",
            &["build oblivi http for privaci", "other", "other"],
            "",
        );
        assert_eq!(strength(&lead, &units), Strength::Strong);
    }

    #[test]
    fn all_words_of_the_interest_in_one_sentence_count_as_the_phrase() {
        let words = Interest {
            all_words: st("dns abus"),
            ..Interest::default()
        };
        let t = text("d", "d", &["stop dns abus now and dns abus later"], "");
        let f = features(&t, &words);
        assert_eq!(f.charter.units, 1);
        assert!(f.charter.lead);
        let t = text("d", "dns servic", &["dns discoveri", "on local link"], "");
        let f = features(&t, &words);
        assert_eq!(f.charter.units, 0);
        assert_eq!(decide(&f, &THRESHOLDS), Strength::Possible);
    }

    #[test]
    fn sentences_split_at_ends_not_abbreviations() {
        let s = sentences("Works on A, e.g. B. Then C? Yes.\nItem 1. Done\n\nLast one");
        assert_eq!(
            s,
            vec![
                "Works on A, e.g. B.",
                "Then C?",
                "Yes.",
                "Item 1. Done",
                "Last one"
            ]
        );
    }
}
