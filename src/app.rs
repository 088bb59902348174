//! Use cases: what every front end asks of the library. The CLI (`src/cmd/`), `refresh`
//! and the web server call these with plain option structs and get plain types back; nothing here
//! parses arguments, writes data to stdout or names clap.
//!
//! Notes meant for a person (the bundled meeting is in use, a day range was cut to the meeting)
//! go to the caller's [`Notes`] sink: the CLI prints them on stderr, a server may drop them.

pub mod data;
pub mod fetch;
pub mod guide;
pub mod plan;
pub mod query;
pub mod refresh;

pub use data::Data;

/// Where a use case sends notes for a person (one line each, without a `note:` prefix).
pub type Notes<'a> = &'a dyn Fn(&str);

/// A sink that drops every note.
pub fn no_notes(_: &str) {}

/// The async runtime for the use cases that talk to the network. Two workers are plenty: the
/// fetcher's concurrency is small and bounded by its own semaphore.
pub fn runtime() -> crate::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| crate::Error::io("cannot start the async runtime", e))
}
