//! Strength for a ranked list: reads each candidate group's texts once and asks
//! [`super::strength`] whether the group's own work is about an interest.

use super::digest;
use super::score::{ByName, Cheap, Corpus, doc_fraction, generic_fraction, is_group};
use super::search::OPERATORS;
use super::strength::Word;
use super::units::{Analyzers, Matched, STOPWORDS, Unit, UnitKind, matching_topics};
use super::vocab::Topic;
use super::{Vocabulary, Weights, strength, text};
use crate::Result;
use crate::index::Digest;
use crate::index::Fields;
use crate::index::digest::{DocTexts, Piece};
use crate::index::{SessionDoc, text_of};
use crate::model::Strength;
use std::collections::HashMap;
use tantivy::{DocAddress, TantivyDocument};

/// Word ids ([`strength::WordId`]) for one query: the digest's dictionary, and ids past it for
/// words it lacks (a person's own word, a text read live), so that equal words get equal ids
/// wherever they come from.
pub(super) struct Words<'a> {
    dict: Option<&'a Digest>,
    extra: ByName<String, strength::WordId>,
}

impl<'a> Words<'a> {
    pub(super) fn new(dict: Option<&'a Digest>) -> Self {
        Self {
            dict,
            extra: ByName::default(),
        }
    }

    pub(super) fn id(&mut self, w: &str) -> strength::WordId {
        if let Some(id) = self.dict.and_then(|d| d.word(w)) {
            return id;
        }
        let next = self.dict.map_or(0, Digest::word_count) + self.extra.len() as u32;
        match self.extra.get(w) {
            Some(&id) => id,
            None => {
                self.extra.insert(w.to_string(), next);
                next
            }
        }
    }

    /// The words handed out past the dictionary, in the order of their ids: with no
    /// dictionary, a new one (the digest's, when an index is built).
    pub(super) fn into_new(self) -> Vec<String> {
        let mut words: Vec<(String, strength::WordId)> = self.extra.into_iter().collect();
        words.sort_unstable_by_key(|w| w.1);
        words.into_iter().map(|w| w.0).collect()
    }
}

/// A group's texts as people read them, with their stems, for excerpts and reasons (read only
/// for the groups shown).
struct Shown<'a> {
    charter_text: Vec<Word<'a>>,
    agenda_text: Vec<Word<'a>>,
    /// Their stems, joined by spaces.
    charter: Vec<Word<'a>>,
    agenda: Vec<Word<'a>>,
    /// The words of the group's name and acronym: its own title (see [`text::Titles`]).
    own: Vec<String>,
    /// The stems of its acronym (read once: the excerpt and every reason ask).
    acronym: Vec<String>,
}

impl<'a> Shown<'a> {
    fn of(
        charter: Vec<Piece<Word<'a>>>,
        agenda: Vec<Piece<Word<'a>>>,
        (own, acronym): (Vec<String>, Vec<String>),
    ) -> Self {
        let (charter_text, charter) = charter.into_iter().unzip();
        let (agenda_text, agenda) = agenda.into_iter().unzip();
        Self {
            charter_text,
            agenda_text,
            charter,
            agenda,
            own,
            acronym,
        }
    }
}

/// What a reason says of a group strong by the vocabulary's word alone.
const LISTED: &str = "a group wgrec's vocabulary lists for this topic";

/// Decides strength per group and interest, reading each group's texts once.
pub(super) struct StrengthJudge<'a> {
    /// The index, and its digest (texts and counts) when it has one.
    pub(super) c: Corpus<'a>,
    pub(super) an: &'a Analyzers,
    /// Per interest: what strength reads.
    evidence: Vec<strength::Sought>,
    pub(super) thresholds: strength::Thresholds,
    words: Words<'a>,
    texts: ByName<String, strength::GroupText>,
    shown: ByName<String, Shown<'a>>,
    features: ByName<(String, usize), strength::Features>,
    /// Per interest, once asked for: the stems of its evidence that are groups' acronyms.
    group_words: ByName<usize, Vec<strength::WordId>>,
}

impl<'a> StrengthJudge<'a> {
    pub(super) fn with_evidence(
        c: Corpus<'a>,
        an: &'a Analyzers,
        evidence: Vec<strength::Interest>,
        thresholds: strength::Thresholds,
    ) -> Self {
        let mut words = Words::new(c.digest);
        let evidence = evidence
            .into_iter()
            .map(|i| i.sought(&mut |w| words.id(w)))
            .collect();
        Self {
            c,
            an,
            evidence,
            thresholds,
            words,
            texts: ByName::default(),
            shown: ByName::default(),
            features: ByName::default(),
            group_words: ByName::default(),
        }
    }

    /// Forgets what it read and decided per group (groups are known by name; another view of
    /// the ranking gives a group other sessions). The interests' evidence stays.
    pub(super) fn forget_groups(&mut self) {
        self.texts.clear();
        self.shown.clear();
        self.features.clear();
    }

    /// A search text's positive words as one interest: the phrase (or the single word), and
    /// a sentence holding all of them.
    pub(super) fn for_search(c: Corpus<'a>, an: &'a Analyzers, text: &str, w: &Weights) -> Self {
        let mut after_not = false;
        let mut raw: Vec<String> = Vec::new();
        for word in text.split_whitespace() {
            let negated = std::mem::replace(&mut after_not, word == "NOT");
            if OPERATORS.contains(&word) || word.starts_with('-') || negated {
                continue;
            }
            raw.extend(
                an.raw_words(word)
                    .into_iter()
                    .filter(|x| x.chars().count() > 1 && !STOPWORDS.contains(&x.as_str())),
            );
        }
        let stems: Vec<String> = raw.iter().flat_map(|x| an.stems(x)).collect();
        let mut ev = Vec::new();
        if !stems.is_empty() {
            let generic = generic_fraction(&c, &stems).unwrap_or(1.0) > strength::OWN_GENERIC;
            ev.push(strength::Evidence {
                label: raw.join(" "),
                stems: stems.clone(),
                acronym: raw.join("-"),
                generic,
                role: strength::Role::Own,
            });
        }
        let common_words = common_words(&c, &stems, w.strength.generic);
        let interest = strength::Interest {
            evidence: ev,
            parts: 0,
            written: written(&raw, &stems),
            all_words: if stems.len() > 1 { stems } else { Vec::new() },
            common_words,
            topic_words: Vec::new(),
            qualifiers: Vec::new(),
        };
        Self::with_evidence(c, an, vec![interest], w.strength)
    }

    /// The words of a group's name and acronym as written, and its acronym's stems.
    fn own(&self, best: &SessionDoc) -> (Vec<String>, Vec<String>) {
        let mut words: Vec<String> = (text::alnum_words(&best.group_name))
            .chain(text::alnum_words(&best.group))
            .map(str::to_string)
            .collect();
        words.dedup();
        (words, self.an.stems(&best.group))
    }

    /// The group's texts as strength reads them: stored in the digest for the group's
    /// sessions at its meeting (all but cancelled ones), else cut from its documents.
    pub(super) fn text(
        &mut self,
        best: &SessionDoc,
        sess: &[&SessionDoc],
    ) -> Result<&strength::GroupText> {
        if !self.texts.contains_key(&best.group) {
            let addrs: Vec<DocAddress> = sess.iter().map(|s| s.addr).collect();
            let t = match self
                .c
                .digest
                .and_then(|d| digest::stored_group_text(d, &addrs))
            {
                Some(t) => t,
                None => {
                    let (charter, agenda) = self.pieces(best, sess)?;
                    let name = self.an.stems(&best.group_name);
                    let t = group_text(
                        &best.group,
                        &name,
                        charter.iter().map(|p| &p.1),
                        agenda.iter().map(|p| &p.1),
                        &mut |w| self.words.id(w),
                    );
                    // The same pieces serve the excerpt and the reason: not read twice.
                    let own = self.own(best);
                    self.shown
                        .entry(best.group.clone())
                        .or_insert_with(|| Shown::of(charter, agenda, own));
                    t
                }
            };
            self.texts.insert(best.group.clone(), t);
        }
        Ok(&self.texts[&best.group])
    }

    /// The group's charter sentences and agenda lines as read, with their stems.
    fn shown(&mut self, best: &SessionDoc, sess: &[&SessionDoc]) -> Result<&Shown<'a>> {
        if !self.shown.contains_key(&best.group) {
            let (charter, agenda) = self.pieces(best, sess)?;
            self.shown.insert(
                best.group.clone(),
                Shown::of(charter, agenda, self.own(best)),
            );
        }
        Ok(&self.shown[&best.group])
    }

    /// The group's charter sentences and agenda lines (see [`first_lines`]).
    #[allow(clippy::type_complexity)]
    fn pieces(
        &self,
        best: &SessionDoc,
        sess: &[&SessionDoc],
    ) -> Result<(Vec<Piece<Word<'a>>>, Vec<Piece<Word<'a>>>)> {
        let charter = self.doc_texts(best.addr)?.charter;
        let mut agendas = Vec::with_capacity(sess.len());
        for s in sess {
            agendas.push(self.doc_texts(s.addr)?.agenda);
        }
        let agenda = first_lines(agendas.into_iter().flatten(), |p| p.0.clone());
        Ok((charter, agenda))
    }

    /// A document's charter sentences and agenda lines: borrowed from the digest, else read
    /// and cut.
    fn doc_texts(&self, addr: DocAddress) -> Result<DocTexts<Word<'a>>> {
        if let Some(d) = self.c.digest
            && let Some(t) = crate::index::digest::readable(d.texts(addr))
        {
            return Ok(t.map(Word::Borrowed));
        }
        let d: TantivyDocument = self.c.searcher.doc(addr)?;
        Ok(doc_texts(self.an, &d, self.c.f).map(Word::Owned))
    }

    /// The excerpt for a group, with the units' whole words in bold; `tiers`, from the most
    /// telling units to all of them, choose the passage (see [`text::excerpt`]).
    pub(super) fn excerpt(
        &mut self,
        best: &SessionDoc,
        sess: &[&SessionDoc],
        tiers: &[&[Vec<String>]],
    ) -> Result<String> {
        let an = self.an;
        // The group's own acronym matched in its own texts chooses nothing: it is in the
        // agenda's heading, and a reader learns nothing from it in bold.
        let t = self.shown(best, sess)?;
        let acronym = &t.acronym;
        // (Copied only when it is there to leave out.)
        let without = |units: &[Vec<String>]| -> Option<Vec<Vec<String>>> {
            units
                .contains(acronym)
                .then(|| units.iter().filter(|u| *u != acronym).cloned().collect())
        };
        let owned: Vec<Option<Vec<Vec<String>>>> = tiers.iter().map(|u| without(u)).collect();
        let tiers: Vec<&[Vec<String>]> = (tiers.iter().zip(&owned))
            .map(|(u, o)| o.as_deref().unwrap_or(u))
            .collect();
        // (As in reasons, references are for engineers.)
        Ok(text::without_citations(text::excerpt(
            &t.charter_text,
            &t.agenda_text,
            &tiers,
            &|w| an.stems(w),
            (&t.charter, &t.agenda),
            &t.own,
        )))
    }

    /// One plain sentence tying the group to interest `i` (`label` as the person wrote it),
    /// from the group's description; the topic's gloss bridges when that sentence does not
    /// show the interest itself.
    pub(super) fn reason(
        &mut self,
        i: usize,
        label: &str,
        gloss: Option<&str>,
        strong: bool,
        best: &SessionDoc,
        sess: &[&SessionDoc],
    ) -> Result<String> {
        let f = self.features(i, best, sess)?;
        self.shown(best, sess)?;
        let mut naming = self.texts[&best.group].name.clone();
        let acronym = self.shown[&best.group].acronym.clone();
        let acronym_ids: Vec<_> = acronym.iter().map(|w| self.words.id(w)).collect();
        naming.extend(&acronym_ids);
        // Any group's acronym as well: a line that shows the interest only by naming a group
        // ("similar to what he gave in the JOSE working group") explains nothing to a reader.
        if !self.group_words.contains_key(&i) {
            let mut ids = Vec::new();
            for e in &self.evidence[i].interest.evidence {
                if let [stem] = e.stems.as_slice()
                    && is_group(&self.c, &e.acronym)
                {
                    ids.push(self.words.id(stem));
                }
            }
            self.group_words.insert(i, ids);
        }
        let mut groups_naming = naming.clone();
        groups_naming.extend(&self.group_words[&i]);
        let t = &self.shown[&best.group];
        // A sentence or line of the group's name and labels only explains nothing. Read as
        // written (lower-cased words): no analyzer pass for a handful of lines.
        let own = format!("{} {}", best.group, best.group_name).to_lowercase();
        let own: Vec<&str> = text::alnum_words(&own).collect();
        // Stops at the first other word: a long line costs no more than a short one.
        let names_only = |line: &str| {
            text::alnum_words(line).all(|w| {
                let is = |list: &[&str]| list.iter().any(|x| x.eq_ignore_ascii_case(w));
                is(&own)
                    || is(STOPWORDS)
                    || is(LABEL_WORDS)
                    || w.bytes().all(|b| b.is_ascii_digit())
            })
        };
        // An interest the person narrowed ("encrypted client hello") is explained by the first
        // sentence, else agenda line, that holds their narrowing words. Otherwise the agenda
        // speaks when the description does not: a group strong by this meeting's agenda is
        // explained by its agenda, not by a charter sentence that never names the interest.
        let text = &self.texts[&best.group];
        let sought = &self.evidence[i];
        // (The group's own acronym narrows nothing in its own texts: "tls privacy" is
        // explained for TLS as privacy is.)
        let narrowed = sought
            .interest
            .qualifiers
            .iter()
            .any(|q| q.word != best.group);
        let narrowing = |pieces: &strength::Pieces| {
            (0..pieces.len())
                .filter(|_| narrowed)
                .find(|&b| strength::narrowed_in(sought, pieces.get(b), &best.group))
        };
        // A sentence that holds the evidence only as another group's title ("The PKIX and
        // S/MIME Working Groups have been closed" for encryption) says nothing of the interest.
        let evidence: Vec<&[String]> = (sought.interest.evidence.iter())
            .map(|u| u.stems.as_slice())
            .collect();
        let only_titles = |b: usize| {
            let stem = |w: &str| self.an.stems(w);
            let sentence = (t.charter_text[b].as_ref(), t.charter[b].as_ref());
            text::only_in_titles(sentence, &evidence, &stem, &t.own)
        };
        // The description's opening: its first sentence that is not about other groups only
        // nor of the group's name and labels only.
        let opening = || {
            (0..t.charter_text.len()).find(|&b| !only_titles(b) && !names_only(&t.charter_text[b]))
        };
        let in_charter = narrowing(&text.charter)
            .filter(|&b| !t.charter_text.is_empty() && !names_only(&t.charter_text[b]));
        let in_agenda = narrowing(&text.agenda).filter(|&b| !names_only(&t.agenda_text[b]));
        let (charter_best, agenda_best) = match (in_charter, in_agenda) {
            (Some(c), _) => (Some(c), None),
            (None, Some(a)) => (None, Some(a)),
            // The opening sentence says what the group is for; it is the plainest reason when
            // it holds the interest, else the sentence that holds it most. (A group without a
            // charter is read through its agendas: `f.charter` is theirs.)
            (None, None) => {
                let charter = [f.charter.lead.then_some(0), f.charter.best]
                    .into_iter()
                    .flatten()
                    .filter(|_| !t.charter_text.is_empty())
                    .find(|&b| !names_only(&t.charter_text[b]) && !only_titles(b));
                // One that holds some of the evidence only as other groups' titles ("... done
                // jointly with the WGs supervising those protocols and the TEAS working group"
                // for traffic engineering) holds only the rest: the first sentence that holds as
                // much beyond titles says it plainer ("The working group develops extensions to
                // core Traffic Engineering protocols ...").
                // (The opening that holds the interest stays: it says what the group is for.)
                let charter = charter.map(|b| {
                    if b == 0 && f.charter.lead {
                        return b;
                    }
                    let stem = |w: &str| self.an.stems(w);
                    let sentence = |o: usize| (t.charter_text[o].as_ref(), t.charter[o].as_ref());
                    let Some(least) = text::beyond_titles(sentence(b), &evidence, &stem, &t.own)
                    else {
                        return b;
                    };
                    let held =
                        |o: usize| text::held_beyond_titles(sentence(o), &evidence, &stem, &t.own);
                    (0..t.charter_text.len())
                        .find(|&o| {
                            o == b || (!names_only(&t.charter_text[o]) && held(o) >= least.max(1))
                        })
                        .unwrap_or(b)
                });
                // A later sentence chosen for the vocabulary's words alone (the group's
                // acronym, a narrower topic's terms: "collectively known as MASQUE") gives way
                // to the first that shows the interest itself ("... improve client privacy");
                // when none does, one that leans on the sentences before it gives way to the
                // opening ("... to enable this functionality" explains nothing on its own).
                // The opening stays: it says what the group is for, and the topic's gloss
                // follows it.
                let shows_at = |b: usize| strength::shows(sought, text.charter.get(b), &naming);
                let stands_showing = |b: usize| {
                    let s = &t.charter_text[b];
                    shows_at(b) && !names_only(s) && !text::leans_back(s) && !text::asks(s)
                };
                let charter = match charter {
                    // (One that shows it only by leaning on the sentences before it, "These
                    // credentials ... identity wallet", does not: the opening then does.)
                    Some(b) if b > 0 && !shows_at(b) => (0..t.charter_text.len())
                        .find(|&o| stands_showing(o))
                        .or_else(|| {
                            opening().filter(|_| {
                                let s = &t.charter_text[b];
                                text::refers_back(s)
                                    || text::leans_back(s)
                                    || (0..t.charter_text.len())
                                        .any(|o| shows_at(o) && !names_only(&t.charter_text[o]))
                            })
                        })
                        .or(Some(b)),
                    // One that opens or ends by pointing back ("It will also coordinate ...",
                    // "... to enable this functionality") reads as a fragment when quoted
                    // alone, and a question ("Does the lock interact with ...?") says nothing
                    // of what the group does: the first that shows the interest and stands on
                    // its own does instead, if there is one.
                    Some(b)
                        if text::leans_back(&t.charter_text[b])
                            || text::asks(&t.charter_text[b]) =>
                    {
                        (0..t.charter_text.len())
                            .find(|&o| {
                                stands_showing(o)
                                    && !text::refers_back(&t.charter_text[o])
                                    && !only_titles(o)
                            })
                            // Else the opening, which says what the group is for (and the topic's
                            // gloss bridges), if it stands on its own.
                            .or_else(|| {
                                opening()
                                    .filter(|&o| o < b && !text::leans_back(&t.charter_text[o]))
                            })
                            .or(Some(b))
                    }
                    other => other,
                };
                // Strong by a name that says the interest ("Oblivious HTTP" for anonymity)
                // over a description that never repeats it: the description's opening says what
                // the group does about it, which an agenda line about a draft's details does not.
                let charter = charter.or_else(|| {
                    (strong && strength::name_holds_term(sought, &text.name, &acronym_ids))
                        .then(opening)
                        .flatten()
                });
                // A heading that names the group holds its acronym, evidence enough for
                // strength, but explains nothing: for a strong match that its charter does not
                // explain, the first line that shows the interest does (a possible one falls
                // back on its charter).
                let agenda_shows = |b: usize| {
                    strength::shows(sought, text.agenda.get(b), &naming)
                        && !names_only(&t.agenda_text[b])
                };
                // (Not by naming a group either: "... for adoption by the IAB"; nor an action
                // item, which says who does what next, not what the group works on.)
                let agenda_explains = |b: usize| {
                    strength::shows(sought, text.agenda.get(b), &groups_naming)
                        && !names_only(&t.agenda_text[b])
                        && !is_action_item(&t.agenda_text[b])
                };
                let first_explaining = || (0..text.agenda.len()).find(|&a| agenda_explains(a));
                let agenda = f.agenda.best.and_then(|b| {
                    // As in the description: a line chosen for a narrower topic's words
                    // ("Unicode Subsetting" for human rights) gives way to the first that shows
                    // the interest itself ("... and human rights considerations").
                    if !names_only(&t.agenda_text[b]) {
                        return (agenda_explains(b).then_some(b))
                            .or_else(first_explaining)
                            .or(Some(b));
                    }
                    let look = strong && charter.is_none();
                    (0..text.agenda.len())
                        .filter(|_| look)
                        .find(|&b| agenda_shows(b))
                });
                // Strong by its acronym, with a name and a description that hold nothing else
                // for the interest ("the LAMPS Working Group ..." for post-quantum
                // cryptography): this meeting's agenda line that shows the interest is the
                // evidence to quote. (A name that holds it, "IP Performance Measurement", lets
                // the description's opening say what the group is for.)
                let acronym_only = strong
                    && f.acronym
                    && f.charter.found.iter().all(|u| *u == best.group)
                    && !strength::names_interest(sought, &text.name, &acronym_ids);
                match charter {
                    Some(b) if acronym_only && !shows_at(b) => {
                        match agenda
                            .filter(|&a| agenda_explains(a))
                            .or_else(first_explaining)
                        {
                            Some(a) => (None, Some(a)),
                            None => (charter, agenda),
                        }
                    }
                    _ => (charter, agenda),
                }
            }
        };
        // A long quote is cut around the person's narrowing words when they chose it, else
        // around the interest's own and its topics' words, common ones too (the group's own
        // acronym shows nothing).
        let by_narrowing = in_charter.is_some() || in_agenda.is_some();
        let an = self.an;
        // (`shows`: the line shows the interest; one that does not is cut at its end.)
        let quote = |line: &str, stems: &str, shows: bool| {
            let line = line.trim();
            if !(by_narrowing || shows) {
                let line = text::past_concession(line, text::REASON_CHARS);
                return text::cut_words(line, text::REASON_CHARS);
            }
            if line.chars().count() <= text::REASON_CHARS {
                return line.to_string();
            }
            let showing: Vec<&[String]> = if by_narrowing {
                (sought.interest.qualifiers.iter())
                    .filter(|q| q.word != best.group)
                    .flat_map(|q| q.stems.iter().map(std::slice::from_ref))
                    .collect()
            } else {
                (sought.interest.evidence.iter())
                    .filter(|u| !u.role.is_support() && u.stems != acronym)
                    .map(|u| u.stems.as_slice())
                    .collect()
            };
            let known: Vec<&str> = text::words_of(stems).collect();
            let stem = |w: &str| an.stems(w);
            text::cut_showing(line, &showing, &stem, Some(&known), text::REASON_CHARS)
        };
        let by_agenda = charter_best.is_none() && agenda_best.is_some();
        // `quoted`: the sentence is the group's own text.
        let (sentence, shows, quoted) = if t.charter_text.is_empty() || by_agenda {
            match agenda_best {
                Some(b) => {
                    let ids = self.texts[&best.group].agenda.get(b);
                    let shows = strength::shows(sought, ids, &naming);
                    (
                        // Cut as a charter sentence is: an agenda "line" may be a whole
                        // paragraph of a session summary.
                        {
                            let line: &str = &t.agenda_text[b];
                            // An action item is quoted as one: "Dan Petrie to review ..." is a
                            // task someone took on, not a talk on the agenda.
                            let (lead, item) = match action_item_rest(line) {
                                Some(rest) => (text::AN_ACTION_ITEM, rest),
                                None => (text::ON_THE_AGENDA, text::without_item_number(line)),
                            };
                            let said = if item.len() == line.len() {
                                quote(line, &t.agenda[b], shows)
                            } else {
                                // (Its stems without the number's or the marker's.)
                                let numbered = text::word_count(line) - text::word_count(item);
                                let stems: Vec<&str> =
                                    text::words_of(&t.agenda[b]).skip(numbered).collect();
                                quote(item, &stems.join(" "), shows)
                            };
                            format!("{lead}{said}")
                        },
                        shows,
                        true,
                    )
                }
                // Nothing to quote: strong by its acronym alone, say where that comes from.
                None if strong && f.acronym => (
                    format!("{LISTED} (the datatracker has no description of it yet)"),
                    false,
                    false,
                ),
                None => (String::new(), false, false),
            }
        } else {
            // (The opening, unless it is about other groups only: then the first sentence that
            // is not.)
            let b = charter_best.unwrap_or_else(|| opening().unwrap_or(0));
            let ids = self.texts[&best.group].charter.get(b);
            let shows = strength::shows(sought, ids, &naming);
            let sentence = text::clause(&quote(&t.charter_text[b], &t.charter[b], shows));
            // The text's last sentence, unfinished: the stored text stops there, and the
            // quote says so (as an excerpt does).
            let last = b + 1 == t.charter_text.len();
            let sentence = if last && text::stops_short(&sentence) {
                text::trail_off(&sentence)
            } else {
                sentence
            };
            (sentence, shows, true)
        };
        // Strong only because the vocabulary lists the group for the topic, in texts that
        // hold no other evidence for it here: the reason says so, rather than let a sentence
        // about something else stand for it.
        // (What strength found there is its evidence: nothing, or the acronym itself.)
        let listed_only = strong
            && f.acronym
            && quoted
            && !shows
            && (f.charter.found.iter().chain(&f.agenda.found)).all(|u| *u == best.group);
        // (References such as "[RFC 3748]" are for engineers; the reason is for anyone.)
        let sentence = text::without_citations(sentence);
        let sentence = match text::without_connective(&sentence) {
            Some(rest) => text::clause(rest),
            None => sentence,
        };
        let sentence = match text::after_own_heading(&sentence, label) {
            Some(rest) => text::clause(rest),
            None => sentence,
        };
        let sentence = if listed_only {
            format!("{LISTED}; {sentence}")
        } else {
            sentence
        };
        let head = if strong {
            text::label(label, &best.group)
        } else {
            format!(
                "Possibly related to {}",
                text::with_acronyms(label, &best.group)
            )
        };
        let head = match gloss.filter(|_| !shows) {
            Some(g) => format!("{head} ({g})"),
            None => head,
        };
        Ok(if sentence.is_empty() {
            format!("{head}.")
        } else {
            format!("{head}: {}", text::end_quoted(&sentence))
        })
    }

    /// What strength sees of the group for interest `interest` (worked out once: the reason
    /// reads it again).
    pub(super) fn features(
        &mut self,
        interest: usize,
        best: &SessionDoc,
        sess: &[&SessionDoc],
    ) -> Result<strength::Features> {
        let key = (best.group.clone(), interest);
        if let Some(f) = self.features.get(&key) {
            return Ok(f.clone());
        }
        self.text(best, sess)?;
        let f = strength::features(&self.texts[&best.group], &self.evidence[interest]);
        self.features.insert(key, f.clone());
        Ok(f)
    }

    pub(super) fn strength(
        &mut self,
        interest: usize,
        best: &SessionDoc,
        sess: &[&SessionDoc],
    ) -> Result<Strength> {
        let f = self.features(interest, best, sess)?;
        let s = strength::decide(&f, &self.thresholds);
        tracing::debug!(
            "strength of {} for interest #{interest}: {s} {f:?}",
            best.group
        );
        Ok(s)
    }
}

/// What a minutes' action item asks, after its marker ("Lynn to refine ..." of "Action Item:
/// Lynn to refine ..."), when the line is one with more than its marker.
fn action_item_rest(line: &str) -> Option<&str> {
    after_action_marker(line).filter(|rest| !rest.is_empty())
}

/// Whether an agenda line is a minutes' action item ("Action Item: Lynn to refine ...").
fn is_action_item(line: &str) -> bool {
    after_action_marker(line).is_some()
}

/// The rest of a minutes' action item after its marker ("Action Item:", "**Action items**:",
/// "ACTION:"), possibly empty; `None` when the line is no action item.
fn after_action_marker(line: &str) -> Option<&str> {
    let l = line.trim_start_matches(|c: char| !c.is_alphanumeric());
    let word = l.get(..6).filter(|w| w.eq_ignore_ascii_case("action"))?;
    let rest = l[word.len()..].trim_start();
    let rest = match rest.get(..4) {
        _ if rest.starts_with(':') => rest,
        Some(w) if w.eq_ignore_ascii_case("item") => {
            let rest = &rest[4..];
            rest.strip_prefix(['s', 'S']).unwrap_or(rest)
        }
        _ => return None,
    };
    Some(rest.trim_start_matches(|c: char| !c.is_alphanumeric()))
}

/// A group's agenda lines as strength and excerpts read them: the lines of all its sessions
/// (in their order), each line once (`line` gives the text it is known by). The charter is its
/// best session's: a group's sessions share it.
pub(super) fn first_lines<P, K: Eq + std::hash::Hash>(
    lines: impl IntoIterator<Item = P>,
    line: impl Fn(&P) -> K,
) -> Vec<P> {
    let lines = lines.into_iter();
    let mut seen: std::collections::HashSet<K, Cheap> =
        std::collections::HashSet::with_capacity_and_hasher(lines.size_hint().0, Cheap::default());
    lines.filter(|p| seen.insert(line(p))).collect()
}

/// A group's pieces (their stems, joined by spaces) as word ids (`id` hands them out).
pub(super) fn group_text<'s, S: AsRef<str> + 's>(
    acronym: &str,
    name: &[String],
    charter: impl IntoIterator<Item = &'s S>,
    agenda: impl IntoIterator<Item = &'s S>,
    id: &mut dyn FnMut(&str) -> strength::WordId,
) -> strength::GroupText {
    let mut pieces = |v: &mut dyn Iterator<Item = &'s S>| {
        let mut p = strength::Pieces::default();
        for stems in v {
            p.push(text::words_of(stems.as_ref()).map(&mut *id));
        }
        p
    };
    let charter = pieces(&mut charter.into_iter());
    let agenda = pieces(&mut agenda.into_iter());
    let name = name.iter().map(|w| id(w)).collect();
    strength::GroupText::new(acronym.to_string(), name, charter, agenda)
}

/// A document's charter read as people read it (Markdown and HTML stripped) and cut into
/// sentences, and its agenda's lines that hold a word, each with its stems.
pub(super) fn doc_texts(an: &Analyzers, d: &TantivyDocument, f: &Fields) -> DocTexts {
    DocTexts {
        charter: charter_pieces(an, text_of(d, f.charter).unwrap_or_default()),
        agenda: agenda_pieces(an, text_of(d, f.agenda).unwrap_or_default()),
    }
}

/// A charter's sentences with their stems (see [`doc_texts`]).
pub(super) fn charter_pieces(an: &Analyzers, charter: &str) -> Vec<Piece<String>> {
    strength::sentences(&text::clean(charter))
        .into_iter()
        .map(|s| {
            let stems = an.stems(&s).join(" ");
            (s, stems)
        })
        .collect()
}

/// An agenda's lines that hold a word, with their stems (see [`doc_texts`]).
pub(super) fn agenda_pieces(an: &Analyzers, agenda: &str) -> Vec<Piece<String>> {
    text::clean(agenda)
        .lines()
        .filter_map(|line| {
            let stems = an.stems(line);
            (!stems.is_empty()).then(|| (line.to_string(), stems.join(" ")))
        })
        .collect()
}

/// What strength reads for one interest: the person's own phrase or word, the names, aliases
/// and terms of the topics it names, and the terms of the narrower topics those take in, each
/// marked generic when too many sessions hold it. `fractions` caches shares by stems (interests
/// often share terms). Stays whole: one loop that fills the evidence list role by role.
pub(super) fn interest_evidence(
    c: &Corpus,
    an: &Analyzers,
    interest: &str,
    units: &[Unit],
    vocab: &Vocabulary,
    w: &Weights,
    fractions: &mut HashMap<Vec<String>, f32>,
) -> strength::Interest {
    let mut fraction = |stems: &Vec<String>| -> f32 {
        *fractions
            .entry(stems.clone())
            .or_insert_with(|| generic_fraction(c, stems).unwrap_or(1.0))
    };
    let mut ev: Vec<strength::Evidence> = Vec::new();
    let mut push = |label: &str, role: strength::Role, limit: f32, ev: &mut Vec<_>| {
        let stems = an.stems(label);
        let raw = an.raw_words(label);
        if stems.is_empty() || stems.len() != raw.len() {
            return;
        }
        if ev.iter().any(|e: &strength::Evidence| e.stems == stems) {
            return;
        }
        let generic = fraction(&stems) > limit;
        ev.push(strength::Evidence {
            label: label.to_string(),
            stems,
            acronym: raw.join("-"),
            generic,
            role,
        });
    };
    // The person's own phrase or word is generic only when most sessions have it; a
    // vocabulary word already when a tenth do.
    for u in units.iter().filter(|u| u.kind == UnitKind::Own) {
        push(
            &u.label,
            strength::Role::Own,
            strength::OWN_GENERIC,
            &mut ev,
        );
    }
    let Matched {
        topics,
        asked,
        covered,
    } = matching_topics(an, vocab, interest);
    // A named topic that takes in another named one is no part of its own: "domain name
    // registration data" asks for registration data, a kind of DNS, and a DNS group is not
    // about it for mentioning provisioning once. Its words are related evidence of that part.
    // (Topics that take in each other, "encryption" and "confidentiality", stay parts, and so
    // does an umbrella topic: "ai regulation" asks about governing AI, not about AI at large.)
    let takes_in = |t: &Topic, o: &Topic| t.include.iter().any(|n| **n == *o.name);
    let narrower_named = |t: &Topic| {
        topics.iter().position(|o| {
            takes_in(t, o) && !takes_in(o, t) && t.include.len() <= strength::UMBRELLA
        })
    };
    let parts: Vec<&Topic> = topics
        .iter()
        .copied()
        .filter(|t| narrower_named(t).is_none())
        .collect();
    // Each part's own words first, then related words: a word that is both (a home group's
    // acronym of one topic, taken in by another) speaks for the topic it belongs to.
    for (p, t) in parts.iter().enumerate() {
        for label in t.own_words() {
            push(label, strength::Role::Part(p), w.strength.generic, &mut ev);
        }
    }
    let part_of = |t: &Topic| parts.iter().position(|x| std::ptr::eq(*x, t));
    for t in topics.iter().filter(|t| narrower_named(t).is_some()) {
        let Some(p) = narrower_named(t).and_then(|q| part_of(topics[q])) else {
            continue;
        };
        let from = ev.len();
        for label in t.own_words() {
            push(
                label,
                strength::Role::Support(p),
                w.strength.generic,
                &mut ev,
            );
        }
        // The broader topic's home groups are not, by their acronym, about the narrower one.
        ev[from..].iter_mut().for_each(|e| e.acronym.clear());
    }
    for (p, t) in parts.iter().enumerate() {
        // The terms of the narrower topics it takes in: evidence of something related.
        let support = t
            .include
            .iter()
            .filter_map(|n| vocab.get(n))
            .flat_map(|sub| sub.terms.iter());
        let from = ev.len();
        for label in support {
            push(
                label,
                strength::Role::Support(p),
                w.strength.generic,
                &mut ev,
            );
        }
        // An umbrella topic takes in many narrower ones: being the home of one of those
        // is not being about the umbrella ("internet governance" takes in privacy,
        // identity, messaging, ...), so their acronyms do not stand for it.
        if t.include.len() > strength::UMBRELLA {
            ev[from..].iter_mut().for_each(|e| e.acronym.clear());
        }
    }
    let kept: Vec<(usize, String)> = an
        .raw_words(interest)
        .into_iter()
        .enumerate()
        .filter(|(i, x)| {
            x.chars().count() > 1
                && !STOPWORDS.contains(&x.as_str())
                && !asked.get(*i).copied().unwrap_or(false)
        })
        .collect();
    let words: Vec<String> = kept.iter().flat_map(|(_, x)| an.stems(x)).collect();
    // Words that name a topic ("privacy" of "tls privacy"): asked of a group the person names,
    // the topic's evidence answers them, however many sessions use the word.
    let topic_words: Vec<String> = kept
        .iter()
        .filter(|(i, _)| covered.get(*i).copied().unwrap_or(false))
        .flat_map(|(_, x)| an.stems(x))
        .collect();
    let qualifiers = if topics.is_empty() {
        Vec::new()
    } else {
        let mut usage = WordUse {
            // Counted exactly: a share too small to be generic is still a word in use.
            share: &mut |stems| doc_fraction(c, stems).unwrap_or(0.0),
            is_group: &mut |word| is_group(c, word),
            generic: w.strength.generic,
        };
        qualifiers(an, interest, vocab, (&topics, &covered), &mut usage)
    };
    if !qualifiers.is_empty() {
        tracing::debug!("{interest:?} narrows its topics with {qualifiers:?}");
    }
    tracing::debug!(
        "{interest:?} names {:?}; evidence {:?}",
        topics.iter().map(|t| &t.name).collect::<Vec<_>>(),
        ev.iter()
            .map(|e| (&e.label, e.role, e.generic))
            .collect::<Vec<_>>()
    );
    strength::Interest {
        evidence: ev,
        parts: parts.len(),
        common_words: common_words(c, &words, w.strength.generic),
        written: written(
            &kept.into_iter().map(|(_, x)| x).collect::<Vec<_>>(),
            &words,
        ),
        // The phrase without a word people ask a topic by is not the person's phrase:
        // "domain names" is not "multilingual domain names"; that word's topic must show.
        all_words: if words.len() > 1 && !asked.iter().any(|a| *a) {
            words
        } else {
            Vec::new()
        },
        topic_words,
        qualifiers,
    }
}

/// The person's words as written beside their stems (`strength::Interest::written`): empty
/// when they do not pair up one for one, or for a single word.
fn written(raw: &[String], stems: &[String]) -> Vec<String> {
    if raw.len() == stems.len() && raw.len() > 1 {
        raw.to_vec()
    } else {
        Vec::new()
    }
}

/// Words that label a group or its documents ("the INTAREA WG", "intarea Meeting Minutes",
/// "PEARG Agenda - IETF 121"), not what it does.
const LABEL_WORDS: &[&str] = &[
    "ietf",
    "irtf",
    "working",
    "research",
    "group",
    "groups",
    "wg",
    "rg",
    "bof",
    "area",
    "directorate",
    "team",
    "meeting",
    "minutes",
    "agenda",
    "session",
    "summary",
    "notes",
];

/// How the index's sessions use a word, as [`qualifiers`] asks it.
struct WordUse<'f> {
    /// The share of sessions whose texts hold the stems.
    share: &'f mut dyn FnMut(&Vec<String>) -> f32,
    /// Whether a word (lower case, as written) is the acronym of a group in the index.
    is_group: &'f mut dyn FnMut(&str) -> bool,
    /// A word in more than this share of the sessions is common.
    generic: f32,
}

/// The words of `interest` that narrow the `topics` it names, each a [`strength::Qualifier`]:
/// - the words of a run that is a vocabulary term of several words but no name or alias of
///   those topics: the person asks about that one thing ("encrypted client hello"), which an
///   abbreviation the vocabulary gives the same topic also names ("ech");
/// - a word none of the topics' names, aliases, terms or related words use, next to a word
///   that names one of the topics, which some but not many sessions use (`share`, of
///   sessions). A word no session uses tells no group from another; one many use says
///   little;
/// - a group's acronym next to a word that names one of the topics, known to them or not,
///   however many sessions use it ("masque" of "masque vpn").
fn qualifiers(
    an: &Analyzers,
    interest: &str,
    vocab: &Vocabulary,
    (topics, covered): (&[&Topic], &[bool]),
    usage: &mut WordUse,
) -> Vec<strength::Qualifier> {
    let raw = an.raw_words(interest);
    let stems: Vec<Vec<String>> = raw.iter().map(|w| an.stems(w)).collect();
    // Runs that are a term of several words, with the abbreviations that stand for them. A run
    // is the term however its words are inflected or joined ("ai crawlers": "ai crawler").
    let mut specific: Vec<(std::ops::Range<usize>, Vec<String>)> = Vec::new();
    for from in 0..raw.len() {
        for to in from + 2..=raw.len() {
            let run = raw[from..to].join(" ");
            let run_stems: Vec<String> = stems[from..to].concat();
            let is_run = |term: &str| {
                *term == *run
                    || (term.as_bytes().first() == run.as_bytes().first()
                        && term.split([' ', '-']).count() == to - from
                        && an.stems(term) == run_stems)
            };
            let initials: String = raw[from..to]
                .iter()
                .filter_map(|w| w.chars().next())
                .collect();
            // Or the opening words of a longer term, as written: "route origin" of "route
            // origin validation" asks about that thing, not routing at large ("privacy
            // enhancing" is not "privacy enhancements and assessments").
            let opens = |term: &str| {
                let words: Vec<&str> = term.split([' ', '-']).collect();
                words.len() > to - from
                    && words
                        .iter()
                        .zip(&raw[from..to])
                        .all(|(t, r)| *t == r.as_str())
            };
            let mut holding = vocab
                .topics
                .iter()
                .filter(|t| t.terms.iter().any(|term| is_run(term) || opens(term)))
                .peekable();
            // A run that is a named topic's name or alias, or part of one ("ip address" of
            // "ip address spoofing"), narrows nothing.
            let names_topic = || {
                topics.iter().any(|t| {
                    t.phrasings().any(|p| {
                        is_run(p)
                            || an
                                .stems(p)
                                .windows(to - from)
                                .any(|w| w == run_stems.as_slice())
                    })
                })
            };
            if holding.peek().is_none() || names_topic() {
                continue;
            }
            let abbreviations = holding
                .filter(|t| to - from >= 3 && t.terms.iter().any(|term| **term == *initials))
                .flat_map(|_| an.stems(&initials))
                .collect();
            specific.push((from..to, abbreviations));
        }
    }
    let is_covered = |i: usize| covered.get(i).copied().unwrap_or(false);
    let content = |i: usize| {
        raw[i].chars().count() > 1 && !STOPWORDS.contains(&raw[i].as_str()) && stems[i].len() == 1
    };
    // An interest the topics cover word for word ("privacy", "routing security": most of
    // those the index prepares) narrows nothing; the topics' words are not stemmed for it.
    if specific.is_empty() && (0..raw.len()).all(|i| !content(i) || is_covered(i)) {
        return Vec::new();
    }
    // Every word the topics use, stemmed.
    let known: std::collections::HashSet<String> = topics
        .iter()
        .flat_map(|t| {
            std::iter::once(&t.name)
                .chain(t.aliases.iter())
                .chain(t.terms.iter())
                .chain(t.related.iter())
        })
        .flat_map(|p| an.stems(p))
        .collect();
    // Words the topics do not know, in some but not many sessions' texts, and groups'
    // acronyms ("masque" of "masque vpn", known to the topic or not: the person names the
    // group's work, not the topic at large).
    let candidate: Vec<bool> = (0..raw.len())
        .map(|i| {
            content(i)
                && !is_covered(i)
                && ((!known.contains(&stems[i][0]) && {
                    let used_by = (usage.share)(&stems[i]);
                    used_by > 0.0 && used_by <= usage.generic
                }) || (usage.is_group)(&raw[i]))
        })
        .collect();
    // A candidate narrows a topic when it stands next to a word naming one, with nothing
    // between them but stopwords and other candidates: "variant" of "time-variant routing",
    // "mobile" of "dns privacy for mobile"; not "roll" of "roll out ipv6" ("out" is a common
    // word), nor "concentration" of "competition and market concentration" ("and" parts).
    let joins = |k: usize| {
        (STOPWORDS.contains(&raw[k].as_str()) && raw[k] != "and" && raw[k] != "or")
            || candidate[k]
            || is_covered(k)
    };
    let narrows =
        |i: usize| (0..raw.len()).any(|j| is_covered(j) && (i.min(j) + 1..i.max(j)).all(&joins));
    (0..raw.len())
        .filter(|&i| content(i))
        .filter_map(|i| {
            let mut alternatives: Vec<String> = specific
                .iter()
                .filter(|(run, _)| run.contains(&i))
                .flat_map(|(_, a)| a.iter().cloned())
                .collect();
            let in_term = specific.iter().any(|(run, _)| run.contains(&i));
            (in_term || (candidate[i] && narrows(i))).then(|| {
                alternatives.insert(0, stems[i][0].clone());
                alternatives.dedup();
                strength::Qualifier {
                    word: raw[i].clone(),
                    stems: alternatives,
                }
            })
        })
        .collect()
}

/// The words among `words` (stems) that more than `limit` of the sessions use; none for a
/// single word, which is never read as a phrase that names a group.
fn common_words(c: &Corpus, words: &[String], limit: f32) -> Vec<String> {
    if words.len() < 2 {
        return Vec::new();
    }
    words
        .iter()
        .filter(|w| generic_fraction(c, std::slice::from_ref(*w)).unwrap_or(1.0) > limit)
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_items_are_told_apart_from_the_work() {
        for l in [
            "Action Item: Lynn to refine it",
            "**Action items**: send",
            "ACTION: chairs",
        ] {
            assert!(is_action_item(l), "{l}");
        }
        assert_eq!(
            action_item_rest("Action Item: Lynn to refine it"),
            Some("Lynn to refine it")
        );
        assert_eq!(action_item_rest("**Action items**: send"), Some("send"));
        assert_eq!(action_item_rest("ACTION: chairs"), Some("chairs"));
        assert_eq!(action_item_rest("Action items:"), None);
        assert_eq!(action_item_rest("Item one"), None);
        for l in [
            "Actionable advice for operators",
            "Actions of the IAB",
            "Item one",
        ] {
            assert!(!is_action_item(l), "{l}");
        }
    }

    /// What narrows an interest's topics, with each word used by `share` of the sessions.
    fn narrowing_by(interest: &str, share: &dyn Fn(&str) -> f32) -> Vec<(String, Vec<String>)> {
        let an = Analyzers::standalone();
        let vocab = Vocabulary::builtin().unwrap();
        let m = matching_topics(&an, &vocab, interest);
        let mut usage = WordUse {
            share: &mut |w| share(&w[0]),
            is_group: &mut |w| ["masque", "tls", "quic"].contains(&w),
            generic: 0.1,
        };
        qualifiers(&an, interest, &vocab, (&m.topics, &m.covered), &mut usage)
            .into_iter()
            .map(|q| (q.word, q.stems))
            .collect()
    }

    /// As [`narrowing_by`], every word used by the same share of the sessions.
    fn narrowing(interest: &str, share: f32) -> Vec<(String, Vec<String>)> {
        narrowing_by(interest, &|_| share)
    }

    #[test]
    fn narrowing_words_are_a_specific_term_or_words_the_topics_never_use() {
        // A term of several words is one thing; the vocabulary's abbreviation names it too.
        let ech = narrowing("encrypted client hello", 0.05);
        let words: Vec<&str> = ech.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(words, ["encrypted", "client", "hello"]);
        assert!(ech.iter().all(|(_, s)| s.contains(&"ech".to_string())));
        // However its words are inflected: "ai crawlers" is the term "ai crawler", crawlers
        // and not AI at large.
        let crawlers = narrowing("ai crawlers", 0.05);
        assert!(
            crawlers.contains(&("crawlers".to_string(), vec!["crawler".to_string()])),
            "{crawlers:?}"
        );
        // The opening words of a longer term name that thing, however common their words:
        // "route origin" (of "route origin validation") is not routing at large.
        let origin = narrowing("route origin", 0.5);
        assert!(origin.iter().any(|(w, _)| w == "origin"), "{origin:?}");
        // As written: another inflection is another thing (PEARG's name is no term for
        // privacy-enhancing technologies).
        let pet = narrowing("privacy enhancing technologies", 0.5);
        assert!(pet.is_empty(), "{pet:?}");
        // Joined by a hyphen or not: "time-variant routing" is a term of the satellite topic.
        let tvr = narrowing("time-variant routing", 0.5);
        assert!(tvr.iter().any(|(w, _)| w == "variant"), "{tvr:?}");
        // A word the topic does not use narrows it, unless many sessions or none use it.
        let mobile = narrowing("dns privacy for mobile", 0.05);
        assert_eq!(mobile, [("mobile".to_string(), vec!["mobil".to_string()])]);
        assert!(narrowing("dns privacy for mobile", 0.5).is_empty());
        assert!(narrowing("dns privacy for mobile", 0.0).is_empty());
        // The topic's own words, its aliases and a topic named whole narrow nothing.
        assert!(narrowing("privacy", 0.05).is_empty());
        assert!(narrowing("identity federation and single sign-on", 0.05).is_empty());
        assert!(narrowing("passwords", 0.05).is_empty());
        // A term inside the topic's own name is part of it: "ip address" (a term of number
        // resources) of "ip address spoofing" asks nothing more of a group.
        assert!(narrowing("ip address spoofing", 0.05).is_empty());
        // The same term outside a topic's name still narrows it.
        assert!(!narrowing("http caching", 0.05).is_empty());
        // Words joined by "and" are another way to say it, not a narrowing.
        assert!(narrowing("competition and market concentration", 0.05).is_empty());
        // Nor does a word kept from the topic's by a word that is neither.
        let roll = narrowing_by("roll out ipv6", &|w| if w == "out" { 0.5 } else { 0.05 });
        assert!(roll.is_empty(), "{roll:?}");
        // A group's acronym narrows the topic even where the topic knows it as a term, and
        // however many sessions use it.
        let masque = narrowing("masque vpn", 0.5);
        assert_eq!(masque, [("masque".to_string(), vec!["masqu".to_string()])]);
        let telecom = narrowing("telecom regulation", 0.05);
        assert_eq!(
            telecom,
            [("telecom".to_string(), vec!["telecom".to_string()])]
        );
    }
}
