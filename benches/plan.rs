//! Planner speed: the exact itinerary search on the bundled IETF 115 recommendations (what
//! `wgrec itinerary` does after ranking) and on a larger agenda-shaped synthetic input whose most
//! relevant groups meet two or three times (the case that makes the search branch).

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use wgrec::model::{SessionRef, SessionStatus, Strength};
use wgrec::plan::{self, Candidate, PlanRequest, session_url};

include!("support/synthetic.rs");

fn request(days: &[u32], k: usize, must: &[&str]) -> PlanRequest {
    PlanRequest {
        gap_minutes: 10,
        must: must.iter().map(|s| s.to_string()).collect(),
        ..request_for(days, k)
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

fn bench(c: &mut Criterion) {
    let real = ietf115_candidates();
    let req = request(&[7, 8, 9, 10], 4, &["sidrops", "gaia"]);
    c.bench_function("plan ietf115 4 interests, 4 days, k=4", |b| {
        b.iter(|| plan::plan(black_box(&real), black_box(&req)).unwrap())
    });
    let syn = synthetic_candidates(3);
    let req = request(&[7, 8, 9, 10], 4, &[]);
    c.bench_function("plan synthetic 120 groups, 4 days, k=4", |b| {
        b.iter(|| plan::plan(black_box(&syn), black_box(&req)).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
