//! End-to-end conversion of the seed dump, with a baseline measured in the same run:
//! reading the same bytes as UTF-8 and counting their lines, the least any converter
//! must do. Report the ratio of the two medians, not absolute times alone.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

const SEED: &[u8] = include_bytes!("../fixtures/keha-tulossopimus-2026-2029.txt");

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("seed");
    g.throughput(Throughput::Bytes(SEED.len() as u64));
    g.bench_function("baseline_utf8_lines", |b| {
        b.iter(|| {
            let text = std::str::from_utf8(black_box(SEED)).expect("utf-8");
            black_box(text.lines().count())
        })
    });
    g.bench_function("convert", |b| {
        b.iter(|| {
            let doc = tulossopimus::convert_bytes("seed.txt", black_box(SEED), &Default::default())
                .expect("converts");
            // The command's default output: compact JSON, written as the command does.
            let mut out = Vec::new();
            tulossopimus::emit::write_json(&mut out, &doc, false).expect("writes");
            black_box(out.len())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
