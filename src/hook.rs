//! Test-only pause points: `WGREC_TEST_PAUSE=<point>` makes a refresh stop at that point, say
//! `paused at <point>` on stderr and sleep, so a test can kill it there with SIGKILL.
//!
//! Points, in order: `after-lock`, `after-fetch`, `before-index`, `mid-index-build` (documents
//! added, nothing committed; in `index`), `before-swap` (new generation complete, `CURRENT` not
//! yet switched; in `index`), `after-index`, `before-record`, `after-record`.
//! `WGREC_TEST_PAUSE_MS=<n>` makes the pause last n milliseconds and then carry on, so a test
//! can act while a refresh is held at a point without killing it. Unset (the normal case), this
//! costs one environment lookup per point.

use std::io::Write;
use std::time::Duration;

pub const PAUSE_ENV: &str = "WGREC_TEST_PAUSE";
pub const PAUSE_MS_ENV: &str = "WGREC_TEST_PAUSE_MS";

/// How long a paused process waits before carrying on, should nobody kill it.
const PAUSE_FOR: Duration = Duration::from_secs(60);

/// Pauses here if `WGREC_TEST_PAUSE` names this point (a comma-separated list is accepted).
pub fn pause(point: &str) {
    let Ok(v) = std::env::var(PAUSE_ENV) else {
        return;
    };
    if v.split(',').any(|p| p.trim() == point) {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "paused at {point}");
        let _ = err.flush();
        drop(err);
        let d = std::env::var(PAUSE_MS_ENV)
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .map_or(PAUSE_FOR, Duration::from_millis);
        std::thread::sleep(d);
    }
}
