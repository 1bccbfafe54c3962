//! The cost of process isolation per file in a batch: the 40-page agreement PDF
//! (fixtures/bench/vayla-40-sivua.pdf) converted in this process and in a warm worker of
//! a [`Pool`] (reused, as a batch reuses it), measured in the same run; report the ratio
//! of the medians. `isolated_cold` starts a new worker every time: the start-up a pool
//! saves.
//!
//! The worker is the `tulossopimus` binary cargo builds for this bench.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::time::Duration;
use tulossopimus::worker::{Pool, WorkerConfig, DEFAULT_MAX_MEMORY};
use tulossopimus::{convert_bytes, Options};

const PDF: &[u8] = include_bytes!("../fixtures/bench/vayla-40-sivua.pdf");

fn config() -> WorkerConfig {
    WorkerConfig::new(
        env!("CARGO_BIN_EXE_tulossopimus").into(),
        Duration::from_secs(60),
        DEFAULT_MAX_MEMORY,
    )
}

fn bench(c: &mut Criterion) {
    let options = Options::default();
    let mut g = c.benchmark_group("pdf40");
    g.throughput(Throughput::Elements(40));
    g.sample_size(30);
    g.bench_function("in_process", |b| {
        b.iter(|| {
            let doc = convert_bytes("v.pdf", black_box(PDF), &options).expect("converts");
            black_box(doc.coverage.lines)
        })
    });
    let pool = Pool::new(config());
    g.bench_function("isolated", |b| {
        b.iter(|| {
            let doc = pool
                .convert("v.pdf", black_box(PDF), &options)
                .expect("converts");
            black_box(doc.coverage.lines)
        })
    });
    g.bench_function("isolated_cold", |b| {
        b.iter(|| {
            let doc = Pool::new(config())
                .convert("v.pdf", black_box(PDF), &options)
                .expect("converts");
            black_box(doc.coverage.lines)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
