//! `wgrec index`: build (or rebuild with `--force`) the search index from the snapshot.
use super::Context;
use crate::cli::IndexArgs;
use anyhow::Context as _;
use wgrec::app;

pub fn run(ctx: &Context, args: IndexArgs) -> anyhow::Result<u8> {
    // A named home must exist: only fetch and refresh create one.
    ctx.home.check_for_reading()?;
    let snap = app::data::open_snapshot(&ctx.home, &|n| ctx.note(n))?;
    // The bundled meeting's index lives in the user's cache, where the read commands look.
    let home = wgrec::index::kept_in(&ctx.home, &snap).ok_or_else(|| {
        wgrec::Error::input(
            "there is no private cache folder to keep the bundled meeting's index in (set \
             XDG_CACHE_HOME or HOME to a folder of yours); the read commands build it in memory \
             instead",
        )
    })?;
    let fresh = wgrec::index::is_fresh(&home, &snap)?;
    if fresh && !args.force {
        if !ctx.quiet {
            eprintln!("index is up to date");
        }
    } else {
        wgrec::index::rebuild(&home, &snap).context("building the search index")?;
    }
    let idx = wgrec::index::ensure(&home, &snap)?;
    if !ctx.quiet {
        let meetings: Vec<String> = idx.meetings().iter().map(u32::to_string).collect();
        eprintln!(
            "index: {} sessions of meeting(s) {} in {}",
            idx.meta.documents,
            meetings.join(", "),
            idx.dir.display()
        );
    }
    Ok(wgrec::error::exit::OK)
}
