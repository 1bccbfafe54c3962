//! Conversion time against input size: the seed with N, 2N and 4N copies of its results
//! table, renumbered (a valid, longer agreement) and verbatim (every title path
//! repeated: ids get suffixes); see tests/common/copies.rs.
//! Linear growth shows as a constant time per byte across the three sizes; the test
//! `tests/scaling.rs` asserts it, this reports it.

#[path = "../tests/common/copies.rs"]
mod copies;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

use copies::{Seed, Titles};

fn bench(c: &mut Criterion) {
    let seed = Seed::new();
    let mut g = c.benchmark_group("scaling");
    for (titles, name) in [
        (Titles::Renumbered, "renumbered"),
        (Titles::Repeated, "repeated"),
    ] {
        for copies in [4, 8, 16] {
            let text = seed.document(copies, titles);
            g.throughput(Throughput::Bytes(text.len() as u64));
            g.bench_with_input(BenchmarkId::new(name, copies), &text, |b, text| {
                b.iter(|| convert(text))
            });
        }
    }
    g.finish();
}

fn convert(text: &str) -> usize {
    let doc = tulossopimus::convert_bytes(
        "copies.txt",
        black_box(text.as_bytes()),
        &Default::default(),
    )
    .expect("converts");
    black_box(serde_json::to_vec(&doc).expect("serializes").len())
}

criterion_group!(benches, bench);
criterion_main!(benches);
