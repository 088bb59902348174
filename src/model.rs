//! Data types shared by every pipeline stage: defined once here, passed between stages as plain
//! values. Nothing in this module does I/O.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A meeting as the agenda describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    pub number: u32,
    pub city: String,
    /// First and last day, in the meeting's local calendar.
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    /// The meeting's IANA zone, e.g. `Europe/Dublin`; `UTC` when the source does not say.
    /// Parsed once where the agenda is read (`parse::agenda`); serialised as its name.
    pub timezone: Tz,
}

/// `Session.current_status` as the datatracker names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SessionStatus {
    Scheduled,
    Cancelled,
    Rescheduled,
    /// Any other slug (`notmeet`, `appr`, ...), kept verbatim.
    Other(String),
}

impl SessionStatus {
    pub fn from_slug(slug: &str) -> Self {
        match slug {
            "sched" | "scheda" | "schedw" => Self::Scheduled,
            "canceled" | "canceledpa" | "cancelled" => Self::Cancelled,
            "resched" => Self::Rescheduled,
            other => Self::Other(other.to_string()),
        }
    }

    pub fn slug(&self) -> &str {
        match self {
            Self::Scheduled => "sched",
            Self::Cancelled => "canceled",
            Self::Rescheduled => "resched",
            Self::Other(s) => s,
        }
    }

    /// Cancelled sessions stay on the agenda as tombstones; nobody should be sent to one.
    pub fn is_cancelled(&self) -> bool {
        matches!(self, Self::Cancelled)
            || matches!(self, Self::Other(s) if s == "notmeet" || s == "deleted" || s == "disappr")
    }
}

impl Serialize for SessionStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.slug())
    }
}

impl<'de> Deserialize<'de> for SessionStatus {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(Self::from_slug(&s))
    }
}

/// One session of one group at one meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// Stable key `<meeting>-<acronym>-<n>`, n counting the group's sessions by start time from 1.
    pub id: String,
    pub meeting: u32,
    /// The datatracker's Session pk, when known.
    pub session_id: Option<u64>,
    /// Group acronym as it was at the meeting.
    pub group: String,
    pub group_name: String,
    /// Session name; often equal to the group name.
    pub name: String,
    /// Parent (area) acronym, e.g. `sec`, `irtf`.
    pub area: Option<String>,
    pub group_type: Option<String>,
    pub is_bof: bool,
    #[serde(with = "instant")]
    pub start: DateTime<Utc>,
    #[serde(with = "instant")]
    pub end: DateTime<Utc>,
    pub room: Option<String>,
    pub status: SessionStatus,
    /// Absolute URL of the session's agenda document, as the data gives it.
    pub agenda_url: Option<String>,
    /// Free-text note from the agenda ("Joint with X").
    pub note: String,
}

/// Instants as RFC 3339 text in human-readable formats (JSON outputs: unchanged), and as
/// seconds and nanoseconds since the epoch in binary ones (the index digest's agendas, where
/// parsing the text was half the cost of reading an agenda).
mod instant {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error as _};

    pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            t.serialize(s)
        } else {
            (t.timestamp(), t.timestamp_subsec_nanos()).serialize(s)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        if d.is_human_readable() {
            DateTime::<Utc>::deserialize(d)
        } else {
            let (secs, nanos) = <(i64, u32)>::deserialize(d)?;
            DateTime::from_timestamp(secs, nanos)
                .ok_or_else(|| D::Error::custom("instant out of range"))
        }
    }
}

/// A parsed agenda: the meeting and all its sessions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agenda {
    pub meeting: Meeting,
    pub sessions: Vec<Session>,
    /// Area acronym -> full name, where the source carries it.
    pub area_names: BTreeMap<String, String>,
}

/// What a group's about page says about it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupInfo {
    pub acronym: String,
    pub name: String,
    /// `WG`, `RG`, ... as the page labels it.
    pub group_type: Option<String>,
    pub area: Option<String>,
    pub area_name: Option<String>,
    pub state: Option<String>,
    /// Charter text, or the group description when there is no charter.
    pub charter: String,
}

/// A session as it appears in results: enough to find and attend it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionRef {
    pub id: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub room: Option<String>,
    pub status: SessionStatus,
}

/// How firmly a result answers the interest: `Strong` when the group's own work is about it,
/// `Possible` when it is related and worth a look. Serialised as `"strong"` / `"possible"`.
/// Strong sorts first (`Strong < Possible`). How it is decided: `crate::rank`, docs/rank.md.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    Strong,
    #[default]
    Possible,
}

impl Strength {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Strong => "strong",
            Self::Possible => "possible",
        }
    }

    /// In words for people: "strong match" / "possible match".
    pub fn label(self) -> &'static str {
        match self {
            Self::Strong => "strong match",
            Self::Possible => "possible match",
        }
    }

    pub fn is_strong(self) -> bool {
        self == Self::Strong
    }
}

impl std::fmt::Display for Strength {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One recommended group with its sessions and the reasons it was chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    pub rank: usize,
    pub group: String,
    pub group_name: String,
    pub area: Option<String>,
    pub is_bof: bool,
    pub sessions: Vec<SessionRef>,
    pub score: f32,
    pub matched_interests: Vec<String>,
    pub matched_terms: Vec<String>,
    pub excerpt: String,
    /// `strong` when the group's own work is about one of the interests, else `possible`.
    #[serde(default)]
    pub strength: Strength,
    /// The interests this group is a strong match for (a subset of `matched_interests`).
    #[serde(default)]
    pub strong_interests: Vec<String>,
    /// One plain sentence tying the group to the interest, for readers who are not engineers.
    #[serde(default)]
    pub reason: String,
}

/// Words to try instead of a word the meeting's texts and the vocabulary do not know.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub interest: String,
    /// The word as given.
    pub word: String,
    /// Known spellings close to it, closest first.
    pub did_you_mean: Vec<String>,
}

/// The result of `recommend`: the `--format json` contract documented in the README.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendations {
    pub meeting: u32,
    pub interests: Vec<String>,
    pub results: Vec<Recommendation>,
    /// Interests no group at the meeting is a strong match for (results, if any, are possible).
    #[serde(default)]
    pub no_strong_match: Vec<String>,
    /// Plain sentences for the reader: an interest with no strong match, spellings to try,
    /// interests matched in English.
    #[serde(default)]
    pub notes: Vec<String>,
    /// Spellings to try for words of an interest that the meeting's texts do not know.
    #[serde(default)]
    pub suggestions: Vec<Suggestion>,
    /// The meeting's IANA time zone; renderers and the planner need it, the JSON contract does not.
    #[serde(skip)]
    pub timezone: Tz,
    /// What the reader should know about the data behind these results (an incomplete
    /// snapshot, an index older than the snapshot); empty when nothing.
    #[serde(default)]
    pub warnings: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_text_in_json_and_numbers_in_the_digest() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let s = Session {
            id: "115-x-1".into(),
            meeting: 115,
            session_id: None,
            group: "x".into(),
            group_name: "X".into(),
            name: "X".into(),
            area: None,
            group_type: None,
            is_bof: false,
            start: at("2022-11-07T09:30:00Z"),
            end: at("2022-11-07T11:30:00.25Z"),
            room: None,
            status: SessionStatus::Scheduled,
            agenda_url: None,
            note: String::new(),
        };
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["start"], serde_json::json!(s.start));
        assert_eq!(json["start"], "2022-11-07T09:30:00Z");
        let back: Session = serde_json::from_value(json).unwrap();
        assert_eq!(back, s);
        let bytes = postcard::to_allocvec(&s).unwrap();
        assert!(!bytes.windows(4).any(|w| w == b"2022"));
        assert_eq!(postcard::from_bytes::<Session>(&bytes).unwrap(), s);
    }
}
