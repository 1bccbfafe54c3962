//! Each pipeline stage on the seed dump, so that a regression points at its stage.
//! The baseline (UTF-8 validation + line count of the same bytes) runs in the same
//! process; compare ratios, not absolute times.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::hint::black_box;
use tulossopimus::{blocks, decode, emit, lines, normalize, structure};

const SEED: &[u8] = include_bytes!("../fixtures/keha-tulossopimus-2026-2029.txt");

fn bench(c: &mut Criterion) {
    let decoded = decode::decode("seed", SEED).expect("decodes");
    let split = lines::split(&decoded.text);
    let built_blocks = blocks::build(&split);
    let built = structure::build(&split, &built_blocks.blocks);
    let doc = tulossopimus::convert_bytes("seed", SEED, &Default::default()).expect("converts");

    let mut g = c.benchmark_group("stage");
    g.throughput(Throughput::Bytes(SEED.len() as u64));
    g.bench_function("baseline_utf8_lines", |b| {
        b.iter(|| {
            black_box(
                std::str::from_utf8(black_box(SEED))
                    .expect("utf-8")
                    .lines()
                    .count(),
            )
        })
    });
    g.bench_function("decode", |b| {
        b.iter(|| decode::decode("seed", black_box(SEED)))
    });
    g.bench_function("lines", |b| {
        b.iter(|| lines::split(black_box(&decoded.text)))
    });
    g.bench_function("blocks", |b| b.iter(|| blocks::build(black_box(&split))));
    g.bench_function("structure", |b| {
        b.iter(|| structure::build(black_box(&split), black_box(&built_blocks.blocks)))
    });
    g.bench_function("normalize_ids", |b| {
        b.iter_batched(
            || built.agreements.clone(),
            // Returned, so that dropping the tree is not timed with the ids.
            |mut a| {
                normalize::assign_ids(&mut a);
                a
            },
            BatchSize::SmallInput,
        )
    });
    g.bench_function("emit_pretty", |b| {
        b.iter(|| emit::to_pretty_string(black_box(&doc)))
    });
    g.bench_function("emit_compact", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            emit::write_json(&mut out, black_box(&doc), false).expect("writes");
            out
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
