//! Criterion benchmarks: building the index of the bundled IETF 115 meeting, and one
//! recommendation (two interests, top 10) on that index, opening it as a command would.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use wgrec::home::Home;
use wgrec::index;
use wgrec::rank::{self, RecommendQuery};
use wgrec::snapshot::Snapshot;

fn build(c: &mut Criterion) {
    let snap = Snapshot::bundled();
    let mut g = c.benchmark_group("index");
    g.sample_size(10);
    g.bench_function("build ietf115", |b| {
        let tmp = tempfile::tempdir().unwrap();
        let home = Home::new(tmp.path());
        b.iter(|| index::rebuild(&home, &snap).unwrap());
    });
    g.finish();
}

fn recommend(c: &mut Criterion) {
    let snap = Snapshot::bundled();
    let tmp = tempfile::tempdir().unwrap();
    let home = Home::new(tmp.path());
    index::ensure(&home, &snap).unwrap();
    let q = RecommendQuery {
        interests: vec!["privacy".into(), "routing security".into()],
        top: 10,
        ..Default::default()
    };
    let mut g = c.benchmark_group("recommend");
    g.bench_function("open index + recommend (2 interests)", |b| {
        b.iter(|| {
            let idx = index::ensure(&home, &snap).unwrap();
            black_box(rank::recommend(&idx, &q).unwrap())
        })
    });
    let idx = index::ensure(&home, &snap).unwrap();
    g.bench_function("recommend only (2 interests)", |b| {
        b.iter(|| black_box(rank::recommend(&idx, &q).unwrap()))
    });
    let vocab = rank::Vocabulary::load(None).unwrap();
    g.bench_function("search", |b| {
        b.iter(|| black_box(rank::search(&idx, "\"route origin\" rpki", None, 10, &vocab).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, build, recommend);
criterion_main!(benches);
