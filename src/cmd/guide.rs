//! `wgrec guide`: the meeting's policy guide (`app::guide`) as Markdown, HTML or JSON on stdout.
use super::Context;
use crate::cli::{GuideArgs, GuideFormat};
use std::io::Write;
use wgrec::app;
use wgrec::guide::GuideQuery;
use wgrec::render::guide::{self as render, Format};

pub fn run(ctx: &Context, args: GuideArgs) -> anyhow::Result<u8> {
    let data = ctx.open_data()?;
    let q = GuideQuery {
        meeting: args.meeting,
        since: args.since,
    };
    let g = app::guide::guide(&data, &q)?;
    let format = match args.format {
        GuideFormat::Markdown => Format::Markdown,
        GuideFormat::Html => Format::Html,
        GuideFormat::Json => Format::Json,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    render::render(&g, format, &mut out)?;
    out.flush()?;
    Ok(wgrec::error::exit::OK)
}
