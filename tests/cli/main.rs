//! wgrec's integration tests, through the binary: one test binary (the crate links once) with a
//! module per command family, sharing the helpers in `common` (a loopback mock datatracker, an
//! isolated `wgrec` command builder).

mod browser;
mod common;
mod fetch;
mod guide;
mod itinerary;
mod layering;
mod recommend;
mod refresh;
mod serve;
mod strength;
mod version;
