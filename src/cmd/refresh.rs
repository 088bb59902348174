//! `wgrec refresh`: wires the real fetcher, index and planner into `refresh::refresh` and prints
//! the report. The flow itself lives in `crate::refresh`.
use super::Context;
use crate::cli::{RefreshArgs, SummaryFormat};
use crate::fetch::{self, FetchOptions};
use crate::home::Home;
use crate::index;
use crate::refresh::report::{Failure, FetchSummary, Outcome};
use crate::refresh::{self, Pipeline, Target};
use crate::snapshot::Snapshot;
use crate::{Error, Result};
use anyhow::Context as _;
use std::io::Write;
use std::path::Path;

/// The datatracker fetcher and the tantivy index, driven from a single tokio runtime.
struct Real {
    opts: FetchOptions,
    rt: tokio::runtime::Runtime,
}

impl Pipeline for Real {
    fn upcoming(&self) -> Result<u32> {
        let n = self.rt.block_on(fetch::upcoming_meeting(&self.opts))?;
        tracing::info!("the upcoming meeting is IETF {n}");
        Ok(n)
    }

    fn fetch(&self, snapshot_dir: &Path, meeting: u32) -> Result<FetchSummary> {
        let r = self
            .rt
            .block_on(fetch::fetch_meeting(&self.opts, snapshot_dir, meeting))?;
        Ok(FetchSummary {
            requests: usize::try_from(r.requests).unwrap_or(usize::MAX),
            not_modified: r.not_modified,
            changed: r.changed,
            failed: r
                .failures
                .into_iter()
                .map(|(url, reason)| Failure { url, reason })
                .collect(),
        })
    }

    fn index_is_current(&self, home: &Home, snapshot: &Snapshot) -> Result<bool> {
        index::is_fresh(home, snapshot)
    }

    fn rebuild_index(&self, home: &Home, snapshot: &Snapshot) -> Result<()> {
        index::rebuild(home, snapshot)
    }
}

pub fn run(ctx: &Context, args: RefreshArgs) -> anyhow::Result<u8> {
    let mut opts = FetchOptions::from(&args.net);
    opts.progress = ctx.show_progress();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let target = match args.meeting {
        Some(n) => Target::Meeting(n),
        None => Target::Upcoming,
    };
    if args.profiles.is_some() {
        return Err(Error::input("--profiles is not available yet").into());
    }
    let report = refresh::refresh(&ctx.home, target, &Real { opts, rt }, None)?;
    let out = match args.format {
        SummaryFormat::Text => report.to_text(),
        SummaryFormat::Json => report.to_json(),
    };
    std::io::stdout()
        .lock()
        .write_all(out.as_bytes())
        .map_err(|e| Error::io("writing the report", e))?;
    if report.outcome == Outcome::Partial && !ctx.quiet {
        eprintln!(
            "warning: {} downloads failed; their previous copies stay in service",
            report.fetch.failed.len()
        );
    }
    Ok(report.exit_code)
}
