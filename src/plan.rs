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
//! # How it is solved exactly
//! Without rule 4 the days are independent and each day is weighted interval scheduling with a
//! cardinality bound, solved by dynamic programming: sort the day's sessions by end time, let
//! `p(i)` be the number of sessions ending at or before `start_i - g` (binary search), and
//! `best[i][k] = max(best[i-1][k], best[p(i)][k-1] + w_i)`; `O(n*K)` per day. The weight `w_i`
//! orders (must group or not, relevance) lexicographically (see below), so the DP maximises must
//! coverage first and relevance second.
//!
//! Rule 4 couples the days (and makes the problem the NP-hard "job interval selection problem"),
//! so it is enforced by branch and bound around that DP. A node is a set of allowed sessions.
//! Its DP optimum with repeats allowed bounds every plan inside it; if that optimum uses no group
//! twice it is feasible and the node is solved. Otherwise a tighter bound comes from Lagrangian
//! relaxation of "each group at most once": for integer multipliers `l_g >= 0`, the DP optimum
//! with weights `w_i - l_g(i)`, plus `sum l_g`, is at least the weight of every plan in the node
//! (a plan uses each group at most once), and a few subgradient steps push it down. Each relaxed
//! plan is also repaired (drop repeats, fill freed places) into a feasible incumbent. A node whose
//! bound is not above the incumbent is pruned; otherwise take a group `G` the DP used more than
//! once and branch into one child per allowed session `s` of `G`, in which `s` is `G`'s only
//! allowed session. Every plan that uses `G` at most once (including not at all) lies in some
//! child, so the children cover all feasible plans of the node and the search ends with a
//! provably optimal plan. Once repeats are ruled out, the must part of the weight counts must
//! groups covered, which makes the must rule exact even when a must group has several sessions
//! across days. All weights are integers (must × M + relevance in micro-units, M above any
//! relevance total), so every comparison is exact.
//! Agenda-shaped inputs need from one to a few hundred nodes; a node cap turns a pathological
//! input into an error rather than an unproven answer.
//!
//! Greedy by score is not exact: with A 09:00-11:00 (10), B 09:00-10:00 (6), C 10:00-11:00 (6),
//! greedy takes A (10), the DP takes B and C (12); see the tests below.

use crate::model::{Recommendations, Session, SessionRef, SessionStatus};
use crate::{Error, Result};
use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Base of the datatracker session pages the plans link to.
pub const DATATRACKER: &str = crate::fetch::DEFAULT_BASE_URL;

/// How many swap candidates each chosen slot lists.
pub const ALTERNATIVES: usize = 3;

/// Branch-and-bound nodes explored at most before giving up (never reached on real agendas).
const NODE_CAP: usize = 20_000;

/// Subgradient steps per node for the Lagrangian bound.
const LAGRANGE_STEPS: usize = 30;

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
    /// The words that matched (the interests' own and the vocabulary's), heaviest first.
    pub matched_terms: Vec<String>,
    /// One line from the group's agenda or charter saying why it matters, matches in `**bold**`.
    pub reason: String,
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
        let reason = one_line_reason(&r.excerpt);
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
                matched_terms: r.matched_terms.clone(),
                reason: reason.clone(),
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
        matched_terms: Vec::new(),
        reason: reason.to_string(),
    }
}

/// The sentence of the ranking's excerpt that holds the first match, on one line, at most ~160 characters. Heading
/// marks and the excerpt's `...` ends are dropped; the `**bold**` marks of the matching words are
/// kept (renderers show or strip them).
pub fn one_line_reason(excerpt: &str) -> String {
    let flat: String = excerpt.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut t = flat.trim_start_matches(['#', ' ']).trim();
    t = t.strip_prefix("...").unwrap_or(t).trim_start();
    t = t.strip_suffix("...").unwrap_or(t).trim_end();
    // The sentence holding the first matched word says most about why it matters. A period
    // after a digit ends a list number ("4. Secure routing"), not a sentence.
    let mut sentences = Vec::new();
    let mut from = 0;
    for (i, _) in t.match_indices(". ") {
        let before = t[..i].chars().next_back();
        if before.is_some_and(|c| !c.is_ascii_digit()) {
            sentences.push(&t[from..=i]);
            from = i + 2;
        }
    }
    sentences.push(&t[from..]);
    let sentence = sentences
        .iter()
        .find(|x| x.contains("**"))
        .or(sentences.first())
        .copied()
        .unwrap_or("")
        .trim();
    // A numbered list (a session agenda) says why through its matching items; its first part
    // is usually the agenda's heading (group, date, room), which the plan already shows.
    let mut items: Vec<Vec<&str>> = vec![Vec::new()];
    for w in sentence.split(' ') {
        let numbered =
            w.len() > 1 && w.ends_with('.') && w[..w.len() - 1].bytes().all(|b| b.is_ascii_digit());
        if numbered {
            items.push(Vec::new());
        } else if let Some(last) = items.last_mut() {
            last.push(w);
        }
    }
    let listed: String;
    let mut sentence = sentence;
    if items.len() > 1 {
        let mut hits: Vec<String> = Vec::new();
        for it in &items[1..] {
            let item = it.join(" ");
            if item.contains("**") && !hits.contains(&item) {
                hits.push(item);
            }
        }
        listed = if hits.is_empty() {
            String::new()
        } else {
            format!("Agenda: {}", hits.join("; "))
        };
        sentence = &listed;
    }
    // A long sentence is cut to a window that starts shortly before the first match.
    let mut lead = "";
    if let Some(p) = sentence.find("**")
        && sentence.chars().count() > 160
        && p > 60
    {
        let mut start = p - 50;
        while !sentence.is_char_boundary(start) {
            start -= 1;
        }
        if let Some(sp) = sentence[start..p].find(' ') {
            start += sp + 1;
        }
        sentence = &sentence[start..];
        lead = "…";
    }
    let mut out = format!("{lead}{}", truncate_chars(sentence, 160));
    // A cut inside a bold run leaves an unpaired mark.
    if out.matches("**").count() % 2 == 1
        && let Some(i) = out.rfind("**")
    {
        out.replace_range(i..i + 2, "");
    }
    out
}

/// `reason` without the `**` marks, for plain-text outputs.
pub fn plain(reason: &str) -> String {
    reason.replace("**", "")
}

fn truncate_chars(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max - 1).collect();
    t = t.trim_end().to_string();
    t.push('…');
    t
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
    pub timezone: String,
    pub days: Vec<DayPlan>,
    /// Sum of the chosen sessions' scores.
    pub total_score: f64,
    pub must: Vec<MustOutcome>,
    /// Relevant sessions on the chosen days that were cancelled or rescheduled: never scheduled,
    /// shown so staff know (and so calendars can mark them cancelled).
    pub not_held: Vec<Candidate>,
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
    let items: Vec<Item> = in_days
        .iter()
        .filter(|c| c.is_schedulable())
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
    let chosen_set: BTreeSet<usize> = chosen.iter().copied().collect();
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
        let mut alternatives: Vec<&Candidate> = items
            .iter()
            .enumerate()
            .filter(|(j, o)| {
                !chosen_set.contains(j)
                    && !chosen_groups.contains(o.cand.group.as_str())
                    && overlaps(o.cand, c)
            })
            .map(|(_, o)| o.cand)
            .collect();
        alternatives.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.session.start.cmp(&b.session.start))
                .then_with(|| a.session.id.cmp(&b.session.id))
        });
        // One entry per group, then the top few.
        let mut seen = BTreeSet::new();
        alternatives.retain(|a| seen.insert(a.group.clone()));
        alternatives.truncate(ALTERNATIVES);
        let also_meets = items
            .iter()
            .filter(|o| o.cand.group == c.group && o.cand.session.id != c.session.id)
            .map(|o| o.cand.session.clone())
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

    let mut not_held: Vec<Candidate> = in_days
        .iter()
        .filter(|c| !c.is_schedulable())
        .map(|c| (*c).clone())
        .collect();
    not_held.sort_by_key(|c| c.session.start);

    Ok(Itinerary {
        meeting: req.meeting,
        timezone: req.timezone.name().to_string(),
        days: day_plans,
        total_score,
        must: must_outcomes,
        not_held,
    })
}

fn overlaps(a: &Candidate, b: &Candidate) -> bool {
    a.session.start < b.session.end && b.session.start < a.session.end
}

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

struct Item<'a> {
    cand: &'a Candidate,
    day: NaiveDate,
    weight: Weight,
}

/// Exact optimum over `items` (indices into it). See the module doc.
fn solve(items: &[Item], k: usize, gap_minutes: u32) -> Result<Vec<usize>> {
    let gap = Duration::minutes(i64::from(gap_minutes));
    // One integer weight per item: must * M + relevance, with M above any relevance total, so
    // comparing sums compares (must groups, relevance) lexicographically.
    let big: i64 = 1 + items.iter().map(|it| it.weight.1).sum::<i64>();
    let w: Vec<i64> = items
        .iter()
        .map(|it| i64::from(it.weight.0) * big + it.weight.1)
        .collect();
    let mut group_ids: BTreeMap<&str, usize> = BTreeMap::new();
    for it in items {
        let n = group_ids.len();
        group_ids.entry(it.cand.group.as_str()).or_insert(n);
    }
    let group: Vec<usize> = items
        .iter()
        .map(|it| group_ids[it.cand.group.as_str()])
        .collect();
    let mut group_items: Vec<Vec<usize>> = vec![Vec::new(); group_ids.len()];
    for (i, &g) in group.iter().enumerate() {
        group_items[g].push(i);
    }
    // Per day, item indices sorted by end time (then start, then id, for determinism).
    let mut per_day: BTreeMap<NaiveDate, Vec<usize>> = BTreeMap::new();
    for (i, it) in items.iter().enumerate() {
        per_day.entry(it.day).or_default().push(i);
    }
    let days: Vec<DayDp> = per_day
        .into_values()
        .map(|mut idx| {
            idx.sort_by(|&a, &b| {
                let (x, y) = (&items[a].cand.session, &items[b].cand.session);
                x.end
                    .cmp(&y.end)
                    .then(x.start.cmp(&y.start))
                    .then(x.id.cmp(&y.id))
            });
            // pred[i] = how many of the day's sessions end at or before start_i - gap.
            let pred = idx
                .iter()
                .map(|&i| {
                    let limit = items[i].cand.session.start - gap;
                    idx.partition_point(|&j| items[j].cand.session.end <= limit)
                })
                .collect();
            DayDp { idx, pred }
        })
        .collect();
    let s = Search {
        items,
        w: &w,
        group: &group,
        days: &days,
        k,
        gap,
    };

    let mut best: Option<(i64, Vec<usize>)> = None;
    let mut stack = vec![Node {
        allowed: vec![true; items.len()],
        lambda: vec![0; group_items.len()],
    }];
    let mut nodes = 0usize;
    while let Some(node) = stack.pop() {
        nodes += 1;
        if nodes > NODE_CAP {
            return Err(Error::input(format!(
                "the plan search stopped after {NODE_CAP} steps without proving the optimum; \
                 choose fewer days or a lower --max-per-day"
            )));
        }
        let beaten =
            |b: &Option<(i64, Vec<usize>)>, v: i64| b.as_ref().is_some_and(|(x, _)| v <= *x);
        // Plain relaxation (repeats allowed): a bound, and the answer when nothing repeats.
        let (value, chosen) = s.dp(&node.allowed, None);
        if beaten(&best, value) {
            continue;
        }
        let Some(g) = s.repeated(&chosen) else {
            best = Some((value, chosen));
            continue;
        };
        // Tighter bound: Lagrangian relaxation of "each group at most once".
        let (bound, lambda) = s.lagrange(&node, &mut best);
        if beaten(&best, bound) {
            continue;
        }
        let mut sessions: Vec<usize> = group_items[g]
            .iter()
            .copied()
            .filter(|&i| node.allowed[i])
            .collect();
        // Push the lightest first so the heaviest is explored first.
        sessions.sort_by_key(|&i| (w[i], std::cmp::Reverse(i)));
        for &keep in &sessions {
            let mut allowed = node.allowed.clone();
            for &i in &group_items[g] {
                allowed[i] = i == keep;
            }
            stack.push(Node {
                allowed,
                lambda: lambda.clone(),
            });
        }
    }
    let mut chosen = best.map(|(_, c)| c).unwrap_or_default();
    chosen.sort_unstable();
    tracing::debug!("plan search: {nodes} nodes");
    Ok(chosen)
}

/// A branch-and-bound node: the sessions still allowed, and the multipliers to start from.
struct Node {
    allowed: Vec<bool>,
    lambda: Vec<i64>,
}

struct DayDp {
    idx: Vec<usize>,
    pred: Vec<usize>,
}

struct Search<'a, 'b> {
    items: &'a [Item<'b>],
    w: &'a [i64],
    group: &'a [usize],
    days: &'a [DayDp],
    k: usize,
    gap: Duration,
}

impl Search<'_, '_> {
    /// The DP optimum with repeats allowed over the allowed items, with each item's weight
    /// lowered by its group's multiplier when `lambda` is given. Returns the DP value (without
    /// adding the multipliers back) and the chosen items.
    fn dp(&self, allowed: &[bool], lambda: Option<&[i64]>) -> (i64, Vec<usize>) {
        let k = self.k;
        let mut total = 0;
        let mut chosen = Vec::new();
        for d in self.days {
            let n = d.idx.len();
            // best[i][c]: best weight using the first i sessions (by end) and at most c of them.
            let mut best = vec![vec![0i64; k + 1]; n + 1];
            for i in 1..=n {
                let item = d.idx[i - 1];
                let wi = self.w[item] - lambda.map_or(0, |l| l[self.group[item]]);
                for c in 0..=k {
                    let skip = best[i - 1][c];
                    best[i][c] = skip;
                    if c > 0 && allowed[item] {
                        let take = best[d.pred[i - 1]][c - 1] + wi;
                        // Strictly better only: ties keep fewer/earlier sessions, deterministically.
                        if take > skip {
                            best[i][c] = take;
                        }
                    }
                }
            }
            total += best[n][k];
            let (mut i, mut c) = (n, k);
            while i > 0 && c > 0 {
                if best[i][c] == best[i - 1][c] {
                    i -= 1;
                } else {
                    chosen.push(d.idx[i - 1]);
                    i = d.pred[i - 1];
                    c -= 1;
                }
            }
        }
        (total, chosen)
    }

    /// A group used more than once, if any (the first by group id, for determinism).
    fn repeated(&self, chosen: &[usize]) -> Option<usize> {
        let mut seen = BTreeMap::new();
        for &i in chosen {
            *seen.entry(self.group[i]).or_insert(0) += 1;
        }
        seen.into_iter().find(|&(_, n)| n > 1).map(|(g, _)| g)
    }

    /// Subgradient optimisation of the Lagrangian bound
    /// `max_S sum_{i in S} (w_i - lambda_g(i)) + sum_g lambda_g`, valid for every plan in the node
    /// for any `lambda >= 0` because a plan uses each group at most once. Multipliers are integers
    /// so the bound is exact arithmetic. Each iterate is also repaired into a feasible plan that
    /// may improve the incumbent. Returns the best bound and its multipliers.
    fn lagrange(&self, node: &Node, incumbent: &mut Option<(i64, Vec<usize>)>) -> (i64, Vec<i64>) {
        let mut lambda = node.lambda.clone();
        let mut best_bound = i64::MAX;
        let mut best_lambda = lambda.clone();
        let mut theta = 1.0f64;
        let mut stale = 0;
        for _ in 0..LAGRANGE_STEPS {
            let (v, chosen) = self.dp(&node.allowed, Some(&lambda));
            let bound = v + lambda.iter().sum::<i64>();
            if bound < best_bound {
                best_bound = bound;
                best_lambda = lambda.clone();
                stale = 0;
            } else {
                stale += 1;
                if stale >= 3 {
                    theta /= 2.0;
                    stale = 0;
                }
            }
            let (fv, feasible) = self.repair(&chosen, &node.allowed);
            if incumbent.as_ref().is_none_or(|(x, _)| fv > *x) {
                *incumbent = Some((fv, feasible));
            }
            let lower = incumbent.as_ref().map_or(0, |(x, _)| *x);
            if best_bound <= lower {
                break;
            }
            // Subgradient: uses of each group minus one (only groups with allowed items).
            let mut count = vec![0i64; lambda.len()];
            for &i in &chosen {
                count[self.group[i]] += 1;
            }
            let mut has = vec![false; lambda.len()];
            for (i, &a) in node.allowed.iter().enumerate() {
                if a {
                    has[self.group[i]] = true;
                }
            }
            let sub: Vec<i64> = (0..lambda.len())
                .map(|g| if has[g] { count[g] - 1 } else { 0 })
                .collect();
            let norm: i64 = sub
                .iter()
                .zip(&lambda)
                .filter(|&(s, l)| *s > 0 || *l > 0)
                .map(|(s, _)| s * s)
                .sum();
            if norm == 0 || theta < 1e-3 {
                break;
            }
            let step = theta * (bound - lower).max(1) as f64 / norm as f64;
            for g in 0..lambda.len() {
                let moved = lambda[g] as f64 + step * sub[g] as f64;
                lambda[g] = moved.round().max(0.0) as i64;
            }
        }
        (best_bound, best_lambda)
    }

    /// A feasible plan from a relaxed one: keep each group's heaviest session, then add the
    /// heaviest allowed sessions of unused groups that still fit. Returns its true weight.
    fn repair(&self, chosen: &[usize], allowed: &[bool]) -> (i64, Vec<usize>) {
        let mut order: Vec<usize> = chosen.to_vec();
        order.sort_by_key(|&i| (std::cmp::Reverse(self.w[i]), i));
        let mut rest: Vec<usize> = (0..self.items.len())
            .filter(|&i| allowed[i] && self.w[i] > 0 && !chosen.contains(&i))
            .collect();
        rest.sort_by_key(|&i| (std::cmp::Reverse(self.w[i]), i));
        order.extend(rest);
        let mut used = BTreeSet::new();
        let mut plan: Vec<usize> = Vec::new();
        for i in order {
            let a = &self.items[i];
            if used.contains(&self.group[i]) {
                continue;
            }
            let same_day = plan.iter().filter(|&&j| self.items[j].day == a.day).count();
            let fits = same_day < self.k
                && plan.iter().all(|&j| {
                    let b = &self.items[j];
                    b.day != a.day
                        || b.cand.session.end + self.gap <= a.cand.session.start
                        || a.cand.session.end + self.gap <= b.cand.session.start
                });
            if fits {
                used.insert(self.group[i]);
                plan.push(i);
            }
        }
        (plan.iter().map(|&i| self.w[i]).sum(), plan)
    }
}

/// An agenda-shaped synthetic input, for the planner's tests and bench: four days (7-10 November
/// 2022) of four slots; 100 groups meet once, and 20 that score highest meet two or three times
/// on different days, so the relaxation repeats them and the search has to branch.
#[doc(hidden)]
pub fn synthetic_candidates(seed: u64) -> Vec<Candidate> {
    use chrono::{TimeZone, Utc};
    let slots = [
        (9, 30, 11, 30),
        (13, 0, 14, 30),
        (15, 0, 16, 30),
        (17, 0, 18, 0),
    ];
    let at = |day, h, m| {
        Utc.with_ymd_and_hms(2022, 11, day, h, m, 0)
            .single()
            .expect("a fixed valid UTC time")
    };
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut out = Vec::new();
    for g in 0..120 {
        let n = if g < 100 { 1 } else { rng.usize(2..=3) };
        let score = if g < 100 {
            rng.u32(1..40) as f32 / 8.0
        } else {
            5.0 + rng.u32(0..16) as f32 / 8.0
        };
        let mut days: Vec<u32> = (7..=10).collect();
        rng.shuffle(&mut days);
        for (j, &day) in days.iter().take(n).enumerate() {
            let (a, b, x, y) = slots[rng.usize(..slots.len())];
            let group = format!("g{g}");
            out.push(Candidate {
                meeting: 115,
                url: session_url(115, &group),
                group,
                group_name: String::new(),
                area: None,
                is_bof: false,
                session: SessionRef {
                    id: format!("115-g{g}-{j}"),
                    start: at(day, a, b),
                    end: at(day, x, y),
                    room: None,
                    status: SessionStatus::Scheduled,
                },
                score,
                matched_interests: vec![],
                matched_terms: vec![],
                reason: String::new(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, TimeZone, Utc};

    fn add(a: Weight, b: Weight) -> Weight {
        (a.0 + b.0, a.1 + b.1)
    }

    fn at(day: u32, h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2022, 11, day, h, m, 0).unwrap()
    }

    fn cand(
        id: &str,
        group: &str,
        day: u32,
        from: (u32, u32),
        to: (u32, u32),
        score: f32,
    ) -> Candidate {
        Candidate {
            meeting: 115,
            group: group.into(),
            group_name: group.to_uppercase(),
            area: None,
            is_bof: false,
            session: SessionRef {
                id: id.into(),
                start: at(day, from.0, from.1),
                end: at(day, to.0, to.1),
                room: Some("Room".into()),
                status: SessionStatus::Scheduled,
            },
            url: session_url(115, group),
            score,
            matched_interests: vec!["privacy".into()],
            matched_terms: vec![],
            reason: String::new(),
        }
    }

    fn req(days: &[u32], k: usize) -> PlanRequest {
        PlanRequest {
            meeting: 115,
            days: days
                .iter()
                .map(|&d| NaiveDate::from_ymd_opt(2022, 11, d).unwrap())
                .collect(),
            max_per_day: k,
            gap_minutes: 0,
            must: vec![],
            exclude: vec![],
            timezone: chrono_tz::Europe::London,
        }
    }

    fn ids(it: &Itinerary) -> Vec<String> {
        it.slots().map(|s| s.chosen.session.id.clone()).collect()
    }

    /// Brute force over all subsets, for cross-checking the exact solver.
    fn brute(c: &[Candidate], r: &PlanRequest) -> (u32, i64) {
        let must: BTreeSet<&str> = r.must.iter().map(String::as_str).collect();
        let mut best = (0, 0);
        for mask in 0u32..(1 << c.len()) {
            let pick: Vec<&Candidate> = (0..c.len())
                .filter(|i| mask & (1 << i) != 0)
                .map(|i| &c[i])
                .collect();
            let gap = Duration::minutes(r.gap_minutes.into());
            let ok = pick.iter().all(|a| {
                a.is_schedulable()
                    && r.days
                        .contains(&a.session.start.with_timezone(&r.timezone).date_naive())
            }) && pick.iter().enumerate().all(|(i, a)| {
                pick[i + 1..].iter().all(|b| {
                    a.group != b.group
                        && (a.session.end + gap <= b.session.start
                            || b.session.end + gap <= a.session.start)
                })
            }) && r.days.iter().all(|d| {
                pick.iter()
                    .filter(|a| a.session.start.with_timezone(&r.timezone).date_naive() == *d)
                    .count()
                    <= r.max_per_day
            });
            if ok {
                let w = pick.iter().fold((0, 0), |acc, a| {
                    add(
                        acc,
                        (u32::from(must.contains(a.group.as_str())), micro(a.score)),
                    )
                });
                best = best.max(w);
            }
        }
        best
    }

    fn weight_of(it: &Itinerary, r: &PlanRequest) -> (u32, i64) {
        it.slots().fold((0, 0), |acc, s| {
            add(
                acc,
                (
                    u32::from(r.must.contains(&s.chosen.group)),
                    micro(s.chosen.score),
                ),
            )
        })
    }

    #[test]
    fn reasons_are_one_clean_line() {
        assert_eq!(
            one_line_reason("# **Privacy** Preserving\n Measurement. Second sentence..."),
            "**Privacy** Preserving Measurement."
        );
        assert_eq!(
            one_line_reason("...ion. Work on **routing** security. More."),
            "Work on **routing** security."
        );
        assert_eq!(
            one_line_reason(
                "...Detection 4. **Secure** **routing** 5. Impact 6. **Secure** **routing**..."
            ),
            "Agenda: **Secure** **routing**"
        );
        assert_eq!(
            one_line_reason(
                "# WG (wg) - IETF 115, room: R 1. Chair slides 2. **DNS** privacy 3. Other"
            ),
            "Agenda: **DNS** privacy"
        );
        assert_eq!(
            one_line_reason("# **WG** (wg), room: R 1. Chair slides 2. Other"),
            ""
        );
        let far = format!("{} then **match** here", "word ".repeat(40));
        let r = one_line_reason(&far);
        assert!(r.starts_with('…') && r.contains("**match**"), "{r}");
        assert_eq!(
            one_line_reason("...to hide **names**..."),
            "to hide **names**"
        );
        let long = format!(
            "{}**bold words here** {}",
            "word ".repeat(8),
            "more ".repeat(40)
        );
        let r = one_line_reason(&long);
        assert_eq!(r.matches("**").count() % 2, 0, "{r}");
        assert!(r.ends_with('…') && r.chars().count() <= 161, "{r}");
        assert_eq!(plain("a **b** c"), "a b c");
    }

    #[test]
    fn exact_beats_greedy_on_the_hand_worked_case() {
        // A 09:00-11:00 (10) overlaps B 09:00-10:00 (6) and C 10:00-11:00 (6). Greedy by score
        // takes A and nothing else fits: 10. The optimum is B + C: 12.
        let c = vec![
            cand("a", "a", 7, (9, 0), (11, 0), 10.0),
            cand("b", "b", 7, (9, 0), (10, 0), 6.0),
            cand("c", "c", 7, (10, 0), (11, 0), 6.0),
        ];
        let it = plan(&c, &req(&[7], 4)).unwrap();
        assert_eq!(ids(&it), ["b", "c"]);
        assert!((it.total_score - 12.0).abs() < 1e-9);
        // A is the swap candidate for both slots.
        for s in it.slots() {
            assert_eq!(s.alternatives.len(), 1);
            assert_eq!(s.alternatives[0].session.id, "a");
        }
        // With one session a day allowed, A is right.
        assert_eq!(ids(&plan(&c, &req(&[7], 1)).unwrap()), ["a"]);
        // A 15-minute walking gap makes B and C conflict: A wins again.
        let mut r = req(&[7], 4);
        r.gap_minutes = 15;
        assert_eq!(ids(&plan(&c, &r).unwrap()), ["a"]);
    }

    #[test]
    fn a_group_is_planned_once_across_days() {
        // G meets Monday and Tuesday and is the best both times; H competes with G on Tuesday.
        // Repeats allowed would give G+G = 20; the plan takes G once and H: 10 + 8.
        let c = vec![
            cand("g1", "g", 7, (9, 0), (11, 0), 10.0),
            cand("g2", "g", 8, (9, 0), (11, 0), 10.0),
            cand("h", "h", 8, (9, 30), (10, 30), 8.0),
        ];
        let r = req(&[7, 8], 4);
        let it = plan(&c, &r).unwrap();
        assert_eq!(ids(&it), ["g1", "h"]);
        let g = it.slots().next().unwrap();
        assert_eq!(g.also_meets.len(), 1);
        assert_eq!(g.also_meets[0].id, "g2");
        assert_eq!(weight_of(&it, &r), brute(&c, &r));
    }

    #[test]
    fn must_groups_come_first_and_failures_are_explained() {
        let mut c = vec![
            cand("a", "a", 7, (9, 0), (11, 0), 10.0),
            cand("m", "m", 7, (9, 30), (10, 0), 0.5),
            cand("x", "x", 8, (9, 0), (10, 0), 3.0),
            cand("y", "y", 7, (13, 0), (14, 0), 1.0),
            cand("z", "z", 7, (9, 45), (10, 15), 1.0),
        ];
        c[4].session.status = SessionStatus::Cancelled;
        let mut r = req(&[7], 4);
        r.must = vec!["m".into(), "x".into(), "z".into(), "nope".into()];
        let it = plan(&c, &r).unwrap();
        assert_eq!(ids(&it), ["m", "y"]);
        assert!(it.slots().next().unwrap().must);
        let by: BTreeMap<&str, &MustOutcome> =
            it.must.iter().map(|m| (m.group.as_str(), m)).collect();
        assert!(by["m"].included);
        assert!(
            by["x"]
                .problem
                .as_deref()
                .unwrap()
                .contains("outside the chosen days")
        );
        assert_eq!(
            by["z"].problem.as_deref(),
            Some("z's session on the chosen days is not held: Mon 7 Nov cancelled")
        );
        assert!(
            by["nope"]
                .problem
                .as_deref()
                .unwrap()
                .contains("no session")
        );
        assert_eq!(it.not_held.len(), 1);
        assert_eq!(it.not_held[0].session.id, "z");

        // A must group cancelled on the chosen day but meeting on another says where.
        let mut c2 = c.clone();
        c2.push(cand("z2", "z", 8, (9, 0), (10, 0), 1.0));
        let it = plan(&c2, &r).unwrap();
        let z = it.must.iter().find(|m| m.group == "z").unwrap();
        assert_eq!(
            z.problem.as_deref(),
            Some(
                "z's session on the chosen days is not held: Mon 7 Nov cancelled; \
                 it also meets on Tue 8 Nov, outside the chosen days"
            )
        );

        // Two must groups at the same time: one is planned, the other names it.
        let c = vec![
            cand("p", "p", 7, (9, 0), (10, 0), 2.0),
            cand("q", "q", 7, (9, 30), (10, 30), 1.0),
        ];
        let mut r = req(&[7], 4);
        r.must = vec!["p".into(), "q".into()];
        let it = plan(&c, &r).unwrap();
        assert_eq!(ids(&it), ["p"]);
        let q = it.must.iter().find(|m| m.group == "q").unwrap();
        assert!(!q.included);
        assert_eq!(
            q.problem.as_deref(),
            Some("q conflicts with must group(s) p")
        );
    }

    #[test]
    fn a_must_group_with_two_sessions_picks_the_one_that_fits() {
        // M meets at 9:00 (clashing with must N) and at 14:00: both musts fit only if M's
        // afternoon session is chosen.
        let c = vec![
            cand("m1", "m", 7, (9, 0), (10, 0), 5.0),
            cand("m2", "m", 8, (14, 0), (15, 0), 1.0),
            cand("n", "n", 7, (9, 0), (10, 0), 1.0),
        ];
        let mut r = req(&[7, 8], 1);
        r.must = vec!["m".into(), "n".into()];
        let it = plan(&c, &r).unwrap();
        assert_eq!(ids(&it), ["n", "m2"]);
        assert!(it.must.iter().all(|m| m.included));
    }

    #[test]
    fn excluded_days_cancelled_and_bad_requests() {
        let mut c = vec![
            cand("a", "a", 7, (9, 0), (10, 0), 1.0),
            cand("b", "b", 8, (9, 0), (10, 0), 5.0),
            cand("e", "e", 7, (11, 0), (12, 0), 9.0),
            cand("k", "k", 7, (13, 0), (14, 0), 9.0),
        ];
        c[3].session.status = SessionStatus::Cancelled;
        let mut r = req(&[7], 4);
        r.exclude = vec!["e".into()];
        assert_eq!(ids(&plan(&c, &r).unwrap()), ["a"]);
        r.must = vec!["e".into()];
        assert!(plan(&c, &r).is_err());
        assert!(plan(&c, &req(&[7], 0)).is_err());
        assert!(plan(&c, &req(&[], 3)).is_err());
    }

    #[test]
    fn days_are_cut_in_the_meeting_zone() {
        // 23:30 UTC on the 7th is the 8th in Tokyo.
        let c = vec![cand("late", "l", 7, (23, 0), (23, 30), 1.0)];
        let mut r = req(&[8], 2);
        r.timezone = chrono_tz::Asia::Tokyo;
        assert_eq!(ids(&plan(&c, &r).unwrap()), ["late"]);
        r.timezone = chrono_tz::Europe::London;
        assert!(ids(&plan(&c, &r).unwrap()).is_empty());
    }

    #[test]
    fn agenda_shaped_instances_with_relevant_repeating_groups_solve() {
        // The shape of a real agenda, bigger: 8 slots a day over four days, 100 groups with one
        // session and 20 with two or three sessions (on different days) that score highest, so
        // the relaxation repeats them and the search has to branch.
        for seed in 0..6u64 {
            let c = synthetic_candidates(seed);
            let it = plan(&c, &req(&[7, 8, 9, 10], 4)).unwrap();
            let gs: BTreeSet<&str> = it.slots().map(|s| s.chosen.group.as_str()).collect();
            assert_eq!(gs.len(), it.slots().count());
            assert_eq!(it.slots().count(), 16, "seed {seed}");
        }
    }

    #[test]
    fn a_huge_day_limit_is_a_limit_of_all_sessions_not_a_panic() {
        let c = synthetic_candidates(1);
        let mut r = req(&[7, 8, 9, 10], c.len());
        let expected = plan(&c, &r).unwrap();
        r.max_per_day = usize::MAX;
        assert_eq!(plan(&c, &r).unwrap(), expected);
    }

    #[test]
    fn matches_brute_force_on_random_instances() {
        let mut rng = fastrand::Rng::with_seed(7);
        for round in 0..300 {
            let n = rng.usize(1..=11);
            // Few groups make repeats, and so branching, common.
            let all_groups = ["a", "b", "c", "d", "e", "f"];
            let groups = &all_groups[..rng.usize(2..=6)];
            let c: Vec<Candidate> = (0..n)
                .map(|i| {
                    let day = rng.u32(7..=8);
                    let start = rng.u32(9 * 4..17 * 4);
                    let len = rng.u32(2..=8);
                    let end = (start + len).min(19 * 4);
                    let mut x = cand(
                        &format!("s{i}"),
                        groups[rng.usize(..groups.len())],
                        day,
                        (start / 4, (start % 4) * 15),
                        (end / 4, (end % 4) * 15),
                        rng.u32(0..20) as f32 / 2.0,
                    );
                    if rng.u8(..10) == 0 {
                        x.session.status = SessionStatus::Cancelled;
                    }
                    x
                })
                .collect();
            let mut r = req(&[7, 8], rng.usize(1..=3));
            r.gap_minutes = [0, 15][rng.usize(..2)];
            if rng.bool() {
                r.must = vec![groups[rng.usize(..groups.len())].to_string()];
            }
            if rng.bool() {
                r.must.push(groups[rng.usize(..groups.len())].to_string());
                r.must.dedup();
            }
            let it = plan(&c, &r).unwrap();
            assert_eq!(weight_of(&it, &r), brute(&c, &r), "round {round}: {c:#?}");
            // And the plan itself is feasible.
            let chosen: Vec<&Candidate> = it.slots().map(|s| &s.chosen).collect();
            let gs: BTreeSet<&str> = chosen.iter().map(|c| c.group.as_str()).collect();
            assert_eq!(gs.len(), chosen.len(), "round {round}: a group repeats");
            for d in &it.days {
                assert!(d.slots.len() <= r.max_per_day);
                for w in d.slots.windows(2) {
                    assert!(
                        w[0].chosen.session.end + Duration::minutes(r.gap_minutes.into())
                            <= w[1].chosen.session.start
                    );
                }
            }
        }
    }
}
