//! `wgrec guide`: the meeting's policy guide (`crate::guide`) as Markdown, HTML or JSON.
use super::Context;
use crate::cli::GuideArgs;
use crate::guide::{self, GuideQuery};
use crate::rank::Vocabulary;
use crate::render::guide as render;
use std::io::Write;

pub fn run(ctx: &Context, args: GuideArgs) -> anyhow::Result<u8> {
    let vocab = Vocabulary::builtin()?;
    let (snap, idx) = super::open_data(ctx)?;
    let q = GuideQuery {
        meeting: args.meeting,
        since: args.since,
    };
    let g = guide::build(&snap, &idx, &vocab, &q, crate::clock::now())?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    render::render(&g, args.format, &mut out)?;
    out.flush()?;
    Ok(crate::error::exit::OK)
}
