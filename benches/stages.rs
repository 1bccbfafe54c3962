//! Each pipeline stage on the seed dump (group `stage`) and on the 40-page PDF fixture
//! `pitka` (group `pdf40_stage`), so that a regression points at its stage. Each group
//! has a baseline in the same process (the dump: UTF-8 validation and a line count of
//! the same bytes; the PDF: loading it with lopdf, the least any PDF reader does);
//! compare ratios, not absolute times.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::hint::black_box;
use tulossopimus::emit;
use tulossopimus::stages::{blocks, coverage, decode, dialect, lines, normalize, structure};

const SEED: &[u8] = include_bytes!("../fixtures/keha-tulossopimus-2026-2029.txt");
const PDF: &[u8] = include_bytes!("../fixtures/layout/pitka-tulossopimus-2026-2029-40s.pdf");

fn bench(c: &mut Criterion) {
    let decoded = decode::decode("seed", SEED).expect("decodes");
    let split = dialect::split(&decoded.text);
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
        b.iter(|| dialect::split(black_box(&decoded.text)))
    });
    shared_stages(&mut g, &split, &doc);
    g.bench_function("emit_pretty", |b| {
        b.iter(|| emit::to_pretty_string(black_box(&doc)))
    });
    g.finish();
}

/// The stages a dump and a PDF share, from their lines on: blocks, the tree, ids, and
/// compact JSON of `doc` (the same input converted).
fn shared_stages(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    lines: &lines::Lines,
    doc: &tulossopimus::Document,
) {
    let built_blocks = blocks::build(lines);
    let built = structure::build(lines, &built_blocks.blocks);
    g.bench_function("blocks", |b| b.iter(|| blocks::build(black_box(lines))));
    g.bench_function("structure", |b| {
        b.iter(|| structure::build(black_box(lines), black_box(&built_blocks.blocks)))
    });
    g.bench_function("coverage_line_words", |b| {
        b.iter(|| coverage::LineWords::new(black_box(lines)))
    });
    // Every output string read (`Reached::new`), and as the conversion does: the words
    // of the lines a string is made of taken from the lines' hashes.
    g.bench_function("coverage_reached", |b| {
        b.iter(|| coverage::Reached::new(black_box(&doc.agreements)).words())
    });
    let words = coverage::LineWords::new(lines);
    g.bench_function("coverage_reached_from_lines", |b| {
        b.iter(|| {
            let (a, l) = (black_box(&doc.agreements), black_box(lines));
            coverage::Reached::with_lines(a, l, &words, &built_blocks.furniture).words()
        })
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
    g.bench_function("emit_compact", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            emit::write_json(&mut out, black_box(doc), false).expect("writes");
            out
        })
    });
}

/// The PDF's stages: pages read into glyphs (lopdf and pdf-extract in parallel), lines
/// laid out, then the stages the text shares (blocks, tree, ids, JSON).
fn bench_pdf(c: &mut Criterion) {
    use tulossopimus::stages::{layout, pdf};
    let read = || pdf::read_limited("pitka.pdf", PDF, None, u32::MAX).expect("reads");
    let pages = read().pages;
    // As the conversion does: a dump's `-layout` cells split here; a PDF's lines pass.
    let lines = dialect::normalize(layout::assemble(&pages).lines);
    let doc = tulossopimus::convert_bytes("pitka.pdf", PDF, &Default::default()).expect("converts");
    let mut g = c.benchmark_group("pdf40_stage");
    g.throughput(Throughput::Bytes(PDF.len() as u64));
    g.bench_function("baseline_lopdf_load", |b| {
        b.iter(|| pdf_extract::Document::load_mem(black_box(PDF)).expect("loads"))
    });
    g.bench_function("glyphs", |b| b.iter(read));
    g.bench_function("layout", |b| b.iter(|| layout::assemble(black_box(&pages))));
    shared_stages(&mut g, &lines, &doc);
    g.finish();
}

criterion_group!(benches, bench, bench_pdf);
criterion_main!(benches);
