//! Ranking: a meeting's groups for stated interests, best first, each with the reasons.
//!
//! How it works:
//! 1. Each interest is split into words with the index's own analyzers (never a query parser: a
//!    person's words are never query syntax). The whole interest is a phrase unit, each content
//!    word a word unit. Vocabulary topics whose name or alias occurs in the interest (on stemmed
//!    words, longest match wins) add their `terms` and, weaker, their `related` words.
//! 2. Every unit is searched as its own BM25 query over the fields with boosts (acronym and group
//!    name above agenda above charter); a unit's score times its weight (own words > vocabulary
//!    terms > related words) adds up to the interest's score of a session.
//! 3. A group scores the best of its eligible sessions (not cancelled, inside the filters).
//! 4. Interests get their share: each interest's scores are divided by that interest's best score
//!    (so every interest's best group scores 1), groups under [`SHARE_FLOOR`] of the best are
//!    not candidates for that interest, and the list is filled round by round: each round takes
//!    every interest's best group not yet listed, ordered within the round by the summed
//!    per-interest scores. A group that matches several interests thus comes early, and three
//!    interests never give ten groups for the first one alone. `score` is that sum.
//! 5. Reasons: the interests whose normalised score reaches [`SHARE_FLOOR`], the units that hit
//!    any of the group's eligible sessions (heaviest first), and an excerpt of its agenda or charter with
//!    the matching words in `**bold**` (the same marker in every output format).

pub mod strength;
pub mod suggest;
pub mod text;
pub mod vocab;

pub use vocab::Vocabulary;

use crate::index::{Fields, SearchIndex};
use crate::model::{Recommendation, Recommendations, SessionRef, SessionStatus, Strength};
use crate::{Error, Result};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, QueryParser, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

/// Longest interest accepted, in characters: interests are a few words, not documents.
pub const MAX_INTEREST_CHARS: usize = 200;
/// Most interests in one request.
pub const MAX_INTERESTS: usize = 20;
/// A group below this share of an interest's best score is not a candidate for that interest.
pub const SHARE_FLOOR: f32 = 0.1;
/// Groups judged for strength before the list is cut (at least `top`).
const STRENGTH_POOL: usize = 30;
const MAX_MATCHED_TERMS: usize = 8;

/// What a recommendation is asked for.
#[derive(Debug, Clone, Default)]
pub struct RecommendQuery {
    /// `None`: the newest meeting in the index.
    pub meeting: Option<u32>,
    pub interests: Vec<String>,
    pub top: usize,
    /// Dates in the meeting's local time zone; empty: every day.
    pub days: Vec<NaiveDate>,
    /// Area acronyms; empty: every area.
    pub areas: Vec<String>,
    pub exclude_groups: Vec<String>,
    pub no_bofs: bool,
    /// Extra vocabulary file extending the built-in one.
    pub vocabulary: Option<PathBuf>,
}

/// The knobs of the ranking, in one place so that the eval and the benches use the same ones.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Weights {
    pub own_phrase: f32,
    pub own_word: f32,
    /// A word of an interest of several words: the phrase says more than each word alone.
    pub own_word_multi: f32,
    /// Such a word when it is part of a phrase the vocabulary knows.
    pub own_word_covered: f32,
    pub term: f32,
    pub related: f32,
    /// Terms of a topic that a matched topic includes.
    pub included: f32,
    pub acronym: f32,
    pub group_name: f32,
    pub session_name: f32,
    pub agenda: f32,
    pub charter: f32,
    pub note: f32,
    pub area_name: f32,
    /// A group below this share of an interest's best score is not a candidate for it.
    pub share_floor: f32,
    /// Multiplier for sessions that are not a group's (plenaries, breaks, hackathon, ...).
    pub non_group: f32,
    /// A word of a longer interest found in more than this share of the index's sessions is
    /// not searched alone.
    pub common_word: f32,
    /// What makes a match strong (`rank::strength`).
    pub strength: strength::Thresholds,
}

pub const WEIGHTS: Weights = Weights {
    own_phrase: 1.5,
    own_word: 1.0,
    own_word_multi: 0.6,
    own_word_covered: 0.3,
    term: 0.4,
    related: 0.15,
    included: 0.25,
    acronym: 4.0,
    group_name: 3.0,
    session_name: 1.5,
    agenda: 1.2,
    charter: 1.0,
    note: 0.5,
    area_name: 0.3,
    non_group: 0.4,
    share_floor: SHARE_FLOOR,
    common_word: 0.2,
    strength: strength::THRESHOLDS,
};

impl Default for Weights {
    fn default() -> Self {
        WEIGHTS
    }
}

/// Recommends with the built-in vocabulary extended by `q.vocabulary`.
pub fn recommend(idx: &SearchIndex, q: &RecommendQuery) -> Result<Recommendations> {
    let vocab = Vocabulary::load(q.vocabulary.as_deref())?;
    recommend_with(idx, q, &vocab, &WEIGHTS)
}

/// Recommends with an explicit vocabulary and weights (the eval's baseline passes an empty one).
pub fn recommend_with(
    idx: &SearchIndex,
    q: &RecommendQuery,
    vocab: &Vocabulary,
    w: &Weights,
) -> Result<Recommendations> {
    rank_sessions(idx, q, vocab, w, false)
}

/// Like [`recommend_with`], with cancelled sessions ranked as if they were held. Plans use it
/// to find relevant groups whose every session was cancelled (the ranking proper leaves them
/// out), so that calendars can mark those sessions cancelled rather than drop them silently.
pub fn recommend_with_cancelled(
    idx: &SearchIndex,
    q: &RecommendQuery,
    vocab: &Vocabulary,
    w: &Weights,
) -> Result<Recommendations> {
    rank_sessions(idx, q, vocab, w, true)
}

fn rank_sessions(
    idx: &SearchIndex,
    q: &RecommendQuery,
    vocab: &Vocabulary,
    w: &Weights,
    with_cancelled: bool,
) -> Result<Recommendations> {
    let interests = validate_interests(&q.interests)?;
    if q.top == 0 {
        return Err(Error::input("--top must be at least 1"));
    }
    let meeting = idx.meeting(q.meeting)?.clone();
    let tz: chrono_tz::Tz = meeting.timezone.parse().unwrap_or(chrono_tz::UTC);
    let an = Analyzers::new(idx)?;
    let searcher = idx.reader.searcher();
    let f = idx.fields;

    let t0 = std::time::Instant::now();
    let sessions = load_sessions(&searcher, &f, meeting.number)?;
    tracing::debug!("loaded {} sessions in {:?}", sessions.len(), t0.elapsed());
    let areas: HashSet<String> = q.areas.iter().map(|a| a.trim().to_lowercase()).collect();
    let excluded: HashSet<String> = q
        .exclude_groups
        .iter()
        .map(|g| g.trim().to_lowercase())
        .collect();
    let eligible: HashMap<DocAddress, &SessionDoc> = sessions
        .iter()
        .filter(|s| with_cancelled || !s.status.is_cancelled())
        .filter(|s| {
            q.days.is_empty()
                || q.days
                    .contains(&tz.from_utc_datetime(&s.start.naive_utc()).date_naive())
        })
        .filter(|s| areas.is_empty() || s.area.as_ref().is_some_and(|a| areas.contains(a)))
        .filter(|s| !excluded.contains(&s.group))
        .filter(|s| !(q.no_bofs && s.is_bof))
        .map(|s| (s.addr, s))
        .collect();

    // Per interest: the units searched and each eligible session's score and unit hits.
    let mut per_interest = Vec::with_capacity(interests.len());
    let mut texts: HashMap<DocAddress, String> = HashMap::new();
    for interest in &interests {
        let mut units = interest_units(&an, vocab, interest, w);
        // The person's words that most sessions contain ("areas" of "connectivity in rural
        // areas") would fill the list on their own: they count only next to stronger evidence.
        for u in units.iter_mut().filter(|u| u.own_word && !u.weak) {
            if doc_fraction(&searcher, &f, &u.stems[..1])? > w.common_word {
                tracing::debug!("common word {:?} counts only next to others", u.label);
                u.weak = true;
            }
        }
        let hits = score_units(&searcher, &f, &units, w, &eligible, &mut texts)?;
        per_interest.push((units, hits));
    }

    tracing::debug!("scored interests in {:?}", t0.elapsed());
    // Group scores per interest: the best eligible session of the group.
    let mut group_sessions: BTreeMap<&str, Vec<&SessionDoc>> = BTreeMap::new();
    for s in eligible.values() {
        group_sessions.entry(&s.group).or_default().push(s);
    }
    let mut shares: Vec<HashMap<&str, f32>> = Vec::new();
    for (_, hits) in &per_interest {
        let mut g: HashMap<&str, f32> = HashMap::new();
        for (addr, h) in hits {
            let s = eligible[addr];
            let e = g.entry(s.group.as_str()).or_insert(0.0);
            *e = e.max(h.score);
        }
        let best = g.values().cloned().fold(0.0f32, f32::max);
        if best > 0.0 {
            g.values_mut().for_each(|v| *v /= best);
        }
        g.retain(|_, v| *v >= w.share_floor);
        shares.push(g);
    }
    // Strength: whether each candidate group's own work is about each interest it matches,
    // decided over a pool wider than the list so that a strong group just below the cut
    // still comes before a possible one.
    let mut judge = StrengthJudge::new(&searcher, &f, &an, &interests, &per_interest, vocab, w);
    let mut order = combine(&shares, q.top.max(STRENGTH_POOL));
    let mut strong_for: HashMap<&str, Vec<usize>> = HashMap::new();
    for (group, _) in &order {
        let mut sess = group_sessions[group].clone();
        sess.sort_by_key(|s| (s.start, s.key.clone()));
        let best = best_session(&sess, &shares, &per_interest, group, w);
        let mut strong = Vec::new();
        for (i, share) in shares.iter().enumerate() {
            if share.get(group).is_some_and(|v| *v >= w.share_floor)
                && judge.strength(i, best, &sess)?.is_strong()
            {
                strong.push(i);
            }
        }
        strong_for.insert(group, strong);
    }
    let no_strong: Vec<String> = (0..interests.len())
        .filter(|i| !strong_for.values().any(|v| v.contains(i)))
        .map(|i| interests[i].clone())
        .collect();
    // Strong results first; the ranking's order holds within each tier.
    order.sort_by_key(|(g, _)| strong_for[g].is_empty());
    order.truncate(q.top);

    let mut results = Vec::with_capacity(order.len());
    for (rank, (group, score)) in order.into_iter().enumerate() {
        let mut sess = group_sessions[group].clone();
        sess.sort_by_key(|s| (s.start, s.key.clone()));
        let matched: Vec<usize> = (0..interests.len())
            .filter(|&i| shares[i].get(group).is_some_and(|v| *v >= w.share_floor))
            .collect();
        // The session that scores best over the matched interests carries the reasons.
        let total = |s: &SessionDoc| -> f32 {
            matched
                .iter()
                .map(|&i| per_interest[i].1.get(&s.addr).map_or(0.0, |h| h.score))
                .sum()
        };
        let best = sess
            .iter()
            .copied()
            .max_by(|a, b| total(a).total_cmp(&total(b)))
            .expect("a listed group has an eligible session");
        let mut contributions: Vec<(f32, &Unit)> = Vec::new();
        for &i in &matched {
            let (units, hits) = &per_interest[i];
            for s in &sess {
                if let Some(h) = hits.get(&s.addr) {
                    for (u, c) in &h.units {
                        contributions.push((*c, &units[*u]));
                    }
                }
            }
        }
        contributions.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut matched_terms: Vec<String> = Vec::new();
        for (_, u) in &contributions {
            if matched_terms.len() >= MAX_MATCHED_TERMS {
                break;
            }
            let label = shown_label(&searcher, &f, &an, u, &sess, &mut texts)?;
            if !matched_terms.contains(&label) {
                matched_terms.push(label);
            }
        }
        let mut units: Vec<Vec<String>> = Vec::new();
        for (_, u) in &contributions {
            if !units.contains(&u.stems) {
                units.push(u.stems.clone());
            }
        }
        let excerpt = judge.excerpt(best, &sess, &units)?;
        let strong_interests: Vec<String> = strong_for[group]
            .iter()
            .map(|&i| interests[i].clone())
            .collect();
        // The reason speaks for the first interest the group is strong for, else the first
        // it matches.
        let main = strong_for[group]
            .first()
            .or(matched.first())
            .copied()
            .unwrap_or(0);
        let topics = matching_topics(&an, vocab, &interests[main]).0;
        let gloss = topics
            .first()
            .map(|t| t.gloss.as_str())
            .filter(|g| !g.is_empty());
        let reason = judge.reason(
            main,
            &interests[main],
            gloss,
            !strong_for[group].is_empty(),
            best,
            &sess,
        )?;
        results.push(Recommendation {
            rank: rank + 1,
            group: best.group.clone(),
            group_name: best.group_name.clone(),
            area: best.area.clone(),
            is_bof: best.is_bof,
            sessions: sess.iter().map(|s| s.session_ref()).collect(),
            score: (score * 1000.0).round() / 1000.0,
            matched_interests: matched.iter().map(|&i| interests[i].clone()).collect(),
            matched_terms,
            excerpt,
            strength: if strong_interests.is_empty() {
                Strength::Possible
            } else {
                Strength::Strong
            },
            strong_interests,
            reason,
        });
    }
    tracing::debug!("recommended in {:?}", t0.elapsed());
    let mut notes = Vec::new();
    let mut suggestions = Vec::new();
    for i in &no_strong {
        let listed = results.iter().any(|r| r.matched_interests.contains(i));
        notes.push(no_strong_note(i, meeting.number, listed));
        let (mut s, english) = unknown_words(&searcher, &f, &an, vocab, &sessions, i)?;
        for x in &s {
            notes.push(format!(
                "\"{}\" is not a word these texts use; did you mean {}?",
                x.word,
                x.did_you_mean
                    .iter()
                    .map(|w| format!("\"{w}\""))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ));
        }
        if english {
            notes.push(format!(
                "Interests are matched in English; if \"{i}\" is in another language, try its \
                 English words."
            ));
        }
        suggestions.append(&mut s);
    }
    Ok(Recommendations {
        meeting: meeting.number,
        interests,
        results,
        no_strong_match: no_strong,
        notes,
        suggestions,
        timezone: meeting.timezone.clone(),
        warnings: Vec::new(),
    })
}

/// Words of `interest` that neither the index nor the vocabulary knows, with close spellings
/// from both; `true` when no word of the interest is known and none is a typo of a known word
/// (perhaps another language: interests are matched in English).
fn unknown_words(
    searcher: &Searcher,
    f: &Fields,
    an: &Analyzers,
    vocab: &Vocabulary,
    sessions: &[SessionDoc],
    interest: &str,
) -> Result<(Vec<crate::model::Suggestion>, bool)> {
    let mut vocab_words: Vec<String> = Vec::new();
    for t in &vocab.topics {
        for p in std::iter::once(&t.name)
            .chain(&t.aliases)
            .chain(&t.terms)
            .chain(&t.related)
        {
            for w in an.raw_words(p) {
                if w.chars().count() > 2 && !vocab_words.contains(&w) {
                    vocab_words.push(w);
                }
            }
        }
    }
    let mut unknown = Vec::new();
    let mut content = 0;
    for w in an.raw_words(interest) {
        if w.chars().count() < 3 || STOPWORDS.contains(&w.as_str()) {
            continue;
        }
        content += 1;
        if vocab_words.contains(&w) {
            continue;
        }
        let stems = an.stems(&w);
        if stems.is_empty() || doc_fraction(searcher, f, &stems)? > 0.0 {
            continue;
        }
        unknown.push(w);
    }
    if unknown.is_empty() {
        return Ok((Vec::new(), false));
    }
    // The index's own words: the meeting's group names and charters, as written.
    let mut index_words: Vec<String> = Vec::new();
    let mut seen_groups = HashSet::new();
    for s in sessions
        .iter()
        .filter(|s| seen_groups.insert(s.group.clone()))
    {
        let d: TantivyDocument = searcher.doc(s.addr)?;
        for field in [f.group_name, f.charter] {
            for w in an.raw_words(text_of(&d, field).unwrap_or_default()) {
                if w.chars().count() > 2
                    && w.chars().all(char::is_alphabetic)
                    && !index_words.contains(&w)
                {
                    index_words.push(w);
                }
            }
        }
    }
    let mut out = Vec::new();
    // Another language is the likely story only when no word of the interest is known and
    // none is a typo of a known word.
    let mut foreign = unknown.len() == content;
    for w in unknown {
        let near = suggest::closest(&w, &vocab_words, &index_words);
        if near.is_empty() {
            continue;
        }
        foreign = false;
        {
            out.push(crate::model::Suggestion {
                interest: interest.to_string(),
                word: w,
                did_you_mean: near,
            });
        }
    }
    Ok((out, foreign))
}

/// The plain note for an interest with no strong match at the meeting.
fn no_strong_note(interest: &str, meeting: u32, possible: bool) -> String {
    if possible {
        format!(
            "Nothing at IETF {meeting} is mainly about \"{interest}\"; the matches listed for it are only possibly related."
        )
    } else {
        format!("Nothing at IETF {meeting} matches \"{interest}\".")
    }
}

/// The group's session that scores best over the interests it matches: it carries the reasons.
fn best_session<'s>(
    sess: &[&'s SessionDoc],
    shares: &[HashMap<&str, f32>],
    per_interest: &[(Vec<Unit>, HashMap<DocAddress, Hit>)],
    group: &str,
    w: &Weights,
) -> &'s SessionDoc {
    let total = |s: &SessionDoc| -> f32 {
        (0..shares.len())
            .filter(|&i| shares[i].get(group).is_some_and(|v| *v >= w.share_floor))
            .map(|i| per_interest[i].1.get(&s.addr).map_or(0.0, |h| h.score))
            .sum()
    };
    sess.iter()
        .copied()
        .max_by(|a, b| total(a).total_cmp(&total(b)))
        .expect("a listed group has an eligible session")
}

/// Decides strength per group and interest, reading each group's texts once.
struct StrengthJudge<'a> {
    searcher: &'a Searcher,
    f: &'a Fields,
    an: &'a Analyzers,
    /// Per interest: what strength reads.
    evidence: Vec<strength::Interest>,
    thresholds: strength::Thresholds,
    texts: HashMap<String, strength::GroupText>,
}

impl<'a> StrengthJudge<'a> {
    fn new(
        searcher: &'a Searcher,
        f: &'a Fields,
        an: &'a Analyzers,
        interests: &[String],
        per_interest: &[(Vec<Unit>, HashMap<DocAddress, Hit>)],
        vocab: &Vocabulary,
        w: &Weights,
    ) -> Self {
        // Fractions are cached by stems: interests often share terms.
        let mut fractions: HashMap<Vec<String>, f32> = HashMap::new();
        let mut fraction = |stems: &Vec<String>| -> f32 {
            *fractions
                .entry(stems.clone())
                .or_insert_with(|| generic_fraction(searcher, f, stems).unwrap_or(1.0))
        };
        let mut evidence = Vec::new();
        for (interest, (units, _)) in interests.iter().zip(per_interest) {
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
            let (topics, _) = matching_topics(an, vocab, interest);
            for (p, t) in topics.iter().enumerate() {
                let own = std::iter::once(&t.name).chain(&t.aliases).chain(&t.terms);
                for label in own {
                    push(label, strength::Role::Part(p), w.strength.generic, &mut ev);
                }
                // The terms of the narrower topics it takes in: evidence of something related.
                let support = t
                    .include
                    .iter()
                    .filter_map(|n| vocab.get(n))
                    .flat_map(|sub| sub.terms.iter());
                let from = ev.len();
                for label in support {
                    push(label, strength::Role::Support, w.strength.generic, &mut ev);
                }
                // An umbrella topic takes in many narrower ones: being the home of one of those
                // is not being about the umbrella ("internet governance" takes in privacy,
                // identity, messaging, ...), so their acronyms do not stand for it.
                if t.include.len() > strength::UMBRELLA {
                    ev[from..].iter_mut().for_each(|e| e.acronym.clear());
                }
            }
            let words: Vec<String> = an
                .raw_words(interest)
                .into_iter()
                .filter(|x| x.chars().count() > 1 && !STOPWORDS.contains(&x.as_str()))
                .flat_map(|x| an.stems(&x))
                .collect();
            evidence.push(strength::Interest {
                evidence: ev,
                parts: topics.len(),
                all_words: if words.len() > 1 { words } else { Vec::new() },
            });
        }
        Self::with_evidence(searcher, f, an, evidence, w.strength)
    }

    fn with_evidence(
        searcher: &'a Searcher,
        f: &'a Fields,
        an: &'a Analyzers,
        evidence: Vec<strength::Interest>,
        thresholds: strength::Thresholds,
    ) -> Self {
        Self {
            searcher,
            f,
            an,
            evidence,
            thresholds,
            texts: HashMap::new(),
        }
    }

    /// A search text's positive words as one interest: the phrase (or the single word), and
    /// a sentence holding all of them.
    fn for_search(
        searcher: &'a Searcher,
        f: &'a Fields,
        an: &'a Analyzers,
        text: &str,
        w: &Weights,
    ) -> Self {
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
            let generic =
                generic_fraction(searcher, f, &stems).unwrap_or(1.0) > strength::OWN_GENERIC;
            ev.push(strength::Evidence {
                label: raw.join(" "),
                stems: stems.clone(),
                acronym: raw.join("-"),
                generic,
                role: strength::Role::Own,
            });
        }
        let interest = strength::Interest {
            evidence: ev,
            parts: 0,
            all_words: if stems.len() > 1 { stems } else { Vec::new() },
        };
        Self::with_evidence(searcher, f, an, vec![interest], w.strength)
    }

    fn text(&mut self, best: &SessionDoc, sess: &[&SessionDoc]) -> Result<&strength::GroupText> {
        if !self.texts.contains_key(&best.group) {
            let d: TantivyDocument = self.searcher.doc(best.addr)?;
            // Read as people read it: Markdown and HTML stripped first.
            let charter = text::clean(text_of(&d, self.f.charter).unwrap_or_default());
            let charter_text = strength::sentences(&charter);
            let mut agenda = Vec::new();
            let mut agenda_text = Vec::new();
            for s in sess {
                let d: TantivyDocument = self.searcher.doc(s.addr)?;
                for line in text::clean(text_of(&d, self.f.agenda).unwrap_or_default()).lines() {
                    let stems = self.an.stems(line);
                    if !stems.is_empty() && !agenda_text.iter().any(|l: &String| l == line) {
                        agenda.push(stems);
                        agenda_text.push(line.to_string());
                    }
                }
            }
            let t = strength::GroupText {
                acronym: best.group.clone(),
                name: self.an.stems(&best.group_name),
                charter: charter_text.iter().map(|s| self.an.stems(s)).collect(),
                agenda,
                charter_text,
                agenda_text,
            };
            self.texts.insert(best.group.clone(), t);
        }
        Ok(&self.texts[&best.group])
    }

    /// The excerpt for a group, with the units' whole words in bold.
    fn excerpt(
        &mut self,
        best: &SessionDoc,
        sess: &[&SessionDoc],
        units: &[Vec<String>],
    ) -> Result<String> {
        let an = self.an;
        let t = self.text(best, sess)?;
        Ok(text::excerpt(
            &t.charter_text,
            &t.agenda_text,
            units,
            &|w| an.stems(w),
        ))
    }

    /// One plain sentence tying the group to interest `i` (`label` as the person wrote it),
    /// from the group's description; the topic's gloss bridges when that sentence does not
    /// show the interest itself.
    fn reason(
        &mut self,
        i: usize,
        label: &str,
        gloss: Option<&str>,
        strong: bool,
        best: &SessionDoc,
        sess: &[&SessionDoc],
    ) -> Result<String> {
        let f = self.features(i, best, sess)?;
        let t = &self.texts[&best.group];
        let (sentence, shows) = if t.charter_text.is_empty() {
            match f.agenda.best {
                Some(b) => (
                    format!("on the agenda at this meeting: {}", t.agenda_text[b]),
                    true,
                ),
                None => (String::new(), false),
            }
        } else {
            // The opening sentence says what the group is for; it is the plainest reason when
            // it holds the interest, else the sentence that holds it most.
            let b = if f.charter.lead {
                0
            } else {
                f.charter.best.unwrap_or(0)
            };
            let shows = strength::shows(&self.evidence[i], &t.charter[b]);
            (text::clause(&t.charter_text[b]), shows)
        };
        let head = if strong {
            text::label(label)
        } else {
            format!("Possibly related to {label}")
        };
        let head = match gloss.filter(|_| !shows) {
            Some(g) => format!("{head} ({g})"),
            None => head,
        };
        Ok(if sentence.is_empty() {
            format!("{head}.")
        } else {
            let end = if sentence.ends_with(['.', '?', '!', '…']) {
                ""
            } else {
                "."
            };
            format!("{head}: {sentence}{end}")
        })
    }

    fn features(
        &mut self,
        interest: usize,
        best: &SessionDoc,
        sess: &[&SessionDoc],
    ) -> Result<strength::Features> {
        self.text(best, sess)?;
        Ok(strength::features(
            &self.texts[&best.group],
            &self.evidence[interest],
        ))
    }

    fn strength(
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

/// Refuses filters that cannot match anything at the meeting because the name or the day does
/// not exist there (a typo, another meeting's day), with the valid values in the message.
/// A real area, group or day that merely leaves nothing is not an error.
pub fn check_filters(idx: &SearchIndex, q: &RecommendQuery) -> Result<()> {
    let meeting = idx.meeting(q.meeting)?.clone();
    let searcher = idx.reader.searcher();
    let sessions = load_sessions(&searcher, &idx.fields, meeting.number)?;
    // A name that does not exist at this meeting is a typo, not an empty filter: say what exists.
    let check = |kind: &str, given: &[String], known: std::collections::BTreeSet<String>| {
        for name in given {
            let name = name.trim().to_lowercase();
            if !known.contains(&name) {
                let list = known.iter().cloned().collect::<Vec<_>>().join(", ");
                return Err(Error::input(format!(
                    "unknown {kind} {name:?} at IETF {}; its {kind}s are: {list}",
                    meeting.number
                )));
            }
        }
        Ok(())
    };
    check(
        "area",
        &q.areas,
        sessions.iter().filter_map(|s| s.area.clone()).collect(),
    )?;
    check(
        "group",
        &q.exclude_groups,
        sessions.iter().map(|s| s.group.clone()).collect(),
    )?;
    let tz: chrono_tz::Tz = meeting.timezone.parse().unwrap_or(chrono_tz::UTC);
    let days: std::collections::BTreeSet<NaiveDate> = sessions
        .iter()
        .map(|s| tz.from_utc_datetime(&s.start.naive_utc()).date_naive())
        .collect();
    if let (Some(first), Some(last)) = (days.first(), days.last()) {
        for d in &q.days {
            if d < first || d > last {
                let shown: Vec<String> = days
                    .iter()
                    .map(|d| d.format("%Y-%m-%d (%a)").to_string())
                    .collect();
                return Err(Error::input(format!(
                    "{d} is not a day of IETF {}; its days are: {}",
                    meeting.number,
                    shown.join(", ")
                )));
            }
        }
    }
    Ok(())
}

/// Round-robin over interests; within a round, the summed share decides.
fn combine<'a>(shares: &[HashMap<&'a str, f32>], top: usize) -> Vec<(&'a str, f32)> {
    let mut sum: HashMap<&str, f32> = HashMap::new();
    for s in shares {
        for (g, v) in s {
            *sum.entry(g).or_insert(0.0) += v;
        }
    }
    let lists: Vec<Vec<&str>> = shares
        .iter()
        .map(|s| {
            let mut v: Vec<(&str, f32)> = s.iter().map(|(g, v)| (*g, *v)).collect();
            // Ties broken by the summed share, then by acronym so the output is deterministic.
            v.sort_by(|a, b| {
                b.1.total_cmp(&a.1)
                    .then(sum[b.0].total_cmp(&sum[a.0]))
                    .then(a.0.cmp(b.0))
            });
            v.into_iter().map(|(g, _)| g).collect()
        })
        .collect();
    let mut taken: HashSet<&str> = HashSet::new();
    let mut out = Vec::new();
    let mut cursors = vec![0usize; lists.len()];
    while out.len() < top {
        let mut round: Vec<&str> = Vec::new();
        for (i, list) in lists.iter().enumerate() {
            while cursors[i] < list.len() && taken.contains(list[cursors[i]]) {
                cursors[i] += 1;
            }
            if let Some(g) = list.get(cursors[i]) {
                taken.insert(g);
                round.push(g);
                cursors[i] += 1;
            }
        }
        if round.is_empty() {
            break;
        }
        round.sort_by(|a, b| sum[b].total_cmp(&sum[a]).then(a.cmp(b)));
        for g in round {
            if out.len() < top {
                out.push((g, sum[g]));
            }
        }
    }
    out
}

/// Trims the interests and refuses the unusable ones with a message that says why.
pub fn validate_interests(raw: &[String]) -> Result<Vec<String>> {
    if raw.is_empty() {
        return Err(Error::input("give at least one --interest"));
    }
    if raw.len() > MAX_INTERESTS {
        return Err(Error::input(format!(
            "too many interests ({}; at most {MAX_INTERESTS})",
            raw.len()
        )));
    }
    let mut out: Vec<String> = Vec::new();
    for (i, s) in raw.iter().enumerate() {
        let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
        let n = t.chars().count();
        if t.is_empty() {
            return Err(Error::input(format!("interest #{} is empty", i + 1)));
        }
        if n > MAX_INTEREST_CHARS {
            return Err(Error::input(format!(
                "interest #{} is too long ({n} characters; at most {MAX_INTEREST_CHARS}): state it in a few words",
                i + 1
            )));
        }
        if !t.chars().any(char::is_alphanumeric) {
            return Err(Error::input(format!(
                "interest #{} ({t:?}) has no words to search for",
                i + 1
            )));
        }
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&t)) {
            out.push(t);
        }
    }
    Ok(out)
}

/// One thing searched for an interest: the person's phrase, one of their words, or a
/// vocabulary term.
#[derive(Debug, Clone)]
struct Unit {
    /// As shown in `matched_terms`.
    label: String,
    /// Lower-cased words, unstemmed (for the exact acronym field).
    raw: Vec<String>,
    /// Stemmed words (for prose fields).
    stems: Vec<String>,
    weight: f32,
    /// Weak evidence (a related word, or a person's word that a matched topic explains): it
    /// only counts for a session that something strong matched too.
    weak: bool,
    /// A word of a longer interest that no topic explains or names: subject to the
    /// document-frequency cut, and the last resort when nothing strong matched.
    own_word: bool,
    /// The start of the word as written, when the stemmer cut so much that the stem alone
    /// would match other words ("accessibility" -> "access"): a session must contain it.
    surface: Option<String>,
    /// Where the unit comes from; strength counts only the person's phrase or single word
    /// and the matched topics' own terms.
    kind: UnitKind,
}

/// Where a unit comes from (the strongest role wins when two coincide).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum UnitKind {
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
const STEM_CUT: usize = 4;
/// Letters past the stem a session's text must show for such a word.
const SURFACE_EXTRA: usize = 3;

/// `Some(prefix)` when `word` lost [`STEM_CUT`] or more letters to the stemmer.
fn surface_of(word: &str, stem: &str) -> Option<String> {
    let (wn, sn) = (word.chars().count(), stem.chars().count());
    (word.starts_with(stem) && wn >= sn + STEM_CUT)
        .then(|| word.chars().take(sn + SURFACE_EXTRA).collect())
}

struct Analyzers {
    stem: TextAnalyzer,
    raw: TextAnalyzer,
}

impl Analyzers {
    fn new(idx: &SearchIndex) -> Result<Self> {
        let tm = idx.index.tokenizers();
        let get = |name: &str| {
            tm.get(name)
                .ok_or_else(|| Error::parse("index", format!("tokenizer {name} is missing")))
        };
        Ok(Self {
            stem: get(crate::index::PROSE_TOKENIZER)?,
            raw: get("default")?,
        })
    }

    /// The same analyzers from tantivy's default set, without an index (for tests).
    #[cfg(test)]
    fn standalone() -> Self {
        let tm = tantivy::tokenizer::TokenizerManager::default();
        Self {
            stem: tm.get(crate::index::PROSE_TOKENIZER).unwrap(),
            raw: tm.get("default").unwrap(),
        }
    }

    fn words(an: &TextAnalyzer, text: &str) -> Vec<String> {
        let mut an = an.clone();
        let mut ts = an.token_stream(text);
        let mut out = Vec::new();
        while ts.advance() {
            out.push(ts.token().text.clone());
        }
        out
    }

    fn raw_words(&self, text: &str) -> Vec<String> {
        Self::words(&self.raw, text)
    }

    fn stems(&self, text: &str) -> Vec<String> {
        Self::words(&self.stem, text)
    }
}

/// Function words that say nothing about a topic when searched alone.
const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "how", "i", "in", "into", "is",
    "it", "its", "my", "of", "on", "or", "our", "that", "the", "their", "this", "to", "we", "what",
    "with", "about", "issues", "issue", "related", "topics", "topic",
];

fn interest_units(an: &Analyzers, vocab: &Vocabulary, interest: &str, w: &Weights) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    let add = |label: &str,
               weight: f32,
               weak: bool,
               own_word: bool,
               kind: UnitKind,
               units: &mut Vec<Unit>| {
        let raw = an.raw_words(label);
        let stems = an.stems(label);
        if stems.is_empty() || stems.len() != raw.len() {
            return;
        }
        match units.iter_mut().find(|u| u.stems == stems) {
            Some(u) => {
                // The strongest role wins: a word that is also a topic term is not weak.
                if weight > u.weight {
                    u.weight = weight;
                }
                u.weak &= weak;
                u.own_word &= own_word;
                u.kind = u.kind.min(kind);
            }
            None => units.push(Unit {
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
            }),
        }
    };
    // A single letter ("e" of "e-voting") says nothing; digits ("5" of "5 g") are kept whole
    // in the phrase.
    let words: Vec<String> = an
        .raw_words(interest)
        .into_iter()
        .filter(|w| w.chars().count() > 1)
        .collect();
    let (topics, covered) = matching_topics(an, vocab, interest);
    let all = an.raw_words(interest);
    if all.len() > 1 {
        add(
            &all.join(" "),
            w.own_phrase,
            false,
            false,
            UnitKind::Own,
            &mut units,
        );
    }
    if words.len() == 1 && all.len() == 1 {
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
    for (i, word) in all.iter().enumerate().filter(|_| all.len() > 1) {
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
        for term in &t.terms {
            add(term, w.term, false, false, UnitKind::Term, &mut units);
        }
        for term in &t.related {
            add(term, w.related, true, false, UnitKind::Related, &mut units);
        }
        for sub in t.include.iter().filter_map(|n| vocab.get(n)) {
            for term in &sub.terms {
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

/// Whether a single word is the name or an alias of a vocabulary topic ("dns", "iot").
fn names_topic(an: &Analyzers, vocab: &Vocabulary, word: &str) -> bool {
    let stem = an.stems(word);
    let head: String = word.chars().take(3).collect();
    vocab.topics.iter().any(|t| {
        std::iter::once(&t.name)
            .chain(t.aliases.iter())
            .filter(|p| !p.contains(' ') && p.starts_with(&head))
            // "accessibility" stems to "access" but does not name the same thing.
            .any(|p| {
                let ps = an.stems(p);
                ps == stem && ps.first().is_none_or(|s| surface_of(p, s).is_none())
            })
    })
}

/// Topics whose name or an alias occurs in the interest (stemmed, as whole words). A match
/// inside a longer match of another topic is dropped ("dns" inside "encrypted dns").
fn matching_topics<'v>(
    an: &Analyzers,
    vocab: &'v Vocabulary,
    interest: &str,
) -> (Vec<&'v vocab::Topic>, Vec<bool>) {
    let words = an.stems(interest);
    let lower = interest.to_lowercase();
    // Stemming every alias is the slow part; a stem keeps its word's first letters, so an alias
    // with a word whose first three letters are not in the interest cannot match.
    let may_match = |phrase: &str| {
        phrase
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .all(|w| {
                let head: String = w.chars().take(3).collect();
                lower.contains(&head)
            })
    };
    let mut found: Vec<(usize, usize, usize)> = Vec::new(); // (topic, start, len)
    for (ti, t) in vocab.topics.iter().enumerate() {
        let mut best: Option<(usize, usize)> = None;
        for phrase in std::iter::once(&t.name).chain(t.aliases.iter()) {
            if !may_match(phrase) {
                continue;
            }
            let p = an.stems(phrase);
            if p.is_empty() || p.len() > words.len() {
                continue;
            }
            if let Some(start) =
                (0..=words.len() - p.len()).find(|&s| words[s..s + p.len()] == p[..])
                && best.is_none_or(|(_, l)| p.len() > l)
            {
                best = Some((start, p.len()));
            }
        }
        if let Some((s, l)) = best {
            found.push((ti, s, l));
        }
    }
    let contained = |a: &(usize, usize, usize), b: &(usize, usize, usize)| {
        b.2 > a.2 && b.1 <= a.1 && a.1 + a.2 <= b.1 + b.2
    };
    let kept: Vec<&(usize, usize, usize)> = found
        .iter()
        .filter(|a| !found.iter().any(|b| contained(a, b)))
        .collect();
    let mut covered = vec![false; words.len()];
    for (_, start, len) in &kept {
        covered[*start..start + len]
            .iter_mut()
            .for_each(|c| *c = true);
    }
    (kept.iter().map(|a| &vocab.topics[a.0]).collect(), covered)
}

/// The prose fields `search` parses the query over, with their boosts.
fn prose_fields(f: &Fields, w: &Weights) -> [(Field, f32); 5] {
    [
        (f.group_name, w.group_name),
        (f.session_name, w.session_name),
        (f.agenda, w.agenda),
        (f.charter, w.charter),
        (f.note, w.note),
    ]
}

/// A clause matching `acronym` exactly (acronyms are stored as whole lower-case terms).
fn acronym_clause(f: &Fields, acronym: &str, w: &Weights) -> (Occur, Box<dyn Query>) {
    let term = TermQuery::new(
        Term::from_field_text(f.acronym, acronym),
        IndexRecordOption::Basic,
    );
    (
        Occur::Should,
        Box::new(BoostQuery::new(Box::new(term), w.acronym)),
    )
}

/// One unit as a query over every searchable field, each with its boost.
fn unit_query(f: &Fields, u: &Unit, w: &Weights) -> Box<dyn Query> {
    let mut clauses = vec![acronym_clause(f, &u.raw.join("-"), w)];
    let area = [(f.area_name, w.area_name)];
    for (field, boost) in prose_fields(f, w).into_iter().chain(area) {
        let q: Box<dyn Query> = if u.stems.len() == 1 {
            Box::new(TermQuery::new(
                Term::from_field_text(field, &u.stems[0]),
                IndexRecordOption::WithFreqs,
            ))
        } else {
            Box::new(PhraseQuery::new(
                u.stems
                    .iter()
                    .map(|s| Term::from_field_text(field, s))
                    .collect(),
            ))
        };
        clauses.push((Occur::Should, Box::new(BoostQuery::new(q, boost))));
    }
    Box::new(BooleanQuery::new(clauses))
}

#[derive(Debug, Default)]
struct Hit {
    score: f32,
    /// (unit index, weighted contribution).
    units: Vec<(usize, f32)>,
}

fn score_units(
    searcher: &Searcher,
    f: &Fields,
    units: &[Unit],
    w: &Weights,
    eligible: &HashMap<DocAddress, &SessionDoc>,
    texts: &mut HashMap<DocAddress, String>,
) -> Result<HashMap<DocAddress, Hit>> {
    let mut hits: HashMap<DocAddress, Hit> = HashMap::new();
    let limit = (searcher.num_docs() as usize).max(1);
    for (i, u) in units.iter().enumerate() {
        let q = unit_query(f, u, w);
        let top = searcher.search(&q, &TopDocs::with_limit(limit).order_by_score())?;
        for (score, addr) in top {
            let Some(s) = eligible.get(&addr) else {
                continue;
            };
            if let Some(prefix) = &u.surface
                && u.raw.first().is_none_or(|r| s.group != *r)
            {
                let text = match texts.entry(addr) {
                    std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(session_text(searcher, f, addr)?)
                    }
                };
                if !text.contains(prefix.as_str()) {
                    continue;
                }
            }
            let prior = if s.is_group_session() {
                1.0
            } else {
                w.non_group
            };
            let c = score * u.weight * prior;
            let h = hits.entry(addr).or_default();
            h.score += c;
            h.units.push((i, c));
        }
    }
    // Weak evidence alone (a related word, a word a topic explains) is not a match, unless
    // nothing strong matched anywhere: then the person's own words are all there is.
    let strong = |h: &Hit| h.units.iter().any(|(i, _)| !units[*i].weak);
    let own = |h: &Hit| h.units.iter().any(|(i, _)| units[*i].own_word);
    if hits.values().any(strong) {
        hits.retain(|_, h| strong(h));
    } else {
        hits.retain(|_, h| own(h));
    }
    Ok(hits)
}

/// A unit's label as the group's text has it: a single word the text shows only in another
/// form of the same stem ("labeling" found as "label") is shown as written there.
fn shown_label(
    searcher: &Searcher,
    f: &Fields,
    an: &Analyzers,
    u: &Unit,
    sess: &[&SessionDoc],
    texts: &mut HashMap<DocAddress, String>,
) -> Result<String> {
    if u.raw.len() != 1 || sess.iter().any(|s| s.group == u.raw[0]) {
        return Ok(u.label.clone());
    }
    let word = &u.raw[0];
    for s in sess {
        if let std::collections::hash_map::Entry::Vacant(e) = texts.entry(s.addr) {
            e.insert(session_text(searcher, f, s.addr)?);
        }
    }
    let has_word = |t: &str| {
        t.match_indices(word.as_str()).any(|(i, m)| {
            let before = t[..i].chars().next_back();
            let after = t[i + m.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    };
    if sess.iter().any(|s| has_word(&texts[&s.addr])) {
        return Ok(u.label.clone());
    }
    // Stemming every word of an agenda is slow; a word of the same stem shares its start.
    let head: String = u.stems[0].chars().take(3).collect();
    for s in sess {
        for w in an.raw_words(&texts[&s.addr]) {
            if w.starts_with(&head) && an.stems(&w) == u.stems {
                return Ok(w);
            }
        }
    }
    Ok(u.label.clone())
}

/// The searchable prose of a session in lower case, for checking a word's written form.
fn session_text(searcher: &Searcher, f: &Fields, addr: DocAddress) -> Result<String> {
    let d: TantivyDocument = searcher.doc(addr)?;
    let mut out = String::new();
    for field in [f.group_name, f.session_name, f.agenda, f.charter, f.note] {
        if let Some(t) = text_of(&d, field) {
            out.push_str(&t.to_lowercase());
            out.push(' ');
        }
    }
    Ok(out)
}

/// Share of the index's sessions whose prose contains the stems (a phrase when several): a word most charters and
/// agendas use ("area", "service", "protocol") tells sessions apart poorly.
/// Sessions a word must be found in before strength calls it generic: on a small index every
/// word is in a large share of a handful of sessions.
const GENERIC_MIN_SESSIONS: f32 = 10.0;

/// [`doc_fraction`], but 0 when the word is in fewer than [`GENERIC_MIN_SESSIONS`] sessions.
fn generic_fraction(searcher: &Searcher, f: &Fields, stems: &[String]) -> Result<f32> {
    let share = doc_fraction(searcher, f, stems)?;
    let n = share * searcher.num_docs() as f32;
    Ok(if n < GENERIC_MIN_SESSIONS { 0.0 } else { share })
}

fn doc_fraction(searcher: &Searcher, f: &Fields, stems: &[String]) -> Result<f32> {
    let clauses: Vec<(Occur, Box<dyn Query>)> = [
        f.group_name,
        f.session_name,
        f.agenda,
        f.charter,
        f.note,
        f.area_name,
    ]
    .into_iter()
    .map(|field| {
        let q: Box<dyn Query> = if stems.len() == 1 {
            Box::new(TermQuery::new(
                Term::from_field_text(field, &stems[0]),
                IndexRecordOption::Basic,
            ))
        } else {
            Box::new(PhraseQuery::new(
                stems
                    .iter()
                    .map(|s| Term::from_field_text(field, s))
                    .collect(),
            ))
        };
        (Occur::Should, q)
    })
    .collect();
    if stems.is_empty() {
        return Ok(0.0);
    }
    let n = searcher.search(&BooleanQuery::new(clauses), &tantivy::collector::Count)?;
    Ok(n as f32 / (searcher.num_docs().max(1) as f32))
}

/// Acronyms of the groups with at least one session at `meeting` that is not cancelled.
pub fn meeting_groups(
    idx: &SearchIndex,
    meeting: u32,
) -> Result<std::collections::BTreeSet<String>> {
    let searcher = idx.reader.searcher();
    Ok(load_sessions(&searcher, &idx.fields, meeting)?
        .into_iter()
        .filter(|s| !s.status.is_cancelled())
        .map(|s| s.group)
        .collect())
}

/// What ranking needs of a session document (its long texts are read only for excerpts).
#[derive(Debug, Clone)]
struct SessionDoc {
    addr: DocAddress,
    key: String,
    group: String,
    group_name: String,
    area: Option<String>,
    group_type: String,
    is_bof: bool,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    room: Option<String>,
    status: SessionStatus,
}

impl SessionDoc {
    /// Working groups, research groups, BoFs and their kin, as opposed to plenaries, breaks
    /// and side events, which have no charter to match and should rarely win.
    fn is_group_session(&self) -> bool {
        self.is_bof
            || matches!(
                self.group_type.as_str(),
                "wg" | "rg" | "ag" | "rag" | "bof" | "program" | "team" | "dir" | "iab" | "area"
            )
    }

    fn session_ref(&self) -> SessionRef {
        SessionRef {
            id: self.key.clone(),
            start: self.start,
            end: self.end,
            room: self.room.clone(),
            status: self.status.clone(),
        }
    }
}

fn text_of(d: &TantivyDocument, f: Field) -> Option<&str> {
    d.get_first(f).and_then(|v| v.as_str())
}

fn load_sessions(searcher: &Searcher, f: &Fields, meeting: u32) -> Result<Vec<SessionDoc>> {
    let q = TermQuery::new(
        Term::from_field_u64(f.meeting, u64::from(meeting)),
        IndexRecordOption::Basic,
    );
    let mut addrs: Vec<DocAddress> = searcher.search(&q, &DocSetCollector)?.into_iter().collect();
    addrs.sort();
    let mut out = Vec::with_capacity(addrs.len());
    for addr in addrs {
        let d: TantivyDocument = searcher.doc(addr)?;
        let time = |field| {
            d.get_first(field)
                .and_then(|v| v.as_i64())
                .and_then(|t| Utc.timestamp_opt(t, 0).single())
                .unwrap_or_default()
        };
        out.push(SessionDoc {
            addr,
            key: text_of(&d, f.key).unwrap_or_default().to_string(),
            group: text_of(&d, f.acronym).unwrap_or_default().to_string(),
            group_name: text_of(&d, f.group_name).unwrap_or_default().to_string(),
            area: text_of(&d, f.area).map(str::to_string),
            group_type: text_of(&d, f.group_type).unwrap_or_default().to_string(),
            is_bof: d.get_first(f.is_bof).and_then(|v| v.as_u64()) == Some(1),
            start: time(f.start),
            end: time(f.end),
            room: text_of(&d, f.room).map(str::to_string),
            status: SessionStatus::from_slug(text_of(&d, f.status).unwrap_or_default()),
        });
    }
    Ok(out)
}

const OPERATORS: [&str; 3] = ["AND", "OR", "NOT"];

/// The search text without operators that join nothing (`AND` alone, `OR OR`, a trailing
/// `NOT`); refused when nothing is left to look for (`NOT privacy`, `*`, `-dns`): a search
/// must say what it wants, not only what it does not.
fn positive_query(text: &str) -> Result<String> {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let is_op = |t: &str| OPERATORS.contains(&t);
    let mut kept: Vec<&str> = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if is_op(t) {
            let prev_ok = kept.last().is_some_and(|p| !is_op(p));
            let next = tokens[i + 1..].iter().find(|n| !is_op(n));
            // `a AND NOT b` is fine; an operator with no word after it, or a binary one with
            // no word before it, is dropped.
            let keep = next.is_some() && (*t == "NOT" || prev_ok);
            if keep {
                kept.push(t);
            }
            continue;
        }
        kept.push(t);
    }
    let mut positive = false;
    for (i, t) in kept.iter().enumerate() {
        let negated = t.starts_with('-') || (i > 0 && kept[i - 1] == "NOT");
        if !is_op(t) && !negated && t.chars().any(char::is_alphanumeric) {
            positive = true;
        }
    }
    if !positive {
        return Err(Error::input(format!(
            "the search {text:?} has no word to look for (operators, `*`, and words after NOT \
             or `-` only exclude); add a word, e.g. \"dns NOT dnssd\""
        )));
    }
    Ok(kept.join(" "))
}

/// Free-text search for participants: phrases (`"..."`) and `AND`/`OR`/`NOT` work; syntax the
/// parser cannot read is dropped rather than refused. Results come grouped like recommendations.
pub fn search(
    idx: &SearchIndex,
    text: &str,
    meeting: Option<u32>,
    top: usize,
) -> Result<Recommendations> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::input("the search text is empty"));
    }
    if text.chars().count() > 1000 {
        return Err(Error::input(
            "the search text is too long (at most 1000 characters)",
        ));
    }
    if top == 0 {
        return Err(Error::input("--top must be at least 1"));
    }
    let text = &positive_query(text)?;
    let meeting = idx.meeting(meeting)?.clone();
    let f = idx.fields;
    let w = WEIGHTS;
    let prose = prose_fields(&f, &w);
    let mut parser = QueryParser::for_index(&idx.index, prose.iter().map(|p| p.0).collect());
    for (field, boost) in prose {
        parser.set_field_boost(field, boost);
    }
    let (parsed, errors) = parser.parse_query_lenient(text);
    if !errors.is_empty() {
        tracing::info!("search: ignored unreadable parts of the query: {errors:?}");
    }
    // Acronyms are exact lower-case terms; a bare word may name a group.
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, parsed)];
    let an = Analyzers::new(idx)?;
    let mut after_not = false;
    for word in text.split_whitespace() {
        let negated = std::mem::replace(&mut after_not, word == "NOT");
        if OPERATORS.contains(&word) || word.starts_with('-') || negated {
            continue;
        }
        let wd: String = word
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        if !wd.is_empty() {
            clauses.push(acronym_clause(&f, &wd, &w));
        }
    }
    let query = BooleanQuery::new(clauses);
    let searcher = idx.reader.searcher();
    let sessions = load_sessions(&searcher, &f, meeting.number)?;
    let by_addr: HashMap<DocAddress, &SessionDoc> = sessions
        .iter()
        .filter(|s| !s.status.is_cancelled())
        .map(|s| (s.addr, s))
        .collect();
    let limit = (searcher.num_docs() as usize).max(1);
    let top_docs = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
    let mut groups: Vec<(&str, f32, &SessionDoc)> = Vec::new();
    for (score, addr) in top_docs {
        let Some(s) = by_addr.get(&addr) else {
            continue;
        };
        let score = if s.is_group_session() {
            score
        } else {
            score * w.non_group
        };
        match groups.iter_mut().find(|g| g.0 == s.group) {
            Some(g) if g.1 < score => {
                g.1 = score;
                g.2 = s;
            }
            Some(_) => {}
            None => groups.push((&s.group, score, s)),
        }
    }
    groups.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    groups.truncate(top);
    // Terms of the query, for the reasons and the excerpt.
    let mut terms: Vec<Term> = Vec::new();
    query.query_terms(&mut |t, _| {
        if !terms.contains(t) {
            terms.push(t.clone());
        }
    });
    // Reasons show the person's words, not their stems ("routing", not "rout").
    let mut shown: HashMap<String, String> = HashMap::new();
    for word in an.raw_words(text) {
        for st in an.stems(&word) {
            shown.entry(st).or_insert_with(|| word.clone());
        }
    }
    let mut weights: BTreeMap<String, f32> = BTreeMap::new();
    let mut term_docs: Vec<(String, HashSet<DocAddress>)> = Vec::new();
    for t in &terms {
        let value = t.value();
        let Some(s) = value.as_str() else { continue };
        weights.insert(s.to_string(), 1.0);
        let s = shown.get(s).map_or(s, String::as_str);
        let docs = searcher.search(
            &TermQuery::new(t.clone(), IndexRecordOption::Basic),
            &DocSetCollector,
        )?;
        match term_docs.iter_mut().find(|(x, _)| x == s) {
            Some((_, d)) => d.extend(docs),
            None => term_docs.push((s.to_string(), docs)),
        }
    }
    let max = groups.first().map_or(1.0, |g| g.1.max(f32::MIN_POSITIVE));
    let mut judge = StrengthJudge::for_search(&searcher, &f, &an, text, &w);
    let units: Vec<Vec<String>> = weights.keys().map(|k| vec![k.clone()]).collect();
    let mut results = Vec::new();
    for (rank, (group, score, best)) in groups.into_iter().enumerate() {
        let mut sess: Vec<&SessionDoc> = sessions
            .iter()
            .filter(|s| s.group == group && !s.status.is_cancelled())
            .collect();
        sess.sort_by_key(|s| (s.start, s.key.clone()));
        let matched_terms = term_docs
            .iter()
            .filter(|(_, d)| sess.iter().any(|s| d.contains(&s.addr)))
            .map(|(t, _)| t.clone())
            .take(MAX_MATCHED_TERMS)
            .collect();
        let strength = judge.strength(0, best, &sess)?;
        results.push(Recommendation {
            rank: rank + 1,
            group: best.group.clone(),
            group_name: best.group_name.clone(),
            area: best.area.clone(),
            is_bof: best.is_bof,
            sessions: sess.iter().map(|s| s.session_ref()).collect(),
            score: (score / max * 1000.0).round() / 1000.0,
            matched_interests: vec![text.to_string()],
            matched_terms,
            excerpt: judge.excerpt(best, &sess, &units)?,
            strength,
            strong_interests: Vec::new(),
            reason: judge.reason(0, text, None, strength.is_strong(), best, &sess)?,
        });
    }
    for r in &mut results {
        if r.strength.is_strong() {
            r.strong_interests = vec![text.to_string()];
        }
    }
    results.sort_by_key(|r| r.strength);
    for (i, r) in results.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    let no_strong: Vec<String> = if results.iter().any(|r| r.strength.is_strong()) {
        Vec::new()
    } else {
        vec![text.to_string()]
    };
    let notes = no_strong
        .iter()
        .map(|i| no_strong_note(i, meeting.number, !results.is_empty()))
        .collect();
    Ok(Recommendations {
        meeting: meeting.number,
        interests: vec![text.to_string()],
        results,
        no_strong_match: no_strong,
        notes,
        suggestions: Vec::new(),
        timezone: meeting.timezone,
        warnings: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interests_are_validated() {
        let v =
            |s: &[&str]| validate_interests(&s.iter().map(|x| x.to_string()).collect::<Vec<_>>());
        assert!(v(&[]).is_err());
        assert!(v(&["  "]).is_err());
        assert!(v(&["\"():*"]).is_err());
        assert!(v(&[&"x".repeat(10_000)]).is_err());
        assert_eq!(
            v(&["  routing   security "]).unwrap(),
            vec!["routing security"]
        );
        assert_eq!(v(&["DNS", "dns"]).unwrap(), vec!["DNS"]);
    }

    #[test]
    fn interests_expand_through_the_longest_matching_topic() {
        let an = Analyzers::standalone();
        let v = Vocabulary::builtin().unwrap();
        let (topics, covered) = matching_topics(&an, &v, "Encrypted DNS");
        let names: Vec<&str> = topics.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, vec!["encrypted dns"]);
        assert_eq!(covered, vec![true, true]);

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
            surface_of("accessibility", "access").as_deref(),
            Some("accessibi")
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
    fn search_text_needs_a_positive_word() {
        assert_eq!(positive_query("privacy AND").unwrap(), "privacy");
        assert_eq!(positive_query("AND OR privacy").unwrap(), "privacy");
        assert_eq!(
            positive_query("dns AND NOT dnssd").unwrap(),
            "dns AND NOT dnssd"
        );
        for bad in [
            "NOT privacy",
            "*",
            "AND",
            "OR OR",
            "NOT",
            "-dns",
            "NOT a NOT b",
        ] {
            assert!(positive_query(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rounds_share_the_list_between_interests() {
        let a: HashMap<&str, f32> = [("a1", 1.0), ("a2", 0.9), ("a3", 0.8), ("both", 0.5)].into();
        let b: HashMap<&str, f32> = [("b1", 1.0), ("both", 0.9)].into();
        let out: Vec<&str> = combine(&[a, b], 5).into_iter().map(|x| x.0).collect();
        // Round 1: a1 (1.0) and b1 (1.0); round 2: a2 and both (1.4, first); then a3.
        assert_eq!(out, vec!["a1", "b1", "both", "a2", "a3"]);
    }
}
