//! wgrec: which IETF working-group sessions to attend, and why.
//!
//! The pipeline, one module per stage:
//! `fetch` (datatracker over HTTP) -> `snapshot` (raw responses on disk) -> `parse` (agenda and
//! group pages into `model` types) -> `index` (tantivy) -> `rank` (BM25 + policy vocabulary,
//! with explanations) -> `plan` (itineraries) -> `render` (table, JSON, CSV, Markdown, ICS).
//! `cmd` glues the stages together for each subcommand; `cli` only parses.

pub mod app;
pub mod cli;
pub mod clock;
pub mod cmd;
pub mod error;
pub mod eval;
pub mod fetch;
pub mod home;
pub mod index;
pub mod model;
pub mod parse;
pub mod plan;
pub mod profiles;
pub mod rank;
pub mod refresh;
pub mod render;
pub mod serve;
pub mod snapshot;

pub use error::{Error, Result};

use std::process::ExitCode;

/// Runs one parsed command line. Returns the exit code on success paths (refresh has several).
pub fn run(cli: cli::Cli) -> anyhow::Result<ExitCode> {
    init_logging(&cli.global);
    let ctx = cmd::Context::new(&cli.global);
    let code = match cli.command {
        cli::Command::Fetch(a) => cmd::fetch::run(&ctx, a)?,
        cli::Command::Index(a) => cmd::index::run(&ctx, a)?,
        cli::Command::Recommend(a) => cmd::recommend::run(&ctx, a)?,
        cli::Command::Search(a) => cmd::recommend::search(&ctx, a)?,
        cli::Command::Eval(a) => cmd::recommend::eval(&ctx, a)?,
        cli::Command::Itinerary(a) => cmd::itinerary::run(&ctx, a)?,
        cli::Command::Refresh(a) => cmd::refresh::run(&ctx, a)?,
        cli::Command::Serve(a) => cmd::serve::run(&ctx, a)?,
    };
    Ok(ExitCode::from(code))
}

/// Logs go to stderr; stdout carries only data. `RUST_LOG` overrides the verbosity flags.
fn init_logging(g: &cli::GlobalArgs) {
    let level = if g.quiet {
        "error"
    } else {
        match g.verbose {
            0 => "warn",
            1 => "info",
            2 => "debug",
            _ => "trace",
        }
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(format!("wgrec={level}")));
    // Colour only for a person at a terminal: cron mail and the journal get plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr())
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
        .try_init();
}
