//! Free-text search for participants, grouped like recommendations.

use super::digest;
use super::judge::{StrengthJudge, interest_evidence};
use super::recommend::{group_result, no_strong_note, topic_gloss, units_for};
use super::score::{Corpus, acronym_clause, prose_fields};
use super::units::{Analyzers, asked_about};
use super::{MAX_MATCHED_TERMS, Vocabulary, WEIGHTS};
use crate::index::SearchIndex;
use crate::index::SessionDoc;
use crate::model::{Recommendation, Recommendations};
use crate::{Error, Result};
use std::collections::{BTreeMap, HashMap, HashSet};
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Term};

pub(super) const OPERATORS: [&str; 3] = ["AND", "OR", "NOT"];

/// The search text without operators that join nothing (`AND` alone, `OR OR`, a trailing
/// `NOT`); refused when nothing is left to look for (`NOT privacy`, `*`, `-dns`): a search
/// must say what it wants, not only what it does not.
pub(super) fn positive_query(text: &str) -> Result<String> {
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

/// Whether the search text is plain words, a question or a topic ("where is post-quantum
/// cryptography discussed?"), with no search syntax: no phrase quotes, operators, exclusions,
/// wildcards, fields or grouping.
fn is_plain(text: &str) -> bool {
    !text.contains(['"', '*', ':', '(', ')', '+', '^', '~', '[', ']', '{', '}'])
        && text
            .split_whitespace()
            .all(|t| !OPERATORS.contains(&t) && !t.starts_with('-'))
}

/// The words of a query that ask for something: not its operators, nor a word it excludes
/// ("-word", "NOT word").
fn positive_words(query: &str) -> Vec<&str> {
    let mut after_not = false;
    let mut words = Vec::new();
    for word in query.split_whitespace() {
        let negated = std::mem::replace(&mut after_not, word == "NOT");
        if !(OPERATORS.contains(&word) || word.starts_with('-') || negated) {
            words.push(word);
        }
    }
    words
}

/// The words with each quoted phrase (`"route origin"`) as one.
fn phrases(words: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut open: Option<String> = None;
    for w in words {
        match open.take() {
            Some(mut p) => {
                p.push(' ');
                p.push_str(w);
                if w.ends_with('"') {
                    out.push(p);
                } else {
                    open = Some(p);
                }
            }
            None if w.starts_with('"') && !(w.len() > 1 && w.ends_with('"')) => {
                open = Some(w.to_string());
            }
            None => out.push(w.to_string()),
        }
    }
    out.extend(open);
    out
}

/// What the excerpt marks: each word or quoted phrase as the person wrote it, its stems
/// together, so that "post-quantum" is found as "post quantum" and not as "post" anywhere ("a
/// cross post to the list"); then each query term that no such word holds.
fn excerpt_units(
    an: &Analyzers,
    words: &[String],
    terms: &BTreeMap<String, f32>,
) -> Vec<Vec<String>> {
    let mut units: Vec<Vec<String>> = Vec::new();
    for word in words {
        let stems = an.stems(word);
        if !stems.is_empty()
            && stems.iter().all(|s| terms.contains_key(s))
            && !units.contains(&stems)
        {
            units.push(stems);
        }
    }
    for t in terms.keys() {
        if !units.iter().any(|u| u.contains(t)) {
            units.push(vec![t.clone()]);
        }
    }
    units
}

/// Free-text search for participants: phrases (`"..."`) and `AND`/`OR`/`NOT` work; syntax the
/// parser cannot read is dropped rather than refused. Results come grouped like recommendations.
/// Plain words are judged as `recommend` judges an interest (with the vocabulary, on what the
/// question asks about), so a group is strong for "post-quantum cryptography" here exactly when
/// it is there; a text with search syntax is judged on its own words.
/// Stays whole: one pass from parsed query to grouped results, each step short and in order.
pub fn search(
    idx: &SearchIndex,
    text: &str,
    meeting: Option<u32>,
    top: usize,
    vocab: &Vocabulary,
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
    // A plain question is searched for what it asks about: "where is post-quantum cryptography
    // discussed this week?" finds post-quantum cryptography, not "discussed" or "this".
    let plain = is_plain(text);
    let sought = if plain { asked_about(text) } else { text };
    let meeting = idx.meeting(meeting)?.clone();
    let f = idx.fields;
    let w = WEIGHTS;
    let prose = prose_fields(&f, &w);
    let mut parser = QueryParser::for_index(&idx.index, prose.iter().map(|p| p.0).collect());
    for (field, boost) in prose {
        parser.set_field_boost(field, boost);
    }
    let (parsed, errors) = parser.parse_query_lenient(sought);
    if !errors.is_empty() {
        tracing::info!("search: ignored unreadable parts of the query: {errors:?}");
    }
    // Acronyms are exact lower-case terms; a bare word may name a group.
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, parsed)];
    let an = Analyzers::new(idx)?;
    let words = positive_words(sought);
    for word in &words {
        let wd: String = word
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        if !wd.is_empty() {
            clauses.push(acronym_clause(&f, &wd, &w));
        }
    }
    let query = BooleanQuery::new(clauses);
    let searcher = idx.reader.searcher();
    let sessions = idx.sessions(meeting.number)?;
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
    for word in an.raw_words(sought) {
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
    let corpus = Corpus {
        searcher: &searcher,
        f: &f,
        digest: idx.digest.as_deref(),
    };
    // Strength, and what the reasons and the note name: what a plain question asks about.
    let (mut judge, label, gloss) = if plain {
        let mut prep = digest::prepared(corpus.digest, vocab, &w, sought);
        let evidence = match prep.as_mut() {
            Some(p) => std::mem::take(&mut p.evidence),
            None => {
                let units = units_for(&corpus, &an, vocab, &w, sought, None)?;
                let mut fractions = HashMap::new();
                interest_evidence(&corpus, &an, sought, &units, vocab, &w, &mut fractions)
            }
        };
        let judge = StrengthJudge::with_evidence(corpus, &an, vec![evidence], w.strength);
        let gloss = topic_gloss(&an, vocab, sought, prep.as_ref());
        (judge, sought, gloss)
    } else {
        (
            StrengthJudge::for_search(corpus, &an, text, &w),
            text.as_str(),
            None,
        )
    };
    let units = excerpt_units(&an, &phrases(&words), &weights);
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
            matched_interests: vec![text.to_string()],
            matched_terms,
            excerpt: judge.excerpt(best, &sess, &[&units])?,
            strength,
            reason: judge.reason(0, label, gloss, strength.is_strong(), best, &sess)?,
            ..group_result(rank, best, &sess, score / max)
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
    // The note names what was asked about; the list, the text as written.
    let (no_strong, notes) = if results.iter().any(|r| r.strength.is_strong()) {
        (Vec::new(), Vec::new())
    } else {
        let note = no_strong_note(label, meeting.number, !results.is_empty());
        (vec![text.to_string()], vec![note])
    };
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
    fn an_excerpt_marks_a_hyphenated_word_or_a_quoted_phrase_whole() {
        let an = Analyzers::standalone();
        let words = phrases(&positive_words("post-quantum crypto -pgp NOT smime ml-kem"));
        assert_eq!(words, ["post-quantum", "crypto", "ml-kem"]);
        let terms = |ts: &[&str]| -> BTreeMap<String, f32> {
            ts.iter().map(|t| (t.to_string(), 1.0)).collect()
        };
        let unit = |ws: &[&str]| ws.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        assert_eq!(
            excerpt_units(
                &an,
                &words,
                &terms(&["crypto", "kem", "ml", "post", "quantum"])
            ),
            [
                unit(&["post", "quantum"]),
                unit(&["crypto"]),
                unit(&["ml", "kem"])
            ]
        );
        // A word whose stems are not all query terms gives way to the terms themselves.
        assert_eq!(
            excerpt_units(&an, &words, &terms(&["kem", "post", "quantum"])),
            [unit(&["post", "quantum"]), unit(&["kem"])]
        );
        // A quoted phrase is one unit, so "route leaks" does not mark "route".
        let words = phrases(&positive_words("\"route origin\" AND \"aspa\" rpki"));
        assert_eq!(words, ["\"route origin\"", "\"aspa\"", "rpki"]);
        assert_eq!(
            excerpt_units(&an, &words, &terms(&["aspa", "origin", "rout", "rpki"])),
            [unit(&["rout", "origin"]), unit(&["aspa"]), unit(&["rpki"])]
        );
    }
}
