//! The refresh report: what was fetched, whether the index was swapped, what changed for readers,
//! and whom to tell. Serialized as the `--format json` contract; rendered as text for cron mail
//! by `render::report::refresh`.

use super::diff::{Changes, Item};
use crate::error::exit;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// How the run ended, mirrored by the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Nothing fetched had changed and the index was current: nothing was rewritten.
    NoChange,
    /// New data is in service.
    Changed,
    /// Some downloads failed (whatever did arrive is in service), or the new data is in service
    /// but could not be recorded for the next report.
    Partial,
}

impl Outcome {
    pub fn exit_code(self) -> u8 {
        match self {
            Self::NoChange => exit::OK,
            Self::Changed => exit::CHANGED,
            Self::Partial => exit::PARTIAL,
        }
    }
}

/// What the fetch stage did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FetchSummary {
    /// URLs requested (conditional requests included).
    pub requests: usize,
    /// Answered `304 Not Modified` (or identical bodies): nothing written for them.
    pub not_modified: usize,
    /// URL paths whose stored body changed.
    pub changed: Vec<String>,
    pub failed: Vec<Failure>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    pub url: String,
    pub reason: String,
}

/// The changes that concern one official (from `--profiles`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficialNotice {
    pub name: String,
    pub changes: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub meeting: u32,
    pub outcome: Outcome,
    pub exit_code: u8,
    /// No earlier state of this meeting to compare with: the change lists are empty.
    pub first_refresh: bool,
    pub fetch: FetchSummary,
    /// The changes were found although this run's fetch changed no file: an earlier refresh
    /// stored the files but did not finish (killed, or its report could not be written). The
    /// fetch counts compare with the snapshot, the changes with the last reported state.
    #[serde(default)]
    pub stored_by_earlier_run: bool,
    /// A new index generation was built and swapped in.
    pub index_rebuilt: bool,
    /// Sessions on the agenda now in service.
    pub sessions: usize,
    pub changes: Changes,
    /// Present with `--profiles`: every official, with the changes that touch their itinerary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub officials: Option<Vec<OfficialNotice>>,
    /// What went wrong without stopping the refresh (besides failed downloads).
    #[serde(default)]
    pub problems: Vec<String>,
    /// The meeting's IANA zone, for the text report's times (serialised as its name).
    pub timezone: Tz,
}

impl Report {
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("report serializes") + "\n"
    }
}
