//! The exact search behind [`super::plan`] (the problem is stated in the module doc there).
//!
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

use super::{Candidate, Weight};
use crate::{Error, Result};
use chrono::{Duration, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};

/// Branch-and-bound nodes explored at most before giving up (never reached on real agendas).
const NODE_CAP: usize = 20_000;

/// Subgradient steps per node for the Lagrangian bound.
const LAGRANGE_STEPS: usize = 30;

pub(super) struct Item<'a> {
    pub(super) cand: &'a Candidate,
    pub(super) day: NaiveDate,
    pub(super) weight: Weight,
}

/// Exact optimum over `items` (indices into it). See the module doc.
/// Stays whole: the branch-and-bound loop around the day DP (see the module doc).
pub(super) fn solve(items: &[Item], k: usize, gap_minutes: u32) -> Result<Vec<usize>> {
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
pub(super) struct Node {
    allowed: Vec<bool>,
    lambda: Vec<i64>,
}

pub(super) struct DayDp {
    idx: Vec<usize>,
    pred: Vec<usize>,
}

pub(super) struct Search<'a, 'b> {
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
