//! `wgrec recommend`, `wgrec search` and `wgrec eval`.
use super::Context;
use crate::cli::{EvalArgs, RecommendArgs, SearchArgs, SummaryFormat};
use crate::rank::{self, RecommendQuery, Vocabulary};
use crate::render::list;
use crate::{Error, eval};
use anyhow::Context as _;
use std::io::Write;

pub fn run(ctx: &Context, args: RecommendArgs) -> anyhow::Result<u8> {
    // Check the cheap things before touching the index.
    rank::validate_interests(&args.interests)?;
    let days = super::parse_days(&args.days)?;
    let vocab = Vocabulary::load(args.rank.vocabulary.as_deref())?;
    let (_, idx) = super::open_data(ctx)?;
    let q = RecommendQuery {
        meeting: args.rank.meeting,
        interests: args.interests,
        top: args.rank.top,
        days,
        areas: args.areas,
        exclude_groups: args.exclude_groups,
        no_bofs: args.no_bofs,
        vocabulary: args.rank.vocabulary,
    };
    rank::check_filters(&idx, &q)?;
    let recs = rank::recommend_with(&idx, &q, &vocab, &rank::WEIGHTS)?;
    write_out(|out| list::render(&recs, args.format, out))
}

pub fn search(ctx: &Context, args: SearchArgs) -> anyhow::Result<u8> {
    if args.text.trim().is_empty() {
        return Err(Error::input("the search text is empty").into());
    }
    let (_, idx) = super::open_data(ctx)?;
    let recs = rank::search(&idx, &args.text, args.rank.meeting, args.rank.top)?;
    write_out(|out| list::render(&recs, args.format, out))
}

pub fn eval(ctx: &Context, args: EvalArgs) -> anyhow::Result<u8> {
    let bytes = std::fs::read(&args.qrels).map_err(|e| {
        Error::input(format!(
            "cannot read judgements {}: {e}",
            args.qrels.display()
        ))
    })?;
    let judgements = eval::parse_qrels(&bytes, &args.qrels.display().to_string())?;
    let vocab = Vocabulary::load(args.vocabulary.as_deref())?;
    let (_, idx) = super::open_data(ctx)?;
    // For experiments only: `WGREC_EVAL_WEIGHTS='{"term":0.4}'` overrides some weights.
    let weights: rank::Weights = match std::env::var("WGREC_EVAL_WEIGHTS") {
        Ok(j) => serde_json::from_str(&j)
            .map_err(|e| Error::input(format!("WGREC_EVAL_WEIGHTS: {e}")))?,
        Err(_) => rank::WEIGHTS,
    };
    let report =
        eval::run(&idx, &judgements, args.k, &vocab, &weights).context("running the judgements")?;
    // Notes, not data: stdout carries only the table (or the JSON, which lists them too).
    for (id, why) in &report.skipped {
        tracing::warn!("skipped {id}: {why}");
    }
    write_out(|out| match args.format {
        SummaryFormat::Text => out.write_all(eval::to_text(&report).as_bytes()),
        SummaryFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &report).map_err(std::io::Error::other)?;
            writeln!(out)
        }
    })
}

/// Writes to a locked, buffered stdout; a closed pipe surfaces as an io error main treats as OK.
fn write_out(f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> anyhow::Result<u8> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    f(&mut out)?;
    out.flush()?;
    Ok(crate::error::exit::OK)
}
