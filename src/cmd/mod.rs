//! One file per subcommand: each resolves its arguments into the plain options of a use case
//! (`wgrec::app`), calls it and renders the result. No pipeline logic lives here.

pub mod fetch;
pub mod guide;
pub mod index;
pub mod itinerary;
pub mod recommend;
pub mod refresh;
pub mod serve;

use crate::cli::GlobalArgs;
use wgrec::home::Home;

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
            home: match &g.home {
                Some(h) => Home::named(h),
                None => Home::new("."),
            },
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

impl Context {
    /// Prints a use case's notes on stderr as `note: ...`, unless `-q`.
    pub fn note(&self, text: &str) {
        if !self.quiet {
            eprintln!("note: {text}");
        }
    }

    /// The home's data (snapshot or bundled meeting, and an index), notes and warnings on
    /// stderr.
    pub fn open_data(&self) -> wgrec::Result<wgrec::app::Data> {
        let data = wgrec::app::Data::open(&self.home, &|n| self.note(n))?;
        if !self.quiet {
            for w in &data.warnings {
                eprintln!("warning: {w}");
            }
        }
        Ok(data)
    }
}

/// Parses `YYYY-MM-DD` dates given on the command line.
pub fn parse_days(days: &[String]) -> Result<Vec<chrono::NaiveDate>, wgrec::Error> {
    days.iter()
        .map(|d| {
            chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| {
                wgrec::Error::input(format!("--day {d:?} is not a date like 2022-11-07"))
            })
        })
        .collect()
}
