//! Ranking: a meeting's groups for stated interests, best first, each with the reasons.
//!
//! How it works:
//! 1. Each interest is split into words with the index's own analyzers (never a query parser: a
//!    person's words are never query syntax). The whole interest is a phrase unit, each content
//!    word a word unit. Vocabulary topics whose name or alias occurs in the interest (on stemmed
//!    words, longest match wins) add their `terms` and, weaker, their `related` words.
//! 2. Every unit is searched as its own BM25 query over the fields with boosts (acronym and group
//!    name above agenda above charter); a unit's score times its weight (own words > vocabulary
//!    terms > related words) adds up to the interest's score of a session.
//! 3. A group scores the best of its eligible sessions (not cancelled, inside the filters).
//! 4. Interests get their share: each interest's scores are divided by that interest's best score
//!    (so every interest's best group scores 1), groups under [`SHARE_FLOOR`] of the best are
//!    not candidates for that interest, and the list is filled round by round: each round takes
//!    every interest's best group not yet listed, ordered within the round by the summed
//!    per-interest scores. A group that matches several interests thus comes early, and three
//!    interests never give ten groups for the first one alone. `score` is that sum.
//! 5. Reasons: the interests whose normalised score reaches [`SHARE_FLOOR`], the units that hit
//!    any of the group's eligible sessions (heaviest first), and an excerpt of its agenda or charter with
//!    the matching words in `**bold**` (the same marker in every output format).

pub mod digest;
mod judge;
mod recommend;
mod score;
mod search;
pub mod strength;
pub mod suggest;
pub mod text;
mod units;
pub mod vocab;

pub use search::search;

use recommend::rank_sessions;
pub use vocab::Vocabulary;

use crate::index::SearchIndex;
use crate::model::Recommendations;
use crate::{Error, Result};
use chrono::{NaiveDate, TimeZone};
use std::path::PathBuf;

/// Longest interest accepted, in characters: interests are a few words, not documents.
pub const MAX_INTEREST_CHARS: usize = 200;
/// Most interests in one request.
pub const MAX_INTERESTS: usize = 20;
/// A group below this share of an interest's best score is not a candidate for that interest.
pub const SHARE_FLOOR: f32 = 0.1;
const MAX_MATCHED_TERMS: usize = 8;

/// What a recommendation is asked for.
#[derive(Debug, Clone, Default)]
pub struct RecommendQuery {
    /// `None`: the newest meeting in the index.
    pub meeting: Option<u32>,
    pub interests: Vec<String>,
    pub top: usize,
    /// Dates in the meeting's local time zone; empty: every day.
    pub days: Vec<NaiveDate>,
    /// Area acronyms; empty: every area.
    pub areas: Vec<String>,
    pub exclude_groups: Vec<String>,
    pub no_bofs: bool,
    /// Extra vocabulary file extending the built-in one.
    pub vocabulary: Option<PathBuf>,
}

/// The knobs of the ranking, in one place so that the eval and the benches use the same ones.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Weights {
    pub own_phrase: f32,
    pub own_word: f32,
    /// A word of an interest of several words: the phrase says more than each word alone.
    pub own_word_multi: f32,
    /// Such a word when it is part of a phrase the vocabulary knows.
    pub own_word_covered: f32,
    pub term: f32,
    pub related: f32,
    /// Terms of a topic that a matched topic includes.
    pub included: f32,
    pub acronym: f32,
    pub group_name: f32,
    pub session_name: f32,
    pub agenda: f32,
    pub charter: f32,
    pub note: f32,
    pub area_name: f32,
    /// A group below this share of an interest's best score is not a candidate for it.
    pub share_floor: f32,
    /// Multiplier for sessions that are not a group's (plenaries, breaks, hackathon, ...).
    pub non_group: f32,
    /// A word of a longer interest found in more than this share of the index's sessions is
    /// not searched alone.
    pub common_word: f32,
    /// What makes a match strong (`rank::strength`).
    pub strength: strength::Thresholds,
}

pub const WEIGHTS: Weights = Weights {
    own_phrase: 1.5,
    own_word: 1.0,
    own_word_multi: 0.6,
    own_word_covered: 0.3,
    term: 0.4,
    related: 0.15,
    included: 0.25,
    acronym: 4.0,
    group_name: 3.0,
    session_name: 1.5,
    agenda: 1.2,
    charter: 1.0,
    note: 0.5,
    area_name: 0.3,
    non_group: 0.4,
    share_floor: SHARE_FLOOR,
    common_word: 0.2,
    strength: strength::THRESHOLDS,
};

impl Default for Weights {
    fn default() -> Self {
        WEIGHTS
    }
}

/// Recommends with the built-in vocabulary extended by `q.vocabulary`.
pub fn recommend(idx: &SearchIndex, q: &RecommendQuery) -> Result<Recommendations> {
    let vocab = Vocabulary::load(q.vocabulary.as_deref())?;
    recommend_with(idx, q, &vocab, &WEIGHTS)
}

/// Recommends with an explicit vocabulary and weights (the eval's baseline passes an empty one).
pub fn recommend_with(
    idx: &SearchIndex,
    q: &RecommendQuery,
    vocab: &Vocabulary,
    w: &Weights,
) -> Result<Recommendations> {
    rank_sessions(idx, q, vocab, w, false).map(|(recs, _)| recs)
}

/// [`recommend`], and beside it the groups the ranking leaves out that would rank were their
/// cancelled sessions held (ranked with those sessions counted; `None` when there are none).
/// Plans use it so that calendars mark those sessions cancelled rather than drop them
/// silently. One pass: the interests are prepared and the sessions scored once for both.
pub fn recommend_with_not_held(
    idx: &SearchIndex,
    q: &RecommendQuery,
) -> Result<(Recommendations, Option<Recommendations>)> {
    let vocab = Vocabulary::load(q.vocabulary.as_deref())?;
    rank_sessions(idx, q, &vocab, &WEIGHTS, true)
}

/// Refuses filters that cannot match anything at the meeting because the name or the day does
/// not exist there (a typo, another meeting's day), with the valid values in the message.
/// A real area, group or day that merely leaves nothing is not an error.
pub fn check_filters(idx: &SearchIndex, q: &RecommendQuery) -> Result<()> {
    let meeting = idx.meeting(q.meeting)?.clone();
    if q.areas.is_empty() && q.exclude_groups.is_empty() && q.days.is_empty() {
        // Nothing to check: the meeting's sessions need not be read for it.
        return Ok(());
    }
    let sessions = idx.sessions(meeting.number)?;
    // A name that does not exist at this meeting is a typo, not an empty filter: say what exists.
    let check = |kind: &str, given: &[String], known: std::collections::BTreeSet<String>| {
        for name in given {
            let name = name.trim().to_lowercase();
            if !known.contains(&name) {
                let list = known.iter().cloned().collect::<Vec<_>>().join(", ");
                return Err(Error::input(format!(
                    "unknown {kind} {name:?} at IETF {}; its {kind}s are: {list}",
                    meeting.number
                )));
            }
        }
        Ok(())
    };
    check(
        "area",
        &q.areas,
        sessions.iter().filter_map(|s| s.area.clone()).collect(),
    )?;
    check(
        "group",
        &q.exclude_groups,
        sessions.iter().map(|s| s.group.clone()).collect(),
    )?;
    let tz: chrono_tz::Tz = meeting.timezone;
    let days: std::collections::BTreeSet<NaiveDate> = sessions
        .iter()
        .map(|s| tz.from_utc_datetime(&s.start.naive_utc()).date_naive())
        .collect();
    if let (Some(first), Some(last)) = (days.first(), days.last()) {
        for d in &q.days {
            if d < first || d > last {
                let shown: Vec<String> = days
                    .iter()
                    .map(|d| d.format("%Y-%m-%d (%a)").to_string())
                    .collect();
                return Err(Error::input(format!(
                    "{d} is not a day of IETF {}; its days are: {}",
                    meeting.number,
                    shown.join(", ")
                )));
            }
        }
    }
    Ok(())
}

/// Double quotation marks, straight and typographic: what people put round a phrase.
const QUOTE_MARKS: &[char] = &[
    '"', '\u{201C}', '\u{201D}', '\u{201E}', '\u{00AB}', '\u{00BB}',
];

/// Trims the interests and refuses the unusable ones with a message that says why.
///
/// Quotation marks round an interest are dropped: people quote a phrase out of habit from web
/// search, an interest is matched as a phrase anyway, and the notes quote it again.
pub fn validate_interests(raw: &[String]) -> Result<Vec<String>> {
    if raw.is_empty() {
        return Err(Error::input("give at least one --interest"));
    }
    if raw.len() > MAX_INTERESTS {
        return Err(Error::input(format!(
            "too many interests ({}; at most {MAX_INTERESTS})",
            raw.len()
        )));
    }
    let mut out: Vec<String> = Vec::new();
    for (i, s) in raw.iter().enumerate() {
        let written = s.split_whitespace().collect::<Vec<_>>().join(" ");
        let t = written.trim_matches(|c: char| QUOTE_MARKS.contains(&c) || c.is_whitespace());
        // Single quotation marks only as a pair round it: one alone may be an apostrophe.
        let t = [('\'', '\''), ('\u{2018}', '\u{2019}')]
            .iter()
            .find_map(|&(open, close)| t.strip_prefix(open)?.strip_suffix(close))
            .map_or(t, str::trim)
            .to_string();
        let n = t.chars().count();
        if written.is_empty() {
            return Err(Error::input(format!("interest #{} is empty", i + 1)));
        }
        if n > MAX_INTEREST_CHARS {
            return Err(Error::input(format!(
                "interest #{} is too long ({n} characters; at most {MAX_INTEREST_CHARS}): state it in a few words",
                i + 1
            )));
        }
        if !t.chars().any(char::is_alphanumeric) {
            return Err(Error::input(format!(
                "interest #{} ({written:?}) has no words to search for",
                i + 1
            )));
        }
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&t)) {
            out.push(t);
        }
    }
    Ok(out)
}

/// Acronyms of the groups with at least one session at `meeting` that is not cancelled.
pub fn meeting_groups(
    idx: &SearchIndex,
    meeting: u32,
) -> Result<std::collections::BTreeSet<String>> {
    Ok(idx
        .sessions(meeting)?
        .iter()
        .filter(|s| !s.status.is_cancelled())
        .map(|s| s.group.clone())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interests_are_validated() {
        let v =
            |s: &[&str]| validate_interests(&s.iter().map(|x| x.to_string()).collect::<Vec<_>>());
        assert!(v(&[]).is_err());
        assert!(v(&["  "]).is_err());
        assert!(v(&["\"():*"]).is_err());
        assert!(v(&[&"x".repeat(10_000)]).is_err());
        assert_eq!(
            v(&["  routing   security "]).unwrap(),
            vec!["routing security"]
        );
        assert_eq!(v(&["DNS", "dns"]).unwrap(), vec!["DNS"]);
        assert_eq!(
            v(&[
                "\"routing security\"",
                "\u{201C}privacy\u{201D}",
                "\"unterminated"
            ])
            .unwrap(),
            vec!["routing security", "privacy", "unterminated"]
        );
        assert_eq!(
            v(&[
                "'human rights'",
                "\u{2018}AI\u{2019}",
                "users' privacy",
                "'tis"
            ])
            .unwrap(),
            vec!["human rights", "AI", "users' privacy", "'tis"]
        );
        assert_eq!(
            v(&["say \"no\" to tracking"]).unwrap(),
            vec!["say \"no\" to tracking"]
        );
        assert!(v(&["\"\u{201C}\""]).is_err());
    }
}
