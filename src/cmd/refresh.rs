//! `wgrec refresh`: resolves the arguments, runs `app::refresh` and prints the report (text or
//! JSON; a failed run still prints a JSON object in JSON mode).
use super::Context;
use crate::cli::{RefreshArgs, SummaryFormat};
use std::io::Write;
use wgrec::app;
use wgrec::refresh::Target;
use wgrec::refresh::report::{Outcome, Report};
use wgrec::{Error, Result};

pub fn run(ctx: &Context, args: RefreshArgs) -> anyhow::Result<u8> {
    let format = args.format;
    let started_report = std::cell::Cell::new(false);
    let result = run_inner(ctx, args, &started_report);
    if let (Err(e), SummaryFormat::Json, false) = (&result, format, started_report.get()) {
        // Scripts reading the JSON get an object for a failed run too; not when the report
        // itself was being written (stdout failed, and half a report plus this is no JSON).
        let code = wgrec::error::exit_code_of(e);
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

/// Stays whole: the refresh command's argument resolution, in the order the help lists them.
fn run_inner(
    ctx: &Context,
    args: RefreshArgs,
    started_report: &std::cell::Cell<bool>,
) -> anyhow::Result<u8> {
    let mut opts = super::fetch::fetch_options(&args.net);
    opts.progress = ctx.show_progress();
    ctx.home.check_for_writing()?;
    let target = match args.meeting {
        Some(n) => Target::Meeting(n),
        None => Target::Upcoming,
    };
    let profiles = args
        .profiles
        .as_deref()
        .map(|file| app::refresh::load_profiles(file, target))
        .transpose()?;
    let format = args.format;
    let guide = args.guide.clone();
    // The record is committed only once the report is on stdout, flushed: a report that could
    // not be written is reported again by the next run.
    let mut deliver = |report: &Report| -> Result<()> {
        let out = match format {
            SummaryFormat::Text => {
                wgrec::render::without_controls(&wgrec::render::report::refresh(report))
            }
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
    let report = app::refresh::refresh(&ctx.home, target, opts, profiles, &mut deliver)?;
    if report.outcome == Outcome::Partial && !ctx.quiet {
        let failed = report.fetch.failed.len();
        if failed > 0 {
            eprintln!("warning: {failed} downloads failed; their previous copies stay in service");
        }
        for p in &report.problems {
            eprintln!("warning: {p}");
        }
    }
    let mut code = report.exit_code;
    if let Some(path) = guide
        && (report.outcome != Outcome::NoChange || !path.exists())
    {
        // The refresh itself succeeded and its report is out: a guide that cannot be written is
        // a partial failure, said on stderr, never a reason to undo the refresh.
        match ctx
            .open_data()
            .and_then(|d| app::guide::write_file(&d, report.meeting, &path))
        {
            Ok(_) => {
                if !ctx.quiet {
                    eprintln!(
                        "guide for IETF {} written to {}",
                        report.meeting,
                        path.display()
                    );
                }
            }
            Err(e) => {
                eprintln!(
                    "warning: the guide could not be written to {}: {e}",
                    path.display()
                );
                code = wgrec::error::exit::PARTIAL;
            }
        }
    }
    Ok(code)
}
