//! A 40-page agreement PDF (`fixtures/layout/pitka-…-40s.pdf`): this tool's structured
//! conversion (glyphs, layout, tree, JSON) next to pdf-extract's own `extract_text` of
//! the same bytes, measured in the same run. Report pages/s and the ratio of medians.
//!
//! Threads: the converter reads pages in parallel on rayon's global pool; run with
//! `RAYON_NUM_THREADS=1` for the single-thread figure.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

const PDF: &[u8] = include_bytes!("../fixtures/layout/pitka-tulossopimus-2026-2029-40s.pdf");
const PAGES: u64 = 40;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("pdf40");
    g.throughput(Throughput::Elements(PAGES));
    g.sample_size(20);
    g.bench_function("pdf_extract_extract_text", |b| {
        b.iter(|| {
            black_box(
                pdf_extract::extract_text_from_mem(black_box(PDF))
                    .expect("extracts")
                    .len(),
            )
        })
    });
    g.bench_function("convert", |b| {
        b.iter(|| {
            let doc = tulossopimus::convert_bytes("pitka.pdf", black_box(PDF), &Default::default())
                .expect("converts");
            black_box(serde_json::to_vec(&doc).expect("serializes").len())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
