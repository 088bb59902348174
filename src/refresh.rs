//! Nightly refresh: lock, fetch, rebuild aside, swap, and report what changed.
