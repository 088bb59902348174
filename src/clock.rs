//! The current time, with a fixed-clock hook: `WGREC_NOW=2024-11-04T12:00:00Z` makes every
//! timestamp wgrec writes (calendar stamps, report times) deterministic, for tests and reproducible
//! output.

use chrono::{DateTime, Utc};

pub const NOW_ENV: &str = "WGREC_NOW";

pub fn now() -> DateTime<Utc> {
    std::env::var(NOW_ENV)
        .ok()
        .and_then(|s| DateTime::parse_from_rfc3339(s.trim()).ok())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(Utc::now)
}
