//! Recommending: the ranking proper, from scored sessions to an ordered, explained list.

use super::digest::{self, Prepared};
use super::judge::{StrengthJudge, interest_evidence};
use super::score::{
    ByAddr, ByName, Corpus, Hit, doc_fraction, is_group, keep_matches, score_units, shown_label,
};
use super::units::{
    Analyzers, STOPWORDS, Unit, UnitKind, asked_about, interest_units, matching_topics,
};
use super::{MAX_MATCHED_TERMS, RecommendQuery, Vocabulary, Weights, suggest, validate_interests};
use crate::index::{Fields, SearchIndex};
use crate::index::{SessionDoc, text_of};
use crate::model::{Recommendation, Recommendations, Strength};
use crate::{Error, Result};
use chrono::TimeZone;
use std::collections::{BTreeMap, HashMap, HashSet};
use tantivy::{Searcher, TantivyDocument};

/// The ranking (see the module doc of `rank`), and with `not_held` beside it the groups it
/// leaves out that would rank were their cancelled sessions held (ranked with those counted;
/// `None` when there are none). Plans list those sessions as not held instead of losing them.
/// The interests are prepared and the sessions scored once for both.
pub(super) fn rank_sessions(
    idx: &SearchIndex,
    q: &RecommendQuery,
    vocab: &Vocabulary,
    w: &Weights,
    not_held: bool,
) -> Result<(Recommendations, Option<Recommendations>)> {
    let interests = validate_interests(&q.interests)?;
    // What each interest asks about, without the question around it: ranked and explained
    // by that, echoed as the person wrote it.
    let asked: Vec<String> = interests
        .iter()
        .map(|i| asked_about(i).to_string())
        .collect();
    if q.top == 0 {
        return Err(Error::input("--top must be at least 1"));
    }
    let meeting = idx.meeting(q.meeting)?.clone();
    let tz: chrono_tz::Tz = meeting.timezone;
    let an = Analyzers::new(idx)?;
    let searcher = idx.reader.searcher();
    let f = idx.fields;
    let digest = idx.digest.as_deref();
    let corpus = Corpus {
        searcher: &searcher,
        f: &f,
        digest,
    };

    let t0 = std::time::Instant::now();
    let sessions = idx.sessions(meeting.number)?;
    tracing::debug!("loaded {} sessions in {:?}", sessions.len(), t0.elapsed());
    // Every session either ranking looks at; the ranking proper only at the held ones.
    let scored = eligible_sessions(&sessions, q, tz, not_held);

    // Per interest: the units searched and each scored session's score and unit hits.
    let mut per_interest = Vec::with_capacity(interests.len());
    let mut texts: ByAddr<String> = ByAddr::default();
    // What the digest prepared for interests that name a topic.
    let mut prepared: Vec<Option<Prepared>> = asked
        .iter()
        .map(|i| digest::prepared(digest, vocab, w, i))
        .collect();
    for (interest, prep) in asked.iter().zip(&prepared) {
        let units = units_for(&corpus, &an, vocab, w, interest, prep.as_ref())?;
        let hits = score_units(&searcher, &f, digest, &units, w, &scored, &mut texts)?;
        per_interest.push((units, hits));
    }
    tracing::debug!("scored interests in {:?}", t0.elapsed());

    // Strength: whether each candidate group's own work is about each interest it matches.
    let mut fractions = HashMap::new();
    let evidence = (0..interests.len())
        .map(|i| match prepared[i].as_mut() {
            Some(p) => std::mem::take(&mut p.evidence),
            None => {
                let units = &per_interest[i].0;
                interest_evidence(&corpus, &an, &asked[i], units, vocab, w, &mut fractions)
            }
        })
        .collect();
    let mut r = Ranking {
        q,
        vocab,
        w,
        interests: &interests,
        asked: &asked,
        prepared: &prepared,
        corpus,
        an: &an,
        judge: StrengthJudge::with_evidence(corpus, &an, evidence, w.strength),
        texts,
        sessions: &sessions,
        meeting: meeting.number,
        timezone: meeting.timezone,
    };
    if !not_held {
        let recs = r.view(&scored, keep_matches_in(per_interest, &scored), None)?;
        return Ok((recs, None));
    }
    let held: ByAddr<&SessionDoc> = scored
        .iter()
        .filter(|(_, s)| !s.status.is_cancelled())
        .map(|(a, s)| (*a, *s))
        .collect();
    let held_hits = per_interest
        .iter()
        .map(|(units, hits)| (units.clone(), hits.clone()))
        .collect();
    let recs = r.view(&held, keep_matches_in(held_hits, &held), None)?;
    let ranked: HashSet<&str> = recs.results.iter().map(|x| x.group.as_str()).collect();
    let left_out: HashSet<&str> = scored
        .values()
        .filter(|s| s.status.is_cancelled() && !ranked.contains(s.group.as_str()))
        .map(|s| s.group.as_str())
        .collect();
    if left_out.is_empty() {
        return Ok((recs, None));
    }
    // The judge knows groups by name; the other ranking's groups had other sessions.
    r.judge.forget_groups();
    let extra = r.view(
        &scored,
        keep_matches_in(per_interest, &scored),
        Some(&left_out),
    )?;
    Ok((recs, Some(extra)))
}

/// Each interest's hits among the sessions of `eligible` that are matches there.
fn keep_matches_in(
    mut per_interest: Vec<(Vec<Unit>, ByAddr<Hit>)>,
    eligible: &ByAddr<&SessionDoc>,
) -> Vec<(Vec<Unit>, ByAddr<Hit>)> {
    for (units, hits) in &mut per_interest {
        hits.retain(|a, _| eligible.contains_key(a));
        keep_matches(hits, units);
    }
    per_interest
}

/// One query's ranking, prepared: what each view of it (the ranking proper, the groups left
/// out for their cancelled sessions) shares.
struct Ranking<'a> {
    q: &'a RecommendQuery,
    vocab: &'a Vocabulary,
    w: &'a Weights,
    interests: &'a [String],
    /// What each interest asks about ([`asked_about`]).
    asked: &'a [String],
    /// The digest's preparation per interest (its evidence already taken by the judge).
    prepared: &'a [Option<Prepared>],
    corpus: Corpus<'a>,
    an: &'a Analyzers,
    judge: StrengthJudge<'a>,
    /// Session texts read for written forms, by address.
    texts: ByAddr<String>,
    sessions: &'a [SessionDoc],
    meeting: u32,
    timezone: chrono_tz::Tz,
}

impl<'a> Ranking<'a> {
    /// The ranked, explained list over the sessions of `eligible` (`per_interest`: each
    /// interest's units and matches among them), only of the groups of `only` when given.
    /// Stays whole: its phases (share out, judge, explain, notes) are calls in order; what is
    /// left is the per-group assembly.
    fn view(
        &mut self,
        eligible: &ByAddr<&'a SessionDoc>,
        per_interest: Vec<(Vec<Unit>, ByAddr<Hit>)>,
        only: Option<&HashSet<&str>>,
    ) -> Result<Recommendations> {
        let (q, w, interests) = (self.q, self.w, self.interests);
        // Group scores per interest: the best eligible session of the group.
        let mut group_sessions: BTreeMap<&str, Vec<&SessionDoc>> = BTreeMap::new();
        for s in eligible.values() {
            group_sessions.entry(&s.group).or_default().push(s);
        }
        let shares = group_shares(&per_interest, eligible, w);
        // Strength is decided for every candidate, not only for those the list would show: a
        // strong group low in the scores still comes before a possible one, and "nothing is
        // mainly about it" is said only when nothing is (an umbrella interest's home groups
        // can score below thirty others).
        let mut order = combine(&shares, usize::MAX);
        if let Some(only) = only {
            // Strong-first is a stable sort, so the kept groups keep their order among
            // themselves.
            order.retain(|(g, _)| only.contains(g));
        }
        let mut strong_for: ByName<&str, Vec<usize>> = ByName::default();
        for (group, _) in &order {
            let mut sess = group_sessions[group].clone();
            sess.sort_by_key(|s| (s.start, s.key.clone()));
            let best = best_session(&sess, &shares, &per_interest, group, w);
            let mut strong = Vec::new();
            for (i, share) in shares.iter().enumerate() {
                if share.get(group).is_some_and(|v| *v >= w.share_floor)
                    && self.judge.strength(i, best, &sess)?.is_strong()
                {
                    strong.push(i);
                }
            }
            strong_for.insert(group, strong);
        }
        // Which interests found nothing strong is a statement about the whole ranking: a
        // lookup of a few groups makes none.
        let no_strong: Vec<String> = (0..interests.len())
            .filter(|_| only.is_none())
            .filter(|i| !strong_for.values().any(|v| v.contains(i)))
            .map(|i| interests[i].clone())
            .collect();
        // Strong results first; the ranking's order holds within each tier.
        order.sort_by_key(|(g, _)| strong_for[g].is_empty());
        order.truncate(q.top);

        let mut results = Vec::with_capacity(order.len());
        // The gloss of an interest's first topic, per interest (the same for every result).
        let mut glosses: HashMap<usize, Option<&str>> = HashMap::new();
        for (rank, (group, score)) in order.into_iter().enumerate() {
            let mut sess = group_sessions[group].clone();
            sess.sort_by_key(|s| (s.start, s.key.clone()));
            let matched: Vec<usize> = (0..interests.len())
                .filter(|&i| shares[i].get(group).is_some_and(|v| *v >= w.share_floor))
                .collect();
            let best = best_session(&sess, &shares, &per_interest, group, w);
            let (matched_terms, units, strong_units, telling) = matched_terms(
                &self.corpus,
                self.an,
                &matched,
                &per_interest,
                &sess,
                &mut self.texts,
            )?;
            let excerpt = self
                .judge
                .excerpt(best, &sess, &[&telling, &strong_units, &units])?;
            let strong_interests: Vec<String> = strong_for[group]
                .iter()
                .map(|&i| interests[i].clone())
                .collect();
            // The reason speaks for the first interest the group is strong for, else the
            // first it matches.
            let main = strong_for[group]
                .first()
                .or(matched.first())
                .copied()
                .unwrap_or(0);
            let gloss = *glosses.entry(main).or_insert_with(|| self.gloss(main));
            let reason = self.judge.reason(
                main,
                &self.asked[main],
                gloss,
                !strong_for[group].is_empty(),
                best,
                &sess,
            )?;
            results.push(Recommendation {
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
                ..group_result(rank, best, &sess, score)
            });
        }
        let (notes, suggestions) = notes_for(
            self.corpus.searcher,
            self.corpus.f,
            self.an,
            self.vocab,
            self.sessions,
            &no_strong,
            &results,
            self.meeting,
        )?;
        Ok(Recommendations {
            meeting: self.meeting,
            interests: interests.to_vec(),
            results,
            no_strong_match: no_strong,
            notes,
            suggestions,
            timezone: self.timezone,
            warnings: Vec::new(),
        })
    }

    /// The gloss of interest `i`'s first topic, when it has one.
    fn gloss(&self, i: usize) -> Option<&'a str> {
        topic_gloss(
            self.an,
            self.vocab,
            &self.asked[i],
            self.prepared[i].as_ref(),
        )
    }
}

/// The gloss of the first topic `asked` names, when it has one (`prep`: what the digest
/// prepared for it).
pub(super) fn topic_gloss<'v>(
    an: &Analyzers,
    vocab: &'v Vocabulary,
    asked: &str,
    prep: Option<&Prepared>,
) -> Option<&'v str> {
    let first = match prep {
        Some(p) => p.first_topic.as_deref().and_then(|n| vocab.get(n)),
        None => matching_topics(an, vocab, asked).topics.first().copied(),
    };
    first.map(|t| t.gloss.as_ref()).filter(|g| !g.is_empty())
}

/// The units searched for the interest `asked`: the digest's when it prepared them (`prep`),
/// else worked out here.
pub(super) fn units_for(
    corpus: &Corpus,
    an: &Analyzers,
    vocab: &Vocabulary,
    w: &Weights,
    asked: &str,
    prep: Option<&Prepared>,
) -> Result<Vec<Unit>> {
    let mut units = match prep {
        Some(p) => p.units.clone(),
        None => interest_units(an, vocab, asked, w),
    };
    // The person's words that most sessions contain ("areas" of "connectivity in rural
    // areas") would fill the list on their own: they count only next to stronger evidence.
    for u in units.iter_mut().filter(|u| u.own_word && !u.weak) {
        if doc_fraction(corpus, &u.stems[..1])? > w.common_word {
            tracing::debug!("common word {:?} counts only next to others", u.label);
            u.weak = true;
        }
    }
    Ok(units)
}

/// A result's fields that come from the group's session rows (`rank` from 0, `score` rounded
/// to three places); the caller adds the matches, strength and reasons.
pub(super) fn group_result(
    rank: usize,
    best: &SessionDoc,
    sess: &[&SessionDoc],
    score: f32,
) -> Recommendation {
    Recommendation {
        rank: rank + 1,
        group: best.group.clone(),
        group_name: best.group_name.clone(),
        area: best.area.clone(),
        is_bof: best.is_bof,
        sessions: sess.iter().map(|s| s.session_ref()).collect(),
        score: (score * 1000.0).round() / 1000.0,
        matched_interests: Vec::new(),
        matched_terms: Vec::new(),
        excerpt: String::new(),
        strength: Strength::Possible,
        strong_interests: Vec::new(),
        reason: String::new(),
    }
}

/// The sessions the query's filters keep (cancelled ones only when asked), by address.
fn eligible_sessions<'s>(
    sessions: &'s [SessionDoc],
    q: &RecommendQuery,
    tz: chrono_tz::Tz,
    with_cancelled: bool,
) -> ByAddr<&'s SessionDoc> {
    let areas: HashSet<String> = q.areas.iter().map(|a| a.trim().to_lowercase()).collect();
    let excluded: HashSet<String> = q
        .exclude_groups
        .iter()
        .map(|g| g.trim().to_lowercase())
        .collect();
    sessions
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
        .collect()
}

/// Per interest, each group's best eligible session score as a share of the interest's best
/// group; groups under the share floor are dropped.
fn group_shares<'s>(
    per_interest: &[(Vec<Unit>, ByAddr<Hit>)],
    eligible: &ByAddr<&'s SessionDoc>,
    w: &Weights,
) -> Vec<ByName<&'s str, f32>> {
    let mut shares: Vec<ByName<&'s str, f32>> = Vec::new();
    for (_, hits) in per_interest {
        let mut g: ByName<&str, f32> = ByName::default();
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
    shares
}

/// Units, each as its stems.
type UnitStems = Vec<Vec<String>>;

/// The group's matched words as its texts write them (heaviest first, at most
/// [`MAX_MATCHED_TERMS`]), and every matched unit's stems for the excerpt, then those of the
/// units that are not weak evidence.
fn matched_terms(
    c: &Corpus,
    an: &Analyzers,
    matched: &[usize],
    per_interest: &[(Vec<Unit>, ByAddr<Hit>)],
    sess: &[&SessionDoc],
    texts: &mut ByAddr<String>,
) -> Result<(Vec<String>, UnitStems, UnitStems, UnitStems)> {
    let mut contributions: Vec<(f32, &Unit)> = Vec::new();
    for &i in matched {
        let (units, hits) = &per_interest[i];
        for s in sess {
            if let Some(h) = hits.get(&s.addr) {
                for (u, c) in &h.units {
                    contributions.push((*c, &units[*u]));
                }
            }
        }
    }
    contributions.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut matched_terms: Vec<String> = Vec::new();
    // The pieces of the hyphenated terms shown: beside "post-quantum", "post" tells a reader
    // nothing more (most lists have none).
    let mut pieces: Vec<String> = Vec::new();
    for (_, u) in &contributions {
        if matched_terms.len() >= MAX_MATCHED_TERMS {
            break;
        }
        let label = shown_label(c, an, u, sess, texts)?;
        if matched_terms.contains(&label) || is_piece(&label, &pieces) {
            continue;
        }
        if label.contains('-') {
            pieces.extend(hyphen_pieces(&label));
        }
        matched_terms.push(label);
    }
    if !pieces.is_empty() {
        matched_terms.retain(|t| !is_piece(t, &pieces));
    }
    let mut units: Vec<Vec<String>> = Vec::new();
    let mut strong: Vec<Vec<String>> = Vec::new();
    // (A group has a handful of contributions: a look along the list costs less than hashing.)
    for (_, u) in &contributions {
        if !units.contains(&u.stems) {
            units.push(u.stems.clone());
        }
    }
    // (A group's acronym is evidence, but a passage chosen for it tells a reader nothing:
    // "as he said in the JOSE working group".)
    let mut telling: Vec<Vec<String>> = Vec::new();
    for (_, u) in contributions.iter().filter(|(_, u)| !u.weak) {
        if !strong.contains(&u.stems) && !matches!(u.raw.as_slice(), [w] if is_group(c, w)) {
            strong.push(u.stems.clone());
            // (One word of a longer interest, "cryptography" of "post-quantum cryptography",
            // is evidence, but a passage that holds only it may be about something else.)
            if u.kind != UnitKind::OwnWord {
                telling.push(u.stems.clone());
            }
        }
    }
    Ok((matched_terms, units, strong, telling))
}

/// The pieces of the hyphenated words of `term`, lower-cased ("Wi-Fi" gives "wi" and "fi").
fn hyphen_pieces(term: &str) -> impl Iterator<Item = String> + '_ {
    term.split_whitespace()
        .filter(|w| w.contains('-'))
        .flat_map(|w| w.split('-'))
        .map(str::to_lowercase)
}

/// Whether `word` is one word and one of `pieces` (see [`hyphen_pieces`]).
fn is_piece(word: &str, pieces: &[String]) -> bool {
    !pieces.is_empty()
        && !word.contains([' ', '-'])
        && pieces.iter().any(|p| p.eq_ignore_ascii_case(word))
}

/// Plain notes for the interests with nothing strong (and the spellings to try instead).
#[allow(clippy::too_many_arguments)]
fn notes_for(
    searcher: &Searcher,
    f: &Fields,
    an: &Analyzers,
    vocab: &Vocabulary,
    sessions: &[SessionDoc],
    no_strong: &[String],
    results: &[Recommendation],
    meeting: u32,
) -> Result<(Vec<String>, Vec<crate::model::Suggestion>)> {
    let mut notes = Vec::new();
    let mut suggestions = Vec::new();
    for i in no_strong {
        let listed = results.iter().any(|r| r.matched_interests.contains(i));
        notes.push(no_strong_note(i, meeting, listed));
        let (mut s, english) = unknown_words(searcher, f, an, vocab, sessions, i)?;
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
                "Interests are matched in English; if {} is in another language, try its \
                 English words.",
                quoted(i)
            ));
        }
        suggestions.append(&mut s);
    }
    Ok((notes, suggestions))
}

/// Words of `interest` that neither the index nor the vocabulary knows, with close spellings
/// from both; `true` when no word of the interest is known and none is a typo of a known word
/// (perhaps another language: interests are matched in English).
/// Stays whole: the two word lists and the check read as one rule.
pub(super) fn unknown_words(
    searcher: &Searcher,
    f: &Fields,
    an: &Analyzers,
    vocab: &Vocabulary,
    sessions: &[SessionDoc],
    interest: &str,
) -> Result<(Vec<crate::model::Suggestion>, bool)> {
    let mut vocab_words: Vec<String> = Vec::new();
    for t in &vocab.topics {
        for p in t.phrasings().chain(t.terms.iter()).chain(t.related.iter()) {
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
        if stems.is_empty()
            || doc_fraction(
                &Corpus {
                    searcher,
                    f,
                    digest: None,
                },
                &stems,
            )? > 0.0
        {
            continue;
        }
        unknown.push(w);
    }
    if unknown.is_empty() {
        return Ok((Vec::new(), false));
    }
    // The index's own words: the meeting's group names and charters, as written.
    let mut index_words: Vec<String> = Vec::new();
    let mut known: HashSet<String> = HashSet::new();
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
                    && known.insert(w.clone())
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
pub(super) fn no_strong_note(interest: &str, meeting: u32, possible: bool) -> String {
    let q = quoted(interest);
    if possible {
        format!(
            "Nothing at IETF {meeting} is mainly about {q}; the matches listed for it are only possibly related."
        )
    } else {
        format!("Nothing at IETF {meeting} matches {q}.")
    }
}

/// An interest in quotation marks, typographic ones when it holds straight ones itself, so a
/// note never shows `""`.
fn quoted(interest: &str) -> String {
    if interest.contains('"') {
        format!("\u{201C}{interest}\u{201D}")
    } else {
        format!("\"{interest}\"")
    }
}

/// The group's session that scores best over the interests it matches: it carries the reasons.
pub(super) fn best_session<'s>(
    sess: &[&'s SessionDoc],
    shares: &[ByName<&str, f32>],
    per_interest: &[(Vec<Unit>, ByAddr<Hit>)],
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

/// Round-robin over interests; within a round, the summed share decides.
pub(super) fn combine<'a>(shares: &[ByName<&'a str, f32>], top: usize) -> Vec<(&'a str, f32)> {
    let mut sum: ByName<&str, f32> = ByName::default();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_share_the_list_between_interests() {
        let a: ByName<&str, f32> = [("a1", 1.0), ("a2", 0.9), ("a3", 0.8), ("both", 0.5)]
            .into_iter()
            .collect();
        let b: ByName<&str, f32> = [("b1", 1.0), ("both", 0.9)].into_iter().collect();
        let out: Vec<&str> = combine(&[a, b], 5).into_iter().map(|x| x.0).collect();
        // Round 1: a1 (1.0) and b1 (1.0); round 2: a2 and both (1.4, first); then a3.
        assert_eq!(out, vec!["a1", "b1", "both", "a2", "a3"]);
    }

    #[test]
    fn a_piece_of_a_hyphenated_term_is_not_shown_beside_it() {
        let pieces: Vec<String> = ["post-quantum", "Wi-Fi", "inter-domain routing"]
            .iter()
            .flat_map(|t| hyphen_pieces(t))
            .collect();
        for piece in ["post", "quantum", "wi", "Fi", "domain"] {
            assert!(is_piece(piece, &pieces), "{piece}");
        }
        // A word of a phrase is a word in its own right; a term is never its own piece.
        for word in ["routing", "post-quantum", "post quantum", "ml"] {
            assert!(!is_piece(word, &pieces), "{word}");
        }
    }
}
