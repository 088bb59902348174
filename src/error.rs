//! The library's error type and the process exit codes it maps to.
//!
//! Exit codes (documented in the README, relied upon by cron jobs and scripts):
//!
//! | code | meaning |
//! |---|---|
//! | 0  | success (for `refresh`: nothing changed) |
//! | 1  | failure: nothing was changed |
//! | 2  | bad input: arguments, interests, profiles or vocabulary files |
//! | 3  | partial failure: some URLs failed, everything else was stored |
//! | 4  | another refresh (or fetch) holds the lock |
//! | 10 | `refresh` applied changes |

use std::path::PathBuf;

pub mod exit {
    pub const OK: u8 = 0;
    pub const FAILURE: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const PARTIAL: u8 = 3;
    pub const LOCKED: u8 = 4;
    pub const CHANGED: u8 = 10;
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The user's input cannot be used as given.
    #[error("{0}")]
    Input(String),

    #[error("meeting {0} is not in the snapshot (known: {1})")]
    UnknownMeeting(u32, String),

    #[error("cannot parse {what}: {detail}")]
    Parse { what: String, detail: String },

    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },

    #[error("request to {url} failed: {detail}")]
    Http { url: String, detail: String },

    #[error("search index error: {0}")]
    Index(#[from] tantivy::TantivyError),

    #[error("{} of {} downloads failed", failed.len(), total)]
    Partial {
        failed: Vec<(String, String)>,
        total: usize,
    },

    /// A failure with what was being done when it happened; the cause stays the source, so a
    /// report shows both and the exit code is the cause's.
    #[error("{context}")]
    Context {
        context: String,
        #[source]
        source: Box<Error>,
    },

    /// Held by a `refresh` or a `fetch` (both write the snapshot).
    #[error("another refresh is running, or a fetch, on this home (lock held on {0})")]
    Locked(PathBuf),

    /// Something in the home that wgrec refuses to use (a symbolic link where it would write).
    #[error("{0}")]
    Unsafe(String),
}

/// The exit code for any error chain: the first library error in it decides, else failure.
pub fn exit_code_of(err: &anyhow::Error) -> u8 {
    err.chain()
        .find_map(|e| e.downcast_ref::<Error>())
        .map_or(exit::FAILURE, Error::exit_code)
}

impl Error {
    pub fn input(msg: impl Into<String>) -> Self {
        Self::Input(msg.into())
    }

    pub fn parse(what: impl Into<String>, detail: impl ToString) -> Self {
        Self::Parse {
            what: what.into(),
            detail: detail.to_string(),
        }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Self::Io {
            context: context.into(),
            source,
        }
    }

    /// Wraps `source` with what was being done.
    pub fn context(context: impl Into<String>, source: Error) -> Self {
        Self::Context {
            context: context.into(),
            source: Box::new(source),
        }
    }

    /// The process exit code this error maps to.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Context { source, .. } => source.exit_code(),
            Self::Input(_) | Self::UnknownMeeting(..) => exit::USAGE,
            Self::Partial { .. } => exit::PARTIAL,
            Self::Locked(_) => exit::LOCKED,
            _ => exit::FAILURE,
        }
    }
}
