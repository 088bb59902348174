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
//!   about the interest), or (c) in both its name and at least two mentions in the charter (one,
//!   when the name holds the person's whole phrase). When the interest names several topics,
//!   each must be supported; a narrower topic's home group supports only its own part.
//! - Words the person adds to a topic narrow it ("hello" of "encrypted client hello"): a group
//!   is strong only where its texts use each of them (or the vocabulary's abbreviation of the
//!   phrase that holds it), whatever else shows the topic.
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

/// A stemmed word as a number: equal words have equal ids and different words different ones
/// (`judge::Words` hands them out), so the reading below compares numbers, not strings.
pub(crate) type WordId = u32;

/// A text's pieces (sentences or lines) as word ids, laid end to end.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Pieces {
    #[serde(with = "le_words")]
    words: Vec<WordId>,
    /// Where each piece ends in `words`.
    #[serde(with = "le_words")]
    ends: Vec<u32>,
}

/// A list of numbers stored as one run of little-endian bytes: read back in one tight loop,
/// not number by number through the decoder (group texts hold thousands).
mod le_words {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(v: &[u32], s: S) -> Result<S::Ok, S::Error> {
        let bytes: Vec<u8> = v.iter().flat_map(|n| n.to_le_bytes()).collect();
        s.serialize_bytes(&bytes)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u32>, D::Error> {
        let bytes: &[u8] = Deserialize::deserialize(d)?;
        if !bytes.len().is_multiple_of(4) {
            return Err(D::Error::custom("a list of numbers of a broken length"));
        }
        Ok(bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect())
    }
}

impl Pieces {
    pub fn push(&mut self, words: impl IntoIterator<Item = WordId>) {
        self.words.extend(words);
        self.ends.push(self.words.len() as u32);
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, i: usize) -> &[WordId] {
        let from = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.words[from..self.ends[i] as usize]
    }

    pub fn iter(&self) -> impl Iterator<Item = &[WordId]> {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// A group's texts, as stemmed words (ids).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct GroupText {
    pub acronym: String,
    /// The group's name.
    pub name: Vec<WordId>,
    /// The charter or description, one piece per sentence.
    pub charter: Pieces,
    /// Session agendas (document titles, agenda items), one piece per line, all sessions.
    pub agenda: Pieces,
    /// Every word of the name, charter and agenda, sorted, each once: a unit none of whose
    /// words the group uses is not looked for sentence by sentence.
    #[serde(with = "le_words")]
    pub words: Vec<WordId>,
}

impl GroupText {
    pub fn new(acronym: String, name: Vec<WordId>, charter: Pieces, agenda: Pieces) -> Self {
        let mut words: Vec<WordId> = name
            .iter()
            .chain(&charter.words)
            .chain(&agenda.words)
            .copied()
            .collect();
        words.sort_unstable();
        words.dedup();
        Self {
            acronym,
            name,
            charter,
            agenda,
            words,
        }
    }

    fn uses(&self, w: WordId) -> bool {
        self.words.binary_search(&w).is_ok()
    }
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
    /// A term of a narrower topic the `n`-th topic the interest names takes in: counts only
    /// next to evidence for the interest itself; a home group's acronym stands for that part.
    Support(usize),
}

impl Role {
    pub(crate) fn is_support(self) -> bool {
        matches!(self, Self::Support(_))
    }
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
    /// `all_words` as the person wrote them, lower-cased (parallel to it; empty when a word
    /// stems to several): a group is named by its acronym as written, "rats" or "teas", which
    /// Snowball stems to other words.
    #[serde(default)]
    pub written: Vec<String>,
    /// Those of `all_words` that many sessions use ("network"): not enough, alone, to say what
    /// a person asks a group they name about ([`named_by_person`]).
    pub common_words: Vec<String>,
    /// Those of `all_words` that name a vocabulary topic ("privacy", "post-quantum
    /// cryptography"): asked of a group the person names, any of the topic's evidence answers
    /// them ([`named_by_person`]).
    #[serde(default)]
    pub topic_words: Vec<String>,
    /// The person's words that narrow the topics they name (`judge::qualifiers`): the words
    /// of a specific term ("encrypted client hello"), a word the topics do not know that few
    /// sessions use ("variant" of "time-variant routing"), a group's acronym ("masque" of
    /// "masque vpn"). A group is strong only where its texts use each of them
    /// ([`Features::qualified`]).
    #[serde(default)]
    pub qualifiers: Vec<Qualifier>,
}

/// One of the person's narrowing words, and what else stands for it in a group's texts.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Qualifier {
    /// The word as written, lower-cased: a group whose acronym it is uses it ("tls").
    pub word: String,
    /// Its stem, and the stems of the vocabulary's abbreviations of a run of the person's words
    /// that holds it ("ech" for each word of "encrypted client hello").
    pub stems: Vec<String>,
}

/// An interest with its stems as word ids: what the reading compares.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sought {
    pub interest: Interest,
    /// Per piece of evidence (parallel to `interest.evidence`): its stems.
    stems: Vec<Vec<WordId>>,
    all_words: Vec<WordId>,
    /// Per qualifier (parallel to `interest.qualifiers`): the ids of the stems that stand for it.
    qualifiers: Vec<Vec<WordId>>,
}

impl Interest {
    /// The interest with its stems as ids from `id` (the ids the group texts use).
    pub fn sought(self, id: &mut dyn FnMut(&str) -> WordId) -> Sought {
        let mut ids = |v: &[String]| v.iter().map(|w| id(w)).collect::<Vec<_>>();
        let stems = self.evidence.iter().map(|e| ids(&e.stems)).collect();
        let all_words = ids(&self.all_words);
        let qualifiers = self.qualifiers.iter().map(|q| ids(&q.stems)).collect();
        Sought {
            interest: self,
            stems,
            all_words,
            qualifiers,
        }
    }
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
    /// The group's name holds every word of a phrase the person asked for ("key transparency":
    /// the Key Transparency working group).
    pub name_is_phrase: bool,
    /// The session agendas hold a unit the charter has too.
    pub agenda_agrees: bool,
    /// One of the person's words is the group's acronym and its texts hold the others ("oauth
    /// tokens": the OAuth working group, whose texts speak of tokens).
    pub named_by_person: bool,
    /// The group's texts (name, charter, agendas) use every word the person narrowed the
    /// topic with, or its acronym is that word; true when there is none.
    pub qualified: bool,
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
    /// One piece holds every part of the interest (or its own words): an agenda speaks of a
    /// two-part interest only where one item does, not where one item is on security and
    /// another on the web.
    pub joined: bool,
    /// The piece with the most evidence (for the reason).
    pub best: Option<usize>,
    /// The units found (for `-vv`).
    pub found: Vec<String>,
    /// Their stems (for agreement between texts).
    stems: Vec<Vec<WordId>>,
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

fn count(hay: &[WordId], needle: &[WordId]) -> usize {
    if needle.is_empty() || hay.len() < needle.len() {
        return 0;
    }
    // Compared word by word from a matching first word: a slice comparison per window would
    // call memcmp for each.
    let (first, rest) = (needle[0], &needle[1..]);
    (0..=hay.len() - needle.len())
        .filter(|&i| hay[i] == first && hay[i + 1..].iter().zip(rest).all(|(a, b)| a == b))
        .count()
}

/// Whether a piece holds the word.
fn has(piece: &[WordId], word: WordId) -> bool {
    piece.contains(&word)
}

/// The interest's words stand for its phrase only when they come together: within this many
/// words of each other, about a clause ("policy on the public Internet"), not anywhere in a
/// long sentence that happens to use each of them.
const NEAR: usize = 10;

/// Whether every word of `words` occurs in `piece` within a run of [`NEAR`] words.
fn all_near(piece: &[WordId], words: &[WordId]) -> bool {
    if !words.iter().all(|&w| has(piece, w)) {
        return false;
    }
    // Only a piece holding them all gets here: look at each run that starts at one of them.
    piece.iter().enumerate().any(|(i, w)| {
        words.contains(w) && {
            let run = &piece[i..piece.len().min(i + NEAR)];
            words.iter().all(|&x| has(run, x))
        }
    })
}

/// Whether `name` holds `words` in their order (others may stand between): "Messaging Layer
/// Security" says "messaging security"; "Secure Patterns for Internet CrEdentials" does not
/// say "internet security".
fn in_order(name: &[WordId], words: &[WordId]) -> bool {
    let mut rest = name.iter();
    words.iter().all(|w| rest.any(|x| x == w))
}

/// Reads `pieces` for the interest: `specific` evidence (indexes), of which `used` (indexes into
/// `specific`) are counted, into one flat table (piece by piece, a column per such unit).
/// Stays whole: the counts per sentence and the rules that read them belong together.
fn read(
    pieces: &Pieces,
    (specific, used): (&[usize], &[usize]),
    s: &Sought,
    acronym: Option<Role>,
) -> Reading {
    let interest = &s.interest;
    let mut r = Reading {
        pieces: pieces.len(),
        ..Reading::default()
    };
    let cols = used.len();
    let mut table = vec![0usize; pieces.len() * cols];
    // One pass over each piece's words: where a word starts a counted unit (its first word,
    // sorted; `mask` rejects most words at one test), the rest of the unit must follow.
    let mut firsts: Vec<(WordId, usize)> = used
        .iter()
        .enumerate()
        .map(|(c, &u)| (s.stems[specific[u]][0], c))
        .collect();
    firsts.sort_unstable();
    let mask = firsts.iter().fold(0u64, |m, f| m | 1 << (f.0 % 64));
    if cols > 0 {
        for (p, piece) in pieces.iter().enumerate() {
            for (i, &w) in piece.iter().enumerate() {
                if mask & (1 << (w % 64)) == 0 {
                    continue;
                }
                let from = firsts.partition_point(|f| f.0 < w);
                for &(_, c) in firsts[from..].iter().take_while(|f| f.0 == w) {
                    let rest = &s.stems[specific[used[c]]][1..];
                    if piece.len() - i > rest.len()
                        && piece[i + 1..].iter().zip(rest).all(|(a, b)| a == b)
                    {
                        table[p * cols + c] += 1;
                    }
                }
            }
        }
    }
    let all_words = &s.all_words;
    let all_in: Vec<bool> = if all_words.len() > 1 {
        pieces.iter().map(|p| all_near(p, all_words)).collect()
    } else {
        vec![false; pieces.len()]
    };
    let all_seen = all_in.iter().any(|x| *x);
    let mut found = vec![false; specific.len()];
    for (c, &u) in used.iter().enumerate() {
        found[u] = (0..pieces.len()).any(|p| table[p * cols + c] > 0);
    }
    let ev = |u: usize| &interest.evidence[specific[u]];
    let own = all_seen || (0..specific.len()).any(|u| found[u] && ev(u).role == Role::Own);
    let part = |p: usize| (0..specific.len()).any(|u| found[u] && ev(u).role == Role::Part(p));
    // The group's acronym stands for what names it: the whole interest (its own word, or a
    // narrower topic's home group) or the part of the interest its topic covers.
    // A narrower topic's home group stands for the whole interest only when the interest names
    // that one topic: "domain name system operations" names two, and a DNS group's acronym
    // says nothing about operations.
    let whole = own
        || acronym == Some(Role::Own)
        || (interest.parts <= 1 && matches!(acronym, Some(Role::Support(_))));
    let by_acronym = |p: usize| matches!(acronym, Some(Role::Part(q) | Role::Support(q)) if q == p);
    r.covered =
        whole || (interest.parts > 0 && (0..interest.parts).all(|p| part(p) || by_acronym(p)));
    // Piece `i` holds evidence for part `p`.
    let part_in = |i: usize, p: usize| {
        used.iter()
            .enumerate()
            .any(|(c, &u)| table[i * cols + c] > 0 && ev(u).role == Role::Part(p))
    };
    // The person's own words hold every part wherever they are.
    r.joined = r.covered
        && (interest.parts <= 1
            || whole
            || (0..pieces.len())
                .any(|i| (0..interest.parts).all(|p| by_acronym(p) || part_in(i, p))));
    // Narrower topics' terms count only where the person's own words (or the group's acronym)
    // are there too: a vocabulary word alone must not open the door to a whole other topic.
    let own_words = whole || acronym.is_some();
    let counts = |u: usize| !ev(u).role.is_support() || own_words;
    let mut best: Option<(usize, usize)> = None;
    for i in 0..pieces.len() {
        let mut here: usize = used
            .iter()
            .enumerate()
            .filter(|&(_, &u)| counts(u))
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
    let counted: Vec<usize> = (0..specific.len())
        .filter(|&u| found[u] && counts(u))
        .collect();
    r.found = counted.iter().map(|&u| ev(u).label.clone()).collect();
    r.stems = counted
        .iter()
        .map(|&u| s.stems[specific[u]].clone())
        .collect();
    if all_seen {
        r.stems.push(all_words.clone());
    }
    r.units = counted.len() + usize::from(all_seen);
    r
}

/// Measures the evidence of `text` for one interest.
pub(crate) fn features(text: &GroupText, s: &Sought) -> Features {
    let interest = &s.interest;
    // The strongest role the acronym plays (own word, then a topic's term, then a narrower
    // topic's term). A group's whole name as a term says the same ("adaptive dns discovery"
    // for encrypted DNS): the vocabulary names its home groups either way.
    let acronym = interest
        .evidence
        .iter()
        .zip(&s.stems)
        .filter(|(u, stems)| {
            !u.acronym.is_empty()
                && (u.acronym == text.acronym || (stems.len() > 1 && **stems == text.name))
        })
        .map(|(u, _)| u.role)
        .min_by_key(|r| match r {
            Role::Own => 0,
            Role::Part(_) => 1,
            Role::Support(_) => 2,
        });
    // The specific evidence, and the part of it whose words the group uses: a unit with a
    // word the group never uses counts 0 everywhere, so only the others are counted.
    let specific: Vec<usize> = (0..interest.evidence.len())
        .filter(|&u| !interest.evidence[u].generic)
        .collect();
    let used: Vec<usize> = (0..specific.len())
        .filter(|&u| {
            let stems = &s.stems[specific[u]];
            !stems.is_empty() && stems.iter().all(|&w| text.uses(w))
        })
        .collect();
    // What shows the part `part` of the interest itself: the person's words or that part's
    // own topic words, of those the group uses. Another part's words do not: "children's
    // privacy" is not shown by a charter on privacy alone.
    let showing = |part: usize| -> Vec<&[WordId]> {
        used.iter()
            .map(|&u| specific[u])
            .filter(|&e| [Role::Own, Role::Part(part)].contains(&interest.evidence[e].role))
            .map(|e| s.stems[e].as_slice())
            .collect()
    };
    // A group without a charter or description is known only by its agendas.
    let charter = if text.charter.is_empty() {
        &text.agenda
    } else {
        &text.charter
    };
    // A narrower topic's home group stands for the interest only where its texts also show
    // the interest itself (the person's words, or a named topic's own words): "dult" for
    // privacy, not "mimi" (a messaging group) for online safety. Its charter or name may say
    // it once; this meeting's agendas at least twice (one line can be a liaison from the
    // "Wireless Broadband Alliance"). A group with no description to read keeps what its
    // acronym says.
    let acronym = match acronym {
        Some(Role::Support(part)) if !text.charter.is_empty() => {
            let showing = showing(part);
            let shows_here = |p: &[WordId]| {
                (s.all_words.len() > 1 && all_near(p, &s.all_words))
                    || showing.iter().any(|stems| count(p, stems) > 0)
            };
            let shown = |pieces: &Pieces, at_least: usize| {
                pieces
                    .iter()
                    .filter(|p| shows_here(p))
                    .take(at_least)
                    .count()
                    == at_least
            };
            (shown(charter, 1) || shown(&text.agenda, 2) || shows_here(&text.name))
                .then_some(Role::Support(part))
        }
        other => other,
    };
    let mut c = read(charter, (&specific, &used), s, acronym);
    let a = read(&text.agenda, (&specific, &used), s, acronym);
    // Read in its place, an agenda still speaks of a two-part interest only where one line
    // holds both parts (as the agenda rule asks): an open meeting's line on correlated
    // political events and another on the IAB are not a session on privacy regulation.
    if text.charter.is_empty() {
        c.covered = c.joined;
    }
    let in_piece = |p: &[WordId], needle: &[WordId]| {
        if needle.len() > 1 && s.all_words == needle {
            needle.iter().all(|&w| has(p, w))
        } else {
            count(p, needle) > 0
        }
    };
    // A narrowing word counts where the texts speak of the interest: in a sentence or agenda
    // line that holds evidence the group uses, or in its name. "telecom" of "telecom
    // regulation" is not met by a group that mentions telecoms in a sentence about another
    // thing.
    let evidence_in = |p: &[WordId]| used.iter().any(|&u| count(p, &s.stems[specific[u]]) > 0);
    let qualified = qualifiers_met(s, &text.acronym, |w| {
        has(&text.name, w)
            || text
                .charter
                .iter()
                .chain(text.agenda.iter())
                .any(|p| has(p, w) && evidence_in(p))
    });
    let topics_shown = c.covered || a.covered;
    Features {
        qualified,
        named_by_person: named_by_person(text, s, topics_shown),
        acronym: acronym.is_some() && c.covered,
        name_agrees: c.stems.iter().any(|u| in_piece(&text.name, u)),
        name_is_phrase: s.all_words.len() > 1 && in_order(&text.name, &s.all_words),
        agenda_agrees: c
            .stems
            .iter()
            .any(|u| text.agenda.iter().any(|p| in_piece(p, u))),
        charter: c,
        agenda: a,
    }
}

/// Whether the person named the group: one word of their phrase is its acronym (as written or
/// stemmed: "oauth", "green", "rats", "teas") and its texts hold the phrase's other words:
/// words that name a topic through that topic's evidence (`topics_shown`: "tls privacy",
/// "post-quantum cryptography in tls"), words of the group's own name ("green networking"),
/// the others as written, a single one anywhere if few sessions use it, several together in
/// one sentence or agenda line. A person who writes a group's acronym is asking about that
/// group's work on the rest.
fn named_by_person(text: &GroupText, s: &Sought, topics_shown: bool) -> bool {
    let words = &s.interest.all_words;
    let written = |i: usize| s.interest.written.get(i) == Some(&text.acronym);
    let Some(at) = (0..words.len()).position(|i| words[i] == text.acronym || written(i)) else {
        return false;
    };
    let (topic, rest): (Vec<usize>, Vec<usize>) = (0..words.len())
        .filter(|&i| i != at)
        .partition(|&i| s.interest.topic_words.contains(&words[i]));
    if !topic.is_empty() && !topics_shown {
        return false;
    }
    let ids: Vec<WordId> = rest.iter().map(|&i| s.all_words[i]).collect();
    let mut pieces = text.charter.iter().chain(text.agenda.iter());
    match rest.as_slice() {
        [] => !topic.is_empty(),
        // Words of the group's own name: the person said its acronym and what it stands for
        // ("green networking": Getting Ready for Energy-Efficient Networking).
        _ if ids.iter().all(|&w| has(&text.name, w)) => true,
        // One other word: a specific one ("tokens", not "network": "core network" is not the
        // constrained-RESTful group's work).
        [w] => !s.interest.common_words.contains(&words[*w]) && pieces.any(|p| has(p, ids[0])),
        _ => pieces.any(|p| all_near(p, &ids)),
    }
}

/// Whether a sentence (stemmed) shows the interest itself: the person's words, or a topic's
/// name, alias or term. A topic's word that is only the group's own name or acronym (`naming`)
/// shows nothing: "the MLS protocol ..." does not tell a reader why MLS is about messaging
/// interoperability, so the reason adds the topic's gloss.
pub(crate) fn shows(s: &Sought, sentence: &[WordId], naming: &[WordId]) -> bool {
    let names_group = |stems: &[WordId]| stems.iter().all(|w| naming.contains(w));
    (s.all_words.len() > 1 && all_near(sentence, &s.all_words))
        || s.interest.evidence.iter().zip(&s.stems).any(|(u, stems)| {
            !u.role.is_support()
                && !u.generic
                && (u.role == Role::Own || !names_group(stems))
                && count(sentence, stems) > 0
        })
}

/// Whether a group's name (stemmed) holds a word of the interest's evidence other than the
/// group's `acronym`, common words too: "IP Performance Measurement" for internet
/// measurement, not "Limited Additional Mechanisms for PKIX and SMIME" for post-quantum
/// cryptography.
pub(crate) fn names_interest(s: &Sought, name: &[WordId], acronym: &[WordId]) -> bool {
    (s.interest.evidence.iter().zip(&s.stems)).any(|(u, stems)| {
        !u.role.is_support() && stems.iter().any(|&w| has(name, w) && !acronym.contains(&w))
    })
}

/// Whether a group's name (stemmed) holds a whole term of the interest, one that is not a
/// common word nor the group's `acronym`: "Oblivious HTTP Application Intermediation" for
/// anonymity, not "Routing Area Working Group" for satellites.
pub(crate) fn name_holds_term(s: &Sought, name: &[WordId], acronym: &[WordId]) -> bool {
    (s.interest.evidence.iter().zip(&s.stems)).any(|(u, stems)| {
        !u.role.is_support() && !u.generic && stems != acronym && count(name, stems) > 0
    })
}

/// Whether a piece (a sentence or an agenda line) of `acronym`'s texts holds every word the
/// person narrowed the topic with ([`Interest::qualifiers`]): the piece that speaks of what was
/// asked, not of the topic at large.
pub(crate) fn narrowed_in(s: &Sought, piece: &[WordId], acronym: &str) -> bool {
    qualifiers_met(s, acronym, |w| has(piece, w))
}

/// Whether each narrowing word is `present` (one of the stems standing for it) or is the
/// group's `acronym`.
fn qualifiers_met(s: &Sought, acronym: &str, present: impl Fn(WordId) -> bool) -> bool {
    s.interest
        .qualifiers
        .iter()
        .zip(&s.qualifiers)
        .all(|(q, ids)| q.word == acronym || ids.iter().any(|&w| present(w)))
}

/// The decision rules of the module doc.
pub(crate) fn decide(f: &Features, t: &Thresholds) -> Strength {
    let c = &f.charter;
    let purpose = c.lead
        && c.units >= 1
        && (c.units >= 2 || c.mentions >= 2 || f.name_agrees || f.agenda_agrees);
    let share_of_text = c.units >= 2 && c.with >= 2 && c.share() >= t.share;
    let name_and_charter = f.name_agrees && (c.mentions >= 2 || f.name_is_phrase);
    // The meeting's own agenda: several items about the interest, a fair share of them.
    let a = &f.agenda;
    let agenda = a.joined && a.units >= 2 && a.with >= 2 && a.share() >= t.share;
    // A name that is the person's phrase, with a charter that agrees, covers it.
    let covered = c.covered || (f.name_is_phrase && f.name_agrees);
    // A name that is the person's phrase, said again in this meeting's agenda: a charter
    // written before the group was named need not repeat it ("Oblivious HTTP").
    let name_and_agenda = f.name_is_phrase && a.covered && a.units >= 1;
    // The person's narrowing words are part of the question: a group that never uses them
    // is about the topic, not about what was asked of it.
    let strong = f.qualified
        && (f.acronym
            || f.named_by_person
            || (covered && (purpose || share_of_text || name_and_charter))
            || agenda
            || name_and_agenda);
    if strong {
        Strength::Strong
    } else {
        Strength::Possible
    }
}

/// Splits prose into sentences: at `.`, `?` or `!` followed by a space and an upper-case
/// letter or digit, and at line breaks that end a block (charters come as paragraphs and
/// list items). A period after a number, a lower-case letter or an abbreviation with dots
/// ("1.", "e.g.") does not end one. Lines before the first that ends like a sentence are
/// titles and headings ("Charter", "Introduction", the group's name), not its opening sentence,
/// and are left out.
pub(crate) fn sentences(text: &str) -> Vec<String> {
    let mut out = split_sentences(text);
    let ends = |s: &String| s.ends_with(['.', '?', '!', ':', ';']);
    if let Some(first) = out.iter().position(ends) {
        out.drain(..first);
    }
    out
}

/// Words after which a period does not end a sentence. ("etc." does, before a capital: it closes
/// a list at the end of a sentence far more often than a name follows it.)
const ABBREVIATIONS: &[&str] = &["vs", "cf", "al", "approx", "incl", "no", "fig"];

/// Whether a period after `word` (as written, without the period) may end a sentence: not
/// after an abbreviation or a list marker ("e.g", "Fig", "1", "a").
pub(crate) fn period_ends(word: &str) -> bool {
    let word = word.trim_start_matches(['(', '"']);
    // A short number may be a list marker or a version ("1. Item", "Version 2."); a longer one
    // is a reference or a year, which ends a sentence as any word does ("... in RFC 8446. The
    // group ...", "... in 2015. Since then ...").
    let numeral = (1..=2).contains(&word.len()) && word.chars().all(|ch| ch.is_ascii_digit());
    let letter = word.chars().count() == 1 && word.chars().all(char::is_lowercase);
    let abbreviation = ABBREVIATIONS.contains(&word.to_lowercase().as_str());
    !(numeral || letter || abbreviation || dotted(word))
}

/// Whether `word` is an abbreviation written with dots ("e.g", "i.e", "U.S"): letters, one or
/// two between dots. ("IEEE802.1", "NFSv4.3" and "example.com" are not: a period after them
/// ends a sentence as after any word.)
pub(crate) fn dotted(word: &str) -> bool {
    word.contains('.')
        && word
            .split('.')
            .all(|p| (1..=2).contains(&p.len()) && p.chars().all(char::is_alphabetic))
}

fn split_sentences(text: &str) -> Vec<String> {
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
            // A "#" after a sentence opens a Markdown heading: charters whose line breaks were
            // lost run their headings into the text ("... stored. # Goals The group will ...").
            let starts = |a: char| a.is_uppercase() || a.is_ascii_digit() || a == '#';
            if next != Some(' ') || !after.is_some_and(starts) {
                continue;
            }
            // "e.g. X", "Fig. 2", "1. Item", "a. Item": abbreviations and list
            // markers, not sentence ends (a capital letter may end one: "Plan B. Then").
            let word_start = block[..i]
                .rfind(|ch: char| ch.is_whitespace())
                .map_or(0, |p| p + 1);
            if c == '.' && !period_ends(&block[word_start..i]) {
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
            written: Vec::new(),
            common_words: Vec::new(),
            topic_words: Vec::new(),
            qualifiers: Vec::new(),
        }
    }

    /// Ids for the tests' words, the same for a word wherever it appears.
    fn id(w: &str) -> WordId {
        thread_local! {
            static IDS: std::cell::RefCell<std::collections::HashMap<String, WordId>> =
                Default::default();
        }
        IDS.with_borrow_mut(|m| {
            let n = m.len() as WordId;
            *m.entry(w.to_string()).or_insert(n)
        })
    }

    fn words(s: &str) -> Vec<WordId> {
        s.split_whitespace().map(id).collect()
    }

    fn pieces<'s>(texts: impl Iterator<Item = &'s str>) -> Pieces {
        let mut p = Pieces::default();
        for t in texts {
            p.push(words(t));
        }
        p
    }

    #[test]
    fn a_topic_word_that_is_only_the_groups_name_shows_nothing() {
        // "messaging interoperability" asked; "mls" and "messag" are topic words, "privaci" the
        // person's own.
        let topic = |s: &str| Evidence {
            role: Role::Part(0),
            ..ev(s)
        };
        let sought = one(&[ev("privaci"), topic("mls"), topic("messag")]).sought(&mut id);
        let naming = words("messag layer secur mls");
        // The group's own name says nothing to a reader about the topic ...
        assert!(!shows(
            &sought,
            &words("the mls protocol set up key"),
            &naming
        ));
        assert!(!shows(
            &sought,
            &words("messag layer secur is a protocol"),
            &naming
        ));
        // ... the topic's word outside the name does, and so does the person's own word.
        assert!(shows(&sought, &words("mls carri messag"), &words("mls")));
        assert!(shows(
            &sought,
            &words("privaci pass token"),
            &words("privaci pass")
        ));
    }

    fn text(acronym: &str, name: &str, charter: &[&str], agenda: &str) -> GroupText {
        GroupText::new(
            acronym.into(),
            words(name),
            pieces(charter.iter().copied()),
            pieces(agenda.split('|').filter(|l| !l.trim().is_empty())),
        )
    }

    fn features_of(t: &GroupText, interest: &Interest) -> Features {
        features(t, &interest.clone().sought(&mut id))
    }

    fn strength(t: &GroupText, units: &[Evidence]) -> Strength {
        decide(&features_of(t, &one(units)), &THRESHOLDS)
    }

    /// An interest naming two topics ("domain name system operations"): a home group of a
    /// topic one of them takes in stands for that part only; the other part needs its own
    /// evidence.
    #[test]
    fn a_narrower_home_group_covers_only_its_part() {
        let unit = |label: &str, acronym: &str, role| Evidence {
            acronym: acronym.into(),
            role,
            ..ev(label)
        };
        let interest = |parts| Interest {
            evidence: vec![
                unit("dns", "", Role::Part(0)),
                unit("oper", "", Role::Part(1)),
                unit("regist", "regx", Role::Support(0)),
            ],
            parts,
            all_words: Vec::new(),
            written: Vec::new(),
            common_words: Vec::new(),
            topic_words: Vec::new(),
            qualifiers: Vec::new(),
        };
        let home = text("regx", "x", &["regist dns name", "regist more"], "");
        let decide_for = |parts| decide(&features_of(&home, &interest(parts)), &THRESHOLDS);
        // Two parts: nothing in its texts on the second.
        assert_eq!(decide_for(2), Strength::Possible);
        // One part: the home group of a narrower topic stands for it.
        assert_eq!(decide_for(1), Strength::Strong);
        // With the second part in its texts, it covers both.
        let both = text("regx", "x", &["regist dns name", "oper of regist"], "");
        let f = features_of(&both, &interest(2));
        assert_eq!(decide(&f, &THRESHOLDS), Strength::Strong);
        // A home group of the second part's narrower topic ("children's privacy": a
        // credentials group for online safety) whose texts speak only of the first part does
        // not stand for the second: the first part's words do not show it.
        let second = Interest {
            evidence: vec![
                unit("dns", "", Role::Part(0)),
                unit("oper", "", Role::Part(1)),
                unit("regist", "regx", Role::Support(1)),
            ],
            ..interest(2)
        };
        let about_first = text("regx", "x", &["dns name regist", "dns regist", "dns"], "");
        let f = features_of(&about_first, &second);
        assert!(!f.charter.covered);
        assert_eq!(decide(&f, &THRESHOLDS), Strength::Possible);
        // Where its charter shows the second part as well, it covers both.
        let f = features_of(
            &text("regx", "x", &["dns name regist", "oper"], ""),
            &second,
        );
        assert_eq!(decide(&f, &THRESHOLDS), Strength::Strong);
    }

    /// The vocabulary names a home group by its acronym or by its whole name: a group whose
    /// name is a topic's term ("adaptive dns discovery" for encrypted DNS) is strong where its
    /// texts show the topic, as one named by its acronym is.
    #[test]
    fn a_name_that_is_a_term_marks_a_home_group_as_an_acronym_does() {
        let term = |label: &str| Evidence {
            role: Role::Part(0),
            ..ev(label)
        };
        let interest = Interest {
            parts: 1,
            ..one(&[term("encrypt dns"), term("adapt dns discoveri")])
        };
        let agenda = "other|encrypt dns for resolv|other|other|other|other|other|other|other";
        let under = |acronym, name| {
            decide(
                &features_of(&text(acronym, name, &[], agenda), &interest),
                &THRESHOLDS,
            )
        };
        assert_eq!(under("ad", "adapt dns discoveri"), Strength::Strong);
        // Another name: one agenda line in nine is not enough.
        assert_eq!(under("ad", "resolv work"), Strength::Possible);
    }

    /// A group's name says the person's phrase only with its words in their order: "Secure
    /// Patterns for Internet CrEdentials" is no name for "internet security".
    #[test]
    fn a_name_holds_the_phrase_in_its_order() {
        let phrase = |p: &str| Interest {
            all_words: st(p),
            ..one(&[ev(p)])
        };
        let f = |name: &str, p: &str| features_of(&text("x", name, &["other"], ""), &phrase(p));
        assert!(f("messag layer secur", "messag secur").name_is_phrase);
        assert!(f("oblivi http applic intermedi", "oblivi http").name_is_phrase);
        assert!(!f("secur pattern for internet credenti", "internet secur").name_is_phrase);
        assert!(!f("internet", "internet secur").name_is_phrase);
    }

    /// A person who writes a group's acronym asks about that group's work on the rest of the
    /// phrase: "oauth token" names the oauth group, whose texts speak of tokens; "core network"
    /// does not make the core group strong for its constrained networks, "network" being a word
    /// most sessions use.
    #[test]
    fn a_phrase_that_names_the_groups_acronym_is_about_its_work() {
        let decide_for = |acronym, texts: &[&str], phrase: &str, common: &[&str]| {
            let s = Interest {
                all_words: st(phrase),
                common_words: common.iter().map(|w| w.to_string()).collect(),
                ..one(&[ev(phrase)])
            }
            .sought(&mut id);
            decide(&features(&text(acronym, "x", texts, ""), &s), &THRESHOLDS)
        };
        let oauth = ["user grant access", "other", "short live token are issu"];
        assert_eq!(
            decide_for("oauth", &oauth, "oauth token", &[]),
            Strength::Strong
        );
        // Another group with the same texts is not named.
        assert_eq!(
            decide_for("gnap", &oauth, "oauth token", &[]),
            Strength::Possible
        );
        // The rest of the phrase must be in the group's texts ...
        assert_eq!(
            decide_for("oauth", &oauth, "oauth cooki", &[]),
            Strength::Possible
        );
        // ... and, alone, be a word few sessions use.
        let core = ["constrain network node", "other"];
        assert_eq!(
            decide_for("core", &core, "core network", &["network"]),
            Strength::Possible
        );
        // Several other words must come together.
        let lake = ["a lightweight key exchang for constrain devic", "other"];
        assert_eq!(
            decide_for("lake", &lake, "lake key exchang", &["key"]),
            Strength::Strong
        );
        let apart = ["a key for devic", "other", "messag exchang"];
        assert_eq!(
            decide_for("lake", &apart, "lake key exchang", &[]),
            Strength::Possible
        );
    }

    /// Words that narrow the topic must be in the group's texts where they speak of the
    /// interest, whatever else makes it strong: by a stem, an abbreviation standing for it,
    /// or the group's acronym.
    #[test]
    fn narrowing_words_must_be_in_the_groups_texts() {
        let topic = Evidence {
            role: Role::Part(0),
            ..ev("tls")
        };
        let q = |word: &str, stems: &[&str]| Qualifier {
            word: word.into(),
            stems: stems.iter().map(|s| s.to_string()).collect(),
        };
        let interest = |qualifiers: Vec<Qualifier>| Interest {
            parts: 1,
            qualifiers,
            ..one(std::slice::from_ref(&topic))
        };
        let charter = ["tls encrypt connect", "other"];
        let of = |t: &GroupText, i: &Interest| decide(&features_of(t, i), &THRESHOLDS);
        let tls = text("tls", "transport layer secur", &charter, "tls ech config");
        let bare = text("tls", "transport layer secur", &charter, "");
        // Said in a line that does not speak of the topic, the word narrows nothing.
        let apart = text("tls", "transport layer secur", &charter, "ech config");
        // Strong by its acronym with no narrowing word; not when the texts lack it ...
        assert_eq!(of(&bare, &interest(vec![])), Strength::Strong);
        let hello = vec![q("hello", &["hello", "ech"])];
        assert_eq!(of(&bare, &interest(hello.clone())), Strength::Possible);
        // ... strong again where an abbreviation stands for it, or where the word is the
        // group's own acronym.
        assert_eq!(of(&tls, &interest(hello.clone())), Strength::Strong);
        assert_eq!(of(&apart, &interest(hello)), Strength::Possible);
        assert_eq!(
            of(&bare, &interest(vec![q("tls", &["tls-stem-not-used"])])),
            Strength::Strong
        );
    }

    /// An agenda speaks of a two-part interest ("web security") where one item holds both
    /// parts: an item on attestation and another on content negotiation are two things.
    #[test]
    fn an_agenda_covers_two_parts_only_where_one_line_holds_both() {
        let part = |s: &str, p: usize| Evidence {
            role: Role::Part(p),
            ..ev(s)
        };
        let interest = Interest {
            parts: 2,
            ..one(&[part("attest", 0), part("threat", 0), part("mime", 1)])
        };
        // What the charter (or, without one, the agendas in its place) covers, what the
        // agendas cover, and the decision.
        let of = |charter: &[&str], agenda: &str| {
            let f = features_of(&text("acme", "autom cert", charter, agenda), &interest);
            (f.charter.covered, f.agenda.covered, decide(&f, &THRESHOLDS))
        };
        let described = ["issu cert", "other"];
        // Each part on its own lines: covered, not joined, so not strong by the agenda.
        let apart = "attest of devic|threat model review|send mime note";
        assert_eq!(of(&described, apart), (false, true, Strength::Possible));
        // One item on both, beside another on one part: strong.
        let both = "attest for mime cert|threat model review|other";
        assert_eq!(of(&described, both), (false, true, Strength::Strong));
        // A group with no charter is read through its agendas in the charter's place; there
        // too the parts on separate lines cover nothing (an open meeting's unrelated talks).
        assert_eq!(of(&[], apart), (false, true, Strength::Possible));
        assert_eq!(of(&[], both), (true, true, Strength::Strong));
    }

    /// A group whose name is the person's phrase ("key transparency") is about it when its
    /// charter agrees, even if the charter says it only once.
    #[test]
    fn a_name_that_is_the_phrase_with_a_charter_that_agrees_is_strong() {
        let interest = Interest {
            evidence: vec![ev("key transpar")],
            parts: 0,
            all_words: st("key transpar"),
            written: Vec::new(),
            common_words: Vec::new(),
            topic_words: Vec::new(),
            qualifiers: Vec::new(),
        };
        let charter = ["user keys ar trust", "a key transpar log", "other", "other"];
        let under = |name| {
            decide(
                &features_of(&text("kt", name, &charter, ""), &interest),
                &THRESHOLDS,
            )
        };
        assert_eq!(under("key transpar"), Strength::Strong);
        // The same charter under another name: one mention is not enough.
        assert_eq!(under("log servic"), Strength::Possible);
        // A charter that never says the name: this meeting's agenda saying it agrees.
        let unsaid = ["user keys ar trust", "other", "other"];
        let with_agenda = |agenda| {
            decide(
                &features_of(&text("kt", "key transpar log", &unsaid, agenda), &interest),
                &THRESHOLDS,
            )
        };
        assert_eq!(
            with_agenda("key transpar draft|other|other"),
            Strength::Strong
        );
        assert_eq!(with_agenda("log draft|other|other"), Strength::Possible);
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
            common_words: Vec::new(),
            ..Interest::default()
        };
        let t = text("d", "d", &["stop dns abus now and dns abus later"], "");
        let f = features_of(&t, &words);
        assert_eq!(f.charter.units, 1);
        assert!(f.charter.lead);
        let t = text("d", "dns servic", &["dns discoveri", "on local link"], "");
        let f = features_of(&t, &words);
        assert_eq!(f.charter.units, 0);
        assert_eq!(decide(&f, &THRESHOLDS), Strength::Possible);
        // Both words in one long sentence but far apart are not the phrase.
        let far = "dns servic ar found on the local link by a protocol that report abus";
        let t = text("d", "d", &[far], "");
        assert_eq!(features_of(&t, &words).charter.units, 0);
    }

    #[test]
    fn sentences_split_on_real_ends_only_across_styles() {
        let s = sentences("It works, e.g. on DNS. The group will act. Version 2. Done");
        assert_eq!(
            s,
            vec![
                "It works, e.g. on DNS.",
                "The group will act.",
                "Version 2. Done"
            ]
        );
        // A list number does not end a sentence.
        assert_eq!(
            sentences("It handles: 1. Signing. Then more"),
            vec!["It handles: 1. Signing.", "Then more"]
        );
        // A reference or a year does.
        assert_eq!(
            sentences("It uses RFC 8446. The group acts. Since 2015. Then"),
            vec![
                "It uses RFC 8446.",
                "The group acts.",
                "Since 2015.",
                "Then"
            ]
        );
        // "etc." before a capital ends its sentence ("... WAFs etc. The successful ..."); in
        // the middle of one, the next word is not capitalised ("... etc. are in scope").
        assert_eq!(
            sentences("Tools, docs etc. Then more"),
            vec!["Tools, docs etc.", "Then more"]
        );
        assert_eq!(
            sentences("Tools, docs etc. are in scope."),
            vec!["Tools, docs etc. are in scope."]
        );
        // Dots inside a name or a number are not an abbreviation's: a period after it ends.
        assert_eq!(
            sentences("It works with IEEE802.1. Example uses vary. Ask the U.S. Navy"),
            vec![
                "It works with IEEE802.1.",
                "Example uses vary.",
                "Ask the U.S. Navy"
            ]
        );
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
        // A Markdown heading run into the text starts a new sentence.
        assert_eq!(
            sentences("Keys are trusted. # Goals The group will check them."),
            vec!["Keys are trusted.", "# Goals The group will check them."]
        );
        // Headings before the opening sentence are not sentences; later ones stay.
        let s = sentences("Charter\nBackground and Motivation\nThe group works on A.\nScope\nB.");
        assert_eq!(s, vec!["The group works on A.", "Scope", "B."]);
        // Text with no sentence end at all is kept whole.
        assert_eq!(sentences("Just a title"), vec!["Just a title"]);
    }
}
