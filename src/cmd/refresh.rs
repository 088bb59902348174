//! `wgrec refresh`: wires the real fetcher, index and planner into `refresh::refresh` and prints
//! the report. The flow itself lives in `crate::refresh`.
use super::Context;
use crate::cli::{RefreshArgs, SummaryFormat};
use crate::fetch::{self, FetchOptions};
use crate::home::Home;
use crate::index;
use crate::profiles::{self, Profiles};
use crate::refresh::report::{Failure, FetchSummary, Outcome};
use crate::refresh::{self, OfficialPlan, Officials, Pipeline, Target};
use crate::snapshot::Snapshot;
use crate::{Error, Result};
use anyhow::Context as _;
use std::collections::BTreeSet;
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

/// The officials of a profiles file, planned as `wgrec itinerary --profiles` plans them.
struct Profiled(Profiles);

impl Officials for Profiled {
    fn plans(&self, home: &Home, snapshot: &Snapshot, meeting: u32) -> Result<Vec<OfficialPlan>> {
        if let Some(m) = self.0.meeting.filter(|&m| m != meeting) {
            tracing::warn!("the profiles file names meeting {m}; planning for {meeting}");
        }
        let idx = index::ensure(home, snapshot)?;
        let planned = super::itinerary::plan_profiles(snapshot.clone(), idx, &self.0, meeting);
        Ok(self
            .0
            .officials
            .iter()
            .zip(planned)
            .map(|(o, (name, it))| {
                let mut groups: BTreeSet<String> = o.must.iter().cloned().collect();
                let problem = match it {
                    Ok(it) => {
                        groups.extend(it.slots().map(|s| s.chosen.group.clone()));
                        None
                    }
                    Err(e) => Some(format!("{e:#}")),
                };
                OfficialPlan {
                    name,
                    groups,
                    problem,
                }
            })
            .collect())
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
    // A bad profiles file is bad input: refuse it before anything is fetched.
    let profiles = match &args.profiles {
        Some(file) => {
            let text = std::fs::read_to_string(file).map_err(|e| {
                Error::input(format!("cannot read profiles file {}: {e}", file.display()))
            })?;
            Some(Profiled(profiles::parse(
                &text,
                &file.display().to_string(),
            )?))
        }
        None => None,
    };
    let officials = profiles.as_ref().map(|p| p as &dyn Officials);
    let report = refresh::refresh(&ctx.home, target, &Real { opts, rt }, officials)?;
    let out = match args.format {
        SummaryFormat::Text => report.to_text(),
        SummaryFormat::Json => report.to_json(),
    };
    std::io::stdout()
        .lock()
        .write_all(out.as_bytes())
        .map_err(|e| Error::io("writing the report", e))?;
    if report.outcome == Outcome::Partial && !ctx.quiet {
        let failed = report.fetch.failed.len();
        if failed > 0 {
            eprintln!("warning: {failed} downloads failed; their previous copies stay in service");
        }
        for p in &report.problems {
            eprintln!("warning: {p}");
        }
    }
    Ok(report.exit_code)
}
