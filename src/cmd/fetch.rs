//! `wgrec fetch`: download one meeting into `<home>/snapshot`, print a summary on stdout, then one
//! `failed: <url>: <reason>` line per failed URL on stderr. Exit 3 (`exit::PARTIAL`) when some URLs
//! failed but the rest was stored; exit 1 when the agenda itself could not be had (nothing stored).

use super::Context;
use crate::cli::{FetchArgs, SummaryFormat};
use crate::error::exit;
use crate::fetch::{self, FetchOptions};
use crate::refresh::lock::RefreshLock;
use anyhow::Context as _;
use std::io::Write;

pub fn run(ctx: &Context, args: FetchArgs) -> anyhow::Result<u8> {
    let mut opts = FetchOptions::from(&args.net);
    opts.progress = ctx.show_progress();
    // The snapshot has one writer at a time: a fetch and a refresh (or two fetches) on the same
    // home would interleave their files and manifests.
    ctx.home.check_for_writing()?;
    let _lock = RefreshLock::acquire(&ctx.home)?;
    let dir = ctx.home.snapshot_dir();
    let runtime = super::runtime()?;
    let report = runtime
        .block_on(fetch::fetch_meeting(&opts, &dir, args.meeting))
        .with_context(|| format!("fetching meeting {} failed", args.meeting))?;

    let mut out = std::io::stdout().lock();
    match args.format {
        SummaryFormat::Text => writeln!(out, "{report}")?,
        SummaryFormat::Json => {
            // Serialised first so a closed pipe surfaces as an io::Error (exit 0, see main.rs).
            let json = serde_json::to_string_pretty(&report)?;
            writeln!(out, "{json}")?;
        }
    }
    out.flush()?;
    drop(out);
    // The writer keeps the index current, so readers (which never write) find one.
    index_after_fetch(ctx, &dir);

    if let Some(err) = report.partial_error() {
        let mut e = std::io::stderr().lock();
        for (url, reason) in &report.failures {
            writeln!(e, "failed: {url}: {reason}")?;
        }
        return Err(err.into());
    }
    Ok(exit::OK)
}

/// Builds the home's index when the snapshot changed; a failure only warns (readers then build
/// one in memory and say so).
fn index_after_fetch(ctx: &Context, dir: &std::path::Path) {
    let Ok(Some(snap)) = crate::snapshot::Snapshot::open(dir) else {
        return;
    };
    if crate::index::is_fresh(&ctx.home, &snap).unwrap_or(false) {
        return;
    }
    if let Err(e) = crate::index::rebuild(&ctx.home, &snap) {
        tracing::warn!("the search index could not be built: {e}");
    }
}
