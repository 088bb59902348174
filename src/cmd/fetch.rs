//! `wgrec fetch`: download one meeting into `<home>/snapshot`, print a summary on stdout, then one
//! `failed: <url>: <reason>` line per failed URL on stderr. Exit 3 (`exit::PARTIAL`) when some URLs
//! failed but the rest was stored; exit 1 when the agenda itself could not be had (nothing stored).

use super::Context;
use crate::cli::{FetchArgs, NetArgs, SummaryFormat};
use std::io::Write;
use std::time::Duration;
use wgrec::app;
use wgrec::error::exit;
use wgrec::fetch::FetchOptions;

/// The fetcher's settings from the network flags (shared by fetch and refresh).
pub fn fetch_options(a: &NetArgs) -> FetchOptions {
    FetchOptions {
        base_url: a.base_url.clone(),
        concurrency: a.concurrency as usize,
        rate: a.rate,
        timeout: Duration::from_secs(a.timeout),
        max_body: a.max_body,
        max_attempts: a.max_attempts,
        // Counted from when the command line was read: the whole run shares it.
        deadline: std::time::Instant::now().checked_add(Duration::from_secs(a.max_time)),
        accept_shrink: a.accept_shrink,
        ..FetchOptions::default()
    }
    .with_env_overrides()
}

pub fn run(ctx: &Context, args: FetchArgs) -> anyhow::Result<u8> {
    let mut opts = fetch_options(&args.net);
    opts.progress = ctx.show_progress();
    let report = app::fetch::fetch(&ctx.home, &opts, args.meeting)?;

    let mut out = std::io::stdout().lock();
    match args.format {
        SummaryFormat::Text => writeln!(out, "{}", wgrec::render::report::fetch(&report))?,
        SummaryFormat::Json => {
            // Serialised first so a closed pipe surfaces as an io::Error (exit 0, see main.rs).
            let json = serde_json::to_string_pretty(&report)?;
            writeln!(out, "{json}")?;
        }
    }
    out.flush()?;
    drop(out);

    if let Some(err) = report.partial_error() {
        let mut e = std::io::stderr().lock();
        for (url, reason) in &report.failures {
            writeln!(e, "failed: {url}: {reason}")?;
        }
        return Err(err.into());
    }
    Ok(exit::OK)
}
