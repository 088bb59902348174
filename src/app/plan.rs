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
        }
    }
}

/// Ranks, resolves the days, adds the must groups' sessions and plans. `day_error` lets a
/// profiles run prefix the file and line to a bad day (and to a note about the days).
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
    let recs = crate::rank::recommend(&data.index, &q)?;
    let agenda = data.snapshot.load_agenda(recs.meeting)?;
    let (days, note) = profiles::resolve_days(&spec.days, &agenda.meeting)
        .map_err(|e| Error::input(day_error(e)))?;
    if let Some(note) = note {
        notes(&day_error(note));
    }
    let tz: Tz = agenda
        .meeting
        .timezone
        .parse()
        .or_else(|_| recs.timezone.parse())
        .unwrap_or(Tz::UTC);
    let mut cands = plan::candidates(&recs);
    let ranked = cands.clone();
    // A relevant group whose every session was cancelled is not in the ranking at all: rank
    // once more with cancelled sessions counted to find it, so that the plan lists its sessions
    // as not held and calendars mark them cancelled instead of losing them silently.
    let orphans: Vec<&str> = agenda
        .sessions
        .iter()
        .filter(|s| s.status.is_cancelled() && !ranked.iter().any(|c| c.group == s.group))
        .map(|s| s.id.as_str())
        .collect();
    if !orphans.is_empty() {
        let vocab = crate::rank::Vocabulary::load(q.vocabulary.as_deref())?;
        let all =
            crate::rank::recommend_with_cancelled(&data.index, &q, &vocab, &crate::rank::WEIGHTS)?;
        cands.extend(
            plan::candidates(&all)
                .into_iter()
                .filter(|c| orphans.contains(&c.session.id.as_str())),
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
        } else if spec.must.iter().any(|g| g.eq_ignore_ascii_case(&s.group)) {
            // Must groups the ranking did not return still get planned (relevance 0).
            cands.push(plan::candidate_from_session(s, "on the must-attend list"));
        }
    }
    let req = PlanRequest {
        meeting: recs.meeting,
        days,
        max_per_day: spec.max_per_day,
        gap_minutes: spec.gap,
        must: spec.must.to_vec(),
        exclude: spec.exclude.to_vec(),
        timezone: tz,
    };
    let it = plan::plan(&cands, &req)?;
    Ok((it, agenda.meeting))
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
                |e| format!("{source}:{}: official {:?}: {e}", o.days_line, o.name),
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
