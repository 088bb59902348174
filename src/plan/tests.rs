use super::*;
use chrono::{DateTime, TimeZone, Utc};

// The planner bench's agenda-shaped input (kept out of the library).
include!("../../benches/support/synthetic.rs");

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
        strong_interests: vec!["privacy".into()],
        matched_terms: vec![],
        reason: String::new(),
        excerpt: String::new(),
        strength: Strength::Strong,
    }
}

fn req(days: &[u32], k: usize) -> PlanRequest {
    request_for(days, k)
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
    let by: BTreeMap<&str, &MustOutcome> = it.must.iter().map(|m| (m.group.as_str(), m)).collect();
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
