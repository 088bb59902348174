//! What is searched for an interest: the person's phrase and words and the vocabulary's
//! terms, each a weighted unit, cut into words by the index's own analyzers.

use super::{Vocabulary, Weights, vocab};
use crate::index::{Digest, SearchIndex};
use crate::{Error, Result};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;
use tantivy::tokenizer::TextAnalyzer;

/// One thing searched for an interest: the person's phrase, one of their words, or a
/// vocabulary term.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(super) struct Unit {
    /// As shown in `matched_terms`.
    pub(super) label: String,
    /// Lower-cased words, unstemmed (for the exact acronym field).
    pub(super) raw: Vec<String>,
    /// Stemmed words (for prose fields).
    pub(super) stems: Vec<String>,
    pub(super) weight: f32,
    /// Weak evidence (a related word, or a person's word that a matched topic explains): it
    /// only counts for a session that something strong matched too.
    pub(super) weak: bool,
    /// A word of a longer interest that no topic explains or names: subject to the
    /// document-frequency cut, and the last resort when nothing strong matched.
    pub(super) own_word: bool,
    /// The start of the word as written, when the stemmer cut so much that the stem alone
    /// would match other words ("connectivity" -> "connect"): a session must contain it.
    pub(super) surface: Option<String>,
    /// Where the unit comes from; strength counts only the person's phrase or single word
    /// and the matched topics' own terms.
    pub(super) kind: UnitKind,
}

/// Where a unit comes from (the strongest role wins when two coincide).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub(super) enum UnitKind {
    /// The whole interest of several words, or an interest of one word.
    Own,
    /// A term of a topic the interest names.
    Term,
    /// One word of an interest of several words.
    OwnWord,
    /// A term of a narrower topic a matched topic includes.
    Included,
    /// A related word of a matched topic.
    Related,
}

/// When the stemmer cuts at least this many letters, the stem may be a different word.
pub(super) const STEM_CUT: usize = 4;
/// Letters past the stem a session's text must show for such a word.
pub(super) const SURFACE_EXTRA: usize = 3;

/// `Some(prefix)` when `word` lost [`STEM_CUT`] or more letters to the stemmer.
pub(super) fn surface_of(word: &str, stem: &str) -> Option<String> {
    let (wn, sn) = (word.chars().count(), stem.chars().count());
    (word.starts_with(stem) && wn >= sn + STEM_CUT)
        .then(|| word.chars().take(sn + SURFACE_EXTRA).collect())
}

impl Unit {
    /// The unit for `label`, cut by the analyzers; `None` when it has no word or a word the
    /// stemmer drops (it could not be searched as written).
    pub(super) fn of(
        an: &Analyzers,
        label: &str,
        weight: f32,
        weak: bool,
        own_word: bool,
        kind: UnitKind,
    ) -> Option<Self> {
        let raw = an.raw_words(label);
        let stems = an.stems(label);
        if stems.is_empty() || stems.len() != raw.len() {
            return None;
        }
        Some(Unit {
            label: label.to_string(),
            surface: if raw.len() == 1 {
                surface_of(&raw[0], &stems[0])
            } else {
                None
            },
            raw,
            stems,
            weight,
            weak,
            own_word,
            kind,
        })
    }
}

/// The index's analyzers, with a memo of the short texts already cut: one request cuts the
/// same labels (vocabulary terms, interests) many times, and stemming is the costly part.
pub(super) struct Analyzers {
    stem: RefCell<TextAnalyzer>,
    raw: RefCell<TextAnalyzer>,
    /// Per kind (words, stems): text -> its cut.
    memo: [RefCell<HashMap<String, Vec<String>>>; 2],
    /// The index's digest: the vocabulary's labels already cut.
    digest: Option<Arc<Digest>>,
    /// [`matching_topics`] per interest (topic positions, covered and asked-by words).
    topics: RefCell<HashMap<String, TopicMatch>>,
    /// Per topic of the vocabulary last asked about, per phrase (name, then aliases), the
    /// [`head_key`]s of its words; with that vocabulary's address and size.
    heads: RefCell<Option<(usize, usize, std::rc::Rc<PhraseHeads>)>>,
}

/// See [`Analyzers::heads`].
type PhraseHeads = Vec<Vec<Vec<u64>>>;

/// The topics an interest names (positions in the vocabulary), and per word of the interest
/// whether they cover it, and whether only through words people ask a topic by.
#[derive(Debug, Clone, Default)]
struct TopicMatch {
    topics: Vec<usize>,
    covered: Vec<bool>,
    asked: Vec<bool>,
}

/// Texts up to this many bytes are memoised (labels and interests, not agendas).
const MEMO_MAX: usize = 80;

impl Analyzers {
    pub(super) fn new(idx: &SearchIndex) -> Result<Self> {
        let tm = idx.index.tokenizers();
        let get = |name: &str| {
            tm.get(name)
                .ok_or_else(|| Error::parse("index", format!("tokenizer {name} is missing")))
        };
        let mut an = Self::from(get(crate::index::PROSE_TOKENIZER)?, get("default")?);
        an.digest = idx.digest.clone();
        Ok(an)
    }

    fn from(stem: TextAnalyzer, raw: TextAnalyzer) -> Self {
        Self {
            stem: RefCell::new(stem),
            raw: RefCell::new(raw),
            memo: Default::default(),
            digest: None,
            topics: RefCell::new(HashMap::new()),
            heads: RefCell::new(None),
        }
    }

    /// The same analyzers from tantivy's default set, without an index (for tests).
    #[cfg(test)]
    pub(super) fn standalone() -> Self {
        let tm = tantivy::tokenizer::TokenizerManager::default();
        Self::from(crate::index::prose_analyzer(), tm.get("default").unwrap())
    }

    fn words(an: &RefCell<TextAnalyzer>, text: &str) -> Vec<String> {
        let mut an = an.borrow_mut();
        let mut ts = an.token_stream(text);
        let mut out = Vec::new();
        while ts.advance() {
            out.push(ts.token().text.clone());
        }
        out
    }

    fn cut(&self, stemmed: bool, text: &str) -> Vec<String> {
        let an = if stemmed { &self.stem } else { &self.raw };
        if text.len() > MEMO_MAX {
            return if stemmed {
                self.stems_of_long(text)
            } else {
                Self::words(an, text)
            };
        }
        let memo = &self.memo[usize::from(stemmed)];
        if let Some(v) = memo.borrow().get(text) {
            return v.clone();
        }
        let stored = self.digest.as_ref().and_then(|d| d.cut(stemmed, text));
        let v = if let Some(v) = stored {
            v
        } else if stemmed && text.contains(' ') {
            self.stems_of_long(text)
        } else {
            Self::words(an, text)
        };
        memo.borrow_mut().insert(text.to_string(), v.clone());
        v
    }

    /// A text's stems, word by word through the memo: charters and agendas repeat their
    /// words, and the stemmer is the costly step. The stemming analyzer is the plain one plus a
    /// stemmer, so this is the same as cutting the whole text with it; a word that does not stem
    /// to exactly one word on its own (never seen, but possible with odd Unicode) falls back to
    /// cutting the whole text.
    fn stems_of_long(&self, text: &str) -> Vec<String> {
        let words = Self::words(&self.raw, text);
        let mut out = Vec::with_capacity(words.len());
        for w in &words {
            match self.cut(true, w).as_slice() {
                [one] => out.push(one.clone()),
                _ => return Self::words(&self.stem, text),
            }
        }
        out
    }

    pub(super) fn raw_words(&self, text: &str) -> Vec<String> {
        self.cut(false, text)
    }

    pub(super) fn stems(&self, text: &str) -> Vec<String> {
        self.cut(true, text)
    }
}

/// Function words that say nothing about a topic when searched alone, and the words a
/// question is asked with ("where is ... discussed this week?", "who works on ...?").
#[rustfmt::skip]
pub(super) const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "how", "i", "in", "into", "is",
    "it", "its", "my", "of", "on", "or", "our", "that", "the", "their", "this", "to", "we", "what",
    "with", "about", "issues", "issue", "related", "topics", "topic", "who", "where", "which",
    "when", "why", "anyone", "anybody", "someone", "happening", "discussed", "discussing", "doing",
    "working", "works", "week", "there", "does", "do", "any", "me", "you", "latest",
];

/// Words a question puts around what it asks about ("which groups work on", "at this
/// meeting"), beside [`STOPWORDS`].
const AROUND: &[&str] = &[
    "ietf", "meeting", "meetings", "session", "sessions", "group", "groups", "wg", "wgs", "work",
    "talk", "talks", "discuss", "today", "tomorrow",
];

/// What an interest asks about, without the words of the question around it: "what is
/// happening with quic?" asks about "quic", "which groups work on encrypted dns" about
/// "encrypted dns", "post-quantum cryptography at this meeting" about "post-quantum
/// cryptography". Leading function and question words go, and after them words that only say
/// where ([`AROUND`]: "which groups", not the "session" of "session initiation protocol");
/// trailing ones go either way. An interest of nothing else stays as it is.
pub(super) fn asked_about(interest: &str) -> &str {
    let norm = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    let stop = |w: &str| {
        let w = norm(w);
        w.is_empty() || STOPWORDS.contains(&w.as_str())
    };
    let around = |w: &str| stop(w) || AROUND.contains(&norm(w).as_str());
    let words: Vec<(usize, &str)> = interest
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - interest.as_ptr() as usize, w))
        .collect();
    let mut first = 0;
    let mut asking = false;
    while let Some((_, w)) = words.get(first) {
        if stop(w) {
            asking = true;
        } else if !(asking && around(w)) {
            break;
        }
        first += 1;
    }
    let Some(last) = words.iter().rposition(|(_, w)| !around(w)) else {
        return interest;
    };
    if first > last {
        return interest;
    }
    let (from, _) = words[first];
    let (at, w) = words[last];
    interest[from..at + w.len()].trim_end_matches(['?', '!', '.', ',', ';', ':'])
}

/// The units searched for one interest. Stays whole: the rules that weigh the person's
/// phrase, their words and the vocabulary's terms read best in one place, in order.
pub(super) fn interest_units(
    an: &Analyzers,
    vocab: &Vocabulary,
    interest: &str,
    w: &Weights,
) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    let add = |label: &str,
               weight: f32,
               weak: bool,
               own_word: bool,
               kind: UnitKind,
               units: &mut Vec<Unit>| {
        let Some(new) = Unit::of(an, label, weight, weak, own_word, kind) else {
            return;
        };
        match units.iter_mut().find(|u| u.stems == new.stems) {
            Some(u) => {
                // The strongest role wins: a word that is also a topic term is not weak.
                if weight > u.weight {
                    u.weight = weight;
                }
                u.weak &= weak;
                u.own_word &= own_word;
                u.kind = u.kind.min(kind);
            }
            None => units.push(new),
        }
    };
    // A single letter ("e" of "e-voting") says nothing; digits ("5" of "5 g") are kept whole
    // in the phrase.
    let words: Vec<String> = an
        .raw_words(interest)
        .into_iter()
        .filter(|w| w.chars().count() > 1)
        .collect();
    let Matched {
        topics,
        covered,
        asked,
    } = matching_topics(an, vocab, interest);
    // Words people ask a topic by that IETF texts use in another sense are not searched: the
    // topic's terms stand for them.
    let is_asked = |i: usize| asked.get(i).copied().unwrap_or(false);
    let all = an.raw_words(interest);
    if all.len() > 1 && !(0..all.len()).all(is_asked) {
        add(
            &all.join(" "),
            w.own_phrase,
            false,
            false,
            UnitKind::Own,
            &mut units,
        );
    }
    if words.len() == 1 && all.len() == 1 && !is_asked(0) {
        add(
            &words[0],
            w.own_word,
            false,
            false,
            UnitKind::Own,
            &mut units,
        );
    }
    // A word inside a phrase the vocabulary knows ("encrypted" in "encrypted dns") counts less
    // alone and only next to stronger evidence: the topic says what the phrase means, and the
    // word alone would find every group named "...Encryption" ("access" of "lawful access").
    for (i, word) in all
        .iter()
        .enumerate()
        .filter(|&(i, _)| all.len() > 1 && !is_asked(i))
    {
        if word.chars().count() > 1 && !STOPWORDS.contains(&word.as_str()) {
            let is_covered = covered.get(i).copied().unwrap_or(false);
            // A covered word that is a topic of its own ("dns" of "encrypted dns") is still
            // strong evidence; a plain one ("access" of "lawful access") is not.
            let known = names_topic(an, vocab, word);
            let weak = is_covered && !known;
            let weight = if is_covered {
                w.own_word_covered
            } else {
                w.own_word_multi
            };
            add(
                word,
                weight,
                weak,
                !is_covered && !known,
                UnitKind::OwnWord,
                &mut units,
            );
        }
    }
    for t in &topics {
        for term in t.terms.iter() {
            add(term, w.term, false, false, UnitKind::Term, &mut units);
        }
        for term in t.related.iter() {
            add(term, w.related, true, false, UnitKind::Related, &mut units);
        }
        for sub in t.include.iter().filter_map(|n| vocab.get(n)) {
            for term in sub.terms.iter() {
                add(
                    term,
                    w.included,
                    false,
                    false,
                    UnitKind::Included,
                    &mut units,
                );
            }
        }
    }
    units
}

/// The first three characters of `w` (all of it when shorter).
fn head3(w: &str) -> &str {
    w.char_indices().nth(3).map_or(w, |(i, _)| &w[..i])
}

/// A text of up to three characters as one number (distinct texts, distinct numbers).
fn head_key(piece: &str) -> u64 {
    piece
        .chars()
        .take(3)
        .fold(0, |k, c| k * 0x11_0001 + u64::from(c) + 1)
}

/// The [`head_key`] of the first three letters of every word of every phrase (name, then
/// aliases) of every topic of `vocab`, worked out once per vocabulary (an index build asks for
/// every one of them, for each of some 800 interests).
fn phrase_heads(an: &Analyzers, vocab: &Vocabulary) -> std::rc::Rc<PhraseHeads> {
    let id = (std::ptr::from_ref(vocab) as usize, vocab.topics.len());
    if let Some((p, n, h)) = an.heads.borrow().as_ref()
        && (*p, *n) == id
    {
        return h.clone();
    }
    let heads: PhraseHeads = vocab
        .topics
        .iter()
        .map(|t| {
            t.phrasings()
                .map(|phrase| {
                    phrase
                        .split(|c: char| !c.is_alphanumeric())
                        .filter(|w| !w.is_empty())
                        .map(|w| head_key(head3(w)))
                        .collect()
                })
                .collect()
        })
        .collect();
    let heads = std::rc::Rc::new(heads);
    *an.heads.borrow_mut() = Some((id.0, id.1, heads.clone()));
    heads
}

/// Whether a single word is the name or an alias of a vocabulary topic ("dns", "iot").
pub(super) fn names_topic(an: &Analyzers, vocab: &Vocabulary, word: &str) -> bool {
    let stem = an.stems(word);
    let head = head3(word);
    vocab.topics.iter().any(|t| {
        std::iter::once(&t.name)
            .chain(t.aliases.iter())
            .filter(|p| !p.contains(' ') && p.starts_with(head))
            // "connectivity" stems to "connect" but does not name the same thing.
            .any(|p| {
                let ps = an.stems(p);
                ps == stem && ps.first().is_none_or(|s| surface_of(p, s).is_none())
            })
    })
}

/// The topics an interest names, and per word of the interest whether they cover it and
/// whether only through a word people ask a topic by ([`vocab::Topic::asked_as`]: words IETF
/// texts use in another sense, never searched for).
#[derive(Debug)]
pub(super) struct Matched<'v> {
    pub topics: Vec<&'v vocab::Topic>,
    pub covered: Vec<bool>,
    pub asked: Vec<bool>,
}

/// Topics whose name, an alias or a word people ask it by occurs in the interest (stemmed, as
/// whole words). A match inside a longer match of another topic is dropped ("dns" inside
/// "encrypted dns").
pub(super) fn matching_topics<'v>(
    an: &Analyzers,
    vocab: &'v Vocabulary,
    interest: &str,
) -> Matched<'v> {
    let m = topic_match(an, vocab, interest);
    Matched {
        topics: m.topics.iter().map(|&t| &vocab.topics[t]).collect(),
        covered: m.covered,
        asked: m.asked,
    }
}

/// [`topics_in`] through the memo: a request asks this of each interest several times (units,
/// strength, reasons) and only ever of one vocabulary.
fn topic_match(an: &Analyzers, vocab: &Vocabulary, interest: &str) -> TopicMatch {
    if let Some(m) = an.topics.borrow().get(interest) {
        return m.clone();
    }
    let m = topics_in(an, vocab, interest);
    an.topics
        .borrow_mut()
        .insert(interest.to_string(), m.clone());
    m
}

/// [`matching_topics`] as topic positions.
fn topics_in(an: &Analyzers, vocab: &Vocabulary, interest: &str) -> TopicMatch {
    let words = an.stems(interest);
    let lower = interest.to_lowercase();
    // Stemming every alias is the slow part; a stem keeps its word's first letters, so an alias
    // with a word whose first three letters are not in the interest cannot match.
    // Every piece of one to three characters of the interest, so that "is it in the interest"
    // is a lookup rather than a search (this runs for every name and alias of every topic).
    let mut bounds: Vec<usize> = lower.char_indices().map(|(i, _)| i).collect();
    bounds.push(lower.len());
    let mut pieces = Vec::new();
    for k in 0..bounds.len() {
        for n in 1..=3 {
            if let Some(&end) = bounds.get(k + n) {
                pieces.push(head_key(&lower[bounds[k]..end]));
            }
        }
    }
    pieces.sort_unstable();
    let heads = phrase_heads(an, vocab);
    // (topic, start, len, whether through a word people ask it by)
    let mut found: Vec<(usize, usize, usize, bool)> = Vec::new();
    for (ti, t) in vocab.topics.iter().enumerate() {
        let mut best: Option<(usize, usize, bool)> = None;
        let asked_from = 1 + t.aliases.len();
        for (pi, (phrase, keys)) in t.phrasings().zip(&heads[ti]).enumerate() {
            if !keys.iter().all(|k| pieces.binary_search(k).is_ok()) {
                continue;
            }
            let p = an.stems(phrase);
            if p.is_empty() || p.len() > words.len() {
                continue;
            }
            let at = (0..=words.len() - p.len())
                .find(|&s| words[s..s + p.len()] == p[..])
                .map(|s| (s, p.len()))
                .or_else(|| head_first(&words, &p));
            if let Some((start, len)) = at
                // The longest phrase wins; of equal ones, a name or alias over a word people
                // ask by (it is also searched).
                && best.is_none_or(|(_, l, asked)| len > l || (len == l && asked))
            {
                best = Some((start, len, pi >= asked_from));
            }
        }
        if let Some((s, l, asked)) = best {
            found.push((ti, s, l, asked));
        }
    }
    let contained = |a: &(usize, usize, usize, bool), b: &(usize, usize, usize, bool)| {
        b.2 > a.2 && b.1 <= a.1 && a.1 + a.2 <= b.1 + b.2
    };
    let kept: Vec<&(usize, usize, usize, bool)> = found
        .iter()
        .filter(|a| !found.iter().any(|b| contained(a, b)))
        .collect();
    let mut covered = vec![false; words.len()];
    let mut searched = vec![false; words.len()];
    for (_, start, len, asked) in &kept {
        covered[*start..start + len]
            .iter_mut()
            .for_each(|c| *c = true);
        if !asked {
            searched[*start..start + len]
                .iter_mut()
                .for_each(|c| *c = true);
        }
    }
    let asked = covered
        .iter()
        .zip(&searched)
        .map(|(c, s)| *c && !s)
        .collect();
    TopicMatch {
        topics: kept.iter().map(|a| a.0).collect(),
        covered,
        asked,
    }
}

/// Where `words` say the phrase `p` (stems, modifiers then head: "location privacy") head
/// first, with a preposition between and maybe an article: "privacy of location", "security
/// of the dns", "interoperability between messaging". English says a topic either way round;
/// the span covers the words between.
fn head_first(words: &[String], p: &[String]) -> Option<(usize, usize)> {
    let (head, modifiers) = p.split_last()?;
    if modifiers.is_empty() {
        return None;
    }
    let is = |i: usize, list: &[&str]| words.get(i).is_some_and(|w| list.contains(&w.as_str()));
    (0..words.len()).find_map(|s| {
        if words[s] != *head || !is(s + 1, &["of", "for", "in", "on", "between"]) {
            return None;
        }
        let from = s + 2 + usize::from(is(s + 2, &["the", "a", "an"]));
        (words.get(from..from + modifiers.len()) == Some(modifiers))
            .then_some((s, from + modifiers.len() - s))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rank::WEIGHTS;

    fn names<'m>(m: &'m Matched<'_>) -> Vec<&'m str> {
        m.topics.iter().map(|t| t.name.as_ref()).collect()
    }

    /// The topics `interest` names, and per word whether a topic covers it and whether only
    /// through a word people ask a topic by.
    fn assert_match(
        v: &Vocabulary,
        interest: &str,
        topics: &[&str],
        covered: &[bool],
        asked: &[bool],
    ) {
        let m = matching_topics(&Analyzers::standalone(), v, interest);
        assert_eq!(names(&m), topics, "{interest}");
        assert_eq!(m.covered, covered, "{interest}");
        assert_eq!(m.asked, asked, "{interest}");
    }

    #[test]
    fn interests_expand_through_the_longest_matching_topic() {
        let an = Analyzers::standalone();
        let v = Vocabulary::builtin().unwrap();
        assert_match(
            &v,
            "Encrypted DNS",
            &["encrypted dns"],
            &[true, true],
            &[false, false],
        );

        let units = interest_units(&an, &v, "Encrypted DNS", &WEIGHTS);
        let weight = |label: &str| units.iter().find(|u| u.label == label).map(|u| u.weight);
        assert_eq!(weight("encrypted dns"), Some(WEIGHTS.own_phrase));
        assert_eq!(weight("encrypted"), Some(WEIGHTS.own_word_covered));
        assert_eq!(weight("dprive"), Some(WEIGHTS.term));
        // Own words always weigh more than what the vocabulary adds.
        assert!(units.iter().all(|u| u.weight <= WEIGHTS.own_phrase));

        // Unknown words still search; stop words alone do not.
        let units = interest_units(&an, &v, "the zorblax protocol", &WEIGHTS);
        let labels: Vec<&str> = units.iter().map(|u| u.label.as_str()).collect();
        assert_eq!(labels, vec!["the zorblax protocol", "zorblax", "protocol"]);

        // Included topics contribute their terms at the included weight.
        let units = interest_units(&an, &v, "cybersecurity", &WEIGHTS);
        assert_eq!(
            units.iter().find(|u| u.label == "scitt").map(|u| u.weight),
            Some(WEIGHTS.included)
        );
    }

    #[test]
    fn stems_that_change_the_word_need_the_written_form() {
        assert_eq!(
            surface_of("connectivity", "connect").as_deref(),
            Some("connectivi")
        );
        assert_eq!(surface_of("encryption", "encrypt"), None);
        assert_eq!(surface_of("dns", "dns"), None);
        let an = Analyzers::standalone();
        let v = Vocabulary::builtin().unwrap();
        let units = interest_units(&an, &v, "lawful access", &WEIGHTS);
        let unit = |l: &str| units.iter().find(|u| u.label == l).unwrap();
        // "access" is explained by the topic; related words are weak; terms are strong.
        assert!(unit("access").weak && unit("surveillance").weak);
        assert!(!unit("key escrow").weak && !unit("lawful access").weak);
        // "dns" and "encrypted" (stem of the topic "encryption") name topics of their own, so
        // they stay strong inside "encrypted dns"; "content" does not.
        let units = interest_units(&an, &v, "encrypted dns", &WEIGHTS);
        let unit = |l: &str| units.iter().find(|u| u.label == l).unwrap();
        assert!(!unit("dns").weak && !unit("encrypted").weak);
        let units = interest_units(&an, &v, "content moderation", &WEIGHTS);
        let unit = |l: &str| units.iter().find(|u| u.label == l).unwrap();
        assert!(unit("content").weak);
        // A single letter is not searched alone.
        let units = interest_units(&an, &v, "e-voting", &WEIGHTS);
        assert!(units.iter().all(|u| u.label != "e"), "{units:?}");
    }

    #[test]
    fn a_question_asks_about_its_middle() {
        assert_eq!(asked_about("what is happening with quic?"), "quic");
        assert_eq!(
            asked_about("Where is post-quantum cryptography discussed this week?"),
            "post-quantum cryptography"
        );
        assert_eq!(
            asked_about("which groups work on encrypted DNS?"),
            "encrypted DNS"
        );
        assert_eq!(
            asked_about("is anyone working on AI agents at this meeting"),
            "AI agents"
        );
        // The words between stay; an interest with nothing else stays whole.
        assert_eq!(asked_about("privacy and security"), "privacy and security");
        assert_eq!(asked_about("internet of things"), "internet of things");
        assert_eq!(asked_about("who"), "who");
        assert_eq!(asked_about("routing security"), "routing security");
        // Words that say where go only after a question word: these name things.
        assert_eq!(asked_about("ietf process"), "ietf process");
        assert_eq!(
            asked_about("session initiation protocol"),
            "session initiation protocol"
        );
        assert_eq!(asked_about("group messaging"), "group messaging");
        assert_eq!(asked_about("privacy at the ietf"), "privacy");
    }

    #[test]
    fn a_topic_said_head_first_is_named() {
        let v = Vocabulary::builtin().unwrap();
        // "location privacy", said the other way round: the narrower topic, not privacy at
        // large, and "data" is left to narrow it.
        assert_match(
            &v,
            "privacy of location data",
            &["tracking and location privacy"],
            &[true, true, true, false],
            &[false; 4],
        );
        assert_match(
            &v,
            "security for routing",
            &["routing security"],
            &[true; 3],
            &[false; 3],
        );
        assert_match(
            &v,
            "security of the dns",
            &["dnssec"],
            &[true; 4],
            &[false; 4],
        );
        // Only with a preposition between: two words side by side are read as written.
        assert_match(
            &v,
            "privacy location",
            &["privacy"],
            &[true, false],
            &[false; 2],
        );
    }

    #[test]
    fn words_people_ask_by_select_a_topic_but_are_not_searched() {
        let an = Analyzers::standalone();
        let v = Vocabulary::builtin().unwrap();
        // "kids" is how people ask about online safety; in IETF texts it is key identifiers.
        assert_match(&v, "kids", &["online safety"], &[true], &[true]);
        let units = interest_units(&an, &v, "kids", &WEIGHTS);
        assert!(units.iter().all(|u| u.label != "kids"), "{units:?}");
        assert!(units.iter().any(|u| u.label == "age verification"));
        // In a longer interest only that word goes; the person's phrase and other words stay.
        let units = interest_units(&an, &v, "keeping kids safe", &WEIGHTS);
        let labels: Vec<&str> = units.iter().map(|u| u.label.as_str()).collect();
        assert!(!labels.contains(&"kids"), "{labels:?}");
        assert!(labels.contains(&"keeping kids safe") && labels.contains(&"safe"));
        // A word that is both asked by and covered by another topic's name is searched.
        let mut both = v.clone();
        both.merge(Vocabulary {
            topics: vec![vocab::Topic {
                name: "kids".into(),
                terms: vec!["youth".into()].into(),
                ..vocab::Topic::default()
            }],
            builtin: false,
        });
        assert_match(&both, "kids", &["online safety", "kids"], &[true], &[false]);
    }
}
