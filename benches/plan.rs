//! Planner speed: the exact itinerary search on the bundled IETF 115 recommendations (what
//! `wgrec itinerary` does after ranking) and on a larger agenda-shaped synthetic input whose most
//! relevant groups meet two or three times (the case that makes the search branch).

use chrono::{NaiveDate, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use wgrec::model::{SessionRef, SessionStatus};
use wgrec::plan::{self, Candidate, PlanRequest};

fn request(days: &[u32], k: usize, must: &[&str]) -> PlanRequest {
    PlanRequest {
        meeting: 115,
        days: days
            .iter()
            .map(|&d| NaiveDate::from_ymd_opt(2022, 11, d).unwrap())
            .collect(),
        max_per_day: k,
        gap_minutes: 10,
        must: must.iter().map(|s| s.to_string()).collect(),
        exclude: vec![],
        timezone: chrono_tz::Europe::London,
    }
}

fn ietf115_candidates() -> Vec<Candidate> {
    let home = tempfile::tempdir().unwrap();
    let snap = wgrec::snapshot::Snapshot::bundled();
    let idx = wgrec::index::ensure(&wgrec::home::Home::new(home.path()), &snap).unwrap();
    let q = wgrec::rank::RecommendQuery {
        interests: vec![
            "privacy".into(),
            "routing security".into(),
            "internet of things".into(),
            "human rights".into(),
        ],
        top: 10_000,
        ..Default::default()
    };
    plan::candidates(&wgrec::rank::recommend(&idx, &q).unwrap())
}

fn synthetic() -> Vec<Candidate> {
    let slots = [
        (9, 30, 11, 30),
        (13, 0, 14, 30),
        (15, 0, 16, 30),
        (17, 0, 18, 0),
    ];
    let mut rng = fastrand::Rng::with_seed(3);
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
                url: plan::session_url(115, &group),
                group,
                group_name: String::new(),
                area: None,
                is_bof: false,
                session: SessionRef {
                    id: format!("115-g{g}-{j}"),
                    start: Utc.with_ymd_and_hms(2022, 11, day, a, b, 0).unwrap(),
                    end: Utc.with_ymd_and_hms(2022, 11, day, x, y, 0).unwrap(),
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

fn bench(c: &mut Criterion) {
    let real = ietf115_candidates();
    let req = request(&[7, 8, 9, 10], 4, &["sidrops", "gaia"]);
    c.bench_function("plan ietf115 4 interests, 4 days, k=4", |b| {
        b.iter(|| plan::plan(black_box(&real), black_box(&req)).unwrap())
    });
    let syn = synthetic();
    let req = request(&[7, 8, 9, 10], 4, &[]);
    c.bench_function("plan synthetic 120 groups, 4 days, k=4", |b| {
        b.iter(|| plan::plan(black_box(&syn), black_box(&req)).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
