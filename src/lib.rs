//! wgrec: which IETF working-group sessions to attend, and why.
//!
//! The pipeline, one module per stage: `fetch` (datatracker over HTTP) -> `snapshot` (raw responses
//! on disk) -> `parse` (agenda and group pages into `model` types) -> `index` (tantivy) -> `rank`
//! (BM25 + policy vocabulary, with explanations) -> `plan` (itineraries) -> `render` (table, JSON,
//! CSV, Markdown, ICS). `app` holds the use cases every front end calls (open the data, recommend,
//! search, plan, fetch, refresh, eval) with plain types. The command-line front end is not part of
//! the library: the binary (`src/main.rs` with its own modules `cli`, the parser,
//! `cmd`, one use-case call per subcommand, and `arena`, its allocator; this file declares none
//! of them) owns parsing, dispatch, logging and exit codes.

pub mod app;
pub mod atomic;
pub mod clock;
pub mod error;
pub mod eval;
pub mod fetch;
pub mod guide;
pub mod home;
pub mod hook;
pub mod index;
pub mod model;
pub mod parse;
pub mod plan;
pub mod profiles;
pub mod rank;
pub mod refresh;
pub mod render;
pub mod serve;
pub mod slug;
pub mod snapshot;

pub use error::{Error, Result};
