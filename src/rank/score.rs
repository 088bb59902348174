//! Scoring units against the index: one BM25 query per unit over the boosted fields, and
//! how common a word is among the meeting's sessions.

use super::units::{Analyzers, Unit};
use super::{Weights, text};
use crate::Result;
use crate::index::digest::unit_key;
use crate::index::{Digest, Fields};
use crate::index::{SessionDoc, text_of};
use std::collections::HashMap;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocSet, Searcher, TERMINATED, TantivyDocument, Term};

/// The prose fields `search` parses the query over, with their boosts.
pub(super) fn prose_fields(f: &Fields, w: &Weights) -> [(Field, f32); 5] {
    [
        (f.group_name, w.group_name),
        (f.session_name, w.session_name),
        (f.agenda, w.agenda),
        (f.charter, w.charter),
        (f.note, w.note),
    ]
}

/// A clause matching `acronym` exactly (acronyms are stored as whole lower-case terms).
pub(super) fn acronym_clause(f: &Fields, acronym: &str, w: &Weights) -> (Occur, Box<dyn Query>) {
    let term = TermQuery::new(
        Term::from_field_text(f.acronym, acronym),
        IndexRecordOption::Basic,
    );
    (
        Occur::Should,
        Box::new(BoostQuery::new(Box::new(term), w.acronym)),
    )
}

/// One unit as a query over every searchable field, each with its boost; `None` when no field
/// holds it. A field that lacks one of the unit's words can match nothing, so its clause is
/// left out (most vocabulary terms are in few fields of a meeting, many in none); the other
/// clauses score exactly as they would beside it.
pub(super) fn unit_query(
    searcher: &Searcher,
    f: &Fields,
    u: &Unit,
    w: &Weights,
) -> Result<Option<Box<dyn Query>>> {
    let mut clauses = Vec::new();
    let acronym = u.raw.join("-");
    if has_all(
        searcher,
        f.acronym,
        &[Term::from_field_text(f.acronym, &acronym)],
    )? {
        clauses.push(acronym_clause(f, &acronym, w));
    }
    let area = [(f.area_name, w.area_name)];
    for (field, boost) in prose_fields(f, w).into_iter().chain(area) {
        let terms: Vec<Term> = u
            .stems
            .iter()
            .map(|s| Term::from_field_text(field, s))
            .collect();
        if !has_all(searcher, field, &terms)? {
            continue;
        }
        let q: Box<dyn Query> = if let [term] = terms.as_slice() {
            Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs))
        } else {
            Box::new(PhraseQuery::new(terms))
        };
        clauses.push((Occur::Should, Box::new(BoostQuery::new(q, boost))));
    }
    Ok((!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>))
}

#[derive(Debug, Default, Clone)]
pub(super) struct Hit {
    pub(super) score: f32,
    /// (unit index, weighted contribution).
    pub(super) units: Vec<(usize, f32)>,
}

/// The field boosts of `w` in the order the digest records them.
pub(super) fn boosts(w: &Weights) -> Vec<f32> {
    vec![
        w.acronym,
        w.group_name,
        w.session_name,
        w.agenda,
        w.charter,
        w.note,
        w.area_name,
    ]
}

/// Every document the unit's query matches, with its BM25 score, in the search's order.
pub(super) fn unit_hits(
    searcher: &Searcher,
    f: &Fields,
    u: &Unit,
    w: &Weights,
) -> Result<Vec<(DocAddress, f32)>> {
    let Some(q) = unit_query(searcher, f, u, w)? else {
        return Ok(Vec::new());
    };
    let limit = (searcher.num_docs() as usize).max(1);
    let top = searcher.search(&q, &TopDocs::with_limit(limit).order_by_score())?;
    Ok(top.into_iter().map(|(score, addr)| (addr, score)).collect())
}

/// A map keyed by documents' addresses, hashed cheaply: the keys are two small numbers, and
/// no output depends on the order of such a map (ranking reads it by key, or sums and maxima
/// over it).
pub(super) type ByAddr<V> = HashMap<DocAddress, V, Cheap>;

/// A map keyed by short names (group acronyms), hashed cheaply; as for [`ByAddr`], no output
/// depends on its order.
pub(super) type ByName<K, V> = HashMap<K, V, Cheap>;

/// Builds [`CheapHasher`]s.
pub(super) type Cheap = std::hash::BuildHasherDefault<CheapHasher>;

/// The hasher of [`ByAddr`] and [`ByName`] (multiply and rotate, as rustc's own maps do): the
/// keys come from the index, not from a party who could choose colliding ones.
#[derive(Default)]
pub(super) struct CheapHasher(u64);

impl std::hash::Hasher for CheapHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            self.write_u64(u64::from_le_bytes(w.try_into().expect("eight bytes")));
        }
        for b in words.remainder() {
            self.write_u64(u64::from(*b));
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// Each session of `eligible` that a unit finds, with its score and the units' contributions
/// (before [`keep_matches`], which depends on which sessions are looked at together).
pub(super) fn score_units(
    searcher: &Searcher,
    f: &Fields,
    digest: Option<&Digest>,
    units: &[Unit],
    w: &Weights,
    eligible: &ByAddr<&SessionDoc>,
    texts: &mut ByAddr<String>,
) -> Result<ByAddr<Hit>> {
    let mut hits: ByAddr<Hit> = ByAddr::default();
    // The digest's hits hold only for the boosts they were scored with.
    let digest = digest.filter(|d| d.scored_with(&boosts(w)));
    for (i, u) in units.iter().enumerate() {
        // Stored hits say whether the document shows the unit's written form; live ones are
        // read when it matters.
        let (top, stored) = match digest.and_then(|d| d.unit(&unit_key(&u.raw.join("-"), &u.stems)))
        {
            Some(stored) => (stored, true),
            None => {
                let live = unit_hits(searcher, f, u, w)?;
                (live.into_iter().map(|(a, s)| (a, s, true)).collect(), false)
            }
        };
        for (addr, score, written) in top {
            let Some(s) = eligible.get(&addr) else {
                continue;
            };
            if let Some(prefix) = &u.surface
                && u.raw.first().is_none_or(|r| s.group != *r)
            {
                let written = if stored {
                    written
                } else {
                    shows_written(searcher, f, addr, prefix, texts)?
                };
                if !written {
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
    Ok(hits)
}

/// Keeps the hits that are matches among `hits` (one view's sessions): weak evidence alone (a
/// related word, a word a topic explains) is not a match, unless nothing strong matched
/// anywhere: then the person's own words are all there is.
pub(super) fn keep_matches(hits: &mut ByAddr<Hit>, units: &[Unit]) {
    let strong = |h: &Hit| h.units.iter().any(|(i, _)| !units[*i].weak);
    let own = |h: &Hit| h.units.iter().any(|(i, _)| units[*i].own_word);
    if hits.values().any(strong) {
        hits.retain(|_, h| strong(h));
    } else {
        hits.retain(|_, h| own(h));
    }
}

/// Whether a document's prose holds `prefix`, the start of a unit's word as written (see
/// `units::surface_of`); texts read are kept in `texts`.
pub(super) fn shows_written(
    searcher: &Searcher,
    f: &Fields,
    addr: DocAddress,
    prefix: &str,
    texts: &mut ByAddr<String>,
) -> Result<bool> {
    Ok(cached_text(searcher, f, addr, texts)?.contains(prefix))
}

/// A session's text ([`session_text`]), read once into `texts`.
fn cached_text<'t>(
    searcher: &Searcher,
    f: &Fields,
    addr: DocAddress,
    texts: &'t mut ByAddr<String>,
) -> Result<&'t str> {
    Ok(match texts.entry(addr) {
        std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
        std::collections::hash_map::Entry::Vacant(e) => e.insert(session_text(searcher, f, addr)?),
    })
}

/// A unit's label as the group's text has it: a single word the text shows only in another
/// form of the same stem ("labeling" found as "label") is shown as written there.
pub(super) fn shown_label(
    c: &Corpus,
    an: &Analyzers,
    u: &Unit,
    sess: &[&SessionDoc],
    texts: &mut ByAddr<String>,
) -> Result<String> {
    if u.raw.len() != 1 || sess.iter().any(|s| s.group == u.raw[0]) {
        return Ok(u.label.clone());
    }
    let word = &u.raw[0];
    // A word of letters and digits stands whole in a text exactly when it is one of the text's
    // runs of them: the digest keeps each document's (see `text::runs`).
    let runs: Option<Vec<&str>> = c
        .digest
        .filter(|_| !word.is_empty() && word.chars().all(char::is_alphanumeric))
        .and_then(|d| sess.iter().map(|s| d.runs(s.addr)).collect());
    if let Some(runs) = runs {
        if runs.iter().any(|r| text::has_run(r, word)) {
            return Ok(u.label.clone());
        }
        // In no text as written: only another form of the word can be. A session's runs say
        // which forms it has; its text, in what order, is read only when it has two.
        for (s, r) in sess.iter().zip(&runs) {
            match forms_in_runs(an, r, &u.stems).as_slice() {
                [] => {}
                [one] => return Ok(one.clone()),
                _ => {
                    let text = cached_text(c.searcher, c.f, s.addr, texts)?;
                    return Ok(written_form(an, text, &u.stems).unwrap_or_else(|| u.label.clone()));
                }
            }
        }
        return Ok(u.label.clone());
    }
    for s in sess {
        if whole_word_in(cached_text(c.searcher, c.f, s.addr, texts)?, word) {
            return Ok(u.label.clone());
        }
    }
    // The first word of the sessions' texts, in order, that stems as the unit does.
    for s in sess {
        let text = cached_text(c.searcher, c.f, s.addr, texts)?;
        if let Some(w) = written_form(an, text, &u.stems) {
            return Ok(w);
        }
    }
    Ok(u.label.clone())
}

/// Whether `word` stands in `text` between characters that are not letters or digits.
fn whole_word_in(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, m)| {
        let before = text[..i].chars().next_back();
        let after = text[i + m.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The distinct words among a text's runs (see `text::runs`) that [`written_form`] could
/// return for `stems`: the same test, run by run.
fn forms_in_runs(an: &Analyzers, runs: &str, stems: &[String]) -> Vec<String> {
    let Some(head) = stems.first().map(|s| s.chars().take(3).collect::<String>()) else {
        return Vec::new();
    };
    // The runs are sorted: those that start like the stem stand together, from the first.
    let Some(start) = runs
        .match_indices(head.as_str())
        .map(|(i, _)| i)
        .find(|&i| i == 0 || runs.as_bytes()[i - 1] == b' ')
    else {
        return Vec::new();
    };
    let mut forms: Vec<String> = Vec::new();
    for run in runs[start..]
        .split(' ')
        .take_while(|r| r.starts_with(&head))
    {
        for w in an.raw_words(run) {
            if w.starts_with(&head) && an.stems(&w) == stems && !forms.contains(&w) {
                forms.push(w);
            }
        }
    }
    forms
}

/// The first word of `text` (lower case) that stems to `stems`, as written there.
fn written_form(an: &Analyzers, text: &str, stems: &[String]) -> Option<String> {
    // Stemming every word of an agenda is slow; a word of the same stem shares its start. So
    // only the words that start where the text has that start are cut, in the text's order: a
    // word is a run of alphanumeric characters, as the analyzer cuts it.
    let head: String = stems.first()?.chars().take(3).collect();
    for (i, _) in text.match_indices(head.as_str()) {
        if text[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
        {
            continue;
        }
        let end = text[i..]
            .find(|c: char| !c.is_alphanumeric())
            .map_or(text.len(), |e| i + e);
        for w in an.raw_words(&text[i..end]) {
            if w.starts_with(&head) && an.stems(&w) == stems {
                return Some(w);
            }
        }
    }
    None
}

/// The searchable prose of a session in lower case, for checking a word's written form.
pub(super) fn session_text(searcher: &Searcher, f: &Fields, addr: DocAddress) -> Result<String> {
    Ok(session_text_of(&searcher.doc(addr)?, f))
}

/// [`session_text`] of a stored document.
pub(super) fn session_text_of(d: &TantivyDocument, f: &Fields) -> String {
    let mut out = String::new();
    for field in [f.group_name, f.session_name, f.agenda, f.charter, f.note] {
        if let Some(t) = text_of(d, field) {
            out.push_str(&t.to_lowercase());
            out.push(' ');
        }
    }
    out
}

/// Sessions a word must be found in before strength calls it generic: on a small index every
/// word is in a large share of a handful of sessions.
pub(super) const GENERIC_MIN_SESSIONS: f32 = 10.0;

/// Where shares of sessions are counted: the index, and its digest when it has one.
#[derive(Clone, Copy)]
pub(super) struct Corpus<'a> {
    pub(super) searcher: &'a Searcher,
    pub(super) f: &'a Fields,
    pub(super) digest: Option<&'a Digest>,
}

/// [`doc_fraction`], but 0 when the word is in fewer than [`GENERIC_MIN_SESSIONS`] sessions.
pub(super) fn generic_fraction(c: &Corpus, stems: &[String]) -> Result<f32> {
    let share = doc_fraction(c, stems)?;
    let n = share * c.searcher.num_docs() as f32;
    Ok(if n < GENERIC_MIN_SESSIONS { 0.0 } else { share })
}

/// Share of the index's sessions whose prose contains the stems (a phrase when several): a word
/// most charters and agendas use ("area", "service", "protocol") tells sessions apart poorly.
/// The count is read from the index's digest when it holds it.
pub(super) fn doc_fraction(c: &Corpus, stems: &[String]) -> Result<f32> {
    let n = match c.digest.and_then(|d| d.count(stems)) {
        Some(n) => n,
        None => doc_count(c.searcher, c.f, stems)?,
    };
    Ok(n as f32 / (c.searcher.num_docs().max(1) as f32))
}

/// Whether `word` (lower case) is the acronym of a group with a session in the index: a term
/// of the acronym field (the index is written whole, never with deletions).
pub(super) fn is_group(c: &Corpus, word: &str) -> bool {
    c.searcher.segment_readers().iter().any(|seg| {
        seg.inverted_index(c.f.acronym)
            .is_ok_and(|ix| ix.terms().term_ord(word).is_ok_and(|o| o.is_some()))
    })
}

/// Documents whose prose holds the stems (a phrase when several).
pub(super) fn doc_count(searcher: &Searcher, f: &Fields, stems: &[String]) -> Result<u64> {
    if stems.is_empty() {
        return Ok(0);
    }
    if let [stem] = stems {
        return docs_with_term(searcher, &prose_and_area(f), stem);
    }
    // A phrase can only match a field that has every one of its words: most vocabulary
    // phrases are in few fields, and the phrase query is only built for those.
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for field in prose_and_area(f) {
        let terms: Vec<Term> = stems
            .iter()
            .map(|s| Term::from_field_text(field, s))
            .collect();
        if has_all(searcher, field, &terms)? {
            clauses.push((Occur::Should, Box::new(PhraseQuery::new(terms))));
        }
    }
    if clauses.is_empty() {
        return Ok(0);
    }
    let n = searcher.search(&BooleanQuery::new(clauses), &tantivy::collector::Count)?;
    Ok(n as u64)
}

/// The fields a word's share of sessions is counted over.
fn prose_and_area(f: &Fields) -> [Field; 6] {
    [
        f.group_name,
        f.session_name,
        f.agenda,
        f.charter,
        f.note,
        f.area_name,
    ]
}

/// Whether some segment's `field` holds every one of `terms`.
fn has_all(searcher: &Searcher, field: Field, terms: &[Term]) -> Result<bool> {
    for seg in searcher.segment_readers() {
        let inv = seg.inverted_index(field)?;
        let mut all = true;
        for t in terms {
            if inv.doc_freq(t).map_err(tantivy::TantivyError::from)? == 0 {
                all = false;
                break;
            }
        }
        if all {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Live documents holding `stem` in any of `fields`, read from the postings directly: the
/// count a `Should` query of term queries gives, without building scorers (this runs for
/// every vocabulary word of every interest).
fn docs_with_term(searcher: &Searcher, fields: &[Field], stem: &str) -> Result<u64> {
    let mut n = 0;
    for seg in searcher.segment_readers() {
        let mut seen = vec![false; seg.max_doc() as usize];
        for &field in fields {
            let term = Term::from_field_text(field, stem);
            let Some(mut postings) = seg
                .inverted_index(field)?
                .read_postings(&term, IndexRecordOption::Basic)
                .map_err(tantivy::TantivyError::from)?
            else {
                continue;
            };
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if seg.alive_bitset().is_none_or(|a| a.is_alive(doc)) {
                    seen[doc as usize] = true;
                }
                doc = postings.advance();
            }
        }
        n += seen.iter().filter(|&&x| x).count() as u64;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cutting only the words that start like the stem finds what cutting every word finds.
    #[test]
    fn a_written_form_is_the_first_word_of_the_stem() {
        let an = Analyzers::standalone();
        let every_word = |text: &str, stems: &[String]| {
            let head: String = stems[0].chars().take(3).collect();
            an.raw_words(text)
                .into_iter()
                .find(|w| w.starts_with(&head) && an.stems(w) == stems)
        };
        let long = format!("label{} labelled", "x".repeat(40));
        let texts = [
            "we labelled it; re-labeling, labels",
            "relabel then label-ing and labeling",
            "nothing here",
            "überlabel labelé labelled",
            long.as_str(),
            "label",
        ];
        for stems in [
            an.stems("labelling"),
            an.stems("label"),
            an.stems("labelled"),
        ] {
            for t in &texts {
                assert_eq!(
                    written_form(&an, t, &stems),
                    every_word(t, &stems),
                    "{t}: {stems:?}"
                );
            }
        }
        assert_eq!(
            written_form(&an, texts[0], &an.stems("labeling")).as_deref(),
            Some("labelled")
        );
        // The runs hold the same forms: one form is the written one; none is none.
        for stems in [
            an.stems("labelling"),
            an.stems("label"),
            an.stems("labelled"),
        ] {
            for t in &texts {
                let forms = forms_in_runs(&an, &text::runs(t), &stems);
                let first = written_form(&an, t, &stems);
                assert_eq!(forms.is_empty(), first.is_none(), "{t}: {stems:?}");
                if let Some(w) = first {
                    assert!(forms.contains(&w), "{t}: {stems:?}");
                }
            }
        }
    }

    /// A word of letters and digits is whole in a text exactly when it is one of its runs.
    #[test]
    fn a_whole_word_is_one_of_the_runs() {
        let texts = [
            "dns privacy (dprive); privacy-preserving, e2e and 5g",
            "privacypass privacy.",
            "über-privacy naïve privacy2",
            "a b c d e f g h i j k l m n o p q r s t u v w x y z aa zz 0 9",
            "",
        ];
        for t in texts {
            let runs = text::runs(t);
            for w in [
                "privacy",
                "dns",
                "e2e",
                "5g",
                "privacypass",
                "über",
                "naïve",
                "pass",
                "p",
                "a",
                "zz",
                "z",
                "0",
                "9",
                "mm",
            ] {
                assert_eq!(text::has_word(&runs, w), whole_word_in(t, w), "{w} in {t}");
                assert_eq!(text::has_run(&runs, w), whole_word_in(t, w), "{w} in {t}");
            }
        }
    }
}
