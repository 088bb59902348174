//! How the fetcher talks to the server: the options (politeness limits, timeouts, caps) and
//! the User-Agent that names wgrec.

use super::{BACKOFF_ENV, DEFAULT_BASE_URL, MAX_WAIT_ENV};
use crate::{Error, Result};
use std::time::Duration;

/// `wgrec/<version> (+<project URL>)`: tells the datatracker's operators who is calling.
pub fn user_agent() -> String {
    format!(
        "wgrec/{} (+{})",
        env!("CARGO_PKG_VERSION"),
        env!("CARGO_PKG_REPOSITORY")
    )
}

/// How to talk to the server. The CLI fills it from its network flags.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Server root, e.g. `https://datatracker.ietf.org` or `http://127.0.0.1:8765`.
    pub base_url: String,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Requests started per second, at most (retries included).
    pub rate: f64,
    /// Whole-request timeout (connect, headers and body).
    pub timeout: Duration,
    /// Largest body accepted, in bytes.
    pub max_body: u64,
    /// Attempts per URL, the first included.
    pub max_attempts: u32,
    pub user_agent: String,
    /// Draw an `indicatif` bar on stderr.
    pub progress: bool,
    /// First retry delay; doubles with each attempt, with jitter.
    pub backoff_base: Duration,
    /// Longest single wait; a `Retry-After` above it makes the URL fail instead.
    pub max_wait: Duration,
    /// When the whole run (every request, retries and waits included) must be over.
    pub deadline: Option<std::time::Instant>,
    /// Store an agenda even when it shrinks the stored schedule by more than half, or to zero.
    pub accept_shrink: bool,
}

impl Default for FetchOptions {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.into(),
            concurrency: 2,
            rate: 5.0,
            timeout: Duration::from_secs(30),
            max_body: 20 * 1024 * 1024,
            max_attempts: 5,
            user_agent: user_agent(),
            progress: false,
            backoff_base: Duration::from_millis(1000),
            max_wait: Duration::from_secs(60),
            deadline: None,
            accept_shrink: false,
        }
    }
}

impl FetchOptions {
    /// Applies the hooks that shorten the backoff waits (`WGREC_BACKOFF_MS`,
    /// `WGREC_MAX_WAIT_MS`, in milliseconds) when they are set; tests rely on them.
    pub fn with_env_overrides(mut self) -> Self {
        let env_ms = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_millis)
        };
        if let Some(d) = env_ms(BACKOFF_ENV) {
            self.backoff_base = d;
        }
        if let Some(d) = env_ms(MAX_WAIT_ENV) {
            self.max_wait = d;
        }
        self
    }
}

/// The slowest `--rate` accepted: one request per 1000 s.
const MIN_RATE: f64 = 0.001;

impl FetchOptions {
    pub(super) fn check(&self) -> Result<()> {
        // A floor, so the spacing between requests (1/rate) stays a sane duration.
        if !(self.rate.is_finite() && self.rate >= MIN_RATE) {
            return Err(Error::input(format!(
                "--rate must be a positive number of requests per second (at least {MIN_RATE}), not {}",
                self.rate
            )));
        }
        if self.concurrency == 0 {
            return Err(Error::input("--concurrency must be at least 1"));
        }
        if self.timeout.is_zero() {
            return Err(Error::input("--timeout must be at least 1 second"));
        }
        match reqwest::Url::parse(&self.base_url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(()),
            _ => Err(Error::input(format!(
                "--base-url must be an http(s) URL, not {:?}",
                self.base_url
            ))),
        }
    }
}
