//! Ranked lists: recommend by interests, free-text search, and the evaluation against
//! relevance judgements.

use super::Data;
use crate::eval::{self, Judgement};
use crate::model::Recommendations;
use crate::rank::{self, RecommendQuery, Vocabulary, Weights};
use crate::{Error, Result};
use std::path::Path;

/// The checks that need no data (interests, the vocabulary file), so a bad request is refused
/// before an index is opened or built. Returns the vocabulary to rank with.
pub fn prepare(q: &RecommendQuery) -> Result<Vocabulary> {
    rank::validate_interests(&q.interests)?;
    Vocabulary::load(q.vocabulary.as_deref())
}

/// The meeting's groups ranked for the interests of `q`, with reasons.
pub fn recommend(data: &Data, q: &RecommendQuery, vocab: &Vocabulary) -> Result<Recommendations> {
    rank::check_filters(&data.index, q)?;
    let mut recs = rank::recommend_with(&data.index, q, vocab, &rank::WEIGHTS)?;
    recs.warnings = data.warnings.clone();
    Ok(recs)
}

/// Refuses an empty search text before any data is opened.
pub fn check_search(text: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(Error::input("the search text is empty"));
    }
    Ok(())
}

/// Free-text search (phrases, AND/OR/NOT) over sessions, groups, charters and agendas; plain
/// words are judged strong or possible with `vocab`, as `recommend` judges them.
pub fn search(
    data: &Data,
    text: &str,
    meeting: Option<u32>,
    top: usize,
    vocab: &Vocabulary,
) -> Result<Recommendations> {
    check_search(text)?;
    let mut recs = rank::search(&data.index, text, meeting, top, vocab)?;
    recs.warnings = data.warnings.clone();
    Ok(recs)
}

/// Reads a judgements file (`dev-qrels.json` format).
pub fn load_judgements(path: &Path) -> Result<Vec<Judgement>> {
    let bytes = std::fs::read(path)
        .map_err(|e| Error::input(format!("cannot read judgements {}: {e}", path.display())))?;
    eval::parse_qrels(&bytes, &path.display().to_string())
}

/// Reads a graded judgements file (`dev-precision.json` format).
pub fn load_graded(path: &Path) -> Result<Vec<eval::Graded>> {
    let bytes = std::fs::read(path).map_err(|e| {
        Error::input(format!(
            "cannot read graded judgements {}: {e}",
            path.display()
        ))
    })?;
    eval::parse_graded(&bytes, &path.display().to_string())
}

/// Scores the recommendations (and plain BM25) against the judgements at cut-off `k`.
pub fn evaluate(
    data: &Data,
    judgements: &[Judgement],
    k: usize,
    vocab: &Vocabulary,
    weights: &Weights,
) -> Result<eval::Report> {
    eval::run(&data.index, judgements, k, vocab, weights)
        .map_err(|e| Error::context("running the judgements", e))
}
