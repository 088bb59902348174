//! Measures ranking quality against relevance judgements (`shared/eval/dev-qrels.json` shape):
//! Recall@k, nDCG@k (binary gains) and MRR per judgement and on average, for wgrec and for the
//! baseline: the same BM25 fields and boosts on the person's words alone, without the vocabulary.

use crate::index::SearchIndex;
use crate::rank::{self, RecommendQuery, Vocabulary, Weights};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// One judgement.
#[derive(Debug, Clone, Deserialize)]
pub struct Judgement {
    pub id: String,
    pub meeting: u32,
    pub query: String,
    pub relevant_groups: Vec<String>,
}

pub fn parse_qrels(bytes: &[u8], origin: &str) -> Result<Vec<Judgement>> {
    serde_json::from_slice(bytes)
        .map_err(|e| Error::input(format!("invalid judgements file {origin}: {e}")))
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Scores {
    pub recall: f64,
    pub ndcg: f64,
    pub mrr: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub id: String,
    pub meeting: u32,
    pub query: String,
    /// Relevant groups that met at the meeting (the ones that count).
    pub relevant: usize,
    pub wgrec: Scores,
    pub bm25: Scores,
    /// wgrec's top k, for reading failures.
    pub top: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub k: usize,
    pub rows: Vec<Row>,
    /// Judgement id and why it was skipped.
    pub skipped: Vec<(String, String)>,
    pub wgrec: Scores,
    pub bm25: Scores,
}

/// Scores one ranked list of distinct groups.
pub fn score(ranked: &[String], relevant: &BTreeSet<String>, k: usize) -> Scores {
    if relevant.is_empty() || k == 0 {
        return Scores::default();
    }
    let hits_k = ranked
        .iter()
        .take(k)
        .filter(|g| relevant.contains(*g))
        .count();
    let dcg: f64 = ranked
        .iter()
        .take(k)
        .enumerate()
        .filter(|(_, g)| relevant.contains(*g))
        .map(|(i, _)| 1.0 / ((i + 2) as f64).log2())
        .sum();
    let ideal: f64 = (0..k.min(relevant.len()))
        .map(|i| 1.0 / ((i + 2) as f64).log2())
        .sum();
    let mrr = ranked
        .iter()
        .position(|g| relevant.contains(g))
        .map_or(0.0, |p| 1.0 / (p + 1) as f64);
    Scores {
        recall: hits_k as f64 / k.min(relevant.len()) as f64,
        ndcg: dcg / ideal,
        mrr,
    }
}

fn mean(v: impl Iterator<Item = Scores>) -> Scores {
    let (mut s, mut n) = (Scores::default(), 0.0);
    for x in v {
        s.recall += x.recall;
        s.ndcg += x.ndcg;
        s.mrr += x.mrr;
        n += 1.0;
    }
    if n > 0.0 {
        s.recall /= n;
        s.ndcg /= n;
        s.mrr /= n;
    }
    s
}

/// Runs every judgement with `vocab` (wgrec) and with no vocabulary (baseline). MRR is taken
/// over the whole ranked list of the meeting's groups.
pub fn run(
    idx: &SearchIndex,
    judgements: &[Judgement],
    k: usize,
    vocab: &Vocabulary,
    weights: &Weights,
) -> Result<Report> {
    if k == 0 {
        return Err(Error::input("--k must be at least 1"));
    }
    let empty = Vocabulary::empty();
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    for j in judgements {
        if !idx.meetings().contains(&j.meeting) {
            skipped.push((
                j.id.clone(),
                format!("meeting {} is not indexed", j.meeting),
            ));
            continue;
        }
        let met = rank::meeting_groups(idx, j.meeting)?;
        let relevant: BTreeSet<String> = j
            .relevant_groups
            .iter()
            .map(|g| g.to_lowercase())
            .filter(|g| met.contains(g))
            .collect();
        if relevant.is_empty() {
            skipped.push((
                j.id.clone(),
                "no relevant group met at the meeting".to_string(),
            ));
            continue;
        }
        let q = RecommendQuery {
            meeting: Some(j.meeting),
            interests: vec![j.query.clone()],
            top: met.len().max(k),
            ..Default::default()
        };
        let list = |v: &Vocabulary| -> Result<Vec<String>> {
            Ok(rank::recommend_with(idx, &q, v, weights)?
                .results
                .into_iter()
                .map(|r| r.group)
                .collect())
        };
        let ours = list(vocab)?;
        let base = list(&empty)?;
        rows.push(Row {
            id: j.id.clone(),
            meeting: j.meeting,
            query: j.query.clone(),
            relevant: relevant.len(),
            wgrec: score(&ours, &relevant, k),
            bm25: score(&base, &relevant, k),
            top: ours.into_iter().take(k).collect(),
        });
    }
    Ok(Report {
        k,
        wgrec: mean(rows.iter().map(|r| r.wgrec)),
        bm25: mean(rows.iter().map(|r| r.bm25)),
        rows,
        skipped,
    })
}

/// The report as a Markdown table (readable as plain text too).
pub fn to_text(r: &Report) -> String {
    let k = r.k;
    let mut s = format!(
        "| judgement | query | rel | wgrec R@{k} | nDCG@{k} | MRR | bm25 R@{k} | nDCG@{k} | MRR |\n|---|---|---|---|---|---|---|---|---|\n"
    );
    for row in &r.rows {
        s.push_str(&format!(
            "| {} | {} | {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |\n",
            row.id,
            row.query,
            row.relevant,
            row.wgrec.recall,
            row.wgrec.ndcg + 0.0,
            row.wgrec.mrr,
            row.bm25.recall,
            row.bm25.ndcg + 0.0,
            row.bm25.mrr
        ));
    }
    s.push_str(&format!(
        "| **overall** ({} judgements) | | | **{:.3}** | **{:.3}** | **{:.3}** | {:.3} | {:.3} | {:.3} |\n",
        r.rows.len(),
        r.wgrec.recall,
        r.wgrec.ndcg,
        r.wgrec.mrr,
        r.bm25.recall,
        r.bm25.ndcg,
        r.bm25.mrr
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(v: &[&str]) -> BTreeSet<String> {
        v.iter().map(|s| s.to_string()).collect()
    }
    fn list(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn metrics_follow_the_definitions() {
        let s = score(&list(&["a", "x", "b"]), &set(&["a", "b"]), 10);
        assert_eq!(s.recall, 1.0);
        assert_eq!(s.mrr, 1.0);
        let ideal = 1.0 + 1.0 / 3f64.log2();
        assert!((s.ndcg - (1.0 + 0.5) / ideal).abs() < 1e-9);
        let s = score(&list(&["x", "y", "a"]), &set(&["a", "b"]), 2);
        assert_eq!(s.recall, 0.0);
        assert_eq!(s.ndcg, 0.0);
        assert!((s.mrr - 1.0 / 3.0).abs() < 1e-9);
        // Recall divides by min(k, |relevant|).
        let s = score(&list(&["a"]), &set(&["a", "b", "c"]), 1);
        assert_eq!(s.recall, 1.0);
    }
}
