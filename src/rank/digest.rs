//! Fills an index generation's digest (`index::digest`) with what ranking reads: the same
//! functions a query calls, run once over the built index (and the agendas it was built from).

use super::judge::doc_texts;
use super::score::{boosts, doc_count, shows_written, unit_hits};
use super::units::{Analyzers, interest_units};
use super::{Vocabulary, WEIGHTS};
use crate::Result;
use crate::index::digest::Builder;
use crate::index::digest::{cut_key, unit_key};
use crate::index::{SearchIndex, load_sessions};
use crate::model::Agenda;
use std::collections::{HashMap, HashSet};
use tantivy::{DocAddress, TantivyDocument};

/// The digest of `idx`: session rows, every document's texts, and the hits and counts of
/// every unit the built-in vocabulary makes from a topic's name or alias (the interests
/// people type most; any other unit is searched at query time).
pub fn compute(idx: &SearchIndex, agendas: Vec<Agenda>) -> Result<Builder> {
    let searcher = idx.reader.searcher();
    let f = &idx.fields;
    let an = Analyzers::new(idx)?;
    let mut d = Builder::new(boosts(&WEIGHTS));
    for m in idx.meetings() {
        d.add_sessions(m, load_sessions(&searcher, f, m)?);
    }
    for a in agendas {
        d.add_agenda(a);
    }
    for (ord, seg) in searcher.segment_readers().iter().enumerate() {
        for doc in seg.doc_ids_alive() {
            let addr = DocAddress::new(ord as u32, doc);
            let stored: TantivyDocument = searcher.doc(addr)?;
            d.add_texts(addr, doc_texts(&an, &stored, f));
        }
    }
    let vocab = Vocabulary::builtin()?;
    let mut seen_units = HashSet::new();
    let mut texts = HashMap::new();
    let mut seen_counts = HashSet::new();
    let mut count = |stems: Vec<String>, d: &mut Builder| -> Result<()> {
        if !stems.is_empty() && seen_counts.insert(stems.clone()) {
            d.add_count(&stems, doc_count(&searcher, f, &stems)?);
        }
        Ok(())
    };
    for t in &vocab.topics {
        for interest in std::iter::once(&t.name).chain(&t.aliases) {
            for u in interest_units(&an, &vocab, interest, &WEIGHTS) {
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
                }
                count(u.stems[..1].to_vec(), &mut d)?;
            }
        }
        // What strength weighs as evidence: every label of the topic, as a whole.
        let labels = [&t.aliases, &t.terms, &t.related];
        for label in std::iter::once(&t.name).chain(labels.into_iter().flatten()) {
            count(an.stems(label), &mut d)?;
            d.add_cut(cut_key(false, label), an.raw_words(label));
            d.add_cut(cut_key(true, label), an.stems(label));
        }
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use crate::index::build_in_memory;
    use crate::rank::{RecommendQuery, recommend, search};
    use crate::snapshot::Snapshot;

    /// Everything read from the digest must be what the query would have worked out itself:
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
            &["digital identity", "human rights", "AI"],
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
        for text in ["route origin", "\"encrypted dns\" OR privacy"] {
            let a = json(search(&with, text, None, 10).unwrap());
            assert_eq!(a, json(search(&without, text, None, 10).unwrap()), "{text}");
        }
    }
}
