//! Measures ranking quality against relevance judgements (`shared/eval/dev-qrels.json` shape):
//! Recall@k, nDCG@k (binary gains) and MRR per judgement and on average, for wgrec and for the
//! baseline: the same BM25 fields and boosts on the person's words alone, without the vocabulary.
//! Also the precision of the strong tier: the share of strong results in the top k that are
//! judged relevant, and, against graded judgements (`dev-precision.json` shape), P@5, R2@10,
//! graded nDCG@10 and false@5 over the strong results (beside the same over all results).

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
    /// Share of the strong results in the top k that are judged relevant (`None` when the
    /// top k holds no strong result).
    pub strong_precision: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub k: usize,
    pub rows: Vec<Row>,
    /// Judgement id and why it was skipped.
    pub skipped: Vec<(String, String)>,
    pub wgrec: Scores,
    pub bm25: Scores,
    /// Mean of the judgements' `strong_precision`, over those with a strong result.
    pub strong_precision: f64,
    /// Judgements whose top k holds no strong result.
    pub strong_empty: usize,
    /// Against graded judgements, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub graded: Option<GradedReport>,
}

/// One graded judgement (`dev-precision.json`): grades 0-2 for the groups of a pool.
#[derive(Debug, Clone, Deserialize)]
pub struct Graded {
    pub meeting: u32,
    pub interest: String,
    pub grades: std::collections::BTreeMap<String, u8>,
}

pub fn parse_graded(bytes: &[u8], origin: &str) -> Result<Vec<Graded>> {
    serde_json::from_slice(bytes)
        .map_err(|e| Error::input(format!("invalid graded judgements file {origin}: {e}")))
}

/// Precision figures over lists of results, summed or averaged over the lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Precision {
    pub lists: usize,
    /// Share of the first min(5, n) results graded >= 1 (an empty list: 1 when nothing is
    /// graded >= 1, else 0), mean over lists.
    pub p5: f64,
    /// Share of the groups graded 2 found in the first 10 (1 when there are none), mean.
    pub r2_10: f64,
    /// nDCG@10 with gain 2^grade - 1 against the pool's ideal order, mean.
    pub ndcg10: f64,
    /// Results in the first 5 graded 0 or not graded, summed.
    pub false5: usize,
    /// Results in the first 10 that the pool does not grade, summed.
    pub unjudged10: usize,
    /// Lists with no result.
    pub empty: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct GradedRow {
    pub meeting: u32,
    pub interest: String,
    pub strong: Vec<String>,
    pub possible: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GradedReport {
    /// Over the strong results: what an official is told to attend.
    pub strong: Precision,
    /// Over all results, strong and possible, for comparison.
    pub all: Precision,
    pub rows: Vec<GradedRow>,
    pub skipped: Vec<(String, String)>,
}

/// Adds one list's figures to `p` (means are finished by [`finish`]).
fn grade_list(p: &mut Precision, list: &[String], grades: &std::collections::BTreeMap<String, u8>) {
    let g = |x: &String| grades.get(x).copied();
    let any = grades.values().any(|v| *v >= 1);
    p.lists += 1;
    if list.is_empty() {
        p.empty += 1;
        p.p5 += if any { 0.0 } else { 1.0 };
    } else {
        let top: Vec<&String> = list.iter().take(5).collect();
        p.p5 += top.iter().filter(|x| g(x).unwrap_or(0) >= 1).count() as f64 / top.len() as f64;
    }
    let twos: Vec<&String> = grades
        .iter()
        .filter(|(_, v)| **v == 2)
        .map(|(k, _)| k)
        .collect();
    p.r2_10 += if twos.is_empty() {
        1.0
    } else {
        twos.iter()
            .filter(|t| list.iter().take(10).any(|x| x == **t))
            .count() as f64
            / twos.len() as f64
    };
    let dcg: f64 = list
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, x)| (2f64.powi(i32::from(g(x).unwrap_or(0))) - 1.0) / ((i + 2) as f64).log2())
        .fold(0.0, add);
    let mut ideal: Vec<u8> = grades.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, v)| (2f64.powi(i32::from(*v)) - 1.0) / ((i + 2) as f64).log2())
        .fold(0.0, add);
    p.ndcg10 += if idcg > 0.0 {
        dcg / idcg
    } else if list.is_empty() {
        1.0
    } else {
        0.0
    };
    p.false5 += list
        .iter()
        .take(5)
        .filter(|x| g(x).unwrap_or(0) == 0)
        .count();
    p.unjudged10 += list.iter().take(10).filter(|x| g(x).is_none()).count();
}

fn finish(mut p: Precision) -> Precision {
    if p.lists > 0 {
        let n = p.lists as f64;
        p.p5 /= n;
        p.r2_10 /= n;
        p.ndcg10 /= n;
    }
    p
}

/// Runs every graded judgement whose meeting is indexed: the strong results and all results.
pub fn graded(
    idx: &SearchIndex,
    judgements: &[Graded],
    vocab: &Vocabulary,
    weights: &Weights,
) -> Result<GradedReport> {
    let (mut strong, mut all) = (Precision::default(), Precision::default());
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    for j in judgements {
        let id = format!("{}-{}", j.meeting, j.interest);
        if !idx.meetings().contains(&j.meeting) {
            skipped.push((id, format!("meeting {} is not indexed", j.meeting)));
            continue;
        }
        let met = rank::meeting_groups(idx, j.meeting)?;
        let q = RecommendQuery {
            meeting: Some(j.meeting),
            interests: vec![j.interest.clone()],
            top: met.len().max(10),
            ..Default::default()
        };
        let recs = rank::recommend_with(idx, &q, vocab, weights)?;
        let (s, p): (Vec<_>, Vec<_>) = recs.results.iter().partition(|r| r.strength.is_strong());
        let s: Vec<String> = s.into_iter().map(|r| r.group.clone()).collect();
        let p: Vec<String> = p.into_iter().map(|r| r.group.clone()).collect();
        let every: Vec<String> = s.iter().chain(&p).cloned().collect();
        grade_list(&mut strong, &s, &j.grades);
        grade_list(&mut all, &every, &j.grades);
        rows.push(GradedRow {
            meeting: j.meeting,
            interest: j.interest.clone(),
            strong: s,
            possible: p.into_iter().take(10).collect(),
        });
    }
    Ok(GradedReport {
        strong: finish(strong),
        all: finish(all),
        rows,
        skipped,
    })
}

/// Sums from +0: `Iterator::sum` of no floats is -0.0, which the JSON report would print as
/// "-0.0" for a list with no relevant group in its top k.
fn add(a: f64, b: f64) -> f64 {
    a + b
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
        .fold(0.0, add);
    let ideal: f64 = (0..k.min(relevant.len()))
        .map(|i| 1.0 / ((i + 2) as f64).log2())
        .fold(0.0, add);
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
// Kept whole (about 85 lines): one loop in which each judgement is either skipped with its
// reason or scored against both rankings, then the means.
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
        let recs = rank::recommend_with(idx, &q, vocab, weights)?;
        let strong_top: Vec<&String> = recs
            .results
            .iter()
            .take(k)
            .filter(|r| r.strength.is_strong())
            .map(|r| &r.group)
            .collect();
        let strong_precision = (!strong_top.is_empty()).then(|| {
            strong_top.iter().filter(|g| relevant.contains(**g)).count() as f64
                / strong_top.len() as f64
        });
        let ours: Vec<String> = recs.results.into_iter().map(|r| r.group).collect();
        let base: Vec<String> = rank::recommend_with(idx, &q, &empty, weights)?
            .results
            .into_iter()
            .map(|r| r.group)
            .collect();
        rows.push(Row {
            id: j.id.clone(),
            meeting: j.meeting,
            query: j.query.clone(),
            relevant: relevant.len(),
            wgrec: score(&ours, &relevant, k),
            bm25: score(&base, &relevant, k),
            top: ours.into_iter().take(k).collect(),
            strong_precision,
        });
    }
    let with: Vec<f64> = rows.iter().filter_map(|r| r.strong_precision).collect();
    Ok(Report {
        k,
        wgrec: mean(rows.iter().map(|r| r.wgrec)),
        bm25: mean(rows.iter().map(|r| r.bm25)),
        strong_precision: if with.is_empty() {
            0.0
        } else {
            with.iter().sum::<f64>() / with.len() as f64
        },
        strong_empty: rows.len() - with.len(),
        graded: None,
        rows,
        skipped,
    })
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
    fn graded_precision_follows_the_scoring_rules() {
        let grades: std::collections::BTreeMap<String, u8> =
            [("a".into(), 2), ("b".into(), 1), ("c".into(), 0)].into();
        let mut p = Precision::default();
        grade_list(&mut p, &list(&["a", "c", "x"]), &grades);
        let p = finish(p);
        assert!((p.p5 - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(p.r2_10, 1.0);
        assert_eq!((p.false5, p.unjudged10, p.empty), (2, 1, 0));
        let ideal = 3.0 + 1.0 / 3f64.log2();
        assert!((p.ndcg10 - 3.0 / ideal).abs() < 1e-9);
        // An honest empty scores 1 only when nothing is relevant.
        let none: std::collections::BTreeMap<String, u8> = [("c".into(), 0)].into();
        let mut q = Precision::default();
        grade_list(&mut q, &[], &none);
        grade_list(&mut q, &[], &grades);
        let q = finish(q);
        assert_eq!((q.p5, q.empty), (0.5, 2));
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
        assert!(s.ndcg.is_sign_positive(), "no hits score +0, not -0");
        assert!((s.mrr - 1.0 / 3.0).abs() < 1e-9);
        // Recall divides by min(k, |relevant|).
        let s = score(&list(&["a"]), &set(&["a", "b", "c"]), 1);
        assert_eq!(s.recall, 1.0);
    }
}
