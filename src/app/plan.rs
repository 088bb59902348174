//! Planning itineraries: one official's plan from interests and limits, or every official of a
//! staff profiles file. Ranks with every group as a candidate (the planner, not a cut-off,
//! decides), adds the must groups' and the relevant groups' cancelled sessions, and plans.

use super::{Data, Notes};
use crate::model::Meeting;
use crate::plan::{self, Itinerary, PlanRequest};
use crate::profiles::{self, DaySpec, Official, Profiles};
use crate::{Error, Result};
use chrono_tz::Tz;
use std::path::PathBuf;

/// Every group the ranking returns is a candidate: the planner, not a cut-off, decides.
const ALL_GROUPS: usize = 10_000;

/// What one plan needs, resolved from flags or from a profile.
#[derive(Debug, Clone)]
pub struct PlanSpec<'a> {
    pub name: Option<&'a str>,
    pub interests: &'a [String],
    pub days: DaySpec,
    pub max_per_day: usize,
    pub gap: u32,
    /// Lower-case group acronyms.
    pub must: &'a [String],
    /// Lower-case group acronyms.
    pub exclude: &'a [String],
    /// The zone to show times in; `None` for the meeting's.
    pub tz: Option<Tz>,
    /// Fill slots with possible matches too (`--include-possible`).
    pub include_possible: bool,
}

impl<'a> PlanSpec<'a> {
    /// The plan a profiles file asks for one official.
    pub fn of_official(o: &'a Official) -> Self {
        Self {
            name: Some(&o.name),
            interests: &o.interests,
            days: o.days.clone(),
            max_per_day: o.max_per_day,
            gap: o.gap,
            must: &o.must,
            exclude: &o.exclude,
            tz: o.tz,
            include_possible: false,
        }
    }
}

/// Ranks, resolves the days, adds the must groups' sessions and plans. `day_error` lets a
/// profiles run prefix the file and line to a bad day (and to a note about the days).
/// Stays whole: the steps share the ranking and the agenda, in this order.
pub fn plan(
    data: &Data,
    meeting: Option<u32>,
    spec: &PlanSpec,
    vocabulary: Option<PathBuf>,
    day_error: impl Fn(String) -> String,
    notes: Notes,
) -> Result<(Itinerary, Meeting)> {
    let q = crate::rank::RecommendQuery {
        meeting,
        interests: spec.interests.to_vec(),
        top: ALL_GROUPS,
        exclude_groups: spec.exclude.to_vec(),
        vocabulary,
        ..Default::default()
    };
    let (recs, not_held) = crate::rank::recommend_with_not_held(&data.index, &q)?;
    let agenda = match data.index.agenda(recs.meeting)? {
        Some(a) => a,
        None => data.snapshot.load_agenda(recs.meeting)?,
    };
    // A must or exclude group that does not meet is a typo, not an empty wish: say so (with
    // the groups it may have meant), as `recommend --exclude-group` does.
    for (what, list) in [("must", spec.must), ("exclude", spec.exclude)] {
        check_groups(&agenda, what, list).map_err(|e| Error::input(day_error(e)))?;
    }
    let (days, note) = profiles::resolve_days(&spec.days, &agenda.meeting)
        .map_err(|e| Error::input(day_error(e)))?;
    if let Some(note) = note {
        notes(&day_error(note));
    }
    let tz: Tz = agenda.meeting.timezone;
    // Days without a single group session (the weekend's hackathon and registration) are not
    // part of a plan; a plan asked only for such days keeps them and says nothing is on.
    let session_days: std::collections::BTreeSet<chrono::NaiveDate> = agenda
        .sessions
        .iter()
        .filter(|s| !s.status.is_cancelled() && is_session(s))
        .map(|s| s.start.with_timezone(&tz).date_naive())
        .collect();
    let held: Vec<chrono::NaiveDate> = days
        .iter()
        .copied()
        .filter(|d| session_days.contains(d))
        .collect();
    let days = if held.is_empty() { days } else { held };
    let cands = candidates(&recs, not_held.as_ref(), &agenda, spec.must);
    let req = PlanRequest {
        meeting: recs.meeting,
        days,
        max_per_day: spec.max_per_day,
        gap_minutes: spec.gap,
        must: spec.must.to_vec(),
        exclude: spec.exclude.to_vec(),
        timezone: tz,
        include_possible: spec.include_possible,
    };
    let mut it = plan::plan(&cands, &req)?;
    it.notes = recs.notes.clone();
    Ok((it, agenda.meeting))
}

/// The sessions a plan chooses from: the ranking's, plus the cancelled sessions of relevant
/// groups (listed as not held) and the sessions of must groups the ranking did not return.
/// `not_held`: only groups the ranking leaves out, ranked with their cancelled sessions.
fn candidates(
    recs: &crate::model::Recommendations,
    not_held: Option<&crate::model::Recommendations>,
    agenda: &crate::model::Agenda,
    must: &[String],
) -> Vec<plan::Candidate> {
    let mut cands = plan::candidates(recs);
    let ranked = cands.clone();
    // A relevant group whose every session was cancelled is not in the ranking at all: the
    // plan lists its cancelled sessions as not held, and calendars mark them cancelled,
    // instead of losing them silently.
    if let Some(all) = not_held {
        cands.extend(
            plan::candidates(all)
                .into_iter()
                .filter(|c| c.session.status.is_cancelled()),
        );
    }
    for s in &agenda.sessions {
        if cands.iter().any(|c| c.session.id == s.id) {
            continue;
        }
        let same_group = ranked.iter().find(|c| c.group == s.group);
        if let Some(c) = same_group.filter(|_| s.status.is_cancelled()) {
            // The ranking leaves cancelled sessions out; the plan lists a relevant group's
            // cancelled session as not held (and calendars mark it cancelled).
            let mut c = c.clone();
            c.session = plan::candidate_from_session(s, "").session;
            cands.push(c);
        } else if must.iter().any(|g| g.eq_ignore_ascii_case(&s.group)) {
            // Must groups the ranking did not return still get planned (relevance 0).
            cands.push(plan::candidate_from_session(s, "on the must-attend list"));
        }
    }
    cands
}

/// Refuses groups of `list` that have no session at the meeting, naming close matches.
fn check_groups(agenda: &crate::model::Agenda, what: &str, list: &[String]) -> Result<(), String> {
    let known: std::collections::BTreeSet<String> = agenda
        .sessions
        .iter()
        .map(|s| s.group.to_lowercase())
        .collect();
    let unknown: Vec<String> = list
        .iter()
        .map(|g| g.trim().to_lowercase())
        .filter(|g| !known.contains(g))
        .map(|g| {
            let close = close_matches(&g, &known);
            if close.is_empty() {
                format!("{g:?}")
            } else {
                format!("{g:?} (did you mean {}?)", close.join(" or "))
            }
        })
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    Err(format!(
        "unknown {what} group{} {} at IETF {}: no session of {} is on its agenda",
        if unknown.len() > 1 { "s" } else { "" },
        unknown.join(", "),
        agenda.meeting.number,
        if unknown.len() > 1 { "them" } else { "it" },
    ))
}

/// Known names within two edits of `name`, or that contain it or are contained in it (at most
/// three, closest first).
fn close_matches(name: &str, known: &std::collections::BTreeSet<String>) -> Vec<String> {
    let mut scored: Vec<(usize, &String)> = known
        .iter()
        .filter_map(|k| {
            let d = edit_distance(name, k);
            let contains = name.len() >= 3 && (k.contains(name) || name.contains(k.as_str()));
            (d <= 2 || contains).then_some((d, k))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, k)| k.clone()).collect()
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// A working group, research group, BoF or similar session, as opposed to breaks, the
/// hackathon, registration and other side events.
fn is_session(s: &crate::model::Session) -> bool {
    s.is_bof
        || s.group_type
            .as_deref()
            .is_some_and(|t| !matches!(t, "other" | "break" | "reg" | "lead" | "offagenda"))
}

/// One official's plan in a profiles run, with the meeting it is for.
pub struct OfficialItinerary<'a> {
    pub official: &'a Official,
    pub itinerary: Itinerary,
    pub meeting: Meeting,
}

/// Plans every official of `profiles` (read from `source`, for messages) for `meeting`; stops
/// at the first official that cannot be planned, naming them and their line.
pub fn plan_profiles<'p>(
    data: &Data,
    profiles: &'p Profiles,
    source: &str,
    meeting: Option<u32>,
    vocabulary: Option<PathBuf>,
    notes: Notes,
) -> Result<Vec<OfficialItinerary<'p>>> {
    profiles
        .officials
        .iter()
        .map(|o| {
            let (itinerary, meeting) = plan(
                data,
                meeting,
                &PlanSpec::of_official(o),
                vocabulary.clone(),
                |e| {
                    // Day problems point at the days line, others at the official.
                    let line = if e.starts_with("unknown ") {
                        o.line
                    } else {
                        o.days_line
                    };
                    format!("{source}:{line}: official {:?}: {e}", o.name)
                },
                notes,
            )
            .map_err(|e| {
                Error::context(format!("planning for {} ({source}:{})", o.name, o.line), e)
            })?;
            Ok(OfficialItinerary {
                official: o,
                itinerary,
                meeting,
            })
        })
        .collect()
}

/// Plans every official for `meeting` without notes, each on its own: one result per official,
/// in file order. `refresh --profiles` uses it to learn whom a change concerns.
pub fn plan_each(
    data: &Data,
    profiles: &Profiles,
    meeting: u32,
) -> Vec<(String, Result<Itinerary>)> {
    profiles
        .officials
        .iter()
        .map(|o| {
            let it = plan(
                data,
                Some(meeting),
                &PlanSpec::of_official(o),
                None,
                |e| e,
                &super::no_notes,
            )
            .map(|(it, _)| it);
            (o.name.clone(), it)
        })
        .collect()
}
