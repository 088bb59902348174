//! Planning: an exact, conflict-free itinerary from ranked sessions.
//!
//! # The problem
//! Given candidate sessions (each with a relevance score), chosen days, at most `K` sessions per
//! day, a walking gap `g` and a set of must-include groups, choose sessions that
//! 1. never overlap: for two chosen sessions on a day, `end_a + g <= start_b`;
//! 2. fall on the chosen days (the day is the session's start date in the meeting's time zone);
//! 3. number at most `K` per day;
//! 4. use each group **at most once**: staff plan for breadth, so a group that meets twice is
//!    attended once and its other sessions are listed as "also meets" (swap candidates);
//! 5. maximise, lexicographically, first the number of must groups covered, then the summed
//!    relevance. Cancelled and rescheduled sessions are never scheduled.
//!
//!
//! How it is solved exactly: see [`solver`].

mod explain;
mod solver;

pub use explain::{one_line_reason, plain};
use solver::{Item, solve};

use crate::model::{Recommendations, Session, SessionRef, SessionStatus, Strength};
use crate::{Error, Result};
use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Base of the datatracker session pages the plans link to.
pub const DATATRACKER: &str = crate::fetch::DEFAULT_BASE_URL;

/// How many swap candidates each chosen slot lists.
pub const ALTERNATIVES: usize = 3;

/// How many possible matches the "if time allows" list holds.
pub const IF_TIME_ALLOWS: usize = 5;

/// One session that may go into a plan, with the reason it would.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub meeting: u32,
    pub group: String,
    pub group_name: String,
    pub area: Option<String>,
    pub is_bof: bool,
    pub session: SessionRef,
    /// The session's page on the datatracker.
    pub url: String,
    pub score: f32,
    pub matched_interests: Vec<String>,
    /// The interests it is a strong match for (a subset of `matched_interests`; the others it
    /// is only possibly related to).
    pub strong_interests: Vec<String>,
    /// The words that matched (the interests' own and the vocabulary's), heaviest first.
    pub matched_terms: Vec<String>,
    /// One plain sentence saying why it matters for the interest (no markup).
    pub reason: String,
    /// A clean fragment of the group's description or agenda, matched words in `**bold**`.
    pub excerpt: String,
    /// `strong` when the group's own work is about an interest, else `possible`.
    pub strength: Strength,
}

impl Candidate {
    /// Cancelled or rescheduled away: never scheduled (the data keeps the old time only).
    pub fn is_schedulable(&self) -> bool {
        !self.session.status.is_cancelled() && self.session.status != SessionStatus::Rescheduled
    }
}

/// `https://datatracker.ietf.org/meeting/<N>/session/<acronym>/`.
pub fn session_url(meeting: u32, group: &str) -> String {
    format!("{DATATRACKER}/meeting/{meeting}/session/{group}/")
}

/// One candidate per session of each recommended group, sharing the group's score and reasons.
pub fn candidates(recs: &Recommendations) -> Vec<Candidate> {
    let mut out = Vec::new();
    for r in &recs.results {
        let reason = if r.reason.is_empty() {
            plain(&one_line_reason(&r.excerpt))
        } else {
            r.reason.clone()
        };
        for s in &r.sessions {
            out.push(Candidate {
                meeting: recs.meeting,
                group: r.group.clone(),
                group_name: r.group_name.clone(),
                area: r.area.clone(),
                is_bof: r.is_bof,
                session: s.clone(),
                url: session_url(recs.meeting, &r.group),
                score: r.score,
                matched_interests: r.matched_interests.clone(),
                strong_interests: r.strong_interests.clone(),
                matched_terms: r.matched_terms.clone(),
                reason: reason.clone(),
                excerpt: r.excerpt.clone(),
                strength: r.strength,
            });
        }
    }
    out
}

/// A candidate for a session the ranking did not return (a must group that matched no
/// interest): relevance 0, included only for the must rule.
pub fn candidate_from_session(s: &Session, reason: &str) -> Candidate {
    Candidate {
        meeting: s.meeting,
        group: s.group.clone(),
        group_name: s.group_name.clone(),
        area: s.area.clone(),
        is_bof: s.is_bof,
        session: SessionRef {
            id: s.id.clone(),
            start: s.start,
            end: s.end,
            room: s.room.clone(),
            status: s.status.clone(),
        },
        url: session_url(s.meeting, &s.group),
        score: 0.0,
        matched_interests: Vec::new(),
        strong_interests: Vec::new(),
        matched_terms: Vec::new(),
        reason: reason.to_string(),
        excerpt: String::new(),
        strength: Strength::Possible,
    }
}

/// What the planner is asked for.
#[derive(Debug, Clone)]
pub struct PlanRequest {
    pub meeting: u32,
    /// Chosen days in the meeting's time zone.
    pub days: Vec<NaiveDate>,
    pub max_per_day: usize,
    pub gap_minutes: u32,
    /// Must-include group acronyms.
    pub must: Vec<String>,
    /// Groups never scheduled.
    pub exclude: Vec<String>,
    /// The meeting's time zone (days are cut in it).
    pub timezone: Tz,
    /// Fill slots with possible matches too; by default only strong matches (and must groups)
    /// are planned, and possible ones are offered as alternatives and "if time allows".
    pub include_possible: bool,
}

/// A chosen session with its swap candidates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Slot {
    #[serde(flatten)]
    pub chosen: Candidate,
    /// The group is on the must list.
    pub must: bool,
    /// The best unchosen candidates overlapping this slot, best first.
    pub alternatives: Vec<Candidate>,
    /// The group's other schedulable sessions on the chosen days (a group is planned once).
    pub also_meets: Vec<SessionRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayPlan {
    pub date: NaiveDate,
    pub slots: Vec<Slot>,
}

/// What became of one must group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MustOutcome {
    pub group: String,
    pub included: bool,
    /// Why it is not in the plan, in words staff can pass on.
    pub problem: Option<String>,
}

/// The plan for one official.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Itinerary {
    pub meeting: u32,
    /// The meeting's IANA zone.
    pub timezone: Tz,
    pub days: Vec<DayPlan>,
    /// Sum of the chosen sessions' scores.
    pub total_score: f64,
    pub must: Vec<MustOutcome>,
    /// Relevant sessions on the chosen days that were cancelled or rescheduled: never scheduled,
    /// shown so staff know (and so calendars can mark them cancelled).
    pub not_held: Vec<Candidate>,
    /// Possible matches on the chosen days outside the plan and its alternatives that clash
    /// with nothing planned, by time: worth a look if time allows.
    pub if_time_allows: Vec<Candidate>,
    /// Plain notes from the ranking (an interest with no strong match, spellings to try).
    pub notes: Vec<String>,
}

impl Itinerary {
    pub fn slots(&self) -> impl Iterator<Item = &Slot> {
        self.days.iter().flat_map(|d| d.slots.iter())
    }
}

/// Lexicographic weight: (must groups covered, relevance in micro-units).
type Weight = (u32, i64);

fn micro(score: f32) -> i64 {
    // Capped so that sums times the must factor stay far inside i64.
    if score.is_finite() && score > 0.0 {
        (f64::from(score).min(1e6) * 1e6).round() as i64
    } else {
        0
    }
}

/// Plans the itinerary. Pure: no I/O, no clock.
/// Stays whole: validation, item weights, the exact solve and the slot assembly share the
/// request's day and must sets; split, they would pass the same six values around.
pub fn plan(candidates: &[Candidate], req: &PlanRequest) -> Result<Itinerary> {
    if req.max_per_day == 0 {
        return Err(Error::input("--max-per-day must be at least 1"));
    }
    if req.days.is_empty() {
        return Err(Error::input("no days to plan"));
    }
    let norm = |v: &[String]| -> BTreeSet<String> {
        v.iter().map(|g| g.trim().to_ascii_lowercase()).collect()
    };
    let must = norm(&req.must);
    let exclude = norm(&req.exclude);
    if let Some(g) = must.intersection(&exclude).next() {
        return Err(Error::input(format!(
            "group {g} is both a must and excluded"
        )));
    }
    let days: BTreeSet<NaiveDate> = req.days.iter().copied().collect();
    let day_of = |c: &Candidate| c.session.start.with_timezone(&req.timezone).date_naive();

    // One candidate per session id (the same session may come from ranking and the must list:
    // keep the higher score).
    let mut by_id: BTreeMap<&str, &Candidate> = BTreeMap::new();
    for c in candidates {
        let e = by_id.entry(c.session.id.as_str()).or_insert(c);
        if c.score > e.score {
            *e = c;
        }
    }
    let pool: Vec<&Candidate> = by_id
        .into_values()
        .filter(|c| !exclude.contains(&c.group.to_ascii_lowercase()))
        .collect();
    let in_days: Vec<&Candidate> = pool
        .iter()
        .copied()
        .filter(|c| days.contains(&day_of(c)))
        .collect();
    // Every session that could be attended; only strong ones (and must groups) fill the plan
    // unless possible ones are asked for.
    let live: Vec<&Candidate> = in_days
        .iter()
        .copied()
        .filter(|c| c.is_schedulable())
        .collect();
    let items: Vec<Item> = live
        .iter()
        .filter(|c| {
            req.include_possible
                || c.strength.is_strong()
                || must.contains(&c.group.to_ascii_lowercase())
        })
        .map(|c| Item {
            cand: c,
            day: day_of(c),
            weight: (
                u32::from(must.contains(&c.group.to_ascii_lowercase())),
                micro(c.score),
            ),
        })
        .collect();

    // A day never holds more sessions than there are, so a larger limit is the same limit; the
    // cap keeps the DP tables sized by the data, not by a huge `--max-per-day`.
    let k = req.max_per_day.min(items.len().max(1));
    let chosen = solve(&items, k, req.gap_minutes)?;
    let chosen_groups: BTreeSet<&str> = chosen
        .iter()
        .map(|&i| items[i].cand.group.as_str())
        .collect();

    let mut day_plans: Vec<DayPlan> = days
        .iter()
        .map(|&date| DayPlan {
            date,
            slots: Vec::new(),
        })
        .collect();
    for &i in &chosen {
        let it = &items[i];
        let c = it.cand;
        let mut alternatives: Vec<&Candidate> = live
            .iter()
            .copied()
            .filter(|o| !chosen_groups.contains(o.group.as_str()) && overlaps(o, c))
            .collect();
        // Strong alternatives first, then by relevance.
        alternatives.sort_by(|a, b| {
            a.strength
                .cmp(&b.strength)
                .then_with(|| b.score.total_cmp(&a.score))
                .then_with(|| a.session.start.cmp(&b.session.start))
                .then_with(|| a.session.id.cmp(&b.session.id))
        });
        // One entry per group, then the top few.
        let mut seen = BTreeSet::new();
        alternatives.retain(|a| seen.insert(a.group.clone()));
        alternatives.truncate(ALTERNATIVES);
        let also_meets = live
            .iter()
            .filter(|o| o.group == c.group && o.session.id != c.session.id)
            .map(|o| o.session.clone())
            .collect();
        let slot = Slot {
            chosen: c.clone(),
            must: it.weight.0 == 1,
            alternatives: alternatives.into_iter().cloned().collect(),
            also_meets,
        };
        if let Some(d) = day_plans.iter_mut().find(|d| d.date == it.day) {
            d.slots.push(slot);
        }
    }
    for d in &mut day_plans {
        d.slots.sort_by(|a, b| {
            a.chosen
                .session
                .start
                .cmp(&b.chosen.session.start)
                .then_with(|| a.chosen.session.id.cmp(&b.chosen.session.id))
        });
    }
    // From the integer micro-units, so the total carries no float noise.
    let total_score = chosen.iter().map(|&i| items[i].weight.1).sum::<i64>() as f64 / 1e6;

    let must_outcomes = must
        .iter()
        .map(|g| must_outcome(g, candidates, &pool, &items, &chosen, req, &days))
        .collect();

    // Possible matches in free time: not planned, not an alternative, not clashing with the plan.
    let listed: BTreeSet<&str> = day_plans
        .iter()
        .flat_map(|d| d.slots.iter())
        .flat_map(|s| s.alternatives.iter().map(|a| a.group.as_str()))
        .chain(chosen_groups.iter().copied())
        .collect();
    let mut extra: Vec<&Candidate> = live
        .iter()
        .copied()
        .filter(|o| !o.strength.is_strong() && !listed.contains(o.group.as_str()))
        .filter(|o| !chosen.iter().any(|&i| overlaps(o, items[i].cand)))
        .collect();
    extra.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.session.start.cmp(&b.session.start))
    });
    let mut seen = BTreeSet::new();
    extra.retain(|o| seen.insert(o.group.clone()));
    extra.truncate(IF_TIME_ALLOWS);
    extra.sort_by_key(|o| (o.session.start, o.session.id.clone()));
    let if_time_allows = extra.into_iter().cloned().collect();

    let mut not_held: Vec<Candidate> = in_days
        .iter()
        .filter(|c| !c.is_schedulable())
        .map(|c| (*c).clone())
        .collect();
    not_held.sort_by_key(|c| c.session.start);

    Ok(Itinerary {
        meeting: req.meeting,
        timezone: req.timezone,
        days: day_plans,
        total_score,
        must: must_outcomes,
        not_held,
        if_time_allows,
        notes: Vec::new(),
    })
}

fn overlaps(a: &Candidate, b: &Candidate) -> bool {
    a.session.start < b.session.end && b.session.start < a.session.end
}

/// Why a must group is or is not in the plan, in words. Stays whole: one decision tree of
/// cases (no session, all cancelled, outside the days, limit taken, clash), read top to bottom.
fn must_outcome(
    group: &str,
    all: &[Candidate],
    pool: &[&Candidate],
    items: &[Item],
    chosen: &[usize],
    req: &PlanRequest,
    days: &BTreeSet<NaiveDate>,
) -> MustOutcome {
    let same = |c: &Candidate| c.group.eq_ignore_ascii_case(group);
    let ok = |problem: Option<String>| MustOutcome {
        group: group.to_string(),
        included: problem.is_none(),
        problem,
    };
    if chosen.iter().any(|&i| same(items[i].cand)) {
        return ok(None);
    }
    let sessions: Vec<&Candidate> = pool.iter().copied().filter(|c| same(c)).collect();
    if sessions.is_empty() {
        let known = all.iter().any(same);
        return ok(Some(if known {
            format!("{group} is excluded")
        } else {
            format!("{group} has no session at IETF {}", req.meeting)
        }));
    }
    let fmt_day = |c: &Candidate| {
        c.session
            .start
            .with_timezone(&req.timezone)
            .format("%a %-d %b")
            .to_string()
    };
    let on_days: Vec<&Candidate> = sessions
        .iter()
        .copied()
        .filter(|c| days.contains(&c.session.start.with_timezone(&req.timezone).date_naive()))
        .collect();
    if on_days.is_empty() {
        let when: Vec<String> = sessions.iter().map(|c| fmt_day(c)).collect();
        return ok(Some(format!(
            "{group} meets only on {}, outside the chosen days",
            when.join(", ")
        )));
    }
    let live: Vec<&Candidate> = on_days
        .iter()
        .copied()
        .filter(|c| c.is_schedulable())
        .collect();
    if live.is_empty() {
        let what: Vec<String> = on_days
            .iter()
            .map(|c| {
                let how = if c.session.status.is_cancelled() {
                    "cancelled"
                } else {
                    "rescheduled (new time unknown)"
                };
                format!("{} {}", fmt_day(c), how)
            })
            .collect();
        let elsewhere: Vec<String> = sessions
            .iter()
            .filter(|c| c.is_schedulable() && !on_days.iter().any(|o| o.session.id == c.session.id))
            .map(|c| fmt_day(c))
            .collect();
        let mut msg = format!(
            "{group}'s session on the chosen days is not held: {}",
            what.join(", ")
        );
        if !elsewhere.is_empty() {
            msg.push_str(&format!(
                "; it also meets on {}, outside the chosen days",
                elsewhere.join(", ")
            ));
        }
        return ok(Some(msg));
    }
    // It meets but the optimum could not fit it: name the chosen must groups in the way.
    let gap = Duration::minutes(i64::from(req.gap_minutes));
    let mut blockers = BTreeSet::new();
    for c in &live {
        for &i in chosen {
            let o = items[i].cand;
            let clash =
                c.session.start < o.session.end + gap && o.session.start < c.session.end + gap;
            if clash && items[i].weight.0 == 1 {
                blockers.insert(o.group.clone());
            }
        }
    }
    let problem = if blockers.is_empty() {
        format!(
            "{group} could not fit: the limit of {} sessions a day is taken by other must groups",
            req.max_per_day
        )
    } else {
        format!(
            "{group} conflicts with must group(s) {}",
            blockers.into_iter().collect::<Vec<_>>().join(", ")
        )
    };
    ok(Some(problem))
}

#[cfg(test)]
mod tests;
