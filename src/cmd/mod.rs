//! One file per subcommand: each turns resolved arguments into calls on the pipeline modules and
//! writes the result. No pipeline logic lives here.

pub mod fetch;
pub mod index;
pub mod itinerary;
pub mod recommend;
pub mod refresh;

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
