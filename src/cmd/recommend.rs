//! `wgrec recommend`, `wgrec search` and `wgrec eval`.
use super::Context;
use crate::cli::{EvalArgs, ListFormat, RecommendArgs, SearchArgs, SummaryFormat};
use std::io::Write;
use wgrec::app::query;
use wgrec::model::Recommendations;
use wgrec::rank::{self, RecommendQuery, Vocabulary};
use wgrec::render::list;
use wgrec::{Error, eval};

pub fn run(ctx: &Context, args: RecommendArgs) -> anyhow::Result<u8> {
    // Check the cheap things before touching the index, in the order a person reads them.
    rank::validate_interests(&args.interests)?;
    let days = super::parse_days(&args.days)?;
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
    let vocab = query::prepare(&q)?;
    let data = ctx.open_data()?;
    let recs = query::recommend(&data, &q, &vocab)?;
    write_out(|out| render_list(ctx, &recs, args.format, out))
}

pub fn search(ctx: &Context, args: SearchArgs) -> anyhow::Result<u8> {
    query::check_search(&args.text)?;
    let vocab = Vocabulary::load(args.rank.vocabulary.as_deref())?;
    let data = ctx.open_data()?;
    let recs = query::search(&data, &args.text, args.rank.meeting, args.rank.top, &vocab)?;
    write_out(|out| render_list(ctx, &recs, args.format, out))
}

pub fn eval(ctx: &Context, args: EvalArgs) -> anyhow::Result<u8> {
    let judgements = query::load_judgements(&args.qrels)?;
    let vocab = Vocabulary::load(args.vocabulary.as_deref())?;
    let data = ctx.open_data()?;
    // For experiments only: `WGREC_EVAL_WEIGHTS='{"term":0.4}'` overrides some weights.
    let weights: rank::Weights = match std::env::var("WGREC_EVAL_WEIGHTS") {
        Ok(j) => serde_json::from_str(&j)
            .map_err(|e| Error::input(format!("WGREC_EVAL_WEIGHTS: {e}")))?,
        Err(_) => rank::WEIGHTS,
    };
    let mut report = query::evaluate(&data, &judgements, args.k, &vocab, &weights)?;
    if let Some(file) = &args.precision {
        let graded = query::load_graded(file)?;
        let g = eval::graded(&data.index, &graded, &vocab, &weights)?;
        for (id, why) in &g.skipped {
            tracing::warn!("skipped graded {id}: {why}");
        }
        report.graded = Some(g);
    }
    // Notes, not data: stdout carries only the table (or the JSON, which lists them too).
    for (id, why) in &report.skipped {
        tracing::warn!("skipped {id}: {why}");
    }
    write_out(|out| match args.format {
        SummaryFormat::Text => out.write_all(wgrec::render::report::eval(&report).as_bytes()),
        SummaryFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &report).map_err(std::io::Error::other)?;
            writeln!(out)
        }
    })
}

fn render_list(
    ctx: &Context,
    recs: &Recommendations,
    format: ListFormat,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        ListFormat::Json => list::json(recs, out),
        ListFormat::Table => {
            let style = list::Style {
                ansi: wgrec::render::ansi_stdout(),
                details: ctx.verbose > 0,
            };
            list::table(recs, style, out)
        }
        ListFormat::Markdown => list::markdown(recs, out),
        ListFormat::Csv => list::csv(recs, out),
    }
}

/// Writes to a locked, buffered stdout; a closed pipe surfaces as an io error main treats as OK.
/// The last guard against terminal escapes: whatever was rendered, no control character but
/// line breaks and tabs reaches the terminal (upstream text was already cleaned when parsed).
/// A table on a terminal keeps its own bold on/off sequences and nothing else.
fn write_out(f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> anyhow::Result<u8> {
    let mut buf = Vec::new();
    f(&mut buf)?;
    let text = wgrec::render::without_controls_but_bold(&String::from_utf8_lossy(&buf));
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(wgrec::error::exit::OK)
}
