// An agenda-shaped synthetic planner input, shared by the planner's bench (benches/plan.rs) and
// its tests (src/plan/tests.rs) through `include!`, so it stays out of the library: the includer
// brings `Candidate`, `PlanRequest`, `SessionRef`, `SessionStatus`, `Strength` and `session_url`
// into scope.


/// An agenda-shaped synthetic input, for the planner's tests and bench: four days (7-10 November
/// 2022) of four slots; 100 groups meet once, and 20 that score highest meet two or three times
/// on different days, so the relaxation repeats them and the search has to branch.
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
                strong_interests: vec![],
                matched_terms: vec![],
                reason: String::new(),
                excerpt: String::new(),
                strength: Strength::Strong,
            });
        }
    }
    out
}

/// A request for IETF 115's days `days` (of November 2022), at most `k` a day, no gap, nothing
/// required or excluded.
fn request_for(days: &[u32], k: usize) -> PlanRequest {
    PlanRequest {
        include_possible: false,
        meeting: 115,
        days: days
            .iter()
            .map(|&d| chrono::NaiveDate::from_ymd_opt(2022, 11, d).unwrap())
            .collect(),
        max_per_day: k,
        gap_minutes: 0,
        must: vec![],
        exclude: vec![],
        timezone: chrono_tz::Europe::London,
    }
}
