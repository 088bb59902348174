//! One file per subcommand: each turns resolved arguments into calls on the pipeline modules and
//! writes the result. No pipeline logic lives here.

pub mod fetch;
pub mod index;
pub mod itinerary;
pub mod recommend;
pub mod refresh;
pub mod serve;

use crate::cli::GlobalArgs;
use crate::home::Home;

/// What every command needs besides its own arguments.
#[derive(Debug, Clone)]
pub struct Context {
    pub home: Home,
    pub quiet: bool,
    pub verbose: u8,
}

impl Context {
    pub fn new(g: &GlobalArgs) -> Self {
        Self {
            home: Home::new(&g.home),
            quiet: g.quiet,
            verbose: g.verbose,
        }
    }

    /// Progress bars only for a person watching a terminal.
    pub fn show_progress(&self) -> bool {
        use std::io::IsTerminal;
        !self.quiet && std::io::stderr().is_terminal()
    }
}

use crate::index::SearchIndex;
use crate::snapshot::{BUNDLED_MEETING, Snapshot};
use anyhow::Context as _;

/// The async runtime for the commands that talk to the network. Two workers are plenty: the
/// fetcher's concurrency is small and bounded by its own semaphore.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// The snapshot in the home, or the bundled IETF 115 meeting when the home has none (said once
/// on stderr), with its index, built first when it is missing or older than the snapshot.
pub fn open_data(ctx: &Context) -> anyhow::Result<(Snapshot, SearchIndex)> {
    let snap = open_snapshot(ctx)?;
    let idx = match crate::index::ensure(&ctx.home, &snap) {
        Ok(idx) => idx,
        // The bundled meeting must answer even from a read-only directory: its index is then
        // kept in a scratch folder instead.
        Err(err) if snap.is_bundled() => {
            let scratch = crate::home::Home::new(
                std::env::temp_dir().join(format!("wgrec-bundled-{BUNDLED_MEETING}")),
            );
            let idx = crate::index::ensure(&scratch, &snap)
                .map_err(|_| err)
                .with_context(|| {
                    format!(
                        "opening the search index in {}",
                        ctx.home.index_dir().display()
                    )
                })?;
            if !ctx.quiet {
                eprintln!(
                    "note: {} is not writable; the bundled meeting's index is kept in {}",
                    ctx.home.index_dir().display(),
                    scratch.index_dir().display()
                );
            }
            idx
        }
        Err(err) => {
            return Err(anyhow::Error::new(err).context(format!(
                "opening the search index in {}",
                ctx.home.index_dir().display()
            )));
        }
    };
    Ok((snap, idx))
}

/// The home's snapshot, else the bundled one (with the stderr note).
pub fn open_snapshot(ctx: &Context) -> anyhow::Result<Snapshot> {
    let dir = ctx.home.snapshot_dir();
    Ok(match Snapshot::open(&dir)? {
        Some(s) => s,
        None => {
            if !ctx.quiet {
                eprintln!(
                    "note: no snapshot in {}; using the bundled IETF {BUNDLED_MEETING} meeting (run `wgrec fetch --meeting N` for another)",
                    ctx.home.root().display()
                );
            }
            Snapshot::bundled()
        }
    })
}

/// Parses `YYYY-MM-DD` dates given on the command line.
pub fn parse_days(days: &[String]) -> Result<Vec<chrono::NaiveDate>, crate::Error> {
    days.iter()
        .map(|d| {
            chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| {
                crate::Error::input(format!("--day {d:?} is not a date like 2022-11-07"))
            })
        })
        .collect()
}
