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
    fn meeting(&self) -> Option<u32> {
        self.0.meeting
    }

    fn plans(&self, home: &Home, snapshot: &Snapshot, meeting: u32) -> Result<Vec<OfficialPlan>> {
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
    let format = args.format;
    let started_report = std::cell::Cell::new(false);
    let result = run_inner(ctx, args, &started_report);
    if let (Err(e), SummaryFormat::Json, false) = (&result, format, started_report.get()) {
        // Scripts reading the JSON get an object for a failed run too; not when the report
        // itself was being written (stdout failed, and half a report plus this is no JSON).
        let code = crate::error::exit_code_of(e);
        let json = serde_json::json!({
            "outcome": "failed",
            "exit_code": code,
            "error": format!("{e:#}"),
        });
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        );
        let _ = out.flush();
    }
    result
}

fn run_inner(
    ctx: &Context,
    args: RefreshArgs,
    started_report: &std::cell::Cell<bool>,
) -> anyhow::Result<u8> {
    let mut opts = FetchOptions::from(&args.net);
    opts.progress = ctx.show_progress();
    ctx.home.check_for_writing()?;
    let rt = super::runtime()?;
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
            let p = profiles::parse(&text, &file.display().to_string())?;
            if let (Some(m), Target::Meeting(n)) = (p.meeting, target)
                && m != n
            {
                return Err(refresh::profiles_mismatch(m, n).into());
            }
            Some(Profiled(p))
        }
        None => None,
    };
    let officials = profiles.as_ref().map(|p| p as &dyn Officials);
    let format = args.format;
    // The record is committed only once the report is on stdout, flushed: a report that could
    // not be written is reported again by the next run.
    let mut deliver = |report: &refresh::report::Report| -> Result<()> {
        let out = match format {
            SummaryFormat::Text => report.to_text(),
            SummaryFormat::Json => report.to_json(),
        };
        started_report.set(true);
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(out.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(|e| {
                // Not a BrokenPipe any more: for refresh a lost report is a failure (exit 1),
                // not the reader's choice.
                Error::io(
                    "writing the report (the record was kept: the next refresh reports these \
                     changes again)",
                    std::io::Error::other(e.to_string()),
                )
            })
    };
    let report = refresh::refresh_and_deliver(
        &ctx.home,
        target,
        &Real { opts, rt },
        officials,
        &mut deliver,
    )?;
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
