//! Fills an index generation's digest (`index::digest`) with what ranking reads: the same
//! functions a query calls, run once over the built index (and the agendas it was built from).

use super::judge::{
    Words, agenda_pieces, charter_pieces, first_lines, group_text, interest_evidence,
};
use super::score::{ByAddr, Corpus, boosts, doc_count, session_text_of, shows_written, unit_hits};
use super::strength::GroupText;
use super::units::{Analyzers, STOPWORDS, Unit, UnitKind, interest_units, matching_topics};
use super::{Vocabulary, WEIGHTS, Weights, strength, text};
use crate::index::digest::{Builder, DocTexts, Piece, cut_key, unit_key};
use crate::index::{Digest, SearchIndex, SessionDoc, load_sessions, text_of};
use crate::model::Agenda;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use tantivy::{DocAddress, TantivyDocument};

/// The digest of `idx`: session rows, agendas, every document's texts, and the hits, counts
/// and cuts of every unit the built-in vocabulary makes for an interest that names a topic
/// (the interests people type most; any other unit is searched at query time).
pub fn compute(idx: &SearchIndex, agendas: Vec<Agenda>) -> Result<Builder> {
    let vocab = Vocabulary::builtin()?;
    // The two halves share nothing but the index: on two cores they run side by side.
    let (prepared, d) = std::thread::scope(|s| {
        let prepared = s.spawn(|| prepare_interests(idx, &vocab));
        let d = texts_and_units(idx, agendas, &vocab);
        (prepared.join(), d)
    });
    let prepared =
        prepared.map_err(|_| Error::parse("index digest", "preparing the interests failed"))?;
    let mut d = d?;
    for (interest, bytes) in prepared? {
        d.add_interest(interest, bytes);
    }
    Ok(d)
}

/// Session rows, agendas, documents' texts, and the vocabulary's units: hits, counts, cuts.
fn texts_and_units(idx: &SearchIndex, agendas: Vec<Agenda>, vocab: &Vocabulary) -> Result<Builder> {
    let searcher = idx.reader.searcher();
    let f = &idx.fields;
    let an = Analyzers::new(idx)?;
    let mut d = Builder::new(boosts(&WEIGHTS));
    let mut rows = Vec::new();
    for m in idx.meetings() {
        rows.push((m, load_sessions(&searcher, f, m)?));
    }
    for a in agendas {
        d.add_agenda(a);
    }
    // A group's sessions share its charter: cut it once.
    let mut charters: HashMap<String, Vec<Piece<String>>> = HashMap::new();
    let mut docs = HashMap::new();
    for (ord, seg) in searcher.segment_readers().iter().enumerate() {
        for doc in seg.doc_ids_alive() {
            let addr = DocAddress::new(ord as u32, doc);
            let stored: TantivyDocument = searcher.doc(addr)?;
            let charter = text_of(&stored, f.charter).unwrap_or_default();
            let charter = match charters.get(charter) {
                Some(c) => c.clone(),
                None => {
                    let c = charter_pieces(&an, charter);
                    charters.insert(charter.to_string(), c.clone());
                    c
                }
            };
            let agenda = agenda_pieces(&an, text_of(&stored, f.agenda).unwrap_or_default());
            docs.insert(addr, DocTexts { charter, agenda });
            d.add_runs(addr, text::runs(&session_text_of(&stored, f)));
        }
    }
    group_texts(&mut d, &an, &rows, &docs)?;
    for (addr, texts) in docs {
        d.add_texts(addr, texts);
    }
    for (m, sessions) in rows {
        d.add_sessions(m, sessions);
    }
    let mut seen_units = HashSet::new();
    let mut seen_counts = HashSet::new();
    let mut texts = ByAddr::default();
    // Every unit an interest naming a topic can make: the topic's labels (the person's phrase,
    // terms, related words, the terms of topics it takes in, all labels of some topic) and
    // the single words of its names.
    let mut labels: Vec<String> = Vec::new();
    for t in &vocab.topics {
        let names = t.phrasings();
        labels.extend(
            names
                .clone()
                .chain(t.terms.iter())
                .chain(t.related.iter())
                .map(|l| l.to_string()),
        );
        for name in names {
            let words = an.raw_words(name);
            if words.len() > 1 {
                labels.extend(
                    words
                        .into_iter()
                        .filter(|w| w.chars().count() > 1 && !STOPWORDS.contains(&w.as_str())),
                );
            }
        }
    }
    for label in &labels {
        let Some(u) = Unit::of(&an, label, 0.0, false, false, UnitKind::Term) else {
            continue;
        };
        let key = unit_key(&u.raw.join("-"), &u.stems);
        if seen_units.insert(key.clone()) {
            let mut hits = Vec::new();
            for (addr, score) in unit_hits(&searcher, f, &u, &WEIGHTS)? {
                let written = match &u.surface {
                    Some(prefix) => shows_written(&searcher, f, addr, prefix, &mut texts)?,
                    None => true,
                };
                hits.push((addr, score, written));
            }
            d.add_unit(key, hits);
            d.add_cut(cut_key(false, label), u.raw.clone());
            d.add_cut(cut_key(true, label), u.stems.clone());
        }
        // Shares of sessions: of a unit's first word (a person's common word) and of the
        // whole label (what strength weighs as evidence).
        for stems in [&u.stems[..1], &u.stems[..]] {
            if seen_counts.insert(stems.to_vec()) {
                d.add_count(stems, doc_count(&searcher, f, stems)?);
            }
        }
    }
    Ok(d)
}

/// Each group's texts at each meeting as strength reads them (word ids), for its sessions
/// that are not cancelled: what a query judging the group with no filter reads.
fn group_texts(
    d: &mut Builder,
    an: &Analyzers,
    meetings: &[(u32, Vec<SessionDoc>)],
    docs: &HashMap<DocAddress, DocTexts>,
) -> Result<()> {
    // The dictionary is made as the query's ids are: a new word gets the next number.
    let mut words = Words::new(None);
    for (_, sessions) in meetings {
        let mut groups: BTreeMap<&str, Vec<&SessionDoc>> = BTreeMap::new();
        for s in sessions.iter().filter(|s| !s.status.is_cancelled()) {
            groups.entry(&s.group).or_default().push(s);
        }
        for (group, mut sess) in groups {
            sess.sort_by_key(|s| (s.start, s.key.clone()));
            let Some(texts) = sess
                .iter()
                .map(|s| docs.get(&s.addr))
                .collect::<Option<Vec<_>>>()
            else {
                continue;
            };
            // A query cuts the charter and name from the group's best session: stored only
            // when every session has the same (they come from the group's one page).
            let first = sess[0];
            if !sess
                .iter()
                .zip(&texts)
                .all(|(s, t)| s.group_name == first.group_name && t.charter == texts[0].charter)
            {
                continue;
            }
            let agenda = first_lines(texts.iter().flat_map(|t| &t.agenda), |p| p.0.as_str());
            let name = an.stems(&first.group_name);
            let charter = texts[0].charter.iter().map(|p| &p.1);
            let t = group_text(
                group,
                &name,
                charter,
                agenda.iter().map(|p| &p.1),
                &mut |w| words.id(w),
            );
            let addrs: Vec<DocAddress> = sess.iter().map(|s| s.addr).collect();
            let bytes =
                postcard::to_allocvec(&(addrs, t)).map_err(|e| Error::parse("index digest", e))?;
            d.add_group(first.addr, bytes);
        }
    }
    d.set_words(words.into_new());
    Ok(())
}

/// A group's texts stored for exactly these sessions (see [`group_texts`]).
pub(super) fn stored_group_text(d: &Digest, addrs: &[DocAddress]) -> Option<GroupText> {
    let (stored, t): (Vec<DocAddress>, GroupText) =
        postcard::from_bytes(d.group(*addrs.first()?)?).ok()?;
    (stored == addrs).then_some(t)
}

/// What ranking prepares for each interest that names a topic (see [`Prepared`]), encoded.
fn prepare_interests(idx: &SearchIndex, vocab: &Vocabulary) -> Result<Vec<(String, Vec<u8>)>> {
    let searcher = idx.reader.searcher();
    let an = Analyzers::new(idx)?;
    let corpus = Corpus {
        searcher: &searcher,
        f: &idx.fields,
        digest: None,
    };
    let mut fractions = HashMap::new();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for t in &vocab.topics {
        for name in t.phrasings() {
            if !name.is_ascii() || !seen.insert(name.as_ref()) {
                continue;
            }
            let units = interest_units(&an, vocab, name, &WEIGHTS);
            let evidence =
                interest_evidence(&corpus, &an, name, &units, vocab, &WEIGHTS, &mut fractions);
            let first_topic = matching_topics(&an, vocab, name)
                .topics
                .first()
                .map(|t| t.name.to_string());
            let p = Prepared {
                units,
                evidence,
                first_topic,
            };
            let bytes = postcard::to_allocvec(&p).map_err(|e| Error::parse("index digest", e))?;
            out.push((name.to_ascii_lowercase(), bytes));
        }
    }
    Ok(out)
}

/// What ranking works out for an interest before it searches: the units, what strength reads
/// for it, and the first topic it names (whose gloss can bridge a reason). Stored in the
/// digest for the interests that name a topic.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Prepared {
    pub(super) units: Vec<Unit>,
    pub(super) evidence: strength::Interest,
    pub(super) first_topic: Option<String>,
}

/// What the digest prepared for `interest`, when it holds it and it holds for this request:
/// the built-in vocabulary and the default weights, which it was prepared with. Keys are in
/// lower case; an ASCII interest cuts the same in any case.
pub(super) fn prepared(
    digest: Option<&Digest>,
    vocab: &Vocabulary,
    w: &Weights,
    interest: &str,
) -> Option<Prepared> {
    let d = digest?;
    if !vocab.builtin || *w != WEIGHTS || !interest.is_ascii() {
        return None;
    }
    postcard::from_bytes(d.interest(&interest.to_ascii_lowercase())?).ok()
}

#[cfg(test)]
mod tests {
    /// [`the_prepared_layout_is_the_one_this_version_stores`]'s sample, encoded.
    const LAYOUT: [u8; 34] = [
        0, 1, 1, 108, 1, 1, 115, 1, 97, 1, 1, 2, 1, 1, 1, 119, 1, 1, 120, 1, 1, 99, 1, 1, 116, 1,
        1, 113, 1, 1, 114, 1, 1, 102,
    ];

    use crate::index::build_in_memory;
    use crate::rank::{RecommendQuery, Vocabulary, WEIGHTS, recommend, search};
    use crate::snapshot::Snapshot;

    /// A stored interest decodes: ranking uses what the digest prepared rather than working it
    /// out again without a word (a failed decode falls back silently).
    #[test]
    fn the_digest_prepares_the_vocabularys_interests() {
        let idx = build_in_memory(&Snapshot::bundled()).unwrap();
        let vocab = crate::rank::Vocabulary::builtin().unwrap();
        for interest in ["privacy", "Routing Security", "encrypted dns"] {
            let p = super::prepared(idx.digest.as_deref(), &vocab, &WEIGHTS, interest);
            assert!(p.is_some_and(|p| !p.units.is_empty()), "{interest}");
        }
    }

    /// What a prepared interest looks like in the file. When this changes, a digest written
    /// before could be misread rather than fail to decode: bump `index::digest::VERSION` (an
    /// older file is then ignored) and write the new bytes and version here.
    #[test]
    fn the_prepared_layout_is_the_one_this_version_stores() {
        use crate::rank::strength::{Evidence, Interest, Qualifier, Role};
        let p = super::Prepared {
            units: Vec::new(),
            evidence: Interest {
                evidence: vec![Evidence {
                    label: "l".into(),
                    stems: vec!["s".into()],
                    acronym: "a".into(),
                    generic: true,
                    role: Role::Part(2),
                }],
                parts: 1,
                all_words: vec!["w".into()],
                written: vec!["x".into()],
                common_words: vec!["c".into()],
                topic_words: vec!["t".into()],
                qualifiers: vec![Qualifier {
                    word: "q".into(),
                    stems: vec!["r".into()],
                }],
            },
            first_topic: Some("f".into()),
        };
        let bytes = postcard::to_allocvec(&p).unwrap();
        assert_eq!(
            (crate::index::digest::VERSION, bytes.as_slice()),
            (27, &LAYOUT[..]),
            "the stored layout changed: bump the digest's VERSION"
        );
    }

    /// the same results, byte for byte, with and without it.
    #[test]
    fn ranking_reads_from_the_digest_what_it_would_work_out() {
        let with = build_in_memory(&Snapshot::bundled()).unwrap();
        assert!(with.digest.is_some());
        let without = with.without_digest();
        let agenda = Snapshot::bundled().load_agenda(115).unwrap();
        assert_eq!(with.agenda(115).unwrap(), Some(agenda));
        assert_eq!(without.agenda(115).unwrap(), None);
        let json = |r| serde_json::to_string_pretty(&r).unwrap();
        for interests in [
            &["privacy", "routing security"][..],
            &["Digital Identity", "human rights", "AI"],
            &["post-quantum cryptography"],
            &["content moderation", "internet of things security"],
        ] {
            let q = RecommendQuery {
                interests: interests.iter().map(|s| s.to_string()).collect(),
                top: 10,
                ..RecommendQuery::default()
            };
            let a = json(recommend(&with, &q).unwrap());
            assert_eq!(a, json(recommend(&without, &q).unwrap()), "{interests:?}");
            assert!(
                a.contains("\"strong\""),
                "{interests:?}: a strong match to compare"
            );
        }
        // (A plain text is judged with the vocabulary, as an interest is.)
        let vocab = Vocabulary::load(None).unwrap();
        for text in [
            "route origin",
            "\"encrypted dns\" OR privacy",
            "who works on routing security?",
        ] {
            let a = json(search(&with, text, None, 10, &vocab).unwrap());
            let b = json(search(&without, text, None, 10, &vocab).unwrap());
            assert_eq!(a, b, "{text}");
        }
    }
}
